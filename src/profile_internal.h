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
/* profile_items.c: value lists, each value once with its evidence */
struct vg_event;
struct vg_process;
/* The item with this key, made (zeroed, key set) if new. NULL on ENOMEM. Valid until the next. */
struct vg_profile_item *profile_items_get(struct vg_profile_items *l, const char *key,
					  bool *created);
void profile_items_clear(struct vg_profile_items *l);
/* Sorted by key for output: the index is rebuilt so that lookups keep working. */
int profile_items_sort(struct vg_profile_items *l);
/* The event's program: the exec'd path, else the process's exe or comm, else "?". */
const char *profile_program_of(const struct vg_event *ev, const struct vg_process *p);
/* One more event showing a value; 0 or -ENOMEM. */
int profile_evidence_add(struct vg_evidence *e, const struct vg_event *ev,
			 const struct vg_process *p, size_t container);
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
