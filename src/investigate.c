// SPDX-License-Identifier: GPL-2.0
/* A capture into process trees through replay's pipeline; `replay --tree` and `vigil report`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"
#include "container.h"
#include "investigate.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"
#include "profile.h"
#include "report.h"
#include "rules.h"
#include "tree.h"

static void observe(void *ctx, const struct vg_event *ev, const struct vg_process *proc,
		    const struct vg_container *c)
{
	vg_tree_event(ctx, ev, proc, c);
}

static void on_alert(void *ctx, const struct vg_alert *a, const struct vg_event *ev,
		     const struct vg_process *proc, const struct vg_container *c)
{
	vg_tree_alert(ctx, a, ev, proc, c);
}

static void on_repeat(void *ctx, const char *rule, const char *container_id, const char *key,
		      __u64 count)
{
	/* with report_all the count includes the alert printed first */
	if (count > 1 && container_id)
		vg_tree_add_repeats(ctx, rule, container_id, key, count - 1);
}

static void learn(void *deriver, unsigned int type, const void *data, size_t len)
{
	vg_profile_deriver_record(deriver, type, data, len);
}

/*
 * The capture through the pipeline (so the alerts are the ones replay prints under this
 * policy) into a finished tree. With profiles set, the same pass also learns a profile per
 * container (the whole capture's, as `vigil profile` would: advice is about a container's life,
 * not a window of it); *profiles NULL then means out of memory, said on stderr. Returns 0 with
 * *out and *info set, or the exit code.
 */
static int build_tree(const struct vg_investigate_opts *o, struct vg_tree **out,
		      struct vg_capture_info *info, struct vg_profile_set **profiles)
{
	struct vg_profile_opts popts = { .container = o->container, .by = VG_PROFILE_BY_CONTAINER };
	struct vg_profile_deriver *deriver = NULL;
	struct vg_container_paths nopaths = { NULL, NULL };
	struct vg_containers *containers = NULL;
	struct vg_capture_reader *r = NULL;
	struct vg_tree_opts topts = { .container_key = o->container, .pid = o->pid };
	struct vg_policy *policy = NULL;
	struct vg_pipeline pipe = {};
	struct vg_output quiet = {};
	struct vg_tree *t = NULL;
	char err[512];
	int rc;

	rc = vg_capture_open(o->file, vg_replay_on_warning, NULL, &r, err, sizeof(err));
	if (rc)
		return vg_error(VG_EXIT_USAGE, "%s", err);
	*info = *vg_capture_info(r);
	policy = vg_cli_load_policy(o->policy_path);
	if (!policy) {
		rc = VG_EXIT_USAGE;
		goto out;
	}
	rc = vg_replay_window(o->since, o->until, info, &topts.since_ns, &topts.until_ns);
	if (rc)
		goto out;
	topts.boot_wall_ns = info->boot_time_ns;
	quiet.boot_wall_ns = info->boot_time_ns;
	t = vg_tree_new(&topts);
	containers = vg_containers_new(&nopaths);
	if (!t || !containers || vg_pipeline_init(&pipe, policy, &quiet, containers)) {
		rc = vg_error(VG_EXIT_RUNTIME, "out of memory");
		goto out;
	}
	pipe.container_key = o->container;
	pipe.since_ns = topts.since_ns;
	pipe.until_ns = topts.until_ns;
	pipe.observe = observe;
	pipe.on_alert = on_alert;
	pipe.observer_ctx = t;
	if (profiles) {
		*profiles = NULL;
		deriver = vg_profile_deriver_new(o->file, info, &popts);
	}
	rc = vg_replay_feed(r, o->file, &pipe, containers, deriver ? learn : NULL, deriver);
	if (rc)
		goto out;
	if (profiles && (!deriver || vg_profile_deriver_finish(deriver, profiles)))
		fprintf(stderr,
			"vigil: warning: out of memory: the report has no hardening advice\n");
	deriver = NULL;
	vg_dedup_report(pipe.dedup, true, on_repeat, t);
	vg_tree_finish(t);
	if (t->no_memory)
		fprintf(stderr, "vigil: warning: out of memory: the trees are incomplete\n");
	*out = t;
	t = NULL;
out:
	vg_profile_deriver_free(deriver);
	vg_tree_free(t);
	vg_pipeline_fini(&pipe);
	vg_containers_free(containers);
	vg_policy_free(policy);
	vg_capture_close_reader(r);
	return rc;
}

