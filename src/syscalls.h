/* SPDX-License-Identifier: GPL-2.0 */
/*
 * System call sets (vigil run --syscalls): from the kernel's per-cgroup bitmaps into the capture,
 * and back out of it by number and name for seccomp profiles.
 */
#ifndef VIGIL_SYSCALLS_H
#define VIGIL_SYSCALLS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "vigil/bpf_shared.h"

/*
 * The data of a VG_REC_SYSCALLS capture record (docs/capture-format.md): every system call a
 * cgroup has made since recording started (not only the new ones), so that records of one
 * cgroup are simply OR-ed together and any one of them lost costs nothing the next one has.
 */
struct vg_syscalls_record {
	__u64 cgroup_id;
	__u64 time_ns; /* CLOCK_BOOTTIME when the set was read from the kernel */
	__u32 arch;    /* AUDIT_ARCH_* (linux/audit.h) the numbers belong to */
	__u32 nbits;   /* bits in bits[]: a multiple of 64; VIGIL_SYSCALL_BITS when written */
	__u64 bits[VIGIL_SYSCALL_WORDS]; /* bit n of word n / 64: system call n was made */
};
_Static_assert(sizeof(struct vg_syscalls_record) == 24 + VIGIL_SYSCALL_BITS / 8, "layout");

#define VG_SYSCALLS_RECORD_HDR 24   /* bytes before bits[] */
#define VG_SYSCALLS_NBITS_MAX  4096 /* what a reader accepts from a newer writer */

/*
 * A record read from a capture into *out: 0, or -EINVAL when its length and nbits disagree.
 * Bits past VIGIL_SYSCALL_BITS (a newer writer's) are dropped; *beyond tells whether any was set.
 */
int vg_syscalls_record_parse(const void *data, size_t len, struct vg_syscalls_record *out,
			     bool *beyond);

/* AUDIT_ARCH_* of the system calls this build records; 0 where it has no table. */
__u32 vg_syscalls_host_arch(void);
/* The name of system call nr of arch ("openat"); NULL where the table has none. */
const char *vg_syscall_name(__u32 arch, unsigned int nr);
/* "x86_64", "arm64"; NULL for an arch without a table. */
const char *vg_syscall_arch_name(__u32 arch);
/* The seccomp profile's spelling: "SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"; NULL if unknown. */
const char *vg_syscall_seccomp_arch(__u32 arch);

/* The agent's reader of the kernel's syscall_sets map. */
struct vg_syscalls;
struct vg_pipeline;

struct vg_syscalls *vg_syscalls_new(int map_fd);
void vg_syscalls_free(struct vg_syscalls *s);
/*
 * Reads every cgroup's set from the kernel and appends a VG_REC_SYSCALLS record to p's capture
 * for each set that grew since the last call, preceded by the container's metadata record if
 * the capture has none yet. Returns how many sets grew, or -errno when the map cannot be read.
 */
int vg_syscalls_flush(struct vg_syscalls *s, struct vg_pipeline *p, __u64 now_boot_ns);
/* Forgets what was written, so that the next flush writes every set (a new capture file). */
void vg_syscalls_forget(struct vg_syscalls *s);

#endif
