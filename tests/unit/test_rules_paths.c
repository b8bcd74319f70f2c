// SPDX-License-Identifier: GPL-2.0
/*
 * Rootfs writes judged by the paths the kernel resolved: the opened file's path, links and
 * their targets, symlinks, joined names, rewritten names, and io_uring (container_io_uring).
 */
#include "rules_fixtures.h"

/* ---- paths from kernel objects ---- */

static struct vg_event decoded;

static const struct vg_event *decode_rec(const void *buf, size_t n)
{
	ck_assert_int_eq(vg_event_decode(buf, n, &decoded), 0);
	return &decoded;
}

START_TEST(drift_by_origin_and_policy)
{
	/* Proves drift fires for upper, mount and memory origins (keyed by the resolved exe), not
	 * for the image, a plain root filesystem or a record without file; drift_allowed_paths
	 * allows by path but never a nameless program; allow_drift allows all. */
	REC_BUF(buf);
	struct vg_policy *paths = policy("{\"default\": {\"allow_root\": true, "
					 "\"drift_allowed_paths\": [\"/opt\"]}}");
	struct vg_policy *all = policy("{\"default\": {\"allow_root\": true, "
				       "\"allow_drift\": true}}");
	static const char args[] = "x";
	const struct vg_alert *a;
	size_t n;

	rec_exec(buf, 4121, 1, "/tmp/x", args, sizeof(args));
	n = rec_exec_file(buf, VIGIL_ORIGIN_UPPER, 0, "/bin/copy");
	a = one(eval(paths, decode_rec(buf, n), &sh, &web), "container_drift_exec", VG_SEV_HIGH,
		"/bin/copy");
	says(a, "written or changed since the container started");
	ck_assert_int_eq(eval(all, decode_rec(buf, n), &sh, &web), 0);
	rec_exec(buf, 4121, 1, "/tmp/x", args, sizeof(args));
	n = rec_exec_file(buf, VIGIL_ORIGIN_MOUNT, 0, "/opt/tool");
	ck_assert_int_eq(eval(paths, decode_rec(buf, n), &sh, &web), 0);
	rec_exec(buf, 4121, 1, "/tmp/x", args, sizeof(args));
	n = rec_exec_file(buf, VIGIL_ORIGIN_MOUNT, VIGIL_PATH_TRUNC, "/opt/tool");
	one(eval(paths, decode_rec(buf, n), &sh, &web), "container_drift_exec", VG_SEV_HIGH,
	    "/opt/tool");
	rec_exec(buf, 4121, 1, "/proc/self/fd/3", args, sizeof(args));
	n = rec_exec_file(buf, VIGIL_ORIGIN_NONAME, VIGIL_PATH_UNREACHABLE, "memfd:x");
	one(eval(paths, decode_rec(buf, n), &sh, &web), "container_drift_exec", VG_SEV_HIGH,
	    "memfd:x");
	for (__u8 o = VIGIL_ORIGIN_UNKNOWN; o <= VIGIL_ORIGIN_ROOTFS; o++) {
		if (o == VIGIL_ORIGIN_UPPER || o == VIGIL_ORIGIN_MOUNT)
			continue;
		rec_exec(buf, 4121, 1, "/bin/sh", args, sizeof(args));
		n = rec_exec_file(buf, o, 0, "/bin/busybox");
		ck_assert_int_eq(eval(paths, decode_rec(buf, n), &sh, &web), 0);
	}
	n = rec_exec(buf, 4121, 1, "/bin/sh", args, sizeof(args));
	ck_assert_int_eq(eval(paths, decode_rec(buf, n), &sh, &web), 0);
	vg_policy_free(paths);
	vg_policy_free(all);
}
END_TEST

START_TEST(rootfs_write_judges_resolved_path)
{
	/* Proves the write rule judges the resolved path (a symlink in /tmp to /etc alerts on
	 * /etc/x; a '..' back into /tmp does not), and that a truncated path or a file with other
	 * names alerts even under writable_paths. */
	REC_BUF(buf);
	size_t n;

	rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/e/x", NULL, 01, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, 0, "/etc/x");
	one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
	    VG_SEV_MEDIUM, "/etc/x");
	rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/etc/../tmp/y", NULL, 01, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, 0, "/tmp/y");
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
	rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/z", NULL, 01, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, VIGIL_PATH_TRUNC, "/tmp/z");
	one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
	    VG_SEV_MEDIUM, "/tmp/z");
	rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/pw", NULL, 01, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, VIGIL_PATH_MULTILINK, "/tmp/pw");
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/tmp/pw"),
	     "(a file with other names)");
}
END_TEST

