// SPDX-License-Identifier: GPL-2.0
/* vigil run: the live monitor. Loads the programs, drains the ring buffer into the pipeline. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "capture.h"
#include "cli.h"
#include "container.h"
#include "event.h"
#include "loader.h"
#include "metrics.h"
#include "notify.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"
#include "proctab.h"
#include "rings.h"
#include "rules.h"
#include "sink.h"
#include "syscalls.h"
#include "version.h"
#include "run_internal.h"

#define POLL_MS 100 /* the kernel wakes us only for bulk; this bounds the latency */
#define REPEAT_REPORT_NS (10 * TICK_NS)
#define EVICT_NS (10 * TICK_NS)
#define SYSCALLS_READ_NS (10 * TICK_NS) /* --syscalls: the kernel's sets into the capture */

#define METRICS_FILE_NS (5 * TICK_NS)

static volatile sig_atomic_t stop_requested;
/* SIGHUP and SIGUSR1 are acted on in the loop, between records: never in the handler */
static volatile sig_atomic_t reload_requested, reopen_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_reload(int sig)
{
	(void)sig;
	reload_requested = 1;
}

static void on_reopen(int sig)
{
	(void)sig;
	reopen_requested = 1;
}


/* The ring buffer's positions, mapped read-only: how full it is, for the metrics. */


static void rotate_capture(struct run_state *s, __u64 now);

/*
 * A record of a container cgroup the agent has not learnt: its path is on the cgroup ring
 * (the kernel sent it before this record could be written), read it first.
 */
static void learn_first(struct run_state *s, const void *data, size_t size)
{
	const struct vigil_event_header *h = data;

	if (size >= sizeof(*h) && (h->flags & VIGIL_F_CONTAINER) &&
	    !vg_containers_known(s->pipe.containers, h->cgroup_id))
		vg_rings_drain_cgroups(&s->rings);
}

static int on_cgroup(void *ctx, void *data, size_t size)
{
	struct run_state *s = ctx;

	vg_pipeline_cgroup(&s->pipe, data, size, vg_rings_written(&s->rings));
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct run_state *s = ctx;

	learn_first(s, data, size);
	vg_pipeline_record(&s->pipe, data, size);
	/*
	 * By size, checked after every record: a burst drained in one batch would otherwise
	 * grow the file far past the limit before the loop's next tick. A file ends at most
	 * one compressed block (64 KiB of records) past --record-max-size.
	 */
	if (s->opts->record_max_size && s->pipe.capture &&
	    vg_capture_bytes(s->pipe.capture) >= s->opts->record_max_size)
		rotate_capture(s, vg_now_boot_ns());
	return 0;
}

static size_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, size);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

/*
 * The start-up walk gives ids and times exactly; exe and argv come from /proc. The record
 * is then handled (and recorded) like any exec, so a replay knows these processes too.
 */
static void on_snapshot(void *ctx, const void *rec, size_t len)
{
	struct run_state *s = ctx;
	char buf[sizeof(struct vigil_exec) + VIGIL_EXE_MAX + VIGIL_ARGS_MAX];
	struct vigil_exec *e = (struct vigil_exec *)buf;
	char path[64];
	ssize_t n;
	size_t args;

	if (len != sizeof(*e))
		return;
	memcpy(e, rec, sizeof(*e));
	snprintf(path, sizeof(path), "/proc/%u/exe", e->hdr.pid);
	n = readlink(path, e->data, VIGIL_EXE_MAX - 1);
	if (n < 0)
		n = 0;
	e->data[n] = 0;
	e->exe_len = n + 1;
	snprintf(path, sizeof(path), "/proc/%u/cmdline", e->hdr.pid);
	args = read_file(path, e->data + e->exe_len, VIGIL_ARGS_MAX);
	if (args == VIGIL_ARGS_MAX)
		e->exec_flags |= VIGIL_EXEC_ARGS_TRUNC;
	e->args_len = args;
	e->hdr.size = sizeof(*e) + e->exe_len + args;
	learn_first(s, e, e->hdr.size);
	vg_pipeline_record(&s->pipe, e, e->hdr.size);
}


