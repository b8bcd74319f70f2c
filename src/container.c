// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup id -> container: resolving the id to its cgroup path, the path to a container, and
 * caching both (and host cgroups) in a bounded table (JSON forms: container_json.c; mounts
 * and the root filesystem: container_mounts.c; one container's record: container_record.c).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "jsonw.h"
#include "runtime_state.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define FILEID_KERNFS	0xfe /* kernfs file handle: the 64-bit node id, which is the cgroup id */
#define RESCAN_INTERVAL 1.0  /* seconds between two scans of the cgroup tree on misses */
/* state a runtime writes after making the cgroup: read again, this often, this many times */
#define META_RETRY_INTERVAL 0.2
#define META_READS_MAX	    4
#define SCAN_MAX_DEPTH	    64
#define SCAN_MAX_ENTRIES    (1u << 20)

static bool is_cgroup2(const char *path)
{
	struct statfs sfs;

	return !statfs(path, &sfs) && (unsigned long)sfs.f_type == CGROUP2_SUPER_MAGIC;
}

void vg_container_paths_default(struct vg_container_paths *paths)
{
	/* hybrid hosts mount v2 at unified/; unified ones at the top */
	if (is_cgroup2("/sys/fs/cgroup/unified"))
		paths->cgroup_root = "/sys/fs/cgroup/unified";
	else
		paths->cgroup_root = "/sys/fs/cgroup";
	paths->root = "";
}

/* ---- the cache ---- */

struct entry {
	__u64 cgroup_id;
	bool is_container; /* else a host cgroup, or an id found gone (no cgroup_path) */
	bool announced;	   /* returned once: is_new no longer */
	/*
	 * The cgroup is gone: the entry is dropped once the agent has read every record written
	 * before it learnt that (vg_containers_evict), never before. 0: not known gone.
	 */
	__u64 gone_at;
	double gone_when;	  /* monotonic seconds it was found gone */
	unsigned char meta_reads; /* runtime state reads so far (incomplete metadata retried) */
	double meta_next;	  /* monotonic seconds: no new read before */
	struct vg_container c;	  /* c.cgroup_path is set for host cgroups too */
	struct entry *hash_next;
	struct entry *lru_prev, *lru_next; /* in lru[is_container], most recent first */
};

/* cgroup inode -> path, from one walk of the whole tree. */
struct scan_slot {
	__u64 ino;
	char *path;
};

struct vg_containers {
	char *cgroup_root;	/* NULL: offline */
	char *cgroup_root_real; /* as /proc/self/fd links spell it */
	char *root;
	int root_fd; /* the cgroup2 mount, for open_by_handle_at() and stat */
	bool use_handles;

	struct entry **buckets;
	size_t n_buckets; /* a power of two */
	/*
	 * Sentinels of two recency lists: host and gone cgroups ([0]), containers' ([1]). The
	 * bound drops host entries first: a storm of unknown ids must not push out the containers
	 * (dropping one would re-read its state and announce it again).
	 */
	struct entry lru[2];
	size_t n_entries, n_containers;

	struct scan_slot *scan;
	size_t scan_size, scan_used; /* open addressing, scan_size a power of two */
	double last_scan;	     /* monotonic seconds; < 0: never */
	double gone_grace;	     /* seconds a gone cgroup is kept at least */

	struct vg_rs_cache *rs;
	struct vg_containers_stats stats;
};

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t hash_id(__u64 id, size_t size)
{
	/* Fibonacci hashing: consecutive ids spread over the table */
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 32) & (size - 1);
}

struct vg_containers *vg_containers_new(const struct vg_container_paths *paths)
{
	struct vg_container_paths defaults;
	struct vg_containers *cs = calloc(1, sizeof(*cs));
	char real[PATH_MAX];

