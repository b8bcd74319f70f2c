// SPDX-License-Identifier: GPL-2.0
/*
 * Metrics (src/metrics.c): the Prometheus text format 0.0.4 to the byte (HELP and TYPE lines,
 * label and help escaping, values), every family vigil exports with its HELP and TYPE before
 * its samples, the listen address rules (loopback unless allowed), the HTTP listener answering
 * from a polling loop, and the metrics file replaced atomically.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "unit.h"
#include "metrics.h"

static char *text;
static size_t text_len;
static FILE *f;

static void open_text(void)
{
	free(text);
	text = NULL;
	f = open_memstream(&text, &text_len);
	ck_assert_ptr_nonnull(f);
}

static const char *close_text(void)
{
	fclose(f);
	f = NULL;
	return text;
}

static void teardown(void)
{
	if (f)
		fclose(f);
	free(text);
	text = NULL;
	f = NULL;
}

START_TEST(family_lines_and_help_escaping)
{
	open_text();
	vg_prom_family(f, "vigil_x_total", "counter", "Back\\slash and\nnewline \"quoted\".");
	/* HELP escapes backslash and newline only; quotes stay */
	ck_assert_str_eq(close_text(), "# HELP vigil_x_total Back\\\\slash and\\nnewline "
				       "\"quoted\".\n# TYPE vigil_x_total counter\n");
}
END_TEST

START_TEST(samples_with_and_without_labels)
{
	const char *labels[] = {"rule", "container_mount", "type", "a\"b\\c\nd", NULL};
	const char *empty[] = {NULL};

	open_text();
	vg_prom_sample_u64(f, "vigil_alerts_total", labels, 18446744073709551615ull);
	vg_prom_sample_u64(f, "vigil_up", NULL, 1);
	vg_prom_sample_u64(f, "vigil_up", empty, 0);
	vg_prom_sample_double(f, "vigil_ratio", NULL, 0.25);
	vg_prom_sample_double(f, "vigil_ratio", NULL, NAN);
	vg_prom_sample_double(f, "vigil_ratio", NULL, INFINITY);
	vg_prom_sample_double(f, "vigil_ratio", NULL, -INFINITY);
	vg_prom_sample_double(f, "vigil_start", NULL, 1700000005.5);
	ck_assert_str_eq(close_text(),
			 "vigil_alerts_total{rule=\"container_mount\",type=\"a\\\"b\\\\c\\nd\"} "
			 "18446744073709551615\n"
			 "vigil_up 1\n"
			 "vigil_up 0\n"
			 "vigil_ratio 0.25\n"
			 "vigil_ratio NaN\n"
			 "vigil_ratio +Inf\n"
			 "vigil_ratio -Inf\n"
			 "vigil_start 1700000005.5\n");
}
END_TEST

static const __u64 events[10] = {0, 5, 4, 3, 0, 0, 7, 1, 2, 900};
static const __u64 lost[10] = {0, 1, 0, 0, 0, 0, 0, 3, 0, 40};
static const struct vg_metrics_rule rules[] = {
	{"container_root_exec", 2, 10},
	{"container_mount", 1, 0},
	{"vigil_event_loss", 1, 0},
};
static const struct vg_metrics_output outputs[] = {
	{"alerts", 4, 0, 0},
	{"events", 922, 3, 2},
};

static struct vg_metrics sample_metrics(void)
{
	struct vg_metrics m = {
		.n_types = 10,
		.events = events,
		.lost = lost,
		.map_failures = 6,
		.rules = rules,
		.n_rules = 3,
		.containers = 3,
		.processes = 41,
		.ringbuf_fill = 0.5,
		.ringbuf_bytes = 8388608,
		.reloads_ok = 2,
		.reloads_failed = 1,
		.outputs = outputs,
		.n_outputs = 2,
		.capture_files = 4,
		.start_time = 1700000000,
		.version = "1.2-test",
		.libbpf_version = "v1.1",
	};

	return m;
}

