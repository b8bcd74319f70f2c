/* SPDX-License-Identifier: GPL-2.0 */
/* Paths from kernel objects: a dentry walked up to the task's root (write and exec hooks). */
#ifndef VIGIL_PATH_BPF_H
#define VIGIL_PATH_BPF_H

#include "vigil.bpf.h"

#define VG_WALK_DEPTH 40 /* dentries and mount crossings a walk takes before it gives up */

/* A walk in progress, the state bpf_loop hands to each step */
struct vg_walk {
	struct dentry *dentry, *root_dentry;
	struct vfsmount *vfsmnt, *root_mnt;
	struct mount *mnt;
	__u32 pos; /* the path so far starts at walk[pos] */
	__u8 flags;
	bool done, bare;
};

/* One step up: a dentry's name prepended, or a mount crossed. 1 stops bpf_loop. */
static long vg_walk_step(__u32 i, void *arg)
{
	struct vg_walk *w = arg;
	struct dentry *dentry = w->dentry, *mnt_root, *parent;
	struct vfsmount *vfsmnt = w->vfsmnt;
	struct mount *mnt = w->mnt;
	struct vigil_scratch *s;
	struct qstr name;
	__u32 zero = 0, len, pos = w->pos;

	if (dentry == w->root_dentry && w->vfsmnt == w->root_mnt) {
		w->done = true;
		return 1;
	}
	mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	parent = BPF_CORE_READ(dentry, d_parent);
	if (dentry == mnt_root) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

		if (up != mnt) { /* go on from where this mount is mounted */
			w->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			w->mnt = up;
			w->vfsmnt = &up->mnt;
			return 0;
		}
		if (pos != VIGIL_PATH_MAX - 1) { /* the namespace's root, above ours */
			w->flags |= VIGIL_PATH_UNREACHABLE;
			w->done = true;
			return 1;
		}
		/* a detached mount of this one file (runc's sealed copy of itself): its name */
		parent = dentry;
	}
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return 1;
	name = BPF_CORE_READ(dentry, d_name);
	len = name.len;
	if (len + 1 > pos || len >= VIGIL_PATH_MAX || pos >= VIGIL_PATH_MAX)
		return 1; /* no room: truncated */
	pos -= len;
	barrier_var(len); /* keep the mask: the verifier needs the size bounded here */
	bpf_probe_read_kernel(&s->walk[pos & (VIGIL_PATH_MAX - 1)], len & (VIGIL_PATH_MAX - 1),
			      name.name);
	if (dentry == parent) { /* a root of its own: memfd, O_TMPFILE, pipe ... */
		w->flags |= VIGIL_PATH_UNREACHABLE;
		w->bare = w->done = true;
		w->pos = pos;
		return 1;
	}
	pos--;
	s->walk[pos & (VIGIL_PATH_MAX - 1)] = '/';
	w->pos = pos;
	w->dentry = parent;
	return 0;
}

/*
 * The path of (dentry, mnt) as the current task sees it: walked up to the task's root,
 * crossing mounts through struct mount (mnt_parent, mnt_mountpoint). Names are copied from
 * the dentries (never from user memory), from the end of s->walk backwards. Returns the
 * length with the NUL; the path starts at s->walk[*start]. *flags gets VIGIL_PATH_*: TRUNC
 * when depth or room ran out (the path then lacks its head), UNREACHABLE when the walk ended
 * at a root that is not the task's (a memfd's or an O_TMPFILE's pseudo dentry, a file of
 * another mount namespace): the path then starts with that root's own name, no '/'.
 * bpf_loop (5.17+): the step is verified once, whatever state the caller is in.
 * Not under rename_lock: a rename racing the walk can mix old and new names, as d_path
 * without the lock can; which file and which mount stay exact.
 */
static __always_inline __u32 vg_walk_path(struct vigil_scratch *s, struct task_struct *task,
					  struct dentry *dentry, struct vfsmount *vfsmnt,
					  __u32 *start, __u8 *flags)
{
	struct vg_walk w = {
		.dentry = dentry,
		.root_dentry = BPF_CORE_READ(task, fs, root.dentry),
		.vfsmnt = vfsmnt,
		.root_mnt = BPF_CORE_READ(task, fs, root.mnt),
		.mnt = container_of(vfsmnt, struct mount, mnt),
		.pos = VIGIL_PATH_MAX - 1,
	};
	__u32 pos;

	s->walk[VIGIL_PATH_MAX - 1] = 0;
	bpf_loop(VG_WALK_DEPTH, vg_walk_step, &w, 0);
	*flags |= w.flags;
	if (!w.done)
		*flags |= VIGIL_PATH_TRUNC;
	pos = w.pos & (VIGIL_PATH_MAX - 1);
	if (pos == VIGIL_PATH_MAX - 1 && !w.bare) { /* the root itself */
		pos--;
		s->walk[pos] = '/';
	}
	*start = pos;
	return VIGIL_PATH_MAX - pos;
}

/* VIGIL_PATH_DELETED / MULTILINK of a file's dentry; *nlink gets the inode's link count. */
static __always_inline __u8 vg_dentry_link_flags(struct dentry *dentry, __u32 *nlink)
{
	struct inode *inode = BPF_CORE_READ(dentry, d_inode);
	__u32 n = BPF_CORE_READ(inode, __i_nlink);
	__u16 mode = BPF_CORE_READ(inode, i_mode);
	__u8 f = 0;

	*nlink = n;
	/* unhashed and not a root of its own: removed (d_unlinked) */
	if (n == 0 || (!BPF_CORE_READ(dentry, d_hash.pprev) && BPF_CORE_READ(dentry, d_parent) != dentry))
		f |= VIGIL_PATH_DELETED;
	if (n > 1 && (mode & 0170000) == 0100000)
		f |= VIGIL_PATH_MULTILINK;
	return f;
}

#endif /* VIGIL_PATH_BPF_H */
