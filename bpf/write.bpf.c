// SPDX-License-Identifier: GPL-2.0
/*
 * Writes to files: opens for writing or creating, unlink, rename, mkdir. Only calls that
 * succeeded are reported, so only the exit is hooked: the arguments are read there from the
 * user registers saved at entry, which these calls leave alone (one tracepoint hit per call
 * instead of two, on every such call of the host). Whether the file lies on the container's
 * root filesystem is decided here where it can be exactly: an opened file's mount against the
 * task's root mount; for relative paths of the other calls, the mount of the directory they
 * are relative to. A path is the user's string, read after the kernel's own copy at entry as
 * a tracer reading at entry reads it before: a thread rewriting it in between can change what
 * is reported, not which file was opened nor whether it was on the root filesystem.
 */
#include "vigil.bpf.h"
#include "path.bpf.h"

#define VG_O_WRONLY 01
#define VG_O_RDWR 02
#define VG_O_CREAT 0100
#define VG_O_TRUNC 01000
#define VG_AT_FDCWD -100
#define VG_WRITE_FLAGS (VG_O_WRONLY | VG_O_RDWR | VG_O_CREAT | VG_O_TRUNC)

/* Reads path idx (0, or 1 right after path 0) into the record; returns its length. */
static __always_inline __u32 vg_write_path(struct vigil_write *e, int idx, const void *upath)
{
	__u32 off = idx ? e->path_len : 0;
	long n;

	off &= VIGIL_PATH_MAX - 1 | VIGIL_PATH_MAX;
	if (off > VIGIL_PATH_MAX)
		off = VIGIL_PATH_MAX;
	n = upath ? bpf_probe_read_user_str(e->data + off, VIGIL_PATH_MAX, upath) : 0;
	if (n <= 0) {
		e->data[off] = 0;
		n = 1;
	}
	if (n > VIGIL_PATH_MAX)
		n = VIGIL_PATH_MAX;
	if (idx)
		e->path2_len = n;
	else
		e->path_len = n;
	return n;
}

struct vg_path {
	char s[VIGIL_PATH_MAX];
};

/* A ".." component: the path may lead out of the prefix it starts with. */
static __always_inline bool vg_path_climbs_exact(const char *p, __u32 n)
{
	for (__u32 i = 0; i < VIGIL_PATH_MAX - 2; i++) {
		if (i + 2 >= n)
			break;
		if (p[i] == '.' && p[i + 1] == '.' && (p[i + 2] == '/' || p[i + 2] == 0) &&
		    (i == 0 || p[i - 1] == '/'))
			return true;
	}
	return false;
}

#define VG_BYTES(b) (0x0101010101010101ULL * (b))

/*
 * vg_path_climbs_exact, eight bytes at a time: only a path with two dots in a row needs the
 * exact look (most have none). n counts the NUL; bytes past it are masked off.
 */
static __always_inline bool vg_path_climbs(const char *p, __u32 n)
{
	__u64 w, t, dots, carry = 0;

	for (__u32 i = 0; i < VIGIL_PATH_MAX; i += 8) {
		if (i >= n)
			break;
		w = *(const __u64 *)(p + i);
		if (n - i < 8)
			w &= (1ULL << ((n - i) * 8)) - 1;
		/* 0x80 in each byte of w that is a '.' (no carries between bytes) */
		t = w ^ VG_BYTES('.');
		dots = ~(((t & VG_BYTES(0x7f)) + VG_BYTES(0x7f)) | t | VG_BYTES(0x7f));
		if ((dots & (dots >> 8)) || (carry & dots))
			return vg_path_climbs_exact(p, n);
		carry = dots >> 56; /* a dot in the last byte pairs with one first in the next */
	}
	return false;
}

/* p[0..len) == prefix[0..len) */
static __always_inline bool vg_starts_with(const char *p, const char *prefix, __u32 len)
{
	for (__u32 i = 0; i < VIGIL_WRITE_PREFIX_MAX; i++) {
		if (i >= len)
			return true;
		if (p[i] != prefix[i])
			return false;
	}
	return true;
}

