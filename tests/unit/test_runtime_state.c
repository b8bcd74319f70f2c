// SPDX-License-Identifier: GPL-2.0
/*
 * Container metadata from real-shaped runtime state (tests/fixtures/containers): podman,
 * cri-o, containerd and docker files, and what malformed or missing files leave unknown.
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

/* ---- metadata ---- */

/*
 * podman as it really writes its state here (fixture copied from `podman run --read-only
 * --user 1000:1000 --cap-drop ALL --cap-add NET_BIND_SERVICE -v /tmp/vgc:/data:ro
 * --tmpfs /scratch --security-opt no-new-privileges`): name from containers.json, image from
 * its metadata, hardening from the OCI bundle.
 */
START_TEST(meta_podman_real)
{
	struct vg_container c =
		load(HOST_ROOT, PODMAN_T1, VG_RT_PODMAN, "/libpod_parent/libpod-" PODMAN_T1);

	ck_assert_str_eq(c.name, "vgc-t1");
	ck_assert_str_eq(c.image, "localhost/vigil-test:1");
	ck_assert_ptr_null(c.pod);
	ck_assert(c.config.known);
	ck_assert_str_eq(c.config.user, "1000:1000");
	ck_assert_uint_eq(c.config.cap_effective, BIT(CAP_NET_BIND));
	ck_assert_uint_eq(c.config.cap_bounding, BIT(CAP_NET_BIND));
	ck_assert(c.config.readonly_rootfs);
	ck_assert(c.config.no_new_privileges);
	ck_assert(!c.config.privileged);
	assert_mount(&c, "/data", "bind", "/tmp/vgc", true);
	assert_mount(&c, "/scratch", "tmpfs", "tmpfs", false);
	assert_mount(&c, "/etc/passwd", "bind", NULL, true);
	assert_mount(&c, "/proc", "proc", "proc", false);
	vg_container_clear(&c);
}
END_TEST

/* podman's defaults: root, docker's default capabilities, writable rootfs. */
START_TEST(meta_podman_defaults)
{
	struct vg_container c = load(HOST_ROOT, PODMAN_T2, VG_RT_PODMAN, NULL);

	ck_assert_str_eq(c.name, "vgc-t2");
	ck_assert_str_eq(c.image, "localhost/vigil-test:1");
	ck_assert_str_eq(c.config.user, "0:0");
	ck_assert_uint_eq(c.config.cap_effective, DEFAULT_CAPS);
	ck_assert(!c.config.readonly_rootfs);
	ck_assert(!c.config.no_new_privileges);
	ck_assert_ptr_null(find_mount(&c, "/data"));
	vg_container_clear(&c);
}
END_TEST

/*
 * podman: a bundle only under the run root, image not in the metadata (images.json names it),
 * privileged from podman's annotation.
 */
START_TEST(meta_podman_privileged_images_json)
{
	struct vg_container c = load(HOST_ROOT, PODMAN_PRIV, VG_RT_PODMAN, NULL);

	ck_assert_str_eq(c.name, "privy");
	ck_assert_str_eq(c.image, "localhost/vigil-test:1");
	ck_assert(c.config.privileged);
	ck_assert_uint_eq(c.config.cap_effective, ALL_CAPS);
	ck_assert(c.config.cap_effective & BIT(CAP_CHECKPOINT));
	vg_container_clear(&c);
}
END_TEST

/* Rootless podman: the user slice's uid -> home in /etc/passwd -> its storage. */
START_TEST(meta_podman_rootless)
{
	struct vg_container c =
		load(HOST_ROOT, PODMAN_USER, VG_RT_PODMAN,
		     "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" PODMAN_USER
		     ".scope");

	ck_assert_str_eq(c.name, "rootless-web");
	ck_assert_str_eq(c.image, "docker.io/library/nginx:alpine");
	ck_assert(c.config.known);
	vg_container_clear(&c);
}
END_TEST

