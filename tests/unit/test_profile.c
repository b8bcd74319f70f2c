// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles (SPEC "Profiles", issue 6): derivation from synthetic captures (set-up work, host
 * processes, denied and unaudited checks, volumes and failed calls leave no trace; each value
 * keeps its evidence), and the promise: a capture replayed under the policy derived from it
 * raises nothing, while anything it did not contain still alerts. The formats:
 * test_profile_formats.c.
 */
#include "profile_fixtures.h"

/* ---- derivation ---- */

START_TEST(only_the_containers_own_behaviour)
{
	struct vg_profile_set *s;
	const struct vg_profile *p;

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 1);
	p = named(s, "web");
	ck_assert_str_eq(p->image, "localhost/app:1");
	ck_assert_str_eq(keys(&p->users), "1000/1000/1000/1000");
	ck_assert(p->entry_known && p->entry_is_init && p->entry_uid == 1000);
	ck_assert_str_eq(keys(&p->capabilities), "CAP_CHOWN");
	ck_assert_str_eq(keys(&p->writes), "/srv/www/stale,/var/cache/app/x");
	ck_assert_str_eq(keys(&p->relative_writes), "");
	ck_assert_str_eq(keys(&p->egress), "10.0.0.5:5432,10.0.0.6:443,[2001:db8::1]:53");
	ck_assert_str_eq(keys(&p->sockets), "/var/run/docker.sock");
	ck_assert_str_eq(keys(&p->mounts), "");
	ck_assert_str_eq(keys(&p->privilege), "");
	ck_assert(p->has_syscalls && p->syscall_arch == AUDIT_ARCH_X86_64);
	ck_assert_uint_eq(p->syscalls[0], (1ULL << 0) | (1ULL << 1) | (1ULL << 59));
	ck_assert_uint_eq(p->syscalls[257 / 64], 1ULL << (257 % 64));
	vg_profile_set_free(s);
}
END_TEST

START_TEST(evidence_names_programs_times_and_counts)
{
	const struct vg_profile_item *chown, *write;
	struct vg_profile_set *s;

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	chown = &s->v[0].capabilities.v[0];
	ck_assert_uint_eq(chown->ev.count, 2);
	ck_assert_uint_eq(chown->ev.n_programs, 2);
	ck_assert_str_eq(chown->ev.programs[0], "/bin/sh");
	ck_assert_str_eq(chown->ev.programs[1], "/usr/bin/worker");
	ck_assert_uint_lt(chown->ev.first_ns, chown->ev.last_ns);
	ck_assert_uint_eq(chown->ev.first_pid, 10);
	ck_assert_str_eq(chown->ev.first_command, "prog arg");
	/* "//" and the path it normalises to are one value, seen twice */
	write = &s->v[0].writes.v[1];
	ck_assert_str_eq(write->key, "/var/cache/app/x");
	ck_assert_uint_eq(write->ev.count, 2);
	ck_assert_uint_eq(write->ops, 1u << VIGIL_WRITE_OPEN);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(privilege_mounts_root_and_relative_writes)
{
	struct vg_profile_set *s;
	const struct vg_profile *p;

	begin(cap_path);
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	p = named(s, "db");
	ck_assert_str_eq(keys(&p->users), "0/0/0/0,1000/0/1000/0");
	ck_assert_uint_eq(p->entry_uid, 0);
	ck_assert_str_eq(keys(&p->privilege), "exec /usr/bin/su,setresuid");
	ck_assert(p->privilege.v[0].escalation && p->privilege.v[1].escalation);
	ck_assert_str_eq(keys(&p->mounts), "mount tmpfs /mnt tmpfs");
	ck_assert_str_eq(keys(&p->capabilities), "CAP_SYS_ADMIN");
	ck_assert_str_eq(keys(&p->sockets), "/tmp/app.sock,@/containerd-shim/abc.sock");
	ck_assert_str_eq(keys(&p->relative_writes), "pg.pid");
	/* both names of a rename */
	ck_assert_str_eq(keys(&p->writes), "/etc/pg.conf,/etc/pg.conf.new");
	ck_assert(!p->has_syscalls);
	vg_profile_set_free(s);
}
END_TEST

/* Root dropping to a user and a non-root process changing groups are not escalation. */
START_TEST(dropping_privileges_is_not_a_privilege_change)
{
	static const __u32 root[4] = {0, 0, 0, 0}, user[4] = {1000, 1000, 1000, 1000};
	struct vg_profile_set *s;

	begin(cap_path);
	put_container(WEB_ID, "web", "localhost/app:1", WEB_CG, NULL);
	put(exec_as(10, "/bin/sh", 0, 0, 1, 0), WEB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 10, 0, root, user), WEB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETGID, VIGIL_SYS_SETGID, 10, 0, user, user), WEB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 10, -1, user, root), WEB_CG, 0);
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_str_eq(keys(&s->v[0].privilege), "");
	vg_profile_set_free(s);
}
END_TEST

