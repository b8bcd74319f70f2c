// SPDX-License-Identifier: GPL-2.0
/*
 * The setuid and setgid families. Entry saves the arguments and the ids before the call;
 * exit reports with the result and the ids after it, so a failed call shows no change.
 */
#include "vigil.bpf.h"

static __always_inline void vg_read_ids(const struct cred *cred, bool gids, __u32 ids[4])
{
	if (gids) {
		ids[0] = BPF_CORE_READ(cred, gid.val);
		ids[1] = BPF_CORE_READ(cred, egid.val);
		ids[2] = BPF_CORE_READ(cred, sgid.val);
		ids[3] = BPF_CORE_READ(cred, fsgid.val);
	} else {
		ids[0] = BPF_CORE_READ(cred, uid.val);
		ids[1] = BPF_CORE_READ(cred, euid.val);
		ids[2] = BPF_CORE_READ(cred, suid.val);
		ids[3] = BPF_CORE_READ(cred, fsuid.val);
	}
}

static __always_inline int vg_setid_enter(struct trace_event_raw_sys_enter *ctx, __u32 syscall,
					  int nargs)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	const struct cred *cred = BPF_CORE_READ(task, cred);
	bool gids = syscall >= VIGIL_SYS_SETGID;
	struct vigil_inflight *in;
	struct vg_ctx c;

	vg_call_enter();
	in = vg_inflight_begin(syscall, &c);
	if (!in)
		return 0;
	/* constant offsets only: the verifier refuses a computed context access */
	in->ids[0] = ctx->args[0];
	in->ids[1] = nargs > 1 ? (__u32)ctx->args[1] : VIGIL_ID_UNCHANGED;
	in->ids[2] = nargs > 2 ? (__u32)ctx->args[2] : VIGIL_ID_UNCHANGED;
	vg_read_ids(cred, gids, &in->ids[3]);
	in->ids[7] = BPF_CORE_READ(cred, uid.val);
	in->flags = BPF_CORE_READ(cred, euid.val);
	vg_inflight_save(in, gids ? VIGIL_EVENT_SETGID : VIGIL_EVENT_SETUID);
	return 0;
}

static __always_inline int vg_setid_exit(struct trace_event_raw_sys_exit *ctx, __u32 type)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vigil_inflight *in;
	struct vigil_setid *e;
	struct vg_ctx c;

	in = vg_inflight_find(type, &c);
	if (!in)
		return 0;
	e = vg_reserve(type, sizeof(*e), &c);
	if (e) {
		vg_fill_header(&e->hdr, type, sizeof(*e), &c);
		e->syscall = in->syscall;
		e->ret = ctx->ret;
		for (int i = 0; i < 3; i++)
			e->args[i] = in->ids[i];
		for (int i = 0; i < 4; i++)
			e->old_ids[i] = in->ids[3 + i];
		vg_read_ids(BPF_CORE_READ(task, cred), type == VIGIL_EVENT_SETGID, e->new_ids);
		e->uid = in->ids[7];
		e->euid = in->flags;
		e->reserved = 0;
		vg_submit(e);
	}
	return 0;
}

#define VIGIL_SETID_HOOKS(name, nr, nargs)                                                         \
	SEC("tp/syscalls/sys_enter_" #name)                                                        \
	int enter_##name(struct trace_event_raw_sys_enter *ctx)                                    \
	{                                                                                          \
		return vg_setid_enter(ctx, nr, nargs);                                             \
	}                                                                                          \
	SEC("tp/syscalls/sys_exit_" #name)                                                         \
	int exit_##name(struct trace_event_raw_sys_exit *ctx)                                      \
	{                                                                                          \
		return vg_setid_exit(ctx, nr >= VIGIL_SYS_SETGID ? VIGIL_EVENT_SETGID              \
						   : VIGIL_EVENT_SETUID);                          \
	}

VIGIL_SETID_HOOKS(setuid, VIGIL_SYS_SETUID, 1)
VIGIL_SETID_HOOKS(setreuid, VIGIL_SYS_SETREUID, 2)
VIGIL_SETID_HOOKS(setresuid, VIGIL_SYS_SETRESUID, 3)
VIGIL_SETID_HOOKS(setfsuid, VIGIL_SYS_SETFSUID, 1)
VIGIL_SETID_HOOKS(setgid, VIGIL_SYS_SETGID, 1)
VIGIL_SETID_HOOKS(setregid, VIGIL_SYS_SETREGID, 2)
VIGIL_SETID_HOOKS(setresgid, VIGIL_SYS_SETRESGID, 3)
VIGIL_SETID_HOOKS(setfsgid, VIGIL_SYS_SETFSGID, 1)