/* ---- links, symlinks, joined paths, io_uring ---- */

START_TEST(rootfs_write_link_judges_name_and_target)
{
	/* Proves a hard link alerts when the file linked to lies outside writable_paths (a new
	 * name in /tmp for /etc/passwd is a way to write it) or when the new name does, and stays
	 * quiet for a /tmp file linked within /tmp; the target judged is the resolved one. */
	REC_BUF(buf);
	size_t n;

	n = rec_write(buf, 4121, VIGIL_WRITE_LINK, "/tmp/pw", "/etc/passwd", 0, VIGIL_ROOTFS_YES);
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/passwd"),
	     "linked /tmp/pw to /etc/passwd on the root filesystem");
	n = rec_write(buf, 4121, VIGIL_WRITE_LINK, "/tmp/b", "/tmp/a", 0, VIGIL_ROOTFS_YES);
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
	n = rec_write(buf, 4121, VIGIL_WRITE_LINK, "/etc/cron.d/x", "/tmp/a", 0, VIGIL_ROOTFS_YES);
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/cron.d/x"),
	     "linked /etc/cron.d/x to /tmp/a");
	/* the target as given looks harmless; resolved (a symlinked dir) it is /etc/shadow */
	rec_write(buf, 4121, VIGIL_WRITE_LINK, "l", "/tmp/d/shadow", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/l");
	n = rec_write_resolved2(buf, 0, "/etc/shadow");
	one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write", VG_SEV_MEDIUM,
	    "/etc/shadow");
	/* a truncated resolution is never allowed, even under /tmp */
	rec_write(buf, 4121, VIGIL_WRITE_LINK, "/tmp/b", "/tmp/a", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/b");
	n = rec_write_resolved2(buf, VIGIL_PATH_TRUNC, "/tmp/a");
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/tmp/b"),
	     "linked /tmp/b to /tmp/a (path truncated) on");
}
END_TEST

START_TEST(rootfs_write_rewritten_name_is_never_allowed)
{
	/* Proves a name the kernel saw rewritten during the call (entry and exit read different
	 * strings) alerts even under writable_paths and off the root filesystem, and says so. */
	REC_BUF(buf);
	size_t n;

	rec_write(buf, 4121, VIGIL_WRITE_UNLINK, "/tmp/x", NULL, 0, VIGIL_ROOTFS_NO);
	n = rec_write_resolved(buf, VIGIL_PATH_JOINED | VIGIL_PATH_CHANGED, "/tmp/x");
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/tmp/x"),
	     "removed /tmp/x (its name rewritten during the call");
	rec_write(buf, 4121, VIGIL_WRITE_UNLINK, "/tmp/x", NULL, 0, VIGIL_ROOTFS_NO);
	n = rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/x");
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
}
END_TEST

START_TEST(rootfs_write_symlink_judges_its_name_only)
{
	/* Proves a symlink is judged by its new name (in /etc: alert), never by its text, which
	 * names nothing yet (/etc/x from a link in /tmp: quiet). */
	REC_BUF(buf);
	size_t n;

	n = rec_write(buf, 4121, VIGIL_WRITE_SYMLINK, "/etc/profile.d/x.sh", "/tmp/evil", 0,
		      VIGIL_ROOTFS_YES);
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/profile.d/x.sh"),
	     "created the symlink /etc/profile.d/x.sh -> /tmp/evil");
	n = rec_write(buf, 4121, VIGIL_WRITE_SYMLINK, "/tmp/s", "/etc/x", 0, VIGIL_ROOTFS_YES);
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
}
END_TEST

