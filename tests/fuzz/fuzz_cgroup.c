// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the cgroup-path parser: a path is what whoever names a cgroup chose
 * (a runtime, a systemd unit, a container's own cgroup namespace), so any bytes must give
 * either "host" with nothing filled in, or a container whose id and pod uid are terminated
 * strings inside their fields; and the answer depends on the path alone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"

static void check(const struct vg_cgroup_match *m, bool container)
{
	if (strnlen(m->id, sizeof(m->id)) == sizeof(m->id) ||
	    strnlen(m->pod_uid, sizeof(m->pod_uid)) == sizeof(m->pod_uid))
		__builtin_trap();
	if (!container && (m->id[0] || m->runtime || m->kubernetes || m->pod_uid[0]))
		__builtin_trap();
	if (container && !m->id[0])
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_cgroup_match first, again;
	char *path = malloc(size + 1);
	bool container;

	if (!path)
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';
	memset(&first, 0xa5, sizeof(first));
	container = vg_cgroup_parse(path, &first);
	check(&first, container);
	/* a pure function: the same path, the same answer */
	if (vg_cgroup_parse(path, &again) != container || memcmp(&first, &again, sizeof(first)))
		__builtin_trap();
	free(path);
	return 0;
}
