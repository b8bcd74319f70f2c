// SPDX-License-Identifier: GPL-2.0
/* vigil profile: the text formats' shared writers, and the compose and docker-run formats. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
#include "profile_internal.h"
#include "syscalls.h"

/* ---- writing: shared ---- */

/* A string as a YAML double-quoted scalar, ASCII only: anything else is escaped. */
void yaml_str(FILE *f, const char *s)
{
	struct json_object *clean = vg_json_string_len(s, strlen(s)); /* valid UTF-8 */
	const unsigned char *u =
		(const unsigned char *)(clean ? json_object_get_string(clean) : "");

	fputc('"', f);
	while (*u) {
		unsigned int cp = *u, len = 1;

		if (cp >= 0xf0)
			cp &= 0x07, len = 4;
		else if (cp >= 0xe0)
			cp &= 0x0f, len = 3;
		else if (cp >= 0xc0)
			cp &= 0x1f, len = 2;
		for (unsigned int i = 1; i < len && u[i]; i++)
			cp = (cp << 6) | (u[i] & 0x3f);
		if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", cp);
		else if (cp >= 0x20 && cp < 0x7f)
			fputc((int)cp, f);
		else if (cp <= 0xffff)
			fprintf(f, "\\u%04x", cp);
		else
			fprintf(f, "\\U%08x", cp);
		for (unsigned int i = 0; i < len && *u; i++)
			u++;
	}
	fputc('"', f);
	json_object_put(clean);
}

