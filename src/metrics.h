/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Metrics in the Prometheus text exposition format (version 0.0.4): rendering, a small HTTP
 * listener served from the agent's own loop (non-blocking, no threads), and a metrics file
 * replaced atomically (for node_exporter's textfile collector).
 */
#ifndef VIGIL_METRICS_H
#define VIGIL_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <linux/types.h>

/* ---- the text format ---- */

/* "# HELP name help" (help escaped: '\\' and newline) and "# TYPE name type". */
void vg_prom_family(FILE *f, const char *name, const char *type, const char *help);
/*
 * One sample: name{l1="v1",l2="v2"} value. labels: name, value pairs, NULL terminated (NULL or
 * empty: no braces); label values escape '\\', '"' and newline.
 */
void vg_prom_sample_u64(FILE *f, const char *name, const char *const *labels, __u64 value);
void vg_prom_sample_double(FILE *f, const char *name, const char *const *labels, double value);

/* ---- what vigil exports ---- */

struct vg_metrics_rule {
	const char *rule;
	__u64 alerts;  /* printed (first of their kind) */
	__u64 repeats; /* suppressed as repeats */
};

struct vg_metrics_output {
	const char *name; /* "alerts", "events" */
	__u64 records, write_failures, rotations;
};

struct vg_metrics {
	unsigned int n_types; /* event types: events[] and lost[] are indexed 1..n_types-1 */
	const __u64 *events;  /* handled, by type */
	const __u64 *lost;    /* lost in the kernel (ring buffer full), by type */
	const __u64 *shed;    /* shed in the kernel for flood headroom, by type */
	__u64 map_failures;   /* BPF map updates that failed */
	__u64 malformed;      /* records that failed to decode */
	const struct vg_metrics_rule *rules;
	size_t n_rules;
	__u64 containers, processes; /* tracked now */
	/* container cgroups learnt from the kernel's records; resolved by a lookup; forgotten */
	__u64 cgroups_learned, cgroups_resolved, cgroups_evicted;
	double ringbuf_fill;	     /* 0..1; < 0: unknown */
	__u64 ringbuf_bytes;
	__u64 reloads_ok, reloads_failed;
	const struct vg_metrics_output *outputs;
	size_t n_outputs;
	__u64 capture_files; /* captures opened by --record (rotation included) */
	__u64 capture_errors;
	double start_time; /* wall clock, seconds since the epoch */
	const char *version, *libbpf_version;
};

/* Every family with HELP and TYPE, in a fixed order. */
void vg_metrics_render(const struct vg_metrics *m, FILE *f);

/* ---- the HTTP listener ---- */

/*
 * Parses "HOST:PORT", "[V6]:PORT" or "PORT" (127.0.0.1), numeric hosts and "localhost" only.
 * A host outside 127.0.0.0/8 and ::1 is refused unless allow_remote: the endpoint has no
 * authentication. 0, or -EINVAL with one line in err naming the fix.
 */
int vg_metrics_address_parse(const char *text, bool allow_remote, struct sockaddr_storage *addr,
			     socklen_t *len, char *err, size_t errlen);

struct vg_metrics_server;
/* Renders the body of GET /metrics into f. */
typedef void (*vg_metrics_render_fn)(void *ctx, FILE *f);

/* Listens (non-blocking) on address; 0, or -errno with one line in err. */
int vg_metrics_server_start(const char *address, bool allow_remote, vg_metrics_render_fn render,
			    void *ctx, struct vg_metrics_server **out, char *err, size_t errlen);
/* "http://127.0.0.1:9101/metrics", with the port actually bound. */
const char *vg_metrics_server_url(const struct vg_metrics_server *srv);
/* The listening socket, for poll()ers; and the connections being served. */
int vg_metrics_server_fd(const struct vg_metrics_server *srv);
/*
 * Accepts, reads and answers what is ready, without ever blocking: GET/HEAD /metrics (the
 * exposition), /healthz ("ok"), anything else 404 or 405. Slow clients are dropped after a few
 * seconds, at most a few are served at once. Returns the requests answered.
 */
int vg_metrics_server_poll(struct vg_metrics_server *srv);
void vg_metrics_server_stop(struct vg_metrics_server *srv);

/* Writes text to path through a temporary file and a rename. 0 or -errno. */
int vg_metrics_write_file(const char *path, const char *text, size_t len);

#endif
