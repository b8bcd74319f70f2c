// SPDX-License-Identifier: GPL-2.0
/* The process table, built from events only, so a live run and a replay build the same one. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "proctab.h"

#define NBUCKETS 16384 /* power of two */

struct proc_node {
	struct vg_process p;
	struct proc_node *next;
	/* exited processes wait on their own list, so reaping costs only what it frees */
	struct proc_node *exited_next, **exited_pprev;
};

struct vg_proctab {
	struct proc_node *buckets[NBUCKETS];
	size_t count;
	size_t max_entries;
	struct proc_node *exited_head;
};

static void mark_exited(struct vg_proctab *t, struct proc_node *n)
{
	n->p.flags |= VG_PROC_EXITED;
	n->exited_next = t->exited_head;
	if (t->exited_head)
		t->exited_head->exited_pprev = &n->exited_next;
	n->exited_pprev = &t->exited_head;
	t->exited_head = n;
}

static void unmark_exited(struct proc_node *n)
{
	*n->exited_pprev = n->exited_next;
	if (n->exited_next)
		n->exited_next->exited_pprev = n->exited_pprev;
}

static unsigned int bucket_of(__u32 pid)
{
	return (pid * 2654435761u) & (NBUCKETS - 1);
}

struct vg_proctab *vg_proctab_new(size_t max_entries)
{
	struct vg_proctab *t = calloc(1, sizeof(*t));

	if (t)
		t->max_entries = max_entries ? max_entries : 65536;
	return t;
}

static void node_free(struct proc_node *n)
{
	free(n->p.exe);
	free(n->p.args);
	free(n);
}

void vg_proctab_free(struct vg_proctab *t)
{
	if (!t)
		return;
	for (size_t b = 0; b < NBUCKETS; b++) {
		struct proc_node *n = t->buckets[b], *next;

		for (; n; n = next) {
			next = n->next;
			node_free(n);
		}
	}
	free(t);
}

static struct proc_node *find(const struct vg_proctab *t, __u32 pid)
{
	struct proc_node *n = t->buckets[bucket_of(pid)];

	while (n && n->p.pid != pid)
		n = n->next;
	return n;
}

static void unlink_node(struct vg_proctab *t, struct proc_node *victim)
{
	struct proc_node **pp = &t->buckets[bucket_of(victim->p.pid)];

	while (*pp && *pp != victim)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = victim->next;
		if (victim->p.flags & VG_PROC_EXITED)
			unmark_exited(victim);
		t->count--;
		node_free(victim);
	}
}

/* A fresh entry for pid; an older process that had the same pid is replaced. */
static struct proc_node *insert(struct vg_proctab *t, __u32 pid, __u64 start_time)
{
	struct proc_node *n = find(t, pid);

	if (n) {
		if (n->p.start_time == start_time)
			return n;
		unlink_node(t, n); /* the pid was reused */
	}
	if (t->count >= t->max_entries) {
		vg_proctab_reap(t);
		if (t->count >= t->max_entries)
			return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->p.pid = pid;
	n->p.start_time = start_time;
	n->next = t->buckets[bucket_of(pid)];
	t->buckets[bucket_of(pid)] = n;
	t->count++;
	return n;
}

static void set_strings(struct vg_process *p, const char *exe, const char *args,
			unsigned int args_len, unsigned int argc)
{
	char *new_exe = exe ? strdup(exe) : NULL;
	char *new_args = NULL;

	if (args && args_len) {
		new_args = malloc(args_len + 1);
		if (new_args) {
			memcpy(new_args, args, args_len);
			new_args[args_len] = 0; /* a truncated last argument ends here */
		}
	}
	free(p->exe);
	free(p->args);
	p->exe = new_exe;
	p->args = new_args;
	p->args_len = new_args ? args_len : 0;
	p->argc = new_args ? argc : 0;
}

static void apply_exec(struct proc_node *n, const struct vg_event *ev)
{
	const struct vigil_exec *e = ev->exec;
	struct vg_process *p = &n->p;

	p->vpid = e->vpid;
	p->ppid = e->ppid;
	p->parent_start_time = e->parent_start_time;
	p->uid = e->uid;
	p->euid = e->euid;
	p->gid = e->gid;
	p->egid = e->egid;
	p->cgroup_id = e->hdr.cgroup_id;
	memcpy(p->comm, e->comm, sizeof(p->comm));
	p->comm[sizeof(p->comm) - 1] = 0;
	set_strings(p, vg_event_exe(ev)[0] ? vg_event_exe(ev) : NULL, ev->str2, ev->args_len,
		    ev->argc);
	p->args_truncated = e->exec_flags & VIGIL_EXEC_ARGS_TRUNC;
	p->flags &= ~(VG_PROC_SETUP | VG_PROC_SNAPSHOT);
	if (e->hdr.flags & VIGIL_F_SETUP)
		p->flags |= VG_PROC_SETUP;
	if (e->hdr.flags & VIGIL_F_SNAPSHOT)
		p->flags |= VG_PROC_SNAPSHOT;
}

static struct proc_node *apply_fork(struct vg_proctab *t, const struct vg_event *ev)
{
	const struct vigil_fork *f = ev->fork;
	struct proc_node *parent, *child;

