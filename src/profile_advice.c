// SPDX-License-Identifier: GPL-2.0
/*
 * vigil profile --format advice: the hardening checklist, given against used. The builder is a
 * pure function of a profile and a configuration, so the unit tests drive it without a kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "container.h"
#include "event.h"
#include "jsonutil.h"
#include "output.h"
#include "profile_advice.h"
#include "profile_internal.h"

static const char *const check_names[VG_ADVICE_CHECKS] = {
	[VG_ADVICE_PRIVILEGED] = "privileged",
	[VG_ADVICE_USER] = "user",
	[VG_ADVICE_CAPABILITIES] = "capabilities",
	[VG_ADVICE_READ_ONLY_ROOTFS] = "read_only_rootfs",
	[VG_ADVICE_NO_NEW_PRIVILEGES] = "no_new_privileges",
	[VG_ADVICE_SECCOMP] = "seccomp",
	[VG_ADVICE_RUNTIME_SOCKET] = "runtime_socket",
	[VG_ADVICE_MEMORY_LIMIT] = "memory_limit",
	[VG_ADVICE_CPU_LIMIT] = "cpu_limit",
	[VG_ADVICE_NETWORK] = "network",
};

const char *vg_advice_check_name(enum vg_advice_check check)
{
	return check < VG_ADVICE_CHECKS ? check_names[check] : "?";
}

/* Appends to a fixed buffer, truncating. */
static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

static bool user_is_root(const char *user)
{
	return !user || !*user || !strcmp(user, "root") || !strcmp(user, "0") ||
	       !strncmp(user, "0:", 2) || !strncmp(user, "root:", 5);
}

/* "CHOWN NET_BIND_SERVICE" (sep between) of a capability mask. */
static void cap_list(char *buf, size_t size, __u64 mask, const char *sep, const char *prefix)
{
	bool first = true;

	buf[0] = 0;
	for (unsigned int cap = 0; cap < 64; cap++) {
		const char *name;

		if (!(mask >> cap & 1) || !(name = vg_cap_name(cap)))
			continue;
		append(buf, size, "%s%s%s", first ? "" : sep, prefix, profile_cap_short(name));
		first = false;
	}
}

static bool socket_is_runtime(const char *path)
{
	static const char *const names[] = {"docker.sock", "podman.sock", "containerd.sock",
					    "crio.sock", "cri-dockerd.sock"};
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path;
	for (size_t i = 0; base && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(base, names[i]))
			return true;
	return false;
}

static bool root_only_action(const struct vg_profile *p)
{
	return p->capabilities.n || p->mounts.n || p->privilege.n;
}

static void row_privileged(const struct vg_profile *p, const struct vg_container_config *cfg,
			   struct vg_advice_row *r)
{
	snprintf(r->given, sizeof(r->given), cfg->privileged ? "privileged" : "not privileged");
	snprintf(r->used, sizeof(r->used), "%zu mount(s), %zu capability(ies)", p->mounts.n,
		 p->capabilities.n);
	if (cfg->privileged) {
		r->status = VG_ADVICE_FINDING;
		snprintf(r->change, sizeof(r->change),
			 "privileged: remove `--privileged` (the rows below say what it needs)");
	}
}

static void row_user(const struct vg_profile *p, const struct vg_container_config *cfg,
		     struct vg_advice_row *r)
{
	bool root = user_is_root(cfg->user);

	snprintf(r->given, sizeof(r->given), "user %s",
		 cfg->user && *cfg->user ? cfg->user : "root (unset)");
	if (!p->users.n)
		snprintf(r->used, sizeof(r->used), "no program start seen");
	else
		snprintf(r->used, sizeof(r->used), "%s",
			 profile_runs_as_root(p) ? "ran as root" : "ran without root");
	if (root && p->users.n && !root_only_action(p)) {
		r->status = VG_ADVICE_FINDING;
		snprintf(r->change, sizeof(r->change),
			 "runs as root, no root-only action seen: try `--user 1000:1000`");
	} else if (root && root_only_action(p)) {
		append(r->used, sizeof(r->used), ", root-only actions seen (capabilities, mounts)");
	}
}

