/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `replay --tree` and `report`: a capture read through the same pipeline as replay, under the
 * policy given now, into the process trees and timelines of tree.h, then rendered.
 */
#ifndef VIGIL_INVESTIGATE_H
#define VIGIL_INVESTIGATE_H

#include <linux/types.h>

struct vg_investigate_opts {
	const char *file;
	const char *policy_path; /* NULL: built-in */
	const char *container; /* --container; NULL all */
	const char *since, *until; /* as replay takes them; NULL open */
	__u32 pid; /* --pid; 0 all */
	const char *output_path; /* NULL: stdout */
};

/* The trees as text (replay --tree). Returns the exit code. */
int vg_investigate_tree(const struct vg_investigate_opts *o);
/* The HTML report (vigil report, replay --format html). Returns the exit code. */
int vg_investigate_report(const struct vg_investigate_opts *o);

#endif
