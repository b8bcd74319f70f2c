// SPDX-License-Identifier: GPL-2.0
/* SPEC's event object built with json-c: the reference alerts embed and text output reads. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "container.h"
#include "event.h"
#include "jsonw.h"
#include "output.h"
#include "output_internal.h"
#include "proctab.h"

/*
 * Paths and arguments are bytes, JSON strings are Unicode: invalid sequences become U+FFFD
 * so that every line stays valid JSON for the pipeline reading it.
 */
struct json_object *vg_json_string_len(const char *val, size_t n)
{
	const unsigned char *s = (const unsigned char *)val;
	struct json_object *obj;
	size_t i = 0, seq;
	char *clean, *out;

	while (i < n && (seq = vg_utf8_seq_len(s + i, n - i)))
		i += seq;
	if (i == n)
		return json_object_new_string_len(val, n);
	clean = malloc(n * 3 + 1);
	if (!clean)
		return json_object_new_string("");
	memcpy(clean, val, i);
	out = clean + i;
	while (i < n) {
		seq = vg_utf8_seq_len(s + i, n - i);
		if (seq) {
			memcpy(out, s + i, seq);
			out += seq;
			i += seq;
		} else {
			memcpy(out, "\xef\xbf\xbd", 3);
			out += 3;
			i++;
		}
	}
	obj = json_object_new_string_len(clean, out - clean);
	free(clean);
	return obj;
}

static struct json_object *args_to_json(const char *args, unsigned int len)
{
	struct json_object *arr = json_object_new_array();
	unsigned int i = 0;

	while (i < len) {
		size_t n = strnlen(args + i, len - i);

		json_object_array_add(arr, vg_json_string_len(args + i, n));
		i += n + 1;
	}
	return arr;
}

struct json_object *vg_process_to_json(const struct vg_process *p, const struct vg_event *ev)
{
	struct json_object *o = json_object_new_object();
	const struct vigil_event_header *h = ev->hdr;

	add_int(o, "pid", h->pid);
	if (h->tid != h->pid)
		add_int(o, "tid", h->tid);
	if (!p) {
		/* a process that predates what we saw: what the record itself says */
		if (h->type == VIGIL_EVENT_CAPABLE) {
			add_int(o, "uid", ev->capable->uid);
			add_int(o, "euid", ev->capable->euid);
		} else if (h->type == VIGIL_EVENT_EXEC) {
			const struct vigil_exec *e = ev->exec;
			char comm[VIGIL_COMM_LEN + 1] = "";

			memcpy(comm, e->comm, VIGIL_COMM_LEN);
			add_int(o, "vpid", e->vpid);
			add_int(o, "ppid", e->ppid);
			add_int(o, "uid", e->uid);
			add_int(o, "euid", e->euid);
			add_int(o, "gid", e->gid);
			add_str(o, "comm", comm);
			if (vg_event_exe(ev)[0])
				add_str(o, "exe", vg_event_exe(ev));
			if (ev->args_len)
				json_object_object_add(o, "args",
						       args_to_json(ev->str2, ev->args_len));
		}
		return o;
	}
	add_int(o, "vpid", p->vpid);
	add_int(o, "ppid", p->ppid);
	add_int(o, "uid", p->uid);
	add_int(o, "euid", p->euid);
	add_int(o, "gid", p->gid);
	add_str(o, "comm", p->comm);
	if (p->exe)
		add_str(o, "exe", p->exe);
	if (p->args) {
		json_object_object_add(o, "args", args_to_json(p->args, p->args_len));
		if (p->args_truncated)
			add_bool(o, "args_truncated", true);
	}
	if (p->flags & VG_PROC_SETUP)
		add_bool(o, "runtime_setup", true);
	return o;
}