START_TEST(rootfs_write_rename_joined_new_name)
{
	/* Proves a rename's new name joined to its directory by the kernel is judged: "x" renamed
	 * from /tmp into /etc (relative names, directories from kernel objects) alerts on /etc/x,
	 * and the same rename within /tmp is quiet. */
	REC_BUF(buf);
	size_t n;

	rec_write(buf, 4121, VIGIL_WRITE_RENAME, "x", "../etc/x", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/x");
	n = rec_write_resolved2(buf, VIGIL_PATH_JOINED, "/etc/x");
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/x"),
	     "renamed /tmp/x to /etc/x");
	rec_write(buf, 4121, VIGIL_WRITE_RENAME, "x", "y", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/x");
	n = rec_write_resolved2(buf, VIGIL_PATH_JOINED, "/tmp/y");
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
}
END_TEST

START_TEST(rootfs_write_io_uring_in_progress)
{
	/* Proves an io_uring unlink sent at submission (ret -EINPROGRESS, result not awaited) is
	 * judged as attempted and says it came by io_uring, while a failed one (-ENOENT) and the
	 * same request under /tmp stay quiet. */
	REC_BUF(buf);
	struct vigil_write *w = (void *)buf;
	size_t n;

	n = rec_write(buf, 4121, VIGIL_WRITE_UNLINK, "passwd", NULL, 0, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, VIGIL_PATH_JOINED, "/etc/passwd");
	w->hdr.flags |= VIGIL_F_IO_URING;
	w->ret = -EINPROGRESS;
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/passwd"),
	     "removed /etc/passwd (by io_uring) on the root filesystem");
	w->ret = -ENOENT;
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
	n = rec_write(buf, 4121, VIGIL_WRITE_UNLINK, "/tmp/x", NULL, 0, VIGIL_ROOTFS_YES);
	w->hdr.flags |= VIGIL_F_IO_URING;
	w->ret = -EINPROGRESS;
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
}
END_TEST

START_TEST(io_uring_fires_once_per_container)
{
	/* Proves container_io_uring fires on an io_uring instance in a container (medium,
	 * T1562.001, naming seccomp and allow_io_uring), once per container with repeats counted,
	 * again for another container, never for the host, set-up, or with allow_io_uring. */
	struct vg_policy *allow = policy("{\"default\": {\"allow_io_uring\": true}}");
	struct vg_dedup *d = vg_dedup_new();
	const char *repeats[8];
	int n_repeats;
	REC_BUF(buf);
	size_t n = rec_io_uring(buf, 4121, 5, 256, VG_IORING_SETUP_SQPOLL);
	const struct vg_event *e = decode_rec(buf, n);
	const struct vg_alert *a;

	memset(alerts, 0, sizeof(alerts));
	ck_assert_int_eq(vg_rules_eval_dedup(builtin, e, &sh, &web, d, alerts, 8, repeats,
					     &n_repeats), 1);
	a = one(1, "container_io_uring", VG_SEV_MEDIUM, "io_uring");
	mitre_is(a, "T1562.001", NULL, NULL);
	says(a, "process /bin/sh (pid 4121) made an io_uring instance (256 entries, SQPOLL");
	says(a, "bypass system-call hooks and seccomp filters");
	says(a, "Docker's default seccomp profile refuses io_uring_setup");
	says(a, "allow_io_uring");
	ck_assert_int_eq(vg_rules_eval_dedup(builtin, e, &sh, &web, d, alerts, 8, repeats,
					     &n_repeats), 0);
	ck_assert_int_eq(n_repeats, 1);
	ck_assert_str_eq(repeats[0], "container_io_uring");
	ck_assert_int_eq(vg_rules_eval_dedup(builtin, e, &sh, &db, d, alerts, 8, repeats,
					     &n_repeats), 1);
	ck_assert_int_eq(eval(builtin, e, &sh, NULL), 0);
	ck_assert_int_eq(eval(allow, e, &sh, &web), 0);
	((struct vigil_io_uring *)buf)->hdr.flags |= VIGIL_F_SETUP;
	ck_assert_int_eq(eval(builtin, e, &sh, &web), 0);
	vg_dedup_free(d);
	vg_policy_free(allow);
}
END_TEST

static Suite *rules_paths_suite(void)
{
	Suite *s = suite_create("rules_paths");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, drift_by_origin_and_policy);
	tcase_add_test(tc, rootfs_write_judges_resolved_path);
	tcase_add_test(tc, rootfs_write_link_judges_name_and_target);
	tcase_add_test(tc, rootfs_write_rewritten_name_is_never_allowed);
	tcase_add_test(tc, rootfs_write_symlink_judges_its_name_only);
	tcase_add_test(tc, rootfs_write_rename_joined_new_name);
	tcase_add_test(tc, rootfs_write_io_uring_in_progress);
	tcase_add_test(tc, io_uring_fires_once_per_container);
	suite_add_tcase(s, tc);

	tc = tcase_create("dedup");
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(rules_paths_suite)
