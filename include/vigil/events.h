/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one contract between the BPF programs and the agent.
 *
 * Every record in the ring buffer (and every event record in a capture file) starts with
 * struct vigil_event_header; header.size is the length of the whole record, header and
 * variable tail included. Fixed payload fields come first, variable-length strings last,
 * so a record is never larger than what it carries. Only fixed-width types appear here,
 * and every size is asserted, so that the layout is the same for clang -target bpf, gcc on
 * the agent side, and a capture read on another machine (little-endian is assumed and
 * checked by the capture reader).
 */
#ifndef VIGIL_EVENTS_H
#define VIGIL_EVENTS_H

#ifdef __VIGIL_BPF__
/* vmlinux.h provides __u8.. __u64 */
#else
#include <linux/types.h>
#endif

#define VIGIL_COMM_LEN 16
#define VIGIL_EXE_MAX 256 /* exe path as given to execve, NUL included */
#define VIGIL_ARGS_MAX 1024 /* argv bytes, NUL separated */
#define VIGIL_PATH_MAX 256 /* a file path as given to the system call, NUL included */
#define VIGIL_MNT_STR_MAX 128 /* mount source/target/fstype */
#define VIGIL_UNIX_PATH_MAX 108 /* sizeof(sockaddr_un.sun_path) */

enum vigil_event_type {
	VIGIL_EVENT_EXEC = 1,
	VIGIL_EVENT_FORK = 2,
	VIGIL_EVENT_EXIT = 3,
	VIGIL_EVENT_SETUID = 4,
	VIGIL_EVENT_SETGID = 5,
	VIGIL_EVENT_CAPABLE = 6,
	VIGIL_EVENT_MOUNT = 7,
	VIGIL_EVENT_CONNECT = 8,
	VIGIL_EVENT_WRITE = 9,
	VIGIL_EVENT_CGROUP = 10, /* a container's cgroup: its path, once, before its events */
	VIGIL_EVENT_IO_URING = 11, /* an io_uring instance made in a container */
	VIGIL_EVENT_TYPE_MAX, /* keep last */ /* one past the last; sizes per-type counter arrays */
};

/* header.flags */
#define VIGIL_F_CONTAINER (1u << 0) /* the kernel classified the cgroup as a container */
#define VIGIL_F_SETUP (1u << 1) /* the container runtime's set-up work (runc init ...) */
#define VIGIL_F_SNAPSHOT (1u << 2) /* synthesised at start-up for a process that predates vigil */
/* made by an io_uring request, not a system call: sent at submission, from the kernel's copy
 * of the request's arguments, or (an open) at its completion */
#define VIGIL_F_IO_URING (1u << 3)

struct vigil_event_header {
	__u16 type; /* enum vigil_event_type */
	__u16 size; /* bytes of the whole record */
	__u32 flags; /* VIGIL_F_* */
	__u64 time_ns; /* CLOCK_BOOTTIME */
	__u64 cgroup_id; /* cgroup v2 id (kernfs inode) of the task */
	__u32 pid; /* thread group id */
	__u32 tid;
};
_Static_assert(sizeof(struct vigil_event_header) == 32, "header layout");

/* exec_flags */
#define VIGIL_EXEC_SECUREEXEC (1u << 0) /* set-uid/set-gid/file-capability exec */
#define VIGIL_EXEC_EXE_TRUNC (1u << 1)
#define VIGIL_EXEC_ARGS_TRUNC (1u << 2)
#define VIGIL_EXEC_HAS_FILE (1u << 3) /* a struct vigil_exec_file follows the args */

