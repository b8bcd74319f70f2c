// SPDX-License-Identifier: GPL-2.0
/* vigil: eBPF runtime monitor for containers. Subcommand dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "run", vg_cmd_run,
	  "run [--policy FILE] [--format text|json] [--output FILE] [--events]\n"
	  "          [--container ID|NAME] [--record FILE] [--duration SECONDS]\n"
	  "          [--host] [--syscalls] [--verbose] [--ringbuf-size BYTES]\n"
	  "          [--no-flood-headroom]\n"
	  "          [--output-max-size BYTES] [--output-files N] [--events-output FILE|-]\n"
	  "          [--syslog] [--syslog-address unix:PATH|udp:HOST:PORT] [--syslog-facility F]\n"
	  "          [--metrics-address [HOST:]PORT] [--metrics-allow-remote] [--metrics-file F]\n"
	  "          [--stats-interval SECONDS] [--record-max-size BYTES]\n"
	  "          [--record-max-age SECONDS] [--record-files N]\n"
	  "          (SIGHUP reloads --policy, SIGUSR1 reopens output files; see vigil(8))" },
	{ "replay", vg_cmd_replay, "replay FILE [--policy FILE] [--format text|json] [--output FILE]\n"
				   "          [--events] [--container ID|NAME] [--since T] [--until T] "
				   "[--stats]\n"
				   "          [--tree [--pid PID]] [--format html]" },
	{ "report", vg_cmd_report,
	  "report FILE [-o|--output OUT.html] [--policy FILE] [--container ID|NAME]\n"
	  "          [--since T] [--until T] [--pid PID]" },
	{ "profile", vg_cmd_profile,
	  "profile FILE [--container ID|NAME] [--format compose|docker-run|k8s|seccomp|policy|json]\n"
	  "          [--by container|image] [--output FILE]" },
	{ "policy", vg_cmd_policy, "policy check FILE" },
	{ "version", vg_cmd_version, "version" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  vigil %s\n", commands[i].usage);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return VG_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return VG_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version"))
		return vg_cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	vg_error(VG_EXIT_USAGE, "unknown command '%s': see 'vigil --help'", argv[1]);
	return VG_EXIT_USAGE;
}
