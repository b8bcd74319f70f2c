// SPDX-License-Identifier: GPL-2.0
/* Decoding raw records into checked views, and the names events are printed with. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "event.h"

static const __u16 fixed_size[VIGIL_EVENT_TYPE_MAX] = {
	[VIGIL_EVENT_EXEC] = sizeof(struct vigil_exec),
	[VIGIL_EVENT_FORK] = sizeof(struct vigil_fork),
	[VIGIL_EVENT_EXIT] = sizeof(struct vigil_exit),
	[VIGIL_EVENT_SETUID] = sizeof(struct vigil_setid),
	[VIGIL_EVENT_SETGID] = sizeof(struct vigil_setid),
	[VIGIL_EVENT_CAPABLE] = sizeof(struct vigil_capable),
	[VIGIL_EVENT_MOUNT] = sizeof(struct vigil_mount),
	[VIGIL_EVENT_CONNECT] = sizeof(struct vigil_connect),
	[VIGIL_EVENT_WRITE] = sizeof(struct vigil_write),
	[VIGIL_EVENT_CGROUP] = sizeof(struct vigil_cgroup),
	[VIGIL_EVENT_IO_URING] = sizeof(struct vigil_io_uring),
};

/* A string of exactly len bytes (NUL included) at p, inside [p, end). */
static const char *take_str(const char **p, const char *end, size_t len)
{
	const char *s = *p;

	if (len == 0 || len > (size_t)(end - s) || s[len - 1] != 0)
		return NULL;
	*p = s + len;
	return s;
}

int vg_event_decode(const void *data, size_t size, struct vg_event *ev)
{
	const struct vigil_event_header *h = data;
	const char *p, *end;

	memset(ev, 0, sizeof(*ev));
	if (size < sizeof(*h) || h->size != size || h->type == 0 ||
	    h->type >= VIGIL_EVENT_TYPE_MAX || size < fixed_size[h->type])
		return -EINVAL;
	ev->hdr = h;
	ev->raw = data;
	p = (const char *)data + fixed_size[h->type];
	end = (const char *)data + size;

	switch (h->type) {
	case VIGIL_EVENT_EXEC: {
		const struct vigil_exec *e = data;

		/* snapshot records of the start-up walk carry no strings */
		if (e->exe_len == 0 && e->args_len == 0) {
			ev->str1 = "";
			ev->str2 = "";
			break;
		}
		ev->str1 = take_str(&p, end, e->exe_len);
		if (!ev->str1 || e->args_len > (size_t)(end - p))
			return -EINVAL;
		ev->str2 = p;
		ev->args_len = e->args_len;
		if (e->exec_flags & VIGIL_EXEC_HAS_FILE) {
			const char *q = p + e->args_len;

			if ((size_t)(end - q) < sizeof(ev->file))
				return -EINVAL;
			memcpy(&ev->file, q, sizeof(ev->file));
			q += sizeof(ev->file);
			ev->rpath = take_str(&q, end, ev->file.path_len);
			if (!ev->rpath)
				return -EINVAL;
			ev->has_file = true;
			ev->path_flags = ev->file.path_flags;
		}
		/* argv strings; a truncated last one has no NUL and still counts */
		for (unsigned int i = 0; i < e->args_len; i++)
			if (p[i] == 0 || i + 1 == e->args_len)
				ev->argc++;
		break;
	}
	case VIGIL_EVENT_MOUNT: {
		const struct vigil_mount *m = data;

		ev->str1 = take_str(&p, end, m->source_len);
		ev->str2 = take_str(&p, end, m->target_len);
		ev->str3 = take_str(&p, end, m->fstype_len);
		if (!ev->str1 || !ev->str2 || !ev->str3)
			return -EINVAL;
		break;
	}
	case VIGIL_EVENT_CONNECT: {
		const struct vigil_connect *c = data;

		if (c->family == VIGIL_AF_UNIX) {
			ev->str1 = take_str(&p, end, c->path_len);
			if (!ev->str1)
				return -EINVAL;
		} else if (c->family != VIGIL_AF_INET && c->family != VIGIL_AF_INET6 &&
			   c->family != VIGIL_AF_PACKET) {
			return -EINVAL;
		}
		break;
	}
	case VIGIL_EVENT_WRITE: {
		const struct vigil_write *w = data;

		ev->str1 = take_str(&p, end, w->path_len);
		ev->str2 = take_str(&p, end, w->path2_len);
		if (!ev->str1 || !ev->str2 || w->op == 0 || w->op >= VIGIL_WRITE_OP_MAX)
			return -EINVAL;
		if (w->rpath_len) {
			ev->rpath = take_str(&p, end, w->rpath_len);
			if (!ev->rpath)
				return -EINVAL;
			ev->path_flags = w->path_flags;
		}
		/* the second resolved path, in what remains (records before it end here) */
		if (p < end) {
			if (!memchr(p, 0, (size_t)(end - p)))
				return -EINVAL;
			ev->rpath2 = p;
			ev->path_flags = w->path_flags;
		}
		ev->rootfs = w->rootfs;
		break;
	}
	case VIGIL_EVENT_IO_URING:
		if (ev->io_uring->op != VIGIL_IO_URING_CREATE)
			return -EINVAL;
		break;
	case VIGIL_EVENT_CGROUP: {
		const struct vigil_cgroup *g = data;

		/* a removal has no path; anything else has an absolute one */
		if (g->cgroup_flags & VIGIL_CGROUP_REMOVED) {
			ev->str1 = g->path_len ? take_str(&p, end, g->path_len) : "";
		} else {
			ev->str1 = take_str(&p, end, g->path_len);
			if (ev->str1 && ev->str1[0] != '/')
				return -EINVAL;
		}
		if (!ev->str1)
			return -EINVAL;
		break;
	}
	default:
		break;
	}
	return 0;
}