struct vigil_exec {
	struct vigil_event_header hdr;
	__u64 start_time; /* task->start_time: with pid, the key of a process */
	__u64 parent_start_time;
	__u32 ppid;
	__u32 vpid; /* pid in the task's own pid namespace */
	__u32 uid;
	__u32 euid;
	__u32 gid;
	__u32 egid;
	__u32 exec_flags;
	__u16 exe_len; /* bytes of exe in data[], NUL included */
	__u16 args_len; /* bytes of args in data[] after exe */
	char comm[VIGIL_COMM_LEN];
	char data[]; /* exe, then argv strings each NUL terminated */
};
_Static_assert(sizeof(struct vigil_exec) == 96, "exec layout");

/* vigil_exec_file.origin: where the executed file lies, as the kernel's objects say */
#define VIGIL_ORIGIN_UNKNOWN 0
#define VIGIL_ORIGIN_IMAGE 1 /* overlayfs root, lower layer only: part of the image */
#define VIGIL_ORIGIN_UPPER 2 /* overlayfs root, upper layer: written or changed since start */
#define VIGIL_ORIGIN_MOUNT 3 /* another mount than the root: tmpfs, volume, /dev/shm ... */
#define VIGIL_ORIGIN_ROOTFS 4 /* the root mount, not overlayfs: layers can't be told apart */
#define VIGIL_ORIGIN_NONAME 5 /* no name under the root: memfd, deleted, O_TMPFILE */

/* path_flags (write and exec file): how the path resolved from kernel objects came out */
#define VIGIL_PATH_RESOLVED (1u << 0) /* a resolved path is in the record */
#define VIGIL_PATH_TRUNC (1u << 1) /* too deep or too long: the walk did not finish */
#define VIGIL_PATH_UNREACHABLE (1u << 2) /* not under the task's root (memfd, other root) */
#define VIGIL_PATH_DELETED (1u << 3) /* unlinked, or no link at all */
#define VIGIL_PATH_MULTILINK (1u << 4) /* a file with other names (i_nlink > 1) */
/*
 * The directory came from kernel objects (the dirfd's or the working directory's path walked
 * up to the task's root), the last components are the name as given: the calls that make or
 * remove a name (unlink, rename, mkdir, link, symlink) leave no object to walk from.
 */
#define VIGIL_PATH_JOINED (1u << 5)
/*
 * The names read at the system call's exit differ from those read at its entry: a thread
 * rewrote them during the call, so the kernel may have acted on other names than reported.
 */
#define VIGIL_PATH_CHANGED (1u << 6)

/*
 * With VIGIL_EXEC_HAS_FILE, after exe and args in exec.data[] (unaligned: copy it out):
 * what the kernel executed (bprm->file), then its path resolved up to the task's root.
 * Old records have no such block, so captures made before it still read.
 */
struct vigil_exec_file {
	__u64 ino;
	__u32 nlink;
	__u16 path_len; /* bytes of the resolved path that follows, NUL included */
	__u8 origin; /* VIGIL_ORIGIN_* */
	__u8 path_flags; /* VIGIL_PATH_* */
};
_Static_assert(sizeof(struct vigil_exec_file) == 16, "exec file layout");

/* hdr.pid is the parent; the child is a new process (threads are not reported) */
struct vigil_fork {
	struct vigil_event_header hdr;
	__u64 parent_start_time;
	__u64 child_start_time;
	__u32 child_pid;
	__u32 child_vpid;
};
_Static_assert(sizeof(struct vigil_fork) == 56, "fork layout");

/* the whole process has exited (last thread) */
struct vigil_exit {
	struct vigil_event_header hdr;
	__u64 start_time;
	__s32 exit_code; /* wait status as the parent sees it */
	__u32 reserved;
};
_Static_assert(sizeof(struct vigil_exit) == 48, "exit layout");

enum vigil_setid_syscall {
	VIGIL_SYS_SETUID = 1,
	VIGIL_SYS_SETREUID,
	VIGIL_SYS_SETRESUID,
	VIGIL_SYS_SETFSUID,
	VIGIL_SYS_SETGID,
	VIGIL_SYS_SETREGID,
	VIGIL_SYS_SETRESGID,
	VIGIL_SYS_SETFSGID,
	VIGIL_SYS_SETID_MAX,
};

