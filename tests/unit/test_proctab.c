// SPDX-License-Identifier: GPL-2.0
/*
 * The process table (src/proctab.c), built from events only: exec creates, fork copies the
 * parent into the child, a reused pid replaces the old process, set-id calls that succeeded
 * change ids, exit + reap removes; parents are matched by start time; the table stays bounded
 * however many processes come and go; the runtime's set-up flag is carried.
 */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "records.h"
#include "event.h"
#include "proctab.h"

static REC_BUF(buf);
static struct vg_proctab *t;

static const char sh_args[] = "sh\0-c\0id"; /* sizeof: 9 */

static void setup(void)
{
	t = vg_proctab_new(0);
	ck_assert_ptr_nonnull(t);
}

static void teardown(void)
{
	vg_proctab_free(t);
	t = NULL;
}

/* Decodes the record in buf (size n) and applies it. */
static const struct vg_process *apply(size_t n)
{
	struct vg_event ev;

	ck_assert_int_eq(vg_event_decode(buf, n, &ev), 0);
	return vg_proctab_apply(t, &ev);
}

static const struct vg_process *exec(__u32 pid, __u64 start_time, const char *exe)
{
	return apply(rec_exec(buf, pid, start_time, exe, sh_args, sizeof(sh_args)));
}

static const struct vg_process *fork_(__u32 parent, __u64 parent_start, __u32 child,
				      __u64 child_start)
{
	return apply(rec_fork(buf, parent, parent_start, child, child_start, child));
}

static const struct vg_process *exit_(__u32 pid, __u64 start_time)
{
	return apply(rec_exit(buf, pid, start_time, 0));
}

static const struct vg_process *setid(__u16 type, __u32 pid, __s32 ret, __u32 real, __u32 eff)
{
	const __u32 old_ids[4] = { 1000, 1000, 1000, 1000 };
	const __u32 new_ids[4] = { real, eff, eff, eff };
	__u32 sys = type == VIGIL_EVENT_SETUID ? VIGIL_SYS_SETRESUID : VIGIL_SYS_SETRESGID;

	return apply(rec_setid(buf, type, sys, pid, ret, old_ids, new_ids));
}

/* ---- exec ---- */

START_TEST(exec_creates_process)
{
	struct vigil_exec *e = (void *)buf;
	const struct vg_process *p;
	size_t n = rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args));

	e->vpid = 1;
	e->ppid = 4100;
	e->parent_start_time = 900;
	e->uid = 0;
	e->euid = 1;
	e->gid = 2;
	e->egid = 3;
	p = apply(n);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_eq(p, vg_proctab_get(t, 4121));
	ck_assert_uint_eq(vg_proctab_count(t), 1);
	ck_assert_uint_eq(p->pid, 4121);
	ck_assert_uint_eq(p->start_time, 1000);
	ck_assert_uint_eq(p->vpid, 1);
	ck_assert_uint_eq(p->ppid, 4100);
	ck_assert_uint_eq(p->parent_start_time, 900);
	ck_assert_uint_eq(p->uid, 0);
	ck_assert_uint_eq(p->euid, 1);
	ck_assert_uint_eq(p->gid, 2);
	ck_assert_uint_eq(p->egid, 3);
	ck_assert_uint_eq(p->cgroup_id, REC_CGROUP_ID);
	ck_assert_str_eq(p->comm, "sh");
	ck_assert_str_eq(p->exe, "/bin/sh");
	ck_assert_uint_eq(p->args_len, sizeof(sh_args));
	ck_assert_uint_eq(p->argc, 3);
	ck_assert_int_eq(memcmp(p->args, sh_args, sizeof(sh_args)), 0);
	ck_assert(!p->args_truncated);
	ck_assert_uint_eq(p->flags, 0);
}
END_TEST

/* A truncated last argument is NUL terminated in the copy, and flagged. */
START_TEST(exec_truncated_args_terminated)
{
	static const char args[] = { 's', 'h', 0, 'e', 'c', 'h' };
	const struct vg_process *p;

	rec_exec(buf, 7, 7, "/bin/sh", args, sizeof(args));
	((struct vigil_exec *)buf)->exec_flags = VIGIL_EXEC_ARGS_TRUNC;
	p = apply(((struct vigil_exec *)buf)->hdr.size);
	ck_assert_ptr_nonnull(p);
	ck_assert(p->args_truncated);
	ck_assert_uint_eq(p->args_len, sizeof(args));
	ck_assert_uint_eq(p->argc, 2);
	ck_assert_str_eq(p->args + 3, "ech");
}
END_TEST

