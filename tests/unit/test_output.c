// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering (src/output.c): each event type's JSON object has the shape SPEC ("JSON output")
 * fixes, read back with a strict, UTF-8 validating parser; alerts and repeat lines too; bytes
 * that are not UTF-8 become U+FFFD; the text format is one line per event or alert, whatever
 * the strings it prints contain; times are RFC 3339 UTC with nanoseconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <json-c/json.h>

#include "unit.h"
#include "records.h"
#include "container.h"
#include "event.h"
#include "jsonw.h"
#include "output.h"
#include "proctab.h"
#include "rules.h"

#define CONTAINER_ID "4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"
#define BOOT_WALL_NS (1700000000ULL * 1000000000ULL) /* boot at 2023-11-14T22:13:20Z */
#define REC_TIME     "2023-11-14T22:13:25.000000123Z" /* REC_TIME_NS after boot */
#define FFFD	     "\xef\xbf\xbd"

static REC_BUF(buf);
static struct vg_event ev;
static struct vg_output o;
static char *out;
static size_t out_len;
static struct json_object *parsed;

static const char sh_args[] = "sh\0-c\0id"; /* sizeof: 9 */

static struct vg_process sh = {
	.pid = 4121,
	.start_time = 1000,
	.vpid = 1,
	.ppid = 4100,
	.uid = 0,
	.euid = 0,
	.gid = 0,
	.cgroup_id = REC_CGROUP_ID,
	.comm = "sh",
	.exe = "/bin/sh",
	.args = (char *)sh_args,
	.args_len = sizeof(sh_args),
	.argc = 3,
};

static struct vg_container web = {
	.cgroup_id = REC_CGROUP_ID,
	.id = CONTAINER_ID,
	.runtime = VG_RT_PODMAN,
	.name = "web",
	.image = "localhost/app:1",
};

static void setup(void)
{
	memset(&o, 0, sizeof(o));
	o.f = open_memstream(&out, &out_len);
	ck_assert_ptr_nonnull(o.f);
	o.format = VG_FORMAT_JSON;
	o.boot_wall_ns = BOOT_WALL_NS;
}

static void teardown(void)
{
	fclose(o.f);
	free(out);
	out = NULL;
	if (parsed)
		json_object_put(parsed);
	parsed = NULL;
}

static const struct vg_event *decode(size_t n)
{
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(vg_event_decode(buf, n, &ev), 0);
	return &ev;
}

/* What was written so far, with the number of lines it has (each ends with '\n'). */
static const char *written(int *lines)
{
	fflush(o.f);
	*lines = 0;
	for (size_t i = 0; i < out_len; i++)
		*lines += out[i] == '\n';
	ck_assert_msg(out_len > 0 && out[out_len - 1] == '\n', "output not ended by a newline");
	return out;
}

/* The one line written, parsed as strict JSON with valid UTF-8. */
static struct json_object *one_object(void)
{
	struct json_tokener *tok = json_tokener_new();
	int lines;
	const char *s = written(&lines);

	ck_assert_int_eq(lines, 1);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	parsed = json_tokener_parse_ex(tok, s, (int)out_len - 1);
	ck_assert_msg(parsed, "not JSON (%s): %s",
		      json_tokener_error_desc(json_tokener_get_error(tok)), s);
	ck_assert_uint_eq(json_tokener_get_parse_end(tok), out_len - 1);
	json_tokener_free(tok);
	ck_assert(json_object_is_type(parsed, json_type_object));
	return parsed;
}

static struct json_object *event_json(const struct vg_process *p, const struct vg_container *c)
{
	ck_assert_int_eq(vg_output_event(&o, &ev, p, c), 0);
	return one_object();
}

/* The member key of obj, which must exist (its value may be null). */
static struct json_object *get(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(obj, key, &v), "no key \"%s\" in %s", key,
		      json_object_to_json_string(obj));
	return v;
}

static void has_no(struct json_object *obj, const char *key)
{
	ck_assert_msg(!json_object_object_get_ex(obj, key, NULL), "unexpected key \"%s\"", key);
}

static const char *str(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	ck_assert_msg(json_object_is_type(v, json_type_string), "\"%s\" not a string", key);
	return json_object_get_string(v);
}

static long long num(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	ck_assert_msg(json_object_is_type(v, json_type_int), "\"%s\" not an integer", key);
	return json_object_get_int64(v);
}

static bool boolean(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	ck_assert_msg(json_object_is_type(v, json_type_boolean), "\"%s\" not a boolean", key);
	return json_object_get_boolean(v);
}

static struct json_object *object(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	ck_assert_msg(json_object_is_type(v, json_type_object), "\"%s\" not an object", key);
	return v;
}

static void is_rfc3339_ns(const char *s)
{
	regex_t re;

	ck_assert_int_eq(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
				      "\\.[0-9]{9}Z$",
				 REG_EXTENDED | REG_NOSUB),
			 0);
	ck_assert_msg(regexec(&re, s, 0, NULL, 0) == 0, "not RFC 3339 with ns: %s", s);
	regfree(&re);
}

/* The common part of every event object (SPEC "An event"). */
static void check_event_common(struct json_object *e, const char *type)
{
	ck_assert_str_eq(str(e, "kind"), "event");
	is_rfc3339_ns(str(e, "time"));
	ck_assert_str_eq(str(e, "time"), REC_TIME);
	ck_assert_str_eq(str(e, "type"), type);
	ck_assert_int_eq(num(e, "cgroup_id"), REC_CGROUP_ID);
	object(e, "process");
	get(e, "container");
}

static void check_web(struct json_object *c)
{
	ck_assert(json_object_is_type(c, json_type_object));
	ck_assert_str_eq(str(c, "id"), CONTAINER_ID);
	ck_assert_str_eq(str(c, "runtime"), "podman");
	ck_assert_str_eq(str(c, "name"), "web");
	ck_assert_str_eq(str(c, "image"), "localhost/app:1");
}

/* SPEC's process object, for the process sh above. */
static void check_sh(struct json_object *p)
{
	struct json_object *args = get(p, "args");

	ck_assert_int_eq(num(p, "pid"), 4121);
	ck_assert_int_eq(num(p, "vpid"), 1);
	ck_assert_int_eq(num(p, "ppid"), 4100);
	ck_assert_int_eq(num(p, "uid"), 0);
	ck_assert_int_eq(num(p, "euid"), 0);
	ck_assert_int_eq(num(p, "gid"), 0);
	ck_assert_str_eq(str(p, "comm"), "sh");
	ck_assert_str_eq(str(p, "exe"), "/bin/sh");
	ck_assert(json_object_is_type(args, json_type_array));
	ck_assert_uint_eq(json_object_array_length(args), 3);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(args, 0)), "sh");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(args, 1)), "-c");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(args, 2)), "id");
}

/* ---- events ---- */

START_TEST(exec_event_shape)
{
	struct json_object *e;

	decode(rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args)));
	e = event_json(&sh, &web);
	check_event_common(e, "exec");
	check_sh(object(e, "process"));
	check_web(get(e, "container"));
}
END_TEST

