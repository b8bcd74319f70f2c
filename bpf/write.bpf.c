// SPDX-License-Identifier: GPL-2.0
/*
 * Writes to files: opens for writing or creating, unlink, rename, mkdir. Paths are read at
 * entry, records go out only for calls that succeeded. Whether the file lies on the
 * container's root filesystem is decided here where it can be exactly: an opened file's
 * mount against the task's root mount; for relative paths of the other calls, the mount of
 * the directory they are relative to.
 */
#include "vigil.bpf.h"

#define VG_O_WRONLY 01
#define VG_O_RDWR 02
#define VG_O_CREAT 0100
#define VG_O_TRUNC 01000
#define VG_AT_FDCWD -100
#define VG_WRITE_FLAGS (VG_O_WRONLY | VG_O_RDWR | VG_O_CREAT | VG_O_TRUNC)

static __always_inline struct vigil_inflight *vg_write_begin(__u32 op, struct vg_ctx *c)
{
	struct vigil_inflight *in = vg_inflight_begin(VIGIL_EVENT_WRITE, op, c);

	if (in) {
		in->mode = 0;
		in->rootfs = VIGIL_ROOTFS_UNKNOWN;
		in->str[1][0] = 0;
	}
	return in;
}

static __always_inline void vg_write_path(struct vigil_inflight *in, int idx, const void *upath)
{
	if (bpf_probe_read_user_str(in->str[idx & 1], VIGIL_PATH_MAX, upath) < 0)
		in->str[idx & 1][0] = 0;
}

/* For a path relative to dfd: on the root mount if the directory is. */
static __always_inline void vg_write_rootfs_rel(struct vigil_inflight *in, int dfd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vfsmount *dir;

	if (in->str[0][0] == '/')
		return; /* absolute: the agent decides from the container's mounts */
	dir = dfd == VG_AT_FDCWD ? vg_pwd_mnt(task) : vg_fd_mnt(task, dfd);
	if (dir)
		in->rootfs = dir == vg_root_mnt(task) ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
}

static __always_inline int vg_open_enter(int dfd, const void *upath, __u64 flags, __u32 mode)
{
	struct vigil_inflight *in;
	struct vg_ctx c;

	if (!(flags & VG_WRITE_FLAGS))
		return 0; /* reads are the common case: out before any lookup */
	in = vg_write_begin(VIGIL_WRITE_OPEN, &c);
	if (!in)
		return 0;
	in->flags = flags;
	in->mode = mode;
	vg_write_path(in, 0, upath);
	vg_inflight_save(&c, in);
	return 0;
}

static __always_inline int vg_write_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vigil_inflight *in;
	struct vigil_scratch *s;
	struct vigil_write *e;
	struct vg_ctx c;
	long ret = ctx->ret;
	__u32 n1, n2;

	in = vg_inflight_find(VIGIL_EVENT_WRITE, &c, &s);
	if (!in)
		return 0;
	if (ret < 0)
		goto out; /* only what happened */
	e = (struct vigil_write *)s->buf;
	vg_fill_header(&e->hdr, VIGIL_EVENT_WRITE, 0, &c);
	e->op = in->syscall;
	e->ret = ret;
	e->open_flags = in->flags;
	e->mode = in->mode;
	e->rootfs = in->rootfs;
	if (in->syscall == VIGIL_WRITE_OPEN) {
		struct vfsmount *mnt = vg_fd_mnt(task, ret);

		if (mnt)
			e->rootfs = mnt == vg_root_mnt(task) ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
	}
	e->reserved = 0;
	e->reserved2 = 0;
	n1 = bpf_probe_read_kernel_str(e->data, VIGIL_PATH_MAX, in->str[0]);
	if ((int)n1 <= 0) {
		e->data[0] = 0;
		n1 = 1;
	}
	n1 &= (VIGIL_PATH_MAX - 1 | VIGIL_PATH_MAX);
	n2 = bpf_probe_read_kernel_str(e->data + n1, VIGIL_PATH_MAX, in->str[1]);
	if ((int)n2 <= 0) {
		e->data[n1] = 0;
		n2 = 1;
	}
	n2 &= (VIGIL_PATH_MAX - 1 | VIGIL_PATH_MAX);
	e->path_len = n1;
	e->path2_len = n2;
	vg_output(e, sizeof(*e) + n1 + n2);
