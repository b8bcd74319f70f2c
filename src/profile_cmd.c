// SPDX-License-Identifier: GPL-2.0
/* vigil profile: writing a set in a format, and the command. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <json-c/json.h>

#include "capture.h"
#include "cli.h"
#include "container.h"
#include "event.h"
#include "jsonutil.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"
#include "proctab.h"
#include "profile.h"
#include "profile_advice.h"
#include "profile_internal.h"
#include "syscalls.h"

int vg_profile_write(FILE *f, const struct vg_profile_set *s, enum vg_profile_format format)
{
	bool dns = format == VG_PROFILE_K8S;
	char **names = unique_names(s, dns);
	struct vg_policy *policy;
	char *text;
	int rc = 0;

	if (!names)
		return -ENOMEM;
	switch (format) {
	case VG_PROFILE_COMPOSE:
		write_compose(f, s, names);
		break;
	case VG_PROFILE_DOCKER_RUN:
		write_docker_run(f, s, names);
		break;
	case VG_PROFILE_K8S:
		write_k8s(f, s, names);
		break;
	case VG_PROFILE_SECCOMP:
		for (size_t i = 0; !rc && i < s->n; i++)
			rc = s->v[i].has_syscalls ? profile_print_json(f, seccomp_json(&s->v[i]))
						  : -ENODATA;
		break;
	case VG_PROFILE_POLICY:
		policy = vg_profile_policy(s);
		text = policy ? vg_policy_to_json_string(policy) : NULL;
		if (text)
			fputs(text, f);
		else
			rc = -ENOMEM;
		free(text);
		vg_policy_free(policy);
		break;
	case VG_PROFILE_ADVICE:
		rc = vg_advice_write(f, s, !isatty(fileno(f)));
		break;
	case VG_PROFILE_JSON:
		rc = profile_print_json(f, set_json(s, names));
		break;
	}
	free_names(names, s->n);
	if (!rc && (fflush(f) || ferror(f)))
		rc = -EIO;
	return rc;
}

/* ---- the command ---- */

struct profile_cli {
	const char *file, *container, *output;
	int format;
	enum vg_profile_by by;
};

static int parse_profile_opts(int argc, char **argv, struct profile_cli *o)
{
	static const struct option longopts[] = {
		{"container", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'f'},
		{"by", required_argument, NULL, 'b'},
		{"output", required_argument, NULL, 'o'},
		{},
	};
	int opt;

	memset(o, 0, sizeof(*o));
	o->format = VG_PROFILE_COMPOSE;
	optind = 1;
	opterr = 0; /* one line of ours rather than getopt's and ours */
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			o->container = optarg;
			break;
		case 'f':
			o->format = vg_profile_format_parse(optarg);
			if (o->format < 0)
				return vg_error(
					VG_EXIT_USAGE,
					"--format %s: use compose, docker-run, k8s, seccomp, "
					"policy, advice or json",
					optarg);
			break;
		case 'b':
			if (!strcmp(optarg, "container"))
				o->by = VG_PROFILE_BY_CONTAINER;
			else if (!strcmp(optarg, "image"))
				o->by = VG_PROFILE_BY_IMAGE;
			else
				return vg_error(VG_EXIT_USAGE, "--by %s: use container or image",
						optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		default:
			return vg_cli_bad_option(opt, "profile", argv);
		}
	}
	if (optind != argc - 1)
		return vg_error(VG_EXIT_USAGE,
				"usage: vigil profile FILE [--container ID|NAME] [--format F] "
				"[--by container|image] [--output FILE]");
	o->file = argv[optind];
	return 0;
}

static void on_capture_warning(void *ctx, const char *message)
{
	(*(unsigned int *)ctx)++;
	fprintf(stderr, "vigil: warning: %s\n", message);
}

