/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by every hook family: the maps (defined once in maps.bpf.c), the in-kernel
 * container filter, the per-process state, and emitting records. Layered the way the
 * programs use it: base (maps, counters) -> extract (task, cgroup) -> store (emit).
 */
#ifndef VIGIL_BPF_H
#define VIGIL_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "vigil/events.h"
#include "vigil/bpf_shared.h"

#ifndef READ_ONCE
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#endif
#ifndef WRITE_ONCE
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#endif

#include "maps.bpf.h"

/* ---- extract: task, cgroup, container classification ---- */

static __always_inline bool vg_is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

#define VG_ID_LEN 64
#define VG_ID_CHECKED 16 /* hex digits checked: with the exact length, enough to be sure */

/* name[off..] is a container id: VG_ID_CHECKED hex digits and the id's length to the end */
static __always_inline bool vg_id_at(const char *name, int len, int off)
{
	if (len != off + VG_ID_LEN && len != off + VG_ID_LEN + 6 /* ".scope" */)
		return false;
#pragma unroll
	for (int i = 0; i < VG_ID_CHECKED; i++)
		if (!vg_is_hex(name[off + i]))
			return false;
	return true;
}

static __always_inline bool vg_prefix(const char *name, const char *prefix, int len)
{
	for (int i = 0; i < len; i++)
		if (name[i] != prefix[i])
			return false;
	return true;
}

/*
 * A cgroup directory name that only a container runtime creates: docker, podman,
 * containerd, cri-o (<id>, <rt>-<id>[.scope]), lxc (lxc.payload.<name>), nspawn
 * (machine-<name>.scope). The agent does the full attribution; this only has to be right
 * about "container or not", so that the first exec of a new container is never missed.
 * Kept to fixed-length comparisons: it is verified in every program that may classify.
 */
static __always_inline bool vg_cgroup_name_is_container(const char *name, int len)
{
	if (len == VG_ID_LEN)
		return vg_id_at(name, len, 0);
	if (vg_prefix(name, "libpod-", 7) || vg_prefix(name, "docker-", 7))
		return vg_id_at(name, len, 7);
	if (vg_prefix(name, "crio-", 5))
		return vg_id_at(name, len, 5);
	if (vg_prefix(name, "cri-containerd-", 15))
		return vg_id_at(name, len, 15);
	if (vg_prefix(name, "lxc.payload.", 12))
		return true;
	if (vg_prefix(name, "machine-", 8) && len > 14 && len < VIGIL_CGNAME_MAX)
		return vg_prefix(name + ((len - 6) & (VIGIL_CGNAME_MAX - 1)), ".scope", 6);
	return false;
}

/* kernfs_node::parent became __parent in 6.15 */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *vg_kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/* The cgroup of a kernfs node, or one of its ancestors, is a container's. */
static __noinline __u32 vg_classify_kn(struct kernfs_node *kn)
{
	struct vigil_scratch *s;
	__u32 zero = 0;

	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return VIGIL_CGROUP_HOST;
	/* the container's own cgroup or an ancestor of a nested one */
	for (int depth = 0; depth < VIGIL_CGROUP_DEPTH && kn; depth++) {
		const char *name = BPF_CORE_READ(kn, name);

		long len = bpf_probe_read_kernel_str(s->cgname, VIGIL_CGNAME_MAX, name);

		if (len <= 0)
			break;
		if (vg_cgroup_name_is_container(s->cgname, len - 1))
			return VIGIL_CGROUP_CONTAINER;
		kn = vg_kn_parent(kn);
	}
	return VIGIL_CGROUP_HOST;
}

#define VG_CGPATH_MASK (VIGIL_CGROUP_PATH_MAX - 1)

/* A cgroup record's fixed part; the current task is the one that caused it. */
static __always_inline void vg_fill_cgroup_record(struct vigil_cgroup *rec, __u64 id,
						  __u32 cgroup_flags, __u32 path_len)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	rec->hdr.type = VIGIL_EVENT_CGROUP;
	rec->hdr.size = sizeof(*rec) + path_len;
	rec->hdr.flags = VIGIL_F_CONTAINER;
	rec->hdr.time_ns = bpf_ktime_get_boot_ns();
	rec->hdr.cgroup_id = id;
	rec->hdr.pid = pid_tgid >> 32;
	rec->hdr.tid = (__u32)pid_tgid;
	rec->cgroup_flags = cgroup_flags;
	rec->path_len = path_len;
	rec->reserved = 0;
}

