// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of SPEC ("Rules") and README's extensions (container_io_uring): each fires on the
 * behaviour it guards and stays quiet on its look-alikes (set-up work, host processes, what the policy allows, failed or harmless
 * calls); alerts carry the rule id, severity, MITRE ids, a key and an actionable message.
 * And repeat suppression (vg_dedup_*): one alert per (rule, container, key), counted after.
 */
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

static _Alignas(8) unsigned char record[VIGIL_EVENT_MAX_SIZE];
static struct vg_event ev;
static struct vg_alert alerts[8];

static struct vg_container web = {
	.id = CONTAINER_ID,
	.runtime = VG_RT_PODMAN,
	.name = "web",
	.image = "localhost/app:1",
};
static struct vg_container anonymous = {.id = CONTAINER_ID, .runtime = VG_RT_DOCKER};
static struct vg_container db = {
	.id = "90ab1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7",
	.runtime = VG_RT_DOCKER,
	.name = "db",
	.image = "postgres:16",
};
static struct vg_process sh = {
	.pid = 4121,
	.uid = 1000,
	.euid = 1000,
	.comm = "sh",
	.exe = "/bin/sh",
};

static struct vg_policy *builtin;

static void setup(void)
{
	builtin = vg_policy_builtin();
}

static void teardown(void)
{
	vg_policy_free(builtin);
}

static struct vg_policy *policy(const char *text)
{
	struct vg_policy *p = NULL;
	char err[512];

	ck_assert_msg(vg_policy_load_buffer("t.json", text, strlen(text), &p, err, sizeof(err)) ==
			      0,
		      "%s", err);
	return p;
}

static void *begin(__u16 type, size_t fixed)
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

static const struct vg_event *exec_event(const char *exe, __u32 uid, __u32 euid, __u32 flags)
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

static const struct vg_event *setid_event(__u16 type, __u32 syscall, __s32 ret,
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

static const struct vg_event *capable_event(__u32 cap, __s32 ret, __u32 flags)
{
	struct vigil_capable *c = begin(VIGIL_EVENT_CAPABLE, sizeof(*c));

	c->cap = cap;
	c->ret = ret;
	c->cap_flags = flags;
	return &ev;
}

static const struct vg_event *write_event(__u32 op, __s32 ret, int rootfs, const char *path,
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

static const struct vg_event *inet_event(int family, const char *addr, __u16 port, __s32 ret)
{
	struct vigil_connect *c = begin(VIGIL_EVENT_CONNECT, sizeof(*c));

	c->family = family == AF_INET ? VIGIL_AF_INET : VIGIL_AF_INET6;
	c->port = port;
	c->ret = ret;
	ck_assert_int_eq(inet_pton(family, addr, c->addr), 1);
	return &ev;
}

static const struct vg_event *unix_event(const char *path, bool abstract, __s32 ret)
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

static const struct vg_event *mount_event(__u32 syscall, __s32 ret, const char *source,
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

static int eval(const struct vg_policy *p, const struct vg_event *e, const struct vg_process *proc,
		const struct vg_container *c)
{
	memset(alerts, 0, sizeof(alerts));
	return vg_rules_eval(p, e, proc, c, alerts, 8);
}

/* Exactly one alert, of this rule, severity and key. */
static const struct vg_alert *one(int n, const char *rule, enum vg_severity sev, const char *key)
{
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(alerts[0].rule, rule);
	ck_assert_str_eq(vg_severity_name(alerts[0].severity), vg_severity_name(sev));
	ck_assert_str_eq(alerts[0].key, key);
	return &alerts[0];
}

static void mitre_is(const struct vg_alert *a, const char *t0, const char *t1, const char *t2)
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

static void says(const struct vg_alert *a, const char *text)
{
	ck_assert_msg(strstr(a->message, text), "message \"%s\" lacks \"%s\"", a->message, text);
}

/* ---- general ---- */

START_TEST(severity_names)
{
	/* Proves the severity spellings of SPEC's JSON. */
	ck_assert_str_eq(vg_severity_name(VG_SEV_LOW), "low");
	ck_assert_str_eq(vg_severity_name(VG_SEV_MEDIUM), "medium");
	ck_assert_str_eq(vg_severity_name(VG_SEV_HIGH), "high");
	ck_assert_str_eq(vg_severity_name(VG_SEV_CRITICAL), "critical");
}
END_TEST

START_TEST(host_setup_and_degenerate_inputs_raise_nothing)
{
	/* Proves host processes, the runtime's set-up (flagged on the event or on the process),
	 * and calls without room for alerts raise nothing, for an event that otherwise alerts. */
	struct vg_process setup_proc = sh;

	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 0, 0, 0), &sh, &web), 1);
	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 0, 0, 0), &sh, NULL), 0);
	exec_event("/bin/sh", 0, 0, 0);
	((struct vigil_event_header *)record)->flags |= VIGIL_F_SETUP;
	ck_assert_int_eq(eval(builtin, &ev, &sh, &web), 0);
	setup_proc.flags = VG_PROC_SETUP;
	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 0, 0, 0), &setup_proc, &web), 0);
	ck_assert_int_eq(
		vg_rules_eval(builtin, exec_event("/bin/sh", 0, 0, 0), &sh, &web, alerts, 0), 0);
	ck_assert_int_eq(eval(NULL, exec_event("/bin/sh", 0, 0, 0), &sh, &web), 0);
}
END_TEST

START_TEST(output_is_bounded_by_max)
{
	/* Proves an event raising two alerts writes only as many as there is room for. */
	const struct vg_event *e = exec_event("/usr/bin/passwd", 1000, 0, VIGIL_EXEC_SECUREEXEC);

	ck_assert_int_eq(eval(builtin, e, &sh, &web), 2);
	memset(alerts, 0, sizeof(alerts));
	ck_assert_int_eq(vg_rules_eval(builtin, e, &sh, &web, alerts, 1), 1);
	ck_assert_ptr_null(alerts[1].rule);
}
END_TEST

START_TEST(entry_precedence_decides)
{
	/* Proves the policy entry selected for the container is the one applied: the same event
	 * alerts in one container and not in another whose entry allows it. */
	struct vg_policy *p =
		policy("{\"containers\": [{\"match\": {\"name\": \"web\"}, "
		       "\"allow_root\": true}, {\"match\": {}, \"allow_root\": false}]}");

	ck_assert_int_eq(eval(p, exec_event("/bin/sh", 0, 0, 0), &sh, &web), 0);
	one(eval(p, exec_event("/bin/sh", 0, 0, 0), &sh, &db), "container_root_exec", VG_SEV_MEDIUM,
	    "/bin/sh");
	vg_policy_free(p);
}
END_TEST

/* ---- container_root_exec ---- */

