// SPDX-License-Identifier: GPL-2.0
/*
 * Loads and attaches the floor's empty programs (floor.bpf.c), prints "floor: ready" on
 * stderr, and holds them until SIGINT or SIGTERM. A hook this kernel lacks is skipped
 * with a line on stderr, as vigil skips it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "floor.skel.h"

#define FLOOR_MAX_LINKS 128

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct bpf_link *links[FLOOR_MAX_LINKS];
	struct bpf_program *prog;
	struct floor_bpf *skel;
	int n = 0, skipped = 0;

	libbpf_set_print(quiet);
	skel = floor_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "floor: cannot load the floor programs: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link *link;

		if (n >= FLOOR_MAX_LINKS)
			break;
		link = bpf_program__attach(prog);
		if (!link) {
			fprintf(stderr, "floor: %s not attached: %s\n",
				bpf_program__section_name(prog), strerror(errno));
			skipped++;
			continue;
		}
		links[n++] = link;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "floor: ready (%d programs attached, %d skipped)\n", n, skipped);
	while (!stop)
		pause();
	while (n > 0)
		bpf_link__destroy(links[--n]);
	floor_bpf__destroy(skel);
	return 0;
}