/*
 * Under a path every policy entry allows (vigil_write_filter): no alert can come of it.
 * A global function: the verifier checks it once, not at every call site.
 */
__noinline int vg_path_allowed(const struct vg_path *path, __u32 n)
{
	struct vigil_write_filter *f;
	const char *p;
	__u32 zero = 0;

	if (!path)
		return 0;
	p = path->s;
	if (p[0] != '/')
		return 0; /* relative: only the agent can tell where it leads */
	f = bpf_map_lookup_elem(&write_filter, &zero);
	if (!f)
		return 0;
	for (__u32 k = 0; k < VIGIL_WRITE_PREFIXES; k++) {
		__u32 len;
		char next;

		if (k >= f->n)
			break;
		len = f->len[k];
		if (len >= VIGIL_WRITE_PREFIX_MAX || len + 1 > n)
			continue;
		next = p[len & (VIGIL_WRITE_PREFIX_MAX - 1)];
		if ((next == '/' || next == 0) && vg_starts_with(p, f->prefix[k], len))
			return !vg_path_climbs(p, n);
	}
	return 0;
}

/* The record is built in the per-CPU scratch buffer and sent from there with one copy. */
static __always_inline struct vigil_write *vg_write_init(void)
{
	struct vigil_scratch *s = vg_scratch();
	struct vigil_write *e;

	if (!s)
		return NULL;
	e = (struct vigil_write *)s->buf;
	e->open_flags = 0;
	e->mode = 0;
	e->rootfs = VIGIL_ROOTFS_UNKNOWN;
	e->path_len = 0;
	e->path2_len = 0;
	e->rpath_len = 0;
	e->path_flags = 0;
	return e;
}

/* The user registers as saved at system call entry: the arguments, still there at exit. */
static __always_inline struct pt_regs *vg_syscall_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(
		(struct task_struct *)bpf_get_current_task_btf());
}

/* For a path relative to dfd: on the root mount if the directory is. */
static __always_inline void vg_write_rootfs_rel(struct vigil_write *e, int dfd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vfsmount *dir;

	if (e->data[0] == '/')
		return; /* absolute: the agent decides from the container's mounts */
	dir = dfd == VG_AT_FDCWD ? vg_pwd_mnt(task) : vg_fd_mnt(task, dfd);
	if (dir)
		e->rootfs = dir == vg_root_mnt(task) ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
}

static __always_inline void vg_write_send(struct vigil_write *e, __u32 op, long ret,
					  struct vg_ctx *c)
{
	const char *key_path;
	__u32 size, key_len;

	vg_mark_setup(c, (struct task_struct *)bpf_get_current_task_btf());
	vg_fill_header(&e->hdr, VIGIL_EVENT_WRITE, 0, c);
	e->op = op;
	e->ret = ret;
	size = sizeof(*e) + e->path_len + e->path2_len + e->rpath_len;
	/*
	 * The same write again is counted, not sent: keyed by the resolved path where there is
	 * one (the same string can name another file from another directory), and never for a
	 * relative or truncated path, which does not name one file.
	 */
	key_path = e->data;
	key_len = e->path_len;
	if (e->rpath_len) {
		key_path = e->data + ((e->path_len + e->path2_len) & (2 * VIGIL_PATH_MAX - 1));
		key_len = e->path_flags & (VIGIL_PATH_TRUNC | VIGIL_PATH_UNREACHABLE)
				  ? VIGIL_WRITE_SEEN_PATH + 1
				  : e->rpath_len;
	}
	if (alerts_only && e->path2_len <= 1 && key_len <= VIGIL_WRITE_SEEN_PATH) {
		struct vigil_write_key key;

		__builtin_memset(&key, 0, sizeof(key)); /* NUL-padded: equal paths, equal keys */
		key.cgroup_id = c->cgroup_id;
		key.hdr_flags = c->flags;
		key.op = op;
		key.rootfs = e->rootfs;
		bpf_probe_read_kernel_str(key.path, sizeof(key.path), key_path);
		if (key.path[0] == '/') {
			vg_output_or_count(&write_seen, &key, e, size);
			return;
		}
	}
	vg_output(e, size);
}

