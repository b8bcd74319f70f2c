// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring: files and sockets reached with no system call of their own. An io_uring request
 * (IORING_OP_OPENAT, _CONNECT, _RENAMEAT ...) never enters the system calls the other hooks
 * watch, and with SQPOLL not even io_uring_enter. What the kernel itself traces is used:
 * io_uring_create (an instance made: io_uring in a container is reported in itself, as
 * Docker's default seccomp profile refuses it), io_uring_submit_req (a request prepared: its
 * arguments are the kernel's own copies by then, struct filename and sockaddr, so nothing is
 * read from user memory) and io_uring_complete (its result: an open's fd, a connect's peer).
 *
 * Requests that change names (unlink, rename, mkdir, link, symlink) and sends are reported at
 * submission, with ret -EINPROGRESS: the attempt is what matters, and a request flagged
 * IOSQE_CQE_SKIP_SUCCESS posts no completion to wait for. An open is reported at completion,
 * from the file it opened, as open(2)'s exit is; one that posts no completion (skipped, or
 * into a fixed-file slot) is reported at submission with its name joined to its directory.
 */
#include "write.bpf.h"
#include "connect.bpf.h"

/* io_uring's request flags below 8 are the SQE's own flags (IOSQE_*_BIT): a stable ABI */
#define VG_REQ_F_FIXED_FILE (1ULL << 0)
#define VG_REQ_F_CQE_SKIP   (1ULL << 6)

#define VG_IORING_OP_SENDMSG	9
#define VG_IORING_OP_CONNECT	16
#define VG_IORING_OP_OPENAT	18
#define VG_IORING_OP_SEND	26
#define VG_IORING_OP_OPENAT2	28
#define VG_IORING_OP_RENAMEAT	35
#define VG_IORING_OP_UNLINKAT	36
#define VG_IORING_OP_MKDIRAT	37
#define VG_IORING_OP_SYMLINKAT	38
#define VG_IORING_OP_LINKAT	39
#define VG_IORING_OP_SEND_ZC	47
#define VG_IORING_OP_SENDMSG_ZC 48

#define VG_UNIX_ADDR_MAX 112 /* sizeof(struct sockaddr_un), rounded up */

/* What a request's completion needs that is gone by then (the filename is put at issue). */
struct vg_uring_pending {
	__u64 open_flags;
	__u32 mode;
	__u32 len; /* bytes of data: the name with its NUL, or the unix sockaddr */
	char data[VIGIL_PATH_MAX];
};

/*
 * Requests between submission and completion, by the request's address. LRU: a request that
 * never completes (cancelled, its ring torn down) ages out instead of filling the map.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct vg_uring_pending);
} uring_pending SEC(".maps");

/* The per-CPU scratch holds records; the pending copy is built in its own per-CPU slot. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vg_uring_pending);
} uring_pending_scratch SEC(".maps");

SEC("tp/io_uring/io_uring_create")
int uring_create(struct trace_event_raw_io_uring_create *ctx)
{
	struct vigil_io_uring e = {};
	struct vg_ctx c;

	if (!vg_want_current(&c))
		return 0;
	vg_mark_setup(&c, (struct task_struct *)bpf_get_current_task_btf());
	vg_fill_header(&e.hdr, VIGIL_EVENT_IO_URING, sizeof(e), &c);
	e.op = VIGIL_IO_URING_CREATE;
	e.fd = ctx->fd;
	e.sq_entries = ctx->sq_entries;
	e.setup_flags = ctx->flags;
	vg_output(&e, sizeof(e));
	return 0;
}

static __always_inline struct vg_uring_pending *vg_pending_slot(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&uring_pending_scratch, &zero);
}

static __always_inline void vg_pending_save(struct io_kiocb *req, struct vg_uring_pending *p)
{
	__u64 key = (__u64)req;

	if (bpf_map_update_elem(&uring_pending, &key, p, BPF_ANY))
		vg_count_map_fail();
}

/*
 * A name-changing request, from the kernel's copies of its names (struct filename): path
 * relative to dfd, path2 relative to dfd2 where join2.
 */
