// SPDX-License-Identifier: GPL-2.0
/*
 * Docker's state on disk: config.v2.json and hostconfig.json of a container, read into its
 * identity and configuration. Missing or malformed files leave what they would have told
 * unknown, as everywhere in runtime_state.c.
 */
#include <json-c/json.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "event.h"
#include "runtime_state.h"
#include "runtime_state_internal.h"

/* What docker grants a container that neither adds nor drops anything. */
static const int docker_default_caps[] = {
	CAP_CHOWN,	CAP_DAC_OVERRIDE, CAP_FOWNER,	   CAP_FSETID,		 CAP_KILL,
	CAP_SETGID,	CAP_SETUID,	  CAP_SETPCAP,	   CAP_NET_BIND_SERVICE, CAP_NET_RAW,
	CAP_SYS_CHROOT, CAP_MKNOD,	  CAP_AUDIT_WRITE, CAP_SETFCAP,
};

/* HostConfig.CapAdd/CapDrop applied the way docker does ("ALL" on either side). */
static __u64 docker_caps(struct json_object *add, struct json_object *drop)
{
	__u64 caps = 0;

	if (vg_rs_array_has_str(add, "ALL") || vg_rs_array_has_str(add, "CAP_ALL"))
		return ALL_CAPS & ~vg_rs_caps_from_array(drop);
	if (vg_rs_array_has_str(drop, "ALL") || vg_rs_array_has_str(drop, "CAP_ALL"))
		return vg_rs_caps_from_array(add);
	for (size_t i = 0; i < sizeof(docker_default_caps) / sizeof(docker_default_caps[0]); i++)
		caps |= 1ull << docker_default_caps[i];
	return (caps | vg_rs_caps_from_array(add)) & ~vg_rs_caps_from_array(drop);
}

static bool docker_no_new_privileges(struct json_object *security_opt)
{
	size_t n = security_opt ? json_object_array_length(security_opt) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *opt = vg_rs_array_str(security_opt, i);

		if (!opt || strncmp(opt, "no-new-privileges", 17))
			continue;
		if (!opt[17] || !strcmp(opt + 18, "true"))
			return true;
	}
	return false;
}

/* Is opt one of the comma-separated options of list ("rw,noexec,size=64m")? */
static bool option_listed(const char *list, const char *opt)
{
	size_t len = strlen(opt);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		if (!strncmp(p, opt, len) && (p[len] == ',' || p[len] == '\0'))
			return true;
	}
	return false;
}

/* The mounts docker sets up in every container, and the ones the user asked for. */
static void docker_mounts(struct json_object *config, struct json_object *host,
			  struct vg_container_config *cfg)
{
	static const char *const files[][2] = {
		{"ResolvConfPath", "/etc/resolv.conf"},
		{"HostnamePath", "/etc/hostname"},
		{"HostsPath", "/etc/hosts"},
	};
	struct json_object *points = vg_rs_member(config, "MountPoints");
	struct json_object *tmpfs = vg_rs_member(host, "Tmpfs");
	const char *shm = vg_rs_member_str(config, "ShmPath");

	vg_rs_config_add_mount(cfg, "/proc", "proc", "proc", false);
	vg_rs_config_add_mount(cfg, "/dev", "tmpfs", "tmpfs", false);
	vg_rs_config_add_mount(cfg, "/dev/pts", "devpts", "devpts", false);
	vg_rs_config_add_mount(cfg, "/sys", "sysfs", "sysfs", true);
	vg_rs_config_add_mount(cfg, "/sys/fs/cgroup", "cgroup", "cgroup", true);
	vg_rs_config_add_mount(cfg, "/dev/mqueue", "mqueue", "mqueue", false);
	vg_rs_config_add_mount(cfg, "/dev/shm", shm ? shm : "shm", shm ? "bind" : "tmpfs", false);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *src = vg_rs_member_str(config, files[i][0]);

		if (src)
			vg_rs_config_add_mount(cfg, files[i][1], src, "bind", false);
	}
	if (points && json_object_is_type(points, json_type_object)) {
		json_object_object_foreach(points, dest, mp)
		{
			bool rw = true;

			vg_rs_member_bool(mp, "RW", &rw);
			vg_rs_config_add_mount(cfg, vg_rs_member_str(mp, "Destination") ?: dest,
					       vg_rs_member_str(mp, "Source")
						       ?: vg_rs_member_str(mp, "Name"),
					       vg_rs_member_str(mp, "Type") ?: "bind", !rw);
		}
	}
	if (tmpfs && json_object_is_type(tmpfs, json_type_object)) {
		json_object_object_foreach(tmpfs, dest, opts)
		{
			const char *o = json_object_is_type(opts, json_type_string)
						? json_object_get_string(opts)
						: "";

			vg_rs_config_add_mount(cfg, dest, "tmpfs", "tmpfs", option_listed(o, "ro"));
		}
	}
}

/* Docker's name for the network ("bridge", a network's name) says more than "private". */
static void keep_network_mode(struct vg_container_config *cfg, struct json_object *host)
{
	const char *mode = vg_rs_member_str(host, "NetworkMode");

	if (mode && cfg->network_mode && strcmp(cfg->network_mode, "host")) {
		free(cfg->network_mode);
		cfg->network_mode = strdup(mode);
	}
}

