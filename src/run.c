// SPDX-License-Identifier: GPL-2.0
/* vigil run: the live monitor. Loads the programs, drains the ring buffer into the pipeline. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
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

#define POLL_MS 100 /* the kernel wakes us only for bulk; this bounds the latency */
#define TICK_NS 1000000000ULL
#define REPEAT_REPORT_NS (10 * TICK_NS)
#define EVICT_NS (10 * TICK_NS)
#define SYSCALLS_READ_NS (10 * TICK_NS) /* --syscalls: the kernel's sets into the capture */

#define LOSS_ALERT_NS (10 * TICK_NS) /* after the first, loss alerts at most this often */
#define METRICS_FILE_NS (5 * TICK_NS)
#define ROTATED_FILES_DEFAULT 5

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

/* long-only options of issue 8, past every character code */
enum {
	OPT_OUTPUT_MAX_SIZE = 256,
	OPT_OUTPUT_FILES,
	OPT_EVENTS_OUTPUT,
	OPT_SYSLOG,
	OPT_SYSLOG_ADDRESS,
	OPT_SYSLOG_FACILITY,
	OPT_METRICS_ADDRESS,
	OPT_METRICS_ALLOW_REMOTE,
	OPT_METRICS_FILE,
	OPT_STATS_INTERVAL,
	OPT_RECORD_MAX_SIZE,
	OPT_RECORD_MAX_AGE,
	OPT_RECORD_FILES,
	OPT_NO_FLOOD_HEADROOM,
};

static int parse_count(const char *opt, const char *text, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || !*text || *text == '-' || v > 1000)
		return vg_error(VG_EXIT_USAGE, "%s %s: give a number of files, 0-1000", opt, text);
	*out = v;
	return 0;
}

static int parse_seconds(const char *opt, const char *text, double *out)
{
	char *end;
	double v = strtod(text, &end);

	if (*end || end == text || !(v > 0) || v > 1e9)
		return vg_error(VG_EXIT_USAGE, "%s %s: give a positive number of seconds", opt,
				text);
	*out = v;
	return 0;
}

static int parse_bytes(const char *opt, const char *text, __u64 *out)
{
	if (vg_parse_size(text, out) || *out < 4096)
		return vg_error(VG_EXIT_USAGE,
				"%s %s: give a size of at least 4096 bytes (digits, optionally "
				"K, M or G)",
				opt, text);
	return 0;
}

/* What each option needs with it; one line naming the fix, exit 2. */
static int check_run_opts(struct run_opts *o)
{
	if (o->output_max_size && !o->common.output_path)
		return vg_error(VG_EXIT_USAGE, "--output-max-size: rotation needs --output FILE");
	if (o->syslog && o->common.output_path)
		return vg_error(VG_EXIT_USAGE,
				"--syslog and --output: alerts go to one of them; send events "
				"elsewhere with --events-output FILE");
	if ((o->record_max_size || o->record_max_age) && !o->record_path)
		return vg_error(VG_EXIT_USAGE,
				"--record-max-size/--record-max-age: rotation needs --record FILE");
	if (o->events_output && o->common.output_path &&
	    !strcmp(o->events_output, o->common.output_path))
		return vg_error(VG_EXIT_USAGE,
				"--events-output %s: the same file as --output; leave "
				"--events-output out to write both there",
				o->events_output);
	if (o->metrics_allow_remote && !o->metrics_address)
		return vg_error(VG_EXIT_USAGE,
				"--metrics-allow-remote: give --metrics-address HOST:PORT too");
	if (o->output_files == UINT_MAX)
		o->output_files = ROTATED_FILES_DEFAULT;
	if (o->record_files == UINT_MAX)
		o->record_files = ROTATED_FILES_DEFAULT;
	return 0;
}