/* Text for a comment line: control characters would end it. */
void comment_str(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

/* A word for sh: bare where that is safe, else single-quoted. */
static void shell_word(FILE *f, const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			     "_./:=@%+,-");

	if (*s && !s[n]) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

/* A name made of [a-z0-9-] (k8s: lower case, DNS label) or [a-zA-Z0-9._-] (compose). */
static void safe_name(const char *in, bool dns, char *out, size_t size)
{
	size_t n = 0;
	const size_t max = dns ? 56 : size - 1; /* room for k8s suffixes within 63 */

	for (; *in && n + 1 < size && n < max; in++) {
		char ch = *in;

		if (dns && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    (!dns && ((ch >= 'A' && ch <= 'Z') || ch == '.' || ch == '_')))
			out[n++] = ch;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	if (!n)
		n = (size_t)snprintf(out, size, "container");
	out[n] = 0;
}

/* Names for each profile, made safe and unique: the same in every output of one run. */
char **unique_names(const struct vg_profile_set *s, bool dns)
{
	char **names = calloc(s->n + 1, sizeof(*names));

	if (!names)
		return NULL;
	for (size_t i = 0; i < s->n; i++) {
		char base[128], name[160];
		unsigned int k = 1;
		bool taken;

		safe_name(s->v[i].name, dns, base, sizeof(base));
		snprintf(name, sizeof(name), "%s", base);
		do {
			taken = false;
			for (size_t j = 0; j < i && !taken; j++)
				taken = !strcmp(names[j], name);
			if (taken)
				snprintf(name, sizeof(name), "%s-%u", base, ++k);
		} while (taken);
		names[i] = strdup(name);
		if (!names[i]) {
			for (size_t j = 0; j < i; j++)
				free(names[j]);
			free(names);
			return NULL;
		}
	}
	return names;
}

void free_names(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

void header_comment(FILE *f, const struct vg_profile_set *s)
{
	fputs("# vigil profile of ", f);
	comment_str(f, s->file);
	fprintf(f, " (host %s): %zu %s\n", s->info.host, s->n,
		s->by == VG_PROFILE_BY_IMAGE ? "image(s)" : "container(s)");
	fputs("# every setting is what the capture showed; --format json lists the events behind "
	      "each\n",
	      f);
}

/* "CAP_CHOWN" -> "CHOWN", as docker, compose and Kubernetes spell them. */
const char *profile_cap_short(const char *name)
{
	return strncmp(name, "CAP_", 4) ? name : name + 4;
}

const char *profile_first_program(const struct vg_evidence *e)
{
	return e->n_programs ? e->programs[0] : "?";
}

/* "# <what>: <item> by <program>", a line per item */
static void items_comments(FILE *f, const struct vg_profile_items *items, const char *indent,
			   const char *what)
{
	for (size_t i = 0; i < items->n; i++) {
		fprintf(f, "%s# %s: ", indent, what);
		comment_str(f, items->v[i].key);
		fputs(" by ", f);
		comment_str(f, profile_first_program(&items->v[i].ev));
		fputc('\n', f);
	}
}

/* The egress, sockets and mounts seen, as comment lines (formats that cannot express them). */
void seen_comments(FILE *f, const struct vg_profile *p, const char *indent)
{
	if (p->egress.n) {
		fprintf(f, "%s# egress seen:\n", indent);
		for (size_t i = 0; i < p->egress.n; i++) {
			fprintf(f, "%s#   %s%s%s by ", indent, p->egress.v[i].key,
				p->egress.v[i].protocols & (1u << VIGIL_PROTO_TCP) ? " tcp" : "",
				p->egress.v[i].protocols & (1u << VIGIL_PROTO_UDP) ? " udp" : "");
			comment_str(f, profile_first_program(&p->egress.v[i].ev));
			fprintf(f, "%s\n", p->egress.v[i].succeeded ? "" : " (failed)");
		}
	} else {
		fprintf(f, "%s# no network connection seen\n", indent);
	}
	items_comments(f, &p->sockets, indent, "unix socket connected to");
	items_comments(f, &p->mounts, indent, "mount seen");
	items_comments(f, &p->privilege, indent, "privilege change seen");
	items_comments(f, &p->io_uring, indent, "io_uring instance made (bypasses seccomp)");
}

void blocked_comments(FILE *f, const struct rootfs_plan *pl, const char *indent)
{
	if (!pl->n_blocked)
		return;
	fprintf(f,
		"%s# root filesystem left writable: written where no tmpfs can go "
		"(it would hide the image's files) or by relative path:\n",
		indent);
	for (size_t i = 0; i < pl->n_blocked; i++) {
		fprintf(f, "%s#   ", indent);
		comment_str(f, pl->blocked[i]);
		fputc('\n', f);
	}
}

void root_comment(FILE *f, const struct vg_profile *p, const char *indent)
{
	for (size_t i = 0; i < p->users.n; i++) {
		const struct vg_profile_item *u = &p->users.v[i];

		if (u->euid != 0)
			continue;
		fprintf(f, "%s# runs as root (euid 0: ", indent);
		comment_str(f, profile_first_program(&u->ev));
		fputs("): no non-root user can be set\n", f);
		return;
	}
}

/* No program started in the capture (all predate it, unseen): what user it runs as is unknown. */
const char unknown_user[] = "# no program start seen: the user it runs as is unknown\n";

/* ---- compose ---- */

void write_compose(FILE *f, const struct vg_profile_set *s, char **names)
{
	header_comment(f, s);
	fputs("services:\n", f);
	for (size_t i = 0; i < s->n; i++) {
		const struct vg_profile *p = &s->v[i];
		struct rootfs_plan pl;

		if (plan_rootfs(p, &pl))
			continue;
		fprintf(f, "  %s:\n", names[i]);
		if (p->image) {
			fputs("    image: ", f);
			yaml_str(f, p->image);
			fputc('\n', f);
		}
		if (profile_runs_as_root(p))
			root_comment(f, p, "    ");
		else if (!p->entry_known)
			fprintf(f, "    %s", unknown_user);
		else
			fprintf(f, "    user: \"%u:%u\"\n", p->entry_uid, p->entry_gid);
		blocked_comments(f, &pl, "    ");
		fprintf(f, "    read_only: %s\n", pl.n_blocked ? "false" : "true");
		if (!pl.n_blocked && pl.n_tmpfs) {
			fputs("    tmpfs:\n", f);
			for (size_t k = 0; k < pl.n_tmpfs; k++) {
				fputs("      - ", f);
				yaml_str(f, pl.tmpfs[k]);
				fputc('\n', f);
			}
		}
		fputs("    cap_drop:\n      - ALL\n", f);
		if (p->capabilities.n) {
			fputs("    cap_add:\n", f);
			for (size_t k = 0; k < p->capabilities.n; k++) {
				fprintf(f, "      - %s  # ",
					profile_cap_short(p->capabilities.v[k].key));
				comment_str(f, profile_first_program(&p->capabilities.v[k].ev));
				fputc('\n', f);
			}
		}
		if (!p->privilege.n)
			fputs("    security_opt:\n      - \"no-new-privileges:true\"\n", f);
		seen_comments(f, p, "    ");
		plan_free(&pl);
	}
}

/* ---- docker run ---- */

void write_docker_run(FILE *f, const struct vg_profile_set *s, char **names)
{
	header_comment(f, s);
	for (size_t i = 0; i < s->n; i++) {
		const struct vg_profile *p = &s->v[i];
		struct rootfs_plan pl;

		if (plan_rootfs(p, &pl))
			continue;
		fputs("\n", f);
		if (profile_runs_as_root(p))
			root_comment(f, p, "");
		else if (!p->entry_known)
			fputs(unknown_user, f);
		blocked_comments(f, &pl, "");
		seen_comments(f, p, "");
		fprintf(f, "docker run --name %s", names[i]);
		if (!profile_runs_as_root(p) && p->entry_known)
			fprintf(f, " \\\n  --user %u:%u", p->entry_uid, p->entry_gid);
		if (!pl.n_blocked) {
			fputs(" \\\n  --read-only", f);
			for (size_t k = 0; k < pl.n_tmpfs; k++) {
				fputs(" --tmpfs ", f);
				shell_word(f, pl.tmpfs[k]);
			}
		}
		fputs(" \\\n  --cap-drop ALL", f);
		for (size_t k = 0; k < p->capabilities.n; k++)
			fprintf(f, " --cap-add %s", profile_cap_short(p->capabilities.v[k].key));
		if (!p->privilege.n)
			fputs(" \\\n  --security-opt no-new-privileges:true", f);
		if (p->has_syscalls) {
			fputs(" \\\n  --security-opt seccomp=", f);
			shell_word(f, names[i]);
			fputs(".json", f);
		}
		fputs(" \\\n  ", f);
		shell_word(f, p->image ? p->image : "IMAGE");
		fputc('\n', f);
		if (p->has_syscalls) {
			fputs("# ", f);
			comment_str(f, names[i]);
			fputs(".json: vigil profile ", f);
			comment_str(f, s->file);
			fputs(" --container ", f);
			comment_str(f, p->containers[0].id);
			fputs(" --format seccomp\n", f);
		}
		plan_free(&pl);
	}
}
