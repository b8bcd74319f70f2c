/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writes to files, shared by the system-call hooks (write.bpf.c) and io_uring's (uring.bpf.c):
 * the record, its paths as given and as resolved from kernel objects, the in-kernel filter.
 */
#ifndef VIGIL_WRITE_BPF_H
#define VIGIL_WRITE_BPF_H

#include "vigil.bpf.h"
#include "path.bpf.h"

#define VG_O_WRONLY 01
#define VG_O_RDWR 02
#define VG_O_CREAT 0100
#define VG_O_TRUNC 01000
#define VG_AT_FDCWD -100
#define VG_WRITE_FLAGS (VG_O_WRONLY | VG_O_RDWR | VG_O_CREAT | VG_O_TRUNC)

/*
 * Reads path idx (0, or 1 right after path 0) into the record, from user memory, or (kernel)
 * from the kernel's own copy (an io_uring request's struct filename); returns its length.
 */
static __always_inline __u32 vg_write_path(struct vigil_write *e, int idx, const void *upath,
					   bool kernel)
{
	__u32 off = idx ? e->path_len : 0;
	long n;

	off &= VIGIL_PATH_MAX - 1 | VIGIL_PATH_MAX;
	if (off > VIGIL_PATH_MAX)
		off = VIGIL_PATH_MAX;
	if (!upath)
		n = 0;
	else if (kernel)
		n = bpf_probe_read_kernel_str(e->data + off, VIGIL_PATH_MAX, upath);
	else
		n = bpf_probe_read_user_str(e->data + off, VIGIL_PATH_MAX, upath);
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
 * Defined once in write.bpf.c, a global function the verifier checks once.
 */
extern int vg_path_allowed(const struct vg_path *path, __u32 n);

/*
 * Two names (n1 and n2 bytes, NULs included) hashed; global functions in write.bpf.c, each
 * checked once by the verifier (inlined at every call site, their loops multiplied the
 * states of the callers' path walks past the verifier's limit).
 */
extern __u64 vg_names_hash(const struct vg_path *a, __u32 n1, const struct vg_path *b, __u32 n2);
/* 1: the name (n bytes) is one component, no '/' in it. */
extern int vg_name_one_component(const struct vg_path *p, __u32 n);


/*
 * The allowed-directory cache (struct vigil_allowed_dir). A file's path is fixed by its
 * parent dentries and their names up to the root: while every one is the same dentry under
 * the same name (hash and length), the file's directory has the path it had when a walk
 * found it allowed. A rename or move of the directory or of a parent changes a name or a
 * d_parent; a reused dentry must sit at the same place under the same name to match, which
 * gives the same path. A torn entry (a program preempting a filler on this CPU) pairs
 * entries of allowed directories only, and a file matches only if its real parent is the
 * first one. Multi-link files are left to the walk (nlink 1 only).
 */
static __always_inline bool vg_allowed_dir_hit(const struct vigil_allowed_dir *a,
					       struct dentry *dentry, __u64 root)
{
	__u32 depth = READ_ONCE(a->depth);
	struct dentry *d;

	if (!depth || a->root != root || a->epoch != policy_epoch ||
	    BPF_CORE_READ(dentry, d_inode, __i_nlink) != 1)
		return false;
	d = BPF_CORE_READ(dentry, d_parent);
	for (__u32 i = 0; i < VIGIL_ALLOWED_DIR_DEPTH; i++) {
		if (i >= depth)
			break;
		if ((__u64)d != a->dentry[i] || BPF_CORE_READ(d, d_name.hash_len) != a->name[i])
			return false;
		d = BPF_CORE_READ(d, d_parent);
	}
	return (__u64)d == root;
}

/* After a walk found the directory of dentry allowed: its chain up to root, if short. */
static __always_inline void vg_allowed_dir_fill(struct vigil_allowed_dir *a,
						struct dentry *dentry, __u64 root)
{
	struct dentry *d = BPF_CORE_READ(dentry, d_parent), *parent;
	__u32 n = 0;

	WRITE_ONCE(a->depth, 0);
	for (__u32 i = 0; i < VIGIL_ALLOWED_DIR_DEPTH; i++) {
		if ((__u64)d == root)
			break;
		parent = BPF_CORE_READ(d, d_parent);
		if (parent == d)
			return; /* a root of its own, not the task's */
		a->dentry[i] = (__u64)d;
		a->name[i] = BPF_CORE_READ(d, d_name.hash_len);
		n++;
		d = parent;
	}
	if (!n || (__u64)d != root)
		return; /* the root itself, or deeper than kept */
	a->root = root;
	a->epoch = policy_epoch;
	WRITE_ONCE(a->depth, n);
}

/*
 * Whether the directory of an allowed path (n bytes with the NUL, its last component
 * name_len bytes) is allowed too: then so is every file in it. The path is cut in place.
 */
static __always_inline bool vg_parent_allowed(char *walk, __u32 start, __u32 n, __u32 name_len)
{
	__u32 parent_len;

	if (n < name_len + 3)
		return false; /* "/name": the root is the directory */
	parent_len = n - name_len - 2;
	if (parent_len >= VIGIL_PATH_MAX)
		return false;
	start &= VIGIL_PATH_MAX - 1;
	walk[(start + parent_len) & (2 * VIGIL_PATH_MAX - 1)] = 0;
	return vg_path_allowed((struct vg_path *)&walk[start], parent_len + 1);
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

/*
 * For a name relative to dfd that is one component: on the root mount if the directory is.
 * A name of several components may cross a mount or climb out of one ("../etc/x" from a
 * tmpfs): it is left to the agent, which places the joined path by the container's mounts,
 * as it does absolute ones.
 */
static __always_inline void vg_write_rootfs_rel(struct vigil_write *e, int dfd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vfsmount *dir;

	if (!vg_name_one_component((struct vg_path *)e->data, e->path_len))
		return;
	dir = dfd == VG_AT_FDCWD ? vg_pwd_mnt(task) : vg_fd_mnt(task, dfd);
	if (dir)
		e->rootfs = dir == vg_root_mnt(task) ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
}

static __always_inline void vg_write_send(struct vigil_write *e, __u32 op, long ret,
					  struct vg_ctx *c, __u32 rpath2_len)
{
	const char *key_path;
	__u32 size, key_len;

	vg_mark_setup(c, (struct task_struct *)bpf_get_current_task_btf());
	vg_fill_header(&e->hdr, VIGIL_EVENT_WRITE, 0, c);
	e->op = op;
	e->ret = ret;
	size = sizeof(*e) + e->path_len + e->path2_len + e->rpath_len + rpath2_len;
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
	if (alerts_only && e->path2_len <= 1 && !rpath2_len && key_len <= VIGIL_WRITE_SEEN_PATH) {
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

#define VG_NAMES_SEED 0xcbf29ce484222325ULL

/* The names in the record (path, path2), hashed as vg_user_names_hash hashes them. */
static __always_inline __u64 vg_record_names_hash(struct vigil_write *e)
{
	return vg_names_hash((struct vg_path *)e->data, e->path_len,
			     (struct vg_path *)(e->data + (e->path_len & (VIGIL_PATH_MAX - 1 |
								       VIGIL_PATH_MAX))),
			     e->path2_len);
}

/*
 * One name from user memory into buf, as vg_write_path reads it; its length with the NUL,
 * or 0 when the memory could not be read (not resident: a BPF program can't fault it in).
 */
static __always_inline __u32 vg_user_name(char *buf, const void *upath)
{
	long n = upath ? bpf_probe_read_user_str(buf, VIGIL_PATH_MAX, upath) : 0;

	if (upath && n <= 0)
		return 0;
	if (n <= 0) {
		buf[0] = 0;
		n = 1;
	}
	return n > VIGIL_PATH_MAX ? VIGIL_PATH_MAX : n;
}

/*
 * At a system call's entry: its names (path, path2) hashed, for the exit to compare; 0 when
 * one could not be read then (the exit has nothing to compare with: a string in a page not
 * yet touched is common and harmless, and flagging it would cry wolf).
 */
static __always_inline __u64 vg_user_names_hash(struct vigil_scratch *s, const void *path,
						const void *path2)
{
	__u32 n1 = vg_user_name(s->walk, path);
	__u32 n2 = vg_user_name(s->walk + VIGIL_PATH_MAX, path2);

	if (!n1 || !n2)
		return 0;
	return vg_names_hash((struct vg_path *)s->walk, n1,
			     (struct vg_path *)(s->walk + VIGIL_PATH_MAX), n2);
}

/* Where the n-th path of the record starts: path, path2, rpath, then rpath2. */
static __always_inline __u32 vg_write_off(const struct vigil_write *e, int idx)
{
	__u32 off = e->path_len;

	if (idx >= 1)
		off += e->path2_len;
	if (idx >= 2)
		off += e->rpath_len;
	return off;
}

#define VG_JOIN_OFF_MAX (3 * VIGIL_PATH_MAX) /* path, path2 and rpath come first */

/*
 * The name at e->data[name_off] (n bytes with its NUL, already in the record) joined to the
 * directory it is relative to, written at e->data[off]: an absolute name as it is; a relative
 * one after the path of dfd's directory (or the working directory), walked up from kernel
 * objects to the task's root, so a dirfd or a working directory reached through symlinks or
 * "/proc/self/root" comes out as the one path the directory has. The name's own components
 * are as given (VIGIL_PATH_JOINED): a call that makes or removes a name leaves no object for
 * it. Returns the length with the NUL, 0 when there is nothing to join to.
 */
static __always_inline __u32 vg_join_name(struct vigil_scratch *s, struct vigil_write *e,
					  __u32 off, struct task_struct *task, int dfd,
					  __u32 name_off, __u32 n)
{
	struct dentry *dentry;
	struct vfsmount *mnt;
	__u32 start, dlen;
	const char *name;

	if (off > VG_JOIN_OFF_MAX || name_off > 2 * VIGIL_PATH_MAX || n <= 1 ||
	    n > VIGIL_PATH_MAX)
		return 0;
	/*
	 * Masked behind barriers: the compiler merges the checks above into ranges that older
	 * verifiers (6.1, 6.12) can't carry back to these values, and would drop a plain mask.
	 */
	barrier_var(off);
	off &= 4 * VIGIL_PATH_MAX - 1;
	barrier_var(name_off);
	name_off &= 2 * VIGIL_PATH_MAX - 1;
	barrier_var(n);
	n &= 2 * VIGIL_PATH_MAX - 1;
	name = e->data + name_off;
	e->path_flags |= VIGIL_PATH_JOINED;
	if (name[0] == '/') {
		bpf_probe_read_kernel(e->data + off, n, name);
		return n;
	}
	if (dfd == VG_AT_FDCWD) {
		dentry = task->fs->pwd.dentry;
		mnt = task->fs->pwd.mnt;
	} else {
		struct file *file = vg_fd_file(task, dfd);

		if (!file)
			return 0;
		dentry = BPF_CORE_READ(file, f_path.dentry);
		mnt = BPF_CORE_READ(file, f_path.mnt);
	}
	dlen = vg_walk_path(s, task, dentry, mnt, &start, &e->path_flags) - 1; /* no NUL */
	start &= VIGIL_PATH_MAX - 1;
	if (dlen == 1 && s->walk[start] == '/')
		dlen = 0; /* the root: its '/' is the separator */
	if (dlen >= VIGIL_PATH_MAX || dlen + 1 + n > VIGIL_PATH_MAX) {
		/* no room for both: the directory alone, marked, is never taken as allowed */
		e->path_flags |= VIGIL_PATH_TRUNC;
		n = 1;
		if (dlen >= VIGIL_PATH_MAX - 1)
			dlen = VIGIL_PATH_MAX - 2;
	}
	bpf_probe_read_kernel(e->data + off, dlen & (VIGIL_PATH_MAX - 1), &s->walk[start]);
	if (n == 1) {
		e->data[(off + dlen) & (4 * VIGIL_PATH_MAX - 1)] = 0;
		return dlen + 1;
	}
	e->data[(off + dlen) & (4 * VIGIL_PATH_MAX - 1)] = '/';
	bpf_probe_read_kernel(e->data + ((off + dlen + 1) & (4 * VIGIL_PATH_MAX - 1)),
			      n & (VIGIL_PATH_MAX - 1 | VIGIL_PATH_MAX), name);
	return dlen + 1 + n;
}

/*
 * unlink, rename, mkdir, link, symlink: the names are in the record (path, path2); their
 * joined forms go to rpath (path relative to dfd) and rpath2 (path2 relative to dfd2, when
 * join2). Alerts only: nothing is sent where the kernel can tell no alert comes of it (off
 * the root filesystem, or every judged path allowed). Returns false when nothing is to be
 * sent; *rpath2_len gets the second joined path's length.
 */
static __always_inline bool vg_name_op_paths(struct vigil_write *e, struct task_struct *task,
					     int dfd, int dfd2, bool join2, __u32 *rpath2_len,
					     const struct vg_ctx *c, bool symlink)
{
	struct vigil_scratch *s = vg_scratch();
	__u32 off, n1, n2 = 0;
	bool judge;

	*rpath2_len = 0;
	if (!s)
		return false;
	/* a symlink is always sent (the agent learns them all); after one, every name change */
	if (symlink) {
		__u8 one = 1;

		judge = false;
		if (bpf_map_update_elem(&symlink_cgroups, &c->cgroup_id, &one, BPF_ANY))
			vg_count_map_fail();
	} else {
		judge = alerts_only && !bpf_map_lookup_elem(&symlink_cgroups, &c->cgroup_id);
	}
	vg_write_rootfs_rel(e, dfd);
	if (judge && e->rootfs == VIGIL_ROOTFS_NO && !(e->path_flags & VIGIL_PATH_CHANGED))
		return false;
	off = vg_write_off(e, 1);
	n1 = vg_join_name(s, e, off, task, dfd, 0, e->path_len);
	e->rpath_len = n1;
	if (join2) {
		n2 = vg_join_name(s, e, off + n1, task, dfd2, e->path_len, e->path2_len);
		*rpath2_len = n2;
	}
	if (!judge ||
	    (e->path_flags & (VIGIL_PATH_TRUNC | VIGIL_PATH_UNREACHABLE | VIGIL_PATH_CHANGED)))
		return true;
	if (!n1 || !vg_path_allowed((struct vg_path *)(e->data + (off & (2 * VIGIL_PATH_MAX - 1))),
				    n1))
		return true;
	if (join2 && (!n2 || !vg_path_allowed((struct vg_path *)(e->data +
								  ((off + n1) & (4 * VIGIL_PATH_MAX - 1))),
					       n2)))
		return true;
	return false;
}

/*
 * An open that returned fd; name is as given (user memory, or the kernel's copy). Reads leave first, on the flags alone; then host tasks; with
 * alerts only, files off the root filesystem (tmpfs, volumes: no rule looks at them) before
 * the path is read, and paths every policy entry allows after.
 */
static __always_inline int vg_open_exit(long fd, const void *name, bool kernel, __u64 flags,
					__u32 mode, __u32 hdr_flags)
{
	struct vigil_cpu_state *cpu = NULL;
	struct vigil_scratch *s;
	struct task_struct *task;
	struct dentry *dentry;
	struct vigil_write *e;
	struct vfsmount *mnt;
	struct file *file;
	struct vg_ctx c;
	__u64 root = 0;
	__u32 start, rlen, off, nlink;
	__u8 rootfs, pflags;

	if (!(flags & VG_WRITE_FLAGS))
		return 0;
	if (!vg_want_current(&c))
		return 0;
	c.flags |= hdr_flags;
	task = (struct task_struct *)bpf_get_current_task_btf();
	file = vg_fd_file(task, fd);
	mnt = file ? BPF_CORE_READ(file, f_path.mnt) : NULL;
	rootfs = !mnt ? VIGIL_ROOTFS_UNKNOWN
		      : mnt == vg_root_mnt(task) ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
	if (alerts_only && rootfs == VIGIL_ROOTFS_NO)
		return 0;
	dentry = file ? BPF_CORE_READ(file, f_path.dentry) : NULL;
	if (alerts_only && rootfs == VIGIL_ROOTFS_YES) {
		cpu = vg_cpu_state();
		root = (__u64)task->fs->root.dentry;
		if (cpu && vg_allowed_dir_hit(&cpu->allowed_dir, dentry, root))
			return 0;
	}
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
	rlen = vg_walk_path(s, task, dentry, mnt, &start, &pflags);
	pflags |= vg_dentry_link_flags(dentry, &nlink);
	/*
	 * A file with other names is judged by the file, not the name it was opened by: the
	 * agent treats a multi-link regular file on the root filesystem as a write to the root
	 * filesystem whatever the name (a hard link in /tmp to /etc/passwd is /etc/passwd).
	 * So only a single-name, fully resolved path can be passed over here.
	 */
	if (alerts_only && !(pflags & (VIGIL_PATH_TRUNC | VIGIL_PATH_UNREACHABLE |
				       VIGIL_PATH_MULTILINK)) &&
	    vg_path_allowed((struct vg_path *)&s->walk[start & (VIGIL_PATH_MAX - 1)], rlen)) {
		if (cpu && nlink == 1 &&
		    vg_parent_allowed(s->walk, start, rlen, BPF_CORE_READ(dentry, d_name.len)))
			vg_allowed_dir_fill(&cpu->allowed_dir, dentry, root);
		return 0;
	}
	e->path_flags = pflags;
	vg_write_path(e, 0, name, kernel);
	vg_write_path(e, 1, NULL, false);
	off = (e->path_len + e->path2_len) & (2 * VIGIL_PATH_MAX - 1);
	rlen &= 2 * VIGIL_PATH_MAX - 1;
	if (rlen > VIGIL_PATH_MAX)
		rlen = VIGIL_PATH_MAX;
	if (bpf_probe_read_kernel(e->data + off, rlen, &s->walk[start & (VIGIL_PATH_MAX - 1)]))
		rlen = 0;
	e->rpath_len = rlen;
	vg_write_send(e, VIGIL_WRITE_OPEN, fd, &c, 0);
	return 0;
}

#endif /* VIGIL_WRITE_BPF_H */
