// SPDX-License-Identifier: GPL-2.0
/*
 * Output destinations (src/sink.c): file sinks rotate by size at record boundaries into
 * FILE.1 ... FILE.N and reopen after an external rotation; failed writes are counted, not
 * fatal; syslog messages are RFC 5424 to the byte (PRI, version, timestamp, nil values, field
 * limits, structured data escaping, BOM) and reach a datagram socket, unix or UDP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "unit.h"
#include "cli.h"
#include "output.h"
#include "rules.h"
#include "sink.h"
#include "vigil/events.h"

static char dir[] = "/tmp/vigil-sink-XXXXXX";
static char path[256];

static void setup(void)
{
	strcpy(dir, "/tmp/vigil-sink-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.json", dir);
}

static void teardown(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *p, size_t *len)
{
	static char buf[1 << 16];
	int fd = open(p, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ck_assert_int_ge(n, 0);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/* One record: "rec NNNN ....\n", width bytes in all; the commit's result. */
static int commit_record(struct vg_sink *s, int n, int width)
{
	FILE *f = vg_sink_stream(s);

	fprintf(f, "rec %04d ", n);
	for (int i = 9; i < width - 1; i++)
		fputc('.', f);
	fputc('\n', f);
	return vg_sink_commit(s, "event", LOG_INFO);
}

static void put_record(struct vg_sink *s, int n, int width)
{
	ck_assert_int_eq(commit_record(s, n, width), 0);
}

START_TEST(file_sink_appends_whole_records)
{
	struct vg_sink *s;
	struct vg_sink_stats st;
	size_t len;

	ck_assert_int_eq(vg_sink_open_file(path, 0, 0, &s), 0);
	put_record(s, 1, 20);
	put_record(s, 2, 20);
	/* buffered until a flush: the loop flushes after each batch */
	ck_assert_str_eq(slurp(path, NULL), "");
	ck_assert_int_eq(vg_sink_flush(s), 0);
	ck_assert_str_eq(slurp(path, &len), "rec 0001 ..........\nrec 0002 ..........\n");
	vg_sink_stats(s, &st);
	ck_assert_uint_eq(st.records, 2);
	ck_assert_uint_eq(st.bytes, 40);
	ck_assert_uint_eq(st.write_failures, 0);
	vg_sink_close(s);

	/* a restarted agent appends: yesterday's alerts stay */
	ck_assert_int_eq(vg_sink_open_file(path, 0, 0, &s), 0);
	put_record(s, 3, 20);
	vg_sink_close(s);
	ck_assert_uint_eq(strlen(slurp(path, NULL)), 60);
	ck_assert_ptr_nonnull(strstr(slurp(path, NULL), "rec 0003"));
}
END_TEST

/* Reads path (or path.N) and checks it holds whole records numbered first..last. */
static void check_file(const char *p, int first, int last, int width)
{
	size_t len;
	char *text = slurp(p, &len);
	char want[16];

	ck_assert_msg(text, "%s missing", p);
	ck_assert_uint_eq(len, (size_t)(last - first + 1) * width);
	for (int n = first; n <= last; n++) {
		snprintf(want, sizeof(want), "rec %04d ", n);
		ck_assert_msg(!strncmp(text + (n - first) * width, want, 9), "%s: record %d", p, n);
		ck_assert_int_eq(text[(n - first + 1) * width - 1], '\n');
	}
}

START_TEST(file_sink_rotates_by_size_into_numbered_files)
{
	char name[300];
	struct vg_sink *s;
	struct vg_sink_stats st;

	/* 4 records of 25 bytes fill 100 bytes; the 5th starts a new file */
	ck_assert_int_eq(vg_sink_open_file(path, 100, 3, &s), 0);
	for (int n = 1; n <= 22; n++)
		put_record(s, n, 25);
	vg_sink_close(s);
	/* 22 records: files of 1-4, 5-8, 9-12, 13-16, 17-20, 21-22; three kept besides path */
	check_file(path, 21, 22, 25);
	snprintf(name, sizeof(name), "%s.1", path);
	check_file(name, 17, 20, 25);
	snprintf(name, sizeof(name), "%s.2", path);
	check_file(name, 13, 16, 25);
	snprintf(name, sizeof(name), "%s.3", path);
	check_file(name, 9, 12, 25);
	snprintf(name, sizeof(name), "%s.4", path);
	ck_assert(!exists(name));

	ck_assert_int_eq(vg_sink_open_file(path, 100, 3, &s), 0);
	vg_sink_stats(s, &st);
	ck_assert_uint_eq(st.rotations, 0);
	/* the file already holds 50 bytes: two more records fit, the third rotates */
	put_record(s, 23, 25);
	put_record(s, 24, 25);
	put_record(s, 25, 25);
	vg_sink_stats(s, &st);
	ck_assert_uint_eq(st.rotations, 1);
	vg_sink_close(s);
	check_file(path, 25, 25, 25);
	snprintf(name, sizeof(name), "%s.1", path);
	check_file(name, 21, 24, 25);
}
END_TEST

