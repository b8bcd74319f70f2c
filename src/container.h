/* SPDX-License-Identifier: GPL-2.0 */
/* cgroup -> container attribution and the runtime's on-disk metadata. */
#ifndef VIGIL_CONTAINER_H
#define VIGIL_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "container_config.h"

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
enum vg_runtime vg_runtime_from_name(const char *name); /* VG_RT_UNKNOWN if not a SPEC name */

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

struct vg_container {
	__u64 cgroup_id;
	char *cgroup_path; /* relative to the cgroup v2 root */
	char id[65];
	enum vg_runtime runtime;
	char *name; /* NULL where unknown */
	char *image;
	char *pod;
	char *namespace;
	char *compose_project; /* docker-compose's labels, where it started the container */
	char *compose_service;
	struct vg_container_config config;
	/*
	 * vg_container_json()'s cache: the "container" object serialized, built on first use and
	 * dropped wherever the fields it shows change. The one member written through a const
	 * pointer, so a vg_container is never defined const; a struct copy must not keep it.
	 */
	char *json;
	size_t json_len;
};

/* Where to look: defaults are the host's; tests point them at fixtures. */
struct vg_container_paths {
	const char *cgroup_root; /* "/sys/fs/cgroup/unified" or "/sys/fs/cgroup" */
	const char *root; /* prefix for every runtime state dir; "" on the host */
};
void vg_container_paths_default(struct vg_container_paths *paths);

struct vg_containers; /* cache: cgroup id -> container */

/*
 * Cached cgroups beyond which the least recently used are dropped, host cgroups (and ids found
 * gone) before containers'. Online caches only.
 */
#define VG_CONTAINERS_MAX 4096

/*
 * paths NULL: the host's defaults. paths->cgroup_root NULL: an offline cache (replay) that never
 * touches the filesystem, knows only what vg_containers_add() gave it and keeps all of it.
 */
struct vg_containers *vg_containers_new(const struct vg_container_paths *paths);
void vg_containers_free(struct vg_containers *cs);

/*
 * The container of a cgroup id, NULL for a host cgroup or an id that no longer exists.
 * Resolves id -> path -> container -> metadata on the first call, cached afterwards;
 * missing or unreadable runtime state degrades to the id alone. *is_new is set true the
 * first time a container is returned (the agent then records its metadata). The pointer stays
 * valid until the next call that may change the cache (lookup, add, evict).
 */
const struct vg_container *vg_containers_lookup(struct vg_containers *cs, __u64 cgroup_id,
						 bool *is_new);
/* Adds a container known from elsewhere (a capture): replay resolves through this. */
int vg_containers_add(struct vg_containers *cs, const struct vg_container *c);
/*
 * The same from a capture's VG_REC_CONTAINER record: len bytes of JSON, not NUL terminated.
 * 0, -EINVAL for a record that is not a container, -ENOMEM.
 */
int vg_containers_add_record(struct vg_containers *cs, const void *data, size_t len);
/*
 * What the kernel said of a container's cgroup when it made it (or first saw it): its path.
 * The container is attributed from that path at once, and its metadata read then, while
 * the runtime's state exists (or copied from another cgroup of the same container). Returns
 * 1 for a container's cgroup, 0 for another, -errno; *is_new as for lookup.
 */
int vg_containers_learn(struct vg_containers *cs, __u64 cgroup_id, const char *path,
			bool *is_new);
/* Is anything cached for the id (a container's, a host's, or one found gone)? */
bool vg_containers_known(const struct vg_containers *cs, __u64 cgroup_id);
/*
 * The cgroup is gone (the kernel said so): forgotten once every record written before is read.
 * Positions are a monotonic count of what the kernel had written (written) and the agent has
 * read (read), e.g. the event ring buffer's producer and consumer positions.
 */
void vg_containers_gone(struct vg_containers *cs, __u64 cgroup_id, __u64 written);
/*
 * Marks cgroups found gone from the filesystem as gone at `written`, and drops those gone at
 * or before `read` (called periodically; 0, UINT64_MAX drops at once). Returns how many.
 */