START_TEST(host_process_container_null)
{
	struct json_object *e;

	decode(rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args)));
	e = event_json(&sh, NULL);
	check_event_common(e, "exec");
	ck_assert(json_object_is_type(get(e, "container"), json_type_null));
}
END_TEST

/* Without a table entry, an exec event's process comes from the record itself. */
START_TEST(exec_event_without_table_entry_uses_record)
{
	struct vigil_exec *x = (void *)buf;
	size_t n = rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args));

	x->vpid = 1;
	x->ppid = 4100;
	x->uid = x->euid = x->gid = 0;
	decode(n);
	check_sh(object(event_json(NULL, &web), "process"));
}
END_TEST

/* setresuid(-1, 0, 0) from uid 1000: uid unchanged is -1, euid the new 0. */
START_TEST(setuid_event_shape)
{
	static const __u32 old_ids[4] = { 1000, 1000, 1000, 1000 }, new_ids[4] = { 1000, 0, 0, 0 };
	struct json_object *e, *s;

	decode(rec_setid(buf, VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 4121, 0, old_ids, new_ids));
	e = event_json(&sh, &web);
	check_event_common(e, "setuid");
	s = object(e, "setuid");
	ck_assert_str_eq(str(s, "syscall"), "setresuid");
	ck_assert_int_eq(num(s, "uid"), -1);
	ck_assert_int_eq(num(s, "euid"), 0);
}
END_TEST

START_TEST(setgid_event_shape)
{
	static const __u32 old_ids[4] = { 1000, 1000, 1000, 1000 }, new_ids[4] = { 0, 0, 0, 0 };
	struct json_object *e, *s;

	decode(rec_setid(buf, VIGIL_EVENT_SETGID, VIGIL_SYS_SETGID, 4121, 0, old_ids, new_ids));
	e = event_json(&sh, &web);
	check_event_common(e, "setgid");
	has_no(e, "setuid");
	s = object(e, "setgid");
	ck_assert_str_eq(str(s, "syscall"), "setgid");
	ck_assert_int_eq(num(s, "gid"), 0);
	ck_assert_int_eq(num(s, "egid"), 0);
	has_no(s, "uid");
}
END_TEST

/* A failed call changed nothing: every id is -1. */
START_TEST(failed_setuid_shows_no_change)
{
	static const __u32 ids[4] = { 1000, 1000, 1000, 1000 };
	struct json_object *s;

	decode(rec_setid(buf, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 4121, -EPERM, ids, ids));
	s = object(event_json(&sh, &web), "setuid");
	ck_assert_int_eq(num(s, "uid"), -1);
	ck_assert_int_eq(num(s, "euid"), -1);
}
END_TEST

START_TEST(capability_event_shape)
{
	struct json_object *e, *c;

	decode(rec_capable(buf, 4121, 13, 0));
	e = event_json(&sh, &web);
	check_event_common(e, "capable");
	c = object(e, "capability");
	ck_assert_str_eq(str(c, "name"), "CAP_NET_RAW");
	ck_assert_int_eq(num(c, "number"), 13);
	ck_assert(boolean(c, "granted"));
}
END_TEST

START_TEST(capability_denied_not_granted)
{
	struct json_object *c;

	decode(rec_capable(buf, 4121, 21, -EPERM));
	c = object(event_json(&sh, &web), "capability");

	ck_assert_str_eq(str(c, "name"), "CAP_SYS_ADMIN");
	ck_assert(!boolean(c, "granted"));
}
END_TEST

START_TEST(mount_event_shape)
{
	struct json_object *e, *m;

	decode(rec_mount(buf, 4121, VIGIL_SYS_MOUNT, "/dev/sda1", "/mnt", "ext4", 0));
	e = event_json(&sh, &web);
	check_event_common(e, "mount");
	m = object(e, "mount");
	ck_assert_str_eq(str(m, "source"), "/dev/sda1");
	ck_assert_str_eq(str(m, "target"), "/mnt");
	ck_assert_str_eq(str(m, "fstype"), "ext4");
	ck_assert_int_eq(num(m, "flags"), 0);
}
END_TEST

START_TEST(connect_inet_shape)
{
	struct json_object *e, *c;

	decode(rec_connect_inet(buf, 4121, AF_INET, "93.184.216.34", 443));
	e = event_json(&sh, &web);
	check_event_common(e, "connect");
	c = object(e, "connect");
	ck_assert_str_eq(str(c, "family"), "inet");
	ck_assert_str_eq(str(c, "address"), "93.184.216.34");
	ck_assert_int_eq(num(c, "port"), 443);
	has_no(c, "path");
}
END_TEST

START_TEST(connect_inet6_shape)
{
	struct json_object *c;

	decode(rec_connect_inet(buf, 4121, AF_INET6, "2001:db8::1", 8443));
	c = object(event_json(&sh, &web), "connect");
	ck_assert_str_eq(str(c, "family"), "inet6");
	ck_assert_str_eq(str(c, "address"), "2001:db8::1");
	ck_assert_int_eq(num(c, "port"), 8443);
}
END_TEST

START_TEST(connect_unix_shape)
{
	struct json_object *c;

	decode(rec_connect_unix(buf, 4121, "/var/run/docker.sock", false));
	c = object(event_json(&sh, &web), "connect");
	ck_assert_str_eq(str(c, "family"), "unix");
	ck_assert_str_eq(str(c, "path"), "/var/run/docker.sock");
	has_no(c, "address");
	has_no(c, "port");
}
END_TEST

/* An abstract name is shown after '@', whole, up to the longest sun_path allows (107 bytes). */
START_TEST(connect_unix_abstract_whole_name)
{
	char name[VIGIL_UNIX_PATH_MAX], want[VIGIL_UNIX_PATH_MAX + 2];
	struct json_object *c;

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	snprintf(want, sizeof(want), "@%s", name);
	decode(rec_connect_unix(buf, 4121, name, true));
	c = object(event_json(&sh, &web), "connect");
	ck_assert_str_eq(str(c, "family"), "unix");
	ck_assert_str_eq(str(c, "path"), want);
}
END_TEST

START_TEST(write_event_shape)
{
	struct json_object *e, *f;

	decode(rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/etc/passwd", NULL,
			 O_WRONLY | O_CREAT | O_TRUNC, VIGIL_ROOTFS_YES));
	e = event_json(&sh, &web);
	check_event_common(e, "write");
	f = object(e, "file");
	ck_assert_str_eq(str(f, "path"), "/etc/passwd");
	ck_assert_str_eq(str(f, "flags"), "O_WRONLY|O_CREAT|O_TRUNC");
	ck_assert(boolean(f, "rootfs"));
}
END_TEST