START_TEST(file_sink_keep_zero_and_oversized_records)
{
	char name[300];
	struct vg_sink *s;

	ck_assert_int_eq(vg_sink_open_file(path, 100, 0, &s), 0);
	for (int n = 1; n <= 9; n++)
		put_record(s, n, 25);
	/* a record larger than the limit goes alone into a file of its own */
	put_record(s, 10, 300);
	put_record(s, 11, 25);
	vg_sink_close(s);
	snprintf(name, sizeof(name), "%s.1", path);
	ck_assert(!exists(name));
	check_file(path, 11, 11, 25);
}
END_TEST

START_TEST(file_sink_reopens_after_external_rotation)
{
	char moved[300];
	struct vg_sink *s;
	struct vg_sink_stats st;

	snprintf(moved, sizeof(moved), "%s.old", path);
	ck_assert_int_eq(vg_sink_open_file(path, 0, 0, &s), 0);
	put_record(s, 1, 20);
	ck_assert_int_eq(vg_sink_flush(s), 0);
	/* logrotate without copytruncate: the file is renamed, the writer keeps its descriptor */
	ck_assert_int_eq(rename(path, moved), 0);
	put_record(s, 2, 20);
	ck_assert_int_eq(vg_sink_reopen(s), 0);
	put_record(s, 3, 20);
	vg_sink_stats(s, &st);
	ck_assert_uint_eq(st.reopens, 1);
	vg_sink_close(s);
	check_file(moved, 1, 2, 20);
	check_file(path, 3, 3, 20);
}
END_TEST

START_TEST(file_sink_counts_failed_writes)
{
	struct vg_sink *s;
	struct vg_sink_stats st;

	/* every write to /dev/full fails with ENOSPC */
	ck_assert_int_eq(vg_sink_open_file("/dev/full", 0, 0, &s), 0);
	put_record(s, 1, 20);
	put_record(s, 2, 20);
	ck_assert_int_eq(vg_sink_flush(s), -1);
	vg_sink_stats(s, &st);
	ck_assert_uint_eq(st.records, 2);
	ck_assert_uint_eq(st.write_failures, 2);
	ck_assert_uint_eq(st.bytes, 0);
	/* the sink goes on: later records are tried (and counted) too */
	put_record(s, 3, 20);
	ck_assert_int_eq(vg_sink_flush(s), -1);
	vg_sink_stats(s, &st);
	ck_assert_uint_eq(st.write_failures, 3);
	vg_sink_close(s);
	ck_assert_int_eq(vg_sink_open_file("/nonexistent-dir/x.json", 0, 0, &s), -ENOENT);
}
END_TEST

/* Reads what the pipe holds now, appending to *all. */
static void drain_pipe(int fd, char **all, size_t *len)
{
	char chunk[65536];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		*all = realloc(*all, *len + n + 1);
		memcpy(*all + *len, chunk, n);
		*len += n;
		(*all)[*len] = 0;
	}
}

