// SPDX-License-Identifier: GPL-2.0
/*
 * The report's hardening advice (issue 16 with issue 15's advice): `vigil report` on a capture
 * made here puts each container's advice findings (check, level, given, used, the change with
 * its flags) in that container's summary and in no other's; a container without findings, or
 * whose configuration was never read, says so; advice text built from what a container controls
 * (its name, the paths it wrote) is escaped like everything else in the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "unit.h"
#include "captures.h"
#include "records.h"
#include "capture.h"
#include "container.h"
#include "investigate.h"

#define WEB_ID "4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"
#define DB_ID  "90ab1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define OLD_ID "aa0b1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define WEB_CG 100
#define DB_CG  200
#define OLD_CG 300
/* docker's default set: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
 * NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP */
#define DOCKER_DEFAULT_CAPS                                                                        \
	((1ull << 0) | (1ull << 1) | (1ull << 3) | (1ull << 4) | (1ull << 5) | (1ull << 6) |       \
	 (1ull << 7) | (1ull << 8) | (1ull << 10) | (1ull << 13) | (1ull << 18) | (1ull << 27) |   \
	 (1ull << 29) | (1ull << 31))

static const struct vg_capture_info info = {
	.version = VG_CAPTURE_VERSION,
	.host = "testhost",
	.kernel = "6.1.0 x86_64",
	.boot_time_ns = 1700000000000000000ULL,
	.start_time_ns = 1700000005000000000ULL,
};

static char tmpdir[64], cap_path[128], html_path[128];
static struct vg_capture_writer *w;
static __u64 clock_ns;
static REC_BUF(rec);

static void setup(void)
{
	capture_tmpdir_make(tmpdir, sizeof(tmpdir), "report");
	snprintf(cap_path, sizeof(cap_path), "%s/cap.vcap", tmpdir);
	snprintf(html_path, sizeof(html_path), "%s/report.html", tmpdir);
	clock_ns = REC_TIME_NS;
	ck_assert_int_eq(vg_capture_create(cap_path, &info, &w), 0);
}

static void teardown(void)
{
	capture_tmpdir_remove(tmpdir);
}

/* The configuration docker gives by default: root, 14 capabilities, writable, no limits. */
static struct vg_container_config docker_defaults(void)
{
	return (struct vg_container_config){
		.known = true,
		.user = "",
		.cap_effective = DOCKER_DEFAULT_CAPS,
		.cap_bounding = DOCKER_DEFAULT_CAPS,
		.limits_known = true,
		.seccomp = true,
		.network_mode = "bridge",
	};
}

/* What the advice asks for, given: nothing is a finding for a container that did nothing. */
static struct vg_container_config hardened(void)
{
	return (struct vg_container_config){
		.known = true,
		.user = "1000:1000",
		.readonly_rootfs = true,
		.no_new_privileges = true,
		.limits_known = true,
		.seccomp = true,
		.memory_limit = 64 << 20,
		.cpu_millis = 500,
		.network_mode = "bridge",
	};
}

static void put_container(const char *id, const char *name, __u64 cgroup,
			  const struct vg_container_config *cfg)
{
	struct vg_container c = {
		.cgroup_id = cgroup,
		.runtime = VG_RT_PODMAN,
		.name = (char *)name,
		.image = "localhost/app:1",
		.config = *cfg,
	};

	snprintf(c.id, sizeof(c.id), "%s", id);
	capture_put_container(w, &c);
}

static void put(size_t len, __u64 cgroup)
{
	struct vigil_event_header *h = (void *)rec;

	h->cgroup_id = cgroup;
	h->flags = VIGIL_F_CONTAINER;
	h->time_ns = clock_ns += 1000000;
	ck_assert_int_eq(vg_capture_append(w, VG_REC_EVENT, rec, len), 0);
}

/* The container's init: /bin/sh as uid (and gid) uid, then its exit. */
static void run_init(__u32 pid, __u32 uid, __u64 cgroup)
{
	static const char args[] = "sh\0-c\0true";
	struct vigil_exec *e = (void *)rec;
	size_t len = rec_exec(rec, pid, 1000 + pid, "/bin/sh", args, sizeof(args));

	e->uid = e->euid = e->gid = e->egid = uid;
	e->vpid = 1;
	put(len, cgroup);
	put(rec_exit(rec, pid, 1000 + pid, 0), cgroup);
}

