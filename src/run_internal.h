/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vigil run's parts (run.c the loop, run_opts.c its options, run_counts.c what the kernel
 * counted instead of sending: losses, shed records, repeats): the state they share.
 */
#ifndef VIGIL_RUN_INTERNAL_H
#define VIGIL_RUN_INTERNAL_H

#include <stdbool.h>
#include <linux/types.h>

#include "loader.h"
#include "metrics.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"
#include "rings.h"
#include "sink.h"
#include "syscalls.h"

#define TICK_NS 1000000000ULL
#define LOSS_ALERT_NS (10 * TICK_NS) /* after the first, loss alerts at most this often */
#define ROTATED_FILES_DEFAULT 5

struct run_opts {
	struct vg_common_opts common;
	const char *record_path;
	double duration;
	bool host;
	bool verbose;
	bool syscalls; /* --syscalls: system call sets per container into the capture */
	__u32 ringbuf_bytes;
	bool no_flood_headroom; /* the event ring first come, first served */
	/* outputs for pipelines (issue 8) */
	__u64 output_max_size; /* 0: no rotation */
	unsigned int output_files;
	const char *events_output; /* "-": standard output */
	bool syslog;
	const char *syslog_address;
	int syslog_facility;
	const char *metrics_address;
	bool metrics_allow_remote;
	const char *metrics_file;
	double stats_interval;
	__u64 record_max_size;
	double record_max_age;
	unsigned int record_files;
};

struct run_state {
	struct vg_pipeline pipe;
	struct vg_loader loader;
	struct vigil_counters reported;
	/* operations (issue 8) */
	const struct run_opts *opts;
	struct vg_policy *policy; /* in force; replaced on SIGHUP */
	struct vg_output events_out; /* with --events-output */
	struct vg_sink *alerts_sink, *events_sink;
	struct vg_metrics_server *metrics;
	struct vg_rings rings; /* the cgroup ring, read first, and the event ring */
	__u64 reloads_ok, reloads_failed;
	__u64 lost_at_alert[VIGIL_EVENT_TYPE_MAX]; /* loss totals when the last loss alert went */
	__u64 shed[VIGIL_EVENT_TYPE_MAX]; /* shed by the kernel for flood headroom, since start */
	__u64 loss_alerted_ns;
	__u64 boot_wall_ns;
	double start_time;
	__u64 capture_opened_ns, capture_files;
	bool capture_reopen_failed;
	__u64 watchdog_ns;
	__u64 last_stats_ns, last_stats_events, last_metrics_file_ns, last_watchdog_ns;
	struct vg_syscalls *syscalls; /* --syscalls: the kernel's sets, read into the capture */
	__u64 syscalls_read_ns;
	bool alerts_only; /* the kernel drops writes that cannot alert (loader's alerts_only) */
	bool counts_failed;
};

/* argv into *o; 0, or an exit code after saying what is wrong. */
int vg_run_parse_opts(int argc, char **argv, struct run_opts *o);

/* The kernel's loss counters: said on stderr, recorded, and alerted on (final: at exit). */
void vg_run_check_losses(struct run_state *s, bool final);
/* Records the kernel shed for flood headroom, per container: alerted on. */
void vg_run_collect_shed(struct run_state *s);
/* Alerts only: the repeats the kernel counted instead of sending, added to their alerts. */
void vg_run_collect_repeats(struct run_state *s);

#endif /* VIGIL_RUN_INTERNAL_H */
