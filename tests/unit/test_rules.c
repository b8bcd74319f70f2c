// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of SPEC ("Rules") on processes and files: each fires on the behaviour it guards and
 * stays quiet on its look-alikes (set-up work, host processes, what the policy allows, failed or
 * harmless calls); alerts carry the rule id, severity, MITRE ids, a key and an actionable
 * message. Sockets, egress and mounts: test_rules_net.c; paths and links: test_rules_paths.c.
 */
#include "rules_fixtures.h"

/* ---- general ---- */

START_TEST(severity_names)
{
	/* Proves the severity spellings of SPEC's JSON. */
	ck_assert_str_eq(vg_severity_name(VG_SEV_LOW), "low");
	ck_assert_str_eq(vg_severity_name(VG_SEV_MEDIUM), "medium");
	ck_assert_str_eq(vg_severity_name(VG_SEV_HIGH), "high");
	ck_assert_str_eq(vg_severity_name(VG_SEV_CRITICAL), "critical");
}
END_TEST

START_TEST(host_setup_and_degenerate_inputs_raise_nothing)
{
	/* Proves host processes, the runtime's set-up (flagged on the event or on the process),
	 * and calls without room for alerts raise nothing, for an event that otherwise alerts. */
	struct vg_process setup_proc = sh;

	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 0, 0, 0), &sh, &web), 1);
	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 0, 0, 0), &sh, NULL), 0);
	exec_event("/bin/sh", 0, 0, 0);
	((struct vigil_event_header *)record)->flags |= VIGIL_F_SETUP;
	ck_assert_int_eq(eval(builtin, &ev, &sh, &web), 0);
	setup_proc.flags = VG_PROC_SETUP;
	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 0, 0, 0), &setup_proc, &web), 0);
	ck_assert_int_eq(
		vg_rules_eval(builtin, exec_event("/bin/sh", 0, 0, 0), &sh, &web, alerts, 0), 0);
	ck_assert_int_eq(eval(NULL, exec_event("/bin/sh", 0, 0, 0), &sh, &web), 0);
}
END_TEST

START_TEST(output_is_bounded_by_max)
{
	/* Proves an event raising two alerts writes only as many as there is room for. */
	const struct vg_event *e = exec_event("/usr/bin/passwd", 1000, 0, VIGIL_EXEC_SECUREEXEC);

	ck_assert_int_eq(eval(builtin, e, &sh, &web), 2);
	memset(alerts, 0, sizeof(alerts));
	ck_assert_int_eq(vg_rules_eval(builtin, e, &sh, &web, alerts, 1), 1);
	ck_assert_ptr_null(alerts[1].rule);
}
END_TEST

START_TEST(entry_precedence_decides)
{
	/* Proves the policy entry selected for the container is the one applied: the same event
	 * alerts in one container and not in another whose entry allows it. */
	struct vg_policy *p =
		policy("{\"containers\": [{\"match\": {\"name\": \"web\"}, "
		       "\"allow_root\": true}, {\"match\": {}, \"allow_root\": false}]}");

	ck_assert_int_eq(eval(p, exec_event("/bin/sh", 0, 0, 0), &sh, &web), 0);
	one(eval(p, exec_event("/bin/sh", 0, 0, 0), &sh, &db), "container_root_exec", VG_SEV_MEDIUM,
	    "/bin/sh");
	vg_policy_free(p);
}
END_TEST

/* ---- container_root_exec ---- */

START_TEST(root_exec_fires)
{
	/* Proves an exec with euid 0 alerts, naming program, pid, container, image and policy. */
	const struct vg_alert *a = one(eval(builtin, exec_event("/bin/sh", 0, 0, 0), &sh, &web),
				       "container_root_exec", VG_SEV_MEDIUM, "/bin/sh");

	mitre_is(a, "T1611", NULL, NULL);
	says(a, "process /bin/sh (pid 4121) ran as root in container web (localhost/app:1); "
		"policy expects a non-root user (allow_root false)");
}
END_TEST

START_TEST(root_exec_quiet)
{
	/* Proves a non-root exec, and a root exec the policy allows, raise nothing. */
	struct vg_policy *p = policy("{\"default\": {\"allow_root\": true}}");

	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 1000, 1000, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 0, 1000, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, exec_event("/bin/sh", 0, 0, 0), &sh, &web), 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(messages_without_name_or_process)
{
	/* Proves a container without a name is named by its short id, and an event whose
	 * process is unknown still names what it can (the exe, or the pid). */
	struct vg_process no_exe = sh;
	const struct vg_alert *a =
		one(eval(builtin, exec_event("/bin/id", 0, 0, 0), NULL, &anonymous),
		    "container_root_exec", VG_SEV_MEDIUM, "/bin/id");

	says(a, "process /bin/id (pid 4121) ran as root in container 4f1c2b3a5d6e;");
	a = one(eval(builtin, mount_event(VIGIL_SYS_MOUNT, 0, "proc", "/mnt", "proc"), NULL, &web),
		"container_mount", VG_SEV_HIGH, "/mnt");
	says(a, "process pid 4121 called mount");
	no_exe.exe = NULL;
	a = one(eval(builtin, mount_event(VIGIL_SYS_MOUNT, 0, "proc", "/mnt", "proc"), &no_exe,
		     &web),
		"container_mount", VG_SEV_HIGH, "/mnt");
	says(a, "process sh (pid 4121) called mount");
}
END_TEST

