// SPDX-License-Identifier: GPL-2.0
/*
 * Loads and attaches the floor's empty programs (floor.bpf.c), prints "floor: ready" on
 * stderr, and holds them until SIGINT or SIGTERM. A hook this kernel lacks is skipped
 * with a line on stderr, as vigil skips it: a BTF tracepoint before load (one missing would
 * fail the whole object: io_uring_submit_sqe became io_uring_submit_req in 6.3, and the floor
 * has both, as vigil does), anything else when it does not attach.
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
	skel = floor_bpf__open();
	if (!skel) {
		fprintf(stderr, "floor: cannot open the floor programs: %s\n", strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		const char *sec = bpf_program__section_name(prog);

		if (strncmp(sec, "tp_btf/", 7) ||
		    libbpf_find_vmlinux_btf_id(sec + 7, BPF_TRACE_RAW_TP) >= 0)
			continue;
		fprintf(stderr, "floor: %s not on this kernel: skipped\n", sec);
		bpf_program__set_autoload(prog, false);
		skipped++;
	}
	if (floor_bpf__load(skel)) {
		fprintf(stderr, "floor: cannot load the floor programs: %s\n", strerror(errno));
		floor_bpf__destroy(skel);
		return 1;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link *link;

		if (n >= FLOOR_MAX_LINKS)
			break;
		if (!bpf_program__autoload(prog))
			continue;
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