	if (!cs)
		return NULL;
	if (!paths) {
		vg_container_paths_default(&defaults);
		paths = &defaults;
	}
	cs->root_fd = -1;
	cs->last_scan = -1;
	for (int i = 0; i < 2; i++)
		cs->lru[i].lru_next = cs->lru[i].lru_prev = &cs->lru[i];
	cs->n_buckets = 1024;
	cs->buckets = calloc(cs->n_buckets, sizeof(*cs->buckets));
	cs->root = strdup(paths->root ? paths->root : "");
	cs->rs = vg_rs_cache_new();
	if (!cs->buckets || !cs->root || !cs->rs)
		goto fail;
	if (paths->cgroup_root) {
		cs->cgroup_root = strdup(paths->cgroup_root);
		cs->cgroup_root_real =
			strdup(realpath(paths->cgroup_root, real) ? real : paths->cgroup_root);
		if (!cs->cgroup_root || !cs->cgroup_root_real)
			goto fail;
		cs->root_fd = open(paths->cgroup_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		/* kernfs handles name cgroups only on a cgroup2 mount; elsewhere (fixtures) scan */
		cs->use_handles = cs->root_fd >= 0 && is_cgroup2(paths->cgroup_root);
	}
	return cs;
fail:
	vg_containers_free(cs);
	return NULL;
}

static void scan_clear(struct vg_containers *cs)
{
	for (size_t i = 0; i < cs->scan_size; i++)
		free(cs->scan[i].path);
	free(cs->scan);
	cs->scan = NULL;
	cs->scan_size = cs->scan_used = 0;
}

static void entry_free(struct entry *e)
{
	vg_container_clear(&e->c);
	free(e);
}

void vg_containers_free(struct vg_containers *cs)
{
	if (!cs)
		return;
	for (int i = 0; i < 2 && cs->lru[i].lru_next; i++) {
		for (struct entry *e = cs->lru[i].lru_next, *next; e != &cs->lru[i]; e = next) {
			next = e->lru_next;
			entry_free(e);
		}
	}
	free(cs->buckets);
	scan_clear(cs);
	vg_rs_cache_free(cs->rs);
	if (cs->root_fd >= 0)
		close(cs->root_fd);
	free(cs->cgroup_root);
	free(cs->cgroup_root_real);
	free(cs->root);
	free(cs);
}

static struct entry *table_find(const struct vg_containers *cs, __u64 id)
{
	for (struct entry *e = cs->buckets[hash_id(id, cs->n_buckets)]; e; e = e->hash_next) {
		if (e->cgroup_id == id)
			return e;
	}
	return NULL;
}

static void lru_unlink(struct entry *e)
{
	e->lru_prev->lru_next = e->lru_next;
	e->lru_next->lru_prev = e->lru_prev;
}

static void lru_push_front(struct vg_containers *cs, struct entry *e)
{
	struct entry *head = &cs->lru[e->is_container];

	e->lru_prev = head;
	e->lru_next = head->lru_next;
	head->lru_next->lru_prev = e;
	head->lru_next = e;
}

/* The entry the bound drops next: the least recently used host one, else container. */
static struct entry *lru_victim(struct vg_containers *cs)
{
	if (cs->lru[0].lru_prev != &cs->lru[0])
		return cs->lru[0].lru_prev;
	return cs->lru[1].lru_prev;
}

static void table_remove(struct vg_containers *cs, struct entry *e)
{
	struct entry **pp = &cs->buckets[hash_id(e->cgroup_id, cs->n_buckets)];

	while (*pp && *pp != e)
		pp = &(*pp)->hash_next;
	if (*pp)
		*pp = e->hash_next;
	lru_unlink(e);
	cs->n_entries--;
	if (e->is_container)
		cs->n_containers--;
	entry_free(e);
}

/* Offline caches grow without bound (a capture's containers); keep chains short. */
static void table_grow(struct vg_containers *cs)
{
	size_t size = cs->n_buckets * 2;
	struct entry **buckets = calloc(size, sizeof(*buckets));

	if (!buckets)
		return; /* longer chains, still correct */
	for (size_t i = 0; i < cs->n_buckets; i++) {
		for (struct entry *e = cs->buckets[i], *next; e; e = next) {
			size_t h = hash_id(e->cgroup_id, size);

			next = e->hash_next;
			e->hash_next = buckets[h];
			buckets[h] = e;
		}
	}
	free(cs->buckets);
	cs->buckets = buckets;
	cs->n_buckets = size;
}

/* Takes ownership of e; replaces an entry of the same id; keeps an online cache bounded. */
static void table_insert(struct vg_containers *cs, struct entry *e)
{
	struct entry *old = table_find(cs, e->cgroup_id);
	size_t h;

	if (old)
		table_remove(cs, old);
	if (cs->n_entries >= cs->n_buckets)
		table_grow(cs);
	h = hash_id(e->cgroup_id, cs->n_buckets);
	e->hash_next = cs->buckets[h];
	cs->buckets[h] = e;
	lru_push_front(cs, e);
	cs->n_entries++;
	if (e->is_container)
		cs->n_containers++;
	while (cs->cgroup_root && cs->n_entries > VG_CONTAINERS_MAX) {
		table_remove(cs, lru_victim(cs));
		cs->stats.evicted++;
	}
}

/* ---- cgroup id -> path ---- */

static bool scan_put(struct vg_containers *cs, __u64 ino, const char *path)
{
	size_t i;

	if (cs->scan_used * 2 >= cs->scan_size) {
		size_t size = cs->scan_size ? cs->scan_size * 2 : 256;
		struct scan_slot *slots = calloc(size, sizeof(*slots));

		if (!slots)
			return false;
		for (size_t j = 0; j < cs->scan_size; j++) {
			if (!cs->scan[j].path)
				continue;
			for (i = hash_id(cs->scan[j].ino, size); slots[i].path;
			     i = (i + 1) & (size - 1))
				;
			slots[i] = cs->scan[j];
		}
		free(cs->scan);
		cs->scan = slots;
		cs->scan_size = size;
	}
	for (i = hash_id(ino, cs->scan_size); cs->scan[i].path; i = (i + 1) & (cs->scan_size - 1)) {
		if (cs->scan[i].ino == ino)
			return true; /* bind-mounted twice: the first path found is as good */
	}
	cs->scan[i].path = strdup(path);
	if (!cs->scan[i].path)
		return false;
	cs->scan[i].ino = ino;
	cs->scan_used++;
	return true;
}

static const char *scan_get(const struct vg_containers *cs, __u64 ino)
{
	if (!cs->scan_size)
		return NULL;
	for (size_t i = hash_id(ino, cs->scan_size); cs->scan[i].path;
	     i = (i + 1) & (cs->scan_size - 1)) {
		if (cs->scan[i].ino == ino)
			return cs->scan[i].path;
	}
	return NULL;
}

/* Records every directory below dir_fd (which is path) with its inode number. */
static void scan_dir(struct vg_containers *cs, int dir_fd, const char *path, int depth)
{
	struct dirent *de;
	DIR *dh;

	if (depth > SCAN_MAX_DEPTH)
		return;
	dh = fdopendir(dir_fd);
	if (!dh) {
		close(dir_fd);
		return;
	}
	while ((de = readdir(dh)) && cs->scan_used < SCAN_MAX_ENTRIES) {
		char child[PATH_MAX];
		struct stat st;
		int fd;

		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
			     de->d_name) >= (int)sizeof(child))
			continue;
		fd = openat(dirfd(dh), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* st_ino, not d_ino: some file systems report a different d_ino */
		if (fstat(fd, &st) || !scan_put(cs, (__u64)st.st_ino, child)) {
			close(fd);
			continue;
		}
		scan_dir(cs, fd, child, depth + 1);
	}
	closedir(dh);
}

