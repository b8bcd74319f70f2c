/* SPDX-License-Identifier: GPL-2.0 */
/* json-c additions that never leak: the caller's value is put when an add fails. */
#ifndef VIGIL_JSONUTIL_H
#define VIGIL_JSONUTIL_H

#include <errno.h>
#include <json-c/json.h>

/* obj[key] = val; 0, or -ENOMEM (val, possibly NULL from a failed constructor, is put) */
static inline int vg_json_add(struct json_object *obj, const char *key, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

/* arr += val, likewise */
static inline int vg_json_append(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

#endif
