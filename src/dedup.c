// SPDX-License-Identifier: GPL-2.0
/*
 * Repeat suppression for alerts. Keys come from inside containers (paths, addresses), so the
 * index is a balanced tree (glibc's tsearch): no input can make a lookup slower than
 * O(log n), as crafted hash collisions could. A list in order of last use picks what to
 * forget when the table is full.
 */
#include <search.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

struct dedup_entry {
	struct dedup_entry *newer, *older;     /* the recency list */
	const char *rule, *container_id, *key; /* into text[] */
	__u64 total;			       /* every call */
	__u64 repeats;			       /* calls that returned false since the last report */
	char text[];
};

struct vg_dedup {
	void *tree;
	struct dedup_entry *newest, *oldest;
	size_t count, max;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct dedup_entry *x = a, *y = b;
	int r = strcmp(x->rule, y->rule);

	if (r)
		return r;
	r = strcmp(x->container_id, y->container_id);
	if (r)
		return r;
	return strcmp(x->key, y->key);
}

struct vg_dedup *vg_dedup_new_bounded(size_t max_entries)
{
	struct vg_dedup *d;

	if (!max_entries)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (d)
		d->max = max_entries;
	return d;
}

struct vg_dedup *vg_dedup_new(void)
{
	return vg_dedup_new_bounded(VG_DEDUP_MAX_ENTRIES);
}

static void keep_entry(void *entry)
{
	(void)entry; /* freed from the list, which owns the entries */
}

void vg_dedup_free(struct vg_dedup *d)
{
	struct dedup_entry *e, *next;

	if (!d)
		return;
	tdestroy(d->tree, keep_entry);
	for (e = d->newest; e; e = next) {
		next = e->older;
		free(e);
	}
	free(d);
}

size_t vg_dedup_count(const struct vg_dedup *d)
{
	return d ? d->count : 0;
}

static void unlink_entry(struct vg_dedup *d, struct dedup_entry *e)
{
	if (e->newer)
		e->newer->older = e->older;
	else
		d->newest = e->older;
	if (e->older)
		e->older->newer = e->newer;
	else
		d->oldest = e->newer;
	e->newer = e->older = NULL;
}

static void push_newest(struct vg_dedup *d, struct dedup_entry *e)
{
	e->newer = NULL;
	e->older = d->newest;
	if (d->newest)
		d->newest->newer = e;
	else
		d->oldest = e;
	d->newest = e;
}

static void forget_oldest(struct vg_dedup *d)
{
	struct dedup_entry *e = d->oldest;

	unlink_entry(d, e);
	tdelete(e, &d->tree, entry_cmp);
	free(e);
	d->count--;
}

bool vg_dedup_first(struct vg_dedup *d, const char *rule, const char *container_id, const char *key)
{
	struct dedup_entry probe = {
		.rule = rule ? rule : "",
		.container_id = container_id ? container_id : "",
		.key = key ? key : "",
	};
	struct dedup_entry *e, **slot;
	size_t lr, lc, lk;

	if (!d)
		return true;
	slot = tfind(&probe, &d->tree, entry_cmp);
	if (slot) {
		e = *slot;
		e->total++;
		e->repeats++;
		unlink_entry(d, e);
		push_newest(d, e);
		return false;
	}
	if (d->count >= d->max)
		forget_oldest(d);
	lr = strlen(probe.rule) + 1;
	lc = strlen(probe.container_id) + 1;
	lk = strlen(probe.key) + 1;
	e = malloc(sizeof(*e) + lr + lc + lk);
	if (!e)
		return true; /* can't remember it: alerting again beats losing an alert */
	memcpy(e->text, probe.rule, lr);
	memcpy(e->text + lr, probe.container_id, lc);
	memcpy(e->text + lr + lc, probe.key, lk);
	e->rule = e->text;
	e->container_id = e->text + lr;
	e->key = e->text + lr + lc;
	e->total = 1;
	e->repeats = 0;
	slot = tsearch(e, &d->tree, entry_cmp);
	if (!slot) {
		free(e);
		return true;
	}
	push_newest(d, e);
	d->count++;
	return true;
}

void vg_dedup_add_repeats(struct vg_dedup *d, const char *rule, const char *container_id,
			  const char *key, __u64 n)
{
	struct dedup_entry probe = {
		.rule = rule ? rule : "",
		.container_id = container_id ? container_id : "",
		.key = key ? key : "",
	};
	struct dedup_entry **slot;
	bool first;

	if (!d || !n)
		return;
	/* found: one of the n counted already; forgotten (or never seen): made, none counted */
	first = vg_dedup_first(d, rule, container_id, key);
	slot = tfind(&probe, &d->tree, entry_cmp);
	if (slot) {
		(*slot)->total += n - 1;
		(*slot)->repeats += first ? n : n - 1;
	}
}

void vg_dedup_report(struct vg_dedup *d, bool report_all,
		     void (*fn)(void *ctx, const char *rule, const char *container_id,
				const char *key, __u64 count),
		     void *ctx)
{
	struct dedup_entry *e;

	if (!d)
		return;
	for (e = d->newest; e; e = e->older) {
		if (report_all)
			fn(ctx, e->rule, e->container_id, e->key, e->total);
		else if (e->repeats)
			fn(ctx, e->rule, e->container_id, e->key, e->repeats);
		e->repeats = 0;
	}
}
