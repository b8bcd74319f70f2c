/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's container runtime sockets by identity: the socket files found at the runtimes'
 * well-known paths and at the policy's sensitive_sockets, as (filesystem device, inode). A
 * unix connect is judged by the file its peer is bound to, whatever path the container used.
 */
#ifndef VIGIL_SOCKID_H
#define VIGIL_SOCKID_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct vg_policy;
struct vg_container;

struct vg_sock_identity {
	__u64 ino;
	__u32 dev; /* the kernel's encoding (major << 20 | minor), as BPF reads s_dev */
	char *path; /* where it was found on the host, symlinks resolved */
	bool runtime; /* a runtime's own well-known socket, not only a policy's pattern */
};

struct vg_sockids {
	struct vg_sock_identity *ids;
	size_t n;
};

/*
 * Stats every runtime socket path and every sensitive_sockets pattern of p (globs expanded,
 * abstract names left out) under root ("" for the host), keeping the unix sockets found, each
 * once. Replaces what out held. 0 or -ENOMEM.
 */
int vg_sockids_scan(struct vg_sockids *out, const struct vg_policy *p, const char *root);
void vg_sockids_clear(struct vg_sockids *s);
/* The socket file (dev, ino), or NULL. */
const struct vg_sock_identity *vg_sockids_find(const struct vg_sockids *s, __u32 dev, __u64 ino);
/* A stat(2) st_dev in the kernel's internal encoding. */
__u32 vg_sockid_kdev(__u64 st_dev);

/*
 * A container's mounts that bring one of the sockets into it: a bind of the socket file
 * itself, or of a directory holding it. For each (at most max), writes the path inside the
 * container (destination, plus the rest below a directory) and the host path. Returns how many.
 */
struct vg_sock_mount {
	char inside[4096];
	const char *host; /* points into s */
};
size_t vg_sockids_mounted(const struct vg_sockids *s, const struct vg_container *c,
			  struct vg_sock_mount *out, size_t max);

#endif
