// SPDX-License-Identifier: GPL-2.0
/*
 * Container attribution: cgroup paths of every runtime and driver, metadata from real-shaped
 * runtime state (tests/fixtures/containers), the cgroup id cache over a real directory tree,
 * its bounds, JSON forms, and the root filesystem test.
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

#define HOST_ROOT      FIXTURES "/containers/host"
#define MALFORMED_ROOT FIXTURES "/containers/malformed"

/* Ids of the fixture containers (tests/fixtures/containers/host). */
#define PODMAN_T1   "857e4c15b69e1d6ef84d76cbaa57f7e9f0d0f24f96d61c3795b5cd37526bf577"
#define PODMAN_T2   "fbe4a7182fdc6a088d3c087e4d3d994582ec9b29af75f8b01d16d9efb3a75ca3"
#define PODMAN_PRIV "c0ffee0000000000000000000000000000000000000000000000000000000001"
#define PODMAN_USER "7e0000000000000000000000000000000000000000000000000000000000beef"
#define CRIO_API    "c1d0000000000000000000000000000000000000000000000000000000000042"
#define CTRD_NGINX  "ad0000000000000000000000000000000000000000000000000000000000cafe"
#define CTRD_NERD   "0e0000000000000000000000000000000000000000000000000000000000d00d"
#define DOCKER_WEB  "d1e0000000000000000000000000000000000000000000000000000000000001"
#define DOCKER_PRIV "d2e0000000000000000000000000000000000000000000000000000000000002"
#define DOCKER_API  "d3e0000000000000000000000000000000000000000000000000000000000003"
#define DOCKER_WORK "d4e0000000000000000000000000000000000000000000000000000000000004"
#define DOCKER_SHIM "d5e0000000000000000000000000000000000000000000000000000000000005"
#define NOWHERE_ID  "0000000000000000000000000000000000000000000000000000000000000abc"

#define ID_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ID_B "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID_C "0123456789ab0000aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* ID_B's 12 */

#define BIT(cap)	 (1ull << (cap))
#define CAP_CHOWN	 0
#define CAP_DAC_OVERRIDE 1
#define CAP_FOWNER	 3
#define CAP_FSETID	 4
#define CAP_KILL	 5
#define CAP_SETGID	 6
#define CAP_SETUID	 7
#define CAP_SETPCAP	 8
#define CAP_NET_BIND	 10
#define CAP_NET_ADMIN	 12
#define CAP_NET_RAW	 13
#define CAP_SYS_CHROOT	 18
#define CAP_SYS_ADMIN	 21
#define CAP_MKNOD	 27
#define CAP_AUDIT_WRITE	 29
#define CAP_SETFCAP	 31
#define CAP_CHECKPOINT	 40
#define ALL_CAPS	 ((1ull << 41) - 1)
/* docker's default set, which podman's default matches */
#define DEFAULT_CAPS                                                                               \
	(BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FOWNER) | BIT(CAP_FSETID) |              \
	 BIT(CAP_KILL) | BIT(CAP_SETGID) | BIT(CAP_SETUID) | BIT(CAP_SETPCAP) |                    \
	 BIT(CAP_NET_BIND) | BIT(CAP_NET_RAW) | BIT(CAP_SYS_CHROOT) | BIT(CAP_MKNOD) |             \
	 BIT(CAP_AUDIT_WRITE) | BIT(CAP_SETFCAP))

/* ---- helpers ---- */

static struct vg_cgroup_match parse_ok(const char *path)
{
	struct vg_cgroup_match m;

	ck_assert_msg(vg_cgroup_parse(path, &m), "not a container: %s", path);
	return m;
}

static void assert_host(const char *path)
{
	struct vg_cgroup_match m;

	ck_assert_msg(!vg_cgroup_parse(path, &m), "taken for a container: %s", path);
	ck_assert_int_eq(m.runtime, VG_RT_UNKNOWN);
	ck_assert_str_eq(m.id, "");
}

static void assert_match(const char *path, enum vg_runtime rt, const char *id, bool kubernetes,
			 const char *pod_uid)
{
	struct vg_cgroup_match m = parse_ok(path);

	ck_assert_msg(m.runtime == rt, "%s: runtime %s", path, vg_runtime_name(m.runtime));
	ck_assert_str_eq(m.id, id);
	ck_assert_msg(m.kubernetes == kubernetes, "%s: kubernetes %d", path, m.kubernetes);
	ck_assert_str_eq(m.pod_uid, pod_uid);
}

/* A container as the cache would build it, metadata read from root. */
static struct vg_container load(const char *root, const char *id, enum vg_runtime rt,
				const char *cgroup_path)
{
	struct vg_container c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	c.runtime = rt;
	c.cgroup_path = cgroup_path ? strdup(cgroup_path) : NULL;
	vg_container_load_metadata(&c, root);
	return c;
}

static const struct vg_mountpoint *find_mount(const struct vg_container *c, const char *dest)
{
	for (size_t i = 0; i < c->config.n_mounts; i++) {
		if (!strcmp(c->config.mounts[i].destination, dest))
			return &c->config.mounts[i];
	}
	return NULL;
}

static void assert_mount(const struct vg_container *c, const char *dest, const char *type,
			 const char *source, bool readonly)
{
	const struct vg_mountpoint *m = find_mount(c, dest);

	ck_assert_msg(m, "no mount at %s", dest);
	ck_assert_str_eq(m->type, type);
	if (source)
		ck_assert_str_eq(m->source, source);
	ck_assert_msg(m->readonly == readonly, "%s readonly %d", dest, m->readonly);
}

static void assert_id_only(const struct vg_container *c, const char *id)
{
	ck_assert_str_eq(c->id, id);
	ck_assert_ptr_null(c->name);
	ck_assert_ptr_null(c->image);
	ck_assert_ptr_null(c->pod);
	ck_assert_ptr_null(c->namespace);
	ck_assert(!c->config.known);
	ck_assert_uint_eq(c->config.n_mounts, 0);
}