START_TEST(write_off_rootfs_is_false)
{
	struct json_object *f;

	decode(rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/data/x", NULL, O_WRONLY, VIGIL_ROOTFS_NO));
	f = object(event_json(&sh, &web), "file");
	ck_assert(!boolean(f, "rootfs"));
}
END_TEST

START_TEST(write_rename_shows_both_paths)
{
	struct json_object *f;

	decode(rec_write(buf, 4121, VIGIL_WRITE_RENAME, "/etc/a", "/etc/b", 0, VIGIL_ROOTFS_YES));
	f = object(event_json(&sh, &web), "file");
	ck_assert_str_eq(str(f, "path"), "/etc/a");
	ck_assert_str_eq(str(f, "new_path"), "/etc/b");
}
END_TEST

/* Another event's object: what was written and parsed before is dropped. */
static struct json_object *fresh_event_json(const struct vg_process *p,
					    const struct vg_container *c)
{
	if (parsed)
		json_object_put(parsed);
	parsed = NULL;
	fclose(o.f);
	free(out);
	out = NULL;
	o.f = open_memstream(&out, &out_len);
	ck_assert_ptr_nonnull(o.f);
	return event_json(p, c);
}

static bool has(struct json_object *obj, const char *key)
{
	return json_object_object_get_ex(obj, key, NULL);
}

START_TEST(write_second_resolved_paths_shown)
{
	/* Proves the write object shows resolved paths with what was passed beside them: a
	 * rename's new_path/new_path_passed, a link's target/target_passed, a symlink's target
	 * (its text, never resolved), path_joined for joined paths, and via io_uring. */
	struct json_object *f;
	struct vigil_write *w = (void *)buf;

	rec_write(buf, 4121, VIGIL_WRITE_RENAME, "x", "../etc/x", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/x");
	decode(rec_write_resolved2(buf, VIGIL_PATH_JOINED, "/etc/x"));
	f = object(fresh_event_json(&sh, &web), "file");
	ck_assert_str_eq(str(f, "path"), "/tmp/x");
	ck_assert_str_eq(str(f, "path_passed"), "x");
	ck_assert(boolean(f, "path_joined"));
	ck_assert_str_eq(str(f, "new_path"), "/etc/x");
	ck_assert_str_eq(str(f, "new_path_passed"), "../etc/x");
	ck_assert_str_eq(str(f, "op"), "rename");
	ck_assert(!has(f, "via") && !has(f, "target"));

	rec_write(buf, 4121, VIGIL_WRITE_LINK, "/tmp/pw", "pw", 0, VIGIL_ROOTFS_YES);
	w->hdr.flags |= VIGIL_F_IO_URING;
	w->ret = -EINPROGRESS;
	decode(rec_write_resolved2(buf, 0, "/etc/passwd"));
	f = object(fresh_event_json(&sh, &web), "file");
	ck_assert_str_eq(str(f, "path"), "/tmp/pw");
	ck_assert(!has(f, "path_passed") && !has(f, "path_joined") && !has(f, "new_path"));
	ck_assert_str_eq(str(f, "target"), "/etc/passwd");
	ck_assert_str_eq(str(f, "target_passed"), "pw");
	ck_assert_str_eq(str(f, "op"), "link");
	ck_assert_str_eq(str(f, "via"), "io_uring");

	decode(rec_write(buf, 4121, VIGIL_WRITE_SYMLINK, "/tmp/s", "../etc/shadow", 0,
			 VIGIL_ROOTFS_YES));
	f = object(fresh_event_json(&sh, &web), "file");
	ck_assert_str_eq(str(f, "path"), "/tmp/s");
	ck_assert_str_eq(str(f, "target"), "../etc/shadow");
	ck_assert(!has(f, "target_passed"));
	ck_assert_str_eq(str(f, "op"), "symlink");
}
END_TEST

START_TEST(io_uring_event_shape)
{
	/* Proves SPEC's extension object: "type":"io_uring" with op, fd, sq_entries, sqpoll and
	 * the raw setup flags. */
	struct json_object *e, *u;

	decode(rec_io_uring(buf, 4121, 5, 256, VG_IORING_SETUP_SQPOLL | 1u));
	e = event_json(&sh, &web);
	check_event_common(e, "io_uring");
	u = object(e, "io_uring");
	ck_assert_str_eq(str(u, "op"), "create");
	ck_assert_int_eq(num(u, "fd"), 5);
	ck_assert_int_eq(num(u, "sq_entries"), 256);
	ck_assert(boolean(u, "sqpoll"));
	ck_assert_int_eq(num(u, "setup_flags"), 3);
	decode(rec_io_uring(buf, 4121, 6, 8, 0));
	ck_assert(!boolean(object(fresh_event_json(&sh, &web), "io_uring"), "sqpoll"));
}
END_TEST

START_TEST(fork_and_exit_event_types)
{
	struct json_object *e;

	decode(rec_fork(buf, 4121, 1000, 4122, 2000, 2));
	e = event_json(&sh, &web);
	check_event_common(e, "fork");
	ck_assert_int_eq(num(object(e, "fork"), "child_pid"), 4122);
	json_object_put(parsed);
	parsed = NULL;
	fclose(o.f);
	free(out);
	o.f = open_memstream(&out, &out_len);

	decode(rec_exit(buf, 4121, 1000, 256));
	e = event_json(&sh, &web);
	check_event_common(e, "exit");
	ck_assert_int_eq(num(object(e, "exit"), "code"), 1);
	ck_assert(json_object_is_type(get(object(e, "exit"), "signal"), json_type_null));
}
END_TEST

/*
 * An exit reads as users read it: `grep` exiting 1 is code 1 (not the raw status 256), a
 * process killed by SIGTERM has signal 15 and no code, one killed by SIGSEGV with a core dump
 * says so.
 */
START_TEST(exit_code_and_signal_apart)
{
	struct json_object *e, *x;

	decode(rec_exit(buf, 4121, 1000, 15));
	e = event_json(&sh, &web);
	x = object(e, "exit");
	ck_assert(json_object_is_type(get(x, "code"), json_type_null));
	ck_assert_int_eq(num(x, "signal"), 15);
	ck_assert(!json_object_object_get_ex(x, "core_dumped", NULL));
	json_object_put(parsed);
	parsed = NULL;
	fclose(o.f);
	free(out);
	o.f = open_memstream(&out, &out_len);

	decode(rec_exit(buf, 4121, 1000, 0x80 | 11));
	e = event_json(&sh, &web);
	x = object(e, "exit");
	ck_assert_int_eq(num(x, "signal"), 11);
	ck_assert(boolean(x, "core_dumped"));
}
END_TEST

/* ---- alerts and repeats ---- */

static struct vg_alert root_exec = {
	.rule = "container_root_exec",
	.severity = VG_SEV_MEDIUM,
	.mitre = { "T1611", NULL },
	.key = "/bin/sh",
	.message = "process /bin/sh ran as root in container web (localhost/app:1)",
};

START_TEST(alert_shape)
{
	struct json_object *a, *mitre, *e;

	decode(rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args)));
	ck_assert_int_eq(vg_output_alert(&o, &root_exec, &ev, &sh, &web), 0);
	a = one_object();
	ck_assert_str_eq(str(a, "kind"), "alert");
	ck_assert_str_eq(str(a, "time"), REC_TIME);
	ck_assert_str_eq(str(a, "rule"), "container_root_exec");
	ck_assert_str_eq(str(a, "severity"), "medium");
	ck_assert_str_eq(str(a, "message"), root_exec.message);
	mitre = get(a, "mitre");
	ck_assert(json_object_is_type(mitre, json_type_array));
	ck_assert_uint_eq(json_object_array_length(mitre), 1);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(mitre, 0)), "T1611");
	check_web(get(a, "container"));
	check_sh(object(a, "process"));
	e = object(a, "event");
	check_event_common(e, "exec");
	check_sh(object(e, "process"));
}
END_TEST

