// SPDX-License-Identifier: GPL-2.0
/* Output destinations: a descriptor, a rotated file, or syslog (RFC 5424) over datagrams. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "jsonw.h"
#include "sink.h"
#include "version.h"

#define FILE_BUF_SIZE (64u << 10) /* written at flush, or when the next record does not fit */
/* a pipe or socket whose reader falls behind: what waits for it before records are dropped */
#define PENDING_MAX  (4u << 20)
#define UDP_MSG_MAX  65000	   /* below the IPv4/IPv6 datagram limit, header included */
#define RECONNECT_NS 1000000000ull /* a missing syslog receiver is tried once a second */

enum sink_kind { SINK_FD, SINK_FILE, SINK_SYSLOG };

struct vg_sink {
	enum sink_kind kind;
	char *name; /* in messages: "--output /var/log/vigil.json", "syslog unix:/dev/log" */
	/* the record being rendered, gathered by the stream's write hook */
	FILE *stream;
	char *rec;
	size_t rec_len, rec_cap;
	/* descriptor and file sinks: records waiting to be written */
	int fd;
	bool own_fd;
	char *buf;
	size_t buf_len, buf_cap;
	size_t buf_records;
	bool nonblocking; /* a pipe or socket set O_NONBLOCK by us; saved_flags restored at close */
	int saved_flags;
	bool torn_line; /* a failed write left half a line: the next write ends it first */
	/* file sinks */
	char *path;
	__u64 max_size;
	unsigned int keep;
	__u64 size;	 /* bytes in the current file, buffered ones included */
	__u64 rotate_at; /* past max_size after a failed rotation: when to try again */
	/* syslog */
	int facility;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	int sock;
	bool sock_ok;
	__u64 next_connect_ns;
	size_t msg_max;
	char hostname[256];
	__u64 sequence;
	char *msg;
	size_t msg_cap;
	/* failures: reported when their kind changes, and when writing works again */
	int failing_errno;
	__u64 failed_since_report;
	struct vg_sink_stats stats;
};

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static __u64 wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void failed(struct vg_sink *s, int err, size_t records)
{
	s->stats.write_failures += records;
	s->failed_since_report += records;
	if (err == s->failing_errno)
		return;
	s->failing_errno = err;
	fprintf(stderr,
		"vigil: writing to %s failed (%s): its records are dropped and counted until it "
		"works again; monitoring goes on\n",
		s->name, strerror(err));
}

static void succeeded(struct vg_sink *s)
{
	if (!s->failing_errno)
		return;
	fprintf(stderr, "vigil: writing to %s works again (%llu records lost)\n", s->name,
		(unsigned long long)s->failed_since_report);
	s->failing_errno = 0;
	s->failed_since_report = 0;
}

/* The stream's write hook: bytes of the record being rendered. */
static ssize_t gather(void *cookie, const char *data, size_t len)
{
	struct vg_sink *s = cookie;

	if (s->rec_len + len > s->rec_cap) {
		size_t cap = s->rec_cap ? s->rec_cap : 4096;
		char *p;

		while (cap < s->rec_len + len)
			cap *= 2;
		p = realloc(s->rec, cap);
		if (!p)
			return -1;
		s->rec = p;
		s->rec_cap = cap;
	}
	memcpy(s->rec + s->rec_len, data, len);
	s->rec_len += len;
	return len;
}

static struct vg_sink *sink_new(enum sink_kind kind, const char *name)
{
	cookie_io_functions_t io = {.write = gather};
	struct vg_sink *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->kind = kind;
	s->fd = -1;
	s->sock = -1;
	s->name = strdup(name);
	s->stream = fopencookie(s, "w", io);
	if (kind != SINK_SYSLOG)
		s->buf = malloc(FILE_BUF_SIZE);
	s->buf_cap = FILE_BUF_SIZE;
	if (!s->name || !s->stream || (kind != SINK_SYSLOG && !s->buf)) {
		vg_sink_close(s);
		return NULL;
	}
	return s;
}

int vg_sink_open_fd(int fd, const char *name, struct vg_sink **out)
{
	struct vg_sink *s = sink_new(SINK_FD, name);

	struct stat st;
	int flags;

	if (!s)
		return -ENOMEM;
	s->fd = fd;
	/*
	 * A pipe or socket (a log shipper, journald, the container runtime) can stall: writes to it
	 * must not stall the event loop. A terminal or a file is left as it is (a terminal's file
	 * description is shared with the shell).
	 */
	if (!fstat(fd, &st) && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
		flags = fcntl(fd, F_GETFL);
		if (flags >= 0 && !(flags & O_NONBLOCK) &&
		    !fcntl(fd, F_SETFL, flags | O_NONBLOCK)) {
			s->saved_flags = flags;
			s->nonblocking = true;
		}
	}
	*out = s;
	return 0;
}