static void rescan(struct vg_containers *cs)
{
	struct stat st;
	int fd;

	scan_clear(cs);
	cs->last_scan = now_seconds();
	cs->stats.scans++;
	fd = open(cs->cgroup_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!fstat(fd, &st))
		scan_put(cs, (__u64)st.st_ino, "/");
	scan_dir(cs, fd, "/", 0);
}

enum resolve {
	RESOLVED, /* *path set (malloc'ed) */
	GONE,	  /* no such cgroup any more: cache that */
	UNKNOWN,  /* not found, not sure it is gone (scan rate-limited): don't cache */
};

/* The id's path from the kernel directly: needs CAP_DAC_READ_SEARCH and a cgroup2 mount. */
static enum resolve resolve_by_handle(struct vg_containers *cs, __u64 id, char **path)
{
	struct {
		struct file_handle fh;
		__u64 id;
	} handle;
	char link[64], target[PATH_MAX];
	size_t root_len = strlen(cs->cgroup_root_real);
	ssize_t n;
	int fd;

	handle.fh.handle_bytes = sizeof(__u64);
	handle.fh.handle_type = FILEID_KERNFS;
	memcpy(handle.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(cs->root_fd, &handle.fh, O_RDONLY | O_PATH | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ESTALE || errno == ENOENT)
			return GONE;
		cs->use_handles = false; /* EPERM and the like: they won't work later either */
		return UNKNOWN;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	close(fd);
	if (n <= 0)
		return UNKNOWN;
	target[n] = '\0';
	/* removed since the event: still the same cgroup, and its path still names its container */
	if ((size_t)n > strlen(" (deleted)") &&
	    !strcmp(target + n - strlen(" (deleted)"), " (deleted)"))
		target[n - strlen(" (deleted)")] = '\0';
	if (strncmp(target, cs->cgroup_root_real, root_len) ||
	    (target[root_len] != '/' && target[root_len] != '\0')) {
		cs->use_handles = false; /* outside our mount's view: the scan will tell */
		return UNKNOWN;
	}
	cs->stats.handle_resolves++;
	*path = strdup(target[root_len] ? target + root_len : "/");
	return *path ? RESOLVED : UNKNOWN;
}

static enum resolve resolve_path(struct vg_containers *cs, __u64 id, char **path)
{
	const char *found;
	double now;

