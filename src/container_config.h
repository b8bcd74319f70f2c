/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hardening-relevant configuration a runtime gave a container: filled by the runtime-state
 * readers and the capture records, kept on struct vg_container.
 */
#ifndef VIGIL_CONTAINER_CONFIG_H
#define VIGIL_CONTAINER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct vg_mountpoint {
	char *destination; /* path inside the container */
	char *source;
	char *type; /* "bind", "tmpfs", "volume", ... */
	bool readonly;
};

/* The hardening-relevant configuration the runtime was given; known=false if unread. */
struct vg_container_config {
	bool known;
	char *user;	     /* "1000:1000", "root", "" when unset */
	__u64 cap_effective; /* bit per capability */
	__u64 cap_bounding;
	bool readonly_rootfs;
	bool no_new_privileges;
	bool privileged;
	size_t n_mounts;
	struct vg_mountpoint *mounts;
	bool mounts_known; /* mounts lists every mount (from the config or a mountinfo file) */
	/* resources and isolation; limits_known is false where unread (captures before them) */
	bool limits_known;
	bool seccomp;	    /* a seccomp filter is applied */
	__u64 memory_limit; /* bytes; 0: none */
	__u64 cpu_millis;   /* thousandths of a CPU (quota / period); 0: none */
	char *network_mode; /* "host", "none", "private", docker's "bridge" ...; NULL: unknown */
};

/* Frees the strings and mounts of cfg and zeroes it. */
void vg_rs_config_clear(struct vg_container_config *cfg);
/* Appends a mount (copies of the strings; NULL source/type become ""); 0 or -errno. */
int vg_rs_config_add_mount(struct vg_container_config *cfg, const char *destination,
			   const char *source, const char *type, bool readonly);

#endif