/* cri-o: the kubelet's annotations name container, pod, namespace and image. */
START_TEST(meta_crio)
{
	struct vg_container c = load(HOST_ROOT, CRIO_API, VG_RT_CRIO, NULL);

	ck_assert_str_eq(c.name, "api"); /* not containers.json's k8s_api_... */
	ck_assert_str_eq(c.pod, "api-6b7f9c8d5-q4wz2");
	ck_assert_str_eq(c.namespace, "shop");
	ck_assert_str_eq(c.image, "registry.example.com/shop/api:2.4.1");
	ck_assert_str_eq(c.config.user, "65532:65532");
	ck_assert_uint_eq(c.config.cap_effective, BIT(CAP_NET_BIND));
	ck_assert(c.config.readonly_rootfs);
	ck_assert(c.config.no_new_privileges);
	assert_mount(&c, "/var/run/secrets/kubernetes.io/serviceaccount", "bind", NULL, true);
	assert_mount(&c, "/cache", "bind", NULL, false);
	vg_container_clear(&c);
}
END_TEST

/* containerd + CRI: the bundle in namespace k8s.io and its CRI annotations. */
START_TEST(meta_containerd_cri)
{
	struct vg_container c = load(HOST_ROOT, CTRD_NGINX, VG_RT_CONTAINERD, NULL);

	ck_assert_str_eq(c.name, "nginx");
	ck_assert_str_eq(c.pod, "web-7d4b9c6f5-x2x9z");
	ck_assert_str_eq(c.namespace, "default");
	ck_assert_str_eq(c.image, "docker.io/library/nginx:1.25");
	ck_assert_str_eq(c.config.user, "101:101");
	ck_assert_uint_eq(c.config.cap_effective, DEFAULT_CAPS);
	ck_assert(!c.config.readonly_rootfs);
	assert_mount(&c, "/usr/share/nginx/html", "bind", NULL, true);
	assert_mount(&c, "/etc/hosts", "bind", NULL, false);
	vg_container_clear(&c);
}
END_TEST

/* containerd without the kubelet: any namespace directory is searched; nerdctl names it. */
START_TEST(meta_containerd_other_namespace)
{
	struct vg_container c = load(HOST_ROOT, CTRD_NERD, VG_RT_CONTAINERD, NULL);

	ck_assert_str_eq(c.name, "cache");
	ck_assert_ptr_null(c.pod);
	ck_assert_ptr_null(c.namespace);
	ck_assert_str_eq(c.config.user, "0:0");
	vg_container_clear(&c);
}
END_TEST

/*
 * docker from its own files: "/web" -> "web", Config.Image, Config.User, CapAdd/CapDrop on
 * docker's default set, read-only rootfs, no-new-privileges, volumes, tmpfs and the mounts
 * docker always makes.
 */
START_TEST(meta_docker_hostconfig)
{
	struct vg_container c = load(HOST_ROOT, DOCKER_WEB, VG_RT_DOCKER, NULL);

	ck_assert_str_eq(c.name, "web");
	ck_assert_str_eq(c.image, "nginx:1.25");
	ck_assert(c.config.known);
	ck_assert_str_eq(c.config.user, "1000");
	ck_assert_uint_eq(c.config.cap_effective,
			  (DEFAULT_CAPS | BIT(CAP_NET_ADMIN)) & ~BIT(CAP_MKNOD));
	ck_assert(c.config.readonly_rootfs);
	ck_assert(c.config.no_new_privileges);
	ck_assert(!c.config.privileged);
	assert_mount(&c, "/data", "bind", "/srv/www", true);
	assert_mount(&c, "/run", "tmpfs", "tmpfs", false);
	assert_mount(&c, "/etc/hosts", "bind", "/var/lib/docker/containers/" DOCKER_WEB "/hosts",
		     false);
	assert_mount(&c, "/dev/shm", "bind", NULL, false);
	assert_mount(&c, "/proc", "proc", NULL, false);
	vg_container_clear(&c);
}
END_TEST

/* docker --privileged: every capability, privileged known. */
START_TEST(meta_docker_privileged)
{
	struct vg_container c = load(HOST_ROOT, DOCKER_PRIV, VG_RT_DOCKER, NULL);

	ck_assert_str_eq(c.name, "priv");
	ck_assert_str_eq(c.image, "alpine:3.20");
	ck_assert(c.config.privileged);
	ck_assert_uint_eq(c.config.cap_effective, ALL_CAPS);
	ck_assert_uint_eq(c.config.cap_bounding, ALL_CAPS);
	ck_assert_str_eq(c.config.user, "");
	vg_container_clear(&c);
}
END_TEST

