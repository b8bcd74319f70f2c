// SPDX-License-Identifier: GPL-2.0
/*
 * A container's JSON forms (the spec object, the full record and its round trip), its mounts
 * from mountinfo and the root filesystem test.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "containers.h"
#include "unit.h"

/* ---- JSON ---- */

/* SPEC's container object: id and runtime always, the rest only where known. */
START_TEST(json_spec_object)
{
	struct vg_container c;
	struct json_object *obj, *v;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", ID_B);
	c.runtime = VG_RT_CRIO;
	c.name = "api";
	c.pod = "api-1";
	obj = vg_container_to_json(&c);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(obj, "id")), ID_B);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(obj, "runtime")), "crio");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(obj, "name")), "api");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(obj, "pod")), "api-1");
	ck_assert(!json_object_object_get_ex(obj, "image", &v));
	ck_assert(!json_object_object_get_ex(obj, "namespace", &v));
	ck_assert(!json_object_object_get_ex(obj, "config", &v));
	ck_assert(!json_object_object_get_ex(obj, "cgroup_id", &v));
	ck_assert_int_eq(json_object_object_length(obj), 4);
	json_object_put(obj);
	c.runtime = VG_RT_UNKNOWN;
	obj = vg_container_to_json(&c);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(obj, "runtime")), "unknown");
	json_object_put(obj);
	ck_assert_ptr_null(vg_container_to_json(NULL));
}
END_TEST

static void assert_same_container(const struct vg_container *a, const struct vg_container *b)
{
	ck_assert_uint_eq(a->cgroup_id, b->cgroup_id);
	ck_assert_str_eq(a->id, b->id);
	ck_assert_int_eq(a->runtime, b->runtime);
#define SAME_STR(x, y) ck_assert_msg((!(x) && !(y)) || ((x) && (y) && !strcmp(x, y)), #x)
	SAME_STR(a->cgroup_path, b->cgroup_path);
	SAME_STR(a->name, b->name);
	SAME_STR(a->image, b->image);
	SAME_STR(a->pod, b->pod);
	SAME_STR(a->namespace, b->namespace);
	SAME_STR(a->config.user, b->config.user);
	ck_assert_int_eq(a->config.known, b->config.known);
	ck_assert_uint_eq(a->config.cap_effective, b->config.cap_effective);
	ck_assert_uint_eq(a->config.cap_bounding, b->config.cap_bounding);
	ck_assert_int_eq(a->config.readonly_rootfs, b->config.readonly_rootfs);
	ck_assert_int_eq(a->config.no_new_privileges, b->config.no_new_privileges);
	ck_assert_int_eq(a->config.privileged, b->config.privileged);
	ck_assert_int_eq(a->config.mounts_known, b->config.mounts_known);
	ck_assert_uint_eq(a->config.n_mounts, b->config.n_mounts);
	for (size_t i = 0; i < a->config.n_mounts; i++) {
		const struct vg_mountpoint *x = &a->config.mounts[i], *y = &b->config.mounts[i];

		SAME_STR(x->destination, y->destination);
		SAME_STR(x->source, y->source);
		SAME_STR(x->type, y->type);
		ck_assert_int_eq(x->readonly, y->readonly);
	}
#undef SAME_STR
}

/* The full form carries everything, through text and back, cgroup ids above 2^63 included. */
START_TEST(json_full_round_trip)
{
	static const struct {
		const char *root, *id;
		enum vg_runtime rt;
	} cases[] = {
		{HOST_ROOT, PODMAN_T1, VG_RT_PODMAN},	{HOST_ROOT, CRIO_API, VG_RT_CRIO},
		{HOST_ROOT, DOCKER_PRIV, VG_RT_DOCKER}, {HOST_ROOT, CTRD_NGINX, VG_RT_CONTAINERD},
		{HOST_ROOT, NOWHERE_ID, VG_RT_UNKNOWN}, {HOST_ROOT, "web", VG_RT_LXC},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vg_container c = load(cases[i].root, cases[i].id, cases[i].rt, "/x/y");
		struct vg_container back;
		struct json_object *obj, *parsed;
		const char *text;

		c.cgroup_id = 0xfedcba9876543210ull + i;
		obj = vg_container_to_json_full(&c);
		text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
		parsed = json_tokener_parse(text);
		ck_assert_ptr_nonnull(parsed);
		ck_assert_int_eq(vg_container_from_json_full(parsed, &back), 0);
		assert_same_container(&c, &back);
		json_object_put(obj);
		json_object_put(parsed);
		vg_container_clear(&back);
		vg_container_clear(&c);
	}
}
END_TEST

/*
 * A capture record is len bytes with no NUL: the next record follows. Only those bytes are
 * read, and a record cut short is refused rather than completed from what follows.
 */