/* A fake cgroup v2 tree: real directories, so real inode numbers. */
static char tree[64];

static void tree_setup(void)
{
	snprintf(tree, sizeof(tree), "/tmp/vigil-cgroup-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tree));
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void tree_teardown(void)
{
	nftw(tree, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdir -p of a cgroup path; returns its cgroup id (inode number). */
static __u64 tree_add(const char *cgroup_path)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", tree, cgroup_path);
	for (char *p = path + strlen(tree) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	mkdir(path, 0755);
	ck_assert_int_eq(stat(path, &st), 0);
	return (__u64)st.st_ino;
}

static void tree_remove(const char *cgroup_path)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s%s", tree, cgroup_path);
	ck_assert_int_eq(rmdir(path), 0);
}

static struct vg_containers *tree_cache(const char *root)
{
	struct vg_container_paths paths = {.cgroup_root = tree, .root = root};
	struct vg_containers *cs = vg_containers_new(&paths);

	ck_assert_ptr_nonnull(cs);
	return cs;
}

static struct vg_containers_stats stats_of(const struct vg_containers *cs)
{
	struct vg_containers_stats st;

	vg_containers_stats(cs, &st);
	return st;
}

/* ---- cgroup paths ---- */

/* docker: systemd driver scope and cgroupfs driver directory. */
START_TEST(parse_docker)
{
	assert_match("/system.slice/docker-" ID_B ".scope", VG_RT_DOCKER, ID_B, false, "");
	assert_match("/docker/" ID_B, VG_RT_DOCKER, ID_B, false, "");
}
END_TEST

/* containerd under the kubelet's systemd driver: burstable, besteffort and guaranteed pods. */
START_TEST(parse_containerd_kubepods_systemd)
{
	assert_match("/kubepods.slice/kubepods-burstable.slice/"
		     "kubepods-burstable-pod4f1c2a3b_5d6e_4f70_8a9b_0c1d2e3f4a5b.slice/"
		     "cri-containerd-" ID_B ".scope",
		     VG_RT_CONTAINERD, ID_B, true, "4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b");
	assert_match("/kubepods.slice/kubepods-besteffort.slice/"
		     "kubepods-besteffort-pod9a8b7c6d_0000_4000_8000_00000000beef.slice/"
		     "cri-containerd-" ID_A ".scope",
		     VG_RT_CONTAINERD, ID_A, true, "9a8b7c6d-0000-4000-8000-00000000beef");
	assert_match("/kubepods.slice/kubepods-pod11111111_2222_4333_8444_555555555555.slice/"
		     "cri-containerd-" ID_B ".scope",
		     VG_RT_CONTAINERD, ID_B, true, "11111111-2222-4333-8444-555555555555");
	/* kind: the kubelet's cgroup root /kubelet prefixes every unit */
	assert_match("/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
		     "kubelet-kubepods-besteffort-pod9a8b7c6d_0000_4000_8000_00000000beef.slice/"
		     "cri-containerd-" ID_A ".scope",
		     VG_RT_CONTAINERD, ID_A, true, "9a8b7c6d-0000-4000-8000-00000000beef");
	/* cri-containerd outside kubepods: containerd, not kubernetes */
	assert_match("/system.slice/cri-containerd-" ID_B ".scope", VG_RT_CONTAINERD, ID_B, false,
		     "");
}
END_TEST

/* containerd under the kubelet's cgroupfs driver: a bare id, with or without a QoS level. */
START_TEST(parse_containerd_kubepods_cgroupfs)
{
	assert_match("/kubepods/" ID_B, VG_RT_CONTAINERD, ID_B, true, "");
	assert_match("/kubepods/burstable/pod4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b/" ID_B,
		     VG_RT_CONTAINERD, ID_B, true, "4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b");
	assert_match("/kubepods/besteffort/pod9a8b7c6d-0000-4000-8000-00000000beef/" ID_A,
		     VG_RT_CONTAINERD, ID_A, true, "9a8b7c6d-0000-4000-8000-00000000beef");
	assert_match("/kubepods/pod11111111-2222-4333-8444-555555555555/" ID_A, VG_RT_CONTAINERD,
		     ID_A, true, "11111111-2222-4333-8444-555555555555");
	/* the pod's own cgroup and the QoS levels hold no container */
	assert_host("/kubepods/burstable/pod4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b");
	assert_host("/kubepods.slice/kubepods-burstable.slice");
}
END_TEST

/* cri-o: its scope, under kubepods or not, and its cgroupfs directory; conmon is not it. */
START_TEST(parse_crio)
{
	assert_match("/kubepods.slice/kubepods-burstable.slice/"
		     "kubepods-burstable-pod4f1c2a3b_5d6e_4f70_8a9b_0c1d2e3f4a5b.slice/"
		     "crio-" ID_B ".scope",
		     VG_RT_CRIO, ID_B, true, "4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b");
	assert_match("/system.slice/crio-" ID_B ".scope", VG_RT_CRIO, ID_B, false, "");
	assert_match("/kubepods/burstable/pod4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b/crio-" ID_B,
		     VG_RT_CRIO, ID_B, true, "4f1c2a3b-5d6e-4f70-8a9b-0c1d2e3f4a5b");
	assert_host("/kubepods.slice/kubepods-burstable.slice/"
		    "kubepods-burstable-pod4f1c2a3b_5d6e_4f70_8a9b_0c1d2e3f4a5b.slice/"
		    "crio-conmon-" ID_B ".scope");
	assert_host("/system.slice/crio-conmon-" ID_B ".scope");
}
END_TEST

/* podman: cgroupfs and systemd managers, root and rootless; conmon's scope is not it. */
START_TEST(parse_podman)
{
	assert_match("/libpod-" ID_B, VG_RT_PODMAN, ID_B, false, "");
	assert_match("/libpod-" ID_B ".scope", VG_RT_PODMAN, ID_B, false, "");
	assert_match("/libpod_parent/libpod-" ID_B, VG_RT_PODMAN, ID_B, false, "");
	assert_match("/machine.slice/libpod-" ID_B ".scope", VG_RT_PODMAN, ID_B, false, "");
	assert_match("/machine.slice/machine-libpod_pod_" ID_A ".slice/libpod-" ID_B ".scope",
		     VG_RT_PODMAN, ID_B, false, "");
	assert_match("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID_B
		     ".scope",
		     VG_RT_PODMAN, ID_B, false, "");
	assert_host("/machine.slice/libpod-conmon-" ID_B ".scope");
	assert_host("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-conmon-" ID_B
		    ".scope");
	assert_host("/libpod_parent");
	assert_host("/machine.slice/machine-libpod_pod_" ID_A ".slice");
}
END_TEST

/* lxc: the payload cgroup names the container; the monitor's is the host's. */
START_TEST(parse_lxc)
{
	assert_match("/lxc.payload.web", VG_RT_LXC, "web", false, "");
	assert_match("/lxc.payload.web/system.slice/cron.service", VG_RT_LXC, "web", false, "");
	assert_host("/lxc.monitor.web");
	assert_host("/lxc.monitor.web/x");
	assert_host("/lxc.payload.");
}
END_TEST

/* systemd-nspawn: machine scopes in machine.slice, name unescaped; libvirt VMs are not. */
START_TEST(parse_nspawn)
{
	assert_match("/machine.slice/machine-debian\\x2dbuild.scope", VG_RT_NSPAWN, "debian-build",
		     false, "");
	assert_match("/machine.slice/machine-web.scope/payload/system.slice", VG_RT_NSPAWN, "web",
		     false, "");
	assert_host("/machine.slice/machine-qemu\\x2d1\\x2dwin11.scope");
	assert_host("/system.slice/machine-web.scope");
	assert_host("/machine.slice/machine-\\xzz.scope");
	assert_host("/machine.slice/machine-.scope");
}
END_TEST

/* Cgroups nested in a container's belong to it; the outermost container wins. */
START_TEST(parse_nested)
{
	assert_match("/docker/" ID_B "/init.scope", VG_RT_DOCKER, ID_B, false, "");
	assert_match("/libpod_parent/libpod-" ID_B "/sub/x", VG_RT_PODMAN, ID_B, false, "");
	assert_match("/system.slice/docker-" ID_B ".scope/docker/" ID_A, VG_RT_DOCKER, ID_B, false,
		     "");
	assert_match("/docker/" ID_A "/docker/" ID_B, VG_RT_DOCKER, ID_A, false, "");
	assert_match("/libpod_parent/libpod-" ID_B "/libpod-" ID_A ".scope", VG_RT_PODMAN, ID_B,
		     false, "");
}
END_TEST

/* An id is exactly 64 lowercase hex: 63, 65, uppercase and non-hex are not containers. */
START_TEST(parse_malformed_ids)
{
	static const char *const prefixes[] = {"/system.slice/docker-", "/docker/",
					       "/libpod_parent/libpod-", "/system.slice/crio-",
					       "/system.slice/cri-containerd-"};
	static const char *const suffixes[] = {".scope", "", "", ".scope", ".scope"};
	const char *bad_ids[] = {
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde",   /* 63 */
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", /* 65 */
		"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
		"0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef",
		"",
	};

	for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
		for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
			char path[256];

			snprintf(path, sizeof(path), "%s%s%s", prefixes[p], bad_ids[i],
				 suffixes[p]);
			assert_host(path);
		}
	}
	/* the right length with the wrong suffix is not a scope either */
	assert_host("/system.slice/docker-" ID_B ".service");
}
END_TEST

/* Host cgroups and degenerate paths are not containers. */
START_TEST(parse_host)
{
	struct vg_cgroup_match m;

	assert_host("/");
	assert_host("");
	assert_host("//");
	assert_host("/system.slice/sshd.service");
	assert_host("/user.slice/user-1000.slice/session-3.scope");
	assert_host("/system.slice/docker.service");
	assert_host("/system.slice/containerd.service");
	assert_host("/init.scope");
	ck_assert(!vg_cgroup_parse(NULL, &m));
}
END_TEST

/* A bare id anywhere else is a container of a runtime the path cannot tell. */
START_TEST(parse_bare_id_unknown_runtime)
{
	assert_match("/default/" ID_B, VG_RT_UNKNOWN, ID_B, false, "");
	assert_match("/" ID_B, VG_RT_UNKNOWN, ID_B, false, "");
	/* repeated slashes do not hide anything */
	assert_match("//docker//" ID_B "/", VG_RT_DOCKER, ID_B, false, "");
}
END_TEST

/* Runtime names are SPEC's spelling, and read back. */
START_TEST(runtime_names)
{
	static const char *const names[] = {"unknown", "docker", "containerd", "crio",
					    "podman",  "lxc",	 "nspawn"};

	for (int rt = VG_RT_UNKNOWN; rt <= VG_RT_NSPAWN; rt++) {
		ck_assert_str_eq(vg_runtime_name((enum vg_runtime)rt), names[rt]);
		ck_assert_int_eq(vg_runtime_from_name(names[rt]), rt);
	}
	ck_assert_str_eq(vg_runtime_name((enum vg_runtime)99), "unknown");
	ck_assert_int_eq(vg_runtime_from_name("rkt"), VG_RT_UNKNOWN);
	ck_assert_int_eq(vg_runtime_from_name(NULL), VG_RT_UNKNOWN);
}
END_TEST

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

/* ---- learning from the kernel's cgroup records ---- */

/*
 * A container cgroup the kernel announced is attributed from its path and read at once; later
 * lookups are answered from the cache without a scan, even when the directory never existed
 * on this filesystem (the kernel's word is enough).
 */
START_TEST(learn_attributes_from_the_path_without_lookup)
{
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	const struct vg_container *c;
	bool is_new;

	ck_assert_int_eq(vg_containers_learn(cs, 501, "/libpod_parent/libpod-" PODMAN_T1, &is_new),
			 1);
	ck_assert(is_new);
	ck_assert(vg_containers_known(cs, 501));
	c = vg_containers_lookup(cs, 501, &is_new);
	ck_assert_ptr_nonnull(c);
	ck_assert(!is_new); /* announced when learnt */
	ck_assert_str_eq(c->id, PODMAN_T1);
	ck_assert_int_eq(c->runtime, VG_RT_PODMAN);
	ck_assert_str_eq(c->name, "vgc-t1");
	ck_assert_str_eq(c->image, "localhost/vigil-test:1");
	ck_assert_uint_eq(stats_of(cs).learned, 1);
	ck_assert_uint_eq(stats_of(cs).resolved, 0);
	ck_assert_uint_eq(stats_of(cs).scans, 0);
	/* the same record again (the kernel's class cache forgot it): nothing new */
	ck_assert_int_eq(vg_containers_learn(cs, 501, "/libpod_parent/libpod-" PODMAN_T1, &is_new),
			 1);
	ck_assert(!is_new);
	ck_assert_uint_eq(vg_containers_count(cs), 1);
	/* a host path the kernel would not send, and a relative one, are refused or host */
	ck_assert_int_eq(vg_containers_learn(cs, 502, "/system.slice/sshd.service", &is_new), 0);
	ck_assert_ptr_null(vg_containers_lookup(cs, 502, NULL));
	ck_assert_int_eq(vg_containers_learn(cs, 503, "libpod-" PODMAN_T1, &is_new), -EINVAL);
	vg_containers_free(cs);
}
END_TEST

/* A container whose runtime state is already gone still carries its id and runtime. */
START_TEST(learn_without_state_keeps_id_and_runtime)
{
	struct vg_containers *cs = tree_cache(MALFORMED_ROOT "/nothing-here");
	const struct vg_container *c;
	bool is_new;

	ck_assert_int_eq(vg_containers_learn(cs, 601, "/docker/" DOCKER_WORK, &is_new), 1);
	ck_assert(is_new);
	c = vg_containers_lookup(cs, 601, NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->id, DOCKER_WORK);
	ck_assert_int_eq(c->runtime, VG_RT_DOCKER);
	ck_assert_ptr_null(c->name);
	vg_containers_free(cs);
}
END_TEST

/*
 * A cgroup nested in a container gets the container's metadata from another cgroup of it
 * already known (the runtime's state may be gone by then), not from the disk: the name here
 * is one no state file holds.
 */
START_TEST(learn_nested_copies_the_containers_metadata)
{
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	struct vg_container known = {.cgroup_id = 701, .runtime = VG_RT_DOCKER};
	const struct vg_container *c;
	bool is_new;

	memcpy(known.id, DOCKER_WORK, sizeof(known.id));
	known.name = strdup("copied-name");
	known.image = strdup("copied/image:1");
	known.cgroup_path = strdup("/docker/" DOCKER_WORK);
	known.config.known = true;
	ck_assert_int_eq(vg_containers_add(cs, &known), 0);
	vg_container_clear(&known);
	ck_assert_int_eq(vg_containers_learn(cs, 702, "/docker/" DOCKER_WORK "/init.scope",
					     &is_new), 1);
	ck_assert(is_new);
	c = vg_containers_lookup(cs, 702, NULL);
	ck_assert_str_eq(c->id, DOCKER_WORK);
	ck_assert_str_eq(c->name, "copied-name");
	ck_assert_str_eq(c->image, "copied/image:1");
	ck_assert_str_eq(c->cgroup_path, "/docker/" DOCKER_WORK "/init.scope");
	ck_assert_uint_eq(c->cgroup_id, 702);
	vg_containers_free(cs);
}
END_TEST

/*
 * A removed cgroup is forgotten only once everything written before its removal was read:
 * an event still queued behind the removal keeps its container.
 */
START_TEST(gone_is_evicted_only_after_drain)
{
	__u64 a = tree_add("/libpod_parent/libpod-" PODMAN_T2);
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	bool is_new;

	ck_assert_int_eq(vg_containers_learn(cs, a, "/libpod_parent/libpod-" PODMAN_T2, &is_new),
			 1);
	tree_remove("/libpod_parent/libpod-" PODMAN_T2);
	vg_containers_gone(cs, a, 5000); /* the kernel had written 5000 bytes of events */
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 6000, 4999), 0);
	ck_assert_ptr_nonnull(vg_containers_lookup(cs, a, NULL));
	ck_assert_str_eq(vg_containers_lookup(cs, a, NULL)->name, "vgc-t2");
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 7000, 5000), 1);
	ck_assert(!vg_containers_known(cs, a));
	ck_assert_uint_eq(stats_of(cs).evicted, 1);
	/* found gone by the periodic check alone: marked at that moment's position */
	a = tree_add("/libpod_parent/libpod-" PODMAN_T1);
	ck_assert_int_eq(vg_containers_learn(cs, a, "/libpod_parent/libpod-" PODMAN_T1, &is_new),
			 1);
	tree_remove("/libpod_parent/libpod-" PODMAN_T1);
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 9000, 8999), 0);
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 9500, 8999), 0);
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 9500, 9000), 1);
	/* with a grace, drained is not enough: kept until it has been gone that long */
	vg_containers_set_gone_grace(cs, 3600);
	a = tree_add("/libpod_parent/libpod-" PODMAN_T1);
	ck_assert_int_eq(vg_containers_learn(cs, a, "/libpod_parent/libpod-" PODMAN_T1, &is_new),
			 1);
	vg_containers_gone(cs, a, 100);
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 200, UINT64_MAX), 0);
	ck_assert(vg_containers_known(cs, a));
	vg_containers_free(cs);
}
END_TEST