/* A second exec of the same process refreshes its entry in place. */
START_TEST(exec_again_refreshes)
{
	exec(10, 100, "/bin/sh");
	ck_assert_str_eq(exec(10, 100, "/usr/bin/id")->exe, "/usr/bin/id");
	ck_assert_uint_eq(vg_proctab_count(t), 1);
	ck_assert_str_eq(vg_proctab_get(t, 10)->comm, "id");
}
END_TEST

/* A snapshot record without strings: known process, no exe, flagged snapshot. */
START_TEST(snapshot_exec_without_strings)
{
	const struct vg_process *p;
	size_t n = rec_exec(buf, 12, 120, NULL, NULL, 0);

	((struct vigil_exec *)buf)->hdr.flags = VIGIL_F_SNAPSHOT;
	p = apply(n);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(p->exe);
	ck_assert_ptr_null(p->args);
	ck_assert_uint_eq(p->flags & VG_PROC_SNAPSHOT, VG_PROC_SNAPSHOT);
}
END_TEST

/* ---- fork ---- */

START_TEST(fork_copies_parent_into_child)
{
	const struct vg_process *parent, *child;

	exec(100, 1000, "/bin/sh");
	setid(VIGIL_EVENT_SETUID, 100, 0, 5, 6);
	parent = fork_(100, 1000, 101, 2000);
	ck_assert_ptr_eq(parent, vg_proctab_get(t, 100)); /* the event is the parent's */
	child = vg_proctab_get(t, 101);
	ck_assert_ptr_nonnull(child);
	ck_assert_uint_eq(vg_proctab_count(t), 2);
	ck_assert_uint_eq(child->pid, 101);
	ck_assert_uint_eq(child->vpid, 101);
	ck_assert_uint_eq(child->start_time, 2000);
	ck_assert_uint_eq(child->ppid, 100);
	ck_assert_uint_eq(child->parent_start_time, 1000);
	ck_assert_uint_eq(child->uid, 5);
	ck_assert_uint_eq(child->euid, 6);
	ck_assert_uint_eq(child->gid, 1000);
	ck_assert_str_eq(child->comm, "sh");
	ck_assert_str_eq(child->exe, "/bin/sh");
	ck_assert_uint_eq(child->argc, 3);
	ck_assert_uint_eq(child->args_len, sizeof(sh_args));
	ck_assert_int_eq(memcmp(child->args, sh_args, sizeof(sh_args)), 0);
	ck_assert_ptr_eq(vg_proctab_parent(t, child), parent);

	/* the child owns its copy: the parent's next exec leaves it alone */
	exec(100, 1000, "/usr/bin/env");
	ck_assert_str_eq(vg_proctab_get(t, 101)->exe, "/bin/sh");
}
END_TEST

/* A fork whose parent start time isn't the known process's copies nothing from it. */
START_TEST(fork_from_other_process_with_same_pid_copies_nothing)
{
	const struct vg_process *child;

	exec(100, 1000, "/bin/sh");
	ck_assert_ptr_null(fork_(100, 999, 101, 2000));
	child = vg_proctab_get(t, 101);
	ck_assert_ptr_nonnull(child);
	ck_assert_ptr_null(child->exe);
	ck_assert_ptr_null(child->args);
	ck_assert_uint_eq(child->ppid, 100);
	ck_assert_ptr_null(vg_proctab_parent(t, child));
}
END_TEST

/*
 * The child's insert may reap the parent (exited, table full): the parent must not be used
 * after that. It is gone, so the child gets nothing from it.
 */