	child = insert(t, f->child_pid, f->child_start_time);
	if (!child)
		return NULL;
	/* looked up after the insert, which may have reaped or replaced it */
	parent = find(t, f->hdr.pid);
	if (parent && (parent->p.start_time != f->parent_start_time || parent == child))
		parent = NULL;
	if (parent) {
		struct vg_process *c = &child->p, *p = &parent->p;

		c->uid = p->uid;
		c->euid = p->euid;
		c->gid = p->gid;
		c->egid = p->egid;
		memcpy(c->comm, p->comm, sizeof(c->comm));
		set_strings(c, p->exe, p->args, p->args_len, p->argc);
		c->args_truncated = p->args_truncated;
	}
	child->p.vpid = f->child_vpid;
	child->p.ppid = f->hdr.pid;
	child->p.parent_start_time = f->parent_start_time;
	child->p.cgroup_id = f->hdr.cgroup_id;
	/* a repeated fork record must not revive a child already on the exited list */
	child->p.flags = (child->p.flags & VG_PROC_EXITED) |
			 (f->hdr.flags & VIGIL_F_SETUP ? VG_PROC_SETUP : 0);
	return parent;
}

static void apply_setid(struct proc_node *n, const struct vg_event *ev)
{
	const struct vigil_setid *s = ev->setid;

	if (s->ret != 0)
		return;
	if (s->hdr.type == VIGIL_EVENT_SETUID) {
		n->p.uid = s->new_ids[0];
		n->p.euid = s->new_ids[1];
	} else {
		n->p.gid = s->new_ids[0];
		n->p.egid = s->new_ids[1];
	}
}

const struct vg_process *vg_proctab_apply(struct vg_proctab *t, const struct vg_event *ev)
{
	const struct vigil_event_header *h = ev->hdr;
	struct proc_node *n;

	switch (h->type) {
	case VIGIL_EVENT_EXEC:
		n = insert(t, h->pid, ev->exec->start_time);
		if (n)
			apply_exec(n, ev);
		return n ? &n->p : NULL;
	case VIGIL_EVENT_FORK:
		n = apply_fork(t, ev);
		return n ? &n->p : NULL;
	case VIGIL_EVENT_EXIT:
		n = find(t, h->pid);
		if (!n || n->p.start_time != ev->exit->start_time)
			return NULL; /* the entry is another process that had this pid */
		if (!(n->p.flags & VG_PROC_EXITED))
			mark_exited(t, n);
		return &n->p;
	case VIGIL_EVENT_SETUID:
	case VIGIL_EVENT_SETGID:
		n = find(t, h->pid);
		if (n)
			apply_setid(n, ev);
		return n ? &n->p : NULL;
	default:
		n = find(t, h->pid);
		return n ? &n->p : NULL;
	}
}

const struct vg_process *vg_proctab_get(const struct vg_proctab *t, __u32 pid)
{
	struct proc_node *n = find(t, pid);

	return n ? &n->p : NULL;
}

const struct vg_process *vg_proctab_parent(const struct vg_proctab *t, const struct vg_process *p)
{
	struct proc_node *n = find(t, p->ppid);

	if (!n || (p->parent_start_time && n->p.start_time != p->parent_start_time))
		return NULL;
	return &n->p;
}

size_t vg_proctab_count(const struct vg_proctab *t)
{
	return t->count;
}

void vg_proctab_for_each(const struct vg_proctab *t,
			 void (*fn)(void *ctx, const struct vg_process *p), void *ctx)
{
	for (size_t b = 0; b < NBUCKETS; b++)
		for (const struct proc_node *n = t->buckets[b]; n; n = n->next)
			fn(ctx, &n->p);
}

void vg_proctab_reap(struct vg_proctab *t)
{
	while (t->exited_head)
		unlink_node(t, t->exited_head);
}