const char *vg_event_type_name(unsigned int type)
{
	static const char *const names[VIGIL_EVENT_TYPE_MAX] = {
		[VIGIL_EVENT_EXEC] = "exec",	     [VIGIL_EVENT_FORK] = "fork",
		[VIGIL_EVENT_EXIT] = "exit",	     [VIGIL_EVENT_SETUID] = "setuid",
		[VIGIL_EVENT_SETGID] = "setgid",     [VIGIL_EVENT_CAPABLE] = "capable",
		[VIGIL_EVENT_MOUNT] = "mount",	     [VIGIL_EVENT_CONNECT] = "connect",
		[VIGIL_EVENT_WRITE] = "write",	     [VIGIL_EVENT_CGROUP] = "cgroup",
		[VIGIL_EVENT_IO_URING] = "io_uring",
	};

	return type < VIGIL_EVENT_TYPE_MAX && names[type] ? names[type] : "unknown";
}

const char *vg_connect_protocol_name(unsigned int protocol)
{
	static const char *const names[VIGIL_PROTO_MAX] = {
		[VIGIL_PROTO_TCP] = "tcp",	 [VIGIL_PROTO_UDP] = "udp",
		[VIGIL_PROTO_RAW] = "raw",	 [VIGIL_PROTO_PACKET] = "packet",
		[VIGIL_PROTO_UNIX] = "unix",
	};

	return protocol < VIGIL_PROTO_MAX ? names[protocol] : NULL;
}

const char *vg_connect_via_name(unsigned int via)
{
	static const char *const names[VIGIL_VIA_MAX] = {
		[VIGIL_VIA_CONNECT] = "connect",   [VIGIL_VIA_SENDTO] = "sendto",
		[VIGIL_VIA_SENDMSG] = "sendmsg",   [VIGIL_VIA_SENDMMSG] = "sendmmsg",
		[VIGIL_VIA_IO_URING] = "io_uring",
	};

	return via < VIGIL_VIA_MAX ? names[via] : NULL;
}

const char *vg_setid_syscall_name(unsigned int syscall)
{
	static const char *const names[VIGIL_SYS_SETID_MAX] = {
		[VIGIL_SYS_SETUID] = "setuid",	     [VIGIL_SYS_SETREUID] = "setreuid",
		[VIGIL_SYS_SETRESUID] = "setresuid", [VIGIL_SYS_SETFSUID] = "setfsuid",
		[VIGIL_SYS_SETGID] = "setgid",	     [VIGIL_SYS_SETREGID] = "setregid",
		[VIGIL_SYS_SETRESGID] = "setresgid", [VIGIL_SYS_SETFSGID] = "setfsgid",
	};

	return syscall < VIGIL_SYS_SETID_MAX && names[syscall] ? names[syscall] : "unknown";
}

const char *vg_mount_syscall_name(unsigned int syscall)
{
	static const char *const names[VIGIL_SYS_MOUNT_MAX] = {
		[VIGIL_SYS_MOUNT] = "mount",	       [VIGIL_SYS_FSMOUNT] = "fsmount",
		[VIGIL_SYS_MOVE_MOUNT] = "move_mount", [VIGIL_SYS_OPEN_TREE] = "open_tree",
		[VIGIL_SYS_FSCONFIG] = "fsconfig",
	};

	return syscall < VIGIL_SYS_MOUNT_MAX && names[syscall] ? names[syscall] : "unknown";
}

const char *vg_event_exe(const struct vg_event *ev)
{
	if (ev->rpath && ev->rpath[0])
		return ev->rpath;
	return ev->str1 ? ev->str1 : "";
}

const char *vg_origin_name(unsigned int origin)
{
	static const char *const names[] = {
		[VIGIL_ORIGIN_UNKNOWN] = "unknown", [VIGIL_ORIGIN_IMAGE] = "image",
		[VIGIL_ORIGIN_UPPER] = "upper",	    [VIGIL_ORIGIN_MOUNT] = "mount",
		[VIGIL_ORIGIN_ROOTFS] = "rootfs",   [VIGIL_ORIGIN_NONAME] = "memory",
	};

	return origin < sizeof(names) / sizeof(names[0]) ? names[origin] : "unknown";
}

