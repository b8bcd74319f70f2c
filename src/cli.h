/* SPDX-License-Identifier: GPL-2.0 */
/* Subcommands and what they share: option parsing helpers and the one error function. */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* SPEC exit codes */
#define VG_EXIT_OK 0
#define VG_EXIT_RUNTIME 1
#define VG_EXIT_USAGE 2

/* "vigil: <message>" on stderr; returns code, for `return vg_error(2, ...)`. */
int vg_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Options run and replay share (SPEC "Command line"). */
struct vg_common_opts {
	const char *policy_path; /* NULL: built-in */
	const char *output_path; /* NULL: stdout */
	int format; /* -1: text on a terminal, json otherwise */
	bool events;
	const char *container;
};

/* getopt_long entries of the shared options; a command lists them in its own table */
#define VG_COMMON_LONGOPTS                                                                         \
	{ "policy", required_argument, NULL, 'p' }, { "format", required_argument, NULL, 'f' },   \
		{ "output", required_argument, NULL, 'o' }, { "events", no_argument, NULL, 'e' },  \
		{ "container", required_argument, NULL, 'c' }

/*
 * One of the shared options, from getopt_long: 1 if it was one and is set, 0 if opt is not
 * a shared option, or VG_EXIT_USAGE after printing why its value is bad.
 */
int vg_cli_common_opt(int opt, const char *arg, struct vg_common_opts *o);
/*
 * What getopt_long (with opterr 0 and an optstring starting with ':') returned for a bad option,
 * said in one line naming it ("run: unknown option '--bogus'..."); returns VG_EXIT_USAGE.
 */
int vg_cli_bad_option(int opt, const char *command, char *const argv[]);

struct vg_policy;
struct vg_output;
/* Loads --policy (or the built-in); prints FILE:LINE:COL and returns NULL on error. */
struct vg_policy *vg_cli_load_policy(const char *path);
/* Opens --output and picks the format; 0, or an exit code after printing why. */
int vg_cli_open_output(const struct vg_common_opts *o, struct vg_output *out);
void vg_cli_close_output(struct vg_output *out);

/* A byte count: digits, optionally K, M or G (powers of 1024). 0 or -EINVAL. */
int vg_parse_size(const char *text, __u64 *out);

/* CLOCK_REALTIME - CLOCK_BOOTTIME, ns */
__u64 vg_boot_wall_ns(void);
__u64 vg_now_boot_ns(void);

struct vg_capture_info;
/*
 * A --since/--until bound: RFC 3339 ("2026-11-22T10:15:02Z", fraction and offset allowed),
 * or a duration from the capture's start ("90s", "5m", "1h", "250ms"). Returns the
 * CLOCK_BOOTTIME ns of the recording machine; *bad set when the text is neither.
 */
__u64 vg_parse_time_bound(const char *s, const struct vg_capture_info *info, bool *bad);

/* --since/--until into CLOCK_BOOTTIME bounds (left as they are where not given); 0 or exit 2. */
int vg_replay_window(const char *since, const char *until, const struct vg_capture_info *info,
		     __u64 *since_ns, __u64 *until_ns);
struct vg_capture_reader;
struct vg_pipeline;
struct vg_containers;
/*
 * Every record of r through pipe, as replay reads them; 0, or an exit code after saying why.
 * tap (NULL: none) sees each record first, with tap_ctx: a second reader of the same pass.
 */
typedef void (*vg_replay_tap_fn)(void *tap_ctx, unsigned int type, const void *data, size_t len);
int vg_replay_feed(struct vg_capture_reader *r, const char *file, struct vg_pipeline *pipe,
		   struct vg_containers *containers, vg_replay_tap_fn tap, void *tap_ctx);
/* A capture reader's warning (damage, a cut-off tail) on stderr; ctx NULL or replay's. */
void vg_replay_on_warning(void *ctx, const char *message);
/* A process id: 1 .. 2^22 (PID_MAX_LIMIT). 0 or -EINVAL. */
int vg_parse_pid(const char *text, __u32 *out);

int vg_cmd_run(int argc, char **argv);
int vg_cmd_report(int argc, char **argv);
int vg_cmd_replay(int argc, char **argv);
int vg_cmd_profile(int argc, char **argv);
int vg_cmd_policy(int argc, char **argv);
int vg_cmd_version(int argc, char **argv);

#endif
