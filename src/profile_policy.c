// SPDX-License-Identifier: GPL-2.0
/*
 * vigil profile: what a profile implies (root, capabilities, a read-only root filesystem's tmpfs
 * plan) and the vigil policy made from it.
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

/* ---- what a profile implies ---- */

bool profile_runs_as_root(const struct vg_profile *p)
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

__u64 profile_cap_mask(const struct vg_profile *p)
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

void plan_free(struct rootfs_plan *pl)
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

/* Mounts every runtime makes itself (/dev, /dev/shm, /proc, /sys ...): not the user's to give. */
static bool runtime_default_mount(const char *dest)
{
	return vg_path_under(dest, "/dev") || vg_path_under(dest, "/proc") ||
	       vg_path_under(dest, "/sys") || !strcmp(dest, "/run") || !strcmp(dest, "/");
}

/*
 * A tmpfs over the directory a file is written in (over the directory itself for one that was
 * created: the runtime makes the mount point), unless that would hide the image's files.
 */
int plan_rootfs(const struct vg_profile *p, struct rootfs_plan *pl)
{
	const struct vg_container_config *cfg = p->n_containers ? &p->containers[0].config : NULL;
	size_t n = p->writes.n + p->relative_writes.n + (cfg ? cfg->n_mounts : 0), kept = 0;

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
	/* the tmpfs the container was given stay: what it wrote there is not in the profile */
	for (size_t i = 0; cfg && i < cfg->n_mounts; i++) {
		const struct vg_mountpoint *m = &cfg->mounts[i];

		if (strcmp(m->type, "tmpfs") || runtime_default_mount(m->destination))
			continue;
		pl->tmpfs[pl->n_tmpfs] = strdup(m->destination);
		if (!pl->tmpfs[pl->n_tmpfs])
			goto oom;
		pl->n_tmpfs++;
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
	e->allow_io_uring = p->io_uring.n > 0;
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