START_TEST(root_exec_fires)
{
	/* Proves an exec with euid 0 alerts, naming program, pid, container, image and policy. */
	const struct vg_alert *a = one(eval(builtin, exec_event("/bin/sh", 0, 0, 0), &sh, &web),
				       "container_root_exec", VG_SEV_MEDIUM, "/bin/sh");

	mitre_is(a, "T1611", NULL, NULL);
	says(a, "process /bin/sh (pid 4121) ran as root in container web (localhost/app:1); "
		"policy expects a non-root user (allow_root false)");
}
END_TEST

START_TEST(root_exec_quiet)
{
	/* Proves a non-root exec, and a root exec the policy allows, raise nothing. */
	struct vg_policy *p = policy("{\"default\": {\"allow_root\": true}}");

	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 1000, 1000, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(builtin, exec_event("/bin/sh", 0, 1000, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, exec_event("/bin/sh", 0, 0, 0), &sh, &web), 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(messages_without_name_or_process)
{
	/* Proves a container without a name is named by its short id, and an event whose
	 * process is unknown still names what it can (the exe, or the pid). */
	struct vg_process no_exe = sh;
	const struct vg_alert *a =
		one(eval(builtin, exec_event("/bin/id", 0, 0, 0), NULL, &anonymous),
		    "container_root_exec", VG_SEV_MEDIUM, "/bin/id");

	says(a, "process /bin/id (pid 4121) ran as root in container 4f1c2b3a5d6e;");
	a = one(eval(builtin, mount_event(VIGIL_SYS_MOUNT, 0, "proc", "/mnt", "proc"), NULL, &web),
		"container_mount", VG_SEV_HIGH, "/mnt");
	says(a, "process pid 4121 called mount");
	no_exe.exe = NULL;
	a = one(eval(builtin, mount_event(VIGIL_SYS_MOUNT, 0, "proc", "/mnt", "proc"), &no_exe,
		     &web),
		"container_mount", VG_SEV_HIGH, "/mnt");
	says(a, "process sh (pid 4121) called mount");
}
END_TEST

/* ---- container_privilege_escalation ---- */

static const __u32 ids_1000[4] = {1000, 1000, 1000, 1000};
static const __u32 ids_0[4] = {0, 0, 0, 0};

START_TEST(escalation_by_setuid_call)
{
	/* Proves a set*uid call taking a process without any root id to root alerts high. */
	const struct vg_alert *a = one(eval(builtin,
					    setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 0,
							ids_1000, ids_0, 1000, 1000),
					    &sh, &web),
				       "container_privilege_escalation", VG_SEV_HIGH, "/bin/sh");

	mitre_is(a, "T1548.001", "T1068", NULL);
	says(a, "process /bin/sh (pid 4121) became root with setresuid (real/effective/saved/fs "
		"uid 1000/1000/1000/1000 -> 0/0/0/0) in container web (localhost/app:1)");
	says(a, "allow_privilege_escalation false");

	static const __u32 only_euid[4] = {1000, 0, 1000, 0};

	one(eval(builtin,
		 setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETREUID, 0, ids_1000, only_euid, 1000,
			     1000),
		 &sh, &web),
	    "container_privilege_escalation", VG_SEV_HIGH, "/bin/sh");
}
END_TEST

START_TEST(escalation_by_setfsuid_despite_its_return)
{
	/* Proves setfsuid, which returns the previous fsuid rather than 0, is judged by the ids
	 * after the call: to fsuid 0 alerts, an unchanged fsuid does not. */
	static const __u32 fs0[4] = {1000, 1000, 1000, 0};

	one(eval(builtin,
		 setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETFSUID, 1000, ids_1000, fs0, 1000,
			     1000),
		 &sh, &web),
	    "container_privilege_escalation", VG_SEV_HIGH, "/bin/sh");
	ck_assert_int_eq(eval(builtin,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETFSUID, 1000, ids_1000,
					  ids_1000, 1000, 1000),
			      &sh, &web),
			 0);
}
END_TEST