START_TEST(fork_after_parent_reaped_by_insert)
{
	const struct vg_process *child;

	vg_proctab_free(t);
	t = vg_proctab_new(2);
	exec(1, 10, "/bin/parent");
	exec(2, 20, "/bin/other");
	exit_(1, 10); /* marked, not yet reaped: the table is full */
	ck_assert_ptr_null(fork_(1, 10, 3, 30));
	child = vg_proctab_get(t, 3);
	ck_assert_ptr_nonnull(child);
	ck_assert_ptr_null(child->exe);
	ck_assert_ptr_null(vg_proctab_get(t, 1));
	ck_assert_uint_eq(vg_proctab_count(t), 2);
}
END_TEST

/* A repeated fork record for a child that already exited keeps it exited: reap removes it. */
START_TEST(repeated_fork_after_exit_still_reaped)
{
	exec(100, 1000, "/bin/sh");
	fork_(100, 1000, 101, 2000);
	exit_(101, 2000);
	fork_(100, 1000, 101, 2000);
	ck_assert_uint_eq(vg_proctab_get(t, 101)->flags & VG_PROC_EXITED, VG_PROC_EXITED);
	vg_proctab_reap(t);
	ck_assert_ptr_null(vg_proctab_get(t, 101));
	ck_assert_uint_eq(vg_proctab_count(t), 1);
	/* the exited list is consistent: more exits and reaps work */
	exit_(100, 1000);
	vg_proctab_reap(t);
	ck_assert_uint_eq(vg_proctab_count(t), 0);
}
END_TEST

/* ---- pid reuse ---- */

START_TEST(pid_reuse_replaces_old_process)
{
	const struct vg_process *p;

	exec(100, 1000, "/bin/old");
	p = exec(100, 5000, "/bin/new");
	ck_assert_uint_eq(vg_proctab_count(t), 1);
	ck_assert_ptr_eq(vg_proctab_get(t, 100), p);
	ck_assert_uint_eq(p->start_time, 5000);
	ck_assert_str_eq(p->exe, "/bin/new");

	/* by fork too: the child replaces whatever had its pid */
	exec(200, 1, "/bin/stale");
	exec(300, 2, "/bin/sh");
	fork_(300, 2, 200, 3);
	p = vg_proctab_get(t, 200);
	ck_assert_uint_eq(p->start_time, 3);
	ck_assert_str_eq(p->exe, "/bin/sh");
	ck_assert_uint_eq(vg_proctab_count(t), 3);
}
END_TEST

/* An exit of a process that isn't the known one with that pid neither marks nor returns it. */
START_TEST(exit_with_other_start_time_ignored)
{
	exec(100, 1000, "/bin/sh");
	ck_assert_ptr_null(exit_(100, 999));
	ck_assert_uint_eq(vg_proctab_get(t, 100)->flags & VG_PROC_EXITED, 0);
	vg_proctab_reap(t);
	ck_assert_ptr_nonnull(vg_proctab_get(t, 100));
}
END_TEST

/* ---- set-id ---- */

START_TEST(setuid_success_updates_uids)
{
	const struct vg_process *p;

	exec(100, 1000, "/bin/sh");
	p = setid(VIGIL_EVENT_SETUID, 100, 0, 0, 0);
	ck_assert_ptr_eq(p, vg_proctab_get(t, 100));
	ck_assert_uint_eq(p->uid, 0);
	ck_assert_uint_eq(p->euid, 0);
	ck_assert_uint_eq(p->gid, 1000);
	ck_assert_uint_eq(p->egid, 1000);
}
END_TEST

START_TEST(setgid_success_updates_gids)
{
	const struct vg_process *p;

	exec(100, 1000, "/bin/sh");
	p = setid(VIGIL_EVENT_SETGID, 100, 0, 10, 11);
	ck_assert_uint_eq(p->gid, 10);
	ck_assert_uint_eq(p->egid, 11);
	ck_assert_uint_eq(p->uid, 1000);
	ck_assert_uint_eq(p->euid, 1000);
}
END_TEST

/* A failed call changes nothing, even if the record's new ids differ. */
START_TEST(setid_failure_keeps_ids)
{
	const struct vg_process *p;

	exec(100, 1000, "/bin/sh");
	setid(VIGIL_EVENT_SETUID, 100, -EPERM, 0, 0);
	p = setid(VIGIL_EVENT_SETGID, 100, -EPERM, 0, 0);
	ck_assert_uint_eq(p->uid, 1000);
	ck_assert_uint_eq(p->euid, 1000);
	ck_assert_uint_eq(p->gid, 1000);
	ck_assert_uint_eq(p->egid, 1000);
}
END_TEST

