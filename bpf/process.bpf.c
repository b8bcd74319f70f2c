// SPDX-License-Identifier: GPL-2.0
/* Process life cycle: exec, fork, exit. Keeps `procs` right for every other hook. */
#include "vigil.bpf.h"
#include "path.bpf.h"

#define VG_ARGV0_SCAN 64

static __always_inline char vg_buf_at(const struct vigil_scratch *s, __u32 off)
{
	return s->buf[off & (VIGIL_EVENT_MAX_SIZE - 1)];
}

/*
 * runc re-executes itself inside the container's cgroup ("runc init", from a memfd copy)
 * before it starts the container's program: that exec is still the runtime's set-up.
 * argv = [".../runc", "init"] (youki likewise).
 */
static __always_inline bool vg_is_runtime_init(const struct vigil_scratch *s, __u32 args,
					       __u32 args_len)
{
	__u32 len0 = VG_ARGV0_SCAN;

	for (__u32 i = 0; i < VG_ARGV0_SCAN; i++) {
		if (i >= args_len)
			return false;
		if (vg_buf_at(s, args + i) == 0) {
			len0 = i;
			break;
		}
	}
	if (len0 < 4 || len0 >= VG_ARGV0_SCAN || len0 + 6 > args_len)
		return false;
	/* argv[1] == "init" */
	if (vg_buf_at(s, args + len0 + 1) != 'i' || vg_buf_at(s, args + len0 + 2) != 'n' ||
	    vg_buf_at(s, args + len0 + 3) != 'i' || vg_buf_at(s, args + len0 + 4) != 't' ||
	    vg_buf_at(s, args + len0 + 5) != 0)
		return false;
	/* basename(argv[0]) is "runc" or "youki" */
	char before = len0 > 4 ? vg_buf_at(s, args + len0 - 5) : '/';
	if (before == '/' && vg_buf_at(s, args + len0 - 4) == 'r' &&
	    vg_buf_at(s, args + len0 - 3) == 'u' && vg_buf_at(s, args + len0 - 2) == 'n' &&
	    vg_buf_at(s, args + len0 - 1) == 'c')
		return true;
	return len0 >= 5 && (len0 == 5 || vg_buf_at(s, args + len0 - 6) == '/') &&
	       vg_buf_at(s, args + len0 - 5) == 'y' && vg_buf_at(s, args + len0 - 4) == 'o' &&
	       vg_buf_at(s, args + len0 - 3) == 'u' && vg_buf_at(s, args + len0 - 2) == 'k' &&
	       vg_buf_at(s, args + len0 - 1) == 'i';
}

#define VG_OVERLAYFS_MAGIC 0x794c7630

/*
 * Where the executed file lies: an overlayfs file whose inode has an upper dentry was
 * written (or copied up by a change) since the container started; one without is the
 * image's. Any other mount than the root (tmpfs, a volume, /dev/shm) is not the image.
 */
static __always_inline __u8 vg_exec_origin(struct task_struct *task, struct file *file,
					   __u8 path_flags)
{
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	struct ovl_inode *oi;

	if (path_flags & (VIGIL_PATH_UNREACHABLE | VIGIL_PATH_DELETED))
		return VIGIL_ORIGIN_NONAME;
	if (BPF_CORE_READ(file, f_path.mnt) != vg_root_mnt(task))
		return VIGIL_ORIGIN_MOUNT;
	if (BPF_CORE_READ(inode, i_sb, s_magic) != VG_OVERLAYFS_MAGIC)
		return VIGIL_ORIGIN_ROOTFS;
	/*
	 * overlayfs built as a module (Debian's kernels) has its types in the module's BTF, only
	 * there when the module was loaded before vigil: without them the layer can't be told,
	 * and the file is taken as the root filesystem's (never drift) rather than refuse to load.
	 */
	if (!bpf_core_type_exists(struct ovl_inode))
		return VIGIL_ORIGIN_ROOTFS;
	oi = container_of(inode, struct ovl_inode, vfs_inode);
	return BPF_CORE_READ(oi, __upperdentry) ? VIGIL_ORIGIN_UPPER : VIGIL_ORIGIN_IMAGE;
}

