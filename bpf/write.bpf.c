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
#include "write.bpf.h"

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

SEC("tp/syscalls/sys_exit_openat")
int exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret < 0)
		return 0; /* only what happened */
	regs = vg_syscall_regs();
	return vg_open_exit(ctx->ret, (void *)PT_REGS_PARM2_SYSCALL(regs), false,
			    PT_REGS_PARM3_SYSCALL(regs), PT_REGS_PARM4_SYSCALL(regs), 0);
}

SEC("tp/syscalls/sys_exit_open")
int exit_open(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret < 0)
		return 0;
	regs = vg_syscall_regs();
	return vg_open_exit(ctx->ret, (void *)PT_REGS_PARM1_SYSCALL(regs), false,
			    PT_REGS_PARM2_SYSCALL(regs), PT_REGS_PARM3_SYSCALL(regs), 0);
}

SEC("tp/syscalls/sys_exit_creat")
int exit_creat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs;

	if (ctx->ret < 0)
		return 0;
	regs = vg_syscall_regs();
	return vg_open_exit(ctx->ret, (void *)PT_REGS_PARM1_SYSCALL(regs), false,
			    VG_O_CREAT | VG_O_WRONLY | VG_O_TRUNC, PT_REGS_PARM2_SYSCALL(regs), 0);
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
	return vg_open_exit(ctx->ret, (void *)PT_REGS_PARM2_SYSCALL(regs), false, how.flags,
			    how.mode, 0);
}

/*
 * unlink, rename, mkdir, link, symlink: done (ret 0) on path (relative to dfd) and path2
 * (relative to dfd2 where join2: a rename's new name, a link's target; a symlink's text is
 * not a path of this system). The names are read after the kernel's own copy, as the open's
 * is; the directories they are relative to come from kernel objects.
 */
static __always_inline __u64 vg_name_hash(const char *p, __u32 n, __u64 h)
{
	for (__u32 i = 0; i < VIGIL_PATH_MAX; i += 8) {
		__u64 w;

		if (i >= n)
			break;
		w = *(const __u64 *)(p + i);
		if (n - i < 8)
			w &= (1ULL << ((n - i) * 8)) - 1;
		h = (h ^ w) * 0x100000001b3ULL;
	}
	return h ^ n;
}

/* FNV-1a over eight bytes at a time: equal names, equal hashes (bytes past a NUL ignored) */
__noinline __u64 vg_names_hash(const struct vg_path *a, __u32 n1, const struct vg_path *b,
			       __u32 n2)
{
	if (!a || !b)
		return 0;
	return vg_name_hash(b->s, n2, vg_name_hash(a->s, n1, VG_NAMES_SEED));
}

__noinline int vg_name_one_component(const struct vg_path *p, __u32 n)
{
	if (!p)
		return 0;
	for (__u32 i = 0; i < VIGIL_PATH_MAX; i++) {
		if (i >= n || !p->s[i])
			break;
		if (p->s[i] == '/')
			return 0;
	}
	return 1;
}

/*
 * The entry of a call that makes or removes a name: its names (as the exit will put them in
 * the record: path, path2) hashed, so that the exit, which reads them after the kernel's own
 * copy, can tell whether a thread rewrote them meanwhile (VIGIL_PATH_CHANGED).
 */
static __always_inline int vg_name_op_enter(const void *path, const void *path2)
{
	struct vigil_inflight *in;
	struct vigil_scratch *s;
	struct vg_ctx c;

	vg_call_enter();
	in = vg_inflight_begin(0, &c);
	s = vg_scratch();
	if (!in || !s)
		return 0;
	in->flags = vg_user_names_hash(s, path, path2);
	vg_inflight_save(in, VIGIL_EVENT_WRITE);
	return 0;
}

/*
 * The exit's half: the slot its entry armed (NULL: not a task to report, or no entry seen),
 * and the names in the record compared with what the entry read.
 */
static __always_inline struct vigil_write *vg_name_op_begin(struct vg_ctx *c, long ret,
							    const void *path, const void *path2)
{
	struct vigil_inflight *in = vg_inflight_find(VIGIL_EVENT_WRITE, c);
	struct vigil_write *e;

	if (!in || ret < 0)
		return NULL;
	e = vg_write_init();
	if (!e)
		return NULL;
	vg_write_path(e, 0, path, false);
	vg_write_path(e, 1, path2, false);
	if (in->flags && vg_record_names_hash(e) != in->flags)
		e->path_flags |= VIGIL_PATH_CHANGED;
	return e;
}

