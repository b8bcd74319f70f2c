/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw records (include/vigil/events.h) built by hand for the unit tests, the way the BPF
 * programs lay them out: fixed part, then the strings with their lengths, header.size the
 * whole record. Each builder writes into a caller buffer of at least VIGIL_EVENT_MAX_SIZE bytes
 * (8-byte aligned, see REC_BUF), zeroes what it does not set and returns the record's size.
 * Tests change fields afterwards (ids, flags, lengths) to build malformed records.
 */
#ifndef VIGIL_TEST_RECORDS_H
#define VIGIL_TEST_RECORDS_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "vigil/events.h"

/* A record buffer: REC_BUF(buf); then rec_exec(buf, ...). */
#define REC_BUF(name) _Alignas(8) unsigned char name[VIGIL_EVENT_MAX_SIZE]

#define REC_TIME_NS   5000000123ULL /* 5.000000123 s after boot */
#define REC_CGROUP_ID 4242ULL

static inline void *rec_begin(void *buf, __u16 type, size_t fixed, __u32 pid)
{
	struct vigil_event_header *h = buf;

	memset(buf, 0, VIGIL_EVENT_MAX_SIZE);
	h->type = type;
	h->size = (__u16)fixed;
	h->time_ns = REC_TIME_NS;
	h->cgroup_id = REC_CGROUP_ID;
	h->pid = pid;
	h->tid = pid;
	return buf;
}

/* Appends len bytes of s at *at; returns len. */
static inline size_t rec_put(char **at, const char *s, size_t len)
{
	memcpy(*at, s, len);
	*at += len;
	return len;
}

/*
 * exec of exe (NULL: a snapshot record without strings) with the argv block args of args_len
 * bytes (NUL separated; the last string may lack its NUL, as a truncated one does). comm is
 * the exe's last component. Ids 1000, vpid = pid, ppid 1.
 */
static inline size_t rec_exec(void *buf, __u32 pid, __u64 start_time, const char *exe,
			      const char *args, size_t args_len)
{
	struct vigil_exec *e = rec_begin(buf, VIGIL_EVENT_EXEC, sizeof(*e), pid);
	char *at = e->data;

	e->start_time = start_time;
	e->ppid = 1;
	e->vpid = pid;
	e->uid = e->euid = e->gid = e->egid = 1000;
	if (exe) {
		const char *base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
		size_t n = strlen(base);

		memcpy(e->comm, base, n < sizeof(e->comm) ? n : sizeof(e->comm) - 1);
		e->exe_len = (__u16)rec_put(&at, exe, strlen(exe) + 1);
		e->args_len = (__u16)rec_put(&at, args, args_len);
	}
	e->hdr.size = (__u16)(at - (char *)buf);
	return e->hdr.size;
}

static inline size_t rec_fork(void *buf, __u32 parent_pid, __u64 parent_start_time,
			      __u32 child_pid, __u64 child_start_time, __u32 child_vpid)
{
	struct vigil_fork *f = rec_begin(buf, VIGIL_EVENT_FORK, sizeof(*f), parent_pid);

	f->parent_start_time = parent_start_time;
	f->child_start_time = child_start_time;
	f->child_pid = child_pid;
	f->child_vpid = child_vpid;
	return sizeof(*f);
}

static inline size_t rec_exit(void *buf, __u32 pid, __u64 start_time, __s32 code)
{
	struct vigil_exit *x = rec_begin(buf, VIGIL_EVENT_EXIT, sizeof(*x), pid);

	x->start_time = start_time;
	x->exit_code = code;
	return sizeof(*x);
}

/* type VIGIL_EVENT_SETUID or VIGIL_EVENT_SETGID; ids real, effective, saved, fs. */
static inline size_t rec_setid(void *buf, __u16 type, __u32 syscall, __u32 pid, __s32 ret,
			       const __u32 old_ids[4], const __u32 new_ids[4])
{
	struct vigil_setid *s = rec_begin(buf, type, sizeof(*s), pid);

	s->syscall = syscall;
	s->ret = ret;
	s->args[0] = s->args[1] = s->args[2] = VIGIL_ID_UNCHANGED;
	memcpy(s->old_ids, old_ids, sizeof(s->old_ids));
	memcpy(s->new_ids, new_ids, sizeof(s->new_ids));
	s->uid = 1000;
	s->euid = 1000;
	return sizeof(*s);
}

static inline size_t rec_capable(void *buf, __u32 pid, __u32 cap, __s32 ret)
{
	struct vigil_capable *c = rec_begin(buf, VIGIL_EVENT_CAPABLE, sizeof(*c), pid);

	c->cap = cap;
	c->ret = ret;
	c->uid = 1000;
	c->euid = 0;
	return sizeof(*c);
}

/* Each string NUL terminated; "" is the kernel's absent string (length 1). */
static inline size_t rec_mount(void *buf, __u32 pid, __u32 syscall, const char *source,
			       const char *target, const char *fstype, __u64 flags)
{
	struct vigil_mount *m = rec_begin(buf, VIGIL_EVENT_MOUNT, sizeof(*m), pid);
	char *at = m->data;

	m->syscall = syscall;
	m->flags = flags;
	m->source_len = (__u16)rec_put(&at, source, strlen(source) + 1);
	m->target_len = (__u16)rec_put(&at, target, strlen(target) + 1);
	m->fstype_len = (__u16)rec_put(&at, fstype, strlen(fstype) + 1);
	m->hdr.size = (__u16)(at - (char *)buf);
	return m->hdr.size;
}

