/* SPDX-License-Identifier: GPL-2.0 */
/* Rendering events and alerts: JSON lines (SPEC "JSON output") or text for a terminal. */
#ifndef VIGIL_OUTPUT_H
#define VIGIL_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

struct json_object;
struct vg_event;
struct vg_process;
struct vg_proctab;
struct vg_container;
struct vg_alert;

enum vg_format { VG_FORMAT_TEXT, VG_FORMAT_JSON };

struct vg_sink;

struct vg_output {
	FILE *f;
	enum vg_format format;
	__u64 boot_wall_ns; /* CLOCK_REALTIME - CLOCK_BOOTTIME: event times to wall clock */
	const struct vg_proctab *procs; /* for alerts' ancestry; may be NULL */
	/* set (vg_output_set_sink): each record is rendered into f, then committed to it whole */
	struct vg_sink *sink;
	char *stdio_buf; /* f's buffer when vg_cli_open_output() set one; freed on close */
};

/* Writes through a sink (sink.h): f becomes the sink's stream. */
void vg_output_set_sink(struct vg_output *o, struct vg_sink *sink);

/* A JSON string of n bytes; invalid UTF-8 becomes U+FFFD. */
struct json_object *vg_json_string_len(const char *s, size_t n);

/* Parses "text"/"json"; -1 if neither. */
int vg_format_parse(const char *s);

/* RFC 3339 UTC with nanoseconds, from CLOCK_BOOTTIME ns. */
void vg_format_time(__u64 boot_ns, __u64 boot_wall_ns, char *buf, size_t size);

/* SPEC's event object (kind "event"). p may be NULL: then only what the record says. */
struct json_object *vg_event_to_json(const struct vg_output *o, const struct vg_event *ev,
				     const struct vg_process *p, const struct vg_container *c);
struct json_object *vg_process_to_json(const struct vg_process *p, const struct vg_event *ev);

int vg_output_event(struct vg_output *o, const struct vg_event *ev, const struct vg_process *p,
		    const struct vg_container *c);
int vg_output_alert(struct vg_output *o, const struct vg_alert *a, const struct vg_event *ev,
		    const struct vg_process *p, const struct vg_container *c);
/* A repeated alert's count since it was last reported (kind "repeat"). */
int vg_output_repeat(struct vg_output *o, __u64 now_boot_ns, const char *rule,
		     const char *container_id, const char *key, __u64 count);
/*
 * An alert about the monitor itself (vigil_event_loss): kind "alert" with process and event
 * null, and "lost" (events lost by type since the previous such alert, n_types entries
 * indexed by event type, zeros left out) and "lost_total" (since start). container: the one
 * whose events were shed to keep room for the others' (flood headroom), else NULL (null).
 */
struct vg_container;
/* An alert about a container's configuration (found when it is first seen): no event. */
int vg_output_container_alert(struct vg_output *o, __u64 now_boot_ns, const struct vg_alert *a,
			      const struct vg_container *c);
int vg_output_loss_alert(struct vg_output *o, __u64 now_boot_ns, const struct vg_alert *a,
			 const __u64 *lost, const __u64 *lost_total, unsigned int n_types,
			 const struct vg_container *c);

#endif
