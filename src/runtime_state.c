// SPDX-License-Identifier: GPL-2.0
/*
 * Container metadata without a daemon API: the files docker, containerd, cri-o and podman keep
 * on disk. Everything is optional: a missing, unreadable or malformed file leaves what it would
 * have told unknown, and the container is still known by its id.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "event.h"
#include "runtime_state.h"
#include "runtime_state_internal.h"

/*
 * A container's own state files hold what its creator chose (labels, env, annotations): one
 * larger than this is refused (the container is then known by its id alone) rather than parsed
 * into many times its size. Files shared by every container grow with their number instead.
 */
#define MAX_STATE_FILE	      (4u << 20)
#define MAX_SHARED_STATE_FILE (32u << 20)
#define CACHE_SLOTS	      4

/* ---- files ---- */

bool vg_rs_build_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n >= 0 && (size_t)n < size;
}

/* A JSON file, or NULL when absent, not a regular file, over max bytes or malformed. */
static struct json_object *load_json_max(const char *path, size_t max, struct stat *st_out)
{
	struct json_object *obj = NULL;
	struct json_tokener *tok;
	struct stat st;
	size_t len = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (unsigned long long)st.st_size > max) {
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return NULL;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	tok = json_tokener_new();
	if (tok) {
		obj = json_tokener_parse_ex(tok, buf, (int)len);
		if (json_tokener_get_error(tok) != json_tokener_success) {
			json_object_put(obj);
			obj = NULL;
		}
		json_tokener_free(tok);
	}
	free(buf);
	if (obj && st_out)
		*st_out = st;
	return obj;
}

struct json_object *vg_rs_load_json(const char *path, struct stat *st_out)
{
	return load_json_max(path, MAX_STATE_FILE, st_out);
}

struct cache_slot {
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	struct json_object *obj;
};

struct vg_rs_cache {
	struct cache_slot slots[CACHE_SLOTS];
	unsigned int next;
};

struct vg_rs_cache *vg_rs_cache_new(void)
{
	return calloc(1, sizeof(struct vg_rs_cache));
}

static void slot_clear(struct cache_slot *slot)
{
	free(slot->path);
	json_object_put(slot->obj);
	memset(slot, 0, sizeof(*slot));
}

void vg_rs_cache_free(struct vg_rs_cache *cache)
{
	if (!cache)
		return;
	for (int i = 0; i < CACHE_SLOTS; i++)
		slot_clear(&cache->slots[i]);
	free(cache);
}

static bool slot_fresh(const struct cache_slot *slot, const char *path, const struct stat *st)
{
	return slot->obj && !strcmp(slot->path, path) && slot->dev == st->st_dev &&
	       slot->ino == st->st_ino && slot->size == st->st_size &&
	       slot->mtime.tv_sec == st->st_mtim.tv_sec &&
	       slot->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* A file shared by every container (containers.json...): new reference, parsed once per change. */
static struct json_object *load_shared(struct vg_rs_cache *cache, const char *path)
{
	struct cache_slot *slot = NULL;
	struct json_object *obj;
	struct stat st;

	if (!cache)
		return load_json_max(path, MAX_SHARED_STATE_FILE, NULL);
	if (stat(path, &st))
		return NULL;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (slot_fresh(&cache->slots[i], path, &st))
			return json_object_get(cache->slots[i].obj);
	}
	obj = load_json_max(path, MAX_SHARED_STATE_FILE, &st);
	if (!obj)
		return NULL;
	for (int i = 0; i < CACHE_SLOTS && !slot; i++) {
		if (cache->slots[i].path && !strcmp(cache->slots[i].path, path))
			slot = &cache->slots[i];
	}
	if (!slot)
		slot = &cache->slots[cache->next++ % CACHE_SLOTS];
	slot_clear(slot);
	slot->path = strdup(path);
	if (!slot->path)
		return obj; /* uncached, still usable */
	slot->dev = st.st_dev;
	slot->ino = st.st_ino;
	slot->size = st.st_size;
	slot->mtime = st.st_mtim;
	slot->obj = json_object_get(obj);
	return obj;
}

/* ---- JSON access that tolerates any shape ---- */

