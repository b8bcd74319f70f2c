/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which hooks this kernel allows, checked before load, and what that leaves unmonitored, per
 * behaviour as users name it (the start-up warning and `vigil version`).
 */
#ifndef VIGIL_HOOKS_H
#define VIGIL_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

#define VG_COVERAGE_MAX 24
#define VG_GAP_TEXT_MAX 160

/* One behaviour's hooks: how many, and the ones left out with why. */
struct vg_behaviour_cover {
	const char *behaviour; /* static: vg_hook_behaviour() */
	unsigned int hooks, missing;
	char gaps[VG_GAP_TEXT_MAX]; /* "cap_capable: no tracepoint, ..."; comma separated */
};

struct vg_coverage {
	struct vg_behaviour_cover b[VG_COVERAGE_MAX];
	unsigned int n;
	const char *cap_hook; /* the hook capability checks come through; NULL: none */
	bool socket_cast; /* connect and send hooks read sockets through bpf_rdonly_cast */
};

/* The behaviour a hook (tracepoint or kernel function name, no category) serves. */
const char *vg_hook_behaviour(const char *hook);

/* A hook of the programs: present, or left out with why (NULL: "no tracepoint"). */
void vg_coverage_hook(struct vg_coverage *cov, const char *hook, bool present, const char *why);

/*
 * What is not monitored, one line without a newline: "capability use (cap_capable: no
 * tracepoint); partly: file writes (openat2: attach refused)". "" when everything is.
 */
void vg_coverage_text(const struct vg_coverage *cov, char *out, size_t len);

struct bpf_object;
struct btf;

/*
 * Before load: every program's tracepoint must exist. The process life cycle and the cgroup
 * hooks are required (err, -ENOENT); any other missing one is left out (autoload off) and
 * recorded in cov. A system call's tracepoint missing while the syscalls category exists
 * means the kernel has no such call: nothing to watch, nothing recorded.
 */
int vg_hooks_check(struct bpf_object *obj, const struct btf *vmlinux, const char *tracefs,
		   struct vg_coverage *cov, char *err, size_t errlen);

/*
 * Capability checks: the cap_capable tracepoint where the kernel has it, else fexit on
 * cap_capable where the kernel lets a tracing program attach there, else a kprobe and a
 * kretprobe; the programs not chosen are left out. Returns the hook's name (also in
 * cov->cap_hook), NULL if none works here (recorded in cov).
 */
const char *vg_hooks_pick_capability(struct bpf_object *obj, const struct btf *vmlinux,
				     struct vg_coverage *cov);

/*
 * The connect and send hooks (connect's entry and exit, sendto, sendmsg, sendmmsg) come
 * twice: the _cast programs read the socket through bpf_rdonly_cast, where this kernel lets a
 * tracepoint program call it (6.2+), the others with a probe read per hop. One of each pair is
 * kept; VIGIL_SOCKET_CAST=0 keeps the probe reads (the tests' way to them on a kernel that has
 * both). Recorded in cov.
 */
void vg_hooks_pick_socket_reads(struct bpf_object *obj, const struct btf *vmlinux,
				struct vg_coverage *cov);

/* An attach failure of prog: false if it is required; else recorded in cov. */
bool vg_hooks_attach_failed(struct vg_coverage *cov, const char *section, int err);

#endif
