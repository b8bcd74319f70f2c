/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Map value layouts and limits the agent and the BPF programs share (not event records). */
#ifndef VIGIL_BPF_SHARED_H
#define VIGIL_BPF_SHARED_H

#ifndef __VIGIL_BPF__
#include <linux/types.h>
#endif
#include "vigil/events.h"

#define VIGIL_NOAUDIT_MAX 8 /* address ranges of callers that check without auditing */
#define VIGIL_CGNAME_MAX 128 /* bytes of a cgroup directory name examined */
#define VIGIL_CGROUP_DEPTH 8 /* ancestors examined for a nested container cgroup */
#define VIGIL_PROCS_MAX 65536
#define VIGIL_STACK_DEPTH 10

#define VIGIL_CGROUP_HOST 1
#define VIGIL_CGROUP_CONTAINER 2

/* Losses (ring buffer full) per event type, and failed map updates. */
struct vigil_counters {
	__u64 lost[VIGIL_EVENT_TYPE_MAX];
	__u64 map_fail;
};

#define VIGIL_PROC_EXECED (1u << 0) /* exec'd inside its container: no longer set-up work */

struct vigil_proc_state {
	__u64 start_time; /* guards against a reused pid */
	__u32 flags;
	__u32 reserved;
};

/* caps_seen: (process, capability, result, set-up or not) -> kinds reported (VIGIL_CAP_*) */
struct vigil_cap_key {
	__u64 start_time;
	__u32 pid;
	__u32 cap;
	__u32 ret;
	__u32 hdr_flags;
};

/*
 * Per task (task-local storage): what a system call's entry saw, for its exit to report.
 * A connect lays its record out here at entry, so that exit fills in the result and sends it
 * with one copy. (Writes need no entry: their arguments are read at exit.)
 */
struct vigil_inflight {
	__u32 type; /* enum vigil_event_type to emit at exit; 0: no call pending */
	__u32 syscall; /* enum vigil_setid_syscall / vigil_mount_syscall / vigil_write_op */
	__u64 cgroup_id; /* who made the call, as decided at entry: exit needs no second look */
	__u32 hdr_flags; /* VIGIL_F_CONTAINER, VIGIL_F_SETUP */
	__u32 addr_len;
	__u64 past_setup_cgroup; /* the task is known to be past set-up in this cgroup */
	__u32 ids[8]; /* setid: args[3], old ids[4], caller euid */
	__u64 flags; /* setid: caller euid; mount: flags */
	__u8 addr[VIGIL_UNIX_PATH_MAX + 4]; /* connect: the sockaddr as read at entry */
	union {
		char str[3][VIGIL_MNT_STR_MAX]; /* mount: strings read at entry */
		/* connect: struct vigil_connect + a unix path */
		__u64 rec[(sizeof(struct vigil_connect) + VIGIL_UNIX_PATH_MAX + 7) / 8];
	};
};

_Static_assert(sizeof(struct vigil_connect) + VIGIL_UNIX_PATH_MAX <=
		       sizeof(((struct vigil_inflight *)0)->rec),
	       "a connect record fits");

/*
 * Alerts only: an inet connect already sent for (cgroup, address, port) is counted here
 * instead of sent again; the agent takes the counts (lookup and delete) every few seconds,
 * after which the next one is sent again.
 */
#define VIGIL_CONNECT_SEEN_MAX 8192

struct vigil_connect_key {
	__u64 cgroup_id;
	__u16 family; /* VIGIL_AF_INET, VIGIL_AF_INET6, VIGIL_AF_PACKET */
	__u16 port;
	__u32 hdr_flags;
	__u8 addr[16];
	__u32 protocol; /* enum vigil_connect_protocol: udp and tcp to one place are two */
	__u32 connect_flags; /* VIGIL_CONNECT_HDRINCL, else 0: a header-writing raw socket apart */
};

/*
 * Alerts only: per CPU, the last datagram destination sent or counted, and its repeats since:
 * a storm of datagrams to one place costs a compare and an add, not a hash lookup each. A
 * slot is keyed by what the key was derived from (the sender, its socket file by identity,
 * the sockaddr's destination). `word` holds the repeats in its low VIGIL_SEND_REPEAT_BITS and
 * the slot's generation above them: the kernel swaps it whole when it reuses the slot (the
 * old repeats then go to connect_seen), and the agent takes the repeats with a compare and
 * swap that keeps the generation, so a count is taken once and for the key it belongs to.
 * `gen` is written after the key (0 while it is rewritten): the agent trusts a key only when
 * `gen` matches the generation in `word`. One slot per possible CPU, in a mmapped array.
 */
#define VIGIL_SEND_REPEAT_BITS 40
#define VIGIL_SEND_REPEAT_MASK ((1ULL << VIGIL_SEND_REPEAT_BITS) - 1)

struct vigil_send_slot {
	__u64 word;
	__u64 gen;
	struct vigil_connect_key key;
	/* what the key was derived from, besides the destination */
	__u64 file;   /* struct file of the socket */
	__u64 inode;  /* its inode, and the inode's number: never reused together */
	__u64 ino;
	__u64 epoch;  /* policy_epoch when filled: the agent bumps it on a policy reload */
	__u32 tgid;
	__u32 in_flags; /* the header flags before the set-up check */
	__u8 reserved[32]; /* a cache line each: CPUs don't share them */
};
_Static_assert(sizeof(struct vigil_send_slot) == 128, "send slot layout");

/*
 * The host's container runtime sockets by identity (the agent stats them at start and on
 * reload): a unix connect whose peer is bound to one of these files reached a runtime's API,
 * under whatever path, symlink or mount the container named it.
 */
#define VIGIL_SOCK_IDS_MAX 256

