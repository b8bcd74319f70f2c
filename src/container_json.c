// SPDX-License-Identifier: GPL-2.0
/* A container as JSON: SPEC's "container" object, and the full form captures keep. */
#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "jsonw.h"
#include "container_config.h"
#include "output.h"
#include "runtime_state.h"

/* Names, labels and paths are the container's: invalid UTF-8 in them becomes U+FFFD. */
static void put_str(struct json_object *obj, const char *key, const char *val)
{
	if (val)
		json_object_object_add(obj, key, vg_json_string_len(val, strlen(val)));
}

struct json_object *vg_container_to_json(const struct vg_container *c)
{
	struct json_object *obj;

	if (!c)
		return NULL;
	obj = json_object_new_object();
	if (!obj)
		return NULL;
	put_str(obj, "id", c->id);
	json_object_object_add(obj, "runtime", json_object_new_string(vg_runtime_name(c->runtime)));
	put_str(obj, "name", c->name);
	put_str(obj, "image", c->image);
	put_str(obj, "pod", c->pod);
	put_str(obj, "namespace", c->namespace);
	if (c->compose_project || c->compose_service) {
		struct json_object *compose = json_object_new_object();

		json_object_object_add(obj, "compose", compose);
		put_str(compose, "project", c->compose_project);
		put_str(compose, "service", c->compose_service);
	}
	return obj;
}

const char *vg_container_json(const struct vg_container *c, size_t *len)
{
	/* the cache, not the container: c points to a container made writable (container.h) */
	struct vg_container *cached = (struct vg_container *)c;
	struct json_object *obj;
	const char *s;
	size_t n;

	if (!c->json) {
		obj = vg_container_to_json(c);
		s = obj ? json_object_to_json_string_length(obj, VG_JSONW_JSONC_FLAGS, &n) : NULL;
		if (s) {
			cached->json = malloc(n + 1);
			if (cached->json) {
				memcpy(cached->json, s, n + 1);
				cached->json_len = n;
			}
		}
		json_object_put(obj);
		if (!c->json)
			return NULL;
	}
	*len = c->json_len;
	return c->json;
}

struct json_object *vg_container_to_json_full(const struct vg_container *c)
{
	const struct vg_container_config *cfg;
	struct json_object *obj, *config, *mounts;

	obj = vg_container_to_json(c);
	if (!obj)
		return NULL;
	cfg = &c->config;
	json_object_object_add(obj, "cgroup_id", json_object_new_uint64(c->cgroup_id));
	put_str(obj, "cgroup_path", c->cgroup_path);
	config = json_object_new_object();
	json_object_object_add(obj, "config", config);
	json_object_object_add(config, "known", json_object_new_boolean(cfg->known));
	put_str(config, "user", cfg->user);
	json_object_object_add(config, "cap_effective", json_object_new_uint64(cfg->cap_effective));
	json_object_object_add(config, "cap_bounding", json_object_new_uint64(cfg->cap_bounding));
	json_object_object_add(config, "readonly_rootfs",
			       json_object_new_boolean(cfg->readonly_rootfs));
	json_object_object_add(config, "no_new_privileges",
			       json_object_new_boolean(cfg->no_new_privileges));
	json_object_object_add(config, "privileged", json_object_new_boolean(cfg->privileged));
	json_object_object_add(config, "mounts_known", json_object_new_boolean(cfg->mounts_known));
	json_object_object_add(config, "limits_known", json_object_new_boolean(cfg->limits_known));
	json_object_object_add(config, "seccomp", json_object_new_boolean(cfg->seccomp));
	json_object_object_add(config, "memory_limit", json_object_new_uint64(cfg->memory_limit));
	json_object_object_add(config, "cpu_millis", json_object_new_uint64(cfg->cpu_millis));
	put_str(config, "network_mode", cfg->network_mode);
	mounts = json_object_new_array();
	json_object_object_add(config, "mounts", mounts);
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		const struct vg_mountpoint *m = &cfg->mounts[i];
		struct json_object *mo = json_object_new_object();

		put_str(mo, "destination", m->destination);
		put_str(mo, "source", m->source);
		put_str(mo, "type", m->type);
		json_object_object_add(mo, "readonly", json_object_new_boolean(m->readonly));
		json_object_array_add(mounts, mo);
	}
	return obj;
}

static struct json_object *get_typed(struct json_object *obj, const char *key, json_type type)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val) || !json_object_is_type(val, type))
		return NULL;
	return val;
}

/* An optional string member: absent is fine, present with another type is malformed. */
static int take_str(struct json_object *obj, const char *key, char **dst)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val) || json_object_is_type(val, json_type_null))
		return 0;
	if (!json_object_is_type(val, json_type_string))
		return -EINVAL;
	*dst = strdup(json_object_get_string(val));
	return *dst ? 0 : -ENOMEM;
}

