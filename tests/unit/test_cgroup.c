// SPDX-License-Identifier: GPL-2.0
/*
 * Cgroup paths of every runtime and cgroup driver: which are containers, with which id,
 * runtime and pod; runtime names.
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

static Suite *cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
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
	return s;
}

VIGIL_TEST_MAIN(cgroup_suite)
