// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering events and alerts: JSON lines (SPEC "JSON output") or text for a terminal, through
 * a sink. The event object is built in output_json.c, its line written in output_line.c.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "container.h"
#include "event.h"
#include "jsonw.h"
#include "output.h"
#include "output_internal.h"
#include "proctab.h"
#include "rules.h"
#include "sink.h"

#define ANCESTRY_MAX 16

void vg_output_set_sink(struct vg_output *o, struct vg_sink *sink)
{
	o->sink = sink;
	o->f = vg_sink_stream(sink);
}

/* With a sink, the record just rendered goes to it as one line (one syslog message). */
static int commit(struct vg_output *o, int rc, const char *msgid, int severity)
{
	if (!o->sink)
		return rc;
	return vg_sink_commit(o->sink, msgid, severity) ? -1 : rc;
}

static int syslog_severity(enum vg_severity s)
{
	switch (s) {
	case VG_SEV_CRITICAL:
		return LOG_CRIT;
	case VG_SEV_HIGH:
		return LOG_ERR;
	case VG_SEV_MEDIUM:
		return LOG_WARNING;
	case VG_SEV_LOW:
		break;
	}
	return LOG_NOTICE;
}

int vg_format_parse(const char *s)
{
	if (!strcmp(s, "text"))
		return VG_FORMAT_TEXT;
	if (!strcmp(s, "json"))
		return VG_FORMAT_JSON;
	return -1;
}

void vg_format_time(__u64 boot_ns, __u64 boot_wall_ns, char *buf, size_t size)
{
	__u64 wall = boot_ns + boot_wall_ns;
	time_t secs = wall / 1000000000ULL;
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, wall % 1000000000ULL);
}

static int emit(struct vg_output *o, struct json_object *obj)
{
	size_t len;
	const char *s = json_object_to_json_string_length(obj, JSON_FLAGS, &len);
	int rc = 0;

	if (fwrite(s, 1, len, o->f) != len || fputc('\n', o->f) == EOF)
		rc = -1;
	json_object_put(obj);
	return rc;
}

/*
 * Text for a terminal: a control character in a string that comes from the monitored
 * programs (a path, an argument, a message built from them) would end the line or drive the
 * terminal, so it is written escaped (a newline as \x0a).
 */
static void put_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = *s;

		if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\x%02x", ch);
		else
			fputc(ch, f);
	}
}

static const char *container_label(const struct vg_container *c, char *buf, size_t size)
{
	if (!c)
		return "host";
	if (c->name)
		snprintf(buf, size, "%s", c->name);
	else
		snprintf(buf, size, "%.12s", c->id);
	for (char *s = buf; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	return buf;
}

/* One line a person reads: what, who, where. */
static void text_event(struct vg_output *o, const struct vg_event *ev, const struct vg_process *p,
		       const struct vg_container *c)
{
	struct json_object *obj = vg_event_to_json(o, ev, p, c), *typed = NULL;
	const char *keys[] = { "exec", "fork", "exit", "setuid", "setgid", "capability",
			       "mount", "connect", "file", "io_uring" };
	char when[48], label[80];

	vg_format_time(ev->hdr->time_ns, o->boot_wall_ns, when, sizeof(when));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !typed; i++)
		json_object_object_get_ex(obj, keys[i], &typed);
	fprintf(o->f, "%s %-8s %-16s pid=%u ", when, vg_event_type_name(ev->hdr->type),
		container_label(c, label, sizeof(label)), ev->hdr->pid);
	put_text(o->f, p && p->exe ? p->exe : p ? p->comm : "?");
	if (ev->hdr->type == VIGIL_EVENT_EXEC && p && p->args) {
		for (unsigned int i = strlen(p->args) + 1; i < p->args_len;
		     i += strlen(p->args + i) + 1) {
			fputc(' ', o->f);
			put_text(o->f, p->args + i);
		}
	} else if (typed) {
		fprintf(o->f, " %s", json_object_to_json_string_ext(typed, JSON_FLAGS));
	}
	if (ev->hdr->flags & VIGIL_F_SETUP)
		fputs(" (runtime set-up)", o->f);
	fputc('\n', o->f);
	json_object_put(obj);
}

int vg_output_event(struct vg_output *o, const struct vg_event *ev, const struct vg_process *p,
		    const struct vg_container *c)
{
	int rc;

	if (o->format == VG_FORMAT_TEXT) {
		text_event(o, ev, p, c);
		rc = ferror(o->f) ? -1 : 0;
	} else {
		rc = vg_output_event_line(o, ev, p, c);
	}
	return commit(o, rc, "event", LOG_INFO);
}

/* From the process up to the container's init (vpid 1) or what the table still knows. */
static struct json_object *ancestry_to_json(const struct vg_proctab *t, const struct vg_process *p)
{
	struct json_object *arr = json_object_new_array();

	for (int depth = 0; t && p && depth < ANCESTRY_MAX; depth++) {
		const struct vg_process *parent = vg_proctab_parent(t, p);
		struct json_object *a;

		if (!parent || parent->cgroup_id != p->cgroup_id)
			break;
		a = json_object_new_object();
		add_int(a, "pid", parent->pid);
		add_int(a, "vpid", parent->vpid);
		add_str(a, "exe", parent->exe ? parent->exe : parent->comm);
		json_object_array_add(arr, a);
		if (parent->vpid == 1)
			break;
		p = parent;
	}
	return arr;
}

