// SPDX-License-Identifier: GPL-2.0
/*
 * The floor: empty programs on the hooks vigil attaches by default (the SEC lines of
 * bpf/NAME.bpf.c), the least any monitor on the same hooks can cost. tools/bench/run checks
 * that this list still matches vigil's and says so in BENCHMARKS.md when it drifts.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define FLOOR_BTF(name)                                                                            \
	SEC("tp_btf/" #name)                                                                       \
	int floor_##name(void *ctx)                                                                \
	{                                                                                          \
		return 0;                                                                          \
	}

/* entry and exit of one system call, as classic tracepoints */
#define FLOOR_SYSCALL(name)                                                                        \
	SEC("tp/syscalls/sys_enter_" #name)                                                        \
	int floor_enter_##name(void *ctx)                                                          \
	{                                                                                          \
		return 0;                                                                          \
	}                                                                                          \
	SEC("tp/syscalls/sys_exit_" #name)                                                         \
	int floor_exit_##name(void *ctx)                                                           \
	{                                                                                          \
		return 0;                                                                          \
	}

/* the exit of a system call alone: the calls whose arguments vigil reads at exit */
#define FLOOR_SYSCALL_EXIT(name)                                                                   \
	SEC("tp/syscalls/sys_exit_" #name)                                                         \
	int floor_exit_##name(void *ctx)                                                           \
	{                                                                                          \
		return 0;                                                                          \
	}

/* process.bpf.c, capable.bpf.c */
FLOOR_BTF(sched_process_exec)
FLOOR_BTF(sched_process_fork)
FLOOR_BTF(sched_process_exit)
FLOOR_BTF(cap_capable)

/* cgroup.bpf.c */
FLOOR_BTF(cgroup_mkdir)
FLOOR_BTF(cgroup_rmdir)

/* setid.bpf.c */
FLOOR_SYSCALL(setuid)
FLOOR_SYSCALL(setreuid)
FLOOR_SYSCALL(setresuid)
FLOOR_SYSCALL(setfsuid)
FLOOR_SYSCALL(setgid)
FLOOR_SYSCALL(setregid)
FLOOR_SYSCALL(setresgid)
FLOOR_SYSCALL(setfsgid)

/* mount.bpf.c */
FLOOR_SYSCALL(mount)
FLOOR_SYSCALL(move_mount)
FLOOR_SYSCALL(open_tree)
FLOOR_SYSCALL(fsmount)
FLOOR_SYSCALL(fsconfig)

/* the entry of a system call alone: sends are reported at entry */
#define FLOOR_SYSCALL_ENTER(name)                                                                  \
	SEC("tp/syscalls/sys_enter_" #name)                                                        \
	int floor_enter_##name(void *ctx)                                                          \
	{                                                                                          \
		return 0;                                                                          \
	}

/* connect.bpf.c */
FLOOR_SYSCALL(connect)
FLOOR_SYSCALL_ENTER(sendto)
FLOOR_SYSCALL_ENTER(sendmsg)
FLOOR_SYSCALL_ENTER(sendmmsg)
SEC("tp/sock/inet_sock_set_state")
int floor_inet_sock_set_state(void *ctx)
{
	return 0;
}

/* write.bpf.c */
FLOOR_SYSCALL_EXIT(openat)
FLOOR_SYSCALL_EXIT(open)
FLOOR_SYSCALL_EXIT(creat)
FLOOR_SYSCALL_EXIT(openat2)
FLOOR_SYSCALL(unlinkat)
FLOOR_SYSCALL(unlink)
FLOOR_SYSCALL(rename)
FLOOR_SYSCALL(renameat)
FLOOR_SYSCALL(renameat2)
FLOOR_SYSCALL(mkdir)
FLOOR_SYSCALL(mkdirat)
FLOOR_SYSCALL(link)
FLOOR_SYSCALL(linkat)
FLOOR_SYSCALL(symlink)
FLOOR_SYSCALL(symlinkat)

/* uring.bpf.c */
SEC("tp/io_uring/io_uring_create")
int floor_io_uring_create(void *ctx)
{
	return 0;
}
FLOOR_BTF(io_uring_submit_req)
FLOOR_BTF(io_uring_submit_sqe) /* before 6.3: floor.c loads whichever the kernel has */
FLOOR_BTF(io_uring_complete)