static int open_append(const char *path, __u64 *size)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0640);

	if (fd < 0)
		return -errno;
	*size = fstat(fd, &st) ? 0 : (__u64)st.st_size;
	return fd;
}

int vg_sink_open_file(const char *path, __u64 max_size, unsigned int keep, struct vg_sink **out)
{
	struct vg_sink *s;
	char name[PATH_MAX + 16];
	int fd;

	snprintf(name, sizeof(name), "%s", path);
	s = sink_new(SINK_FILE, name);
	if (!s)
		return -ENOMEM;
	s->path = strdup(path);
	if (!s->path) {
		vg_sink_close(s);
		return -ENOMEM;
	}
	fd = open_append(path, &s->size);
	if (fd < 0) {
		vg_sink_close(s);
		return fd;
	}
	s->fd = fd;
	s->own_fd = true;
	s->max_size = max_size;
	s->keep = keep;
	*out = s;
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= w;
	}
	return 0;
}

static size_t count_lines(const char *p, size_t n)
{
	size_t lines = 0;
	const char *nl;

	while (n && (nl = memchr(p, '\n', n))) {
		lines++;
		n -= nl + 1 - p;
		p = nl + 1;
	}
	return lines + (n > 0);
}

/* What the descriptor takes now goes; the rest waits at the buffer's head for the next flush. */
static int flush_nonblocking(struct vg_sink *s)
{
	size_t off = 0;
	int rc = 0;

	while (off < s->buf_len) {
		ssize_t w = write(s->fd, s->buf + off, s->buf_len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			break;
		if (w < 0) {
			rc = -errno;
			break;
		}
		off += w;
	}
	s->stats.bytes += off;
	if (rc) {
		s->torn_line = true;
		failed(s, -rc, count_lines(s->buf + off, s->buf_len - off));
		s->buf_len = s->buf_records = 0;
		return rc;
	}
	memmove(s->buf, s->buf + off, s->buf_len - off);
	s->buf_len -= off;
	s->buf_records = count_lines(s->buf, s->buf_len);
	if (!s->buf_len)
		succeeded(s);
	return 0;
}

static bool grow_buffer(struct vg_sink *s, size_t need)
{
	size_t cap = s->buf_cap;
	char *p;

	if (need > PENDING_MAX)
		return false;
	while (cap < need)
		cap *= 2;
	if (cap > PENDING_MAX)
		cap = PENDING_MAX;
	p = realloc(s->buf, cap);
	if (!p)
		return false;
	s->buf = p;
	s->buf_cap = cap;
	return true;
}

static int flush_buffer(struct vg_sink *s)
{
	int rc;

	if (!s->buf_len)
		return 0;
	if (s->nonblocking)
		return flush_nonblocking(s);
	if (s->torn_line && write_all(s->fd, "\n", 1) == 0)
		s->torn_line = false;
	rc = write_all(s->fd, s->buf, s->buf_len);
	if (rc) {
		/* how much went out is unknown: the next write starts on a line of its own */
		s->torn_line = true;
		failed(s, -rc, s->buf_records);
	} else {
		s->stats.bytes += s->buf_len;
		succeeded(s);
	}
	s->buf_len = 0;
	s->buf_records = 0;
	return rc;
}

static void rotated_name(char *buf, size_t size, const char *path, unsigned int n)
{
	snprintf(buf, size, "%s.%u", path, n);
}

int vg_rotate_files(const char *path, unsigned int keep)
{
	char from[PATH_MAX + 16], to[PATH_MAX + 16];

	if (!keep)
		return unlink(path) && errno != ENOENT ? -errno : 0;
	for (unsigned int i = keep - 1; i >= 1; i--) {
		rotated_name(from, sizeof(from), path, i);
		rotated_name(to, sizeof(to), path, i + 1);
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	rotated_name(to, sizeof(to), path, 1);
	if (rename(path, to) && errno != ENOENT)
		return -errno;
	return 0;
}

/* The full file moves aside (vg_rotate_files), a fresh one takes its place. */
static int rotate(struct vg_sink *s)
{
	__u64 size;
	int fd, rc;

	flush_buffer(s);
	rc = vg_rotate_files(s->path, s->keep);
	if (!rc) {
		fd = open_append(s->path, &size);
		if (fd < 0) {
			rc = fd;
		} else {
			close(s->fd);
			s->fd = fd;
			s->size = size;
			s->rotate_at = 0;
			s->stats.rotations++;
			return 0;
		}
	}
	/* go on in the current file; try again once it has grown by another max_size */
	fprintf(stderr, "vigil: rotating %s failed (%s): writing on in the current file\n", s->name,
		strerror(-rc));
	s->rotate_at = s->size + s->max_size;
	return rc;
}

static int buffer_record(struct vg_sink *s, const char *data, size_t len)
{
	if (s->kind == SINK_FILE && s->max_size && s->size && s->size + len > s->max_size &&
	    s->size >= s->rotate_at)
		rotate(s);
	if (s->buf_len + len > s->buf_cap)
		flush_buffer(s);
	if (s->buf_len + len > s->buf_cap && s->nonblocking && !grow_buffer(s, s->buf_len + len)) {
		/* the reader is PENDING_MAX behind: this record is lost, not the loop's time */
		failed(s, ENOBUFS, 1);
		return -1;
	}
	s->size += len;
	if (s->buf_len + len > s->buf_cap) {
		int rc = write_all(s->fd, data, len);

		if (rc) {
			s->torn_line = true;
			failed(s, -rc, 1);
			return -1;
		}
		s->stats.bytes += len;
		succeeded(s);
		return 0;
	}
	memcpy(s->buf + s->buf_len, data, len);
	s->buf_len += len;
	s->buf_records++;
	return 0;
}

/* ---- syslog (the frame is made by syslog_format.c) ---- */

/* "unix:PATH" or "udp:HOST:PORT" into s->addr; 0, or -EINVAL with the reason in err. */
static int parse_syslog_address(struct vg_sink *s, const char *address, char *err, size_t errlen)
{
	if (!strncmp(address, "unix:", 5)) {
		struct sockaddr_un *un = (struct sockaddr_un *)&s->addr;
		const char *path = address + 5;
		size_t len = strlen(path);

		if (!len || len >= sizeof(un->sun_path) || (path[0] != '/' && path[0] != '@')) {
			snprintf(err, errlen,
				 "--syslog-address %s: give unix:/absolute/path (or "
				 "unix:@abstract), "
				 "at most %zu bytes",
				 address, sizeof(un->sun_path) - 1);
			return -EINVAL;
		}
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, path, len);
		if (path[0] == '@')
			un->sun_path[0] = 0; /* abstract: no trailing NUL in the length */
		s->addr_len = offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/');
		s->msg_max = 0;
		return 0;
	}
	if (!strncmp(address, "udp:", 4)) {
		const char *host = address + 4, *colon;
		char hostbuf[INET6_ADDRSTRLEN + 2];
		unsigned long port;
		char *end;
		size_t hlen;

		colon = strrchr(host, ':');
		if (!colon)
			goto bad_udp;
		hlen = colon - host;
		if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
			host++;
			hlen -= 2;
		}
		if (!hlen || hlen >= sizeof(hostbuf))
			goto bad_udp;
		memcpy(hostbuf, host, hlen);
		hostbuf[hlen] = 0;
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno || *end || !colon[1] || port < 1 || port > 65535)
			goto bad_udp;
		if (inet_pton(AF_INET, hostbuf, &((struct sockaddr_in *)&s->addr)->sin_addr) == 1) {
			struct sockaddr_in *in = (struct sockaddr_in *)&s->addr;

			in->sin_family = AF_INET;
			in->sin_port = htons(port);
			s->addr_len = sizeof(*in);
		} else if (inet_pton(AF_INET6, hostbuf,
				     &((struct sockaddr_in6 *)&s->addr)->sin6_addr) == 1) {
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&s->addr;

			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons(port);
			s->addr_len = sizeof(*in6);
		} else {
			goto bad_udp;
		}
		s->msg_max = UDP_MSG_MAX;
		return 0;
	}
	snprintf(err, errlen,
		 "--syslog-address %s: give unix:PATH (a local datagram socket) or udp:HOST:PORT",
		 address);
	return -EINVAL;