static void print_totals(struct run_state *s)
{
	__u64 events = 0, lost = 0;

	for (int t = 0; t < VIGIL_EVENT_TYPE_MAX; t++) {
		events += s->pipe.stats.events[t];
		lost += s->reported.lost[t];
	}
	fprintf(stderr, "vigil: stopped: %llu events, %llu alerts (%llu repeats), %llu lost",
		(unsigned long long)events, (unsigned long long)s->pipe.stats.alerts,
		(unsigned long long)s->pipe.stats.repeats, (unsigned long long)lost);
	for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
		if (s->reported.lost[t])
			fprintf(stderr, " %s=%llu", vg_event_type_name(t),
				(unsigned long long)s->reported.lost[t]);
	fputc('\n', stderr);
}

/* boot_wall_ns: the same offset the live output uses, so a replay prints the same times */
static int create_capture(const char *path, __u64 boot_wall_ns, struct vg_capture_writer **w)
{
	struct vg_capture_info info = { .version = VG_CAPTURE_VERSION };
	struct utsname u;

	if (!uname(&u)) {
		snprintf(info.host, sizeof(info.host), "%.*s", (int)sizeof(info.host) - 1,
			 u.nodename);
		snprintf(info.kernel, sizeof(info.kernel), "%.60s %.60s", u.release, u.machine);
	}
	info.boot_time_ns = boot_wall_ns;
	info.start_time_ns = info.boot_time_ns + vg_now_boot_ns();
	return vg_capture_create(path, &info, w);
}

static int open_capture(const char *path, __u64 boot_wall_ns, struct vg_capture_writer **w)
{
	int rc = create_capture(path, boot_wall_ns, w);

	if (rc)
		return vg_error(VG_EXIT_USAGE, "cannot create --record %s: %s", path, strerror(-rc));
	return 0;
}

/* ---- running as a host agent (issue 8) ---- */

static enum vg_format pick_format(int format, bool to_stdout)
{
	if (format >= 0)
		return format;
	return to_stdout && isatty(STDOUT_FILENO) ? VG_FORMAT_TEXT : VG_FORMAT_JSON;
}

/* Alerts to syslog, --output FILE or standard output; events to --events-output or with them. */
static int open_outputs(struct run_state *s, const struct run_opts *o, struct vg_output *out)
{
	bool alerts_stdout = !o->syslog && !o->common.output_path;
	char err[256];
	int rc;

	memset(out, 0, sizeof(*out));
	if (o->syslog) {
		rc = vg_sink_open_syslog(o->syslog_address, o->syslog_facility, &s->alerts_sink,
					 err, sizeof(err));
		if (rc)
			return vg_error(rc == -EINVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME, "%s", err);
	} else if (o->common.output_path) {
		rc = vg_sink_open_file(o->common.output_path, o->output_max_size, o->output_files,
				       &s->alerts_sink);
		if (rc)
			return vg_error(VG_EXIT_USAGE, "cannot open --output %s: %s",
					o->common.output_path, strerror(-rc));
	} else if (vg_sink_open_fd(STDOUT_FILENO, "standard output", &s->alerts_sink)) {
		return vg_error(VG_EXIT_RUNTIME, "out of memory");
	}
	vg_output_set_sink(out, s->alerts_sink);
	out->format = pick_format(o->common.format, alerts_stdout);
	if (!o->events_output || (alerts_stdout && !strcmp(o->events_output, "-")))
		return 0;
	if (!strcmp(o->events_output, "-"))
		rc = vg_sink_open_fd(STDOUT_FILENO, "standard output", &s->events_sink);
	else
		rc = vg_sink_open_file(o->events_output, o->output_max_size, o->output_files,
				       &s->events_sink);
	if (rc)
		return vg_error(VG_EXIT_USAGE, "cannot open --events-output %s: %s",
				o->events_output, strerror(-rc));
	vg_output_set_sink(&s->events_out, s->events_sink);
	s->events_out.format = pick_format(o->common.format, !strcmp(o->events_output, "-"));
	return 0;
}