out:
	vg_inflight_end(&c);
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_open_enter(ctx->args[0], (void *)ctx->args[1], ctx->args[2], ctx->args[3]);
}

SEC("tp/syscalls/sys_enter_open")
int enter_open(struct trace_event_raw_sys_enter *ctx)
{
	return vg_open_enter(VG_AT_FDCWD, (void *)ctx->args[0], ctx->args[1], ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_creat")
int enter_creat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_open_enter(VG_AT_FDCWD, (void *)ctx->args[0], VG_O_CREAT | VG_O_WRONLY | VG_O_TRUNC,
			     ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_openat2")
int enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};

	if (bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]))
		return 0;
	return vg_open_enter(ctx->args[0], (void *)ctx->args[1], how.flags, how.mode);
}

static __always_inline int vg_path_op_enter(__u32 op, int dfd, const void *path, int dfd2,
					    const void *path2, __u32 mode)
{
	struct vigil_inflight *in;
	struct vg_ctx c;

	in = vg_write_begin(op, &c);
	if (!in)
		return 0;
	in->mode = mode;
	vg_write_path(in, 0, path);
	if (path2)
		vg_write_path(in, 1, path2);
	vg_write_rootfs_rel(in, dfd);
	vg_inflight_save(&c, in);
	return 0;
}

SEC("tp/syscalls/sys_enter_unlinkat")
int enter_unlinkat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_path_op_enter(VIGIL_WRITE_UNLINK, ctx->args[0], (void *)ctx->args[1], 0, NULL, 0);
}

SEC("tp/syscalls/sys_enter_unlink")
int enter_unlink(struct trace_event_raw_sys_enter *ctx)
{
	return vg_path_op_enter(VIGIL_WRITE_UNLINK, VG_AT_FDCWD, (void *)ctx->args[0], 0, NULL, 0);
}

SEC("tp/syscalls/sys_enter_rename")
int enter_rename(struct trace_event_raw_sys_enter *ctx)
{
	return vg_path_op_enter(VIGIL_WRITE_RENAME, VG_AT_FDCWD, (void *)ctx->args[0], VG_AT_FDCWD,
				(void *)ctx->args[1], 0);
}

SEC("tp/syscalls/sys_enter_renameat")
int enter_renameat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_path_op_enter(VIGIL_WRITE_RENAME, ctx->args[0], (void *)ctx->args[1],
				ctx->args[2], (void *)ctx->args[3], 0);
}

SEC("tp/syscalls/sys_enter_renameat2")
int enter_renameat2(struct trace_event_raw_sys_enter *ctx)
{
	return vg_path_op_enter(VIGIL_WRITE_RENAME, ctx->args[0], (void *)ctx->args[1],
				ctx->args[2], (void *)ctx->args[3], 0);
}

SEC("tp/syscalls/sys_enter_mkdir")
int enter_mkdir(struct trace_event_raw_sys_enter *ctx)
{
	return vg_path_op_enter(VIGIL_WRITE_MKDIR, VG_AT_FDCWD, (void *)ctx->args[0], 0, NULL,
				ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_mkdirat")
int enter_mkdirat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_path_op_enter(VIGIL_WRITE_MKDIR, ctx->args[0], (void *)ctx->args[1], 0, NULL,
				ctx->args[2]);
}

#define VIGIL_WRITE_EXIT(name)                                                                     \
	SEC("tp/syscalls/sys_exit_" #name)                                                         \
	int exit_##name(struct trace_event_raw_sys_exit *ctx)                                      \
	{                                                                                          \
		return vg_write_exit(ctx);                                                         \
	}

VIGIL_WRITE_EXIT(openat)
VIGIL_WRITE_EXIT(open)
VIGIL_WRITE_EXIT(creat)
VIGIL_WRITE_EXIT(openat2)
VIGIL_WRITE_EXIT(unlinkat)
VIGIL_WRITE_EXIT(unlink)
VIGIL_WRITE_EXIT(rename)
VIGIL_WRITE_EXIT(renameat)
VIGIL_WRITE_EXIT(renameat2)
VIGIL_WRITE_EXIT(mkdir)
VIGIL_WRITE_EXIT(mkdirat)
