/* SPDX-License-Identifier: GPL-2.0 */
/* cgroup -> container attribution and the runtime's on-disk metadata. */
#ifndef VIGIL_CONTAINER_H
#define VIGIL_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct json_object;

enum vg_runtime {
	VG_RT_UNKNOWN = 0,
	VG_RT_DOCKER,
	VG_RT_CONTAINERD,
	VG_RT_CRIO,
	VG_RT_PODMAN,
	VG_RT_LXC,
	VG_RT_NSPAWN,
};
const char *vg_runtime_name(enum vg_runtime rt); /* SPEC spelling: "docker", "crio", ... */

/* What a cgroup path says about the container it belongs to. */
struct vg_cgroup_match {
	enum vg_runtime runtime;
	char id[65]; /* 64 hex for OCI runtimes; the machine/container name for lxc, nspawn */
	bool kubernetes; /* under kubepods */
	char pod_uid[40]; /* kubepods pod<uid>, dashes restored; "" if none */
};
/*
 * Pure: a cgroup path ("/libpod_parent/libpod-<id>", "/system.slice/docker-<id>.scope/x"...)
 * to its container. Nested cgroups below a container's belong to it. Returns true for a
 * container, false for a host cgroup.
 */
bool vg_cgroup_parse(const char *path, struct vg_cgroup_match *out);

struct vg_mountpoint {
	char *destination; /* path inside the container */
	char *source;
	char *type; /* "bind", "tmpfs", "volume", ... */
	bool readonly;
};

/* The hardening-relevant configuration the runtime was given; known=false if unread. */
struct vg_container_config {
	bool known;
	char *user; /* "1000:1000", "root", "" when unset */
	__u64 cap_effective; /* bit per capability */
	__u64 cap_bounding;
	bool readonly_rootfs;
	bool no_new_privileges;
	bool privileged;
	size_t n_mounts;
	struct vg_mountpoint *mounts;
};

struct vg_container {
	__u64 cgroup_id;
	char *cgroup_path; /* relative to the cgroup v2 root */
	char id[65];
	enum vg_runtime runtime;
	char *name; /* NULL where unknown */
	char *image;
	char *pod;
	char *namespace;
	struct vg_container_config config;
};

/* Where to look: defaults are the host's; tests point them at fixtures. */
struct vg_container_paths {
	const char *cgroup_root; /* "/sys/fs/cgroup/unified" or "/sys/fs/cgroup" */
	const char *root; /* prefix for every runtime state dir; "" on the host */
};
void vg_container_paths_default(struct vg_container_paths *paths);

struct vg_containers; /* cache: cgroup id -> container */

struct vg_containers *vg_containers_new(const struct vg_container_paths *paths);
void vg_containers_free(struct vg_containers *cs);

/*
 * The container of a cgroup id, NULL for a host cgroup or an id that no longer exists.
 * Resolves id -> path -> container -> metadata on the first call, cached afterwards;
 * missing or unreadable runtime state degrades to the id alone. *is_new is set true the
 * first time a container is returned (the agent then records its metadata).
 */
const struct vg_container *vg_containers_lookup(struct vg_containers *cs, __u64 cgroup_id,
						 bool *is_new);
/* Adds a container known from elsewhere (a capture): replay resolves through this. */
int vg_containers_add(struct vg_containers *cs, const struct vg_container *c);
/* Drops cgroups that no longer exist (called periodically); returns how many. */
size_t vg_containers_evict_gone(struct vg_containers *cs);
size_t vg_containers_count(const struct vg_containers *cs);
/* Finds by full id, id prefix (12+ hex) or name; NULL if none or ambiguous. */
const struct vg_container *vg_containers_find(const struct vg_containers *cs, const char *key);
/* Does key (full id, 12+ hex prefix, or name) designate c? */
bool vg_container_matches(const struct vg_container *c, const char *key);

/* SPEC's "container" object: id, runtime, name, image, pod, namespace where known. */
struct json_object *vg_container_to_json(const struct vg_container *c);
/* Everything, config included, for captures; and back. */
struct json_object *vg_container_to_json_full(const struct vg_container *c);
int vg_container_from_json_full(struct json_object *obj, struct vg_container *out);
void vg_container_clear(struct vg_container *c); /* frees the strings of *c */

#endif