struct vigil_sock_id {
	__u64 ino;
	__u32 dev; /* the kernel's dev_t of the socket file's filesystem: major << 20 | minor */
	__u32 reserved;
};

/*
 * Alerts only, likewise: a write already sent for (cgroup, operation, path) with a path of
 * fewer than VIGIL_WRITE_SEEN_PATH bytes and no second path. The path is NUL-padded so that
 * equal paths make equal keys.
 */
#define VIGIL_WRITE_SEEN_MAX 8192
#define VIGIL_WRITE_SEEN_PATH 128

struct vigil_write_key {
	__u64 cgroup_id;
	__u32 hdr_flags;
	__u16 op; /* enum vigil_write_op */
	__u8 rootfs; /* VIGIL_ROOTFS_YES or _UNKNOWN (the agent decides) */
	__u8 reserved;
	char path[VIGIL_WRITE_SEEN_PATH];
};

/* Per task: capability checks already answered, for the class and set-up state it had. */
struct vigil_task_caps {
	__u64 cgroup_id; /* the masks hold for this cgroup and these header flags only */
	__u32 hdr_flags;
	__u32 reserved;
	__u64 done[2]; /* [granted, denied]: bit per capability, nothing more to report */
	__u64 past_setup_cgroup; /* as in vigil_inflight */
};

/*
 * Without --events or --record: paths under which every policy entry allows writes, as
 * prefixes without a trailing slash ("" for "/"). A write under one of them, whose path has
 * no ".." component, cannot alert and is not sent.
 */
#define VIGIL_WRITE_PREFIXES 16
#define VIGIL_WRITE_PREFIX_MAX 64

struct vigil_write_filter {
	__u32 n;
	__u32 len[VIGIL_WRITE_PREFIXES];
	char prefix[VIGIL_WRITE_PREFIXES][VIGIL_WRITE_PREFIX_MAX];
};

/*
 * --syscalls: per container cgroup, a bit per system call number made there. 512 bits cover
 * every number x86_64 and arm64 use; higher ones (x32's flag bit) are not recorded.
 */
#define VIGIL_SYSCALL_BITS 512
#define VIGIL_SYSCALL_WORDS (VIGIL_SYSCALL_BITS / 64)
#define VIGIL_SYSCALL_CGROUPS_MAX 4096 /* cgroups tracked at once (least recently used go) */

struct vigil_syscall_set {
	__u64 bits[VIGIL_SYSCALL_WORDS];
};

/*
 * Flood headroom. Past half full, the event ring admits a cgroup's records only within its
 * budget (bytes over time: a burst of 1/16 of the ring, then twice the ring a second), so
 * one container flooding it cannot take the room another's exec, setuid, mount or connect
 * needs. The runtime's set-up work (a burst of mounts and checks as a container starts, none
 * of which can alert) is shed past half full without spending the container's budget, and
 * fork and exit records, which raise nothing by themselves, past three quarters. What is shed is counted per (cgroup, type) for the agent.
 */
#define VIGIL_SHED_MAX 4096

struct vigil_shed_key {
	__u64 cgroup_id;
	__u32 type; /* enum vigil_event_type */
	__u32 setup; /* 1: the runtime's set-up work (VIGIL_F_SETUP), not the container's own */
};

/* A cgroup seen on this CPU: its struct cgroup address, id, and the removals count then. */
struct vigil_cgroup_slot {
	__u64 cgrp; /* 0: empty (being written) */
	__u64 id;
	__u64 gen;
};

/* Per CPU: the last host and container cgroups seen, and the last unarmed call. */
/*
 * Alerts only: the last directory a write's path walk found allowed (every file in it is
 * under a prefix of vigil_write_filter), known by its dentries up to the task's root and
 * their names: an open of a single-name file whose parents still match needs no walk.
 */
#define VIGIL_ALLOWED_DIR_DEPTH 4

struct vigil_allowed_dir {
	__u64 epoch; /* policy_epoch when filled */
	__u64 root; /* the task's root dentry the walk ended at */
	__u64 dentry[VIGIL_ALLOWED_DIR_DEPTH]; /* the directory, then its parents, below root */
	__u64 name[VIGIL_ALLOWED_DIR_DEPTH]; /* each one's d_name.hash_len */
	__u32 depth; /* entries used; 0 while empty or rewritten */
	__u32 reserved;
};

struct vigil_cpu_state {
	struct vigil_cgroup_slot last[2]; /* [0] host, [1] container */
	__u64 unarmed_call; /* vg_call_stamp() of the last entry that armed nothing here */
	struct vigil_allowed_dir allowed_dir;
};

#define VIGIL_CGROUP_NAME_MAX 256 /* a cgroup directory name in a path sent (NAME_MAX + 1) */
#define VIGIL_CGROUP_PATH_DEPTH 16 /* directories of a path sent */

struct vigil_scratch {
	char buf[VIGIL_EVENT_MAX_SIZE];
	/* a cgroup record: classifying happens inside hooks that are filling buf */
	char cgrec[sizeof(struct vigil_cgroup) + VIGIL_CGROUP_PATH_MAX + VIGIL_CGROUP_NAME_MAX];
	/* its kernfs nodes, leaf first: here, not on a stack that hooks' own frames share */
	__u64 cgchain[VIGIL_CGROUP_PATH_DEPTH];
	char cgname[VIGIL_CGNAME_MAX + 8]; /* slack: fixed-length compares past a short name */
	__u64 stack[VIGIL_STACK_DEPTH];
	/* a path walked up from a dentry, built from its end: names land at [0, 2 * PATH_MAX) */
	char walk[2 * VIGIL_PATH_MAX];
};

#endif
