// SPDX-License-Identifier: GPL-2.0
/* Capability checks: which capability, granted or not, and whether it was a real use. */
#include "vigil.bpf.h"

/*
 * The tracepoint has no "audited" argument, so who called cap_capable tells: frames [trace
 * glue..., cap_capable, caller, ...], the glue's depth varying with the kernel. A caller in a
 * no-audit range (ns_capable_noaudit ...) is a probe, not a use; security_vm_enough_memory_mm's
 * check on every exec and mmap is noise. Neither calls a capability check of its own, so
 * finding one anywhere in the first frames is enough. The fexit and kprobe hooks have the
 * check's options too (noaudit true: CAP_OPT_NOAUDIT), and their glue frames differ: they walk
 * from the first frame (no glue frame lies in a range looked for).
 */
static __always_inline __u32 vg_cap_walk(void *ctx, struct vigil_scratch *s, int first)
{
	long n = bpf_get_stack(ctx, s->stack, sizeof(s->stack), 0);
	__u32 flags = VIGIL_CAP_AUDITED;

	if (n <= 0)
		return flags;
	for (int i = 0; i < VIGIL_STACK_DEPTH; i++) {
		__u64 ip;

		if (i < first)
			continue;
		if (i * 8 >= n)
			break;
		ip = s->stack[i];
		if (ip >= noise_lo && ip < noise_hi)
			return VIGIL_CAP_NOISE;
		for (int r = 0; r < VIGIL_NOAUDIT_MAX; r++) {
			if (r >= n_noaudit)
				break;
			if (ip >= noaudit_lo[r] && ip < noaudit_hi[r])
				return 0;
		}
	}
	return flags;
}

/*
 * The option applied after the walk: a flag unknown to the verifier carried through the
 * walk's loops doubles the states it explores (6.12 gave up: E2BIG).
 */
static __always_inline __u32 vg_cap_classify(void *ctx, struct vigil_scratch *s, int first,
					     bool noaudit)
{
	__u32 flags = vg_cap_walk(ctx, s, first);

	return noaudit ? flags & ~VIGIL_CAP_AUDITED : flags;
}

#define VG_CAP_SYS_ADMIN 21

/*
 * security_vm_enough_memory_mm's CAP_SYS_ADMIN check (noise: one per accounted mapping, ~11
 * per fork+exec) told apart by the system call the task is in, without the stack walk: only
 * mmap, brk, mremap, mprotect and execve(at) make it and none of them checks CAP_SYS_ADMIN for
 * anything else. clone/fork make it too (copying the mappings) but also check CAP_SYS_ADMIN
 * for new namespaces: those keep the walk. Other architectures keep the walk everywhere.
 */
static __always_inline bool vg_cap_in_memory_call(struct task_struct *task, int cap)
{
#if defined(__TARGET_ARCH_x86)
	struct pt_regs *regs;
	long nr;

	if (cap != VG_CAP_SYS_ADMIN)
		return false;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	if (!regs)
		return false;
	nr = BPF_CORE_READ(regs, orig_ax);
	/* x86_64: mmap 9, mprotect 10, brk 12, mremap 25, execve 59, execveat 322 */
	return nr == 9 || nr == 10 || nr == 12 || nr == 25 || nr == 59 || nr == 322;
#else
	return false;
#endif
}

/* Nothing more can come of (cap, ret) for this task: remembered in its cache. */
static __always_inline void vg_cap_done(struct vigil_task_caps *tc, int cap, int ret)
{
	if (tc && cap >= 0 && cap < 64)
		tc->done[ret != 0] |= 1ULL << cap;
}

/*
 * Per task, what it has answered already: "nothing new" before any other lookup. Only
 * reported tasks have the cache; it holds for the cgroup it was filled in, and exec (the one
 * way out of set-up) empties it. Nothing here classifies the cgroup: vg_want_current, the
 * one place that does, is then reached from one state only (the verifier walks the
 * classification again for each; 6.12's gave up at a million instructions).
 */