START_TEST(pipe_sink_never_blocks_on_a_slow_reader)
{
	struct vg_sink_stats st;
	struct vg_sink *s;
	char *all = NULL;
	size_t len = 0;
	int p[2], n, first_lost;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(vg_sink_open_fd(p[1], "a pipe", &s), 0);
	/* 6 MiB into a 64 KiB pipe nobody reads: a blocking write would hang the test */
	for (n = 0; n < 6144; n++) {
		if (commit_record(s, n, 1024))
			break;
		if (n % 64 == 0)
			vg_sink_flush(s);
	}
	first_lost = n;
	for (n++; n < 6144; n++)
		ck_assert_int_eq(commit_record(s, n, 1024), -1);
	vg_sink_stats(s, &st);
	/* the pipe's 64 KiB and 4 MiB waiting are kept; the rest is counted as lost */
	ck_assert_uint_gt(st.write_failures, 1024);
	ck_assert_uint_eq(st.write_failures, 6144 - first_lost);
	ck_assert_int_gt(first_lost, 4096);
	/* the reader catches up: what waited goes out, in order, whole */
	for (int i = 0; i < 200 && len < (size_t)first_lost * 1024; i++) {
		drain_pipe(p[0], &all, &len);
		vg_sink_flush(s);
	}
	ck_assert_uint_eq(len, (size_t)first_lost * 1024);
	for (n = 0; n < first_lost; n++) {
		char want[16];

		snprintf(want, sizeof(want), "rec %04d ", n);
		ck_assert(!strncmp(all + (size_t)n * 1024, want, 9));
	}
	/* records after the jam go through again */
	put_record(s, 9999, 1024);
	vg_sink_close(s);
	drain_pipe(p[0], &all, &len);
	ck_assert_uint_eq(len, (size_t)(first_lost + 1) * 1024);
	ck_assert(!strncmp(all + len - 1024, "rec 9999 ", 9));
	/* the descriptor is given back as it came: blocking */
	ck_assert_int_eq(fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);
	close(p[0]);
	close(p[1]);
	free(all);
}
END_TEST

START_TEST(rotate_files_shifts_and_drops_the_oldest)
{
	char name[300];
	int fd;

	for (int i = 0; i <= 2; i++) {
		if (i)
			snprintf(name, sizeof(name), "%s.%d", path, i);
		else
			snprintf(name, sizeof(name), "%s", path);
		fd = open(name, O_WRONLY | O_CREAT, 0600);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, "0123", i + 1), i + 1); /* file i holds i + 1 bytes */
		close(fd);
	}
	ck_assert_int_eq(vg_rotate_files(path, 2), 0);
	ck_assert(!exists(path));
	snprintf(name, sizeof(name), "%s.1", path);
	ck_assert_str_eq(slurp(name, NULL), "0");
	snprintf(name, sizeof(name), "%s.2", path);
	ck_assert_str_eq(slurp(name, NULL), "01");
	snprintf(name, sizeof(name), "%s.3", path);
	ck_assert(!exists(name));
	/* nothing to move is no error */
	ck_assert_int_eq(vg_rotate_files(path, 2), 0);
	ck_assert_int_eq(vg_rotate_files(path, 0), 0);
}
END_TEST

START_TEST(sizes_parse_with_units)
{
	__u64 v;

	ck_assert_int_eq(vg_parse_size("4096", &v), 0);
	ck_assert_uint_eq(v, 4096);
	ck_assert_int_eq(vg_parse_size("10K", &v), 0);
	ck_assert_uint_eq(v, 10240);
	ck_assert_int_eq(vg_parse_size("100m", &v), 0);
	ck_assert_uint_eq(v, 100ull << 20);
	ck_assert_int_eq(vg_parse_size("2G", &v), 0);
	ck_assert_uint_eq(v, 2ull << 30);
	ck_assert_int_eq(vg_parse_size("", &v), -EINVAL);
	ck_assert_int_eq(vg_parse_size("-1", &v), -EINVAL);
	ck_assert_int_eq(vg_parse_size("10KB", &v), -EINVAL);
	ck_assert_int_eq(vg_parse_size("10T", &v), -EINVAL);
	ck_assert_int_eq(vg_parse_size("M", &v), -EINVAL);
	ck_assert_int_eq(vg_parse_size("99999999999999999999", &v), -EINVAL);
	ck_assert_int_eq(vg_parse_size("17179869184G", &v), -EINVAL); /* 2^64: overflows */
}
END_TEST

