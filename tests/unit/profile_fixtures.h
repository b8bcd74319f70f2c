/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the profile tests share: synthetic captures of containers (web, a second web, db) and
 * host processes built record by record, profiles derived from them, and their output read
 * back.
 */
#ifndef VIGIL_TEST_PROFILE_FIXTURES_H
#define VIGIL_TEST_PROFILE_FIXTURES_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/audit.h>
#include <json-c/json.h>

#include "unit.h"
#include "captures.h"
#include "records.h"
#include "capture.h"
#include "event.h"
#include "container.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"
#include "profile.h"
#include "syscalls.h"

#define NR_CAP_CHOWN		0
#define NR_CAP_NET_BIND_SERVICE 10
#define NR_CAP_NET_RAW		13
#define NR_CAP_SYS_ADMIN	21

#define WEB_ID	"4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"
#define WEB2_ID "5f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f709"
#define DB_ID	"90ab1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
#define WEB_CG	100
#define WEB2_CG 101
#define DB_CG	200
#define HOST_CG 1

/* ---- building captures ---- */

static __attribute__((unused)) const struct vg_capture_info info = {
	.version = VG_CAPTURE_VERSION,
	.host = "testhost",
	.kernel = "6.1.0 x86_64",
	.boot_time_ns = 1700000000000000000ULL,
	.start_time_ns = 1700000005000000000ULL,
};

static __attribute__((unused)) char tmpdir[64];
static __attribute__((unused)) char cap_path[128];
static __attribute__((unused)) struct vg_capture_writer *w;
static __attribute__((unused)) __u64 clock_ns;
static __attribute__((unused)) REC_BUF(rec);

static inline void setup(void)
{
	capture_tmpdir_make(tmpdir, sizeof(tmpdir), "profile");
	snprintf(cap_path, sizeof(cap_path), "%s/cap.vcap", tmpdir);
	clock_ns = REC_TIME_NS;
}

static inline void teardown(void)
{
	capture_tmpdir_remove(tmpdir);
}

static inline void begin(const char *path)
{
	ck_assert_int_eq(vg_capture_create(path, &info, &w), 0);
}

static inline void end(void)
{
	ck_assert_int_eq(vg_capture_close(w), 0);
	w = NULL;
}

/* A container's metadata record; volumes: destinations other than "/" (NULL: mounts unknown). */
static inline void put_container(const char *id, const char *name, const char *image, __u64 cgroup,
			  const char *const *volumes)
{
	struct vg_mountpoint mounts[4] = {};
	struct vg_container c = {
		.cgroup_id = cgroup,
		.runtime = VG_RT_PODMAN,
		.name = (char *)name,
		.image = (char *)image,
	};
	size_t n = 0;

	snprintf(c.id, sizeof(c.id), "%s", id);
	if (volumes) {
		mounts[n++] = (struct vg_mountpoint){.destination = "/", .type = "overlay"};
		for (size_t i = 0; volumes[i] && n < 4; i++)
			mounts[n++] = (struct vg_mountpoint){.destination = (char *)volumes[i],
							     .type = "bind"};
		c.config.mounts = mounts;
		c.config.n_mounts = n;
		c.config.mounts_known = true;
	}
	capture_put_container(w, &c);
}

/* Appends the record in rec as an event of cgroup (container or host), with hdr flags. */
static inline void put(size_t len, __u64 cgroup, __u32 flags)
{
	struct vigil_event_header *h = (void *)rec;

	ck_assert_uint_gt(len, 0);
	h->cgroup_id = cgroup;
	h->flags = flags | (cgroup == HOST_CG ? 0 : VIGIL_F_CONTAINER);
	h->time_ns = clock_ns += 1000;
	ck_assert_int_eq(vg_capture_append(w, VG_REC_EVENT, rec, len), 0);
}

/* exec with explicit ids and vpid; argv is exe's base name plus "arg". */
static inline size_t exec_as(__u32 pid, const char *exe, __u32 uid, __u32 euid, __u32 vpid,
		      __u32 exec_flags)
{
	static const char args[] = "prog\0arg";
	size_t len = rec_exec(rec, pid, 1000 + pid, exe, args, sizeof(args));
	struct vigil_exec *e = (void *)rec;

	e->uid = e->gid = uid;
	e->euid = e->egid = euid;
	e->vpid = vpid;
	e->exec_flags = exec_flags;
	return len;
}

