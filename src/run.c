// SPDX-License-Identifier: GPL-2.0
/* vigil run: the live monitor. Loads the programs, drains the ring buffer into the pipeline. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>

#include "capture.h"
#include "cli.h"
#include "container.h"
#include "event.h"
#include "loader.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"

#define POLL_MS 100 /* the kernel wakes us only for bulk; this bounds the latency */
#define TICK_NS 1000000000ULL
#define REPEAT_REPORT_NS (10 * TICK_NS)
#define EVICT_NS (30 * TICK_NS)

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct run_opts {
	struct vg_common_opts common;
	const char *record_path;
	double duration;
	bool host;
	bool verbose;
	__u32 ringbuf_bytes;
};

static int parse_run_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "events", no_argument, NULL, 'e' },
		{ "container", required_argument, NULL, 'c' },
		{ "record", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "host", no_argument, NULL, 'H' },
		{ "syscalls", no_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "ringbuf-size", required_argument, NULL, 'R' },
		{},
	};
	char *end;
	int opt;

	memset(o, 0, sizeof(*o));
	o->common.format = -1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			o->common.policy_path = optarg;
			break;
		case 'f':
			o->common.format = vg_format_parse(optarg);
			if (o->common.format < 0)
				return vg_error(VG_EXIT_USAGE, "--format %s: use text or json", optarg);
			break;
		case 'o':
			o->common.output_path = optarg;
			break;
		case 'e':
			o->common.events = true;
			break;
		case 'c':
			o->common.container = optarg;
			break;
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
			return vg_error(VG_EXIT_USAGE,
					"--syscalls: system call sets are not recorded by this "
					"build yet; run without it");
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
		default:
			return vg_error(VG_EXIT_USAGE, "usage: see 'vigil --help'");
		}
	}
	if (optind < argc)
		return vg_error(VG_EXIT_USAGE, "run: unexpected argument '%s'", argv[optind]);
	return 0;
}

struct run_state {
	struct vg_pipeline pipe;
	struct vg_loader loader;
	struct vigil_counters reported;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct run_state *s = ctx;

	vg_pipeline_record(&s->pipe, data, size);
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
	vg_pipeline_record(&s->pipe, e, e->hdr.size);
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
		vg_capture_append(s->pipe.capture, VG_REC_LOSS, totals, sizeof(totals));
	}
	s->reported = now;
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
static int open_capture(const char *path, __u64 boot_wall_ns, struct vg_capture_writer **w)
{
	struct vg_capture_info info = { .version = VG_CAPTURE_VERSION };
	struct utsname u;
	int rc;

	if (!uname(&u)) {
		snprintf(info.host, sizeof(info.host), "%.*s", (int)sizeof(info.host) - 1,
			 u.nodename);
		snprintf(info.kernel, sizeof(info.kernel), "%.60s %.60s", u.release, u.machine);
	}
	info.boot_time_ns = boot_wall_ns;
	info.start_time_ns = info.boot_time_ns + vg_now_boot_ns();
	rc = vg_capture_create(path, &info, w);
	if (rc)
		return vg_error(VG_EXIT_USAGE, "cannot create --record %s: %s", path, strerror(-rc));
	return 0;
}

