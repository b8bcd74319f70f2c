/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Least-privilege profiles (SPEC "Profiles"): what each container did in a capture, every value
 * with the events that justify it, and that rendered as the settings hardening guides ask for.
 */
#ifndef VIGIL_PROFILE_H
#define VIGIL_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "capture.h"
#include "vigil/bpf_shared.h"

struct vg_container;
struct vg_policy;

enum vg_profile_format {
	VG_PROFILE_COMPOSE,
	VG_PROFILE_DOCKER_RUN,
	VG_PROFILE_K8S,
	VG_PROFILE_SECCOMP,
	VG_PROFILE_POLICY,
	VG_PROFILE_JSON,
	VG_PROFILE_ADVICE, /* text on a terminal, else JSON */
};
/* "compose", "docker-run", "k8s", "seccomp", "policy", "json", "advice"; -1 for anything else. */
int vg_profile_format_parse(const char *s);

enum vg_profile_by {
	VG_PROFILE_BY_CONTAINER, /* one profile per container */
	VG_PROFILE_BY_IMAGE,	 /* containers of one image merged (unknown image: by container) */
};

#define VG_EVIDENCE_PROGRAMS   8
#define VG_EVIDENCE_CONTAINERS 8

/* Why a value is in a profile: the events that showed it. */
struct vg_evidence {
	__u64 count;			      /* events */
	__u64 first_ns, last_ns;	      /* CLOCK_BOOTTIME of the recording host */
	char *programs[VG_EVIDENCE_PROGRAMS]; /* distinct exe (or comm), in order of first use */
	size_t n_programs;
	bool more_programs; /* more than VG_EVIDENCE_PROGRAMS */
	__u32 first_pid;
	char *first_command; /* the first event's process command line, NULL if unknown */
	size_t containers[VG_EVIDENCE_CONTAINERS]; /* indexes into the profile's containers */
	size_t n_containers;
};

enum vg_privilege_kind {
	VG_PRIV_SECURE_EXEC, /* exec of a set-uid/set-gid/file-capability program */
	VG_PRIV_SETID,	     /* a set*id call that took a process without root to root */
};

/* One value of a profile; which fields mean something depends on the list it is in. */
struct vg_profile_item {
	char *key; /* the value as shown: "CAP_CHOWN", "/var/cache/x", "127.0.0.1:8080" ... */
	struct vg_evidence ev;
	__u32 uid, euid, gid, egid; /* users: ids at exec */
	unsigned int number; /* capabilities: the capability; mounts, privilege: the syscall */
	unsigned int ops;    /* writes: bit per enum vigil_write_op seen */
	int family;	     /* egress: AF_INET or AF_INET6 */
	__u8 addr[16];	     /* egress: network order, IPv4 in the first 4 bytes */
	__u16 port;	     /* egress */
	unsigned int protocols; /* egress: bit per enum vigil_connect_protocol seen (0: unknown) */
	bool runtime_socket; /* sockets: the kernel found it to be a host runtime socket */
	bool succeeded; /* egress, sockets: at least one connect succeeded (or was under way) */
	char *source, *target, *fstype; /* mounts */
	enum vg_privilege_kind kind;	/* privilege */
	bool escalation;		/* privilege: container_privilege_escalation fires on it */
};

struct vg_profile_items {
	struct vg_profile_item *v;
	size_t n, cap;
	size_t *slots; /* open addressing over key: index + 1, 0 empty */
	size_t n_slots;
};