static int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		VG_COMMON_LONGOPTS,
		{ "record", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "host", no_argument, NULL, 'H' },
		{ "syscalls", no_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "ringbuf-size", required_argument, NULL, 'R' },
		{ "output-max-size", required_argument, NULL, OPT_OUTPUT_MAX_SIZE },
		{ "output-files", required_argument, NULL, OPT_OUTPUT_FILES },
		{ "events-output", required_argument, NULL, OPT_EVENTS_OUTPUT },
		{ "syslog", no_argument, NULL, OPT_SYSLOG },
		{ "syslog-address", required_argument, NULL, OPT_SYSLOG_ADDRESS },
		{ "syslog-facility", required_argument, NULL, OPT_SYSLOG_FACILITY },
		{ "metrics-address", required_argument, NULL, OPT_METRICS_ADDRESS },
		{ "metrics-allow-remote", no_argument, NULL, OPT_METRICS_ALLOW_REMOTE },
		{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
		{ "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
		{ "record-max-size", required_argument, NULL, OPT_RECORD_MAX_SIZE },
		{ "record-max-age", required_argument, NULL, OPT_RECORD_MAX_AGE },
		{ "record-files", required_argument, NULL, OPT_RECORD_FILES },
		{ "no-flood-headroom", no_argument, NULL, OPT_NO_FLOOD_HEADROOM },
		{},
	};
	char *end;
	int opt;

	memset(o, 0, sizeof(*o));
	o->common.format = -1;
	o->output_files = o->record_files = UINT_MAX; /* unset: ROTATED_FILES_DEFAULT */
	o->syslog_facility = LOG_DAEMON;
	optind = 1;
	opterr = 0; /* one line of ours rather than getopt's and ours */
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		int common = vg_cli_common_opt(opt, optarg, &o->common);

		if (common == 1)
			continue;
		if (common)
			return common;
		switch (opt) {
		case 'r':
			o->record_path = optarg;
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end || o->duration <= 0)
				return vg_error(VG_EXIT_USAGE,
						"--duration %s: give a positive number of seconds",
						optarg);
			break;
		case 'H':
			o->host = true;
			break;
		case 'S':
			o->syscalls = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'R': {
			unsigned long v = strtoul(optarg, &end, 10);

			/* a power of two, at least a page: the ring buffer's own rule */
			if (*end || v < 4096 || v > (1UL << 30) || (v & (v - 1)))
				return vg_error(VG_EXIT_USAGE,
						"--ringbuf-size %s: give a power of two between 4096 "
						"and 1073741824 bytes",
						optarg);
			o->ringbuf_bytes = v;
			break;
		}
		case OPT_OUTPUT_MAX_SIZE:
			if (parse_bytes("--output-max-size", optarg, &o->output_max_size))
				return VG_EXIT_USAGE;
			break;
		case OPT_OUTPUT_FILES:
			if (parse_count("--output-files", optarg, &o->output_files))
				return VG_EXIT_USAGE;
			break;
		case OPT_EVENTS_OUTPUT:
			o->events_output = optarg;
			o->common.events = true; /* where events go says events are wanted */
			break;
		case OPT_SYSLOG:
			o->syslog = true;
			break;
		case OPT_SYSLOG_ADDRESS:
			o->syslog = true;
			o->syslog_address = optarg;
			break;
		case OPT_SYSLOG_FACILITY:
			o->syslog_facility = vg_syslog_facility_parse(optarg);
			if (o->syslog_facility < 0)
				return vg_error(VG_EXIT_USAGE,
						"--syslog-facility %s: give daemon, auth, "
						"authpriv, user, syslog or local0-local7",
						optarg);
			break;
		case OPT_METRICS_ADDRESS:
			o->metrics_address = optarg;
			break;
		case OPT_METRICS_ALLOW_REMOTE:
			o->metrics_allow_remote = true;
			break;
		case OPT_METRICS_FILE:
			o->metrics_file = optarg;
			break;
		case OPT_STATS_INTERVAL:
			if (parse_seconds("--stats-interval", optarg, &o->stats_interval))
				return VG_EXIT_USAGE;
			break;
		case OPT_RECORD_MAX_SIZE:
			if (parse_bytes("--record-max-size", optarg, &o->record_max_size))
				return VG_EXIT_USAGE;
			break;
		case OPT_RECORD_MAX_AGE:
			if (parse_seconds("--record-max-age", optarg, &o->record_max_age))
				return VG_EXIT_USAGE;
			break;
		case OPT_RECORD_FILES:
			if (parse_count("--record-files", optarg, &o->record_files))
				return VG_EXIT_USAGE;
			break;
		case OPT_NO_FLOOD_HEADROOM:
			o->no_flood_headroom = true;
			break;
		default:
			return vg_cli_bad_option(opt, "run", argv);
		}
	}
	if (optind < argc)
		return vg_error(VG_EXIT_USAGE, "run: unexpected argument '%s'", argv[optind]);
	return check_run_opts(o);
}