/* A repeat line and the loss alert, rendered the way run renders them. */
static void render_records(struct vg_output *o)
{
	struct vg_alert a = {.rule = "vigil_event_loss", .severity = VG_SEV_HIGH};
	__u64 lost[VIGIL_EVENT_TYPE_MAX] = {[VIGIL_EVENT_EXEC] = 2};
	__u64 total[VIGIL_EVENT_TYPE_MAX] = {[VIGIL_EVENT_EXEC] = 5, [VIGIL_EVENT_WRITE] = 1};

	a.mitre[0] = "T1562";
	snprintf(a.key, sizeof(a.key), "exec");
	snprintf(a.message, sizeof(a.message), "lost \"2 exec\"\n");
	ck_assert_int_eq(vg_output_repeat(o, 5000000000ull, "container_mount", "abc", "/mnt", 3),
			 0);
	ck_assert_int_eq(
		vg_output_loss_alert(o, 6000000000ull, &a, lost, total, VIGIL_EVENT_TYPE_MAX, NULL), 0);
}

START_TEST(output_through_a_sink_is_byte_identical)
{
	static const char want[] =
		"{\"kind\":\"repeat\",\"time\":\"2023-11-14T22:13:25.000000000Z\","
		"\"rule\":\"container_mount\",\"container_id\":\"abc\",\"key\":\"/mnt\","
		"\"count\":3}\n"
		"{\"kind\":\"alert\",\"time\":\"2023-11-14T22:13:26.000000000Z\","
		"\"rule\":\"vigil_event_loss\",\"severity\":\"high\","
		"\"message\":\"lost \\\"2 exec\\\"\\n\",\"mitre\":[\"T1562\"],\"container\":null,"
		"\"process\":null,\"key\":\"exec\",\"event\":null,\"lost\":{\"exec\":2},"
		"\"lost_total\":{\"exec\":5,\"write\":1}}\n";
	struct vg_output plain = {.format = VG_FORMAT_JSON,
				  .boot_wall_ns = 1700000000ull * 1000000000ull};
	struct vg_output sunk = plain;
	struct vg_sink *s;
	char *buf = NULL;
	size_t len = 0;

	plain.f = open_memstream(&buf, &len);
	render_records(&plain);
	fclose(plain.f);
	ck_assert_str_eq(buf, want);

	ck_assert_int_eq(vg_sink_open_file(path, 0, 0, &s), 0);
	vg_output_set_sink(&sunk, s);
	render_records(&sunk);
	vg_sink_close(s);
	ck_assert_str_eq(slurp(path, NULL), buf);
	free(buf);

	/* text: one line each, the message's newline escaped */
	plain.format = sunk.format = VG_FORMAT_TEXT;
	buf = NULL;
	plain.f = open_memstream(&buf, &len);
	render_records(&plain);
	fclose(plain.f);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(vg_sink_open_file(path, 0, 0, &s), 0);
	vg_output_set_sink(&sunk, s);
	render_records(&sunk);
	vg_sink_close(s);
	ck_assert_str_eq(slurp(path, NULL), buf);
	ck_assert_str_eq(strchr(buf, '\n') + 1,
			 "2023-11-14T22:13:26.000000000Z ALERT high     vigil_event_loss [vigil]: "
			 "lost \"2 exec\"\\x0a\n");
	free(buf);
}
END_TEST

/* ---- RFC 5424 ---- */

#define T_NS (1700000005ull * 1000000000ull + 123456789ull) /* 2023-11-14T22:13:25.123456789Z */

START_TEST(syslog_header_exact)
{
	struct vg_syslog_header h = {
		.facility = LOG_DAEMON,
		.severity = LOG_ERR,
		.time_ns = T_NS,
		.hostname = "node-1.example",
		.app_name = "vigil",
		.procid = 4242,
		.msgid = "alert",
		.sw_version = "1.2",
		.sequence = 7,
	};
	const char *msg = "{\"kind\":\"alert\",\"rule\":\"container_mount\"}\n";
	char buf[512];
	size_t n;

	n = vg_syslog_format(buf, sizeof(buf), &h, msg, strlen(msg));
	/* PRI = daemon (3) * 8 + err (3); six fractional digits; the newline dropped */
	ck_assert_str_eq(buf,
			 "<27>1 2023-11-14T22:13:25.123456Z node-1.example vigil 4242 alert "
			 "[origin software=\"vigil\" swVersion=\"1.2\"][meta sequenceId=\"7\"] "
			 "{\"kind\":\"alert\",\"rule\":\"container_mount\"}");
	ck_assert_uint_eq(n, strlen(buf));
}
END_TEST

