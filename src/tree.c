// SPDX-License-Identifier: GPL-2.0
/* Process trees and timelines of a capture, per container, from decoded events and alerts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "container.h"
#include "event.h"
#include "output.h"
#include "proctab.h"
#include "tree.h"

#define ALERT_HASH 4096 /* power of two */
#define FOLD_SCAN 32 /* earlier distinct siblings a process is compared with for folding */

struct alert_slot {
	struct vg_tree_alert *a;
	struct alert_slot *next;
};

/* The tree's private part: the alerts by (rule, container, key), for their repeats. */
struct tree_priv {
	struct vg_tree t;
	struct alert_slot *alert_hash[ALERT_HASH];
	struct vg_tree_container *last_container; /* events come in runs of one container */
};

struct vg_tree *vg_tree_new(const struct vg_tree_opts *opts)
{
	struct tree_priv *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->t.opts = *opts;
	p->t.hash_size = 1u << 14;
	p->t.hash = calloc(p->t.hash_size, sizeof(*p->t.hash));
	if (!p->t.hash) {
		free(p);
		return NULL;
	}
	return &p->t;
}

static void proc_free(struct vg_tree_proc *n)
{
	for (unsigned int i = 0; i < n->n_exe; i++)
		free(n->exe[i]);
	for (unsigned int i = 0; i < n->n_items; i++)
		free(n->items[i]);
	free(n->args);
	free(n);
}

