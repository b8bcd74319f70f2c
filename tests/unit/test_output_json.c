// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON line writer (src/output_json.c) against json-c: every line it writes is, byte for
 * byte, json-c's serialisation of vg_event_to_json() and a newline.
 */
#include "output_fixtures.h"

/* ---- the event line against json-c ---- */

/*
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

static Suite *output_json_suite(void)
{
	Suite *s = suite_create("output_json");
	TCase *tc = tcase_create("json line as json-c");
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

	return s;
}

VIGIL_TEST_MAIN(output_json_suite)
