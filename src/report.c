// SPDX-License-Identifier: GPL-2.0
/* The HTML report: summary, timeline, process tree and alert evidence per container. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "event.h"
#include "jsonw.h"
#include "output.h"
#include "profile.h"
#include "profile_advice.h"
#include "report.h"
#include "tree.h"
#include "version.h"

#define ANCESTRY_MAX 32
#define PLOT_W 900
#define PLOT_H 140

struct html {
	FILE *f;
	size_t bytes;
	const struct vg_tree *t;
	const struct vg_report_meta *meta;
	bool *listed; /* by process order: in the listing */
	size_t procs_chosen, procs_listed, procs_unlisted;
	size_t alerts_listed, alerts_unlisted;
	bool over_budget;
};

static void raw(struct html *h, const char *s)
{
	size_t n = strlen(s);

	h->bytes += fwrite(s, 1, n, h->f);
}

static void __attribute__((format(printf, 2, 3))) fmt(struct html *h, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vfprintf(h->f, f, ap);
	va_end(ap);
	if (n > 0)
		h->bytes += n;
}

/*
 * Text from the capture, for an element or a quoted attribute: the five characters that
 * end either escaped, control characters shown as \xNN, invalid UTF-8 as U+FFFD. No string a
 * process chose can open a tag, close an attribute or start a script.
 */
static void esc(struct html *h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	while (n) {
		unsigned char ch = *p;
		size_t len = 1;

		switch (ch) {
		case '&': raw(h, "&amp;"); break;
		case '<': raw(h, "&lt;"); break;
		case '>': raw(h, "&gt;"); break;
		case '"': raw(h, "&quot;"); break;
		case '\'': raw(h, "&#39;"); break;
		case '\n':
		case '\t': fputc(ch, h->f); h->bytes++; break;
		default:
			if (ch < 0x20 || ch == 0x7f) {
				fmt(h, "\\x%02x", ch);
			} else if (ch < 0x80) {
				fputc(ch, h->f);
				h->bytes++;
			} else {
				len = vg_utf8_seq_len(p, n);
				if (len) {
					h->bytes += fwrite(p, 1, len, h->f);
				} else {
					raw(h, "\xef\xbf\xbd");
					len = 1;
				}
			}
		}
		p += len;
		n -= len;
	}
}

static void time_str(const struct html *h, __u64 ns, char *buf, size_t size)
{
	if (!ns)
		snprintf(buf, size, "-");
	else
		vg_format_time(ns, h->t->opts.boot_wall_ns, buf, size);
}

static const char *const type_colour[] = {
	"#b07aa1", "#4e79a7", "#a0cbe8", "#bab0ac", "#f28e2b", "#ffbe7d",
	"#e15759", "#76b7b2", "#59a14f", "#edc948",
	"#ff9da7", /* cgroup: not an event the tree counts */
	"#9c755f", /* io_uring */
};

static const char *colour_of(unsigned int type)
{
	size_t n = sizeof(type_colour) / sizeof(type_colour[0]);

	return type_colour[type < n ? type : 0];
}

static const char *type_label(unsigned int type)
{
	return type ? vg_event_type_name(type) : "newer types";
}

static void header(struct html *h, const struct vg_report_meta *m)
{
	char start[48];

	raw(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	       "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width\">\n<title>vigil report: ");
	esc(h, m->file);
	raw(h, "</title>\n<style>");
	raw(h, vg_report_css);
	raw(h, "</style></head>\n<body>\n<header><h1>vigil report</h1><p>capture <code>");
	esc(h, m->file);
	raw(h, "</code> from host <b>");
	esc(h, m->info.host);
	raw(h, "</b>, kernel ");
	esc(h, m->info.kernel);
	vg_format_time(m->info.start_time_ns - m->info.boot_time_ns, m->info.boot_time_ns, start,
		       sizeof(start));
	fmt(h, ", recorded from %s, format version %u.<br>Alerts under policy <code>", start,
	    m->info.version);
	esc(h, m->policy ? m->policy : "built-in");
	raw(h, "</code>");
	if (m->container) {
		raw(h, ", container <code>");
		esc(h, m->container);
		raw(h, "</code>");
	}
	if (m->since || m->until) {
		raw(h, ", window <code>");
		esc(h, m->since ? m->since : "start");
		raw(h, " .. ");
		esc(h, m->until ? m->until : "end");
		raw(h, "</code>");
	}
	if (m->pid)
		fmt(h, ", process %u with its ancestors and descendants", m->pid);
	fmt(h, ". Made by vigil %s.</p></header>\n", VIGIL_VERSION);
}