/* family AF_INET or AF_INET6, addr in text form, port in host order. */
static inline size_t rec_connect_inet(void *buf, __u32 pid, int family, const char *addr,
				      __u16 port)
{
	struct vigil_connect *c = rec_begin(buf, VIGIL_EVENT_CONNECT, sizeof(*c), pid);

	c->family = family == AF_INET ? VIGIL_AF_INET : VIGIL_AF_INET6;
	c->port = port;
	if (inet_pton(family, addr, c->addr) != 1)
		return 0;
	return sizeof(*c);
}

/* An abstract name is given without its leading NUL (and without the '@' shown for it). */
static inline size_t rec_connect_unix(void *buf, __u32 pid, const char *path, bool abstract)
{
	struct vigil_connect *c = rec_begin(buf, VIGIL_EVENT_CONNECT, sizeof(*c), pid);
	char *at = c->data;

	c->family = VIGIL_AF_UNIX;
	c->connect_flags = abstract ? VIGIL_CONNECT_ABSTRACT : 0;
	c->path_len = (__u16)rec_put(&at, path, strlen(path) + 1);
	c->hdr.size = (__u16)(at - (char *)buf);
	return c->hdr.size;
}

/* path2 NULL: the empty second string the kernel writes for every op but rename. */
static inline size_t rec_write(void *buf, __u32 pid, __u32 op, const char *path,
			       const char *path2, __u32 open_flags, __u8 rootfs)
{
	struct vigil_write *w = rec_begin(buf, VIGIL_EVENT_WRITE, sizeof(*w), pid);
	char *at = w->data;

	path2 = path2 ? path2 : "";
	w->op = op;
	w->open_flags = open_flags;
	w->mode = 0644;
	w->rootfs = rootfs;
	w->path_len = (__u16)rec_put(&at, path, strlen(path) + 1);
	w->path2_len = (__u16)rec_put(&at, path2, strlen(path2) + 1);
	w->hdr.size = (__u16)(at - (char *)buf);
	return w->hdr.size;
}

/* Appends what the kernel executed to an exec record made by rec_exec. */
static inline size_t rec_exec_file(void *buf, __u8 origin, __u8 path_flags, const char *rpath)
{
	struct vigil_exec *e = buf;
	struct vigil_exec_file f = {.ino = 77, .nlink = 1, .origin = origin};
	char *at = (char *)buf + e->hdr.size;

	f.path_flags = path_flags | VIGIL_PATH_RESOLVED;
	f.path_len = (__u16)(strlen(rpath) + 1);
	memcpy(at, &f, sizeof(f));
	at += sizeof(f);
	rec_put(&at, rpath, f.path_len);
	e->exec_flags |= VIGIL_EXEC_HAS_FILE;
	e->hdr.size = (__u16)(at - (char *)buf);
	return e->hdr.size;
}

/* Appends the resolved path to a write record made by rec_write. */
static inline size_t rec_write_resolved(void *buf, __u8 path_flags, const char *rpath)
{
	struct vigil_write *w = buf;
	char *at = (char *)buf + w->hdr.size;

	w->path_flags = path_flags | VIGIL_PATH_RESOLVED;
	w->rpath_len = (__u16)rec_put(&at, rpath, strlen(rpath) + 1);
	w->hdr.size = (__u16)(at - (char *)buf);
	return w->hdr.size;
}

/*
 * Appends the second resolved path (rename's new name, link's target) to a write record made
 * by rec_write (and rec_write_resolved, or not: the first may be absent), NUL terminated, in
 * what remains of the record; path_flags are or-ed in.
 */
static inline size_t rec_write_resolved2(void *buf, __u8 path_flags, const char *rpath2)
{
	struct vigil_write *w = buf;
	char *at = (char *)buf + w->hdr.size;

	w->path_flags |= path_flags | VIGIL_PATH_RESOLVED;
	rec_put(&at, rpath2, strlen(rpath2) + 1);
	w->hdr.size = (__u16)(at - (char *)buf);
	return w->hdr.size;
}

/* An io_uring instance made (VIGIL_IO_URING_CREATE) by pid, in a container. */
static inline size_t rec_io_uring(void *buf, __u32 pid, __s32 fd, __u32 sq_entries,
				  __u32 setup_flags)
{
	struct vigil_io_uring *u = rec_begin(buf, VIGIL_EVENT_IO_URING, sizeof(*u), pid);

	u->hdr.flags = VIGIL_F_CONTAINER;
	u->op = VIGIL_IO_URING_CREATE;
	u->fd = fd;
	u->sq_entries = sq_entries;
	u->setup_flags = setup_flags;
	return sizeof(*u);
}

/* A cgroup record: path NULL for a removal (VIGIL_CGROUP_REMOVED, no path). */
static inline size_t rec_cgroup(void *buf, __u64 cgroup_id, const char *path)
{
	struct vigil_cgroup *g = rec_begin(buf, VIGIL_EVENT_CGROUP, sizeof(*g), 1);
	char *at = g->data;

	g->hdr.cgroup_id = cgroup_id;
	g->hdr.flags = VIGIL_F_CONTAINER;
	if (path)
		g->path_len = (__u16)rec_put(&at, path, strlen(path) + 1);
	else
		g->cgroup_flags = VIGIL_CGROUP_REMOVED;
	g->hdr.size = (__u16)(at - (char *)buf);
	return g->hdr.size;
}

#endif
