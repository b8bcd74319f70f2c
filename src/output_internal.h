/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What output.c (text, alerts, sinks), output_json.c (the event object with json-c) and
 * output_line.c (the same event line written directly) share.
 */
#ifndef VIGIL_OUTPUT_INTERNAL_H
#define VIGIL_OUTPUT_INTERNAL_H

#include <stdbool.h>
#include <string.h>
#include <json-c/json.h>

#include "event.h"
#include "jsonw.h"
#include "output.h"

#define JSON_FLAGS VG_JSONW_JSONC_FLAGS

/* The event's JSON line (with its '\n') into o->f in one write: emit(vg_event_to_json()). */
int vg_output_event_line(struct vg_output *o, const struct vg_event *ev, const struct vg_process *p,
			 const struct vg_container *c);

/* Records before protocols were read: unix is unix, inet is not known. */
static inline const char *connect_protocol(const struct vigil_connect *c)
{
	if (c->protocol == VIGIL_PROTO_UNKNOWN && c->family == VIGIL_AF_UNIX)
		return "unix";
	return vg_connect_protocol_name(c->protocol);
}

/* Records before via was kept came from connect(2). */
static inline const char *connect_via(const struct vigil_connect *c)
{
	return vg_connect_via_name(c->via) ?: "connect";
}

static inline void add_str(struct json_object *o, const char *key, const char *val)
{
	val = val ? val : "";
	json_object_object_add(o, key, vg_json_string_len(val, strlen(val)));
}

static inline void add_int(struct json_object *o, const char *key, long long val)
{
	json_object_object_add(o, key, json_object_new_int64(val));
}

static inline void add_bool(struct json_object *o, const char *key, bool val)
{
	json_object_object_add(o, key, json_object_new_boolean(val));
}

/* an id the call did not change is -1 (SPEC) */
static inline long long changed_id(__u32 old_id, __u32 new_id)
{
	return old_id == new_id ? -1 : (long long)new_id;
}

/* The write object's key for the second path: "new_path" (rename), "target" (link, symlink) */
static inline const char *vg_write_second_key(unsigned int op)
{
	switch (op) {
	case VIGIL_WRITE_RENAME:
		return "new_path";
	case VIGIL_WRITE_LINK:
	case VIGIL_WRITE_SYMLINK:
		return "target";
	default:
		return NULL;
	}
}

/* ... and for it as given, beside the resolved one (a symlink's text is never resolved) */
static inline const char *vg_write_second_passed_key(unsigned int op)
{
	return op == VIGIL_WRITE_RENAME ? "new_path_passed" : "target_passed";
}

static inline bool vg_write_second_passed(const struct vg_event *ev)
{
	return ev->rpath2 && ev->rpath2[0] &&
	       (ev->write->op == VIGIL_WRITE_RENAME || ev->write->op == VIGIL_WRITE_LINK);
}

#endif
