// SPDX-License-Identifier: GPL-2.0
/*
 * --syscalls: the set of system calls each container cgroup makes, kept in the kernel as a
 * bitmap the agent reads every few seconds, never as an event per call. This runs on every
 * system call of every process on the host, so it does the least it can: the cgroup's class
 * from the per-CPU cache of the last ones seen (the shared class map on a change of cgroup), and
 * for a container one hash lookup, a test, and an atomic OR only the first time a number is
 * seen in that cgroup. The agent itself is a host process: no check of its pid is needed.
 */
#include "vigil.bpf.h"

SEC("raw_tp/sys_enter")
int BPF_PROG(handle_sys_enter, struct pt_regs *regs, long id)
{
	struct vigil_syscall_set *set;
	__u64 cgroup_id, *word, bit;

	if ((unsigned long)id >= VIGIL_SYSCALL_BITS)
		return 0;
	if (vg_current_cgroup(&cgroup_id) != VIGIL_CGROUP_CONTAINER)
		return 0;
	set = bpf_map_lookup_elem(&syscall_sets, &cgroup_id);
	if (!set) {
		struct vigil_syscall_set empty = {};

		/* NOEXIST: another CPU may have added it meanwhile; then use that one */
		bpf_map_update_elem(&syscall_sets, &cgroup_id, &empty, BPF_NOEXIST);
		set = bpf_map_lookup_elem(&syscall_sets, &cgroup_id);
		if (!set) {
			vg_count_map_fail();
			return 0;
		}
	}
	word = &set->bits[(id >> 6) & (VIGIL_SYSCALL_WORDS - 1)];
	bit = 1ULL << (id & 63);
	/* a plain read first: the locked OR would bounce the cache line between CPUs */
	if (!(*word & bit))
		__sync_fetch_and_or(word, bit);
	return 0;
}
