// SPDX-License-Identifier: GPL-2.0
/* Symlinks containers made while vigil watched (linktab.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linktab.h"
#include "event.h"
#include "policy.h" /* vg_path_normalize */

#define LINKTAB_MAX 8192 /* entries over every container: a bound on memory */

struct link_entry {
	uint64_t owner;
	uint64_t seq; /* order made: the oldest of an owner goes first when it has too many */
	char *path;
	char *text;
};

struct vg_linktab {
	struct link_entry *e;
	size_t n, cap;
	uint64_t seq;
};

struct vg_linktab *vg_linktab_new(void)
{
	return calloc(1, sizeof(struct vg_linktab));
}

static void drop(struct vg_linktab *t, size_t i)
{
	free(t->e[i].path);
	free(t->e[i].text);
	t->e[i] = t->e[--t->n];
}

void vg_linktab_free(struct vg_linktab *t)
{
	if (!t)
		return;
	while (t->n)
		drop(t, t->n - 1);
	free(t->e);
	free(t);
}

static struct link_entry *find(const struct vg_linktab *t, uint64_t owner, const char *path,
			       size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].owner == owner && !strncmp(t->e[i].path, path, len) &&
		    t->e[i].path[len] == 0)
			return &t->e[i];
	return NULL;
}

size_t vg_linktab_count(const struct vg_linktab *t, uint64_t owner)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->e[i].owner == owner;
	return n;
}

int vg_linktab_add(struct vg_linktab *t, uint64_t owner, const char *path, const char *text)
{
	struct link_entry *old = find(t, owner, path, strlen(path));
	char *p, *x;

	if (path[0] != '/')
		return -EINVAL;
	if (old) { /* made again after a removal vigil did not see: the newest counts */
		x = strdup(text);
		if (!x)
			return -ENOMEM;
		free(old->text);
		old->text = x;
		old->seq = ++t->seq;
		return 0;
	}
	if (vg_linktab_count(t, owner) >= VG_LINKTAB_PER_OWNER || t->n >= LINKTAB_MAX) {
		size_t oldest = t->n;

		for (size_t i = 0; i < t->n; i++)
			if ((t->n >= LINKTAB_MAX || t->e[i].owner == owner) &&
			    (oldest == t->n || t->e[i].seq < t->e[oldest].seq))
				oldest = i;
		if (oldest < t->n)
			drop(t, oldest);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct link_entry *e = realloc(t->e, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		t->e = e;
		t->cap = cap;
	}
	p = strdup(path);
	x = strdup(text);
	if (!p || !x) {
		free(p);
		free(x);
		return -ENOMEM;
	}
	t->e[t->n++] = (struct link_entry){owner, ++t->seq, p, x};
	return 0;
}

void vg_linktab_move(struct vg_linktab *t, uint64_t owner, const char *path, const char *new_path)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < t->n;) {
		struct link_entry *e = &t->e[i];
		char *moved;

		if (e->owner != owner || strncmp(e->path, path, len) ||
		    (e->path[len] != 0 && e->path[len] != '/')) {
			i++;
			continue;
		}
		if (!new_path || asprintf(&moved, "%s%s", new_path, e->path + len) < 0) {
			drop(t, i);
			continue;
		}
		free(e->path);
		e->path = moved;
		i++;
	}
}

void vg_linktab_forget(struct vg_linktab *t, uint64_t owner)
{
	for (size_t i = 0; i < t->n;) {
		if (t->e[i].owner == owner)
			drop(t, i);
		else
			i++;
	}
}