START_TEST(escalation_quiet_cases)
{
	/* Proves no alert for: a failed call, dropping root, regaining a root id the process
	 * kept (saved uid 0), a change between non-root ids, and a policy that allows it. */
	static const __u32 saved_root[4] = {1000, 1000, 0, 1000};
	static const __u32 ids_2000[4] = {2000, 2000, 2000, 2000};
	struct vg_policy *p = policy("{\"default\": {\"allow_privilege_escalation\": true}}");

	ck_assert_int_eq(eval(builtin,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, -EPERM, ids_1000,
					  ids_1000, 1000, 1000),
			      &sh, &web),
			 0);
	ck_assert_int_eq(
		eval(builtin,
		     setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 0, ids_0, ids_1000, 0, 0),
		     &sh, &web),
		0);
	ck_assert_int_eq(eval(builtin,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 0, saved_root,
					  ids_0, 1000, 1000),
			      &sh, &web),
			 0);
	ck_assert_int_eq(eval(builtin,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETUID, 0, ids_1000,
					  ids_2000, 1000, 1000),
			      &sh, &web),
			 0);
	ck_assert_int_eq(eval(p,
			      setid_event(VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 0, ids_1000,
					  ids_0, 1000, 1000),
			      &sh, &web),
			 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(escalation_by_setgid_only_for_non_root)
{
	/* Proves a non-root process gaining gid 0 alerts, while a root process changing its
	 * groups does not. */
	const struct vg_alert *a = one(eval(builtin,
					    setid_event(VIGIL_EVENT_SETGID, VIGIL_SYS_SETGID, 0,
							ids_1000, ids_0, 1000, 1000),
					    &sh, &web),
				       "container_privilege_escalation", VG_SEV_HIGH, "/bin/sh");

	says(a, "became group root with setgid (real/effective/saved/fs gid");
	ck_assert_int_eq(
		eval(builtin,
		     setid_event(VIGIL_EVENT_SETGID, VIGIL_SYS_SETRESGID, 0, ids_1000, ids_0, 0, 0),
		     &sh, &web),
		0);
	ck_assert_int_eq(
		eval(builtin,
		     setid_event(VIGIL_EVENT_SETGID, VIGIL_SYS_SETGID, 0, ids_1000, ids_0, 1000, 0),
		     &sh, &web),
		0);
}
END_TEST

START_TEST(escalation_by_setuid_binary)
{
	/* Proves an exec of a set-uid root program by a non-root user alerts (besides running
	 * as root), and that neither a plain root exec nor a secure exec keeping euid does. */
	struct vg_policy *p = policy("{\"default\": {\"allow_root\": true}}");
	const struct vg_alert *a = one(
		eval(p, exec_event("/usr/bin/passwd", 1000, 0, VIGIL_EXEC_SECUREEXEC), &sh, &web),
		"container_privilege_escalation", VG_SEV_HIGH, "/usr/bin/passwd");

	mitre_is(a, "T1548.001", NULL, NULL);
	says(a, "process /usr/bin/passwd (pid 4121) is a set-uid root program run by uid 1000");
	ck_assert_int_eq(eval(builtin,
			      exec_event("/usr/bin/passwd", 1000, 0, VIGIL_EXEC_SECUREEXEC), &sh,
			      &web),
			 2);
	ck_assert_str_eq(alerts[0].rule, "container_root_exec");
	ck_assert_str_eq(alerts[1].rule, "container_privilege_escalation");
	ck_assert_int_eq(eval(p, exec_event("/bin/sh", 1000, 0, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, exec_event("/bin/su", 0, 0, VIGIL_EXEC_SECUREEXEC), &sh, &web), 0);
	ck_assert_int_eq(eval(p,
			      exec_event("/usr/bin/ssh-agent", 1000, 1000, VIGIL_EXEC_SECUREEXEC),
			      &sh, &web),
			 0);
	vg_policy_free(p);
}
END_TEST

/* ---- container_capability_use ---- */

START_TEST(capability_dangerous_is_high)
{
	/* Proves a granted, audited use of a dangerous capability alerts high, as an escape. */
	const struct vg_alert *a =
		one(eval(builtin, capable_event(NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED), &sh, &web),
		    "container_capability_use", VG_SEV_HIGH, "CAP_SYS_ADMIN");

	mitre_is(a, "T1611", NULL, NULL);
	says(a, "process /bin/sh (pid 4121) used CAP_SYS_ADMIN in container web (localhost/app:1); "
		"policy allows no capabilities (allowed_capabilities)");
}
END_TEST

START_TEST(capability_other_is_low)
{
	/* Proves other capabilities alert low, listing what the policy does allow. */
	struct vg_policy *p = policy("{\"default\": {\"allowed_capabilities\": "
				     "[\"CAP_CHOWN\", \"NET_BIND_SERVICE\"]}}");
	const struct vg_alert *a =
		one(eval(p, capable_event(NR_CAP_NET_RAW, 0, VIGIL_CAP_AUDITED), &sh, &web),
		    "container_capability_use", VG_SEV_LOW, "CAP_NET_RAW");

	mitre_is(a, "T1548", NULL, NULL);
	says(a, "policy allows only CAP_CHOWN, CAP_NET_BIND_SERVICE (allowed_capabilities)");
	one(eval(p, capable_event(NR_CAP_DAC_OVERRIDE, 0, VIGIL_CAP_AUDITED), &sh, &web),
	    "container_capability_use", VG_SEV_LOW, "CAP_DAC_OVERRIDE");
	vg_policy_free(p);
}
END_TEST

START_TEST(capability_quiet_cases)
{
	/* Proves no alert for a denied check, a non-audited check, a known-noise check, and a
	 * capability the policy allows. */
	struct vg_policy *p =
		policy("{\"default\": {\"allowed_capabilities\": [\"CAP_SYS_ADMIN\"]}}");

	ck_assert_int_eq(eval(builtin, capable_event(NR_CAP_SYS_ADMIN, -EPERM, VIGIL_CAP_AUDITED),
			      &sh, &web),
			 0);
	ck_assert_int_eq(eval(builtin, capable_event(NR_CAP_SYS_ADMIN, 0, 0), &sh, &web), 0);
	ck_assert_int_eq(
		eval(builtin,
		     capable_event(NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED | VIGIL_CAP_NOISE), &sh,
		     &web),
		0);
	ck_assert_int_eq(eval(p, capable_event(NR_CAP_SYS_ADMIN, 0, VIGIL_CAP_AUDITED), &sh, &web),
			 0);
	one(eval(p, capable_event(NR_CAP_NET_RAW, 0, VIGIL_CAP_AUDITED), &sh, &web),
	    "container_capability_use", VG_SEV_LOW, "CAP_NET_RAW");
	vg_policy_free(p);
}
END_TEST

/* ---- container_rootfs_write ---- */

START_TEST(rootfs_write_fires)
{
	/* Proves a successful write on the root filesystem outside writable paths alerts,
	 * including a path that climbs out of a writable one and a relative path. */
	const struct vg_alert *a =
		one(eval(builtin,
			 write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/etc/passwd", NULL),
			 &sh, &web),
		    "container_rootfs_write", VG_SEV_MEDIUM, "/etc/passwd");

	mitre_is(a, "T1543", "T1565.001", NULL);
	says(a, "process /bin/sh (pid 4121) opened /etc/passwd for writing on the root "
		"filesystem of container web (localhost/app:1); policy allows writes only under "
		"/tmp, /run (writable_paths)");
	one(eval(builtin,
		 write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/tmp/../etc/passwd", NULL),
		 &sh, &web),
	    "container_rootfs_write", VG_SEV_MEDIUM, "/tmp/../etc/passwd");
	one(eval(builtin, write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "notes.txt", NULL),
		 &sh, &web),
	    "container_rootfs_write", VG_SEV_MEDIUM, "notes.txt");
	a = one(eval(builtin,
		     write_event(VIGIL_WRITE_UNLINK, 0, VIGIL_ROOTFS_YES, "/usr/bin/id", NULL), &sh,
		     &web),
		"container_rootfs_write", VG_SEV_MEDIUM, "/usr/bin/id");
	says(a, "removed /usr/bin/id");
	a = one(eval(builtin, write_event(VIGIL_WRITE_MKDIR, 0, VIGIL_ROOTFS_YES, "/opt/x", NULL),
		     &sh, &web),
		"container_rootfs_write", VG_SEV_MEDIUM, "/opt/x");
	says(a, "created the directory /opt/x");
}
END_TEST

START_TEST(rootfs_write_rename_either_side)
{
	/* Proves a rename alerts on whichever side lies outside the writable paths. */
	const struct vg_alert *a = one(
		eval(builtin,
		     write_event(VIGIL_WRITE_RENAME, 0, VIGIL_ROOTFS_YES, "/tmp/x", "/usr/bin/ls"),
		     &sh, &web),
		"container_rootfs_write", VG_SEV_MEDIUM, "/usr/bin/ls");

	says(a, "renamed /tmp/x to /usr/bin/ls");
	one(eval(builtin,
		 write_event(VIGIL_WRITE_RENAME, 0, VIGIL_ROOTFS_YES, "/etc/hosts", "/tmp/hosts"),
		 &sh, &web),
	    "container_rootfs_write", VG_SEV_MEDIUM, "/etc/hosts");
	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_RENAME, 0, VIGIL_ROOTFS_YES, "/tmp/a", "/run/b"), &sh,
		     &web),
		0);
}
END_TEST

START_TEST(rootfs_write_quiet_cases)
{
	/* Proves no alert for: writes off the root filesystem (tmpfs, volume), undecided ones,
	 * writable paths, failed calls, and a policy that makes the path writable. */
	struct vg_policy *p = policy("{\"default\": {\"writable_paths\": [\"/var/lib/app\"]}}");

	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_NO, "/etc/passwd", NULL), &sh,
		     &web),
		0);
	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_UNKNOWN, "/etc/passwd", NULL),
		     &sh, &web),
		0);
	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/tmp/cache/x", NULL), &sh,
		     &web),
		0);
	ck_assert_int_eq(
		eval(builtin,
		     write_event(VIGIL_WRITE_OPEN, -EROFS, VIGIL_ROOTFS_YES, "/etc/passwd", NULL),
		     &sh, &web),
		0);
	ck_assert_int_eq(
		eval(p, write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/var/lib/app/db", NULL),
		     &sh, &web),
		0);
	one(eval(p, write_event(VIGIL_WRITE_OPEN, 3, VIGIL_ROOTFS_YES, "/tmp/x", NULL), &sh, &web),
	    "container_rootfs_write", VG_SEV_MEDIUM, "/tmp/x");
	vg_policy_free(p);
}
END_TEST

