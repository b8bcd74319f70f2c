// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the runtime-state readers (runtime_state.c): docker's config.v2.json and
 * hostconfig.json, containerd's bundles (OCI config.json), runc's state.json, containers/storage's
 * bundles, containers.json and images.json (podman, cri-o), and /etc/passwd for rootless podman.
 * Whoever builds or runs a container controls much of these files (labels, annotations, names,
 * mounts, env).
 *
 * The first byte of the input picks one of FILES, the rest becomes that file in a temporary root
 * laid out like the host's; then every runtime's loader is called for the container the file
 * belongs to, the way the agent calls it. Whatever the file holds, the loader must not crash, must
 * give terminated strings and a bounded mount list, and the container must serialize to JSON that
 * reads back (what a capture records).
 */
#include <fcntl.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"

#define DOCKER_ID "d000000000000000000000000000000000000000000000000000000000000001"
#define K8S_ID "ad0000000000000000000000000000000000000000000000000000000000cafe"
#define PODMAN_ID "c000000000000000000000000000000000000000000000000000000000000042"
#define ROOTLESS_CGROUP "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" PODMAN_ID

static const struct state_file {
	const char *path; /* under the root */
	const char *id;
	enum vg_runtime runtime; /* the loader that reads it; all are tried as well */
	const char *cgroup_path;
} FILES[] = {
	{"var/lib/docker/containers/" DOCKER_ID "/config.v2.json", DOCKER_ID, VG_RT_DOCKER},
	{"var/lib/docker/containers/" DOCKER_ID "/hostconfig.json", DOCKER_ID, VG_RT_DOCKER},
	{"run/containerd/io.containerd.runtime.v2.task/moby/" DOCKER_ID "/config.json", DOCKER_ID,
	 VG_RT_DOCKER},
	{"run/docker/runtime-runc/moby/" DOCKER_ID "/state.json", DOCKER_ID, VG_RT_DOCKER},
	{"run/containerd/io.containerd.runtime.v2.task/k8s.io/" K8S_ID "/config.json", K8S_ID,
	 VG_RT_CONTAINERD},
	{"run/containerd/io.containerd.runtime.v1.linux/default/" K8S_ID "/config.json", K8S_ID,
	 VG_RT_CONTAINERD},
	{"var/lib/containers/storage/overlay-containers/" PODMAN_ID "/userdata/config.json",
	 PODMAN_ID, VG_RT_PODMAN},
	{"run/containers/storage/overlay-containers/" PODMAN_ID "/userdata/config.json", PODMAN_ID,
	 VG_RT_CRIO},
	{"var/lib/containers/storage/overlay-containers/containers.json", PODMAN_ID, VG_RT_PODMAN},
	/* read when containers.json (below) lists the container with image "1mage" and no name */
	{"var/lib/containers/storage/overlay-images/images.json", PODMAN_ID, VG_RT_PODMAN},
	{"etc/passwd", PODMAN_ID, VG_RT_PODMAN, ROOTLESS_CGROUP},
};
#define N_FILES (sizeof(FILES) / sizeof(FILES[0]))

static char root[64];

static void write_file(const char *rel, const void *data, size_t size)
{
	char path[512], *slash;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		__builtin_trap();
	close(fd);
}

static void remove_file(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(path);
	return 0;
}

static void remove_root(void)
{
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void check_str(const char *s)
{
	/* read to its end: the sanitizer sees an unterminated or freed one */
	if (s && strlen(s) > (64u << 20))
		__builtin_trap();
}

static void load_and_check(const struct state_file *f, enum vg_runtime rt)
{
	struct vg_container c = {0}, back = {0};
	struct json_object *obj;
	const char *text;
	size_t len;

	snprintf(c.id, sizeof(c.id), "%s", f->id);
	c.runtime = rt;
	c.cgroup_path = f->cgroup_path ? strdup(f->cgroup_path) : NULL;
	vg_container_load_metadata(&c, root);
	check_str(c.name);
	check_str(c.image);
	check_str(c.pod);
	check_str(c.namespace);
	check_str(c.compose_project);
	check_str(c.compose_service);
	check_str(c.config.user);
	if (c.config.n_mounts > 1024)
		__builtin_trap();
	for (size_t i = 0; i < c.config.n_mounts; i++) {
		if (!c.config.mounts[i].destination || !c.config.mounts[i].destination[0])
			__builtin_trap();
		check_str(c.config.mounts[i].source);
		check_str(c.config.mounts[i].type);
	}
	/* the "container" object of every line, and the capture's record, read back */
	if (!vg_container_json(&c, &len))
		__builtin_trap();
	obj = vg_container_to_json_full(&c);
	text = obj ? json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN) : NULL;
	if (!text)
		__builtin_trap();
	len = strlen(text);
	{
		struct json_object *parsed = json_tokener_parse(text);

		if (!parsed || vg_container_from_json_full(parsed, &back))
			__builtin_trap();
		json_object_put(parsed);
	}
	json_object_put(obj);
	vg_container_clear(&back);
	vg_container_clear(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char listing[] = "[{\"id\":\"" PODMAN_ID "\",\"names\":[\"n\"],"
				      "\"image\":\"1mage\",\"metadata\":\"{}\"}]";
	const struct state_file *f;
	static const enum vg_runtime all[] = {VG_RT_UNKNOWN, VG_RT_DOCKER, VG_RT_CONTAINERD,
					      VG_RT_CRIO, VG_RT_PODMAN};

	if (!root[0]) {
		snprintf(root, sizeof(root), "/dev/shm/vigil-fuzz-rs.%d", getpid());
		if (mkdir(root, 0700))
			__builtin_trap();
		atexit(remove_root);
	}
	if (size < 1)
		return 0;
	f = &FILES[data[0] % N_FILES];
	write_file(f->path, data + 1, size - 1);
	if (f == &FILES[9])
		write_file(FILES[8].path, listing, sizeof(listing) - 1);
	load_and_check(f, f->runtime);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i] != f->runtime)
			load_and_check(f, all[i]);
	}
	remove_file(f->path);
	remove_file(FILES[8].path);
	return 0;
}