int vg_linktab_resolve(const struct vg_linktab *t, uint64_t owner, const char *path, char *out,
		       size_t len)
{
	char cur[VG_LINKTAB_PATH_MAX], next[VG_LINKTAB_PATH_MAX];
	int hops = 0;
	bool changed = false;

	if (path[0] != '/' || !t || !vg_linktab_count(t, owner))
		return 0;
	if (!vg_path_normalize(path, cur, sizeof(cur)))
		return -ENAMETOOLONG;
again:
	/* each directory component: "/a", then "/a/b" of "/a/b/c" (not the last) */
	for (char *slash = strchr(cur + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t plen = slash - cur;
		const struct link_entry *e = find(t, owner, cur, plen);
		int n;

		if (!e)
			continue;
		if (++hops > VG_LINKTAB_HOPS)
			return -ELOOP;
		if (e->text[0] == '/') {
			n = snprintf(next, sizeof(next), "%s%s", e->text, slash);
		} else {
			/* relative to the directory holding the link */
			size_t dlen = plen;

			while (dlen > 0 && cur[dlen - 1] != '/')
				dlen--;
			n = snprintf(next, sizeof(next), "%.*s%s%s", (int)dlen, cur, e->text,
				     slash);
		}
		if (n < 0 || n >= (int)sizeof(next) || !vg_path_normalize(next, cur, sizeof(cur)))
			return -ENAMETOOLONG;
		changed = true;
		goto again;
	}
	if (!changed)
		return 0;
	if (strlen(cur) + 1 > len)
		return -ENAMETOOLONG;
	memcpy(out, cur, strlen(cur) + 1);
	return 1;
}

/*
 * A joined name (the directory from kernel objects, the rest as given) through symlinks the
 * container made: the path it really names. One that can't be followed (a loop, too long)
 * is marked truncated, which no policy allows.
 */
static void see_through(const struct vg_linktab *t, char (*bufs)[VG_LINKTAB_PATH_MAX],
			struct vg_event *ev, const char **path, int slot)
{
	int rc;

	if (!*path)
		return;
	rc = vg_linktab_resolve(t, ev->hdr->cgroup_id, *path, bufs[slot], VG_LINKTAB_PATH_MAX);
	if (rc == 1) {
		*path = bufs[slot];
		ev->symlinks_followed = true;
		ev->rootfs = VIGIL_ROOTFS_UNKNOWN; /* placed again, from the path it names */
	} else if (rc < 0) {
		ev->path_flags |= VIGIL_PATH_TRUNC;
	}
}

/*
 * Joined names are seen through the container's symlinks, then (learn) the symlinks it makes,
 * moves and removes are noted, in the order the calls were made.
 */
void vg_linktab_follow(struct vg_linktab *t, char (*bufs)[VG_LINKTAB_PATH_MAX], struct vg_event *ev,
		       bool learn)
{
	const struct vigil_write *w;

	if (ev->hdr->type != VIGIL_EVENT_WRITE || !(ev->hdr->flags & VIGIL_F_CONTAINER) ||
	    !(ev->path_flags & VIGIL_PATH_JOINED))
		return;
	w = ev->write;
	see_through(t, bufs, ev, &ev->rpath, 0);
	if (w->op == VIGIL_WRITE_RENAME || w->op == VIGIL_WRITE_LINK)
		see_through(t, bufs, ev, &ev->rpath2, 1);
	if (!learn || (w->ret < 0 && w->ret != -EINPROGRESS) || !ev->rpath || ev->rpath[0] != '/')
		return;
	switch (w->op) {
	case VIGIL_WRITE_SYMLINK:
		vg_linktab_add(t, ev->hdr->cgroup_id, ev->rpath, ev->str2);
		break;
	case VIGIL_WRITE_UNLINK:
		vg_linktab_move(t, ev->hdr->cgroup_id, ev->rpath, NULL);
		break;
	case VIGIL_WRITE_RENAME:
		if (ev->rpath2 && ev->rpath2[0] == '/') {
			/* a name renamed over is replaced first */
			vg_linktab_move(t, ev->hdr->cgroup_id, ev->rpath2, NULL);
			vg_linktab_move(t, ev->hdr->cgroup_id, ev->rpath, ev->rpath2);
		}
		break;
	default:
		break;
	}
}