/*
 * Sends the path of the cgroup whose kernfs node is kn (below the hierarchy's root, whose
 * own node has no parent) on cgroup_events. The names are collected leaf first, then written
 * root first. false: the ring buffer was full (counted); whoever classified then leaves the
 * class uncached, so that the next record of the cgroup tries again.
 */
static __noinline bool vg_announce_cgroup(struct kernfs_node *kn, __u64 id, __u32 cgroup_flags)
{
	struct vigil_cgroup *rec;
	struct vigil_scratch *s;
	__u32 zero = 0, off = 0, n = 0;

	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return false;
	rec = (struct vigil_cgroup *)s->cgrec;
#pragma unroll
	for (int i = 0; i < VIGIL_CGROUP_PATH_DEPTH; i++) {
		struct kernfs_node *parent = kn ? vg_kn_parent(kn) : NULL;

		if (!parent)
			break; /* the root: not part of the path */
		s->cgchain[i] = (__u64)kn;
		n = i + 1;
		kn = parent;
	}
	if (kn && n == VIGIL_CGROUP_PATH_DEPTH && vg_kn_parent(kn))
		cgroup_flags |= VIGIL_CGROUP_PATH_TRUNC; /* the top of a deeper path is left out */
#pragma unroll
	for (int i = VIGIL_CGROUP_PATH_DEPTH - 1; i >= 0; i--) {
		struct kernfs_node *node;
		long len;

		if (i >= n)
			continue;
		/* out of the record first: a CO-RE read must not relocate vigil_scratch */
		node = (struct kernfs_node *)s->cgchain[i];
		if (off > VIGIL_CGROUP_PATH_MAX - VIGIL_CGROUP_NAME_MAX - 2) {
			cgroup_flags |= VIGIL_CGROUP_PATH_TRUNC;
			break;
		}
		rec->data[off & VG_CGPATH_MASK] = '/';
		off++;
		len = bpf_probe_read_kernel_str(&rec->data[off & VG_CGPATH_MASK],
						VIGIL_CGROUP_NAME_MAX, BPF_CORE_READ(node, name));
		if (len <= 0)
			len = 1;
		if (len == VIGIL_CGROUP_NAME_MAX)
			cgroup_flags |= VIGIL_CGROUP_PATH_TRUNC;
		off += len - 1;
	}
	if (!off)
		rec->data[off++] = '/';
	rec->data[off & VG_CGPATH_MASK] = 0;
	off++;
	vg_fill_cgroup_record(rec, id, cgroup_flags, off);
	if (bpf_ringbuf_output(&cgroup_events, rec, (sizeof(*rec) + off) & 2047,
			       BPF_RB_FORCE_WAKEUP)) {
		vg_count_lost(VIGIL_EVENT_CGROUP);
		return false;
	}
	return true;
}

/*
 * Classifies a cgroup once and caches the class. A container's path is sent first: a task
 * that finds the class cached has its records reserved after that path, so the agent
 * never reads a record of a container it has not been told about.
 */
static __noinline __u32 vg_classify_cgroup_kn(struct kernfs_node *kn, __u64 id, __u32 cgroup_flags)
{
	__u32 class = vg_classify_kn(kn);

	if (class == VIGIL_CGROUP_CONTAINER && !vg_announce_cgroup(kn, id, cgroup_flags))
		return class;
	if (bpf_map_update_elem(&cgroups, &id, &class, BPF_ANY))
		vg_count_map_fail();
	return class;
}

static __always_inline struct vigil_cpu_state *vg_cpu_state(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_state, &zero);
}

/* VIGIL_CGROUP_CONTAINER or _HOST for a cgroup id: classified once, then from the map. */
static __always_inline __u32 vg_cgroup_class(__u64 cgroup_id)
{
	struct task_struct *task;
	__u32 *cached;

	cached = bpf_map_lookup_elem(&cgroups, &cgroup_id);
	if (cached)
		return *cached;
	task = (struct task_struct *)bpf_get_current_task_btf();
	return vg_classify_cgroup_kn(task->cgroups->dfl_cgrp->kn, cgroup_id, 0);
}

/*
 * The current task's cgroup: its id in *id, its class returned. Every hook asks, and the id
 * (cgroup -> kernfs node -> id) costs two cache misses a call in a storm (~60 ns here), so
 * the last cgroup of each class is kept per CPU, keyed by the struct cgroup address the task
 * points to. An address can be reused only after its cgroup is removed, and every removal
 * bumps cgroup_removals (cgroup.bpf.c): a slot filled before the last removal is not
 * trusted. The task's own cgroup is alive while it runs, so a removal after the check can't
 * concern it. A slot's address is cleared while it is rewritten: a program preempting the
 * writer on this CPU sees an empty slot, never a mix of two.
 */
