// SPDX-License-Identifier: GPL-2.0
/* Policies back to JSON: an entry as an object, a whole policy as a file load reads back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <json-c/json.h>

#include "event.h"
#include "jsonutil.h"
#include "policy.h"
#include "policy_internal.h"

/* ---- back to JSON ---- */


static struct json_object *string_array(char *const *v, size_t n)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; arr && i < n; i++) {
		if (vg_json_append(arr, json_object_new_string(v[i]))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static struct json_object *match_to_json(const struct vg_policy_match *m)
{
	const char *values[MATCH_KEY_COUNT] = {m->id,	   m->name, m->image,
					       m->runtime, m->pod,  m->namespace};
	struct json_object *obj = json_object_new_object();
	size_t i;

	for (i = 0; obj && i < MATCH_KEY_COUNT; i++) {
		if (values[i] &&
		    vg_json_add(obj, vg_policy_match_keys[i], json_object_new_string(values[i]))) {
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

static struct json_object *capabilities_to_json(__u64 mask)
{
	struct json_object *arr = json_object_new_array();
	unsigned int cap;

	for (cap = 0; arr && cap < 64; cap++) {
		const char *name = (mask >> cap) & 1 ? vg_cap_name(cap) : NULL;

		if (name && vg_json_append(arr, json_object_new_string(name))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static struct json_object *egress_to_json(const struct vg_egress *v, size_t n)
{
	struct json_object *arr = json_object_new_array();
	char buf[VG_EGRESS_STR_MAX];
	size_t i;

	for (i = 0; arr && i < n; i++) {
		if (vg_json_append(arr,
			    json_object_new_string(vg_egress_format(&v[i], buf, sizeof(buf))))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/*
 * with_match: a "containers" entry, which the reader wants a "match" in even when it is empty
 * (it fits every container); the default has none.
 */
static struct json_object *entry_to_json(const struct vg_policy_entry *e, bool with_match)
{
	const struct vg_policy_match *m = &e->match;
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if ((with_match || m->id || m->name || m->image || m->runtime || m->pod || m->namespace) &&
	    vg_json_add(obj, "match", match_to_json(m)))
		goto fail;
	if (vg_json_add(obj, "allow_root", json_object_new_boolean(e->allow_root)) ||
	    vg_json_add(obj, "allowed_capabilities", capabilities_to_json(e->allowed_capabilities)) ||
	    vg_json_add(obj, "writable_paths", string_array(e->writable_paths, e->n_writable_paths)) ||
	    vg_json_add(obj, "allowed_egress",
		    egress_to_json(e->allowed_egress, e->n_allowed_egress)) ||
	    vg_json_add(obj, "sensitive_sockets",
		    string_array(e->sensitive_sockets, e->n_sensitive_sockets)) ||
	    vg_json_add(obj, "allow_mount", json_object_new_boolean(e->allow_mount)) ||
	    vg_json_add(obj, "allow_privilege_escalation",
		    json_object_new_boolean(e->allow_privilege_escalation)) ||
	    vg_json_add(obj, "allow_drift", json_object_new_boolean(e->allow_drift)) ||
	    vg_json_add(obj, "drift_allowed_paths",
		    string_array(e->drift_allowed_paths, e->n_drift_allowed_paths)) ||
	    vg_json_add(obj, "allow_io_uring", json_object_new_boolean(e->allow_io_uring)))
		goto fail;
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

struct json_object *vg_policy_entry_to_json(const struct vg_policy_entry *e)
{
	return entry_to_json(e, false);
}

/*
 * A policy file for people to read and edit: two-space indents, "key": value, and a short
 * list of scalars on one line. json-c's pretty printer spreads "[]" over two lines.
 */
#define INLINE_ARRAY_MAX 72

static const char *scalar_text(struct json_object *v)
{
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
}

static bool array_fits_one_line(struct json_object *arr)
{
	size_t i, n = json_object_array_length(arr), width = 2;

	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);

		if (json_object_is_type(v, json_type_object) ||
		    json_object_is_type(v, json_type_array))
			return false;
		width += strlen(scalar_text(v)) + 2;
		if (width > INLINE_ARRAY_MAX)
			return false;
	}
	return true;
}

static void print_json(FILE *f, struct json_object *v, int depth)
{
	size_t i, n;

	if (json_object_is_type(v, json_type_object)) {
		bool first = true;

		if (!json_object_object_length(v)) {
			fputs("{}", f);
			return;
		}
		fputs("{", f);
		json_object_object_foreach(v, key, val)
		{
			struct json_object *k = json_object_new_string(key);

			fprintf(f, "%s\n%*s%s: ", first ? "" : ",", 2 * (depth + 1), "",
				k ? scalar_text(k) : "\"\"");
			json_object_put(k);
			print_json(f, val, depth + 1);
			first = false;
		}
		fprintf(f, "\n%*s}", 2 * depth, "");
	} else if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		if (array_fits_one_line(v)) {
			fputs("[", f);
			for (i = 0; i < n; i++)
				fprintf(f, "%s%s", i ? ", " : "",
					scalar_text(json_object_array_get_idx(v, i)));
			fputs("]", f);
			return;
		}
		fputs("[", f);
		for (i = 0; i < n; i++) {
			fprintf(f, "%s\n%*s", i ? "," : "", 2 * (depth + 1), "");
			print_json(f, json_object_array_get_idx(v, i), depth + 1);
		}
		fprintf(f, "\n%*s]", 2 * depth, "");
	} else {
		fputs(scalar_text(v), f);
	}
}

char *vg_policy_to_json_string(const struct vg_policy *p)
{
	struct json_object *root = json_object_new_object();
	struct json_object *containers = json_object_new_array();
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	if (!root || !containers) {
		json_object_put(root);
		json_object_put(containers);
		return NULL;
	}
	for (i = 0; i < p->n_containers; i++) {
		if (vg_json_append(containers, entry_to_json(&p->containers[i], true))) {
			json_object_put(containers);
			goto out;
		}
	}
	if (vg_json_add(root, "version", json_object_new_int(POLICY_VERSION)) ||
	    vg_json_add(root, "default", vg_policy_entry_to_json(&p->def)) ||
	    vg_json_add(root, "containers", containers))
		goto out;
	f = open_memstream(&text, &len);
	if (!f)
		goto out;
	print_json(f, root, 0);
	fputs("\n", f);
	if (fclose(f)) {
		free(text);
		text = NULL;
	}
out:
	json_object_put(root);
	return text;
}