/* ---- container_privilege_escalation ---- */

static const __u32 ids_1000[4] = {1000, 1000, 1000, 1000};
static const __u32 ids_0[4] = {0, 0, 0, 0};

START_TEST(escalation_by_setuid_call)
{
	/* Proves a set*uid call taking a process without any root id to root alerts high. */
	const struct vg_alert *a = one(eval(builtin,
					    setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 0,
							ids_1000, ids_0, 1000, 1000),
					    &sh, &web),
				       "container_privilege_escalation", VG_SEV_HIGH, "/bin/sh");

	mitre_is(a, "T1548.001", "T1068", NULL);
	says(a, "process /bin/sh (pid 4121) became root with setresuid (real/effective/saved/fs "
		"uid 1000/1000/1000/1000 -> 0/0/0/0) in container web (localhost/app:1)");
	says(a, "allow_privilege_escalation false");

	static const __u32 only_euid[4] = {1000, 0, 1000, 0};

	one(eval(builtin,
		 setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETREUID, 0, ids_1000, only_euid, 1000,
			     1000),
		 &sh, &web),
	    "container_privilege_escalation", VG_SEV_HIGH, "/bin/sh");
}
END_TEST

START_TEST(escalation_by_setfsuid_despite_its_return)
{
	/* Proves setfsuid, which returns the previous fsuid rather than 0, is judged by the ids
	 * after the call: to fsuid 0 alerts, an unchanged fsuid does not. */
	static const __u32 fs0[4] = {1000, 1000, 1000, 0};

	one(eval(builtin,
		 setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETFSUID, 1000, ids_1000, fs0, 1000,
			     1000),
		 &sh, &web),
	    "container_privilege_escalation", VG_SEV_HIGH, "/bin/sh");
	ck_assert_int_eq(eval(builtin,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETFSUID, 1000, ids_1000,
					  ids_1000, 1000, 1000),
			      &sh, &web),
			 0);
}
END_TEST

START_TEST(escalation_quiet_cases)
{
	/* Proves no alert for: a failed call, dropping root, regaining a root id the process
	 * kept (saved uid 0), a change between non-root ids, and a policy that allows it. */
	static const __u32 saved_root[4] = {1000, 1000, 0, 1000};
	static const __u32 ids_2000[4] = {2000, 2000, 2000, 2000};
	struct vg_policy *p = policy("{\"default\": {\"allow_privilege_escalation\": true}}");

	ck_assert_int_eq(eval(builtin,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, -EPERM, ids_1000,
					  ids_1000, 1000, 1000),
			      &sh, &web),
			 0);
	ck_assert_int_eq(
		eval(builtin,
		     setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 0, ids_0, ids_1000, 0, 0),
		     &sh, &web),
		0);
	ck_assert_int_eq(eval(builtin,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 0, saved_root,
					  ids_0, 1000, 1000),
			      &sh, &web),
			 0);
	ck_assert_int_eq(eval(builtin,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 0, ids_1000,
					  ids_2000, 1000, 1000),
			      &sh, &web),
			 0);
	ck_assert_int_eq(eval(p,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 0, ids_1000,
					  ids_0, 1000, 1000),
			      &sh, &web),
			 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(escalation_by_setgid_only_for_non_root)
{
	/* Proves a non-root process gaining gid 0 alerts, while a root process changing its
	 * groups does not. */
	const struct vg_alert *a = one(eval(builtin,
					    setid_event(VIGIL_EVENT_SETGID, VIGIL_SYS_SETGID, 0,
							ids_1000, ids_0, 1000, 1000),
					    &sh, &web),
				       "container_privilege_escalation", VG_SEV_HIGH, "/bin/sh");

	says(a, "became group root with setgid (real/effective/saved/fs gid");
	ck_assert_int_eq(
		eval(builtin,
		     setid_event(VIGIL_EVENT_SETGID, VIGIL_SYS_SETRESGID, 0, ids_1000, ids_0, 0, 0),
		     &sh, &web),
		0);
	ck_assert_int_eq(
		eval(builtin,
		     setid_event(VIGIL_EVENT_SETGID, VIGIL_SYS_SETGID, 0, ids_1000, ids_0, 1000, 0),
		     &sh, &web),
		0);
}
END_TEST

