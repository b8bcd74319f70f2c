// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for mountinfo parsing (/proc/<pid>/mountinfo of a process in a container,
 * whose mount points and sources the container chose): any bytes give a bounded list of
 * mounts, each an absolute destination other than "/", with terminated strings, and the
 * root-filesystem question answered from it without a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "container.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_container c = {0};
	int fd = memfd_create("mountinfo", MFD_CLOEXEC);
	char path[64];
	bool decided;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		__builtin_trap();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (vg_container_load_mountinfo(&c, path))
		__builtin_trap();
	close(fd);
	if (!c.config.mounts_known || c.config.n_mounts > 1024)
		__builtin_trap();
	for (size_t i = 0; i < c.config.n_mounts; i++) {
		const struct vg_mountpoint *m = &c.config.mounts[i];

		if (m->destination[0] != '/' || !strcmp(m->destination, "/") || !m->source ||
		    !m->type)
			__builtin_trap();
		/* every mount point is off the root filesystem, and decided so */
		if (vg_container_path_on_rootfs(&c, m->destination, &decided) || !decided)
			__builtin_trap();
	}
	vg_container_clear(&c);
	return 0;
}
