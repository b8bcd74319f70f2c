// SPDX-License-Identifier: GPL-2.0
/*
 * Syslog records as RFC 5424 frames them: facility names, the header (priority, time, host,
 * app, msgid, structured data) and the message, escaped where the RFC says. Pure functions;
 * src/sink.c sends what they make.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jsonw.h"
#include "sink.h"
static const struct {
	const char *name;
	int code;
} facilities[] = {
	{"kern", LOG_KERN},	{"user", LOG_USER},	    {"mail", LOG_MAIL},
	{"daemon", LOG_DAEMON}, {"auth", LOG_AUTH},	    {"syslog", LOG_SYSLOG},
	{"lpr", LOG_LPR},	{"news", LOG_NEWS},	    {"uucp", LOG_UUCP},
	{"cron", LOG_CRON},	{"authpriv", LOG_AUTHPRIV}, {"ftp", LOG_FTP},
	{"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},	    {"local2", LOG_LOCAL2},
	{"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},	    {"local5", LOG_LOCAL5},
	{"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

int vg_syslog_facility_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (!strcmp(name, facilities[i].name))
			return facilities[i].code;
	return -1;
}

struct text {
	char *buf;
	size_t size, len;
};

static void put(struct text *t, char ch)
{
	if (t->len + 1 < t->size)
		t->buf[t->len] = ch;
	t->len++;
}

static void puts_n(struct text *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(t, s[i]);
}

/* A header field: printable US-ASCII only, at most max bytes, "-" when empty. */
static void put_field(struct text *t, const char *s, size_t max)
{
	size_t n = 0;

	for (; s && s[n] && n < max; n++)
		put(t, s[n] > 32 && s[n] < 127 ? s[n] : '_');
	if (!n)
		put(t, '-');
	put(t, ' ');
}

/* An SD-PARAM value: '"', '\' and ']' are escaped (RFC 5424 6.3.3). */
static void put_param(struct text *t, const char *name, const char *val)
{
	put(t, ' ');
	puts_n(t, name, strlen(name));
	puts_n(t, "=\"", 2);
	for (; *val; val++) {
		if (*val == '"' || *val == '\\' || *val == ']')
			put(t, '\\');
		put(t, *val);
	}
	put(t, '"');
}

/* Valid UTF-8 with at least one byte beyond ASCII: MSG is then MSG-UTF8, BOM first. */
static bool utf8_beyond_ascii(const unsigned char *s, size_t n)
{
	bool beyond = false;

	for (size_t i = 0; i < n;) {
		size_t len;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		beyond = true;
		len = vg_utf8_seq_len(s + i, n - i);
		if (!len)
			return false;
		i += len;
	}
	return beyond;
}

size_t vg_syslog_format(char *buf, size_t size, const struct vg_syslog_header *h, const char *msg,
			size_t msglen)
{
	struct text t = {buf, size, 0};
	char num[48];
	int n;

	n = snprintf(num, sizeof(num), "<%d>1 ", (h->facility & LOG_FACMASK) | (h->severity & 7));
	puts_n(&t, num, n);
	if (h->time_ns) {
		time_t secs = h->time_ns / 1000000000ull;
		struct tm tm;

		gmtime_r(&secs, &tm);
		/* RFC 5424 allows six fractional digits at most */
		n = snprintf(num, sizeof(num), "%04d-%02d-%02dT%02d:%02d:%02d.%06lluZ ",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			     tm.tm_sec, (unsigned long long)(h->time_ns % 1000000000ull / 1000));
		puts_n(&t, num, n);
	} else {
		puts_n(&t, "- ", 2);
	}
	put_field(&t, h->hostname, 255);
	put_field(&t, h->app_name, 48);
	if (h->procid > 0) {
		n = snprintf(num, sizeof(num), "%d ", h->procid);
		puts_n(&t, num, n);
	} else {
		puts_n(&t, "- ", 2);
	}
	put_field(&t, h->msgid, 32);
	if (!h->sw_version && !h->sequence)
		put(&t, '-');
	if (h->sw_version) {
		puts_n(&t, "[origin", 7);
		put_param(&t, "software", "vigil");
		put_param(&t, "swVersion", h->sw_version);
		put(&t, ']');
	}
	if (h->sequence) {
		/* sequenceId runs 1..2147483647 and wraps to 1 */
		snprintf(num, sizeof(num), "%llu",
			 (unsigned long long)((h->sequence - 1) % 2147483647ull + 1));
		puts_n(&t, "[meta", 5);
		put_param(&t, "sequenceId", num);
		put(&t, ']');
	}
	if (msglen && msg[msglen - 1] == '\n')
		msglen--;
	if (msglen) {
		put(&t, ' ');
		if (utf8_beyond_ascii((const unsigned char *)msg, msglen))
			puts_n(&t, "\xef\xbb\xbf", 3);
		puts_n(&t, msg, msglen);
	}
	if (size)
		buf[t.len < size ? t.len : size - 1] = 0;
	return t.len;
}
