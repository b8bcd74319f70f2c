// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering (src/output.c): each event type's JSON object has the shape SPEC ("JSON output")
 * fixes, read back with a strict, UTF-8 validating parser; alerts and repeat lines too; bytes
 * that are not UTF-8 become U+FFFD; the text format is one line per event or alert, whatever
 * the strings it prints contain; times are RFC 3339 UTC with nanoseconds.
 */
#include "output_fixtures.h"

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
