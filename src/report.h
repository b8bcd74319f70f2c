/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `vigil report`: one self-contained HTML file from the trees of tree.h. No network, no external
 * script, style or font (a Content-Security-Policy of default-src 'none' says so to the browser
 * too); every string from the capture is escaped. Bounded whatever the capture's size: processes
 * and alerts past VG_REPORT_PROCS_MAX, VG_REPORT_ALERTS_MAX or VG_REPORT_BYTES_MAX are counted
 * and said, not listed. Each container's summary holds its hardening advice (profile_advice.h),
 * at most a row per check.
 */
#ifndef VIGIL_REPORT_H
#define VIGIL_REPORT_H

#include <stdio.h>
#include <linux/types.h>
#include "capture.h"

#define VG_REPORT_PROCS_MAX 2000 /* processes listed, the chains to alerts first */
#define VG_REPORT_ALERTS_MAX 1000 /* alerts listed with their evidence */
#define VG_REPORT_BYTES_MAX (4u << 20) /* listing stops past this size, under 5 MB in all */
#define VG_REPORT_PLOT_COLUMNS 300 /* bars of a timeline */

/* What the report was made from, for its header. */
struct vg_report_meta {
	const char *file;
	const char *policy; /* NULL: built-in */
	const char *container, *since, *until; /* as given, NULL if not */
	__u32 pid;
	struct vg_capture_info info;
	/* a profile per container, for its hardening advice; NULL: not learnt (out of memory) */
	const struct vg_profile_set *profiles;
};

struct vg_tree;
struct vg_profile_set;
/* Writes the whole document to f. 0, or -1 on a write error (ferror(f) tells). */
int vg_report_write_html(const struct vg_tree *t, const struct vg_report_meta *meta, FILE *f);

/* The page's style and script (report_assets.c): constants, nothing from the capture. */
extern const char vg_report_css[];
extern const char vg_report_js[];

#endif
