// SPDX-License-Identifier: GPL-2.0
/*
 * Hardening advice (issue 15): vg_advice_build() from a learned profile and the configuration the
 * container was given. Each row says given against used; a finding carries the exact flags; a
 * container started with the advised flags has no finding; an unread configuration guesses none.
 */
#include <string.h>

#include "unit.h"
#include "container_config.h"
#include "profile.h"
#include "profile_advice.h"

/* docker's default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
 * NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP */
#define DOCKER_DEFAULT_CAPS                                                                        \
	((1ull << 0) | (1ull << 1) | (1ull << 3) | (1ull << 4) | (1ull << 5) | (1ull << 6) |       \
	 (1ull << 7) | (1ull << 8) | (1ull << 10) | (1ull << 13) | (1ull << 18) | (1ull << 27) |   \
	 (1ull << 29) | (1ull << 31))

static struct vg_profile_item root_user = {.key = "0/0/0/0"};
static struct vg_profile_item user_1000 = {
	.key = "1000/1000/1000/1000", .uid = 1000, .euid = 1000, .gid = 1000, .egid = 1000};
static struct vg_profile_item cap_chown = {.key = "CAP_CHOWN", .number = 0};
static struct vg_profile_item cache_write = {.key = "/var/cache/x", .ops = 1};
static struct vg_profile_item etc_write = {.key = "/etc/motd", .ops = 1};

/* A root profile that chowned and wrote /var/cache/x. */
static void root_chown_profile(struct vg_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->name = "web";
	p->users.v = &root_user;
	p->users.n = 1;
	p->capabilities.v = &cap_chown;
	p->capabilities.n = 1;
	p->writes.v = &cache_write;
	p->writes.n = 1;
	p->events = 10;
	p->first_ns = 1000000000;
	p->last_ns = 91000000000ull;
}

/* What docker gives by default: root, 14 capabilities, writable, no limits, seccomp on. */
static void docker_defaults(struct vg_container_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->known = true;
	cfg->user = "";
	cfg->cap_effective = cfg->cap_bounding = DOCKER_DEFAULT_CAPS;
	cfg->limits_known = true;
	cfg->seccomp = true;
	cfg->network_mode = "bridge";
	cfg->mounts_known = true;
}

START_TEST(default_root_container_gets_the_exact_flags)
{
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	struct vg_container_config cfg;
	struct vg_profile p;
	size_t n;

	root_chown_profile(&p);
	docker_defaults(&cfg);
	n = vg_advice_build(&p, &cfg, rows);
	ck_assert_int_eq(rows[VG_ADVICE_CAPABILITIES].status, VG_ADVICE_FINDING);
	ck_assert_str_eq(rows[VG_ADVICE_CAPABILITIES].change,
			 "granted 14 capabilities, used CHOWN: `--cap-drop ALL --cap-add CHOWN`");
	ck_assert_int_eq(rows[VG_ADVICE_READ_ONLY_ROOTFS].status, VG_ADVICE_FINDING);
	ck_assert_str_eq(rows[VG_ADVICE_READ_ONLY_ROOTFS].change,
			 "root filesystem writable, written only under /var/cache: `--read-only "
			 "--tmpfs /var/cache`");
	ck_assert_int_eq(rows[VG_ADVICE_NO_NEW_PRIVILEGES].status, VG_ADVICE_FINDING);
	ck_assert_int_eq(rows[VG_ADVICE_MEMORY_LIMIT].status, VG_ADVICE_FINDING);
	ck_assert_str_eq(rows[VG_ADVICE_MEMORY_LIMIT].change, "no memory limit: `--memory SIZE`");
	ck_assert_int_eq(rows[VG_ADVICE_CPU_LIMIT].status, VG_ADVICE_FINDING);
	/* it used a capability: root is needed, not a finding */
	ck_assert_int_eq(rows[VG_ADVICE_USER].status, VG_ADVICE_TIGHT);
	ck_assert_int_eq(rows[VG_ADVICE_PRIVILEGED].status, VG_ADVICE_TIGHT);
	ck_assert_int_eq(rows[VG_ADVICE_SECCOMP].status, VG_ADVICE_TIGHT);
	ck_assert_int_eq(rows[VG_ADVICE_RUNTIME_SOCKET].status, VG_ADVICE_TIGHT);
	ck_assert_int_eq(rows[VG_ADVICE_NETWORK].status, VG_ADVICE_TIGHT);
	ck_assert_uint_eq(n, 5);
}
END_TEST

