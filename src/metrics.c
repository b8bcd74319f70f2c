// SPDX-License-Identifier: GPL-2.0
/* Prometheus text exposition, a loopback HTTP listener polled from the main loop, a file. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>

#include "event.h"
#include "metrics.h"

#define CLIENTS_MAX	  8    /* connections served at once; more wait in the backlog */
#define REQUEST_MAX	  4096 /* a scrape's request is a few hundred bytes */
#define CLIENT_TIMEOUT_NS (5 * 1000000000ull)

/* ---- the text format ---- */

static void put_escaped(FILE *f, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (quote && *s == '"')
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

void vg_prom_family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s ", name);
	put_escaped(f, help, false);
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

static void put_name_labels(FILE *f, const char *name, const char *const *labels)
{
	fputs(name, f);
	if (!labels || !labels[0])
		return;
	fputc('{', f);
	for (size_t i = 0; labels[i] && labels[i + 1]; i += 2) {
		if (i)
			fputc(',', f);
		fprintf(f, "%s=\"", labels[i]);
		put_escaped(f, labels[i + 1], true);
		fputc('"', f);
	}
	fputc('}', f);
}

void vg_prom_sample_u64(FILE *f, const char *name, const char *const *labels, __u64 value)
{
	put_name_labels(f, name, labels);
	fprintf(f, " %llu\n", (unsigned long long)value);
}

void vg_prom_sample_double(FILE *f, const char *name, const char *const *labels, double value)
{
	put_name_labels(f, name, labels);
	if (isnan(value))
		fputs(" NaN\n", f);
	else if (isinf(value))
		fputs(value > 0 ? " +Inf\n" : " -Inf\n", f);
	else
		fprintf(f, " %.15g\n", value);
}

static void by_type(FILE *f, const char *name, const char *help, const __u64 *counts,
		    unsigned int n_types)
{
	vg_prom_family(f, name, "counter", help);
	for (unsigned int t = 1; t < n_types; t++) {
		const char *labels[] = {"type", vg_event_type_name(t), NULL};

		vg_prom_sample_u64(f, name, labels, counts ? counts[t] : 0);
	}
}

static void single(FILE *f, const char *name, const char *type, const char *help, __u64 value)
{
	vg_prom_family(f, name, type, help);
	vg_prom_sample_u64(f, name, NULL, value);
}

void vg_metrics_render(const struct vg_metrics *m, FILE *f)
{
	const char *build[] = {"version", m->version ? m->version : "", "libbpf",
			       m->libbpf_version ? m->libbpf_version : "", NULL};

	vg_prom_family(f, "vigil_build_info", "gauge",
		       "The vigil build running: version and libbpf version as labels.");
	vg_prom_sample_u64(f, "vigil_build_info", build, 1);
	vg_prom_family(f, "vigil_start_time_seconds", "gauge",
		       "When the agent started, seconds since the epoch.");
	vg_prom_sample_double(f, "vigil_start_time_seconds", NULL, m->start_time);

	by_type(f, "vigil_events_total", "Events received from the kernel, by type.", m->events,
		m->n_types);
	by_type(f, "vigil_events_lost_total",
		"Events the kernel could not queue (ring buffer full), by type.", m->lost,
		m->n_types);
	by_type(f, "vigil_events_shed_total",
		"Events the kernel shed past half a full ring: a cgroup beyond its share, by type.",
		m->shed, m->n_types);
	single(f, "vigil_map_update_failures_total", "counter",
	       "BPF map updates that failed in the kernel (a map full).", m->map_failures);
	single(f, "vigil_records_malformed_total", "counter",
	       "Records from the kernel that failed to decode.", m->malformed);

	vg_prom_family(f, "vigil_alerts_total", "counter",
		       "Alerts raised and printed, by rule (repeats not included).");
	for (size_t i = 0; i < m->n_rules; i++) {
		const char *labels[] = {"rule", m->rules[i].rule, NULL};

		vg_prom_sample_u64(f, "vigil_alerts_total", labels, m->rules[i].alerts);
	}
	vg_prom_family(f, "vigil_alert_repeats_total", "counter",
		       "Alerts suppressed as repeats of one already printed, by rule.");
	for (size_t i = 0; i < m->n_rules; i++) {
		const char *labels[] = {"rule", m->rules[i].rule, NULL};

		vg_prom_sample_u64(f, "vigil_alert_repeats_total", labels, m->rules[i].repeats);
	}

	single(f, "vigil_containers_tracked", "gauge", "Containers the agent knows of now.",
	       m->containers);
	single(f, "vigil_cgroups_learned_total", "counter",
	       "Container cgroups attributed from the path the kernel sent when it made them.",
	       m->cgroups_learned);
	single(f, "vigil_cgroups_resolved_total", "counter",
	       "Cgroups attributed by a lookup of their id (no record from the kernel).",
	       m->cgroups_resolved);
	single(f, "vigil_cgroups_evicted_total", "counter",
	       "Cgroups forgotten: gone, and every record written before them read.",
	       m->cgroups_evicted);
	single(f, "vigil_processes_tracked", "gauge", "Processes in the agent's process table.",
	       m->processes);
	if (m->ringbuf_fill >= 0) {
		vg_prom_family(f, "vigil_ringbuf_fill_ratio", "gauge",
			       "Share of the BPF ring buffer holding records not yet read (0-1).");
		vg_prom_sample_double(f, "vigil_ringbuf_fill_ratio", NULL, m->ringbuf_fill);
	}
	single(f, "vigil_ringbuf_size_bytes", "gauge", "Size of the BPF ring buffer.",
	       m->ringbuf_bytes);

	vg_prom_family(f, "vigil_policy_reloads_total", "counter",
		       "Policy reloads on SIGHUP, by result (a failed one keeps the policy).");
	vg_prom_sample_u64(f, "vigil_policy_reloads_total",
			   (const char *const[]){"result", "success", NULL}, m->reloads_ok);
	vg_prom_sample_u64(f, "vigil_policy_reloads_total",
			   (const char *const[]){"result", "failure", NULL}, m->reloads_failed);

	vg_prom_family(f, "vigil_output_records_total", "counter",
		       "Records written to an output, by output.");
	for (size_t i = 0; i < m->n_outputs; i++)
		vg_prom_sample_u64(f, "vigil_output_records_total",
				   (const char *const[]){"output", m->outputs[i].name, NULL},
				   m->outputs[i].records);
	vg_prom_family(f, "vigil_output_write_failures_total", "counter",
		       "Records lost to failed writes (disk full, receiver gone), by output.");
	for (size_t i = 0; i < m->n_outputs; i++)
		vg_prom_sample_u64(f, "vigil_output_write_failures_total",
				   (const char *const[]){"output", m->outputs[i].name, NULL},
				   m->outputs[i].write_failures);
	vg_prom_family(f, "vigil_output_rotations_total", "counter",
		       "Size-based rotations of an output file, by output.");
	for (size_t i = 0; i < m->n_outputs; i++)
		vg_prom_sample_u64(f, "vigil_output_rotations_total",
				   (const char *const[]){"output", m->outputs[i].name, NULL},
				   m->outputs[i].rotations);

	single(f, "vigil_capture_files_total", "counter",
	       "Capture files opened by --record, rotation included.", m->capture_files);
	single(f, "vigil_capture_write_errors_total", "counter",
	       "Records that could not be appended to the capture.", m->capture_errors);
}

/* ---- the HTTP listener ---- */

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a))
			return a->s6_addr[12] == 127;
		return IN6_IS_ADDR_LOOPBACK(a);
	}
	return false;
}