/* ---- container_sensitive_socket ---- */

START_TEST(sensitive_socket_fires_on_any_attempt)
{
	/* Proves a connect to a runtime socket is critical whether or not it succeeded. */
	const struct vg_alert *a =
		one(eval(builtin, unix_event("/var/run/docker.sock", false, 0), &sh, &web),
		    "container_sensitive_socket", VG_SEV_CRITICAL, "/var/run/docker.sock");

	mitre_is(a, "T1611", "T1609", "T1552.007");
	says(a, "process /bin/sh (pid 4121) connected to the sensitive socket /var/run/docker.sock "
		"in container web (localhost/app:1)");
	a = one(eval(builtin, unix_event("/run/containerd/containerd.sock", false, -ECONNREFUSED),
		     &sh, &web),
		"container_sensitive_socket", VG_SEV_CRITICAL, "/run/containerd/containerd.sock");
	says(a, "tried to connect to the sensitive socket");
	one(eval(builtin, unix_event("/run/podman/podman.sock", false, -EACCES), &sh, &web),
	    "container_sensitive_socket", VG_SEV_CRITICAL, "/run/podman/podman.sock");
}
END_TEST

START_TEST(sensitive_socket_abstract)
{
	/* Proves abstract sockets match as "@name", whether the record carries the '@' or not. */
	one(eval(builtin, unix_event("/containerd-shim/moby/abc/shim.sock", true, 0), &sh, &web),
	    "container_sensitive_socket", VG_SEV_CRITICAL, "@/containerd-shim/moby/abc/shim.sock");
	one(eval(builtin, unix_event("@/containerd-shim/k8s.sock", true, 0), &sh, &web),
	    "container_sensitive_socket", VG_SEV_CRITICAL, "@/containerd-shim/k8s.sock");
	/* the same name as a filesystem path is something else */
	ck_assert_int_eq(eval(builtin, unix_event("/containerd-shim/moby/abc/shim.sock", false, 0),
			      &sh, &web),
			 0);
}
END_TEST

