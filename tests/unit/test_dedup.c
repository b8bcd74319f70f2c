// SPDX-License-Identifier: GPL-2.0
/*
 * Repeat suppression (vg_dedup_*): one alert per (rule, container, key), counted after, in a
 * bounded table.
 */
#include "rules_fixtures.h"

/* ---- dedup ---- */

struct report {
	int calls;
	__u64 counts[8];
	char keys[8][128];
};

static void collect(void *ctx, const char *rule, const char *container_id, const char *key,
		    __u64 count)
{
	struct report *r = ctx;

	if (r->calls < 8) {
		r->counts[r->calls] = count;
		snprintf(r->keys[r->calls], sizeof(r->keys[0]), "%s|%s|%s", rule, container_id,
			 key);
	}
	r->calls++;
}

START_TEST(dedup_first_then_count)
{
	/* Proves 100000 identical calls alert once, then report 99999 repeats and 100000 in
	 * all; a report resets the repeats, so the next one is silent. */
	struct vg_dedup *d = vg_dedup_new();
	struct report r = {0};
	int firsts = 0;

	for (int i = 0; i < 100000; i++)
		firsts += vg_dedup_first(d, "container_root_exec", CONTAINER_ID, "/bin/sh");
	ck_assert_int_eq(firsts, 1);
	ck_assert_uint_eq(vg_dedup_count(d), 1);
	vg_dedup_report(d, false, collect, &r);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_uint_eq(r.counts[0], 99999);
	ck_assert_str_eq(r.keys[0], "container_root_exec|" CONTAINER_ID "|/bin/sh");
	memset(&r, 0, sizeof(r));
	vg_dedup_report(d, false, collect, &r);
	ck_assert_int_eq(r.calls, 0);
	vg_dedup_report(d, true, collect, &r);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_uint_eq(r.counts[0], 100000);
	ck_assert(!vg_dedup_first(d, "container_root_exec", CONTAINER_ID, "/bin/sh"));
	memset(&r, 0, sizeof(r));
	vg_dedup_report(d, false, collect, &r);
	ck_assert_uint_eq(r.counts[0], 1);
	vg_dedup_free(d);
}
END_TEST

START_TEST(dedup_repeats_counted_elsewhere_add_up)
{
	/* Proves counts the kernel kept (coalesced connects) add to an entry as repeats, and
	 * that a forgotten or unseen entry takes them as repeats too, never as a first alert. */
	struct vg_dedup *d = vg_dedup_new();
	struct report r = {0};

	ck_assert(vg_dedup_first(d, "container_unexpected_egress", CONTAINER_ID, "10.0.0.1:80"));
	vg_dedup_add_repeats(d, "container_unexpected_egress", CONTAINER_ID, "10.0.0.1:80", 41);
	ck_assert(!vg_dedup_first(d, "container_unexpected_egress", CONTAINER_ID, "10.0.0.1:80"));
	vg_dedup_add_repeats(d, "container_unexpected_egress", CONTAINER_ID, "[::1]:443", 5);
	vg_dedup_add_repeats(d, "container_unexpected_egress", CONTAINER_ID, "[::1]:443", 0);
	vg_dedup_report(d, false, collect, &r);
	ck_assert_int_eq(r.calls, 2);
	ck_assert_str_eq(r.keys[0], "container_unexpected_egress|" CONTAINER_ID "|[::1]:443");
	ck_assert_uint_eq(r.counts[0], 5);
	ck_assert_uint_eq(r.counts[1], 42);
	memset(&r, 0, sizeof(r));
	vg_dedup_report(d, true, collect, &r);
	ck_assert_uint_eq(r.counts[0], 5);
	ck_assert_uint_eq(r.counts[1], 43);
	vg_dedup_free(d);
}
END_TEST

START_TEST(dedup_keys_are_distinct)
{
	/* Proves rule, container and key each tell entries apart (no concatenation clashes), and
	 * that an entry seen once is not reported as repeated. */
	struct vg_dedup *d = vg_dedup_new();
	struct report r = {0};

	ck_assert(vg_dedup_first(d, "r", "c1", "k"));
	ck_assert(vg_dedup_first(d, "r", "c2", "k"));
	ck_assert(vg_dedup_first(d, "r2", "c1", "k"));
	ck_assert(vg_dedup_first(d, "r", "c1", "k2"));
	ck_assert(vg_dedup_first(d, "r", "c1k", ""));
	ck_assert(vg_dedup_first(d, "r", NULL, "k"));
	ck_assert(!vg_dedup_first(d, "r", "", "k"));
	ck_assert(!vg_dedup_first(d, "r", "c2", "k"));
	ck_assert_uint_eq(vg_dedup_count(d), 6);
	vg_dedup_report(d, false, collect, &r);
	ck_assert_int_eq(r.calls, 2);
	ck_assert_str_eq(r.keys[0], "r|c2|k"); /* most recently seen first */
	ck_assert_str_eq(r.keys[1], "r||k");
	memset(&r, 0, sizeof(r));
	vg_dedup_report(d, true, collect, &r);
	ck_assert_int_eq(r.calls, 6);
	vg_dedup_free(d);
}
END_TEST

START_TEST(dedup_is_bounded_lru)
{
	/* Proves the table never exceeds its bound, forgets the least recently seen entry (which
	 * then alerts again), and keeps one that was seen recently. */
	struct vg_dedup *d = vg_dedup_new_bounded(3);
	char key[32];

	ck_assert_ptr_null(vg_dedup_new_bounded(0));
	ck_assert(vg_dedup_first(d, "r", "c", "a"));
	ck_assert(vg_dedup_first(d, "r", "c", "b"));
	ck_assert(vg_dedup_first(d, "r", "c", "c"));
	ck_assert(!vg_dedup_first(d, "r", "c", "a")); /* a is now the most recent */
	ck_assert(vg_dedup_first(d, "r", "c", "d"));  /* forgets b */
	ck_assert_uint_eq(vg_dedup_count(d), 3);
	ck_assert(!vg_dedup_first(d, "r", "c", "a"));
	ck_assert(vg_dedup_first(d, "r", "c", "b"));
	vg_dedup_free(d);

	d = vg_dedup_new();
	for (int i = 0; i < VG_DEDUP_MAX_ENTRIES + 1000; i++) {
		snprintf(key, sizeof(key), "/tmp/f%d", i);
		ck_assert(vg_dedup_first(d, "container_rootfs_write", CONTAINER_ID, key));
	}
	ck_assert_uint_eq(vg_dedup_count(d), VG_DEDUP_MAX_ENTRIES);
	ck_assert(vg_dedup_first(d, "container_rootfs_write", CONTAINER_ID, "/tmp/f0"));
	ck_assert(!vg_dedup_first(d, "container_rootfs_write", CONTAINER_ID, "/tmp/f65999"));
	vg_dedup_free(d);
}
END_TEST

static Suite *dedup_suite(void)
{
	Suite *s = suite_create("dedup");
	TCase *tc = tcase_create("dedup");
	tcase_add_test(tc, dedup_first_then_count);
	tcase_add_test(tc, dedup_repeats_counted_elsewhere_add_up);
	tcase_add_test(tc, dedup_keys_are_distinct);
	tcase_add_test(tc, dedup_is_bounded_lru);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(dedup_suite)