static inline size_t capable(__u32 pid, __u32 cap, __s32 ret, __u32 cap_flags)
{
	size_t len = rec_capable(rec, pid, cap, ret);

	((struct vigil_capable *)rec)->cap_flags = cap_flags;
	return len;
}

static inline size_t write_ret(__u32 pid, __u32 op, const char *path, const char *path2, __u8 rootfs,
			__s32 ret)
{
	size_t len = rec_write(rec, pid, op, path, path2, 01101, rootfs);

	((struct vigil_write *)rec)->ret = ret;
	return len;
}

static inline void put_syscalls(__u64 cgroup, __u32 arch, const unsigned int *nrs, size_t n)
{
	struct vg_syscalls_record r = {
		.cgroup_id = cgroup,
		.time_ns = clock_ns += 1000,
		.arch = arch,
		.nbits = VIGIL_SYSCALL_BITS,
	};

	for (size_t i = 0; i < n; i++)
		r.bits[nrs[i] / 64] |= 1ULL << (nrs[i] % 64);
	ck_assert_int_eq(vg_capture_append(w, VG_REC_SYSCALLS, &r, sizeof(r)), 0);
}

/*
 * The web container (non-root, pid 10 its init): runc's set-up first, then what it does, with
 * the look-alikes the profile must not take: a denied, an unaudited and a noise capability
 * check, a write to a volume, a failed write, a host process doing all of it as root.
 */
static inline void web_scenario(void)
{
	static const unsigned int web_calls[] = {0, 1, 257, 59}; /* read write openat execve */
	size_t n;

	put_container(WEB_ID, "web", "localhost/app:1", WEB_CG,
		      (const char *const[]){"/data", NULL});
	/* runc init: set-up, whatever it does */
	put(exec_as(5, "/proc/self/exe", 0, 0, 1, 0), WEB_CG, VIGIL_F_SETUP);
	put(capable(5, NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED), WEB_CG, VIGIL_F_SETUP);
	put(rec_mount(rec, 5, VIGIL_SYS_MOUNT, "proc", "/proc", "proc", 0), WEB_CG, VIGIL_F_SETUP);
	put(write_ret(5, VIGIL_WRITE_OPEN, "/etc/hostname", NULL, VIGIL_ROOTFS_YES, 3), WEB_CG,
	    VIGIL_F_SETUP);
	/* the container's own work */
	put(exec_as(10, "/bin/sh", 1000, 1000, 1, 0), WEB_CG, 0);
	put(capable(10, NR_CAP_CHOWN, 0, VIGIL_CAP_AUDITED), WEB_CG, 0);
	put(capable(10, NR_CAP_NET_RAW, -1, VIGIL_CAP_AUDITED), WEB_CG, 0);
	put(capable(10, NR_CAP_NET_BIND_SERVICE, 0, 0), WEB_CG, 0); /* no-audit probe */
	put(capable(10, NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED | VIGIL_CAP_NOISE), WEB_CG, 0);
	put(write_ret(10, VIGIL_WRITE_OPEN, "/var/cache/app/x", NULL, VIGIL_ROOTFS_YES, 3), WEB_CG,
	    0);
	put(write_ret(10, VIGIL_WRITE_OPEN, "/var/cache/app//x", NULL, VIGIL_ROOTFS_YES, 4), WEB_CG,
	    0);
	put(write_ret(10, VIGIL_WRITE_OPEN, "/data/db", NULL, VIGIL_ROOTFS_NO, 3), WEB_CG, 0);
	put(write_ret(10, VIGIL_WRITE_OPEN, "/etc/shadow", NULL, VIGIL_ROOTFS_YES, -13), WEB_CG, 0);
	/* absolute unlink: the agent places it from the mounts (volume, then root fs) */
	put(write_ret(10, VIGIL_WRITE_UNLINK, "/data/old", NULL, VIGIL_ROOTFS_UNKNOWN, 0), WEB_CG,
	    0);
	put(write_ret(10, VIGIL_WRITE_UNLINK, "/srv/www/stale", NULL, VIGIL_ROOTFS_UNKNOWN, 0),
	    WEB_CG, 0);
	put(rec_connect_inet(rec, 10, AF_INET, "10.0.0.5", 5432), WEB_CG, 0);
	put(rec_connect_inet(rec, 10, AF_INET6, "::ffff:10.0.0.6", 443), WEB_CG, 0);
	/* a DNS-style datagram: UDP, sent with an address */
	n = rec_connect_inet(rec, 10, AF_INET6, "2001:db8::1", 53);
	((struct vigil_connect *)rec)->protocol = VIGIL_PROTO_UDP;
	((struct vigil_connect *)rec)->via = VIGIL_VIA_SENDTO;
	put(n, WEB_CG, 0);
	put(rec_connect_unix(rec, 10, "/var/run/docker.sock", false), WEB_CG, 0);
	/* a child, by fork then exec */
	put(rec_fork(rec, 10, 1010, 11, 1011, 2), WEB_CG, 0);
	put(exec_as(11, "/usr/bin/worker", 1000, 1000, 2, 0), WEB_CG, 0);
	put(capable(11, NR_CAP_CHOWN, 0, VIGIL_CAP_AUDITED), WEB_CG, 0);
	put_syscalls(WEB_CG, AUDIT_ARCH_X86_64, web_calls, 4);
	/* the host, as root, doing what the container must not be credited with */
	put(exec_as(900, "/usr/sbin/cron", 0, 0, 900, 0), HOST_CG, 0);
	put(capable(900, NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED), HOST_CG, 0);
	put(write_ret(900, VIGIL_WRITE_OPEN, "/etc/passwd", NULL, VIGIL_ROOTFS_YES, 3), HOST_CG, 0);
}