/* The ring buffer's positions, mapped read-only: how full it is, for the metrics. */

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

/* Losses that blind the rules that matter most: who ran what, who became root, what mounted. */
static const unsigned int loss_alert_types[] = { VIGIL_EVENT_EXEC, VIGIL_EVENT_SETUID,
						 VIGIL_EVENT_SETGID, VIGIL_EVENT_MOUNT };

static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += n;
}

/*
 * A monitor that can be blinded by flooding must say so: a lost exec, setuid, setgid or mount
 * event raises vigil_event_loss, at once the first time, then at most every LOSS_ALERT_NS
 * with what was lost since the previous one.
 */
static void raise_loss_alert(struct run_state *s, const struct vigil_counters *now, bool final)
{
	struct vg_alert a = { .rule = VG_RULE_EVENT_LOSS, .severity = VG_SEV_HIGH,
			      .mitre = { "T1562", NULL } };
	__u64 lost[VIGIL_EVENT_TYPE_MAX], t_now = vg_now_boot_ns();
	size_t key_used = 0, counts_used = 0;
	char counts[256] = "";
	bool watched = false;

	for (int t = 0; t < VIGIL_EVENT_TYPE_MAX; t++)
		lost[t] = now->lost[t] - s->lost_at_alert[t];
	for (size_t i = 0; i < sizeof(loss_alert_types) / sizeof(loss_alert_types[0]); i++) {
		unsigned int t = loss_alert_types[i];

		if (!lost[t])
			continue;
		append(a.key, sizeof(a.key), &key_used, "%s%s", watched ? "," : "",
		       vg_event_type_name(t));
		watched = true;
	}
	if (!watched)
		return;
	if (s->loss_alerted_ns && t_now - s->loss_alerted_ns < LOSS_ALERT_NS && !final)
		return;
	for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
		if (lost[t])
			append(counts, sizeof(counts), &counts_used, "%s%llu %s",
			       counts_used ? ", " : "", (unsigned long long)lost[t],
			       vg_event_type_name(t));
	snprintf(a.message, sizeof(a.message),
		 "the kernel dropped %s events since %s (ring buffer full): what they did went "
		 "unseen, and flooding the monitor this way can hide an attack; raise "
		 "--ringbuf-size (now %llu bytes) and find what floods (vigil_events_total)",
		 counts, s->loss_alerted_ns ? "the previous loss alert" : "vigil started",
		 (unsigned long long)s->rings.size);
	vg_pipeline_loss_alert(&s->pipe, t_now, &a, lost, now->lost);
	memcpy(s->lost_at_alert, now->lost, sizeof(s->lost_at_alert));
	s->loss_alerted_ns = t_now;
}

struct shed_entry {
	__u64 cgroup_id;
	__u32 type;
	__u32 setup; /* the runtime's set-up work: counted, never alerted */
	__u64 count;
};

struct shed_list {
	struct shed_entry *items;
	size_t n, cap;
};