	if (cs->use_handles) {
		enum resolve r = resolve_by_handle(cs, id, path);

		if (r != UNKNOWN || cs->use_handles)
			return r;
	}
	found = scan_get(cs, id);
	if (!found) {
		now = now_seconds();
		/* a storm of unknown ids must not walk the tree per event */
		if (cs->last_scan >= 0 && now - cs->last_scan < RESCAN_INTERVAL)
			return UNKNOWN;
		rescan(cs);
		found = scan_get(cs, id);
		/* the id existed when its event was made: missing from a newer walk, it is gone */
		if (!found)
			return GONE;
	}
	*path = strdup(found);
	return *path ? RESOLVED : UNKNOWN;
}

static void load_metadata(struct vg_containers *cs, struct entry *e);

static struct entry *resolve(struct vg_containers *cs, __u64 id)
{
	struct vg_cgroup_match m;
	struct entry *e;
	char *path = NULL;

	/* GONE is cached like a host cgroup (no path): ids are not reused */
	if (resolve_path(cs, id, &path) == UNKNOWN)
		return NULL;
	cs->stats.resolved++;
	e = calloc(1, sizeof(*e));
	if (!e) {
		free(path);
		return NULL;
	}
	e->cgroup_id = id;
	e->c.cgroup_id = id;
	e->c.cgroup_path = path;
	if (path && vg_cgroup_parse(path, &m)) {
		e->is_container = true;
		memcpy(e->c.id, m.id, sizeof(e->c.id));
		e->c.runtime = m.runtime;
		load_metadata(cs, e);
	}
	table_insert(cs, e);
	return e;
}

/* What no read of the runtime's state has told yet: worth another read a little later. */
static bool metadata_missing(const struct vg_container *c)
{
	return !c->config.known || !c->name || !c->image;
}

/* Another cgroup of the same container (its own, or one nested in it) already read. */
static const struct entry *same_container(const struct vg_containers *cs, const struct entry *e)
{
	for (const struct entry *o = cs->lru[1].lru_next; o != &cs->lru[1]; o = o->lru_next) {
		if (o != e && o->c.runtime == e->c.runtime && !strcmp(o->c.id, e->c.id) &&
		    !metadata_missing(&o->c))
			return o;
	}
	return NULL;
}

/*
 * Name, image, pod, configuration: copied from another cgroup of the container when one is
 * known (its runtime state may be gone by the time a nested cgroup appears), else read.
 */
static void load_metadata(struct vg_containers *cs, struct entry *e)
{
	const struct entry *known = same_container(cs, e);
	struct vg_container copy;

	if (known && !vg_container_copy(&copy, &known->c)) {
		free(copy.cgroup_path);
		copy.cgroup_path = e->c.cgroup_path;
		copy.cgroup_id = e->c.cgroup_id;
		e->c.cgroup_path = NULL;
		vg_container_clear(&e->c);
		e->c = copy;
		return;
	}
	vg_rs_load(cs->rs, cs->root, &e->c);
	e->meta_reads++;
	e->meta_next = now_seconds() + META_RETRY_INTERVAL;
}

/*
 * The runtime may write part of its state after the cgroup exists: a container whose
 * metadata is incomplete is read again a few times, and announced again when it changed.
 */
static void retry_metadata(struct vg_containers *cs, struct entry *e)
{
	char *name = e->c.name, *image = e->c.image;
	bool known = e->c.config.known;

	if (e->meta_reads >= META_READS_MAX || !metadata_missing(&e->c) || e->gone_at ||
	    now_seconds() < e->meta_next)
		return;
	e->c.name = e->c.image = NULL; /* kept to compare */
	vg_rs_load(cs->rs, cs->root, &e->c);
	e->meta_reads++;
	e->meta_next = now_seconds() + META_RETRY_INTERVAL;
	if (!e->c.name && name) {
		e->c.name = name;
		name = NULL;
	}
	if (!e->c.image && image) {
		e->c.image = image;
		image = NULL;
	}
	if (known != e->c.config.known || (e->c.name && (!name || strcmp(name, e->c.name))) ||
	    (e->c.image && (!image || strcmp(image, e->c.image))))
		e->announced = false;
	free(name);
	free(image);
}

int vg_containers_learn(struct vg_containers *cs, __u64 cgroup_id, const char *path, bool *is_new)
{
	struct vg_cgroup_match m;
	struct entry *e;

	*is_new = false;
	if (!cs || !path || path[0] != '/')
		return -EINVAL;
	e = table_find(cs, cgroup_id);
	if (e && e->c.cgroup_path && !strcmp(e->c.cgroup_path, path) && !e->gone_at) {
		lru_unlink(e);
		lru_push_front(cs, e);
	} else {
		e = calloc(1, sizeof(*e));
		if (!e)
			return -ENOMEM;
		e->cgroup_id = e->c.cgroup_id = cgroup_id;
		e->c.cgroup_path = strdup(path);
		if (!e->c.cgroup_path) {
			free(e);
			return -ENOMEM;
		}
		cs->stats.learned++;
		if (vg_cgroup_parse(path, &m)) {
			e->is_container = true;
			memcpy(e->c.id, m.id, sizeof(e->c.id));
			e->c.runtime = m.runtime;
			if (cs->cgroup_root) /* an offline cache never reads the host's state */
				load_metadata(cs, e);
		}
		table_insert(cs, e);
	}
	if (e->is_container && !e->announced) {
		e->announced = true;
		*is_new = true;
	}
	return e->is_container ? 1 : 0;
}

bool vg_containers_known(const struct vg_containers *cs, __u64 cgroup_id)
{
	return cs && table_find(cs, cgroup_id);
}

void vg_containers_gone(struct vg_containers *cs, __u64 cgroup_id, __u64 written)
{
	struct entry *e = cs ? table_find(cs, cgroup_id) : NULL;

	if (e && !e->gone_at) {
		e->gone_at = written ? written : 1;
		e->gone_when = now_seconds();
	}
}

void vg_containers_set_gone_grace(struct vg_containers *cs, double seconds)
{
	if (cs)
		cs->gone_grace = seconds;
}

const struct vg_container *vg_containers_lookup(struct vg_containers *cs, __u64 cgroup_id,
						bool *is_new)
{
	struct entry *e;

	if (is_new)
		*is_new = false;
	if (!cs)
		return NULL;
	e = table_find(cs, cgroup_id);
	if (e) {
		lru_unlink(e);
		lru_push_front(cs, e);
	} else if (cs->cgroup_root) {
		e = resolve(cs, cgroup_id);
	}
	if (!e || !e->is_container)
		return NULL;
	if (e->meta_reads && e->meta_reads < META_READS_MAX)
		retry_metadata(cs, e);
	if (!e->announced) {
		e->announced = true;
		if (is_new)
			*is_new = true;
	}
	return &e->c;
}

int vg_containers_add(struct vg_containers *cs, const struct vg_container *c)
{
	struct entry *e;

	if (!cs || !c || !c->id[0])
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	if (vg_container_copy(&e->c, c)) {
		free(e);
		return -ENOMEM;
	}
	e->cgroup_id = c->cgroup_id;
	e->is_container = true;
	table_insert(cs, e);
	return 0;
}

/* Does the entry's cgroup still exist, as the same cgroup (ids are never reused)? */
static bool entry_gone(const struct vg_containers *cs, const struct entry *e)
{
	const char *rel;
	struct stat st;

	if (!e->c.cgroup_path)
		return true; /* resolved as gone, or added without a path: nothing to check */
	rel = e->c.cgroup_path;
	while (*rel == '/')
		rel++;
	if (fstatat(cs->root_fd, *rel ? rel : ".", &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT || errno == ENOTDIR;
	return (__u64)st.st_ino != e->cgroup_id;
}

size_t vg_containers_evict_gone(struct vg_containers *cs, __u64 written, __u64 read)
{
	size_t dropped = 0;
	double now = now_seconds();

	if (!cs || !cs->cgroup_root || cs->root_fd < 0)
		return 0;
	for (int i = 0; i < 2; i++) {
		for (struct entry *e = cs->lru[i].lru_next, *next; e != &cs->lru[i]; e = next) {
			next = e->lru_next;
			if (!e->gone_at && entry_gone(cs, e)) {
				e->gone_at = written ? written : 1;
				e->gone_when = now;
			}
			if (e->gone_at && e->gone_at <= read &&
			    now - e->gone_when >= cs->gone_grace) {
				table_remove(cs, e);
				dropped++;
			}
		}
	}
	cs->stats.evicted += dropped;
	/* the walk names cgroups that have just gone too; the next miss walks again */
	scan_clear(cs);
	return dropped;
}

size_t vg_containers_count(const struct vg_containers *cs)
{
	return cs ? cs->n_containers : 0;
}

void vg_containers_stats(const struct vg_containers *cs, struct vg_containers_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (!cs)
		return;
	*st = cs->stats;
	st->entries = cs->n_entries;
	st->containers = cs->n_containers;
}

void vg_containers_for_each(const struct vg_containers *cs,
			    void (*fn)(void *ctx, const struct vg_container *c), void *ctx)
{
	if (!cs)
		return;
	for (const struct entry *e = cs->lru[1].lru_next; e != &cs->lru[1]; e = e->lru_next)
		if (e->is_container && e->announced)
			fn(ctx, &e->c);
}

/* ---- finding by id or name ---- */

const struct vg_container *vg_containers_find(const struct vg_containers *cs, const char *key)
{
	const struct vg_container *best = NULL;

	if (!cs || !key || !*key)
		return NULL;
	for (const struct entry *e = cs->lru[1].lru_next; e != &cs->lru[1]; e = e->lru_next) {
		if (!vg_container_matches(&e->c, key))
			continue;
		if (best && strcmp(best->id, e->c.id))
			return NULL; /* two containers: ambiguous */
		/* of one container's cgroups, its own (outermost) is the one to show */
		if (!best || (e->c.cgroup_path && best->cgroup_path &&
			      strlen(e->c.cgroup_path) < strlen(best->cgroup_path)))
			best = &e->c;
	}
	return best;
}
