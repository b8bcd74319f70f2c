// SPDX-License-Identifier: GPL-2.0
/*
 * mount(2) and the new mount API. Strings are read at entry (what the caller asked for),
 * the record is emitted at exit with the result. fsmount & co. are attached only where the
 * kernel has their tracepoints (the agent checks before load).
 */
#include "vigil.bpf.h"

static __always_inline struct vigil_inflight *vg_mount_begin(__u32 syscall, struct vg_ctx *c)
{
	struct vigil_inflight *in;

	vg_call_enter();
	in = vg_inflight_begin(syscall, c);
	if (in)
		in->str[0][0] = in->str[1][0] = in->str[2][0] = 0;
	return in;
}

static __always_inline void vg_read_user_str(char *dst, const void *src)
{
	if (!src || bpf_probe_read_user_str(dst, VIGIL_MNT_STR_MAX, src) < 0)
		dst[0] = 0;
}

static __always_inline __u32 vg_copy_str(char *dst, const char *src)
{
	long n = bpf_probe_read_kernel_str(dst, VIGIL_MNT_STR_MAX, src);

	if (n <= 0) {
		dst[0] = 0;
		n = 1;
	}
	return n;
}

static __always_inline int vg_mount_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct vigil_inflight *in;
	struct vigil_scratch *s;
	struct vigil_mount *e;
	struct vg_ctx c;
	__u32 off, n;

	in = vg_inflight_find(VIGIL_EVENT_MOUNT, &c);
	if (!in)
		return 0;
	s = vg_scratch();
	if (!s)
		return 0;
	e = (struct vigil_mount *)s->buf;
	vg_fill_header(&e->hdr, VIGIL_EVENT_MOUNT, 0, &c);
	e->syscall = in->syscall;
	e->ret = ctx->ret;
	e->flags = in->flags;
	e->reserved = 0;
	off = 0;
	n = vg_copy_str(e->data, in->str[0]);
	e->source_len = n;
	off += n & (VIGIL_MNT_STR_MAX - 1 | VIGIL_MNT_STR_MAX);
	n = vg_copy_str(e->data + (off & 0xff), in->str[1]);
	e->target_len = n;
	off += n & (VIGIL_MNT_STR_MAX - 1 | VIGIL_MNT_STR_MAX);
	n = vg_copy_str(e->data + (off & 0x1ff), in->str[2]);
	e->fstype_len = n;
	off += n & (VIGIL_MNT_STR_MAX - 1 | VIGIL_MNT_STR_MAX);
	vg_output(e, sizeof(*e) + (off & 0x3ff));
	return 0;
}

SEC("tp/syscalls/sys_enter_mount")
int enter_mount(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_inflight *in;
	struct vg_ctx c;

	in = vg_mount_begin(VIGIL_SYS_MOUNT, &c);
	if (!in)
		return 0;
	vg_read_user_str(in->str[0], (void *)ctx->args[0]);
	vg_read_user_str(in->str[1], (void *)ctx->args[1]);
	vg_read_user_str(in->str[2], (void *)ctx->args[2]);
	in->flags = ctx->args[3];
	vg_inflight_save(in, VIGIL_EVENT_MOUNT);
	return 0;
}

SEC("tp/syscalls/sys_enter_move_mount")
int enter_move_mount(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_inflight *in;
	struct vg_ctx c;

	in = vg_mount_begin(VIGIL_SYS_MOVE_MOUNT, &c);
	if (!in)
		return 0;
	vg_read_user_str(in->str[0], (void *)ctx->args[1]);
	vg_read_user_str(in->str[1], (void *)ctx->args[3]);
	in->flags = ctx->args[4];
	vg_inflight_save(in, VIGIL_EVENT_MOUNT);
	return 0;
}

SEC("tp/syscalls/sys_enter_open_tree")
int enter_open_tree(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_inflight *in;
	struct vg_ctx c;

	in = vg_mount_begin(VIGIL_SYS_OPEN_TREE, &c);
	if (!in)
		return 0;
	vg_read_user_str(in->str[0], (void *)ctx->args[1]);
	in->flags = ctx->args[2];
	vg_inflight_save(in, VIGIL_EVENT_MOUNT);
	return 0;
}

SEC("tp/syscalls/sys_enter_fsmount")
int enter_fsmount(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_inflight *in;
	struct vg_ctx c;

	in = vg_mount_begin(VIGIL_SYS_FSMOUNT, &c);
	if (!in)
		return 0;
	in->flags = ctx->args[1];
	vg_inflight_save(in, VIGIL_EVENT_MOUNT);
	return 0;
}

SEC("tp/syscalls/sys_enter_fsconfig")
int enter_fsconfig(struct trace_event_raw_sys_enter *ctx)
{
	struct vigil_inflight *in;
	struct vg_ctx c;

	in = vg_mount_begin(VIGIL_SYS_FSCONFIG, &c);
	if (!in)
		return 0;
	vg_read_user_str(in->str[0], (void *)ctx->args[2]);
	/* only FSCONFIG_SET_STRING (1) carries a string value */
	if (ctx->args[1] == 1)
		vg_read_user_str(in->str[1], (void *)ctx->args[3]);
	in->flags = ctx->args[1];
	vg_inflight_save(in, VIGIL_EVENT_MOUNT);
	return 0;
}

#define VIGIL_MOUNT_EXIT(name)                                                                     \
	SEC("tp/syscalls/sys_exit_" #name)                                                         \
	int exit_##name(struct trace_event_raw_sys_exit *ctx)                                      \
	{                                                                                          \
		return vg_mount_exit(ctx);                                                         \
	}

VIGIL_MOUNT_EXIT(mount)
VIGIL_MOUNT_EXIT(move_mount)
VIGIL_MOUNT_EXIT(open_tree)
VIGIL_MOUNT_EXIT(fsmount)
VIGIL_MOUNT_EXIT(fsconfig)
