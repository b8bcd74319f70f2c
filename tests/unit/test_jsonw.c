// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer (src/jsonw.c) against json-c, its reference: for the same values it writes the
 * bytes json-c writes with VG_JSONW_JSONC_FLAGS, strings sanitised as vg_json_string_len() does
 * (invalid UTF-8 becomes U+FFFD); commas, nesting and integers by hand, the buffer reused.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "unit.h"
#include "jsonw.h"
#include "output.h"

#define FFFD "\xef\xbf\xbd"

static struct vg_jsonw w;

static void teardown(void)
{
	vg_jsonw_free(&w);
}

/* What the writer holds, as a string for the assertions. */
static const char *text(void)
{
	static char copy[1 << 20];

	ck_assert(!w.failed);
	ck_assert_uint_lt(w.len, sizeof(copy));
	memcpy(copy, w.buf, w.len);
	copy[w.len] = '\0';
	return copy;
}

/* json-c's serialisation of obj, which is put. */
static const char *json_c(struct json_object *obj)
{
	static char copy[1 << 20];
	size_t len;
	const char *s = json_object_to_json_string_length(obj, VG_JSONW_JSONC_FLAGS, &len);

	ck_assert_uint_lt(len, sizeof(copy));
	memcpy(copy, s, len + 1);
	json_object_put(obj);
	return copy;
}

/* n bytes of s written alone: exactly json-c's string of vg_json_string_len(s, n). */
static void string_as_json_c(const char *s, size_t n)
{
	const char *want = json_c(vg_json_string_len(s, n));

	vg_jsonw_reset(&w);
	vg_jsonw_string(&w, s, n);
	ck_assert_uint_eq(w.len, strlen(want));
	ck_assert_msg(!memcmp(w.buf, want, w.len), "jsonw %.*s, json-c %s", (int)w.len, w.buf,
		      want);
}

static void string_is(const char *s, size_t n, const char *want)
{
	vg_jsonw_reset(&w);
	vg_jsonw_string(&w, s, n);
	ck_assert_str_eq(text(), want);
}

/* Each byte alone, 0x00 to 0xff, is escaped, copied or replaced as json-c and the sanitiser do. */
START_TEST(every_byte_alone)
{
	for (int b = 0; b < 256; b++) {
		char c = (char)b;

		string_as_json_c(&c, 1);
	}
}
END_TEST

/* All 256 bytes in one string, and the printable ones between runs of the others. */
START_TEST(every_byte_together)
{
	char all[256 * 3];
	size_t n = 0;

	for (int b = 0; b < 256; b++)
		all[n++] = (char)b;
	string_as_json_c(all, n);
	n = 0;
	for (int b = 0; b < 256; b++) {
		all[n++] = 'a';
		all[n++] = (char)b;
		all[n++] = (char)(255 - b);
	}
	string_as_json_c(all, n);
}
END_TEST

/*
 * What json-c writes, spelt out: two-character escapes for " \ \b \f \n \r \t, \u00XX with
 * lowercase hex for the other control characters, '/' and 0x7f as they are.
 */
