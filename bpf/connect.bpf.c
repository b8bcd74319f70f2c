// SPDX-License-Identifier: GPL-2.0
/*
 * connect(2): the address is copied at entry, so a thread racing to rewrite the sockaddr
 * can't change what is reported; the record goes out at exit with the result.
 */
#include "vigil.bpf.h"

#define VG_AF_UNIX 1
#define VG_AF_INET 2
#define VG_AF_INET6 10

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
	vg_inflight_save(in, VIGIL_EVENT_CONNECT);
	return 0;
}

/* The record is built in the task's slot, next to the address, and sent from there. */
SEC("tp/syscalls/sys_exit_connect")
int exit_connect(struct trace_event_raw_sys_exit *ctx)
{
	struct vigil_inflight *in;
	struct vigil_connect *e;
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
	e->family = family;
	e->port = 0;
	e->connect_flags = 0;
	e->path_len = 0;
	e->reserved = 0;
	__builtin_memset(e->addr, 0, sizeof(e->addr));
	if (family == VG_AF_INET) {
		struct sockaddr_in *sin = (void *)in->addr;

		e->port = bpf_ntohs(sin->sin_port);
		__builtin_memcpy(e->addr, &sin->sin_addr, 4);
	} else if (family == VG_AF_INET6) {
		struct sockaddr_in6 *sin6 = (void *)in->addr;

		e->port = bpf_ntohs(sin6->sin6_port);
		__builtin_memcpy(e->addr, &sin6->sin6_addr, 16);
	} else {
		/* sun_path: a NUL-led name is abstract; it need not be NUL terminated */
		__u32 n = in->addr_len > 2 ? in->addr_len - 2 : 0;
		char *path = (char *)in->addr + 2;

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
	}
	if (alerts_only && family != VG_AF_UNIX) {
		/* the same destination from the same cgroup again: only its count matters */
		struct vigil_connect_key key = {
			.cgroup_id = c.cgroup_id,
			.family = e->family,
			.port = e->port,
			.hdr_flags = c.flags,
		};

		__builtin_memcpy(key.addr, e->addr, sizeof(key.addr));
		vg_output_or_count(&connect_seen, &key, e, size);
		return 0;
	}
	vg_output(e, size);
	return 0;
}
