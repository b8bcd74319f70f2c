// SPDX-License-Identifier: GPL-2.0
/* From a raw record to what the user sees; shared by run and replay. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "capture.h"
#include "container.h"
#include "event.h"
#include "output.h"
#include "pipeline.h"
#include "policy.h"
#include "proctab.h"
#include "rules.h"

#define ALERTS_MAX 4

/* SPEC's rule ids (fixed), so that every rule has its counters from the start */
static const char *const known_rules[] = {
	"container_root_exec",	      "container_privilege_escalation",
	"container_capability_use",   "container_rootfs_write",
	"container_sensitive_socket", "container_unexpected_egress",
	"container_mount",	      "container_drift_exec",
	"container_io_uring",	      VG_RULE_EVENT_LOSS,
};

static struct vg_rule_stats *rule_stats(struct vg_pipeline *p, const char *rule)
{
	struct vg_rule_stats *r = p->stats.rules;

	for (int i = 0; i < VG_PIPELINE_RULES_MAX; i++) {
		if (!r[i].rule) {
			r[i].rule = rule;
			return &r[i];
		}
		if (r[i].rule == rule || !strcmp(r[i].rule, rule))
			return &r[i];
	}
	return NULL; /* more rules than slots: the totals still count them */
}

int vg_pipeline_init(struct vg_pipeline *p, const struct vg_policy *policy, struct vg_output *out,
		     struct vg_containers *containers)
{
	memset(p, 0, sizeof(*p));
	p->policy = policy;
	p->out = out;
	p->containers = containers;
	for (size_t i = 0; i < sizeof(known_rules) / sizeof(known_rules[0]); i++)
		p->stats.rules[i].rule = known_rules[i];
	p->procs = vg_proctab_new(0);
	p->dedup = vg_dedup_new();
	p->links = vg_linktab_new();
	if (!p->procs || !p->dedup || !p->links) {
		vg_pipeline_fini(p);
		return -ENOMEM;
	}
	out->procs = p->procs;
	return 0;
}

void vg_pipeline_fini(struct vg_pipeline *p)
{
	vg_proctab_free(p->procs);
	vg_dedup_free(p->dedup);
	vg_linktab_free(p->links);
	p->procs = NULL;
	p->dedup = NULL;
	p->links = NULL;
}

int vg_pipeline_capture(struct vg_pipeline *p, unsigned int type, const void *data, size_t len)
{
	int rc;

	if (!p->capture)
		return 0;
	rc = vg_capture_append(p->capture, type, data, len);
	if (rc < 0) {
		p->stats.capture_errors++;
		/* monitoring goes on; say it once per kind of failure */
		if (rc != p->capture_errno)
			fprintf(stderr, "vigil: capture write failed (%s): recording continues "
					"when it can, monitoring goes on\n",
				strerror(-rc));
		p->capture_errno = rc;
	}
	return rc;
}

int vg_pipeline_record_container(struct vg_pipeline *p, const struct vg_container *c)
{
	struct json_object *obj;
	const char *s;
	size_t len;
	int rc;

	if (!p->capture)
		return 0;
	obj = vg_container_to_json_full(c);
	if (!obj)
		return -ENOMEM;
	s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN, &len);
	rc = vg_pipeline_capture(p, VG_REC_CONTAINER, s, len);
	json_object_put(obj);
	return rc;
}

/*
 * A container announced for the first time: what its configuration alone says (a runtime
 * socket mounted into it), at time now.
 */
static void container_announced(struct vg_pipeline *p, const struct vg_container *c, __u64 now)
{
	struct vg_alert alerts[VG_ALERT_MAX_START];
	int n;

	vg_pipeline_record_container(p, c);
	if (p->container_key && !vg_container_matches(c, p->container_key))
		return;
	n = vg_rules_container_start(p->policy, c, p->dedup, alerts, VG_ALERT_MAX_START);
	for (int i = 0; i < n; i++) {
		struct vg_rule_stats *r = rule_stats(p, alerts[i].rule);

		p->stats.alerts++;
		if (r)
			r->alerts++;
		vg_output_container_alert(p->out, now, &alerts[i], c);
	}
}

