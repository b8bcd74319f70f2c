// SPDX-License-Identifier: GPL-2.0
/*
 * Symlinks containers made (src/linktab.c): a name given through a directory symlink the
 * container made comes out as the path it really names, relative and absolute link texts,
 * chains, renamed and removed links; each container sees only its own; loops and overlong
 * names are refused, not followed forever.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "event.h"
#include "linktab.h"
#include "records.h"

static struct vg_linktab *t;
static char out[256];

static void setup(void)
{
	t = vg_linktab_new();
	ck_assert_ptr_nonnull(t);
}

static void teardown(void)
{
	vg_linktab_free(t);
}

START_TEST(rename_into_a_symlinked_directory_is_the_real_path)
{
	ck_assert_int_eq(vg_linktab_add(t, 7, "/tmp/e", "/etc"), 0);
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/e/passwd", out, sizeof(out)), 1);
	ck_assert_str_eq(out, "/etc/passwd");
	/* the link itself (last component) is not followed: removing /tmp/e removes the link */
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/e", out, sizeof(out)), 0);
	/* another container has no such link */
	ck_assert_int_eq(vg_linktab_resolve(t, 8, "/tmp/e/passwd", out, sizeof(out)), 0);
}
END_TEST

START_TEST(relative_texts_and_chains)
{
	ck_assert_int_eq(vg_linktab_add(t, 7, "/tmp/a", "../etc"), 0);
	ck_assert_int_eq(vg_linktab_add(t, 7, "/tmp/b", "a/ssl"), 0);
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/b/certs/x", out, sizeof(out)), 1);
	ck_assert_str_eq(out, "/etc/ssl/certs/x");
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/./a/../a/x", out, sizeof(out)), 1);
	ck_assert_str_eq(out, "/etc/x");
}
END_TEST

START_TEST(moved_and_removed_links_follow_the_calls)
{
	ck_assert_int_eq(vg_linktab_add(t, 7, "/tmp/d/e", "/etc"), 0);
	vg_linktab_move(t, 7, "/tmp/d", "/tmp/n"); /* the directory holding it renamed */
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/d/e/x", out, sizeof(out)), 0);
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/n/e/x", out, sizeof(out)), 1);
	ck_assert_str_eq(out, "/etc/x");
	vg_linktab_move(t, 7, "/tmp/n/e", NULL);
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/n/e/x", out, sizeof(out)), 0);
	ck_assert_int_eq(vg_linktab_count(t, 7), 0);
	/* a prefix that is not a whole component leaves others alone */
	ck_assert_int_eq(vg_linktab_add(t, 7, "/tmp/ab", "/etc"), 0);
	vg_linktab_move(t, 7, "/tmp/a", NULL);
	ck_assert_int_eq(vg_linktab_count(t, 7), 1);
	vg_linktab_forget(t, 7);
	ck_assert_int_eq(vg_linktab_count(t, 7), 0);
}
END_TEST

START_TEST(loops_and_long_names_are_refused)
{
	char longtext[900];

	ck_assert_int_eq(vg_linktab_add(t, 7, "/tmp/x", "/tmp/y"), 0);
	ck_assert_int_eq(vg_linktab_add(t, 7, "/tmp/y", "/tmp/x"), 0);
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/x/f", out, sizeof(out)), -ELOOP);
	memset(longtext, 'a', sizeof(longtext) - 1);
	longtext[0] = '/';
	longtext[sizeof(longtext) - 1] = 0;
	ck_assert_int_eq(vg_linktab_add(t, 7, "/tmp/l", longtext), 0);
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/l/f", out, sizeof(out)), -ENAMETOOLONG);
	ck_assert_int_eq(vg_linktab_add(t, 7, "relative", "/etc"), -EINVAL);
}
END_TEST

