// SPDX-License-Identifier: GPL-2.0
/*
 * Writes to files: opens for writing or creating, unlink, rename, mkdir. Paths are read at
 * entry, records go out only for calls that succeeded. Whether the file lies on the
 * container's root filesystem is decided here where it can be exactly: an opened file's
 * mount against the task's root mount; for relative paths of the other calls, the mount of
 * the directory they are relative to.
 */
#include "vigil.bpf.h"

#define VG_O_WRONLY 01
#define VG_O_RDWR 02
#define VG_O_CREAT 0100
#define VG_O_TRUNC 01000
#define VG_AT_FDCWD -100
#define VG_WRITE_FLAGS (VG_O_WRONLY | VG_O_RDWR | VG_O_CREAT | VG_O_TRUNC)

static __always_inline struct vigil_write *vg_write_rec(struct vigil_inflight *in)
{
	return (struct vigil_write *)in->rec;
}

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
static __always_inline bool vg_path_climbs(const char *p, __u32 n)
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

static __always_inline struct vigil_write *vg_write_init(struct vigil_inflight *in)
{
	struct vigil_write *e = vg_write_rec(in);

	e->open_flags = 0;
	e->mode = 0;
	e->rootfs = VIGIL_ROOTFS_UNKNOWN;
	e->path_len = 0;
	e->path2_len = 0;
	return e;
}

static __always_inline struct vigil_inflight *vg_write_begin(__u32 op, struct vg_ctx *c)
{
	struct vigil_inflight *in = vg_inflight_begin(op, c);

	if (in)
		vg_write_init(in);
	return in;
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

static __always_inline int vg_open_enter(int dfd, const void *upath, __u64 flags, __u32 mode)
{
	struct vigil_inflight *in;
	struct vigil_scratch *s;
	struct vigil_write *e;
	struct vg_ctx c;
	long n;

	if (!(flags & VG_WRITE_FLAGS))
		return 0; /* reads are the common case: out before any lookup */
	if (!vg_want_current(&c))
		return 0;
	if (alerts_only) {
		/*
		 * The path is judged from scratch first: a write the policy allows everywhere
		 * (a /tmp storm) then costs no per-task slot at all.
		 */
		s = vg_scratch();
		if (!s)
			return 0;
		n = bpf_probe_read_user_str(s->buf, VIGIL_PATH_MAX, upath);
		if (n > 0 && vg_path_allowed((struct vg_path *)s->buf, n))
			return 0;
	}
	in = vg_inflight_slot(VIGIL_WRITE_OPEN, &c);
	if (!in)
		return 0;
	e = vg_write_init(in);
	e->open_flags = flags;
	e->mode = mode;
	vg_write_path(e, 0, upath);
	vg_write_path(e, 1, NULL);
	vg_inflight_save(in, VIGIL_EVENT_WRITE);
	return 0;
}

static __always_inline int vg_write_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vigil_inflight *in;
	struct vigil_write *e;
	struct vg_ctx c;
	long ret = ctx->ret;
	__u32 size;

	in = vg_inflight_find(VIGIL_EVENT_WRITE, &c);
	if (!in || ret < 0)
		return 0; /* only what happened */
	e = vg_write_rec(in);
	if (in->syscall == VIGIL_WRITE_OPEN) {
		struct vfsmount *mnt = vg_fd_mnt(task, ret);

		if (mnt)
			e->rootfs = mnt == vg_root_mnt(task) ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
	}
	if (alerts_only && e->rootfs == VIGIL_ROOTFS_NO)
		return 0; /* a tmpfs or a volume: no rule looks at it */
	vg_fill_header(&e->hdr, VIGIL_EVENT_WRITE, 0, &c);
	e->op = in->syscall;
	e->ret = ret;
	e->reserved = 0;
	e->reserved2 = 0;
	size = sizeof(*e) + e->path_len + e->path2_len;
	if (size > sizeof(in->rec))
		size = sizeof(in->rec);
	if (alerts_only && e->path2_len <= 1 && e->path_len <= VIGIL_WRITE_SEEN_PATH) {
		/* the same write (cgroup, operation, path) again: only its count matters */
		struct vigil_write_key key;

		__builtin_memset(&key, 0, sizeof(key)); /* NUL-padded: equal paths, equal keys */
		key.cgroup_id = c.cgroup_id;
		key.hdr_flags = c.flags;
		key.op = e->op;
		key.rootfs = e->rootfs;
		bpf_probe_read_kernel_str(key.path, sizeof(key.path), e->data);
		vg_output_or_count(&write_seen, &key, e, size);
		return 0;
	}
	vg_output(e, size);
	return 0;
}

