/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and attaching the BPF programs, with the checks that turn failures into advice. */
#ifndef VIGIL_LOADER_H
#define VIGIL_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "vigil/bpf_shared.h"
#include "hooks.h"

struct vigil_bpf; /* the generated skeleton */

struct vg_loader_opts {
	bool host; /* report host processes too */
	bool verbose; /* libbpf's own messages on stderr */
	__u32 ringbuf_bytes; /* 0: the default */
	bool flood_headroom; /* past half full, each cgroup's records within its share */
	bool cap_dedup;
	bool syscalls; /* --syscalls: load the sys_enter program that keeps system call sets */
	bool alerts_only; /* nothing but alerts wanted: the kernel drops what cannot alert */
};

#define VG_LOADER_MAX_LINKS 96

struct bpf_link;

struct vg_loader {
	struct bpf_link *links[VG_LOADER_MAX_LINKS];
	struct vigil_bpf *skel;
	int ringbuf_fd;
	int cgroup_ringbuf_fd; /* container cgroups' paths (struct vigil_cgroup) */
	int shed_fd; /* records shed for flood headroom, per (cgroup, type) */
	int counters_fd;
	int syscall_sets_fd; /* the per-cgroup system call bitmaps; -1 without opts.syscalls */
	int connect_seen_fd; /* alerts only: connects counted instead of sent */
	int write_seen_fd; /* alerts only: writes counted instead of sent */
	struct vigil_send_slot *send_slots; /* alerts only: datagrams' repeats per CPU (mapped) */
	size_t n_send_slots;
	int n_attached;
	struct vg_coverage coverage; /* what this kernel leaves unmonitored, and why */
};

/*
 * Checks privileges and BTF, loads and attaches everything. On failure writes one line
 * naming the cause and the fix into err and returns a negative errno.
 */
int vg_loader_start(struct vg_loader *l, const struct vg_loader_opts *opts, char *err,
		    size_t errlen);
/*
 * What this kernel lets vigil watch, checked as vg_loader_start would (root needed), without
 * loading anything. 0, or -errno with one line in err.
 */
int vg_loader_coverage(struct vg_coverage *cov, char *err, size_t errlen);
/* The records of processes that predate vigil (iter/task); calls fn for each. */
int vg_loader_snapshot(struct vg_loader *l, void (*fn)(void *ctx, const void *rec, size_t len),
		       void *ctx);
/* Sums the per-CPU loss counters. */
int vg_loader_counters(struct vg_loader *l, struct vigil_counters *out);
/*
 * With opts.alerts_only: writes under these paths (vg_policy_common_writable) are not sent.
 * Replaces the previous set; at most VIGIL_WRITE_PREFIXES are used. 0 or -errno.
 */
int vg_loader_set_write_filter(struct vg_loader *l, const char (*prefixes)[VIGIL_WRITE_PREFIX_MAX],
				size_t n);
struct vg_sockids;
/* The host's runtime sockets by identity, replacing the previous set. 0 or -errno. */
int vg_loader_set_sock_ids(struct vg_loader *l, const struct vg_sockids *ids);
/* What the kernel counts instead of sending, when only alerts are wanted. */
enum vg_counted {
	VG_COUNTED_CONNECTS, /* keys: struct vigil_connect_key */
	VG_COUNTED_WRITES,   /* keys: struct vigil_write_key */
	VG_COUNTED_SHED,     /* keys: struct vigil_shed_key: records shed by flood headroom */
};

/*
 * Takes (and clears) those counts, calling fn with each key and its count (keys counted
 * zero times are cleared too). Returns the number of keys, or -errno.
 */
int vg_loader_take_counts(struct vg_loader *l, enum vg_counted what,
			  void (*fn)(void *ctx, const void *key, __u64 count), void *ctx);
/*
 * Alerts only: the datagram repeats counted in the per-CPU send slots, each handed to fn
 * with its struct vigil_connect_key. Returns how many.
 */
size_t vg_loader_take_send_repeats(struct vg_loader *l,
				   void (*fn)(void *ctx, const void *key, __u64 count), void *ctx);
/*
 * After a policy reload: what the kernel cached under the old one goes (the next datagram
 * to each place is sent again, to be judged anew; the allowed directories are walked again).
 */
void vg_loader_forget_cached(struct vg_loader *l);
void vg_loader_stop(struct vg_loader *l);

/*
 * [lo, hi) of kernel functions from a kallsyms file, in one pass; lo[i] = 0 where names[i]
 * is absent. Returns how many were found, or -errno.
 */
int vg_kallsyms_ranges(const char *kallsyms, const char *const *names, size_t n, __u64 *lo,
		       __u64 *hi);

#endif