static int take_bool(struct json_object *obj, const char *key, bool *dst)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val))
		return 0;
	if (!json_object_is_type(val, json_type_boolean))
		return -EINVAL;
	*dst = json_object_get_boolean(val);
	return 0;
}

static int take_u64(struct json_object *obj, const char *key, __u64 *dst)
{
	struct json_object *val;

	if (!json_object_object_get_ex(obj, key, &val))
		return 0;
	if (!json_object_is_type(val, json_type_int))
		return -EINVAL;
	*dst = json_object_get_uint64(val);
	return 0;
}

static int config_from_json(struct json_object *obj, struct vg_container_config *cfg)
{
	struct json_object *mounts;
	int err = 0;

	err = err ?: take_bool(obj, "known", &cfg->known);
	err = err ?: take_str(obj, "user", &cfg->user);
	err = err ?: take_u64(obj, "cap_effective", &cfg->cap_effective);
	err = err ?: take_u64(obj, "cap_bounding", &cfg->cap_bounding);
	err = err ?: take_bool(obj, "readonly_rootfs", &cfg->readonly_rootfs);
	err = err ?: take_bool(obj, "no_new_privileges", &cfg->no_new_privileges);
	err = err ?: take_bool(obj, "privileged", &cfg->privileged);
	err = err ?: take_bool(obj, "mounts_known", &cfg->mounts_known);
	err = err ?: take_bool(obj, "limits_known", &cfg->limits_known);
	err = err ?: take_bool(obj, "seccomp", &cfg->seccomp);
	err = err ?: take_u64(obj, "memory_limit", &cfg->memory_limit);
	err = err ?: take_u64(obj, "cpu_millis", &cfg->cpu_millis);
	err = err ?: take_str(obj, "network_mode", &cfg->network_mode);
	if (err)
		return err;
	mounts = get_typed(obj, "mounts", json_type_array);
	for (size_t i = 0; mounts && i < json_object_array_length(mounts); i++) {
		struct json_object *m = json_object_array_get_idx(mounts, i);
		struct json_object *dest, *src, *type;
		bool ro = false;

		if (!json_object_is_type(m, json_type_object))
			return -EINVAL;
		dest = get_typed(m, "destination", json_type_string);
		src = get_typed(m, "source", json_type_string);
		type = get_typed(m, "type", json_type_string);
		if (!dest || take_bool(m, "readonly", &ro))
			return -EINVAL;
		err = vg_rs_config_add_mount(cfg, json_object_get_string(dest),
					     src ? json_object_get_string(src) : NULL,
					     type ? json_object_get_string(type) : NULL, ro);
		if (err)
			return err;
	}
	return 0;
}

int vg_container_from_json_full(struct json_object *obj, struct vg_container *out)
{
	struct json_object *id, *runtime, *config, *compose;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (!obj || !json_object_is_type(obj, json_type_object))
		return -EINVAL;
	id = get_typed(obj, "id", json_type_string);
	if (!id || !json_object_get_string_len(id) ||
	    (size_t)json_object_get_string_len(id) >= sizeof(out->id))
		return -EINVAL;
	memcpy(out->id, json_object_get_string(id), (size_t)json_object_get_string_len(id) + 1);
	runtime = get_typed(obj, "runtime", json_type_string);
	out->runtime = vg_runtime_from_name(runtime ? json_object_get_string(runtime) : NULL);
	err = err ?: take_u64(obj, "cgroup_id", &out->cgroup_id);
	err = err ?: take_str(obj, "cgroup_path", &out->cgroup_path);
	err = err ?: take_str(obj, "name", &out->name);
	err = err ?: take_str(obj, "image", &out->image);
	err = err ?: take_str(obj, "pod", &out->pod);
	err = err ?: take_str(obj, "namespace", &out->namespace);
	compose = get_typed(obj, "compose", json_type_object);
	err = err ?: take_str(compose, "project", &out->compose_project);
	err = err ?: take_str(compose, "service", &out->compose_service);
	if (!err && json_object_object_get_ex(obj, "config", &config)) {
		if (json_object_is_type(config, json_type_object))
			err = config_from_json(config, &out->config);
		else if (!json_object_is_type(config, json_type_null))
			err = -EINVAL;
	}
	if (err) {
		vg_container_clear(out);
		return err;
	}
	return 0;
}

int vg_containers_add_record(struct vg_containers *cs, const void *data, size_t len)
{
	struct json_tokener *tok;
	struct json_object *obj;
	struct vg_container c = {};
	int rc = -EINVAL;

	if (len > INT32_MAX)
		return -EINVAL;
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	/* bounded by the record: its bytes are followed by the next record, not a NUL */
	obj = json_tokener_parse_ex(tok, data, (int)len);
	if (obj && json_tokener_get_error(tok) == json_tokener_success &&
	    !vg_container_from_json_full(obj, &c))
		rc = vg_containers_add(cs, &c);
	vg_container_clear(&c);
	json_object_put(obj);
	json_tokener_free(tok);
	return rc;
}
