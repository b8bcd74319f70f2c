// SPDX-License-Identifier: GPL-2.0
/*
 * vigil profile: least-privilege settings from what containers did in a capture.
 *
 * The capture is read the way `vigil replay` reads it (process table, containers from their
 * metadata records, set-up work and host processes left out, rootfs decided the same way) and
 * each event that a rule looks at is turned into the value that rule would need allowed: so a
 * policy made from a capture is silent on that capture, and loud on anything new.
 */
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
#include "syscalls.h"

#define PATH_BUF 4096

static const char *const format_names[] = {
	[VG_PROFILE_COMPOSE] = "compose", [VG_PROFILE_DOCKER_RUN] = "docker-run",
	[VG_PROFILE_K8S] = "k8s",	  [VG_PROFILE_SECCOMP] = "seccomp",
	[VG_PROFILE_POLICY] = "policy",	  [VG_PROFILE_JSON] = "json",
};

int vg_profile_format_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(s, format_names[i]))
			return (int)i;
	return -1;
}

/* ---- value lists with their evidence ---- */

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

/* The item with this key, made (zeroed, key set) if new. NULL on ENOMEM. Valid until the next. */
static struct vg_profile_item *items_get(struct vg_profile_items *l, const char *key, bool *created)
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

static void items_clear(struct vg_profile_items *l)
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

/* Sorted by key for output: the index is rebuilt so that lookups keep working. */
static int items_sort(struct vg_profile_items *l)
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

static const char *program_of(const struct vg_event *ev, const struct vg_process *p)
{
	if (ev->hdr->type == VIGIL_EVENT_EXEC && ev->str1 && *ev->str1)
		return ev->str1;
	if (p && p->exe && *p->exe)
		return p->exe;
	if (p && p->comm[0])
		return p->comm;
	return "?";
}