bad_udp:
	snprintf(err, errlen,
		 "--syslog-address %s: give udp:HOST:PORT with a numeric address "
		 "(udp:127.0.0.1:514, udp:[::1]:514) and a port 1-65535",
		 address);
	return -EINVAL;
}

static int syslog_connect(struct vg_sink *s)
{
	int rc;

	s->next_connect_ns = mono_ns() + RECONNECT_NS;
	if (s->sock < 0) {
		s->sock = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (s->sock < 0)
			return -errno;
	}
	if (connect(s->sock, (struct sockaddr *)&s->addr, s->addr_len)) {
		rc = -errno;
		/* a socket that refused us may be in a bad state: start afresh next time */
		close(s->sock);
		s->sock = -1;
		return rc;
	}
	s->sock_ok = true;
	return 0;
}

int vg_sink_open_syslog(const char *address, int facility, struct vg_sink **out, char *err,
			size_t errlen)
{
	char name[160];
	struct vg_sink *s;
	int rc;

	if (!address)
		address = "unix:/dev/log";
	snprintf(name, sizeof(name), "syslog %s", address);
	s = sink_new(SINK_SYSLOG, name);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = parse_syslog_address(s, address, err, errlen);
	if (rc) {
		vg_sink_close(s);
		return rc;
	}
	s->facility = facility;
	if (gethostname(s->hostname, sizeof(s->hostname) - 1))
		s->hostname[0] = 0;
	rc = syslog_connect(s);
	if (rc)
		failed(s, -rc, 0);
	*out = s;
	return 0;
}

