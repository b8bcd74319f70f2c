// SPDX-License-Identifier: GPL-2.0
/* The maps and knobs every hook family shares, defined once; and the start-up task walk. */
#define VIGIL_DEFINE_MAPS
#include "vigil.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/*
 * Processes that were running before vigil: one record per process (group leader) in a
 * container cgroup (every process with --host), written to the iterator's seq file. The
 * agent reads them to fill its process table, and the walk marks them in `procs` as past
 * set-up, unless the process is still its runtime's init (it has not exec'd: runc init's
 * exe is the runtime binary, which the agent tells apart and clears).
 */
SEC("iter/task")
int snapshot_tasks(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *task = ctx->task;
	struct vigil_proc_state st = {};
	struct vigil_exec rec = {};
	__u32 class;
	__u64 cgid;

	if (!task || task->pid != task->tgid || task->tgid == self_tgid)
		return 0;
	cgid = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	{
		__u32 *cached = bpf_map_lookup_elem(&cgroups, &cgid);

		/* a container's path goes to the agent before this walk's records */
		class = cached ? *cached
			       : vg_classify_cgroup_kn(BPF_CORE_READ(task, cgroups, dfl_cgrp, kn),
						       cgid, 0);
	}
	if (class != VIGIL_CGROUP_CONTAINER && !want_host)
		return 0;
	if (!task->mm) /* kernel threads */
		return 0;

	rec.hdr.type = VIGIL_EVENT_EXEC;
	rec.hdr.size = sizeof(rec);
	rec.hdr.flags = VIGIL_F_SNAPSHOT | (class == VIGIL_CGROUP_CONTAINER ? VIGIL_F_CONTAINER : 0);
	rec.hdr.time_ns = bpf_ktime_get_boot_ns();
	rec.hdr.cgroup_id = cgid;
	rec.hdr.pid = task->tgid;
	rec.hdr.tid = task->pid;
	rec.start_time = task->start_time;
	rec.parent_start_time = BPF_CORE_READ(task, real_parent, start_time);
	rec.ppid = BPF_CORE_READ(task, real_parent, tgid);
	rec.vpid = vg_task_vpid(task);
	rec.uid = BPF_CORE_READ(task, cred, uid.val);
	rec.euid = BPF_CORE_READ(task, cred, euid.val);
	rec.gid = BPF_CORE_READ(task, cred, gid.val);
	rec.egid = BPF_CORE_READ(task, cred, egid.val);
	bpf_probe_read_kernel_str(rec.comm, sizeof(rec.comm), task->comm);

	if (class == VIGIL_CGROUP_CONTAINER) {
		st.start_time = task->start_time;
		st.flags = VIGIL_PROC_EXECED;
		if (bpf_map_update_elem(&procs, &rec.hdr.pid, &st, BPF_NOEXIST) == -1)
			; /* already known from a live exec: keep */
	}
	bpf_seq_write(seq, &rec, sizeof(rec));
	return 0;
}