START_TEST(escapes_spelt_out)
{
	string_is("\"\\/", 3, "\"\\\"\\\\/\"");
	string_is("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
	string_is("\x01\x0b\x1b\x1f", 4, "\"\\u0001\\u000b\\u001b\\u001f\"");
	string_is("\0x", 2, "\"\\u0000x\"");
	string_is("\x7f", 1, "\"\x7f\"");
	string_is("a/b/c", 5, "\"a/b/c\"");
	string_is("", 0, "\"\"");
}
END_TEST

/*
 * Invalid UTF-8 becomes U+FFFD byte by byte, exactly where vg_json_string_len() replaces it:
 * overlong forms, surrogates, beyond U+10FFFF, cut sequences, stray continuation bytes, bytes
 * that never start one; valid sequences at every length boundary stay.
 */
START_TEST(utf8_sanitised_in_the_same_pass)
{
	static const struct {
		const char *s;
		const char *want; /* inside the quotes */
	} cases[] = {
		{ "\xc2\x80", "\xc2\x80" },		/* U+0080 */
		{ "\xdf\xbf", "\xdf\xbf" },		/* U+07FF */
		{ "\xe0\xa0\x80", "\xe0\xa0\x80" },	/* U+0800 */
		{ "\xed\x9f\xbf", "\xed\x9f\xbf" },	/* U+D7FF */
		{ "\xee\x80\x80", "\xee\x80\x80" },	/* U+E000 */
		{ "\xef\xbf\xbf", "\xef\xbf\xbf" },	/* U+FFFF */
		{ "\xf0\x90\x80\x80", "\xf0\x90\x80\x80" }, /* U+10000 */
		{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" }, /* U+10FFFF */
		{ "\xc0\xaf", FFFD FFFD },		/* overlong '/' */
		{ "\xc1\xbf", FFFD FFFD },
		{ "\xe0\x80\xaf", FFFD FFFD FFFD },
		{ "\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD },
		{ "\xed\xa0\x80", FFFD FFFD FFFD },	/* U+D800 */
		{ "\xed\xbf\xbf", FFFD FFFD FFFD },	/* U+DFFF */
		{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD }, /* U+110000 */
		{ "\xf5\x80\x80\x80", FFFD FFFD FFFD FFFD },
		{ "\xff\xfe", FFFD FFFD },
		{ "\x80", FFFD },
		{ "a\xe2\x82", "a" FFFD FFFD },		/* cut at the end */
		{ "\xe2\x82" "a", FFFD FFFD "a" },	/* cut before ASCII */
		{ "\xe2\x82\xe2\x82\xac", FFFD FFFD "\xe2\x82\xac" },
		{ "\xc3\n", FFFD "\\n" },		/* cut by a control character */
		{ "\xc3\"", FFFD "\\\"" },
	};
	char want[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(want, sizeof(want), "\"%s\"", cases[i].want);
		string_is(cases[i].s, strlen(cases[i].s), want);
		string_as_json_c(cases[i].s, strlen(cases[i].s));
	}
}
END_TEST

/*
 * Random strings, heavy in the bytes that matter, of every length around the word-at-a-time
 * scan (8 bytes) and at every offset of it: the same bytes as json-c.
 */
START_TEST(random_strings_as_json_c)
{
	static const unsigned char interesting[] = { 0x00, 0x01, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f,
						     0x20, '"',	 '/',  '\\', 'a',  0x7f, 0x80, 0xbf,
						     0xc2, 0xc3, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4,
						     0xf5, 0xff, 0x82, 0xac, 0xa9 };
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	char s[80];

	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % 41);

		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			if ((seed >> 60) < 10)
				s[i] = (char)('a' + (seed >> 33) % 26); /* long plain runs too */
			else
				s[i] = (char)interesting[(seed >> 33) % sizeof(interesting)];
		}
		string_as_json_c(s, n);
	}
}
END_TEST

/* Integers as json-c's "%" PRId64: the extremes, zero, and every digit-count boundary. */
START_TEST(int64_as_json_c)
{
	int64_t values[64 * 2 + 8];
	size_t n = 0;

	values[n++] = INT64_MIN;
	values[n++] = INT64_MIN + 1;
	values[n++] = INT64_MAX;
	values[n++] = 0;
	values[n++] = -1;
	for (int64_t p = 1; p <= INT64_MAX / 10; p *= 10) {
		values[n++] = p - 1;
		values[n++] = p;
		values[n++] = -p;
		values[n++] = -2 * p;
	}
	for (size_t i = 0; i < n; i++) {
		vg_jsonw_reset(&w);
		vg_jsonw_int(&w, values[i]);
		ck_assert_str_eq(text(), json_c(json_object_new_int64(values[i])));
	}
	vg_jsonw_reset(&w);
	vg_jsonw_int(&w, INT64_MIN);
	ck_assert_str_eq(text(), "-9223372036854775808");
}
END_TEST

/*
 * Objects and arrays, nested and empty, with every kind of value: the commas go where json-c
 * puts them, a raw value and an escaped key included.
 */
