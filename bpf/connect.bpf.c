// SPDX-License-Identifier: GPL-2.0
/*
 * New destinations, whatever the way: connect(2) (the address is copied at entry, so a thread
 * racing to rewrite the sockaddr can't change what is reported; the record goes out at exit
 * with the result), datagrams sent with an address (sendto, sendmsg, sendmmsg: reported at
 * entry, before the kernel sends), and TCP connects made without connect(2) (io_uring, TCP
 * fast open), seen as the kernel's own SYN_SENT state change with its own addresses. The
 * kind of socket is read from the kernel's struct sock, never from the caller's arguments.
 */
#include "vigil.bpf.h"

#define VG_AF_UNIX 1
#define VG_AF_INET 2
#define VG_AF_INET6 10
#define VG_AF_PACKET 17

#define VG_SOCK_STREAM 1
#define VG_SOCK_DGRAM 2
#define VG_SOCK_RAW 3
#define VG_SOCK_SEQPACKET 5
#define VG_IPPROTO_ICMP 1
#define VG_IPPROTO_TCP 6
#define VG_IPPROTO_ICMPV6 58
#define VG_TCP_SYN_SENT 2
#define VG_EINPROGRESS 115

#define VG_S_IFMT 0170000
#define VG_S_IFSOCK 0140000

#define VG_SOCKADDR_MAX 28 /* sockaddr_in6; sockaddr_ll is 20 */
#define VG_MMSG_MAX 8 /* sendmmsg: messages looked at per call */
#define VG_MMSGHDR_SIZE 64 /* struct mmsghdr on 64-bit */

/* System call numbers the hooks tell apart (the task's saved registers). */
#if defined(__TARGET_ARCH_x86)
#define VG_NR_CONNECT 42
#define VG_NR_SENDTO 44
#define VG_NR_SENDMSG 46
#define VG_NR_SENDMMSG 307
#elif defined(__TARGET_ARCH_arm64)
#define VG_NR_CONNECT 203
#define VG_NR_SENDTO 206
#define VG_NR_SENDMSG 211
#define VG_NR_SENDMMSG 269
#endif
#define VG_NR_IO_URING_ENTER 426 /* the same on every architecture */
#define VG_PF_IO_WORKER 0x00000010

static __always_inline long vg_current_syscall_nr(struct task_struct *task)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

	if (!regs)
		return -1;
#if defined(__TARGET_ARCH_x86)
	return BPF_CORE_READ(regs, orig_ax);
#elif defined(__TARGET_ARCH_arm64)
	return BPF_CORE_READ(regs, syscallno);
#else
	return -1;
#endif
}