/* Earlier builds recorded a container right after its first event: that event still counts. */
START_TEST(first_event_before_its_container_record)
{
	struct vg_profile_set *s;

	begin(cap_path);
	put(exec_as(10, "/bin/sh", 1000, 1000, 1, 0), WEB_CG, 0);
	put_container(WEB_ID, "web", "localhost/app:1", WEB_CG, NULL);
	put(capable(10, NR_CAP_CHOWN, 0, VIGIL_CAP_AUDITED), WEB_CG, 0);
	/* never described: nothing to attribute it to, and no crash */
	put(capable(30, NR_CAP_NET_RAW, 0, VIGIL_CAP_AUDITED), DB_CG, 0);
	put(exec_as(31, "/bin/x", 0, 0, 1, 0), DB_CG, 0);
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 1);
	ck_assert_str_eq(keys(&s->v[0].users), "1000/1000/1000/1000");
	ck_assert_str_eq(keys(&s->v[0].capabilities), "CAP_CHOWN");
	vg_profile_set_free(s);
}
END_TEST

START_TEST(container_filter_and_by_image)
{
	static const unsigned int calls_a[] = {0, 1}, calls_b[] = {1, 3};
	struct vg_profile_set *s;
	const struct vg_profile *p;

	begin(cap_path);
	web_scenario();
	db_scenario();
	put_container(WEB2_ID, "web-2", "localhost/app:1", WEB2_CG, NULL);
	put(exec_as(40, "/bin/sh", 1000, 1000, 1, 0), WEB2_CG, 0);
	put(capable(40, NR_CAP_NET_BIND_SERVICE, 0, VIGIL_CAP_AUDITED), WEB2_CG, 0);
	put_syscalls(WEB2_CG, AUDIT_ARCH_X86_64, calls_a, 2);
	put_syscalls(WEB2_CG, AUDIT_ARCH_X86_64, calls_b, 2);
	end();

	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 3);
	p = named(s, "web-2");
	ck_assert_uint_eq(p->syscalls[0], 0xbULL); /* records of a cgroup are a union */
	ck_assert_uint_eq(p->syscall_records, 2);
	vg_profile_set_free(s);

	s = derive(cap_path, "db", VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 1);
	ck_assert_str_eq(s->v[0].name, "db");
	ck_assert_uint_eq(s->n_seen, 3);
	vg_profile_set_free(s);

	s = derive(cap_path, WEB_ID, VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 1);
	ck_assert_str_eq(s->v[0].name, "web");
	vg_profile_set_free(s);

	s = derive(cap_path, "nosuch", VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 0);
	vg_profile_set_free(s);

	s = derive(cap_path, NULL, VG_PROFILE_BY_IMAGE);
	ck_assert_uint_eq(s->n, 2);
	p = named(s, "localhost/app:1");
	ck_assert_uint_eq(p->n_containers, 2);
	ck_assert_str_eq(keys(&p->capabilities), "CAP_CHOWN,CAP_NET_BIND_SERVICE");
	ck_assert_uint_eq(p->capabilities.v[1].ev.n_containers, 1);
	ck_assert_str_eq(p->containers[p->capabilities.v[1].ev.containers[0]].id, WEB2_ID);
	ck_assert_uint_eq(p->syscalls[0], (1ULL << 0) | (1ULL << 1) | (1ULL << 3) | (1ULL << 59));
	vg_profile_set_free(s);
}
END_TEST