/* A write the kernel could not place (an absolute path to unlink ...): the container's mounts. */
void vg_pipeline_resolve_rootfs(struct vg_event *ev, const struct vg_container *c)
{
	bool decided = false, on_rootfs;
	const char *path;

	if (ev->hdr->type != VIGIL_EVENT_WRITE || ev->rootfs != VIGIL_ROOTFS_UNKNOWN || !c)
		return;
	/* the joined path where the record has it: a relative name alone can't be placed */
	path = vg_event_write_path(ev);
	if (path[0] != '/')
		return;
	on_rootfs = vg_container_path_on_rootfs(c, path, &decided);
	if (decided)
		ev->rootfs = on_rootfs ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
}

int vg_pipeline_record(struct vg_pipeline *p, const void *data, size_t len)
{
	struct vg_alert alerts[ALERTS_MAX];
	const char *repeat_rules[ALERTS_MAX];
	int n_repeats;
	const struct vg_container *c = NULL;
	const struct vg_process *proc;
	struct vg_event ev;
	bool is_new = false;
	int n;

	if (vg_event_decode(data, len, &ev)) {
		p->stats.malformed++;
		return -EINVAL;
	}
	if (ev.hdr->type == VIGIL_EVENT_CGROUP)
		return 0; /* the cgroup ring's, not an event: vg_pipeline_cgroup */
	p->stats.events[ev.hdr->type]++;
	if (ev.hdr->time_ns > p->last_time_ns)
		p->last_time_ns = ev.hdr->time_ns;
	proc = vg_proctab_apply(p->procs, &ev);
	if (ev.hdr->flags & VIGIL_F_CONTAINER) {
		c = vg_containers_lookup(p->containers, ev.hdr->cgroup_id, &is_new);
		if (c && is_new)
			container_announced(p, c, ev.hdr->time_ns);
	}
	/* after its container's record: a replay reads them in order */
	vg_pipeline_capture(p, VG_REC_EVENT, data, len);
	vg_linktab_follow(p->links, p->link_paths, &ev, true);
	if (p->observe)
		p->observe(p->observer_ctx, &ev, proc, c);
	if (p->container_key && (!c || !vg_container_matches(c, p->container_key)))
		return 0;
	if ((p->since_ns && ev.hdr->time_ns < p->since_ns) ||
	    (p->until_ns && ev.hdr->time_ns > p->until_ns))
		return 0;
	vg_pipeline_resolve_rootfs(&ev, c);
	if (p->events)
		vg_output_event(p->events_out ? p->events_out : p->out, &ev, proc, c);
	n = vg_rules_eval_dedup(p->policy, &ev, proc, c, p->dedup, alerts, ALERTS_MAX,
				repeat_rules, &n_repeats);
	for (int i = 0; i < n_repeats; i++) {
		struct vg_rule_stats *r = rule_stats(p, repeat_rules[i]);

		p->stats.repeats++;
		if (r)
			r->repeats++;
	}
	for (int i = 0; i < n; i++) {
		struct vg_rule_stats *r = rule_stats(p, alerts[i].rule);

		p->stats.alerts++;
		if (r)
			r->alerts++;
		if (p->on_alert)
			p->on_alert(p->observer_ctx, &alerts[i], &ev, proc, c);
		else
			vg_output_alert(p->out, &alerts[i], &ev, proc, c);
	}
	return 0;
}

int vg_pipeline_cgroup(struct vg_pipeline *p, const void *data, size_t len, __u64 written)
{
	const struct vigil_cgroup *g;
	struct vg_event ev;
	bool is_new = false;
	const struct vg_container *c;

	if (vg_event_decode(data, len, &ev) || ev.hdr->type != VIGIL_EVENT_CGROUP) {
		p->stats.malformed++;
		return -EINVAL;
	}
	g = ev.raw;
	if (g->cgroup_flags & VIGIL_CGROUP_REMOVED) {
		vg_containers_gone(p->containers, g->hdr.cgroup_id, written);
		return 0;
	}
	if (vg_containers_learn(p->containers, g->hdr.cgroup_id, ev.str1, &is_new) > 0 && is_new) {
		c = vg_containers_lookup(p->containers, g->hdr.cgroup_id, NULL);
		if (c)
			container_announced(p, c, g->hdr.time_ns);
	}
	return 0;
}