static int evidence_add(struct vg_evidence *e, const struct vg_event *ev,
			const struct vg_process *p, size_t container)
{
	const char *program = program_of(ev, p);
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

/* ---- paths ---- */


/* ---- derivation ---- */

struct deriver {
	struct vg_profile_set *set;
	const struct vg_profile_opts *opts;
	struct vg_containers *containers;
	struct vg_proctab *procs;
	/*
	 * Captures of earlier builds hold a container's metadata record right after its first
	 * event, so when an event's container is not known yet, the next record may be the one
	 * that tells: the event waits (a copy) for one record.
	 */
	void *pending;
	size_t pending_len, pending_cap;
	bool has_pending;
	const struct vg_process *pending_proc;
	__u64 last_cgroup; /* the profile of the last event's cgroup, a cache */
	size_t last_profile;
	bool last_valid;
	int err;
};

static int remember_container(struct vg_profile_set *s, const struct vg_container *c)
{
	struct vg_container *grown;

	for (size_t i = 0; i < s->n_seen; i++)
		if (!strcmp(s->seen[i].id, c->id))
			return 0;
	grown = realloc(s->seen, (s->n_seen + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	s->seen = grown;
	if (vg_container_copy(&s->seen[s->n_seen], c))
		return -ENOMEM;
	s->n_seen++;
	return 0;
}

static bool by_image(const struct deriver *d, const struct vg_container *c)
{
	return d->opts->by == VG_PROFILE_BY_IMAGE && c->image && *c->image;
}

/* The profile c's behaviour goes to (made on first sight); NULL on ENOMEM. */
static struct vg_profile *profile_of(struct deriver *d, const struct vg_container *c,
				     size_t *container)
{
	struct vg_profile_set *s = d->set;
	struct vg_profile *p = NULL, *grown;
	size_t i;

	if (d->last_valid && d->last_cgroup == c->cgroup_id) {
		p = &s->v[d->last_profile];
	} else {
		for (i = 0; i < s->n && !p; i++) {
			struct vg_profile *q = &s->v[i];

			if (by_image(d, c) ? q->image && !strcmp(q->image, c->image) &&
						     by_image(d, &q->containers[0])
					   : !strcmp(q->containers[0].id, c->id))
				p = q;
		}
		if (!p) {
			grown = realloc(s->v, (s->n + 1) * sizeof(*grown));
			if (!grown)
				return NULL;
			s->v = grown;
			p = &s->v[s->n];
			memset(p, 0, sizeof(*p));
			if (by_image(d, c))
				p->name = strdup(c->image);
			else if (c->name && *c->name)
				p->name = strdup(c->name);
			else
				p->name = strndup(c->id, 12);
			p->image = c->image ? strdup(c->image) : NULL;
			if (!p->name || (c->image && !p->image)) {
				free(p->name);
				free(p->image);
				return NULL;
			}
			s->n++;
		}
		d->last_cgroup = c->cgroup_id;
		d->last_profile = (size_t)(p - s->v);
		d->last_valid = true;
	}
	for (i = 0; i < p->n_containers && strcmp(p->containers[i].id, c->id); i++)
		;
	if (i == p->n_containers) {
		struct vg_container *more =
			realloc(p->containers, (p->n_containers + 1) * sizeof(*more));

		if (!more)
			return NULL;
		p->containers = more;
		if (vg_container_copy(&p->containers[i], c))
			return NULL;
		p->n_containers++;
	}
	*container = i;
	return p;
}

static int add_user(struct vg_profile *p, const struct vg_event *ev, const struct vg_process *proc,
		    size_t container)
{
	const struct vigil_exec *e = ev->exec;
	struct vg_profile_item *it;
	char key[64];
	bool created;

	snprintf(key, sizeof(key), "%u/%u/%u/%u", e->uid, e->euid, e->gid, e->egid);
	it = items_get(&p->users, key, &created);
	if (!it)
		return -ENOMEM;
	if (created) {
		it->uid = e->uid;
		it->euid = e->euid;
		it->gid = e->gid;
		it->egid = e->egid;
	}
	/* the program a container starts with sets its user: pid 1 where seen */
	if (!p->entry_is_init && (e->vpid == 1 || !p->entry_known)) {
		p->entry_known = true;
		p->entry_is_init = e->vpid == 1;
		p->entry_uid = e->uid;
		p->entry_gid = e->gid;
	}
	return evidence_add(&it->ev, ev, proc, container);
}

static int add_privilege(struct vg_profile *p, const struct vg_event *ev,
			 const struct vg_process *proc, size_t container,
			 enum vg_privilege_kind kind, unsigned int syscall, bool escalation,
			 const char *key)
{
	struct vg_profile_item *it;
	bool created;

	it = items_get(&p->privilege, key, &created);
	if (!it)
		return -ENOMEM;
	it->kind = kind;
	it->number = syscall;
	it->escalation |= escalation;
	return evidence_add(&it->ev, ev, proc, container);
}

static bool any_zero(const __u32 *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == 0)
			return true;
	return false;
}

/* As rule_setid decides a call is escalation (rules.c), policy aside. */
static bool setid_escalates(const struct vg_event *ev)
{
	const struct vigil_setid *s = ev->setid;
	bool gid_family = ev->hdr->type == VIGIL_EVENT_SETGID;
	bool fs_call = s->syscall == VIGIL_SYS_SETFSUID || s->syscall == VIGIL_SYS_SETFSGID;

	if (!fs_call && s->ret != 0)
		return false;
	if (any_zero(s->old_ids, 4) || !any_zero(s->new_ids, 4))
		return false;
	return !(gid_family && (s->uid == 0 || s->euid == 0));
}

static int add_exec(struct vg_profile *p, const struct vg_event *ev, const struct vg_process *proc,
		    size_t container)
{
	const struct vigil_exec *e = ev->exec;
	char key[VIGIL_EXE_MAX + 8];
	int rc = add_user(p, ev, proc, container);

	/* what rule_drift_exec calls drift: the policy allows it by path, or allow_drift */
	if (!rc && ev->has_file &&
	    (ev->file.origin == VIGIL_ORIGIN_UPPER || ev->file.origin == VIGIL_ORIGIN_MOUNT ||
	     ev->file.origin == VIGIL_ORIGIN_NONAME)) {
		bool created;
		struct vg_profile_item *it =
			items_get(&p->drifts,
				  ev->file.origin == VIGIL_ORIGIN_NONAME ||
						  (ev->path_flags & VIGIL_PATH_TRUNC)
					  ? "memory"
					  : vg_event_exe(ev),
				  &created);

		if (!it)
			return -ENOMEM;
		rc = evidence_add(&it->ev, ev, proc, container);
	}
	if (rc || !(e->exec_flags & VIGIL_EXEC_SECUREEXEC))
		return rc;
	/* no-new-privileges stops every such exec; the rule calls only uid -> euid 0 escalation */
	snprintf(key, sizeof(key), "exec %s", program_of(ev, proc));
	return add_privilege(p, ev, proc, container, VG_PRIV_SECURE_EXEC, 0,
			     e->uid != 0 && e->euid == 0, key);
}

static int add_capability(struct vg_profile *p, const struct vg_event *ev,
			  const struct vg_process *proc, size_t container)
{
	const struct vigil_capable *cp = ev->capable;
	struct vg_profile_item *it;
	const char *name;
	char key[32];
	bool created;

	/* what rule_capability counts as use */
	if (cp->ret != 0 || !(cp->cap_flags & VIGIL_CAP_AUDITED) ||
	    (cp->cap_flags & VIGIL_CAP_NOISE))
		return 0;
	name = vg_cap_name(cp->cap);
	if (name)
		snprintf(key, sizeof(key), "%s", name);
	else
		snprintf(key, sizeof(key), "CAP_%u", cp->cap);
	it = items_get(&p->capabilities, key, &created);
	if (!it)
		return -ENOMEM;
	it->number = cp->cap;
	return evidence_add(&it->ev, ev, proc, container);
}

static int add_mount(struct vg_profile *p, const struct vg_event *ev, const struct vg_process *proc,
		     size_t container)
{
	const struct vigil_mount *m = ev->mount;
	struct vg_profile_item *it;
	char key[3 * VIGIL_MNT_STR_MAX + 32];
	bool created;

	snprintf(key, sizeof(key), "%s %s %s %s", vg_mount_syscall_name(m->syscall),
		 *ev->str1 ? ev->str1 : "-", *ev->str2 ? ev->str2 : "-",
		 *ev->str3 ? ev->str3 : "-");
	it = items_get(&p->mounts, key, &created);
	if (!it)
		return -ENOMEM;
	if (created) {
		it->number = m->syscall;
		it->source = strdup(ev->str1);
		it->target = strdup(ev->str2);
		it->fstype = strdup(ev->str3);
		if (!it->source || !it->target || !it->fstype)
			return -ENOMEM;
	}
	return evidence_add(&it->ev, ev, proc, container);
}

static const __u8 v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int add_connect(struct vg_profile *p, const struct vg_event *ev,
		       const struct vg_process *proc, size_t container)
{
	const struct vigil_connect *cn = ev->connect;
	bool ok = cn->ret == 0 || cn->ret == -EINPROGRESS;
	char key[VIGIL_UNIX_PATH_MAX + INET6_ADDRSTRLEN + 16], addr[INET6_ADDRSTRLEN];
	struct vg_profile_item *it;
	__u8 bytes[16] = {};
	int family;
	bool created;

	if (cn->family == VIGIL_AF_UNIX) {
		if (!ev->str1 || !*ev->str1)
			return 0;
		/* named as rule_unix_connect names it: abstract as "@name" */
		snprintf(key, sizeof(key), "%s%s",
			 (cn->connect_flags & VIGIL_CONNECT_ABSTRACT) && ev->str1[0] != '@' ? "@"
											    : "",
			 ev->str1);
		it = items_get(&p->sockets, key, &created);
		if (!it)
			return -ENOMEM;
		it->succeeded |= ok;
		it->runtime_socket |= !!(cn->connect_flags & VIGIL_CONNECT_RUNTIME_SOCKET);
		return evidence_add(&it->ev, ev, proc, container);
	}
	if (cn->family == VIGIL_AF_PACKET)
		return 0; /* frames on an interface: no destination a profile can allow */
	/* ::ffff:a.b.c.d is IPv4 traffic: shown (and allowed) as IPv4 */
	if (cn->family == VIGIL_AF_INET6 && !memcmp(cn->addr, v4_mapped, 12)) {
		family = AF_INET;
		memcpy(bytes, cn->addr + 12, 4);
	} else {
		family = cn->family == VIGIL_AF_INET ? AF_INET : AF_INET6;
		memcpy(bytes, cn->addr, family == AF_INET ? 4 : 16);
	}
	if (!inet_ntop(family, bytes, addr, sizeof(addr)))
		return 0;
	snprintf(key, sizeof(key), family == AF_INET ? "%s:%u" : "[%s]:%u", addr, cn->port);
	it = items_get(&p->egress, key, &created);
	if (!it)
		return -ENOMEM;
	it->family = family;
	memcpy(it->addr, bytes, sizeof(bytes));
	it->port = cn->port;
	if (cn->protocol)
		it->protocols |= 1u << cn->protocol;
	/* a send reported before the call: the destination was used whatever the result */
	it->succeeded |= ok || (cn->connect_flags & VIGIL_CONNECT_BEFORE_CALL);
	return evidence_add(&it->ev, ev, proc, container);
}

static int add_written_path(struct vg_profile *p, const struct vg_event *ev,
			    const struct vg_process *proc, size_t container, const char *path)
{
	struct vg_profile_items *list = &p->writes;
	struct vg_profile_item *it;
	char norm[PATH_BUF];
	bool created;

	if (!path || !*path)
		return 0;
	if (path[0] != '/' || !vg_path_normalize(path, norm, sizeof(norm))) {
		/* which directory it is relative to is not recorded */
		list = &p->relative_writes;
		snprintf(norm, sizeof(norm), "%s", path);
	}
	it = items_get(list, norm, &created);
	if (!it)
		return -ENOMEM;
	it->ops |= 1u << ev->write->op;
	return evidence_add(&it->ev, ev, proc, container);
}

static int add_write(struct vg_profile *p, struct vg_event *ev, const struct vg_process *proc,
		     const struct vg_container *c, size_t container)
{
	int rc;

	/* what rule_rootfs_write looks at */
	vg_pipeline_resolve_rootfs(ev, c);
	if (ev->write->ret < 0 || ev->rootfs != VIGIL_ROOTFS_YES)
		return 0;
	rc = add_written_path(p, ev, proc, container, vg_event_write_path(ev));
	if (!rc && ev->write->op == VIGIL_WRITE_RENAME)
		rc = add_written_path(p, ev, proc, container, ev->str2);
	return rc;
}

static int attribute(struct deriver *d, struct vg_event *ev, const struct vg_process *proc)
{
	const struct vg_container *c = NULL;
	struct vg_profile *p;
	size_t container;
	bool is_new;

	if (ev->hdr->flags & VIGIL_F_CONTAINER)
		c = vg_containers_lookup(d->containers, ev->hdr->cgroup_id, &is_new);
	if (!c)
		return 0; /* a host process, or a container the capture never described */
	if (remember_container(d->set, c))
		return -ENOMEM;
	if (d->opts->container && !vg_container_matches(c, d->opts->container))
		return 0;
	/* the runtime's set-up work is not the container's behaviour (as in vg_rules_eval) */
	if ((ev->hdr->flags & VIGIL_F_SETUP) || (proc && (proc->flags & VG_PROC_SETUP))) {
		/* still a profile, if empty: a container that did nothing needs nothing */
		return profile_of(d, c, &container) ? 0 : -ENOMEM;
	}
	p = profile_of(d, c, &container);
	if (!p)
		return -ENOMEM;
	if (!p->events++ || ev->hdr->time_ns < p->first_ns)
		p->first_ns = ev->hdr->time_ns;
	if (ev->hdr->time_ns > p->last_ns)
		p->last_ns = ev->hdr->time_ns;
	switch (ev->hdr->type) {
	case VIGIL_EVENT_EXEC:
		return add_exec(p, ev, proc, container);
	case VIGIL_EVENT_SETUID:
	case VIGIL_EVENT_SETGID:
		if (!setid_escalates(ev))
			return 0;
		return add_privilege(p, ev, proc, container, VG_PRIV_SETID, ev->setid->syscall,
				     true, vg_setid_syscall_name(ev->setid->syscall));
	case VIGIL_EVENT_CAPABLE:
		return add_capability(p, ev, proc, container);
	case VIGIL_EVENT_MOUNT:
		return add_mount(p, ev, proc, container);
	case VIGIL_EVENT_CONNECT:
		return add_connect(p, ev, proc, container);
	case VIGIL_EVENT_WRITE:
		return add_write(p, ev, proc, c, container);
	default:
		return 0;
	}
}

static int flush_pending(struct deriver *d)
{
	struct vg_event ev;

	if (!d->has_pending)
		return 0;
	d->has_pending = false;
	if (vg_event_decode(d->pending, d->pending_len, &ev))
		return 0;
	return attribute(d, &ev, d->pending_proc);
}

static int on_event(struct deriver *d, const void *data, size_t len)
{
	const struct vg_process *proc;
	struct vg_event ev;
	bool is_new;

	if (vg_event_decode(data, len, &ev)) {
		d->set->malformed++;
		return 0;
	}
	proc = vg_proctab_apply(d->procs, &ev);
	if ((ev.hdr->flags & VIGIL_F_CONTAINER) &&
	    !vg_containers_lookup(d->containers, ev.hdr->cgroup_id, &is_new)) {
		if (len > d->pending_cap) {
			void *bigger = realloc(d->pending, len);

			if (!bigger)
				return -ENOMEM;
			d->pending = bigger;
			d->pending_cap = len;
		}
		memcpy(d->pending, data, len);
		d->pending_len = len;
		d->pending_proc = proc;
		d->has_pending = true;
		return 0;
	}
	return attribute(d, &ev, proc);
}

static int on_container(struct deriver *d, const void *data, size_t len)
{
	int rc = vg_containers_add_record(d->containers, data, len);

	/* the cache holds one container per cgroup: the profile cache may point elsewhere */
	d->last_valid = false;
	return rc == -EINVAL ? 0 : rc; /* not a container we can attribute to: skipped */
}

static void on_syscalls(struct deriver *d, const void *data, size_t len)
{
	const struct vg_container *c;
	struct vg_syscalls_record rec;
	struct vg_profile *p;
	size_t container;
	bool beyond, is_new;

	if (vg_syscalls_record_parse(data, len, &rec, &beyond)) {
		d->set->malformed++;
		return;
	}
	c = vg_containers_lookup(d->containers, rec.cgroup_id, &is_new);
	if (!c) {
		d->set->unattributed_syscalls++;
		return;
	}
	if (remember_container(d->set, c)) {
		d->err = -ENOMEM;
		return;
	}
	if (d->opts->container && !vg_container_matches(c, d->opts->container))
		return;
	p = profile_of(d, c, &container);
	if (!p) {
		d->err = -ENOMEM;
		return;
	}
	if (p->has_syscalls && rec.arch != p->syscall_arch) {
		p->mixed_arch = true;
		return;
	}
	p->has_syscalls = true;
	p->syscall_arch = rec.arch;
	p->syscall_records++;
	p->syscalls_beyond |= beyond;
	for (unsigned int nr = 0; nr < VIGIL_SYSCALL_BITS; nr++) {
		__u64 bit = 1ULL << (nr % 64);

		if (!(rec.bits[nr / 64] & bit))
			continue;
		if (!(p->syscalls[nr / 64] & bit) || rec.time_ns < p->syscall_first_ns[nr])
			p->syscall_first_ns[nr] = rec.time_ns;
		p->syscalls[nr / 64] |= bit;
	}
}

static void profile_clear(struct vg_profile *p)
{
	free(p->name);
	free(p->image);
	for (size_t i = 0; i < p->n_containers; i++)
		vg_container_clear(&p->containers[i]);
	free(p->containers);
	items_clear(&p->users);
	items_clear(&p->capabilities);
	items_clear(&p->writes);
	items_clear(&p->relative_writes);
	items_clear(&p->privilege);
	items_clear(&p->mounts);
	items_clear(&p->drifts);
	items_clear(&p->sockets);
	items_clear(&p->egress);
}

void vg_profile_set_free(struct vg_profile_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		profile_clear(&s->v[i]);
	free(s->v);
	for (size_t i = 0; i < s->n_seen; i++)
		vg_container_clear(&s->seen[i]);
	free(s->seen);
	free(s->file);
	free(s);
}

static int sort_profile(struct vg_profile *p)
{
	struct vg_profile_items *lists[] = {&p->users,		 &p->capabilities, &p->writes,
					    &p->relative_writes, &p->privilege,	   &p->mounts,
					    &p->sockets,	 &p->egress,	   &p->drifts};

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (items_sort(lists[i]))
			return -ENOMEM;
	return 0;
}

int vg_profile_derive(struct vg_capture_reader *r, const char *file,
		      const struct vg_profile_opts *o, struct vg_profile_set **out)
{
	struct vg_container_paths offline = {NULL, NULL};
	struct deriver d = {.opts = o};
	unsigned int type;
	const void *data;
	size_t len;
	int rc;

	*out = NULL;
	d.set = calloc(1, sizeof(*d.set));
	d.containers = vg_containers_new(&offline);
	d.procs = vg_proctab_new(0);
	if (!d.set || !d.containers || !d.procs || !(d.set->file = strdup(file))) {
		rc = -ENOMEM;
		goto out;
	}
	d.set->info = *vg_capture_info(r);
	d.set->by = o->by;
	while ((rc = vg_capture_next(r, &type, &data, &len)) > 0) {
		d.set->records++;
		if (type == VG_REC_CONTAINER) {
			d.err = on_container(&d, data, len);
			if (!d.err)
				d.err = flush_pending(&d);
		} else {
			d.err = flush_pending(&d);
			if (d.err)
				break;
			if (type == VG_REC_EVENT)
				d.err = on_event(&d, data, len);
			else if (type == VG_REC_SYSCALLS)
				on_syscalls(&d, data, len);
			else if (type == VG_REC_LOSS && len == VIGIL_COUNTERS * sizeof(__u64)) {
				const __u64 *totals = data;

				/* running totals: the last record has them all */
				d.set->lost = 0;
				for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
					d.set->lost += totals[t];
			}
		}
		if (d.err)
			break;
		/* exited processes go once nothing refers to them (as replay reaps per record) */
		if (!d.has_pending)
			vg_proctab_reap(d.procs);
	}
	if (!rc && !d.err)
		d.err = flush_pending(&d);
	if (!rc)
		rc = d.err;
	for (size_t i = 0; !rc && i < d.set->n; i++)
		rc = sort_profile(&d.set->v[i]);
out:
	vg_proctab_free(d.procs);
	vg_containers_free(d.containers);
	free(d.pending);
	if (rc) {
		vg_profile_set_free(d.set);
		return rc;
	}
	*out = d.set;
	return 0;
}

/* ---- what a profile implies ---- */

static bool profile_runs_as_root(const struct vg_profile *p)
{
	for (size_t i = 0; i < p->users.n; i++)
		if (p->users.v[i].euid == 0)
			return true;
	return false;
}

static bool profile_escalates(const struct vg_profile *p)
{
	for (size_t i = 0; i < p->privilege.n; i++)
		if (p->privilege.v[i].escalation)
			return true;
	return false;
}

static __u64 profile_cap_mask(const struct vg_profile *p)
{
	__u64 mask = 0;

	for (size_t i = 0; i < p->capabilities.n; i++)
		if (p->capabilities.v[i].number < 64)
			mask |= 1ULL << p->capabilities.v[i].number;
	return mask;
}

/*
 * Directories a tmpfs would hide the image's own files in: the root, the top of /var, /opt ...,
 * and anything in the system's program and configuration trees.
 */
static bool tmpfs_hides_image(const char *dir)
{
	static const char *const exactly[] = {"/", "/var", "/opt", "/home", "/root", "/srv"};
	static const char *const trees[] = {"/bin",   "/boot",	 "/etc",  "/lib", "/lib32",
					    "/lib64", "/libx32", "/sbin", "/usr"};

	for (size_t i = 0; i < sizeof(exactly) / sizeof(exactly[0]); i++)
		if (!strcmp(dir, exactly[i]))
			return true;
	for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++)
		if (vg_path_under(dir, trees[i]))
			return true;
	return false;
}

/* For a read-only root filesystem: where a tmpfs goes, and the writes no tmpfs can take. */
struct rootfs_plan {
	char **tmpfs; /* sorted, none under another */
	size_t n_tmpfs;
	const char **blocked; /* keys of the writes that keep the root filesystem writable */
	size_t n_blocked;
};

static void plan_free(struct rootfs_plan *pl)
{
	for (size_t i = 0; i < pl->n_tmpfs; i++)
		free(pl->tmpfs[i]);
	free(pl->tmpfs);
	free(pl->blocked);
	memset(pl, 0, sizeof(*pl));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A tmpfs over the directory a file is written in (over the directory itself for one that was
 * created: the runtime makes the mount point), unless that would hide the image's files.
 */
static int plan_rootfs(const struct vg_profile *p, struct rootfs_plan *pl)
{
	size_t n = p->writes.n + p->relative_writes.n, kept = 0;

	memset(pl, 0, sizeof(*pl));
	pl->tmpfs = calloc(n + 1, sizeof(*pl->tmpfs));
	pl->blocked = calloc(n + 1, sizeof(*pl->blocked));
	if (!pl->tmpfs || !pl->blocked)
		goto oom;
	for (size_t i = 0; i < p->relative_writes.n; i++)
		pl->blocked[pl->n_blocked++] = p->relative_writes.v[i].key;
	for (size_t i = 0; i < p->writes.n; i++) {
		const struct vg_profile_item *w = &p->writes.v[i];
		char *dir = strdup(w->key), *slash;

		if (!dir)
			goto oom;
		if (w->ops != 1u << VIGIL_WRITE_MKDIR) {
			slash = strrchr(dir, '/');
			if (slash == dir)
				slash[1] = 0;
			else if (slash)
				*slash = 0;
		}
		if (tmpfs_hides_image(dir)) {
			pl->blocked[pl->n_blocked++] = w->key;
			free(dir);
			continue;
		}
		pl->tmpfs[pl->n_tmpfs++] = dir;
	}
	qsort(pl->tmpfs, pl->n_tmpfs, sizeof(*pl->tmpfs), cmp_str);
	/* sorted, a directory comes before what lies under it */
	for (size_t i = 0; i < pl->n_tmpfs; i++) {
		if (kept && vg_path_under(pl->tmpfs[i], pl->tmpfs[kept - 1])) {
			free(pl->tmpfs[i]);
			continue;
		}
		pl->tmpfs[kept++] = pl->tmpfs[i];
	}
	pl->n_tmpfs = kept;
	return 0;
oom:
	plan_free(pl);
	return -ENOMEM;
}

/* ---- the policy ---- */

/* fnmatch treats *?[\ specially: an exact match escapes them. */
static char *glob_escape(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (strchr("*?[]\\", *s))
			*o++ = '\\';
		*o++ = *s;
	}
	*o = 0;
	return out;
}

static int push_str(char ***v, size_t *n, const char *s)
{
	char **grown = realloc(*v, (*n + 1) * sizeof(**v));

	if (!grown)
		return -ENOMEM;
	*v = grown;
	grown[*n] = strdup(s);
	if (!grown[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

/* Is the container's name used by no other container of the capture? */
static bool name_unique(const struct vg_profile_set *s, const struct vg_container *c)
{
	for (size_t i = 0; i < s->n_seen; i++)
		if (strcmp(s->seen[i].id, c->id) && s->seen[i].name &&
		    !strcmp(s->seen[i].name, c->name))
			return false;
	return true;
}

/*
 * An entry matches its profile's containers and nothing else in the capture: an image for a
 * merged profile, name and image where the name is the container's alone (it outlives the id
 * when the container is made again), else the id.
 */
static int entry_match(const struct vg_profile_set *s, const struct vg_profile *p,
		       struct vg_policy_match *m)
{
	const struct vg_container *c = &p->containers[0];

	if (s->by == VG_PROFILE_BY_IMAGE && c->image && *c->image) {
		m->image = glob_escape(c->image);
		return m->image ? 0 : -ENOMEM;
	}
	if (c->name && *c->name && name_unique(s, c)) {
		m->name = glob_escape(c->name);
		if (!m->name)
			return -ENOMEM;
		if (c->image && *c->image) {
			m->image = glob_escape(c->image);
			if (!m->image)
				return -ENOMEM;
		}
		return 0;
	}
	m->id = glob_escape(c->id);
	return m->id ? 0 : -ENOMEM;
}

static int fill_entry(const struct vg_profile_set *s, const struct vg_profile *p,
		      const struct vg_policy_entry *def, struct vg_policy_entry *e)
{
	struct vg_policy_entry one = {};
	char *pattern[1];

	if (entry_match(s, p, &e->match))
		return -ENOMEM;
	e->allow_root = profile_runs_as_root(p);
	e->allow_mount = p->mounts.n > 0;
	e->allow_privilege_escalation = profile_escalates(p);
	e->allowed_capabilities = profile_cap_mask(p);
	/* the defaults' writable paths, then each path written outside them (sorted: parents first)
	 */
	for (size_t i = 0; i < def->n_writable_paths; i++)
		if (push_str(&e->writable_paths, &e->n_writable_paths, def->writable_paths[i]))
			return -ENOMEM;
	for (size_t i = 0; i < p->writes.n; i++) {
		const char *path = p->writes.v[i].key;

		if (!vg_policy_path_writable(e, path) &&
		    push_str(&e->writable_paths, &e->n_writable_paths, path))
			return -ENOMEM;
	}
	/* drift seen: by path where it had one, else (memory, deleted) only allow_drift covers it */
	for (size_t i = 0; i < p->drifts.n; i++) {
		const char *path = p->drifts.v[i].key;

		if (path[0] != '/')
			e->allow_drift = true;
		else if (!vg_policy_drift_allowed(e, path) &&
			 push_str(&e->drift_allowed_paths, &e->n_drift_allowed_paths, path))
			return -ENOMEM;
	}
	if (p->egress.n) {
		e->allowed_egress = calloc(p->egress.n, sizeof(*e->allowed_egress));
		if (!e->allowed_egress)
			return -ENOMEM;
	}
	for (size_t i = 0; i < p->egress.n; i++) {
		const struct vg_profile_item *it = &p->egress.v[i];
		struct vg_egress *g = &e->allowed_egress[e->n_allowed_egress++];

		g->family = it->family;
		memcpy(g->addr, it->addr, sizeof(g->addr));
		g->prefix = it->family == AF_INET ? 32 : 128;
		g->port_lo = g->port_hi = it->port;
	}
	/*
	 * The sensitive sockets stay, but for those the container did connect to; one that
	 * reached a runtime socket by identity (whatever its name) is allowed by listing none.
	 */
	one.sensitive_sockets = pattern;
	one.n_sensitive_sockets = 1;
	for (size_t k = 0; k < p->sockets.n; k++)
		if (p->sockets.v[k].runtime_socket)
			return 0;
	for (size_t i = 0; i < def->n_sensitive_sockets; i++) {
		bool used = false;

		pattern[0] = def->sensitive_sockets[i];
		for (size_t k = 0; k < p->sockets.n && !used; k++)
			used = vg_policy_socket_sensitive(&one, p->sockets.v[k].key);
		if (!used && push_str(&e->sensitive_sockets, &e->n_sensitive_sockets, pattern[0]))
			return -ENOMEM;
	}
	return 0;
}

struct vg_policy *vg_profile_policy(const struct vg_profile_set *s)
{
	struct vg_policy *policy = vg_policy_builtin();

	if (!s->n)
		return policy;
	policy->containers = calloc(s->n, sizeof(*policy->containers));
	if (!policy->containers)
		goto fail;
	for (size_t i = 0; i < s->n; i++) {
		policy->n_containers = i + 1; /* so that a failure frees what was built */
		if (fill_entry(s, &s->v[i], &policy->def, &policy->containers[i]))
			goto fail;
	}
	return policy;
fail:
	vg_policy_free(policy);
	return NULL;
}

/* ---- writing: shared ---- */

/* A string as a YAML double-quoted scalar, ASCII only: anything else is escaped. */
static void yaml_str(FILE *f, const char *s)
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
static void comment_str(FILE *f, const char *s)
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
static char **unique_names(const struct vg_profile_set *s, bool dns)
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

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

static void header_comment(FILE *f, const struct vg_profile_set *s)
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
static const char *cap_short(const char *name)
{
	return strncmp(name, "CAP_", 4) ? name : name + 4;
}

static const char *first_program(const struct vg_evidence *e)
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
		comment_str(f, first_program(&items->v[i].ev));
		fputc('\n', f);
	}
}

/* The egress, sockets and mounts seen, as comment lines (formats that cannot express them). */
static void seen_comments(FILE *f, const struct vg_profile *p, const char *indent)
{
	if (p->egress.n) {
		fprintf(f, "%s# egress seen:\n", indent);
		for (size_t i = 0; i < p->egress.n; i++) {
			fprintf(f, "%s#   %s%s%s by ", indent, p->egress.v[i].key,
				p->egress.v[i].protocols & (1u << VIGIL_PROTO_TCP) ? " tcp" : "",
				p->egress.v[i].protocols & (1u << VIGIL_PROTO_UDP) ? " udp" : "");
			comment_str(f, first_program(&p->egress.v[i].ev));
			fprintf(f, "%s\n", p->egress.v[i].succeeded ? "" : " (failed)");
		}
	} else {
		fprintf(f, "%s# no network connection seen\n", indent);
	}
	items_comments(f, &p->sockets, indent, "unix socket connected to");
	items_comments(f, &p->mounts, indent, "mount seen");
	items_comments(f, &p->privilege, indent, "privilege change seen");
}

static void blocked_comments(FILE *f, const struct rootfs_plan *pl, const char *indent)
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

static void root_comment(FILE *f, const struct vg_profile *p, const char *indent)
{
	for (size_t i = 0; i < p->users.n; i++) {
		const struct vg_profile_item *u = &p->users.v[i];

		if (u->euid != 0)
			continue;
		fprintf(f, "%s# runs as root (euid 0: ", indent);
		comment_str(f, first_program(&u->ev));
		fputs("): no non-root user can be set\n", f);
		return;
	}
}

/* No program started in the capture (all predate it, unseen): what user it runs as is unknown. */
static const char unknown_user[] = "# no program start seen: the user it runs as is unknown\n";

/* ---- compose ---- */

static void write_compose(FILE *f, const struct vg_profile_set *s, char **names)
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
				fprintf(f, "      - %s  # ", cap_short(p->capabilities.v[k].key));
				comment_str(f, first_program(&p->capabilities.v[k].ev));
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

static void write_docker_run(FILE *f, const struct vg_profile_set *s, char **names)
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
			fprintf(f, " --cap-add %s", cap_short(p->capabilities.v[k].key));
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

/* ---- Kubernetes ---- */

static void k8s_security_context(FILE *f, const struct vg_profile *p, const struct rootfs_plan *pl)
{
	bool root = profile_runs_as_root(p), sys_admin = false;

	fputs("      securityContext:\n", f);
	if (root) {
		root_comment(f, p, "        ");
		fputs("        runAsNonRoot: false\n", f);
	} else if (p->entry_known) {
		fprintf(f,
			"        runAsNonRoot: true\n        runAsUser: %u\n        runAsGroup: "
			"%u\n",
			p->entry_uid, p->entry_gid);
	} else {
		fprintf(f, "        %s", unknown_user);
	}
	blocked_comments(f, pl, "        ");
	fprintf(f, "        readOnlyRootFilesystem: %s\n", pl->n_blocked ? "false" : "true");
	for (size_t k = 0; k < p->capabilities.n; k++)
		sys_admin |= p->capabilities.v[k].number == 21; /* CAP_SYS_ADMIN */
	/* the API server refuses allowPrivilegeEscalation false with CAP_SYS_ADMIN added */
	if (sys_admin && !p->privilege.n)
		fputs("        # CAP_SYS_ADMIN is used: Kubernetes then requires "
		      "allowPrivilegeEscalation\n",
		      f);
	fprintf(f, "        allowPrivilegeEscalation: %s\n",
		p->privilege.n || sys_admin ? "true" : "false");
	fputs("        capabilities:\n          drop: [\"ALL\"]\n", f);
	if (p->capabilities.n) {
		fputs("          add:\n", f);
		for (size_t k = 0; k < p->capabilities.n; k++) {
			fprintf(f, "            - \"%s\"  # ", cap_short(p->capabilities.v[k].key));
			comment_str(f, first_program(&p->capabilities.v[k].ev));
			fputc('\n', f);
		}
	}
}

static void k8s_network_policy(FILE *f, const struct vg_profile *p, const char *name)
{
	fprintf(f,
		"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n"
		"  name: %s-egress\nspec:\n  podSelector:\n    matchLabels:\n"
		"      app.kubernetes.io/name: %s\n  policyTypes: [\"Egress\"]\n",
		name, name);
	if (!p->egress.n) {
		fputs("  # no network connection seen: all egress denied\n  egress: []\n", f);
		return;
	}
	fputs("  # each port over the protocols seen (TCP and UDP where a capture did not say)\n"
	      "  egress:\n",
	      f);
	for (size_t i = 0; i < p->egress.n; i++) {
		const struct vg_profile_item *it = &p->egress.v[i];
		char addr[INET6_ADDRSTRLEN];

		if (!inet_ntop(it->family, it->addr, addr, sizeof(addr)))
			continue;
		fputs("    # by ", f);
		comment_str(f, first_program(&it->ev));
		fprintf(f, "%s\n    - to:\n        - ipBlock:\n            cidr: \"%s/%u\"\n",
			it->succeeded ? "" : " (failed)", addr, it->family == AF_INET ? 32 : 128);
		bool tcp = it->protocols & (1u << VIGIL_PROTO_TCP);
		bool udp = it->protocols & (1u << VIGIL_PROTO_UDP);

		if (!tcp && !udp) /* not recorded (older captures): either */
			tcp = udp = true;
		fputs("      ports:\n", f);
		if (tcp)
			fprintf(f, "        - protocol: TCP\n          port: %u\n", it->port);
		if (udp)
			fprintf(f, "        - protocol: UDP\n          port: %u\n", it->port);
	}
}

static void write_k8s(FILE *f, const struct vg_profile_set *s, char **names)
{
	header_comment(f, s);
	for (size_t i = 0; i < s->n; i++) {
		const struct vg_profile *p = &s->v[i];
		struct rootfs_plan pl;

		if (plan_rootfs(p, &pl))
			continue;
		fprintf(f,
			"---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  labels:\n"
			"    app.kubernetes.io/name: %s\nspec:\n  containers:\n    - name: %s\n",
			names[i], names[i], names[i]);
		fputs("      image: ", f);
		yaml_str(f, p->image ? p->image : "IMAGE");
		fputc('\n', f);
		k8s_security_context(f, p, &pl);
		seen_comments(f, p, "      ");
		if (!pl.n_blocked && pl.n_tmpfs) {
			fputs("      volumeMounts:\n", f);
			for (size_t k = 0; k < pl.n_tmpfs; k++) {
				fprintf(f, "        - name: tmp-%zu\n          mountPath: ", k);
				yaml_str(f, pl.tmpfs[k]);
				fputc('\n', f);
			}
			fputs("  volumes:\n", f);
			for (size_t k = 0; k < pl.n_tmpfs; k++)
				fprintf(f,
					"    - name: tmp-%zu\n      emptyDir:\n"
					"        medium: Memory\n",
					k);
		}
		k8s_network_policy(f, p, names[i]);
		plan_free(&pl);
	}
}

/* ---- JSON (and seccomp, policy) ---- */


/* "key": null (json-c's null is the NULL object, which vg_json_add() takes for a failure) */
static int add_null(struct json_object *obj, const char *key)
{
	return json_object_object_add(obj, key, NULL) ? -ENOMEM : 0;
}

static int push(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *jstr(const char *s)
{
	return vg_json_string_len(s, strlen(s));
}

static struct json_object *jtime(const struct vg_profile_set *s, __u64 boot_ns)
{
	char buf[48];

	vg_format_time(boot_ns, s->info.boot_time_ns, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static struct json_object *evidence_json(const struct vg_profile_set *s, const struct vg_profile *p,
					 const struct vg_evidence *e)
{
	struct json_object *obj = json_object_new_object(), *programs, *first, *ids;
	int rc;

	if (!obj)
		return NULL;
	programs = json_object_new_array();
	for (size_t i = 0; programs && i < e->n_programs; i++)
		if (push(programs, jstr(e->programs[i]))) {
			json_object_put(programs);
			programs = NULL;
		}
	first = json_object_new_object();
	rc = vg_json_add(obj, "count", json_object_new_uint64(e->count)) ||
	     vg_json_add(obj, "first", jtime(s, e->first_ns)) || vg_json_add(obj, "last", jtime(s, e->last_ns)) ||
	     vg_json_add(obj, "programs", programs);
	if (!rc && e->more_programs)
		rc = vg_json_add(obj, "more_programs", json_object_new_boolean(true));
	if (!rc && first) {
		rc = vg_json_add(first, "pid", json_object_new_uint64(e->first_pid)) ||
		     (e->first_command && vg_json_add(first, "command", jstr(e->first_command)));
		if (!rc)
			rc = vg_json_add(obj, "first_event", first);
		first = NULL;
	}
	json_object_put(first);
	if (!rc && p->n_containers > 1) {
		ids = json_object_new_array();
		for (size_t i = 0; ids && i < e->n_containers; i++)
			if (push(ids, json_object_new_string(p->containers[e->containers[i]].id))) {
				json_object_put(ids);
				ids = NULL;
			}
		rc = vg_json_add(obj, "containers", ids);
	}
	if (rc) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* One value of a list as an object: its own fields, then "evidence". */
typedef int (*item_fields_fn)(struct json_object *obj, const struct vg_profile_item *it);

static struct json_object *items_json(const struct vg_profile_set *s, const struct vg_profile *p,
				      const struct vg_profile_items *l, item_fields_fn fields)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < l->n; i++) {
		struct json_object *obj = json_object_new_object();

		if (!obj || fields(obj, &l->v[i]) ||
		    vg_json_add(obj, "evidence", evidence_json(s, p, &l->v[i].ev)) || push(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static int user_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "uid", json_object_new_uint64(it->uid)) ||
	       vg_json_add(o, "euid", json_object_new_uint64(it->euid)) ||
	       vg_json_add(o, "gid", json_object_new_uint64(it->gid)) ||
	       vg_json_add(o, "egid", json_object_new_uint64(it->egid));
}

static int cap_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "name", jstr(it->key)) || vg_json_add(o, "number", json_object_new_int(it->number));
}

static int write_fields(struct json_object *o, const struct vg_profile_item *it)
{
	struct json_object *ops = json_object_new_array();

	for (unsigned int op = 1; ops && op < VIGIL_WRITE_OP_MAX; op++)
		if ((it->ops >> op) & 1 && push(ops, json_object_new_string(vg_write_op_name(op)))) {
			json_object_put(ops);
			ops = NULL;
		}
	return vg_json_add(o, "path", jstr(it->key)) || vg_json_add(o, "ops", ops);
}

static int privilege_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "kind",
		   json_object_new_string(it->kind == VG_PRIV_SECURE_EXEC ? "secure_exec"
									  : "setid")) ||
	       vg_json_add(o, "what", jstr(it->key)) ||
	       vg_json_add(o, "escalation_to_root", json_object_new_boolean(it->escalation));
}

static int mount_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "syscall", json_object_new_string(vg_mount_syscall_name(it->number))) ||
	       vg_json_add(o, "source", jstr(it->source)) || vg_json_add(o, "target", jstr(it->target)) ||
	       vg_json_add(o, "fstype", jstr(it->fstype));
}