static void row_capabilities(const struct vg_profile *p, const struct vg_container_config *cfg,
			     struct vg_advice_row *r)
{
	__u64 granted = cfg->cap_effective | cfg->cap_bounding, used = profile_cap_mask(p);
	char names[480], flags[1024];

	cap_list(names, sizeof(names), used, ",", "");
	snprintf(r->given, sizeof(r->given), "granted %d capabilities",
		 __builtin_popcountll(granted));
	snprintf(r->used, sizeof(r->used), "used %s", used ? names : "none");
	if (!(granted & ~used))
		return;
	r->status = VG_ADVICE_FINDING;
	cap_list(flags, sizeof(flags), used, " ", "--cap-add ");
	snprintf(r->change, sizeof(r->change),
		 "granted %d capabilities, used %s: `--cap-drop ALL%s%s`",
		 __builtin_popcountll(granted), used ? names : "none", used ? " " : "", flags);
}

static void row_rootfs(const struct vg_profile *p, const struct vg_container_config *cfg,
		       struct vg_advice_row *r)
{
	struct rootfs_plan pl;
	char flags[768] = "", dirs[512] = "";

	snprintf(r->given, sizeof(r->given),
		 cfg->readonly_rootfs ? "root filesystem read-only" : "root filesystem writable");
	if (plan_rootfs(p, &pl)) {
		snprintf(r->used, sizeof(r->used), "unknown (out of memory)");
		return;
	}
	for (size_t i = 0; i < pl.n_tmpfs; i++) {
		append(dirs, sizeof(dirs), "%s%s", i ? ", " : "", pl.tmpfs[i]);
		append(flags, sizeof(flags), " --tmpfs %s", pl.tmpfs[i]);
	}
	if (!p->writes.n && !p->relative_writes.n)
		snprintf(r->used, sizeof(r->used), "no write to the root filesystem");
	else if (pl.n_blocked)
		snprintf(r->used, sizeof(r->used), "wrote %s, which a tmpfs cannot take",
			 pl.blocked[0]);
	else
		snprintf(r->used, sizeof(r->used), "written only under %s", dirs);
	if (!cfg->readonly_rootfs && !pl.n_blocked) {
		r->status = VG_ADVICE_FINDING;
		if (pl.n_tmpfs)
			snprintf(r->change, sizeof(r->change),
				 "root filesystem writable, written only under %s: `--read-only%s`",
				 dirs, flags);
		else
			snprintf(r->change, sizeof(r->change),
				 "root filesystem writable, never written: `--read-only`");
	}
	plan_free(&pl);
}

static void row_no_new_privileges(const struct vg_profile *p, const struct vg_container_config *cfg,
				  struct vg_advice_row *r)
{
	bool escalates = false;

	for (size_t i = 0; i < p->privilege.n; i++)
		escalates |= p->privilege.v[i].escalation;
	snprintf(r->given, sizeof(r->given), "no-new-privileges %s",
		 cfg->no_new_privileges ? "set" : "not set");
	if (p->privilege.n)
		snprintf(r->used, sizeof(r->used), "gained privilege: %s", p->privilege.v[0].key);
	else
		snprintf(r->used, sizeof(r->used), "no privilege gain seen");
	if (!cfg->no_new_privileges && !p->privilege.n) {
		r->status = VG_ADVICE_FINDING;
		snprintf(r->change, sizeof(r->change),
			 "no privilege gain seen: `--security-opt no-new-privileges`");
	}
	(void)escalates;
}