/* docker on containerd: the OCI bundle in namespace moby is what was applied, and wins. */
START_TEST(meta_docker_moby_bundle)
{
	struct vg_container c = load(HOST_ROOT, DOCKER_API, VG_RT_DOCKER, NULL);

	ck_assert_str_eq(c.name, "api");
	ck_assert_str_eq(c.image, "ghcr.io/example/api:7");
	ck_assert_str_eq(c.config.user, "33:33");
	ck_assert_uint_eq(c.config.cap_effective, BIT(CAP_NET_BIND));
	ck_assert(!c.config.privileged);
	vg_container_clear(&c);
}
END_TEST

/* docker with runc's state.json: capabilities, read-only rootfs, nnp and mounts from it. */
START_TEST(meta_docker_runc_state)
{
	struct vg_container c = load(HOST_ROOT, DOCKER_WORK, VG_RT_DOCKER, NULL);

	ck_assert_str_eq(c.name, "worker");
	ck_assert_uint_eq(c.config.cap_effective, BIT(CAP_CHOWN));
	ck_assert_uint_eq(c.config.cap_bounding, BIT(CAP_CHOWN) | BIT(CAP_KILL));
	ck_assert(c.config.readonly_rootfs);
	ck_assert(c.config.no_new_privileges);
	assert_mount(&c, "/queue", "bind", "/srv/queue", true);
	assert_mount(&c, "/dev", "tmpfs", NULL, false);
	ck_assert_uint_eq(c.config.n_mounts, 3);
	vg_container_clear(&c);
}
END_TEST

/* docker under the kubelet (dockershim): the kubelet's labels name container and pod. */
START_TEST(meta_docker_kubelet_labels)
{
	struct vg_container c = load(HOST_ROOT, DOCKER_SHIM, VG_RT_DOCKER, NULL);

	ck_assert_str_eq(c.name, "app");
	ck_assert_str_eq(c.pod, "shim-pod");
	ck_assert_str_eq(c.namespace, "team");
	ck_assert_str_eq(c.image, "example/app:3");
	vg_container_clear(&c);
}
END_TEST