#define VIGIL_ID_UNCHANGED 0xffffffffu

/*
 * VIGIL_EVENT_SETUID / VIGIL_EVENT_SETGID. Ids are of the family the call changes (uids for
 * the setuid family, gids for the setgid family), in the order real, effective, saved, fs.
 * args[] are as passed (VIGIL_ID_UNCHANGED where the call has no such argument).
 * old_ids[] are read at entry, new_ids[] after the call returned, so a failed call shows
 * no change. uid/euid are the caller's user ids before the call, for either family.
 */
struct vigil_setid {
	struct vigil_event_header hdr;
	__u32 syscall; /* enum vigil_setid_syscall */
	__s32 ret;
	__u32 args[3];
	__u32 old_ids[4];
	__u32 new_ids[4];
	__u32 uid;
	__u32 euid;
	__u32 reserved;
};
_Static_assert(sizeof(struct vigil_setid) == 96, "setid layout");

/* cap_flags */
#define VIGIL_CAP_AUDITED (1u << 0) /* an audited check: the kernel would log a denial */
#define VIGIL_CAP_NOISE (1u << 1) /* a known non-use check (vm_enough_memory ...) */

struct vigil_capable {
	struct vigil_event_header hdr;
	__u32 cap;
	__s32 ret; /* 0: granted */
	__u32 cap_flags;
	__u32 uid;
	__u32 euid;
	__u32 reserved;
};
_Static_assert(sizeof(struct vigil_capable) == 56, "capable layout");

enum vigil_mount_syscall {
	VIGIL_SYS_MOUNT = 1,
	VIGIL_SYS_FSMOUNT,
	VIGIL_SYS_MOVE_MOUNT,
	VIGIL_SYS_OPEN_TREE,
	VIGIL_SYS_FSCONFIG,
	VIGIL_SYS_MOUNT_MAX,
};

/*
 * Strings follow in data[]: source, target, fstype, each NUL terminated (length 1 when
 * absent). mount: source, target, fstype, flags. move_mount: from path, to path.
 * open_tree: path, flags. fsconfig: key as source, value as target, cmd in flags.
 * fsmount: flags only.
 */
struct vigil_mount {
	struct vigil_event_header hdr;
	__u32 syscall; /* enum vigil_mount_syscall */
	__s32 ret;
	__u64 flags;
	__u16 source_len;
	__u16 target_len;
	__u16 fstype_len;
	__u16 reserved;
	char data[];
};
_Static_assert(sizeof(struct vigil_mount) == 56, "mount layout");

#define VIGIL_AF_UNIX 1
#define VIGIL_AF_INET 2
#define VIGIL_AF_INET6 10

#define VIGIL_AF_PACKET 17

/* connect_flags */
#define VIGIL_CONNECT_ABSTRACT (1u << 0) /* unix socket in the abstract namespace */
#define VIGIL_CONNECT_PEER (1u << 1) /* unix: peer.ino/peer.dev name the socket file reached */
/* unix: the socket reached is one of the host's runtime sockets, by identity (kernel's map) */
#define VIGIL_CONNECT_RUNTIME_SOCKET (1u << 2)
#define VIGIL_CONNECT_BEFORE_CALL (1u << 3) /* sent at the call's entry: ret is not known */
/* raw: the socket writes its own IP header (IP_HDRINCL, IPPROTO_RAW): that names the target */
#define VIGIL_CONNECT_HDRINCL (1u << 4)

/* protocol: what kind of socket, from the kernel's struct sock (0 in records before it) */
enum vigil_connect_protocol {
	VIGIL_PROTO_UNKNOWN = 0,
	VIGIL_PROTO_TCP = 1, /* any stream socket of inet/inet6 */
	VIGIL_PROTO_UDP = 2, /* datagram sockets of inet/inet6 (udp, udplite) */
	VIGIL_PROTO_RAW = 3, /* SOCK_RAW, and ping (icmp datagram) sockets */
	VIGIL_PROTO_PACKET = 4, /* AF_PACKET */
	VIGIL_PROTO_UNIX = 5,
	VIGIL_PROTO_MAX,
};