/*
 * Appends what the kernel executed (bprm->file: the interpreter for a #! script, the
 * memfd for fexecve) at e->data[off]; returns the bytes added.
 */
static __always_inline __u32 vg_exec_file(struct vigil_scratch *s, struct task_struct *task,
					  struct linux_binprm *bprm, struct vigil_exec *e, __u32 off)
{
	struct file *file = BPF_CORE_READ(bprm, file);
	struct vigil_exec_file xf = {};
	struct dentry *dentry;
	__u32 start, len;

	if (!file)
		return 0;
	dentry = BPF_CORE_READ(file, f_path.dentry);
	xf.path_flags = VIGIL_PATH_RESOLVED;
	len = vg_walk_path(s, task, dentry, BPF_CORE_READ(file, f_path.mnt), &start,
			   &xf.path_flags);
	xf.path_flags |= vg_dentry_link_flags(dentry, &xf.nlink);
	xf.ino = BPF_CORE_READ(file, f_inode, i_ino);
	xf.origin = vg_exec_origin(task, file, xf.path_flags);
	len &= 2 * VIGIL_PATH_MAX - 1;
	if (len > VIGIL_PATH_MAX)
		len = VIGIL_PATH_MAX;
	xf.path_len = len;
	off &= 2 * VIGIL_ARGS_MAX - 1;
	if (off > VIGIL_EXE_MAX + VIGIL_ARGS_MAX)
		return 0;
	if (bpf_probe_read_kernel(e->data + off + sizeof(xf), len,
				  &s->walk[start & (VIGIL_PATH_MAX - 1)]))
		return 0;
	__builtin_memcpy(e->data + off, &xf, sizeof(xf));
	e->exec_flags |= VIGIL_EXEC_HAS_FILE;
	return sizeof(xf) + len;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(handle_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct vigil_scratch *s;
	struct vigil_exec *e;
	struct vg_ctx c;
	unsigned long arg_start, arg_end;
	long n;
	__u32 size;

	if (!vg_want_current(&c))
		return 0;
	{
		/* exec may end set-up, which changes what a check reports: start over */
		struct vigil_task_caps *tc = bpf_task_storage_get(&task_caps, task, 0, 0);

		if (tc)
			tc->cgroup_id = 0;
	}
	s = vg_scratch();
	if (!s)
		return 0;
	e = (struct vigil_exec *)s->buf;
	vg_fill_header(&e->hdr, VIGIL_EVENT_EXEC, 0, &c);
	e->start_time = BPF_CORE_READ(task, group_leader, start_time);
	e->parent_start_time = BPF_CORE_READ(task, real_parent, group_leader, start_time);
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->vpid = vg_task_vpid(task);
	e->uid = BPF_CORE_READ(task, cred, uid.val);
	e->euid = BPF_CORE_READ(task, cred, euid.val);
	e->gid = BPF_CORE_READ(task, cred, gid.val);
	e->egid = BPF_CORE_READ(task, cred, egid.val);
	e->exec_flags = 0;
	if (BPF_CORE_READ_BITFIELD_PROBED(bprm, secureexec))
		e->exec_flags |= VIGIL_EXEC_SECUREEXEC;
	bpf_get_current_comm(e->comm, sizeof(e->comm));

	n = bpf_probe_read_kernel_str(e->data, VIGIL_EXE_MAX, BPF_CORE_READ(bprm, filename));
	if (n <= 0) {
		e->data[0] = 0;
		n = 1;
	} else if (n == VIGIL_EXE_MAX) {
		e->exec_flags |= VIGIL_EXEC_EXE_TRUNC;
	}
	e->exe_len = n;

	arg_start = BPF_CORE_READ(task, mm, arg_start);
	arg_end = BPF_CORE_READ(task, mm, arg_end);
	n = arg_end - arg_start;
	if (n > VIGIL_ARGS_MAX) {
		n = VIGIL_ARGS_MAX;
		e->exec_flags |= VIGIL_EXEC_ARGS_TRUNC;
	}
	if (n < 0)
		n = 0;
	size = e->exe_len & (VIGIL_EXE_MAX - 1 | VIGIL_EXE_MAX);
	if (size > VIGIL_EXE_MAX)
		size = VIGIL_EXE_MAX;
	if (n > 0 && bpf_probe_read_user(e->data + size, n & (VIGIL_ARGS_MAX - 1 | VIGIL_ARGS_MAX),
					 (void *)arg_start))
		n = 0;
	e->args_len = n;
	if (c.flags & VIGIL_F_CONTAINER) {
		/* an exec inside the container: from here on it is the container's own work */
		struct vigil_proc_state st = {
			.start_time = BPF_CORE_READ(task, group_leader, start_time),
			.flags = VIGIL_PROC_EXECED,
		};

		if (vg_is_runtime_init(s, sizeof(*e) + size, n)) {
			st.flags = 0;
			e->hdr.flags |= VIGIL_F_SETUP;
		}
		if (bpf_map_update_elem(&procs, &c.pid, &st, BPF_ANY))
			vg_count_map_fail();
	}
	size += n & (VIGIL_ARGS_MAX - 1 | VIGIL_ARGS_MAX);
	if (size > VIGIL_EXE_MAX + VIGIL_ARGS_MAX)
		size = VIGIL_EXE_MAX + VIGIL_ARGS_MAX;
	size += vg_exec_file(s, task, bprm, e, size);
	vg_output(e, sizeof(*e) + size);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(handle_fork, struct task_struct *parent, struct task_struct *child)
{
	struct vigil_proc_state *pst, cst = {};
	struct vigil_fork *f;
	struct vg_ctx c;

	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0; /* a new thread, not a new process */
	if (!vg_want_current(&c))
		return 0;
	vg_mark_setup(&c, parent);
	if (c.flags & VIGIL_F_CONTAINER) {
		/* the child inherits whether its parent is past set-up */
		pst = bpf_map_lookup_elem(&procs, &c.pid);
		cst.start_time = BPF_CORE_READ(child, start_time);
		cst.flags = pst && !(c.flags & VIGIL_F_SETUP) ? pst->flags : 0;
		__u32 child_pid = BPF_CORE_READ(child, tgid);
		if (bpf_map_update_elem(&procs, &child_pid, &cst, BPF_ANY))
			vg_count_map_fail();
	}
	f = vg_reserve(VIGIL_EVENT_FORK, sizeof(*f), &c);
	if (!f)
		return 0;
	vg_fill_header(&f->hdr, VIGIL_EVENT_FORK, sizeof(*f), &c);
	f->parent_start_time = BPF_CORE_READ(parent, group_leader, start_time);
	f->child_start_time = BPF_CORE_READ(child, start_time);
	f->child_pid = BPF_CORE_READ(child, tgid);
	f->child_vpid = vg_task_vpid(child);
	vg_submit(f);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(handle_exit, struct task_struct *task)
{
	struct vigil_exit *x;
	struct vg_ctx c;

	/* the process is gone with its last thread */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	if (!vg_want_current(&c))
		return 0;
	vg_mark_setup(&c, task);
	if (c.flags & VIGIL_F_CONTAINER)
		bpf_map_delete_elem(&procs, &c.pid);
	x = vg_reserve(VIGIL_EVENT_EXIT, sizeof(*x), &c);
	if (!x)
		return 0;
	vg_fill_header(&x->hdr, VIGIL_EVENT_EXIT, sizeof(*x), &c);
	x->start_time = BPF_CORE_READ(task, group_leader, start_time);
	x->exit_code = BPF_CORE_READ(task, signal, group_exit_code) ?: BPF_CORE_READ(task, exit_code);
	x->reserved = 0;
	vg_submit(x);
	return 0;
}