/* A bare id's runtime is found from whose state holds it. */
START_TEST(meta_probe_unknown_runtime)
{
	static const struct {
		const char *id;
		enum vg_runtime rt;
		const char *name;
	} cases[] = {
		{DOCKER_API, VG_RT_DOCKER, "api"}, /* containerd namespace moby: docker's */
		{DOCKER_WEB, VG_RT_DOCKER, "web"},   {CTRD_NGINX, VG_RT_CONTAINERD, "nginx"},
		{PODMAN_T1, VG_RT_PODMAN, "vgc-t1"}, {CRIO_API, VG_RT_CRIO, "api"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vg_container c = load(HOST_ROOT, cases[i].id, VG_RT_UNKNOWN, NULL);

		ck_assert_msg(c.runtime == cases[i].rt, "%s: %s", cases[i].id,
			      vg_runtime_name(c.runtime));
		ck_assert_str_eq(c.name, cases[i].name);
		vg_container_clear(&c);
	}
}
END_TEST

/* A kubepods bare id is containerd's by default, but cri-o's state shows it is cri-o's. */
START_TEST(meta_kubepods_bare_id_is_crio)
{
	struct vg_container c = load(HOST_ROOT, CRIO_API, VG_RT_CONTAINERD, NULL);

	ck_assert_int_eq(c.runtime, VG_RT_CRIO);
	ck_assert_str_eq(c.name, "api");
	vg_container_clear(&c);
}
END_TEST

/* No state anywhere: the id alone, runtime as the path said; lxc and nspawn use it as name. */
START_TEST(meta_nothing_found)
{
	struct vg_container c = load(HOST_ROOT, NOWHERE_ID, VG_RT_UNKNOWN, NULL);

	assert_id_only(&c, NOWHERE_ID);
	ck_assert_int_eq(c.runtime, VG_RT_UNKNOWN);
	vg_container_clear(&c);
	for (int rt = VG_RT_DOCKER; rt <= VG_RT_PODMAN; rt++) {
		c = load("/nonexistent-vigil-root", NOWHERE_ID, (enum vg_runtime)rt, NULL);
		assert_id_only(&c, NOWHERE_ID);
		vg_container_clear(&c);
	}
	c = load(HOST_ROOT, "web", VG_RT_LXC, "/lxc.payload.web");
	ck_assert_str_eq(c.name, "web");
	ck_assert(!c.config.known);
	vg_container_clear(&c);
	c = load(HOST_ROOT, "debian-build", VG_RT_NSPAWN, NULL);
	ck_assert_str_eq(c.name, "debian-build");
	vg_container_clear(&c);
}
END_TEST

/*
 * Truncated, empty, binary, wrong-shaped, directory-instead-of-file and absurdly nested state
 * files degrade to the id alone, without a crash.
 */
START_TEST(meta_malformed_degrades)
{
	static const struct {
		const char *id;
		enum vg_runtime rt;
	} cases[] = {
		{"dbad000000000000000000000000000000000000000000000000000000000001", VG_RT_DOCKER},
		{"bad0000000000000000000000000000000000000000000000000000000000001", VG_RT_PODMAN},
		{"bad0000000000000000000000000000000000000000000000000000000000002", VG_RT_PODMAN},
		{"bad0000000000000000000000000000000000000000000000000000000000004", VG_RT_CRIO},
		{"bad0000000000000000000000000000000000000000000000000000000000005",
		 VG_RT_CONTAINERD},
		{"bad0000000000000000000000000000000000000000000000000000000000005", VG_RT_UNKNOWN},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vg_container c = load(MALFORMED_ROOT, cases[i].id, cases[i].rt, NULL);

		assert_id_only(&c, cases[i].id);
		vg_container_clear(&c);
	}
}
END_TEST

/* Valid JSON with members of the wrong types: those members are ignored, the rest still read. */
START_TEST(meta_wrong_types_ignored)
{
	struct vg_container c = load(
		MALFORMED_ROOT, "dbad000000000000000000000000000000000000000000000000000000000002",
		VG_RT_DOCKER, NULL);

	/* "Name": 42, "Config": "nope", hostconfig an array */
	assert_id_only(&c, "dbad000000000000000000000000000000000000000000000000000000000002");
	vg_container_clear(&c);

	c = load(MALFORMED_ROOT, "bad0000000000000000000000000000000000000000000000000000000000003",
		 VG_RT_CRIO, NULL);
	ck_assert(c.config.known);		      /* a spec, if a poor one */
	ck_assert_ptr_null(c.config.user);	      /* uid -5 */
	ck_assert_uint_eq(c.config.cap_effective, 0); /* a string, not an array */
	ck_assert_uint_eq(c.config.cap_bounding, 0);  /* no known name in it */
	ck_assert(!c.config.no_new_privileges);	      /* "yes" */
	ck_assert_uint_eq(c.config.n_mounts, 0);      /* an object */
	ck_assert_ptr_null(c.pod);		      /* 7 */
	ck_assert_ptr_null(c.name);		      /* null */
	vg_container_clear(&c);
}
END_TEST

static Suite *runtime_state_suite(void)
{
	Suite *s = suite_create("runtime_state");
	TCase *tc;

	tc = tcase_create("metadata");
	tcase_add_test(tc, meta_podman_real);
	tcase_add_test(tc, meta_podman_defaults);
	tcase_add_test(tc, meta_podman_privileged_images_json);
	tcase_add_test(tc, meta_podman_rootless);
	tcase_add_test(tc, meta_crio);
	tcase_add_test(tc, meta_containerd_cri);
	tcase_add_test(tc, meta_containerd_other_namespace);
	tcase_add_test(tc, meta_docker_hostconfig);
	tcase_add_test(tc, meta_docker_privileged);
	tcase_add_test(tc, meta_docker_moby_bundle);
	tcase_add_test(tc, meta_docker_runc_state);
	tcase_add_test(tc, meta_docker_kubelet_labels);
	tcase_add_test(tc, meta_probe_unknown_runtime);
	tcase_add_test(tc, meta_kubepods_bare_id_is_crio);
	tcase_add_test(tc, meta_nothing_found);
	tcase_add_test(tc, meta_malformed_degrades);
	tcase_add_test(tc, meta_wrong_types_ignored);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(runtime_state_suite)