static void flush_outputs(struct run_state *s)
{
	vg_sink_flush(s->alerts_sink);
	vg_sink_flush(s->events_sink);
}

/* SIGUSR1: an external rotation (logrotate) moved the files away; write to new ones. */
static void reopen_outputs(struct run_state *s)
{
	int rc = vg_sink_reopen(s->alerts_sink);

	if (s->events_sink && vg_sink_reopen(s->events_sink))
		rc = -1;
	if (!rc)
		fprintf(stderr, "vigil: SIGUSR1: outputs reopened\n");
}

/* SIGHUP: a valid policy takes over from the next record on; a bad one changes nothing. */

/*
 * Alerts only: writes every policy entry allows are dropped in the kernel. Set before the
 * pipeline takes a new policy, so that no write the new one forbids is dropped meanwhile.
 */
_Static_assert(VG_PREFIX_MAX == VIGIL_WRITE_PREFIX_MAX, "one prefix size");

static void set_write_filter(struct run_state *s, const struct vg_policy *p)
{
	char prefixes[VIGIL_WRITE_PREFIXES][VG_PREFIX_MAX];
	size_t n = vg_policy_common_writable(p, prefixes, VIGIL_WRITE_PREFIXES);
	int rc = vg_loader_set_write_filter(&s->loader, prefixes, n);

	if (rc)
		fprintf(stderr, "vigil: cannot set the kernel's write filter (%s): every write is "
				"sent to the agent\n",
			strerror(-rc));
}

/*
 * The runtime sockets on the host, by identity, for the kernel (which flags a connect that
 * reaches one) and for the rules (which name it). Before the policy is put in force.
 */
static void set_socket_ids(struct run_state *s, struct vg_policy *p)
{
	int rc = vg_sockids_scan(&p->sockets, p, "");

	if (!rc)
		rc = vg_loader_set_sock_ids(&s->loader, &p->sockets);
	if (rc)
		fprintf(stderr, "vigil: cannot hand the runtime sockets' identities to the kernel "
				"(%s): sensitive sockets are judged by path only\n",
			strerror(-rc));
	else if (s->opts->verbose)
		for (size_t i = 0; i < p->sockets.n; i++)
			fprintf(stderr, "vigil: runtime socket %s (inode %llu)\n",
				p->sockets.ids[i].path, (unsigned long long)p->sockets.ids[i].ino);
}

static void reload_policy(struct run_state *s)
{
	const char *path = s->opts->common.policy_path;
	struct vg_policy *p = NULL;
	char err[512];

	vg_notify("RELOADING=1");
	if (!path) {
		/* between two records: the rules never see half a table */
		set_socket_ids(s, s->policy);
		fprintf(stderr, "vigil: SIGHUP: the built-in policy is in force (no --policy "
				"file): runtime sockets looked for again, nothing else to reload\n");
	} else if (vg_policy_load_file(path, &p, err, sizeof(err))) {
		s->reloads_failed++;
		/* FILE:LINE:COL: message, as policy check prints it */
		fprintf(stderr, "%s; keeping the previous policy\n", err);
	} else {
		if (s->alerts_only)
			set_write_filter(s, p);
		set_socket_ids(s, p);
		/* counted under the old policy; the next connect or write is sent, judged anew */
		vg_loader_forget_cached(&s->loader);
		vg_run_collect_repeats(s);
		vg_pipeline_set_policy(&s->pipe, p);
		vg_policy_free(s->policy);
		s->policy = p;
		s->reloads_ok++;
		fprintf(stderr, "vigil: policy reloaded from %s (%zu container entr%s)\n", path,
			p->n_containers, p->n_containers == 1 ? "y" : "ies");
	}
	vg_notify("READY=1");
}

static void output_metrics(struct vg_metrics_output *m, const char *name,
			   const struct vg_sink *sink)
{
	struct vg_sink_stats st;

	vg_sink_stats(sink, &st);
	m->name = name;
	m->records = st.records;
	m->write_failures = st.write_failures;
	m->rotations = st.rotations;
}