static void filters(struct html *h)
{
	raw(h, "<nav id=\"filters\"><label>container <select id=\"f-c\"><option value=\"\">all"
	       "</option>");
	for (const struct vg_tree_container *c = h->t->containers; c; c = c->next) {
		if (!c->n_shown)
			continue;
		raw(h, "<option value=\"");
		esc(h, c->id); /* a capture is input like any other: its ids too */
		raw(h, "\">");
		esc(h, c->name ? c->name : c->id);
		raw(h, "</option>");
	}
	raw(h, "</select></label> <label>rule <select id=\"f-r\"><option value=\"\">all</option>");
	{
		/* every rule that alerted, once */
		const char *seen[64];
		size_t n = 0;

		for (const struct vg_tree_container *c = h->t->containers; c; c = c->next)
			for (int i = 0; i < VG_TREE_RULES_MAX && c->rules[i].rule; i++) {
				size_t k;

				for (k = 0; k < n && strcmp(seen[k], c->rules[i].rule); k++)
					;
				if (k < n || n == 64)
					continue;
				seen[n++] = c->rules[i].rule;
				raw(h, "<option>");
				esc(h, c->rules[i].rule);
				raw(h, "</option>");
			}
	}
	raw(h, "</select></label> <label>severity <select id=\"f-s\"><option value=\"\">all"
	       "</option><option value=\"low\">low and above</option><option value=\"medium\">"
	       "medium and above</option><option value=\"high\">high and above</option>"
	       "<option value=\"critical\">critical</option></select></label> "
	       "<label>search <input id=\"f-t\" type=\"search\" placeholder=\"exe, path, "
	       "argument, message\"></label> <span id=\"f-n\"></span></nav>\n");
}

static void summary(struct html *h, const struct vg_tree_container *c)
{
	char a[48], b[48];

	raw(h, "<table class=\"sum\"><tr><th>id</th><td><code>");
	esc(h, c->id);
	raw(h, "</code></td></tr><tr><th>image</th><td>");
	esc(h, c->image ? c->image : "unknown");
	raw(h, "</td></tr><tr><th>runtime</th><td>");
	esc(h, c->runtime);
	time_str(h, c->first_ns, a, sizeof(a));
	time_str(h, c->last_ns, b, sizeof(b));
	fmt(h, "</td></tr><tr><th>span</th><td>%s .. %s (%.3f s)</td></tr>", a, b,
	    c->first_ns ? (c->last_ns - c->first_ns) / 1e9 : 0.0);
	fmt(h, "<tr><th>activity</th><td>%llu events, %zu processes", (unsigned long long)c->events,
	    c->n_procs);
	for (unsigned int t = 1; t < VG_TREE_TYPES; t++)
		if (c->counts[t])
			fmt(h, ", %llu %s", (unsigned long long)c->counts[t], type_label(t));
	if (c->counts[0])
		fmt(h, ", %llu of newer types", (unsigned long long)c->counts[0]);
	fmt(h, "</td></tr><tr><th>alerts</th><td>%llu (and %llu repeats)</td></tr></table>\n",
	    (unsigned long long)c->alerts, (unsigned long long)c->repeats);
	if (!c->rules[0].rule)
		return;
	raw(h, "<table class=\"rules\"><tr><th>rule</th><th>critical</th><th>high</th>"
	       "<th>medium</th><th>low</th></tr>");
	for (int i = 0; i < VG_TREE_RULES_MAX && c->rules[i].rule; i++) {
		raw(h, "<tr><td>");
		esc(h, c->rules[i].rule);
		raw(h, "</td>");
		for (int s = VG_SEV_CRITICAL; s >= VG_SEV_LOW; s--)
			fmt(h, "<td class=\"n s-%s\">%llu</td>", vg_severity_name(s),
			    (unsigned long long)c->rules[i].by_severity[s]);
		raw(h, "</tr>");
	}
	raw(h, "</table>\n");
}

/* The profile learnt for container id: one per container, so its first container is it. */
static const struct vg_profile *advice_profile(const struct html *h, const char *id)
{
	const struct vg_profile_set *s = h->meta->profiles;

	for (size_t i = 0; s && i < s->n; i++)
		if (s->v[i].n_containers && !strcmp(s->v[i].containers[0].id, id))
			return &s->v[i];
	return NULL;
}

