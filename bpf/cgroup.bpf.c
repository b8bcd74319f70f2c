// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup life cycle. A container's cgroup is classified when it is made (before the runtime
 * puts the container's first process in it), and its path sent to the agent then, while the
 * runtime's state about it surely exists. Removals make every per-CPU cgroup cache slot
 * stale (vg_current_cgroup is keyed by struct cgroup address, which the kernel may reuse),
 * drop the cached class (ids are never reused), and tell the agent that a container's
 * cgroup is gone, so that it forgets it once the records before are read.
 */
#include "vigil.bpf.h"

/* the cache and the classes hold default-hierarchy (v2) cgroups only: v1 ids are another space */
static __always_inline bool vg_is_v2(struct cgroup *cgrp)
{
	return BPF_CORE_READ(cgrp, root, hierarchy_id) == 0;
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(handle_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	struct kernfs_node *kn;

	if (!vg_is_v2(cgrp))
		return 0;
	kn = BPF_CORE_READ(cgrp, kn);
	vg_classify_cgroup_kn(kn, BPF_CORE_READ(kn, id), VIGIL_CGROUP_CREATED);
	return 0;
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(handle_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	struct vigil_cgroup *rec;
	__u32 *class;
	__u64 id;

	if (!vg_is_v2(cgrp))
		return 0;
	__sync_fetch_and_add(&cgroup_removals, 1);
	id = BPF_CORE_READ(cgrp, kn, id);
	class = bpf_map_lookup_elem(&cgroups, &id);
	if (class && *class == VIGIL_CGROUP_CONTAINER) {
		rec = bpf_ringbuf_reserve(&cgroup_events, sizeof(*rec), 0);
		if (rec) {
			vg_fill_cgroup_record(rec, id, VIGIL_CGROUP_REMOVED, 0);
			bpf_ringbuf_submit(rec, BPF_RB_FORCE_WAKEUP);
		} else {
			/* the agent finds it gone by its own periodic check */
			vg_count_lost(VIGIL_EVENT_CGROUP);
		}
	}
	bpf_map_delete_elem(&cgroups, &id);
	return 0;
}
