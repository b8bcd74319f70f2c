// SPDX-License-Identifier: GPL-2.0
/*
 * Profiles (SPEC "Profiles", issue 6): derivation from synthetic captures (set-up work, host
 * processes, denied and unaudited checks, volumes and failed calls leave no trace; each value
 * keeps its evidence), each format against its schema (YAML parsed by PyYAML, k8s kinds and
 * fields, seccomp keys), and the promise: a capture replayed under the policy derived from it
 * raises nothing, while anything it did not contain still alerts.
 */
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

static const struct vg_capture_info info = {
	.version = VG_CAPTURE_VERSION,
	.host = "testhost",
	.kernel = "6.1.0 x86_64",
	.boot_time_ns = 1700000000000000000ULL,
	.start_time_ns = 1700000005000000000ULL,
};

static char tmpdir[64];
static char cap_path[128];
static struct vg_capture_writer *w;
static __u64 clock_ns;
static REC_BUF(rec);

static void setup(void)
{
	capture_tmpdir_make(tmpdir, sizeof(tmpdir), "profile");
	snprintf(cap_path, sizeof(cap_path), "%s/cap.vcap", tmpdir);
	clock_ns = REC_TIME_NS;
}

static void teardown(void)
{
	capture_tmpdir_remove(tmpdir);
}

static void begin(const char *path)
{
	ck_assert_int_eq(vg_capture_create(path, &info, &w), 0);
}

static void end(void)
{
	ck_assert_int_eq(vg_capture_close(w), 0);
	w = NULL;
}

/* A container's metadata record; volumes: destinations other than "/" (NULL: mounts unknown). */
static void put_container(const char *id, const char *name, const char *image, __u64 cgroup,
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
static void put(size_t len, __u64 cgroup, __u32 flags)
{
	struct vigil_event_header *h = (void *)rec;

	ck_assert_uint_gt(len, 0);
	h->cgroup_id = cgroup;
	h->flags = flags | (cgroup == HOST_CG ? 0 : VIGIL_F_CONTAINER);
	h->time_ns = clock_ns += 1000;
	ck_assert_int_eq(vg_capture_append(w, VG_REC_EVENT, rec, len), 0);
}

/* exec with explicit ids and vpid; argv is exe's base name plus "arg". */
static size_t exec_as(__u32 pid, const char *exe, __u32 uid, __u32 euid, __u32 vpid,
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

static size_t capable(__u32 pid, __u32 cap, __s32 ret, __u32 cap_flags)
{
	size_t len = rec_capable(rec, pid, cap, ret);

	((struct vigil_capable *)rec)->cap_flags = cap_flags;
	return len;
}

static size_t write_ret(__u32 pid, __u32 op, const char *path, const char *path2, __u8 rootfs,
			__s32 ret)
{
	size_t len = rec_write(rec, pid, op, path, path2, 01101, rootfs);

	((struct vigil_write *)rec)->ret = ret;
	return len;
}

static void put_syscalls(__u64 cgroup, __u32 arch, const unsigned int *nrs, size_t n)
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
static void web_scenario(void)
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
static void db_scenario(void)
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

static struct vg_profile_set *derive(const char *path, const char *container, enum vg_profile_by by)
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

static const struct vg_profile *named(const struct vg_profile_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	ck_abort_msg("no profile %s", name);
	return NULL;
}

/* The keys of a list, joined with ",": one comparison says "exactly these". */
static const char *keys(const struct vg_profile_items *l)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < l->n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? "," : "",
					l->v[i].key);
	return buf;
}

static char *render(const struct vg_profile_set *s, enum vg_profile_format format)
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
static struct json_object *yaml_documents(const char *text)
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
static struct json_object *at(struct json_object *obj, const char *const *path)
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
static int replay(const char *path, const struct vg_policy *policy, char *out, size_t size)
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
static struct vg_policy *policy_of(const struct vg_profile_set *s)
{
	char *text = render(s, VG_PROFILE_POLICY), err[512];
	struct vg_policy *p = NULL;

	ck_assert_msg(
		!vg_policy_load_buffer("derived.json", text, strlen(text), &p, err, sizeof(err)),
		"%s\n%s", err, text);
	free(text);
	return p;
}

/* ---- derivation ---- */

