/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the rules tests share: raw records built by hand and viewed through struct vg_event,
 * the containers and process they come from, the built-in policy, and assertions on alerts.
 */
#ifndef VIGIL_TEST_RULES_FIXTURES_H
#define VIGIL_TEST_RULES_FIXTURES_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "unit.h"
#include "container.h"
#include "event.h"
#include "policy.h"
#include "proctab.h"
#include "records.h"
#include "rules.h"
#include "vigil/events.h"

#define NR_CAP_CHOWN		0
#define NR_CAP_DAC_OVERRIDE	1
#define NR_CAP_NET_BIND_SERVICE 10
#define NR_CAP_NET_RAW		13
#define NR_CAP_SYS_ADMIN	21

#define CONTAINER_ID "4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708"

/* ---- fixtures: raw records built by hand, viewed through struct vg_event ---- */

static __attribute__((unused)) _Alignas(8) unsigned char record[VIGIL_EVENT_MAX_SIZE];
static __attribute__((unused)) struct vg_event ev;
static __attribute__((unused)) struct vg_alert alerts[8];

static __attribute__((unused)) struct vg_container web = {
	.id = CONTAINER_ID,
	.runtime = VG_RT_PODMAN,
	.name = "web",
	.image = "localhost/app:1",
};
static __attribute__((unused)) struct vg_container anonymous = {.id = CONTAINER_ID, .runtime = VG_RT_DOCKER};
static __attribute__((unused)) struct vg_container db = {
	.id = "90ab1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
	.runtime = VG_RT_DOCKER,
	.name = "db",
	.image = "postgres:16",
};
static __attribute__((unused)) struct vg_process sh = {
	.pid = 4121,
	.uid = 1000,
	.euid = 1000,
	.comm = "sh",
	.exe = "/bin/sh",
};

static __attribute__((unused)) struct vg_policy *builtin;

static inline void setup(void)
{
	builtin = vg_policy_builtin();
}

static inline void teardown(void)
{
	vg_policy_free(builtin);
}

static inline struct vg_policy *policy(const char *text)
{
	struct vg_policy *p = NULL;
	char err[512];

	ck_assert_msg(vg_policy_load_buffer("t.json", text, strlen(text), &p, err, sizeof(err)) ==
			      0,
		      "%s", err);
	return p;
}

static inline void *begin(__u16 type, size_t fixed)
{
	struct vigil_event_header *h = (void *)record;

	memset(record, 0, sizeof(record));
	memset(&ev, 0, sizeof(ev));
	h->type = type;
	h->size = (__u16)fixed;
	h->flags = VIGIL_F_CONTAINER;
	h->time_ns = 1000;
	h->cgroup_id = 77;
	h->pid = 4121;
	h->tid = 4121;
	ev.hdr = h;
	ev.raw = record;
	return record;
}

static inline const struct vg_event *exec_event(const char *exe, __u32 uid, __u32 euid, __u32 flags)
{
	struct vigil_exec *x = begin(VIGIL_EVENT_EXEC, sizeof(*x));
	static const char args[] = "sh\0-c\0id";
	size_t exe_len = strlen(exe) + 1;

	x->uid = uid;
	x->euid = euid;
	x->gid = uid;
	x->egid = euid;
	x->exec_flags = flags;
	x->exe_len = (__u16)exe_len;
	x->args_len = sizeof(args);
	snprintf(x->comm, sizeof(x->comm), "sh");
	memcpy(x->data, exe, exe_len);
	memcpy(x->data + exe_len, args, sizeof(args));
	x->hdr.size = (__u16)(sizeof(*x) + exe_len + sizeof(args));
	ev.str1 = x->data;
	ev.str2 = x->data + exe_len;
	ev.args_len = sizeof(args);
	ev.argc = 3;
	return &ev;
}

static inline const struct vg_event *setid_event(__u16 type, __u32 syscall, __s32 ret,
					  const __u32 old_ids[4], const __u32 new_ids[4], __u32 uid,
					  __u32 euid)
{
	struct vigil_setid *s = begin(type, sizeof(*s));

	s->syscall = syscall;
	s->ret = ret;
	s->args[0] = s->args[1] = s->args[2] = VIGIL_ID_UNCHANGED;
	memcpy(s->old_ids, old_ids, sizeof(s->old_ids));
	memcpy(s->new_ids, new_ids, sizeof(s->new_ids));
	s->uid = uid;
	s->euid = euid;
	return &ev;
}

