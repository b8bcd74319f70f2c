// SPDX-License-Identifier: GPL-2.0
/*
 * One container's record: runtime names, copying and clearing it, its metadata read from the
 * runtime's state files, and whether an id, id prefix or name names it. The cache of them,
 * keyed by cgroup id, is container.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "runtime_state.h"

static const char *const runtime_names[] = {
	[VG_RT_UNKNOWN] = "unknown", [VG_RT_DOCKER] = "docker", [VG_RT_CONTAINERD] = "containerd",
	[VG_RT_CRIO] = "crio",	     [VG_RT_PODMAN] = "podman", [VG_RT_LXC] = "lxc",
	[VG_RT_NSPAWN] = "nspawn",
};

const char *vg_runtime_name(enum vg_runtime rt)
{
	if ((unsigned int)rt >= sizeof(runtime_names) / sizeof(runtime_names[0]))
		return "unknown";
	return runtime_names[rt];
}

enum vg_runtime vg_runtime_from_name(const char *name)
{
	for (size_t i = 0; name && i < sizeof(runtime_names) / sizeof(runtime_names[0]); i++) {
		if (!strcmp(name, runtime_names[i]))
			return (enum vg_runtime)i;
	}
	return VG_RT_UNKNOWN;
}

/* ---- one container ---- */

void vg_container_clear(struct vg_container *c)
{
	if (!c)
		return;
	free(c->json);
	free(c->cgroup_path);
	free(c->name);
	free(c->image);
	free(c->pod);
	free(c->namespace);
	free(c->compose_project);
	free(c->compose_service);
	vg_rs_config_clear(&c->config);
	memset(c, 0, sizeof(*c));
}

static int dup_opt(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

int vg_container_copy(struct vg_container *dst, const struct vg_container *src)
{
	const struct vg_container_config *cfg = &src->config;
	int err = 0;

	memset(dst, 0, sizeof(*dst));
	dst->cgroup_id = src->cgroup_id;
	memcpy(dst->id, src->id, sizeof(dst->id));
	dst->id[sizeof(dst->id) - 1] = '\0';
	dst->runtime = src->runtime;
	err |= dup_opt(&dst->cgroup_path, src->cgroup_path);
	err |= dup_opt(&dst->name, src->name);
	err |= dup_opt(&dst->image, src->image);
	err |= dup_opt(&dst->pod, src->pod);
	err |= dup_opt(&dst->namespace, src->namespace);
	err |= dup_opt(&dst->compose_project, src->compose_project);
	err |= dup_opt(&dst->compose_service, src->compose_service);
	err |= dup_opt(&dst->config.user, cfg->user);
	dst->config.known = cfg->known;
	dst->config.cap_effective = cfg->cap_effective;
	dst->config.cap_bounding = cfg->cap_bounding;
	dst->config.readonly_rootfs = cfg->readonly_rootfs;
	dst->config.no_new_privileges = cfg->no_new_privileges;
	dst->config.privileged = cfg->privileged;
	dst->config.mounts_known = cfg->mounts_known;
	dst->config.limits_known = cfg->limits_known;
	dst->config.seccomp = cfg->seccomp;
	dst->config.memory_limit = cfg->memory_limit;
	dst->config.cpu_millis = cfg->cpu_millis;
	err |= dup_opt(&dst->config.network_mode, cfg->network_mode);
	for (size_t i = 0; i < cfg->n_mounts && !err; i++) {
		const struct vg_mountpoint *m = &cfg->mounts[i];

		err = vg_rs_config_add_mount(&dst->config, m->destination, m->source, m->type,
					     m->readonly);
	}
	if (err) {
		vg_container_clear(dst);
		return -ENOMEM;
	}
	return 0;
}

void vg_container_load_metadata(struct vg_container *c, const char *root)
{
	vg_rs_load(NULL, root, c);
}

void vg_container_json_drop(struct vg_container *c)
{
	free(c->json);
	c->json = NULL;
	c->json_len = 0;
}

/* ---- finding by id or name ---- */

static bool is_hex_prefix(const char *key)
{
	size_t len = strlen(key);

	if (len < 12 || len > 64)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f')))
			return false;
	}
	return true;
}

bool vg_container_matches(const struct vg_container *c, const char *key)
{
	if (!c || !key || !*key)
		return false;
	if (!strcmp(c->id, key))
		return true;
	if (is_hex_prefix(key) && !strncmp(c->id, key, strlen(key)))
		return true;
	return c->name && !strcmp(c->name, key);
}