/* The socket behind fd, if fd is one (the inode says so, not the caller). */
static __always_inline struct sock *vg_fd_sock(struct task_struct *task, int fd)
{
	struct file *file = vg_fd_file(task, fd);
	struct socket *sock;

	if (!file || (BPF_CORE_READ(file, f_inode, i_mode) & VG_S_IFMT) != VG_S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(file, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

static __always_inline __u8 vg_sock_protocol(struct sock *sk)
{
	__u16 family, type, proto;

	if (!sk)
		return VIGIL_PROTO_UNKNOWN;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	type = BPF_CORE_READ(sk, sk_type);
	proto = BPF_CORE_READ(sk, sk_protocol);
	if (family == VG_AF_UNIX)
		return VIGIL_PROTO_UNIX;
	if (family == VG_AF_PACKET)
		return VIGIL_PROTO_PACKET;
	if (family != VG_AF_INET && family != VG_AF_INET6)
		return VIGIL_PROTO_UNKNOWN;
	if (type == VG_SOCK_STREAM || type == VG_SOCK_SEQPACKET)
		return VIGIL_PROTO_TCP;
	if (type == VG_SOCK_RAW)
		return VIGIL_PROTO_RAW;
	if (type == VG_SOCK_DGRAM)
		/* ping sockets are icmp datagrams: raw traffic as far as a policy goes */
		return proto == VG_IPPROTO_ICMP || proto == VG_IPPROTO_ICMPV6 ? VIGIL_PROTO_RAW
									     : VIGIL_PROTO_UDP;
	return VIGIL_PROTO_UNKNOWN;
}

/* An inet, inet6 or packet destination from a sockaddr copy; false for anything else. */
static __always_inline bool vg_connect_set_addr(struct vigil_connect *e, const __u8 *sa,
						__u32 len)
{
	__u16 family = *(__u16 *)sa;

	e->family = family;
	e->port = 0;
	__builtin_memset(e->addr, 0, sizeof(e->addr));
	if (family == VG_AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const void *)sa;

		e->port = bpf_ntohs(sin->sin_port);
		__builtin_memcpy(e->addr, &sin->sin_addr, 4);
		return true;
	}
	if (family == VG_AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		e->port = bpf_ntohs(sin6->sin6_port);
		__builtin_memcpy(e->addr, &sin6->sin6_addr, 16);
		return true;
	}
	if (family == VG_AF_PACKET && len >= 12) {
		/* sockaddr_ll: protocol (network order) at 2, ifindex at 4 */
		e->port = bpf_ntohs(*(__u16 *)(sa + 2));
		__builtin_memcpy(e->addr, sa + 4, 4);
		return true;
	}
	return false;
}

/* Alerts only: a destination this cgroup already reached is counted, not sent again. */
static __always_inline void vg_connect_send(struct vigil_connect *e, __u32 size,
					    const struct vg_ctx *c)
{
	if (alerts_only && e->family != VG_AF_UNIX) {
		struct vigil_connect_key key = {
			.cgroup_id = c->cgroup_id,
			.family = e->family,
			.port = e->port,
			.hdr_flags = c->flags,
			.protocol = e->protocol,
		};

		__builtin_memcpy(key.addr, e->addr, sizeof(key.addr));
		vg_output_or_count(&connect_seen, &key, e, size);
		return;
	}
	vg_output(e, size);
}

SEC("tp/syscalls/sys_enter_connect")
int enter_connect(struct trace_event_raw_sys_enter *ctx)
{
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
	in->flags = (__u64)vg_fd_sock((struct task_struct *)bpf_get_current_task_btf(),
				      (int)ctx->args[0]);
	vg_inflight_save(in, VIGIL_EVENT_CONNECT);
	return 0;
}

/*
 * The socket file a connected unix socket reached: its peer's bound path (a stream
 * connect's peer is the listener's new socket, which shares the listener's path).
 */
static __always_inline void vg_unix_peer(struct vigil_connect *e, struct sock *sk)
{
	struct unix_sock *peer;
	struct inode *inode;
	__u32 *known;

	if (!sk)
		return;
	peer = (struct unix_sock *)BPF_CORE_READ((struct unix_sock *)sk, peer);
	if (!peer)
		return;
	inode = BPF_CORE_READ(peer, path.dentry, d_inode);
	if (!inode)
		return; /* an abstract or unnamed peer */
	e->peer.ino = BPF_CORE_READ(inode, i_ino);
	e->peer.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	e->connect_flags |= VIGIL_CONNECT_PEER;
	known = bpf_map_lookup_elem(&sock_ids, &e->peer);
	if (known)
		e->connect_flags |= VIGIL_CONNECT_RUNTIME_SOCKET;
}

/* The record is built in the task's slot, next to the address, and sent from there. */
SEC("tp/syscalls/sys_exit_connect")
int exit_connect(struct trace_event_raw_sys_exit *ctx)
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
	e->protocol = vg_sock_protocol(sk);
	if (family != VG_AF_UNIX) {
		vg_connect_set_addr(e, in->addr, in->addr_len);
	} else {
		/* sun_path: a NUL-led name is abstract; it need not be NUL terminated */
		__u32 n = in->addr_len > 2 ? in->addr_len - 2 : 0;
		char *path = (char *)in->addr + 2;

		e->family = family;
		e->port = 0;
		__builtin_memset(e->addr, 0, sizeof(e->addr));
		if (n > VIGIL_UNIX_PATH_MAX)
			n = VIGIL_UNIX_PATH_MAX;
		if (n > 0 && path[0] == 0) {
			e->connect_flags |= VIGIL_CONNECT_ABSTRACT;
			path++;
			n--;
		}
		if (n > VIGIL_UNIX_PATH_MAX - 1)
			n = VIGIL_UNIX_PATH_MAX - 1;
		bpf_probe_read_kernel(e->data, n & 0x7f, path);
		/* stop at the first NUL of a filesystem path; abstract names keep their bytes */
		e->data[n & 0x7f] = 0;
		e->path_len = n + 1;
		size += (n + 1) & 0x7f;
		if (ctx->ret == 0 && e->protocol == VIGIL_PROTO_UNIX)
			vg_unix_peer(e, sk);
	}
	vg_connect_send(e, size, &c);
	return 0;
}

/*
 * A datagram to the address at uaddr (user memory, copied now: before the kernel reads it)
 * from the socket fd. Only datagram, raw and packet sockets: a stream socket's address is
 * ignored, or (TCP fast open) makes a connect that inet_sock_set_state reports.
 */
/* A record without a path, built in the per-CPU scratch buffer (the stack is short). */
static __always_inline struct vigil_connect *vg_connect_scratch(void)
{
	struct vigil_scratch *s = vg_scratch();
	struct vigil_connect *e;

	if (!s)
		return NULL;
	e = (struct vigil_connect *)s->buf;
	__builtin_memset(e, 0, sizeof(*e));
	return e;
}

static __always_inline void vg_send_to(struct vg_ctx *c, struct task_struct *task, int fd,
				       const void *uaddr, __u32 len, __u8 via)
{
	struct vigil_connect *e;
	__u8 protocol, *sa;

	if (!uaddr || len < 2)
		return;
	protocol = vg_sock_protocol(vg_fd_sock(task, fd));
	if (protocol != VIGIL_PROTO_UDP && protocol != VIGIL_PROTO_RAW &&
	    protocol != VIGIL_PROTO_PACKET)
		return;
	e = vg_connect_scratch();
	if (!e)
		return;
	/* the sockaddr copy goes right after the record */
	sa = (__u8 *)e + sizeof(*e);
	__builtin_memset(sa, 0, VG_SOCKADDR_MAX);
	if (len > VG_SOCKADDR_MAX)
		len = VG_SOCKADDR_MAX;
	if (bpf_probe_read_user(sa, len & 0x1f, uaddr))
		return;
	if (!vg_connect_set_addr(e, sa, len))
		return;
	vg_mark_setup(c, task);
	vg_fill_header(&e->hdr, VIGIL_EVENT_CONNECT, sizeof(*e), c);
	e->protocol = protocol;
	e->via = via;
	e->connect_flags = VIGIL_CONNECT_BEFORE_CALL;
	vg_connect_send(e, sizeof(*e), c);
}

SEC("tp/syscalls/sys_enter_sendto")
int enter_sendto(struct trace_event_raw_sys_enter *ctx)
{
	struct vg_ctx c;

	/* most sends name no address (connected sockets): gone before anything else */
	if (!ctx->args[4] || !vg_want_current(&c))
		return 0;
	vg_send_to(&c, (struct task_struct *)bpf_get_current_task_btf(), (int)ctx->args[0],
		   (const void *)ctx->args[4], (__u32)ctx->args[5], VIGIL_VIA_SENDTO);
	return 0;
}

/* msg_name and msg_namelen, the first members of struct user_msghdr */
struct vg_msg_name {
	void *name;
	int namelen;
};

SEC("tp/syscalls/sys_enter_sendmsg")
int enter_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	struct vg_msg_name m;
	struct vg_ctx c;

	if (!ctx->args[1] || !vg_want_current(&c))
		return 0;
	if (bpf_probe_read_user(&m, sizeof(m), (void *)ctx->args[1]) || !m.name)
		return 0;
	vg_send_to(&c, (struct task_struct *)bpf_get_current_task_btf(), (int)ctx->args[0],
		   m.name, (__u32)m.namelen, VIGIL_VIA_SENDMSG);
	return 0;
}

/* Each of the first VG_MMSG_MAX messages: one call can name several destinations. */
SEC("tp/syscalls/sys_enter_sendmmsg")
int enter_sendmmsg(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task;
	const char *vec = (const char *)ctx->args[1];
	__u32 vlen = (__u32)ctx->args[2];
	struct vg_ctx c;

	if (!vec || !vlen || !vg_want_current(&c))
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	for (__u32 i = 0; i < VG_MMSG_MAX; i++) {
		struct vg_msg_name m;

		if (i >= vlen)
			break;
		if (bpf_probe_read_user(&m, sizeof(m), vec + i * VG_MMSGHDR_SIZE))
			break;
		if (m.name)
			vg_send_to(&c, task, (int)ctx->args[0], m.name, (__u32)m.namelen,
				   VIGIL_VIA_SENDMMSG);
	}
	return 0;
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
	if (task->flags & VG_PF_IO_WORKER || nr == VG_NR_IO_URING_ENTER)
		e->via = VIGIL_VIA_IO_URING;
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