START_TEST(record_is_read_within_its_length)
{
	struct vg_container_paths offline = {NULL, NULL};
	struct vg_containers *cs = vg_containers_new(&offline);
	struct vg_container c = {.cgroup_id = 77, .runtime = VG_RT_PODMAN};
	const struct vg_container *found;
	struct json_object *obj;
	const char *text;
	char buf[4096];
	size_t len;
	bool is_new;

	ck_assert_ptr_nonnull(cs);
	memset(c.id, 'a', 64);
	c.name = "web";
	obj = vg_container_to_json_full(&c);
	text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
	len = strlen(text);
	ck_assert_uint_lt(len + 16, sizeof(buf));
	memcpy(buf, text, len);
	/* what a reader finds after a record: padding and the next record, no NUL */
	memset(buf + len, '}', 16);
	ck_assert_int_eq(vg_containers_add_record(cs, buf, len), 0);
	found = vg_containers_lookup(cs, 77, &is_new);
	ck_assert_ptr_nonnull(found);
	ck_assert_str_eq(found->name, "web");
	ck_assert_int_eq(vg_containers_add_record(cs, buf, len - 1), -EINVAL);
	ck_assert_int_eq(vg_containers_add_record(cs, "not json", 8), -EINVAL);
	json_object_put(obj);
	vg_containers_free(cs);
}
END_TEST

/* Reading a capture's container refuses what is not one, and leaves nothing allocated. */
START_TEST(json_full_rejects_malformed)
{
	static const char *const bad[] = {
		"[]",
		"{}",
		"{\"id\":\"\"}",
		"{\"id\":7}",
		"{\"id\":\"" ID_A "0\"}", /* 65 chars */
		"{\"id\":\"x\",\"name\":5}",
		"{\"id\":\"x\",\"cgroup_id\":\"12\"}",
		"{\"id\":\"x\",\"config\":[]}",
		"{\"id\":\"x\",\"config\":{\"known\":\"yes\"}}",
		"{\"id\":\"x\",\"config\":{\"mounts\":[{\"source\":\"/a\"}]}}",
		"{\"id\":\"x\",\"config\":{\"mounts\":[7]}}",
		"{\"id\":\"x\",\"config\":{\"mounts\":[{\"destination\":\"/a\",\"readonly\":1}]}}",
	};
	struct vg_container c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json_object *obj = json_tokener_parse(bad[i]);

		ck_assert_msg(vg_container_from_json_full(obj, &c) < 0, "accepted %s", bad[i]);
		ck_assert_ptr_null(c.name);
		ck_assert_ptr_null(c.config.mounts);
		json_object_put(obj);
	}
	ck_assert_int_lt(vg_container_from_json_full(NULL, &c), 0);
}
END_TEST

/* The minimal form reads back; an unknown runtime name reads as unknown, not an error. */
START_TEST(json_full_minimal)
{
	struct json_object *obj =
		json_tokener_parse("{\"id\":\"web\",\"runtime\":\"rkt\",\"name\":null}");
	struct vg_container c;

	ck_assert_int_eq(vg_container_from_json_full(obj, &c), 0);
	ck_assert_str_eq(c.id, "web");
	ck_assert_int_eq(c.runtime, VG_RT_UNKNOWN);
	ck_assert_ptr_null(c.name);
	ck_assert(!c.config.known);
	json_object_put(obj);
	vg_container_clear(&c);
}
END_TEST

/* ---- mounts and the root filesystem ---- */

static bool on_rootfs(const struct vg_container *c, const char *path)
{
	bool decided;
	bool r = vg_container_path_on_rootfs(c, path, &decided);

	ck_assert_msg(decided, "undecided: %s", path);
	return r;
}

/*
 * A path under any mount but "/" is not on the rootfs (podman's real bundle: binds, tmpfs,
 * files bound over /etc); a name that only starts like a mount point is.
 */
START_TEST(rootfs_from_config)
{
	struct vg_container c = load(HOST_ROOT, PODMAN_T1, VG_RT_PODMAN, NULL);
	bool decided;

	ck_assert(!on_rootfs(&c, "/data"));
	ck_assert(!on_rootfs(&c, "/data/x/y"));
	ck_assert(!on_rootfs(&c, "/scratch/f"));
	ck_assert(!on_rootfs(&c, "/tmp/f"));
	ck_assert(!on_rootfs(&c, "/etc/passwd"));
	ck_assert(!on_rootfs(&c, "/dev/shm/x"));
	ck_assert(on_rootfs(&c, "/etc/shadow"));
	ck_assert(on_rootfs(&c, "/usr/bin/x"));
	ck_assert(on_rootfs(&c, "/database"));
	ck_assert(on_rootfs(&c, "/tmpfoo"));
	ck_assert(on_rootfs(&c, "/"));
	ck_assert(!vg_container_path_on_rootfs(&c, "relative/x", &decided));
	ck_assert(!decided);
	vg_container_clear(&c);
}
END_TEST

