/* SPDX-License-Identifier: GPL-2.0 */
/* Container metadata from the runtimes' on-disk state (internal to container.c). */
#ifndef VIGIL_RUNTIME_STATE_H
#define VIGIL_RUNTIME_STATE_H

#include <stdbool.h>

#include "container.h"

/*
 * Parsed shared state files (podman's containers.json, images.json), kept while their
 * inode, size and mtime are unchanged: a burst of new containers parses them once.
 */
struct vg_rs_cache;

struct vg_rs_cache *vg_rs_cache_new(void);
void vg_rs_cache_free(struct vg_rs_cache *cache);

/* vg_container_load_metadata() through a cache (NULL: none). */
void vg_rs_load(struct vg_rs_cache *cache, const char *root, struct vg_container *c);

/* Frees the strings and mounts of cfg and zeroes it. */
void vg_rs_config_clear(struct vg_container_config *cfg);
/* Appends a mount (copies of the strings; NULL source/type become ""); 0 or -errno. */
int vg_rs_config_add_mount(struct vg_container_config *cfg, const char *destination,
			   const char *source, const char *type, bool readonly);

#endif