static void row_seccomp(const struct vg_profile *p, const struct vg_container_config *cfg,
			struct vg_advice_row *r)
{
	if (!cfg->limits_known) {
		r->status = VG_ADVICE_UNKNOWN;
		snprintf(r->given, sizeof(r->given), "unknown");
	} else {
		snprintf(r->given, sizeof(r->given),
			 cfg->seccomp ? "seccomp filter on" : "seccomp unconfined");
	}
	if (p->has_syscalls) {
		unsigned int n = 0;

		for (size_t w = 0; w < VIGIL_SYSCALL_WORDS; w++)
			n += __builtin_popcountll(p->syscalls[w]);
		snprintf(r->used, sizeof(r->used), "%u system calls", n);
	} else {
		snprintf(r->used, sizeof(r->used), "not recorded (record with --syscalls)");
	}
	/* io_uring's requests are made without system calls: no seccomp filter sees them */
	if (p->io_uring.n)
		append(r->used, sizeof(r->used), ", io_uring (requests no filter sees)");
	if (cfg->limits_known && !cfg->seccomp) {
		r->status = VG_ADVICE_FINDING;
		snprintf(r->change, sizeof(r->change),
			 "seccomp unconfined: use the generated profile (`vigil profile --format "
			 "seccomp`): `--security-opt seccomp=%s.json`",
			 p->name);
		if (p->io_uring.n)
			append(r->change, sizeof(r->change),
			       "; it made io_uring instances, whose requests no seccomp "
			       "filter sees: leave io_uring_setup out of the profile if it can "
			       "do without");
	}
}

static void row_runtime_socket(const struct vg_profile *p, const struct vg_container_config *cfg,
			       struct vg_advice_row *r)
{
	const struct vg_mountpoint *sock = NULL;
	bool used = false;

	for (size_t i = 0; i < cfg->n_mounts && !sock; i++)
		if (socket_is_runtime(cfg->mounts[i].source) ||
		    socket_is_runtime(cfg->mounts[i].destination))
			sock = &cfg->mounts[i];
	for (size_t i = 0; i < p->sockets.n; i++)
		used |= socket_is_runtime(p->sockets.v[i].key);
	snprintf(r->given, sizeof(r->given), "%s%s", sock ? sock->destination : "no runtime socket",
		 sock ? " mounted" : "");
	snprintf(r->used, sizeof(r->used),
		 used ? "connected to it" : "no connection to a runtime socket");
	if (!sock)
		return;
	r->status = VG_ADVICE_FINDING;
	if (used)
		snprintf(r->change, sizeof(r->change),
			 "%s mounted and used: it is root on the host; give a proxy that allows "
			 "only the calls needed",
			 sock->destination);
	else
		snprintf(r->change, sizeof(r->change), "%s mounted: remove it", sock->destination);
}

static void row_limit(const struct vg_container_config *cfg, bool memory, struct vg_advice_row *r)
{
	__u64 v = memory ? cfg->memory_limit : cfg->cpu_millis;

	snprintf(r->used, sizeof(r->used), "not measured");
	if (!cfg->limits_known) {
		r->status = VG_ADVICE_UNKNOWN;
		snprintf(r->given, sizeof(r->given), "unknown");
		return;
	}
	if (memory && v)
		snprintf(r->given, sizeof(r->given), "memory limit %llu MiB",
			 (unsigned long long)(v >> 20));
	else if (v)
		snprintf(r->given, sizeof(r->given), "CPU limit %llu.%03llu",
			 (unsigned long long)(v / 1000), (unsigned long long)(v % 1000));
	else
		snprintf(r->given, sizeof(r->given), "no %s limit", memory ? "memory" : "CPU");
	if (v)
		return;
	r->status = VG_ADVICE_FINDING;
	snprintf(r->change, sizeof(r->change),
		 memory ? "no memory limit: `--memory SIZE`" : "no CPU limit: `--cpus N`");
}

static void row_network(const struct vg_profile *p, const struct vg_container_config *cfg,
			struct vg_advice_row *r)
{
	const char *mode = cfg->network_mode;

