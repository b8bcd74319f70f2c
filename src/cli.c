// SPDX-License-Identifier: GPL-2.0
/* What the subcommands share: errors, policy loading, output set-up, clocks. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "cli.h"
#include "output.h"
#include "policy.h"
#include "loader.h"
#include "version.h"

int vg_error(int code, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vigil: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int vg_cli_common_opt(int opt, const char *arg, struct vg_common_opts *o)
{
	switch (opt) {
	case 'p':
		o->policy_path = arg;
		return 1;
	case 'f':
		o->format = vg_format_parse(arg);
		if (o->format < 0)
			return vg_error(VG_EXIT_USAGE, "--format %s: use text or json", arg);
		return 1;
	case 'o':
		o->output_path = arg;
		return 1;
	case 'e':
		o->events = true;
		return 1;
	case 'c':
		o->container = arg;
		return 1;
	}
	return 0;
}

int vg_cli_bad_option(int opt, const char *command, char *const argv[])
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	if (opt == ':')
		return vg_error(VG_EXIT_USAGE, "%s: option '%s' needs a value: see 'vigil --help'",
				command, arg);
	return vg_error(VG_EXIT_USAGE, "%s: unknown option '%s': see 'vigil --help'", command, arg);
}

struct vg_policy *vg_cli_load_policy(const char *path)
{
	struct vg_policy *p = NULL;
	char err[512];

	if (!path)
		return vg_policy_builtin();
	if (vg_policy_load_file(path, &p, err, sizeof(err))) {
		/* FILE:LINE:COL: message, as compilers print it */
		fprintf(stderr, "%s\n", err);
		return NULL;
	}
	return p;
}

/*
 * replay --events writes lines by the million: in 64 KiB writes, not in the 4 KiB stdio takes
 * for a pipe, a file or /dev/null (a write costs microseconds in a VM). A terminal keeps its
 * line buffering. stdout's buffer lives as long as stdout.
 */
#define OUTPUT_BUF_SIZE (64u << 10)
static char stdout_buf[OUTPUT_BUF_SIZE];

static void buffer_output(struct vg_output *out)
{
	char *buf;

	if (isatty(fileno(out->f)))
		return;
	if (out->f == stdout) {
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
		return;
	}
	buf = malloc(OUTPUT_BUF_SIZE);
	if (buf && !setvbuf(out->f, buf, _IOFBF, OUTPUT_BUF_SIZE))
		out->stdio_buf = buf;
	else
		free(buf); /* stdio's own buffer then */
}

int vg_cli_open_output(const struct vg_common_opts *o, struct vg_output *out)
{
	memset(out, 0, sizeof(*out));
	out->f = stdout;
	if (o->output_path) {
		out->f = fopen(o->output_path, "we");
		if (!out->f)
			return vg_error(VG_EXIT_USAGE, "cannot open --output %s: %s", o->output_path,
					strerror(errno));
	}
	buffer_output(out);
	if (o->format >= 0)
		out->format = o->format;
	else
		out->format = isatty(fileno(out->f)) ? VG_FORMAT_TEXT : VG_FORMAT_JSON;
	return 0;
}

void vg_cli_close_output(struct vg_output *out)
{
	if (out->f && out->f != stdout)
		fclose(out->f);
	else if (out->f)
		fflush(out->f);
	out->f = NULL;
	free(out->stdio_buf); /* after the fclose that last used it */
	out->stdio_buf = NULL;
}

static __u64 clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

__u64 vg_boot_wall_ns(void)
{
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
}

__u64 vg_now_boot_ns(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

int vg_cmd_version(int argc, char **argv)
{
	bool btf = !access("/sys/kernel/btf/vmlinux", R_OK);

	(void)argc;
	(void)argv;
	struct vg_coverage cov;
	char text[1024];

	printf("vigil %s\nlibbpf %s\nkernel BTF: %s\n", VIGIL_VERSION, libbpf_version_string(),
	       btf ? "available (/sys/kernel/btf/vmlinux)" : "missing (CONFIG_DEBUG_INFO_BTF)");
	/* what vigil run would watch here: the same checks, without loading */
	if (geteuid() != 0) {
		printf("hooks: not checked (run vigil version as root to see what this kernel "
		       "allows)\n");
		return VG_EXIT_OK;
	}
	if (vg_loader_coverage(&cov, text, sizeof(text))) {
		printf("hooks: %s\n", text);
		return VG_EXIT_OK;
	}
	printf("capability checks: %s\n", cov.cap_hook ? cov.cap_hook : "none");
	printf("socket reads (connect, send): %s\n",
	       cov.socket_cast ? "through bpf_rdonly_cast" : "with probe reads");
	vg_coverage_text(&cov, text, sizeof(text));
	printf("not monitored on this kernel: %s\n", text[0] ? text : "nothing");
	return VG_EXIT_OK;
}

int vg_parse_size(const char *text, __u64 *out)
{
	unsigned long long v;
	char *end;

	if (!*text || *text == '-' || *text == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text)
		return -EINVAL;
	if (*end) {
		const char *units = "KMG", *unit = strchr(units, toupper((unsigned char)*end));
		int shift;

		if (!unit || end[1])
			return -EINVAL;
		shift = 10 * (unit - units + 1);
		if (v > (~0ULL >> shift))
			return -EINVAL;
		v <<= shift;
	}
	*out = v;
	return 0;
}

int vg_parse_pid(const char *text, __u32 *out)
{
	unsigned long v;
	char *end;

	if (*text < '0' || *text > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end || !v || v > (1ul << 22))
		return -EINVAL;
	*out = v;
	return 0;
}

/* The built-in policy as a file: what deploy/policy.json is made from (not in --help). */
static int dump_builtin_policy(void)
{
	struct vg_policy *p = vg_policy_builtin();
	char *text = p ? vg_policy_to_json_string(p) : NULL;

	vg_policy_free(p);
	if (!text)
		return vg_error(VG_EXIT_RUNTIME, "out of memory");
	fputs(text, stdout);
	if (text[0] && text[strlen(text) - 1] != '\n')
		fputc('\n', stdout);
	free(text);
	return VG_EXIT_OK;
}

int vg_cmd_policy(int argc, char **argv)
{
	struct vg_policy *p;

	if (argc == 2 && !strcmp(argv[1], "dump-builtin"))
		return dump_builtin_policy();
	if (argc != 3 || strcmp(argv[1], "check"))
		return vg_error(VG_EXIT_USAGE, "usage: vigil policy check FILE");
	p = vg_cli_load_policy(argv[2]);
	if (!p)
		return VG_EXIT_USAGE;
	printf("%s: ok (%zu container entr%s)\n", argv[2], p->n_containers,
	       p->n_containers == 1 ? "y" : "ies");
	vg_policy_free(p);
	return VG_EXIT_OK;
}
