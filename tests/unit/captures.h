/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture files for the unit tests that read one back (profile, report): a temporary directory
 * per test, and a container's metadata record as the agent writes it.
 */
#ifndef VIGIL_TEST_CAPTURES_H
#define VIGIL_TEST_CAPTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <json-c/json.h>

#include "unit.h"
#include "capture.h"
#include "container.h"

/* /tmp/vigil-NAME-XXXXXX, made; dir holds at least 64 bytes. */
static inline void capture_tmpdir_make(char *dir, size_t size, const char *name)
{
	snprintf(dir, size, "/tmp/vigil-%s-XXXXXX", name);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static inline void capture_tmpdir_remove(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* c's VG_REC_CONTAINER record (metadata and configuration), appended to w. */
static inline void capture_put_container(struct vg_capture_writer *w, const struct vg_container *c)
{
	struct json_object *obj = vg_container_to_json_full(c);
	const char *text;
	size_t len;

	ck_assert_ptr_nonnull(obj);
	text = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN, &len);
	ck_assert_int_eq(vg_capture_append(w, VG_REC_CONTAINER, text, len), 0);
	json_object_put(obj);
}

#endif
