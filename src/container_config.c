// SPDX-License-Identifier: GPL-2.0
/* A container's configuration: its mounts' storage. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "container_config.h"

#define MAX_MOUNTS 1024

void vg_rs_config_clear(struct vg_container_config *cfg)
{
	free(cfg->user);
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		free(cfg->mounts[i].destination);
		free(cfg->mounts[i].source);
		free(cfg->mounts[i].type);
	}
	free(cfg->mounts);
	free(cfg->network_mode);
	memset(cfg, 0, sizeof(*cfg));
}

int vg_rs_config_add_mount(struct vg_container_config *cfg, const char *destination,
			   const char *source, const char *type, bool readonly)
{
	struct vg_mountpoint *mounts, *m;

	if (!destination || !*destination)
		return -EINVAL;
	if (cfg->n_mounts >= MAX_MOUNTS)
		return -E2BIG;
	mounts = realloc(cfg->mounts, (cfg->n_mounts + 1) * sizeof(*mounts));
	if (!mounts)
		return -ENOMEM;
	cfg->mounts = mounts;
	m = &mounts[cfg->n_mounts];
	m->destination = strdup(destination);
	m->source = strdup(source ? source : "");
	m->type = strdup(type ? type : "");
	m->readonly = readonly;
	if (!m->destination || !m->source || !m->type) {
		free(m->destination);
		free(m->source);
		free(m->type);
		return -ENOMEM;
	}
	cfg->n_mounts++;
	return 0;
}
