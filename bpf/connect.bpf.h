/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Destinations of sockets, shared by the system-call hooks (connect.bpf.c) and io_uring's
 * (uring.bpf.c): the kind of socket from the kernel's struct sock, addresses from a sockaddr
 * copy, a unix socket's peer, and the record's in-kernel deduplication.
 */
#ifndef VIGIL_CONNECT_BPF_H
#define VIGIL_CONNECT_BPF_H

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
#define VG_UIO_MAXIOV 1024 /* sendmmsg: the kernel sends at most this many messages a call */
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

/* The kind of an inet, unix or packet socket from its family, type and protocol */
static __always_inline __u8 vg_sock_kind(__u16 family, __u16 type, __u16 proto)
{
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

static __always_inline __u8 vg_sock_protocol(struct sock *sk)
{
	if (!sk)
		return VIGIL_PROTO_UNKNOWN;
	return vg_sock_kind(BPF_CORE_READ(sk, __sk_common.skc_family), BPF_CORE_READ(sk, sk_type),
			    BPF_CORE_READ(sk, sk_protocol));
}

#define VG_IPPROTO_RAW 255
#define VG_INET_FLAGS_HDRINCL 12 /* an anonymous enum of 6.6+, its values only appended to */

/* Before 6.6: inet_sock's flags were bitfields */
struct inet_sock___pre66 {
	__u8 hdrincl : 1;
} __attribute__((preserve_access_index));

/*
 * A raw socket that writes its own IP header (IP_HDRINCL, IPV6_HDRINCL, or IPPROTO_RAW, which
 * implies it): the header it writes, not the address it names, says where a packet goes.
 */
static __always_inline bool vg_raw_hdrincl(struct sock *sk)
{
	struct inet_sock___pre66 *old = (void *)sk;

	if (!sk)
		return false;
	if (BPF_CORE_READ(sk, sk_protocol) == VG_IPPROTO_RAW)
		return true;
	if (bpf_core_field_exists(struct inet_sock, inet_flags))
		return (BPF_CORE_READ((struct inet_sock *)sk, inet_flags) >>
			VG_INET_FLAGS_HDRINCL) & 1;
	return BPF_CORE_READ_BITFIELD_PROBED(old, hdrincl);
}

#ifdef VG_RDONLY_CAST
/*
 * bpf_rdonly_cast (6.2+) turns a kernel address into a BTF pointer the program loads from
 * directly (a fault reads as zero; the verifier makes the call itself a move): a socket's
 * file, inode and struct sock without a helper call per hop, on the paths every connect and
 * datagram take. Weak, so that the object loads where the kernel lacks it: the programs
 * calling it are then left out (src/hooks.c vg_hooks_pick_socket_reads). Declared in
 * connect.bpf.c alone: libbpf 1.1's linker rejects one kfunc extern in two objects.
 */
extern void *bpf_rdonly_cast(void *obj, __u32 btf_id) __ksym __weak;

#define vg_cast(ptr, type) ((type *)bpf_rdonly_cast((void *)(ptr), bpf_core_type_id_kernel(type)))

/* The fd array's entry read as the first member of a struct kiocb: a struct file pointer. */
static __always_inline struct file *vg_fd_file_cast(struct task_struct *task, int fd)
{
	struct fdtable *fdt = task->files->fdt;

	if (fd < 0 || (unsigned int)fd >= fdt->max_fds ||
	    bpf_core_field_offset(struct kiocb, ki_filp) != 0)
		return NULL;
	return vg_cast((__u64)fdt->fd + (__u64)(fd & 0xfffff) * sizeof(void *),
		       struct kiocb)->ki_filp;
}

/* vg_fd_sock, through casts */
static __always_inline struct sock *vg_fd_sock_cast(struct task_struct *task, int fd)
{
	struct file *file = vg_fd_file_cast(task, fd);

	if (!file || (file->f_inode->i_mode & VG_S_IFMT) != VG_S_IFSOCK)
		return NULL;
	return vg_cast(file->private_data, struct socket)->sk;
}

/* vg_sock_protocol, through a cast */
static __always_inline __u8 vg_sock_protocol_cast(struct sock *addr)
{
	struct sock *sk = vg_cast(addr, struct sock);

	if (!addr)
		return VIGIL_PROTO_UNKNOWN;
	return vg_sock_kind(sk->__sk_common.skc_family, sk->sk_type, sk->sk_protocol);
}
#endif

/* A destination as records and keys hold it: family, port (host order), address */
struct vg_dest {
	__u16 family;
	__u16 port;
	__u8 addr[16];
};

/* An inet, inet6 or packet destination from a sockaddr copy; false for anything else. */
static __always_inline bool vg_dest_from_sockaddr(struct vg_dest *d, const __u8 *sa, __u32 len)
{
	__u16 family = *(__u16 *)sa;

	d->family = family;
	d->port = 0;
	__builtin_memset(d->addr, 0, sizeof(d->addr));
	if (family == VG_AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = (const void *)sa;

		d->port = bpf_ntohs(sin->sin_port);
		__builtin_memcpy(d->addr, &sin->sin_addr, 4);
		return true;
	}
	if (family == VG_AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *sin6 = (const void *)sa;

		d->port = bpf_ntohs(sin6->sin6_port);
		__builtin_memcpy(d->addr, &sin6->sin6_addr, 16);
		return true;
	}
	if (family == VG_AF_PACKET && len >= 12) {
		/* sockaddr_ll: protocol (network order) at 2, ifindex at 4 */
		d->port = bpf_ntohs(*(__u16 *)(sa + 2));
		__builtin_memcpy(d->addr, sa + 4, 4);
		return true;
	}
	return false;
}

static __always_inline void vg_connect_put_dest(struct vigil_connect *e, const struct vg_dest *d)
{
	e->family = d->family;
	e->port = d->port;
	__builtin_memcpy(e->addr, d->addr, sizeof(e->addr));
}

static __always_inline bool vg_connect_set_addr(struct vigil_connect *e, const __u8 *sa,
						__u32 len)
{
	struct vg_dest d;
	bool ok = vg_dest_from_sockaddr(&d, sa, len);

	vg_connect_put_dest(e, &d);
	return ok;
}

static __always_inline void vg_connect_key_fill(struct vigil_connect_key *key,
						const struct vigil_connect *e, const struct vg_ctx *c)
{
	key->cgroup_id = c->cgroup_id;
	key->family = e->family;
	key->port = e->port;
	key->hdr_flags = c->flags;
	key->protocol = e->protocol;
	/* a raw socket writing its own header is judged apart from one that does not */
	key->connect_flags = e->connect_flags & VIGIL_CONNECT_HDRINCL;
	__builtin_memcpy(key->addr, e->addr, sizeof(key->addr));
}

/*
 * Alerts only: a destination this cgroup already reached is counted, not sent again. True
 * when the key is in connect_seen now (counted, or sent and entered).
 */
static __always_inline bool vg_connect_send(struct vigil_connect *e, __u32 size,
					    const struct vg_ctx *c)
{
	if (alerts_only && e->family != VG_AF_UNIX) {
		struct vigil_connect_key key;

		vg_connect_key_fill(&key, e, c);
		return vg_output_or_count(&connect_seen, &key, e, size);
	}
	vg_output(e, size);
	return false;
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

/*
 * The path of a unix sockaddr copy (kernel memory, len bytes) into the record's data:
 * sun_path need not be NUL terminated, and a NUL-led name is abstract (its bytes kept, the
 * NUL dropped; a filesystem path stops at its first NUL). Returns the bytes added.
 */
static __always_inline __u32 vg_connect_unix_path(struct vigil_connect *e, const __u8 *sa,
						  __u32 len)
{
	__u32 n = len > 2 ? len - 2 : 0;
	const char *path = (const char *)sa + 2;

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
	e->data[n & 0x7f] = 0;
	e->path_len = n + 1;
	return (n + 1) & 0x7f;
}

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

/* ---- a datagram's socket ---- */

/*
 * A socket as the send slot compares it: its struct file, inode and inode number (the slab
 * reuses a closed socket's file and inode for the next one; the number tells them apart).
 * file 0: the socket has no fd (an io_uring fixed file): its kind is not known.
 */
struct vg_send_from {
	__u64 file, inode, ino;
};


/* The socket at fd, read with bpf_rdonly_cast (cast, 6.2+) or a probe read per hop. */
static __always_inline bool vg_send_from_fd(struct vg_send_from *from, struct task_struct *task,
					    int fd, bool cast)
{
	struct inode *inode;
	struct file *file;

#ifdef VG_RDONLY_CAST
	if (cast) {
		file = vg_fd_file_cast(task, fd);
		if (!file)
			return false;
		inode = file->f_inode;
		from->file = (__u64)file;
		from->inode = (__u64)inode;
		from->ino = inode->i_ino;
		return true;
	}
#endif
	file = vg_fd_file(task, fd);
	if (!file)
		return false;
	inode = BPF_CORE_READ(file, f_inode);
	from->file = (__u64)file;
	from->inode = (__u64)inode;
	from->ino = BPF_CORE_READ(inode, i_ino);
	return true;
}

/* The struct sock of the socket from names (it has an fd); NULL if it is not a socket. */
static __always_inline struct sock *vg_send_sock(const struct vg_send_from *from)
{
	/* locals: a member of from inside BPF_CORE_READ would be relocated as the kernel's */
	struct inode *inode = (struct inode *)from->inode;
	struct file *file = (struct file *)from->file;
	struct socket *sock;

	if ((BPF_CORE_READ(inode, i_mode) & VG_S_IFMT) != VG_S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(file, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/* The kind of the socket from names; unknown if it is not a socket. */
static __always_inline __u8 vg_send_protocol(const struct vg_send_from *from)
{
	return vg_sock_protocol(vg_send_sock(from));
}

/* ---- alerts only: the per-CPU send slot (struct vigil_send_slot) ---- */


static __always_inline struct vigil_send_slot *vg_send_slot(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&send_slots, &cpu);
}

/* The same sender, socket and destination as the slot's last: a repeat of its key. */
static __always_inline bool vg_send_slot_match(const struct vigil_send_slot *slot,
					       const struct vg_ctx *c,
					       const struct vg_send_from *from,
					       const struct vg_dest *d)
{
	const __u64 *a = (const __u64 *)d->addr, *b = (const __u64 *)slot->key.addr;

	return READ_ONCE(slot->gen) && slot->file == from->file && slot->inode == from->inode &&
	       slot->ino == from->ino && slot->tgid == c->pid && slot->in_flags == c->flags &&
	       slot->key.cgroup_id == c->cgroup_id && slot->key.family == d->family &&
	       slot->key.port == d->port && a[0] == b[0] && a[1] == b[1] &&
	       slot->epoch == policy_epoch;
}

/*
 * The slot takes a key just found in or entered into connect_seen: the repeats counted for
 * its old key go to connect_seen first (swapped out with the generation, so the agent can't
 * take them too), then the key is rewritten while gen says it is not to be trusted.
 */
static __always_inline void vg_send_slot_fill(struct vigil_send_slot *slot,
					      const struct vigil_connect_key *key,
					      const struct vg_ctx *c, const struct vg_send_from *from)
{
	struct vigil_connect_key old;
	__u64 gen, word;

	__builtin_memcpy(&old, &slot->key, sizeof(old));
	gen = ((READ_ONCE(slot->word) >> VIGIL_SEND_REPEAT_BITS) + 1) &
	      (~0ULL >> VIGIL_SEND_REPEAT_BITS);
	if (!gen)
		gen = 1;
	WRITE_ONCE(slot->gen, 0);
	word = __sync_lock_test_and_set(&slot->word, gen << VIGIL_SEND_REPEAT_BITS);
	if (word & VIGIL_SEND_REPEAT_MASK)
		vg_seen_add(&connect_seen, &old, word & VIGIL_SEND_REPEAT_MASK);
	__builtin_memcpy(&slot->key, key, sizeof(slot->key));
	slot->file = from->file;
	slot->inode = from->inode;
	slot->ino = from->ino;
	slot->tgid = c->pid;
	slot->in_flags = c->flags;
	slot->epoch = policy_epoch;
	/* an atomic swap orders the key's stores before it, for the agent, on every arch */
	__sync_lock_test_and_set(&slot->gen, gen);
}

/*
 * A datagram to the address at addr from the socket from names: user memory copied now,
 * before the kernel reads it (a system call's entry), or (kernel) the kernel's own copy (an
 * io_uring request's). Only datagram, raw and packet sockets, and io_uring fixed files (their
 * kind is not known): a stream socket's address is ignored, or (TCP fast open) makes a
 * connect that inet_sock_set_state reports. Alerts only, a repeat of the CPU's last (sender,
 * socket, destination) is counted in its slot before anything else is read: the socket's
 * kind, the set-up check and the record wait for a new one.
 */
static __always_inline void vg_send_to(struct vg_ctx *c, struct task_struct *task,
				       const struct vg_send_from *from, const void *addr,
				       __u32 len, __u8 via, bool kernel)
{
	struct vigil_send_slot *slot = NULL;
	struct vigil_connect_key key;
	struct vigil_connect *e;
	__u8 sa[VG_SOCKADDR_MAX + 4];
	struct vg_dest d;
	__u8 protocol;
	long err;

	if (!addr || len < 2)
		return;
	if (len > VG_SOCKADDR_MAX)
		len = VG_SOCKADDR_MAX;
	__builtin_memset(sa, 0, sizeof(sa));
	if (kernel)
		err = bpf_probe_read_kernel(sa, len & 0x1f, addr);
	else
		err = bpf_probe_read_user(sa, len & 0x1f, addr);
	if (err || !vg_dest_from_sockaddr(&d, sa, len))
		return;
	if (alerts_only && from->file) {
		slot = vg_send_slot();
		if (slot && vg_send_slot_match(slot, c, from, &d)) {
			__sync_fetch_and_add(&slot->word, 1);
			return;
		}
	}
	/* a fixed file's kind is not known, and its datagram is not let go for that */
	protocol = from->file ? vg_send_protocol(from) : VIGIL_PROTO_UNKNOWN;
	if (from->file && protocol != VIGIL_PROTO_UDP && protocol != VIGIL_PROTO_RAW &&
	    protocol != VIGIL_PROTO_PACKET)
		return;
	e = vg_connect_scratch();
	if (!e)
		return;
	vg_mark_setup(c, task);
	vg_fill_header(&e->hdr, VIGIL_EVENT_CONNECT, sizeof(*e), c);
	vg_connect_put_dest(e, &d);
	e->protocol = protocol;
	e->via = via;
	e->connect_flags = VIGIL_CONNECT_BEFORE_CALL;
	if (protocol == VIGIL_PROTO_RAW && vg_raw_hdrincl(vg_send_sock(from)))
		e->connect_flags |= VIGIL_CONNECT_HDRINCL;
	/* a raw socket can turn IP_HDRINCL on between two sends: each is judged, none counted */
	if (!vg_connect_send(e, sizeof(*e), c) || !slot || (c->flags & VIGIL_F_SETUP) ||
	    protocol == VIGIL_PROTO_RAW)
		return;
	/* the slot's tgid and flags are the sender's before the set-up check: it passed */
	vg_connect_key_fill(&key, e, c);
	vg_send_slot_fill(slot, &key, c, from);
}

#endif /* VIGIL_CONNECT_BPF_H */
