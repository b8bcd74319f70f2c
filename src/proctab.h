/* SPDX-License-Identifier: GPL-2.0 */
/* The process table: what the agent knows of each live process, built from events only. */
#ifndef VIGIL_PROCTAB_H
#define VIGIL_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define VG_PROC_SETUP (1u << 0) /* the runtime's set-up work, not the container's own */
#define VG_PROC_EXITED (1u << 1)
#define VG_PROC_SNAPSHOT (1u << 2) /* known from the start-up walk, not from its exec */

/* A process is keyed by pid + start_time, so a reused pid never mixes two processes. */
struct vg_process {
	__u32 pid;
	__u64 start_time;
	__u32 vpid;
	__u32 ppid;
	__u64 parent_start_time;
	__u32 uid, euid, gid, egid;
	__u64 cgroup_id;
	char comm[16];
	char *exe; /* NULL until an exec was seen */
	char *args; /* argv block, NUL separated */
	unsigned int args_len;
	unsigned int argc;
	bool args_truncated;
	unsigned int flags; /* VG_PROC_* */
};

struct vg_proctab;
struct vg_event;

struct vg_proctab *vg_proctab_new(size_t max_entries);
void vg_proctab_free(struct vg_proctab *t);

/*
 * Applies an event: exec/fork create or refresh an entry, setuid/setgid update ids,
 * exit marks the process exited (it is dropped after its last event has been reported).
 * Returns the process the event belongs to (NULL if unknown).
 */
const struct vg_process *vg_proctab_apply(struct vg_proctab *t, const struct vg_event *ev);
const struct vg_process *vg_proctab_get(const struct vg_proctab *t, __u32 pid);
const struct vg_process *vg_proctab_parent(const struct vg_proctab *t, const struct vg_process *p);
size_t vg_proctab_count(const struct vg_proctab *t);
/* Calls fn for every process in the table (exited ones not yet reaped included). */
void vg_proctab_for_each(const struct vg_proctab *t,
			 void (*fn)(void *ctx, const struct vg_process *p), void *ctx);
/* Drops exited processes; called after each batch of events. */
void vg_proctab_reap(struct vg_proctab *t);

#endif
