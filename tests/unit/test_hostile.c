// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime state a hostile container's creator wrote: megabytes of labels and environment,
 * deeply nested JSON, names with control characters and invalid UTF-8. The agent reads what it
 * can within its bounds, never crashes, and writes only valid JSON about the container.
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
#include "unit.h"

#define DOCKER_ID "d0ce000000000000000000000000000000000000000000000000000000000017"
#define K8S_ID	  "ad00000000000000000000000000000000000000000000000000000000000017"
#define HOSTILE	  FIXTURES "/containers/hostile"

static char root[64];

static void make_root(void)
{
	snprintf(root, sizeof(root), "/tmp/vigil-hostile.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void remove_root(void)
{
	nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes rel (under root, directories made) with the n bytes of text. */
static void put_file(const char *rel, const char *text, size_t n)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "we");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

/* docker's config.v2.json naming the container "/big" with n_labels labels of label_len bytes. */
static void put_docker_config(size_t n_labels, size_t label_len)
{
	size_t cap = 256 + n_labels * (label_len + 32), len;
	char *text = malloc(cap), *p = text;

	ck_assert_ptr_nonnull(text);
	p += sprintf(p, "{\"Name\":\"/big\",\"Config\":{\"Image\":\"alpine\",\"Labels\":{");
	for (size_t i = 0; i < n_labels; i++) {
		p += sprintf(p, "%s\"l%zu\":\"", i ? "," : "", i);
		memset(p, 'x', label_len);
		p += label_len;
		*p++ = '"';
	}
	p += sprintf(p, "}}}");
	len = (size_t)(p - text);
	put_file("var/lib/docker/containers/" DOCKER_ID "/config.v2.json", text, len);
	free(text);
}

static struct vg_container load(const char *at, const char *id, enum vg_runtime rt)
{
	struct vg_container c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	c.runtime = rt;
	vg_container_load_metadata(&c, at);
	return c;
}

/* The "container" object parses as strict JSON in valid UTF-8; returns it (caller puts). */
static struct json_object *strict_container_json(const struct vg_container *c)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj;
	const char *text;
	size_t len;

	text = vg_container_json(c, &len);
	ck_assert_ptr_nonnull(text);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	ck_assert_msg(obj && json_tokener_get_error(tok) == json_tokener_success,
		      "not strict JSON in UTF-8: %s", text);
	json_tokener_free(tok);
	return obj;
}

START_TEST(megabytes_of_labels_within_the_cap_are_read)
{
	/* Proves a config.v2.json of 3 MiB of labels (under the 4 MiB cap) still names the
	 * container. */
	struct vg_container c;

	make_root();
	put_docker_config(3 * 1024, 1024);
	c = load(root, DOCKER_ID, VG_RT_DOCKER);
	ck_assert_str_eq(c.name, "big");
	ck_assert_str_eq(c.image, "alpine");
	vg_container_clear(&c);
	remove_root();
}
END_TEST

START_TEST(state_file_over_the_cap_is_refused)
{
	/* Proves a container's state file over 4 MiB (labels its creator chose) is not parsed: the
	 * container is known by its id alone, and the hostconfig beside it is still read. */
	static const char host[] = "{\"Privileged\":true}";
	struct vg_container c;

	make_root();
	put_docker_config(5 * 1024, 1024);
	put_file("var/lib/docker/containers/" DOCKER_ID "/hostconfig.json", host, sizeof(host) - 1);
	c = load(root, DOCKER_ID, VG_RT_DOCKER);
	ck_assert_ptr_null(c.name);
	ck_assert_ptr_null(c.image);
	ck_assert_str_eq(c.id, DOCKER_ID);
	ck_assert(c.config.known);
	ck_assert(c.config.privileged);
	vg_container_clear(&c);
	remove_root();
}
END_TEST

START_TEST(deep_nesting_in_an_annotation_string_is_just_a_string)
{
	/* Proves 100,000 levels of JSON nesting inside an annotation's value (a string, which is
	 * all OCI annotations can be) neither stops the bundle being read nor recurses. */
	const size_t depth = 100000;
	size_t cap = 2 * depth + 512, len;
	char *text = malloc(cap), *p = text;
	struct vg_container c;

	ck_assert_ptr_nonnull(text);
	p += sprintf(p, "{\"process\":{\"user\":{\"uid\":0}},\"annotations\":{"
			"\"io.kubernetes.cri.container-name\":\"web\",\"evil\":\"");
	memset(p, '[', depth);
	p += depth;
	memset(p, ']', depth);
	p += depth;
	p += sprintf(p, "\"}}");
	len = (size_t)(p - text);
	make_root();
	put_file("run/containerd/io.containerd.runtime.v2.task/k8s.io/" K8S_ID "/config.json", text,
		 len);
	c = load(root, K8S_ID, VG_RT_CONTAINERD);
	ck_assert_str_eq(c.name, "web");
	ck_assert_str_eq(c.config.user, "0");
	vg_container_clear(&c);
	free(text);
	remove_root();
}
END_TEST

START_TEST(deep_nesting_in_the_file_degrades_to_the_id)
{
	/* Proves a state file nested deeper than json-c's limit (32 levels; no runtime writes
	 * more than a handful) is refused whole, without a crash: the container keeps its id. */
	const size_t depth = 100000;
	size_t len = 2 * depth + 64;
	char *text = malloc(len), *p = text;
	struct vg_container c;

	ck_assert_ptr_nonnull(text);
	p += sprintf(p, "{\"process\":");
	memset(p, '[', depth);
	p += depth;
	memset(p, ']', depth);
	p += depth;
	p += sprintf(p, "}");
	make_root();
	put_file("run/containerd/io.containerd.runtime.v2.task/k8s.io/" K8S_ID "/config.json", text,
		 (size_t)(p - text));
	c = load(root, K8S_ID, VG_RT_CONTAINERD);
	ck_assert_ptr_null(c.name);
	ck_assert(!c.config.known);
	ck_assert_str_eq(c.id, K8S_ID);
	vg_container_clear(&c);
	free(text);
	remove_root();
}
END_TEST

START_TEST(control_characters_and_invalid_utf8_in_names)
{
	/* Proves a name, image and compose labels with escape sequences, NUL-free control bytes
	 * and invalid UTF-8 (fixtures/containers/hostile) are written as strict JSON in valid
	 * UTF-8: control characters escaped, each invalid byte U+FFFD (found by fuzz_event: the
	 * bytes went out raw and broke the line's UTF-8). */
	struct vg_container c = load(HOSTILE, DOCKER_ID, VG_RT_DOCKER);
	struct json_object *obj = strict_container_json(&c), *compose;

	ck_assert_str_eq(json_object_get_string(json_object_object_get(obj, "name")),
			 "\x1b[31mred\x07\xef\xbf\xbd\xef\xbf\xbd\n");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(obj, "image")),
			 "img\xef\xbf\xbd\r");
	compose = json_object_object_get(obj, "compose");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(compose, "project")),
			 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\t"); /* a surrogate: each byte */
	json_object_put(obj);
	/* and the full form a capture keeps */
	obj = vg_container_to_json_full(&c);
	ck_assert_ptr_nonnull(obj);
	ck_assert_ptr_null(strstr(json_object_to_json_string(obj), "\xff"));
	json_object_put(obj);
	vg_container_clear(&c);
}
END_TEST