struct json_object *vg_rs_member(struct json_object *obj, const char *key)
{
	struct json_object *val;

	if (!obj || !json_object_is_type(obj, json_type_object))
		return NULL;
	return json_object_object_get_ex(obj, key, &val) ? val : NULL;
}

/* A non-empty string member, else NULL. */
const char *vg_rs_member_str(struct json_object *obj, const char *key)
{
	struct json_object *val = vg_rs_member(obj, key);
	const char *s;

	if (!val || !json_object_is_type(val, json_type_string))
		return NULL;
	s = json_object_get_string(val);
	return s && *s ? s : NULL;
}

bool vg_rs_member_bool(struct json_object *obj, const char *key, bool *out)
{
	struct json_object *val = vg_rs_member(obj, key);

	if (!val || !json_object_is_type(val, json_type_boolean))
		return false;
	*out = json_object_get_boolean(val);
	return true;
}

static bool member_u32(struct json_object *obj, const char *key, unsigned int *out)
{
	struct json_object *val = vg_rs_member(obj, key);
	int64_t v;

	if (!val || !json_object_is_type(val, json_type_int))
		return false;
	v = json_object_get_int64(val);
	if (v < 0 || v > UINT32_MAX)
		return false;
	*out = (unsigned int)v;
	return true;
}

struct json_object *vg_rs_member_array(struct json_object *obj, const char *key)
{
	struct json_object *val = vg_rs_member(obj, key);

	return val && json_object_is_type(val, json_type_array) ? val : NULL;
}

const char *vg_rs_array_str(struct json_object *arr, size_t i)
{
	struct json_object *val = json_object_array_get_idx(arr, i);

	if (!val || !json_object_is_type(val, json_type_string))
		return NULL;
	return json_object_get_string(val);
}

bool vg_rs_array_has_str(struct json_object *arr, const char *s)
{
	size_t n = arr ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *v = vg_rs_array_str(arr, i);

		if (v && !strcasecmp(v, s))
			return true;
	}
	return false;
}

/* Replaces *dst; NULL or "" leaves it as it was. */
void vg_rs_set_str(char **dst, const char *src)
{
	char *copy;

	if (!src || !*src)
		return;
	copy = strdup(src);
	if (!copy)
		return;
	free(*dst);
	*dst = copy;
}

/* Sets *dst only where nothing better was found before. */
static void fill_str(char **dst, const char *src)
{
	if (!*dst)
		vg_rs_set_str(dst, src);
}

__u64 vg_rs_caps_from_array(struct json_object *arr)
{
	size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr)
								    : 0;
	__u64 mask = 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = vg_rs_array_str(arr, i);
		int cap = name ? vg_cap_from_name(name) : -1;

		if (cap >= 0)
			mask |= 1ull << cap;
	}
	return mask;
}

/* An OCI runtime spec (config.json): exactly what the runtime was told to apply. */
/* Seccomp, memory and CPU limits, and the network namespace of an OCI spec. */
static void read_oci_limits(struct json_object *spec, struct vg_container_config *cfg)
{
	struct json_object *linux_ = vg_rs_member(spec, "linux");
	struct json_object *resources = vg_rs_member(linux_, "resources");
	struct json_object *namespaces = vg_rs_member_array(linux_, "namespaces");
	struct json_object *val;
	bool netns = false;
	size_t n = namespaces ? json_object_array_length(namespaces) : 0;

	cfg->seccomp = vg_rs_member(linux_, "seccomp") != NULL;
	val = vg_rs_member(vg_rs_member(resources, "memory"), "limit");
	if (val && json_object_is_type(val, json_type_int) && json_object_get_int64(val) > 0)
		cfg->memory_limit = (__u64)json_object_get_int64(val);
	val = vg_rs_member(vg_rs_member(resources, "cpu"), "quota");
	if (val && json_object_is_type(val, json_type_int) && json_object_get_int64(val) > 0) {
		struct json_object *period = vg_rs_member(vg_rs_member(resources, "cpu"), "period");
		__s64 p = period && json_object_is_type(period, json_type_int)
				  ? json_object_get_int64(period)
				  : 100000;

		if (p > 0)
			cfg->cpu_millis = (__u64)(json_object_get_int64(val) * 1000 / p);
	}
	/* a network namespace without a path is the container's own; none listed: the host's */
	for (size_t i = 0; i < n; i++) {
		struct json_object *ns = json_object_array_get_idx(namespaces, i);
		const char *type = vg_rs_member_str(ns, "type");

		if (type && !strcmp(type, "network"))
			netns = true;
	}
	free(cfg->network_mode);
	cfg->network_mode = strdup(netns ? "private" : "host");
	cfg->limits_known = true;
}