static inline const struct vg_event *capable_event(__u32 cap, __s32 ret, __u32 flags)
{
	struct vigil_capable *c = begin(VIGIL_EVENT_CAPABLE, sizeof(*c));

	c->cap = cap;
	c->ret = ret;
	c->cap_flags = flags;
	return &ev;
}

static inline const struct vg_event *write_event(__u32 op, __s32 ret, int rootfs, const char *path,
					  const char *path2)
{
	struct vigil_write *w = begin(VIGIL_EVENT_WRITE, sizeof(*w));
	size_t len = strlen(path) + 1, len2 = path2 ? strlen(path2) + 1 : 0;

	w->op = op;
	w->ret = ret;
	w->open_flags = 01 | 01000; /* O_WRONLY|O_TRUNC */
	w->rootfs = (__u8)rootfs;
	w->path_len = (__u16)len;
	w->path2_len = (__u16)len2;
	memcpy(w->data, path, len);
	if (path2)
		memcpy(w->data + len, path2, len2);
	w->hdr.size = (__u16)(sizeof(*w) + len + len2);
	ev.str1 = w->data;
	ev.str2 = path2 ? w->data + len : NULL;
	ev.rootfs = rootfs;
	return &ev;
}

static inline const struct vg_event *inet_event(int family, const char *addr, __u16 port, __s32 ret)
{
	struct vigil_connect *c = begin(VIGIL_EVENT_CONNECT, sizeof(*c));

	c->family = family == AF_INET ? VIGIL_AF_INET : VIGIL_AF_INET6;
	c->port = port;
	c->ret = ret;
	ck_assert_int_eq(inet_pton(family, addr, c->addr), 1);
	return &ev;
}

static inline const struct vg_event *unix_event(const char *path, bool abstract, __s32 ret)
{
	struct vigil_connect *c = begin(VIGIL_EVENT_CONNECT, sizeof(*c));
	size_t len = strlen(path) + 1;

	c->family = VIGIL_AF_UNIX;
	c->ret = ret;
	c->connect_flags = abstract ? VIGIL_CONNECT_ABSTRACT : 0;
	c->path_len = (__u16)len;
	memcpy(c->data, path, len);
	c->hdr.size = (__u16)(sizeof(*c) + len);
	ev.str1 = c->data;
	return &ev;
}

static inline const struct vg_event *mount_event(__u32 syscall, __s32 ret, const char *source,
					  const char *target, const char *fstype)
{
	struct vigil_mount *m = begin(VIGIL_EVENT_MOUNT, sizeof(*m));
	size_t ls = strlen(source) + 1, lt = strlen(target) + 1, lf = strlen(fstype) + 1;

	m->syscall = syscall;
	m->ret = ret;
	m->source_len = (__u16)ls;
	m->target_len = (__u16)lt;
	m->fstype_len = (__u16)lf;
	memcpy(m->data, source, ls);
	memcpy(m->data + ls, target, lt);
	memcpy(m->data + ls + lt, fstype, lf);
	m->hdr.size = (__u16)(sizeof(*m) + ls + lt + lf);
	ev.str1 = m->data;
	ev.str2 = m->data + ls;
	ev.str3 = m->data + ls + lt;
	return &ev;
}

static inline int eval(const struct vg_policy *p, const struct vg_event *e, const struct vg_process *proc,
		const struct vg_container *c)
{
	memset(alerts, 0, sizeof(alerts));
	return vg_rules_eval(p, e, proc, c, alerts, 8);
}

/* Exactly one alert, of this rule, severity and key. */
static inline const struct vg_alert *one(int n, const char *rule, enum vg_severity sev, const char *key)
{
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(alerts[0].rule, rule);
	ck_assert_str_eq(vg_severity_name(alerts[0].severity), vg_severity_name(sev));
	ck_assert_str_eq(alerts[0].key, key);
	return &alerts[0];
}

static inline void mitre_is(const struct vg_alert *a, const char *t0, const char *t1, const char *t2)
{
	const char *want[3] = {t0, t1, t2};

	for (int i = 0; i < 3; i++) {
		if (!want[i]) {
			ck_assert_ptr_null(a->mitre[i]);
			return;
		}
		ck_assert_ptr_nonnull(a->mitre[i]);
		ck_assert_str_eq(a->mitre[i], want[i]);
	}
	ck_assert_ptr_null(a->mitre[3]);
}

static inline void says(const struct vg_alert *a, const char *text)
{
	ck_assert_msg(strstr(a->message, text), "message \"%s\" lacks \"%s\"", a->message, text);
}

#endif