static __always_inline int vg_name_op_exit(long ret, __u32 op, int dfd, const void *path,
					   int dfd2, const void *path2, bool join2, __u32 mode)
{
	struct task_struct *task;
	struct vigil_write *e;
	struct vg_ctx c;
	__u32 rpath2_len;

	e = vg_name_op_begin(&c, ret, path, path2);
	if (!e)
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	e->mode = mode;
	if (!vg_name_op_paths(e, task, dfd, dfd2, join2, &rpath2_len, &c,
			      op == VIGIL_WRITE_SYMLINK))
		return 0;
	vg_write_send(e, op, ret, &c, rpath2_len);
	return 0;
}

/* The n-th argument as a directory fd (int) and as a pointer. */
#define VG_ARG_FD(regs, n) ((int)PT_REGS_PARM##n##_SYSCALL(regs))
#define VG_ARG_PTR(regs, n) ((const void *)PT_REGS_PARM##n##_SYSCALL(regs))
#define VG_AT_EMPTY_PATH 0x1000

SEC("tp/syscalls/sys_exit_unlinkat")
int exit_unlinkat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_UNLINK, VG_ARG_FD(regs, 1),
			       VG_ARG_PTR(regs, 2), 0, NULL, false, 0);
}

SEC("tp/syscalls/sys_exit_unlink")
int exit_unlink(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_UNLINK, VG_AT_FDCWD, VG_ARG_PTR(regs, 1), 0,
			       NULL, false, 0);
}

SEC("tp/syscalls/sys_exit_rename")
int exit_rename(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_RENAME, VG_AT_FDCWD, VG_ARG_PTR(regs, 1),
			       VG_AT_FDCWD, VG_ARG_PTR(regs, 2), true, 0);
}

/* renameat and renameat2 take (olddfd, old, newdfd, new[, flags]) */
SEC("tp/syscalls/sys_exit_renameat")
int exit_renameat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_RENAME, VG_ARG_FD(regs, 1),
			       VG_ARG_PTR(regs, 2), VG_ARG_FD(regs, 3), VG_ARG_PTR(regs, 4), true,
			       0);
}

SEC("tp/syscalls/sys_exit_renameat2")
int exit_renameat2(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_RENAME, VG_ARG_FD(regs, 1),
			       VG_ARG_PTR(regs, 2), VG_ARG_FD(regs, 3), VG_ARG_PTR(regs, 4), true,
			       0);
}

SEC("tp/syscalls/sys_exit_mkdir")
int exit_mkdir(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_MKDIR, VG_AT_FDCWD, VG_ARG_PTR(regs, 1), 0,
			       NULL, false, PT_REGS_PARM2_SYSCALL(regs));
}

SEC("tp/syscalls/sys_exit_mkdirat")
int exit_mkdirat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_MKDIR, VG_ARG_FD(regs, 1),
			       VG_ARG_PTR(regs, 2), 0, NULL, false, PT_REGS_PARM3_SYSCALL(regs));
}

/*
 * A new name for a file is a write to that file (its content can be changed through the
 * name): the record carries the new name (path) and the file linked to (path2, joined).
 */
SEC("tp/syscalls/sys_exit_link")
int exit_link(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_LINK, VG_AT_FDCWD, VG_ARG_PTR(regs, 2),
			       VG_AT_FDCWD, VG_ARG_PTR(regs, 1), true, 0);
}

#define VG_AT_SYMLINK_FOLLOW 0x400
#define VG_PROC_SELF_FD "/proc/self/fd/"

/* N of a "/proc/self/fd/N" path (at most 7 digits), or -1. */
static __always_inline int vg_proc_self_fd(const char *p, __u32 n)
{
	const char prefix[] = VG_PROC_SELF_FD;
	int fd = 0;
	__u32 i;

	if (n < sizeof(prefix) + 1 || n > sizeof(prefix) + 7)
		return -1;
	for (i = 0; i < sizeof(prefix) - 1; i++)
		if (p[i] != prefix[i])
			return -1;
	for (i = sizeof(prefix) - 1; i < sizeof(prefix) - 1 + 7; i++) {
		char ch = p[i];

		if (ch == 0)
			return i > sizeof(prefix) - 1 ? fd : -1;
		if (ch < '0' || ch > '9')
			return -1;
		fd = fd * 10 + (ch - '0');
	}
	return -1;
}

/*
 * linkat(olddfd, old, newdfd, new, flags). The file linked to is named from the open file in
 * the kernel where the call names it by an fd: AT_EMPTY_PATH (olddfd's own file: an O_TMPFILE
 * file given its first name) or, with AT_SYMLINK_FOLLOW, "/proc/self/fd/N" (the same without
 * CAP_DAC_READ_SEARCH). Otherwise both names are joined to their directories.
 */