struct vg_profile {
	char *name;  /* what it is called in every format: container name, image, or short id */
	char *image; /* NULL where unknown */
	struct vg_container *containers; /* the containers merged into it (one, by container) */
	size_t n_containers;
	__u64 events; /* events of its containers past set-up */
	__u64 first_ns, last_ns;
	bool entry_known; /* the first program (pid 1 of the container where seen) */
	__u32 entry_uid, entry_gid;
	bool entry_is_init;
	bool init_exited; /* its pid 1 was seen to exit: the observation covers its whole life */
	struct vg_profile_items users;		 /* key "uid/euid/gid/egid" */
	struct vg_profile_items capabilities;	 /* granted, audited, not noise */
	struct vg_profile_items writes;		 /* absolute paths written on the root filesystem */
	struct vg_profile_items relative_writes; /* rootfs writes by relative path: not placeable */
	struct vg_profile_items privilege; /* privilege gains (no-new-privileges would stop) */
	struct vg_profile_items mounts;
	struct vg_profile_items drifts; /* programs run that are not the image's: exe path */
	struct vg_profile_items sockets; /* unix sockets connected to ("@name" if abstract) */
	struct vg_profile_items egress;	 /* inet/inet6 destinations connected to */
	/* io_uring instances made: key "io_uring", or "io_uring (SQPOLL)" for a polling one */
	struct vg_profile_items io_uring;
	/* system calls, from VG_REC_SYSCALLS records of its cgroups */
	bool has_syscalls;
	bool mixed_arch;      /* records of another arch than the first were left out */
	bool syscalls_beyond; /* a record had numbers past VIGIL_SYSCALL_BITS */
	__u32 syscall_arch;
	__u64 syscall_records;
	__u64 syscalls[VIGIL_SYSCALL_WORDS];
	__u64 syscall_first_ns[VIGIL_SYSCALL_BITS]; /* when each was first read out */
};

struct vg_profile_set {
	char *file; /* the capture, as named on the command line */
	struct vg_capture_info info;
	enum vg_profile_by by;
	struct vg_profile *v;
	size_t n;
	struct vg_container *seen; /* every container of the capture, profiled or not */
	size_t n_seen;
	__u64 records, malformed, unattributed_syscalls;
	__u64 lost; /* events the recording lost (VG_REC_LOSS totals, all types) */
};

struct vg_profile_opts {
	const char *container; /* --container: id, 12+ hex prefix, or name; NULL for all */
	enum vg_profile_by by;
};

/*
 * Reads the capture to its end and derives a profile per container (or image). Set-up work of
 * the runtime and host processes are not the containers' behaviour and are left out, as the
 * rules leave them out. Returns 0 (*out set, possibly with no profile: the caller tells why),
 * -ENOMEM, or the reader's -errno.
 */
int vg_profile_derive(struct vg_capture_reader *r, const char *file,
		      const struct vg_profile_opts *o, struct vg_profile_set **out);
void vg_profile_set_free(struct vg_profile_set *s);

/*
 * The same, fed one record at a time by a reader that has other work for each (`vigil report`
 * reads a capture once for its trees and its advice). o is copied; o->container must outlive
 * the deriver. new: NULL on ENOMEM. record: what vg_profile_derive does with one record (an
 * error stops the learning and is kept for finish). finish: 0 with *out set, or -ENOMEM; frees
 * the deriver either way. free: a deriver given up on (the reader failed).
 */
struct vg_profile_deriver;
struct vg_profile_deriver *vg_profile_deriver_new(const char *file,
						  const struct vg_capture_info *info,
						  const struct vg_profile_opts *o);
void vg_profile_deriver_record(struct vg_profile_deriver *d, unsigned int type, const void *data,
			       size_t len);
int vg_profile_deriver_finish(struct vg_profile_deriver *d, struct vg_profile_set **out);
void vg_profile_deriver_free(struct vg_profile_deriver *d);


/*
 * The vigil policy the profiles make: the built-in policy with one entry per profile that allows
 * exactly what it did. Replaying the capture under it raises no alert, except on writes by
 * relative path (writable_paths are absolute), which the profile lists apart.
 */
struct vg_policy *vg_profile_policy(const struct vg_profile_set *s);

/* Writes the set in a format. 0, -ENOMEM, or -EIO when f failed. */
int vg_profile_write(FILE *f, const struct vg_profile_set *s, enum vg_profile_format format);

#endif