START_TEST(syscall_records_are_checked)
{
	struct vg_syscalls_record r = {.cgroup_id = 7, .arch = AUDIT_ARCH_X86_64, .nbits = 512};
	unsigned char wide[VG_SYSCALLS_RECORD_HDR + 128] = {};
	struct vg_syscalls_record out;
	bool beyond;

	r.bits[1] = 5;
	ck_assert_int_eq(vg_syscalls_record_parse(&r, sizeof(r), &out, &beyond), 0);
	ck_assert(!beyond && out.bits[1] == 5 && out.cgroup_id == 7);
	ck_assert_int_eq(vg_syscalls_record_parse(&r, sizeof(r) - 8, &out, &beyond), -EINVAL);
	ck_assert_int_eq(vg_syscalls_record_parse(&r, 10, &out, &beyond), -EINVAL);
	r.nbits = 100;
	ck_assert_int_eq(vg_syscalls_record_parse(&r, 24 + 100 / 8, &out, &beyond), -EINVAL);
	/* a newer writer's wider set: what this reader knows, and that there was more */
	r.nbits = 1024;
	memcpy(wide, &r, VG_SYSCALLS_RECORD_HDR);
	wide[VG_SYSCALLS_RECORD_HDR] = 1;
	wide[VG_SYSCALLS_RECORD_HDR + 100] = 2;
	ck_assert_int_eq(vg_syscalls_record_parse(wide, sizeof(wide), &out, &beyond), 0);
	ck_assert(beyond && out.bits[0] == 1 && out.nbits == VIGIL_SYSCALL_BITS);
	ck_assert_str_eq(vg_syscall_name(AUDIT_ARCH_X86_64, 257), "openat");
	ck_assert_str_eq(vg_syscall_name(AUDIT_ARCH_AARCH64, 56), "openat");
	ck_assert_ptr_null(vg_syscall_name(AUDIT_ARCH_X86_64, 511));
	ck_assert_ptr_null(vg_syscall_name(0x1234, 0));
}
END_TEST

/* ---- the promise ---- */

/*
 * io_uring in web: an instance with SQPOLL, a link sent at submission (-EINPROGRESS) of
 * /etc/passwd to a new name in /tmp, and a rename whose new name the kernel joined to /opt.
 */
static void web_uring_scenario(void)
{
	struct vigil_write *w = (void *)rec;

	put(rec_io_uring(rec, 10, 5, 64, VG_IORING_SETUP_SQPOLL), WEB_CG, 0);
	rec_write(rec, 10, VIGIL_WRITE_LINK, "/tmp/pw", "/etc/passwd", 0, VIGIL_ROOTFS_YES);
	w->ret = -EINPROGRESS;
	put(w->hdr.size, WEB_CG, VIGIL_F_IO_URING);
	rec_write(rec, 10, VIGIL_WRITE_RENAME, "new", "conf", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(rec, VIGIL_PATH_JOINED, "/tmp/new");
	put(rec_write_resolved2(rec, VIGIL_PATH_JOINED, "/opt/app/conf"), WEB_CG, 0);
}

START_TEST(replaying_under_the_derived_policy_is_silent)
{
	struct vg_policy *builtin = vg_policy_builtin(), *learned;
	struct vg_profile_set *s;
	char alerts[4096];

	begin(cap_path);
	web_scenario();
	web_uring_scenario();
	db_scenario();
	end();
	ck_assert_int_gt(replay(cap_path, builtin, alerts, sizeof(alerts)), 8);
	ck_assert_msg(strstr(alerts, "container_io_uring io_uring\n"), "%s", alerts);
	ck_assert_msg(strstr(alerts, "container_rootfs_write /etc/passwd\n"), "%s", alerts);
	ck_assert_msg(strstr(alerts, "container_rootfs_write /opt/app/conf\n"), "%s", alerts);
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	learned = policy_of(s);
	ck_assert_uint_eq(learned->n_containers, 2);
	ck_assert_str_eq(learned->containers[0].match.name, "web");
	ck_assert(learned->containers[0].allow_io_uring && !learned->containers[1].allow_io_uring);
	/* writes by relative path are the one thing no policy can allow */
	ck_assert_int_eq(replay(cap_path, learned, alerts, sizeof(alerts)), 1);
	ck_assert_str_eq(alerts, "container_rootfs_write pg.pid\n");
	vg_profile_set_free(s);
	vg_policy_free(learned);

	/* the same by image: merged entries match on the image */
	s = derive(cap_path, NULL, VG_PROFILE_BY_IMAGE);
	learned = policy_of(s);
	ck_assert_str_eq(learned->containers[0].match.image, "localhost/app:1");
	ck_assert_int_eq(replay(cap_path, learned, alerts, sizeof(alerts)), 1);
	vg_profile_set_free(s);
	vg_policy_free(learned);
	vg_policy_free(builtin);
}
END_TEST

START_TEST(new_behaviour_still_alerts)
{
	static const __u32 before[4] = {1000, 1000, 1000, 1000}, after[4] = {0, 0, 0, 0};
	struct vg_profile_set *s;
	struct vg_policy *learned;
	char path2[160], alerts[4096];

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	learned = policy_of(s);
	vg_profile_set_free(s);

	/* the same container, then everything it had not done */
	snprintf(path2, sizeof(path2), "%s/second.vcap", tmpdir);
	begin(path2);
	web_scenario();
	put(capable(10, NR_CAP_NET_RAW, 0, VIGIL_CAP_AUDITED), WEB_CG, 0);
	put(rec_connect_inet(rec, 10, AF_INET, "10.0.0.5", 5433), WEB_CG, 0);
	put(rec_connect_inet(rec, 10, AF_INET, "10.0.0.7", 5432), WEB_CG, 0);
	put(write_ret(10, VIGIL_WRITE_OPEN, "/var/cache/app/y", NULL, VIGIL_ROOTFS_YES, 3), WEB_CG,
	    0);
	put(exec_as(12, "/bin/rootly", 0, 0, 3, 0), WEB_CG, 0);
	put(rec_mount(rec, 10, VIGIL_SYS_MOUNT, "tmpfs", "/mnt", "tmpfs", 0), WEB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 10, 0, before, after), WEB_CG, 0);
	put(rec_connect_unix(rec, 10, "/run/containerd/containerd.sock", false), WEB_CG, 0);
	put(rec_io_uring(rec, 10, 5, 8, 0), WEB_CG, 0);
	end();
	ck_assert_int_eq(replay(path2, learned, alerts, sizeof(alerts)), 9);
	ck_assert_str_eq(alerts, "container_capability_use CAP_NET_RAW\n"
				 "container_unexpected_egress 10.0.0.5:5433\n"
				 "container_unexpected_egress 10.0.0.7:5432\n"
				 "container_rootfs_write /var/cache/app/y\n"
				 "container_root_exec /bin/rootly\n"
				 "container_mount /mnt\n"
				 "container_privilege_escalation /bin/sh\n"
				 "container_sensitive_socket /run/containerd/containerd.sock\n"
				 "container_io_uring io_uring\n");
	vg_policy_free(learned);
}
END_TEST