/* The alert's process lists its ancestors in the container, from the table. */
START_TEST(alert_process_ancestry)
{
	struct vg_proctab *t = vg_proctab_new(0);
	struct vigil_exec *x = (void *)buf;
	const struct vg_process *p;
	struct json_object *anc;
	size_t n;

	n = rec_exec(buf, 4100, 900, "/usr/bin/init", "init", 5);
	x->vpid = 1;
	vg_proctab_apply(t, decode(n));
	n = rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args));
	x->ppid = 4100;
	x->parent_start_time = 900;
	x->vpid = 2;
	p = vg_proctab_apply(t, decode(n));
	o.procs = t;
	ck_assert_int_eq(vg_output_alert(&o, &root_exec, &ev, p, &web), 0);
	anc = get(object(one_object(), "process"), "ancestry");
	ck_assert_uint_eq(json_object_array_length(anc), 1);
	ck_assert_int_eq(num(json_object_array_get_idx(anc, 0), "pid"), 4100);
	ck_assert_str_eq(str(json_object_array_get_idx(anc, 0), "exe"), "/usr/bin/init");
	vg_proctab_free(t);
}
END_TEST

START_TEST(alert_host_container_null)
{
	decode(rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args)));
	ck_assert_int_eq(vg_output_alert(&o, &root_exec, &ev, &sh, NULL), 0);
	ck_assert(json_object_is_type(get(one_object(), "container"), json_type_null));
}
END_TEST

START_TEST(repeat_shape)
{
	struct json_object *r;

	ck_assert_int_eq(vg_output_repeat(&o, REC_TIME_NS, "container_root_exec", CONTAINER_ID,
					  "/bin/sh", 41),
			 0);
	r = one_object();
	ck_assert_str_eq(str(r, "kind"), "repeat");
	ck_assert_str_eq(str(r, "time"), REC_TIME);
	ck_assert_str_eq(str(r, "rule"), "container_root_exec");
	ck_assert_str_eq(str(r, "container_id"), CONTAINER_ID);
	ck_assert_str_eq(str(r, "key"), "/bin/sh");
	ck_assert_int_eq(num(r, "count"), 41);
}
END_TEST

/* A stream that can't be written: the error is reported, not swallowed. */
START_TEST(write_error_reported)
{
	FILE *ro = fopen("/dev/null", "r"), *mem = o.f;

	ck_assert_ptr_nonnull(ro);
	decode(rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args)));
	o.f = ro;
	ck_assert_int_eq(vg_output_event(&o, &ev, &sh, &web), -1);
	o.format = VG_FORMAT_TEXT;
	ck_assert_int_eq(vg_output_event(&o, &ev, &sh, &web), -1);
	fclose(ro);
	o.f = mem;
}
END_TEST

/* ---- UTF-8 ---- */

START_TEST(invalid_utf8_path_replaced)
{
	struct json_object *f;

	decode(rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/\xff\xfe-\xc3", NULL, O_WRONLY,
			 VIGIL_ROOTFS_YES));
	f = object(event_json(&sh, &web), "file");
	ck_assert_str_eq(str(f, "path"), "/tmp/" FFFD FFFD "-" FFFD);
}
END_TEST

START_TEST(invalid_utf8_argument_replaced)
{
	static const char args[] = "sh\0caf\xc3\xa9\0\x80x";
	struct vg_process p = sh;
	struct json_object *a;

	p.args = (char *)args;
	p.args_len = sizeof(args);
	decode(rec_exec(buf, 4121, 1000, "/bin/sh", args, sizeof(args)));
	a = get(object(event_json(&p, &web), "process"), "args");
	ck_assert_uint_eq(json_object_array_length(a), 3);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(a, 1)), "caf\xc3\xa9");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(a, 2)), FFFD "x");
}
END_TEST

static void string_becomes(const char *in, size_t n, const char *want)
{
	struct json_object *s = vg_json_string_len(in, n);

	ck_assert_str_eq(json_object_get_string(s), want);
	json_object_put(s);
}

/* Overlong forms, surrogates, beyond U+10FFFF and cut sequences are replaced; valid kept. */
START_TEST(json_string_utf8_rules)
{
	static const char valid[] = "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"; /* é € 😀 */

	string_becomes(valid, sizeof(valid) - 1, valid);
	string_becomes("\xc0\xaf", 2, FFFD FFFD);
	string_becomes("\xe0\x80\xaf", 3, FFFD FFFD FFFD);
	string_becomes("\xed\xa0\x80", 3, FFFD FFFD FFFD);
	string_becomes("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD);
	string_becomes("a\xe2\x82", 3, "a" FFFD FFFD);
	string_becomes("", 0, "");
}
END_TEST

/* ---- text ---- */

START_TEST(text_one_line_per_event_and_alert)
{
	int lines;
	const char *s;

	o.format = VG_FORMAT_TEXT;
	decode(rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args)));
	ck_assert_int_eq(vg_output_event(&o, &ev, &sh, &web), 0);
	s = written(&lines);
	ck_assert_int_eq(lines, 1);
	ck_assert_ptr_nonnull(strstr(s, REC_TIME));
	ck_assert_ptr_nonnull(strstr(s, "exec"));
	ck_assert_ptr_nonnull(strstr(s, "web"));
	ck_assert_ptr_nonnull(strstr(s, "pid=4121"));
	ck_assert_ptr_nonnull(strstr(s, "/bin/sh -c id"));

	ck_assert_int_eq(vg_output_alert(&o, &root_exec, &ev, &sh, &web), 0);
	s = written(&lines);
	ck_assert_int_eq(lines, 2);
	ck_assert_ptr_nonnull(strstr(s, "container_root_exec"));
	ck_assert_ptr_nonnull(strstr(s, root_exec.message));

	decode(rec_connect_inet(buf, 4121, AF_INET, "10.1.2.3", 53));
	ck_assert_int_eq(vg_output_event(&o, &ev, &sh, NULL), 0);
	s = written(&lines);
	ck_assert_int_eq(lines, 3);
	ck_assert_ptr_nonnull(strstr(s, "10.1.2.3"));

	ck_assert_int_eq(vg_output_repeat(&o, REC_TIME_NS, "container_root_exec", CONTAINER_ID,
					  "/bin/sh", 3),
			 0);
	written(&lines);
	ck_assert_int_eq(lines, 4);
}
END_TEST