bool vg_rs_read_oci_spec(struct json_object *spec, struct vg_container_config *cfg)
{
	struct json_object *process = vg_rs_member(spec, "process");
	struct json_object *user = vg_rs_member(process, "user");
	struct json_object *caps = vg_rs_member(process, "capabilities");
	struct json_object *mounts = vg_rs_member_array(spec, "mounts");
	unsigned int uid, gid;
	size_t n;

	if (!process && !vg_rs_member(spec, "root"))
		return false;
	vg_rs_config_clear(cfg);
	if (member_u32(user, "uid", &uid)) {
		char buf[32];

		if (member_u32(user, "gid", &gid))
			snprintf(buf, sizeof(buf), "%u:%u", uid, gid);
		else
			snprintf(buf, sizeof(buf), "%u", uid);
		vg_rs_set_str(&cfg->user, buf);
	}
	cfg->cap_effective = vg_rs_caps_from_array(vg_rs_member(caps, "effective"));
	cfg->cap_bounding = vg_rs_caps_from_array(vg_rs_member(caps, "bounding"));
	vg_rs_member_bool(process, "noNewPrivileges", &cfg->no_new_privileges);
	vg_rs_member_bool(vg_rs_member(spec, "root"), "readonly", &cfg->readonly_rootfs);
	n = mounts ? json_object_array_length(mounts) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *m = json_object_array_get_idx(mounts, i);
		struct json_object *options = vg_rs_member_array(m, "options");
		const char *type = vg_rs_member_str(m, "type");

		if (!type &&
		    (vg_rs_array_has_str(options, "bind") || vg_rs_array_has_str(options, "rbind")))
			type = "bind";
		vg_rs_config_add_mount(cfg, vg_rs_member_str(m, "destination"),
				       vg_rs_member_str(m, "source"), type,
				       vg_rs_array_has_str(options, "ro"));
	}
	read_oci_limits(spec, cfg);
	cfg->known = true;
	cfg->mounts_known = true;
	return true;
}

/* runc's state.json ("config": libcontainer's configuration): docker without a bundle. */
bool vg_rs_read_runc_state(struct json_object *state, struct vg_container_config *cfg)
{
	struct json_object *config = vg_rs_member(state, "config");
	struct json_object *caps = vg_rs_member(config, "capabilities");
	struct json_object *mounts = vg_rs_member_array(config, "mounts");
	size_t n;

	if (!config || !json_object_is_type(config, json_type_object))
		return false;
	/* user is not in runc's state: keep what the caller found */
	cfg->cap_effective = vg_rs_caps_from_array(vg_rs_member(caps, "Effective"));
	cfg->cap_bounding = vg_rs_caps_from_array(vg_rs_member(caps, "Bounding"));
	cfg->readonly_rootfs = false;
	vg_rs_member_bool(config, "readonlyfs", &cfg->readonly_rootfs);
	cfg->no_new_privileges = false;
	vg_rs_member_bool(config, "no_new_privileges", &cfg->no_new_privileges);
	if (mounts) {
		struct vg_container_config fresh = {0};

		n = json_object_array_length(mounts);
		for (size_t i = 0; i < n; i++) {
			struct json_object *m = json_object_array_get_idx(mounts, i);
			unsigned int flags = 0;

			member_u32(m, "flags", &flags);
			vg_rs_config_add_mount(&fresh, vg_rs_member_str(m, "destination"),
					       vg_rs_member_str(m, "source"),
					       vg_rs_member_str(m, "device"),
					       flags & MS_RDONLY_FLAG);
		}
		for (size_t i = 0; i < cfg->n_mounts; i++) {
			free(cfg->mounts[i].destination);
			free(cfg->mounts[i].source);
			free(cfg->mounts[i].type);
		}
		free(cfg->mounts);
		cfg->mounts = fresh.mounts;
		cfg->n_mounts = fresh.n_mounts;
		cfg->mounts_known = true;
	}
	cfg->known = true;
	return true;
}

