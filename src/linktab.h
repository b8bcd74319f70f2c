/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symlinks containers made while vigil watched, to see through them. A call that makes or
 * removes a name (rename, unlink, mkdir, link, symlink) leaves the kernel no object for the
 * name: its directory comes from kernel objects, the rest is the name as given, so
 * `ln -s /etc /tmp/e; mv /tmp/x /tmp/e/passwd` arrives as a rename to /tmp/e/passwd. Every
 * symlink a container makes is reported (the kernel never filters those), so the components
 * of such a name that are links the container made can be replaced by what they point to,
 * in the order the calls happened. Symlinks of the image, or made before vigil started, are
 * not known here.
 */
#ifndef VIGIL_LINKTAB_H
#define VIGIL_LINKTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VG_LINKTAB_PER_OWNER 256 /* symlinks kept per container: the oldest go first */
#define VG_LINKTAB_HOPS 8 /* links followed in one name before it is taken as unresolvable */

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

#endif /* VIGIL_LINKTAB_H */
