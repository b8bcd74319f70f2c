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
#include "profile_internal.h"
#include "syscalls.h"

#define PATH_BUF 4096

static const char *const format_names[] = {
	[VG_PROFILE_COMPOSE] = "compose", [VG_PROFILE_DOCKER_RUN] = "docker-run",
	[VG_PROFILE_K8S] = "k8s",	  [VG_PROFILE_SECCOMP] = "seccomp",
	[VG_PROFILE_POLICY] = "policy",	  [VG_PROFILE_JSON] = "json",
	[VG_PROFILE_ADVICE] = "advice",
};

int vg_profile_format_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (!strcmp(s, format_names[i]))
			return (int)i;
	return -1;
}

/* ---- derivation ---- */

struct vg_profile_deriver {
	struct vg_profile_set *set;
	const struct vg_profile_opts *opts;
	struct vg_profile_opts opts_copy;
	struct vg_containers *containers;
	struct vg_proctab *procs;
	/*
	 * Captures of earlier builds hold a container's metadata record right after its first
	 * event, so when an event's container is not known yet, the next record may be the one
	 * that tells: the event waits (a copy) for one record.
	 */
	void *pending;
	size_t pending_len, pending_cap;
	struct vg_linktab *links; /* as the pipeline's: names through symlinks the container made */
	char link_paths[2][VG_LINKTAB_PATH_MAX];
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

static bool by_image(const struct vg_profile_deriver *d, const struct vg_container *c)
{
	return d->opts->by == VG_PROFILE_BY_IMAGE && c->image && *c->image;
}

/* The profile c's behaviour goes to (made on first sight); NULL on ENOMEM. */
static struct vg_profile *profile_of(struct vg_profile_deriver *d, const struct vg_container *c,
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
	it = profile_items_get(&p->users, key, &created);
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
	return profile_evidence_add(&it->ev, ev, proc, container);
}

static int add_privilege(struct vg_profile *p, const struct vg_event *ev,
			 const struct vg_process *proc, size_t container,
			 enum vg_privilege_kind kind, unsigned int syscall, bool escalation,
			 const char *key)
{
	struct vg_profile_item *it;
	bool created;

	it = profile_items_get(&p->privilege, key, &created);
	if (!it)
		return -ENOMEM;
	it->kind = kind;
	it->number = syscall;
	it->escalation |= escalation;
	return profile_evidence_add(&it->ev, ev, proc, container);
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
			profile_items_get(&p->drifts,
					  ev->file.origin == VIGIL_ORIGIN_NONAME ||
							  (ev->path_flags & VIGIL_PATH_TRUNC)
						  ? "memory"
						  : vg_event_exe(ev),
					  &created);

		if (!it)
			return -ENOMEM;
		rc = profile_evidence_add(&it->ev, ev, proc, container);
	}
	if (rc || !(e->exec_flags & VIGIL_EXEC_SECUREEXEC))
		return rc;
	/* no-new-privileges stops every such exec; the rule calls only uid -> euid 0 escalation */
	snprintf(key, sizeof(key), "exec %s", profile_program_of(ev, proc));
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
	it = profile_items_get(&p->capabilities, key, &created);
	if (!it)
		return -ENOMEM;
	it->number = cp->cap;
	return profile_evidence_add(&it->ev, ev, proc, container);
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
	it = profile_items_get(&p->mounts, key, &created);
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
	return profile_evidence_add(&it->ev, ev, proc, container);
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
		it = profile_items_get(&p->sockets, key, &created);
		if (!it)
			return -ENOMEM;
		it->succeeded |= ok;
		it->runtime_socket |= !!(cn->connect_flags & VIGIL_CONNECT_RUNTIME_SOCKET);
		return profile_evidence_add(&it->ev, ev, proc, container);
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
	it = profile_items_get(&p->egress, key, &created);
	if (!it)
		return -ENOMEM;
	it->family = family;
	memcpy(it->addr, bytes, sizeof(bytes));
	it->port = cn->port;
	if (cn->protocol)
		it->protocols |= 1u << cn->protocol;
	/* a send reported before the call: the destination was used whatever the result */
	it->succeeded |= ok || (cn->connect_flags & VIGIL_CONNECT_BEFORE_CALL);
	return profile_evidence_add(&it->ev, ev, proc, container);
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
	it = profile_items_get(list, norm, &created);
	if (!it)
		return -ENOMEM;
	it->ops |= 1u << ev->write->op;
	return profile_evidence_add(&it->ev, ev, proc, container);
}

static int add_write(struct vg_profile *p, struct vg_event *ev, const struct vg_process *proc,
		     const struct vg_container *c, size_t container)
{
	__u32 op = ev->write->op;
	int rc;

	/* what rule_rootfs_write looks at: -EINPROGRESS is an io_uring request not awaited */
	vg_pipeline_resolve_rootfs(ev, c);
	if ((ev->write->ret < 0 && ev->write->ret != -EINPROGRESS) ||
	    ev->rootfs != VIGIL_ROOTFS_YES)
		return 0;
	rc = add_written_path(p, ev, proc, container, vg_event_write_path(ev));
	/* a rename's new name, a link's target (a symlink's text names nothing) */
	if (!rc && (op == VIGIL_WRITE_RENAME || op == VIGIL_WRITE_LINK))
		rc = add_written_path(p, ev, proc, container, vg_event_write_path2(ev));
	return rc;
}

static int add_io_uring(struct vg_profile *p, const struct vg_event *ev,
			const struct vg_process *proc, size_t container)
{
	bool sqpoll = ev->io_uring->setup_flags & VG_IORING_SETUP_SQPOLL, created;
	const char *key = sqpoll ? "io_uring (SQPOLL)" : "io_uring";
	struct vg_profile_item *it = profile_items_get(&p->io_uring, key, &created);

	if (!it)
		return -ENOMEM;
	return profile_evidence_add(&it->ev, ev, proc, container);
}