/* The text form shows an io_uring event's object and a link's target, by io_uring. */
START_TEST(text_io_uring_and_link)
{
	struct vigil_write *w = (void *)buf;
	int lines;
	const char *s;

	o.format = VG_FORMAT_TEXT;
	decode(rec_io_uring(buf, 4121, 5, 64, VG_IORING_SETUP_SQPOLL));
	ck_assert_int_eq(vg_output_event(&o, &ev, &sh, &web), 0);
	rec_write(buf, 4121, VIGIL_WRITE_LINK, "/tmp/pw", "/etc/passwd", 0, VIGIL_ROOTFS_YES);
	w->hdr.flags |= VIGIL_F_IO_URING;
	decode(w->hdr.size);
	ck_assert_int_eq(vg_output_event(&o, &ev, &sh, &web), 0);
	s = written(&lines);
	ck_assert_int_eq(lines, 2);
	ck_assert_ptr_nonnull(strstr(s, "io_uring "));
	ck_assert_ptr_nonnull(strstr(s, "\"sq_entries\":64"));
	ck_assert_ptr_nonnull(strstr(s, "\"sqpoll\":true"));
	ck_assert_ptr_nonnull(strstr(s, "\"target\":\"/etc/passwd\""));
	ck_assert_ptr_nonnull(strstr(s, "\"via\":\"io_uring\""));
}
END_TEST

/* Strings from the container (exe, arguments, a message built from them) can't add lines. */
START_TEST(text_control_characters_stay_on_one_line)
{
	static const char args[] = "sh\0-c\0\nFAKE ALERT\r\x1b[2J";
	struct vg_process p = sh;
	struct vg_alert a = root_exec;
	int lines;
	const char *s;

	o.format = VG_FORMAT_TEXT;
	p.exe = "/tmp/x\ny";
	p.args = (char *)args;
	p.args_len = sizeof(args);
	decode(rec_exec(buf, 4121, 1000, "/bin/sh", args, sizeof(args)));
	ck_assert_int_eq(vg_output_event(&o, &ev, &p, &web), 0);
	snprintf(a.message, sizeof(a.message), "process /tmp/x\ny ran as root");
	snprintf(a.key, sizeof(a.key), "/tmp/x\ny");
	ck_assert_int_eq(vg_output_alert(&o, &a, &ev, &p, &web), 0);
	ck_assert_int_eq(vg_output_repeat(&o, 1, a.rule, CONTAINER_ID, a.key, 2), 0);
	s = written(&lines);
	ck_assert_int_eq(lines, 3);
	ck_assert_ptr_null(strchr(s, '\r'));
	ck_assert_ptr_null(strchr(s, '\x1b'));
	ck_assert_ptr_nonnull(strstr(s, "FAKE ALERT"));
}
END_TEST

/* ---- time ---- */

START_TEST(format_time_exact)
{
	char when[48];

	vg_format_time(REC_TIME_NS, BOOT_WALL_NS, when, sizeof(when));
	ck_assert_str_eq(when, REC_TIME);
	vg_format_time(0, 0, when, sizeof(when));
	ck_assert_str_eq(when, "1970-01-01T00:00:00.000000000Z");
	/* nanoseconds carry into seconds: 0.6 s + 0.4 s after a boot at x.6 */
	vg_format_time(400000000ULL, BOOT_WALL_NS + 86400ULL * 1000000000ULL + 600000000ULL, when,
		       sizeof(when));
	ck_assert_str_eq(when, "2023-11-15T22:13:21.000000000Z");
	vg_format_time(999999999ULL, BOOT_WALL_NS, when, sizeof(when));
	ck_assert_str_eq(when, "2023-11-14T22:13:20.999999999Z");
}
END_TEST

START_TEST(format_parse)
{
	ck_assert_int_eq(vg_format_parse("text"), VG_FORMAT_TEXT);
	ck_assert_int_eq(vg_format_parse("json"), VG_FORMAT_JSON);
	ck_assert_int_eq(vg_format_parse("JSON"), -1);
	ck_assert_int_eq(vg_format_parse(""), -1);
}
END_TEST

/*
 * ---- the event line against json-c ----
 *
 * vg_output_event() writes JSON lines without json-c. Each must be, byte for byte, json-c's
 * serialisation of vg_event_to_json() (the reference, which alerts and the text format still
 * use) and a newline: for every event type and flag, with and without a table entry and a
 * container, from a thread (tid != pid), in runtime set-up, and through the caches it keeps.
 */

/* The next line vg_output_event() writes is json-c's serialisation of vg_event_to_json(). */
static void line_is_json_c(const struct vg_process *p, const struct vg_container *c)
{
	struct json_object *ref = vg_event_to_json(&o, &ev, p, c);
	const char *want = json_object_to_json_string_ext(ref, VG_JSONW_JSONC_FLAGS);
	size_t before, n = strlen(want);

	fflush(o.f);
	before = out_len;
	ck_assert_int_eq(vg_output_event(&o, &ev, p, c), 0);
	fflush(o.f);
	ck_assert_msg(out_len - before == n + 1 && !memcmp(out + before, want, n) &&
			      out[out_len - 1] == '\n',
		      "line:   %.*s\njson-c: %s", (int)(out_len - before), out + before, want);
	json_object_put(ref);
}

static const char odd_args[] =
	"/x\"y\\z\0-\x01\t\n\f\b\r\x7f/\0caf\xc3\xa9\0\xff\xc3(\0tail-no-nul";

/* A table entry with every optional member, strings that need escaping or replacing. */
static struct vg_process odd = {
	.pid = 4121,
	.start_time = 1000,
	.vpid = 4294967295u,
	.ppid = 0,
	.uid = 4294967294u,
	.euid = 65534,
	.gid = 7,
	.cgroup_id = REC_CGROUP_ID,
	.comm = "a\"b\\c/\x01\x7f\xe2\x82",
	.exe = "/opt/\xe2\x82\xac/\xc0\xaf\"run\"\\\x1b[0m",
	.args = (char *)odd_args,
	.args_len = sizeof(odd_args) - 1, /* the last one without its NUL, as when cut */
	.argc = 5,
	.args_truncated = true,
	.flags = VG_PROC_SETUP | VG_PROC_SNAPSHOT,
};

/* Known from a fork only: no exe, no args. */
static struct vg_process bare = {
	.pid = 4121,
	.vpid = 12,
	.ppid = 4100,
	.uid = 1000,
	.euid = 1000,
	.gid = 1000,
	.comm = "kworker/0:1",
};

/* Every member SPEC has, in strings json-c escapes (container strings are not sanitised). */
static struct vg_container full = {
	.cgroup_id = REC_CGROUP_ID,
	.id = CONTAINER_ID,
	.runtime = VG_RT_CRIO,
	.name = "api/\"v2\"\\\t",
	.image = "quay.io/org/api:1.2",
	.pod = "api-7d9c\xc3\xa9",
	.namespace = "prod",
};