/* Longest prefix wins: "/" mounts are the rootfs; trailing slashes are ignored. */
START_TEST(rootfs_longest_prefix)
{
	struct vg_container c;

	memset(&c, 0, sizeof(c));
	c.config.known = true;
	ck_assert(on_rootfs(&c, "/var/x")); /* known, no mounts: all on the rootfs */
	c.config.mounts = (struct vg_mountpoint[]){
		{.destination = "/", .source = "overlay", .type = "overlay"},
		{.destination = "/var/", .source = "/srv/v", .type = "bind"},
		{.destination = "/var/lib/app", .source = "vol", .type = "volume"},
	};
	c.config.n_mounts = 3;
	ck_assert(!on_rootfs(&c, "/var"));
	ck_assert(!on_rootfs(&c, "/var/lib/app/db"));
	ck_assert(!on_rootfs(&c, "/var/log"));
	ck_assert(on_rootfs(&c, "/variable"));
	ck_assert(on_rootfs(&c, "/etc/x"));
}
END_TEST

/* Without a known config or mounts nothing is decided. */
START_TEST(rootfs_unknown)
{
	struct vg_container c;
	bool decided = true;

	memset(&c, 0, sizeof(c));
	ck_assert(!vg_container_path_on_rootfs(&c, "/etc/passwd", &decided));
	ck_assert(!decided);
	decided = true;
	ck_assert(!vg_container_path_on_rootfs(NULL, "/etc/passwd", &decided));
	ck_assert(!decided);
}
END_TEST

/*
 * mountinfo of a real podman container: every mount point but "/", binds of a host path with
 * that path as source, read-only from the mount options; then rootfs decisions follow.
 */
START_TEST(mountinfo_real_podman)
{
	struct vg_container c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(
		vg_container_load_mountinfo(&c, FIXTURES "/containers/mountinfo-podman-readonly"),
		0);
	ck_assert(c.config.mounts_known);
	ck_assert(!c.config.known);
	ck_assert_ptr_null(find_mount(&c, "/"));
	assert_mount(&c, "/data", "bind", "/tmp/vgc", true);
	assert_mount(&c, "/scratch", "tmpfs", "tmpfs", false);
	assert_mount(&c, "/sys", "sysfs", "sysfs", true);
	assert_mount(&c, "/dev/shm", "tmpfs", "shm", false);
	assert_mount(&c, "/etc/hosts", "bind", NULL, true);
	ck_assert(!on_rootfs(&c, "/data/f"));
	ck_assert(!on_rootfs(&c, "/proc/self/status"));
	ck_assert(on_rootfs(&c, "/etc/shadow"));
	vg_container_clear(&c);
}
END_TEST

/* mountinfo's octal escapes are undone; malformed lines are skipped. */
START_TEST(mountinfo_escapes)
{
	struct vg_container c;

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(vg_container_load_mountinfo(&c, FIXTURES "/containers/mountinfo-escapes"),
			 0);
	ck_assert_uint_eq(c.config.n_mounts, 4);
	assert_mount(&c, "/my data", "bind", "/srv/my data", false);
	assert_mount(&c, "/tmp", "tmpfs", "tmpfs", false);
	assert_mount(&c, "/dev/shm", "tmpfs", "shm", true);
	ck_assert(!on_rootfs(&c, "/my data/x"));
	vg_container_clear(&c);
}
END_TEST

/* The runtime's mount list is kept over mountinfo's; an unreadable file is an error. */
START_TEST(mountinfo_keeps_config)
{
	struct vg_container c = load(HOST_ROOT, PODMAN_T1, VG_RT_PODMAN, NULL);
	size_t n = c.config.n_mounts;

	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(vg_container_load_mountinfo(&c, FIXTURES "/containers/mountinfo-escapes"),
			 0);
	ck_assert_uint_eq(c.config.n_mounts, n);
	ck_assert_ptr_null(find_mount(&c, "/my data"));
	vg_container_clear(&c);
	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(vg_container_load_mountinfo(&c, "/nonexistent/mountinfo"), -ENOENT);
	ck_assert(!c.config.mounts_known);
}
END_TEST

static Suite *container_json_suite(void)
{
	Suite *s = suite_create("container_json");
	TCase *tc;

	tc = tcase_create("json");
	tcase_add_test(tc, json_spec_object);
	tcase_add_test(tc, json_full_round_trip);
	tcase_add_test(tc, json_full_rejects_malformed);
	tcase_add_test(tc, json_full_minimal);
	suite_add_tcase(s, tc);

	tc = tcase_create("rootfs");
	tcase_add_test(tc, rootfs_from_config);
	tcase_add_test(tc, rootfs_longest_prefix);
	tcase_add_test(tc, rootfs_unknown);
	tcase_add_test(tc, mountinfo_real_podman);
	tcase_add_test(tc, mountinfo_escapes);
	tcase_add_test(tc, mountinfo_keeps_config);
	tcase_add_test(tc, record_is_read_within_its_length);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(container_json_suite)