static int attribute(struct vg_profile_deriver *d, struct vg_event *ev,
		     const struct vg_process *proc)
{
	const struct vg_container *c = NULL;
	struct vg_profile *p;
	size_t container;
	bool is_new;

	if (ev->hdr->flags & VIGIL_F_CONTAINER)
		c = vg_containers_lookup(d->containers, ev->hdr->cgroup_id, &is_new);
	/* every event once, in order, as the pipeline does: the same names the rules judged */
	vg_linktab_follow(d->links, d->link_paths, ev, true);
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
	case VIGIL_EVENT_IO_URING:
		return add_io_uring(p, ev, proc, container);
	case VIGIL_EVENT_EXIT:
		if (proc && proc->vpid == 1)
			p->init_exited = true;
		return 0;
	default:
		return 0;
	}
}

static int flush_pending(struct vg_profile_deriver *d)
{
	struct vg_event ev;

	if (!d->has_pending)
		return 0;
	d->has_pending = false;
	if (vg_event_decode(d->pending, d->pending_len, &ev))
		return 0;
	return attribute(d, &ev, d->pending_proc);
}

static int on_event(struct vg_profile_deriver *d, const void *data, size_t len)
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

static int on_container(struct vg_profile_deriver *d, const void *data, size_t len)
{
	int rc = vg_containers_add_record(d->containers, data, len);

	/* the cache holds one container per cgroup: the profile cache may point elsewhere */
	d->last_valid = false;
	return rc == -EINVAL ? 0 : rc; /* not a container we can attribute to: skipped */
}

static void on_syscalls(struct vg_profile_deriver *d, const void *data, size_t len)
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
	profile_items_clear(&p->users);
	profile_items_clear(&p->capabilities);
	profile_items_clear(&p->writes);
	profile_items_clear(&p->relative_writes);
	profile_items_clear(&p->privilege);
	profile_items_clear(&p->mounts);
	profile_items_clear(&p->drifts);
	profile_items_clear(&p->sockets);
	profile_items_clear(&p->egress);
	profile_items_clear(&p->io_uring);
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
					    &p->sockets,	 &p->egress,	   &p->drifts,
					    &p->io_uring};

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (profile_items_sort(lists[i]))
			return -ENOMEM;
	return 0;
}

struct vg_profile_deriver *vg_profile_deriver_new(const char *file,
						  const struct vg_capture_info *info,
						  const struct vg_profile_opts *o)
{
	struct vg_container_paths offline = {NULL, NULL};
	struct vg_profile_deriver *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->opts_copy = *o;
	d->opts = &d->opts_copy;
	d->set = calloc(1, sizeof(*d->set));
	d->containers = vg_containers_new(&offline);
	d->procs = vg_proctab_new(0);
	d->links = vg_linktab_new();
	if (!d->set || !d->containers || !d->procs || !d->links || !(d->set->file = strdup(file))) {
		vg_profile_deriver_free(d);
		return NULL;
	}
	d->set->info = *info;
	d->set->by = o->by;
	return d;
}

void vg_profile_deriver_record(struct vg_profile_deriver *d, unsigned int type, const void *data,
			       size_t len)
{
	if (d->err)
		return; /* out of memory: the rest would be a profile with holes */
	d->set->records++;
	if (type == VG_REC_CONTAINER) {
		d->err = on_container(d, data, len);
		if (!d->err)
			d->err = flush_pending(d);
	} else {
		d->err = flush_pending(d);
		if (d->err)
			return;
		if (type == VG_REC_EVENT)
			d->err = on_event(d, data, len);
		else if (type == VG_REC_SYSCALLS)
			on_syscalls(d, data, len);
		else if (type == VG_REC_LOSS && len == VIGIL_COUNTERS * sizeof(__u64)) {
			const __u64 *totals = data;

			/* running totals: the last record has them all */
			d->set->lost = 0;
			for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
				d->set->lost += totals[t];
		}
	}
	/* exited processes go once nothing refers to them (as replay reaps per record) */
	if (!d->err && !d->has_pending)
		vg_proctab_reap(d->procs);
}

int vg_profile_deriver_finish(struct vg_profile_deriver *d, struct vg_profile_set **out)
{
	int rc = d->err;

	*out = NULL;
	if (!rc)
		rc = flush_pending(d);
	for (size_t i = 0; !rc && i < d->set->n; i++)
		rc = sort_profile(&d->set->v[i]);
	if (!rc) {
		*out = d->set;
		d->set = NULL;
	}
	vg_profile_deriver_free(d);
	return rc;
}

void vg_profile_deriver_free(struct vg_profile_deriver *d)
{
	if (!d)
		return;
	vg_proctab_free(d->procs);
	vg_containers_free(d->containers);
	vg_linktab_free(d->links);
	free(d->pending);
	vg_profile_set_free(d->set);
	free(d);
}

int vg_profile_derive(struct vg_capture_reader *r, const char *file,
		      const struct vg_profile_opts *o, struct vg_profile_set **out)
{
	struct vg_profile_deriver *d = vg_profile_deriver_new(file, vg_capture_info(r), o);
	unsigned int type;
	const void *data;
	size_t len;
	int rc;

	*out = NULL;
	if (!d)
		return -ENOMEM;
	while ((rc = vg_capture_next(r, &type, &data, &len)) > 0 && !d->err)
		vg_profile_deriver_record(d, type, data, len);
	if (rc < 0) {
		vg_profile_deriver_free(d);
		return rc;
	}
	return vg_profile_deriver_finish(d, out);
}
