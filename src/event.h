/* SPDX-License-Identifier: GPL-2.0 */
/* Decoding of raw records (ring buffer or capture) into validated views. */
#ifndef VIGIL_EVENT_H
#define VIGIL_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include "vigil/events.h"

/*
 * A decoded event: pointers into the raw record (which must outlive it) plus the
 * variable-length parts split out and checked. Every string is NUL terminated inside
 * the record; decode refuses a record whose lengths don't add up.
 */
struct vg_event {
	const struct vigil_event_header *hdr;
	union {
		const struct vigil_exec *exec;
		const struct vigil_fork *fork;
		const struct vigil_exit *exit;
		const struct vigil_setid *setid;
		const struct vigil_capable *capable;
		const struct vigil_mount *mount;
		const struct vigil_connect *connect;
		const struct vigil_write *write;
		const struct vigil_io_uring *io_uring;
		const void *raw;
	};
	/* exec: exe; mount: source; connect: unix path; write: path */
	const char *str1;
	/*
	 * exec: argv block (argc strings); mount: target; write: the second path as given (rename:
	 * the new name; link: the file linked to; symlink: the link's text)
	 */
	const char *str2;
	/* mount: fstype */
	const char *str3;
	unsigned int args_len; /* exec: bytes of the argv block */
	unsigned int argc; /* exec: number of strings in the argv block */
	/*
	 * write: VIGIL_ROOTFS_YES/NO, decided by the kernel or (for VIGIL_ROOTFS_UNKNOWN in the
	 * record) by the agent from the container's mounts before rules run.
	 */
	int rootfs;
	/*
	 * The path resolved from kernel objects: write: the opened file's; exec: the file the
	 * kernel executed. NULL in records that carry none (older captures, unlink/rename/mkdir).
	 * path_flags: VIGIL_PATH_* of it.
	 */
	const char *rpath;
	/*
	 * write: the second path resolved (rename: the new name; link: the file linked to), from
	 * what remains of the record after rpath; NULL where the record has none.
	 */
	const char *rpath2;
	unsigned int path_flags;
	/* write: rpath/rpath2 went through symlinks the container made (the agent's linktab) */
	bool symlinks_followed;
	bool has_file; /* exec: file holds what the kernel executed */
	struct vigil_exec_file file;
};

/* io_uring setup_flags: IORING_SETUP_SQPOLL, a kernel thread that polls the submission queue */
#define VG_IORING_SETUP_SQPOLL (1u << 1)

/* Returns 0, or -EINVAL when the record is malformed (bad type, sizes, strings). */
int vg_event_decode(const void *data, size_t size, struct vg_event *ev);

const char *vg_event_type_name(unsigned int type); /* "exec", ...; "unknown" */
/* "tcp", "udp", "raw", "packet", "unix"; NULL for 0 (records before protocols) or unknown */
const char *vg_connect_protocol_name(unsigned int protocol);
/* "connect", "sendto", "sendmsg", "sendmmsg", "io_uring"; NULL for 0 or unknown */
const char *vg_connect_via_name(unsigned int via);
const char *vg_setid_syscall_name(unsigned int syscall); /* "setresuid", ... */
const char *vg_mount_syscall_name(unsigned int syscall); /* "mount", "fsmount", ... */
/* "open", "unlink", "rename", "mkdir", "link", "symlink" */
const char *vg_write_op_name(unsigned int op);
const char *vg_io_uring_op_name(unsigned int op); /* "create"; "unknown" */
/* A wait status (exit records carry it raw) as users read it. */
struct vg_exit_status {
	int code; /* the exit code (0-255); -1 when a signal ended the process */
	int signal; /* the terminating signal; 0: none */
	bool core_dumped;
};
struct vg_exit_status vg_exit_status(__s32 status);
const char *vg_cap_name(unsigned int cap); /* "CAP_CHOWN", ...; NULL if unknown */
int vg_cap_from_name(const char *name); /* accepts "CAP_CHOWN" and "chown"; -1 if unknown */
#define VG_CAP_LAST 40 /* CAP_CHECKPOINT_RESTORE */

/* exec: the file the kernel executed, resolved; else the path passed to execve ("" if none) */
const char *vg_event_exe(const struct vg_event *ev);
/* VIGIL_ORIGIN_*: "image", "upper", "mount", "rootfs", "memory"; "unknown" */
const char *vg_origin_name(unsigned int origin);
/* write: the path rules judge: resolved from kernel objects where the record has it */
const char *vg_event_write_path(const struct vg_event *ev);
/*
 * write: the second path: rename's new name or link's target, resolved where the record has it
 * (rpath2), else as given; a symlink's text as given (never resolved: it names nothing yet).
 * NULL for the ops with one path.
 */
const char *vg_event_write_path2(const struct vg_event *ev);
/* write: the record was made by an io_uring request, not a system call */
bool vg_event_by_io_uring(const struct vg_event *ev);

/* Renders O_* flags as "O_WRONLY|O_CREAT|O_TRUNC"; returns buf. */
const char *vg_open_flags_str(unsigned int flags, char *buf, size_t size);

#endif