static bool has_line(const char *all, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = all; (p = strstr(p, line)); p++)
		if ((p == all || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

START_TEST(render_has_every_family_and_value)
{
	struct vg_metrics m = sample_metrics();
	const char *out;
	const char *want[] = {
		"vigil_build_info{version=\"1.2-test\",libbpf=\"v1.1\"} 1",
		"vigil_start_time_seconds 1700000000",
		"vigil_events_total{type=\"exec\"} 5",
		"vigil_events_total{type=\"mount\"} 1",
		"vigil_events_total{type=\"write\"} 900",
		"vigil_events_total{type=\"setuid\"} 0",
		"vigil_events_lost_total{type=\"exec\"} 1",
		"vigil_events_lost_total{type=\"mount\"} 3",
		"vigil_events_lost_total{type=\"write\"} 40",
		"vigil_map_update_failures_total 6",
		"vigil_alerts_total{rule=\"container_root_exec\"} 2",
		"vigil_alerts_total{rule=\"vigil_event_loss\"} 1",
		"vigil_alert_repeats_total{rule=\"container_root_exec\"} 10",
		"vigil_containers_tracked 3",
		"vigil_processes_tracked 41",
		"vigil_ringbuf_fill_ratio 0.5",
		"vigil_ringbuf_size_bytes 8388608",
		"vigil_policy_reloads_total{result=\"success\"} 2",
		"vigil_policy_reloads_total{result=\"failure\"} 1",
		"vigil_output_records_total{output=\"events\"} 922",
		"vigil_output_write_failures_total{output=\"events\"} 3",
		"vigil_output_rotations_total{output=\"events\"} 2",
		"vigil_capture_files_total 4",
		"# TYPE vigil_events_total counter",
		"# TYPE vigil_containers_tracked gauge",
		"# TYPE vigil_ringbuf_fill_ratio gauge",
	};

	open_text();
	vg_metrics_render(&m, f);
	out = close_text();
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(has_line(out, want[i]), "missing line: %s\n%s", want[i], out);
	/* an unknown fill is left out rather than made up */
	m.ringbuf_fill = -1;
	open_text();
	vg_metrics_render(&m, f);
	ck_assert_ptr_null(strstr(close_text(), "vigil_ringbuf_fill_ratio"));
}
END_TEST

/*
 * The grammar of the text format: comment lines are HELP or TYPE of a family; a sample's name
 * is that of the last TYPE seen (each family declared once, before its samples); values parse.
 */
START_TEST(render_follows_the_exposition_grammar)
{
	struct vg_metrics m = sample_metrics();
	regex_t sample, help, type;
	char family[128] = "", seen[4096] = " ";
	char *line, *save, *copy;
	int samples = 0;

	ck_assert_int_eq(
		regcomp(&sample,
			"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|"
			"\\\\.)*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\")*\\})? "
			"(-?[0-9.e+]+|NaN|[+-]Inf)$",
			REG_EXTENDED),
		0);
	ck_assert_int_eq(regcomp(&help, "^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+$", REG_EXTENDED), 0);
	ck_assert_int_eq(
		regcomp(&type, "^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$", REG_EXTENDED),
		0);
	open_text();
	vg_metrics_render(&m, f);
	copy = strdup(close_text());
	ck_assert_uint_gt(strlen(copy), 0);
	ck_assert_int_eq(copy[strlen(copy) - 1], '\n');
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		regmatch_t mt[3];
		char name[128], key[136];

		if (!regexec(&help, line, 2, mt, 0))
			continue;
		if (!regexec(&type, line, 3, mt, 0)) {
			snprintf(family, sizeof(family), "%.*s", (int)(mt[1].rm_eo - mt[1].rm_so),
				 line + mt[1].rm_so);
			snprintf(key, sizeof(key), " %s ", family);
			ck_assert_msg(!strstr(seen, key), "family %s declared twice", family);
			strncat(seen, key + 1, sizeof(seen) - strlen(seen) - 1);
			/* Prometheus naming: a counter's name ends in _total */
			if (!strncmp(line + mt[2].rm_so, "counter", 7))
				ck_assert_msg(
					strlen(family) > 6 &&
						!strcmp(family + strlen(family) - 6, "_total"),
					"counter %s", family);
			continue;
		}
		ck_assert_msg(!regexec(&sample, line, 2, mt, 0), "not a sample line: %s", line);
		snprintf(name, sizeof(name), "%.*s", (int)(mt[1].rm_eo - mt[1].rm_so),
			 line + mt[1].rm_so);
		ck_assert_msg(!strcmp(name, family), "%s outside its family (%s)", name, family);
		samples++;
	}
	ck_assert_int_gt(samples, 40);
	free(copy);
	regfree(&sample);
	regfree(&help);
	regfree(&type);
}
END_TEST

START_TEST(addresses_loopback_unless_allowed)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[256];

	ck_assert_int_eq(
		vg_metrics_address_parse("127.0.0.1:9101", false, &ss, &len, err, sizeof(err)), 0);
	ck_assert_int_eq(ss.ss_family, AF_INET);
	ck_assert_int_eq(ntohs(((struct sockaddr_in *)&ss)->sin_port), 9101);
	ck_assert_int_eq(vg_metrics_address_parse("9101", false, &ss, &len, err, sizeof(err)), 0);
	ck_assert_uint_eq(ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr), 0x7f000001);
	ck_assert_int_eq(
		vg_metrics_address_parse("localhost:80", false, &ss, &len, err, sizeof(err)), 0);
	ck_assert_int_eq(
		vg_metrics_address_parse("127.9.9.9:0", false, &ss, &len, err, sizeof(err)), 0);
	ck_assert_int_eq(vg_metrics_address_parse("[::1]:9101", false, &ss, &len, err, sizeof(err)),
			 0);
	ck_assert_int_eq(ss.ss_family, AF_INET6);
	ck_assert_int_eq(vg_metrics_address_parse("[::ffff:127.0.0.1]:1", false, &ss, &len, err,
						  sizeof(err)),
			 0);

	const char *remote[] = {"0.0.0.0:9101", "10.0.0.1:9101", "[::]:9101", "[2001:db8::1]:1"};

	for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++) {
		ck_assert_int_eq(
			vg_metrics_address_parse(remote[i], false, &ss, &len, err, sizeof(err)),
			-EINVAL);
		ck_assert_msg(strstr(err, remote[i]) && strstr(err, "--metrics-allow-remote") &&
				      strstr(err, "loopback"),
			      "%s", err);
		ck_assert_int_eq(
			vg_metrics_address_parse(remote[i], true, &ss, &len, err, sizeof(err)), 0);
	}

	const char *bad[] = {"",	"abc",	       "127.0.0.1:",	  "127.0.0.1:65536",
			     ":80",	"1.2.3:80",    "host.example:80", "127.0.0.1:-1",
			     "[::1:80", "127.0.0.1:8x"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		ck_assert_int_eq(
			vg_metrics_address_parse(bad[i], true, &ss, &len, err, sizeof(err)),
			-EINVAL);
		ck_assert_msg(strstr(err, "--metrics-address") && strstr(err, "give"), "%s: %s",
			      bad[i], err);
	}
}
END_TEST

