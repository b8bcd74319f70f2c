// SPDX-License-Identifier: GPL-2.0
/* vigil profile: the JSON format, every value with its evidence. */
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
#include "profile_advice.h"
#include "profile_internal.h"
#include "syscalls.h"

/* "key": null (json-c's null is the NULL object, which vg_json_add() takes for a failure) */
static int add_null(struct json_object *obj, const char *key)
{
	return json_object_object_add(obj, key, NULL) ? -ENOMEM : 0;
}

int profile_json_push(struct json_object *arr, struct json_object *val)
{
	if (!val)
		return -ENOMEM;
	if (json_object_array_add(arr, val)) {
		json_object_put(val);
		return -ENOMEM;
	}
	return 0;
}

static struct json_object *jstr(const char *s)
{
	return vg_json_string_len(s, strlen(s));
}

static struct json_object *jtime(const struct vg_profile_set *s, __u64 boot_ns)
{
	char buf[48];

	vg_format_time(boot_ns, s->info.boot_time_ns, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static struct json_object *evidence_json(const struct vg_profile_set *s, const struct vg_profile *p,
					 const struct vg_evidence *e)
{
	struct json_object *obj = json_object_new_object(), *programs, *first, *ids;
	int rc;

	if (!obj)
		return NULL;
	programs = json_object_new_array();
	for (size_t i = 0; programs && i < e->n_programs; i++)
		if (profile_json_push(programs, jstr(e->programs[i]))) {
			json_object_put(programs);
			programs = NULL;
		}
	first = json_object_new_object();
	rc = vg_json_add(obj, "count", json_object_new_uint64(e->count)) ||
	     vg_json_add(obj, "first", jtime(s, e->first_ns)) ||
	     vg_json_add(obj, "last", jtime(s, e->last_ns)) ||
	     vg_json_add(obj, "programs", programs);
	if (!rc && e->more_programs)
		rc = vg_json_add(obj, "more_programs", json_object_new_boolean(true));
	if (!rc && first) {
		rc = vg_json_add(first, "pid", json_object_new_uint64(e->first_pid)) ||
		     (e->first_command && vg_json_add(first, "command", jstr(e->first_command)));
		if (!rc)
			rc = vg_json_add(obj, "first_event", first);
		first = NULL;
	}
	json_object_put(first);
	if (!rc && p->n_containers > 1) {
		ids = json_object_new_array();
		for (size_t i = 0; ids && i < e->n_containers; i++)
			if (profile_json_push(ids, json_object_new_string(
							   p->containers[e->containers[i]].id))) {
				json_object_put(ids);
				ids = NULL;
			}
		rc = vg_json_add(obj, "containers", ids);
	}
	if (rc) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* One value of a list as an object: its own fields, then "evidence". */
typedef int (*item_fields_fn)(struct json_object *obj, const struct vg_profile_item *it);

static struct json_object *items_json(const struct vg_profile_set *s, const struct vg_profile *p,
				      const struct vg_profile_items *l, item_fields_fn fields)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < l->n; i++) {
		struct json_object *obj = json_object_new_object();

		if (!obj || fields(obj, &l->v[i]) ||
		    vg_json_add(obj, "evidence", evidence_json(s, p, &l->v[i].ev)) ||
		    profile_json_push(arr, obj)) {
			json_object_put(obj);
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static int user_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "uid", json_object_new_uint64(it->uid)) ||
	       vg_json_add(o, "euid", json_object_new_uint64(it->euid)) ||
	       vg_json_add(o, "gid", json_object_new_uint64(it->gid)) ||
	       vg_json_add(o, "egid", json_object_new_uint64(it->egid));
}

static int cap_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "name", jstr(it->key)) ||
	       vg_json_add(o, "number", json_object_new_int(it->number));
}

static int write_fields(struct json_object *o, const struct vg_profile_item *it)
{
	struct json_object *ops = json_object_new_array();

	for (unsigned int op = 1; ops && op < VIGIL_WRITE_OP_MAX; op++)
		if ((it->ops >> op) & 1 &&
		    profile_json_push(ops, json_object_new_string(vg_write_op_name(op)))) {
			json_object_put(ops);
			ops = NULL;
		}
	return vg_json_add(o, "path", jstr(it->key)) || vg_json_add(o, "ops", ops);
}

static int privilege_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "kind",
			   json_object_new_string(it->kind == VG_PRIV_SECURE_EXEC ? "secure_exec"
										  : "setid")) ||
	       vg_json_add(o, "what", jstr(it->key)) ||
	       vg_json_add(o, "escalation_to_root", json_object_new_boolean(it->escalation));
}