static int syslog_send(struct vg_sink *s, const char *data, size_t len, const char *msgid,
		       int severity)
{
	struct vg_syslog_header h = {
		.facility = s->facility,
		.severity = severity,
		.time_ns = wall_ns(),
		.hostname = s->hostname,
		.app_name = "vigil",
		.procid = getpid(),
		.msgid = msgid,
		.sw_version = VIGIL_VERSION,
		.sequence = ++s->sequence,
	};
	size_t n;

	n = vg_syslog_format(s->msg, s->msg_cap, &h, data, len);
	if (n >= s->msg_cap) {
		char *p = realloc(s->msg, n + 1);

		if (!p) {
			failed(s, ENOMEM, 1);
			return -1;
		}
		s->msg = p;
		s->msg_cap = n + 1;
		vg_syslog_format(s->msg, s->msg_cap, &h, data, len);
	}
	if (s->msg_max && n > s->msg_max)
		n = s->msg_max; /* a datagram has a size limit: the end of an oversized record */
	if (!s->sock_ok) {
		int rc;

		if (mono_ns() < s->next_connect_ns) {
			failed(s, s->failing_errno ? s->failing_errno : ENOTCONN, 1);
			return -1;
		}
		rc = syslog_connect(s);
		if (rc) {
			failed(s, -rc, 1);
			return -1;
		}
	}
	if (send(s->sock, s->msg, n, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		int e = errno;

		/* the receiver went away (restart): reconnect, at most once a second */
		if (e == ECONNREFUSED || e == ENOTCONN || e == ENOENT || e == EPIPE)
			s->sock_ok = false;
		failed(s, e, 1);
		return -1;
	}
	s->stats.bytes += n;
	succeeded(s);
	return 0;
}

/* ---- the common interface ---- */

FILE *vg_sink_stream(struct vg_sink *s)
{
	return s->stream;
}

int vg_sink_commit(struct vg_sink *s, const char *msgid, int severity)
{
	size_t len;

	if (fflush(s->stream)) {
		clearerr(s->stream);
		s->rec_len = 0;
		failed(s, ENOMEM, 1);
		return -1;
	}
	len = s->rec_len;
	s->rec_len = 0;
	if (!len)
		return 0;
	s->stats.records++;
	if (s->kind == SINK_SYSLOG)
		return syslog_send(s, s->rec, len, msgid, severity);
	return buffer_record(s, s->rec, len);
}

int vg_sink_flush(struct vg_sink *s)
{
	if (!s || s->kind == SINK_SYSLOG)
		return 0;
	return flush_buffer(s) ? -1 : 0;
}

int vg_sink_reopen(struct vg_sink *s)
{
	__u64 size;
	int fd;

	switch (s->kind) {
	case SINK_FD:
		return flush_buffer(s);
	case SINK_SYSLOG:
		if (s->sock >= 0)
			close(s->sock);
		s->sock = -1;
		s->sock_ok = false;
		s->stats.reopens++;
		return syslog_connect(s);
	case SINK_FILE:
		break;
	}
	flush_buffer(s);
	fd = open_append(s->path, &size);
	if (fd < 0) {
		fprintf(stderr, "vigil: reopening %s failed (%s): writing on to the file it was\n",
			s->name, strerror(-fd));
		return fd;
	}
	close(s->fd);
	s->fd = fd;
	s->size = size;
	s->rotate_at = 0;
	s->stats.reopens++;
	return 0;
}

void vg_sink_stats(const struct vg_sink *s, struct vg_sink_stats *st)
{
	*st = s->stats;
}

void vg_sink_close(struct vg_sink *s)
{
	if (!s)
		return;
	if (s->stream)
		fclose(s->stream); /* flushes into rec: nothing is committed from there */
	if (s->nonblocking) {
		/* the descriptor as it was; what waits is written, however long the reader takes */
		fcntl(s->fd, F_SETFL, s->saved_flags);
		s->nonblocking = false;
	}
	if (s->kind != SINK_SYSLOG && s->buf && s->fd >= 0)
		flush_buffer(s);
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	if (s->sock >= 0)
		close(s->sock);
	free(s->rec);
	free(s->buf);
	free(s->msg);
	free(s->path);
	free(s->name);
	free(s);
}
