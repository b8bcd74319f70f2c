// SPDX-License-Identifier: GPL-2.0
/* `replay --tree`: the process trees as text, for a terminal of `width` columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "output.h"
#include "tree.h"

#define LINE_MAX_BYTES 4096
#define DEPTH_MAX 64 /* deeper levels are drawn at this indentation */

struct text_ctx {
	FILE *f;
	unsigned int width;
	bool colour;
	__u64 boot_wall_ns;
	__u64 origin_ns; /* the container's first event: process times are offsets from it */
	char prefix[DEPTH_MAX * 3 + 1]; /* "|  " per level still open */
	char detail_prefix[DEPTH_MAX * 3 + 16];
};

static const char *sev_colour(enum vg_severity s)
{
	return s >= VG_SEV_HIGH ? "\033[1;31m" : s == VG_SEV_MEDIUM ? "\033[33m" : "\033[36m";
}

/* Columns one byte takes once written: a UTF-8 continuation byte none, a control char 4. */
static unsigned int byte_cols(unsigned char ch)
{
	if (ch < 0x20 || ch == 0x7f)
		return 4;
	return (ch & 0xc0) == 0x80 ? 0 : 1;
}

static void put_byte(FILE *f, unsigned char ch)
{
	if (ch < 0x20 || ch == 0x7f)
		fprintf(f, "\\x%02x", ch); /* a capture's string never drives the terminal */
	else
		fputc(ch, f);
}

/* Bytes of s that fit in cols columns (whole UTF-8 sequences), and the columns they take. */
static size_t fit(const unsigned char *s, unsigned int cols, unsigned int *used)
{
	size_t n = 0;

	*used = 0;
	while (s[n]) {
		unsigned int w = byte_cols(s[n]);

		if (w && *used + w > cols)
			break;
		*used += w;
		n++;
	}
	while (n && s[n] && (s[n] & 0xc0) == 0x80) /* never half a character */
		n--;
	return n;
}

/*
 * prefix then text, in width columns: cut with "~" (wrap false), or continued at a space on
 * lines that start with prefix and cont (wrap true). colour is for the text, not the prefix.
 */
static void put_line(struct text_ctx *x, const char *prefix, const char *text, const char *cont,
		     bool wrap, const char *colour)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned int lead = strlen(prefix), used;

	for (bool first = true; first || *s; first = false) {
		unsigned int avail = x->width > lead + 1 ? x->width - lead : 1;
		size_t n = fit(s, avail, &used);

		fputs(prefix, x->f);
		if (!first)
			fputs(cont, x->f);
		if (colour && x->colour)
			fputs(colour, x->f);
		if (s[n] && !wrap) {
			n = fit(s, avail - 1, &used);
			for (size_t i = 0; i < n; i++)
				put_byte(x->f, s[i]);
			fputc('~', x->f);
			s += strlen((const char *)s);
		} else {
			size_t cut = n;

			if (s[n]) /* the last space that fits, where there is one */
				while (cut && s[cut] != ' ')
					cut--;
			if (!cut)
				cut = n ? n : 1;
			for (size_t i = 0; i < cut; i++)
				put_byte(x->f, s[i]);
			s += cut;
			while (*s == ' ')
				s++;
		}
		if (colour && x->colour)
			fputs("\033[0m", x->f);
		fputc('\n', x->f);
		if (first)
			lead += strlen(cont);
	}
}

const char *vg_tree_exit_str(const struct vg_tree_proc *p, char *buf, size_t size)
{
	struct vg_exit_status st = vg_exit_status(p->exit_code);

	if (!p->exited)
		snprintf(buf, size, "running");
	else if (st.signal)
		snprintf(buf, size, "signal %d", st.signal);
	else
		snprintf(buf, size, "exit %d", st.code);
	return buf;
}

const char *vg_tree_start_str(const struct vg_tree_proc *p, __u64 origin_ns, char *buf,
			      size_t size)
{
	if (p->snapshot && !p->first_ns)
		snprintf(buf, size, "before capture");
	else if (!p->first_ns)
		snprintf(buf, size, "start unknown");
	else if (p->first_ns >= origin_ns)
		snprintf(buf, size, "+%.3fs", (p->first_ns - origin_ns) / 1e9);
	else
		snprintf(buf, size, "-%.3fs", (origin_ns - p->first_ns) / 1e9);
	return buf;
}