/* The db container: root, a set-uid exec, a setuid to root, a mount, an abstract socket. */
static inline void db_scenario(void)
{
	static const __u32 before[4] = {1000, 1000, 1000, 1000}, after[4] = {0, 0, 0, 0};
	size_t n;

	put_container(DB_ID, "db", "postgres:16", DB_CG, NULL);
	put(exec_as(20, "/bin/sh", 0, 0, 1, 0), DB_CG, 0);
	put(exec_as(21, "/usr/bin/su", 1000, 0, 2, VIGIL_EXEC_SECUREEXEC), DB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 21, 0, before, after), DB_CG,
	    0);
	put(rec_mount(rec, 20, VIGIL_SYS_MOUNT, "tmpfs", "/mnt", "tmpfs", 0), DB_CG, 0);
	put(capable(20, NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED), DB_CG, 0);
	put(rec_connect_unix(rec, 20, "/containerd-shim/abc.sock", true), DB_CG, 0);
	/* the host's docker socket under another name: the kernel knew it by its inode */
	n = rec_connect_unix(rec, 20, "/tmp/app.sock", false);
	((struct vigil_connect *)rec)->connect_flags |=
		VIGIL_CONNECT_PEER | VIGIL_CONNECT_RUNTIME_SOCKET;
	((struct vigil_connect *)rec)->peer.ino = 4242;
	put(n, DB_CG, 0);
	/* relative: the directory it is relative to is not recorded */
	put(write_ret(20, VIGIL_WRITE_OPEN, "pg.pid", NULL, VIGIL_ROOTFS_YES, 3), DB_CG, 0);
	put(write_ret(20, VIGIL_WRITE_RENAME, "/etc/pg.conf.new", "/etc/pg.conf", VIGIL_ROOTFS_YES,
		      0),
	    DB_CG, 0);
}

static inline struct vg_profile_set *derive(const char *path, const char *container, enum vg_profile_by by)
{
	struct vg_profile_opts o = {.container = container, .by = by};
	struct vg_capture_reader *r;
	struct vg_profile_set *s;
	char err[256];

	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(vg_profile_derive(r, path, &o, &s), 0);
	vg_capture_close_reader(r);
	return s;
}

static inline const struct vg_profile *named(const struct vg_profile_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	ck_abort_msg("no profile %s", name);
	return NULL;
}

/* The keys of a list, joined with ",": one comparison says "exactly these". */
static inline const char *keys(const struct vg_profile_items *l)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < l->n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? "," : "",
					l->v[i].key);
	return buf;
}

static inline char *render(const struct vg_profile_set *s, enum vg_profile_format format)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(vg_profile_write(f, s, format), 0);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