START_TEST(escalation_by_setuid_binary)
{
	/* Proves an exec of a set-uid root program by a non-root user alerts (besides running
	 * as root), and that neither a plain root exec nor a secure exec keeping euid does. */
	struct vg_policy *p = policy("{\"default\": {\"allow_root\": true}}");
	const struct vg_alert *a = one(
		eval(p, exec_event("/usr/bin/passwd", 1000, 0, VIGIL_EXEC_SECUREEXEC), &sh, &web),
		"container_privilege_escalation", VG_SEV_HIGH, "/usr/bin/passwd");

	mitre_is(a, "T1548.001", NULL, NULL);
	says(a, "process /usr/bin/passwd (pid 4121) is a set-uid root program run by uid 1000");
	ck_assert_int_eq(eval(builtin,
			      exec_event("/usr/bin/passwd", 1000, 0, VIGIL_EXEC_SECUREEXEC), &sh,
			      &web),
			 2);
	ck_assert_str_eq(alerts[0].rule, "container_root_exec");
	ck_assert_str_eq(alerts[1].rule, "container_privilege_escalation");
	ck_assert_int_eq(eval(p, exec_event("/bin/sh", 1000, 0, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, exec_event("/bin/su", 0, 0, VIGIL_EXEC_SECUREEXEC), &sh, &web), 0);
	ck_assert_int_eq(eval(p,
			      exec_event("/usr/bin/ssh-agent", 1000, 1000, VIGIL_EXEC_SECUREEXEC),
			      &sh, &web),
			 0);
	vg_policy_free(p);
}
END_TEST

/* ---- container_capability_use ---- */

START_TEST(capability_dangerous_is_high)
{
	/* Proves a granted, audited use of a dangerous capability alerts high, as an escape. */
	const struct vg_alert *a =
		one(eval(builtin, capable_event(NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED), &sh, &web),
		    "container_capability_use", VG_SEV_HIGH, "CAP_SYS_ADMIN");

	mitre_is(a, "T1611", NULL, NULL);
	says(a, "process /bin/sh (pid 4121) used CAP_SYS_ADMIN in container web (localhost/app:1); "
		"policy allows no capabilities (allowed_capabilities)");
}
END_TEST

START_TEST(capability_other_is_low)
{
	/* Proves other capabilities alert low, listing what the policy does allow. */
	struct vg_policy *p = policy("{\"default\": {\"allowed_capabilities\": "
				     "[\"CAP_CHOWN\", \"NET_BIND_SERVICE\"]}}");
	const struct vg_alert *a =
		one(eval(p, capable_event(NR_CAP_NET_RAW, 0, VIGIL_CAP_AUDITED), &sh, &web),
		    "container_capability_use", VG_SEV_LOW, "CAP_NET_RAW");

	mitre_is(a, "T1548", NULL, NULL);
	says(a, "policy allows only CAP_CHOWN, CAP_NET_BIND_SERVICE (allowed_capabilities)");
	one(eval(p, capable_event(NR_CAP_DAC_OVERRIDE, 0, VIGIL_CAP_AUDITED), &sh, &web),
	    "container_capability_use", VG_SEV_LOW, "CAP_DAC_OVERRIDE");
	vg_policy_free(p);
}
END_TEST

START_TEST(capability_quiet_cases)
{
	/* Proves no alert for a denied check, a non-audited check, a known-noise check, and a
	 * capability the policy allows. */
	struct vg_policy *p =
		policy("{\"default\": {\"allowed_capabilities\": [\"CAP_SYS_ADMIN\"]}}");

	ck_assert_int_eq(eval(builtin, capable_event(NR_CAP_SYS_ADMIN, -EPERM, VIGIL_CAP_AUDITED),
			      &sh, &web),
			 0);
	ck_assert_int_eq(eval(builtin, capable_event(NR_CAP_SYS_ADMIN, 0, 0), &sh, &web), 0);
	ck_assert_int_eq(
		eval(builtin,
		     capable_event(NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED | VIGIL_CAP_NOISE), &sh,
		     &web),
		0);
	ck_assert_int_eq(eval(p, capable_event(NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED), &sh, &web),
			 0);
	one(eval(p, capable_event(NR_CAP_NET_RAW, 0, VIGIL_CAP_AUDITED), &sh, &web),
	    "container_capability_use", VG_SEV_LOW, "CAP_NET_RAW");
	vg_policy_free(p);
}
END_TEST

/* ---- container_rootfs_write ---- */

START_TEST(rootfs_write_fires)
{
	/* Proves a successful write on the root filesystem outside writable paths alerts,
	 * including a path that climbs out of a writable one and a relative path. */
	const struct vg_alert *a =
		one(eval(builtin,
			 write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/etc/passwd", NULL),
			 &sh, &web),
		    "container_rootfs_write", VG_SEV_MEDIUM, "/etc/passwd");

	mitre_is(a, "T1543", "T1565.001", NULL);
	says(a, "process /bin/sh (pid 4121) opened /etc/passwd for writing on the root "
		"filesystem of container web (localhost/app:1); policy allows writes only under "
		"/tmp, /run (writable_paths)");
	one(eval(builtin,
		 write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/tmp/../etc/passwd", NULL),
		 &sh, &web),
	    "container_rootfs_write", VG_SEV_MEDIUM, "/tmp/../etc/passwd");
	one(eval(builtin, write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "notes.txt", NULL),
		 &sh, &web),
	    "container_rootfs_write", VG_SEV_MEDIUM, "notes.txt");
	a = one(eval(builtin,
		     write_event(VIGIL_WRITE_UNLINK, 0, VIGIL_ROOTFS_YES, "/usr/bin/id", NULL), &sh,
		     &web),
		"container_rootfs_write", VG_SEV_MEDIUM, "/usr/bin/id");
	says(a, "removed /usr/bin/id");
	a = one(eval(builtin, write_event(VIGIL_WRITE_MKDIR, 0, VIGIL_ROOTFS_YES, "/opt/x", NULL),
		     &sh, &web),
		"container_rootfs_write", VG_SEV_MEDIUM, "/opt/x");
	says(a, "created the directory /opt/x");
}
END_TEST