START_TEST(only_the_containers_own_behaviour)
{
	struct vg_profile_set *s;
	const struct vg_profile *p;

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 1);
	p = named(s, "web");
	ck_assert_str_eq(p->image, "localhost/app:1");
	ck_assert_str_eq(keys(&p->users), "1000/1000/1000/1000");
	ck_assert(p->entry_known && p->entry_is_init && p->entry_uid == 1000);
	ck_assert_str_eq(keys(&p->capabilities), "CAP_CHOWN");
	ck_assert_str_eq(keys(&p->writes), "/srv/www/stale,/var/cache/app/x");
	ck_assert_str_eq(keys(&p->relative_writes), "");
	ck_assert_str_eq(keys(&p->egress), "10.0.0.5:5432,10.0.0.6:443,[2001:db8::1]:53");
	ck_assert_str_eq(keys(&p->sockets), "/var/run/docker.sock");
	ck_assert_str_eq(keys(&p->mounts), "");
	ck_assert_str_eq(keys(&p->privilege), "");
	ck_assert(p->has_syscalls && p->syscall_arch == AUDIT_ARCH_X86_64);
	ck_assert_uint_eq(p->syscalls[0], (1ULL << 0) | (1ULL << 1) | (1ULL << 59));
	ck_assert_uint_eq(p->syscalls[257 / 64], 1ULL << (257 % 64));
	vg_profile_set_free(s);
}
END_TEST

START_TEST(evidence_names_programs_times_and_counts)
{
	const struct vg_profile_item *chown, *write;
	struct vg_profile_set *s;

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	chown = &s->v[0].capabilities.v[0];
	ck_assert_uint_eq(chown->ev.count, 2);
	ck_assert_uint_eq(chown->ev.n_programs, 2);
	ck_assert_str_eq(chown->ev.programs[0], "/bin/sh");
	ck_assert_str_eq(chown->ev.programs[1], "/usr/bin/worker");
	ck_assert_uint_lt(chown->ev.first_ns, chown->ev.last_ns);
	ck_assert_uint_eq(chown->ev.first_pid, 10);
	ck_assert_str_eq(chown->ev.first_command, "prog arg");
	/* "//" and the path it normalises to are one value, seen twice */
	write = &s->v[0].writes.v[1];
	ck_assert_str_eq(write->key, "/var/cache/app/x");
	ck_assert_uint_eq(write->ev.count, 2);
	ck_assert_uint_eq(write->ops, 1u << VIGIL_WRITE_OPEN);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(privilege_mounts_root_and_relative_writes)
{
	struct vg_profile_set *s;
	const struct vg_profile *p;

	begin(cap_path);
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	p = named(s, "db");
	ck_assert_str_eq(keys(&p->users), "0/0/0/0,1000/0/1000/0");
	ck_assert_uint_eq(p->entry_uid, 0);
	ck_assert_str_eq(keys(&p->privilege), "exec /usr/bin/su,setresuid");
	ck_assert(p->privilege.v[0].escalation && p->privilege.v[1].escalation);
	ck_assert_str_eq(keys(&p->mounts), "mount tmpfs /mnt tmpfs");
	ck_assert_str_eq(keys(&p->capabilities), "CAP_SYS_ADMIN");
	ck_assert_str_eq(keys(&p->sockets), "/tmp/app.sock,@/containerd-shim/abc.sock");
	ck_assert_str_eq(keys(&p->relative_writes), "pg.pid");
	/* both names of a rename */
	ck_assert_str_eq(keys(&p->writes), "/etc/pg.conf,/etc/pg.conf.new");
	ck_assert(!p->has_syscalls);
	vg_profile_set_free(s);
}
END_TEST

/* Root dropping to a user and a non-root process changing groups are not escalation. */
START_TEST(dropping_privileges_is_not_a_privilege_change)
{
	static const __u32 root[4] = {0, 0, 0, 0}, user[4] = {1000, 1000, 1000, 1000};
	struct vg_profile_set *s;

	begin(cap_path);
	put_container(WEB_ID, "web", "localhost/app:1", WEB_CG, NULL);
	put(exec_as(10, "/bin/sh", 0, 0, 1, 0), WEB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 10, 0, root, user), WEB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETGID, VIGIL_SYS_SETGID, 10, 0, user, user), WEB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 10, -1, user, root), WEB_CG, 0);
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_str_eq(keys(&s->v[0].privilege), "");
	vg_profile_set_free(s);
}
END_TEST

/* Earlier builds recorded a container right after its first event: that event still counts. */
START_TEST(first_event_before_its_container_record)
{
	struct vg_profile_set *s;

	begin(cap_path);
	put(exec_as(10, "/bin/sh", 1000, 1000, 1, 0), WEB_CG, 0);
	put_container(WEB_ID, "web", "localhost/app:1", WEB_CG, NULL);
	put(capable(10, NR_CAP_CHOWN, 0, VIGIL_CAP_AUDITED), WEB_CG, 0);
	/* never described: nothing to attribute it to, and no crash */
	put(capable(30, NR_CAP_NET_RAW, 0, VIGIL_CAP_AUDITED), DB_CG, 0);
	put(exec_as(31, "/bin/x", 0, 0, 1, 0), DB_CG, 0);
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 1);
	ck_assert_str_eq(keys(&s->v[0].users), "1000/1000/1000/1000");
	ck_assert_str_eq(keys(&s->v[0].capabilities), "CAP_CHOWN");
	vg_profile_set_free(s);
}
END_TEST