/* ---- containerd ---- */

static const char *const containerd_task_dirs[] = {
	"run/containerd/io.containerd.runtime.v2.task",
	"run/containerd/io.containerd.runtime.v1.linux",
};

/* The bundle of id in namespace ns: CRI annotations name the pod, nerdctl's the container. */
static bool load_containerd_bundle(const char *root, const char *dir, const char *ns,
				   struct vg_container *c)
{
	struct json_object *spec, *ann;
	char path[PATH_MAX];

	if (!vg_rs_build_path(path, sizeof(path), "%s/%s/%s/%s/config.json", root, dir, ns, c->id))
		return false;
	spec = vg_rs_load_json(path, NULL);
	if (!spec)
		return false;
	if (!vg_rs_read_oci_spec(spec, &c->config)) {
		json_object_put(spec);
		return false;
	}
	ann = vg_rs_member(spec, "annotations");
	vg_rs_set_str(&c->name, vg_rs_member_str(ann, "io.kubernetes.cri.container-name"));
	fill_str(&c->name, vg_rs_member_str(ann, "nerdctl/name"));
	vg_rs_set_str(&c->image, vg_rs_member_str(ann, "io.kubernetes.cri.image-name"));
	vg_rs_set_str(&c->pod, vg_rs_member_str(ann, "io.kubernetes.cri.sandbox-name"));
	vg_rs_set_str(&c->namespace, vg_rs_member_str(ann, "io.kubernetes.cri.sandbox-namespace"));
	json_object_put(spec);
	return true;
}

/* Searches every containerd namespace, the kubelet's first; ns_out gets the one found. */
static bool load_containerd(const char *root, struct vg_container *c, char *ns_out, size_t ns_size)
{
	for (size_t d = 0; d < sizeof(containerd_task_dirs) / sizeof(containerd_task_dirs[0]);
	     d++) {
		const char *dir = containerd_task_dirs[d];
		char path[PATH_MAX];
		struct dirent *de;
		DIR *dh;

		if (load_containerd_bundle(root, dir, "k8s.io", c)) {
			snprintf(ns_out, ns_size, "k8s.io");
			return true;
		}
		if (!vg_rs_build_path(path, sizeof(path), "%s/%s", root, dir))
			continue;
		dh = opendir(path);
		if (!dh)
			continue;
		while ((de = readdir(dh))) {
			if (de->d_name[0] == '.' || !strcmp(de->d_name, "k8s.io"))
				continue;
			if (load_containerd_bundle(root, dir, de->d_name, c)) {
				snprintf(ns_out, ns_size, "%s", de->d_name);
				closedir(dh);
				return true;
			}
		}
		closedir(dh);
	}
	return false;
}

/* ---- containers/storage: podman and cri-o ---- */

struct storage_dirs {
	char graph[PATH_MAX]; /* /var/lib/containers/storage */
	char run[PATH_MAX];   /* /run/containers/storage */
};

/* What the annotations of a containers/storage bundle say. */
struct storage_found {
	bool bundle;
	bool listed;	 /* in containers.json */
	bool kubernetes; /* a kubelet's pod: cri-o's, not podman's */
};

/* containers.json entry id -> names[0]; image from its metadata or from images.json. */
static bool read_containers_json(struct vg_rs_cache *cache, const struct storage_dirs *dirs,
				 struct vg_container *c)
{
	struct json_object *list, *entry = NULL, *meta, *images;
	const char *image_id, *meta_text;
	char path[PATH_MAX];
	size_t n;