static void render_metrics(void *ctx, FILE *f)
{
	struct run_state *s = ctx;
	struct vg_metrics_rule rules[VG_PIPELINE_RULES_MAX];
	struct vg_metrics_output outputs[2];
	struct vg_containers_stats cst;
	struct vg_metrics m = {
		.n_types = VIGIL_EVENT_TYPE_MAX,
		.events = s->pipe.stats.events,
		.lost = s->reported.lost,
		.shed = s->shed,
		.map_failures = s->reported.map_fail,
		.malformed = s->pipe.stats.malformed,
		.rules = rules,
		.containers = vg_containers_count(s->pipe.containers),
		.processes = vg_proctab_count(s->pipe.procs),
		.ringbuf_fill = vg_rings_fill(&s->rings),
		.ringbuf_bytes = s->rings.size,
		.reloads_ok = s->reloads_ok,
		.reloads_failed = s->reloads_failed,
		.outputs = outputs,
		.capture_files = s->capture_files,
		.capture_errors = s->pipe.stats.capture_errors,
		.start_time = s->start_time,
		.version = VIGIL_VERSION,
		.libbpf_version = libbpf_version_string(),
	};

	vg_containers_stats(s->pipe.containers, &cst);
	m.cgroups_learned = cst.learned;
	m.cgroups_resolved = cst.resolved;
	m.cgroups_evicted = cst.evicted;
	for (int i = 0; i < VG_PIPELINE_RULES_MAX && s->pipe.stats.rules[i].rule; i++) {
		rules[i].rule = s->pipe.stats.rules[i].rule;
		rules[i].alerts = s->pipe.stats.rules[i].alerts;
		rules[i].repeats = s->pipe.stats.rules[i].repeats;
		m.n_rules++;
	}
	output_metrics(&outputs[m.n_outputs++], "alerts", s->alerts_sink);
	if (s->events_sink)
		output_metrics(&outputs[m.n_outputs++], "events", s->events_sink);
	vg_metrics_render(&m, f);
}

static void write_metrics_file(struct run_state *s)
{
	static int reported_errno;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc = -ENOMEM;

	if (f) {
		render_metrics(s, f);
		if (!fclose(f))
			rc = vg_metrics_write_file(s->opts->metrics_file, text, len);
	}
	free(text);
	if (rc && rc != reported_errno)
		fprintf(stderr, "vigil: writing --metrics-file %s failed: %s\n",
			s->opts->metrics_file, strerror(-rc));
	reported_errno = rc;
}

static __u64 total_events(const struct run_state *s)
{
	__u64 n = 0;

	for (int t = 0; t < VIGIL_EVENT_TYPE_MAX; t++)
		n += s->pipe.stats.events[t];
	return n;
}

/* --stats-interval: one line a person (or journald) reads; also systemd's STATUS=. */
static void print_stats(struct run_state *s, __u64 now)
{
	__u64 events = total_events(s), lost = 0, failures = 0;
	double secs = (now - s->last_stats_ns) / 1e9, fill = vg_rings_fill(&s->rings);
	struct vg_sink_stats st;
	char line[512];

	for (int t = 0; t < VIGIL_EVENT_TYPE_MAX; t++)
		lost += s->reported.lost[t];
	vg_sink_stats(s->alerts_sink, &st);
	failures += st.write_failures;
	if (s->events_sink) {
		vg_sink_stats(s->events_sink, &st);
		failures += st.write_failures;
	}
	snprintf(line, sizeof(line),
		 "%llu events (%.0f/s), %llu alerts, %llu repeats, %llu lost, %zu containers, "
		 "%zu processes, ring buffer %.1f%% full, %llu write failures",
		 (unsigned long long)events,
		 secs > 0 ? (events - s->last_stats_events) / secs : 0.0,
		 (unsigned long long)s->pipe.stats.alerts,
		 (unsigned long long)s->pipe.stats.repeats, (unsigned long long)lost,
		 vg_containers_count(s->pipe.containers), vg_proctab_count(s->pipe.procs),
		 fill > 0 ? fill * 100 : 0.0, (unsigned long long)failures);
	fprintf(stderr, "vigil: stats: %s\n", line);
	if (getenv("NOTIFY_SOCKET")) {
		char status[sizeof(line) + 16];

		snprintf(status, sizeof(status), "STATUS=%s", line);
		vg_notify(status);
	}
	s->last_stats_events = events;
}