static __always_inline void vg_uring_name_op(struct vg_ctx *c, __u32 op, int dfd,
					     struct filename *path, int dfd2,
					     struct filename *path2, bool join2, __u32 mode)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct vigil_write *e = vg_write_init();
	__u32 rpath2_len;

	if (!e)
		return;
	e->mode = mode;
	vg_write_path(e, 0, path ? BPF_CORE_READ(path, name) : NULL, true);
	vg_write_path(e, 1, path2 ? BPF_CORE_READ(path2, name) : NULL, true);
	if (!vg_name_op_paths(e, task, dfd, dfd2, join2, &rpath2_len, c, op == VIGIL_WRITE_SYMLINK))
		return;
	vg_write_send(e, op, -VG_EINPROGRESS, c, rpath2_len);
}

/* An open for writing: kept for its completion, or reported now if it posts none. */
static __always_inline void vg_uring_open_submit(struct vg_ctx *c, struct io_kiocb *req)
{
	struct io_open *open = (struct io_open *)req;
	struct vg_uring_pending *p;
	struct filename *name;
	__u64 flags = BPF_CORE_READ(open, how.flags);
	long n;

	if (!(flags & VG_WRITE_FLAGS))
		return;
	name = BPF_CORE_READ(open, filename);
	if ((BPF_CORE_READ(req, flags) & VG_REQ_F_CQE_SKIP) || BPF_CORE_READ(open, file_slot)) {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
		struct vigil_write *e = vg_write_init();
		__u32 rpath2_len;

		if (!e)
			return;
		e->open_flags = flags;
		e->mode = BPF_CORE_READ(open, how.mode);
		vg_write_path(e, 0, name ? BPF_CORE_READ(name, name) : NULL, true);
		vg_write_path(e, 1, NULL, true);
		if (vg_name_op_paths(e, task, BPF_CORE_READ(open, dfd), 0, false, &rpath2_len, c,
				     false))
			vg_write_send(e, VIGIL_WRITE_OPEN, -VG_EINPROGRESS, c, rpath2_len);
		return;
	}
	p = vg_pending_slot();
	if (!p)
		return;
	p->open_flags = flags;
	p->mode = BPF_CORE_READ(open, how.mode);
	n = name ? bpf_probe_read_kernel_str(p->data, sizeof(p->data), BPF_CORE_READ(name, name))
		 : 0;
	if (n <= 0) {
		p->data[0] = 0;
		n = 1;
	}
	p->len = n;
	vg_pending_save(req, p);
}

/* The kernel's copy of a connect's or a send's address: the request's async data. */
static __always_inline struct io_async_msghdr *vg_uring_msg(struct io_kiocb *req)
{
	return (struct io_async_msghdr *)BPF_CORE_READ(req, async_data);
}

/*
 * Where a connect request's kernel copy of its address lies. Kernels before 6.10 and after a
 * 2026 fix keep it as a bare struct sockaddr_storage in the async data; those between, in the
 * addr member of a struct io_async_msghdr, whose first member is a kernel pointer (or NULL):
 * 8-byte aligned, so its low bytes are never a family the first layout can hold (1, 2, 10).
 */
static __always_inline const void *vg_uring_connect_addr(struct io_kiocb *req)
{
	void *data = BPF_CORE_READ(req, async_data);
	__u16 family = 0;

	if (!data)
		return NULL;
	bpf_probe_read_kernel(&family, sizeof(family), data);
	if (family == VG_AF_UNIX || family == VG_AF_INET || family == VG_AF_INET6)
		return data;
	return &((struct io_async_msghdr *)data)->addr;
}

/*
 * IORING_OP_CONNECT. An inet destination is reported now (a TCP one again, deduplicated, at
 * SYN_SENT); a unix one at completion, by the socket it reached.
 */