static void render_fixed(void *ctx, FILE *out)
{
	int *calls = ctx;

	(*calls)++;
	vg_prom_family(out, "vigil_test", "gauge", "A test.");
	vg_prom_sample_u64(out, "vigil_test", NULL, 42);
}

static int connect_to(const struct vg_metrics_server *srv)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	unsigned int port;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_eq(sscanf(vg_metrics_server_url(srv), "http://127.0.0.1:%u/metrics", &port),
			 1);
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return fd;
}

/* Sends request (in two parts, the server polled in between), polls until the server closes. */
static char *exchange(struct vg_metrics_server *srv, const char *request, size_t split)
{
	static char resp[8192];
	size_t got = 0;
	int fd = connect_to(srv);

	ck_assert_int_eq(send(fd, request, split, 0), (ssize_t)split);
	for (int i = 0; i < 5; i++) {
		vg_metrics_server_poll(srv);
		usleep(1000);
	}
	ck_assert_int_eq(send(fd, request + split, strlen(request) - split, 0),
			 (ssize_t)(strlen(request) - split));
	for (int i = 0; i < 2000; i++) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		vg_metrics_server_poll(srv);
		if (poll(&p, 1, 1) <= 0)
			continue;
		n = recv(fd, resp + got, sizeof(resp) - 1 - got, 0);
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	resp[got] = 0;
	return resp;
}