/*
 * An open that returned fd. Reads leave first, on the flags alone; then host tasks; with
 * alerts only, files off the root filesystem (tmpfs, volumes: no rule looks at them) before
 * the path is read, and paths every policy entry allows after.
 */
static __always_inline int vg_open_exit(long fd, const void *upath, __u64 flags, __u32 mode)
{
	struct vigil_scratch *s;
	struct task_struct *task;
	struct vigil_write *e;
	struct vfsmount *mnt;
	struct file *file;
	struct vg_ctx c;
	__u32 start, rlen, off, nlink;
	__u8 rootfs, pflags;

	if (!(flags & VG_WRITE_FLAGS))
		return 0;
	if (!vg_want_current(&c))
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	file = vg_fd_file(task, fd);
	mnt = file ? BPF_CORE_READ(file, f_path.mnt) : NULL;
	rootfs = !mnt ? VIGIL_ROOTFS_UNKNOWN
		      : mnt == vg_root_mnt(task) ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
	if (alerts_only && rootfs == VIGIL_ROOTFS_NO)
		return 0;
	s = vg_scratch();
	e = vg_write_init();
	if (!e || !s || !file)
		return 0;
	e->open_flags = flags;
	e->mode = mode;
	e->rootfs = rootfs;
	/*
	 * The file the kernel opened decides, not the string: symlinks, "..", dirfd-relative
	 * and /proc/self/root paths all resolve to the one name the file has under the root.
	 */
	pflags = VIGIL_PATH_RESOLVED;
	rlen = vg_walk_path(s, task, BPF_CORE_READ(file, f_path.dentry), mnt, &start, &pflags);
	pflags |= vg_dentry_link_flags(BPF_CORE_READ(file, f_path.dentry), &nlink);
	/*
	 * A file with other names is judged by the file, not the name it was opened by: the
	 * agent treats a multi-link regular file on the root filesystem as a write to the root
	 * filesystem whatever the name (a hard link in /tmp to /etc/passwd is /etc/passwd).
	 * So only a single-name, fully resolved path can be passed over here.
	 */
	if (alerts_only && !(pflags & (VIGIL_PATH_TRUNC | VIGIL_PATH_UNREACHABLE |
				       VIGIL_PATH_MULTILINK)) &&
	    vg_path_allowed((struct vg_path *)&s->walk[start & (VIGIL_PATH_MAX - 1)], rlen))
		return 0;
	e->path_flags = pflags;
	vg_write_path(e, 0, upath);
	vg_write_path(e, 1, NULL);
	off = (e->path_len + e->path2_len) & (2 * VIGIL_PATH_MAX - 1);
	rlen &= 2 * VIGIL_PATH_MAX - 1;
	if (rlen > VIGIL_PATH_MAX)
		rlen = VIGIL_PATH_MAX;
	if (bpf_probe_read_kernel(e->data + off, rlen, &s->walk[start & (VIGIL_PATH_MAX - 1)]))
		rlen = 0;
	e->rpath_len = rlen;
	vg_write_send(e, VIGIL_WRITE_OPEN, fd, &c);
	return 0;
}

SEC("tp/syscalls/sys_exit_openat")
int exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret < 0)
		return 0; /* only what happened */
	regs = vg_syscall_regs();
	return vg_open_exit(ctx->ret, (void *)PT_REGS_PARM2_SYSCALL(regs),
			    PT_REGS_PARM3_SYSCALL(regs), PT_REGS_PARM4_SYSCALL(regs));
}

SEC("tp/syscalls/sys_exit_open")
int exit_open(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret < 0)
		return 0;
	regs = vg_syscall_regs();
	return vg_open_exit(ctx->ret, (void *)PT_REGS_PARM1_SYSCALL(regs),
			    PT_REGS_PARM2_SYSCALL(regs), PT_REGS_PARM3_SYSCALL(regs));
}

SEC("tp/syscalls/sys_exit_creat")
int exit_creat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret < 0)
		return 0;
	regs = vg_syscall_regs();
	return vg_open_exit(ctx->ret, (void *)PT_REGS_PARM1_SYSCALL(regs),
			    VG_O_CREAT | VG_O_WRONLY | VG_O_TRUNC, PT_REGS_PARM2_SYSCALL(regs));
}

