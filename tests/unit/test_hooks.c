// SPDX-License-Identifier: GPL-2.0
/* What a kernel's missing hooks leave unmonitored, as the start-up warning says it. */
#include <string.h>

#include "unit.h"
#include "hooks.h"

/* Hooks are named by the behaviour users know them by, whatever the call. */
START_TEST(hooks_name_their_behaviour)
{
	ck_assert_str_eq(vg_hook_behaviour("cap_capable"), "capability use");
	ck_assert_str_eq(vg_hook_behaviour("setresgid"), "setuid/setgid");
	ck_assert_str_eq(vg_hook_behaviour("setfsuid"), "setuid/setgid");
	ck_assert_str_eq(vg_hook_behaviour("fsmount"), "mount");
	ck_assert_str_eq(vg_hook_behaviour("openat2"), "file writes");
	ck_assert_str_eq(vg_hook_behaviour("renameat2"), "file writes");
	ck_assert_str_eq(vg_hook_behaviour("connect"), "connect");
	ck_assert_str_eq(vg_hook_behaviour("sched_process_exit"), "exit");
	ck_assert_str_eq(vg_hook_behaviour("cgroup_mkdir"), "container attribution");
	/* "set" + "id" only: setxattr is no identity change */
	ck_assert_str_eq(vg_hook_behaviour("setxattr"), "other hooks");
}
END_TEST

/* Every hook present: nothing to warn about. */
START_TEST(full_coverage_says_nothing)
{
	struct vg_coverage cov = {};
	char text[256] = "x";

	vg_coverage_hook(&cov, "openat", true, NULL);
	vg_coverage_hook(&cov, "cap_capable", true, NULL);
	vg_coverage_text(&cov, text, sizeof(text));
	ck_assert_str_eq(text, "");
}
END_TEST

/*
 * A behaviour whose every hook is missing is "not monitored", named first; one with some of
 * its hooks is "partly"; a call's entry and exit missing name it once.
 */
START_TEST(gaps_whole_then_partial)
{
	struct vg_coverage cov = {};
	char text[512];

	vg_coverage_hook(&cov, "mount", true, NULL);
	vg_coverage_hook(&cov, "fsmount", false, NULL);
	vg_coverage_hook(&cov, "fsmount", false, NULL);
	vg_coverage_hook(&cov, "cap_capable", false, "no tracepoint, fexit refused, no kprobes");
	vg_coverage_hook(&cov, "openat", true, NULL);
	vg_coverage_text(&cov, text, sizeof(text));
	ck_assert_str_eq(text, "capability use (cap_capable: no tracepoint, fexit refused, no "
			       "kprobes); partly: mount (fsmount: no tracepoint)");
}
END_TEST

/* A buffer too small is cut, terminated, never overrun. */
START_TEST(gap_text_cut_safely)
{
	struct vg_coverage cov = {};
	char text[16];

	memset(text, 'z', sizeof(text));
	vg_coverage_hook(&cov, "cap_capable", false, NULL);
	vg_coverage_hook(&cov, "connect", false, NULL);
	vg_coverage_text(&cov, text, 12);
	ck_assert_uint_eq(strlen(text), 11);
	ck_assert_int_eq(text[12], 'z');
}
END_TEST

static Suite *hooks_suite(void)
{
	Suite *s = suite_create("hooks");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, hooks_name_their_behaviour);
	tcase_add_test(tc, full_coverage_says_nothing);
	tcase_add_test(tc, gaps_whole_then_partial);
	tcase_add_test(tc, gap_text_cut_safely);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(hooks_suite)