	if (!cfg->limits_known || !mode) {
		r->status = VG_ADVICE_UNKNOWN;
		snprintf(r->given, sizeof(r->given), "unknown");
	} else {
		snprintf(r->given, sizeof(r->given), "network %s", mode);
	}
	snprintf(r->used, sizeof(r->used), "%zu destination(s) connected to", p->egress.n);
	if (mode && !strcmp(mode, "host")) {
		r->status = VG_ADVICE_FINDING;
		snprintf(r->change, sizeof(r->change),
			 "host network: give it its own (`--network bridge`)%s",
			 p->egress.n ? "" : "; nothing connected out");
	}
}

size_t vg_advice_build(const struct vg_profile *p, const struct vg_container_config *cfg,
		       struct vg_advice_row rows[VG_ADVICE_CHECKS])
{
	size_t findings = 0;

	memset(rows, 0, VG_ADVICE_CHECKS * sizeof(*rows));
	for (int i = 0; i < VG_ADVICE_CHECKS; i++)
		rows[i].check = i;
	if (!cfg->known) {
		for (int i = 0; i < VG_ADVICE_CHECKS; i++) {
			rows[i].status = VG_ADVICE_UNKNOWN;
			snprintf(rows[i].given, sizeof(rows[i].given),
				 "unknown (the runtime's configuration was not read)");
		}
		return 0;
	}
	row_privileged(p, cfg, &rows[VG_ADVICE_PRIVILEGED]);
	row_user(p, cfg, &rows[VG_ADVICE_USER]);
	row_capabilities(p, cfg, &rows[VG_ADVICE_CAPABILITIES]);
	row_rootfs(p, cfg, &rows[VG_ADVICE_READ_ONLY_ROOTFS]);
	row_no_new_privileges(p, cfg, &rows[VG_ADVICE_NO_NEW_PRIVILEGES]);
	row_seccomp(p, cfg, &rows[VG_ADVICE_SECCOMP]);
	row_runtime_socket(p, cfg, &rows[VG_ADVICE_RUNTIME_SOCKET]);
	row_limit(cfg, true, &rows[VG_ADVICE_MEMORY_LIMIT]);
	row_limit(cfg, false, &rows[VG_ADVICE_CPU_LIMIT]);
	row_network(p, cfg, &rows[VG_ADVICE_NETWORK]);
	for (int i = 0; i < VG_ADVICE_CHECKS; i++)
		findings += rows[i].status == VG_ADVICE_FINDING;
	return findings;
}

static void last_of(const struct vg_profile_items *l, __u64 *last)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].ev.first_ns > *last)
			*last = l->v[i].ev.first_ns;
}

__u64 vg_profile_last_new_ns(const struct vg_profile *p)
{
	__u64 last = 0;

	last_of(&p->users, &last);
	last_of(&p->capabilities, &last);
	last_of(&p->writes, &last);
	last_of(&p->relative_writes, &last);
	last_of(&p->privilege, &last);
	last_of(&p->mounts, &last);
	last_of(&p->sockets, &last);
	last_of(&p->egress, &last);
	last_of(&p->io_uring, &last);
	for (unsigned int nr = 0; p->has_syscalls && nr < VIGIL_SYSCALL_BITS; nr++)
		if (p->syscalls[nr / 64] >> (nr % 64) & 1 && p->syscall_first_ns[nr] > last)
			last = p->syscall_first_ns[nr];
	return last;
}

__u64 vg_profile_end_ns(const struct vg_profile *p)
{
	__u64 last_new = vg_profile_last_new_ns(p);

	return last_new > p->last_ns ? last_new : p->last_ns;
}

double vg_profile_span_s(const struct vg_profile *p)
{
	return p->events ? (vg_profile_end_ns(p) - p->first_ns) / 1e9 : 0;
}

static const char *status_name(enum vg_advice_status st)
{
	return st == VG_ADVICE_FINDING ? "finding" : st == VG_ADVICE_TIGHT ? "tight" : "unknown";
}

