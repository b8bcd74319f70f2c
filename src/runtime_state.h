/* SPDX-License-Identifier: GPL-2.0 */
/* Container metadata from the runtimes' on-disk state (internal to container.c). */
#ifndef VIGIL_RUNTIME_STATE_H
#define VIGIL_RUNTIME_STATE_H

struct vg_container;

/*
 * Parsed shared state files (podman's containers.json, images.json), kept while their
 * inode, size and mtime are unchanged: a burst of new containers parses them once.
 */
struct vg_rs_cache;

struct vg_rs_cache *vg_rs_cache_new(void);
void vg_rs_cache_free(struct vg_rs_cache *cache);

/* vg_container_load_metadata() through a cache (NULL: none). */
void vg_rs_load(struct vg_rs_cache *cache, const char *root, struct vg_container *c);

#endif