/* The report of the capture written so far, read back whole. */
static char *report(void)
{
	struct vg_investigate_opts o = {.file = cap_path, .output_path = html_path};
	char *html = NULL;
	size_t len = 0;
	FILE *f;

	ck_assert_int_eq(vg_capture_close(w), 0);
	w = NULL;
	ck_assert_int_eq(vg_investigate_report(&o), 0);
	f = fopen(html_path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(getdelim(&html, &len, 0, f) > 0, 1);
	fclose(f);
	return html;
}

/* A copy of the summary of container id: from its section's start to its process tree. */
static char *summary_of(const char *html, const char *id)
{
	char key[128];
	const char *start, *end;

	snprintf(key, sizeof(key), "<section class=\"ct\" data-c=\"%s\">", id);
	start = strstr(html, key);
	ck_assert_msg(start != NULL, "no section for %s", id);
	end = strstr(start, "<h3>processes</h3>");
	ck_assert_ptr_nonnull(end);
	ck_assert_msg(!memmem(start + 1, end - start - 1, "<section", 8), "one section only");
	return strndup(start, end - start);
}

START_TEST(findings_sit_in_their_containers_summary_only)
{
	struct vg_container_config web = docker_defaults(), db = hardened(), old = {.known = false};
	char *html, *web_sum, *db_sum, *old_sum;

	put_container(WEB_ID, "web", WEB_CG, &web);
	put_container(DB_ID, "db", DB_CG, &db);
	put_container(OLD_ID, "old", OLD_CG, &old);
	/* web: root with a writable root it never wrote and 14 capabilities it never used */
	run_init(10, 0, WEB_CG);
	/* db: non-root, given nothing more than it used */
	run_init(20, 1000, DB_CG);
	/* old: a capture from before configurations were read */
	run_init(30, 0, OLD_CG);
	html = report();
	web_sum = summary_of(html, WEB_ID);
	db_sum = summary_of(html, DB_ID);
	old_sum = summary_of(html, OLD_ID);

	/* web's findings, each a row with its check, level and change (flags as code) */
	ck_assert_msg(strstr(web_sum, "<h3>hardening advice</h3><p>6 findings "), "%s", web_sum);
	ck_assert_msg(strstr(web_sum, "<tr class=\"finding\" data-check=\"read_only_rootfs\">"
				      "<td>read_only_rootfs</td><td class=\"lv\">finding</td>"
				      "<td>root filesystem writable</td>"
				      "<td>no write to the root filesystem</td>"
				      "<td>root filesystem writable, never written: "
				      "<code>--read-only</code></td></tr>"),
		      "%s", web_sum);
	ck_assert_msg(strstr(web_sum,
			     "data-check=\"capabilities\"><td>capabilities</td>"
			     "<td class=\"lv\">finding</td><td>granted 14 capabilities</td>"
			     "<td>used none</td><td>granted 14 capabilities, used none: "
			     "<code>--cap-drop ALL</code></td></tr>"),
		      "%s", web_sum);
	ck_assert_msg(strstr(web_sum, "data-check=\"user\">"), "%s", web_sum);
	ck_assert_msg(strstr(web_sum, "<code>--user 1000:1000</code>"), "%s", web_sum);
	ck_assert_msg(strstr(web_sum, "data-check=\"no_new_privileges\">"), "%s", web_sum);
	ck_assert_msg(strstr(web_sum, "data-check=\"memory_limit\">"), "%s", web_sum);
	ck_assert_msg(strstr(web_sum, "data-check=\"cpu_limit\">"), "%s", web_sum);
	ck_assert_msg(strstr(web_sum, "Tight: privileged, seccomp, runtime_socket, network."), "%s",
		      web_sum);
	/* and not in the others' */
	ck_assert_msg(!strstr(db_sum, "data-check="), "%s", db_sum);
	ck_assert_msg(!strstr(db_sum, "--read-only"), "%s", db_sum);
	ck_assert_msg(strstr(db_sum, "<p>0 findings ") && strstr(db_sum, "No finding."), "%s",
		      db_sum);
	ck_assert_msg(!strstr(old_sum, "data-check="), "%s", old_sum);
	ck_assert_msg(strstr(old_sum, "No advice: the configuration its runtime gave it was not "
				      "read"),
		      "%s", old_sum);
	free(web_sum);
	free(db_sum);
	free(old_sum);
	free(html);
}
END_TEST

START_TEST(advice_from_what_a_container_controls_is_escaped)
{
	static const char name[] = "w\"><script>alert(1)</script>";
	static const char path[] = "/var/cache/x\"><img src=y onerror=alert(2)>";
	struct vg_container_config cfg = docker_defaults();
	char *html, *sum;

	cfg.seccomp = false; /* the seccomp change names the profile by the container's name */
	put_container(WEB_ID, name, WEB_CG, &cfg);
	run_init(10, 0, WEB_CG);
	/* a directory made is its own tmpfs: the change names it */
	put(rec_write(rec, 10, VIGIL_WRITE_MKDIR, path, NULL, 0, VIGIL_ROOTFS_YES), WEB_CG);
	html = report();
	sum = summary_of(html, WEB_ID);
	ck_assert_msg(!strstr(html, "<script>alert") && !strstr(html, "<img"), "%s", html);
	/* the report's own script element, and no other */
	ck_assert_ptr_eq(strstr(html, "<script"), strstr(html, "<script>(function()"));
	ck_assert_ptr_null(strstr(strstr(html, "<script") + 1, "<script"));
	ck_assert_msg(strstr(sum, "data-check=\"seccomp\"") &&
			      strstr(sum, "<code>--security-opt seccomp=w&quot;&gt;&lt;script&gt;"
					  "alert(1)&lt;/script&gt;.json</code>"),
		      "%s", sum);
	ck_assert_msg(strstr(sum, "data-check=\"read_only_rootfs\"") &&
			      strstr(sum, "<code>--read-only --tmpfs /var/cache/x&quot;&gt;&lt;img "
					  "src=y onerror=alert(2)&gt;</code>"),
		      "%s", sum);
	free(sum);
	free(html);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("advice");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, findings_sit_in_their_containers_summary_only);
	tcase_add_test(tc, advice_from_what_a_container_controls_is_escaped);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(report_suite)