SEC("tp/syscalls/sys_exit_openat2")
int exit_openat2(struct trace_event_raw_sys_exit *ctx)
{
	struct open_how how = {};
	struct pt_regs *regs;

	if (ctx->ret < 0)
		return 0;
	regs = vg_syscall_regs();
	if (bpf_probe_read_user(&how, sizeof(how), (void *)PT_REGS_PARM3_SYSCALL(regs)))
		return 0;
	return vg_open_exit(ctx->ret, (void *)PT_REGS_PARM2_SYSCALL(regs), how.flags, how.mode);
}

/* unlink, rename, mkdir: done (ret 0) on path, and path2 for a rename */
static __always_inline int vg_path_op_exit(long ret, __u32 op, int dfd, const void *path,
					   const void *path2, __u32 mode)
{
	struct vigil_write *e;
	struct vg_ctx c;
	__u32 n, n2;

	if (ret < 0)
		return 0;
	if (!vg_want_current(&c))
		return 0;
	e = vg_write_init();
	if (!e)
		return 0;
	e->mode = mode;
	n = vg_write_path(e, 0, path);
	n2 = vg_write_path(e, 1, path2);
	vg_write_rootfs_rel(e, dfd);
	if (alerts_only) {
		if (e->rootfs == VIGIL_ROOTFS_NO)
			return 0;
		if (vg_path_allowed((struct vg_path *)e->data, n) &&
		    (!path2 || vg_path_allowed((struct vg_path *)(e->data + n), n2)))
			return 0;
	}
	vg_write_send(e, op, ret, &c);
	return 0;
}

/* The first argument as a directory fd (int) and the n-th as a pointer. */
#define VG_ARG_FD(regs, n) ((int)PT_REGS_PARM##n##_SYSCALL(regs))
#define VG_ARG_PTR(regs, n) ((const void *)PT_REGS_PARM##n##_SYSCALL(regs))

SEC("tp/syscalls/sys_exit_unlinkat")
int exit_unlinkat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_path_op_exit(ctx->ret, VIGIL_WRITE_UNLINK, VG_ARG_FD(regs, 1),
			       VG_ARG_PTR(regs, 2), NULL, 0);
}

SEC("tp/syscalls/sys_exit_unlink")
int exit_unlink(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_path_op_exit(ctx->ret, VIGIL_WRITE_UNLINK, VG_AT_FDCWD, VG_ARG_PTR(regs, 1),
			       NULL, 0);
}

SEC("tp/syscalls/sys_exit_rename")
int exit_rename(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_path_op_exit(ctx->ret, VIGIL_WRITE_RENAME, VG_AT_FDCWD, VG_ARG_PTR(regs, 1),
			       VG_ARG_PTR(regs, 2), 0);
}

SEC("tp/syscalls/sys_exit_renameat")
int exit_renameat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_path_op_exit(ctx->ret, VIGIL_WRITE_RENAME, VG_ARG_FD(regs, 1),
			       VG_ARG_PTR(regs, 2), VG_ARG_PTR(regs, 4), 0);
}

SEC("tp/syscalls/sys_exit_renameat2")
int exit_renameat2(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_path_op_exit(ctx->ret, VIGIL_WRITE_RENAME, VG_ARG_FD(regs, 1),
			       VG_ARG_PTR(regs, 2), VG_ARG_PTR(regs, 4), 0);
}

SEC("tp/syscalls/sys_exit_mkdir")
int exit_mkdir(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_path_op_exit(ctx->ret, VIGIL_WRITE_MKDIR, VG_AT_FDCWD, VG_ARG_PTR(regs, 1),
			       NULL, PT_REGS_PARM2_SYSCALL(regs));
}

SEC("tp/syscalls/sys_exit_mkdirat")
int exit_mkdirat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_path_op_exit(ctx->ret, VIGIL_WRITE_MKDIR, VG_ARG_FD(regs, 1),
			       VG_ARG_PTR(regs, 2), NULL, PT_REGS_PARM3_SYSCALL(regs));
}
