// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel counted instead of sending: records lost to a full ring buffer (said,
 * recorded and alerted on), records shed for flood headroom, and alerts' repeats.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "cli.h"
#include "event.h"
#include "rules.h"
#include "run_internal.h"

/* Losses that blind the rules that matter most: who ran what, who became root, what mounted. */
static const unsigned int loss_alert_types[] = { VIGIL_EVENT_EXEC, VIGIL_EVENT_SETUID,
						 VIGIL_EVENT_SETGID, VIGIL_EVENT_MOUNT };

static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += n;
}

/*
 * A monitor that can be blinded by flooding must say so: a lost exec, setuid, setgid or mount
 * event raises vigil_event_loss, at once the first time, then at most every LOSS_ALERT_NS
 * with what was lost since the previous one.
 */
static void raise_loss_alert(struct run_state *s, const struct vigil_counters *now, bool final)
{
	struct vg_alert a = { .rule = VG_RULE_EVENT_LOSS, .severity = VG_SEV_HIGH,
			      .mitre = { "T1562", NULL } };
	__u64 lost[VIGIL_EVENT_TYPE_MAX], t_now = vg_now_boot_ns();
	size_t key_used = 0, counts_used = 0;
	char counts[256] = "";
	bool watched = false;

	for (int t = 0; t < VIGIL_EVENT_TYPE_MAX; t++)
		lost[t] = now->lost[t] - s->lost_at_alert[t];
	for (size_t i = 0; i < sizeof(loss_alert_types) / sizeof(loss_alert_types[0]); i++) {
		unsigned int t = loss_alert_types[i];

		if (!lost[t])
			continue;
		append(a.key, sizeof(a.key), &key_used, "%s%s", watched ? "," : "",
		       vg_event_type_name(t));
		watched = true;
	}
	if (!watched)
		return;
	if (s->loss_alerted_ns && t_now - s->loss_alerted_ns < LOSS_ALERT_NS && !final)
		return;
	for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++)
		if (lost[t])
			append(counts, sizeof(counts), &counts_used, "%s%llu %s",
			       counts_used ? ", " : "", (unsigned long long)lost[t],
			       vg_event_type_name(t));
	snprintf(a.message, sizeof(a.message),
		 "the kernel dropped %s events since %s (ring buffer full): what they did went "
		 "unseen, and flooding the monitor this way can hide an attack; raise "
		 "--ringbuf-size (now %llu bytes) and find what floods (vigil_events_total)",
		 counts, s->loss_alerted_ns ? "the previous loss alert" : "vigil started",
		 (unsigned long long)s->rings.size);
	vg_pipeline_loss_alert(&s->pipe, t_now, &a, lost, now->lost);
	memcpy(s->lost_at_alert, now->lost, sizeof(s->lost_at_alert));
	s->loss_alerted_ns = t_now;
}

struct shed_entry {
	__u64 cgroup_id;
	__u32 type;
	__u32 setup; /* the runtime's set-up work: counted, never alerted */
	__u64 count;
};

struct shed_list {
	struct shed_entry *items;
	size_t n, cap;
};

static void take_shed(void *ctx, const void *k, __u64 count)
{
	const struct vigil_shed_key *key = k;
	struct shed_list *l = ctx;

	if (key->type >= VIGIL_EVENT_TYPE_MAX)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct shed_entry *items = realloc(l->items, cap * sizeof(*items));

		if (!items)
			return;
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n++] = (struct shed_entry){ key->cgroup_id, key->type, key->setup, count };
}

static int by_cgroup(const void *a, const void *b)
{
	const struct shed_entry *x = a, *y = b;

	return x->cgroup_id < y->cgroup_id ? -1 : x->cgroup_id > y->cgroup_id;
}

/*
 * What the kernel shed to keep flood headroom, per cgroup: counted, said on stderr, and an
 * alert naming the container when any of it was an exec, setuid, setgid, mount or connect.
 * The ring is read first, so that the alert follows what the container did get through.
 */
void vg_run_collect_shed(struct run_state *s)
{
	struct shed_list l = {};
	__u64 shed[VIGIL_EVENT_TYPE_MAX], now = vg_now_boot_ns();

	if (vg_loader_take_counts(&s->loader, VG_COUNTED_SHED, take_shed, &l) <= 0 || !l.n) {
		free(l.items);
		return;
	}
	vg_rings_drain(&s->rings);
	qsort(l.items, l.n, sizeof(*l.items), by_cgroup);
	for (size_t i = 0; i < l.n;) {
		__u64 id = l.items[i].cgroup_id, total = 0;

		memset(shed, 0, sizeof(shed));
		for (; i < l.n && l.items[i].cgroup_id == id; i++) {
			if (!l.items[i].setup)
				shed[l.items[i].type] += l.items[i].count;
			s->shed[l.items[i].type] += l.items[i].count;
			total += l.items[i].count;
		}
		fprintf(stderr, "vigil: flood: %llu events of cgroup %llu shed past half a full ring "
				"buffer (beyond its share, or the runtime's set-up)\n",
			(unsigned long long)total, (unsigned long long)id);
		vg_pipeline_shed_alert(&s->pipe, now, id, shed, s->shed);
	}
	free(l.items);
}

