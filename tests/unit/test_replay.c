// SPDX-License-Identifier: GPL-2.0
/* --since/--until parsing: absolute RFC 3339 times and durations from the capture's start. */
#include "unit.h"

#include "capture.h"
#include "cli.h"

/* boot at 2026-11-22T10:00:00Z, recording started 100 s after boot */
static const struct vg_capture_info info = {
	.version = 1,
	.boot_time_ns = 1795341600ULL * 1000000000ULL,
	.start_time_ns = 1795341600ULL * 1000000000ULL + 100ULL * 1000000000ULL,
};

START_TEST(rfc3339_utc_is_boot_relative)
{
	bool bad;

	ck_assert_uint_eq(vg_parse_time_bound("2026-11-22T10:00:05Z", &info, &bad),
			  5ULL * 1000000000ULL);
	ck_assert(!bad);
}
END_TEST

START_TEST(rfc3339_fraction_and_offset)
{
	bool bad;

	/* 11:00:05.25+01:00 is 10:00:05.25Z */
	ck_assert_uint_eq(vg_parse_time_bound("2026-11-22T11:00:05.25+01:00", &info, &bad),
			  5250000000ULL);
	ck_assert(!bad);
	ck_assert_uint_eq(vg_parse_time_bound("2026-11-22T09:00:05-01:00", &info, &bad),
			  5000000000ULL);
	ck_assert(!bad);
}
END_TEST

START_TEST(durations_count_from_the_recording_start)
{
	bool bad;

	ck_assert_uint_eq(vg_parse_time_bound("90s", &info, &bad), 190ULL * 1000000000ULL);
	ck_assert_uint_eq(vg_parse_time_bound("2m", &info, &bad), 220ULL * 1000000000ULL);
	ck_assert_uint_eq(vg_parse_time_bound("1h", &info, &bad), 3700ULL * 1000000000ULL);
	ck_assert_uint_eq(vg_parse_time_bound("250ms", &info, &bad), 100250000000ULL);
	ck_assert(!bad);
}
END_TEST

START_TEST(garbage_is_refused)
{
	const char *bad_inputs[] = { "", "yesterday", "10s later", "2026-11-22", "2026-11-22T10:00:00",
				     "2026-11-22T10:00:00Zjunk", "-5s", "5x" };
	bool bad;

	for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		vg_parse_time_bound(bad_inputs[i], &info, &bad);
		ck_assert_msg(bad, "'%s' must be refused", bad_inputs[i]);
	}
}
END_TEST

static Suite *replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("time bounds");

	tcase_add_test(tc, rfc3339_utc_is_boot_relative);
	tcase_add_test(tc, rfc3339_fraction_and_offset);
	tcase_add_test(tc, durations_count_from_the_recording_start);
	tcase_add_test(tc, garbage_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(replay_suite)