static int socket_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "path", jstr(it->key)) ||
	       vg_json_add(o, "connected", json_object_new_boolean(it->succeeded));
}

static struct json_object *protocol_list(unsigned int protocols)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 1; arr && i < VIGIL_PROTO_MAX; i++)
		if ((protocols & (1u << i)) &&
		    json_object_array_add(arr, json_object_new_string(vg_connect_protocol_name(i))))
			break;
	return arr;
}

static int egress_fields(struct json_object *o, const struct vg_profile_item *it)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	inet_ntop(it->family, it->addr, addr, sizeof(addr));
	return vg_json_add(o, "family", json_object_new_string(it->family == AF_INET ? "inet" : "inet6")) ||
	       vg_json_add(o, "address", json_object_new_string(addr)) ||
	       vg_json_add(o, "port", json_object_new_int(it->port)) ||
	       vg_json_add(o, "protocols", protocol_list(it->protocols)) ||
	       vg_json_add(o, "connected", json_object_new_boolean(it->succeeded));
}

static struct json_object *string_list(char *const *v, size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < n; i++)
		if (push(arr, jstr(v[i]))) {
			json_object_put(arr);
			return NULL;
		}
	return arr;
}

static struct json_object *syscalls_json(const struct vg_profile_set *s, const struct vg_profile *p)
{
	struct json_object *obj, *calls, *unnamed;
	const char *arch = vg_syscall_arch_name(p->syscall_arch);
	int rc;