void vg_run_check_losses(struct run_state *s, bool final)
{
	struct vigil_counters now;
	bool changed = false;

	if (vg_loader_counters(&s->loader, &now))
		return;
	for (int t = 1; t < VIGIL_EVENT_TYPE_MAX; t++) {
		__u64 lost = now.lost[t] - s->reported.lost[t];

		if (!lost)
			continue;
		changed = true;
		fprintf(stderr,
			"vigil: ring buffer full: lost %llu %s events (total %llu); raise "
			"--ringbuf-size\n",
			(unsigned long long)lost, vg_event_type_name(t),
			(unsigned long long)now.lost[t]);
	}
	if (now.map_fail != s->reported.map_fail) {
		changed = true;
		fprintf(stderr, "vigil: %llu BPF map updates failed (maps full?)\n",
			(unsigned long long)(now.map_fail - s->reported.map_fail));
	}
	if ((changed || final) && s->pipe.capture) {
		__u64 totals[VIGIL_COUNTERS];

		for (int t = 0; t < VIGIL_EVENT_TYPE_MAX; t++)
			totals[t] = now.lost[t];
		totals[0] = now.map_fail;
		vg_pipeline_capture(&s->pipe, VG_REC_LOSS, totals, sizeof(totals));
	}
	s->reported = now;
	raise_loss_alert(s, &now, final);
}

/* A record like the ones the kernel counted instead of sending, and how many there were. */
struct counted {
	union {
		struct vigil_event_header hdr;
		struct vigil_connect connect;
		struct {
			struct vigil_write write;
			char path[VIGIL_WRITE_SEEN_PATH + 1]; /* and an empty second path */
		} w;
	} rec;
	__u64 count;
};

struct counted_list {
	struct counted *items;
	size_t n, cap;
	bool failed;
};

static struct counted *counted_add(struct counted_list *cl, __u64 count)
{
	struct counted *c;

	if (cl->n == cl->cap) {
		size_t cap = cl->cap ? 2 * cl->cap : 64;
		struct counted *items = realloc(cl->items, cap * sizeof(*items));

		if (!items) {
			cl->failed = true;
			return NULL;
		}
		cl->items = items;
		cl->cap = cap;
	}
	c = &cl->items[cl->n++];
	memset(c, 0, sizeof(*c));
	c->count = count;
	return c;
}

static void take_connect(void *ctx, const void *k, __u64 count)
{
	const struct vigil_connect_key *key = k;
	struct counted *c = counted_add(ctx, count);

	if (!c)
		return;
	c->rec.connect.hdr = (struct vigil_event_header){
		.type = VIGIL_EVENT_CONNECT, .size = sizeof(c->rec.connect),
		.flags = key->hdr_flags, .cgroup_id = key->cgroup_id };
	c->rec.connect.family = key->family;
	c->rec.connect.port = key->port;
	c->rec.connect.protocol = key->protocol;
	c->rec.connect.connect_flags = key->connect_flags;
	memcpy(c->rec.connect.addr, key->addr, sizeof(key->addr));
}

static void take_write(void *ctx, const void *k, __u64 count)
{
	const struct vigil_write_key *key = k;
	struct counted *c = counted_add(ctx, count);
	size_t n;

	if (!c)
		return;
	n = strnlen(key->path, sizeof(key->path) - 1);
	memcpy(c->rec.w.path, key->path, n); /* NUL, then the empty second path */
	c->rec.w.write.hdr = (struct vigil_event_header){
		.type = VIGIL_EVENT_WRITE, .size = sizeof(c->rec.w.write) + n + 2,
		.flags = key->hdr_flags, .cgroup_id = key->cgroup_id };
	c->rec.w.write.op = key->op;
	c->rec.w.write.rootfs = key->rootfs;
	c->rec.w.write.path_len = n + 1;
	c->rec.w.write.path2_len = 1;
}

/*
 * Alerts only: the repeated connects and writes the kernel counted instead of sending. A
 * key is in its map only once its first record is in the ring buffer, so the ring is drained
 * after the counts are taken and before they are added: the first is always handled (and
 * alerts) before its repeats are counted.
 */
void vg_run_collect_repeats(struct run_state *s)
{
	struct counted_list cl = {};
	__u64 now = vg_now_boot_ns();
	int rc;

	if (!s->alerts_only)
		return;
	rc = vg_loader_take_counts(&s->loader, VG_COUNTED_CONNECTS, take_connect, &cl);
	if (rc >= 0)
		rc = vg_loader_take_counts(&s->loader, VG_COUNTED_WRITES, take_write, &cl);
	/* datagrams' repeats still in the per-CPU send slots, keyed as in connect_seen */
	vg_loader_take_send_repeats(&s->loader, take_connect, &cl);
	if ((rc < 0 || cl.failed) && !s->counts_failed) {
		fprintf(stderr, "vigil: cannot take the kernel's counts of repeated connects and "
				"writes (%s): their repeats are undercounted\n",
			strerror(rc < 0 ? -rc : ENOMEM));
		s->counts_failed = true;
	}
	if (cl.n)
		vg_rings_drain(&s->rings);
	for (size_t i = 0; i < cl.n; i++) {
		cl.items[i].rec.hdr.time_ns = now;
		vg_pipeline_add_repeats(&s->pipe, &cl.items[i].rec, cl.items[i].rec.hdr.size,
					cl.items[i].count);
	}
	free(cl.items);
}