static __always_inline __u32 vg_cached_cgroup(struct vigil_cpu_state *cpu, __u64 cgrp, __u64 gen,
					      __u64 *id)
{
	if (cpu) {
		if (cpu->last[1].cgrp == cgrp && cpu->last[1].gen == gen) {
			*id = cpu->last[1].id;
			return VIGIL_CGROUP_CONTAINER;
		}
		if (cpu->last[0].cgrp == cgrp && cpu->last[0].gen == gen) {
			*id = cpu->last[0].id;
			return VIGIL_CGROUP_HOST;
		}
	}
	return 0;
}

/* The current task's cgroup id alone, never classified: from the cache, else the kernel. */
static __always_inline __u64 vg_current_cgroup_id(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	__u64 id;

	if (!vg_cached_cgroup(vg_cpu_state(), (__u64)task->cgroups->dfl_cgrp, cgroup_removals, &id))
		id = bpf_get_current_cgroup_id();
	return id;
}

static __always_inline __u32 vg_current_cgroup(__u64 *id)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vigil_cpu_state *cpu = vg_cpu_state();
	__u64 cgrp = (__u64)task->cgroups->dfl_cgrp;
	__u64 gen = cgroup_removals;
	struct vigil_cgroup_slot *slot;
	__u32 class;

	class = vg_cached_cgroup(cpu, cgrp, gen, id);
	if (class)
		return class;
	*id = bpf_get_current_cgroup_id();
	class = vg_cgroup_class(*id);
	if (cpu && cgrp) {
		slot = &cpu->last[class == VIGIL_CGROUP_CONTAINER];
		WRITE_ONCE(slot->cgrp, 0);
		WRITE_ONCE(slot->id, *id);
		WRITE_ONCE(slot->gen, gen);
		WRITE_ONCE(slot->cgrp, cgrp);
	}
	return class;
}

/*
 * What the hooks ask first: is the current task one to report? Fills the header fields
 * every record shares. Host tasks cost one map lookup and are gone.
 */
struct vg_ctx {
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	__u32 flags;
};

static __always_inline bool vg_want_current(struct vg_ctx *c)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	c->pid = pid_tgid >> 32;
	c->tid = (__u32)pid_tgid;
	if (c->pid == self_tgid)
		return false;
	c->flags = 0;
	if (vg_current_cgroup(&c->cgroup_id) == VIGIL_CGROUP_CONTAINER)
		c->flags |= VIGIL_F_CONTAINER;
	else if (!want_host)
		return false;
	return true;
}

/*
 * A container process that has not exec'd inside its container since it got there is the
 * runtime's set-up work (runc init and its helpers): it joined the cgroup from outside.
 */
static __always_inline void vg_mark_setup(struct vg_ctx *c, struct task_struct *task)
{
	struct vigil_proc_state *st;

	if (!(c->flags & VIGIL_F_CONTAINER))
		return;
	st = bpf_map_lookup_elem(&procs, &c->pid);
	if (!st || st->start_time != BPF_CORE_READ(task, group_leader, start_time) ||
	    !(st->flags & VIGIL_PROC_EXECED))
		c->flags |= VIGIL_F_SETUP;
}

/* vg_mark_setup, skipped where the task is known past set-up in this cgroup (*known). */
static __always_inline void vg_mark_setup_cached(struct vg_ctx *c, struct task_struct *task,
						 __u64 *known)
{
	if (!(c->flags & VIGIL_F_CONTAINER) || *known == c->cgroup_id)
		return;
	vg_mark_setup(c, task);
	/* past set-up once is past set-up for good */
	if (!(c->flags & VIGIL_F_SETUP))
		*known = c->cgroup_id;
}

static __always_inline void vg_fill_header(struct vigil_event_header *h, __u16 type, __u16 size,
					   const struct vg_ctx *c)
{
	h->type = type;
	h->size = size;
	h->flags = c->flags;
	h->time_ns = bpf_ktime_get_boot_ns();
	h->cgroup_id = c->cgroup_id;
	h->pid = c->pid;
	h->tid = c->tid;
}

/* ---- store: into the ring buffer ---- */

/* Wake the agent only once enough is pending; it also polls on a short timer. */
static __always_inline __u64 vg_wakeup_flag(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP
									      : BPF_RB_NO_WAKEUP;
}

/* Records that raise no alert by themselves: shed first when the ring fills. */
static __always_inline bool vg_type_bookkeeping(__u32 type)
{
	return type == VIGIL_EVENT_FORK || type == VIGIL_EVENT_EXIT;
}