/* An advice sentence: its `flags` as code, the rest as text, all of it escaped. */
static void advice_text(struct html *h, const char *s)
{
	char part[sizeof(((struct vg_advice_row *)0)->change)];
	bool code = false;

	for (;;) {
		size_t n = strcspn(s, "`");

		snprintf(part, sizeof(part), "%.*s", (int)n, s);
		esc(h, part);
		if (!s[n])
			break;
		raw(h, code ? "</code>" : "<code>");
		code = !code;
		s += n + 1;
	}
	if (code)
		raw(h, "</code>");
}

/* The checks of one status, named after label: "Tight: user, seccomp. " */
static void advice_checks(struct html *h, const struct vg_advice_row *rows,
			  enum vg_advice_status status, const char *label)
{
	bool first = true;

	for (int i = 0; i < VG_ADVICE_CHECKS; i++) {
		if (rows[i].status != status)
			continue;
		fmt(h, "%s%s", first ? label : ", ", vg_advice_check_name(rows[i].check));
		first = false;
	}
	if (!first)
		raw(h, ". ");
}

/*
 * The container's hardening advice, as `vigil profile --format advice` gives it for the same
 * capture: a row per finding (check, level, given, used, the change with its flags), the other
 * checks named. At most VG_ADVICE_CHECKS rows a container, whatever the number of events.
 */
static void advice(struct html *h, const struct vg_tree_container *c)
{
	const struct vg_profile *p = advice_profile(h, c->id);
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	size_t findings;

	raw(h, "<div class=\"adv\"><h3>hardening advice</h3>");
	if (!p || !p->containers[0].config.known) {
		const char *why = "the configuration its runtime gave it was not read (a capture made "
				  "before vigil read them)";

		if (!h->meta->profiles)
			why = "the profiles were not learnt (out of memory)";
		else if (!p)
			why = "no profile was learnt for it from the capture";
		fmt(h, "<p class=\"adv-none\">No advice: %s.</p></div>\n", why);
		return;
	}
	findings = vg_advice_build(p, &p->containers[0].config, rows);
	fmt(h, "<p>%zu finding%s (given against used, over the whole capture: %.1f s observed). ",
	    findings, findings == 1 ? "" : "s", vg_profile_span_s(p));
	advice_checks(h, rows, VG_ADVICE_TIGHT, "Tight: ");
	advice_checks(h, rows, VG_ADVICE_UNKNOWN, "Unknown: ");
	if (!findings) {
		raw(h, "<b class=\"adv-none\">No finding.</b></p></div>\n");
		return;
	}
	if (h->bytes > VG_REPORT_BYTES_MAX) {
		raw(h, "<b class=\"cap\">Not listed: the report's size bound reached</b> (<code>"
		       "vigil profile FILE --format advice</code> lists them).</p></div>\n");
		return;
	}
	raw(h, "</p><table class=\"adv\"><tr><th>check</th><th>level</th><th>given</th>"
	       "<th>used</th><th>change</th></tr>");
	for (int i = 0; i < VG_ADVICE_CHECKS; i++) {
		const struct vg_advice_row *r = &rows[i];

		if (r->status != VG_ADVICE_FINDING)
			continue;
		fmt(h,
		    "<tr class=\"finding\" data-check=\"%s\"><td>%s</td><td class=\"lv\">"
		    "finding</td><td>",
		    vg_advice_check_name(r->check), vg_advice_check_name(r->check));
		esc(h, r->given);
		raw(h, "</td><td>");
		esc(h, r->used);
		raw(h, "</td><td>");
		advice_text(h, r->change);
		raw(h, "</td></tr>");
	}
	raw(h, "</table></div>\n");
}