START_TEST(a_flood_of_links_keeps_the_newest)
{
	char path[64];

	for (int i = 0; i < VG_LINKTAB_PER_OWNER + 10; i++) {
		snprintf(path, sizeof(path), "/tmp/l%d", i);
		ck_assert_int_eq(vg_linktab_add(t, 7, path, "/etc"), 0);
	}
	ck_assert_int_eq(vg_linktab_count(t, 7), VG_LINKTAB_PER_OWNER);
	snprintf(path, sizeof(path), "/tmp/l%d/x", VG_LINKTAB_PER_OWNER + 9);
	ck_assert_int_eq(vg_linktab_resolve(t, 7, path, out, sizeof(out)), 1);
	ck_assert_int_eq(vg_linktab_resolve(t, 7, "/tmp/l0/x", out, sizeof(out)), 0);
}
END_TEST

/* A container's write record with joined names, decoded. */
static void joined(void *buf, struct vg_event *ev, __u32 op, const char *path, const char *path2,
		   const char *rpath, const char *rpath2)
{
	rec_write(buf, 10, op, path, path2, 0, VIGIL_ROOTFS_UNKNOWN);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, rpath);
	if (rpath2)
		rec_write_resolved2(buf, 0, rpath2);
	((struct vigil_event_header *)buf)->flags = VIGIL_F_CONTAINER;
	ck_assert_int_eq(vg_event_decode(buf, ((struct vigil_event_header *)buf)->size, ev), 0);
}

START_TEST(events_are_seen_through_the_links_made_before_them)
{
	char bufs[2][VG_LINKTAB_PATH_MAX];
	REC_BUF(rec);
	struct vg_event ev;

	/* ln -s /etc /tmp/e: learnt from its record */
	joined(rec, &ev, VIGIL_WRITE_SYMLINK, "/tmp/e", "/etc", "/tmp/e", NULL);
	vg_linktab_follow(t, bufs, &ev, true);
	ck_assert(!ev.symlinks_followed);
	/* mv /tmp/x /tmp/e/passwd: the new name is /etc/passwd, placed again by the agent */
	joined(rec, &ev, VIGIL_WRITE_RENAME, "/tmp/x", "/tmp/e/passwd", "/tmp/x", "/tmp/e/passwd");
	ev.rootfs = VIGIL_ROOTFS_NO;
	vg_linktab_follow(t, bufs, &ev, true);
	ck_assert(ev.symlinks_followed);
	ck_assert_str_eq(ev.rpath2, "/etc/passwd");
	ck_assert_str_eq(ev.rpath, "/tmp/x");
	ck_assert_int_eq(ev.rootfs, VIGIL_ROOTFS_UNKNOWN);
	/* rm /tmp/e: the link itself goes, and names through it are as given again */
	joined(rec, &ev, VIGIL_WRITE_UNLINK, "/tmp/e", NULL, "/tmp/e", NULL);
	vg_linktab_follow(t, bufs, &ev, true);
	joined(rec, &ev, VIGIL_WRITE_MKDIR, "/tmp/e/d", NULL, "/tmp/e/d", NULL);
	vg_linktab_follow(t, bufs, &ev, true);
	ck_assert(!ev.symlinks_followed);
	ck_assert_str_eq(ev.rpath, "/tmp/e/d");
	/* a failed symlink call teaches nothing */
	joined(rec, &ev, VIGIL_WRITE_SYMLINK, "/tmp/f", "/etc", "/tmp/f", NULL);
	((struct vigil_write *)rec)->ret = -17;
	ck_assert_int_eq(vg_event_decode(rec, ((struct vigil_event_header *)rec)->size, &ev), 0);
	vg_linktab_follow(t, bufs, &ev, true);
	ck_assert_int_eq(vg_linktab_count(t, REC_CGROUP_ID), 0);
}
END_TEST

static Suite *linktab_suite(void)
{
	Suite *s = suite_create("linktab");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rename_into_a_symlinked_directory_is_the_real_path);
	tcase_add_test(tc, relative_texts_and_chains);
	tcase_add_test(tc, moved_and_removed_links_follow_the_calls);
	tcase_add_test(tc, loops_and_long_names_are_refused);
	tcase_add_test(tc, a_flood_of_links_keeps_the_newest);
	tcase_add_test(tc, events_are_seen_through_the_links_made_before_them);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(linktab_suite)