/* ---- exit, reap, parents ---- */

START_TEST(exit_then_reap_removes)
{
	const struct vg_process *p;

	exec(100, 1000, "/bin/sh");
	exec(101, 1001, "/bin/sh");
	p = exit_(100, 1000);
	ck_assert_ptr_eq(p, vg_proctab_get(t, 100));
	/* still there for the exit event's own report */
	ck_assert_uint_eq(p->flags & VG_PROC_EXITED, VG_PROC_EXITED);
	ck_assert_uint_eq(vg_proctab_count(t), 2);
	vg_proctab_reap(t);
	ck_assert_ptr_null(vg_proctab_get(t, 100));
	ck_assert_ptr_nonnull(vg_proctab_get(t, 101));
	ck_assert_uint_eq(vg_proctab_count(t), 1);
}
END_TEST

START_TEST(events_of_unknown_process_return_null)
{
	ck_assert_ptr_null(apply(rec_capable(buf, 55, 13, 0)));
	ck_assert_ptr_null(setid(VIGIL_EVENT_SETUID, 55, 0, 0, 0));
	ck_assert_ptr_null(exit_(55, 1));
	ck_assert_uint_eq(vg_proctab_count(t), 0);
}
END_TEST

/* A parent pid now held by a newer process is not the parent. */
START_TEST(parent_refused_when_start_time_differs)
{
	const struct vg_process *child;
	struct vigil_exec *e = (void *)buf;
	size_t n;

	exec(100, 1000, "/bin/sh");
	n = rec_exec(buf, 101, 2000, "/bin/id", sh_args, sizeof(sh_args));
	e->ppid = 100;
	e->parent_start_time = 1000;
	child = apply(n);
	ck_assert_ptr_eq(vg_proctab_parent(t, child), vg_proctab_get(t, 100));

	exec(100, 3000, "/bin/other"); /* pid 100 reused */
	ck_assert_ptr_null(vg_proctab_parent(t, vg_proctab_get(t, 101)));
}
END_TEST

/* ---- bounds ---- */

/* Beyond max live processes, new ones are refused; the count never exceeds max. */
START_TEST(max_entries_bound_holds)
{
	vg_proctab_free(t);
	t = vg_proctab_new(3);
	for (__u32 pid = 1; pid <= 6; pid++) {
		const struct vg_process *p = exec(pid, pid, "/bin/sh");

		ck_assert_uint_le(vg_proctab_count(t), 3);
		if (pid > 3)
			ck_assert_ptr_null(p);
	}
	ck_assert_uint_eq(vg_proctab_count(t), 3);
	ck_assert_ptr_nonnull(vg_proctab_get(t, 1));
	ck_assert_ptr_null(vg_proctab_get(t, 4));
}
END_TEST

/* A full table makes room by reaping exited processes, not live ones. */
START_TEST(full_table_reaps_exited_first)
{
	vg_proctab_free(t);
	t = vg_proctab_new(3);
	exec(1, 1, "/bin/a");
	exec(2, 2, "/bin/b");
	exec(3, 3, "/bin/c");
	exit_(2, 2);
	ck_assert_ptr_nonnull(exec(4, 4, "/bin/d"));
	ck_assert_uint_eq(vg_proctab_count(t), 3);
	ck_assert_ptr_null(vg_proctab_get(t, 2));
	ck_assert_ptr_nonnull(vg_proctab_get(t, 1));
	ck_assert_ptr_nonnull(vg_proctab_get(t, 3));
	ck_assert_ptr_nonnull(vg_proctab_get(t, 4));
}
END_TEST

/*
 * 10,000 short-lived children of one shell (fork, exec, exit), pids wrapping around: the
 * count stays bounded, reaped per batch of 100 events like the pipeline does, and every
 * child is tracked while it lives.
 */