START_TEST(container_filter_and_by_image)
{
	static const unsigned int calls_a[] = {0, 1}, calls_b[] = {1, 3};
	struct vg_profile_set *s;
	const struct vg_profile *p;

	begin(cap_path);
	web_scenario();
	db_scenario();
	put_container(WEB2_ID, "web-2", "localhost/app:1", WEB2_CG, NULL);
	put(exec_as(40, "/bin/sh", 1000, 1000, 1, 0), WEB2_CG, 0);
	put(capable(40, NR_CAP_NET_BIND_SERVICE, 0, VIGIL_CAP_AUDITED), WEB2_CG, 0);
	put_syscalls(WEB2_CG, AUDIT_ARCH_X86_64, calls_a, 2);
	put_syscalls(WEB2_CG, AUDIT_ARCH_X86_64, calls_b, 2);
	end();

	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 3);
	p = named(s, "web-2");
	ck_assert_uint_eq(p->syscalls[0], 0xbULL); /* records of a cgroup are a union */
	ck_assert_uint_eq(p->syscall_records, 2);
	vg_profile_set_free(s);

	s = derive(cap_path, "db", VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 1);
	ck_assert_str_eq(s->v[0].name, "db");
	ck_assert_uint_eq(s->n_seen, 3);
	vg_profile_set_free(s);

	s = derive(cap_path, WEB_ID, VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 1);
	ck_assert_str_eq(s->v[0].name, "web");
	vg_profile_set_free(s);

	s = derive(cap_path, "nosuch", VG_PROFILE_BY_CONTAINER);
	ck_assert_uint_eq(s->n, 0);
	vg_profile_set_free(s);

	s = derive(cap_path, NULL, VG_PROFILE_BY_IMAGE);
	ck_assert_uint_eq(s->n, 2);
	p = named(s, "localhost/app:1");
	ck_assert_uint_eq(p->n_containers, 2);
	ck_assert_str_eq(keys(&p->capabilities), "CAP_CHOWN,CAP_NET_BIND_SERVICE");
	ck_assert_uint_eq(p->capabilities.v[1].ev.n_containers, 1);
	ck_assert_str_eq(p->containers[p->capabilities.v[1].ev.containers[0]].id, WEB2_ID);
	ck_assert_uint_eq(p->syscalls[0], (1ULL << 0) | (1ULL << 1) | (1ULL << 3) | (1ULL << 59));
	vg_profile_set_free(s);
}
END_TEST

START_TEST(syscall_records_are_checked)
{
	struct vg_syscalls_record r = {.cgroup_id = 7, .arch = AUDIT_ARCH_X86_64, .nbits = 512};
	unsigned char wide[VG_SYSCALLS_RECORD_HDR + 128] = {};
	struct vg_syscalls_record out;
	bool beyond;

	r.bits[1] = 5;
	ck_assert_int_eq(vg_syscalls_record_parse(&r, sizeof(r), &out, &beyond), 0);
	ck_assert(!beyond && out.bits[1] == 5 && out.cgroup_id == 7);
	ck_assert_int_eq(vg_syscalls_record_parse(&r, sizeof(r) - 8, &out, &beyond), -EINVAL);
	ck_assert_int_eq(vg_syscalls_record_parse(&r, 10, &out, &beyond), -EINVAL);
	r.nbits = 100;
	ck_assert_int_eq(vg_syscalls_record_parse(&r, 24 + 100 / 8, &out, &beyond), -EINVAL);
	/* a newer writer's wider set: what this reader knows, and that there was more */
	r.nbits = 1024;
	memcpy(wide, &r, VG_SYSCALLS_RECORD_HDR);
	wide[VG_SYSCALLS_RECORD_HDR] = 1;
	wide[VG_SYSCALLS_RECORD_HDR + 100] = 2;
	ck_assert_int_eq(vg_syscalls_record_parse(wide, sizeof(wide), &out, &beyond), 0);
	ck_assert(beyond && out.bits[0] == 1 && out.nbits == VIGIL_SYSCALL_BITS);
	ck_assert_str_eq(vg_syscall_name(AUDIT_ARCH_X86_64, 257), "openat");
	ck_assert_str_eq(vg_syscall_name(AUDIT_ARCH_AARCH64, 56), "openat");
	ck_assert_ptr_null(vg_syscall_name(AUDIT_ARCH_X86_64, 511));
	ck_assert_ptr_null(vg_syscall_name(0x1234, 0));
}
END_TEST

