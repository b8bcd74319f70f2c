// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding raw records (src/event.c): every event type is split into its checked strings, and
 * every malformed record (sizes, type, string lengths, missing NULs, bad op) is refused with
 * -EINVAL rather than read past its end. The names events are printed with:
 * test_event_names.c.
 */
#include "event_fixtures.h"

/* ---- exec ---- */

static const char sh_args[] = "sh\0-c\0id"; /* sizeof: 9, three strings */

START_TEST(exec_splits_exe_and_argv)
{
	size_t n = rec_exec(buf, 4121, 77, "/bin/sh", sh_args, sizeof(sh_args));

	ck_assert_int_eq(decode(n), 0);
	ck_assert_ptr_eq(ev.hdr, (void *)buf);
	ck_assert_ptr_eq(ev.exec, (void *)buf);
	ck_assert_str_eq(ev.str1, "/bin/sh");
	ck_assert_ptr_eq(ev.str2, ev.str1 + strlen("/bin/sh") + 1);
	ck_assert_uint_eq(ev.args_len, sizeof(sh_args));
	ck_assert_uint_eq(ev.argc, 3);
	ck_assert_int_eq(memcmp(ev.str2, sh_args, sizeof(sh_args)), 0);
	ck_assert_uint_eq(ev.exec->start_time, 77);
	ck_assert_str_eq(ev.exec->comm, "sh");
}
END_TEST

/* Empty arguments are arguments: "a", "", "b" is argc 3. */
START_TEST(exec_counts_empty_arguments)
{
	static const char args[] = "a\0\0b"; /* sizeof: 5 */
	size_t n = rec_exec(buf, 1, 1, "/bin/a", args, sizeof(args));

	ck_assert_int_eq(decode(n), 0);
	ck_assert_uint_eq(ev.argc, 3);
}
END_TEST

/* The kernel cuts argv at VIGIL_ARGS_MAX: a last argument without its NUL still counts. */
START_TEST(exec_truncated_last_argument_counts)
{
	static const char args[] = { 's', 'h', 0, '-', 'c', 0, 'e', 'c', 'h' };
	size_t n = rec_exec(buf, 1, 1, "/bin/sh", args, sizeof(args));

	ck_assert_int_eq(decode(n), 0);
	ck_assert_uint_eq(ev.args_len, sizeof(args));
	ck_assert_uint_eq(ev.argc, 3);
}
END_TEST

/* An exe without any argument decodes with argc 0. */
START_TEST(exec_without_arguments)
{
	size_t n = rec_exec(buf, 1, 1, "/bin/true", "", 0);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "/bin/true");
	ck_assert_uint_eq(ev.argc, 0);
	ck_assert_uint_eq(ev.args_len, 0);
}
END_TEST

/* Snapshot records of the start-up walk carry no strings: both read as "". */
START_TEST(exec_snapshot_without_strings)
{
	size_t n = rec_exec(buf, 9, 9, NULL, NULL, 0);

	((struct vigil_exec *)buf)->hdr.flags = VIGIL_F_SNAPSHOT;
	ck_assert_uint_eq(n, sizeof(struct vigil_exec));
	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "");
	ck_assert_str_eq(ev.str2, "");
	ck_assert_uint_eq(ev.argc, 0);
	ck_assert_uint_eq(ev.args_len, 0);
}
END_TEST