SEC("tp/syscalls/sys_exit_linkat")
int exit_linkat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();
	__u64 flags = PT_REGS_PARM5_SYSCALL(regs);
	struct vigil_scratch *s;
	struct task_struct *task;
	struct vigil_write *e;
	struct file *file;
	struct vg_ctx c;
	__u32 rpath2_len, off, start, rlen;
	bool send;
	int fd = -1;

	e = vg_name_op_begin(&c, ctx->ret, VG_ARG_PTR(regs, 4), VG_ARG_PTR(regs, 2));
	s = vg_scratch();
	if (!e || !s)
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	if (flags & VG_AT_EMPTY_PATH)
		fd = VG_ARG_FD(regs, 1);
	else if (flags & VG_AT_SYMLINK_FOLLOW)
		fd = vg_proc_self_fd(e->data + (e->path_len & (2 * VIGIL_PATH_MAX - 1)),
				     e->path2_len);
	if (fd < 0) {
		if (vg_name_op_paths(e, task, VG_ARG_FD(regs, 3), VG_ARG_FD(regs, 1), true,
				     &rpath2_len, &c, false))
			vg_write_send(e, VIGIL_WRITE_LINK, ctx->ret, &c, rpath2_len);
		return 0;
	}
	send = vg_name_op_paths(e, task, VG_ARG_FD(regs, 3), 0, false, &rpath2_len, &c, false);
	if (!send && alerts_only && e->rootfs == VIGIL_ROOTFS_NO)
		return 0;
	file = vg_fd_file(task, fd);
	if (!file)
		return 0;
	rlen = vg_walk_path(s, task, BPF_CORE_READ(file, f_path.dentry),
			    BPF_CORE_READ(file, f_path.mnt), &start, &e->path_flags);
	off = vg_write_off(e, 2);
	if (off > VG_JOIN_OFF_MAX || rlen > VIGIL_PATH_MAX ||
	    bpf_probe_read_kernel(e->data + off, rlen & (2 * VIGIL_PATH_MAX - 1),
				  &s->walk[start & (VIGIL_PATH_MAX - 1)]))
		return 0;
	rpath2_len = rlen;
	/* the new name allowed, and the file too: nothing can alert */
	if (alerts_only && !send && !(e->path_flags & (VIGIL_PATH_TRUNC | VIGIL_PATH_UNREACHABLE)) &&
	    vg_path_allowed((struct vg_path *)&s->walk[start & (VIGIL_PATH_MAX - 1)], rlen))
		return 0;
	vg_write_send(e, VIGIL_WRITE_LINK, ctx->ret, &c, rpath2_len);
	return 0;
}

/* symlink(text, name), symlinkat(text, newdfd, name): a new name, whatever it points to */
SEC("tp/syscalls/sys_exit_symlink")
int exit_symlink(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_SYMLINK, VG_AT_FDCWD, VG_ARG_PTR(regs, 2),
			       0, VG_ARG_PTR(regs, 1), false, 0);
}

SEC("tp/syscalls/sys_exit_symlinkat")
int exit_symlinkat(struct trace_event_raw_sys_exit *ctx)
{
	struct pt_regs *regs = vg_syscall_regs();

	return vg_name_op_exit(ctx->ret, VIGIL_WRITE_SYMLINK, VG_ARG_FD(regs, 2),
			       VG_ARG_PTR(regs, 3), 0, VG_ARG_PTR(regs, 1), false, 0);
}

/* The entries of the calls above (their names as each exit records them: path, path2). */
SEC("tp/syscalls/sys_enter_unlink")
int enter_unlink(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[0], NULL);
}

SEC("tp/syscalls/sys_enter_unlinkat")
int enter_unlinkat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[1], NULL);
}

SEC("tp/syscalls/sys_enter_mkdir")
int enter_mkdir(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[0], NULL);
}

SEC("tp/syscalls/sys_enter_mkdirat")
int enter_mkdirat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[1], NULL);
}

SEC("tp/syscalls/sys_enter_rename")
int enter_rename(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[0], (void *)ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_renameat")
int enter_renameat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[1], (void *)ctx->args[3]);
}

SEC("tp/syscalls/sys_enter_renameat2")
int enter_renameat2(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[1], (void *)ctx->args[3]);
}

SEC("tp/syscalls/sys_enter_link")
int enter_link(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[1], (void *)ctx->args[0]);
}

SEC("tp/syscalls/sys_enter_linkat")
int enter_linkat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[3], (void *)ctx->args[1]);
}

SEC("tp/syscalls/sys_enter_symlink")
int enter_symlink(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[1], (void *)ctx->args[0]);
}

SEC("tp/syscalls/sys_enter_symlinkat")
int enter_symlinkat(struct trace_event_raw_sys_enter *ctx)
{
	return vg_name_op_enter((void *)ctx->args[2], (void *)ctx->args[0]);
}