/* What every alert object starts with, in SPEC's order. */
static struct json_object *alert_head(const struct vg_alert *a, const char *when)
{
	struct json_object *obj = json_object_new_object(), *mitre = json_object_new_array();

	add_str(obj, "kind", "alert");
	add_str(obj, "time", when);
	add_str(obj, "rule", a->rule);
	add_str(obj, "severity", vg_severity_name(a->severity));
	add_str(obj, "message", a->message);
	for (int i = 0; i < VG_ALERT_MITRE_MAX && a->mitre[i]; i++)
		json_object_array_add(mitre, json_object_new_string(a->mitre[i]));
	json_object_object_add(obj, "mitre", mitre);
	return obj;
}

int vg_output_alert(struct vg_output *o, const struct vg_alert *a, const struct vg_event *ev,
		    const struct vg_process *p, const struct vg_container *c)
{
	struct json_object *obj, *event, *process;
	char when[48], label[80];

	vg_format_time(ev->hdr->time_ns, o->boot_wall_ns, when, sizeof(when));
	if (o->format == VG_FORMAT_TEXT) {
		fprintf(o->f, "%s ALERT %-8s %s [%s pid=%u]: ", when, vg_severity_name(a->severity),
			a->rule, container_label(c, label, sizeof(label)), ev->hdr->pid);
		put_text(o->f, a->message);
		fputc('\n', o->f);
		return commit(o, ferror(o->f) ? -1 : 0, "alert", syslog_severity(a->severity));
	}
	obj = alert_head(a, when);
	json_object_object_add(obj, "container", c ? vg_container_to_json(c) : NULL);
	process = vg_process_to_json(p, ev);
	if (p)
		json_object_object_add(process, "ancestry", ancestry_to_json(o->procs, p));
	json_object_object_add(obj, "process", process);
	add_str(obj, "key", a->key);
	event = vg_event_to_json(o, ev, p, c);
	json_object_object_add(obj, "event", event);
	return commit(o, emit(o, obj), "alert", syslog_severity(a->severity));
}

int vg_output_repeat(struct vg_output *o, __u64 now_boot_ns, const char *rule,
		     const char *container_id, const char *key, __u64 count)
{
	struct json_object *obj;
	char when[48];

	vg_format_time(now_boot_ns, o->boot_wall_ns, when, sizeof(when));
	if (o->format == VG_FORMAT_TEXT) {
		fprintf(o->f, "%s REPEAT %s [%.12s] ", when, rule, container_id);
		put_text(o->f, key);
		fprintf(o->f, ": %llu more\n", (unsigned long long)count);
		return commit(o, ferror(o->f) ? -1 : 0, "repeat", LOG_NOTICE);
	}
	obj = json_object_new_object();
	add_str(obj, "kind", "repeat");
	add_str(obj, "time", when);
	add_str(obj, "rule", rule);
	add_str(obj, "container_id", container_id);
	add_str(obj, "key", key);
	add_int(obj, "count", (long long)count);
	return commit(o, emit(o, obj), "repeat", LOG_NOTICE);
}

static struct json_object *lost_to_json(const __u64 *lost, unsigned int n_types)
{
	struct json_object *obj = json_object_new_object();

	for (unsigned int t = 1; t < n_types; t++)
		if (lost[t])
			add_int(obj, vg_event_type_name(t), (long long)lost[t]);
	return obj;
}

/*
 * An alert no process raised (event loss; a container's configuration): the same keys as
 * every alert, so that a pipeline's mapping holds, with null process and event; the loss
 * counters where lost is given.
 */
static int eventless_alert(struct vg_output *o, __u64 now_boot_ns, const struct vg_alert *a,
			   const __u64 *lost, const __u64 *lost_total, unsigned int n_types,
			   const struct vg_container *c)
{
	struct json_object *obj;
	char when[48];

	vg_format_time(now_boot_ns, o->boot_wall_ns, when, sizeof(when));
	if (o->format == VG_FORMAT_TEXT) {
		fprintf(o->f, "%s ALERT %-8s %s [", when, vg_severity_name(a->severity), a->rule);
		put_text(o->f, c ? (c->name ? c->name : c->id) : "vigil");
		fputs("]: ", o->f);
		put_text(o->f, a->message);
		fputc('\n', o->f);
		return commit(o, ferror(o->f) ? -1 : 0, "alert", syslog_severity(a->severity));
	}
	obj = alert_head(a, when);
	json_object_object_add(obj, "container", c ? vg_container_to_json(c) : NULL);
	json_object_object_add(obj, "process", NULL);
	add_str(obj, "key", a->key);
	json_object_object_add(obj, "event", NULL);
	if (lost) {
		json_object_object_add(obj, "lost", lost_to_json(lost, n_types));
		json_object_object_add(obj, "lost_total", lost_to_json(lost_total, n_types));
	}
	return commit(o, emit(o, obj), "alert", syslog_severity(a->severity));
}

int vg_output_container_alert(struct vg_output *o, __u64 now_boot_ns, const struct vg_alert *a,
			      const struct vg_container *c)
{
	return eventless_alert(o, now_boot_ns, a, NULL, NULL, 0, c);
}

int vg_output_loss_alert(struct vg_output *o, __u64 now_boot_ns, const struct vg_alert *a,
			 const __u64 *lost, const __u64 *lost_total, unsigned int n_types,
			 const struct vg_container *c)
{
	return eventless_alert(o, now_boot_ns, a, lost, lost_total, n_types, c);
}