/* via: how the destination was given to the kernel (0 in records before it: connect) */
enum vigil_connect_via {
	VIGIL_VIA_UNKNOWN = 0,
	VIGIL_VIA_CONNECT = 1,
	VIGIL_VIA_SENDTO = 2,
	VIGIL_VIA_SENDMSG = 3,
	VIGIL_VIA_SENDMMSG = 4,
	VIGIL_VIA_IO_URING = 5, /* no system call: seen as the kernel's TCP state change */
	VIGIL_VIA_MAX,
};

/*
 * A new destination: connect(2), a datagram sent with an address, a TCP connect made
 * without a system call (io_uring). Addresses are read before the kernel acts on them
 * (connect, send*: at entry, so a racing thread can't change what is reported), or from the
 * kernel's own socket (io_uring). For unix sockets, addr is peer: the socket file the
 * connect reached (its inode and the kernel's dev_t of its filesystem), read from the
 * connected socket's peer at exit, whatever path the caller named. packet: port is the
 * ethertype and addr holds the interface index (first 4 bytes).
 */
struct vigil_connect {
	struct vigil_event_header hdr;
	__s32 ret; /* 0 or -EINPROGRESS: connected or under way; sends: bytes or messages */
	__u16 family; /* VIGIL_AF_* */
	__u16 port; /* host byte order */
	union {
		__u8 addr[16]; /* IPv4 in the first 4 bytes, network order */
		struct {
			__u64 ino;
			__u32 dev; /* kernel encoding: major << 20 | minor */
			__u32 reserved;
		} peer;
	};
	__u32 connect_flags;
	__u16 path_len; /* bytes of path in data[], unix only; abstract names start after '@' */
	__u8 protocol; /* enum vigil_connect_protocol */
	__u8 via; /* enum vigil_connect_via */
	char data[];
};
_Static_assert(sizeof(struct vigil_connect) == 64, "connect layout");

enum vigil_write_op {
	VIGIL_WRITE_OPEN = 1, /* open/openat/openat2/creat for writing or creating */
	VIGIL_WRITE_UNLINK,
	VIGIL_WRITE_RENAME,
	VIGIL_WRITE_MKDIR,
	VIGIL_WRITE_LINK, /* link/linkat: path is the new name, path2 the file linked to */
	VIGIL_WRITE_SYMLINK, /* symlink/symlinkat: path is the new link's name, path2 its text */
	VIGIL_WRITE_OP_MAX,
};

/* rootfs */
#define VIGIL_ROOTFS_NO 0 /* on another mount than the task's root: volume, tmpfs ... */
#define VIGIL_ROOTFS_YES 1 /* on the mount of the task's root directory */
#define VIGIL_ROOTFS_UNKNOWN 2 /* not decided in the kernel: the agent resolves the path */

/*
 * data[]: path, then (rename, link, symlink) the second path, each NUL terminated, as given
 * to the call, then (rpath_len > 0) the path resolved from kernel objects: for open, the
 * opened file's f_path walked up to the task's root; for the other calls, the first path
 * joined to its directory (VIGIL_PATH_JOINED). Then, in what remains of hdr.size (records
 * before it have nothing there), the second path joined to its directory, NUL terminated:
 * a rename's new name, a link's target (for linkat(fd, "", AT_EMPTY_PATH) and a
 * "/proc/self/fd/N" target, the fd's own file walked up from kernel objects). path_flags says how the walks came
 * out (VIGIL_PATH_*, either path's).
 * For open, rootfs compares the opened file's mount with the task's root mount. For the
 * other calls, the kernel decides only relative paths (by the mount of the directory they
 * are relative to) and leaves absolute ones to the agent.
 */