/* An offline cache (replay) learns the path but never reads the host's runtime state. */
START_TEST(learn_offline_reads_nothing)
{
	struct vg_container_paths paths = {.cgroup_root = NULL, .root = HOST_ROOT};
	struct vg_containers *cs = vg_containers_new(&paths);
	const struct vg_container *c;
	bool is_new;

	ck_assert_int_eq(vg_containers_learn(cs, 801, "/libpod_parent/libpod-" PODMAN_T1, &is_new),
			 1);
	c = vg_containers_lookup(cs, 801, NULL);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(c->name);
	vg_containers_free(cs);
}
END_TEST

/* docker-compose's labels travel with the container, through its JSON forms too. */
START_TEST(compose_labels_round_trip)
{
	struct vg_container c = load(HOST_ROOT, DOCKER_WORK, VG_RT_DOCKER, NULL), back;
	struct json_object *full, *obj, *compose;

	ck_assert_str_eq(c.compose_project, "shop");
	ck_assert_str_eq(c.compose_service, "worker");
	obj = vg_container_to_json(&c);
	ck_assert(json_object_object_get_ex(obj, "compose", &compose));
	ck_assert_str_eq(json_object_get_string(json_object_object_get(compose, "project")),
			 "shop");
	json_object_put(obj);
	full = vg_container_to_json_full(&c);
	ck_assert_int_eq(vg_container_from_json_full(full, &back), 0);
	ck_assert_str_eq(back.compose_service, "worker");
	json_object_put(full);
	vg_container_clear(&back);
	vg_container_clear(&c);
}
END_TEST