int vg_cmd_run(int argc, char **argv)
{
	struct vg_loader_opts lopts = { .cap_dedup = true };
	struct vg_container_paths paths;
	struct vg_containers *containers = NULL;
	struct ring_buffer *rb = NULL;
	struct vg_policy *policy = NULL;
	struct vg_output out = {};
	struct run_state *s;
	struct run_opts o;
	struct sigaction sa = { .sa_handler = on_signal };
	__u64 start, now, last_tick, last_repeat, last_evict, deadline = 0;
	char err[512];
	int rc;

	rc = parse_run_opts(argc, argv, &o);
	if (rc)
		return rc;
	s = calloc(1, sizeof(*s));
	if (!s)
		return vg_error(VG_EXIT_RUNTIME, "out of memory");
	policy = vg_cli_load_policy(o.common.policy_path);
	if (!policy) {
		rc = VG_EXIT_USAGE;
		goto out;
	}
	rc = vg_cli_open_output(&o.common, &out);
	if (rc)
		goto out;
	out.boot_wall_ns = vg_boot_wall_ns();
	vg_container_paths_default(&paths);
	containers = vg_containers_new(&paths);
	if (!containers || vg_pipeline_init(&s->pipe, policy, &out, containers)) {
		rc = vg_error(VG_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	s->pipe.events = o.common.events;
	s->pipe.container_key = o.common.container;
	if (o.record_path) {
		rc = open_capture(o.record_path, out.boot_wall_ns, &s->pipe.capture);
		if (rc)
			goto out;
	}

	lopts.host = o.host;
	lopts.verbose = o.verbose;
	lopts.ringbuf_bytes = o.ringbuf_bytes;
	rc = vg_loader_start(&s->loader, &lopts, err, sizeof(err));
	if (rc) {
		rc = vg_error(VG_EXIT_RUNTIME, "%s", err);
		goto out;
	}
	rb = ring_buffer__new(s->loader.ringbuf_fd, on_record, s, NULL);
	if (!rb) {
		rc = vg_error(VG_EXIT_RUNTIME, "cannot set up the ring buffer: %s", strerror(errno));
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* processes already running: into the table before live events about them */
	rc = vg_loader_snapshot(&s->loader, on_snapshot, s);
	if (rc)
		fprintf(stderr, "vigil: start-up process walk failed (%s): processes started "
				"before vigil are known only from their next event\n",
			strerror(-rc));
	if (s->loader.missing[0])
		fprintf(stderr, "vigil: this kernel lacks the tracepoints of: %s (not monitored)\n",
			s->loader.missing);
	fprintf(stderr, "vigil: ready\n");

	start = last_tick = last_repeat = last_evict = vg_now_boot_ns();
	if (o.duration > 0)
		deadline = start + (__u64)(o.duration * 1e9);
	rc = VG_EXIT_OK;
	while (!stop_requested) {
		int n = ring_buffer__poll(rb, POLL_MS);

		if (n == -EINTR)
			continue;
		if (n < 0) {
			rc = vg_error(VG_EXIT_RUNTIME, "ring buffer: %s", strerror(-n));
			break;
		}
		/* records written without a wake-up: drained here, at most POLL_MS late */
		ring_buffer__consume(rb);
		vg_pipeline_batch_done(&s->pipe);
		fflush(out.f);
		now = vg_now_boot_ns();
		if (now - last_tick >= TICK_NS) {
			last_tick = now;
			check_losses(s, false);
			if (s->pipe.capture)
				vg_capture_tick(s->pipe.capture, now);
		}
		if (now - last_repeat >= REPEAT_REPORT_NS) {
			last_repeat = now;
			vg_pipeline_report_repeats(&s->pipe, now);
		}
		if (now - last_evict >= EVICT_NS) {
			last_evict = now;
			vg_containers_evict_gone(containers);
		}
		if (deadline && now >= deadline)
			break;
	}
	/* everything the kernel wrote before we stop is reported */
	ring_buffer__consume(rb);
	vg_pipeline_batch_done(&s->pipe);
	vg_pipeline_report_repeats(&s->pipe, vg_now_boot_ns());
	check_losses(s, true);
	print_totals(s);
out:
	ring_buffer__free(rb);
	vg_loader_stop(&s->loader);
	if (s->pipe.capture) {
		int crc = vg_capture_close(s->pipe.capture);

		if (crc)
			fprintf(stderr, "vigil: closing the capture %s failed: %s\n", o.record_path,
				strerror(-crc));
		s->pipe.capture = NULL;
	}
	vg_pipeline_fini(&s->pipe);
	vg_containers_free(containers);
	if (out.f)
		vg_cli_close_output(&out);
	vg_policy_free(policy);
	free(s);
	return rc;
}
