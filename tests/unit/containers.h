/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the container tests share: the fixture host's roots and container ids, capability
 * bits, and containers loaded from the fixtures with their mounts asserted.
 */
#ifndef VIGIL_TEST_CONTAINERS_H
#define VIGIL_TEST_CONTAINERS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

#define HOST_ROOT      FIXTURES "/containers/host"
#define MALFORMED_ROOT FIXTURES "/containers/malformed"

/* Ids of the fixture containers (tests/fixtures/containers/host). */
#define PODMAN_T1   "857e4c15b69e1d6ef84d76cbaa57f7e9f0d0f24f96d61c3795b5cd37526bf577"
#define PODMAN_T2   "fbe4a7182fdc6a088d3c087e4d3d994582ec9b29af75f8b01d16d9efb3a75ca3"
#define PODMAN_PRIV "c0ffee0000000000000000000000000000000000000000000000000000000001"
#define PODMAN_USER "7e0000000000000000000000000000000000000000000000000000000000beef"
#define CRIO_API    "c1d0000000000000000000000000000000000000000000000000000000000042"
#define CTRD_NGINX  "ad0000000000000000000000000000000000000000000000000000000000cafe"
#define CTRD_NERD   "0e0000000000000000000000000000000000000000000000000000000000d00d"
#define DOCKER_WEB  "d1e0000000000000000000000000000000000000000000000000000000000001"
#define DOCKER_PRIV "d2e0000000000000000000000000000000000000000000000000000000000002"
#define DOCKER_API  "d3e0000000000000000000000000000000000000000000000000000000000003"
#define DOCKER_WORK "d4e0000000000000000000000000000000000000000000000000000000000004"
#define DOCKER_SHIM "d5e0000000000000000000000000000000000000000000000000000000000005"
#define NOWHERE_ID  "0000000000000000000000000000000000000000000000000000000000000abc"

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID_C "0123456789ab0000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* ID_B's 12 */

#define BIT(cap)	 (1ull << (cap))
#define CAP_CHOWN	 0
#define CAP_DAC_OVERRIDE 1
#define CAP_FOWNER	 3
#define CAP_FSETID	 4
#define CAP_KILL	 5
#define CAP_SETGID	 6
#define CAP_SETUID	 7
#define CAP_SETPCAP	 8
#define CAP_NET_BIND	 10
#define CAP_NET_ADMIN	 12
#define CAP_NET_RAW	 13
#define CAP_SYS_CHROOT	 18
#define CAP_SYS_ADMIN	 21
#define CAP_MKNOD	 27
#define CAP_AUDIT_WRITE	 29
#define CAP_SETFCAP	 31
#define CAP_CHECKPOINT	 40
#define ALL_CAPS	 ((1ull << 41) - 1)
/* docker's default set, which podman's default matches */
#define DEFAULT_CAPS                                                                               \
	(BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FOWNER) | BIT(CAP_FSETID) |              \
	 BIT(CAP_KILL) | BIT(CAP_SETGID) | BIT(CAP_SETUID) | BIT(CAP_SETPCAP) |                    \
	 BIT(CAP_NET_BIND) | BIT(CAP_NET_RAW) | BIT(CAP_SYS_CHROOT) | BIT(CAP_MKNOD) |             \
	 BIT(CAP_AUDIT_WRITE) | BIT(CAP_SETFCAP))

/* A container as the cache would build it, metadata read from root. */
static inline struct vg_container load(const char *root, const char *id, enum vg_runtime rt,
				       const char *cgroup_path)
{
	struct vg_container c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	c.runtime = rt;
	c.cgroup_path = cgroup_path ? strdup(cgroup_path) : NULL;
	vg_container_load_metadata(&c, root);
	return c;
}

static inline const struct vg_mountpoint *find_mount(const struct vg_container *c, const char *dest)
{
	for (size_t i = 0; i < c->config.n_mounts; i++) {
		if (!strcmp(c->config.mounts[i].destination, dest))
			return &c->config.mounts[i];
	}
	return NULL;
}

static inline void assert_mount(const struct vg_container *c, const char *dest, const char *type,
				const char *source, bool readonly)
{
	const struct vg_mountpoint *m = find_mount(c, dest);

	ck_assert_msg(m, "no mount at %s", dest);
	ck_assert_str_eq(m->type, type);
	if (source)
		ck_assert_str_eq(m->source, source);
	ck_assert_msg(m->readonly == readonly, "%s readonly %d", dest, m->readonly);
}

static inline void assert_id_only(const struct vg_container *c, const char *id)
{
	ck_assert_str_eq(c->id, id);
	ck_assert_ptr_null(c->name);
	ck_assert_ptr_null(c->image);
	ck_assert_ptr_null(c->pod);
	ck_assert_ptr_null(c->namespace);
	ck_assert(!c->config.known);
	ck_assert_uint_eq(c->config.n_mounts, 0);
}

#endif