/* ---- the cache ---- */

/*
 * A cgroup id resolves through a scan of the tree to its path, container and metadata; the
 * first return says is_new, later ones do not.
 */
START_TEST(cache_lookup_by_scan)
{
	__u64 id = tree_add("/libpod_parent/libpod-" PODMAN_T1);
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	const struct vg_container *c;
	bool is_new;

	c = vg_containers_lookup(cs, id, &is_new);
	ck_assert_ptr_nonnull(c);
	ck_assert(is_new);
	ck_assert_uint_eq(c->cgroup_id, id);
	ck_assert_str_eq(c->cgroup_path, "/libpod_parent/libpod-" PODMAN_T1);
	ck_assert_str_eq(c->id, PODMAN_T1);
	ck_assert_int_eq(c->runtime, VG_RT_PODMAN);
	ck_assert_str_eq(c->name, "vgc-t1");
	ck_assert_str_eq(c->image, "localhost/vigil-test:1");
	ck_assert_ptr_eq(vg_containers_lookup(cs, id, &is_new), c);
	ck_assert(!is_new);
	ck_assert_uint_eq(vg_containers_count(cs), 1);
	/* is_new may be NULL */
	ck_assert_ptr_eq(vg_containers_lookup(cs, id, NULL), c);
	vg_containers_free(cs);
}
END_TEST

