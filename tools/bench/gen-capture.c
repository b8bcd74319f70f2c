// SPDX-License-Identifier: GPL-2.0
/*
 * A synthetic capture of N events for the report benchmark (tools/bench/report): 4 podman
 * containers whose shell forks workers; each worker execs, writes files (some on /etc, which
 * alert, with many distinct paths), connects out (distinct addresses, which alert) and exits.
 * Records are laid out as the kernel does (include/vigil/events.h) and written with the
 * capture writer, so what is timed is the real reader, pipeline and report.
 *   gen-capture FILE EVENTS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "capture.h"
#include "container.h"
#include "vigil/events.h"

#define CONTAINERS 4
#define BASE_NS (1000ull * 1000000000ull)

static struct vg_capture_writer *w;
static unsigned long long written;
static _Alignas(8) char buf[VIGIL_EVENT_MAX_SIZE];

static void put(const void *rec, size_t len)
{
	if (vg_capture_append(w, VG_REC_EVENT, rec, len)) {
		fprintf(stderr, "gen-capture: append failed\n");
		exit(1);
	}
	written++;
}

static void header(struct vigil_event_header *h, unsigned int type, size_t size, int ct, __u32 pid,
		   __u64 t)
{
	memset(h, 0, sizeof(*h));
	h->type = type;
	h->size = size;
	h->flags = VIGIL_F_CONTAINER;
	h->time_ns = t;
	h->cgroup_id = 5000 + ct;
	h->pid = h->tid = pid;
}

static void exec_ev(int ct, __u32 pid, __u64 start, __u32 ppid, __u64 pstart, const char *exe,
		    const char *arg, __u64 t)
{
	struct vigil_exec *e = (void *)buf;
	size_t exe_len = strlen(exe) + 1, a0 = strlen(exe) + 1, a1 = strlen(arg) + 1;

	memset(buf, 0, sizeof(*e));
	e->start_time = start;
	e->parent_start_time = pstart;
	e->ppid = ppid;
	e->vpid = pid % 30000 + 1;
	snprintf(e->comm, sizeof(e->comm), "%s", strrchr(exe, '/') + 1);
	memcpy(e->data, exe, exe_len);
	memcpy(e->data + exe_len, exe, a0);
	memcpy(e->data + exe_len + a0, arg, a1);
	e->exe_len = exe_len;
	e->args_len = a0 + a1;
	header(&e->hdr, VIGIL_EVENT_EXEC, sizeof(*e) + exe_len + a0 + a1, ct, pid, t);
	put(e, e->hdr.size);
}

static void fork_ev(int ct, __u32 ppid, __u64 pstart, __u32 pid, __u64 start, __u64 t)
{
	struct vigil_fork *f = (void *)buf;

	memset(f, 0, sizeof(*f));
	header(&f->hdr, VIGIL_EVENT_FORK, sizeof(*f), ct, ppid, t);
	f->parent_start_time = pstart;
	f->child_start_time = start;
	f->child_pid = pid;
	f->child_vpid = pid % 30000 + 1;
	put(f, sizeof(*f));
}

static void write_ev(int ct, __u32 pid, const char *path, __u64 t)
{
	struct vigil_write *wr = (void *)buf;
	size_t n = strlen(path) + 1;

	memset(buf, 0, sizeof(*wr));
	wr->op = VIGIL_WRITE_OPEN;
	wr->open_flags = 01101; /* O_WRONLY|O_CREAT|O_TRUNC */
	wr->rootfs = VIGIL_ROOTFS_YES;
	wr->path_len = n;
	wr->path2_len = 1;
	memcpy(wr->data, path, n);
	wr->data[n] = 0;
	header(&wr->hdr, VIGIL_EVENT_WRITE, sizeof(*wr) + n + 1, ct, pid, t);
	put(wr, wr->hdr.size);
}

