/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps and knobs every hook family shares (defined once, in maps.bpf.c, and declared
 * everywhere else), and the counters of what went wrong. Included by vigil.bpf.h.
 */
#ifndef VIGIL_MAPS_BPF_H
#define VIGIL_MAPS_BPF_H

/* ---- base: maps and knobs (set before load by the agent) ---- */

/* maps.bpf.c defines what every other file declares */
#ifdef VIGIL_DEFINE_MAPS
#define VIGIL_MAP(def, name) struct def name SEC(".maps")
#define VIGIL_KNOB(type, name, init) const volatile type name = init
#else
#define VIGIL_MAP(def, name) extern struct def name SEC(".maps")
#define VIGIL_KNOB(type, name, init) extern const volatile type name
#endif

VIGIL_KNOB(bool, want_host, false); /* --host: every process, not only containers */
VIGIL_KNOB(__u32, self_tgid, 0); /* the agent itself is never reported */
VIGIL_KNOB(__u64, wakeup_bytes, 256 * 1024); /* wake the agent once this much is pending */
VIGIL_KNOB(bool, cap_dedup, true); /* report a (process, capability, result) once */
/* neither --events nor --record: only what can raise an alert needs to reach the agent */
VIGIL_KNOB(bool, alerts_only, false);
/* callers of cap_capable that check without auditing: [lo, hi) address ranges */
VIGIL_KNOB(__u64, noaudit_lo[VIGIL_NOAUDIT_MAX], {});
VIGIL_KNOB(__u64, noaudit_hi[VIGIL_NOAUDIT_MAX], {});
VIGIL_KNOB(__u32, n_noaudit, 0);
/* flood headroom (vigil/bpf_shared.h): set by the loader from the ring's size */
VIGIL_KNOB(__u64, shed_half_bytes, ~0ULL); /* half the event ring */
VIGIL_KNOB(__u64, budget_ns_per_kib, 0); /* a cgroup's budget: time a KiB costs */
VIGIL_KNOB(__u64, budget_burst_ns, 0);
VIGIL_KNOB(__u64, noise_lo, 0); /* security_vm_enough_memory_mm: never a use */
VIGIL_KNOB(__u64, noise_hi, 0);

/*
 * cgroup_removals: cgroups removed since load (cgroup.bpf.c), guards the per-CPU cgroup
 * cache. policy_epoch: bumped by the agent when a policy is put in force; what the kernel
 * cached under the one before (send slots, the allowed-directory cache) is not trusted.
 */
#ifdef VIGIL_DEFINE_MAPS
volatile __u64 cgroup_removals;
volatile __u64 policy_epoch;
#else
extern volatile __u64 cgroup_removals;
extern volatile __u64 policy_epoch;
#endif

#define VIGIL_RINGBUF_MAP                                                                          \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                                                \
		__uint(max_entries, 8 << 20);                                                      \
	}
VIGIL_MAP(VIGIL_RINGBUF_MAP, events);

/*
 * Container cgroups' paths (struct vigil_cgroup), apart from the events: few and small, each
 * wakes the agent at once, and the agent reads them ahead of the events' backlog, so that a
 * container's identity is read while its runtime state still exists.
 */
#define VIGIL_CGROUP_RINGBUF_MAP                                                                   \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                                                \
		__uint(max_entries, 256 << 10);                                                    \
	}
VIGIL_MAP(VIGIL_CGROUP_RINGBUF_MAP, cgroup_events);

#define VIGIL_COUNTERS_MAP                                                                         \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct vigil_counters);                                              \
	}
VIGIL_MAP(VIGIL_COUNTERS_MAP, counters);

#define VIGIL_SCRATCH_MAP                                                                          \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct vigil_scratch);                                               \
	}
VIGIL_MAP(VIGIL_SCRATCH_MAP, scratch);

/* cgroup id -> VIGIL_CGROUP_*: classified once, on first sight, in the kernel */
#define VIGIL_CGROUPS_MAP                                                                          \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, 16384);                                                        \
		__type(key, __u64);                                                                \
		__type(value, __u32);                                                              \
	}
VIGIL_MAP(VIGIL_CGROUPS_MAP, cgroups);

/* tgid -> state of a process in a container (or of every process with --host) */
#define VIGIL_PROCS_MAP                                                                            \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, VIGIL_PROCS_MAX);                                              \
		__type(key, __u32);                                                                \
		__type(value, struct vigil_proc_state);                                            \
	}
VIGIL_MAP(VIGIL_PROCS_MAP, procs);

/*
 * Per task: what a system call's entry saw, for its exit (task-local storage: no insert or
 * delete per call, unlike a tid-keyed hash). Created only for tasks that are reported.
 */
#define VIGIL_INFLIGHT_MAP                                                                         \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_TASK_STORAGE);                                           \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__type(key, int);                                                                  \
		__type(value, struct vigil_inflight);                                              \
	}
VIGIL_MAP(VIGIL_INFLIGHT_MAP, inflight);

#define VIGIL_CONNECT_SEEN_MAP                                                                     \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, VIGIL_CONNECT_SEEN_MAX);                                       \
		__type(key, struct vigil_connect_key);                                             \
		__type(value, __u64);                                                              \
	}