static struct vg_container anonymous = {
	.cgroup_id = REC_CGROUP_ID,
	.id = "lxc-box",
	.runtime = VG_RT_UNKNOWN,
};

static void fast_teardown(void)
{
	vg_container_json_drop(&web);
	vg_container_json_drop(&full);
	vg_container_json_drop(&anonymous);
	teardown();
}

/*
 * The record in buf (decoded) with each table entry and container, from the main thread and
 * from another one, outside and inside runtime set-up: each line as json-c's.
 */
static void all_variants(size_t n)
{
	const struct vg_process *procs[] = { NULL, &sh, &odd, &bare };
	const struct vg_container *containers[] = { NULL, &web, &full, &anonymous };
	struct vigil_event_header *h = (void *)buf;
	const __u32 tid = h->tid;
	const __u32 flags = h->flags;

	decode(n);
	for (int v = 0; v < 4; v++) {
		h->tid = v & 1 ? h->pid + 3 : tid;
		h->flags = v & 2 ? flags | VIGIL_F_SETUP : flags;
		for (size_t i = 0; i < sizeof(procs) / sizeof(procs[0]); i++)
			for (size_t j = 0; j < sizeof(containers) / sizeof(containers[0]); j++)
				line_is_json_c(procs[i], containers[j]);
	}
	h->tid = tid;
	h->flags = flags;
}

/* exec: plain, secureexec, exe and args cut, a start-up snapshot, odd bytes, no args. */
START_TEST(exec_lines_as_json_c)
{
	struct vigil_exec *x = (void *)buf;
	size_t n;

	all_variants(rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args)));
	n = rec_exec(buf, 4121, 1000, "/bin/sh", sh_args, sizeof(sh_args));
	x->exec_flags = VIGIL_EXEC_SECUREEXEC | VIGIL_EXEC_EXE_TRUNC | VIGIL_EXEC_ARGS_TRUNC;
	all_variants(n);
	n = rec_exec(buf, 4121, 1000, NULL, NULL, 0);
	x->hdr.flags = VIGIL_F_SNAPSHOT;
	memcpy(x->comm, "sixteen-chars-xx", 16); /* no NUL in the record's 16 bytes */
	all_variants(n);
	all_variants(rec_exec(buf, 4121, 1000, odd.exe, odd_args, sizeof(odd_args) - 1));
	all_variants(rec_exec(buf, 4121, 1000, "/bin/true", "", 0));
}
END_TEST

START_TEST(fork_exit_lines_as_json_c)
{
	all_variants(rec_fork(buf, 4121, 1000, 4122, 2000, 2));
	all_variants(rec_fork(buf, 4121, 1000, 4294967295u, 2000, 0));
	all_variants(rec_exit(buf, 4121, 1000, 256));
	all_variants(rec_exit(buf, 4121, 1000, 9));
	all_variants(rec_exit(buf, 4121, 1000, 0x80 | 6));
	all_variants(rec_exit(buf, 4121, 1000, -2147483647 - 1));
}
END_TEST

/* setuid and setgid: ids changed or not (-1), a failed call, an unknown system call. */
START_TEST(setid_lines_as_json_c)
{
	static const __u32 old_ids[4] = { 1000, 1000, 1000, 1000 };
	static const __u32 new_ids[4] = { 1000, 0, 4294967295u, 0 };

	all_variants(rec_setid(buf, VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 4121, 0, old_ids,
			       new_ids));
	all_variants(rec_setid(buf, VIGIL_EVENT_SETGID, VIGIL_SYS_SETGID, 4121, 0, old_ids,
			       new_ids));
	all_variants(rec_setid(buf, VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 4121, -EPERM, old_ids,
			       old_ids));
	all_variants(rec_setid(buf, VIGIL_EVENT_SETGID, 99, 4121, 0, old_ids, new_ids));
}
END_TEST

/* Capabilities known and unknown (named CAP_<n>), granted or not, audited or not. */
START_TEST(capability_lines_as_json_c)
{
	static const __u32 caps[] = { 0, 13, 21, VG_CAP_LAST, VG_CAP_LAST + 1, 63, 4294967295u };
	struct vigil_capable *c = (void *)buf;
	size_t n;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		all_variants(rec_capable(buf, 4121, caps[i], 0));
		n = rec_capable(buf, 4121, caps[i], -EPERM);
		c->cap_flags = VIGIL_CAP_AUDITED;
		all_variants(n);
	}
}
END_TEST

/* Mounts: odd strings, flags up to the top bit (negative as an int64), unknown system call. */
START_TEST(mount_lines_as_json_c)
{
	struct vigil_mount *m = (void *)buf;
	size_t n;

	all_variants(rec_mount(buf, 4121, VIGIL_SYS_MOUNT, "/dev/sda1", "/mnt", "ext4", 0));
	all_variants(rec_mount(buf, 4121, VIGIL_SYS_FSMOUNT, "", "/mnt/\"q\"\\\x02\xff", "",
			       MS_RDONLY | MS_NOSUID | MS_BIND));
	n = rec_mount(buf, 4121, 77, "none", "/", "overlay", 1ULL << 63);
	m->ret = -EINVAL;
	all_variants(n);
}
END_TEST

/* connect: IPv4 and IPv6 addresses of every shape, ports at the ends, unix and abstract. */
START_TEST(connect_lines_as_json_c)
{
	static const char *const v4[] = { "0.0.0.0", "255.255.255.255", "1.20.100.9",
					  "10.0.0.7", "93.184.216.34" };
	static const char *const v6[] = { "::", "::1", "2001:db8::1", "::ffff:1.2.3.4",
					  "fe80::1:2:3:4", "1:0:0:1:0:0:0:1",
					  "2001:db8:85a3:8d3:1319:8a2e:370:7348" };
	char name[VIGIL_UNIX_PATH_MAX];
	struct vigil_connect *c = (void *)buf;
	size_t n;

	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		all_variants(rec_connect_inet(buf, 4121, AF_INET, v4[i], (__u16)(i * 8000)));
	n = rec_connect_inet(buf, 4121, AF_INET, "127.0.0.1", 65535);
	c->ret = -ECONNREFUSED;
	all_variants(n);
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		all_variants(rec_connect_inet(buf, 4121, AF_INET6, v6[i], 443));
	all_variants(rec_connect_unix(buf, 4121, "/run/\"d\"\\\x1f\xc3.sock", false));
	all_variants(rec_connect_unix(buf, 4121, "x11-\xe2\x82\xac", true));
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = 0;
	all_variants(rec_connect_unix(buf, 4121, name, true));
}
END_TEST