START_TEST(sensitive_socket_quiet_cases)
{
	/* Proves ordinary sockets raise nothing (unix connects never count as egress), and a
	 * policy's own list replaces the built-in one. */
	struct vg_policy *p =
		policy("{\"default\": {\"sensitive_sockets\": [\"/run/vault.sock\"]}}");

	ck_assert_int_eq(
		eval(builtin, unix_event("/run/dbus/system_bus_socket", false, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(builtin, unix_event("", false, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, unix_event("/var/run/docker.sock", false, 0), &sh, &web), 0);
	one(eval(p, unix_event("/run/vault.sock", false, 0), &sh, &web),
	    "container_sensitive_socket", VG_SEV_CRITICAL, "/run/vault.sock");
	vg_policy_free(p);
}
END_TEST

/* ---- container_unexpected_egress ---- */

START_TEST(sensitive_socket_by_identity)
{
	/* Proves a unix connect is judged by the socket file its peer is bound to: a harmless
	 * path that reached the host's docker socket (by inode and device) alerts critical,
	 * keyed and named by the socket reached; the kernel's flag alone (a capture read away
	 * from its host) alerts too; a peer that is no runtime socket stays quiet; an entry
	 * that lists no sensitive sockets keeps it quiet. */
	struct vg_sock_identity id = {.ino = 777, .dev = 254u << 20, .path = "/run/docker.sock",
				      .runtime = true};
	struct vigil_connect *c;
	struct vg_policy *none = policy("{\"default\": {\"sensitive_sockets\": []}}");
	const struct vg_alert *a;

	builtin->sockets.ids = &id;
	builtin->sockets.n = 1;
	unix_event("/tmp/app.sock", false, 0);
	c = (struct vigil_connect *)record;
	c->connect_flags |= VIGIL_CONNECT_PEER;
	c->peer.ino = 777;
	c->peer.dev = 254u << 20;
	a = one(eval(builtin, &ev, &sh, &web), "container_sensitive_socket", VG_SEV_CRITICAL,
		"/run/docker.sock");
	says(a, "connected to /tmp/app.sock, which is the runtime socket /run/docker.sock "
		"(inode 777)");
	none->sockets = builtin->sockets;
	ck_assert_int_eq(eval(none, &ev, &sh, &web), 0);
	none->sockets = (struct vg_sockids){};
	vg_policy_free(none);
	c->peer.ino = 778;
	ck_assert_int_eq(eval(builtin, &ev, &sh, &web), 0);
	builtin->sockets = (struct vg_sockids){};
	c->connect_flags |= VIGIL_CONNECT_RUNTIME_SOCKET;
	a = one(eval(builtin, &ev, &sh, &web), "container_sensitive_socket", VG_SEV_CRITICAL,
		"/tmp/app.sock");
	says(a, "which the kernel knew as a runtime socket (inode 778)");
}
END_TEST

START_TEST(packet_frames_alert_unless_raw_networking_allowed)
{
	/* Proves a frame sent on a packet socket alerts high, keyed by interface and ethertype,
	 * and stays quiet where the policy grants CAP_NET_RAW (raw networking allowed). */
	struct vg_policy *p = policy("{\"default\": {\"allowed_capabilities\": [\"CAP_NET_RAW\"]}}");
	struct vigil_connect *c = begin(VIGIL_EVENT_CONNECT, sizeof(*c));
	const struct vg_alert *a;
	__u32 ifindex = 2;

	c->family = VIGIL_AF_PACKET;
	c->port = 0x0800;
	c->protocol = VIGIL_PROTO_PACKET;
	c->via = VIGIL_VIA_SENDTO;
	memcpy(c->addr, &ifindex, sizeof(ifindex));
	a = one(eval(builtin, &ev, &sh, &web), "container_unexpected_egress", VG_SEV_HIGH,
		"packet if2/0x0800");
	says(a, "interface 2, ethertype 0x0800");
	ck_assert_int_eq(eval(p, &ev, &sh, &web), 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(egress_udp_and_via)
{
	/* Proves a datagram sent with an address is judged like a connect: alerts with a key
	 * of "addr:port/udp" and the way it was sent, the IPv4-mapped form of an allowed IPv4
	 * destination stays silent over UDP too, and tcp keeps the plain key. */
	struct vg_policy *p = policy("{\"default\": {\"allowed_egress\": [\"127.0.0.1/32:53\"]}}");
	struct vigil_connect *c;
	const struct vg_alert *a;

	inet_event(AF_INET, "127.0.0.1", 5353, 0);
	c = (struct vigil_connect *)record;
	c->protocol = VIGIL_PROTO_UDP;
	c->via = VIGIL_VIA_SENDMMSG;
	c->connect_flags = VIGIL_CONNECT_BEFORE_CALL;
	a = one(eval(p, &ev, &sh, &web), "container_unexpected_egress", VG_SEV_MEDIUM,
		"127.0.0.1:5353/udp");
	says(a, "sent to 127.0.0.1:5353/udp (via sendmmsg)");
	inet_event(AF_INET6, "::ffff:127.0.0.1", 53, 0);
	c->protocol = VIGIL_PROTO_UDP;
	c->via = VIGIL_VIA_SENDTO;
	ck_assert_int_eq(eval(p, &ev, &sh, &web), 0);
	inet_event(AF_INET, "127.0.0.1", 8080, -EINPROGRESS);
	c->protocol = VIGIL_PROTO_TCP;
	c->via = VIGIL_VIA_IO_URING;
	a = one(eval(p, &ev, &sh, &web), "container_unexpected_egress", VG_SEV_MEDIUM,
		"127.0.0.1:8080");
	says(a, "connected to 127.0.0.1:8080 (via io_uring)");
	vg_policy_free(p);
}
END_TEST

START_TEST(egress_fires)
{
	/* Proves a connect outside allowed_egress alerts medium, IPv4 and IPv6, attempts too,
	 * with a key of "addr:port" ("[addr]:port" for IPv6) and the entry that would allow it. */
	const struct vg_alert *a =
		one(eval(builtin, inet_event(AF_INET, "93.184.216.34", 443, 0), &sh, &web),
		    "container_unexpected_egress", VG_SEV_MEDIUM, "93.184.216.34:443");

	mitre_is(a, "T1041", "T1071", NULL);
	says(a, "process /bin/sh (pid 4121) connected to 93.184.216.34:443 from container web "
		"(localhost/app:1)");
	says(a, "add \"93.184.216.34/32:443\" to allowed_egress");
	a = one(eval(builtin, inet_event(AF_INET6, "2001:db8::1", 8443, -EINPROGRESS), &sh, &web),
		"container_unexpected_egress", VG_SEV_MEDIUM, "[2001:db8::1]:8443");
	says(a, "connected to [2001:db8::1]:8443");
	says(a, "\"2001:db8::1/128:8443\"");
	a = one(eval(builtin, inet_event(AF_INET, "10.0.0.9", 5432, -ECONNREFUSED), &sh, &web),
		"container_unexpected_egress", VG_SEV_MEDIUM, "10.0.0.9:5432");
	says(a, "tried to connect to 10.0.0.9:5432");
}
END_TEST

START_TEST(egress_allowed_by_policy)
{
	/* Proves destinations the entry allows raise nothing, IPv4-mapped ones included, while
	 * the wrong port or network still alerts. */
	struct vg_policy *p = policy("{\"default\": {\"allowed_egress\": [\"10.0.0.0/8:5432\", "
				     "\"::/0:443\", \"0.0.0.0/0:443\"]}}");

	ck_assert_int_eq(eval(p, inet_event(AF_INET, "10.3.2.1", 5432, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, inet_event(AF_INET, "93.184.216.34", 443, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, inet_event(AF_INET6, "2606:2800::1", 443, 0), &sh, &web), 0);
	ck_assert_int_eq(eval(p, inet_event(AF_INET6, "::ffff:10.3.2.1", 5432, 0), &sh, &web), 0);
	one(eval(p, inet_event(AF_INET, "10.3.2.1", 5433, 0), &sh, &web),
	    "container_unexpected_egress", VG_SEV_MEDIUM, "10.3.2.1:5433");
	one(eval(p, inet_event(AF_INET6, "::ffff:11.3.2.1", 5432, 0), &sh, &web),
	    "container_unexpected_egress", VG_SEV_MEDIUM, "[::ffff:11.3.2.1]:5432");
	vg_policy_free(p);
}
END_TEST

/* ---- container_mount ---- */

START_TEST(mount_fires_on_any_attempt)
{
	/* Proves every mount-family call alerts high, failed ones too, keyed by target, else
	 * source, else the call's name. */
	const struct vg_alert *a =
		one(eval(builtin, mount_event(VIGIL_SYS_MOUNT, 0, "/dev/sda1", "/mnt", "ext4"), &sh,
			 &web),
		    "container_mount", VG_SEV_HIGH, "/mnt");

	mitre_is(a, "T1611", NULL, NULL);
	says(a, "process /bin/sh (pid 4121) called mount (source /dev/sda1, target /mnt, fstype "
		"ext4) in container web (localhost/app:1); policy forbids mounts (allow_mount "
		"false)");
	a = one(eval(builtin, mount_event(VIGIL_SYS_MOUNT, -EPERM, "proc", "/proc2", "proc"), &sh,
		     &web),
		"container_mount", VG_SEV_HIGH, "/proc2");
	says(a, "which failed");
	one(eval(builtin, mount_event(VIGIL_SYS_OPEN_TREE, 3, "/", "", ""), &sh, &web),
	    "container_mount", VG_SEV_HIGH, "/");
	one(eval(builtin, mount_event(VIGIL_SYS_FSMOUNT, 3, "", "", ""), &sh, &web),
	    "container_mount", VG_SEV_HIGH, "fsmount");
}
END_TEST

START_TEST(mount_allowed_by_policy)
{
	/* Proves allow_mount true silences the rule. */
	struct vg_policy *p = policy("{\"default\": {\"allow_mount\": true}}");

	ck_assert_int_eq(
		eval(p, mount_event(VIGIL_SYS_MOUNT, 0, "tmpfs", "/mnt", "tmpfs"), &sh, &web), 0);
	vg_policy_free(p);
}
END_TEST

START_TEST(quiet_event_types)
{
	/* Proves fork and exit events raise nothing whatever the policy. */
	struct vigil_fork *f = begin(VIGIL_EVENT_FORK, sizeof(*f));

	f->child_pid = 5000;
	ck_assert_int_eq(eval(builtin, &ev, &sh, &web), 0);
	begin(VIGIL_EVENT_EXIT, sizeof(struct vigil_exit));
	ck_assert_int_eq(eval(builtin, &ev, &sh, &web), 0);
}
END_TEST

/* ---- dedup ---- */

struct report {
	int calls;
	__u64 counts[8];
	char keys[8][128];
};

static void collect(void *ctx, const char *rule, const char *container_id, const char *key,
		    __u64 count)
{
	struct report *r = ctx;

	if (r->calls < 8) {
		r->counts[r->calls] = count;
		snprintf(r->keys[r->calls], sizeof(r->keys[0]), "%s|%s|%s", rule, container_id,
			 key);
	}
	r->calls++;
}

START_TEST(dedup_first_then_count)
{
	/* Proves 100000 identical calls alert once, then report 99999 repeats and 100000 in
	 * all; a report resets the repeats, so the next one is silent. */
	struct vg_dedup *d = vg_dedup_new();
	struct report r = {0};
	int firsts = 0;

	for (int i = 0; i < 100000; i++)
		firsts += vg_dedup_first(d, "container_root_exec", CONTAINER_ID, "/bin/sh");
	ck_assert_int_eq(firsts, 1);
	ck_assert_uint_eq(vg_dedup_count(d), 1);
	vg_dedup_report(d, false, collect, &r);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_uint_eq(r.counts[0], 99999);
	ck_assert_str_eq(r.keys[0], "container_root_exec|" CONTAINER_ID "|/bin/sh");
	memset(&r, 0, sizeof(r));
	vg_dedup_report(d, false, collect, &r);
	ck_assert_int_eq(r.calls, 0);
	vg_dedup_report(d, true, collect, &r);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_uint_eq(r.counts[0], 100000);
	ck_assert(!vg_dedup_first(d, "container_root_exec", CONTAINER_ID, "/bin/sh"));
	memset(&r, 0, sizeof(r));
	vg_dedup_report(d, false, collect, &r);
	ck_assert_uint_eq(r.counts[0], 1);
	vg_dedup_free(d);
}
END_TEST

START_TEST(dedup_repeats_counted_elsewhere_add_up)
{
	/* Proves counts the kernel kept (coalesced connects) add to an entry as repeats, and
	 * that a forgotten or unseen entry takes them as repeats too, never as a first alert. */
	struct vg_dedup *d = vg_dedup_new();
	struct report r = {0};

	ck_assert(vg_dedup_first(d, "container_unexpected_egress", CONTAINER_ID, "10.0.0.1:80"));
	vg_dedup_add_repeats(d, "container_unexpected_egress", CONTAINER_ID, "10.0.0.1:80", 41);
	ck_assert(!vg_dedup_first(d, "container_unexpected_egress", CONTAINER_ID, "10.0.0.1:80"));
	vg_dedup_add_repeats(d, "container_unexpected_egress", CONTAINER_ID, "[::1]:443", 5);
	vg_dedup_add_repeats(d, "container_unexpected_egress", CONTAINER_ID, "[::1]:443", 0);
	vg_dedup_report(d, false, collect, &r);
	ck_assert_int_eq(r.calls, 2);
	ck_assert_str_eq(r.keys[0], "container_unexpected_egress|" CONTAINER_ID "|[::1]:443");
	ck_assert_uint_eq(r.counts[0], 5);
	ck_assert_uint_eq(r.counts[1], 42);
	memset(&r, 0, sizeof(r));
	vg_dedup_report(d, true, collect, &r);
	ck_assert_uint_eq(r.counts[0], 5);
	ck_assert_uint_eq(r.counts[1], 43);
	vg_dedup_free(d);
}
END_TEST

START_TEST(dedup_keys_are_distinct)
{
	/* Proves rule, container and key each tell entries apart (no concatenation clashes), and
	 * that an entry seen once is not reported as repeated. */
	struct vg_dedup *d = vg_dedup_new();
	struct report r = {0};

	ck_assert(vg_dedup_first(d, "r", "c1", "k"));
	ck_assert(vg_dedup_first(d, "r", "c2", "k"));
	ck_assert(vg_dedup_first(d, "r2", "c1", "k"));
	ck_assert(vg_dedup_first(d, "r", "c1", "k2"));
	ck_assert(vg_dedup_first(d, "r", "c1k", ""));
	ck_assert(vg_dedup_first(d, "r", NULL, "k"));
	ck_assert(!vg_dedup_first(d, "r", "", "k"));
	ck_assert(!vg_dedup_first(d, "r", "c2", "k"));
	ck_assert_uint_eq(vg_dedup_count(d), 6);
	vg_dedup_report(d, false, collect, &r);
	ck_assert_int_eq(r.calls, 2);
	ck_assert_str_eq(r.keys[0], "r|c2|k"); /* most recently seen first */
	ck_assert_str_eq(r.keys[1], "r||k");
	memset(&r, 0, sizeof(r));
	vg_dedup_report(d, true, collect, &r);
	ck_assert_int_eq(r.calls, 6);
	vg_dedup_free(d);
}
END_TEST

START_TEST(dedup_is_bounded_lru)
{
	/* Proves the table never exceeds its bound, forgets the least recently seen entry (which
	 * then alerts again), and keeps one that was seen recently. */
	struct vg_dedup *d = vg_dedup_new_bounded(3);
	char key[32];

	ck_assert_ptr_null(vg_dedup_new_bounded(0));
	ck_assert(vg_dedup_first(d, "r", "c", "a"));
	ck_assert(vg_dedup_first(d, "r", "c", "b"));
	ck_assert(vg_dedup_first(d, "r", "c", "c"));
	ck_assert(!vg_dedup_first(d, "r", "c", "a")); /* a is now the most recent */
	ck_assert(vg_dedup_first(d, "r", "c", "d"));  /* forgets b */
	ck_assert_uint_eq(vg_dedup_count(d), 3);
	ck_assert(!vg_dedup_first(d, "r", "c", "a"));
	ck_assert(vg_dedup_first(d, "r", "c", "b"));
	vg_dedup_free(d);

	d = vg_dedup_new();
	for (int i = 0; i < VG_DEDUP_MAX_ENTRIES + 1000; i++) {
		snprintf(key, sizeof(key), "/tmp/f%d", i);
		ck_assert(vg_dedup_first(d, "container_rootfs_write", CONTAINER_ID, key));
	}
	ck_assert_uint_eq(vg_dedup_count(d), VG_DEDUP_MAX_ENTRIES);
	ck_assert(vg_dedup_first(d, "container_rootfs_write", CONTAINER_ID, "/tmp/f0"));
	ck_assert(!vg_dedup_first(d, "container_rootfs_write", CONTAINER_ID, "/tmp/f65999"));
	vg_dedup_free(d);
}
END_TEST

/* ---- paths from kernel objects ---- */

static struct vg_event decoded;

static const struct vg_event *decode_rec(const void *buf, size_t n)
{
	ck_assert_int_eq(vg_event_decode(buf, n, &decoded), 0);
	return &decoded;
}

START_TEST(drift_by_origin_and_policy)
{
	/* Proves drift fires for upper, mount and memory origins (keyed by the resolved exe), not
	 * for the image, a plain root filesystem or a record without file; drift_allowed_paths
	 * allows by path but never a nameless program; allow_drift allows all. */
	REC_BUF(buf);
	struct vg_policy *paths = policy("{\"default\": {\"allow_root\": true, "
					 "\"drift_allowed_paths\": [\"/opt\"]}}");
	struct vg_policy *all = policy("{\"default\": {\"allow_root\": true, "
				       "\"allow_drift\": true}}");
	static const char args[] = "x";
	const struct vg_alert *a;
	size_t n;

	rec_exec(buf, 4121, 1, "/tmp/x", args, sizeof(args));
	n = rec_exec_file(buf, VIGIL_ORIGIN_UPPER, 0, "/bin/copy");
	a = one(eval(paths, decode_rec(buf, n), &sh, &web), "container_drift_exec", VG_SEV_HIGH,
		"/bin/copy");
	says(a, "written or changed since the container started");
	ck_assert_int_eq(eval(all, decode_rec(buf, n), &sh, &web), 0);
	rec_exec(buf, 4121, 1, "/tmp/x", args, sizeof(args));
	n = rec_exec_file(buf, VIGIL_ORIGIN_MOUNT, 0, "/opt/tool");
	ck_assert_int_eq(eval(paths, decode_rec(buf, n), &sh, &web), 0);
	rec_exec(buf, 4121, 1, "/tmp/x", args, sizeof(args));
	n = rec_exec_file(buf, VIGIL_ORIGIN_MOUNT, VIGIL_PATH_TRUNC, "/opt/tool");
	one(eval(paths, decode_rec(buf, n), &sh, &web), "container_drift_exec", VG_SEV_HIGH,
	    "/opt/tool");
	rec_exec(buf, 4121, 1, "/proc/self/fd/3", args, sizeof(args));
	n = rec_exec_file(buf, VIGIL_ORIGIN_NONAME, VIGIL_PATH_UNREACHABLE, "memfd:x");
	one(eval(paths, decode_rec(buf, n), &sh, &web), "container_drift_exec", VG_SEV_HIGH,
	    "memfd:x");
	for (__u8 o = VIGIL_ORIGIN_UNKNOWN; o <= VIGIL_ORIGIN_ROOTFS; o++) {
		if (o == VIGIL_ORIGIN_UPPER || o == VIGIL_ORIGIN_MOUNT)
			continue;
		rec_exec(buf, 4121, 1, "/bin/sh", args, sizeof(args));
		n = rec_exec_file(buf, o, 0, "/bin/busybox");
		ck_assert_int_eq(eval(paths, decode_rec(buf, n), &sh, &web), 0);
	}
	n = rec_exec(buf, 4121, 1, "/bin/sh", args, sizeof(args));
	ck_assert_int_eq(eval(paths, decode_rec(buf, n), &sh, &web), 0);
	vg_policy_free(paths);
	vg_policy_free(all);
}
END_TEST

START_TEST(rootfs_write_judges_resolved_path)
{
	/* Proves the write rule judges the resolved path (a symlink in /tmp to /etc alerts on
	 * /etc/x; a '..' back into /tmp does not), and that a truncated path or a file with other
	 * names alerts even under writable_paths. */
	REC_BUF(buf);
	size_t n;

	rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/e/x", NULL, 01, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, 0, "/etc/x");
	one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
	    VG_SEV_MEDIUM, "/etc/x");
	rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/etc/../tmp/y", NULL, 01, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, 0, "/tmp/y");
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
	rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/z", NULL, 01, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, VIGIL_PATH_TRUNC, "/tmp/z");
	one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
	    VG_SEV_MEDIUM, "/tmp/z");
	rec_write(buf, 4121, VIGIL_WRITE_OPEN, "/tmp/pw", NULL, 01, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, VIGIL_PATH_MULTILINK, "/tmp/pw");
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/tmp/pw"),
	     "(a file with other names)");
}
END_TEST

/* ---- links, symlinks, joined paths, io_uring ---- */

START_TEST(rootfs_write_link_judges_name_and_target)
{
	/* Proves a hard link alerts when the file linked to lies outside writable_paths (a new
	 * name in /tmp for /etc/passwd is a way to write it) or when the new name does, and stays
	 * quiet for a /tmp file linked within /tmp; the target judged is the resolved one. */
	REC_BUF(buf);
	size_t n;

	n = rec_write(buf, 4121, VIGIL_WRITE_LINK, "/tmp/pw", "/etc/passwd", 0, VIGIL_ROOTFS_YES);
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/passwd"),
	     "linked /tmp/pw to /etc/passwd on the root filesystem");
	n = rec_write(buf, 4121, VIGIL_WRITE_LINK, "/tmp/b", "/tmp/a", 0, VIGIL_ROOTFS_YES);
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
	n = rec_write(buf, 4121, VIGIL_WRITE_LINK, "/etc/cron.d/x", "/tmp/a", 0, VIGIL_ROOTFS_YES);
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/cron.d/x"),
	     "linked /etc/cron.d/x to /tmp/a");
	/* the target as given looks harmless; resolved (a symlinked dir) it is /etc/shadow */
	rec_write(buf, 4121, VIGIL_WRITE_LINK, "l", "/tmp/d/shadow", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/l");
	n = rec_write_resolved2(buf, 0, "/etc/shadow");
	one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write", VG_SEV_MEDIUM,
	    "/etc/shadow");
	/* a truncated resolution is never allowed, even under /tmp */
	rec_write(buf, 4121, VIGIL_WRITE_LINK, "/tmp/b", "/tmp/a", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/b");
	n = rec_write_resolved2(buf, VIGIL_PATH_TRUNC, "/tmp/a");
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/tmp/b"),
	     "linked /tmp/b to /tmp/a (path truncated) on");
}
END_TEST

START_TEST(rootfs_write_rewritten_name_is_never_allowed)
{
	/* Proves a name the kernel saw rewritten during the call (entry and exit read different
	 * strings) alerts even under writable_paths and off the root filesystem, and says so. */
	REC_BUF(buf);
	size_t n;

	rec_write(buf, 4121, VIGIL_WRITE_UNLINK, "/tmp/x", NULL, 0, VIGIL_ROOTFS_NO);
	n = rec_write_resolved(buf, VIGIL_PATH_JOINED | VIGIL_PATH_CHANGED, "/tmp/x");
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/tmp/x"),
	     "removed /tmp/x (its name rewritten during the call");
	rec_write(buf, 4121, VIGIL_WRITE_UNLINK, "/tmp/x", NULL, 0, VIGIL_ROOTFS_NO);
	n = rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/x");
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
}
END_TEST

START_TEST(rootfs_write_symlink_judges_its_name_only)
{
	/* Proves a symlink is judged by its new name (in /etc: alert), never by its text, which
	 * names nothing yet (/etc/x from a link in /tmp: quiet). */
	REC_BUF(buf);
	size_t n;

	n = rec_write(buf, 4121, VIGIL_WRITE_SYMLINK, "/etc/profile.d/x.sh", "/tmp/evil", 0,
		      VIGIL_ROOTFS_YES);
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/profile.d/x.sh"),
	     "created the symlink /etc/profile.d/x.sh -> /tmp/evil");
	n = rec_write(buf, 4121, VIGIL_WRITE_SYMLINK, "/tmp/s", "/etc/x", 0, VIGIL_ROOTFS_YES);
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
}
END_TEST