START_TEST(syslog_nil_values)
{
	struct vg_syslog_header h = {
		.facility = LOG_USER, .severity = LOG_INFO, .app_name = "vigil"};
	char buf[128];

	vg_syslog_format(buf, sizeof(buf), &h, "hello", 5);
	ck_assert_str_eq(buf, "<14>1 - - vigil - - - hello");
	/* an empty message leaves MSG out, the SP before it too */
	h.facility = LOG_LOCAL7;
	h.severity = LOG_DEBUG;
	vg_syslog_format(buf, sizeof(buf), &h, "\n", 1);
	ck_assert_str_eq(buf, "<191>1 - - vigil - - -");
}
END_TEST

START_TEST(syslog_fields_are_printable_ascii_within_limits)
{
	char app[80], msgid[60], want[300], buf[600];
	struct vg_syslog_header h = {
		.facility = LOG_AUTHPRIV,
		.severity = LOG_CRIT,
		.hostname = "my host\xc3\xa9",
		.app_name = app,
		.msgid = msgid,
	};

	memset(app, 'a', sizeof(app) - 1);
	app[sizeof(app) - 1] = 0;
	memset(msgid, 'm', sizeof(msgid) - 1);
	msgid[sizeof(msgid) - 1] = 0;
	vg_syslog_format(buf, sizeof(buf), &h, "x", 1);
	/* authpriv (10) * 8 + crit (2); APP-NAME 48 bytes, MSGID 32 at most */
	snprintf(want, sizeof(want), "<82>1 - my_host__ %.48s - %.32s - x", app, msgid);
	ck_assert_str_eq(buf, want);
}
END_TEST

START_TEST(syslog_structured_data_escapes_and_sequence_wraps)
{
	struct vg_syslog_header h = {
		.facility = LOG_DAEMON,
		.severity = LOG_NOTICE,
		.app_name = "vigil",
		.sw_version = "a\"b\\c]d",
	};
	char buf[256];

	vg_syslog_format(buf, sizeof(buf), &h, "m", 1);
	ck_assert_str_eq(buf, "<29>1 - - vigil - - [origin software=\"vigil\" "
			      "swVersion=\"a\\\"b\\\\c\\]d\"] m");
	h.sw_version = NULL;
	h.sequence = 2147483647ull;
	vg_syslog_format(buf, sizeof(buf), &h, "m", 1);
	ck_assert_str_eq(buf, "<29>1 - - vigil - - [meta sequenceId=\"2147483647\"] m");
	h.sequence = 2147483648ull; /* wraps to 1 (RFC 5424 7.3.1) */
	vg_syslog_format(buf, sizeof(buf), &h, "m", 1);
	ck_assert_str_eq(buf, "<29>1 - - vigil - - [meta sequenceId=\"1\"] m");
}
END_TEST

START_TEST(syslog_bom_only_for_utf8_beyond_ascii)
{
	struct vg_syslog_header h = {.facility = LOG_DAEMON, .severity = LOG_INFO};
	char buf[128];

	vg_syslog_format(buf, sizeof(buf), &h, "caf\xc3\xa9", 5);
	ck_assert_str_eq(buf, "<30>1 - - - - - - \xef\xbb\xbf"
			      "caf\xc3\xa9");
	vg_syslog_format(buf, sizeof(buf), &h, "plain", 5);
	ck_assert_str_eq(buf, "<30>1 - - - - - - plain");
	/* not UTF-8: MSG-ANY, no BOM claiming it is */
	vg_syslog_format(buf, sizeof(buf), &h, "bad\xff", 4);
	ck_assert_str_eq(buf, "<30>1 - - - - - - bad\xff");
}
END_TEST

START_TEST(syslog_format_is_bounded_like_snprintf)
{
	struct vg_syslog_header h = {.facility = LOG_DAEMON, .severity = LOG_INFO};
	char buf[10];
	size_t n;

	memset(buf, 'Z', sizeof(buf));
	n = vg_syslog_format(buf, sizeof(buf), &h, "a long message", 14);
	ck_assert_uint_eq(n, strlen("<30>1 - - - - - - a long message"));
	ck_assert_str_eq(buf, "<30>1 - -");
}
END_TEST

