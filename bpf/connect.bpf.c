// SPDX-License-Identifier: GPL-2.0
/*
 * New destinations, whatever the way: connect(2) (the address is copied at entry, so a thread
 * racing to rewrite the sockaddr can't change what is reported; the record goes out at exit
 * with the result), datagrams sent with an address (sendto, sendmsg, sendmmsg: reported at
 * entry, before the kernel sends), and TCP connects made without connect(2) (io_uring, TCP
 * fast open), seen as the kernel's own SYN_SENT state change with its own addresses. The
 * kind of socket is read from the kernel's struct sock, never from the caller's arguments.
 */
/* the one object that declares bpf_rdonly_cast (connect.bpf.h) */
#define VG_RDONLY_CAST
#include "connect.bpf.h"

/*
 * Each connect and send hook comes twice: the socket read through bpf_rdonly_cast (_cast,
 * 6.2+) or with a probe read per hop. The loader keeps the one this kernel allows
 * (src/hooks.c).
 */
static __always_inline int vg_enter_connect(struct trace_event_raw_sys_enter *ctx, bool cast)
{
	struct task_struct *task;
	struct vigil_inflight *in;
	struct vg_ctx c;
	__u32 len = ctx->args[2];
	__u16 family;

	vg_call_enter();
	if (len < 2)
		return 0;
	in = vg_inflight_begin(0, &c);
	if (!in)
		return 0;
	if (len > sizeof(in->addr))
		len = sizeof(in->addr);
	if (bpf_probe_read_user(in->addr, len & 0xff, (void *)ctx->args[1]))
		return 0;
	family = *(__u16 *)in->addr;
	if (family != VG_AF_UNIX && family != VG_AF_INET && family != VG_AF_INET6)
		return 0;
	in->addr_len = len;
	/* the socket itself, not the fd: another thread may point the fd elsewhere meanwhile */
	task = (struct task_struct *)bpf_get_current_task_btf();
#ifdef VG_RDONLY_CAST
	if (cast)
		in->flags = (__u64)vg_fd_sock_cast(task, (int)ctx->args[0]);
	else
#endif
		in->flags = (__u64)vg_fd_sock(task, (int)ctx->args[0]);
	vg_inflight_save(in, VIGIL_EVENT_CONNECT);
	return 0;
}

SEC("tp/syscalls/sys_enter_connect")
int enter_connect(struct trace_event_raw_sys_enter *ctx)
{
	return vg_enter_connect(ctx, false);
}

SEC("tp/syscalls/sys_enter_connect")
int enter_connect_cast(struct trace_event_raw_sys_enter *ctx)
{
	return vg_enter_connect(ctx, true);
}

/* The record is built in the task's slot, next to the address, and sent from there. */
static __always_inline int vg_exit_connect(struct trace_event_raw_sys_exit *ctx, bool cast)
{
	struct vigil_inflight *in;
	struct vigil_connect *e;
	struct sock *sk;
	struct vg_ctx c;
	__u32 size = sizeof(*e);
	__u16 family;

	in = vg_inflight_find(VIGIL_EVENT_CONNECT, &c);
	if (!in)
		return 0;
	e = (struct vigil_connect *)in->rec;
	vg_fill_header(&e->hdr, VIGIL_EVENT_CONNECT, 0, &c);
	e->ret = ctx->ret;
	family = *(__u16 *)in->addr;
	e->connect_flags = 0;
	e->path_len = 0;
	e->via = VIGIL_VIA_CONNECT;
	sk = (struct sock *)in->flags;
#ifdef VG_RDONLY_CAST
	if (cast)
		e->protocol = vg_sock_protocol_cast(sk);
	else
#endif
		e->protocol = vg_sock_protocol(sk);
	if (family != VG_AF_UNIX) {
		vg_connect_set_addr(e, in->addr, in->addr_len);
		/* connected, its datagrams still go where their own header says */
		if (e->protocol == VIGIL_PROTO_RAW && vg_raw_hdrincl(sk))
			e->connect_flags |= VIGIL_CONNECT_HDRINCL;
	} else {
		e->family = family;
		e->port = 0;
		__builtin_memset(e->addr, 0, sizeof(e->addr));
		size += vg_connect_unix_path(e, in->addr, in->addr_len);
		if (ctx->ret == 0 && e->protocol == VIGIL_PROTO_UNIX)
			vg_unix_peer(e, sk);
	}
	vg_connect_send(e, size, &c);
	return 0;
}

SEC("tp/syscalls/sys_exit_connect")
int exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	return vg_exit_connect(ctx, false);
}

SEC("tp/syscalls/sys_exit_connect")
int exit_connect_cast(struct trace_event_raw_sys_exit *ctx)
{
	return vg_exit_connect(ctx, true);
}

/* The send hooks, twice as the connect hooks */
static __always_inline int vg_sendto(struct trace_event_raw_sys_enter *ctx, bool cast)
{
	struct vg_send_from from;
	struct task_struct *task;
	struct vg_ctx c;

	/* most sends name no address (connected sockets): gone before anything else */
	if (!ctx->args[4] || !vg_want_current(&c))
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	if (vg_send_from_fd(&from, task, (int)ctx->args[0], cast))
		vg_send_to(&c, task, &from, (const void *)ctx->args[4], (__u32)ctx->args[5],
			   VIGIL_VIA_SENDTO, false);
	return 0;
}

SEC("tp/syscalls/sys_enter_sendto")
int enter_sendto(struct trace_event_raw_sys_enter *ctx)
{
	return vg_sendto(ctx, false);
}

