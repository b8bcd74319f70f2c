// SPDX-License-Identifier: GPL-2.0
/*
 * The names events are printed with (src/event.c): open flags, capabilities both ways, set-id
 * and mount system calls, event types and exit statuses.
 */
#include "event_fixtures.h"

/* ---- open flags ---- */

static const char *flags_str(unsigned int flags)
{
	static char out[256];

	return vg_open_flags_str(flags, out, sizeof(out));
}

START_TEST(open_flags_rdonly)
{
	ck_assert_str_eq(flags_str(O_RDONLY), "O_RDONLY");
}
END_TEST

START_TEST(open_flags_wronly_creat_trunc)
{
	ck_assert_str_eq(flags_str(O_WRONLY | O_CREAT | O_TRUNC), "O_WRONLY|O_CREAT|O_TRUNC");
}
END_TEST

START_TEST(open_flags_rdwr_append)
{
	ck_assert_str_eq(flags_str(O_RDWR | O_APPEND), "O_RDWR|O_APPEND");
}
END_TEST

/* O_TMPFILE contains O_DIRECTORY's bit: it is named whole, never as O_DIRECTORY|0x... */
START_TEST(open_flags_tmpfile_named_whole)
{
	ck_assert_str_eq(flags_str(O_RDWR | O_TMPFILE), "O_RDWR|O_TMPFILE");
	ck_assert_str_eq(flags_str(O_RDONLY | O_DIRECTORY), "O_RDONLY|O_DIRECTORY");
}
END_TEST

START_TEST(open_flags_unknown_bits_as_hex)
{
	ck_assert_str_eq(flags_str(O_WRONLY | 0x40000000), "O_WRONLY|0x40000000");
	ck_assert_str_eq(flags_str(O_WRONLY | O_CREAT | 0x40000000), "O_WRONLY|O_CREAT|0x40000000");
	ck_assert_str_eq(flags_str(O_ACCMODE), "O_ACCMODE");
}
END_TEST

/* A buffer too small for the names: NUL terminated, a prefix of the whole, nothing beyond. */
START_TEST(open_flags_small_buffer_truncates_safely)
{
	const unsigned int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | 0x40000000;
	char whole[256], small[32];
	const char *r;

	vg_open_flags_str(flags, whole, sizeof(whole));
	for (size_t size = 1; size < 24; size++) {
		memset(small, 'X', sizeof(small));
		r = vg_open_flags_str(flags, small, size);
		ck_assert_ptr_eq(r, small);
		ck_assert_uint_lt(strlen(small), size);
		ck_assert_int_eq(strncmp(small, whole, strlen(small)), 0);
		for (size_t i = size; i < sizeof(small); i++)
			ck_assert_int_eq(small[i], 'X');
	}
}
END_TEST

/* ---- names ---- */

START_TEST(cap_name_from_number)
{
	ck_assert_str_eq(vg_cap_name(0), "CAP_CHOWN");
	ck_assert_str_eq(vg_cap_name(13), "CAP_NET_RAW");
	ck_assert_str_eq(vg_cap_name(21), "CAP_SYS_ADMIN");
	ck_assert_str_eq(vg_cap_name(VG_CAP_LAST), "CAP_CHECKPOINT_RESTORE");
	ck_assert_ptr_null(vg_cap_name(VG_CAP_LAST + 1));
	ck_assert_ptr_null(vg_cap_name(~0u));
}
END_TEST

START_TEST(cap_number_from_name)
{
	ck_assert_int_eq(vg_cap_from_name("CAP_CHOWN"), 0);
	ck_assert_int_eq(vg_cap_from_name("chown"), 0);
	ck_assert_int_eq(vg_cap_from_name("cap_net_raw"), 13);
	ck_assert_int_eq(vg_cap_from_name("SYS_ADMIN"), 21);
	ck_assert_int_eq(vg_cap_from_name("checkpoint_restore"), VG_CAP_LAST);
	ck_assert_int_eq(vg_cap_from_name("CAP_NOPE"), -1);
	ck_assert_int_eq(vg_cap_from_name("nope"), -1);
	ck_assert_int_eq(vg_cap_from_name("CAP_"), -1);
	ck_assert_int_eq(vg_cap_from_name(""), -1);
}
END_TEST

