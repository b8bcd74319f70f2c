/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rules of SPEC (and README's extensions), evaluated in one place, as pure code; and repeat
 * suppression.
 */
#ifndef VIGIL_RULES_H
#define VIGIL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct vg_event;
struct vg_process;
struct vg_container;
struct vg_policy;

enum vg_severity { VG_SEV_LOW, VG_SEV_MEDIUM, VG_SEV_HIGH, VG_SEV_CRITICAL };
const char *vg_severity_name(enum vg_severity s); /* "low", "medium", "high", "critical" */

#define VG_ALERT_KEY_MAX 256
#define VG_ALERT_MSG_MAX 512
#define VG_ALERT_MITRE_MAX 3

struct vg_alert {
	const char *rule; /* SPEC rule id, static */
	enum vg_severity severity;
	const char *mitre[VG_ALERT_MITRE_MAX + 1]; /* static technique ids, NULL terminated */
	char key[VG_ALERT_KEY_MAX]; /* what repeats are told apart by: exe, capability, path, dest */
	char message[VG_ALERT_MSG_MAX];
};

/*
 * The alerts an event raises under a policy, written to out[0..max); returns how many.
 * proc may be NULL (unknown process); c NULL means a host process, which raises nothing.
 * Events of the runtime's set-up phase (VIGIL_F_SETUP, or proc flagged VG_PROC_SETUP)
 * raise nothing.
 */
int vg_rules_eval(const struct vg_policy *policy, const struct vg_event *ev,
		  const struct vg_process *proc, const struct vg_container *c,
		  struct vg_alert *out, int max);

struct vg_dedup;
/*
 * A container first seen: a runtime socket (by identity: policy->sockets) mounted into it,
 * itself or through a directory, raises container_sensitive_socket naming the path inside.
 * Repeats (the same container announced again) go to dedup. Returns how many alerts.
 */
#define VG_ALERT_MAX_START 4
int vg_rules_container_start(const struct vg_policy *policy, const struct vg_container *c,
			     struct vg_dedup *dedup, struct vg_alert *out, int max);

/*
 * The same, with repeat suppression folded in: an alert whose (rule, container, key) dedup
 * has seen is counted there, named in repeat_rules[*n_repeats] (room for max), and left out
 * before its message is written, which is most of an alert's cost in a storm.
 */
int vg_rules_eval_dedup(const struct vg_policy *policy, const struct vg_event *ev,
			const struct vg_process *proc, const struct vg_container *c,
			struct vg_dedup *dedup, struct vg_alert *out, int max,
			const char **repeat_rules, int *n_repeats);

/* Repeat suppression: the same rule, container and key alert once, then count. */
/* Remembers at most VG_DEDUP_MAX_ENTRIES; beyond, the least recently seen is forgotten. */
#define VG_DEDUP_MAX_ENTRIES 65536
struct vg_dedup *vg_dedup_new(void);
struct vg_dedup *vg_dedup_new_bounded(size_t max_entries); /* NULL on ENOMEM, or max 0 */
size_t vg_dedup_count(const struct vg_dedup *d); /* entries remembered */
void vg_dedup_free(struct vg_dedup *d);
/* true the first time (rule, container_id, key) is seen; counts every call. */
bool vg_dedup_first(struct vg_dedup *d, const char *rule, const char *container_id,
		    const char *key);
/*
 * n repeats of (rule, container_id, key) counted elsewhere (the kernel coalesces repeated
 * connects): added as repeats, never as a first occurrence, even if the entry was forgotten.
 */
void vg_dedup_add_repeats(struct vg_dedup *d, const char *rule, const char *container_id,
			  const char *key, __u64 n);
/* Calls fn for every entry seen more than once since the last report, with the repeat
 * count since then (report_all: every entry, totals).
 * Precisely: a repeat is a call that returned false. Without report_all, fn gets each entry
 * with repeats since the last report, and that number; with report_all, every entry and the
 * number of all its calls, first included. Either way the repeats are then reset. Entries are
 * visited most recently seen first; fn must not call back into d.
 */
void vg_dedup_report(struct vg_dedup *d, bool report_all,
		     void (*fn)(void *ctx, const char *rule, const char *container_id,
				const char *key, __u64 count),
		     void *ctx);

#endif