int vg_metrics_address_parse(const char *text, bool allow_remote, struct sockaddr_storage *addr,
			     socklen_t *len, char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 2] = "127.0.0.1";
	const char *colon = strrchr(text, ':'), *port_text = text;
	unsigned long port;
	char *end;

	memset(addr, 0, sizeof(*addr));
	if (colon) {
		const char *h = text;
		size_t hlen = colon - text;

		if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
			h++;
			hlen -= 2;
		}
		if (!hlen || hlen >= sizeof(host))
			goto bad;
		memcpy(host, h, hlen);
		host[hlen] = 0;
		port_text = colon + 1;
	}
	errno = 0;
	port = strtoul(port_text, &end, 10);
	if (errno || *end || !*port_text || port > 65535 || *port_text == '-' || *port_text == '+')
		goto bad;
	if (!strcmp(host, "localhost"))
		strcpy(host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)addr)->sin_addr) == 1) {
		struct sockaddr_in *in = (struct sockaddr_in *)addr;

		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		*len = sizeof(*in);
	} else if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)addr)->sin6_addr) == 1) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
	} else {
		goto bad;
	}
	if (!allow_remote && !is_loopback(addr)) {
		snprintf(err, errlen,
			 "--metrics-address %s: not a loopback address, and the endpoint has no "
			 "authentication: use 127.0.0.1:PORT, or add --metrics-allow-remote to "
			 "listen there on purpose",
			 text);
		return -EINVAL;
	}
	return 0;