int vg_pipeline_add_repeats(struct vg_pipeline *p, const void *data, size_t len, __u64 n)
{
	struct vg_alert alerts[ALERTS_MAX];
	const struct vg_container *c = NULL;
	struct vg_event ev;
	int count;

	if (vg_event_decode(data, len, &ev))
		return -EINVAL;
	if (ev.hdr->flags & VIGIL_F_CONTAINER)
		c = vg_containers_lookup(p->containers, ev.hdr->cgroup_id, NULL);
	if (p->container_key && (!c || !vg_container_matches(c, p->container_key)))
		return 0;
	vg_linktab_follow(p->links, p->link_paths, &ev, false);
	vg_pipeline_resolve_rootfs(&ev, c);
	/* which alerts such an event raises: each is n repeats more, none printed again */
	count = vg_rules_eval(p->policy, &ev, NULL, c, alerts, ALERTS_MAX);
	for (int i = 0; i < count; i++) {
		struct vg_rule_stats *r = rule_stats(p, alerts[i].rule);

		vg_dedup_add_repeats(p->dedup, alerts[i].rule, c ? c->id : NULL, alerts[i].key, n);
		p->stats.repeats += n;
		if (r)
			r->repeats += n;
	}
	return 0;
}

void vg_pipeline_batch_done(struct vg_pipeline *p)
{
	vg_proctab_reap(p->procs);
}

struct repeat_ctx {
	struct vg_pipeline *p;
	__u64 now;
};

static void report_one(void *ctx, const char *rule, const char *container_id, const char *key,
		       __u64 count)
{
	struct repeat_ctx *r = ctx;

	vg_output_repeat(r->p->out, r->now, rule, container_id, key, count);
}

void vg_pipeline_report_repeats(struct vg_pipeline *p, __u64 now_boot_ns)
{
	struct repeat_ctx r = { p, now_boot_ns };

	vg_dedup_report(p->dedup, false, report_one, &r);
}

const struct vg_policy *vg_pipeline_set_policy(struct vg_pipeline *p,
					       const struct vg_policy *policy)
{
	const struct vg_policy *old = p->policy;

	p->policy = policy;
	return old;
}

int vg_pipeline_loss_alert(struct vg_pipeline *p, __u64 now_boot_ns, const struct vg_alert *a,
			   const __u64 *lost, const __u64 *lost_total)
{
	struct vg_rule_stats *r = rule_stats(p, a->rule);

	p->stats.alerts++;
	if (r)
		r->alerts++;
	return vg_output_loss_alert(p->out, now_boot_ns, a, lost, lost_total,
				    VIGIL_EVENT_TYPE_MAX, NULL);
}

/* Losing these blinds the rules that matter most: who ran what, became root, mounted, dialled. */
static const unsigned int critical_types[] = { VIGIL_EVENT_EXEC, VIGIL_EVENT_SETUID,
					       VIGIL_EVENT_SETGID, VIGIL_EVENT_MOUNT,
					       VIGIL_EVENT_CONNECT };

int vg_pipeline_shed_alert(struct vg_pipeline *p, __u64 now_boot_ns, __u64 cgroup_id,
			   const __u64 *shed, const __u64 *shed_total)
{
	struct vg_alert a = { .rule = VG_RULE_EVENT_LOSS, .severity = VG_SEV_HIGH,
			      .mitre = { "T1562", NULL } };
	const struct vg_container *c = vg_containers_lookup(p->containers, cgroup_id, NULL);
	char counts[256] = "", *at = a.key;
	struct vg_rule_stats *r = rule_stats(p, a.rule);
	size_t used = 0;
	__u64 critical = 0;

	for (size_t i = 0; i < sizeof(critical_types) / sizeof(critical_types[0]); i++) {
		unsigned int t = critical_types[i];

		if (!shed[t])
			continue;
		critical += shed[t];
		at += snprintf(at, sizeof(a.key) - (size_t)(at - a.key), "%sshed:%s",
			       at == a.key ? "" : ",", vg_event_type_name(t));
		if (at >= a.key + sizeof(a.key))
			at = a.key + sizeof(a.key) - 1;
	}
	if (!critical)
		return 0; /* bookkeeping or writes only: counted, no alert */
	if (!vg_dedup_first(p->dedup, a.rule, c ? c->id : NULL, a.key)) {
		p->stats.repeats++;
		if (r)
			r->repeats++;
		return 0;
	}
	for (unsigned int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++) {
		int n;

		if (!shed[t] || used >= sizeof(counts))
			continue;
		n = snprintf(counts + used, sizeof(counts) - used, "%s%llu %s", used ? ", " : "",
			     (unsigned long long)shed[t], vg_event_type_name(t));
		used += n > 0 ? (size_t)n : 0;
	}
	snprintf(a.message, sizeof(a.message),
		 "container %s flooded the monitor: past half full, the kernel shed %s events of "
		 "it beyond its share, to keep room for the other containers': what it did in them "
		 "went unseen; find what floods (vigil_events_total) and stop or limit it",
		 c ? (c->name ? c->name : c->id) : "(unknown cgroup)", counts);
	p->stats.alerts++;
	if (r)
		r->alerts++;
	return vg_output_loss_alert(p->out, now_boot_ns, &a, shed, shed_total,
				    VIGIL_EVENT_TYPE_MAX, c);
}

