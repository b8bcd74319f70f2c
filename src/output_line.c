// SPDX-License-Identifier: GPL-2.0
/* The event line (SPEC "JSON output") written directly, for --events' rate. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "container.h"
#include "event.h"
#include "jsonw.h"
#include "output.h"
#include "output_internal.h"
#include "proctab.h"

/*
 * ---- the event line written directly ----
 *
 * What emit(vg_event_to_json()) prints, byte for byte, without the object tree: an event line
 * is printed for every event with --events, a million a second. vg_event_to_json() stays the
 * reference (alerts embed its object, the text format reads it); the unit tests hold the two
 * to the same bytes. The state below is shared by every output: vigil renders from one thread.
 */

static struct vg_jsonw line; /* the line being rendered: its memory is kept for the next */

static void __attribute__((destructor)) free_line(void)
{
	vg_jsonw_free(&line);
}

/*
 * '"' and the date and time to the second with its '.': formatted when the second changes,
 * by vg_format_time()'s own format; the nanoseconds are written each time.
 */
static struct {
	__u64 sec;
	size_t len; /* 0: nothing cached */
	char text[40];
} when_cache;

static void w_time(struct vg_jsonw *w, __u64 boot_ns, __u64 boot_wall_ns)
{
	__u64 wall = boot_ns + boot_wall_ns, sec = wall / 1000000000ULL;
	unsigned int ns = (unsigned int)(wall % 1000000000ULL);
	char buf[sizeof(when_cache.text) + 11];
	size_t len;

	if (!when_cache.len || when_cache.sec != sec) {
		time_t secs = (time_t)sec;
		struct tm tm;
		int n;

		when_cache.len = 0;
		if (!gmtime_r(&secs, &tm))
			goto slow;
		n = snprintf(when_cache.text, sizeof(when_cache.text),
			     "\"%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900, tm.tm_mon + 1,
			     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (n <= 0 || (size_t)n >= sizeof(when_cache.text))
			goto slow;
		when_cache.sec = sec;
		when_cache.len = (size_t)n;
	}
	len = when_cache.len;
	memcpy(buf, when_cache.text, len);
	for (int i = 8; i >= 0; i--, ns /= 10)
		buf[len + i] = (char)('0' + ns % 10);
	memcpy(buf + len + 9, "Z\"", 2);
	vg_jsonw_raw(w, buf, len + 11);
	return;
slow:
	vg_format_time(boot_ns, boot_wall_ns, buf, sizeof(buf));
	vg_jsonw_str(w, buf);
}

/*
 * vg_open_flags_str() by flags value: a storm opens with the same few flags again and again,
 * and the names are put together with snprintf. Direct mapped, '"' included.
 */
#define OPEN_FLAGS_SLOTS 16

static struct {
	unsigned int flags;
	size_t len; /* 0: empty slot */
	char text[162];
} open_flags_cache[OPEN_FLAGS_SLOTS];

static void w_open_flags(struct vg_jsonw *w, unsigned int flags)
{
	unsigned int h = (flags * 0x9e3779b1u) >> 28;
	char names[160];
	size_t n;

	if (!open_flags_cache[h].len || open_flags_cache[h].flags != flags) {
		vg_open_flags_str(flags, names, sizeof(names));
		n = strlen(names);
		/* the names need no escaping: letters, '_', '|' and hex digits */
		open_flags_cache[h].text[0] = '"';
		memcpy(open_flags_cache[h].text + 1, names, n);
		open_flags_cache[h].text[n + 1] = '"';
		open_flags_cache[h].len = n + 2;
		open_flags_cache[h].flags = flags;
	}
	vg_jsonw_raw(w, open_flags_cache[h].text, open_flags_cache[h].len);
}

/* A member: K("pid") is the key as written, quoted and with its colon. */
#define K(key) VG_JSONW_QUOTED_KEY(key)

static void w_str(struct vg_jsonw *w, const char *key, size_t key_len, const char *val)
{
	vg_jsonw_key_raw(w, key, key_len);
	vg_jsonw_str(w, val);
}

static void w_int(struct vg_jsonw *w, const char *key, size_t key_len, long long val)
{
	vg_jsonw_key_raw(w, key, key_len);
	vg_jsonw_int(w, val);
}

static void w_bool(struct vg_jsonw *w, const char *key, size_t key_len, bool val)
{
	vg_jsonw_key_raw(w, key, key_len);
	vg_jsonw_bool(w, val);
}

static void w_args(struct vg_jsonw *w, const char *args, unsigned int len)
{
	unsigned int i = 0;

	VG_JSONW_KEY(w, "args");
	vg_jsonw_open_array(w);
	while (i < len) {
		size_t n = strnlen(args + i, len - i);

		vg_jsonw_string(w, args + i, n);
		i += n + 1;
	}
	vg_jsonw_close_array(w);
}

/* What vg_process_to_json() writes of a table entry after "pid" and "tid". */
static void w_process_rest(struct vg_jsonw *w, const struct vg_process *p)
{
	w_int(w, K("vpid"), p->vpid);
	w_int(w, K("ppid"), p->ppid);
	w_int(w, K("uid"), p->uid);
	w_int(w, K("euid"), p->euid);
	w_int(w, K("gid"), p->gid);
	w_str(w, K("comm"), p->comm);
	if (p->exe)
		w_str(w, K("exe"), p->exe);
	if (p->args) {
		w_args(w, p->args, p->args_len);
		if (p->args_truncated)
			w_bool(w, K("args_truncated"), true);
	}
	if (p->flags & VG_PROC_SETUP)
		w_bool(w, K("runtime_setup"), true);
}

/*
 * That part repeats in every event of a process, so it is kept, with a copy of every field it
 * shows: an entry is used only while they all compare equal, so a setuid, an exec or another
 * process at the same address is seen at once and nothing needs to tell the cache.
 */
#define PROC_SET_BITS 7 /* two slots a set: processes whose addresses collide share it */
#define PROC_SLOTS    (2 << PROC_SET_BITS)

struct proc_slot {
	bool used;
	bool recent; /* of its set, the slot used last: the other one is replaced first */
	__u32 vpid, ppid, uid, euid, gid;
	char comm[sizeof(((struct vg_process *)0)->comm)];
	bool has_exe, has_args, args_truncated, setup;
	size_t exe_len; /* strings: exe and its NUL, then args_len bytes of args */
	unsigned int args_len;
	char *strings;
	size_t strings_cap;
	struct vg_jsonw json; /* ',' and the members, as w_process_rest() writes them */
};

static struct proc_slot proc_cache[PROC_SLOTS];

static void __attribute__((destructor)) free_proc_cache(void)
{
	for (int i = 0; i < PROC_SLOTS; i++) {
		free(proc_cache[i].strings);
		vg_jsonw_free(&proc_cache[i].json);
	}
}

static bool proc_slot_matches(const struct proc_slot *s, const struct vg_process *p)
{
	return s->used && s->vpid == p->vpid && s->ppid == p->ppid && s->uid == p->uid &&
	       s->euid == p->euid && s->gid == p->gid && s->has_exe == !!p->exe &&
	       s->has_args == !!p->args && s->args_truncated == p->args_truncated &&
	       s->setup == !!(p->flags & VG_PROC_SETUP) && s->args_len == p->args_len &&
	       !memcmp(s->comm, p->comm, sizeof(s->comm)) &&
	       (!p->exe || !strcmp(s->strings, p->exe)) &&
	       (!p->args || !memcmp(s->strings + s->exe_len, p->args, p->args_len));
}

/* s made p's: its fields copied, its members written; false (s unused) on ENOMEM. */
static bool proc_slot_fill(struct proc_slot *s, const struct vg_process *p)
{
	size_t exe_len = p->exe ? strlen(p->exe) + 1 : 0;
	size_t need = exe_len + (p->args ? p->args_len : 0) + 1;

	s->used = false;
	if (need > s->strings_cap) {
		char *grown = realloc(s->strings, need);

		if (!grown)
			return false;
		s->strings = grown;
		s->strings_cap = need;
	}
	s->strings[0] = '\0';
	if (p->exe)
		memcpy(s->strings, p->exe, exe_len);
	if (p->args)
		memcpy(s->strings + exe_len, p->args, p->args_len);
	s->exe_len = exe_len;
	s->vpid = p->vpid;
	s->ppid = p->ppid;
	s->uid = p->uid;
	s->euid = p->euid;
	s->gid = p->gid;
	memcpy(s->comm, p->comm, sizeof(s->comm));
	s->has_exe = p->exe;
	s->has_args = p->args;
	s->args_truncated = p->args_truncated;
	s->setup = p->flags & VG_PROC_SETUP;
	s->args_len = p->args_len;
	vg_jsonw_reset(&s->json);
	s->json.comma = true; /* it follows "pid" */
	w_process_rest(&s->json, p);
	s->used = !s->json.failed;
	return s->used;
}

/* The kept members of p ('"," first), *len bytes; NULL if they could not be kept. */
static const char *proc_rest(const struct vg_process *p, size_t *len)
{
	/* Fibonacci hashing of the address: entries a fixed size apart spread over the sets */
	struct proc_slot *set =
		&proc_cache[2 * (((uintptr_t)p * 0x9e3779b97f4a7c15ull) >> (64 - PROC_SET_BITS))];
	struct proc_slot *s;

	if (proc_slot_matches(&set[0], p)) {
		s = &set[0];
	} else if (proc_slot_matches(&set[1], p)) {
		s = &set[1];
	} else {
		s = set[0].recent ? &set[1] : &set[0];
		if (!proc_slot_fill(s, p))
			return NULL;
	}
	set[0].recent = s == &set[0];
	set[1].recent = s == &set[1];
	*len = s->json.len;
	return s->json.buf;
}

/* vg_process_to_json() */
static void w_process(struct vg_jsonw *w, const struct vg_process *p, const struct vg_event *ev)
{
	const struct vigil_event_header *h = ev->hdr;
	const char *rest;
	size_t len;

	VG_JSONW_KEY(w, "process");
	vg_jsonw_open_object(w);
	w_int(w, K("pid"), h->pid);
	if (h->tid != h->pid)
		w_int(w, K("tid"), h->tid);
	if (!p) {
		/* a process that predates what we saw: what the record itself says */
		if (h->type == VIGIL_EVENT_CAPABLE) {
			w_int(w, K("uid"), ev->capable->uid);
			w_int(w, K("euid"), ev->capable->euid);
		} else if (h->type == VIGIL_EVENT_EXEC) {
			const struct vigil_exec *e = ev->exec;

			w_int(w, K("vpid"), e->vpid);
			w_int(w, K("ppid"), e->ppid);
			w_int(w, K("uid"), e->uid);
			w_int(w, K("euid"), e->euid);
			w_int(w, K("gid"), e->gid);
			VG_JSONW_KEY(w, "comm");
			vg_jsonw_string(w, e->comm, strnlen(e->comm, VIGIL_COMM_LEN));
			if (vg_event_exe(ev)[0])
				w_str(w, K("exe"), vg_event_exe(ev));
			if (ev->args_len)
				w_args(w, ev->str2, ev->args_len);
		}
	} else if ((rest = proc_rest(p, &len))) {
		vg_jsonw_append(w, rest, len); /* after a value: w's comma state holds */
	} else {
		w_process_rest(w, p);
	}
	vg_jsonw_close_object(w);
}

/* As inet_ntop() writes it ("%u.%u.%u.%u"), quoted, without its sprintf. */
static void w_ipv4(struct vg_jsonw *w, const __u8 *addr)
{
	char text[sizeof("\"255.255.255.255\"")], *out = text;

	*out++ = '"';
	for (int i = 0; i < 4; i++) {
		unsigned int b = addr[i];

		if (b >= 100)
			*out++ = (char)('0' + b / 100);
		if (b >= 10)
			*out++ = (char)('0' + b / 10 % 10);
		*out++ = (char)('0' + b % 10);
		*out++ = i < 3 ? '.' : '"';
	}
	vg_jsonw_raw(w, text, (size_t)(out - text));
}

/* add_typed() */
static void w_typed(struct vg_jsonw *w, const struct vg_event *ev)
{
	char buf[INET6_ADDRSTRLEN + 8], upath[VIGIL_UNIX_PATH_MAX + 2];

	switch (ev->hdr->type) {
	case VIGIL_EVENT_EXEC: {
		const struct vigil_exec *e = ev->exec;

		VG_JSONW_KEY(w, "exec");
		vg_jsonw_open_object(w);
		w_bool(w, K("secureexec"), e->exec_flags & VIGIL_EXEC_SECUREEXEC);
		if (e->exec_flags & VIGIL_EXEC_EXE_TRUNC)
			w_bool(w, K("exe_truncated"), true);
		if (e->hdr.flags & VIGIL_F_SNAPSHOT)
			w_bool(w, K("snapshot"), true);
		if (ev->has_file) {
			w_str(w, K("execve_path"), ev->str1);
			w_int(w, K("inode"), ev->file.ino);
			w_int(w, K("nlink"), ev->file.nlink);
			w_str(w, K("origin"), vg_origin_name(ev->file.origin));
			w_bool(w, K("no_name"), ev->file.origin == VIGIL_ORIGIN_NONAME);
			if (ev->path_flags & VIGIL_PATH_TRUNC)
				w_bool(w, K("path_truncated"), true);
		}
		break;
	}
	case VIGIL_EVENT_FORK:
		VG_JSONW_KEY(w, "fork");
		vg_jsonw_open_object(w);
		w_int(w, K("child_pid"), ev->fork->child_pid);
		w_int(w, K("child_vpid"), ev->fork->child_vpid);
		break;
	case VIGIL_EVENT_EXIT: {
		struct vg_exit_status st = vg_exit_status(ev->exit->exit_code);

		VG_JSONW_KEY(w, "exit");
		vg_jsonw_open_object(w);
		VG_JSONW_KEY(w, "code");
		if (st.code >= 0)
			vg_jsonw_int(w, st.code);
		else
			vg_jsonw_null(w);
		VG_JSONW_KEY(w, "signal");
		if (st.signal)
			vg_jsonw_int(w, st.signal);
		else
			vg_jsonw_null(w);
		if (st.core_dumped)
			w_bool(w, K("core_dumped"), true);
		break;
	}
	case VIGIL_EVENT_SETUID:
	case VIGIL_EVENT_SETGID: {
		const struct vigil_setid *s = ev->setid;
		bool uids = s->hdr.type == VIGIL_EVENT_SETUID;

		static const char *const keys[2][4] = {
			{"gid", "egid", "sgid", "fsgid"},
			{"uid", "euid", "suid", "fsuid"},
		};

		vg_jsonw_key(w, uids ? "setuid" : "setgid");
		vg_jsonw_open_object(w);
		w_str(w, K("syscall"), vg_setid_syscall_name(s->syscall));
		for (int i = 0; i < 4; i++) {
			vg_jsonw_key(w, keys[uids][i]);
			vg_jsonw_int(w, changed_id(s->old_ids[i], s->new_ids[i]));
		}
		w_int(w, K("ret"), s->ret);
		break;
	}
	case VIGIL_EVENT_CAPABLE: {
		const char *name = vg_cap_name(ev->capable->cap);

		VG_JSONW_KEY(w, "capability");
		vg_jsonw_open_object(w);
		if (!name) {
			snprintf(buf, sizeof(buf), "CAP_%u", ev->capable->cap);
			name = buf;
		}
		w_str(w, K("name"), name);
		w_int(w, K("number"), ev->capable->cap);
		w_bool(w, K("granted"), ev->capable->ret == 0);
		w_bool(w, K("audited"), ev->capable->cap_flags & VIGIL_CAP_AUDITED);
		break;
	}
	case VIGIL_EVENT_MOUNT:
		VG_JSONW_KEY(w, "mount");
		vg_jsonw_open_object(w);
		w_str(w, K("source"), ev->str1);
		w_str(w, K("target"), ev->str2);
		w_str(w, K("fstype"), ev->str3);
		w_int(w, K("flags"), (long long)ev->mount->flags);
		w_str(w, K("syscall"), vg_mount_syscall_name(ev->mount->syscall));
		w_int(w, K("ret"), ev->mount->ret);
		break;
	case VIGIL_EVENT_CONNECT: {
		const struct vigil_connect *c = ev->connect;

		VG_JSONW_KEY(w, "connect");
		vg_jsonw_open_object(w);
		if (c->family == VIGIL_AF_UNIX) {
			w_str(w, K("family"), "unix");
			if (c->connect_flags & VIGIL_CONNECT_ABSTRACT) {
				snprintf(upath, sizeof(upath), "@%.*s", (int)sizeof(upath) - 2,
					 ev->str1);
				w_str(w, K("path"), upath);
				w_bool(w, K("abstract"), true);
			} else {
				w_str(w, K("path"), ev->str1);
			}
			if (c->connect_flags & VIGIL_CONNECT_PEER) {
				w_int(w, K("inode"), (long long)c->peer.ino);
				snprintf(buf, sizeof(buf), "%u:%u", c->peer.dev >> 20,
					 c->peer.dev & 0xfffff);
				w_str(w, K("device"), buf);
				w_bool(w, K("runtime_socket"),
				       c->connect_flags & VIGIL_CONNECT_RUNTIME_SOCKET);
			}
		} else if (c->family == VIGIL_AF_PACKET) {
			__u32 ifindex;

			memcpy(&ifindex, c->addr, sizeof(ifindex));
			w_str(w, K("family"), "packet");
			w_int(w, K("ifindex"), ifindex);
			w_int(w, K("ethertype"), c->port);
		} else {
			bool v4 = c->family == VIGIL_AF_INET;

			w_str(w, K("family"), v4 ? "inet" : "inet6");
			VG_JSONW_KEY(w, "address");
			if (v4)
				w_ipv4(w, c->addr);
			else
				vg_jsonw_str(w, inet_ntop(AF_INET6, c->addr, buf, sizeof(buf)));
			w_int(w, K("port"), c->port);
		}
		if (connect_protocol(c))
			w_str(w, K("protocol"), connect_protocol(c));
		if (c->connect_flags & VIGIL_CONNECT_HDRINCL)
			w_bool(w, K("hdrincl"), true);
		w_str(w, K("via"), connect_via(c));
		w_int(w, K("ret"), c->ret);
		break;
	}
	case VIGIL_EVENT_WRITE: {
		const struct vigil_write *wr = ev->write;

		VG_JSONW_KEY(w, "file");
		vg_jsonw_open_object(w);
		const char *key2 = vg_write_second_key(wr->op);

		w_str(w, K("path"), vg_event_write_path(ev));
		if (ev->rpath)
			w_str(w, K("path_passed"), ev->str1);
		if (ev->path_flags & VIGIL_PATH_JOINED)
			w_bool(w, K("path_joined"), true);
		if (ev->symlinks_followed)
			w_bool(w, K("symlinks_followed"), true);
		if (ev->path_flags & VIGIL_PATH_CHANGED)
			w_bool(w, K("path_changed"), true);
		if (ev->path_flags & VIGIL_PATH_TRUNC)
			w_bool(w, K("path_truncated"), true);
		if (ev->path_flags & VIGIL_PATH_MULTILINK)
			w_bool(w, K("multilink"), true);
		if (key2) {
			vg_jsonw_key(w, key2);
			vg_jsonw_str(w, vg_event_write_path2(ev));
			if (vg_write_second_passed(ev)) {
				vg_jsonw_key(w, vg_write_second_passed_key(wr->op));
				vg_jsonw_str(w, ev->str2);
			}
		}
		w_str(w, K("op"), vg_write_op_name(wr->op));
		if (wr->op == VIGIL_WRITE_OPEN) {
			VG_JSONW_KEY(w, "flags");
			w_open_flags(w, wr->open_flags);
		}
		VG_JSONW_KEY(w, "rootfs");
		if (ev->rootfs == VIGIL_ROOTFS_UNKNOWN)
			vg_jsonw_null(w);
		else
			vg_jsonw_bool(w, ev->rootfs == VIGIL_ROOTFS_YES);
		if (vg_event_by_io_uring(ev))
			w_str(w, K("via"), "io_uring");
		break;
	}
	case VIGIL_EVENT_IO_URING: {
		const struct vigil_io_uring *u = ev->io_uring;

		VG_JSONW_KEY(w, "io_uring");
		vg_jsonw_open_object(w);
		w_str(w, K("op"), vg_io_uring_op_name(u->op));
		w_int(w, K("fd"), u->fd);
		w_int(w, K("sq_entries"), u->sq_entries);
		w_bool(w, K("sqpoll"), u->setup_flags & VG_IORING_SETUP_SQPOLL);
		w_int(w, K("setup_flags"), u->setup_flags);
		break;
	}
	default:
		return; /* no typed object (decode refuses other types) */
	}
	vg_jsonw_close_object(w);
}

/* vg_event_to_json() into w, which is reset first. -1: out of memory. */
static int w_event(struct vg_jsonw *w, const struct vg_output *o, const struct vg_event *ev,
		   const struct vg_process *p, const struct vg_container *c)
{
	const char *cjson;
	size_t clen;

	vg_jsonw_reset(w);
	vg_jsonw_open_object(w);
	w_str(w, K("kind"), "event");
	VG_JSONW_KEY(w, "time");
	w_time(w, ev->hdr->time_ns, o->boot_wall_ns);
	w_str(w, K("type"), vg_event_type_name(ev->hdr->type));
	w_process(w, p, ev);
	VG_JSONW_KEY(w, "container");
	if (c) {
		/* the same object in every event of the container: serialized once, kept on it */
		cjson = vg_container_json(c, &clen);
		if (!cjson)
			return -1;
		vg_jsonw_raw(w, cjson, clen);
	} else {
		vg_jsonw_null(w);
	}
	w_int(w, K("cgroup_id"), (long long)ev->hdr->cgroup_id);
	if (ev->hdr->flags & VIGIL_F_SETUP)
		w_bool(w, K("runtime_setup"), true);
	w_typed(w, ev);
	vg_jsonw_close_object(w);
	return w->failed ? -1 : 0;
}

/* The event's line (with its '\n') in one write. */
int vg_output_event_line(struct vg_output *o, const struct vg_event *ev,
			 const struct vg_process *p, const struct vg_container *c)
{
	if (w_event(&line, o, ev, p, c))
		return -1;
	vg_jsonw_append(&line, "\n", 1);
	if (line.failed || fwrite(line.buf, 1, line.len, o->f) != line.len)
		return -1;
	return 0;
}