START_TEST(syslog_facility_names)
{
	ck_assert_int_eq(vg_syslog_facility_parse("daemon"), LOG_DAEMON);
	ck_assert_int_eq(vg_syslog_facility_parse("authpriv"), LOG_AUTHPRIV);
	ck_assert_int_eq(vg_syslog_facility_parse("local7"), LOG_LOCAL7);
	ck_assert_int_eq(vg_syslog_facility_parse("local8"), -1);
	ck_assert_int_eq(vg_syslog_facility_parse("Daemon"), -1);
}
END_TEST

static int bind_unix_dgram(const char *name)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct timeval tv = {.tv_sec = 2};

	ck_assert_int_ge(fd, 0);
	memcpy(addr.sun_path, name, strlen(name));
	if (name[0] == '@')
		addr.sun_path[0] = 0;
	else
		len++;
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, len), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* Receives one datagram, checks how it starts and ends; returns it (until the next call). */
static const char *expect_message(int fd, const char *prefix, const char *suffix)
{
	static char buf[2048];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

	ck_assert_int_gt(n, 0);
	buf[n] = 0;
	ck_assert_msg(!strncmp(buf, prefix, strlen(prefix)), "got: %s", buf);
	ck_assert_msg(n >= (ssize_t)strlen(suffix) && !strcmp(buf + n - strlen(suffix), suffix),
		      "got: %s", buf);
	return buf;
}

START_TEST(syslog_sink_sends_one_datagram_per_record)
{
	char sock[300], err[320], want[64];
	struct vg_sink *s;
	int rx;

	snprintf(sock, sizeof(sock), "%s/log.sock", dir);
	rx = bind_unix_dgram(sock);
	snprintf(err, sizeof(err), "unix:%s", sock);
	ck_assert_int_eq(vg_sink_open_syslog(err, LOG_LOCAL0, &s, err, sizeof(err)), 0);
	fputs("{\"kind\":\"alert\"}\n", vg_sink_stream(s));
	ck_assert_int_eq(vg_sink_commit(s, "alert", LOG_WARNING), 0);
	fputs("second\n", vg_sink_stream(s));
	ck_assert_int_eq(vg_sink_commit(s, "event", LOG_INFO), 0);
	/* local0 (16) * 8 + warning (4) */
	snprintf(want, sizeof(want), " vigil %d alert [origin", (int)getpid());
	ck_assert_ptr_nonnull(strstr(
		expect_message(rx, "<132>1 ", "[meta sequenceId=\"1\"] {\"kind\":\"alert\"}"),
		want));
	snprintf(want, sizeof(want), " vigil %d event [origin", (int)getpid());
	ck_assert_ptr_nonnull(
		strstr(expect_message(rx, "<134>1 ", "[meta sequenceId=\"2\"] second"), want));
	vg_sink_close(s);
	close(rx);

	/* an abstract socket, as NOTIFY_SOCKET names them */
	snprintf(sock, sizeof(sock), "@vigil-test-%d", (int)getpid());
	rx = bind_unix_dgram(sock);
	snprintf(err, sizeof(err), "unix:%s", sock);
	ck_assert_int_eq(vg_sink_open_syslog(err, LOG_DAEMON, &s, err, sizeof(err)), 0);
	fputs("abstract\n", vg_sink_stream(s));
	ck_assert_int_eq(vg_sink_commit(s, "alert", LOG_ERR), 0);
	expect_message(rx, "<27>1 ", "] abstract");
	vg_sink_close(s);
	close(rx);
}
END_TEST

START_TEST(syslog_sink_over_udp_loopback)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	struct timeval tv = {.tv_sec = 2};
	char address[64], err[256];
	struct vg_sink *s;
	int rx = socket(AF_INET, SOCK_DGRAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(rx, (struct sockaddr *)&addr, sizeof(addr)), 0);
	ck_assert_int_eq(getsockname(rx, (struct sockaddr *)&addr, &len), 0);
	setsockopt(rx, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	snprintf(address, sizeof(address), "udp:127.0.0.1:%u", ntohs(addr.sin_port));
	ck_assert_int_eq(vg_sink_open_syslog(address, LOG_DAEMON, &s, err, sizeof(err)), 0);
	fputs("over udp\n", vg_sink_stream(s));
	ck_assert_int_eq(vg_sink_commit(s, "alert", LOG_CRIT), 0);
	expect_message(rx, "<26>1 ", "] over udp");
	vg_sink_close(s);
	close(rx);
}
END_TEST

