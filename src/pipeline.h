/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From a raw record to what the user sees: decode, process table, container, rules, repeat
 * suppression, output, recording. `run` feeds it from the ring buffer and `replay` from a
 * capture, through the same code, so that both print the same thing for the same records.
 */
#ifndef VIGIL_PIPELINE_H
#define VIGIL_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "vigil/bpf_shared.h"
#include "linktab.h"

struct vg_policy;
struct vg_output;
struct vg_containers;
struct vg_capture_writer;

struct vg_alert;
struct vg_event;
struct vg_process;
struct vg_container;

/* Room for SPEC's seven rules, vigil_event_loss, and rules added later. */
#define VG_PIPELINE_RULES_MAX 16

struct vg_rule_stats {
	const char *rule; /* NULL: a free slot */
	__u64 alerts, repeats;
};

struct vg_pipeline_stats {
	__u64 events[VIGIL_EVENT_TYPE_MAX]; /* decoded, by type */
	__u64 malformed; /* records that failed to decode */
	__u64 alerts; /* alerts printed (first of their kind) */
	__u64 repeats; /* alerts suppressed as repeats */
	__u64 capture_errors;
	/* by rule; every SPEC rule and vigil_event_loss from the start, at 0 */
	struct vg_rule_stats rules[VG_PIPELINE_RULES_MAX];
};

/* The rule id of the alert raised when the kernel lost events vigil must see (run.c). */
#define VG_RULE_EVENT_LOSS "vigil_event_loss"

struct vg_pipeline {
	const struct vg_policy *policy;
	struct vg_output *out; /* alerts and repeats */
	struct vg_output *events_out; /* events (--events); NULL: out */
	struct vg_containers *containers;
	struct vg_proctab *procs;
	struct vg_dedup *dedup;
	struct vg_capture_writer *capture; /* --record; NULL otherwise */
	bool events; /* --events: every event, not only alerts */
	const char *container_key; /* --container; NULL: all */
	__u64 since_ns, until_ns; /* CLOCK_BOOTTIME window; 0: open */
	__u64 last_time_ns; /* time of the newest record seen */
	/*
	 * Observers (replay --tree, report): observe sees every decoded event after the process
	 * table and the container lookup, before the --container/--since/--until filters; with
	 * on_alert set, each alert raised goes there instead of to out.
	 */
	void (*observe)(void *ctx, const struct vg_event *ev, const struct vg_process *proc,
			const struct vg_container *c);
	void (*on_alert)(void *ctx, const struct vg_alert *a, const struct vg_event *ev,
			 const struct vg_process *proc, const struct vg_container *c);
	void *observer_ctx;
	int capture_errno; /* last capture write error, reported once per kind */
	struct vg_linktab *links; /* symlinks containers made, to see through joined names */
	char link_paths[2][VG_LINKTAB_PATH_MAX]; /* the current event's names seen through them */
	struct vg_pipeline_stats stats;
};

/* containers and out are the caller's; procs and dedup are made here. 0 or -ENOMEM. */
int vg_pipeline_init(struct vg_pipeline *p, const struct vg_policy *policy, struct vg_output *out,
		     struct vg_containers *containers);
void vg_pipeline_fini(struct vg_pipeline *p);

/* One raw record (vigil/events.h). Returns 0, or -EINVAL for a malformed one (counted). */
int vg_pipeline_record(struct vg_pipeline *p, const void *data, size_t len);
/*
 * A record of the kernel's cgroup ring (VIGIL_EVENT_CGROUP). A container's cgroup is learnt
 * at once (vg_containers_learn) and, the first time, recorded in the capture, ahead of any of
 * its events; a removal is forgotten once the events written before it (`written`: the event
 * ring's producer position when this record is read) are handled. 0 or -EINVAL.
 */
int vg_pipeline_cgroup(struct vg_pipeline *p, const void *data, size_t len, __u64 written);
/*
 * Records of one cgroup the kernel shed to keep flood headroom (shed[type], since the last
 * call; shed_total: the host's since start). Shed exec, setuid, setgid, mount or connect
 * events raise vigil_event_loss naming the container (once per container and set of types,
 * then counted as repeats). 0, or the output's error.
 */
int vg_pipeline_shed_alert(struct vg_pipeline *p, __u64 now_boot_ns, __u64 cgroup_id,
			   const __u64 *shed, const __u64 *shed_total);
/*
 * A write the kernel left VIGIL_ROOTFS_UNKNOWN: decided from c's mounts where they are known
 * (ev->rootfs set to YES/NO). What the rules see; profiles decide the same way.
 */
void vg_pipeline_resolve_rootfs(struct vg_event *ev, const struct vg_container *c);
/*
 * n events like this record that the kernel counted instead of sending (alerts only:
 * repeated connects): the alerts it raises are counted n times more as repeats. 0 or -EINVAL.
 */
int vg_pipeline_add_repeats(struct vg_pipeline *p, const void *data, size_t len, __u64 n);
/*
 * Into the capture (--record), if any: a failure is counted in stats.capture_errors and said
 * once per kind, and monitoring goes on. 0 or -errno.
 */
int vg_pipeline_capture(struct vg_pipeline *p, unsigned int type, const void *data, size_t len);
/* A VG_REC_CONTAINER record of c (metadata and config), as on a container's first event. */
int vg_pipeline_record_container(struct vg_pipeline *p, const struct vg_container *c);
/* After a batch: drop exited processes. */
void vg_pipeline_batch_done(struct vg_pipeline *p);
/* Prints the counts of repeated alerts (since the last report, or all with final). */
void vg_pipeline_report_repeats(struct vg_pipeline *p, __u64 now_boot_ns);

/*
 * Puts a new policy in force from the next record on; returns the one it replaces (the
 * caller's to free). Records are handled one at a time, so none sees half of each.
 */
const struct vg_policy *vg_pipeline_set_policy(struct vg_pipeline *p,
					       const struct vg_policy *policy);
/* An alert about the monitor itself (event loss): counted by rule, printed with the alerts. */
int vg_pipeline_loss_alert(struct vg_pipeline *p, __u64 now_boot_ns, const struct vg_alert *a,
			   const __u64 *lost, const __u64 *lost_total);
/*
 * Appends to p->capture the metadata of every container known and an exec record (flagged
 * VIGIL_F_SNAPSHOT, at now_boot_ns) of every live process: what a capture file started now
 * needs to be read on its own. Returns 0 or the first append error.
 */
int vg_pipeline_record_state(struct vg_pipeline *p, __u64 now_boot_ns);

#endif