/* ---- formats ---- */

START_TEST(compose_is_a_service_fragment)
{
	struct vg_profile_set *s;
	struct json_object *docs, *svc;
	char *text;

	begin(cap_path);
	web_scenario();
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_COMPOSE);
	docs = yaml_documents(text);
	ck_assert_uint_eq(json_object_array_length(docs), 1);
	svc = AT(docs, "#0", "services", "web");
	ck_assert_str_eq(STR(svc, "image"), "localhost/app:1");
	ck_assert_str_eq(STR(svc, "user"), "1000:1000");
	ck_assert(json_object_get_boolean(AT(svc, "read_only")));
	/* the directory of /var/cache/app/x; /srv/www of the unlink */
	ck_assert_str_eq(json_object_to_json_string(AT(svc, "tmpfs")),
			 "[ \"\\/srv\\/www\", \"\\/var\\/cache\\/app\" ]");
	ck_assert_str_eq(STR(svc, "cap_drop", "#0"), "ALL");
	ck_assert_uint_eq(json_object_array_length(AT(svc, "cap_add")), 1);
	ck_assert_str_eq(STR(svc, "cap_add", "#0"), "CHOWN");
	ck_assert_str_eq(STR(svc, "security_opt", "#0"), "no-new-privileges:true");
	ck_assert_msg(strstr(text, "#   10.0.0.5:5432 by /bin/sh"), "egress as comments:\n%s",
		      text);
	/* db: root, a privilege change, /etc written and a relative write */
	svc = AT(docs, "#0", "services", "db");
	ck_assert(!json_object_object_get_ex(svc, "user", NULL));
	ck_assert(!json_object_object_get_ex(svc, "security_opt", NULL));
	ck_assert(!json_object_object_get_ex(svc, "tmpfs", NULL));
	ck_assert(!json_object_get_boolean(AT(svc, "read_only")));
	ck_assert_str_eq(STR(svc, "cap_add", "#0"), "SYS_ADMIN");
	json_object_put(docs);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(k8s_objects_have_their_kinds_and_fields)
{
	struct vg_profile_set *s;
	struct json_object *docs, *pod, *sc, *np, *egress;
	char *text;

	begin(cap_path);
	web_scenario();
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_K8S);
	docs = yaml_documents(text);
	ck_assert_uint_eq(json_object_array_length(docs), 4);
	pod = AT(docs, "#0");
	ck_assert_str_eq(STR(pod, "apiVersion"), "v1");
	ck_assert_str_eq(STR(pod, "kind"), "Pod");
	ck_assert_str_eq(STR(pod, "metadata", "name"), "web");
	ck_assert_str_eq(STR(pod, "spec", "containers", "#0", "image"), "localhost/app:1");
	sc = AT(pod, "spec", "containers", "#0", "securityContext");
	ck_assert(json_object_get_boolean(AT(sc, "runAsNonRoot")));
	ck_assert_int_eq(json_object_get_int(AT(sc, "runAsUser")), 1000);
	ck_assert_int_eq(json_object_get_int(AT(sc, "runAsGroup")), 1000);
	ck_assert(json_object_get_boolean(AT(sc, "readOnlyRootFilesystem")));
	ck_assert(!json_object_get_boolean(AT(sc, "allowPrivilegeEscalation")));
	ck_assert_str_eq(STR(sc, "capabilities", "drop", "#0"), "ALL");
	ck_assert_str_eq(STR(sc, "capabilities", "add", "#0"), "CHOWN");
	/* the tmpfs directories as memory-backed emptyDir volumes */
	ck_assert_str_eq(STR(pod, "spec", "containers", "#0", "volumeMounts", "#1", "mountPath"),
			 "/var/cache/app");
	ck_assert_str_eq(STR(pod, "spec", "volumes", "#1", "emptyDir", "medium"), "Memory");
	np = AT(docs, "#1");
	ck_assert_str_eq(STR(np, "apiVersion"), "networking.k8s.io/v1");
	ck_assert_str_eq(STR(np, "kind"), "NetworkPolicy");
	ck_assert_str_eq(STR(np, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"),
			 "web");
	ck_assert_str_eq(STR(pod, "metadata", "labels", "app.kubernetes.io/name"), "web");
	ck_assert_str_eq(STR(np, "spec", "policyTypes", "#0"), "Egress");
	egress = AT(np, "spec", "egress");
	ck_assert_uint_eq(json_object_array_length(egress), 3);
	ck_assert_str_eq(STR(egress, "#0", "to", "#0", "ipBlock", "cidr"), "10.0.0.5/32");
	ck_assert_int_eq(json_object_get_int(AT(egress, "#0", "ports", "#0", "port")), 5432);
	ck_assert_str_eq(STR(egress, "#0", "ports", "#0", "protocol"), "TCP");
	ck_assert_str_eq(STR(egress, "#2", "to", "#0", "ipBlock", "cidr"), "2001:db8::1/128");
	/* a destination reached over UDP only is allowed over UDP only */
	ck_assert_uint_eq(json_object_array_length(AT(egress, "#2", "ports")), 1);
	ck_assert_str_eq(STR(egress, "#2", "ports", "#0", "protocol"), "UDP");
	/* db: root, escalation; no egress at all is an empty egress list (deny) */
	sc = AT(docs, "#2", "spec", "containers", "#0", "securityContext");
	ck_assert(!json_object_get_boolean(AT(sc, "runAsNonRoot")));
	ck_assert(json_object_get_boolean(AT(sc, "allowPrivilegeEscalation")));
	ck_assert(!json_object_get_boolean(AT(sc, "readOnlyRootFilesystem")));
	ck_assert_uint_eq(json_object_array_length(AT(docs, "#3", "spec", "egress")), 0);
	json_object_put(docs);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(seccomp_allows_exactly_the_calls_seen)
{
	struct vg_profile_set *s;
	struct json_object *root, *names;
	char *text;

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_SECCOMP);
	root = json_tokener_parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(STR(root, "defaultAction"), "SCMP_ACT_ERRNO");
	ck_assert_str_eq(STR(root, "architectures", "#0"), "SCMP_ARCH_X86_64");
	ck_assert_uint_eq(json_object_array_length(AT(root, "syscalls")), 1);
	ck_assert_str_eq(STR(root, "syscalls", "#0", "action"), "SCMP_ACT_ALLOW");
	names = AT(root, "syscalls", "#0", "names");
	ck_assert_str_eq(json_object_to_json_string_ext(names, JSON_C_TO_STRING_PLAIN),
			 "[\"execve\",\"openat\",\"read\",\"write\"]");
	json_object_put(root);
	free(text);
	vg_profile_set_free(s);

	/* without system call sets there is no seccomp profile to write */
	begin(cap_path);
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert_int_eq(vg_profile_write(stdout, s, VG_PROFILE_SECCOMP), -ENODATA);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(docker_run_flags)
{
	struct vg_profile_set *s;
	char *text;

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_DOCKER_RUN);
	ck_assert_msg(strstr(text, "docker run --name web \\\n  --user 1000:1000 \\\n"
				   "  --read-only --tmpfs /srv/www --tmpfs /var/cache/app \\\n"
				   "  --cap-drop ALL --cap-add CHOWN \\\n"
				   "  --security-opt no-new-privileges:true \\\n"
				   "  --security-opt seccomp=web.json \\\n  localhost/app:1\n"),
		      "%s", text);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(json_lists_every_value_with_evidence)
{
	struct vg_profile_set *s;
	struct json_object *root, *p, *cap;
	char *text;

	begin(cap_path);
	web_scenario();
	db_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_JSON);
	root = json_tokener_parse(text);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(STR(root, "capture", "host"), "testhost");
	ck_assert_str_eq(STR(root, "by"), "container");
	p = AT(root, "profiles", "#0");
	ck_assert_str_eq(STR(p, "name"), "web");
	ck_assert_str_eq(STR(p, "containers", "#0", "id"), WEB_ID);
	ck_assert(!json_object_get_boolean(AT(p, "user", "run_as_root")));
	cap = AT(p, "capabilities", "#0");
	ck_assert_str_eq(STR(cap, "name"), "CAP_CHOWN");
	ck_assert_int_eq(json_object_get_int(AT(cap, "evidence", "count")), 2);
	ck_assert_str_eq(STR(cap, "evidence", "programs", "#1"), "/usr/bin/worker");
	/* the sixth event of the scenario: boot + 5.000000123 s + 6 us */
	ck_assert_str_eq(STR(cap, "evidence", "first"), "2023-11-14T22:13:25.000006123Z");
	ck_assert_str_eq(STR(cap, "evidence", "first_event", "command"), "prog arg");
	ck_assert_str_eq(STR(p, "rootfs_writes", "#1", "path"), "/var/cache/app/x");
	ck_assert_str_eq(STR(p, "rootfs_writes", "#0", "ops", "#0"), "unlink");
	ck_assert_str_eq(STR(p, "egress", "#0", "address"), "10.0.0.5");
	ck_assert_int_eq(json_object_get_int(AT(p, "egress", "#0", "port")), 5432);
	ck_assert_str_eq(STR(p, "unix_sockets", "#0", "path"), "/var/run/docker.sock");
	ck_assert(json_object_get_boolean(AT(p, "no_new_privileges")));
	ck_assert_str_eq(STR(p, "syscalls", "arch"), "x86_64");
	ck_assert_str_eq(STR(p, "syscalls", "calls", "#2", "name"), "execve");
	p = AT(root, "profiles", "#1");
	ck_assert_str_eq(STR(p, "privilege_changes", "#0", "kind"), "secure_exec");
	ck_assert_str_eq(STR(p, "mounts", "#0", "target"), "/mnt");
	ck_assert_str_eq(STR(p, "relative_writes", "#0", "path"), "pg.pid");
	ck_assert_str_eq(STR(p, "rootfs", "blocked_by", "#0"), "pg.pid");
	/* recorded without --syscalls: present, and null */
	ck_assert(json_object_object_get_ex(p, "syscalls", &cap) && !cap);
	json_object_put(root);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

/* Names and paths a program chose: YAML stays YAML, names stay names. */
START_TEST(hostile_strings_are_quoted)
{
	struct vg_profile_set *s;
	struct json_object *docs, *svc;
	char *text;

	begin(cap_path);
	put_container(WEB_ID, "we\"b: x\n- y", "img:1\"\n#", WEB_CG, NULL);
	put(exec_as(10, "/bin/sh", 1000, 1000, 1, 0), WEB_CG, 0);
	put(write_ret(10, VIGIL_WRITE_MKDIR, "/var/cache/d\"ir\n: \xc3\xa9\xff", NULL,
		      VIGIL_ROOTFS_YES, 0),
	    WEB_CG, 0);
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	text = render(s, VG_PROFILE_COMPOSE);
	docs = yaml_documents(text);
	svc = AT(docs, "#0", "services", "we-b-x-y");
	ck_assert_str_eq(STR(svc, "image"), "img:1\"\n#");
	/* a created directory is its own tmpfs; invalid UTF-8 shows as U+FFFD */
	ck_assert_str_eq(STR(svc, "tmpfs", "#0"), "/var/cache/d\"ir\n: \xc3\xa9\xef\xbf\xbd");
	json_object_put(docs);
	free(text);
	text = render(s, VG_PROFILE_K8S);
	docs = yaml_documents(text);
	ck_assert_str_eq(STR(docs, "#0", "metadata", "name"), "we-b-x-y");
	json_object_put(docs);
	free(text);
	text = render(s, VG_PROFILE_DOCKER_RUN);
	ck_assert_msg(strstr(text, "--tmpfs '/var/cache/d\"ir\n: \xc3\xa9\xff'"), "%s", text);
	ck_assert_msg(strstr(text, "  'img:1\"\n#'\n"), "%s", text);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

/* ---- the promise ---- */

/*
 * io_uring in web: an instance with SQPOLL, a link sent at submission (-EINPROGRESS) of
 * /etc/passwd to a new name in /tmp, and a rename whose new name the kernel joined to /opt.
 */
static void web_uring_scenario(void)
{
	struct vigil_write *w = (void *)rec;

	put(rec_io_uring(rec, 10, 5, 64, VG_IORING_SETUP_SQPOLL), WEB_CG, 0);
	rec_write(rec, 10, VIGIL_WRITE_LINK, "/tmp/pw", "/etc/passwd", 0, VIGIL_ROOTFS_YES);
	w->ret = -EINPROGRESS;
	put(w->hdr.size, WEB_CG, VIGIL_F_IO_URING);
	rec_write(rec, 10, VIGIL_WRITE_RENAME, "new", "conf", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(rec, VIGIL_PATH_JOINED, "/tmp/new");
	put(rec_write_resolved2(rec, VIGIL_PATH_JOINED, "/opt/app/conf"), WEB_CG, 0);
}

START_TEST(replaying_under_the_derived_policy_is_silent)
{
	struct vg_policy *builtin = vg_policy_builtin(), *learned;
	struct vg_profile_set *s;
	char alerts[4096];

	begin(cap_path);
	web_scenario();
	web_uring_scenario();
	db_scenario();
	end();
	ck_assert_int_gt(replay(cap_path, builtin, alerts, sizeof(alerts)), 8);
	ck_assert_msg(strstr(alerts, "container_io_uring io_uring\n"), "%s", alerts);
	ck_assert_msg(strstr(alerts, "container_rootfs_write /etc/passwd\n"), "%s", alerts);
	ck_assert_msg(strstr(alerts, "container_rootfs_write /opt/app/conf\n"), "%s", alerts);
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	learned = policy_of(s);
	ck_assert_uint_eq(learned->n_containers, 2);
	ck_assert_str_eq(learned->containers[0].match.name, "web");
	ck_assert(learned->containers[0].allow_io_uring && !learned->containers[1].allow_io_uring);
	/* writes by relative path are the one thing no policy can allow */
	ck_assert_int_eq(replay(cap_path, learned, alerts, sizeof(alerts)), 1);
	ck_assert_str_eq(alerts, "container_rootfs_write pg.pid\n");
	vg_profile_set_free(s);
	vg_policy_free(learned);

	/* the same by image: merged entries match on the image */
	s = derive(cap_path, NULL, VG_PROFILE_BY_IMAGE);
	learned = policy_of(s);
	ck_assert_str_eq(learned->containers[0].match.image, "localhost/app:1");
	ck_assert_int_eq(replay(cap_path, learned, alerts, sizeof(alerts)), 1);
	vg_profile_set_free(s);
	vg_policy_free(learned);
	vg_policy_free(builtin);
}
END_TEST

START_TEST(new_behaviour_still_alerts)
{
	static const __u32 before[4] = {1000, 1000, 1000, 1000}, after[4] = {0, 0, 0, 0};
	struct vg_profile_set *s;
	struct vg_policy *learned;
	char path2[160], alerts[4096];

	begin(cap_path);
	web_scenario();
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	learned = policy_of(s);
	vg_profile_set_free(s);

	/* the same container, then everything it had not done */
	snprintf(path2, sizeof(path2), "%s/second.vcap", tmpdir);
	begin(path2);
	web_scenario();
	put(capable(10, NR_CAP_NET_RAW, 0, VIGIL_CAP_AUDITED), WEB_CG, 0);
	put(rec_connect_inet(rec, 10, AF_INET, "10.0.0.5", 5433), WEB_CG, 0);
	put(rec_connect_inet(rec, 10, AF_INET, "10.0.0.7", 5432), WEB_CG, 0);
	put(write_ret(10, VIGIL_WRITE_OPEN, "/var/cache/app/y", NULL, VIGIL_ROOTFS_YES, 3), WEB_CG,
	    0);
	put(exec_as(12, "/bin/rootly", 0, 0, 3, 0), WEB_CG, 0);
	put(rec_mount(rec, 10, VIGIL_SYS_MOUNT, "tmpfs", "/mnt", "tmpfs", 0), WEB_CG, 0);
	put(rec_setid(rec, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 10, 0, before, after), WEB_CG, 0);
	put(rec_connect_unix(rec, 10, "/run/containerd/containerd.sock", false), WEB_CG, 0);
	put(rec_io_uring(rec, 10, 5, 8, 0), WEB_CG, 0);
	end();
	ck_assert_int_eq(replay(path2, learned, alerts, sizeof(alerts)), 9);
	ck_assert_str_eq(alerts, "container_capability_use CAP_NET_RAW\n"
				 "container_unexpected_egress 10.0.0.5:5433\n"
				 "container_unexpected_egress 10.0.0.7:5432\n"
				 "container_rootfs_write /var/cache/app/y\n"
				 "container_root_exec /bin/rootly\n"
				 "container_mount /mnt\n"
				 "container_privilege_escalation /bin/sh\n"
				 "container_sensitive_socket /run/containerd/containerd.sock\n"
				 "container_io_uring io_uring\n");
	vg_policy_free(learned);
}
END_TEST

/* A name two containers share would let one's entry cover the other: the id is used. */
START_TEST(entries_match_only_their_container)
{
	struct vg_profile_set *s;
	struct vg_policy *learned;
	char alerts[1024];

	begin(cap_path);
	put_container(WEB_ID, "app", "localhost/app:1", WEB_CG, NULL);
	put(exec_as(10, "/bin/sh", 0, 0, 1, 0), WEB_CG, 0);
	put_container(WEB2_ID, "app", "localhost/app:1", WEB2_CG, NULL);
	put(exec_as(40, "/bin/sh", 1000, 1000, 1, 0), WEB2_CG, 0);
	put_container(DB_ID, "a*[b]?", "img", DB_CG, NULL);
	put(exec_as(50, "/bin/sh", 1000, 1000, 1, 0), DB_CG, 0);
	end();
	s = derive(cap_path, WEB2_ID, VG_PROFILE_BY_CONTAINER);
	learned = policy_of(s);
	ck_assert_ptr_null(learned->containers[0].match.name);
	ck_assert_str_eq(learned->containers[0].match.id, WEB2_ID);
	/* the other "app" ran as root and is not covered by web-2's entry */
	ck_assert_int_eq(replay(cap_path, learned, alerts, sizeof(alerts)), 1);
	ck_assert_str_eq(alerts, "container_root_exec /bin/sh\n");
	vg_policy_free(learned);
	vg_profile_set_free(s);

	/* glob characters in a name are matched literally */
	s = derive(cap_path, DB_ID, VG_PROFILE_BY_CONTAINER);
	learned = policy_of(s);
	ck_assert_str_eq(learned->containers[0].match.name, "a\\*\\[b\\]\\?");
	ck_assert(vg_policy_match_fits(&learned->containers[0].match, &s->v[0].containers[0]));
	ck_assert(!vg_policy_match_fits(&learned->containers[0].match, &s->seen[0]));
	vg_policy_free(learned);
	vg_profile_set_free(s);
}
END_TEST

/* Processes that all predate the capture: no exec, so no user to set, and none guessed. */
START_TEST(unknown_user_is_not_guessed)
{
	struct vg_profile_set *s;
	struct json_object *docs, *sc;
	char *text;

	begin(cap_path);
	put_container(WEB_ID, "web", "localhost/app:1", WEB_CG, NULL);
	put(capable(10, NR_CAP_CHOWN, 0, VIGIL_CAP_AUDITED), WEB_CG, 0);
	end();
	s = derive(cap_path, NULL, VG_PROFILE_BY_CONTAINER);
	ck_assert(!s->v[0].entry_known);
	text = render(s, VG_PROFILE_K8S);
	docs = yaml_documents(text);
	sc = AT(docs, "#0", "spec", "containers", "#0", "securityContext");
	ck_assert(!json_object_object_get_ex(sc, "runAsNonRoot", NULL));
	ck_assert(!json_object_object_get_ex(sc, "runAsUser", NULL));
	ck_assert_msg(strstr(text, "the user it runs as is unknown"), "%s", text);
	json_object_put(docs);
	free(text);
	text = render(s, VG_PROFILE_COMPOSE);
	docs = yaml_documents(text);
	ck_assert(!json_object_object_get_ex(AT(docs, "#0", "services", "web"), "user", NULL));
	json_object_put(docs);
	free(text);
	vg_profile_set_free(s);
}
END_TEST

START_TEST(format_names)
{
	ck_assert_int_eq(vg_profile_format_parse("compose"), VG_PROFILE_COMPOSE);
	ck_assert_int_eq(vg_profile_format_parse("docker-run"), VG_PROFILE_DOCKER_RUN);
	ck_assert_int_eq(vg_profile_format_parse("k8s"), VG_PROFILE_K8S);
	ck_assert_int_eq(vg_profile_format_parse("seccomp"), VG_PROFILE_SECCOMP);
	ck_assert_int_eq(vg_profile_format_parse("policy"), VG_PROFILE_POLICY);
	ck_assert_int_eq(vg_profile_format_parse("json"), VG_PROFILE_JSON);
	ck_assert_int_eq(vg_profile_format_parse("yaml"), -1);
	ck_assert_int_eq(vg_profile_format_parse(""), -1);
}
END_TEST

static Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *derive_tc = tcase_create("derive"), *formats = tcase_create("formats");
	TCase *promise = tcase_create("promise");

	tcase_add_checked_fixture(derive_tc, setup, teardown);
	tcase_add_test(derive_tc, only_the_containers_own_behaviour);
	tcase_add_test(derive_tc, evidence_names_programs_times_and_counts);
	tcase_add_test(derive_tc, privilege_mounts_root_and_relative_writes);
	tcase_add_test(derive_tc, dropping_privileges_is_not_a_privilege_change);
	tcase_add_test(derive_tc, first_event_before_its_container_record);
	tcase_add_test(derive_tc, container_filter_and_by_image);
	tcase_add_test(derive_tc, syscall_records_are_checked);
	suite_add_tcase(s, derive_tc);
	tcase_add_checked_fixture(formats, setup, teardown);
	tcase_set_timeout(formats, 30); /* PyYAML starts in a second or so */
	tcase_add_test(formats, compose_is_a_service_fragment);
	tcase_add_test(formats, k8s_objects_have_their_kinds_and_fields);
	tcase_add_test(formats, seccomp_allows_exactly_the_calls_seen);
	tcase_add_test(formats, docker_run_flags);
	tcase_add_test(formats, json_lists_every_value_with_evidence);
	tcase_add_test(formats, hostile_strings_are_quoted);
	tcase_add_test(formats, unknown_user_is_not_guessed);
	tcase_add_test(formats, format_names);
	suite_add_tcase(s, formats);
	tcase_add_checked_fixture(promise, setup, teardown);
	tcase_add_test(promise, replaying_under_the_derived_policy_is_silent);
	tcase_add_test(promise, new_behaviour_still_alerts);
	tcase_add_test(promise, entries_match_only_their_container);
	suite_add_tcase(s, promise);
	return s;
}

VIGIL_TEST_MAIN(profile_suite)