START_TEST(container_started_with_the_advice_has_no_finding)
{
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	struct vg_mountpoint tmpfs = {"/var/cache", "tmpfs", "tmpfs", false};
	struct vg_container_config cfg;
	struct vg_profile p;

	root_chown_profile(&p);
	docker_defaults(&cfg);
	cfg.cap_effective = cfg.cap_bounding = 1ull << 0;
	cfg.readonly_rootfs = true;
	cfg.no_new_privileges = true;
	cfg.memory_limit = 64 << 20;
	cfg.cpu_millis = 500;
	cfg.mounts = &tmpfs;
	cfg.n_mounts = 1;
	ck_assert_uint_eq(vg_advice_build(&p, &cfg, rows), 0);
	for (int i = 0; i < VG_ADVICE_CHECKS; i++) {
		ck_assert_int_eq(rows[i].status, VG_ADVICE_TIGHT);
		ck_assert_str_eq(rows[i].change, "");
	}
}
END_TEST

START_TEST(root_without_root_actions_is_told_to_drop_root)
{
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	struct vg_container_config cfg;
	struct vg_profile p;

	root_chown_profile(&p);
	p.capabilities.n = 0;
	p.writes.n = 0;
	docker_defaults(&cfg);
	vg_advice_build(&p, &cfg, rows);
	ck_assert_str_eq(rows[VG_ADVICE_USER].change,
			 "runs as root, no root-only action seen: try `--user 1000:1000`");
	ck_assert_str_eq(rows[VG_ADVICE_CAPABILITIES].change,
			 "granted 14 capabilities, used none: `--cap-drop ALL`");
	ck_assert_str_eq(rows[VG_ADVICE_READ_ONLY_ROOTFS].change,
			 "root filesystem writable, never written: `--read-only`");
	/* already non-root: tight */
	p.users.v = &user_1000;
	cfg.user = "1000:1000";
	vg_advice_build(&p, &cfg, rows);
	ck_assert_int_eq(rows[VG_ADVICE_USER].status, VG_ADVICE_TIGHT);
}
END_TEST

START_TEST(dangerous_settings_are_findings)
{
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	struct vg_mountpoint sock = {"/var/run/docker.sock", "/run/docker.sock", "bind", false};
	struct vg_container_config cfg;
	struct vg_profile p;

	root_chown_profile(&p);
	docker_defaults(&cfg);
	cfg.privileged = true;
	cfg.seccomp = false;
	cfg.network_mode = "host";
	cfg.mounts = &sock;
	cfg.n_mounts = 1;
	vg_advice_build(&p, &cfg, rows);
	ck_assert_int_eq(rows[VG_ADVICE_PRIVILEGED].status, VG_ADVICE_FINDING);
	ck_assert_str_eq(rows[VG_ADVICE_RUNTIME_SOCKET].change,
			 "/var/run/docker.sock mounted: remove it");
	ck_assert_int_eq(rows[VG_ADVICE_SECCOMP].status, VG_ADVICE_FINDING);
	ck_assert_ptr_nonnull(strstr(rows[VG_ADVICE_SECCOMP].change, "seccomp unconfined: use the "
								     "generated profile"));
	ck_assert_int_eq(rows[VG_ADVICE_NETWORK].status, VG_ADVICE_FINDING);
}
END_TEST

