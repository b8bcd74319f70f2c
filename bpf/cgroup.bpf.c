// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup removals. The per-CPU cgroup cache (vg_current_cgroup) is keyed by struct cgroup
 * address, which the kernel may reuse once a cgroup is gone: each removal makes every
 * cached slot stale. Its class is dropped too: cgroup ids are never reused.
 */
#include "vigil.bpf.h"

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(handle_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	__u64 id;

	/* the cache holds default-hierarchy (v2) cgroups only; v1 ids are another space */
	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return 0;
	__sync_fetch_and_add(&cgroup_removals, 1);
	id = BPF_CORE_READ(cgrp, kn, id);
	bpf_map_delete_elem(&cgroups, &id);
	return 0;
}