static void connect_ev(int ct, __u32 pid, unsigned int host, __u64 t)
{
	struct vigil_connect *c = (void *)buf;

	memset(buf, 0, sizeof(*c));
	c->family = VIGIL_AF_INET;
	c->port = 443;
	c->addr[0] = 10;
	c->addr[1] = 1;
	c->addr[2] = host >> 8;
	c->addr[3] = host;
	header(&c->hdr, VIGIL_EVENT_CONNECT, sizeof(*c), ct, pid, t);
	put(c, sizeof(*c));
}

static void exit_ev(int ct, __u32 pid, __u64 start, __u64 t)
{
	struct vigil_exit *x = (void *)buf;

	memset(x, 0, sizeof(*x));
	header(&x->hdr, VIGIL_EVENT_EXIT, sizeof(*x), ct, pid, t);
	x->start_time = start;
	put(x, sizeof(*x));
}

int main(int argc, char **argv)
{
	struct vg_capture_info info = {.version = VG_CAPTURE_VERSION,
				       .host = "bench",
				       .kernel = "synthetic",
				       .boot_time_ns = 1795341600ull * 1000000000ull,
				       .start_time_ns = 1795341600ull * 1000000000ull + BASE_NS};
	unsigned long long events;
	__u32 next_pid = 10000;
	__u64 t = BASE_NS;

	if (argc != 3 || !(events = strtoull(argv[2], NULL, 10))) {
		fprintf(stderr, "usage: gen-capture FILE EVENTS\n");
		return 2;
	}
	if (vg_capture_create(argv[1], &info, &w)) {
		perror(argv[1]);
		return 1;
	}
	for (int ct = 0; ct < CONTAINERS; ct++) {
		struct vg_container c = { .cgroup_id = 5000 + ct, .runtime = VG_RT_PODMAN };
		char name[32], id[65];
		struct json_object *obj;
		const char *s;
		size_t len;

		snprintf(name, sizeof(name), "bench-%d", ct);
		snprintf(id, sizeof(id), "%08x%056x", 0xbe000000 + ct, ct);
		memcpy(c.id, id, sizeof(c.id));
		c.name = name;
		c.image = "localhost/bench:1";
		/* a runtime's defaults (root, writable, no limits): the report has advice to give */
		c.config.known = true;
		c.config.user = "";
		c.config.cap_effective = c.config.cap_bounding = 0xa80425fbull;
		c.config.limits_known = true;
		c.config.seccomp = true;
		c.config.network_mode = "bridge";
		obj = vg_container_to_json_full(&c);
		s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN, &len);
		vg_capture_append(w, VG_REC_CONTAINER, s, len);
		json_object_put(obj);
		exec_ev(ct, 1000 + ct, 100 + ct, 1, 1, "/bin/sh", "/entrypoint.sh", t);
	}
	/* ~10 events a worker, 20 000 events a second across the containers */
	for (unsigned long long i = 0; written < events; i++) {
		int ct = i % CONTAINERS;
		__u32 pid = next_pid++;
		__u64 start = t + 1;
		char path[64], arg[32];

		if (next_pid > 4000000)
			next_pid = 10000; /* pids are reused, as on a busy host */
		fork_ev(ct, 1000 + ct, 100 + ct, pid, start, t);
		snprintf(arg, sizeof(arg), "--job=%llu", i % 40);
		exec_ev(ct, pid, start, 1000 + ct, 100 + ct, "/usr/bin/worker", arg, t + 10000);
		for (int k = 0; k < 5; k++) {
			snprintf(path, sizeof(path), "/tmp/out-%llu-%d", i % 1000, k);
			write_ev(ct, pid, path, t + 20000 + k);
		}
		snprintf(path, sizeof(path), "/etc/state-%llu", i % 5000);
		write_ev(ct, pid, path, t + 30000);
		connect_ev(ct, pid, i % 300, t + 40000);
		exit_ev(ct, pid, start, t + 50000);
		t += 500000; /* 2000 workers a second */
	}
	if (vg_capture_close(w)) {
		fprintf(stderr, "gen-capture: close failed\n");
		return 1;
	}
	printf("%llu events\n", written);
	return 0;
}