const char *vg_event_write_path(const struct vg_event *ev)
{
	return ev->rpath && ev->rpath[0] ? ev->rpath : ev->str1;
}

const char *vg_event_write_path2(const struct vg_event *ev)
{
	switch (ev->write->op) {
	case VIGIL_WRITE_RENAME:
	case VIGIL_WRITE_LINK:
		return ev->rpath2 && ev->rpath2[0] ? ev->rpath2 : ev->str2;
	case VIGIL_WRITE_SYMLINK:
		return ev->str2;
	default:
		return NULL;
	}
}

bool vg_event_by_io_uring(const struct vg_event *ev)
{
	return ev->hdr->flags & VIGIL_F_IO_URING;
}

const char *vg_write_op_name(unsigned int op)
{
	static const char *const names[VIGIL_WRITE_OP_MAX] = {
		[VIGIL_WRITE_OPEN] = "open",	 [VIGIL_WRITE_UNLINK] = "unlink",
		[VIGIL_WRITE_RENAME] = "rename", [VIGIL_WRITE_MKDIR] = "mkdir",
		[VIGIL_WRITE_LINK] = "link",	 [VIGIL_WRITE_SYMLINK] = "symlink",
	};

	return op < VIGIL_WRITE_OP_MAX && names[op] ? names[op] : "unknown";
}

const char *vg_io_uring_op_name(unsigned int op)
{
	return op == VIGIL_IO_URING_CREATE ? "create" : "unknown";
}

static const char *const cap_names[VG_CAP_LAST + 1] = {
	"CAP_CHOWN",		"CAP_DAC_OVERRIDE",   "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID",		"CAP_KILL",	      "CAP_SETGID",	     "CAP_SETUID",
	"CAP_SETPCAP",		"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",	"CAP_NET_RAW",	      "CAP_IPC_LOCK",	     "CAP_IPC_OWNER",
	"CAP_SYS_MODULE",	"CAP_SYS_RAWIO",      "CAP_SYS_CHROOT",	     "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",	"CAP_SYS_ADMIN",      "CAP_SYS_BOOT",	     "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",	"CAP_SYS_TIME",	      "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
	"CAP_LEASE",		"CAP_AUDIT_WRITE",    "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",	"CAP_MAC_ADMIN",      "CAP_SYSLOG",	     "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",	"CAP_AUDIT_READ",     "CAP_PERFMON",	     "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

const char *vg_cap_name(unsigned int cap)
{
	return cap <= VG_CAP_LAST ? cap_names[cap] : NULL;
}

int vg_cap_from_name(const char *name)
{
	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (int i = 0; i <= VG_CAP_LAST; i++)
		if (!strcasecmp(name, cap_names[i] + 4))
			return i;
	return -1;
}

const char *vg_open_flags_str(unsigned int flags, char *buf, size_t size)
{
	static const struct {
		unsigned int flag;
		const char *name;
	} bits[] = {
		{ O_CREAT, "O_CREAT" },	      { O_EXCL, "O_EXCL" },	  { O_NOCTTY, "O_NOCTTY" },
		{ O_TRUNC, "O_TRUNC" },	      { O_APPEND, "O_APPEND" },	  { O_NONBLOCK, "O_NONBLOCK" },
		{ O_DSYNC, "O_DSYNC" },	      { O_DIRECT, "O_DIRECT" },	  { O_LARGEFILE, "O_LARGEFILE" },
		{ O_NOFOLLOW, "O_NOFOLLOW" }, { O_NOATIME, "O_NOATIME" }, { O_CLOEXEC, "O_CLOEXEC" },
		{ O_PATH, "O_PATH" },
	};
	unsigned int acc = flags & O_ACCMODE, known = O_ACCMODE;
	size_t len;

	snprintf(buf, size, "%s",
		 acc == O_WRONLY ? "O_WRONLY" : acc == O_RDWR ? "O_RDWR" : acc ? "O_ACCMODE" : "O_RDONLY");
	/* O_TMPFILE includes O_DIRECTORY: name it whole */
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "|O_TMPFILE");
		known |= O_TMPFILE;
	} else if (flags & O_DIRECTORY) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "|O_DIRECTORY");
		known |= O_DIRECTORY;
	}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(flags & bits[i].flag) || (bits[i].flag & known))
			continue;
		known |= bits[i].flag;
		len = strlen(buf);
		snprintf(buf + len, size - len, "|%s", bits[i].name);
	}
	if (flags & ~known) {
		len = strlen(buf);
		snprintf(buf + len, size - len, "|0x%x", flags & ~known);
	}
	return buf;
}

struct vg_exit_status vg_exit_status(__s32 status)
{
	/* the kernel's encoding, as in <sys/wait.h>: code << 8, or the signal in the low 7 bits */
	struct vg_exit_status st = { .code = -1 };
	unsigned int sig = status & 0x7f;

	if (!sig) {
		st.code = (status >> 8) & 0xff;
	} else {
		st.signal = sig;
		st.core_dumped = status & 0x80;
	}
	return st;
}