/* Events per second by type, stacked, in at most VG_REPORT_PLOT_COLUMNS bars; alerts marked. */
static void timeline(struct html *h, const struct vg_tree_container *c)
{
	size_t group, cols;
	double col_w, max_rate = 0, secs;
	char a[48], b[48];
	size_t marked = 0;

	if (!c->buckets || !c->n_buckets)
		return;
	group = (c->n_buckets + VG_REPORT_PLOT_COLUMNS - 1) / VG_REPORT_PLOT_COLUMNS;
	cols = (c->n_buckets + group - 1) / group;
	col_w = (double)PLOT_W / cols;
	secs = c->bucket_ns * group / 1e9;
	for (size_t col = 0; col < cols; col++) {
		double sum = 0;

		for (size_t i = col * group; i < (col + 1) * group && i < c->n_buckets; i++)
			for (unsigned int t = 0; t < VG_TREE_TYPES; t++)
				sum += c->buckets[i * VG_TREE_TYPES + t];
		if (sum / secs > max_rate)
			max_rate = sum / secs;
	}
	if (max_rate <= 0)
		return;
	fmt(h, "<figure class=\"tl\"><svg viewBox=\"0 0 %d %d\" width=\"100%%\" height=\"%d\" "
	       "role=\"img\" aria-label=\"events per second by type\">",
	    PLOT_W, PLOT_H + 20, PLOT_H + 20);
	fmt(h, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" class=\"bg\"/>", PLOT_W, PLOT_H);
	{
		double *base = calloc(cols, sizeof(*base));

		for (unsigned int t = 0; base && t < VG_TREE_TYPES; t++) {
			bool open = false;

			for (size_t col = 0; col < cols; col++) {
				double sum = 0, bar;

				for (size_t i = col * group;
				     i < (col + 1) * group && i < c->n_buckets; i++)
					sum += c->buckets[i * VG_TREE_TYPES + t];
				if (!sum)
					continue;
				bar = sum / secs / max_rate * PLOT_H;
				if (!open) {
					fmt(h, "<path fill=\"%s\" d=\"", colour_of(t));
					open = true;
				}
				fmt(h, "M%.1f %.1fh%.1fv%.1fh%.1fz", col * col_w,
				    PLOT_H - base[col] - bar, col_w > 1.5 ? col_w - 0.5 : col_w,
				    bar, -(col_w > 1.5 ? col_w - 0.5 : col_w));
				base[col] += bar;
			}
			if (open)
				fmt(h, "\"><title>%s</title></path>", type_label(t));
		}
		free(base);
	}
	{
		/* a mark on each bar with alerts, coloured by the worst, titled with how many */
		unsigned int *n_at = calloc(cols, sizeof(*n_at));
		unsigned char *worst = calloc(cols, 1);

		for (const struct vg_tree_alert *al = c->alert_list; n_at && worst && al;
		     al = al->next_in_container) {
			size_t col = al->time_ns < c->base_ns
					     ? 0
					     : (al->time_ns - c->base_ns) / (c->bucket_ns * group);

			if (col >= cols)
				col = cols - 1;
			n_at[col]++;
			if (al->severity + 1u > worst[col])
				worst[col] = al->severity + 1;
			marked++;
		}
		for (size_t col = 0; n_at && worst && col < cols; col++) {
			double x = (col + 0.5) * col_w;

			if (!n_at[col])
				continue;
			fmt(h,
			    "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"0\" y2=\"%d\" class=\"mark s-%s\">"
			    "<title>%u alert%s</title></line>",
			    x, x, PLOT_H, vg_severity_name(worst[col] - 1), n_at[col],
			    n_at[col] == 1 ? "" : "s");
		}
		free(n_at);
		free(worst);
	}
	time_str(h, c->base_ns, a, sizeof(a));
	time_str(h, c->base_ns + c->bucket_ns * c->n_buckets, b, sizeof(b));
	fmt(h, "<text x=\"2\" y=\"12\" class=\"ax\">%.0f/s</text>", max_rate);
	fmt(h, "<text x=\"0\" y=\"%d\" class=\"ax\">%s</text>", PLOT_H + 15, a);
	fmt(h, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">%s</text></svg>",
	    PLOT_W, PLOT_H + 15, b);
	fmt(h, "<figcaption>events per second by type, %.3g s a bar; alerts marked",
	    secs);
	if (marked < c->alerts)
		fmt(h, " (the first %zu)", marked);
	raw(h, ":");
	for (unsigned int t = 0; t < VG_TREE_TYPES; t++)
		if (c->counts[t])
			fmt(h, " <span class=\"key\" style=\"background:%s\"></span>%s",
			    colour_of(t), type_label(t));
	raw(h, " <span class=\"key mk\"></span>alert</figcaption></figure>\n");
}

