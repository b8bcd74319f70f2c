/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hardening advice: each row of the container guides' checklist with what the container is
 * given (its runtime configuration) against what it used (its profile), and the change to make.
 */
#ifndef VIGIL_PROFILE_ADVICE_H
#define VIGIL_PROFILE_ADVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "container_config.h"
#include "profile.h"

enum vg_advice_check {
	VG_ADVICE_PRIVILEGED,
	VG_ADVICE_USER,
	VG_ADVICE_CAPABILITIES,
	VG_ADVICE_READ_ONLY_ROOTFS,
	VG_ADVICE_NO_NEW_PRIVILEGES,
	VG_ADVICE_SECCOMP,
	VG_ADVICE_RUNTIME_SOCKET,
	VG_ADVICE_MEMORY_LIMIT,
	VG_ADVICE_CPU_LIMIT,
	VG_ADVICE_NETWORK,
	VG_ADVICE_CHECKS,
};
const char *vg_advice_check_name(enum vg_advice_check check); /* "capabilities", ... */

enum vg_advice_status {
	VG_ADVICE_TIGHT,   /* given no more than used */
	VG_ADVICE_FINDING, /* given more than used: change says what to do */
	VG_ADVICE_UNKNOWN, /* the configuration was not read */
};

struct vg_advice_row {
	enum vg_advice_check check;
	enum vg_advice_status status;
	char given[256];
	char used[1024];
	char change[2048]; /* the sentence, with the exact flags in backquotes; "" when tight */
};

/*
 * Pure: the rows of every check for a profile and the configuration its container was given
 * (cfg->known false: every row unknown). Returns the number of findings.
 */
size_t vg_advice_build(const struct vg_profile *p, const struct vg_container_config *cfg,
		       struct vg_advice_row rows[VG_ADVICE_CHECKS]);

/* When the last new item (value or system call) of a profile was first seen; 0 if none. */
__u64 vg_profile_last_new_ns(const struct vg_profile *p);

/*
 * The observation's end (its last event, or a system call read out later) and its length in
 * seconds from the first event (0 without events).
 */
__u64 vg_profile_end_ns(const struct vg_profile *p);
double vg_profile_span_s(const struct vg_profile *p);

/* --format advice: text per profile; JSON (an array of per-profile objects) when json. */
int vg_advice_write(FILE *f, const struct vg_profile_set *s, bool json);

#endif
