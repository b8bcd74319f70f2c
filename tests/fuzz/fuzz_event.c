// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the event decoder and everything behind it, fed raw records as the ring
 * buffers hand them over: the process table, containers, rules, repeat suppression and both
 * renderers. Lengths in a record may lie, tails may be cut, strings may lack their NUL or hold
 * control characters and invalid UTF-8 (argv and paths are the container's).
 *
 * The input is a sequence of chunks: a kind byte (event record, cgroup record, or a capture's
 * container JSON), a 16-bit little-endian length (cut to what is left), the bytes, copied to a
 * buffer of exactly that size so the sanitizer sees any read past it. Checked:
 * vg_event_decode() gives strings inside the record and terminated there; every line the JSON
 * output writes parses as one JSON object; the text output does not crash.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "event.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"

enum { CHUNK_EVENT, CHUNK_CGROUP, CHUNK_CONTAINER, CHUNK_KINDS };

static void check_str(const struct vg_event *ev, const char *s, const char *rec, size_t size)
{
	if (!s || !*s)
		return;
	if (s < rec || s >= rec + size || !memchr(s, 0, (size_t)(rec + size - s)))
		__builtin_trap();
	(void)ev;
}

static void check_decode(const void *rec, size_t size)
{
	struct vg_event ev;

	if (vg_event_decode(rec, size, &ev))
		return;
	check_str(&ev, ev.str1, rec, size);
	check_str(&ev, ev.str3, rec, size);
	if (ev.hdr->type == VIGIL_EVENT_EXEC) {
		/* the argv block: args_len bytes (maybe none) inside the record, not a C string */
		if (ev.args_len && (ev.str2 < (const char *)rec ||
				    ev.str2 + ev.args_len > (const char *)rec + size || ev.argc == 0 ||
				    ev.argc > ev.args_len))
			__builtin_trap();
	} else {
		check_str(&ev, ev.str2, rec, size);
	}
}

/* Every line a JSON object in strict JSON and valid UTF-8, the last one ended. */
static void check_lines(const char *buf, size_t len)
{
	const char *line = buf, *nl;

	if (len && buf[len - 1] != '\n')
		__builtin_trap();
	for (; line < buf + len; line = nl + 1) {
		struct json_tokener *tok = json_tokener_new();
		struct json_object *obj;

		nl = memchr(line, '\n', (size_t)(buf + len - line));
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		obj = json_tokener_parse_ex(tok, line, (int)(nl - line));
		if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
		    !json_object_is_type(obj, json_type_object) ||
		    json_tokener_get_parse_end(tok) != (size_t)(nl - line))
			__builtin_trap();
		json_object_put(obj);
		json_tokener_free(tok);
	}
}

static void run(const uint8_t *data, size_t size, enum vg_format format, const char *policy_text)
{
	struct vg_container_paths nopaths = {NULL, NULL};
	struct vg_output out = {0};
	struct vg_pipeline pipe;
	struct vg_containers *containers;
	struct vg_policy *policy = NULL;
	char *buf = NULL, err[256];
	size_t buf_len = 0;
	__u64 written = 0;

	if (policy_text) {
		if (vg_policy_load_buffer("p", policy_text, strlen(policy_text), &policy, err,
					  sizeof(err)))
			__builtin_trap();
	} else {
		policy = vg_policy_builtin();
	}
	out.format = format;
	out.f = open_memstream(&buf, &buf_len);
	containers = vg_containers_new(&nopaths);
	if (!out.f || !containers || vg_pipeline_init(&pipe, policy, &out, containers))
		__builtin_trap();
	pipe.events = true;
	while (size >= 3) {
		unsigned int kind = data[0] % CHUNK_KINDS;
		size_t len = data[1] | (size_t)data[2] << 8;
		void *rec;

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		/* exactly len bytes (malloc aligns to 16): a read past the record is caught */
		rec = malloc(len ? len : 1);
		if (!rec)
			__builtin_trap();
		memcpy(rec, data, len);
		if (kind == CHUNK_EVENT) {
			if (format == VG_FORMAT_JSON)
				check_decode(rec, len);
			vg_pipeline_record(&pipe, rec, len);
		} else if (kind == CHUNK_CGROUP) {
			vg_pipeline_cgroup(&pipe, rec, len, ++written);
		} else {
			vg_containers_add_record(containers, rec, len);
		}
		free(rec);
		data += len;
		size -= len;
		vg_pipeline_batch_done(&pipe);
	}
	vg_pipeline_report_repeats(&pipe, UINT64_MAX / 2);
	vg_pipeline_fini(&pipe);
	fclose(out.f);
	if (format == VG_FORMAT_JSON)
		check_lines(buf, buf_len);
	free(buf);
	vg_containers_free(containers);
	vg_policy_free(policy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a policy whose rules all bite: every alert path renders */
	static const char strict[] =
		"{\"version\":1,\"default\":{\"allow_root\":false,\"allow_privilege_escalation\":false,"
		"\"allow_mount\":false,\"allowed_capabilities\":[],\"writable_paths\":[],\"allowed_egress\":[],"
		"\"sensitive_sockets\":[\"/run/*.sock\",\"/var/run/docker.sock\"]}}";

	run(data, size, VG_FORMAT_JSON, strict);
	run(data, size, VG_FORMAT_TEXT, NULL);
	return 0;
}
