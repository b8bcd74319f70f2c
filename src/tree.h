/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Investigation views of a capture: per container, the process tree (who started whom, what
 * each process did, which alerts it raised) and a timeline of activity. Pure: built from
 * decoded events and alerts, so Check tests it without a kernel; `replay --tree` renders it as
 * text (tree_text.c) and `report` as HTML (report.c).
 *
 * What is kept is bounded per process and per container, whatever the capture's size: activity
 * is summarised as counts by type and a few distinct items, the timeline in at most
 * VG_TREE_BUCKETS_MAX buckets, alert evidence for the first VG_TREE_ALERTS_MAX alerts.
 */
#ifndef VIGIL_TREE_H
#define VIGIL_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "vigil/events.h"
#include "rules.h"

struct vg_event;
struct vg_process;
struct vg_container;
struct vg_alert;

#define VG_TREE_ITEMS_MAX 8 /* distinct activity items kept per process */
#define VG_TREE_ITEM_LEN 160 /* bytes of an item's text */
#define VG_TREE_BUCKETS_MAX 2048 /* timeline buckets per container; their width doubles past it */
#define VG_TREE_ALERTS_MAX 2000 /* alerts kept with their evidence; the rest are counted */
#define VG_TREE_TYPES VIGIL_EVENT_TYPE_MAX /* event types counted; newer ones go to slot 0 */

/* What a process did that the tree shows under it: "open /etc/passwd", "CAP_CHOWN" ... */
struct vg_tree_item {
	unsigned int type; /* event type */
	__u64 count;
	char text[]; /* at most VG_TREE_ITEM_LEN bytes with its NUL: allocated to its length */
};

struct vg_tree_proc;
struct vg_tree_container;

struct vg_tree_alert {
	const char *rule; /* static, from the rules */
	enum vg_severity severity;
	__u64 time_ns; /* CLOCK_BOOTTIME of the recording machine */
	__u64 repeats; /* the same rule, container and key again after it (what replay counts) */
	char *message;
	char *key;
	char *event_json; /* the event as SPEC's JSON object: the evidence */
	struct vg_tree_proc *proc; /* NULL: a process the capture never introduced */
	struct vg_tree_container *container;
	struct vg_tree_alert *next_in_proc, *next_in_container;
	unsigned int index; /* order raised, from 0 */
};

#define VG_TREE_EXE_HISTORY 4

struct vg_tree_proc {
	__u32 pid, vpid, ppid;
	__u64 start_time; /* the kernel's task start time: with pid, the key; 0 when unknown */
	__u64 parent_start_time;
	__u32 uid, euid;
	char comm[VIGIL_COMM_LEN];
	/* programs executed, oldest first (the first may be what it was forked as) */
	char *exe[VG_TREE_EXE_HISTORY];
	unsigned int n_exe, execs; /* kept, and execs seen in all */
	char *args; /* argv of the last exec, space separated, control characters escaped */
	__u64 first_ns, exit_ns; /* first event seen (its fork or exec), exit; 0 unknown */
	int exit_code;
	bool exited, forked, snapshot, setup, unknown_start;
	__u64 counts[VG_TREE_TYPES]; /* events in the window, by type */
	struct vg_tree_item *items[VG_TREE_ITEMS_MAX]; /* a few bytes a process, not 8 slots */
	unsigned int n_items;
	__u64 items_dropped; /* events past the distinct items kept */
	struct vg_tree_alert *alerts, *alerts_tail;
	unsigned int n_alerts; /* in the subtree too, after vg_tree_finish */
	struct vg_tree_container *container;
	struct vg_tree_proc *parent, *children, *next_sibling;
	/* after vg_tree_finish */
	bool shown; /* in the window and the --pid selection, or an ancestor of one that is */
	unsigned int folded; /* >0: this many identical siblings were folded into this one */
	bool fold_hidden; /* folded into an earlier sibling */
	struct vg_tree_proc *hash_next;
	size_t order;
};