	if (!vg_rs_build_path(path, sizeof(path), "%s/overlay-containers/containers.json",
			      dirs->graph))
		return false;
	list = load_shared(cache, path);
	if (!list || !json_object_is_type(list, json_type_array)) {
		json_object_put(list);
		return false;
	}
	n = json_object_array_length(list);
	for (size_t i = 0; i < n && !entry; i++) {
		struct json_object *e = json_object_array_get_idx(list, i);
		const char *id = vg_rs_member_str(e, "id");

		if (id && !strcmp(id, c->id))
			entry = e;
	}
	if (!entry) {
		json_object_put(list);
		return false;
	}
	if (vg_rs_member_array(entry, "names"))
		fill_str(&c->name, vg_rs_array_str(vg_rs_member_array(entry, "names"), 0));
	/* "metadata" is JSON in a string: podman records the image name it was asked for */
	meta_text = vg_rs_member_str(entry, "metadata");
	meta = meta_text ? json_tokener_parse(meta_text) : NULL;
	fill_str(&c->image, vg_rs_member_str(meta, "image-name"));
	fill_str(&c->name, vg_rs_member_str(meta, "name"));
	json_object_put(meta);

	image_id = vg_rs_member_str(entry, "image");
	if (!c->image && image_id &&
	    vg_rs_build_path(path, sizeof(path), "%s/overlay-images/images.json", dirs->graph)) {
		images = load_shared(cache, path);
		n = images && json_object_is_type(images, json_type_array)
			    ? json_object_array_length(images)
			    : 0;
		for (size_t i = 0; i < n; i++) {
			struct json_object *img = json_object_array_get_idx(images, i);
			const char *id = vg_rs_member_str(img, "id");

			if (id && !strcmp(id, image_id)) {
				fill_str(&c->image,
					 vg_rs_array_str(vg_rs_member_array(img, "names"), 0));
				break;
			}
		}
		json_object_put(images);
	}
	json_object_put(list);
	return true;
}

static struct storage_found load_storage_at(struct vg_rs_cache *cache,
					    const struct storage_dirs *dirs, struct vg_container *c)
{
	struct storage_found found = {0};
	struct json_object *spec = NULL, *ann;
	const char *bases[] = {dirs->graph, dirs->run};
	char path[PATH_MAX];

	for (size_t i = 0; i < 2 && !spec; i++) {
		if (vg_rs_build_path(path, sizeof(path),
				     "%s/overlay-containers/%s/userdata/config.json", bases[i],
				     c->id))
			spec = vg_rs_load_json(path, NULL);
	}
	if (spec && vg_rs_read_oci_spec(spec, &c->config)) {
		const char *privileged, *manager;

		found.bundle = true;
		ann = vg_rs_member(spec, "annotations");
		privileged = vg_rs_member_str(ann, "io.podman.annotations.privileged");
		c->config.privileged = privileged && !strcasecmp(privileged, "TRUE");
		manager = vg_rs_member_str(ann, "io.container.manager");
		found.kubernetes = vg_rs_member_str(ann, "io.kubernetes.pod.name") &&
				   !(manager && !strcmp(manager, "libpod"));
		vg_rs_set_str(&c->pod, vg_rs_member_str(ann, "io.kubernetes.pod.name"));
		vg_rs_set_str(&c->namespace, vg_rs_member_str(ann, "io.kubernetes.pod.namespace"));
		/* a kubelet names a cri-o container; containers.json has cri-o's k8s_... name */
		if (c->runtime == VG_RT_CRIO || (c->runtime != VG_RT_PODMAN && found.kubernetes)) {
			vg_rs_set_str(&c->name,
				      vg_rs_member_str(ann, "io.kubernetes.container.name"));
			vg_rs_set_str(&c->image,
				      vg_rs_member_str(ann, "io.kubernetes.cri-o.ImageName"));
		}
		found.listed = read_containers_json(cache, dirs, c);
		fill_str(&c->image, vg_rs_member_str(ann, "io.kubernetes.cri-o.ImageName"));
		fill_str(&c->name, vg_rs_member_str(ann, "io.kubernetes.container.name"));
	} else {
		found.listed = read_containers_json(cache, dirs, c);
	}
	json_object_put(spec);
	return found;
}