void vg_tree_free(struct vg_tree *t)
{
	struct tree_priv *p = (struct tree_priv *)t;
	struct vg_tree_container *c, *next;

	if (!t)
		return;
	for (size_t i = 0; i < t->n_procs; i++)
		proc_free(t->procs[i]);
	free(t->procs);
	free(t->hash);
	for (size_t b = 0; b < ALERT_HASH; b++) {
		struct alert_slot *s = p->alert_hash[b], *sn;

		for (; s; s = sn) {
			sn = s->next;
			free(s->a->message);
			free(s->a->key);
			free(s->a->event_json);
			free(s->a);
			free(s);
		}
	}
	for (c = t->containers; c; c = next) {
		next = c->next;
		free(c->name);
		free(c->image);
		free(c->runtime);
		free(c->buckets);
		free(c);
	}
	free(p);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static struct vg_tree_container *container_get(struct vg_tree *t, const struct vg_container *c)
{
	struct tree_priv *p = (struct tree_priv *)t;
	struct vg_tree_container *tc = p->last_container;

	if (tc && !strcmp(tc->id, c->id))
		return tc;
	for (tc = t->containers; tc && strcmp(tc->id, c->id); tc = tc->next)
		;
	if (!tc) {
		tc = calloc(1, sizeof(*tc));
		if (!tc) {
			t->no_memory = true;
			return NULL;
		}
		snprintf(tc->id, sizeof(tc->id), "%s", c->id);
		tc->runtime = strdup(vg_runtime_name(c->runtime));
		if (t->containers_tail)
			t->containers_tail->next = tc;
		else
			t->containers = tc;
		t->containers_tail = tc;
		t->n_containers++;
	}
	/* metadata can arrive after the first event (a capture rotated mid-run) */
	if (!tc->name && c->name)
		tc->name = strdup(c->name);
	if (!tc->image && c->image)
		tc->image = strdup(c->image);
	p->last_container = tc;
	return tc;
}

static size_t proc_hash(const struct vg_tree *t, __u32 pid, __u64 start_time)
{
	__u64 h = (pid * 0x9E3779B97F4A7C15ull) ^ (start_time * 0xC2B2AE3D27D4EB4Full);

	return (h ^ (h >> 29)) & (t->hash_size - 1);
}

static struct vg_tree_proc *proc_find(const struct vg_tree *t, __u32 pid, __u64 start_time)
{
	struct vg_tree_proc *n = t->hash[proc_hash(t, pid, start_time)];

	while (n && (n->pid != pid || n->start_time != start_time))
		n = n->hash_next;
	return n;
}

/* argv block (NUL separated) as one line, arguments separated by a space; bounded. */
static char *join_args(const char *args, unsigned int len)
{
	size_t cap = len < 512 ? len : 512;
	char *s = malloc(cap + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < cap; i++)
		s[i] = args[i] ? args[i] : ' ';
	while (cap && s[cap - 1] == ' ')
		cap--;
	s[cap] = 0;
	return s;
}

static void push_exe(struct vg_tree_proc *n, const char *exe)
{
	char *copy = exe ? strdup(exe) : NULL;

	if (!copy)
		return;
	if (n->n_exe == VG_TREE_EXE_HISTORY) {
		/* keep the first (what it started as) and the most recent ones */
		free(n->exe[1]);
		memmove(&n->exe[1], &n->exe[2], (VG_TREE_EXE_HISTORY - 2) * sizeof(n->exe[0]));
		n->n_exe--;
	}
	n->exe[n->n_exe++] = copy;
}

/* What the process table knows of p (its latest exec, ids, parent). */
static void fill_from_proc(struct vg_tree_proc *n, const struct vg_process *p)
{
	n->vpid = p->vpid;
	n->ppid = p->ppid;
	n->parent_start_time = p->parent_start_time;
	n->uid = p->uid;
	n->euid = p->euid;
	memcpy(n->comm, p->comm, sizeof(n->comm));
	n->comm[sizeof(n->comm) - 1] = 0;
	if (p->args) {
		free(n->args);
		n->args = join_args(p->args, p->args_len);
	}
	if (p->flags & VG_PROC_SETUP)
		n->setup = true;
}

static struct vg_tree_proc *proc_get(struct vg_tree *t, struct vg_tree_container *tc, __u32 pid,
				     __u64 start_time)
{
	struct vg_tree_proc *n = proc_find(t, pid, start_time);
	size_t h;

	if (n)
		return n;
	if (t->n_procs == t->procs_cap) {
		size_t cap = t->procs_cap ? 2 * t->procs_cap : 1024;
		struct vg_tree_proc **grown = realloc(t->procs, cap * sizeof(*grown));

		if (!grown) {
			t->no_memory = true;
			return NULL;
		}
		t->procs = grown;
		t->procs_cap = cap;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		t->no_memory = true;
		return NULL;
	}
	n->pid = pid;
	n->start_time = start_time;
	n->unknown_start = !start_time;
	n->container = tc;
	n->order = t->n_procs;
	t->procs[t->n_procs++] = n;
	h = proc_hash(t, pid, start_time);
	n->hash_next = t->hash[h];
	t->hash[h] = n;
	tc->n_procs++;
	/* keep chains short: the table doubles past two processes a bucket */
	if (t->n_procs > 2 * t->hash_size) {
		struct vg_tree_proc **bigger = calloc(2 * t->hash_size, sizeof(*bigger));

		if (bigger) {
			free(t->hash);
			t->hash = bigger;
			t->hash_size *= 2;
			for (size_t i = 0; i < t->n_procs; i++) {
				struct vg_tree_proc *m = t->procs[i];

				h = proc_hash(t, m->pid, m->start_time);
				m->hash_next = t->hash[h];
				t->hash[h] = m;
			}
		}
	}
	return n;
}

static bool in_window(const struct vg_tree *t, __u64 time_ns)
{
	return !(t->opts.since_ns && time_ns < t->opts.since_ns) &&
	       !(t->opts.until_ns && time_ns > t->opts.until_ns);
}

static void timeline_add(struct vg_tree *t, struct vg_tree_container *tc, __u64 time_ns,
			 unsigned int slot)
{
	size_t idx;

	if (!tc->buckets) {
		tc->buckets = calloc((size_t)VG_TREE_BUCKETS_MAX * VG_TREE_TYPES,
				     sizeof(*tc->buckets));
		if (!tc->buckets) {
			t->no_memory = true;
			return;
		}
		/* 10 ms to start with: a short capture's plot still has a shape */
		tc->bucket_ns = 10000000ull;
		tc->base_ns = time_ns - time_ns % 1000000000ull;
	}
	/* an event a little older than the first (per-CPU buffers interleave): the first bucket */
	idx = time_ns < tc->base_ns ? 0 : (time_ns - tc->base_ns) / tc->bucket_ns;
	while (idx >= VG_TREE_BUCKETS_MAX) {
		/* twice as wide: pairs of buckets merged, the plot keeps its size */
		for (size_t i = 0; i < VG_TREE_BUCKETS_MAX / 2; i++)
			for (unsigned int s = 0; s < VG_TREE_TYPES; s++)
				tc->buckets[i * VG_TREE_TYPES + s] =
					tc->buckets[2 * i * VG_TREE_TYPES + s] +
					tc->buckets[(2 * i + 1) * VG_TREE_TYPES + s];
		memset(tc->buckets + (VG_TREE_BUCKETS_MAX / 2) * VG_TREE_TYPES, 0,
		       (VG_TREE_BUCKETS_MAX / 2) * VG_TREE_TYPES * sizeof(*tc->buckets));
		tc->bucket_ns *= 2;
		tc->n_buckets = (tc->n_buckets + 1) / 2;
		idx = (time_ns - tc->base_ns) / tc->bucket_ns;
	}
	if (idx >= tc->n_buckets)
		tc->n_buckets = idx + 1;
	tc->buckets[idx * VG_TREE_TYPES + slot]++;
}

static void add_item(struct vg_tree *t, struct vg_tree_proc *n, const struct vg_event *ev)
{
	char text[VG_TREE_ITEM_LEN];
	struct vg_tree_item *item;
	size_t len;

	if (!vg_tree_item_text(ev, text, sizeof(text)))
		return;
	for (unsigned int i = 0; i < n->n_items; i++)
		if (n->items[i]->type == ev->hdr->type && !strcmp(n->items[i]->text, text)) {
			n->items[i]->count++;
			return;
		}
	if (n->n_items == VG_TREE_ITEMS_MAX) {
		n->items_dropped++;
		return;
	}
	len = strlen(text) + 1;
	item = malloc(sizeof(*item) + len);
	if (!item) {
		t->no_memory = true;
		n->items_dropped++;
		return;
	}
	item->type = ev->hdr->type;
	item->count = 1;
	memcpy(item->text, text, len);
	n->items[n->n_items++] = item;
}

static void apply_fork(struct vg_tree *t, struct vg_tree_container *tc, struct vg_tree_proc *parent,
		       const struct vg_event *ev)
{
	const struct vigil_fork *f = ev->fork;
	struct vg_tree_proc *child = proc_get(t, tc, f->child_pid, f->child_start_time);

	if (!child)
		return;
	child->forked = true;
	child->unknown_start = false;
	child->first_ns = ev->hdr->time_ns;
	child->ppid = f->hdr.pid;
	child->parent_start_time = f->parent_start_time;
	child->vpid = f->child_vpid;
	if (parent && parent != child) {
		/* a fork runs what its parent ran until it executes something else */
		child->uid = parent->uid;
		child->euid = parent->euid;
		memcpy(child->comm, parent->comm, sizeof(child->comm));
		if (!child->n_exe && parent->n_exe)
			push_exe(child, parent->exe[parent->n_exe - 1]);
		if (!child->args && parent->args)
			child->args = strdup(parent->args);
		child->setup = parent->setup;
	}
}

static void apply_exec(struct vg_tree_proc *n, const struct vg_event *ev,
		       const struct vg_process *proc)
{
	bool snapshot = ev->hdr->flags & VIGIL_F_SNAPSHOT;
	const char *exe = proc && proc->exe ? proc->exe : ev->str1[0] ? ev->str1 : NULL;

	if (proc)
		fill_from_proc(n, proc);
	n->setup = ev->hdr->flags & VIGIL_F_SETUP;
	if (snapshot) {
		/* running before the capture started: what it runs, not when it started */
		n->snapshot = true;
		if (!n->n_exe)
			push_exe(n, exe);
		return;
	}
	if (!n->forked && !n->first_ns)
		n->first_ns = ev->hdr->time_ns;
	n->unknown_start = false;
	n->execs++;
	/* a fork's inherited image is only what it ran before: replaced by its first exec */
	if (n->forked && n->execs == 1 && n->n_exe == 1) {
		free(n->exe[0]);
		n->n_exe = 0;
	}
	push_exe(n, exe);
}

void vg_tree_event(struct vg_tree *t, const struct vg_event *ev, const struct vg_process *proc,
		   const struct vg_container *c)
{
	const struct vigil_event_header *h = ev->hdr;
	unsigned int slot = h->type < VG_TREE_TYPES ? h->type : 0;
	struct vg_tree_container *tc;
	struct vg_tree_proc *n;

	if (!c || (t->opts.container_key && !vg_container_matches(c, t->opts.container_key)))
		return;
	tc = container_get(t, c);
	if (!tc)
		return;
	switch (h->type) {
	case VIGIL_EVENT_EXEC:
		n = proc_get(t, tc, h->pid, ev->exec->start_time);
		if (n)
			apply_exec(n, ev, proc);
		break;
	case VIGIL_EVENT_EXIT:
		n = proc_get(t, tc, h->pid, ev->exit->start_time);
		if (n) {
			n->exited = true;
			n->exit_ns = h->time_ns;
			n->exit_code = ev->exit->exit_code;
		}
		break;
	case VIGIL_EVENT_FORK:
		/* the record's parent key, not the table's (which may have lost the parent) */
		n = proc_get(t, tc, h->pid, ev->fork->parent_start_time);
		if (n && proc && proc->pid == n->pid && proc->start_time == n->start_time &&
		    !n->n_exe && proc->exe) {
			fill_from_proc(n, proc);
			push_exe(n, proc->exe);
		}
		if (n)
			apply_fork(t, tc, n, ev);
		break;
	default:
		n = proc ? proc_get(t, tc, proc->pid, proc->start_time)
			 : proc_get(t, tc, h->pid, 0);
		if (n && proc && !n->n_exe && proc->exe) {
			fill_from_proc(n, proc);
			push_exe(n, proc->exe);
		}
		break;
	}
	if (!in_window(t, h->time_ns))
		return;
	if (!tc->first_ns || h->time_ns < tc->first_ns)
		tc->first_ns = h->time_ns;
	if (h->time_ns > tc->last_ns)
		tc->last_ns = h->time_ns;
	tc->events++;
	tc->counts[slot]++;
	timeline_add(t, tc, h->time_ns, slot);
	if (n) {
		n->counts[slot]++;
		add_item(t, n, ev);
	}
}

static size_t alert_hash(const char *rule, const char *cid, const char *key)
{
	size_t h = 2166136261u;
	const char *parts[] = { rule, cid, key };

	for (int i = 0; i < 3; i++) {
		for (const char *s = parts[i]; s && *s; s++)
			h = (h ^ (unsigned char)*s) * 16777619u;
		h = (h ^ 0xff) * 16777619u;
	}
	return h & (ALERT_HASH - 1);
}

static void count_rule(struct vg_tree_container *tc, const char *rule, enum vg_severity sev)
{
	for (int i = 0; i < VG_TREE_RULES_MAX; i++) {
		struct vg_tree_rule_count *r = &tc->rules[i];

		if (!r->rule)
			r->rule = rule;
		if (r->rule == rule || !strcmp(r->rule, rule)) {
			if (sev <= VG_SEV_CRITICAL)
				r->by_severity[sev]++;
			return;
		}
	}
}

static char *event_json(const struct vg_tree *t, const struct vg_event *ev,
			const struct vg_process *proc, const struct vg_container *c)
{
	struct vg_output o = { .boot_wall_ns = t->opts.boot_wall_ns };
	struct json_object *obj = vg_event_to_json(&o, ev, proc, c);
	char *s = NULL;

	if (obj)
		s = dup_or_null(json_object_to_json_string_ext(
			obj, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
				     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return s;
}

void vg_tree_alert(struct vg_tree *t, const struct vg_alert *a, const struct vg_event *ev,
		   const struct vg_process *proc, const struct vg_container *c)
{
	struct tree_priv *p = (struct tree_priv *)t;
	struct vg_tree_container *tc;
	struct vg_tree_alert *al;
	struct alert_slot *slot;
	struct vg_tree_proc *n;
	size_t h;

	if (!c || (t->opts.container_key && !vg_container_matches(c, t->opts.container_key)))
		return;
	tc = container_get(t, c);
	if (!tc)
		return;
	t->alerts++;
	tc->alerts++;
	count_rule(tc, a->rule, a->severity);
	if (t->alerts_kept >= VG_TREE_ALERTS_MAX) {
		t->alerts_dropped++;
		return;
	}
	al = calloc(1, sizeof(*al));
	slot = calloc(1, sizeof(*slot));
	if (!al || !slot) {
		free(al);
		free(slot);
		t->no_memory = true;
		return;
	}
	al->rule = a->rule;
	al->severity = a->severity;
	al->time_ns = ev->hdr->time_ns;
	al->message = strdup(a->message);
	al->key = strdup(a->key);
	al->event_json = event_json(t, ev, proc, c);
	al->container = tc;
	al->index = t->alerts_kept++;
	n = proc ? proc_find(t, proc->pid, proc->start_time) : proc_find(t, ev->hdr->pid, 0);
	if (ev->hdr->type == VIGIL_EVENT_EXEC)
		n = proc_find(t, ev->hdr->pid, ev->exec->start_time);
	al->proc = n;
	if (n) {
		if (n->alerts_tail)
			n->alerts_tail->next_in_proc = al;
		else
			n->alerts = al;
		n->alerts_tail = al;
	}
	if (tc->alert_tail)
		tc->alert_tail->next_in_container = al;
	else
		tc->alert_list = al;
	tc->alert_tail = al;
	slot->a = al;
	h = alert_hash(a->rule, c->id, a->key);
	slot->next = p->alert_hash[h];
	p->alert_hash[h] = slot;
}

void vg_tree_add_repeats(struct vg_tree *t, const char *rule, const char *container_id,
			 const char *key, __u64 repeats)
{
	struct tree_priv *p = (struct tree_priv *)t;
	struct alert_slot *s = p->alert_hash[alert_hash(rule, container_id, key)];

	for (; s; s = s->next)
		if (!strcmp(s->a->rule, rule) && !strcmp(s->a->container->id, container_id) &&
		    !strcmp(s->a->key, key)) {
			s->a->repeats += repeats;
			s->a->container->repeats += repeats;
			return;
		}
}

const char *vg_tree_proc_exe(const struct vg_tree_proc *p)
{
	if (p->n_exe)
		return p->exe[p->n_exe - 1];
	if (p->comm[0])
		return p->comm;
	return "(a process the capture never introduced)";
}

size_t vg_tree_ancestry(const struct vg_tree_proc *p, const struct vg_tree_proc **out, size_t max)
{
	size_t n = 0;

	for (const struct vg_tree_proc *q = p; q; q = q->parent)
		n++;
	if (n > max) /* the nearest ones matter most */
		n = max;
	for (size_t i = n; i > 0 && p; i--, p = p->parent)
		out[i - 1] = p;
	return n;
}

static int by_start(const void *a, const void *b)
{
	const struct vg_tree_proc *x = *(const struct vg_tree_proc *const *)a;
	const struct vg_tree_proc *y = *(const struct vg_tree_proc *const *)b;

	/* the kernel's start times order processes as they were created; unknown ones first */
	if (x->start_time != y->start_time)
		return x->start_time < y->start_time ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static bool lifetime_in_window(const struct vg_tree *t, const struct vg_tree_proc *n)
{
	bool active = false;

	/* one never seen to begin is known only by what it did: in the window, or not shown */
	if (n->unknown_start && !n->snapshot) {
		for (unsigned int s = 0; s < VG_TREE_TYPES; s++)
			active |= n->counts[s] != 0;
		if (!active)
			return false;
	}
	if (t->opts.until_ns && n->first_ns && n->first_ns > t->opts.until_ns)
		return false;
	if (t->opts.since_ns && n->exited && n->exit_ns < t->opts.since_ns)
		return false;
	return true;
}

static void mark_subtree(struct vg_tree_proc *n, bool *selected, const struct vg_tree *t)
{
	/* iterative: a fork bomb's depth is no limit here */
	struct vg_tree_proc *q = n;

	selected[q->order] = true;
	if (!q->children)
		return;
	q = q->children;
	while (q && q != n) {
		selected[q->order] = true;
		if (q->children) {
			q = q->children;
			continue;
		}
		while (q && q != n && !q->next_sibling)
			q = q->parent;
		if (q && q != n)
			q = q->next_sibling;
	}
	(void)t;
}

static bool same_shape(const struct vg_tree_proc *a, const struct vg_tree_proc *b)
{
	return !strcmp(vg_tree_proc_exe(a), vg_tree_proc_exe(b)) &&
	       !strcmp(a->args ? a->args : "", b->args ? b->args : "") && a->uid == b->uid;
}

static bool foldable(const struct vg_tree_proc *n)
{
	if (n->n_alerts || !n->shown)
		return false;
	for (const struct vg_tree_proc *c = n->children; c; c = c->next_sibling)
		if (c->shown)
			return false;
	return true;
}

/* Identical leaves without alerts (a loop's `sleep 1`s) shown once with their number. */
static void fold_siblings(struct vg_tree_proc *first)
{
	struct vg_tree_proc *reps[FOLD_SCAN];
	unsigned int n_reps = 0;

	for (struct vg_tree_proc *c = first; c; c = c->next_sibling) {
		unsigned int i;

		if (!foldable(c))
			continue;
		for (i = 0; i < n_reps && !same_shape(reps[i], c); i++)
			;
		if (i < n_reps) {
			reps[i]->folded++;
			for (unsigned int s = 0; s < VG_TREE_TYPES; s++)
				reps[i]->counts[s] += c->counts[s];
			c->fold_hidden = true;
		} else if (n_reps < FOLD_SCAN) {
			reps[n_reps++] = c;
		}
	}
}

void vg_tree_finish(struct vg_tree *t)
{
	struct vg_tree_proc **sorted;
	bool *selected = NULL;
	size_t n = t->n_procs;

	if (!n)
		return;
	sorted = malloc(n * sizeof(*sorted));
	if (!sorted) {
		t->no_memory = true;
		return;
	}
	memcpy(sorted, t->procs, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_start);
	for (size_t i = 0; i < n; i++)
		sorted[i]->order = i; /* from here on: the position by start */
	/* built backwards, so each list of children comes out in start order */
	for (size_t i = n; i-- > 0;) {
		struct vg_tree_proc *c = sorted[i], *parent = NULL;

		if (c->ppid && !c->unknown_start)
			parent = proc_find(t, c->ppid, c->parent_start_time);
		/* only an earlier process of the same container: no cycle, whatever the capture */
		if (parent && (parent->container != c->container || parent->order >= c->order))
			parent = NULL;
		c->parent = parent;
		if (parent) {
			c->next_sibling = parent->children;
			parent->children = c;
		} else {
			c->next_sibling = c->container->roots;
			c->container->roots = c;
		}
	}
	/* alerts of the subtree: children come after their parents in sorted */
	for (size_t i = 0; i < n; i++)
		for (struct vg_tree_alert *a = sorted[i]->alerts; a; a = a->next_in_proc)
			sorted[i]->n_alerts++;
	for (size_t i = n; i-- > 0;)
		if (sorted[i]->parent)
			sorted[i]->parent->n_alerts += sorted[i]->n_alerts;
	if (t->opts.pid) {
		selected = calloc(n, sizeof(*selected));
		if (!selected) {
			t->no_memory = true;
		} else {
			for (size_t i = 0; i < n; i++)
				if (sorted[i]->pid == t->opts.pid)
					mark_subtree(sorted[i], selected, t);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct vg_tree_proc *c = sorted[i];

		if (!lifetime_in_window(t, c) || (selected && !selected[i]))
			continue;
		/* ancestors are shown as the chain that led here */
		for (struct vg_tree_proc *q = c; q && !q->shown; q = q->parent) {
			q->shown = true;
			q->container->n_shown++;
		}
	}
	for (struct vg_tree_container *tc = t->containers; tc; tc = tc->next)
		fold_siblings(tc->roots);
	for (size_t i = 0; i < n; i++)
		fold_siblings(sorted[i]->children);
	free(selected);
	free(sorted);
}