static FILE *open_output(const char *path)
{
	FILE *f = path ? fopen(path, "we") : stdout;

	if (!f)
		vg_error(VG_EXIT_USAGE, "cannot open --output %s: %s", path, strerror(errno));
	return f;
}

static int close_output(FILE *f, const char *path)
{
	int failed = ferror(f);

	if (f != stdout)
		failed |= fclose(f);
	else
		failed |= fflush(f);
	if (failed)
		return vg_error(VG_EXIT_RUNTIME, "writing %s failed: %s", path ? path : "stdout",
				strerror(errno));
	return VG_EXIT_OK;
}

typedef void (*render_fn)(const struct vg_tree *t, const struct vg_profile_set *profiles,
			  const struct vg_capture_info *info, const struct vg_investigate_opts *o,
			  FILE *f);

/* advice: learn the containers' profiles for their hardening advice too */
static int investigate(const struct vg_investigate_opts *o, render_fn render, bool advice)
{
	struct vg_profile_set *profiles = NULL;
	struct vg_capture_info info;
	struct vg_tree *t = NULL;
	FILE *f;
	int rc;

	/* the output first: a path that cannot be written is said before a long read */
	f = open_output(o->output_path);
	if (!f)
		return VG_EXIT_USAGE;
	rc = build_tree(o, &t, &info, advice ? &profiles : NULL);
	if (rc) {
		if (f != stdout) {
			fclose(f);
			unlink(o->output_path); /* no empty report left behind */
		}
		return rc;
	}
	render(t, profiles, &info, o, f);
	vg_tree_free(t);
	vg_profile_set_free(profiles);
	return close_output(f, o->output_path);
}

static void render_text(const struct vg_tree *t, const struct vg_profile_set *profiles,
			const struct vg_capture_info *info, const struct vg_investigate_opts *o,
			FILE *f)
{
	unsigned int width = 80;
	bool colour = false;
	struct winsize ws;

	(void)profiles;
	(void)info;
	(void)o;
	/* a terminal's own width and colours; a file or a pipe gets 80 columns, plain */
	if (isatty(fileno(f))) {
		if (!ioctl(fileno(f), TIOCGWINSZ, &ws) && ws.ws_col)
			width = ws.ws_col;
		colour = !getenv("NO_COLOR");
	}
	vg_tree_print_text(t, f, width, colour);
}

static void render_html(const struct vg_tree *t, const struct vg_profile_set *profiles,
			const struct vg_capture_info *info, const struct vg_investigate_opts *o,
			FILE *f)
{
	struct vg_report_meta meta = { .file = o->file, .policy = o->policy_path,
				       .container = o->container, .since = o->since,
				       .until = o->until, .pid = o->pid, .info = *info,
				       .profiles = profiles };

	vg_report_write_html(t, &meta, f); /* a write error is close_output's to report */
}

int vg_investigate_tree(const struct vg_investigate_opts *o)
{
	return investigate(o, render_text, false);
}

int vg_investigate_report(const struct vg_investigate_opts *o)
{
	return investigate(o, render_html, true);
}

int vg_cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "policy", required_argument, NULL, 'p' },
		{ "container", required_argument, NULL, 'c' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "pid", required_argument, NULL, 'P' },
		{ "format", required_argument, NULL, 'f' },
		{},
	};
	struct vg_investigate_opts o = {};
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			o.output_path = optarg;
			break;
		case 'p':
			o.policy_path = optarg;
			break;
		case 'c':
			o.container = optarg;
			break;
		case 's':
			o.since = optarg;
			break;
		case 'u':
			o.until = optarg;
			break;
		case 'P':
			if (vg_parse_pid(optarg, &o.pid))
				return vg_error(VG_EXIT_USAGE, "--pid %s: give a process id",
						optarg);
			break;
		case 'f':
			if (strcmp(optarg, "html"))
				return vg_error(VG_EXIT_USAGE,
						"--format %s: a report is html (for text: vigil "
						"replay --tree)",
						optarg);
			break;
		default:
			return vg_error(VG_EXIT_USAGE, "usage: see 'vigil --help'");
		}
	}
	if (optind != argc - 1)
		return vg_error(VG_EXIT_USAGE, "usage: vigil report FILE [-o OUT] [options]");
	o.file = argv[optind];
	return vg_investigate_report(&o);
}
