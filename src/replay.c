// SPDX-License-Identifier: GPL-2.0
/* vigil replay: a capture through the same pipeline as run, under the policy given now. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "capture.h"
#include "cli.h"
#include "container.h"
#include "event.h"
#include "investigate.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"

struct replay_opts {
	struct vg_common_opts common;
	const char *file;
	const char *since, *until;
	bool stats, tree, html;
	__u32 pid;
};

static int parse_replay_opts(int argc, char **argv, struct replay_opts *o)
{
	static const struct option longopts[] = {
		VG_COMMON_LONGOPTS,
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "stats", no_argument, NULL, 'S' },
		{ "tree", no_argument, NULL, 'T' },
		{ "pid", required_argument, NULL, 'P' },
		{},
	};
	int opt;

	memset(o, 0, sizeof(*o));
	o->common.format = -1;
	optind = 1;
	opterr = 0; /* one line of ours rather than getopt's and ours */
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		int common;

		/* --format html: the report (vigil report), as replay's third rendering */
		if (opt == 'f' && !strcmp(optarg, "html")) {
			o->html = true;
			continue;
		}
		common = vg_cli_common_opt(opt, optarg, &o->common);

		if (common == 1)
			continue;
		if (common)
			return common;
		switch (opt) {
		case 's':
			o->since = optarg;
			break;
		case 'u':
			o->until = optarg;
			break;
		case 'S':
			o->stats = true;
			break;
		case 'T':
			o->tree = true;
			break;
		case 'P':
			if (vg_parse_pid(optarg, &o->pid))
				return vg_error(VG_EXIT_USAGE, "--pid %s: give a process id",
						optarg);
			break;
		default:
			return vg_cli_bad_option(opt, "replay", argv);
		}
	}
	if (optind != argc - 1)
		return vg_error(VG_EXIT_USAGE, "usage: vigil replay FILE [options]");
	o->file = argv[optind];
	if (o->pid && !o->tree && !o->html)
		return vg_error(VG_EXIT_USAGE,
				"--pid selects in a process tree: use it with --tree, "
				"--format html or vigil report");
	if (o->tree && (o->html || o->common.format == VG_FORMAT_JSON || o->common.events))
		return vg_error(VG_EXIT_USAGE, "--tree prints text: for JSON leave it out, "
					       "for HTML use vigil report");
	return 0;
}

__u64 vg_parse_time_bound(const char *s, const struct vg_capture_info *info, bool *bad)
{
	struct tm tm = {};
	const char *rest;
	double value;
	char *end;
	__u64 wall;

	*bad = false;
	value = strtod(s, &end);
	if (end != s && *end && (!strcmp(end, "s") || !strcmp(end, "ms") || !strcmp(end, "m") ||
				 !strcmp(end, "h")) && value >= 0) {
		double mult = !strcmp(end, "ms") ? 1e6 : !strcmp(end, "s") ? 1e9
			      : !strcmp(end, "m") ? 60e9 : 3600e9;

		return info->start_time_ns - info->boot_time_ns + (__u64)(value * mult);
	}
	rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest) {
		*bad = true;
		return 0;
	}
	wall = (__u64)timegm(&tm) * 1000000000ULL;
	if (*rest == '.') {
		__u64 frac = 0, scale = 100000000ULL;

		for (rest++; *rest >= '0' && *rest <= '9'; rest++, scale /= 10)
			frac += (*rest - '0') * scale;
		wall += frac;
	}
	if (*rest == 'Z' || *rest == 'z') {
		rest++;
	} else if (*rest == '+' || *rest == '-') {
		int hh, mm;
		long off;

		if (sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2) {
			*bad = true;
			return 0;
		}
		off = (hh * 3600L + mm * 60L) * 1000000000L;
		wall = *rest == '+' ? wall - off : wall + off;
		rest += 6;
	} else {
		*bad = true;
		return 0;
	}
	if (*rest || wall < info->boot_time_ns) {
		*bad = *rest != 0;
		return *bad ? 0 : 1;
	}
	return wall - info->boot_time_ns;
}

struct warn_ctx {
	unsigned int warnings;
};

void vg_replay_on_warning(void *ctx, const char *message)
{
	struct warn_ctx *w = ctx;

	if (w)
		w->warnings++;
	fprintf(stderr, "vigil: warning: %s\n", message);
}

/* --stats: what the capture holds. */
struct stat_row {
	char id[65];
	char name[64];
	__u64 count[VIGIL_EVENT_TYPE_MAX];
};