static int mount_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "syscall",
			   json_object_new_string(vg_mount_syscall_name(it->number))) ||
	       vg_json_add(o, "source", jstr(it->source)) ||
	       vg_json_add(o, "target", jstr(it->target)) ||
	       vg_json_add(o, "fstype", jstr(it->fstype));
}

static int io_uring_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "sqpoll", json_object_new_boolean(strstr(it->key, "SQPOLL") != NULL));
}

static int socket_fields(struct json_object *o, const struct vg_profile_item *it)
{
	return vg_json_add(o, "path", jstr(it->key)) ||
	       vg_json_add(o, "connected", json_object_new_boolean(it->succeeded));
}

static struct json_object *protocol_list(unsigned int protocols)
{
	struct json_object *arr = json_object_new_array();

	for (unsigned int i = 1; arr && i < VIGIL_PROTO_MAX; i++)
		if ((protocols & (1u << i)) &&
		    json_object_array_add(arr, json_object_new_string(vg_connect_protocol_name(i))))
			break;
	return arr;
}

static int egress_fields(struct json_object *o, const struct vg_profile_item *it)
{
	char addr[INET6_ADDRSTRLEN] = "?";

	inet_ntop(it->family, it->addr, addr, sizeof(addr));
	return vg_json_add(o, "family",
			   json_object_new_string(it->family == AF_INET ? "inet" : "inet6")) ||
	       vg_json_add(o, "address", json_object_new_string(addr)) ||
	       vg_json_add(o, "port", json_object_new_int(it->port)) ||
	       vg_json_add(o, "protocols", protocol_list(it->protocols)) ||
	       vg_json_add(o, "connected", json_object_new_boolean(it->succeeded));
}

static struct json_object *string_list(char *const *v, size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < n; i++)
		if (profile_json_push(arr, jstr(v[i]))) {
			json_object_put(arr);
			return NULL;
		}
	return arr;
}

static struct json_object *syscalls_json(const struct vg_profile_set *s, const struct vg_profile *p)
{
	struct json_object *obj, *calls, *unnamed;
	const char *arch = vg_syscall_arch_name(p->syscall_arch);
	int rc;

	obj = json_object_new_object();
	calls = json_object_new_array();
	unnamed = json_object_new_array();
	if (!obj || !calls || !unnamed)
		goto fail;
	for (unsigned int nr = 0; nr < VIGIL_SYSCALL_BITS; nr++) {
		const char *name = vg_syscall_name(p->syscall_arch, nr);
		struct json_object *call;

		if (!((p->syscalls[nr / 64] >> (nr % 64)) & 1))
			continue;
		if (!name) {
			if (profile_json_push(unnamed, json_object_new_int(nr)))
				goto fail;
			continue;
		}
		call = json_object_new_object();
		if (!call || vg_json_add(call, "name", json_object_new_string(name)) ||
		    vg_json_add(call, "number", json_object_new_int(nr)) ||
		    vg_json_add(call, "first_read", jtime(s, p->syscall_first_ns[nr])) ||
		    profile_json_push(calls, call)) {
			json_object_put(call);
			goto fail;
		}
	}
	rc = (arch ? vg_json_add(obj, "arch", json_object_new_string(arch))
		   : add_null(obj, "arch")) ||
	     vg_json_add(obj, "records", json_object_new_uint64(p->syscall_records)) ||
	     vg_json_add(obj, "count",
			 json_object_new_int((int)json_object_array_length(calls) +
					     (int)json_object_array_length(unnamed)));
	if (rc || vg_json_add(obj, "calls", calls))
		goto fail_obj;
	calls = NULL;
	if (vg_json_add(obj, "unnamed", unnamed))
		goto fail_obj;
	return obj;
fail:
	json_object_put(calls);
fail_obj:
	json_object_put(unnamed);
	json_object_put(obj);
	return NULL;
}

