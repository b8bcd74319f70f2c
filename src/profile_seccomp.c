// SPDX-License-Identifier: GPL-2.0
/* vigil profile: the Docker/OCI seccomp format. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <json-c/json.h>

#include "capture.h"
#include "cli.h"
#include "container.h"
#include "event.h"
#include "jsonutil.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"
#include "proctab.h"
#include "profile.h"
#include "profile_internal.h"
#include "syscalls.h"

static int cmp_json_names(const void *a, const void *b)
{
	return strcmp(json_object_get_string(*(struct json_object *const *)a),
		      json_object_get_string(*(struct json_object *const *)b));
}

/* Docker/OCI seccomp: allow exactly the calls seen, refuse the rest with EPERM. */
struct json_object *seccomp_json(const struct vg_profile *p)
{
	struct json_object *root = json_object_new_object(), *archs = json_object_new_array();
	struct json_object *names = json_object_new_array(), *rules = json_object_new_array();
	struct json_object *allow = json_object_new_object();
	const char *arch = vg_syscall_seccomp_arch(p->syscall_arch);
	int rc = !root || !archs || !names || !rules || !allow || !arch;

	for (unsigned int nr = 0; !rc && nr < VIGIL_SYSCALL_BITS; nr++) {
		const char *name = vg_syscall_name(p->syscall_arch, nr);

		if ((p->syscalls[nr / 64] >> (nr % 64)) & 1 && name)
			rc = profile_json_push(names, json_object_new_string(name));
	}
	if (!rc) {
		json_object_array_sort(names, cmp_json_names);
		rc = profile_json_push(archs, json_object_new_string(arch));
	}
	if (!rc) {
		rc = vg_json_add(allow, "names", names);
		names = NULL;
	}
	if (!rc)
		rc = vg_json_add(allow, "action", json_object_new_string("SCMP_ACT_ALLOW"));
	if (!rc) {
		rc = profile_json_push(rules, allow);
		allow = NULL;
	}
	if (!rc)
		rc = vg_json_add(root, "defaultAction", json_object_new_string("SCMP_ACT_ERRNO")) ||
		     vg_json_add(root, "defaultErrnoRet", json_object_new_int(1));
	if (!rc) {
		rc = vg_json_add(root, "architectures", archs);
		archs = NULL;
	}
	if (!rc) {
		rc = vg_json_add(root, "syscalls", rules);
		rules = NULL;
	}
	json_object_put(archs);
	json_object_put(names);
	json_object_put(rules);
	json_object_put(allow);
	if (rc) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int profile_print_json(FILE *f, struct json_object *obj)
{
	if (!obj)
		return -ENOMEM;
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_SPACED |
							  JSON_C_TO_STRING_NOSLASHESCAPE),
	      f);
	fputc('\n', f);
	json_object_put(obj);
	return 0;
}