bad:
	snprintf(err, errlen,
		 "--metrics-address %s: give HOST:PORT with a numeric host (127.0.0.1:9101, "
		 "[::1]:9101) or a port alone, 0-65535",
		 text);
	return -EINVAL;
}

struct client {
	int fd; /* -1: free */
	__u64 deadline;
	char req[REQUEST_MAX];
	size_t req_len;
	char *resp; /* NULL while reading the request */
	size_t resp_len, resp_off;
};

struct vg_metrics_server {
	int fd;
	char url[INET6_ADDRSTRLEN + 32];
	vg_metrics_render_fn render;
	void *ctx;
	struct client clients[CLIENTS_MAX];
};

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int vg_metrics_server_start(const char *address, bool allow_remote, vg_metrics_render_fn render,
			    void *ctx, struct vg_metrics_server **out, char *err, size_t errlen)
{
	struct sockaddr_storage addr, bound;
	socklen_t len, blen = sizeof(bound);
	struct vg_metrics_server *srv;
	char host[INET6_ADDRSTRLEN];
	int one = 1, rc;

	rc = vg_metrics_address_parse(address, allow_remote, &addr, &len, err, errlen);
	if (rc)
		return rc;
	srv = calloc(1, sizeof(*srv));
	if (!srv) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	srv->fd = -1;
	for (int i = 0; i < CLIENTS_MAX; i++)
		srv->clients[i].fd = -1;
	srv->render = render;
	srv->ctx = ctx;
	srv->fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->fd < 0)
		goto fail;
	setsockopt(srv->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(srv->fd, (struct sockaddr *)&addr, len) || listen(srv->fd, 16) ||
	    getsockname(srv->fd, (struct sockaddr *)&bound, &blen))
		goto fail;
	if (bound.ss_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&bound;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(srv->url, sizeof(srv->url), "http://%s:%u/metrics", host,
			 ntohs(in->sin_port));
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&bound;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(srv->url, sizeof(srv->url), "http://[%s]:%u/metrics", host,
			 ntohs(in6->sin6_port));
	}
	*out = srv;
	return 0;
fail:
	rc = -errno;
	snprintf(err, errlen, "--metrics-address %s: cannot listen there: %s%s", address,
		 strerror(errno),
		 errno == EADDRINUSE ? " (another program has the port: choose another)" : "");
	vg_metrics_server_stop(srv);
	return rc;
}

const char *vg_metrics_server_url(const struct vg_metrics_server *srv)
{
	return srv->url;
}

int vg_metrics_server_fd(const struct vg_metrics_server *srv)
{
	return srv->fd;
}

static void client_close(struct client *c)
{
	close(c->fd);
	free(c->resp);
	c->fd = -1;
	c->resp = NULL;
	c->req_len = c->resp_len = c->resp_off = 0;
}

static void respond(struct vg_metrics_server *srv, struct client *c, const char *status,
		    const char *type, const char *extra_header, bool head, bool metrics,
		    const char *text)
{
	char *body = NULL, *resp = NULL;
	size_t body_len = 0, resp_len = 0;
	FILE *f;

	f = open_memstream(&body, &body_len);
	if (f) {
		if (metrics)
			srv->render(srv->ctx, f);
		else
			fputs(text, f);
		fclose(f);
	}
	f = open_memstream(&resp, &resp_len);
	if (!f || !body) {
		if (f)
			fclose(f);
		free(resp);
		free(body);
		client_close(c);
		return;
	}
	fprintf(f,
		"HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n"
		"Cache-Control: no-store\r\n\r\n",
		status, type, body_len, extra_header);
	if (!head)
		fwrite(body, 1, body_len, f);
	fclose(f);
	free(body);
	c->resp = resp;
	c->resp_len = resp_len;
	c->resp_off = 0;
}