	obj = json_object_new_object();
	calls = json_object_new_array();
	unnamed = json_object_new_array();
	if (!obj || !calls || !unnamed)
		goto fail;
	for (unsigned int nr = 0; nr < VIGIL_SYSCALL_BITS; nr++) {
		const char *name = vg_syscall_name(p->syscall_arch, nr);
		struct json_object *call;

		if (!((p->syscalls[nr / 64] >> (nr % 64)) & 1))
			continue;
		if (!name) {
			if (push(unnamed, json_object_new_int(nr)))
				goto fail;
			continue;
		}
		call = json_object_new_object();
		if (!call || vg_json_add(call, "name", json_object_new_string(name)) ||
		    vg_json_add(call, "number", json_object_new_int(nr)) ||
		    vg_json_add(call, "first_read", jtime(s, p->syscall_first_ns[nr])) ||
		    push(calls, call)) {
			json_object_put(call);
			goto fail;
		}
	}
	rc = (arch ? vg_json_add(obj, "arch", json_object_new_string(arch))
		   : add_null(obj, "arch")) ||
	     vg_json_add(obj, "records", json_object_new_uint64(p->syscall_records)) ||
	     vg_json_add(obj, "count",
		 json_object_new_int((int)json_object_array_length(calls) +
				     (int)json_object_array_length(unnamed)));
	if (rc || vg_json_add(obj, "calls", calls))
		goto fail_obj;
	calls = NULL;
	if (vg_json_add(obj, "unnamed", unnamed))
		goto fail_obj;
	return obj;
fail:
	json_object_put(calls);
fail_obj:
	json_object_put(unnamed);
	json_object_put(obj);
	return NULL;
}