/* Writes: each op, flags named, unknown and none, rootfs yes, no and unknown (null). */
START_TEST(write_lines_as_json_c)
{
	static const __u32 flags[] = { 0,
				       O_WRONLY | O_CREAT | O_TRUNC,
				       O_RDWR | O_APPEND | O_CLOEXEC,
				       O_TMPFILE | O_RDWR,
				       O_DIRECTORY | O_NOFOLLOW,
				       O_ACCMODE | O_EXCL | O_NOCTTY | O_NONBLOCK | O_DSYNC,
				       O_WRONLY | 0x80000000u,
				       0xffffffffu };
	static const __u32 ops[] = { VIGIL_WRITE_OPEN, VIGIL_WRITE_UNLINK, VIGIL_WRITE_RENAME,
				     VIGIL_WRITE_MKDIR };
	static const __u8 rootfs[] = { VIGIL_ROOTFS_YES, VIGIL_ROOTFS_NO, VIGIL_ROOTFS_UNKNOWN, 7 };

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		for (size_t j = 0; j < sizeof(rootfs) / sizeof(rootfs[0]); j++)
			all_variants(rec_write(buf, 4121, ops[i], "/etc/a\"b\\c/\x01\xff",
					       ops[i] == VIGIL_WRITE_RENAME ? "/etc/\xe2\x82\xac"
									    : NULL,
					       O_WRONLY, rootfs[j]));
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		all_variants(rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/x", NULL, flags[i],
				       VIGIL_ROOTFS_YES));
}
END_TEST

/* Second resolved paths, joined paths, links, symlinks and io_uring's flag and record. */
START_TEST(uring_and_link_lines_as_json_c)
{
	static const __u32 ops[] = { VIGIL_WRITE_RENAME, VIGIL_WRITE_LINK, VIGIL_WRITE_SYMLINK,
				     VIGIL_WRITE_UNLINK };
	struct vigil_write *w = (void *)buf;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		for (int v = 0; v < 4; v++) {
			rec_write(buf, 4121, ops[i], "a\"b", "../etc/\xe2\x82\xac", 0,
				  VIGIL_ROOTFS_YES);
			if (v & 1)
				rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/a\"b");
			if (v & 2)
				rec_write_resolved2(buf, VIGIL_PATH_TRUNC, "/etc/\x01\xff");
			w->hdr.flags |= v == 3 ? VIGIL_F_IO_URING : 0;
			all_variants(w->hdr.size);
		}
	}
	all_variants(rec_io_uring(buf, 4121, 3, 64, VG_IORING_SETUP_SQPOLL));
	all_variants(rec_io_uring(buf, 4121, -1, 0, 0xffffffffu));
}
END_TEST

/*
 * Times: the date to the second is kept while the second lasts. Nanoseconds at both ends,
 * the same second again, the next one, another boot offset, the epoch, a far year.
 */
START_TEST(time_lines_as_json_c)
{
	static const __u64 boot[] = { BOOT_WALL_NS, 0, 4102444800ULL * 1000000000ULL - 1 };
	static const __u64 times[] = { 0,	   1,	       999999999,  1000000000, 1000000001,
				       1999999999, 1000000000, 86399999999999ULL, 86400000000000ULL,
				       REC_TIME_NS };
	struct vigil_event_header *h = (void *)buf;

	decode(rec_exit(buf, 4121, 1000, 0));
	for (size_t b = 0; b < sizeof(boot) / sizeof(boot[0]); b++) {
		o.boot_wall_ns = boot[b];
		for (size_t t = 0; t < sizeof(times) / sizeof(times[0]); t++) {
			h->time_ns = times[t];
			line_is_json_c(&sh, &web);
		}
	}
}
END_TEST

/*
 * The process part is kept per process while every field it shows is unchanged: a change to
 * any of them, made in place as the table makes it (setuid, exec), shows in the next line.
 */
START_TEST(process_changes_show)
{
	static char exe_a[] = "/usr/bin/aaaa", exe_b[] = "/usr/bin/aaab";
	static char args_a[] = "run\0-x", args_b[] = "run\0-y", args_c[] = "run\0-y\0z";
	struct vg_process p = sh;

	decode(rec_capable(buf, 4121, 13, 0));
	p.exe = exe_a;
	p.args = args_a;
	p.args_len = sizeof(args_a);
	line_is_json_c(&p, &web);
	line_is_json_c(&p, &web);
	p.uid = 4242;
	line_is_json_c(&p, &web);
	p.euid = 5;
	line_is_json_c(&p, &web);
	p.gid = 6;
	line_is_json_c(&p, &web);
	p.vpid = 7;
	line_is_json_c(&p, &web);
	p.ppid = 8;
	line_is_json_c(&p, &web);
	p.comm[1] = 'X';
	line_is_json_c(&p, &web);
	p.exe = exe_b; /* same length */
	line_is_json_c(&p, &web);
	exe_b[9] = 'z'; /* same pointer, new bytes */
	line_is_json_c(&p, &web);
	p.args = args_b;
	line_is_json_c(&p, &web);
	args_b[5] = 'q';
	line_is_json_c(&p, &web);
	p.args = args_c;
	p.args_len = sizeof(args_c);
	line_is_json_c(&p, &web);
	p.args_truncated = true;
	line_is_json_c(&p, &web);
	p.flags |= VG_PROC_SETUP;
	line_is_json_c(&p, &web);
	p.flags &= ~VG_PROC_SETUP;
	line_is_json_c(&p, &web);
	p.exe = NULL;
	line_is_json_c(&p, &web);
	p.args = NULL;
	p.args_len = 0;
	line_is_json_c(&p, &web);
	p.exe = exe_a;
	line_is_json_c(&p, &web);
}
END_TEST

/* Many processes, so that several share a slot of the cache: each line still its own. */
START_TEST(many_processes_as_json_c)
{
	enum { N = 700 };
	struct vg_process *procs = calloc(N, sizeof(*procs));
	char (*exes)[32] = calloc(N, 32);

	ck_assert_ptr_nonnull(procs);
	ck_assert_ptr_nonnull(exes);
	decode(rec_exit(buf, 4121, 1000, 0));
	for (int i = 0; i < N; i++) {
		procs[i] = sh;
		snprintf(exes[i], 32, "/bin/p%d", i);
		procs[i].exe = exes[i];
		procs[i].vpid = (__u32)i;
	}
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < N; i++)
			line_is_json_c(&procs[(i * 7 + round) % N], &web);
	free(exes);
	free(procs);
}
END_TEST

/* Open flags, named once per value and kept: values that share a slot each get their own. */
START_TEST(open_flags_as_json_c)
{
	uint64_t seed = 1;

	for (int i = 0; i < 600; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		all_variants(rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/x", NULL,
				       (__u32)(seed >> 32) & (i % 3 ? 0x3ff : 0xffffffffu),
				       VIGIL_ROOTFS_NO));
	}
}
END_TEST