/* Every capability's name maps back to its number, with and without the prefix. */
START_TEST(cap_names_round_trip)
{
	for (unsigned int cap = 0; cap <= VG_CAP_LAST; cap++) {
		const char *name = vg_cap_name(cap);

		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(strncmp(name, "CAP_", 4), 0);
		ck_assert_int_eq(vg_cap_from_name(name), (int)cap);
		ck_assert_int_eq(vg_cap_from_name(name + 4), (int)cap);
	}
}
END_TEST

START_TEST(setid_syscall_names)
{
	static const char *const want[] = { "unknown",	"setuid", "setreuid", "setresuid",
					    "setfsuid", "setgid", "setregid", "setresgid",
					    "setfsgid", "unknown" };

	for (unsigned int i = 0; i <= VIGIL_SYS_SETID_MAX; i++)
		ck_assert_str_eq(vg_setid_syscall_name(i), want[i]);
}
END_TEST

START_TEST(mount_syscall_names)
{
	static const char *const want[] = { "unknown",	 "mount",    "fsmount",
					    "move_mount", "open_tree", "fsconfig", "unknown" };

	for (unsigned int i = 0; i <= VIGIL_SYS_MOUNT_MAX; i++)
		ck_assert_str_eq(vg_mount_syscall_name(i), want[i]);
}
END_TEST

/* The raw wait status split as <sys/wait.h> splits it, for every code and signal. */
START_TEST(exit_status_decoded)
{
	for (int code = 0; code < 256; code++) {
		struct vg_exit_status st = vg_exit_status(code << 8);

		ck_assert_int_eq(st.code, code);
		ck_assert_int_eq(st.signal, 0);
		ck_assert(!st.core_dumped);
	}
	for (int sig = 1; sig < 128; sig++) {
		int status = sig | (sig == 11 ? 0x80 : 0);
		struct vg_exit_status st = vg_exit_status(status);

		if (sig == 0x7f)
			continue; /* "stopped", never an exit status */
		ck_assert_int_eq(st.code, -1);
		ck_assert_int_eq(st.signal, WTERMSIG(status));
		ck_assert_int_eq(st.core_dumped, WCOREDUMP(status) != 0);
	}
}
END_TEST

START_TEST(event_type_names)
{
	static const struct {
		unsigned int type;
		const char *name;
	} want[] = {
		{ 0, "unknown" },
		{ VIGIL_EVENT_EXEC, "exec" },
		{ VIGIL_EVENT_FORK, "fork" },
		{ VIGIL_EVENT_EXIT, "exit" },
		{ VIGIL_EVENT_SETUID, "setuid" },
		{ VIGIL_EVENT_SETGID, "setgid" },
		{ VIGIL_EVENT_CAPABLE, "capable" },
		{ VIGIL_EVENT_MOUNT, "mount" },
		{ VIGIL_EVENT_CONNECT, "connect" },
		{ VIGIL_EVENT_WRITE, "write" },
		{ VIGIL_EVENT_CGROUP, "cgroup" },
		{ VIGIL_EVENT_IO_URING, "io_uring" },
		{ VIGIL_EVENT_TYPE_MAX, "unknown" },
	};

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_str_eq(vg_event_type_name(want[i].type), want[i].name);
}
END_TEST

static Suite *event_names_suite(void)
{
	Suite *s = suite_create("event_names");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, open_flags_rdonly);
	tcase_add_test(tc, open_flags_wronly_creat_trunc);
	tcase_add_test(tc, open_flags_rdwr_append);
	tcase_add_test(tc, open_flags_tmpfile_named_whole);
	tcase_add_test(tc, open_flags_unknown_bits_as_hex);
	tcase_add_test(tc, open_flags_small_buffer_truncates_safely);
	tcase_add_test(tc, cap_name_from_number);
	tcase_add_test(tc, cap_number_from_name);
	tcase_add_test(tc, cap_names_round_trip);
	tcase_add_test(tc, setid_syscall_names);
	tcase_add_test(tc, mount_syscall_names);
	tcase_add_test(tc, event_type_names);
	tcase_add_test(tc, exit_status_decoded);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(event_names_suite)