static void alert_block(struct html *h, const struct vg_tree_alert *a)
{
	const struct vg_tree_proc *chain[ANCESTRY_MAX];
	size_t n = a->proc ? vg_tree_ancestry(a->proc, chain, ANCESTRY_MAX) : 0;
	char when[48];

	if (h->alerts_listed >= VG_REPORT_ALERTS_MAX || h->bytes > VG_REPORT_BYTES_MAX) {
		h->alerts_unlisted++;
		return;
	}
	h->alerts_listed++;
	time_str(h, a->time_ns, when, sizeof(when));
	fmt(h, "<details class=\"al s-%s\" data-rule=\"", vg_severity_name(a->severity));
	esc(h, a->rule);
	fmt(h, "\" data-sev=\"%s\"><summary><span class=\"sev\">%s</span> <b>",
	    vg_severity_name(a->severity), vg_severity_name(a->severity));
	esc(h, a->rule);
	raw(h, "</b> ");
	esc(h, a->message);
	if (a->repeats)
		fmt(h, " <i>(and %llu repeats)</i>", (unsigned long long)a->repeats);
	fmt(h, "</summary><div class=\"ev\"><p>%s</p>", when);
	if (n) {
		raw(h, "<h4>process chain</h4><ol class=\"chain\">");
		for (size_t i = 0; i < n; i++) {
			fmt(h, "<li>%u[%u] <b>", chain[i]->pid, chain[i]->vpid);
			esc(h, vg_tree_proc_exe(chain[i]));
			raw(h, "</b> ");
			esc(h, chain[i]->args);
			raw(h, "</li>");
		}
		raw(h, "</ol>");
	}
	raw(h, "<h4>event</h4><pre>");
	esc(h, a->event_json ? a->event_json : "(not kept)");
	raw(h, "</pre></div></details>\n");
}

static void proc_item(struct html *h, const struct vg_tree_proc *p, __u64 origin)
{
	char when[32], end[32];

	raw(h, "<li class=\"p\"><div class=\"pl\">");
	fmt(h, "<span class=\"pid\">%u[%u]</span> ", p->pid, p->vpid);
	if (p->euid)
		fmt(h, "<span class=\"u\">uid %u</span> ", p->euid);
	else
		raw(h, "<span class=\"u root\">root</span> ");
	raw(h, "<b class=\"exe\">");
	esc(h, vg_tree_proc_exe(p));
	/* when and how it ended before the args, which the line's end may hide */
	fmt(h, "</b> <span class=\"t\">%s, %s%s</span>",
	    vg_tree_start_str(p, origin, when, sizeof(when)),
	    vg_tree_exit_str(p, end, sizeof(end)), p->setup ? ", runtime set-up" : "");
	if (p->folded)
		fmt(h, " <span class=\"fold\">&times;%u identical</span>", p->folded + 1);
	if (p->n_alerts)
		fmt(h, " <span class=\"badge\">%u alert%s</span>", p->n_alerts,
		    p->n_alerts == 1 ? "" : "s");
	raw(h, " <span class=\"args\">");
	esc(h, p->args);
	raw(h, "</span>");
	raw(h, "</div>");
	if (p->n_items || p->n_exe > 1 || p->items_dropped) {
		raw(h, "<ul class=\"acts\">");
		if (p->n_exe > 1) {
			raw(h, "<li>exec:");
			for (unsigned int i = 0; i < p->n_exe; i++) {
				raw(h, i ? " &rarr; " : " ");
				esc(h, p->exe[i]);
			}
			raw(h, "</li>");
		}
		for (unsigned int i = 0; i < p->n_items; i++) {
			raw(h, "<li>");
			esc(h, p->items[i]->text);
			if (p->items[i]->count > 1)
				fmt(h, " <i>&times;%llu</i>",
				    (unsigned long long)p->items[i]->count);
			raw(h, "</li>");
		}
		if (p->items_dropped)
			fmt(h, "<li><i>%llu more events not listed</i></li>",
			    (unsigned long long)p->items_dropped);
		raw(h, "</ul>");
	}
	for (const struct vg_tree_alert *a = p->alerts; a; a = a->next_in_proc)
		alert_block(h, a);
}

static const struct vg_tree_proc *next_listed(const struct html *h, const struct vg_tree_proc *p)
{
	while (p && (!h->listed[p->order] || p->fold_hidden))
		p = p->next_sibling;
	return p;
}

