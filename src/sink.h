/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where output lines go: standard output (or any descriptor), a file with size-based rotation
 * and reopen, or syslog (RFC 5424) over a datagram socket. A record is rendered into the sink's
 * stream and committed whole, so rotation and syslog framing never split one.
 * A failed write is counted and reported on stderr (once per kind of failure), never fatal.
 */
#ifndef VIGIL_SINK_H
#define VIGIL_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <syslog.h>
#include <linux/types.h>

struct vg_sink;

struct vg_sink_stats {
	__u64 records;	      /* committed */
	__u64 bytes;	      /* written out */
	__u64 write_failures; /* records lost to failed writes (ENOSPC, a full socket...) */
	__u64 rotations;
	__u64 reopens;
};

/*
 * fd: standard output or another descriptor the caller keeps (not closed by the sink). name
 * names it in messages ("standard output"). A pipe or socket is made non-blocking until the
 * sink is closed: what its reader cannot take yet waits (up to 4 MiB), records beyond are
 * dropped and counted, and the event loop never waits for the reader.
 */
int vg_sink_open_fd(int fd, const char *name, struct vg_sink **out);

/*
 * Appends to path (created 0640). max_size 0: never rotates; else a record that would take the
 * file past max_size bytes first moves path to path.1 (path.1 to path.2 ... up to path.keep,
 * the oldest dropped; keep 0: the full file is removed). 0 or -errno.
 */
int vg_sink_open_file(const char *path, __u64 max_size, unsigned int keep, struct vg_sink **out);

/*
 * RFC 5424 over a datagram socket. address: NULL or "unix:/dev/log" (the local daemon),
 * "unix:PATH" (a leading '@' names an abstract socket), "udp:HOST:PORT" or "udp:[V6]:PORT"
 * with numeric hosts. facility: LOG_DAEMON, LOG_LOCAL0... Fails (-EINVAL, with one line in err
 * naming the fix) only on a malformed address: a receiver that is not there yet is retried,
 * its records counted as failed meanwhile.
 */
int vg_sink_open_syslog(const char *address, int facility, struct vg_sink **out, char *err,
			size_t errlen);

/* Where the next record is rendered (a memory stream); vg_sink_commit takes it. */
FILE *vg_sink_stream(struct vg_sink *s);
/*
 * Everything rendered since the last commit is one record (one line, its trailing newline
 * included). msgid ("alert", "event") and severity (LOG_ERR...) matter to syslog only.
 * Returns 0, or -1 when the record was lost (counted).
 */
int vg_sink_commit(struct vg_sink *s, const char *msgid, int severity);
/* Writes what is buffered (file and descriptor sinks buffer; syslog sends at commit). */
int vg_sink_flush(struct vg_sink *s);
/*
 * Reopens a file sink's path (after an external rotation moved it away); reconnects a syslog
 * sink. On failure the sink goes on writing where it did and the error is returned (-errno).
 */
int vg_sink_reopen(struct vg_sink *s);
void vg_sink_stats(const struct vg_sink *s, struct vg_sink_stats *st);
/* Flushes and frees. NULL is fine. */
void vg_sink_close(struct vg_sink *s);

/*
 * Moves path to path.1, path.1 to path.2 ... up to path.keep (the oldest is replaced); keep 0
 * removes path. Missing files are skipped. 0 or -errno.
 */
int vg_rotate_files(const char *path, unsigned int keep);

/* "daemon", "local0"... to LOG_DAEMON...; -1 if unknown. */
int vg_syslog_facility_parse(const char *name);

/* The parts of an RFC 5424 header; NULL strings are the nil value "-". */
struct vg_syslog_header {
	int facility;  /* LOG_DAEMON... (already shifted, as <syslog.h> defines them) */
	int severity;  /* LOG_ERR... */
	__u64 time_ns; /* wall clock, ns since the epoch */
	const char *hostname;
	const char *app_name;
	int procid; /* <= 0: nil */
	const char *msgid;
	const char *sw_version; /* [origin software="vigil" swVersion=...]; NULL: no origin */
	__u64 sequence;		/* [meta sequenceId=...]; 0: no meta */
};

/*
 * Formats one RFC 5424 message: "<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG". Header
 * fields are cut to their maximum lengths and bytes outside printable US-ASCII become '_';
 * parameter values escape '"', '\\' and ']'. MSG is sent as is, prefixed with a BOM when it is
 * UTF-8 beyond ASCII; a trailing newline is dropped. Like snprintf: returns the full length and
 * writes at most size bytes, NUL terminated.
 */
size_t vg_syslog_format(char *buf, size_t size, const struct vg_syslog_header *h, const char *msg,
			size_t msglen);

#endif