/* YAML through PyYAML (python3-yaml, tools/install-deps test) into JSON: the schema checks. */
static inline struct json_object *yaml_documents(const char *text)
{
	char path[160], cmd[512], *out = NULL;
	size_t cap = 0, len = 0;
	struct json_object *docs;
	FILE *f, *p;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/doc.yaml", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_msg(!access("/usr/bin/python3", X_OK),
		      "/usr/bin/python3 is missing: run tools/install-deps test");
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 -c 'import json, sys, yaml; "
		 "print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))' %s",
		 path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = getline(&out, &cap, p)) > 0)
		len += (size_t)n;
	ck_assert_msg(pclose(p) == 0 && len,
		      "PyYAML refused the output (python3-yaml installed? tools/install-deps "
		      "test):\n%s",
		      text);
	docs = json_tokener_parse(out);
	free(out);
	ck_assert_ptr_nonnull(docs);
	return docs;
}

/* obj at a path of keys and array indexes: "services", "web", "cap_add", "#0" */
static inline struct json_object *at(struct json_object *obj, const char *const *path)
{
	for (; *path; path++) {
		struct json_object *next = NULL;

		if ((*path)[0] == '#') {
			ck_assert_msg(json_object_is_type(obj, json_type_array), "%s: not an array",
				      *path);
			next = json_object_array_get_idx(obj, (size_t)atoi(*path + 1));
		} else {
			json_object_object_get_ex(obj, *path, &next);
		}
		ck_assert_msg(next, "missing %s in %s", *path, json_object_to_json_string(obj));
		obj = next;
	}
	return obj;
}

#define AT(obj, ...)  at(obj, (const char *const[]){__VA_ARGS__, NULL})
#define STR(obj, ...) json_object_get_string(AT(obj, __VA_ARGS__))

/* Replays a capture as `vigil replay` does; returns alerts, their "rule key" lines in out. */
static inline int replay(const char *path, const struct vg_policy *policy, char *out, size_t size)
{
	struct vg_container_paths offline = {NULL, NULL};
	struct vg_containers *cs = vg_containers_new(&offline);
	struct vg_capture_reader *r;
	struct vg_pipeline pipe;
	struct vg_output o = {};
	char err[256], *text = NULL, *line, *save = NULL;
	size_t text_len = 0, used = 0;
	unsigned int type;
	const void *data;
	size_t len;
	int alerts = 0;

	ck_assert_ptr_nonnull(cs);
	o.f = open_memstream(&text, &text_len);
	o.format = VG_FORMAT_JSON;
	ck_assert_int_eq(vg_pipeline_init(&pipe, policy, &o, cs), 0);
	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), 0);
	while (vg_capture_next(r, &type, &data, &len) > 0) {
		if (type == VG_REC_EVENT) {
			vg_pipeline_record(&pipe, data, len);
		} else if (type == VG_REC_CONTAINER) {
			struct json_tokener *tok = json_tokener_new();
			struct json_object *obj = json_tokener_parse_ex(tok, data, (int)len);
			struct vg_container c = {};

			if (obj && !vg_container_from_json_full(obj, &c))
				vg_containers_add(cs, &c);
			vg_container_clear(&c);
			json_object_put(obj);
			json_tokener_free(tok);
		}
		vg_pipeline_batch_done(&pipe);
	}
	vg_capture_close_reader(r);
	vg_pipeline_fini(&pipe);
	vg_containers_free(cs);
	fclose(o.f);
	out[0] = 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct json_object *obj = json_tokener_parse(line), *kind, *rule, *key;

		ck_assert_ptr_nonnull(obj);
		if (json_object_object_get_ex(obj, "kind", &kind) &&
		    !strcmp(json_object_get_string(kind), "alert") &&
		    json_object_object_get_ex(obj, "rule", &rule) &&
		    json_object_object_get_ex(obj, "key", &key)) {
			alerts++;
			used += (size_t)snprintf(out + used, size - used, "%s %s\n",
						 json_object_get_string(rule),
						 json_object_get_string(key));
		}
		json_object_put(obj);
	}
	free(text);
	return alerts;
}

/* The policy profile as a file would hold it, loaded back through the policy loader. */
static inline struct vg_policy *policy_of(const struct vg_profile_set *s)
{
	char *text = render(s, VG_PROFILE_POLICY), err[512];
	struct vg_policy *p = NULL;

	ck_assert_msg(
		!vg_policy_load_buffer("derived.json", text, strlen(text), &p, err, sizeof(err)),
		"%s\n%s", err, text);
	free(text);
	return p;
}

#endif