START_TEST(exec_exe_len_overrunning_record_refused)
{
	size_t n = rec_exec(buf, 1, 1, "/bin/sh", sh_args, sizeof(sh_args));
	struct vigil_exec *e = (void *)buf;

	e->exe_len = (__u16)(n - sizeof(*e) + 1);
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

START_TEST(exec_args_len_overrunning_record_refused)
{
	size_t n = rec_exec(buf, 1, 1, "/bin/sh", sh_args, sizeof(sh_args));
	struct vigil_exec *e = (void *)buf;

	e->args_len++;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

/* exe_len one short: the exe's last byte is 'h', not its NUL. */
START_TEST(exec_exe_without_nul_refused)
{
	size_t n = rec_exec(buf, 1, 1, "/bin/sh", sh_args, sizeof(sh_args));
	struct vigil_exec *e = (void *)buf;

	e->exe_len--;
	e->args_len++;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

/* Arguments without an exe are not a snapshot record: exe_len 0 is refused then. */
START_TEST(exec_zero_exe_len_with_args_refused)
{
	size_t n = rec_exec(buf, 1, 1, "/bin/sh", sh_args, sizeof(sh_args));
	struct vigil_exec *e = (void *)buf;

	e->args_len += e->exe_len;
	e->exe_len = 0;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

/* ---- mount ---- */

START_TEST(mount_splits_three_strings)
{
	size_t n = rec_mount(buf, 1, VIGIL_SYS_MOUNT, "/dev/sda1", "/mnt", "ext4", 1);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_ptr_eq(ev.mount, (void *)buf);
	ck_assert_str_eq(ev.str1, "/dev/sda1");
	ck_assert_str_eq(ev.str2, "/mnt");
	ck_assert_str_eq(ev.str3, "ext4");
	ck_assert_uint_eq(ev.mount->flags, 1);
}
END_TEST

/* The kernel writes an absent string as "" (length 1): that is accepted. */
START_TEST(mount_absent_strings_are_empty)
{
	size_t n = rec_mount(buf, 1, VIGIL_SYS_FSMOUNT, "", "", "", 0);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "");
	ck_assert_str_eq(ev.str2, "");
	ck_assert_str_eq(ev.str3, "");
}
END_TEST

START_TEST(mount_zero_length_source_refused)
{
	size_t n = rec_mount(buf, 1, VIGIL_SYS_MOUNT, "", "/mnt", "tmpfs", 0);
	struct vigil_mount *m = (void *)buf;

	m->source_len = 0;
	m->target_len++; /* the lengths still cover the record */
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

START_TEST(mount_target_without_nul_refused)
{
	size_t n = rec_mount(buf, 1, VIGIL_SYS_MOUNT, "none", "/mnt", "tmpfs", 0);
	struct vigil_mount *m = (void *)buf;

	m->target_len--;
	m->fstype_len++;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

START_TEST(mount_fstype_overrunning_record_refused)
{
	size_t n = rec_mount(buf, 1, VIGIL_SYS_MOUNT, "none", "/mnt", "tmpfs", 0);
	struct vigil_mount *m = (void *)buf;

	m->fstype_len++;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

/* ---- connect ---- */

START_TEST(connect_inet)
{
	static const __u8 want[4] = { 93, 184, 216, 34 };
	size_t n = rec_connect_inet(buf, 1, AF_INET, "93.184.216.34", 443);

	ck_assert_uint_eq(n, sizeof(struct vigil_connect));
	ck_assert_int_eq(decode(n), 0);
	ck_assert_ptr_eq(ev.connect, (void *)buf);
	ck_assert_ptr_null(ev.str1);
	ck_assert_uint_eq(ev.connect->family, VIGIL_AF_INET);
	ck_assert_uint_eq(ev.connect->port, 443);
	ck_assert_int_eq(memcmp(ev.connect->addr, want, 4), 0);
}
END_TEST

START_TEST(connect_inet6)
{
	size_t n = rec_connect_inet(buf, 1, AF_INET6, "2001:db8::1", 8443);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_uint_eq(ev.connect->family, VIGIL_AF_INET6);
	ck_assert_uint_eq(ev.connect->addr[0], 0x20);
	ck_assert_uint_eq(ev.connect->addr[15], 1);
	ck_assert_ptr_null(ev.str1);
}
END_TEST

START_TEST(connect_unix_path)
{
	size_t n = rec_connect_unix(buf, 1, "/var/run/docker.sock", false);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "/var/run/docker.sock");
	ck_assert_uint_eq(ev.connect->connect_flags & VIGIL_CONNECT_ABSTRACT, 0);
}
END_TEST

START_TEST(connect_unix_abstract)
{
	size_t n = rec_connect_unix(buf, 1, "containerd-shim", true);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "containerd-shim");
	ck_assert_uint_eq(ev.connect->connect_flags & VIGIL_CONNECT_ABSTRACT,
			  VIGIL_CONNECT_ABSTRACT);
}
END_TEST

START_TEST(connect_unix_zero_length_path_refused)
{
	size_t n = rec_connect_unix(buf, 1, "/run/x.sock", false);

	((struct vigil_connect *)buf)->path_len = 0;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

START_TEST(connect_unix_path_without_nul_refused)
{
	size_t n = rec_connect_unix(buf, 1, "/run/x.sock", false);

	/* the record ends right after the path's last character */
	((struct vigil_connect *)buf)->path_len--;
	((struct vigil_connect *)buf)->hdr.size--;
	ck_assert_int_eq(decode(n - 1), -EINVAL);
}
END_TEST

START_TEST(connect_unix_path_overrunning_record_refused)
{
	size_t n = rec_connect_unix(buf, 1, "/run/x.sock", false);

	((struct vigil_connect *)buf)->path_len++;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

START_TEST(connect_unknown_family_refused)
{
	size_t n = rec_connect_inet(buf, 1, AF_INET, "10.0.0.1", 80);

	((struct vigil_connect *)buf)->family = 3;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

/* ---- write ---- */

START_TEST(write_open_path)
{
	size_t n = rec_write(buf, 1, VIGIL_WRITE_OPEN, "/etc/passwd", NULL, O_WRONLY | O_TRUNC,
			     VIGIL_ROOTFS_YES);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_ptr_eq(ev.write, (void *)buf);
	ck_assert_str_eq(ev.str1, "/etc/passwd");
	ck_assert_str_eq(ev.str2, "");
	ck_assert_int_eq(ev.rootfs, VIGIL_ROOTFS_YES);
}
END_TEST

START_TEST(write_rename_second_path)
{
	size_t n = rec_write(buf, 1, VIGIL_WRITE_RENAME, "/etc/a", "/etc/b", 0,
			     VIGIL_ROOTFS_UNKNOWN);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "/etc/a");
	ck_assert_str_eq(ev.str2, "/etc/b");
	ck_assert_int_eq(ev.rootfs, VIGIL_ROOTFS_UNKNOWN);
}
END_TEST

START_TEST(write_zero_length_path_refused)
{
	size_t n = rec_write(buf, 1, VIGIL_WRITE_UNLINK, "/etc/a", NULL, 0, VIGIL_ROOTFS_NO);
	struct vigil_write *w = (void *)buf;

	w->path2_len += w->path_len;
	w->path_len = 0;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

/* The second string is always written ("" but for rename): a record without one is refused. */
START_TEST(write_missing_second_string_refused)
{
	size_t n = rec_write(buf, 1, VIGIL_WRITE_RENAME, "/etc/a", "", 0, VIGIL_ROOTFS_NO);
	struct vigil_write *w = (void *)buf;

	w->path2_len = 0;
	w->hdr.size--;
	ck_assert_int_eq(decode(n - 1), -EINVAL);
}
END_TEST

START_TEST(write_path_without_nul_refused)
{
	size_t n = rec_write(buf, 1, VIGIL_WRITE_MKDIR, "/etc/d", NULL, 0, VIGIL_ROOTFS_NO);
	struct vigil_write *w = (void *)buf;

	w->path_len--;
	w->path2_len++;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

START_TEST(write_path2_overrunning_record_refused)
{
	size_t n = rec_write(buf, 1, VIGIL_WRITE_RENAME, "/etc/a", "/etc/b", 0, VIGIL_ROOTFS_NO);

	((struct vigil_write *)buf)->path2_len++;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

START_TEST(write_bad_op_refused)
{
	size_t n = rec_write(buf, 1, VIGIL_WRITE_OPEN, "/etc/a", NULL, O_WRONLY, VIGIL_ROOTFS_NO);
	struct vigil_write *w = (void *)buf;

	w->op = 0;
	ck_assert_int_eq(decode(n), -EINVAL);
	w->op = VIGIL_WRITE_OP_MAX;
	ck_assert_int_eq(decode(n), -EINVAL);
	w->op = VIGIL_WRITE_SYMLINK; /* the last valid one */
	ck_assert_int_eq(decode(n), 0);
}
END_TEST

/* ---- the second resolved path, io_uring ---- */

/* A rename's new name joined to its directory follows the first resolved path. */
START_TEST(write_second_resolved_path)
{
	rec_write(buf, 1, VIGIL_WRITE_RENAME, "a", "../etc/b", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/a");
	size_t n = rec_write_resolved2(buf, VIGIL_PATH_JOINED, "/etc/b");

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "a");
	ck_assert_str_eq(ev.str2, "../etc/b");
	ck_assert_str_eq(ev.rpath, "/tmp/a");
	ck_assert_str_eq(ev.rpath2, "/etc/b");
	ck_assert_uint_eq(ev.path_flags & VIGIL_PATH_JOINED, VIGIL_PATH_JOINED);
	ck_assert_str_eq(vg_event_write_path(&ev), "/tmp/a");
	ck_assert_str_eq(vg_event_write_path2(&ev), "/etc/b");
}
END_TEST

/* The second may come without the first (rpath_len 0): a link whose new name was not joined. */
START_TEST(write_second_resolved_path_alone)
{
	rec_write(buf, 1, VIGIL_WRITE_LINK, "/tmp/l", "/etc/passwd", 0, VIGIL_ROOTFS_YES);
	size_t n = rec_write_resolved2(buf, 0, "/etc/passwd");

	ck_assert_int_eq(decode(n), 0);
	ck_assert_ptr_null(ev.rpath);
	ck_assert_str_eq(ev.rpath2, "/etc/passwd");
	ck_assert_str_eq(vg_event_write_path(&ev), "/tmp/l");
	ck_assert_str_eq(vg_event_write_path2(&ev), "/etc/passwd");
}
END_TEST

/* Records made before the second path (nothing after rpath) decode as they did: no rpath2. */
START_TEST(write_old_format_has_no_second_resolved_path)
{
	rec_write(buf, 1, VIGIL_WRITE_RENAME, "/etc/a", "/etc/b", 0, VIGIL_ROOTFS_UNKNOWN);
	size_t n = rec_write_resolved(buf, 0, "/etc/a");

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.rpath, "/etc/a");
	ck_assert_ptr_null(ev.rpath2);
	ck_assert_str_eq(vg_event_write_path2(&ev), "/etc/b");
	n = rec_write(buf, 1, VIGIL_WRITE_UNLINK, "/etc/a", NULL, 0, VIGIL_ROOTFS_UNKNOWN);
	ck_assert_int_eq(decode(n), 0);
	ck_assert_ptr_null(ev.rpath);
	ck_assert_ptr_null(ev.rpath2);
	ck_assert_ptr_null(vg_event_write_path2(&ev));
}
END_TEST

/* A symlink's text is never a resolved path: the second path is the text as given. */
START_TEST(write_symlink_second_path_is_its_text)
{
	size_t n = rec_write(buf, 1, VIGIL_WRITE_SYMLINK, "/tmp/s", "/etc/shadow", 0,
			     VIGIL_ROOTFS_YES);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(vg_event_write_path(&ev), "/tmp/s");
	ck_assert_str_eq(vg_event_write_path2(&ev), "/etc/shadow");
	ck_assert_str_eq(vg_write_op_name(VIGIL_WRITE_LINK), "link");
	ck_assert_str_eq(vg_write_op_name(VIGIL_WRITE_SYMLINK), "symlink");
}
END_TEST

/* A remainder without a NUL would be read past the record's end: refused. */
START_TEST(write_second_resolved_path_without_nul_refused)
{
	rec_write(buf, 1, VIGIL_WRITE_RENAME, "/etc/a", "/etc/b", 0, VIGIL_ROOTFS_NO);
	rec_write_resolved(buf, 0, "/etc/a");
	size_t n = rec_write_resolved2(buf, 0, "/etc/b");

	((struct vigil_write *)buf)->hdr.size--; /* its NUL cut off */
	ck_assert_int_eq(decode(n - 1), -EINVAL);
	/* a single byte that is not a NUL */
	n = rec_write(buf, 1, VIGIL_WRITE_UNLINK, "/etc/a", NULL, 0, VIGIL_ROOTFS_NO);
	buf[n] = 'x';
	((struct vigil_write *)buf)->hdr.size++;
	ck_assert_int_eq(decode(n + 1), -EINVAL);
}
END_TEST

START_TEST(io_uring_create_decodes)
{
	size_t n = rec_io_uring(buf, 7, 3, 64, 1u << 1);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_ptr_eq(ev.io_uring, (void *)buf);
	ck_assert_uint_eq(ev.io_uring->op, VIGIL_IO_URING_CREATE);
	ck_assert_int_eq(ev.io_uring->fd, 3);
	ck_assert_uint_eq(ev.io_uring->sq_entries, 64);
	ck_assert_uint_eq(ev.io_uring->setup_flags, 1u << 1);
	ck_assert_str_eq(vg_io_uring_op_name(ev.io_uring->op), "create");
}
END_TEST

/* An op this agent does not know, or a record shorter than the fixed part, is refused. */
START_TEST(io_uring_bad_op_or_size_refused)
{
	size_t n = rec_io_uring(buf, 7, 3, 64, 0);

	((struct vigil_io_uring *)buf)->op = 0;
	ck_assert_int_eq(decode(n), -EINVAL);
	((struct vigil_io_uring *)buf)->op = VIGIL_IO_URING_CREATE + 1;
	ck_assert_int_eq(decode(n), -EINVAL);
	((struct vigil_io_uring *)buf)->op = VIGIL_IO_URING_CREATE;
	((struct vigil_io_uring *)buf)->hdr.size = (__u16)(n - 4);
	ck_assert_int_eq(decode(n - 4), -EINVAL);
}
END_TEST

/* ---- fixed-size types ---- */

START_TEST(fixed_types_decode)
{
	static const __u32 old_ids[4] = { 1000, 1000, 1000, 1000 }, new_ids[4] = { 0, 0, 0, 0 };
	size_t n;

	n = rec_fork(buf, 10, 100, 11, 110, 2);
	ck_assert_int_eq(decode(n), 0);
	ck_assert_ptr_eq(ev.fork, (void *)buf);
	ck_assert_uint_eq(ev.fork->child_pid, 11);
	ck_assert_ptr_null(ev.str1);

	n = rec_exit(buf, 11, 110, 256);
	ck_assert_int_eq(decode(n), 0);
	ck_assert_int_eq(ev.exit->exit_code, 256);

	n = rec_setid(buf, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 11, 0, old_ids, new_ids);
	ck_assert_int_eq(decode(n), 0);
	ck_assert_uint_eq(ev.setid->syscall, VIGIL_SYS_SETUID);

	n = rec_setid(buf, VIGIL_EVENT_SETGID, VIGIL_SYS_SETRESGID, 11, 0, old_ids, new_ids);
	ck_assert_int_eq(decode(n), 0);
	ck_assert_uint_eq(ev.hdr->type, VIGIL_EVENT_SETGID);

	n = rec_capable(buf, 11, 13, 0);
	ck_assert_int_eq(decode(n), 0);
	ck_assert_uint_eq(ev.capable->cap, 13);
	ck_assert_ptr_null(ev.str1);
	ck_assert_ptr_null(ev.str2);
	ck_assert_ptr_null(ev.str3);
}
END_TEST

/* ---- malformed headers ---- */

START_TEST(size_shorter_than_header_refused)
{
	rec_exit(buf, 1, 1, 0);
	ck_assert_int_eq(vg_event_decode(buf, 0, &ev), -EINVAL);
	ck_assert_int_eq(vg_event_decode(buf, sizeof(struct vigil_event_header) - 1, &ev), -EINVAL);
}
END_TEST

/* header.size must be exactly the buffer's size, neither more nor less. */
START_TEST(header_size_mismatch_refused)
{
	size_t n = rec_exit(buf, 1, 1, 0);

	ck_assert_int_eq(decode(n), 0);
	ck_assert_int_eq(decode(n + 1), -EINVAL);
	ck_assert_int_eq(decode(n - 1), -EINVAL);
	((struct vigil_event_header *)buf)->size = (__u16)(n + 8);
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

/* A record whose size is at least the header but less than its type's fixed part. */
START_TEST(size_shorter_than_fixed_part_refused)
{
	struct vigil_event_header *h = (void *)buf;

	rec_setid(buf, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 1, 0, (__u32[4]){ 0 },
		  (__u32[4]){ 0 });
	h->size = sizeof(struct vigil_setid) - 4;
	ck_assert_int_eq(decode(h->size), -EINVAL);
	rec_exec(buf, 1, 1, NULL, NULL, 0);
	h->size = sizeof(*h);
	ck_assert_int_eq(decode(h->size), -EINVAL);
}
END_TEST

START_TEST(unknown_type_refused)
{
	struct vigil_event_header *h = (void *)buf;
	size_t n = rec_exit(buf, 1, 1, 0);

	h->type = 0;
	ck_assert_int_eq(decode(n), -EINVAL);
	h->type = VIGIL_EVENT_TYPE_MAX;
	ck_assert_int_eq(decode(n), -EINVAL);
	h->type = 0xffff;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

/* The kernel's cgroup record: an absolute path, or a removal without one. */
START_TEST(cgroup_record_path_and_removal)
{
	struct vigil_cgroup *g = (void *)buf;
	size_t n = rec_cgroup(buf, 77, "/libpod_parent/libpod-abc");

	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "/libpod_parent/libpod-abc");
	ck_assert_uint_eq(ev.hdr->cgroup_id, 77);
	n = rec_cgroup(buf, 77, NULL);
	ck_assert_int_eq(decode(n), 0);
	ck_assert_str_eq(ev.str1, "");
	/* a path that is not absolute, a length past the record, a missing NUL: refused */
	n = rec_cgroup(buf, 77, "libpod-abc");
	ck_assert_int_eq(decode(n), -EINVAL);
	n = rec_cgroup(buf, 77, "/a");
	g->path_len = 40;
	ck_assert_int_eq(decode(n), -EINVAL);
	n = rec_cgroup(buf, 77, "/a");
	g->data[2] = 'x';
	ck_assert_int_eq(decode(n), -EINVAL);
	n = rec_cgroup(buf, 77, "/a");
	g->path_len = 0;
	ck_assert_int_eq(decode(n), -EINVAL);
}
END_TEST

static Suite *event_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, exec_splits_exe_and_argv);
	tcase_add_test(tc, exec_counts_empty_arguments);
	tcase_add_test(tc, exec_truncated_last_argument_counts);
	tcase_add_test(tc, exec_without_arguments);
	tcase_add_test(tc, exec_snapshot_without_strings);
	tcase_add_test(tc, mount_splits_three_strings);
	tcase_add_test(tc, mount_absent_strings_are_empty);
	tcase_add_test(tc, connect_inet);
	tcase_add_test(tc, connect_inet6);
	tcase_add_test(tc, connect_unix_path);
	tcase_add_test(tc, connect_unix_abstract);
	tcase_add_test(tc, write_open_path);
	tcase_add_test(tc, write_rename_second_path);
	tcase_add_test(tc, fixed_types_decode);
	tcase_add_test(tc, cgroup_record_path_and_removal);
	tcase_add_test(tc, write_second_resolved_path);
	tcase_add_test(tc, write_second_resolved_path_alone);
	tcase_add_test(tc, write_old_format_has_no_second_resolved_path);
	tcase_add_test(tc, write_symlink_second_path_is_its_text);
	tcase_add_test(tc, io_uring_create_decodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, size_shorter_than_header_refused);
	tcase_add_test(tc, header_size_mismatch_refused);
	tcase_add_test(tc, size_shorter_than_fixed_part_refused);
	tcase_add_test(tc, unknown_type_refused);
	tcase_add_test(tc, exec_exe_len_overrunning_record_refused);
	tcase_add_test(tc, exec_args_len_overrunning_record_refused);
	tcase_add_test(tc, exec_exe_without_nul_refused);
	tcase_add_test(tc, exec_zero_exe_len_with_args_refused);
	tcase_add_test(tc, mount_zero_length_source_refused);
	tcase_add_test(tc, mount_target_without_nul_refused);
	tcase_add_test(tc, mount_fstype_overrunning_record_refused);
	tcase_add_test(tc, connect_unix_zero_length_path_refused);
	tcase_add_test(tc, connect_unix_path_without_nul_refused);
	tcase_add_test(tc, connect_unix_path_overrunning_record_refused);
	tcase_add_test(tc, connect_unknown_family_refused);
	tcase_add_test(tc, write_zero_length_path_refused);
	tcase_add_test(tc, write_missing_second_string_refused);
	tcase_add_test(tc, write_path_without_nul_refused);
	tcase_add_test(tc, write_path2_overrunning_record_refused);
	tcase_add_test(tc, write_bad_op_refused);
	tcase_add_test(tc, write_second_resolved_path_without_nul_refused);
	tcase_add_test(tc, io_uring_bad_op_or_size_refused);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(event_suite)