size_t vg_containers_evict_gone(struct vg_containers *cs, __u64 written, __u64 read);
/*
 * And kept at least this long once found gone (default 0): what the kernel counted instead of
 * sending (repeats, taken periodically) still finds its container.
 */
void vg_containers_set_gone_grace(struct vg_containers *cs, double seconds);
/* Cached cgroups that belong to a container (host cgroups cached as such are not counted). */
size_t vg_containers_count(const struct vg_containers *cs);

struct vg_containers_stats {
	size_t entries; /* cached cgroups, host ones included: at most VG_CONTAINERS_MAX online */
	size_t containers; /* of which in a container */
	size_t learned; /* cgroups attributed from the kernel's record of them */
	size_t resolved; /* cgroups attributed by a lookup of their id */
	size_t scans; /* full scans of the cgroup tree */
	size_t handle_resolves; /* ids resolved by open_by_handle_at() */
	size_t evicted; /* dropped for the bound or by vg_containers_evict_gone() */
};
void vg_containers_stats(const struct vg_containers *cs, struct vg_containers_stats *st);
/*
 * Calls fn for every cached container that lookup has returned (announced), most recently seen
 * first; fn must not change the cache.
 */
void vg_containers_for_each(const struct vg_containers *cs,
			    void (*fn)(void *ctx, const struct vg_container *c), void *ctx);
/* Finds by full id, id prefix (12+ hex) or name; NULL if none or ambiguous. */
const struct vg_container *vg_containers_find(const struct vg_containers *cs, const char *key);
/* Does key (full id, 12+ hex prefix, or name) designate c? */
bool vg_container_matches(const struct vg_container *c, const char *key);

/* SPEC's "container" object: id, runtime, name, image, pod, namespace where known. */
struct json_object *vg_container_to_json(const struct vg_container *c);
/*
 * The same object as JSON text (VG_JSONW_JSONC_FLAGS), *len bytes, NUL terminated: kept on c
 * and valid until its fields change (vg_container_json_drop) or it is cleared. NULL: ENOMEM.
 */
const char *vg_container_json(const struct vg_container *c, size_t *len);
/* Drops the text vg_container_json() kept; whoever changes id, runtime, name... calls it. */
void vg_container_json_drop(struct vg_container *c);
/* Everything, config included, for captures; and back. */
struct json_object *vg_container_to_json_full(const struct vg_container *c);
int vg_container_from_json_full(struct json_object *obj, struct vg_container *out);
void vg_container_clear(struct vg_container *c); /* frees the strings of *c */
/* Deep copy into dst (overwritten, not freed first); 0 or -ENOMEM (dst then cleared). */
int vg_container_copy(struct vg_container *dst, const struct vg_container *src);

/*
 * Fills name, image, pod, namespace and config of c (id, runtime, cgroup_path already set) from
 * the runtimes' on-disk state under root ("" for the host). Never fails: what is missing stays
 * unknown. A runtime the path could not tell (VG_RT_UNKNOWN, or a bare id under kubepods taken
 * for containerd) is set to the one whose state holds c.
 */
void vg_container_load_metadata(struct vg_container *c, const char *root);

/*
 * Is an absolute path inside the container on its root filesystem, rather than on a volume,
 * bind mount or tmpfs? Longest-prefix match against config.mounts destinations: a path at or
 * under any mount other than "/" is not on the rootfs. *decided is false (and false returned)
 * when the mounts are unknown or path is not absolute.
 */
bool vg_container_path_on_rootfs(const struct vg_container *c, const char *path, bool *decided);
/*
 * Fills c's mounts from a mountinfo file (/proc/<pid>/mountinfo of a process in the container)
 * when its config gave none: every mount point but "/". 0 (also when the config had mounts),
 * or -errno when the file cannot be read.
 */
int vg_container_load_mountinfo(struct vg_container *c, const char *mountinfo_path);

#endif
