/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symlinks containers made while vigil watched, to see through them. A call that makes or
 * removes a name (rename, unlink, mkdir, link, symlink) leaves the kernel no object for the
 * name: its directory comes from kernel objects, the rest is the name as given, so
 * `ln -s /etc /tmp/e; mv /tmp/x /tmp/e/passwd` arrives as a rename to /tmp/e/passwd. Every
 * symlink a container makes is reported (the kernel never filters those), so the components
 * of such a name that are links the container made can be replaced by what they point to,
 * in the order the calls happened. Symlinks of the image, made before vigil started, or made
 * by another container in a volume they share (links are kept per container, as each sees
 * its own mounts) are not known here.
 */
#ifndef VIGIL_LINKTAB_H
#define VIGIL_LINKTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vg_event;

#define VG_LINKTAB_PER_OWNER 256  /* symlinks kept per container: the oldest go first */
#define VG_LINKTAB_PATH_MAX  1024 /* a name seen through links: longer is refused */
#define VG_LINKTAB_HOPS	     8 /* links followed in one name before it is taken as unresolvable */

struct vg_linktab;

struct vg_linktab *vg_linktab_new(void);
void vg_linktab_free(struct vg_linktab *t);

/* owner (a container's cgroup) made a symlink at path (absolute) holding text. 0 or -errno. */
int vg_linktab_add(struct vg_linktab *t, uint64_t owner, const char *path, const char *text);
/* path was removed, or renamed to new_path (NULL: removed); links below a directory too. */
void vg_linktab_move(struct vg_linktab *t, uint64_t owner, const char *path, const char *new_path);
/* Everything of owner (its container is gone). */
void vg_linktab_forget(struct vg_linktab *t, uint64_t owner);
size_t vg_linktab_count(const struct vg_linktab *t, uint64_t owner);

/*
 * path (absolute) with each directory component that is one of owner's symlinks replaced by
 * what it points to, "." and ".." taken lexically; the last component is left alone (the
 * calls act on the name itself). 1: out holds the changed path; 0: nothing to change (out
 * untouched); -ELOOP: more than VG_LINKTAB_HOPS links, -ENAMETOOLONG: out too short.
 */
int vg_linktab_resolve(const struct vg_linktab *t, uint64_t owner, const char *path, char *out,
		       size_t len);

/*
 * A write event's joined names (VIGIL_PATH_JOINED) seen through its container's symlinks:
 * rpath/rpath2 then point into bufs, symlinks_followed is set and rootfs is left for the
 * agent to place again; a name that can't be followed is marked truncated. With learn, the
 * symlinks the event makes, moves or removes are noted (each event once, in order).
 */
void vg_linktab_follow(struct vg_linktab *t, char (*bufs)[VG_LINKTAB_PATH_MAX], struct vg_event *ev,
		       bool learn);

#endif /* VIGIL_LINKTAB_H */