static void take_shed(void *ctx, const void *k, __u64 count)
{
	const struct vigil_shed_key *key = k;
	struct shed_list *l = ctx;

	if (key->type >= VIGIL_EVENT_TYPE_MAX)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct shed_entry *items = realloc(l->items, cap * sizeof(*items));

		if (!items)
			return;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n++] = (struct shed_entry){ key->cgroup_id, key->type, key->setup, count };
}

static int by_cgroup(const void *a, const void *b)
{
	const struct shed_entry *x = a, *y = b;

	return x->cgroup_id < y->cgroup_id ? -1 : x->cgroup_id > y->cgroup_id;
}

/*
 * What the kernel shed to keep flood headroom, per cgroup: counted, said on stderr, and an
 * alert naming the container when any of it was an exec, setuid, setgid, mount or connect.
 * The ring is read first, so that the alert follows what the container did get through.
 */
static void collect_shed(struct run_state *s)
{
	struct shed_list l = {};
	__u64 shed[VIGIL_EVENT_TYPE_MAX], now = vg_now_boot_ns();

	if (vg_loader_take_counts(&s->loader, VG_COUNTED_SHED, take_shed, &l) <= 0 || !l.n) {
		free(l.items);
		return;
	}
	vg_rings_drain(&s->rings);
	qsort(l.items, l.n, sizeof(*l.items), by_cgroup);
	for (size_t i = 0; i < l.n;) {
		__u64 id = l.items[i].cgroup_id, total = 0;

		memset(shed, 0, sizeof(shed));
		for (; i < l.n && l.items[i].cgroup_id == id; i++) {
			if (!l.items[i].setup)
				shed[l.items[i].type] += l.items[i].count;
			s->shed[l.items[i].type] += l.items[i].count;
			total += l.items[i].count;
		}
		fprintf(stderr, "vigil: flood: %llu events of cgroup %llu shed past half a full ring "
				"buffer (beyond its share, or the runtime's set-up)\n",
			(unsigned long long)total, (unsigned long long)id);
		vg_pipeline_shed_alert(&s->pipe, now, id, shed, s->shed);
	}
	free(l.items);
}

static void check_losses(struct run_state *s, bool final)
{
	struct vigil_counters now;
	bool changed = false;

	if (vg_loader_counters(&s->loader, &now))
		return;
	for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++) {
		__u64 lost = now.lost[t] - s->reported.lost[t];

		if (!lost)
			continue;
		changed = true;
		fprintf(stderr,
			"vigil: ring buffer full: lost %llu %s events (total %llu); raise "
			"--ringbuf-size\n",
			(unsigned long long)lost, vg_event_type_name(t),
			(unsigned long long)now.lost[t]);
	}
	if (now.map_fail != s->reported.map_fail) {
		changed = true;
		fprintf(stderr, "vigil: %llu BPF map updates failed (maps full?)\n",
			(unsigned long long)(now.map_fail - s->reported.map_fail));
	}
	if ((changed || final) && s->pipe.capture) {
		__u64 totals[VIGIL_COUNTERS];

		for (int t = 0; t < VIGIL_EVENT_TYPE_MAX; t++)
			totals[t] = now.lost[t];
		totals[0] = now.map_fail;
		vg_pipeline_capture(&s->pipe, VG_REC_LOSS, totals, sizeof(totals));
	}
	s->reported = now;
	raise_loss_alert(s, &now, final);
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
/* A record like the ones the kernel counted instead of sending, and how many there were. */
struct counted {
	union {
		struct vigil_event_header hdr;
		struct vigil_connect connect;
		struct {
			struct vigil_write write;
			char path[VIGIL_WRITE_SEEN_PATH + 1]; /* and an empty second path */
		} w;
	} rec;
	__u64 count;
};

struct counted_list {
	struct counted *items;
	size_t n, cap;
	bool failed;
};

static struct counted *counted_add(struct counted_list *cl, __u64 count)
{
	struct counted *c;