START_TEST(structure_as_json_c)
{
	struct json_object *obj = json_object_new_object(), *arr = json_object_new_array();
	struct json_object *inner = json_object_new_object();

	json_object_object_add(obj, "a", json_object_new_int64(1));
	json_object_object_add(obj, "empty", json_object_new_object());
	json_object_object_add(obj, "none", json_object_new_array());
	json_object_array_add(arr, json_object_new_string("x"));
	json_object_array_add(arr, NULL);
	json_object_array_add(arr, json_object_new_boolean(1));
	json_object_array_add(arr, json_object_new_array());
	json_object_array_add(arr, json_object_new_int64(-7));
	json_object_object_add(obj, "list", arr);
	json_object_object_add(inner, "f", json_object_new_boolean(0));
	json_object_object_add(inner, "n", NULL);
	json_object_object_add(obj, "inner", inner);
	json_object_object_add(obj, "raw", json_object_new_object());
	json_object_object_add(obj, "k\"\n/", json_object_new_string(""));

	vg_jsonw_reset(&w);
	vg_jsonw_open_object(&w);
	VG_JSONW_KEY(&w, "a");
	vg_jsonw_int(&w, 1);
	VG_JSONW_KEY(&w, "empty");
	vg_jsonw_open_object(&w);
	vg_jsonw_close_object(&w);
	vg_jsonw_key(&w, "none");
	vg_jsonw_open_array(&w);
	vg_jsonw_close_array(&w);
	VG_JSONW_KEY(&w, "list");
	vg_jsonw_open_array(&w);
	vg_jsonw_str(&w, "x");
	vg_jsonw_null(&w);
	vg_jsonw_bool(&w, true);
	vg_jsonw_open_array(&w);
	vg_jsonw_close_array(&w);
	vg_jsonw_int(&w, -7);
	vg_jsonw_close_array(&w);
	VG_JSONW_KEY(&w, "inner");
	vg_jsonw_open_object(&w);
	VG_JSONW_KEY(&w, "f");
	vg_jsonw_bool(&w, false);
	VG_JSONW_KEY(&w, "n");
	vg_jsonw_null(&w);
	vg_jsonw_close_object(&w);
	VG_JSONW_KEY(&w, "raw");
	vg_jsonw_raw(&w, "{}", 2);
	vg_jsonw_key(&w, "k\"\n/");
	vg_jsonw_str(&w, NULL); /* NULL is "" */
	vg_jsonw_close_object(&w);
	ck_assert_str_eq(text(), json_c(obj));
}
END_TEST

/*
 * The buffer grows for a long line (each of 100,000 control characters takes 6 bytes) and is
 * kept: after a reset a short line is written into the same memory, without allocating.
 */
START_TEST(buffer_grows_and_is_reused)
{
	static char s[100000];
	char *buf;
	size_t cap;

	memset(s, '\x01', sizeof(s));
	string_as_json_c(s, sizeof(s));
	ck_assert_uint_eq(w.len, sizeof(s) * 6 + 2);
	buf = w.buf;
	cap = w.cap;
	vg_jsonw_reset(&w);
	vg_jsonw_open_object(&w);
	VG_JSONW_KEY(&w, "k");
	vg_jsonw_int(&w, 5);
	vg_jsonw_close_object(&w);
	vg_jsonw_append(&w, "\n", 1);
	ck_assert_str_eq(text(), "{\"k\":5}\n");
	ck_assert_ptr_eq(w.buf, buf);
	ck_assert_uint_eq(w.cap, cap);
}
END_TEST

static Suite *jsonw_suite(void)
{
	Suite *s = suite_create("jsonw");
	TCase *tc = tcase_create("as json-c");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, every_byte_alone);
	tcase_add_test(tc, every_byte_together);
	tcase_add_test(tc, escapes_spelt_out);
	tcase_add_test(tc, utf8_sanitised_in_the_same_pass);
	tcase_add_test(tc, random_strings_as_json_c);
	tcase_add_test(tc, int64_as_json_c);
	tcase_add_test(tc, structure_as_json_c);
	tcase_add_test(tc, buffer_grows_and_is_reused);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(jsonw_suite)
