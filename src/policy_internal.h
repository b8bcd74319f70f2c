/* SPDX-License-Identifier: GPL-2.0 */
/* What policy.c (policies in memory), policy_load.c and policy_print.c share. */
#ifndef VIGIL_POLICY_INTERNAL_H
#define VIGIL_POLICY_INTERNAL_H

#include <stddef.h>

struct vg_policy_entry;

#define POLICY_VERSION 1
#define PATH_BUF       4096 /* the kernel's PATH_MAX: no longer path reaches a system call */
#define CAP_NAME_MAX   64

/* The keys of a "match", in the order of struct vg_policy_match's fields. */
#define MATCH_KEY_COUNT 6
extern const char *const vg_policy_match_keys[MATCH_KEY_COUNT];

void vg_policy_strv_free(char **v, size_t n);
int vg_policy_strv_push(char ***v, size_t *n, const char *s); /* a copy of s; -ENOMEM */
/* Copies every key but match: how an entry inherits from the default. 0 or -ENOMEM. */
int vg_policy_entry_copy_keys(struct vg_policy_entry *dst, const struct vg_policy_entry *src);
void vg_policy_builtin_entry(struct vg_policy_entry *e); /* the built-in default's keys */
/* "CAP_NET_RAW", "cap_net_raw", "NET_RAW", "net_raw" -> 13; -1 if unknown. */
int vg_policy_cap_parse(const char *name);

#endif