START_TEST(many_short_lived_processes_stay_bounded)
{
	size_t most = 0;

	exec(1, 1, "/bin/sh");
	for (__u32 i = 0; i < 10000; i++) {
		__u32 pid = 2 + i % 5000;
		__u64 start = 100 + i;

		fork_(1, 1, pid, start);
		ck_assert_ptr_nonnull(exec(pid, start, "/bin/true"));
		ck_assert_ptr_nonnull(exit_(pid, start));
		if (i % 100 == 99)
			vg_proctab_reap(t);
		if (vg_proctab_count(t) > most)
			most = vg_proctab_count(t);
	}
	vg_proctab_reap(t);
	ck_assert_uint_le(most, 101);
	ck_assert_uint_eq(vg_proctab_count(t), 1);
	ck_assert_str_eq(vg_proctab_get(t, 1)->exe, "/bin/sh");
}
END_TEST

/* Without any explicit reap, a bounded table still takes every new process. */
START_TEST(many_processes_without_reap_bounded_by_max)
{
	vg_proctab_free(t);
	t = vg_proctab_new(64);
	exec(1, 1, "/bin/sh");
	for (__u32 i = 0; i < 10000; i++) {
		__u32 pid = 2 + i;

		fork_(1, 1, pid, pid);
		ck_assert_ptr_nonnull(vg_proctab_get(t, pid));
		exit_(pid, pid);
		ck_assert_uint_le(vg_proctab_count(t), 64);
	}
	ck_assert_str_eq(vg_proctab_get(t, 1)->exe, "/bin/sh");
}
END_TEST

/* ---- set-up flag ---- */

START_TEST(setup_flag_from_exec_and_fork)
{
	const struct vg_process *p;
	size_t n;

	n = rec_exec(buf, 100, 1000, "/usr/bin/runc", sh_args, sizeof(sh_args));
	((struct vigil_exec *)buf)->hdr.flags = VIGIL_F_SETUP | VIGIL_F_CONTAINER;
	p = apply(n);
	ck_assert_uint_eq(p->flags & VG_PROC_SETUP, VG_PROC_SETUP);

	n = rec_fork(buf, 100, 1000, 101, 2000, 1);
	((struct vigil_fork *)buf)->hdr.flags = VIGIL_F_SETUP;
	apply(n);
	ck_assert_uint_eq(vg_proctab_get(t, 101)->flags & VG_PROC_SETUP, VG_PROC_SETUP);

	/* the container's own program: the exec without the flag clears it */
	p = exec(101, 2000, "/bin/sh");
	ck_assert_uint_eq(p->flags & VG_PROC_SETUP, 0);

	/* a fork without the flag from a set-up parent: the child is not set-up work */
	fork_(100, 1000, 102, 3000);
	ck_assert_uint_eq(vg_proctab_get(t, 102)->flags & VG_PROC_SETUP, 0);
}
END_TEST

static Suite *proctab_suite(void)
{
	Suite *s = suite_create("proctab");
	TCase *tc = tcase_create("proctab");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, exec_creates_process);
	tcase_add_test(tc, exec_truncated_args_terminated);
	tcase_add_test(tc, exec_again_refreshes);
	tcase_add_test(tc, snapshot_exec_without_strings);
	tcase_add_test(tc, fork_copies_parent_into_child);
	tcase_add_test(tc, fork_from_other_process_with_same_pid_copies_nothing);
	tcase_add_test(tc, fork_after_parent_reaped_by_insert);
	tcase_add_test(tc, repeated_fork_after_exit_still_reaped);
	tcase_add_test(tc, pid_reuse_replaces_old_process);
	tcase_add_test(tc, exit_with_other_start_time_ignored);
	tcase_add_test(tc, setuid_success_updates_uids);
	tcase_add_test(tc, setgid_success_updates_gids);
	tcase_add_test(tc, setid_failure_keeps_ids);
	tcase_add_test(tc, exit_then_reap_removes);
	tcase_add_test(tc, events_of_unknown_process_return_null);
	tcase_add_test(tc, parent_refused_when_start_time_differs);
	tcase_add_test(tc, max_entries_bound_holds);
	tcase_add_test(tc, full_table_reaps_exited_first);
	tcase_add_test(tc, many_short_lived_processes_stay_bounded);
	tcase_add_test(tc, many_processes_without_reap_bounded_by_max);
	tcase_add_test(tc, setup_flag_from_exec_and_fork);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(proctab_suite)