/*
 * --record-max-size/--record-max-age: the full file moves to FILE.1 (FILE.N...) while its
 * writer is still open, so a failed rename costs nothing; then a new FILE starts with every
 * known container and live process, so that it replays on its own.
 */
static void rotate_capture(struct run_state *s, __u64 now)
{
	const struct run_opts *o = s->opts;
	bool due;
	int rc;

	if (!o->record_path || (!o->record_max_size && !o->record_max_age))
		return;
	if (s->pipe.capture) {
		due = o->record_max_age &&
		      now - s->capture_opened_ns >= (__u64)(o->record_max_age * 1e9);
		if (!due && o->record_max_size &&
		    vg_capture_bytes(s->pipe.capture) >= o->record_max_size)
			due = true;
		if (!due)
			return;
		rc = vg_rotate_files(o->record_path, o->record_files);
		if (rc) {
			fprintf(stderr,
				"vigil: rotating the capture %s failed (%s): recording goes on in "
				"the current file\n",
				o->record_path, strerror(-rc));
			s->capture_opened_ns = now; /* tried again after another max age */
			return;
		}
		rc = vg_capture_close(s->pipe.capture);
		s->pipe.capture = NULL;
		if (rc)
			fprintf(stderr, "vigil: closing the capture %s.1 failed: %s\n",
				o->record_path, strerror(-rc));
	} else if (now - s->capture_opened_ns < TICK_NS) {
		return; /* a failed start: tried once a second */
	}
	s->capture_opened_ns = now;
	rc = create_capture(o->record_path, s->boot_wall_ns, &s->pipe.capture);
	if (rc) {
		if (!s->capture_reopen_failed)
			fprintf(stderr, "vigil: cannot start a new capture %s (%s): recording "
					"resumes when it can; monitoring goes on\n",
				o->record_path, strerror(-rc));
		s->capture_reopen_failed = true;
		return;
	}
	if (s->capture_reopen_failed)
		fprintf(stderr, "vigil: recording to %s resumed\n", o->record_path);
	s->capture_reopen_failed = false;
	s->capture_files++;
	vg_pipeline_record_state(&s->pipe, now);
	if (s->syscalls) {
		/* every set again: each capture file profiles on its own */
		vg_syscalls_forget(s->syscalls);
		vg_syscalls_flush(s->syscalls, &s->pipe, now);
	}
}

/* What the loop does for operations, between batches of records. */
static void agent_tick(struct run_state *s, __u64 now)
{
	const struct run_opts *o = s->opts;

	if (reload_requested) {
		reload_requested = 0;
		reload_policy(s);
	}
	if (reopen_requested) {
		reopen_requested = 0;
		reopen_outputs(s);
	}
	if (s->metrics)
		vg_metrics_server_poll(s->metrics);
	rotate_capture(s, now);
	if (o->stats_interval && now - s->last_stats_ns >= (__u64)(o->stats_interval * 1e9)) {
		print_stats(s, now);
		s->last_stats_ns = now;
	}
	if (o->metrics_file && now - s->last_metrics_file_ns >= METRICS_FILE_NS) {
		write_metrics_file(s);
		s->last_metrics_file_ns = now;
	}
	if (s->watchdog_ns && now - s->last_watchdog_ns >= s->watchdog_ns) {
		vg_notify("WATCHDOG=1");
		s->last_watchdog_ns = now;
	}
}