/* "pid[vpid] user exe args  when, how it ended". */
static void proc_line(struct text_ctx *x, const struct vg_tree_proc *p, const char *branch)
{
	char line[LINE_MAX_BYTES], user[24], when[32], end[32], more[32] = "";
	char pre[sizeof(x->prefix) + 8];
	const char *args = p->args ? p->args : "", *sp = strchr(args, ' ');

	/* the args' first word is argv[0], which the exe already says */
	args = sp ? sp + 1 : "";
	if (p->euid)
		snprintf(user, sizeof(user), "uid %u", p->euid);
	else
		snprintf(user, sizeof(user), "root");
	if (p->folded)
		snprintf(more, sizeof(more), " (x%u)", p->folded + 1);
	/* when and how it ended before the args, which the cut at the margin may shorten */
	snprintf(line, sizeof(line), "%u[%u] %s %s, %s%s%s %s%s%s", p->pid, p->vpid, user,
		 vg_tree_start_str(p, x->origin_ns, when, sizeof(when)),
		 vg_tree_exit_str(p, end, sizeof(end)), p->setup ? ", runtime set-up" : "", more,
		 vg_tree_proc_exe(p), *args ? " " : "", args);
	snprintf(pre, sizeof(pre), "%s%s", x->prefix, branch);
	put_line(x, pre, line, "", false, NULL);
}

static void detail(struct text_ctx *x, const char *text, bool wrap, const char *colour)
{
	put_line(x, x->detail_prefix, text, "  ", wrap, colour);
}

static void proc_details(struct text_ctx *x, const struct vg_tree_proc *p)
{
	char line[LINE_MAX_BYTES];

	if (p->n_exe > 1 || p->execs > p->n_exe) {
		size_t len = snprintf(line, sizeof(line), "exec:");

		for (unsigned int i = 0; i < p->n_exe && len < sizeof(line); i++)
			len += snprintf(line + len, sizeof(line) - len, "%s %s",
					i ? (i == 1 && p->execs > p->n_exe ? " -> ... ->" : " ->")
					  : "",
					p->exe[i]);
		detail(x, line, false, NULL);
	}
	for (unsigned int i = 0; i < p->n_items; i++) {
		if (p->items[i]->count > 1)
			snprintf(line, sizeof(line), "%s (x%llu)", p->items[i]->text,
				 (unsigned long long)p->items[i]->count);
		else
			snprintf(line, sizeof(line), "%s", p->items[i]->text);
		detail(x, line, false, NULL);
	}
	if (p->items_dropped) {
		snprintf(line, sizeof(line), "... %llu more events not listed",
			 (unsigned long long)p->items_dropped);
		detail(x, line, false, NULL);
	}
	/* types without items of their own (newer event types): their counts */
	for (unsigned int t = VIGIL_EVENT_WRITE + 1; t < VG_TREE_TYPES; t++)
		if (p->counts[t] && !vg_tree_type_has_items(t)) {
			snprintf(line, sizeof(line), "%llu %s events",
				 (unsigned long long)p->counts[t], vg_event_type_name(t));
			detail(x, line, false, NULL);
		}
	if (p->counts[0]) {
		snprintf(line, sizeof(line), "%llu events of newer types",
			 (unsigned long long)p->counts[0]);
		detail(x, line, false, NULL);
	}
	for (const struct vg_tree_alert *a = p->alerts; a; a = a->next_in_proc) {
		char rep[48] = "";

		if (a->repeats)
			snprintf(rep, sizeof(rep), " (and %llu repeats)",
				 (unsigned long long)a->repeats);
		snprintf(line, sizeof(line), "ALERT %s %s +%.3fs: %s%s",
			 vg_severity_name(a->severity), a->rule,
			 a->time_ns >= x->origin_ns ? (a->time_ns - x->origin_ns) / 1e9 : 0.0,
			 a->message, rep);
		detail(x, line, true, sev_colour(a->severity));
	}
}