/* "web (4f1c2b3a5d6e), db (90ab1c2b3a5d)": what --container can name. */
static void list_containers(const struct vg_profile_set *s, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < s->n_seen && len + 1 < size; i++) {
		const struct vg_container *c = &s->seen[i];
		int n = snprintf(buf + len, size - len, "%s%s%s%.12s%s", i ? ", " : "",
				 c->name ? c->name : "", c->name ? " (" : "", c->id,
				 c->name ? ")" : "");

		if (n < 0)
			break;
		len += (size_t)n;
	}
	if (len >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

/* Why a seccomp profile cannot be made, as the one line exit 2 prints; NULL if it can. */
static const char *seccomp_refusal(const struct vg_profile_set *s, char *buf, size_t size)
{
	const struct vg_profile *p = &s->v[0];
	char names[512];

	if (s->n > 1) {
		list_containers(s, names, sizeof(names));
		snprintf(buf, size,
			 "--format seccomp makes one profile, and %s has %zu %s (%s): choose one "
			 "with --container",
			 s->file, s->n, s->by == VG_PROFILE_BY_IMAGE ? "images" : "containers",
			 names);
		return buf;
	}
	if (!p->has_syscalls) {
		snprintf(
			buf, size,
			"%s: no system call sets for %s: --format seccomp needs a capture recorded "
			"with 'vigil run --syscalls --record FILE'",
			s->file, p->name);
		return buf;
	}
	if (!vg_syscall_seccomp_arch(p->syscall_arch)) {
		snprintf(buf, size,
			 "%s: the system calls of %s were recorded on an architecture (audit arch "
			 "0x%x) this vigil has no table for",
			 s->file, p->name, p->syscall_arch);
		return buf;
	}
	return NULL;
}

static void warn_about(const struct vg_profile_set *s, int format)
{
	if (s->lost)
		fprintf(stderr,
			"vigil: warning: the recording lost %llu events (ring buffer full): the "
			"profile may lack what they showed\n",
			(unsigned long long)s->lost);
	if (s->malformed)
		fprintf(stderr, "vigil: warning: %llu malformed records skipped\n",
			(unsigned long long)s->malformed);
	for (size_t i = 0; i < s->n; i++) {
		const struct vg_profile *p = &s->v[i];
		unsigned int unnamed = 0;

		if (vg_profile_span_s(p) < 60)
			fprintf(stderr,
				"vigil: warning: %s was observed for %.0fs only (under a minute): "
				"the profile may lack what it does later\n",
				p->name, vg_profile_span_s(p));
		if (p->entry_is_init && !p->init_exited)
			fprintf(stderr,
				"vigil: warning: %s was seen starting but not stopping: what it "
				"does "
				"later is not in the profile\n",
				p->name);

		if (p->relative_writes.n && format == VG_PROFILE_POLICY)
			fprintf(stderr,
				"vigil: warning: %s wrote %zu file(s) on its root filesystem by "
				"relative path (%s...): writable_paths are absolute, so replaying "
				"still alerts on them\n",
				p->name, p->relative_writes.n, p->relative_writes.v[0].key);
		if (format == VG_PROFILE_SECCOMP && p->io_uring.n)
			fprintf(stderr,
				"vigil: warning: %s made io_uring instances: the requests it "
				"submits through them are not system calls, which no seccomp "
				"profile filters; leave io_uring_setup out of the profile if it "
				"can do without\n",
				p->name);
		if (format != VG_PROFILE_SECCOMP || !p->has_syscalls)
			continue;
		for (unsigned int nr = 0; nr < VIGIL_SYSCALL_BITS; nr++)
			unnamed += (p->syscalls[nr / 64] >> (nr % 64)) & 1 &&
				   !vg_syscall_name(p->syscall_arch, nr);
		if (unnamed || p->syscalls_beyond)
			fprintf(stderr,
				"vigil: warning: %s made %u system call(s) newer than this vigil's "
				"table (see --format json, \"unnamed\"): they are not in the "
				"profile; regenerate src/syscall_table.h with "
				"tools/gen-syscall-table "
				"from newer kernel headers\n",
				p->name, unnamed + p->syscalls_beyond);
		if (p->mixed_arch)
			fprintf(stderr,
				"vigil: warning: %s has system call sets of two architectures: "
				"only the first is in the profile\n",
				p->name);
	}
}

int vg_cmd_profile(int argc, char **argv)
{
	struct vg_profile_opts opts = {};
	struct vg_capture_reader *r = NULL;
	struct vg_profile_set *set = NULL;
	struct profile_cli o;
	unsigned int warnings = 0;
	char err[1024], names[512];
	const char *why;
	FILE *f = stdout;
	int rc;

	rc = parse_profile_opts(argc, argv, &o);
	if (rc)
		return rc;
	rc = vg_capture_open(o.file, on_capture_warning, &warnings, &r, err, sizeof(err));
	if (rc)
		return vg_error(VG_EXIT_USAGE, "%s", err);
	opts.container = o.container;
	opts.by = o.by;
	rc = vg_profile_derive(r, o.file, &opts, &set);
	vg_capture_close_reader(r);
	if (rc == -ENOMEM)
		return vg_error(VG_EXIT_RUNTIME, "out of memory");
	if (rc)
		return vg_error(VG_EXIT_USAGE, "%s: read error: %s", o.file, strerror(-rc));
	if (!set->n) {
		list_containers(set, names, sizeof(names));
		if (o.container)
			rc = vg_error(VG_EXIT_USAGE,
				      "--container %s: no container of %s has that id or name "
				      "(it has: %s)",
				      o.container, o.file, set->n_seen ? names : "none");
		else
			rc = vg_error(VG_EXIT_USAGE,
				      "%s: no container activity in this capture: nothing to "
				      "profile (was it recorded while containers ran?)",
				      o.file);
		goto out;
	}
	if (o.format == VG_PROFILE_SECCOMP && (why = seccomp_refusal(set, err, sizeof(err)))) {
		rc = vg_error(VG_EXIT_USAGE, "%s", why);
		goto out;
	}
	warn_about(set, o.format);
	if (o.output) {
		f = fopen(o.output, "we");
		if (!f) {
			rc = vg_error(VG_EXIT_USAGE, "cannot open --output %s: %s", o.output,
				      strerror(errno));
			goto out;
		}
	}
	rc = vg_profile_write(f, set, o.format);
	if (f != stdout && fclose(f) && !rc)
		rc = -EIO;
	if (rc == -ENOMEM)
		rc = vg_error(VG_EXIT_RUNTIME, "out of memory");
	else if (rc)
		rc = vg_error(VG_EXIT_RUNTIME, "writing the profile to %s failed: %s",
			      o.output ? o.output : "standard output", strerror(-rc));
out:
	vg_profile_set_free(set);
	return rc;
}