START_TEST(rootfs_write_rename_either_side)
{
	/* Proves a rename alerts on whichever side lies outside the writable paths. */
	const struct vg_alert *a = one(
		eval(builtin,
		     write_event(VIGIL_WRITE_RENAME, 0, VIGIL_ROOTFS_YES, "/tmp/x", "/usr/bin/ls"),
		     &sh, &web),
		"container_rootfs_write", VG_SEV_MEDIUM, "/usr/bin/ls");

	says(a, "renamed /tmp/x to /usr/bin/ls");
	one(eval(builtin,
		 write_event(VIGIL_WRITE_RENAME, 0, VIGIL_ROOTFS_YES, "/etc/hosts", "/tmp/hosts"),
		 &sh, &web),
	    "container_rootfs_write", VG_SEV_MEDIUM, "/etc/hosts");
	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_RENAME, 0, VIGIL_ROOTFS_YES, "/tmp/a", "/run/b"), &sh,
		     &web),
		0);
}
END_TEST

START_TEST(rootfs_write_quiet_cases)
{
	/* Proves no alert for: writes off the root filesystem (tmpfs, volume), undecided ones,
	 * writable paths, failed calls, and a policy that makes the path writable. */
	struct vg_policy *p = policy("{\"default\": {\"writable_paths\": [\"/var/lib/app\"]}}");

	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_NO, "/etc/passwd", NULL), &sh,
		     &web),
		0);
	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_UNKNOWN, "/etc/passwd", NULL),
		     &sh, &web),
		0);
	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/tmp/cache/x", NULL), &sh,
		     &web),
		0);
	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_OPEN, -EROFS, VIGIL_ROOTFS_YES, "/etc/passwd", NULL),
		     &sh, &web),
		0);
	ck_assert_int_eq(
		eval(p, write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/var/lib/app/db", NULL),
		     &sh, &web),
		0);
	one(eval(p, write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/tmp/x", NULL), &sh, &web),
	    "container_rootfs_write", VG_SEV_MEDIUM, "/tmp/x");
	vg_policy_free(p);
}
END_TEST

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, severity_names);
	tcase_add_test(tc, host_setup_and_degenerate_inputs_raise_nothing);
	tcase_add_test(tc, output_is_bounded_by_max);
	tcase_add_test(tc, entry_precedence_decides);
	tcase_add_test(tc, root_exec_fires);
	tcase_add_test(tc, root_exec_quiet);
	tcase_add_test(tc, messages_without_name_or_process);
	tcase_add_test(tc, escalation_by_setuid_call);
	tcase_add_test(tc, escalation_by_setfsuid_despite_its_return);
	tcase_add_test(tc, escalation_quiet_cases);
	tcase_add_test(tc, escalation_by_setgid_only_for_non_root);
	tcase_add_test(tc, escalation_by_setuid_binary);
	tcase_add_test(tc, capability_dangerous_is_high);
	tcase_add_test(tc, capability_other_is_low);
	tcase_add_test(tc, capability_quiet_cases);
	tcase_add_test(tc, rootfs_write_fires);
	tcase_add_test(tc, rootfs_write_rename_either_side);
	tcase_add_test(tc, rootfs_write_quiet_cases);
	suite_add_tcase(s, tc);

	tc = tcase_create("dedup");
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(rules_suite)