static struct json_object *profile_json(const struct vg_profile_set *s, const struct vg_profile *p,
					const char *name)
{
	struct json_object *obj = json_object_new_object(), *containers, *user, *entry, *rootfs;
	struct rootfs_plan pl;
	const char **blocked;
	int rc;

	if (!obj || plan_rootfs(p, &pl)) {
		json_object_put(obj);
		return NULL;
	}
	containers = json_object_new_array();
	for (size_t i = 0; containers && i < p->n_containers; i++)
		if (push(containers, vg_container_to_json(&p->containers[i]))) {
			json_object_put(containers);
			containers = NULL;
		}
	user = json_object_new_object();
	entry = p->entry_known ? json_object_new_object() : NULL;
	if (entry && (vg_json_add(entry, "uid", json_object_new_uint64(p->entry_uid)) ||
		      vg_json_add(entry, "gid", json_object_new_uint64(p->entry_gid)))) {
		json_object_put(entry);
		entry = NULL;
	}
	rc = !user || (p->entry_known && !entry) ||
	     vg_json_add(user, "run_as_root", json_object_new_boolean(profile_runs_as_root(p)));
	if (!rc) {
		rc = entry ? vg_json_add(user, "entry", entry) : add_null(user, "entry");
		entry = NULL;
	}
	rc = rc || vg_json_add(user, "seen", items_json(s, p, &p->users, user_fields));
	json_object_put(entry);
	if (rc) {
		json_object_put(user);
		user = NULL;
	}
	rootfs = json_object_new_object();
	blocked = pl.blocked;
	rc = !rootfs || vg_json_add(rootfs, "read_only", json_object_new_boolean(!pl.n_blocked)) ||
	     vg_json_add(rootfs, "tmpfs", string_list(pl.tmpfs, pl.n_tmpfs)) ||
	     vg_json_add(rootfs, "blocked_by", string_list((char *const *)blocked, pl.n_blocked));
	if (rc) {
		json_object_put(rootfs);
		rootfs = NULL;
	}
	plan_free(&pl);
	rc = vg_json_add(obj, "name", jstr(p->name)) ||
	     vg_json_add(obj, "service_name", json_object_new_string(name)) ||
	     (p->image ? vg_json_add(obj, "image", jstr(p->image)) : add_null(obj, "image")) ||
	     vg_json_add(obj, "containers", containers) ||
	     vg_json_add(obj, "events", json_object_new_uint64(p->events)) ||
	     (p->events ? vg_json_add(obj, "first", jtime(s, p->first_ns)) : add_null(obj, "first")) ||
	     (p->events ? vg_json_add(obj, "last", jtime(s, p->last_ns)) : add_null(obj, "last")) ||
	     vg_json_add(obj, "user", user) ||
	     vg_json_add(obj, "capabilities", items_json(s, p, &p->capabilities, cap_fields)) ||
	     vg_json_add(obj, "rootfs_writes", items_json(s, p, &p->writes, write_fields)) ||
	     vg_json_add(obj, "relative_writes", items_json(s, p, &p->relative_writes, write_fields)) ||
	     vg_json_add(obj, "rootfs", rootfs) ||
	     vg_json_add(obj, "privilege_changes", items_json(s, p, &p->privilege, privilege_fields)) ||
	     vg_json_add(obj, "no_new_privileges", json_object_new_boolean(!p->privilege.n)) ||
	     vg_json_add(obj, "mounts", items_json(s, p, &p->mounts, mount_fields)) ||
	     vg_json_add(obj, "unix_sockets", items_json(s, p, &p->sockets, socket_fields)) ||
	     vg_json_add(obj, "egress", items_json(s, p, &p->egress, egress_fields)) ||
	     (p->has_syscalls ? vg_json_add(obj, "syscalls", syscalls_json(s, p))
			      : add_null(obj, "syscalls"));
	if (rc) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static struct json_object *set_json(const struct vg_profile_set *s, char **names)
{
	struct json_object *root = json_object_new_object(), *capture = json_object_new_object();
	struct json_object *profiles = json_object_new_array();
	int rc = !root || !capture || !profiles;

	for (size_t i = 0; !rc && i < s->n; i++)
		rc = push(profiles, profile_json(s, &s->v[i], names[i]));
	if (!rc)
		rc = vg_json_add(capture, "file", jstr(s->file)) ||
		     vg_json_add(capture, "host", jstr(s->info.host)) ||
		     vg_json_add(capture, "kernel", jstr(s->info.kernel)) ||
		     vg_json_add(capture, "recorded",
			 jtime(s, s->info.start_time_ns - s->info.boot_time_ns)) ||
		     vg_json_add(capture, "records", json_object_new_uint64(s->records)) ||
		     vg_json_add(capture, "lost_events", json_object_new_uint64(s->lost));
	if (!rc) {
		rc = vg_json_add(root, "capture", capture);
		capture = NULL;
	}
	if (!rc)
		rc = vg_json_add(root, "by",
			 json_object_new_string(s->by == VG_PROFILE_BY_IMAGE ? "image"
									     : "container"));
	if (!rc) {
		rc = vg_json_add(root, "profiles", profiles);
		profiles = NULL;
	}
	json_object_put(capture);
	json_object_put(profiles);
	if (rc) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

static int cmp_json_names(const void *a, const void *b)
{
	return strcmp(json_object_get_string(*(struct json_object *const *)a),
		      json_object_get_string(*(struct json_object *const *)b));
}

/* Docker/OCI seccomp: allow exactly the calls seen, refuse the rest with EPERM. */
static struct json_object *seccomp_json(const struct vg_profile *p)
{
	struct json_object *root = json_object_new_object(), *archs = json_object_new_array();
	struct json_object *names = json_object_new_array(), *rules = json_object_new_array();
	struct json_object *allow = json_object_new_object();
	const char *arch = vg_syscall_seccomp_arch(p->syscall_arch);
	int rc = !root || !archs || !names || !rules || !allow || !arch;

	for (unsigned int nr = 0; !rc && nr < VIGIL_SYSCALL_BITS; nr++) {
		const char *name = vg_syscall_name(p->syscall_arch, nr);

		if ((p->syscalls[nr / 64] >> (nr % 64)) & 1 && name)
			rc = push(names, json_object_new_string(name));
	}
	if (!rc) {
		json_object_array_sort(names, cmp_json_names);
		rc = push(archs, json_object_new_string(arch));
	}
	if (!rc) {
		rc = vg_json_add(allow, "names", names);
		names = NULL;
	}
	if (!rc)
		rc = vg_json_add(allow, "action", json_object_new_string("SCMP_ACT_ALLOW"));
	if (!rc) {
		rc = push(rules, allow);
		allow = NULL;
	}
	if (!rc)
		rc = vg_json_add(root, "defaultAction", json_object_new_string("SCMP_ACT_ERRNO")) ||
		     vg_json_add(root, "defaultErrnoRet", json_object_new_int(1));
	if (!rc) {
		rc = vg_json_add(root, "architectures", archs);
		archs = NULL;
	}
	if (!rc) {
		rc = vg_json_add(root, "syscalls", rules);
		rules = NULL;
	}
	json_object_put(archs);
	json_object_put(names);
	json_object_put(rules);
	json_object_put(allow);
	if (rc) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

static int print_json(FILE *f, struct json_object *obj)
{
	if (!obj)
		return -ENOMEM;
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE),
	      f);
	fputc('\n', f);
	json_object_put(obj);
	return 0;
}

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
			rc = s->v[i].has_syscalls ? print_json(f, seccomp_json(&s->v[i]))
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
	case VG_PROFILE_JSON:
		rc = print_json(f, set_json(s, names));
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
					"policy or json",
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

		if (p->relative_writes.n && format == VG_PROFILE_POLICY)
			fprintf(stderr,
				"vigil: warning: %s wrote %zu file(s) on its root filesystem by "
				"relative path (%s...): writable_paths are absolute, so replaying "
				"still alerts on them\n",
				p->name, p->relative_writes.n, p->relative_writes.v[0].key);
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