VIGIL_MAP(VIGIL_CONNECT_SEEN_MAP, connect_seen);

/* one struct vigil_send_slot per possible CPU (the loader sizes it), mapped by the agent */
#define VIGIL_SEND_SLOTS_MAP                                                                       \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_ARRAY);                                                  \
		__uint(map_flags, BPF_F_MMAPABLE);                                                 \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct vigil_send_slot);                                             \
	}
VIGIL_MAP(VIGIL_SEND_SLOTS_MAP, send_slots);

/* the runtime sockets' identities (struct vigil_sock_id), set by the agent */
#define VIGIL_SOCK_IDS_MAP                                                                         \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, VIGIL_SOCK_IDS_MAX);                                           \
		__type(key, struct vigil_sock_id);                                                 \
		__type(value, __u32);                                                              \
	}
VIGIL_MAP(VIGIL_SOCK_IDS_MAP, sock_ids);

#define VIGIL_WRITE_SEEN_MAP                                                                       \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_HASH);                                                   \
		__uint(max_entries, VIGIL_WRITE_SEEN_MAX);                                         \
		__type(key, struct vigil_write_key);                                               \
		__type(value, __u64);                                                              \
	}
VIGIL_MAP(VIGIL_WRITE_SEEN_MAP, write_seen);

/*
 * Cgroups that made a symlink: their name changes (rename, unlink, mkdir, link) are all sent,
 * none judged in the kernel, since a name through a link they made (`ln -s /etc /tmp/e`,
 * then /tmp/e/passwd) only looks allowed; the agent sees through the links it was told of.
 */
#define VIGIL_SYMLINK_CGROUPS_MAP                                                                  \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, 4096);                                                         \
		__type(key, __u64);                                                                \
		__type(value, __u8);                                                               \
	}
VIGIL_MAP(VIGIL_SYMLINK_CGROUPS_MAP, symlink_cgroups);

/* Per task: the capability checks it has answered already (a cache in front of caps_seen) */
#define VIGIL_TASK_CAPS_MAP                                                                        \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_TASK_STORAGE);                                           \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__type(key, int);                                                                  \
		__type(value, struct vigil_task_caps);                                             \
	}
VIGIL_MAP(VIGIL_TASK_CAPS_MAP, task_caps);

/*
 * Without --events or --record, writes that cannot alert are dropped in the kernel: the
 * paths every policy entry allows (set by the agent at start and on reload).
 */
#define VIGIL_WRITE_FILTER_MAP                                                                     \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_ARRAY);                                                  \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct vigil_write_filter);                                          \
	}
VIGIL_MAP(VIGIL_WRITE_FILTER_MAP, write_filter);

/* (process, capability, result) already reported */
#define VIGIL_CAPS_SEEN_MAP                                                                        \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, 16384);                                                        \
		__type(key, struct vigil_cap_key);                                                 \
		__type(value, __u64);                                                              \
	}
VIGIL_MAP(VIGIL_CAPS_SEEN_MAP, caps_seen);

/*
 * cgroup id -> system calls made in it. Only --syscalls loads the program that fills it; the
 * loader then sizes it to VIGIL_SYSCALL_CGROUPS_MAX, so unused it costs one entry.
 */
#define VIGIL_SYSCALL_SETS_MAP                                                                     \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, 1);                                                            \
		__type(key, __u64);                                                                \
		__type(value, struct vigil_syscall_set);                                           \
	}
VIGIL_MAP(VIGIL_SYSCALL_SETS_MAP, syscall_sets);

/* cgroup id -> the budget's theoretical arrival time (ns): consulted past half full only */
#define VIGIL_BUDGETS_MAP                                                                          \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, VIGIL_SHED_MAX);                                               \
		__type(key, __u64);                                                                \
		__type(value, __u64);                                                              \
	}
VIGIL_MAP(VIGIL_BUDGETS_MAP, budgets);

/* (cgroup, type) -> records shed; the agent takes (reads and deletes) them */
#define VIGIL_SHED_MAP                                                                             \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, VIGIL_SHED_MAX);                                               \
		__type(key, struct vigil_shed_key);                                                \
		__type(value, __u64);                                                              \
	}
VIGIL_MAP(VIGIL_SHED_MAP, shed);

/* per CPU: the cgroup-class cache (storms skip the hash lookup) and vg_call_stamp() */
#define VIGIL_CPU_STATE_MAP                                                                      \
	{                                                                                          \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, 1);                                                            \
		__type(key, __u32);                                                                \
		__type(value, struct vigil_cpu_state);                                           \
	}
VIGIL_MAP(VIGIL_CPU_STATE_MAP, cpu_state);

static __always_inline struct vigil_counters *vg_counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

static __always_inline void vg_count_lost(__u32 type)
{
	struct vigil_counters *c = vg_counters();

	if (c && type < VIGIL_EVENT_TYPE_MAX)
		c->lost[type]++;
}

static __always_inline void vg_count_map_fail(void)
{
	struct vigil_counters *c = vg_counters();

	if (c)
		c->map_fail++;
}

#endif /* VIGIL_MAPS_BPF_H */