static __always_inline bool vg_cap_answered(struct task_struct *task, int cap, int ret)
{
	struct vigil_task_caps *tc = bpf_task_storage_get(&task_caps, task, 0, 0);

	if (!tc || cap < 0 || cap >= 64 || !(tc->done[ret != 0] & (1ULL << cap)))
		return false;
	return tc->cgroup_id == vg_current_cgroup_id();
}

/*
 * vg_want_current as a global function: the verifier checks it once, alone, instead of once
 * for every state a capability hook reaches it in (the classification inside is long, and
 * 6.12's verifier gave up at a million instructions). c is written in full.
 */
__noinline int vg_cap_want_current(struct vg_ctx *c)
{
	if (!c)
		return 0;
	return vg_want_current(c);
}

/* How a hook knows whether the check was audited. */
#define VG_CAP_WALK_TP 2 /* walk the stack from the tracepoint's frame 2 */
#define VG_CAP_WALK_ALL 0 /* walk it all (fexit); the no-audit option is known too */
#define VG_CAP_KNOWN -1 /* classified already (at the kprobe's entry): `known` */

/*
 * One capability check, whichever hook saw it (tracepoint, fexit or kprobe + kretprobe: the
 * loader attaches one): what is reported and when is the same.
 */
static __always_inline int vg_cap_check(void *ctx, const struct cred *cred, int cap, int ret,
					int walk, bool noaudit, __u32 known)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vigil_task_caps *tc = NULL;
	__u64 no_cache = 0, *seen = NULL;
	struct vigil_capable *e;
	struct vigil_scratch *s;
	struct vigil_cap_key key;
	struct vg_ctx c = {};
	__u32 flags;

	/*
	 * A check on credentials other than the task's own is the kernel acting for someone
	 * else: overlayfs copy-up and xattr work override the subjective credentials with the
	 * mounter's, which then differ from the task's own (real_cred). A compare, so first.
	 */
	if (cred != task->real_cred)
		return 0;
	if (vg_cap_in_memory_call(task, cap))
		return 0; /* never a use, whoever the task: nothing to remember either */
	if (cap_dedup && vg_cap_answered(task, cap, ret))
		return 0;
	if (!vg_cap_want_current(&c))
		return 0;
	if (cap_dedup) {
		tc = bpf_task_storage_get(&task_caps, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (tc) {
			vg_mark_setup_cached(&c, task, &tc->past_setup_cgroup);
			if (tc->cgroup_id != c.cgroup_id || tc->hdr_flags != c.flags) {
				tc->cgroup_id = c.cgroup_id;
				tc->hdr_flags = c.flags;
				tc->done[0] = tc->done[1] = 0;
			}
			if (cap >= 0 && cap < 64 && (tc->done[ret != 0] & (1ULL << cap)))
				return 0;
		} else {
			vg_mark_setup_cached(&c, task, &no_cache);
		}
		key.start_time = BPF_CORE_READ(task, group_leader, start_time);
		key.pid = c.pid;
		key.cap = cap;
		key.ret = ret;
		key.hdr_flags = c.flags;
		seen = bpf_map_lookup_elem(&caps_seen, &key);
		/*
		 * Out before the costly stack walk when nothing new can come of it: a use was
		 * already reported for this process, capability and result (a chown storm), or
		 * a denied check was already seen (denials are no use; the exec/mmap memory
		 * check repeats one for every mapping of a process without CAP_SYS_ADMIN).
		 */
		if (seen && ((*seen & VIGIL_CAP_AUDITED) || ret != 0)) {
			vg_cap_done(tc, cap, ret);
			return 0;
		}
	} else {
		vg_mark_setup_cached(&c, task, &no_cache);
	}
	if (walk == VG_CAP_KNOWN) {
		flags = known;
	} else {
		s = vg_scratch();
		if (!s)
			return 0;
		flags = vg_cap_classify(ctx, s, walk, noaudit);
	}
	if (flags & VIGIL_CAP_NOISE) {
		/* never a use; remembered so that the next denied one leaves early */
		if (cap_dedup && ret != 0) {
			__u64 kind = VIGIL_CAP_NOISE;

			if (!seen)
				bpf_map_update_elem(&caps_seen, &key, &kind, BPF_NOEXIST);
			vg_cap_done(tc, cap, ret);
		}
		return 0;
	}
	if (cap_dedup) {
		/* the kinds already reported: an audited use, a non-audited probe */
		__u64 kind = flags & VIGIL_CAP_AUDITED ? VIGIL_CAP_AUDITED : VIGIL_CAP_NOISE << 1;

		if (seen) {
			if (*seen & kind)
				return 0;
			__sync_fetch_and_or(seen, kind);
		} else if (bpf_map_update_elem(&caps_seen, &key, &kind, BPF_NOEXIST)) {
			vg_count_map_fail();
		}
		if (kind == VIGIL_CAP_AUDITED)
			vg_cap_done(tc, cap, ret);
	}
	e = vg_reserve(VIGIL_EVENT_CAPABLE, sizeof(*e), &c);
	if (!e)
		return 0;
	vg_fill_header(&e->hdr, VIGIL_EVENT_CAPABLE, sizeof(*e), &c);
	e->cap = cap;
	e->ret = ret;
	e->cap_flags = flags;
	e->uid = BPF_CORE_READ(cred, uid.val);
	e->euid = BPF_CORE_READ(cred, euid.val);
	e->reserved = 0;
	vg_submit(e);
	return 0;
}