/* A name two containers share would let one's entry cover the other: the id is used. */
START_TEST(entries_match_only_their_container)
{
	struct vg_profile_set *s;
	struct vg_policy *learned;
	char alerts[1024];

	begin(cap_path);
	put_container(WEB_ID, "app", "localhost/app:1", WEB_CG, NULL);
	put(exec_as(10, "/bin/sh", 0, 0, 1, 0), WEB_CG, 0);
	put_container(WEB2_ID, "app", "localhost/app:1", WEB2_CG, NULL);
	put(exec_as(40, "/bin/sh", 1000, 1000, 1, 0), WEB2_CG, 0);
	put_container(DB_ID, "a*[b]?", "img", DB_CG, NULL);
	put(exec_as(50, "/bin/sh", 1000, 1000, 1, 0), DB_CG, 0);
	end();
	s = derive(cap_path, WEB2_ID, VG_PROFILE_BY_CONTAINER);
	learned = policy_of(s);
	ck_assert_ptr_null(learned->containers[0].match.name);
	ck_assert_str_eq(learned->containers[0].match.id, WEB2_ID);
	/* the other "app" ran as root and is not covered by web-2's entry */
	ck_assert_int_eq(replay(cap_path, learned, alerts, sizeof(alerts)), 1);
	ck_assert_str_eq(alerts, "container_root_exec /bin/sh\n");
	vg_policy_free(learned);
	vg_profile_set_free(s);

	/* glob characters in a name are matched literally */
	s = derive(cap_path, DB_ID, VG_PROFILE_BY_CONTAINER);
	learned = policy_of(s);
	ck_assert_str_eq(learned->containers[0].match.name, "a\\*\\[b\\]\\?");
	ck_assert(vg_policy_match_fits(&learned->containers[0].match, &s->v[0].containers[0]));
	ck_assert(!vg_policy_match_fits(&learned->containers[0].match, &s->seen[0]));
	vg_policy_free(learned);
	vg_profile_set_free(s);
}
END_TEST

static Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *derive_tc = tcase_create("derive");
	TCase *promise = tcase_create("promise");

	tcase_add_checked_fixture(derive_tc, setup, teardown);
	tcase_add_test(derive_tc, only_the_containers_own_behaviour);
	tcase_add_test(derive_tc, evidence_names_programs_times_and_counts);
	tcase_add_test(derive_tc, privilege_mounts_root_and_relative_writes);
	tcase_add_test(derive_tc, dropping_privileges_is_not_a_privilege_change);
	tcase_add_test(derive_tc, first_event_before_its_container_record);
	tcase_add_test(derive_tc, container_filter_and_by_image);
	tcase_add_test(derive_tc, syscall_records_are_checked);
	suite_add_tcase(s, derive_tc);
	tcase_add_checked_fixture(promise, setup, teardown);
	tcase_add_test(promise, replaying_under_the_derived_policy_is_silent);
	tcase_add_test(promise, new_behaviour_still_alerts);
	tcase_add_test(promise, entries_match_only_their_container);
	suite_add_tcase(s, promise);
	return s;
}

VIGIL_TEST_MAIN(profile_suite)