static struct json_object *profile_advice_json(const struct vg_profile_set *s,
					       const struct vg_profile *p, size_t findings,
					       const struct vg_advice_row *rows)
{
	struct json_object *obj = json_object_new_object(), *arr = json_object_new_array();
	__u64 last_new = vg_profile_last_new_ns(p);
	char when[48];
	int rc = !obj || !arr;

	vg_format_time(last_new, s->info.boot_time_ns, when, sizeof(when));
	rc = rc || vg_json_add(obj, "name", json_object_new_string(p->name)) ||
	     vg_json_add(obj, "findings", json_object_new_uint64(findings)) ||
	     vg_json_add(
		     obj, "observed_seconds",
		     json_object_new_double(p->events ? (p->last_ns - p->first_ns) / 1e9 : 0)) ||
	     (last_new ? vg_json_add(obj, "last_new", json_object_new_string(when))
		       : json_object_object_add(obj, "last_new", NULL));
	for (int i = 0; !rc && i < VG_ADVICE_CHECKS; i++) {
		struct json_object *row = json_object_new_object();

		rc = !row || vg_json_add(row, "check", json_object_new_string(check_names[i])) ||
		     vg_json_add(row, "status",
				 json_object_new_string(status_name(rows[i].status))) ||
		     vg_json_add(row, "given",
				 vg_json_string_len(rows[i].given, strlen(rows[i].given))) ||
		     vg_json_add(row, "used",
				 vg_json_string_len(rows[i].used, strlen(rows[i].used))) ||
		     vg_json_add(row, "change",
				 vg_json_string_len(rows[i].change, strlen(rows[i].change))) ||
		     profile_json_push(arr, row);
	}
	rc = rc || vg_json_add(obj, "rows", arr);
	if (rc) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

static void profile_advice_text(FILE *f, const struct vg_profile_set *s, const struct vg_profile *p,
				size_t findings, const struct vg_advice_row *rows)
{
	__u64 last_new = vg_profile_last_new_ns(p), end = vg_profile_end_ns(p);
	char when[48] = "never";

	if (last_new)
		vg_format_time(last_new, s->info.boot_time_ns, when, sizeof(when));
	fprintf(f, "%s", p->name);
	if (p->image)
		fprintf(f, " (image %s)", p->image);
	fprintf(f, ": %zu finding(s), observed %.0fs, last new behaviour %s", findings,
		vg_profile_span_s(p), when);
	if (last_new)
		fprintf(f, " (%.0fs before the end)", (end - last_new) / 1e9);
	fputc('\n', f);
	for (int i = 0; i < VG_ADVICE_CHECKS; i++) {
		const struct vg_advice_row *r = &rows[i];

		fprintf(f, "  %-18s %-8s %s; %s", check_names[i], status_name(r->status), r->given,
			r->used);
		if (r->status == VG_ADVICE_FINDING)
			fprintf(f, "\n  %-18s %-8s -> %s", "", "", r->change);
		fputc('\n', f);
	}
}

int vg_advice_write(FILE *f, const struct vg_profile_set *s, bool json)
{
	struct json_object *all = json ? json_object_new_array() : NULL;
	struct vg_advice_row rows[VG_ADVICE_CHECKS];
	int rc = 0;

	if (json && !all)
		return -ENOMEM;
	for (size_t i = 0; !rc && i < s->n; i++) {
		const struct vg_profile *p = &s->v[i];
		/* merged by image: the first container's configuration stands for them all */
		size_t findings = vg_advice_build(p, &p->containers[0].config, rows);

		if (json)
			rc = profile_json_push(all, profile_advice_json(s, p, findings, rows));
		else
			profile_advice_text(f, s, p, findings, rows);
	}
	if (json && rc)
		json_object_put(all);
	else if (json)
		rc = profile_print_json(f, all);
	return rc;
}
