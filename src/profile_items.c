// SPDX-License-Identifier: GPL-2.0
/* A profile's value lists: each value once (hashed by key), with the events that justify it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "proctab.h"
#include "profile_internal.h"

static size_t hash_key(const char *s)
{
	size_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int items_reindex(struct vg_profile_items *l, size_t n_slots)
{
	size_t *slots = calloc(n_slots, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < l->n; i++) {
		size_t s = hash_key(l->v[i].key) & (n_slots - 1);

		while (slots[s])
			s = (s + 1) & (n_slots - 1);
		slots[s] = i + 1;
	}
	free(l->slots);
	l->slots = slots;
	l->n_slots = n_slots;
	return 0;
}

struct vg_profile_item *profile_items_get(struct vg_profile_items *l, const char *key,
					  bool *created)
{
	size_t s;

	*created = false;
	if (l->n_slots) {
		for (s = hash_key(key) & (l->n_slots - 1); l->slots[s];
		     s = (s + 1) & (l->n_slots - 1))
			if (!strcmp(l->v[l->slots[s] - 1].key, key))
				return &l->v[l->slots[s] - 1];
	}
	if (2 * (l->n + 1) > l->n_slots && items_reindex(l, l->n_slots ? 2 * l->n_slots : 16))
		return NULL;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct vg_profile_item *grown = realloc(l->v, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		l->v = grown;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	l->v[l->n].key = strdup(key);
	if (!l->v[l->n].key)
		return NULL;
	for (s = hash_key(key) & (l->n_slots - 1); l->slots[s]; s = (s + 1) & (l->n_slots - 1))
		;
	l->slots[s] = ++l->n;
	*created = true;
	return &l->v[l->n - 1];
}

static void evidence_clear(struct vg_evidence *e)
{
	for (size_t i = 0; i < e->n_programs; i++)
		free(e->programs[i]);
	free(e->first_command);
}

void profile_items_clear(struct vg_profile_items *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct vg_profile_item *it = &l->v[i];

		free(it->key);
		free(it->source);
		free(it->target);
		free(it->fstype);
		evidence_clear(&it->ev);
	}
	free(l->v);
	free(l->slots);
	memset(l, 0, sizeof(*l));
}

static int cmp_items(const void *a, const void *b)
{
	return strcmp(((const struct vg_profile_item *)a)->key,
		      ((const struct vg_profile_item *)b)->key);
}

int profile_items_sort(struct vg_profile_items *l)
{
	if (l->n < 2)
		return 0;
	qsort(l->v, l->n, sizeof(l->v[0]), cmp_items);
	return items_reindex(l, l->n_slots);
}

/* The process's command line, space separated; NULL if unknown. */
static char *command_line(const struct vg_process *p)
{
	char *s;

	if (!p || !p->args || !p->args_len)
		return p && p->exe ? strdup(p->exe) : NULL;
	s = malloc(p->args_len + 1);
	if (!s)
		return NULL;
	memcpy(s, p->args, p->args_len);
	s[p->args_len] = 0;
	for (unsigned int i = 0; i + 1 < p->args_len; i++)
		if (!s[i])
			s[i] = ' ';
	return s;
}

const char *profile_program_of(const struct vg_event *ev, const struct vg_process *p)
{
	if (ev->hdr->type == VIGIL_EVENT_EXEC && ev->str1 && *ev->str1)
		return ev->str1;
	if (p && p->exe && *p->exe)
		return p->exe;
	if (p && p->comm[0])
		return p->comm;
	return "?";
}

int profile_evidence_add(struct vg_evidence *e, const struct vg_event *ev,
			 const struct vg_process *p, size_t container)
{
	const char *program = profile_program_of(ev, p);
	__u64 t = ev->hdr->time_ns;
	size_t i;

	if (!e->count++) {
		e->first_ns = e->last_ns = t;
		e->first_pid = ev->hdr->pid;
		e->first_command = command_line(p);
	}
	if (t < e->first_ns)
		e->first_ns = t;
	if (t > e->last_ns)
		e->last_ns = t;
	for (i = 0; i < e->n_containers && e->containers[i] != container; i++)
		;
	if (i == e->n_containers && i < VG_EVIDENCE_CONTAINERS)
		e->containers[e->n_containers++] = container;
	for (i = 0; i < e->n_programs && strcmp(e->programs[i], program); i++)
		;
	if (i < e->n_programs)
		return 0;
	if (e->n_programs == VG_EVIDENCE_PROGRAMS) {
		e->more_programs = true;
		return 0;
	}
	e->programs[e->n_programs] = strdup(program);
	if (!e->programs[e->n_programs])
		return -ENOMEM;
	e->n_programs++;
	return 0;
}