/* One walk of the tree resolves every id in it; host cgroups are cached as such. */
START_TEST(cache_one_scan_many_ids)
{
	__u64 web = tree_add("/system.slice/docker-" DOCKER_WEB ".scope");
	__u64 nginx = tree_add("/kubepods.slice/kubepods-besteffort.slice/"
			       "kubepods-besteffort-pod9a8b7c6d_0000_4000_8000_00000000beef.slice/"
			       "cri-containerd-" CTRD_NGINX ".scope");
	__u64 sshd = tree_add("/system.slice/sshd.service");
	__u64 slice = tree_add("/system.slice");
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	const struct vg_container *c;

	c = vg_containers_lookup(cs, web, NULL);
	ck_assert_str_eq(c->name, "web");
	c = vg_containers_lookup(cs, nginx, NULL);
	ck_assert_str_eq(c->name, "nginx");
	ck_assert_str_eq(c->pod, "web-7d4b9c6f5-x2x9z");
	ck_assert_ptr_null(vg_containers_lookup(cs, sshd, NULL));
	ck_assert_ptr_null(vg_containers_lookup(cs, slice, NULL));
	ck_assert_uint_eq(stats_of(cs).scans, 1);
	ck_assert_uint_eq(stats_of(cs).entries, 4);
	ck_assert_uint_eq(vg_containers_count(cs), 2);
	/* the host cgroup is answered from the cache: no walk, even after the rescan interval */
	sleep(1);
	usleep(100 * 1000);
	ck_assert_ptr_null(vg_containers_lookup(cs, sshd, NULL));
	ck_assert_uint_eq(stats_of(cs).scans, 1);
	vg_containers_free(cs);
}
END_TEST

/* A nested cgroup is its container's; find shows the container's own (outermost) cgroup. */
START_TEST(cache_nested_cgroup)
{
	__u64 outer = tree_add("/docker/" DOCKER_WEB);
	__u64 inner = tree_add("/docker/" DOCKER_WEB "/init.scope");
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	const struct vg_container *c;
	bool is_new;

	c = vg_containers_lookup(cs, inner, &is_new);
	ck_assert(is_new);
	ck_assert_str_eq(c->id, DOCKER_WEB);
	ck_assert_str_eq(c->name, "web");
	ck_assert_str_eq(c->cgroup_path, "/docker/" DOCKER_WEB "/init.scope");
	/* each cgroup of the container is announced with its own cgroup id */
	c = vg_containers_lookup(cs, outer, &is_new);
	ck_assert(is_new);
	ck_assert_uint_eq(c->cgroup_id, outer);
	ck_assert_uint_eq(vg_containers_count(cs), 2);
	c = vg_containers_find(cs, "web");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->cgroup_id, outer);
	vg_containers_free(cs);
}
END_TEST