int vg_cmd_run(int argc, char **argv)
{
	struct vg_loader_opts lopts = { .cap_dedup = true };
	struct vg_container_paths paths;
	struct vg_containers *containers = NULL;
	struct vg_policy *policy = NULL;
	struct vg_output out = {};
	struct run_state *s;
	struct run_opts o;
	struct sigaction sa = { .sa_handler = on_signal };
	struct sigaction sa_reload = { .sa_handler = on_reload };
	struct sigaction sa_reopen = { .sa_handler = on_reopen };
	__u64 start, now, last_tick, last_repeat, last_evict, deadline = 0;
	char err[512];
	int rc;

	/*
	 * Loading parses the kernel's BTF (megabytes of short-lived blocks). glibc's threshold
	 * for mapping a large block adapts upwards after the first is freed, so the later ones
	 * land on the heap, which stays at its high-water mark: a fixed threshold returns them.
	 * An agent's RSS is its load peak otherwise (issue 13: 33.5 -> 24 MiB idle).
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);

	rc = vg_run_parse_opts(argc, argv, &o);
	if (rc)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return vg_error(VG_EXIT_RUNTIME, "out of memory");
	s->opts = &o;
	s->start_time = (vg_boot_wall_ns() + vg_now_boot_ns()) / 1e9;
	policy = vg_cli_load_policy(o.common.policy_path);
	if (!policy) {
		rc = VG_EXIT_USAGE;
		goto out;
	}
	s->policy = policy;
	rc = open_outputs(s, &o, &out);
	if (rc)
		goto out;
	out.boot_wall_ns = vg_boot_wall_ns();
	s->events_out.boot_wall_ns = s->boot_wall_ns = out.boot_wall_ns;
	vg_container_paths_default(&paths);
	containers = vg_containers_new(&paths);
	/* the kernel's repeat counts are taken every REPEAT_REPORT_NS: gone ones stay past that */
	vg_containers_set_gone_grace(containers, REPEAT_REPORT_NS / 1e9);
	if (!containers || vg_pipeline_init(&s->pipe, policy, &out, containers)) {
		rc = vg_error(VG_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	s->pipe.events = o.common.events;
	s->pipe.container_key = o.common.container;
	if (s->events_sink) {
		s->events_out.procs = s->pipe.procs;
		s->pipe.events_out = &s->events_out;
	}
	if (o.record_path) {
		rc = open_capture(o.record_path, out.boot_wall_ns, &s->pipe.capture);
		if (rc)
			goto out;
		s->capture_files = 1;
		s->capture_opened_ns = vg_now_boot_ns();
	}
	if (o.metrics_address) {
		rc = vg_metrics_server_start(o.metrics_address, o.metrics_allow_remote,
					     render_metrics, s, &s->metrics, err, sizeof(err));
		if (rc) {
			rc = vg_error(rc == -EINVAL ? VG_EXIT_USAGE : VG_EXIT_RUNTIME, "%s", err);
			goto out;
		}
	}

	lopts.host = o.host;
	lopts.verbose = o.verbose;
	lopts.ringbuf_bytes = o.ringbuf_bytes;
	lopts.flood_headroom = !o.no_flood_headroom;
	lopts.syscalls = o.syscalls;
	lopts.alerts_only = !o.common.events && !o.record_path;
	rc = vg_loader_start(&s->loader, &lopts, err, sizeof(err));
	if (rc) {
		rc = vg_error(VG_EXIT_RUNTIME, "%s", err);
		goto out;
	}
	s->alerts_only = lopts.alerts_only;
	if (s->alerts_only)
		set_write_filter(s, s->policy);
	set_socket_ids(s, s->policy);
	if (o.syscalls) {
		s->syscalls = vg_syscalls_new(s->loader.syscall_sets_fd);
		if (!s->syscalls) {
			rc = vg_error(VG_EXIT_RUNTIME, "out of memory");
			goto out;
		}
		if (!o.record_path)
			fprintf(stderr, "vigil: --syscalls without --record: the system call sets "
					"are kept in the kernel but written nowhere\n");
	}
	rc = vg_rings_open(&s->rings, s->loader.ringbuf_fd, s->loader.cgroup_ringbuf_fd, on_record,
			   on_cgroup, s);
	if (rc) {
		rc = vg_error(VG_EXIT_RUNTIME, "cannot set up the ring buffers: %s", strerror(-rc));
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa_reload, NULL);
	sigaction(SIGUSR1, &sa_reopen, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* processes already running: into the table before live events about them */
	rc = vg_loader_snapshot(&s->loader, on_snapshot, s);
	if (rc)
		fprintf(stderr, "vigil: start-up process walk failed (%s): processes started "
				"before vigil are known only from their next event\n",
			strerror(-rc));
	{
		char gaps[1024];

		vg_coverage_text(&s->loader.coverage, gaps, sizeof(gaps));
		if (gaps[0])
			fprintf(stderr, "vigil: warning: not monitored on this kernel: %s\n", gaps);
	}
	if (s->metrics)
		fprintf(stderr, "vigil: metrics at %s\n", vg_metrics_server_url(s->metrics));
	fprintf(stderr, "vigil: ready\n");
	/* systemd (Type=notify) starts what depends on vigil from here */
	vg_notify("READY=1");
	s->watchdog_ns = vg_notify_watchdog_ns();

	start = last_tick = last_repeat = last_evict = vg_now_boot_ns();
	s->last_stats_ns = s->last_watchdog_ns = start;
	if (o.metrics_file)
		write_metrics_file(s);
	s->last_metrics_file_ns = start;
	if (o.duration > 0)
		deadline = start + (__u64)(o.duration * 1e9);
	rc = VG_EXIT_OK;
	while (!stop_requested) {
		int n = vg_rings_poll(&s->rings, POLL_MS);

		if (n == -EINTR)
			continue;
		if (n < 0) {
			rc = vg_error(VG_EXIT_RUNTIME, "ring buffer: %s", strerror(-n));
			break;
		}
		vg_pipeline_batch_done(&s->pipe);
		flush_outputs(s);
		now = vg_now_boot_ns();
		if (now - last_tick >= TICK_NS) {
			last_tick = now;
			vg_run_check_losses(s, false);
			vg_run_collect_shed(s);
			if (s->pipe.capture)
				vg_capture_tick(s->pipe.capture, now);
		}
		if (now - last_repeat >= REPEAT_REPORT_NS) {
			last_repeat = now;
			vg_run_collect_repeats(s);
			vg_pipeline_report_repeats(&s->pipe, now);
		}
		if (now - last_evict >= EVICT_NS) {
			last_evict = now;
			/* gone, and every record written before read: never an event unattributed */
			vg_containers_evict_gone(containers, vg_rings_written(&s->rings),
						 vg_rings_read(&s->rings));
		}
		if (s->syscalls && now - s->syscalls_read_ns >= SYSCALLS_READ_NS) {
			s->syscalls_read_ns = now;
			vg_syscalls_flush(s->syscalls, &s->pipe, now);
		}
		agent_tick(s, now);
		if (deadline && now >= deadline)
			break;
	}
	vg_notify("STOPPING=1");
	/* everything the kernel wrote before we stop is reported */
	vg_rings_drain(&s->rings);
	vg_run_collect_repeats(s);
	vg_pipeline_batch_done(&s->pipe);
	vg_pipeline_report_repeats(&s->pipe, vg_now_boot_ns());
	if (s->syscalls)
		vg_syscalls_flush(s->syscalls, &s->pipe, vg_now_boot_ns());
	vg_run_check_losses(s, true);
	vg_run_collect_shed(s);
	flush_outputs(s);
	if (o.metrics_file)
		write_metrics_file(s);
	print_totals(s);
out:
	vg_rings_close(&s->rings);
	vg_loader_stop(&s->loader);
	vg_syscalls_free(s->syscalls);
	if (s->pipe.capture) {
		int crc = vg_capture_close(s->pipe.capture);

		if (crc)
			fprintf(stderr, "vigil: closing the capture %s failed: %s\n", o.record_path,
				strerror(-crc));
		s->pipe.capture = NULL;
	}
	vg_pipeline_fini(&s->pipe);
	vg_containers_free(containers);
	vg_metrics_server_stop(s->metrics);
	vg_sink_close(s->events_sink);
	vg_sink_close(s->alerts_sink);
	vg_policy_free(s->policy);
	free(s);
	return rc;
}