START_TEST(listener_serves_metrics_from_a_polling_loop)
{
	struct vg_metrics_server *srv;
	char err[256], *resp;
	const char *body = "# HELP vigil_test A test.\n# TYPE vigil_test gauge\nvigil_test 42\n";
	char header[64];
	int calls = 0;

	ck_assert_int_eq(vg_metrics_server_start("127.0.0.1:0", false, render_fixed, &calls, &srv,
						 err, sizeof(err)),
			 0);
	ck_assert_int_ge(vg_metrics_server_fd(srv), 0);
	/* nobody there: polling returns at once */
	ck_assert_int_eq(vg_metrics_server_poll(srv), 0);
	resp = exchange(srv, "GET /metrics HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n", 9);
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 200 OK\r\n", 17), "%s", resp);
	ck_assert_ptr_nonnull(strstr(resp, "\r\nContent-Type: text/plain; version=0.0.4"));
	snprintf(header, sizeof(header), "\r\nContent-Length: %zu\r\n", strlen(body));
	ck_assert_ptr_nonnull(strstr(resp, header));
	ck_assert_ptr_nonnull(strstr(resp, "\r\n\r\n"));
	ck_assert_str_eq(strstr(resp, "\r\n\r\n") + 4, body);
	ck_assert_int_eq(calls, 1);

	/* a query string is ignored; HEAD has the length and no body */
	resp = exchange(srv, "HEAD /metrics?x=1 HTTP/1.0\r\n\r\n", 4);
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 200 OK\r\n", 17), "%s", resp);
	ck_assert_ptr_nonnull(strstr(resp, header));
	ck_assert_str_eq(strstr(resp, "\r\n\r\n") + 4, "");

	resp = exchange(srv, "GET /healthz HTTP/1.1\n\n", 3);
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 200 OK\r\n", 17), "%s", resp);
	ck_assert_str_eq(strstr(resp, "\r\n\r\n") + 4, "ok\n");
	resp = exchange(srv, "GET /nothing HTTP/1.1\r\n\r\n", 1);
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 404 ", 13), "%s", resp);
	resp = exchange(srv, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 1);
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 405 ", 13), "%s", resp);
	ck_assert_ptr_nonnull(strstr(resp, "\r\nAllow: GET, HEAD\r\n"));
	resp = exchange(srv, "nonsense\r\n\r\n", 1);
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 400 ", 13), "%s", resp);
	vg_metrics_server_stop(srv);
}
END_TEST

START_TEST(listener_refuses_a_remote_address_and_a_taken_port)
{
	struct vg_metrics_server *srv, *second;
	char err[256], address[64];
	unsigned int port;
	int calls = 0;

	ck_assert_int_eq(vg_metrics_server_start("0.0.0.0:0", false, render_fixed, &calls, &srv,
						 err, sizeof(err)),
			 -EINVAL);
	ck_assert_int_eq(vg_metrics_server_start("127.0.0.1:0", false, render_fixed, &calls, &srv,
						 err, sizeof(err)),
			 0);
	sscanf(vg_metrics_server_url(srv), "http://127.0.0.1:%u/", &port);
	snprintf(address, sizeof(address), "127.0.0.1:%u", port);
	ck_assert_int_eq(vg_metrics_server_start(address, false, render_fixed, &calls, &second, err,
						 sizeof(err)),
			 -EADDRINUSE);
	ck_assert_msg(strstr(err, address) && strstr(err, "choose another"), "%s", err);
	vg_metrics_server_stop(srv);
}
END_TEST

START_TEST(metrics_file_is_replaced_atomically)
{
	char dir[] = "/tmp/vigil-metrics-XXXXXX", path[128], tmp[140], buf[64] = "";
	struct stat st;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/vigil.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ck_assert_int_eq(vg_metrics_write_file(path, "first 1\n", 8), 0);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(vg_metrics_write_file(path, "second 2\n", 9), 0);
	/* a reader that opened the old file reads it whole; a new open sees the new one */
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 8);
	ck_assert_str_eq(buf, "first 1\n");
	close(fd);
	fd = open(path, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(read(fd, buf, sizeof(buf) - 1), 9);
	close(fd);
	ck_assert_int_ne(stat(tmp, &st), 0);
	ck_assert_int_eq(vg_metrics_write_file("/nonexistent-dir/x.prom", "x\n", 2), -ENOENT);
	unlink(path);
	rmdir(dir);
}
END_TEST

static Suite *metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("format");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, family_lines_and_help_escaping);
	tcase_add_test(tc, samples_with_and_without_labels);
	tcase_add_test(tc, render_has_every_family_and_value);
	tcase_add_test(tc, render_follows_the_exposition_grammar);
	suite_add_tcase(s, tc);

	tc = tcase_create("serving");
	tcase_add_test(tc, addresses_loopback_unless_allowed);
	tcase_add_test(tc, listener_serves_metrics_from_a_polling_loop);
	tcase_add_test(tc, listener_refuses_a_remote_address_and_a_taken_port);
	tcase_add_test(tc, metrics_file_is_replaced_atomically);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(metrics_suite)