/*
 * A miss rescans at most once a second: a cgroup created after the walk is not found until
 * the interval has passed (and is not cached as absent meanwhile); then an id that the fresh
 * walk does not hold is cached as gone and never walks the tree again.
 */
START_TEST(cache_rescan_rate_limited)
{
	__u64 first = tree_add("/libpod_parent/libpod-" PODMAN_T1);
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	__u64 later, bogus = 0xfffffffffff0ull;

	ck_assert_ptr_nonnull(vg_containers_lookup(cs, first, NULL));
	ck_assert_uint_eq(stats_of(cs).scans, 1);
	later = tree_add("/libpod_parent/libpod-" PODMAN_T2);
	for (int i = 0; i < 1000; i++) {
		ck_assert_ptr_null(vg_containers_lookup(cs, later, NULL));
		ck_assert_ptr_null(vg_containers_lookup(cs, bogus + (__u64)i, NULL));
	}
	ck_assert_uint_eq(stats_of(cs).scans, 1);
	usleep(1100 * 1000);
	ck_assert_str_eq(vg_containers_lookup(cs, later, NULL)->name, "vgc-t2");
	ck_assert_uint_eq(stats_of(cs).scans, 2);
	usleep(1100 * 1000);
	ck_assert_ptr_null(vg_containers_lookup(cs, bogus, NULL));
	ck_assert_uint_eq(stats_of(cs).scans, 3);
	usleep(1100 * 1000);
	ck_assert_ptr_null(vg_containers_lookup(cs, bogus, NULL));
	ck_assert_uint_eq(stats_of(cs).scans, 3); /* cached as gone */
	vg_containers_free(cs);
}
END_TEST

/* evict_gone drops the cgroups whose directory vanished and keeps the others. */
START_TEST(cache_evict_gone)
{
	__u64 a = tree_add("/libpod_parent/libpod-" PODMAN_T1);
	__u64 b = tree_add("/libpod_parent/libpod-" PODMAN_T2);
	__u64 host = tree_add("/system.slice/sshd.service");
	struct vg_containers *cs = tree_cache(HOST_ROOT);

	ck_assert_ptr_nonnull(vg_containers_lookup(cs, a, NULL));
	ck_assert_ptr_nonnull(vg_containers_lookup(cs, b, NULL));
	ck_assert_ptr_null(vg_containers_lookup(cs, host, NULL));
	ck_assert_uint_eq(vg_containers_count(cs), 2);
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 0, UINT64_MAX), 0);
	tree_remove("/libpod_parent/libpod-" PODMAN_T1);
	tree_remove("/system.slice/sshd.service");
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 0, UINT64_MAX), 2);
	ck_assert_uint_eq(vg_containers_count(cs), 1);
	ck_assert_uint_eq(stats_of(cs).entries, 1);
	ck_assert_ptr_null(vg_containers_find(cs, "vgc-t1"));
	ck_assert_ptr_nonnull(vg_containers_find(cs, "vgc-t2"));
	vg_containers_free(cs);
}
END_TEST

/*
 * A directory recreated under the same name is a different cgroup (new inode): the old entry
 * is gone even though the path exists.
 */
START_TEST(cache_evict_recreated)
{
	__u64 a = tree_add("/libpod_parent/libpod-" PODMAN_T1);
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	char fresh[4096], old[4096];

	ck_assert_ptr_nonnull(vg_containers_lookup(cs, a, NULL));
	/* made while the old one exists, so it cannot get the old inode number */
	ck_assert_uint_ne(tree_add("/libpod_parent/fresh"), a);
	snprintf(fresh, sizeof(fresh), "%s/libpod_parent/fresh", tree);
	snprintf(old, sizeof(old), "%s/libpod_parent/libpod-" PODMAN_T1, tree);
	tree_remove("/libpod_parent/libpod-" PODMAN_T1);
	ck_assert_int_eq(rename(fresh, old), 0);
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 0, UINT64_MAX), 1);
	ck_assert_uint_eq(vg_containers_count(cs), 0);
	vg_containers_free(cs);
}
END_TEST

/*
 * The cache stays bounded: 5,000 container cgroups resolved from one walk leave at most
 * VG_CONTAINERS_MAX entries, least recently used dropped first; a dropped one resolves again.
 */
START_TEST(cache_bounded_lru)
{
	enum { N = 5000 };
	static __u64 ids[N];
	struct vg_containers *cs;
	struct vg_containers_stats st;
	const struct vg_container *c;
	bool is_new;

	for (int i = 0; i < N; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/libpod_parent/libpod-%064x", i);
		ids[i] = tree_add(path);
	}
	cs = tree_cache("/nonexistent-vigil-root"); /* ids alone: this is about the bound */
	for (int i = 0; i < N; i++) {
		c = vg_containers_lookup(cs, ids[i], NULL);
		ck_assert_ptr_nonnull(c);
		/* keep the first one hot: the LRU must not drop it */
		ck_assert_ptr_nonnull(vg_containers_lookup(cs, ids[0], NULL));
	}
	st = stats_of(cs);
	ck_assert_uint_le(st.entries, VG_CONTAINERS_MAX);
	ck_assert_uint_eq(st.entries, VG_CONTAINERS_MAX);
	ck_assert_uint_eq(st.evicted, N - VG_CONTAINERS_MAX);
	ck_assert_uint_eq(st.scans, 1);
	ck_assert_uint_eq(vg_containers_find(cs, "0000000000000000000000000000000000000000000000"
						 "000000000000000000")
				  ->cgroup_id,
			  ids[0]);
	/* ids[1] was dropped: resolved again from the walk, announced again */
	c = vg_containers_lookup(cs, ids[1], &is_new);
	ck_assert_ptr_nonnull(c);
	ck_assert(is_new);
	ck_assert_uint_eq(stats_of(cs).scans, 1);
	ck_assert_uint_le(stats_of(cs).entries, VG_CONTAINERS_MAX);
	vg_containers_free(cs);
}
END_TEST

