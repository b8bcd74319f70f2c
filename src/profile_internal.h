/* SPDX-License-Identifier: GPL-2.0 */
/* Shared between the profile modules (learning, the formats, the command); not an API. */
#ifndef VIGIL_PROFILE_INTERNAL_H
#define VIGIL_PROFILE_INTERNAL_H

#include <stdbool.h>
#include <stdio.h>

#include "profile.h"

struct json_object;

/* For a read-only root filesystem: where a tmpfs goes, and the writes no tmpfs can take. */
struct rootfs_plan {
	char **tmpfs; /* sorted, none under another */
	size_t n_tmpfs;
	const char **blocked; /* keys of the writes that keep the root filesystem writable */
	size_t n_blocked;
};

/* profile_docker.c */
char **unique_names(const struct vg_profile_set *s, bool dns);
const char *profile_cap_short(const char *name);
const char *profile_first_program(const struct vg_evidence *e);
void blocked_comments(FILE *f, const struct rootfs_plan *pl, const char *indent);
void comment_str(FILE *f, const char *s);
void free_names(char **names, size_t n);
void header_comment(FILE *f, const struct vg_profile_set *s);
void root_comment(FILE *f, const struct vg_profile *p, const char *indent);
void seen_comments(FILE *f, const struct vg_profile *p, const char *indent);
void write_compose(FILE *f, const struct vg_profile_set *s, char **names);
void write_docker_run(FILE *f, const struct vg_profile_set *s, char **names);
void yaml_str(FILE *f, const char *s);
extern const char unknown_user[]; /* a comment where the user is unknown */
/* profile_json.c */
int profile_json_push(struct json_object *arr, struct json_object *val);
struct json_object *set_json(const struct vg_profile_set *s, char **names);
/* profile_k8s.c */
void write_k8s(FILE *f, const struct vg_profile_set *s, char **names);
/* profile_policy.c */
bool profile_runs_as_root(const struct vg_profile *p);
__u64 profile_cap_mask(const struct vg_profile *p);
int plan_rootfs(const struct vg_profile *p, struct rootfs_plan *pl);
void plan_free(struct rootfs_plan *pl);
/* profile_seccomp.c */
int profile_print_json(FILE *f, struct json_object *obj);
struct json_object *seccomp_json(const struct vg_profile *p);

#endif