	if (cl->n == cl->cap) {
		size_t cap = cl->cap ? 2 * cl->cap : 64;
		struct counted *items = realloc(cl->items, cap * sizeof(*items));

		if (!items) {
			cl->failed = true;
			return NULL;
		}
		cl->items = items;
		cl->cap = cap;
	}
	c = &cl->items[cl->n++];
	memset(c, 0, sizeof(*c));
	c->count = count;
	return c;
}

static void take_connect(void *ctx, const void *k, __u64 count)
{
	const struct vigil_connect_key *key = k;
	struct counted *c = counted_add(ctx, count);

	if (!c)
		return;
	c->rec.connect.hdr = (struct vigil_event_header){
		.type = VIGIL_EVENT_CONNECT, .size = sizeof(c->rec.connect),
		.flags = key->hdr_flags, .cgroup_id = key->cgroup_id };
	c->rec.connect.family = key->family;
	c->rec.connect.port = key->port;
	c->rec.connect.protocol = key->protocol;
	memcpy(c->rec.connect.addr, key->addr, sizeof(key->addr));
}

static void take_write(void *ctx, const void *k, __u64 count)
{
	const struct vigil_write_key *key = k;
	struct counted *c = counted_add(ctx, count);
	size_t n;

	if (!c)
		return;
	n = strnlen(key->path, sizeof(key->path) - 1);
	memcpy(c->rec.w.path, key->path, n); /* NUL, then the empty second path */
	c->rec.w.write.hdr = (struct vigil_event_header){
		.type = VIGIL_EVENT_WRITE, .size = sizeof(c->rec.w.write) + n + 2,
		.flags = key->hdr_flags, .cgroup_id = key->cgroup_id };
	c->rec.w.write.op = key->op;
	c->rec.w.write.rootfs = key->rootfs;
	c->rec.w.write.path_len = n + 1;
	c->rec.w.write.path2_len = 1;
}

/*
 * Alerts only: the repeated connects and writes the kernel counted instead of sending. A
 * key is in its map only once its first record is in the ring buffer, so the ring is drained
 * after the counts are taken and before they are added: the first is always handled (and
 * alerts) before its repeats are counted.
 */
static void collect_repeats(struct run_state *s)
{
	struct counted_list cl = {};
	__u64 now = vg_now_boot_ns();
	int rc;

	if (!s->alerts_only)
		return;
	rc = vg_loader_take_counts(&s->loader, VG_COUNTED_CONNECTS, take_connect, &cl);
	if (rc >= 0)
		rc = vg_loader_take_counts(&s->loader, VG_COUNTED_WRITES, take_write, &cl);
	if ((rc < 0 || cl.failed) && !s->counts_failed) {
		fprintf(stderr, "vigil: cannot take the kernel's counts of repeated connects and "
				"writes (%s): their repeats are undercounted\n",
			strerror(rc < 0 ? -rc : ENOMEM));
		s->counts_failed = true;
	}
	if (cl.n)
		vg_rings_drain(&s->rings);
	for (size_t i = 0; i < cl.n; i++) {
		cl.items[i].rec.hdr.time_ns = now;
		vg_pipeline_add_repeats(&s->pipe, &cl.items[i].rec, cl.items[i].rec.hdr.size,
					cl.items[i].count);
	}
	free(cl.items);
}

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
		collect_repeats(s);
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

	rc = parse_run_opts(argc, argv, &o);
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
			check_losses(s, false);
			collect_shed(s);
			if (s->pipe.capture)
				vg_capture_tick(s->pipe.capture, now);
		}
		if (now - last_repeat >= REPEAT_REPORT_NS) {
			last_repeat = now;
			collect_repeats(s);
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
	collect_repeats(s);
	vg_pipeline_batch_done(&s->pipe);
	vg_pipeline_report_repeats(&s->pipe, vg_now_boot_ns());
	if (s->syscalls)
		vg_syscalls_flush(s->syscalls, &s->pipe, vg_now_boot_ns());
	check_losses(s, true);
	collect_shed(s);
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