/* What docker was asked for: seccomp, memory and CPU limits, the network mode. */
static void docker_limits(struct json_object *host, struct vg_container_config *cfg)
{
	struct json_object *opts = vg_rs_member_array(host, "SecurityOpt");
	struct json_object *val;
	size_t n = opts ? json_object_array_length(opts) : 0;
	__s64 quota = 0, period = 100000;

	cfg->seccomp = !cfg->privileged;
	for (size_t i = 0; i < n; i++) {
		const char *o = vg_rs_array_str(opts, i);

		if (o && (!strcmp(o, "seccomp=unconfined") || !strcmp(o, "seccomp:unconfined")))
			cfg->seccomp = false;
	}
	val = vg_rs_member(host, "Memory");
	if (val && json_object_is_type(val, json_type_int) && json_object_get_int64(val) > 0)
		cfg->memory_limit = (__u64)json_object_get_int64(val);
	val = vg_rs_member(host, "NanoCpus");
	if (val && json_object_is_type(val, json_type_int) && json_object_get_int64(val) > 0)
		cfg->cpu_millis = (__u64)(json_object_get_int64(val) / 1000000);
	val = vg_rs_member(host, "CpuQuota");
	if (val && json_object_is_type(val, json_type_int))
		quota = json_object_get_int64(val);
	val = vg_rs_member(host, "CpuPeriod");
	if (val && json_object_is_type(val, json_type_int) && json_object_get_int64(val) > 0)
		period = json_object_get_int64(val);
	if (!cfg->cpu_millis && quota > 0)
		cfg->cpu_millis = (__u64)(quota * 1000 / period);
	if (vg_rs_member_str(host, "NetworkMode")) {
		free(cfg->network_mode);
		cfg->network_mode = strdup(vg_rs_member_str(host, "NetworkMode"));
	}
	cfg->limits_known = true;
}

bool vg_rs_load_docker(const char *root, struct vg_container *c)
{
	char path[PATH_MAX];
	struct json_object *v2 = NULL, *host = NULL, *state;
	struct json_object *config, *labels;
	bool privileged = false, found;

	if (vg_rs_build_path(path, sizeof(path), "%s/var/lib/docker/containers/%s/config.v2.json",
			     root, c->id))
		v2 = vg_rs_load_json(path, NULL);
	if (vg_rs_build_path(path, sizeof(path), "%s/var/lib/docker/containers/%s/hostconfig.json",
			     root, c->id))
		host = vg_rs_load_json(path, NULL);
	found = v2 || host;

	config = vg_rs_member(v2, "Config");
	labels = vg_rs_member(config, "Labels");
	if (vg_rs_member_str(v2, "Name")) {
		const char *name = vg_rs_member_str(v2, "Name");

		vg_rs_set_str(&c->name, name[0] == '/' ? name + 1 : name);
	}
	vg_rs_set_str(&c->image, vg_rs_member_str(config, "Image"));
	/* dockershim: the kubelet's labels name the pod */
	vg_rs_set_str(&c->pod, vg_rs_member_str(labels, "io.kubernetes.pod.name"));
	vg_rs_set_str(&c->namespace, vg_rs_member_str(labels, "io.kubernetes.pod.namespace"));
	if (vg_rs_member_str(labels, "io.kubernetes.container.name"))
		vg_rs_set_str(&c->name, vg_rs_member_str(labels, "io.kubernetes.container.name"));
	vg_rs_set_str(&c->compose_project, vg_rs_member_str(labels, "com.docker.compose.project"));
	vg_rs_set_str(&c->compose_service, vg_rs_member_str(labels, "com.docker.compose.service"));

	if (host && json_object_is_type(host, json_type_object)) {
		struct vg_container_config *cfg = &c->config;

		vg_rs_config_clear(cfg);
		vg_rs_member_bool(host, "Privileged", &privileged);
		cfg->privileged = privileged;
		cfg->cap_effective = privileged ? ALL_CAPS
						: docker_caps(vg_rs_member_array(host, "CapAdd"),
							      vg_rs_member_array(host, "CapDrop"));
		cfg->cap_bounding = cfg->cap_effective;
		vg_rs_member_bool(host, "ReadonlyRootfs", &cfg->readonly_rootfs);
		cfg->no_new_privileges =
			docker_no_new_privileges(vg_rs_member_array(host, "SecurityOpt"));
		cfg->user = strdup(vg_rs_member_str(config, "User") ?: "");
		docker_mounts(v2, host, cfg);
		docker_limits(host, cfg);
		cfg->known = true;
		cfg->mounts_known = true;
	}

	/* What was applied beats what was asked: containerd's bundle, else runc's state. */
	if (vg_rs_build_path(path, sizeof(path),
			     "%s/run/containerd/io.containerd.runtime.v2.task/moby/%s/config.json",
			     root, c->id)) {
		struct json_object *spec = vg_rs_load_json(path, NULL);

		if (spec && vg_rs_read_oci_spec(spec, &c->config)) {
			c->config.privileged = privileged;
			keep_network_mode(&c->config, host);
			found = true;
			json_object_put(spec);
			goto out;
		}
		json_object_put(spec);
	}
	if (vg_rs_build_path(path, sizeof(path), "%s/run/docker/runtime-runc/moby/%s/state.json",
			     root, c->id)) {
		state = vg_rs_load_json(path, NULL);
		if (state && vg_rs_read_runc_state(state, &c->config)) {
			c->config.privileged = privileged;
			found = true;
		}
		json_object_put(state);
	}
out:
	json_object_put(v2);
	json_object_put(host);
	return found;
}
