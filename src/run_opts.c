// SPDX-License-Identifier: GPL-2.0
/* vigil run's options: parsed and checked before anything is loaded. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run_internal.h"

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

int vg_run_parse_opts(int argc, char **argv, struct run_opts *o)
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