static __always_inline void vg_count_shed(__u32 type, __u64 cgroup_id, __u32 hdr_flags)
{
	struct vigil_shed_key key = { .cgroup_id = cgroup_id, .type = type,
				      .setup = !!(hdr_flags & VIGIL_F_SETUP) };
	__u64 one = 1, *count;

	count = bpf_map_lookup_elem(&shed, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else if (bpf_map_update_elem(&shed, &key, &one, BPF_NOEXIST))
		vg_count_map_fail();
}

/*
 * Flood headroom (vigil/bpf_shared.h). Below half full, everything goes (one query of the
 * ring, nothing more). Above, each cgroup spends a budget (GCRA: its theoretical arrival
 * time advances by the record's cost, and a record more than a burst ahead of now is shed).
 * The time is updated without a lock: concurrent records of one cgroup may both pass.
 */
static __always_inline bool vg_admit(__u32 type, __u32 size, __u64 cgroup_id, __u32 hdr_flags,
				     __u64 pending)
{
	__u64 now, t, *tat;

	if (pending < shed_half_bytes)
		return true;
	if (hdr_flags & VIGIL_F_SETUP)
		goto shed;
	if (vg_type_bookkeeping(type) && pending >= shed_half_bytes + shed_half_bytes / 2)
		goto shed;
	now = bpf_ktime_get_ns();
	tat = bpf_map_lookup_elem(&budgets, &cgroup_id);
	if (!tat) {
		t = now + ((size * budget_ns_per_kib) >> 10);
		bpf_map_update_elem(&budgets, &cgroup_id, &t, BPF_ANY);
		return true;
	}
	t = *tat > now ? *tat : now;
	if (t - now > budget_burst_ns)
		goto shed;
	*tat = t + ((size * budget_ns_per_kib) >> 10);
	return true;
shed:
	vg_count_shed(type, cgroup_id, hdr_flags);
	return false;
}

/* A fixed-size record for the task c describes (its header still to be filled). */
static __always_inline void *vg_reserve(__u32 type, __u32 size, const struct vg_ctx *c)
{
	void *rec;

	if (!vg_admit(type, size, c->cgroup_id, c->flags,
		      bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA)))
		return NULL;
	rec = bpf_ringbuf_reserve(&events, size, 0);
	if (!rec)
		vg_count_lost(type);
	return rec;
}

static __always_inline void vg_submit(void *rec)
{
	bpf_ringbuf_submit(rec, vg_wakeup_flag());
}

/*
 * Variable-size records, built in the per-CPU scratch buffer or the task's slot, copied once.
 * false: the ring buffer was full (counted).
 */
static __always_inline bool vg_output(void *rec, __u32 size)
{
	struct vigil_event_header *h = rec;
	__u64 pending;

	if (size > VIGIL_EVENT_MAX_SIZE)
		size = VIGIL_EVENT_MAX_SIZE;
	h->size = size;
	/* one query of the fill serves the admission and the wake-up */
	pending = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	if (!vg_admit(h->type, size, h->cgroup_id, h->flags, pending))
		return false;
	if (bpf_ringbuf_output(&events, rec, size,
			       pending + size >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP
							       : BPF_RB_NO_WAKEUP)) {
		vg_count_lost(h->type);
		return false;
	}
	return true;
}

/*
 * Alerts only: a record whose key (cgroup, destination or path...) was sent already is
 * counted in `seen` instead of sent; the agent takes the counts as the alert's repeats. The
 * key goes in only after the record is in the ring buffer, so the agent never holds a count
 * for a record it has not got; a full map just means sending.
 */
static __always_inline bool vg_output_or_count(void *seen, const void *key, void *rec,
					       __u32 size)
{
	__u64 zero = 0, *count;

	count = bpf_map_lookup_elem(seen, key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return true;
	}
	if (!vg_output(rec, size)) /* lost: the next one goes out */
		return false;
	return !bpf_map_update_elem(seen, key, &zero, BPF_NOEXIST);
}

/* n repeats of a key whose record was sent: added to its count, or entered with them. */
static __always_inline void vg_seen_add(void *seen, const void *key, __u64 n)
{
	__u64 *count = bpf_map_lookup_elem(seen, key);

	if (!count && !bpf_map_update_elem(seen, key, &n, BPF_NOEXIST))
		return;
	if (!count)
		count = bpf_map_lookup_elem(seen, key); /* entered meanwhile */
	if (count)
		__sync_fetch_and_add(count, n);
	else
		vg_count_map_fail();
}

static __always_inline struct vigil_scratch *vg_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