START_TEST(syslog_sink_without_receiver_counts_then_recovers)
{
	char sock[300], address[320], err[256];
	struct vg_sink_stats st;
	struct vg_sink *s;
	int rx;

	snprintf(sock, sizeof(sock), "%s/later.sock", dir);
	snprintf(address, sizeof(address), "unix:%s", sock);
	/* the daemon is not there yet: not an error, its records are counted as lost */
	ck_assert_int_eq(vg_sink_open_syslog(address, LOG_DAEMON, &s, err, sizeof(err)), 0);
	fputs("lost\n", vg_sink_stream(s));
	ck_assert_int_eq(vg_sink_commit(s, "alert", LOG_ERR), -1);
	vg_sink_stats(s, &st);
	ck_assert_uint_eq(st.write_failures, 1);
	rx = bind_unix_dgram(sock);
	usleep(1100 * 1000); /* reconnects are tried once a second */
	fputs("found\n", vg_sink_stream(s));
	ck_assert_int_eq(vg_sink_commit(s, "alert", LOG_ERR), 0);
	expect_message(rx, "<27>1 ", "] found");
	vg_sink_close(s);
	close(rx);
}
END_TEST

START_TEST(syslog_address_errors_name_the_fix)
{
	const char *bad[] = {
		"tcp:127.0.0.1:514",   "unix:relative/path",	 "udp:127.0.0.1", "udp:127.0.0.1:0",
		"udp:127.0.0.1:70000", "udp:syslog.example:514", "udp:[::1:514",  "unix:"};
	char err[256];
	struct vg_sink *s = NULL;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ck_assert_int_eq(vg_sink_open_syslog(bad[i], LOG_DAEMON, &s, err, sizeof(err)),
				 -EINVAL);
		ck_assert_msg(strstr(err, "--syslog-address") && strstr(err, bad[i]) &&
				      strstr(err, "give"),
			      "%s: %s", bad[i], err);
		ck_assert_ptr_null(strchr(err, '\n'));
	}
	ck_assert_int_eq(vg_sink_open_syslog("udp:[::1]:514", LOG_DAEMON, &s, err, sizeof(err)), 0);
	vg_sink_close(s);
}
END_TEST

static Suite *sink_suite(void)
{
	Suite *s = suite_create("sink");
	TCase *tc = tcase_create("file");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, file_sink_appends_whole_records);
	tcase_add_test(tc, file_sink_rotates_by_size_into_numbered_files);
	tcase_add_test(tc, file_sink_keep_zero_and_oversized_records);
	tcase_add_test(tc, file_sink_reopens_after_external_rotation);
	tcase_add_test(tc, file_sink_counts_failed_writes);
	tcase_add_test(tc, pipe_sink_never_blocks_on_a_slow_reader);
	tcase_add_test(tc, rotate_files_shifts_and_drops_the_oldest);
	tcase_add_test(tc, sizes_parse_with_units);
	tcase_add_test(tc, output_through_a_sink_is_byte_identical);
	suite_add_tcase(s, tc);

	tc = tcase_create("syslog");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, syslog_header_exact);
	tcase_add_test(tc, syslog_nil_values);
	tcase_add_test(tc, syslog_fields_are_printable_ascii_within_limits);
	tcase_add_test(tc, syslog_structured_data_escapes_and_sequence_wraps);
	tcase_add_test(tc, syslog_bom_only_for_utf8_beyond_ascii);
	tcase_add_test(tc, syslog_format_is_bounded_like_snprintf);
	tcase_add_test(tc, syslog_facility_names);
	tcase_add_test(tc, syslog_sink_sends_one_datagram_per_record);
	tcase_add_test(tc, syslog_sink_over_udp_loopback);
	tcase_add_test(tc, syslog_sink_without_receiver_counts_then_recovers);
	tcase_add_test(tc, syslog_address_errors_name_the_fix);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(sink_suite)