/* Which processes the listing holds: chains to alerts first, then the rest in start order. */
static void choose_listed(struct html *h)
{
	const struct vg_tree *t = h->t;
	size_t budget = VG_REPORT_PROCS_MAX;

	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < t->n_procs; i++) {
			const struct vg_tree_proc *p = t->procs[i];

			if (!p->shown || p->fold_hidden || h->listed[p->order])
				continue;
			if (!pass != !!p->n_alerts) /* chains to alerts, then the others */
				continue;
			if (!budget) {
				h->procs_unlisted++;
				continue;
			}
			/* listed with its chain: the parent comes earlier in start order */
			h->listed[p->order] = true;
			h->procs_chosen++;
			budget--;
		}
	/* a listed process whose parent is not (pass 2 ran out) hangs under nothing: list it */
	for (size_t i = 0; i < t->n_procs; i++) {
		const struct vg_tree_proc *p = t->procs[i];

		for (const struct vg_tree_proc *q = p->parent; h->listed[p->order] && q &&
							 !h->listed[q->order];
		     q = q->parent) {
			h->listed[q->order] = true;
			h->procs_chosen++;
			h->procs_unlisted--;
		}
	}
}

static void proc_tree(struct html *h, const struct vg_tree_container *c)
{
	const struct vg_tree_proc *p = next_listed(h, c->roots);

	raw(h, "<ul class=\"tree\">");
	while (p) {
		const struct vg_tree_proc *child;

		if (h->bytes > VG_REPORT_BYTES_MAX) {
			h->over_budget = true;
			break;
		}
		proc_item(h, p, c->first_ns);
		h->procs_listed++;
		child = next_listed(h, p->children);
		if (child) {
			raw(h, "<ul>");
			p = child;
			continue;
		}
		raw(h, "</li>");
		while (!next_listed(h, p->next_sibling)) {
			p = p->parent;
			if (!p)
				break;
			raw(h, "</ul></li>");
		}
		if (p)
			p = next_listed(h, p->next_sibling);
	}
	if (p) /* stopped for size: close what its ancestors opened */
		for (p = p->parent; p; p = p->parent)
			raw(h, "</ul></li>");
	raw(h, "</ul>\n");
}

static void container_section(struct html *h, const struct vg_tree_container *c)
{
	bool outside = false;

	char short_id[13];

	snprintf(short_id, sizeof(short_id), "%.12s", c->id);
	raw(h, "<section class=\"ct\" data-c=\"");
	esc(h, c->id);
	raw(h, "\"><h2>");
	esc(h, c->name ? c->name : "(no name)");
	raw(h, " <code>");
	esc(h, short_id);
	raw(h, "</code></h2>\n");
	summary(h, c);
	advice(h, c);
	timeline(h, c);
	raw(h, "<h3>processes</h3>\n");
	proc_tree(h, c);
	for (const struct vg_tree_alert *a = c->alert_list; a; a = a->next_in_container) {
		if (a->proc && a->proc->shown && h->listed[a->proc->order])
			continue;
		if (!outside)
			raw(h, "<h3>alerts of processes not listed above</h3>\n");
		outside = true;
		alert_block(h, a);
	}
	raw(h, "</section>\n");
}

int vg_report_write_html(const struct vg_tree *t, const struct vg_report_meta *meta, FILE *f)
{
	struct html h = { .f = f, .t = t, .meta = meta };
	unsigned int sections = 0;

	h.listed = calloc(t->n_procs ? t->n_procs : 1, sizeof(*h.listed));
	if (!h.listed)
		return -1;
	choose_listed(&h);
	header(&h, meta);
	filters(&h);
	raw(&h, "<main>\n");
	for (const struct vg_tree_container *c = t->containers; c; c = c->next)
		if (c->n_shown) {
			container_section(&h, c);
			sections++;
		}
	if (!sections)
		raw(&h, "<p class=\"none\">No container process in the capture matches.</p>\n");
	raw(&h, "</main>\n<footer>");
	fmt(&h, "%zu processes listed", h.procs_listed);
	if (h.procs_unlisted || h.over_budget)
		fmt(&h, "; <b class=\"cap\">%zu more not listed</b> (at most %u, chains to alerts "
			"first%s; narrow with --container, --since/--until or --pid)",
		    h.procs_unlisted + (h.procs_chosen - h.procs_listed),
		    VG_REPORT_PROCS_MAX, h.over_budget ? ", the report's size bound reached" : "");
	fmt(&h, ". %zu alerts listed with their evidence", h.alerts_listed);
	if (h.alerts_unlisted || t->alerts_dropped)
		fmt(&h, "; <b class=\"cap\">%llu more counted in the summaries but not listed</b>",
		    (unsigned long long)(h.alerts_unlisted + t->alerts_dropped));
	raw(&h, ".</footer>\n<script>");
	raw(&h, vg_report_js);
	raw(&h, "</script>\n</body></html>\n");
	free(h.listed);
	return ferror(f) ? -1 : 0;
}