static const char *find_header_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] == '\n' && buf[i + 1] == '\n')
			return buf + i;
		if (i + 3 < len && !memcmp(buf + i, "\r\n\r\n", 4))
			return buf + i;
	}
	return NULL;
}

static void handle_request(struct vg_metrics_server *srv, struct client *c)
{
	const char *text = "text/plain; charset=utf-8";
	char method[16], path[256], version[16];
	bool head;

	c->req[c->req_len < REQUEST_MAX ? c->req_len : REQUEST_MAX - 1] = 0;
	/* the request line: METHOD SP /path SP HTTP/1.x */
	if (sscanf(c->req, "%15[A-Z] %255[^ \r\n] %15[^ \r\n]", method, path, version) != 3 ||
	    path[0] != '/' || strncmp(version, "HTTP/1.", 7)) {
		respond(srv, c, "400 Bad Request", text, "", false, false, "bad request\n");
		return;
	}
	head = !strcmp(method, "HEAD");
	if (!head && strcmp(method, "GET")) {
		respond(srv, c, "405 Method Not Allowed", text, "Allow: GET, HEAD\r\n", false,
			false, "use GET\n");
		return;
	}
	/* a query string changes nothing */
	path[strcspn(path, "?")] = 0;
	if (!strcmp(path, "/metrics"))
		respond(srv, c, "200 OK", "text/plain; version=0.0.4; charset=utf-8", "", head,
			true, NULL);
	else if (!strcmp(path, "/healthz"))
		respond(srv, c, "200 OK", text, "", head, false, "ok\n");
	else if (!strcmp(path, "/"))
		respond(srv, c, "200 OK", text, "", head, false, "vigil: metrics at /metrics\n");
	else
		respond(srv, c, "404 Not Found", text, "", head, false,
			"not found: try /metrics\n");
}

/* Reads what has arrived; answers once the request's headers are complete. */
static void client_read(struct vg_metrics_server *srv, struct client *c)
{
	for (;;) {
		ssize_t n;

		if (c->req_len >= REQUEST_MAX - 1) {
			respond(srv, c, "431 Request Header Fields Too Large",
				"text/plain; charset=utf-8", "", false, false,
				"request too large\n");
			return;
		}
		n = recv(c->fd, c->req + c->req_len, REQUEST_MAX - 1 - c->req_len, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			client_close(c);
			return;
		}
		c->req_len += n;
		if (find_header_end(c->req, c->req_len)) {
			handle_request(srv, c);
			return;
		}
	}
}

/* Sends what the socket takes; true once the whole response is out (or the peer is gone). */
static bool client_write(struct client *c)
{
	while (c->resp_off < c->resp_len) {
		ssize_t n = send(c->fd, c->resp + c->resp_off, c->resp_len - c->resp_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return false;
		if (n <= 0)
			return true;
		c->resp_off += n;
	}
	return true;
}

int vg_metrics_server_poll(struct vg_metrics_server *srv)
{
	__u64 now = mono_ns();
	int answered = 0;

	for (int i = 0; i < CLIENTS_MAX; i++) {
		struct client *c = &srv->clients[i];
		int fd;

		if (c->fd >= 0)
			continue;
		fd = accept4(srv->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			break; /* EAGAIN: nobody waiting; anything else: tried again next time */
		c->fd = fd;
		c->deadline = now + CLIENT_TIMEOUT_NS;
	}
	for (int i = 0; i < CLIENTS_MAX; i++) {
		struct client *c = &srv->clients[i];

		if (c->fd < 0)
			continue;
		if (!c->resp)
			client_read(srv, c);
		if (c->fd >= 0 && c->resp) {
			if (client_write(c)) {
				answered++;
				client_close(c);
			}
		}
		if (c->fd >= 0 && now > c->deadline)
			client_close(c); /* a slow or idle client does not keep its slot */
	}
	return answered;
}

void vg_metrics_server_stop(struct vg_metrics_server *srv)
{
	if (!srv)
		return;
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (srv->clients[i].fd >= 0)
			client_close(&srv->clients[i]);
	if (srv->fd >= 0)
		close(srv->fd);
	free(srv);
}

int vg_metrics_write_file(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	ssize_t n;
	int fd, rc = 0;

	/* same directory, so that the rename is atomic; readers see the old or the new file */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	while (len) {
		n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		text += n;
		len -= n;
	}
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