START_TEST(mountinfo_root_spelt_with_slashes)
{
	/* Proves a mount point of "//" (the root, spelt oddly) is not taken for a mount of its
	 * own: the list skips it as it skips "/", so the root-filesystem question stays answered
	 * by the other mounts (found by fuzz_mountinfo). */
	static const char lines[] = "1 0 0:1 / // rw - overlay overlay rw\n"
				    "2 1 0:2 / /data rw - tmpfs tmpfs rw\n";
	struct vg_container c = {0};
	char path[512];
	bool decided;

	make_root();
	put_file("mountinfo", lines, sizeof(lines) - 1);
	snprintf(path, sizeof(path), "%s/mountinfo", root);
	ck_assert_int_eq(vg_container_load_mountinfo(&c, path), 0);
	ck_assert_uint_eq(c.config.n_mounts, 1);
	ck_assert_str_eq(c.config.mounts[0].destination, "/data");
	ck_assert(vg_container_path_on_rootfs(&c, "/etc/passwd", &decided) && decided);
	ck_assert(!vg_container_path_on_rootfs(&c, "/data/x", &decided) && decided);
	vg_container_clear(&c);
	remove_root();
}
END_TEST

static Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("runtime_state");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, megabytes_of_labels_within_the_cap_are_read);
	tcase_add_test(tc, state_file_over_the_cap_is_refused);
	tcase_add_test(tc, deep_nesting_in_an_annotation_string_is_just_a_string);
	tcase_add_test(tc, deep_nesting_in_the_file_degrades_to_the_id);
	tcase_add_test(tc, control_characters_and_invalid_utf8_in_names);
	tcase_add_test(tc, mountinfo_root_spelt_with_slashes);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(hostile_suite)