SEC("tp/syscalls/sys_enter_sendto")
int enter_sendto_cast(struct trace_event_raw_sys_enter *ctx)
{
	return vg_sendto(ctx, true);
}

/* msg_name and msg_namelen, the first members of struct user_msghdr */
struct vg_msg_name {
	void *name;
	int namelen;
};

static __always_inline int vg_sendmsg(struct trace_event_raw_sys_enter *ctx, bool cast)
{
	struct vg_send_from from;
	struct task_struct *task;
	struct vg_msg_name m;
	struct vg_ctx c;

	if (!ctx->args[1] || !vg_want_current(&c))
		return 0;
	if (bpf_probe_read_user(&m, sizeof(m), (void *)ctx->args[1]) || !m.name)
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	if (vg_send_from_fd(&from, task, (int)ctx->args[0], cast))
		vg_send_to(&c, task, &from, m.name, (__u32)m.namelen, VIGIL_VIA_SENDMSG, false);
	return 0;
}

SEC("tp/syscalls/sys_enter_sendmsg")
int enter_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	return vg_sendmsg(ctx, false);
}

SEC("tp/syscalls/sys_enter_sendmsg")
int enter_sendmsg_cast(struct trace_event_raw_sys_enter *ctx)
{
	return vg_sendmsg(ctx, true);
}

/* A sendmmsg in progress, handed to each step of bpf_loop */
struct vg_mmsg {
	struct vg_ctx c;
	struct vg_send_from from; /* read once: the kernel too takes the fd's file once a call */
	struct task_struct *task;
	const char *vec;
	__u32 vlen;
};

static long vg_mmsg_step(__u32 i, void *arg)
{
	struct vg_mmsg *m = arg;
	struct vg_msg_name name;

	if (i >= m->vlen)
		return 1;
	if (bpf_probe_read_user(&name, sizeof(name), m->vec + (__u64)i * VG_MMSGHDR_SIZE))
		return 1;
	if (name.name)
		vg_send_to(&m->c, m->task, &m->from, name.name, (__u32)name.namelen,
			   VIGIL_VIA_SENDMMSG, false);
	return 0;
}

/*
 * Every message: one call can name as many destinations as it sends messages (the kernel
 * sends at most UIO_MAXIOV of them per call), and a new one hidden behind a few known ones
 * is as new. Repeats cost a map lookup each (alerts only), not a record.
 */
static __always_inline int vg_sendmmsg(struct trace_event_raw_sys_enter *ctx, bool cast)
{
	struct vg_mmsg m = {
		.vec = (const char *)ctx->args[1],
		.vlen = (__u32)ctx->args[2],
	};

	if (!m.vec || !m.vlen || !vg_want_current(&m.c))
		return 0;
	m.task = (struct task_struct *)bpf_get_current_task_btf();
	if (!vg_send_from_fd(&m.from, m.task, (int)ctx->args[0], cast))
		return 0;
	if (m.vlen > VG_UIO_MAXIOV)
		m.vlen = VG_UIO_MAXIOV;
	bpf_loop(VG_UIO_MAXIOV, vg_mmsg_step, &m, 0);
	return 0;
}

SEC("tp/syscalls/sys_enter_sendmmsg")
int enter_sendmmsg(struct trace_event_raw_sys_enter *ctx)
{
	return vg_sendmmsg(ctx, false);
}

SEC("tp/syscalls/sys_enter_sendmmsg")
int enter_sendmmsg_cast(struct trace_event_raw_sys_enter *ctx)
{
	return vg_sendmmsg(ctx, true);
}

/*
 * A TCP connect that did not come through connect(2): the kernel's socket moves to SYN_SENT
 * in the context of the task that asked (io_uring's submitter, or its io-wq worker, a thread
 * of the same process in the same cgroup). connect(2)'s own are reported at its exit.
 */
SEC("tp/sock/inet_sock_set_state")
int inet_sock_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	struct task_struct *task;
	struct vigil_connect *e;
	struct vg_ctx c;
	long nr;

	if (ctx->newstate != VG_TCP_SYN_SENT || ctx->protocol != VG_IPPROTO_TCP)
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	nr = vg_current_syscall_nr(task);
	if (nr == VG_NR_CONNECT || !vg_want_current(&c))
		return 0;
	e = vg_connect_scratch();
	if (!e)
		return 0;
	if (task->flags & VG_PF_IO_WORKER || nr == VG_NR_IO_URING_ENTER) {
		e->via = VIGIL_VIA_IO_URING;
		c.flags |= VIGIL_F_IO_URING; /* as uring.bpf.c's record of the same connect */
	}
	else if (nr == VG_NR_SENDTO)
		e->via = VIGIL_VIA_SENDTO; /* fast open */
	else if (nr == VG_NR_SENDMSG)
		e->via = VIGIL_VIA_SENDMSG;
	else if (nr == VG_NR_SENDMMSG)
		e->via = VIGIL_VIA_SENDMMSG;
	e->family = ctx->family;
	e->port = ctx->dport; /* host order in the tracepoint */
	/* copied, not loaded: the verifier takes no variable offsets into the context */
	if (ctx->family == VG_AF_INET)
		bpf_probe_read_kernel(e->addr, 4, ctx->daddr);
	else if (ctx->family == VG_AF_INET6)
		bpf_probe_read_kernel(e->addr, 16, ctx->daddr_v6);
	else
		return 0;
	vg_mark_setup(&c, task);
	vg_fill_header(&e->hdr, VIGIL_EVENT_CONNECT, sizeof(*e), &c);
	e->ret = -VG_EINPROGRESS;
	e->protocol = VIGIL_PROTO_TCP;
	vg_connect_send(e, sizeof(*e), &c);
	return 0;
}