struct vigil_write {
	struct vigil_event_header hdr;
	__u32 op; /* enum vigil_write_op */
	__s32 ret;
	__u32 open_flags; /* O_* as passed */
	__u32 mode;
	__u8 rootfs; /* VIGIL_ROOTFS_* */
	__u8 path_flags; /* VIGIL_PATH_*; 0 in records made before resolution */
	__u16 path_len;
	__u16 path2_len;
	__u16 rpath_len; /* bytes of the resolved path, NUL included; 0 when absent */
	char data[];
};
_Static_assert(sizeof(struct vigil_write) == 56, "write layout");

/* io_uring op */
#define VIGIL_IO_URING_CREATE 1 /* io_uring_setup(2) made an instance */

/* VIGIL_EVENT_IO_URING: io_uring in a container, a way around system-call hooks and seccomp */
struct vigil_io_uring {
	struct vigil_event_header hdr;
	__u32 op; /* VIGIL_IO_URING_* */
	__s32 fd; /* the instance's fd */
	__u32 sq_entries;
	__u32 setup_flags; /* IORING_SETUP_* (SQPOLL: submissions without any system call) */
};
_Static_assert(sizeof(struct vigil_io_uring) == 48, "io_uring layout");

/* cgroup_flags */
#define VIGIL_CGROUP_CREATED (1u << 0) /* sent from cgroup_mkdir, else on first sight */
#define VIGIL_CGROUP_REMOVED (1u << 1) /* the cgroup is gone (cgroup_rmdir); no path */
#define VIGIL_CGROUP_PATH_TRUNC (1u << 2) /* deeper or longer than the path sent */

#define VIGIL_CGROUP_PATH_MAX 1024 /* path bytes, NUL included */

/*
 * VIGIL_EVENT_CGROUP, on a ring buffer of its own that wakes the agent at once: the kernel
 * classified hdr.cgroup_id as a container's when it was created (or on first sight, for one
 * that predates vigil), and sends what it read, so that attribution never depends on a
 * lookup after the container is gone. Sent before any other record of that cgroup; hdr.pid
 * is the task that caused it (the runtime making the directory, or the first task seen).
 */
struct vigil_cgroup {
	struct vigil_event_header hdr;
	__u32 cgroup_flags; /* VIGIL_CGROUP_* */
	__u16 path_len; /* bytes of path in data[], NUL included; 0 for a removal */
	__u16 reserved;
	char data[]; /* the path below the cgroup v2 root: "/libpod_parent/libpod-<id>" */
};
_Static_assert(sizeof(struct vigil_cgroup) == 40, "cgroup layout");

/* Loss and error counters, indexed by event type (0 counts map-update failures). */
#define VIGIL_COUNTERS VIGIL_EVENT_TYPE_MAX

/* The largest record any program emits: bounds the per-CPU scratch buffer. */
#define VIGIL_EVENT_MAX_SIZE 2048
_Static_assert(sizeof(struct vigil_exec) + VIGIL_EXE_MAX + VIGIL_ARGS_MAX +
		       sizeof(struct vigil_exec_file) + VIGIL_PATH_MAX <=
		       VIGIL_EVENT_MAX_SIZE,
	       "exec fits");
_Static_assert(sizeof(struct vigil_write) + 4 * VIGIL_PATH_MAX <= VIGIL_EVENT_MAX_SIZE,
	       "write fits");
_Static_assert(sizeof(struct vigil_mount) + 3 * VIGIL_MNT_STR_MAX <= VIGIL_EVENT_MAX_SIZE,
	       "mount fits");
_Static_assert(sizeof(struct vigil_cgroup) + VIGIL_CGROUP_PATH_MAX <= VIGIL_EVENT_MAX_SIZE,
	       "cgroup fits");

#endif /* VIGIL_EVENTS_H */