static const struct vg_tree_proc *next_shown(const struct vg_tree_proc *p)
{
	while (p && (!p->shown || p->fold_hidden))
		p = p->next_sibling;
	return p;
}

/* Depth first without recursion: a capture's depth is not the stack's to bear. */
static void print_procs(struct text_ctx *x, const struct vg_tree_proc *first)
{
	const struct vg_tree_proc *p = next_shown(first);
	unsigned int depth = 0;

	while (p) {
		const struct vg_tree_proc *sib = next_shown(p->next_sibling);
		const struct vg_tree_proc *child = next_shown(p->children);
		size_t plen = strlen(x->prefix);

		proc_line(x, p, sib ? "|- " : "`- ");
		/* details under the process, beside the lines to its sibling and its children */
		snprintf(x->detail_prefix, sizeof(x->detail_prefix), "%s%s%s", x->prefix,
			 sib ? "|  " : "   ", child ? "|   " : "    ");
		proc_details(x, p);
		if (child) {
			if (depth < DEPTH_MAX)
				strcpy(x->prefix + plen, sib ? "|  " : "   ");
			depth++;
			p = child;
			continue;
		}
		/* up until a level with a next sibling */
		while (!next_shown(p->next_sibling)) {
			if (!depth || !p->parent)
				return;
			p = p->parent;
			depth--;
			if (depth < DEPTH_MAX)
				x->prefix[3 * depth] = 0;
		}
		p = next_shown(p->next_sibling);
	}
}

static void container_head(struct text_ctx *x, const struct vg_tree_container *c)
{
	char line[LINE_MAX_BYTES], a[48], b[48];
	size_t len = 0;

	snprintf(line, sizeof(line), "container %s %.12s %s %s", c->name ? c->name : "-", c->id,
		 c->runtime ? c->runtime : "unknown", c->image ? c->image : "");
	put_line(x, "", line, "  ", false, x->colour ? "\033[1m" : NULL);
	vg_format_time(c->first_ns, x->boot_wall_ns, a, sizeof(a));
	vg_format_time(c->last_ns, x->boot_wall_ns, b, sizeof(b));
	snprintf(line, sizeof(line), "%s .. %s (%.3f s), %llu events, %llu processes, %llu alerts",
		 c->first_ns ? a : "-", c->last_ns ? b : "-",
		 c->first_ns ? (c->last_ns - c->first_ns) / 1e9 : 0.0,
		 (unsigned long long)c->events, (unsigned long long)c->n_procs,
		 (unsigned long long)c->alerts);
	put_line(x, "  ", line, "  ", true, NULL);
	for (int i = 0; i < VG_TREE_RULES_MAX && c->rules[i].rule; i++) {
		len = snprintf(line, sizeof(line), "%s:", c->rules[i].rule);
		for (int s = VG_SEV_CRITICAL; s >= VG_SEV_LOW && len < sizeof(line); s--)
			if (c->rules[i].by_severity[s])
				len += snprintf(line + len, sizeof(line) - len, " %llu %s",
						(unsigned long long)c->rules[i].by_severity[s],
						vg_severity_name(s));
		put_line(x, "  ", line, "  ", true, NULL);
	}
}

void vg_tree_print_text(const struct vg_tree *t, FILE *f, unsigned int width, bool colour)
{
	struct text_ctx x = { .f = f, .width = width < 40 ? 40 : width, .colour = colour,
			      .boot_wall_ns = t->opts.boot_wall_ns };
	unsigned int shown = 0;

	for (const struct vg_tree_container *c = t->containers; c; c = c->next) {
		if (!c->n_shown)
			continue;
		if (shown++)
			fputc('\n', f);
		x.origin_ns = c->first_ns;
		x.prefix[0] = 0;
		container_head(&x, c);
		print_procs(&x, c->roots);
	}
	if (!shown)
		fprintf(f, "no container process in the capture matches\n");
	if (t->alerts_dropped)
		fprintf(f, "(%llu alerts past the first %u are counted above but not listed)\n",
			(unsigned long long)t->alerts_dropped, VG_TREE_ALERTS_MAX);
}