static struct json_object *profile_json(const struct vg_profile_set *s, const struct vg_profile *p,
					const char *name)
{
	struct json_object *obj = json_object_new_object(), *containers, *user, *entry, *rootfs;
	struct rootfs_plan pl;
	const char **blocked;
	int rc;

	if (!obj || plan_rootfs(p, &pl)) {
		json_object_put(obj);
		return NULL;
	}
	containers = json_object_new_array();
	for (size_t i = 0; containers && i < p->n_containers; i++)
		if (profile_json_push(containers, vg_container_to_json(&p->containers[i]))) {
			json_object_put(containers);
			containers = NULL;
		}
	user = json_object_new_object();
	entry = p->entry_known ? json_object_new_object() : NULL;
	if (entry && (vg_json_add(entry, "uid", json_object_new_uint64(p->entry_uid)) ||
		      vg_json_add(entry, "gid", json_object_new_uint64(p->entry_gid)))) {
		json_object_put(entry);
		entry = NULL;
	}
	rc = !user || (p->entry_known && !entry) ||
	     vg_json_add(user, "run_as_root", json_object_new_boolean(profile_runs_as_root(p)));
	if (!rc) {
		rc = entry ? vg_json_add(user, "entry", entry) : add_null(user, "entry");
		entry = NULL;
	}
	rc = rc || vg_json_add(user, "seen", items_json(s, p, &p->users, user_fields));
	json_object_put(entry);
	if (rc) {
		json_object_put(user);
		user = NULL;
	}
	rootfs = json_object_new_object();
	blocked = pl.blocked;
	rc = !rootfs || vg_json_add(rootfs, "read_only", json_object_new_boolean(!pl.n_blocked)) ||
	     vg_json_add(rootfs, "tmpfs", string_list(pl.tmpfs, pl.n_tmpfs)) ||
	     vg_json_add(rootfs, "blocked_by", string_list((char *const *)blocked, pl.n_blocked));
	if (rc) {
		json_object_put(rootfs);
		rootfs = NULL;
	}
	plan_free(&pl);
	rc = vg_json_add(obj, "name", jstr(p->name)) ||
	     vg_json_add(obj, "service_name", json_object_new_string(name)) ||
	     (p->image ? vg_json_add(obj, "image", jstr(p->image)) : add_null(obj, "image")) ||
	     vg_json_add(obj, "containers", containers) ||
	     vg_json_add(obj, "events", json_object_new_uint64(p->events)) ||
	     (p->events ? vg_json_add(obj, "first", jtime(s, p->first_ns))
			: add_null(obj, "first")) ||
	     (p->events ? vg_json_add(obj, "last", jtime(s, p->last_ns)) : add_null(obj, "last")) ||
	     vg_json_add(obj, "observed_seconds", json_object_new_double(vg_profile_span_s(p))) ||
	     (vg_profile_last_new_ns(p)
		      ? vg_json_add(obj, "last_new", jtime(s, vg_profile_last_new_ns(p)))
		      : add_null(obj, "last_new")) ||
	     vg_json_add(obj, "user", user) ||
	     vg_json_add(obj, "capabilities", items_json(s, p, &p->capabilities, cap_fields)) ||
	     vg_json_add(obj, "rootfs_writes", items_json(s, p, &p->writes, write_fields)) ||
	     vg_json_add(obj, "relative_writes",
			 items_json(s, p, &p->relative_writes, write_fields)) ||
	     vg_json_add(obj, "rootfs", rootfs) ||
	     vg_json_add(obj, "privilege_changes",
			 items_json(s, p, &p->privilege, privilege_fields)) ||
	     vg_json_add(obj, "no_new_privileges", json_object_new_boolean(!p->privilege.n)) ||
	     vg_json_add(obj, "mounts", items_json(s, p, &p->mounts, mount_fields)) ||
	     vg_json_add(obj, "unix_sockets", items_json(s, p, &p->sockets, socket_fields)) ||
	     vg_json_add(obj, "egress", items_json(s, p, &p->egress, egress_fields)) ||
	     vg_json_add(obj, "io_uring", items_json(s, p, &p->io_uring, io_uring_fields)) ||
	     (p->has_syscalls ? vg_json_add(obj, "syscalls", syscalls_json(s, p))
			      : add_null(obj, "syscalls"));
	if (rc) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

struct json_object *set_json(const struct vg_profile_set *s, char **names)
{
	struct json_object *root = json_object_new_object(), *capture = json_object_new_object();
	struct json_object *profiles = json_object_new_array();
	int rc = !root || !capture || !profiles;

	for (size_t i = 0; !rc && i < s->n; i++)
		rc = profile_json_push(profiles, profile_json(s, &s->v[i], names[i]));
	if (!rc)
		rc = vg_json_add(capture, "file", jstr(s->file)) ||
		     vg_json_add(capture, "host", jstr(s->info.host)) ||
		     vg_json_add(capture, "kernel", jstr(s->info.kernel)) ||
		     vg_json_add(capture, "recorded",
				 jtime(s, s->info.start_time_ns - s->info.boot_time_ns)) ||
		     vg_json_add(capture, "records", json_object_new_uint64(s->records)) ||
		     vg_json_add(capture, "lost_events", json_object_new_uint64(s->lost));
	if (!rc) {
		rc = vg_json_add(root, "capture", capture);
		capture = NULL;
	}
	if (!rc)
		rc = vg_json_add(root, "by",
				 json_object_new_string(
					 s->by == VG_PROFILE_BY_IMAGE ? "image" : "container"));
	if (!rc) {
		rc = vg_json_add(root, "profiles", profiles);
		profiles = NULL;
	}
	json_object_put(capture);
	json_object_put(profiles);
	if (rc) {
		json_object_put(root);
		return NULL;
	}
	return root;
}
