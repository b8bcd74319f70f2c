/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the output tests share: a process and a container, records decoded into one event,
 * the output written to memory, and readers of the JSON it holds.
 */
#ifndef VIGIL_TEST_OUTPUT_FIXTURES_H
#define VIGIL_TEST_OUTPUT_FIXTURES_H

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

static __attribute__((unused)) REC_BUF(buf);
static __attribute__((unused)) struct vg_event ev;
static __attribute__((unused)) struct vg_output o;
static __attribute__((unused)) char *out;
static __attribute__((unused)) size_t out_len;
static __attribute__((unused)) struct json_object *parsed;

static __attribute__((unused)) const char sh_args[] = "sh\0-c\0id"; /* sizeof: 9 */

static __attribute__((unused)) struct vg_process sh = {
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

static __attribute__((unused)) struct vg_container web = {
	.cgroup_id = REC_CGROUP_ID,
	.id = CONTAINER_ID,
	.runtime = VG_RT_PODMAN,
	.name = "web",
	.image = "localhost/app:1",
};

/* the alert the alert tests write */
static __attribute__((unused)) struct vg_alert root_exec = {
	.rule = "container_root_exec",
	.severity = VG_SEV_MEDIUM,
	.mitre = { "T1611", NULL },
	.key = "/bin/sh",
	.message = "process /bin/sh ran as root in container web (localhost/app:1)",
};

static inline void setup(void)
{
	memset(&o, 0, sizeof(o));
	o.f = open_memstream(&out, &out_len);
	ck_assert_ptr_nonnull(o.f);
	o.format = VG_FORMAT_JSON;
	o.boot_wall_ns = BOOT_WALL_NS;
}

static inline void teardown(void)
{
	fclose(o.f);
	free(out);
	out = NULL;
	if (parsed)
		json_object_put(parsed);
	parsed = NULL;
}

static inline const struct vg_event *decode(size_t n)
{
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(vg_event_decode(buf, n, &ev), 0);
	return &ev;
}

/* What was written so far, with the number of lines it has (each ends with '\n'). */
static inline const char *written(int *lines)
{
	fflush(o.f);
	*lines = 0;
	for (size_t i = 0; i < out_len; i++)
		*lines += out[i] == '\n';
	ck_assert_msg(out_len > 0 && out[out_len - 1] == '\n', "output not ended by a newline");
	return out;
}

/* The one line written, parsed as strict JSON with valid UTF-8. */
static inline struct json_object *one_object(void)
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

static inline struct json_object *event_json(const struct vg_process *p, const struct vg_container *c)
{
	ck_assert_int_eq(vg_output_event(&o, &ev, p, c), 0);
	return one_object();
}

/* The member key of obj, which must exist (its value may be null). */
static inline struct json_object *get(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(obj, key, &v), "no key \"%s\" in %s", key,
		      json_object_to_json_string(obj));
	return v;
}

static inline void has_no(struct json_object *obj, const char *key)
{
	ck_assert_msg(!json_object_object_get_ex(obj, key, NULL), "unexpected key \"%s\"", key);
}

static inline const char *str(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	ck_assert_msg(json_object_is_type(v, json_type_string), "\"%s\" not a string", key);
	return json_object_get_string(v);
}

static inline long long num(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	ck_assert_msg(json_object_is_type(v, json_type_int), "\"%s\" not an integer", key);
	return json_object_get_int64(v);
}

static inline bool boolean(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	ck_assert_msg(json_object_is_type(v, json_type_boolean), "\"%s\" not a boolean", key);
	return json_object_get_boolean(v);
}

static inline struct json_object *object(struct json_object *obj, const char *key)
{
	struct json_object *v = get(obj, key);

	ck_assert_msg(json_object_is_type(v, json_type_object), "\"%s\" not an object", key);
	return v;
}

static inline void is_rfc3339_ns(const char *s)
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
static inline void check_event_common(struct json_object *e, const char *type)
{
	ck_assert_str_eq(str(e, "kind"), "event");
	is_rfc3339_ns(str(e, "time"));
	ck_assert_str_eq(str(e, "time"), REC_TIME);
	ck_assert_str_eq(str(e, "type"), type);
	ck_assert_int_eq(num(e, "cgroup_id"), REC_CGROUP_ID);
	object(e, "process");
	get(e, "container");
}

static inline void check_web(struct json_object *c)
{
	ck_assert(json_object_is_type(c, json_type_object));
	ck_assert_str_eq(str(c, "id"), CONTAINER_ID);
	ck_assert_str_eq(str(c, "runtime"), "podman");
	ck_assert_str_eq(str(c, "name"), "web");
	ck_assert_str_eq(str(c, "image"), "localhost/app:1");
}

/* SPEC's process object, for the process sh above. */
static inline void check_sh(struct json_object *p)
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

#endif
