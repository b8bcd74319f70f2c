// SPDX-License-Identifier: GPL-2.0
/* A JSON writer into one growable buffer; json-c's bytes without json-c's objects. */
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

#define UTF8 1 /* a byte >= 0x80: valid UTF-8 is copied, anything else becomes U+FFFD */

/*
 * What a byte becomes inside a string, as json-c's json_escape_str writes it: 0 copied, the
 * letter of a two-character escape, 'u' for \u00XX (lowercase hex). '/' is copied
 * (JSON_C_TO_STRING_NOSLASHESCAPE), and so is 0x7f.
 */
static const unsigned char escapes[256] = {
	[0x00 ... 0x07] = 'u', ['\b'] = 'b',  ['\t'] = 't',	      ['\n'] = 'n',
	[0x0b] = 'u',	       ['\f'] = 'f',  ['\r'] = 'r',	      [0x0e ... 0x1f] = 'u',
	['"'] = '"',	       ['\\'] = '\\', [0x80 ... 0xff] = UTF8,
};

static const char hex[] = "0123456789abcdef";

size_t vg_utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void vg_jsonw_free(struct vg_jsonw *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

bool vg_jsonw__grow(struct vg_jsonw *w, size_t n)
{
	size_t cap = w->cap ? w->cap : 512;
	char *buf;

	while (cap - w->len < n) {
		if (cap > SIZE_MAX / 2) {
			w->failed = true;
			return false;
		}
		cap *= 2;
	}
	buf = realloc(w->buf, cap);
	if (!buf) {
		w->failed = true;
		return false;
	}
	w->buf = buf;
	w->cap = cap;
	return true;
}

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/*
 * Do the 8 bytes at s need no escape: none >= 0x80, below 0x20, '"' or '\\'? A word at once:
 * (v - ONES * k) & ~v & HIGHS is non-zero exactly when some byte of v is below k (k <= 0x80),
 * and a byte equal to c is a zero byte of v ^ (ONES * c).
 */
static inline bool plain8(const unsigned char *s)
{
	uint64_t x, quote, bslash;

	memcpy(&x, s, sizeof(x));
	quote = x ^ (ONES * '"');
	bslash = x ^ (ONES * '\\');
	return !((x | ((x - ONES * 0x20) & ~x) | ((quote - ONES) & ~quote) |
		  ((bslash - ONES) & ~bslash)) &
		 HIGHS);
}

/* The escaped body of a string, without its quotes; out has room for 6 bytes per byte of s. */
static char *escape(char *out, const unsigned char *s, size_t n)
{
	size_t i = 0, start = 0;

	while (i < n) {
		unsigned char c, e;
		size_t seq;

		while (n - i >= 8 && plain8(s + i))
			i += 8;
		if (i == n)
			break;
		c = s[i];
		e = escapes[c];
		if (!e) {
			i++;
			continue;
		}
		if (e == UTF8) {
			seq = vg_utf8_seq_len(s + i, n - i);
			if (seq) {
				i += seq;
				continue;
			}
		}
		memcpy(out, s + start, i - start);
		out += i - start;
		if (e == UTF8) {
			memcpy(out, "\xef\xbf\xbd", 3);
			out += 3;
		} else if (e == 'u') {
			memcpy(out, "\\u00", 4);
			out[4] = hex[c >> 4];
			out[5] = hex[c & 0xf];
			out += 6;
		} else {
			out[0] = '\\';
			out[1] = (char)e;
			out += 2;
		}
		start = ++i;
	}
	memcpy(out, s + start, i - start);
	return out + (i - start);
}

/* "s": quotes and the worst case of 6 bytes per byte (a control character as \u00XX) */
static char *quoted(char *out, const char *s, size_t n)
{
	*out++ = '"';
	out = escape(out, (const unsigned char *)s, n);
	*out++ = '"';
	return out;
}

void vg_jsonw_key(struct vg_jsonw *w, const char *key)
{
	size_t n = strlen(key);
	char *out = n < SIZE_MAX / 8 ? vg_jsonw__start(w, n * 6 + 3) : NULL;

	if (!out) {
		w->failed = true;
		return;
	}
	out = quoted(out, key, n);
	*out++ = ':';
	w->len = (size_t)(out - w->buf);
	w->comma = false;
}

void vg_jsonw_string(struct vg_jsonw *w, const char *s, size_t n)
{
	char *out = n < SIZE_MAX / 8 ? vg_jsonw__start(w, n * 6 + 2) : NULL;

	if (!out) {
		w->failed = true;
		return;
	}
	vg_jsonw__end(w, quoted(out, s, n));
}

static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
			       "25262728293031323334353637383940414243444546474849"
			       "50515253545556575859606162636465666768697071727374"
			       "75767778798081828384858687888990919293949596979899";

/* "%" PRId64 by hand, two digits a division: printf's parsing costs more than the digits. */
void vg_jsonw_int(struct vg_jsonw *w, int64_t v)
{
	char digits[20], *p = digits + sizeof(digits);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	while (u >= 100) {
		p -= 2;
		memcpy(p, pairs + u % 100 * 2, 2);
		u /= 100;
	}
	if (u >= 10) {
		p -= 2;
		memcpy(p, pairs + u * 2, 2);
	} else {
		*--p = (char)('0' + u);
	}
	if (v < 0)
		*--p = '-';
	vg_jsonw__put(w, p, (size_t)(digits + sizeof(digits) - p));
}