/* The home directory of uid in root's /etc/passwd. */
static bool passwd_home(const char *root, unsigned int uid, char *home, size_t size)
{
	char path[PATH_MAX], line[1024];
	bool found = false;
	FILE *f;

	if (!vg_rs_build_path(path, sizeof(path), "%s/etc/passwd", root))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *fields[7], *p = line, *end;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		/* strsep keeps empty fields (an empty gecos) */
		while (n < 7 && (fields[n] = strsep(&p, ":")))
			n++;
		if (n < 6 || !isdigit((unsigned char)fields[2][0]))
			continue;
		if (strtoul(fields[2], &end, 10) == uid && !*end)
			found = vg_rs_build_path(home, size, "%s", fields[5]) && home[0] == '/';
	}
	fclose(f);
	return found;
}

/* A rootless podman's cgroup ".../user@<uid>.service/..." tells whose storage holds it. */
static bool rootless_uid(const char *cgroup_path, unsigned int *uid)
{
	const char *p = cgroup_path ? strstr(cgroup_path, "/user@") : NULL;
	char *end;
	unsigned long v;

	if (!p || !isdigit((unsigned char)p[6]))
		return false;
	v = strtoul(p + 6, &end, 10);
	if (strncmp(end, ".service", 8) || v > UINT32_MAX)
		return false;
	*uid = (unsigned int)v;
	return true;
}

static struct storage_found load_storage(struct vg_rs_cache *cache, const char *root,
					 struct vg_container *c)
{
	struct storage_found found = {0};
	struct storage_dirs dirs;
	unsigned int uid;
	char home[PATH_MAX];

	if (rootless_uid(c->cgroup_path, &uid) && passwd_home(root, uid, home, sizeof(home)) &&
	    vg_rs_build_path(dirs.graph, sizeof(dirs.graph), "%s%s/.local/share/containers/storage",
			     root, home) &&
	    vg_rs_build_path(dirs.run, sizeof(dirs.run), "%s/run/user/%u/containers", root, uid)) {
		found = load_storage_at(cache, &dirs, c);
		if (found.bundle || found.listed)
			return found;
	}
	if (vg_rs_build_path(dirs.graph, sizeof(dirs.graph), "%s/var/lib/containers/storage",
			     root) &&
	    vg_rs_build_path(dirs.run, sizeof(dirs.run), "%s/run/containers/storage", root))
		found = load_storage_at(cache, &dirs, c);
	return found;
}

/* ---- dispatch ---- */

/* A runtime the cgroup path could not tell apart: try where each one keeps its state. */
static void probe_runtimes(struct vg_rs_cache *cache, const char *root, struct vg_container *c)
{
	struct storage_found st;
	char ns[256];

	if (load_containerd(root, c, ns, sizeof(ns))) {
		if (!strcmp(ns, "moby")) {
			c->runtime = VG_RT_DOCKER;
			vg_rs_load_docker(root, c);
		} else {
			c->runtime = VG_RT_CONTAINERD;
		}
		return;
	}
	if (vg_rs_load_docker(root, c)) {
		c->runtime = VG_RT_DOCKER;
		return;
	}
	st = load_storage(cache, root, c);
	if (st.bundle || st.listed)
		c->runtime = st.kubernetes ? VG_RT_CRIO : VG_RT_PODMAN;
}

void vg_rs_load(struct vg_rs_cache *cache, const char *root, struct vg_container *c)
{
	char ns[256];

	/* name, image, pod, namespace and runtime may change: the cached text would lie */
	vg_container_json_drop(c);
	if (!root)
		root = "";
	switch (c->runtime) {
	case VG_RT_DOCKER:
		vg_rs_load_docker(root, c);
		break;
	case VG_RT_CONTAINERD:
		/* a bare id under kubepods is containerd's by default, maybe someone else's */
		if (!load_containerd(root, c, ns, sizeof(ns)))
			probe_runtimes(cache, root, c);
		break;
	case VG_RT_CRIO:
	case VG_RT_PODMAN:
		load_storage(cache, root, c);
		break;
	case VG_RT_LXC:
	case VG_RT_NSPAWN:
		/* their cgroups are named after the container */
		vg_rs_set_str(&c->name, c->id);
		break;
	case VG_RT_UNKNOWN:
	default:
		probe_runtimes(cache, root, c);
		break;
	}
}