/* io_uring seen is said in the seccomp row: its requests are what no seccomp filter sees. */
START_TEST(io_uring_is_named_in_the_seccomp_row)
{
	static struct vg_profile_item uring = {.key = "io_uring"};
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	struct vg_container_config cfg;
	struct vg_profile p;

	root_chown_profile(&p);
	docker_defaults(&cfg);
	vg_advice_build(&p, &cfg, rows);
	ck_assert_ptr_null(strstr(rows[VG_ADVICE_SECCOMP].used, "io_uring"));
	p.io_uring.v = &uring;
	p.io_uring.n = 1;
	vg_advice_build(&p, &cfg, rows);
	ck_assert_int_eq(rows[VG_ADVICE_SECCOMP].status, VG_ADVICE_TIGHT);
	ck_assert_ptr_nonnull(strstr(rows[VG_ADVICE_SECCOMP].used, ", io_uring (requests no filter "
								   "sees)"));
	cfg.seccomp = false;
	vg_advice_build(&p, &cfg, rows);
	ck_assert_int_eq(rows[VG_ADVICE_SECCOMP].status, VG_ADVICE_FINDING);
	ck_assert_ptr_nonnull(
		strstr(rows[VG_ADVICE_SECCOMP].change, "; it made io_uring instances"));
}
END_TEST

START_TEST(writes_a_tmpfs_cannot_take_keep_the_rootfs_writable)
{
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	struct vg_container_config cfg;
	struct vg_profile p;

	root_chown_profile(&p);
	p.writes.v = &etc_write;
	docker_defaults(&cfg);
	vg_advice_build(&p, &cfg, rows);
	ck_assert_int_eq(rows[VG_ADVICE_READ_ONLY_ROOTFS].status, VG_ADVICE_TIGHT);
	ck_assert_ptr_nonnull(strstr(rows[VG_ADVICE_READ_ONLY_ROOTFS].used, "/etc/motd"));
}
END_TEST

START_TEST(unread_configuration_guesses_nothing)
{
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	struct vg_container_config cfg = {};
	struct vg_profile p;

	root_chown_profile(&p);
	ck_assert_uint_eq(vg_advice_build(&p, &cfg, rows), 0);
	for (int i = 0; i < VG_ADVICE_CHECKS; i++)
		ck_assert_int_eq(rows[i].status, VG_ADVICE_UNKNOWN);
	/* limits not read (a capture older than them): those rows unknown, not findings */
	docker_defaults(&cfg);
	cfg.limits_known = false;
	vg_advice_build(&p, &cfg, rows);
	ck_assert_int_eq(rows[VG_ADVICE_MEMORY_LIMIT].status, VG_ADVICE_UNKNOWN);
	ck_assert_int_eq(rows[VG_ADVICE_SECCOMP].status, VG_ADVICE_UNKNOWN);
}
END_TEST

START_TEST(observation_span_and_last_new_item)
{
	struct vg_profile p;

	root_chown_profile(&p);
	cap_chown.ev.first_ns = 5000000000ull;
	cache_write.ev.first_ns = 31000000000ull;
	ck_assert_uint_eq(vg_profile_last_new_ns(&p), 31000000000ull);
	ck_assert(vg_profile_span_s(&p) > 89.9 && vg_profile_span_s(&p) < 90.1);
	/* a system call read out after the last event extends the observation */
	p.has_syscalls = true;
	p.syscalls[0] = 1;
	p.syscall_first_ns[0] = 101000000000ull;
	ck_assert_uint_eq(vg_profile_end_ns(&p), 101000000000ull);
	cap_chown.ev.first_ns = cache_write.ev.first_ns = 0;
}
END_TEST

static Suite *advice_suite(void)
{
	Suite *s = suite_create("profile_advice");
	TCase *tc = tcase_create("advice");

	tcase_add_test(tc, default_root_container_gets_the_exact_flags);
	tcase_add_test(tc, container_started_with_the_advice_has_no_finding);
	tcase_add_test(tc, root_without_root_actions_is_told_to_drop_root);
	tcase_add_test(tc, dangerous_settings_are_findings);
	tcase_add_test(tc, io_uring_is_named_in_the_seccomp_row);
	tcase_add_test(tc, writes_a_tmpfs_cannot_take_keep_the_rootfs_writable);
	tcase_add_test(tc, unread_configuration_guesses_nothing);
	tcase_add_test(tc, observation_span_and_last_new_item);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(advice_suite)