struct state_ctx {
	struct vg_pipeline *p;
	__u64 now;
	__u64 *cgroups; /* of the containers recorded: their processes are flagged as inside */
	size_t n_cgroups, cap_cgroups;
	int rc;
};

static void note_rc(struct state_ctx *x, int rc)
{
	if (rc < 0 && !x->rc)
		x->rc = rc;
}

static void state_container(void *ctx, const struct vg_container *c)
{
	struct state_ctx *x = ctx;

	note_rc(x, vg_pipeline_record_container(x->p, c));
	if (x->n_cgroups == x->cap_cgroups) {
		size_t cap = x->cap_cgroups ? 2 * x->cap_cgroups : 64;
		__u64 *grown = realloc(x->cgroups, cap * sizeof(*grown));

		if (!grown)
			return;
		x->cgroups = grown;
		x->cap_cgroups = cap;
	}
	x->cgroups[x->n_cgroups++] = c->cgroup_id;
}

static bool in_container(const struct state_ctx *x, __u64 cgroup_id)
{
	for (size_t i = 0; i < x->n_cgroups; i++)
		if (x->cgroups[i] == cgroup_id)
			return true;
	return false;
}

/* What the table knows of a process, as the exec record a start-up walk would have given. */
static void state_process(void *ctx, const struct vg_process *proc)
{
	struct state_ctx *x = ctx;
	char buf[sizeof(struct vigil_exec) + VIGIL_EXE_MAX + VIGIL_ARGS_MAX] = {};
	struct vigil_exec *e = (struct vigil_exec *)buf;
	size_t exe_len = proc->exe ? strnlen(proc->exe, VIGIL_EXE_MAX - 1) : 0;
	size_t args_len = proc->args_len < VIGIL_ARGS_MAX ? proc->args_len : VIGIL_ARGS_MAX;

	if (proc->flags & VG_PROC_EXITED)
		return;
	e->hdr.type = VIGIL_EVENT_EXEC;
	e->hdr.flags = VIGIL_F_SNAPSHOT;
	if (proc->flags & VG_PROC_SETUP)
		e->hdr.flags |= VIGIL_F_SETUP;
	if (in_container(x, proc->cgroup_id))
		e->hdr.flags |= VIGIL_F_CONTAINER;
	e->hdr.time_ns = x->now;
	e->hdr.cgroup_id = proc->cgroup_id;
	e->hdr.pid = e->hdr.tid = proc->pid;
	e->start_time = proc->start_time;
	e->parent_start_time = proc->parent_start_time;
	e->ppid = proc->ppid;
	e->vpid = proc->vpid;
	e->uid = proc->uid;
	e->euid = proc->euid;
	e->gid = proc->gid;
	e->egid = proc->egid;
	if (proc->args_truncated || args_len < proc->args_len)
		e->exec_flags |= VIGIL_EXEC_ARGS_TRUNC;
	memcpy(e->comm, proc->comm, sizeof(e->comm));
	if (exe_len)
		memcpy(e->data, proc->exe, exe_len);
	e->exe_len = exe_len + 1;
	if (args_len)
		memcpy(e->data + e->exe_len, proc->args, args_len);
	e->args_len = args_len;
	e->hdr.size = sizeof(*e) + e->exe_len + args_len;
	note_rc(x, vg_pipeline_capture(x->p, VG_REC_EVENT, e, e->hdr.size));
}

int vg_pipeline_record_state(struct vg_pipeline *p, __u64 now_boot_ns)
{
	struct state_ctx x = { .p = p, .now = now_boot_ns };

	if (!p->capture)
		return 0;
	vg_containers_for_each(p->containers, state_container, &x);
	vg_proctab_for_each(p->procs, state_process, &x);
	free(x.cgroups);
	if (x.rc)
		p->stats.capture_errors++;
	return x.rc;
}