static __always_inline void vg_uring_connect_submit(struct vg_ctx *c, struct io_kiocb *req)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct io_connect *conn = (struct io_connect *)req;
	const void *addr = vg_uring_connect_addr(req);
	struct vg_uring_pending *p;
	struct vigil_connect *e;
	__u32 len = BPF_CORE_READ(conn, addr_len);
	__u16 family;
	__u8 *sa;

	if (!addr || len < 2)
		return;
	if (bpf_probe_read_kernel(&family, sizeof(family), addr))
		return;
	if (family == VG_AF_UNIX) {
		p = vg_pending_slot();
		if (!p)
			return;
		if (len > VG_UNIX_ADDR_MAX)
			len = VG_UNIX_ADDR_MAX;
		if (bpf_probe_read_kernel(p->data, len & 0x7f, addr))
			return;
		p->len = len;
		p->open_flags = 0;
		vg_pending_save(req, p);
		return;
	}
	e = vg_connect_scratch();
	if (!e)
		return;
	sa = (__u8 *)e + sizeof(*e);
	if (len > VG_SOCKADDR_MAX)
		len = VG_SOCKADDR_MAX;
	if (bpf_probe_read_kernel(sa, len & 0x1f, addr) || !vg_connect_set_addr(e, sa, len))
		return;
	if (!(BPF_CORE_READ(req, flags) & VG_REQ_F_FIXED_FILE))
		e->protocol = vg_sock_protocol(vg_fd_sock(task, BPF_CORE_READ(req, cqe.fd)));
	vg_mark_setup(c, task);
	vg_fill_header(&e->hdr, VIGIL_EVENT_CONNECT, sizeof(*e), c);
	e->ret = -VG_EINPROGRESS;
	e->via = VIGIL_VIA_IO_URING;
	e->connect_flags = VIGIL_CONNECT_BEFORE_CALL;
	vg_connect_send(e, sizeof(*e), c);
}

/* IORING_OP_SEND(MSG)(_ZC) with an address: the kernel copied it into the request at prep. */
static __always_inline void vg_uring_send_submit(struct vg_ctx *c, struct io_kiocb *req)
{
	struct io_async_msghdr *msg = vg_uring_msg(req);
	struct vg_send_from from = {};
	struct task_struct *task;
	void *name;

	if (!msg)
		return;
	name = BPF_CORE_READ(msg, msg.msg_name);
	if (!name)
		return; /* a connected socket: its connect was reported */
	task = (struct task_struct *)bpf_get_current_task_btf();
	/* a fixed file has no fd to read it from: sent on as a socket of unknown kind */
	if (!(BPF_CORE_READ(req, flags) & VG_REQ_F_FIXED_FILE) &&
	    !vg_send_from_fd(&from, task, BPF_CORE_READ(req, cqe.fd), false))
		return;
	vg_send_to(c, task, &from, &msg->addr, BPF_CORE_READ(msg, msg.msg_namelen),
		   VIGIL_VIA_IO_URING, true);
}

static __always_inline int vg_uring_submit(struct io_kiocb *req)
{
	__u8 opcode = BPF_CORE_READ(req, opcode);
	struct vg_ctx c;

	switch (opcode) {
	case VG_IORING_OP_OPENAT:
	case VG_IORING_OP_OPENAT2:
	case VG_IORING_OP_CONNECT:
	case VG_IORING_OP_SEND:
	case VG_IORING_OP_SENDMSG:
	case VG_IORING_OP_SEND_ZC:
	case VG_IORING_OP_SENDMSG_ZC:
	case VG_IORING_OP_RENAMEAT:
	case VG_IORING_OP_UNLINKAT:
	case VG_IORING_OP_MKDIRAT:
	case VG_IORING_OP_SYMLINKAT:
	case VG_IORING_OP_LINKAT:
		break;
	default:
		return 0; /* reads and writes on open files: most requests, gone first */
	}
	if (!vg_want_current(&c))
		return 0;
	c.flags |= VIGIL_F_IO_URING;
	switch (opcode) {
	case VG_IORING_OP_OPENAT:
	case VG_IORING_OP_OPENAT2:
		vg_uring_open_submit(&c, req);
		break;
	case VG_IORING_OP_CONNECT:
		vg_uring_connect_submit(&c, req);
		break;
	case VG_IORING_OP_SEND:
	case VG_IORING_OP_SENDMSG:
	case VG_IORING_OP_SEND_ZC:
	case VG_IORING_OP_SENDMSG_ZC:
		vg_uring_send_submit(&c, req);
		break;
	case VG_IORING_OP_RENAMEAT: {
		struct io_rename *r = (struct io_rename *)req;

		vg_uring_name_op(&c, VIGIL_WRITE_RENAME, BPF_CORE_READ(r, old_dfd),
				 BPF_CORE_READ(r, oldpath), BPF_CORE_READ(r, new_dfd),
				 BPF_CORE_READ(r, newpath), true, 0);
		break;
	}
	case VG_IORING_OP_UNLINKAT: {
		struct io_unlink *u = (struct io_unlink *)req;

		vg_uring_name_op(&c, VIGIL_WRITE_UNLINK, BPF_CORE_READ(u, dfd),
				 BPF_CORE_READ(u, filename), 0, NULL, false, 0);
		break;
	}
	case VG_IORING_OP_MKDIRAT: {
		struct io_mkdir *m = (struct io_mkdir *)req;

		vg_uring_name_op(&c, VIGIL_WRITE_MKDIR, BPF_CORE_READ(m, dfd),
				 BPF_CORE_READ(m, filename), 0, NULL, false,
				 BPF_CORE_READ(m, mode));
		break;
	}
	case VG_IORING_OP_SYMLINKAT: {
		struct io_link *l = (struct io_link *)req;

		/* oldpath is the link's text, newpath its name */
		vg_uring_name_op(&c, VIGIL_WRITE_SYMLINK, BPF_CORE_READ(l, new_dfd),
				 BPF_CORE_READ(l, newpath), 0, BPF_CORE_READ(l, oldpath), false, 0);
		break;
	}
	case VG_IORING_OP_LINKAT: {
		struct io_link *l = (struct io_link *)req;

		vg_uring_name_op(&c, VIGIL_WRITE_LINK, BPF_CORE_READ(l, new_dfd),
				 BPF_CORE_READ(l, newpath), BPF_CORE_READ(l, old_dfd),
				 BPF_CORE_READ(l, oldpath), true, 0);
		break;
	}
	}
	return 0;
}