struct vg_tree_rule_count {
	const char *rule;
	__u64 by_severity[VG_SEV_CRITICAL + 1];
};

#define VG_TREE_RULES_MAX 16

struct vg_tree_container {
	char id[65];
	char *name, *image, *runtime;
	__u64 first_ns, last_ns; /* events in the window */
	__u64 events;
	__u64 counts[VG_TREE_TYPES];
	/* timeline: n_buckets of bucket_ns from base_ns, VG_TREE_TYPES counts each */
	__u32 *buckets;
	size_t n_buckets;
	__u64 base_ns, bucket_ns;
	struct vg_tree_rule_count rules[VG_TREE_RULES_MAX];
	__u64 alerts; /* raised, listed or not */
	__u64 repeats;
	struct vg_tree_alert *alert_list, *alert_tail;
	struct vg_tree_proc *roots; /* after vg_tree_finish */
	size_t n_procs, n_shown;
	struct vg_tree_container *next;
};

struct vg_tree_opts {
	const char *container_key; /* --container: NULL all */
	__u64 since_ns, until_ns; /* 0: open */
	__u32 pid; /* --pid: that process, its ancestors and descendants; 0 all */
	__u64 boot_wall_ns; /* for the event JSON's times */
};

struct vg_tree {
	struct vg_tree_opts opts;
	struct vg_tree_container *containers, *containers_tail;
	size_t n_containers;
	struct vg_tree_proc **hash;
	size_t hash_size, n_procs;
	struct vg_tree_proc **procs; /* every process, in the order first seen */
	size_t procs_cap;
	__u64 alerts, alerts_dropped; /* raised; raised past VG_TREE_ALERTS_MAX */
	unsigned int alerts_kept;
	bool no_memory; /* something was left out for want of memory */
};

/* NULL on ENOMEM. opts copied (container_key must outlive the tree). */
struct vg_tree *vg_tree_new(const struct vg_tree_opts *opts);
void vg_tree_free(struct vg_tree *t);

/* Every decoded event, in capture order (the pipeline's observe hook). */
void vg_tree_event(struct vg_tree *t, const struct vg_event *ev, const struct vg_process *proc,
		   const struct vg_container *c);
/* An alert as the pipeline raised it (its on_alert hook). */
void vg_tree_alert(struct vg_tree *t, const struct vg_alert *a, const struct vg_event *ev,
		   const struct vg_process *proc, const struct vg_container *c);
/* The repeats replay would count for (rule, container, key), from the dedup at the end. */
void vg_tree_add_repeats(struct vg_tree *t, const char *rule, const char *container_id,
			 const char *key, __u64 repeats);
/*
 * After the last event: links children to parents, orders them by start, marks what the window
 * and --pid select, folds runs of identical leaf siblings without alerts.
 */
void vg_tree_finish(struct vg_tree *t);

/* The chain from the container's first known process down to p, root first; returns n. */
size_t vg_tree_ancestry(const struct vg_tree_proc *p, const struct vg_tree_proc **out, size_t max);
/* A process's label: its last exe, or its comm, or "?". */
const char *vg_tree_proc_exe(const struct vg_tree_proc *p);
/* events of this type are listed as items under their process (else only counted) */
bool vg_tree_type_has_items(unsigned int type);
/*
 * The one line that tells an event's activity apart from the process's others ("open /etc/x",
 * "link /tmp/pw -> /etc/passwd (io_uring)"); false for types without items (tree_item.c).
 */
bool vg_tree_item_text(const struct vg_event *ev, char *buf, size_t size);

/* "exit 0", "signal 9", "running"; and when it started, as an offset from origin_ns. */
const char *vg_tree_exit_str(const struct vg_tree_proc *p, char *buf, size_t size);
const char *vg_tree_start_str(const struct vg_tree_proc *p, __u64 origin_ns, char *buf,
			      size_t size);

/* Rendering as text for a terminal (tree_text.c): width in columns, colour with ANSI codes. */
void vg_tree_print_text(const struct vg_tree *t, FILE *f, unsigned int width, bool colour);

#endif