/* ---- task helpers ---- */

static __always_inline __u32 vg_task_vpid(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up;

	bpf_probe_read_kernel(&up, sizeof(up), &pid->numbers[level & 31]);
	return up.nr;
}

/*
 * The file at fd of the current task, or NULL. Loads through the task are direct (BTF
 * pointers: no helper call per hop); the fd array entry needs a probe read.
 */
static __always_inline struct file *vg_fd_file(struct task_struct *task, int fd)
{
	struct fdtable *fdt = task->files->fdt;
	struct file *file = NULL;
	struct file **fds;

	if (fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return NULL;
	fds = fdt->fd;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd & 0xfffff]);
	return file;
}

/* The mount a file lies on, from fd. */
static __always_inline struct vfsmount *vg_fd_mnt(struct task_struct *task, int fd)
{
	struct file *file = vg_fd_file(task, fd);

	return file ? BPF_CORE_READ(file, f_path.mnt) : NULL;
}

static __always_inline struct vfsmount *vg_root_mnt(struct task_struct *task)
{
	return task->fs->root.mnt;
}

static __always_inline struct vfsmount *vg_pwd_mnt(struct task_struct *task)
{
	return task->fs->pwd.mnt;
}

/*
 * An exit must learn whether its entry armed anything, and the per-task lookup that answers
 * costs more than all the rest for the calls that report nothing (host tasks, connects of a
 * family not reported). So each entry first notes, per CPU, a stamp of the calling thread and
 * its context-switch count; arming clears it. An exit that finds its own stamp has not left
 * the CPU since that entry, so the note is its own call's: nothing armed, no lookup. A stamp
 * of an older call can't match (a thread that left and came back has switched, and the count
 * only grows); one stored 64-bit word, so a program preempting another can't mix two stamps.
 * Anything else takes the per-task lookup.
 */
static __always_inline __u64 vg_call_stamp(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();

	return (__u64)(__u32)bpf_get_current_pid_tgid() << 32 |
	       (__u32)(task->nvcsw + task->nivcsw);
}

/* First thing in every system call entry program. */
static __always_inline void vg_call_enter(void)
{
	struct vigil_cpu_state *cpu = vg_cpu_state();

	if (cpu)
		cpu->unarmed_call = vg_call_stamp();
}

/*
 * Entry, for a task vg_want_current() accepted: its slot, filled in by the caller and armed
 * by vg_inflight_save(); NULL if storage fails (counted). The slot says nothing to an exit
 * until it is armed, so an entry that gives up half way leaves nothing behind.
 */
static __always_inline struct vigil_inflight *vg_inflight_slot(__u32 syscall, struct vg_ctx *c)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vigil_inflight *in;

	in = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!in) {
		vg_count_map_fail();
		return NULL;
	}
	in->type = 0;
	vg_mark_setup_cached(c, task, &in->past_setup_cgroup);
	in->cgroup_id = c->cgroup_id;
	in->hdr_flags = c->flags;
	in->syscall = syscall;
	in->flags = 0;
	return in;
}

/* The same for a task not yet asked about (vg_want_current). */
static __always_inline struct vigil_inflight *vg_inflight_begin(__u32 syscall, struct vg_ctx *c)
{
	if (!vg_want_current(c))
		return NULL;
	return vg_inflight_slot(syscall, c);
}

/* Armed: the exit of this call reports a record of `type`. */
static __always_inline void vg_inflight_save(struct vigil_inflight *in, __u32 type)
{
	struct vigil_cpu_state *cpu = vg_cpu_state();

	in->type = type;
	if (cpu)
		cpu->unarmed_call = 0;
}

/*
 * Exit: what this task's entry of a `type` call saved, disarmed, with *c as the entry
 * decided it (an armed slot proves the task is one to report). NULL: nothing to report.
 */
static __always_inline struct vigil_inflight *vg_inflight_find(__u32 type, struct vg_ctx *c)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct vigil_cpu_state *cpu = vg_cpu_state();
	struct vigil_inflight *in;

	if (cpu && cpu->unarmed_call == vg_call_stamp()) {
		cpu->unarmed_call = 0;
		return NULL; /* this call's entry armed nothing */
	}
	in = bpf_task_storage_get(&inflight, (struct task_struct *)bpf_get_current_task_btf(), 0,
				  0);
	if (!in || in->type != type)
		return NULL;
	in->type = 0;
	c->pid = pid_tgid >> 32;
	c->tid = (__u32)pid_tgid;
	c->cgroup_id = in->cgroup_id;
	c->flags = in->hdr_flags;
	return in;
}

#endif