/* The container object kept on the container: built once, the same bytes as json-c's. */
START_TEST(container_text_kept)
{
	const char *a, *b;
	size_t n;

	a = vg_container_json(&full, &n);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(n, strlen(a));
	b = vg_container_json(&full, &n);
	ck_assert_ptr_eq(a, b);
	ck_assert_str_eq(a, json_object_to_json_string_ext(parsed = vg_container_to_json(&full),
							   VG_JSONW_JSONC_FLAGS));
}
END_TEST

/*
 * When a container's fields change, the line shows the new ones: where the code changes them
 * (its metadata loaded again, a capture's record replacing it in the cache, a clear) the kept
 * text is dropped, and a copy does not take it along.
 */
START_TEST(container_changes_show)
{
	struct vg_containers *cs = vg_containers_new(&(struct vg_container_paths){ NULL, NULL });
	struct vg_container c = { .cgroup_id = 77, .runtime = VG_RT_PODMAN }, copy;
	const struct vg_container *found;
	bool is_new;

	ck_assert_ptr_nonnull(cs);
	snprintf(c.id, sizeof(c.id), "%s",
		 "fbe4a7182fdc6a088d3c087e4d3d994582ec9b29af75f8b01d16d9efb3a75ca3");
	decode(rec_exit(buf, 4121, 1000, 0));

	/* metadata loaded (podman's fixture): name and image appear */
	line_is_json_c(&sh, &c);
	ck_assert_ptr_nonnull(c.json);
	ck_assert_ptr_null(strstr(c.json, "vgc-t2"));
	vg_container_load_metadata(&c, FIXTURES "/containers/host");
	ck_assert_str_eq(c.name, "vgc-t2");
	line_is_json_c(&sh, &c);
	ck_assert_ptr_nonnull(strstr(out, "\"name\":\"vgc-t2\""));

	/* a field changed by hand, then dropped as container.h asks */
	free(c.name);
	c.name = strdup("renamed");
	vg_container_json_drop(&c);
	line_is_json_c(&sh, &c);
	ck_assert_ptr_nonnull(strstr(out, "\"name\":\"renamed\""));

	/* a copy starts without the text and makes its own */
	ck_assert_int_eq(vg_container_copy(&copy, &c), 0);
	ck_assert_ptr_null(copy.json);
	free(copy.image);
	copy.image = strdup("other:2");
	line_is_json_c(&sh, &copy);
	line_is_json_c(&sh, &c);
	vg_container_clear(&copy);
	ck_assert_ptr_null(copy.json);

	/* the cache: a newer record for the same cgroup replaces the entry and its text */
	ck_assert_int_eq(vg_containers_add(cs, &c), 0);
	found = vg_containers_lookup(cs, 77, &is_new);
	ck_assert_ptr_nonnull(found);
	line_is_json_c(&sh, found);
	free(c.name);
	c.name = strdup("third");
	vg_container_json_drop(&c);
	ck_assert_int_eq(vg_containers_add(cs, &c), 0);
	found = vg_containers_lookup(cs, 77, &is_new);
	line_is_json_c(&sh, found);
	ck_assert_ptr_nonnull(strstr(found->json, "\"name\":\"third\""));

	vg_containers_free(cs);
	vg_container_clear(&c);
	ck_assert_ptr_null(c.json);
}
END_TEST

/*
 * The line in the text format and in alerts is unchanged (json-c's): the same event printed as
 * an event line and inside an alert carries the same object.
 */
START_TEST(alert_embeds_the_same_event)
{
	struct json_object *a, *e;
	char *line;

	decode(rec_connect_inet(buf, 4121, AF_INET, "10.1.2.3", 80));
	ck_assert_int_eq(vg_output_event(&o, &ev, &odd, &full), 0);
	fflush(o.f);
	line = strndup(out, out_len - 1);
	ck_assert_int_eq(vg_output_alert(&o, &root_exec, &ev, &odd, &full), 0);
	fflush(o.f);
	a = json_tokener_parse(strchr(out, '\n') + 1);
	ck_assert_ptr_nonnull(a);
	e = get(a, "event");
	ck_assert_str_eq(json_object_to_json_string_ext(e, VG_JSONW_JSONC_FLAGS), line);
	json_object_put(a);
	free(line);
}
END_TEST

static Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("json");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, exec_event_shape);
	tcase_add_test(tc, host_process_container_null);
	tcase_add_test(tc, exec_event_without_table_entry_uses_record);
	tcase_add_test(tc, setuid_event_shape);
	tcase_add_test(tc, setgid_event_shape);
	tcase_add_test(tc, failed_setuid_shows_no_change);
	tcase_add_test(tc, capability_event_shape);
	tcase_add_test(tc, capability_denied_not_granted);
	tcase_add_test(tc, mount_event_shape);
	tcase_add_test(tc, connect_inet_shape);
	tcase_add_test(tc, connect_inet6_shape);
	tcase_add_test(tc, connect_unix_shape);
	tcase_add_test(tc, connect_unix_abstract_whole_name);
	tcase_add_test(tc, write_event_shape);
	tcase_add_test(tc, write_off_rootfs_is_false);
	tcase_add_test(tc, write_rename_shows_both_paths);
	tcase_add_test(tc, write_second_resolved_paths_shown);
	tcase_add_test(tc, io_uring_event_shape);
	tcase_add_test(tc, text_io_uring_and_link);
	tcase_add_test(tc, fork_and_exit_event_types);
	tcase_add_test(tc, exit_code_and_signal_apart);
	tcase_add_test(tc, alert_shape);
	tcase_add_test(tc, alert_process_ancestry);
	tcase_add_test(tc, alert_host_container_null);
	tcase_add_test(tc, repeat_shape);
	tcase_add_test(tc, write_error_reported);
	tcase_add_test(tc, invalid_utf8_path_replaced);
	tcase_add_test(tc, invalid_utf8_argument_replaced);
	tcase_add_test(tc, json_string_utf8_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("json line as json-c");
	tcase_add_checked_fixture(tc, setup, fast_teardown);
	tcase_add_test(tc, exec_lines_as_json_c);
	tcase_add_test(tc, fork_exit_lines_as_json_c);
	tcase_add_test(tc, setid_lines_as_json_c);
	tcase_add_test(tc, capability_lines_as_json_c);
	tcase_add_test(tc, mount_lines_as_json_c);
	tcase_add_test(tc, connect_lines_as_json_c);
	tcase_add_test(tc, write_lines_as_json_c);
	tcase_add_test(tc, uring_and_link_lines_as_json_c);
	tcase_add_test(tc, time_lines_as_json_c);
	tcase_add_test(tc, process_changes_show);
	tcase_add_test(tc, many_processes_as_json_c);
	tcase_add_test(tc, open_flags_as_json_c);
	tcase_add_test(tc, container_text_kept);
	tcase_add_test(tc, container_changes_show);
	tcase_add_test(tc, alert_embeds_the_same_event);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_one_line_per_event_and_alert);
	tcase_add_test(tc, text_control_characters_stay_on_one_line);
	tcase_add_test(tc, format_time_exact);
	tcase_add_test(tc, format_parse);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(output_suite)