/*
 * The bound drops host cgroups before containers: 5,000 host cgroups and a storm of unknown
 * ids leave a container cached (not re-read, not announced again).
 */
START_TEST(cache_bound_spares_containers)
{
	enum { N = 5000 };
	static __u64 ids[N];
	__u64 web = tree_add("/system.slice/docker-" DOCKER_WEB ".scope");
	struct vg_containers *cs;
	bool is_new;

	for (int i = 0; i < N; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/system.slice/unit-%d.service", i);
		ids[i] = tree_add(path);
	}
	cs = tree_cache(HOST_ROOT);
	ck_assert_ptr_nonnull(vg_containers_lookup(cs, web, &is_new));
	ck_assert(is_new);
	for (int i = 0; i < N; i++)
		ck_assert_ptr_null(vg_containers_lookup(cs, ids[i], NULL));
	ck_assert_uint_eq(stats_of(cs).entries, VG_CONTAINERS_MAX);
	ck_assert_str_eq(vg_containers_lookup(cs, web, &is_new)->name, "web");
	ck_assert(!is_new);
	ck_assert_uint_eq(stats_of(cs).scans, 1);
	vg_containers_free(cs);
}
END_TEST

/* 10,000 containers coming and going (add, then their cgroup gone) keep the cache empty. */
START_TEST(cache_add_evict_cycles_bounded)
{
	struct vg_containers *cs = tree_cache(HOST_ROOT);
	struct vg_container c;

	memset(&c, 0, sizeof(c));
	c.runtime = VG_RT_PODMAN;
	for (int i = 0; i < 10000; i++) {
		char path[128];

		snprintf(c.id, sizeof(c.id), "%064x", i);
		snprintf(path, sizeof(path), "/libpod_parent/libpod-%064x", i);
		c.cgroup_path = path;
		c.cgroup_id = 1000000 + (__u64)i;
		ck_assert_int_eq(vg_containers_add(cs, &c), 0);
		ck_assert_uint_le(vg_containers_count(cs), 1);
		ck_assert_uint_eq(vg_containers_evict_gone(cs, 0, UINT64_MAX), 1);
		ck_assert_uint_eq(vg_containers_count(cs), 0);
	}
	/* without evict_gone the bound alone holds */
	for (int i = 0; i < 10000; i++) {
		snprintf(c.id, sizeof(c.id), "%064x", i);
		c.cgroup_path = NULL;
		c.cgroup_id = 2000000 + (__u64)i;
		ck_assert_int_eq(vg_containers_add(cs, &c), 0);
	}
	ck_assert_uint_eq(vg_containers_count(cs), VG_CONTAINERS_MAX);
	vg_containers_free(cs);
}
END_TEST

/*
 * An offline cache (replay: cgroup_root NULL) answers only from what was added, never walks
 * anything, keeps everything (a capture's containers), and announces each once.
 */
START_TEST(cache_offline_replay)
{
	struct vg_container_paths paths = {.cgroup_root = NULL, .root = "/nonexistent"};
	struct vg_containers *cs = vg_containers_new(&paths);
	struct vg_container c = load(HOST_ROOT, DOCKER_WEB, VG_RT_DOCKER, "/docker/" DOCKER_WEB);
	const struct vg_container *got;
	struct vg_containers_stats st;
	bool is_new;

	ck_assert_ptr_nonnull(cs);
	c.cgroup_id = 4242;
	ck_assert_int_eq(vg_containers_add(cs, &c), 0);
	got = vg_containers_lookup(cs, 4242, &is_new);
	ck_assert_ptr_nonnull(got);
	ck_assert(is_new);
	ck_assert_ptr_ne(got, &c); /* a copy */
	ck_assert_str_eq(got->name, "web");
	ck_assert_str_eq(got->cgroup_path, "/docker/" DOCKER_WEB);
	ck_assert_uint_eq(got->config.n_mounts, c.config.n_mounts);
	ck_assert_ptr_nonnull(vg_containers_lookup(cs, 4242, &is_new));
	ck_assert(!is_new);
	ck_assert_ptr_null(vg_containers_lookup(cs, 1, &is_new));
	ck_assert_uint_eq(vg_containers_evict_gone(cs, 0, UINT64_MAX), 0);
	vg_container_clear(&c);

	memset(&c, 0, sizeof(c));
	for (int i = 0; i < 10000; i++) {
		snprintf(c.id, sizeof(c.id), "%064x", i);
		c.cgroup_id = 10000 + (__u64)i;
		ck_assert_int_eq(vg_containers_add(cs, &c), 0);
	}
	ck_assert_uint_eq(vg_containers_count(cs), 10001);
	ck_assert_str_eq(vg_containers_lookup(cs, 10000 + 1234, NULL)->id,
			 "00000000000000000000000000000000000000000000000000000000000004d2");
	st = stats_of(cs);
	ck_assert_uint_eq(st.scans, 0);
	ck_assert_uint_eq(st.handle_resolves, 0);
	ck_assert_uint_eq(st.evicted, 0);
	vg_containers_free(cs);
}
END_TEST