START_TEST(rootfs_write_rename_joined_new_name)
{
	/* Proves a rename's new name joined to its directory by the kernel is judged: "x" renamed
	 * from /tmp into /etc (relative names, directories from kernel objects) alerts on /etc/x,
	 * and the same rename within /tmp is quiet. */
	REC_BUF(buf);
	size_t n;

	rec_write(buf, 4121, VIGIL_WRITE_RENAME, "x", "../etc/x", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/x");
	n = rec_write_resolved2(buf, VIGIL_PATH_JOINED, "/etc/x");
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/x"),
	     "renamed /tmp/x to /etc/x");
	rec_write(buf, 4121, VIGIL_WRITE_RENAME, "x", "y", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/x");
	n = rec_write_resolved2(buf, VIGIL_PATH_JOINED, "/tmp/y");
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
}
END_TEST

START_TEST(rootfs_write_io_uring_in_progress)
{
	/* Proves an io_uring unlink sent at submission (ret -EINPROGRESS, result not awaited) is
	 * judged as attempted and says it came by io_uring, while a failed one (-ENOENT) and the
	 * same request under /tmp stay quiet. */
	REC_BUF(buf);
	struct vigil_write *w = (void *)buf;
	size_t n;

	n = rec_write(buf, 4121, VIGIL_WRITE_UNLINK, "passwd", NULL, 0, VIGIL_ROOTFS_YES);
	n = rec_write_resolved(buf, VIGIL_PATH_JOINED, "/etc/passwd");
	w->hdr.flags |= VIGIL_F_IO_URING;
	w->ret = -EINPROGRESS;
	says(one(eval(builtin, decode_rec(buf, n), &sh, &web), "container_rootfs_write",
		 VG_SEV_MEDIUM, "/etc/passwd"),
	     "removed /etc/passwd (by io_uring) on the root filesystem");
	w->ret = -ENOENT;
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
	n = rec_write(buf, 4121, VIGIL_WRITE_UNLINK, "/tmp/x", NULL, 0, VIGIL_ROOTFS_YES);
	w->hdr.flags |= VIGIL_F_IO_URING;
	w->ret = -EINPROGRESS;
	ck_assert_int_eq(eval(builtin, decode_rec(buf, n), &sh, &web), 0);
}
END_TEST

START_TEST(io_uring_fires_once_per_container)
{
	/* Proves container_io_uring fires on an io_uring instance in a container (medium,
	 * T1562.001, naming seccomp and allow_io_uring), once per container with repeats counted,
	 * again for another container, never for the host, set-up, or with allow_io_uring. */
	struct vg_policy *allow = policy("{\"default\": {\"allow_io_uring\": true}}");
	struct vg_dedup *d = vg_dedup_new();
	const char *repeats[8];
	int n_repeats;
	REC_BUF(buf);
	size_t n = rec_io_uring(buf, 4121, 5, 256, VG_IORING_SETUP_SQPOLL);
	const struct vg_event *e = decode_rec(buf, n);
	const struct vg_alert *a;

	memset(alerts, 0, sizeof(alerts));
	ck_assert_int_eq(vg_rules_eval_dedup(builtin, e, &sh, &web, d, alerts, 8, repeats,
					     &n_repeats), 1);
	a = one(1, "container_io_uring", VG_SEV_MEDIUM, "io_uring");
	mitre_is(a, "T1562.001", NULL, NULL);
	says(a, "process /bin/sh (pid 4121) made an io_uring instance (256 entries, SQPOLL");
	says(a, "bypass system-call hooks and seccomp filters");
	says(a, "Docker's default seccomp profile refuses io_uring_setup");
	says(a, "allow_io_uring");
	ck_assert_int_eq(vg_rules_eval_dedup(builtin, e, &sh, &web, d, alerts, 8, repeats,
					     &n_repeats), 0);
	ck_assert_int_eq(n_repeats, 1);
	ck_assert_str_eq(repeats[0], "container_io_uring");
	ck_assert_int_eq(vg_rules_eval_dedup(builtin, e, &sh, &db, d, alerts, 8, repeats,
					     &n_repeats), 1);
	ck_assert_int_eq(eval(builtin, e, &sh, NULL), 0);
	ck_assert_int_eq(eval(allow, e, &sh, &web), 0);
	((struct vigil_io_uring *)buf)->hdr.flags |= VIGIL_F_SETUP;
	ck_assert_int_eq(eval(builtin, e, &sh, &web), 0);
	vg_dedup_free(d);
	vg_policy_free(allow);
}
END_TEST

static Suite *rules_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, severity_names);
	tcase_add_test(tc, host_setup_and_degenerate_inputs_raise_nothing);
	tcase_add_test(tc, output_is_bounded_by_max);
	tcase_add_test(tc, entry_precedence_decides);
	tcase_add_test(tc, root_exec_fires);
	tcase_add_test(tc, root_exec_quiet);
	tcase_add_test(tc, messages_without_name_or_process);
	tcase_add_test(tc, escalation_by_setuid_call);
	tcase_add_test(tc, escalation_by_setfsuid_despite_its_return);
	tcase_add_test(tc, escalation_quiet_cases);
	tcase_add_test(tc, escalation_by_setgid_only_for_non_root);
	tcase_add_test(tc, escalation_by_setuid_binary);
	tcase_add_test(tc, capability_dangerous_is_high);
	tcase_add_test(tc, capability_other_is_low);
	tcase_add_test(tc, capability_quiet_cases);
	tcase_add_test(tc, rootfs_write_fires);
	tcase_add_test(tc, rootfs_write_rename_either_side);
	tcase_add_test(tc, rootfs_write_quiet_cases);
	tcase_add_test(tc, sensitive_socket_fires_on_any_attempt);
	tcase_add_test(tc, sensitive_socket_abstract);
	tcase_add_test(tc, sensitive_socket_quiet_cases);
	tcase_add_test(tc, egress_fires);
	tcase_add_test(tc, egress_udp_and_via);
	tcase_add_test(tc, packet_frames_alert_unless_raw_networking_allowed);
	tcase_add_test(tc, sensitive_socket_by_identity);
	tcase_add_test(tc, egress_allowed_by_policy);
	tcase_add_test(tc, mount_fires_on_any_attempt);
	tcase_add_test(tc, mount_allowed_by_policy);
	tcase_add_test(tc, quiet_event_types);
	tcase_add_test(tc, drift_by_origin_and_policy);
	tcase_add_test(tc, rootfs_write_judges_resolved_path);
	tcase_add_test(tc, rootfs_write_link_judges_name_and_target);
	tcase_add_test(tc, rootfs_write_rewritten_name_is_never_allowed);
	tcase_add_test(tc, rootfs_write_symlink_judges_its_name_only);
	tcase_add_test(tc, rootfs_write_rename_joined_new_name);
	tcase_add_test(tc, rootfs_write_io_uring_in_progress);
	tcase_add_test(tc, io_uring_fires_once_per_container);
	suite_add_tcase(s, tc);

	tc = tcase_create("dedup");
	tcase_add_test(tc, dedup_first_then_count);
	tcase_add_test(tc, dedup_repeats_counted_elsewhere_add_up);
	tcase_add_test(tc, dedup_keys_are_distinct);
	tcase_add_test(tc, dedup_is_bounded_lru);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(rules_suite)