static int print_stats(struct vg_capture_reader *r, const char *file)
{
	const struct vg_capture_info *info = vg_capture_info(r);
	struct stat_row *rows = NULL;
	size_t n_rows = 0;
	__u64 first = 0, last = 0, totals[VIGIL_EVENT_TYPE_MAX] = {}, lost[VIGIL_COUNTERS] = {};
	__u64 malformed = 0, host = 0;
	struct vg_containers *containers;
	struct vg_container_paths nopaths = { NULL, NULL };
	unsigned int type;
	const void *data;
	size_t len;
	char a[48], b[48];
	int rc;

	containers = vg_containers_new(&nopaths);
	if (!containers)
		return vg_error(VG_EXIT_RUNTIME, "out of memory");
	while ((rc = vg_capture_next(r, &type, &data, &len)) > 0) {
		if (type == VG_REC_LOSS && len == sizeof(lost)) {
			memcpy(lost, data, len);
		} else if (type == VG_REC_CONTAINER) {
			vg_containers_add_record(containers, data, len);
		} else if (type == VG_REC_EVENT) {
			struct vg_event ev;
			const struct vg_container *c = NULL;
			bool is_new;
			size_t i;

			if (vg_event_decode(data, len, &ev)) {
				malformed++;
				continue;
			}
			if (!first || ev.hdr->time_ns < first)
				first = ev.hdr->time_ns;
			if (ev.hdr->time_ns > last)
				last = ev.hdr->time_ns;
			totals[ev.hdr->type]++;
			if (ev.hdr->flags & VIGIL_F_CONTAINER)
				c = vg_containers_lookup(containers, ev.hdr->cgroup_id, &is_new);
			if (!c) {
				host++;
				continue;
			}
			for (i = 0; i < n_rows && strcmp(rows[i].id, c->id); i++)
				;
			if (i == n_rows) {
				struct stat_row *grown = realloc(rows, (n_rows + 1) * sizeof(*rows));

				if (!grown)
					break;
				rows = grown;
				memset(&rows[i], 0, sizeof(rows[i]));
				snprintf(rows[i].id, sizeof(rows[i].id), "%s", c->id);
				snprintf(rows[i].name, sizeof(rows[i].name), "%s",
					 c->name ? c->name : "-");
				n_rows++;
			}
			rows[i].count[ev.hdr->type]++;
		}
	}
	vg_format_time(first, info->boot_time_ns, a, sizeof(a));
	vg_format_time(last, info->boot_time_ns, b, sizeof(b));
	printf("capture %s: host %s, kernel %s, format version %u\n", file, info->host,
	       info->kernel, info->version);
	printf("span: %s .. %s (%.3f s)\n", first ? a : "-", last ? b : "-",
	       first ? (last - first) / 1e9 : 0.0);
	printf("%-14s %-20s", "container", "name");
	for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
		printf(" %8s", vg_event_type_name(t));
	printf("\n");
	for (size_t i = 0; i < n_rows; i++) {
		printf("%-14.12s %-20.20s", rows[i].id, rows[i].name);
		for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
			printf(" %8llu", (unsigned long long)rows[i].count[t]);
		printf("\n");
	}
	printf("%-14s %-20s", "total", "");
	for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
		printf(" %8llu", (unsigned long long)totals[t]);
	printf("\nhost events: %llu, malformed records: %llu\nlost:",
	       (unsigned long long)host, (unsigned long long)malformed);
	bool any = false;
	for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
		if (lost[t]) {
			printf(" %s=%llu", vg_event_type_name(t), (unsigned long long)lost[t]);
			any = true;
		}
	printf("%s\n", any ? "" : " none");
	free(rows);
	vg_containers_free(containers);
	return VG_EXIT_OK;
}

int vg_replay_window(const char *since, const char *until, const struct vg_capture_info *info,
		     __u64 *since_ns, __u64 *until_ns)
{
	for (int i = 0; i < 2; i++) {
		const char *bound = i ? until : since;
		bool bad;
		__u64 t;

		if (!bound)
			continue;
		t = vg_parse_time_bound(bound, info, &bad);
		if (bad)
			return vg_error(
				VG_EXIT_USAGE,
				"--%s %s: give an RFC 3339 time (2026-11-22T10:15:02Z) or a "
				"duration from the capture's start (90s, 5m, 1h)",
				i ? "until" : "since", bound);
		*(i ? until_ns : since_ns) = t;
	}
	return 0;
}