static void add_typed(struct json_object *o, const struct vg_event *ev)
{
	struct json_object *t = json_object_new_object();
	char buf[INET6_ADDRSTRLEN + 8], upath[VIGIL_UNIX_PATH_MAX + 2];

	switch (ev->hdr->type) {
	case VIGIL_EVENT_EXEC: {
		const struct vigil_exec *e = ev->exec;

		add_bool(t, "secureexec", e->exec_flags & VIGIL_EXEC_SECUREEXEC);
		if (e->exec_flags & VIGIL_EXEC_EXE_TRUNC)
			add_bool(t, "exe_truncated", true);
		if (e->hdr.flags & VIGIL_F_SNAPSHOT)
			add_bool(t, "snapshot", true);
		if (ev->has_file) {
			add_str(t, "execve_path", ev->str1);
			add_int(t, "inode", ev->file.ino);
			add_int(t, "nlink", ev->file.nlink);
			add_str(t, "origin", vg_origin_name(ev->file.origin));
			add_bool(t, "no_name", ev->file.origin == VIGIL_ORIGIN_NONAME);
			if (ev->path_flags & VIGIL_PATH_TRUNC)
				add_bool(t, "path_truncated", true);
		}
		json_object_object_add(o, "exec", t);
		return;
	}
	case VIGIL_EVENT_FORK:
		add_int(t, "child_pid", ev->fork->child_pid);
		add_int(t, "child_vpid", ev->fork->child_vpid);
		json_object_object_add(o, "fork", t);
		return;
	case VIGIL_EVENT_EXIT: {
		struct vg_exit_status st = vg_exit_status(ev->exit->exit_code);

		json_object_object_add(t, "code", st.code >= 0 ? json_object_new_int(st.code) : NULL);
		json_object_object_add(t, "signal", st.signal ? json_object_new_int(st.signal) : NULL);
		if (st.core_dumped)
			add_bool(t, "core_dumped", true);
		json_object_object_add(o, "exit", t);
		return;
	}
	case VIGIL_EVENT_SETUID:
	case VIGIL_EVENT_SETGID: {
		const struct vigil_setid *s = ev->setid;
		bool uids = s->hdr.type == VIGIL_EVENT_SETUID;

		add_str(t, "syscall", vg_setid_syscall_name(s->syscall));
		add_int(t, uids ? "uid" : "gid", changed_id(s->old_ids[0], s->new_ids[0]));
		add_int(t, uids ? "euid" : "egid", changed_id(s->old_ids[1], s->new_ids[1]));
		add_int(t, uids ? "suid" : "sgid", changed_id(s->old_ids[2], s->new_ids[2]));
		add_int(t, uids ? "fsuid" : "fsgid", changed_id(s->old_ids[3], s->new_ids[3]));
		add_int(t, "ret", s->ret);
		json_object_object_add(o, uids ? "setuid" : "setgid", t);
		return;
	}
	case VIGIL_EVENT_CAPABLE: {
		const char *name = vg_cap_name(ev->capable->cap);

		if (name) {
			add_str(t, "name", name);
		} else {
			snprintf(buf, sizeof(buf), "CAP_%u", ev->capable->cap);
			add_str(t, "name", buf);
		}
		add_int(t, "number", ev->capable->cap);
		add_bool(t, "granted", ev->capable->ret == 0);
		add_bool(t, "audited", ev->capable->cap_flags & VIGIL_CAP_AUDITED);
		json_object_object_add(o, "capability", t);
		return;
	}
	case VIGIL_EVENT_MOUNT:
		add_str(t, "source", ev->str1);
		add_str(t, "target", ev->str2);
		add_str(t, "fstype", ev->str3);
		add_int(t, "flags", (long long)ev->mount->flags);
		add_str(t, "syscall", vg_mount_syscall_name(ev->mount->syscall));
		add_int(t, "ret", ev->mount->ret);
		json_object_object_add(o, "mount", t);
		return;
	case VIGIL_EVENT_CONNECT: {
		const struct vigil_connect *c = ev->connect;

		if (c->family == VIGIL_AF_UNIX) {
			add_str(t, "family", "unix");
			if (c->connect_flags & VIGIL_CONNECT_ABSTRACT) {
				snprintf(upath, sizeof(upath), "@%.*s", (int)sizeof(upath) - 2,
					 ev->str1);
				add_str(t, "path", upath);
				add_bool(t, "abstract", true);
			} else {
				add_str(t, "path", ev->str1);
			}
			if (c->connect_flags & VIGIL_CONNECT_PEER) {
				add_int(t, "inode", (long long)c->peer.ino);
				snprintf(buf, sizeof(buf), "%u:%u", c->peer.dev >> 20,
					 c->peer.dev & 0xfffff);
				add_str(t, "device", buf);
				add_bool(t, "runtime_socket",
					 c->connect_flags & VIGIL_CONNECT_RUNTIME_SOCKET);
			}
		} else if (c->family == VIGIL_AF_PACKET) {
			__u32 ifindex;

			memcpy(&ifindex, c->addr, sizeof(ifindex));
			add_str(t, "family", "packet");
			add_int(t, "ifindex", ifindex);
			add_int(t, "ethertype", c->port);
		} else {
			bool v4 = c->family == VIGIL_AF_INET;

			add_str(t, "family", v4 ? "inet" : "inet6");
			inet_ntop(v4 ? AF_INET : AF_INET6, c->addr, buf, sizeof(buf));
			add_str(t, "address", buf);
			add_int(t, "port", c->port);
		}
		if (connect_protocol(c))
			add_str(t, "protocol", connect_protocol(c));
		if (c->connect_flags & VIGIL_CONNECT_HDRINCL)
			add_bool(t, "hdrincl", true);
		add_str(t, "via", connect_via(c));
		add_int(t, "ret", c->ret);
		json_object_object_add(o, "connect", t);
		return;
	}
	case VIGIL_EVENT_WRITE: {
		const struct vigil_write *w = ev->write;
		char flags[160];

		const char *key2 = vg_write_second_key(w->op);

		add_str(t, "path", vg_event_write_path(ev));
		if (ev->rpath)
			add_str(t, "path_passed", ev->str1);
		if (ev->path_flags & VIGIL_PATH_JOINED)
			add_bool(t, "path_joined", true);
		if (ev->symlinks_followed)
			add_bool(t, "symlinks_followed", true);
		if (ev->path_flags & VIGIL_PATH_CHANGED)
			add_bool(t, "path_changed", true);
		if (ev->path_flags & VIGIL_PATH_TRUNC)
			add_bool(t, "path_truncated", true);
		if (ev->path_flags & VIGIL_PATH_MULTILINK)
			add_bool(t, "multilink", true);
		if (key2) {
			add_str(t, key2, vg_event_write_path2(ev));
			if (vg_write_second_passed(ev))
				add_str(t, vg_write_second_passed_key(w->op), ev->str2);
		}
		add_str(t, "op", vg_write_op_name(w->op));
		if (w->op == VIGIL_WRITE_OPEN)
			add_str(t, "flags", vg_open_flags_str(w->open_flags, flags, sizeof(flags)));
		if (ev->rootfs == VIGIL_ROOTFS_UNKNOWN)
			json_object_object_add(t, "rootfs", NULL);
		else
			add_bool(t, "rootfs", ev->rootfs == VIGIL_ROOTFS_YES);
		if (vg_event_by_io_uring(ev))
			add_str(t, "via", "io_uring");
		json_object_object_add(o, "file", t);
		return;
	}
	case VIGIL_EVENT_IO_URING: {
		const struct vigil_io_uring *u = ev->io_uring;

		add_str(t, "op", vg_io_uring_op_name(u->op));
		add_int(t, "fd", u->fd);
		add_int(t, "sq_entries", u->sq_entries);
		add_bool(t, "sqpoll", u->setup_flags & VG_IORING_SETUP_SQPOLL);
		add_int(t, "setup_flags", u->setup_flags);
		json_object_object_add(o, "io_uring", t);
		return;
	}
	}
	json_object_put(t);
}

struct json_object *vg_event_to_json(const struct vg_output *o, const struct vg_event *ev,
				     const struct vg_process *p, const struct vg_container *c)
{
	struct json_object *obj = json_object_new_object();
	char when[48];

	vg_format_time(ev->hdr->time_ns, o->boot_wall_ns, when, sizeof(when));
	add_str(obj, "kind", "event");
	add_str(obj, "time", when);
	add_str(obj, "type", vg_event_type_name(ev->hdr->type));
	json_object_object_add(obj, "process", vg_process_to_json(p, ev));
	json_object_object_add(obj, "container", c ? vg_container_to_json(c) : NULL);
	add_int(obj, "cgroup_id", (long long)ev->hdr->cgroup_id);
	if (ev->hdr->flags & VIGIL_F_SETUP)
		add_bool(obj, "runtime_setup", true);
	add_typed(obj, ev);
	return obj;
}