/* add replaces the entry of the same cgroup id; bad input is refused. */
START_TEST(cache_add_replaces)
{
	struct vg_container_paths paths = {.cgroup_root = NULL, .root = ""};
	struct vg_containers *cs = vg_containers_new(&paths);
	struct vg_container c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", ID_A);
	c.cgroup_id = 7;
	c.name = "first";
	ck_assert_int_eq(vg_containers_add(cs, &c), 0);
	c.name = "second";
	ck_assert_int_eq(vg_containers_add(cs, &c), 0);
	ck_assert_uint_eq(vg_containers_count(cs), 1);
	ck_assert_str_eq(vg_containers_lookup(cs, 7, NULL)->name, "second");
	ck_assert_int_eq(vg_containers_add(cs, NULL), -EINVAL);
	c.id[0] = '\0';
	ck_assert_int_eq(vg_containers_add(cs, &c), -EINVAL);
	ck_assert_ptr_null(vg_containers_lookup(NULL, 7, NULL));
	vg_containers_free(cs);
	vg_containers_free(NULL);
}
END_TEST

/* find and matches: full id, a unique prefix of 12+ hex, exact name; nothing looser. */
START_TEST(find_and_match)
{
	struct vg_container_paths paths = {.cgroup_root = NULL, .root = ""};
	struct vg_containers *cs = vg_containers_new(&paths);
	struct vg_container a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	snprintf(a.id, sizeof(a.id), "%s", ID_C);
	snprintf(b.id, sizeof(b.id), "%s", ID_B);
	a.cgroup_id = 1;
	b.cgroup_id = 2;
	a.name = "web";
	b.name = "db";
	ck_assert_int_eq(vg_containers_add(cs, &a), 0);
	ck_assert_int_eq(vg_containers_add(cs, &b), 0);

	ck_assert_uint_eq(vg_containers_find(cs, ID_B)->cgroup_id, 2);
	ck_assert_uint_eq(vg_containers_find(cs, "db")->cgroup_id, 2);
	ck_assert_uint_eq(vg_containers_find(cs, "web")->cgroup_id, 1);
	ck_assert_uint_eq(vg_containers_find(cs, "0123456789abc")->cgroup_id, 2);
	ck_assert_uint_eq(vg_containers_find(cs, "0123456789ab0")->cgroup_id, 1);
	ck_assert_ptr_null(vg_containers_find(cs, "0123456789ab"));  /* both: ambiguous */
	ck_assert_ptr_null(vg_containers_find(cs, "0123456789a"));   /* 11: too short */
	ck_assert_ptr_null(vg_containers_find(cs, "0123456789ABC")); /* ids are lowercase */
	ck_assert_ptr_null(vg_containers_find(cs, "we"));
	ck_assert_ptr_null(vg_containers_find(cs, ""));
	ck_assert_ptr_null(vg_containers_find(cs, NULL));

	ck_assert(vg_container_matches(&b, ID_B));
	ck_assert(vg_container_matches(&b, "0123456789ab"));
	ck_assert(!vg_container_matches(&b, "0123456789a"));
	ck_assert(!vg_container_matches(&b, "123456789abc")); /* not a prefix */
	ck_assert(vg_container_matches(&b, "db"));
	ck_assert(!vg_container_matches(&b, "DB"));
	ck_assert(!vg_container_matches(&b, ""));
	ck_assert(!vg_container_matches(NULL, "db"));
	vg_containers_free(cs);
}
END_TEST

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

/* ---- host defaults and a live container ---- */

/* The default cgroup root is this host's cgroup2 mount; state paths are the host's own. */
START_TEST(paths_default)
{
	struct vg_container_paths p;

	vg_container_paths_default(&p);
	ck_assert_str_eq(p.root, "");
	ck_assert(!strcmp(p.cgroup_root, "/sys/fs/cgroup/unified") ||
		  !strcmp(p.cgroup_root, "/sys/fs/cgroup"));
	ck_assert_int_eq(access(p.cgroup_root, F_OK), 0);
}
END_TEST

static Suite *container_suite(void)
{
	Suite *s = suite_create("container");
	TCase *tc;

	tc = tcase_create("cgroup_path");
	tcase_add_test(tc, parse_docker);
	tcase_add_test(tc, parse_containerd_kubepods_systemd);
	tcase_add_test(tc, parse_containerd_kubepods_cgroupfs);
	tcase_add_test(tc, parse_crio);
	tcase_add_test(tc, parse_podman);
	tcase_add_test(tc, parse_lxc);
	tcase_add_test(tc, parse_nspawn);
	tcase_add_test(tc, parse_nested);
	tcase_add_test(tc, parse_malformed_ids);
	tcase_add_test(tc, parse_host);
	tcase_add_test(tc, parse_bare_id_unknown_runtime);
	tcase_add_test(tc, runtime_names);
	suite_add_tcase(s, tc);

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

	tc = tcase_create("cache");
	tcase_add_checked_fixture(tc, tree_setup, tree_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cache_lookup_by_scan);
	tcase_add_test(tc, cache_one_scan_many_ids);
	tcase_add_test(tc, cache_nested_cgroup);
	tcase_add_test(tc, cache_rescan_rate_limited);
	tcase_add_test(tc, cache_evict_gone);
	tcase_add_test(tc, learn_attributes_from_the_path_without_lookup);
	tcase_add_test(tc, learn_without_state_keeps_id_and_runtime);
	tcase_add_test(tc, learn_nested_copies_the_containers_metadata);
	tcase_add_test(tc, gone_is_evicted_only_after_drain);
	tcase_add_test(tc, learn_offline_reads_nothing);
	tcase_add_test(tc, compose_labels_round_trip);
	tcase_add_test(tc, cache_evict_recreated);
	tcase_add_test(tc, cache_bounded_lru);
	tcase_add_test(tc, cache_bound_spares_containers);
	tcase_add_test(tc, cache_add_evict_cycles_bounded);
	tcase_add_test(tc, cache_offline_replay);
	tcase_add_test(tc, cache_add_replaces);
	tcase_add_test(tc, find_and_match);
	suite_add_tcase(s, tc);

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

	tc = tcase_create("host");
	tcase_add_test(tc, paths_default);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(container_suite)
