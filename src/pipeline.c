// SPDX-License-Identifier: GPL-2.0
/* From a raw record to what the user sees; shared by run and replay. */
#include <errno.h>
#include <stdio.h>
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

int vg_pipeline_init(struct vg_pipeline *p, const struct vg_policy *policy, struct vg_output *out,
		     struct vg_containers *containers)
{
	memset(p, 0, sizeof(*p));
	p->policy = policy;
	p->out = out;
	p->containers = containers;
	p->procs = vg_proctab_new(0);
	p->dedup = vg_dedup_new();
	if (!p->procs || !p->dedup) {
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
	p->procs = NULL;
	p->dedup = NULL;
}

static void capture_append(struct vg_pipeline *p, unsigned int type, const void *data, size_t len)
{
	int rc;

	if (!p->capture)
		return;
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
}

static void record_container(struct vg_pipeline *p, const struct vg_container *c)
{
	struct json_object *obj;
	const char *s;
	size_t len;

	if (!p->capture)
		return;
	obj = vg_container_to_json_full(c);
	if (!obj)
		return;
	s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN, &len);
	capture_append(p, VG_REC_CONTAINER, s, len);
	json_object_put(obj);
}

/* A write the kernel could not place (an absolute path to unlink ...): the container's mounts. */
static void resolve_rootfs(struct vg_event *ev, const struct vg_container *c)
{
	bool decided = false, on_rootfs;

	if (ev->hdr->type != VIGIL_EVENT_WRITE || ev->rootfs != VIGIL_ROOTFS_UNKNOWN || !c)
		return;
	if (ev->str1[0] != '/')
		return;
	on_rootfs = vg_container_path_on_rootfs(c, ev->str1, &decided);
	if (decided)
		ev->rootfs = on_rootfs ? VIGIL_ROOTFS_YES : VIGIL_ROOTFS_NO;
}

int vg_pipeline_record(struct vg_pipeline *p, const void *data, size_t len)
{
	struct vg_alert alerts[ALERTS_MAX];
	const struct vg_container *c = NULL;
	const struct vg_process *proc;
	struct vg_event ev;
	bool is_new = false;
	int n;

	if (vg_event_decode(data, len, &ev)) {
		p->stats.malformed++;
		return -EINVAL;
	}
	capture_append(p, VG_REC_EVENT, data, len);
	p->stats.events[ev.hdr->type]++;
	if (ev.hdr->time_ns > p->last_time_ns)
		p->last_time_ns = ev.hdr->time_ns;
	proc = vg_proctab_apply(p->procs, &ev);
	if (ev.hdr->flags & VIGIL_F_CONTAINER) {
		c = vg_containers_lookup(p->containers, ev.hdr->cgroup_id, &is_new);
		if (c && is_new)
			record_container(p, c);
	}
	if (p->container_key && (!c || !vg_container_matches(c, p->container_key)))
		return 0;
	if ((p->since_ns && ev.hdr->time_ns < p->since_ns) ||
	    (p->until_ns && ev.hdr->time_ns > p->until_ns))
		return 0;
	resolve_rootfs(&ev, c);
	if (p->events)
		vg_output_event(p->out, &ev, proc, c);
	n = vg_rules_eval(p->policy, &ev, proc, c, alerts, ALERTS_MAX);
	for (int i = 0; i < n; i++) {
		if (!vg_dedup_first(p->dedup, alerts[i].rule, c ? c->id : "", alerts[i].key)) {
			p->stats.repeats++;
			continue;
		}
		p->stats.alerts++;
		vg_output_alert(p->out, &alerts[i], &ev, proc, c);
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
