// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup id -> container cache over a real directory tree: learning from the kernel's
 * cgroup records, scans, eviction, its bounds, finding by id or name, and the host defaults.
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
	ck_assert_int_eq(
		vg_containers_learn(cs, 702, "/docker/" DOCKER_WORK "/init.scope", &is_new), 1);
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

	tc = tcase_create("host");
	tcase_add_test(tc, paths_default);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(container_suite)