/* The best hook: the tracepoint, where the kernel has it (6.14 or later). */
SEC("tp_btf/cap_capable")
int BPF_PROG(handle_capable, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	return vg_cap_check(ctx, cred, cap, ret, VG_CAP_WALK_TP, false, 0);
}

#define VG_CAP_OPT_NOAUDIT (1u << 1) /* include/linux/security.h */

/* Else fexit: the arguments and the result at once (cap_capable(cred, ns, cap, opts)). */
SEC("fexit/cap_capable")
int BPF_PROG(handle_capable_fexit, const struct cred *cred, struct user_namespace *target_ns,
	     int cap, unsigned int opts, int ret)
{
	return vg_cap_check(ctx, cred, cap, ret, VG_CAP_WALK_ALL, opts & VG_CAP_OPT_NOAUDIT, 0);
}

/*
 * Else a kprobe and a kretprobe: the entry keeps what the return needs (the stack is walked
 * there, where it is cap_capable's), per thread. LRU: a return never seen (kretprobe
 * instances run out) can't fill it.
 */
struct vg_cap_pending {
	__u64 cred;
	__s32 cap;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct vg_cap_pending);
} cap_pending SEC(".maps");

SEC("kprobe/cap_capable")
int BPF_KPROBE(handle_capable_entry, const struct cred *cred, struct user_namespace *target_ns,
	       int cap, unsigned int opts)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vg_cap_pending p;
	struct vigil_scratch *s;
	struct vg_ctx c = {};

	/* the return repeats these; here they spare the walk */
	if ((__u64)cred != (__u64)task->real_cred || vg_cap_in_memory_call(task, cap) ||
	    !vg_cap_want_current(&c))
		return 0;
	s = vg_scratch();
	if (!s)
		return 0;
	p.cred = (__u64)cred;
	p.cap = cap;
	p.flags = vg_cap_classify(ctx, s, VG_CAP_WALK_ALL, opts & VG_CAP_OPT_NOAUDIT);
	if (bpf_map_update_elem(&cap_pending, &tid, &p, BPF_ANY))
		vg_count_map_fail();
	return 0;
}

SEC("kretprobe/cap_capable")
int BPF_KRETPROBE(handle_capable_return, int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct vg_cap_pending *p = bpf_map_lookup_elem(&cap_pending, &tid);
	struct vg_cap_pending saved;

	if (!p)
		return 0;
	saved = *p;
	bpf_map_delete_elem(&cap_pending, &tid);
	return vg_cap_check(ctx, (const struct cred *)saved.cred, saved.cap, ret, VG_CAP_KNOWN,
			    false, saved.flags);
}