SEC("tp/syscalls/sys_enter_openat")
int enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_open_enter(ctx->args[0], (void *)ctx->args[1], ctx->args[2], ctx->args[3]);
}

SEC("tp/syscalls/sys_enter_open")
int enter_open(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_open_enter(VG_AT_FDCWD, (void *)ctx->args[0], ctx->args[1], ctx->args[2]);
}

SEC("tp/syscalls/sys_enter_creat")
int enter_creat(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_open_enter(VG_AT_FDCWD, (void *)ctx->args[0], VG_O_CREAT | VG_O_WRONLY | VG_O_TRUNC,
			     ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_openat2")
int enter_openat2(struct trace_event_raw_sys_enter *ctx)
{
	struct open_how how = {};

	vg_call_enter();
	if (bpf_probe_read_user(&how, sizeof(how), (void *)ctx->args[2]))
		return 0;
	return vg_open_enter(ctx->args[0], (void *)ctx->args[1], how.flags, how.mode);
}

static __always_inline int vg_path_op_enter(__u32 op, int dfd, const void *path, int dfd2,
					    const void *path2, __u32 mode)
{
	struct vigil_inflight *in;
	struct vigil_write *e;
	struct vg_ctx c;
	__u32 n, n2;

	in = vg_write_begin(op, &c);
	if (!in)
		return 0;
	e = vg_write_rec(in);
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
	vg_inflight_save(in, VIGIL_EVENT_WRITE);
	return 0;
}

SEC("tp/syscalls/sys_enter_unlinkat")
int enter_unlinkat(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_path_op_enter(VIGIL_WRITE_UNLINK, ctx->args[0], (void *)ctx->args[1], 0, NULL, 0);
}

SEC("tp/syscalls/sys_enter_unlink")
int enter_unlink(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_path_op_enter(VIGIL_WRITE_UNLINK, VG_AT_FDCWD, (void *)ctx->args[0], 0, NULL, 0);
}

SEC("tp/syscalls/sys_enter_rename")
int enter_rename(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_path_op_enter(VIGIL_WRITE_RENAME, VG_AT_FDCWD, (void *)ctx->args[0], VG_AT_FDCWD,
				(void *)ctx->args[1], 0);
}

SEC("tp/syscalls/sys_enter_renameat")
int enter_renameat(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_path_op_enter(VIGIL_WRITE_RENAME, ctx->args[0], (void *)ctx->args[1],
				ctx->args[2], (void *)ctx->args[3], 0);
}

SEC("tp/syscalls/sys_enter_renameat2")
int enter_renameat2(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_path_op_enter(VIGIL_WRITE_RENAME, ctx->args[0], (void *)ctx->args[1],
				ctx->args[2], (void *)ctx->args[3], 0);
}

SEC("tp/syscalls/sys_enter_mkdir")
int enter_mkdir(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_path_op_enter(VIGIL_WRITE_MKDIR, VG_AT_FDCWD, (void *)ctx->args[0], 0, NULL,
				ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_mkdirat")
int enter_mkdirat(struct trace_event_raw_sys_enter *ctx)
{
	vg_call_enter();
	return vg_path_op_enter(VIGIL_WRITE_MKDIR, ctx->args[0], (void *)ctx->args[1], 0, NULL,
				ctx->args[2]);
}

#define VIGIL_WRITE_EXIT(name)                                                                     \
	SEC("tp/syscalls/sys_exit_" #name)                                                         \
	int exit_##name(struct trace_event_raw_sys_exit *ctx)                                      \
	{                                                                                          \
		return vg_write_exit(ctx);                                                         \
	}

VIGIL_WRITE_EXIT(openat)
VIGIL_WRITE_EXIT(open)
VIGIL_WRITE_EXIT(creat)
VIGIL_WRITE_EXIT(openat2)
VIGIL_WRITE_EXIT(unlinkat)
VIGIL_WRITE_EXIT(unlink)
VIGIL_WRITE_EXIT(rename)
VIGIL_WRITE_EXIT(renameat)
VIGIL_WRITE_EXIT(renameat2)
VIGIL_WRITE_EXIT(mkdir)
VIGIL_WRITE_EXIT(mkdirat)