int vg_replay_feed(struct vg_capture_reader *r, const char *file, struct vg_pipeline *pipe,
		   struct vg_containers *containers, vg_replay_tap_fn tap, void *tap_ctx)
{
	__u64 lost[VIGIL_COUNTERS] = {};
	unsigned int type;
	const void *data;
	size_t len;
	int rc;

	while ((rc = vg_capture_next(r, &type, &data, &len)) > 0) {
		if (tap)
			tap(tap_ctx, type, data, len);
		switch (type) {
		case VG_REC_EVENT:
			vg_pipeline_record(pipe, data, len);
			break;
		case VG_REC_CONTAINER:
			vg_containers_add_record(containers, data, len);
			break;
		case VG_REC_LOSS:
			if (len != sizeof(lost))
				break;
			/* where the live run lost events, so does the replay: say so */
			for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++) {
				const __u64 *now = data;
				char when[48];

				if (now[t] <= lost[t])
					continue;
				vg_format_time(pipe->last_time_ns, pipe->out->boot_wall_ns, when,
					       sizeof(when));
				fprintf(stderr,
					"vigil: the recording lost %llu %s events near %s\n",
					(unsigned long long)(now[t] - lost[t]),
					vg_event_type_name(t), when);
			}
			memcpy(lost, data, sizeof(lost));
			break;
		default:
			break; /* a record kind a newer minor writer added: not ours to read */
		}
		vg_pipeline_batch_done(pipe);
	}
	if (rc < 0)
		return vg_error(VG_EXIT_USAGE, "%s: read error: %s", file, strerror(-rc));
	if (pipe->stats.malformed)
		fprintf(stderr, "vigil: warning: %s: %llu malformed event records skipped\n", file,
			(unsigned long long)pipe->stats.malformed);
	return 0;
}

/* --tree and --format html: the investigation views (investigate.c). */
static int replay_investigate(const struct replay_opts *o)
{
	struct vg_investigate_opts io = {
		.file = o->file,
		.policy_path = o->common.policy_path,
		.container = o->common.container,
		.since = o->since,
		.until = o->until,
		.pid = o->pid,
		.output_path = o->common.output_path,
	};

	return o->tree ? vg_investigate_tree(&io) : vg_investigate_report(&io);
}

int vg_cmd_replay(int argc, char **argv)
{
	struct vg_container_paths nopaths = { NULL, NULL };
	struct vg_containers *containers = NULL;
	struct vg_capture_reader *r = NULL;
	struct vg_policy *policy = NULL;
	struct vg_pipeline pipe = {};
	struct vg_output out = {};
	struct warn_ctx warn = {};
	struct replay_opts o;
	char err[512];
	int rc;

	rc = parse_replay_opts(argc, argv, &o);
	if (rc)
		return rc;
	if (o.tree || o.html)
		return replay_investigate(&o);
	rc = vg_capture_open(o.file, vg_replay_on_warning, &warn, &r, err, sizeof(err));
	if (rc)
		return vg_error(VG_EXIT_USAGE, "%s", err);
	if (o.stats) {
		rc = print_stats(r, o.file);
		vg_capture_close_reader(r);
		return rc;
	}
	policy = vg_cli_load_policy(o.common.policy_path);
	if (!policy) {
		rc = VG_EXIT_USAGE;
		goto out;
	}
	rc = vg_cli_open_output(&o.common, &out);
	if (rc)
		goto out;
	out.boot_wall_ns = vg_capture_info(r)->boot_time_ns;
	/* containers come from the capture only: the host replaying may have none of them */
	containers = vg_containers_new(&nopaths);
	if (!containers || vg_pipeline_init(&pipe, policy, &out, containers)) {
		rc = vg_error(VG_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	pipe.events = o.common.events;
	pipe.container_key = o.common.container;
	rc = vg_replay_window(o.since, o.until, vg_capture_info(r), &pipe.since_ns, &pipe.until_ns);
	if (!rc)
		rc = vg_replay_feed(r, o.file, &pipe, containers, NULL, NULL);
	if (!rc)
		vg_pipeline_report_repeats(&pipe, pipe.last_time_ns);
out:
	vg_pipeline_fini(&pipe);
	vg_containers_free(containers);
	if (out.f)
		vg_cli_close_output(&out);
	vg_policy_free(policy);
	vg_capture_close_reader(r);
	return rc;
}