/* 6.3 and later; before, the same place was traced as io_uring_submit_sqe (src/hooks.c picks) */
SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(uring_submit, struct io_kiocb *req)
{
	return vg_uring_submit(req);
}

SEC("tp_btf/io_uring_submit_sqe")
int BPF_PROG(uring_submit_sqe, struct io_kiocb *req)
{
	return vg_uring_submit(req);
}

/* A unix connect's result: the socket it reached, from the connected socket's peer. */
static __always_inline void vg_uring_unix_done(struct io_kiocb *req, struct vg_uring_pending *p,
					       int res)
{
	struct vg_ctx c;
	struct vigil_connect *e;
	struct file *file;
	struct socket *sock;
	__u32 size;

	if (!vg_want_current(&c))
		return;
	c.flags |= VIGIL_F_IO_URING;
	e = vg_connect_scratch();
	if (!e)
		return;
	e->family = VG_AF_UNIX;
	e->via = VIGIL_VIA_IO_URING;
	e->ret = res;
	size = sizeof(*e) + vg_connect_unix_path(e, (const __u8 *)p->data, p->len);
	file = BPF_CORE_READ(req, file);
	sock = file ? BPF_CORE_READ(file, private_data) : NULL;
	if (sock && (BPF_CORE_READ(file, f_inode, i_mode) & VG_S_IFMT) == VG_S_IFSOCK) {
		struct sock *sk = BPF_CORE_READ(sock, sk);

		e->protocol = vg_sock_protocol(sk);
		if (res == 0 && e->protocol == VIGIL_PROTO_UNIX)
			vg_unix_peer(e, sk);
	}
	vg_mark_setup(&c, (struct task_struct *)bpf_get_current_task_btf());
	vg_fill_header(&e->hdr, VIGIL_EVENT_CONNECT, 0, &c);
	vg_connect_send(e, size, &c);
}

/*
 * A completion, in the submitting process (its own context, an io-wq worker or the SQPOLL
 * thread: threads of it, sharing its files). The request's second argument on every kernel
 * that has the tracepoint; the rest of its arguments changed over versions and is not used.
 */
SEC("tp_btf/io_uring_complete")
int BPF_PROG(uring_complete, void *ring, struct io_kiocb *req)
{
	__u8 opcode = BPF_CORE_READ(req, opcode);
	struct vg_uring_pending *p;
	__u64 key = (__u64)req;
	int res;

	if (opcode != VG_IORING_OP_OPENAT && opcode != VG_IORING_OP_OPENAT2 &&
	    opcode != VG_IORING_OP_CONNECT)
		return 0;
	p = bpf_map_lookup_elem(&uring_pending, &key);
	if (!p)
		return 0;
	res = BPF_CORE_READ(req, cqe.res);
	if (opcode == VG_IORING_OP_CONNECT) {
		vg_uring_unix_done(req, p, res);
	} else if (res >= 0) {
		vg_open_exit(res, p->data, true, p->open_flags, p->mode, VIGIL_F_IO_URING);
	}
	bpf_map_delete_elem(&uring_pending, &key);
	return 0;
}
