// SPDX-License-Identifier: GPL-2.0
/*
 * What the runtime-state readers share: bounded file loading, JSON access that tolerates any
 * shape, and the OCI spec and runc state readers every runtime's files lead to.
 * runtime_state.c defines them; runtime_state_docker.c is the other reader that uses them.
 */
#ifndef VIGIL_RUNTIME_STATE_INTERNAL_H
#define VIGIL_RUNTIME_STATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include <linux/types.h>

#include "container.h"

#define ALL_CAPS       ((1ull << (VG_CAP_LAST + 1)) - 1)
#define MS_RDONLY_FLAG 1 /* MS_RDONLY in runc's mount flags */

bool vg_rs_build_path(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct json_object *vg_rs_load_json(const char *path, struct stat *st_out);
struct json_object *vg_rs_member(struct json_object *obj, const char *key);
const char *vg_rs_member_str(struct json_object *obj, const char *key);
bool vg_rs_member_bool(struct json_object *obj, const char *key, bool *out);
struct json_object *vg_rs_member_array(struct json_object *obj, const char *key);
const char *vg_rs_array_str(struct json_object *arr, size_t i);
bool vg_rs_array_has_str(struct json_object *arr, const char *s);
void vg_rs_set_str(char **dst, const char *src);
__u64 vg_rs_caps_from_array(struct json_object *arr);
bool vg_rs_read_oci_spec(struct json_object *spec, struct vg_container_config *cfg);
bool vg_rs_read_runc_state(struct json_object *state, struct vg_container_config *cfg);

/* docker's config.v2.json and hostconfig.json (runtime_state_docker.c) */
bool vg_rs_load_docker(const char *root, struct vg_container *c);

#endif /* VIGIL_RUNTIME_STATE_INTERNAL_H */
