// SPDX-License-Identifier: GPL-2.0
/* A position-aware JSON reader for policy files: see policy_json.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "policy_json.h"

struct scanner {
	const char *p, *end;
	unsigned int line, col;
	int depth;
	bool oom;
	struct pj_error *err;
};

/* Records the first error only: later ones are consequences of it. */
static int __attribute__((format(printf, 4, 5)))
fail_at(struct scanner *s, unsigned int line, unsigned int col, const char *fmt, ...)
{
	va_list ap;

	if (s->err->message[0] == '\0') {
		s->err->line = line;
		s->err->col = col;
		va_start(ap, fmt);
		vsnprintf(s->err->message, sizeof(s->err->message), fmt, ap);
		va_end(ap);
	}
	return -1;
}

#define fail(s, ...) fail_at((s), (s)->line, (s)->col, __VA_ARGS__)

static int out_of_memory(struct scanner *s)
{
	s->oom = true;
	return fail(s, "out of memory");
}

static bool at_end(const struct scanner *s)
{
	return s->p >= s->end;
}

/* Moves one byte on; a column is a character, so UTF-8 continuation bytes don't count. */
static void advance(struct scanner *s)
{
	unsigned char c = (unsigned char)*s->p++;

	if (c == '\n') {
		s->line++;
		s->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		s->col++;
	}
}

static void skip_space(struct scanner *s)
{
	while (!at_end(s) && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		advance(s);
}

struct strbuf {
	char *data;
	size_t len, cap;
};

static bool strbuf_add(struct strbuf *b, const char *bytes, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		char *data;

		while (cap < b->len + n + 1)
			cap *= 2;
		data = realloc(b->data, cap);
		if (!data)
			return false;
		b->data = data;
		b->cap = cap;
	}
	memcpy(b->data + b->len, bytes, n);
	b->len += n;
	b->data[b->len] = '\0';
	return true;
}

static bool strbuf_add_codepoint(struct strbuf *b, uint32_t cp)
{
	char out[4];
	size_t n;

	if (cp < 0x80) {
		out[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return strbuf_add(b, out, n);
}

static int hex4(struct scanner *s, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = at_end(s) ? '\0' : *s->p;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return fail(s, "\\u must be followed by 4 hexadecimal digits");
		advance(s);
	}
	*out = v;
	return 0;
}

static int parse_unicode_escape(struct scanner *s, struct strbuf *b, unsigned int line,
				unsigned int col)
{
	uint32_t cp, low;

	if (hex4(s, &cp))
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail_at(s, line, col, "invalid \\u escape: unpaired low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
			return fail_at(s, line, col, "invalid \\u escape: unpaired high surrogate");
		advance(s);
		advance(s);
		if (hex4(s, &low))
			return -1;
		if (low < 0xdc00 || low > 0xdfff)
			return fail_at(s, line, col, "invalid \\u escape: unpaired high surrogate");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
	}
	if (cp == 0)
		return fail_at(s, line, col, "\\u0000 (a NUL character) is not allowed in strings");
	if (!strbuf_add_codepoint(b, cp))
		return out_of_memory(s);
	return 0;
}

/* At the opening quote; on success *out is a malloc'ed NUL-terminated string. */
static int parse_string(struct scanner *s, char **out)
{
	unsigned int line = s->line, col = s->col;
	struct strbuf b = {0};

	advance(s);
	if (!strbuf_add(&b, "", 0))
		return out_of_memory(s);
	for (;;) {
		unsigned char c;

		if (at_end(s)) {
			free(b.data);
			return fail_at(s, line, col, "unterminated string (missing closing '\"')");
		}
		c = (unsigned char)*s->p;
		if (c == '"') {
			advance(s);
			*out = b.data;
			return 0;
		}
		if (c < 0x20) {
			free(b.data);
			if (c == '\n')
				return fail_at(s, line, col,
					       "unterminated string (missing closing '\"')");
			return fail(s,
				    "control character in string; escape it (\\t, \\n, \\u00XX)");
		}
		if (c == '\\') {
			unsigned int eline = s->line, ecol = s->col;
			const char *plain = NULL;

			advance(s);
			switch (at_end(s) ? '\0' : *s->p) {
			case '"':
				plain = "\"";
				break;
			case '\\':
				plain = "\\";
				break;
			case '/':
				plain = "/";
				break;
			case 'b':
				plain = "\b";
				break;
			case 'f':
				plain = "\f";
				break;
			case 'n':
				plain = "\n";
				break;
			case 'r':
				plain = "\r";
				break;
			case 't':
				plain = "\t";
				break;
			case 'u':
				advance(s);
				if (parse_unicode_escape(s, &b, eline, ecol)) {
					free(b.data);
					return -1;
				}
				continue;
			default:
				free(b.data);
				return fail_at(s, eline, ecol,
					       "invalid escape in string (a literal backslash is "
					       "written \\\\)");
			}
			advance(s);
			if (!strbuf_add(&b, plain, 1)) {
				free(b.data);
				return out_of_memory(s);
			}
			continue;
		}
		if (c < 0x80) {
			advance(s);
			if (!strbuf_add(&b, (const char *)&c, 1)) {
				free(b.data);
				return out_of_memory(s);
			}
			continue;
		}
		size_t n = vg_utf8_seq_len((const unsigned char *)s->p, (size_t)(s->end - s->p));
		if (!n) {
			free(b.data);
			return fail(s, "invalid UTF-8 in string");
		}
		if (!strbuf_add(&b, s->p, n)) {
			free(b.data);
			return out_of_memory(s);
		}
		while (n--)
			advance(s);
	}
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
	       c == '-' || c == '.';
}

static int parse_number(struct scanner *s, struct pj_node *node)
{
	const char *start = s->p;
	bool integer = true;
	char text[64];
	size_t len;

	if (*s->p == '-')
		advance(s);
	if (at_end(s) || !is_digit(*s->p))
		return fail(s, "invalid number: expected a digit");
	if (*s->p == '0') {
		advance(s);
		if (!at_end(s) && is_digit(*s->p))
			return fail(s, "invalid number: leading zeros are not allowed");
	} else {
		while (!at_end(s) && is_digit(*s->p))
			advance(s);
	}
	if (!at_end(s) && *s->p == '.') {
		integer = false;
		advance(s);
		if (at_end(s) || !is_digit(*s->p))
			return fail(s, "invalid number: expected a digit after '.'");
		while (!at_end(s) && is_digit(*s->p))
			advance(s);
	}
	if (!at_end(s) && (*s->p == 'e' || *s->p == 'E')) {
		integer = false;
		advance(s);
		if (!at_end(s) && (*s->p == '+' || *s->p == '-'))
			advance(s);
		if (at_end(s) || !is_digit(*s->p))
			return fail(s, "invalid number: expected a digit in the exponent");
		while (!at_end(s) && is_digit(*s->p))
			advance(s);
	}
	len = (size_t)(s->p - start);
	if (len >= sizeof(text))
		return fail_at(s, node->line, node->col, "number too long");
	memcpy(text, start, len);
	text[len] = '\0';
	node->type = PJ_NUMBER;
	node->number = strtod(text, NULL);
	if (integer) {
		errno = 0;
		node->integer = strtoll(text, NULL, 10);
		node->is_integer = errno == 0;
	}
	return 0;
}

static int parse_literal(struct scanner *s, struct pj_node *node)
{
	static const struct {
		const char *word;
		enum pj_type type;
		bool value;
	} literals[] = {
		{"true", PJ_BOOL, true},
		{"false", PJ_BOOL, false},
		{"null", PJ_NULL, false},
	};
	const char *w = s->p;
	size_t len = 0, i;

	while (w + len < s->end && is_word_char(w[len]))
		len++;
	for (i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
		if (strlen(literals[i].word) == len && !memcmp(w, literals[i].word, len)) {
			node->type = literals[i].type;
			node->boolean = literals[i].value;
			while (len--)
				advance(s);
			return 0;
		}
	}
	return fail(s, "unquoted word: strings must be in double quotes; the only bare words "
		       "are true, false and null");
}

static int parse_value(struct scanner *s, struct pj_node *node);

static void enter_position(struct scanner *s, struct pj_node *node)
{
	node->line = s->line;
	node->col = s->col;
}

static int parse_array(struct scanner *s, struct pj_node *node)
{
	size_t cap = 0;

	node->type = PJ_ARRAY;
	advance(s);
	skip_space(s);
	if (!at_end(s) && *s->p == ']') {
		advance(s);
		return 0;
	}
	for (;;) {
		struct pj_node item = {0};

		skip_space(s);
		if (!at_end(s) && *s->p == ']')
			return fail(s,
				    "expected a value before ']' (JSON allows no trailing comma)");
		if (parse_value(s, &item)) {
			pj_free(&item);
			return -1;
		}
		if (node->n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			struct pj_node *items = realloc(node->items, ncap * sizeof(*items));

			if (!items) {
				pj_free(&item);
				return out_of_memory(s);
			}
			node->items = items;
			cap = ncap;
		}
		node->items[node->n++] = item;
		skip_space(s);
		if (at_end(s))
			return fail_at(s, node->line, node->col,
				       "unexpected end of file: this '[' is never closed");
		if (*s->p == ']') {
			advance(s);
			return 0;
		}
		if (*s->p != ',')
			return fail(s, "expected ',' or ']' after an array element");
		advance(s);
	}
}

static int parse_object(struct scanner *s, struct pj_node *node)
{
	size_t cap = 0;

	node->type = PJ_OBJECT;
	advance(s);
	skip_space(s);
	if (!at_end(s) && *s->p == '}') {
		advance(s);
		return 0;
	}
	for (;;) {
		struct pj_member m = {0};

		skip_space(s);
		if (at_end(s))
			return fail_at(s, node->line, node->col,
				       "unexpected end of file: this '{' is never closed");
		if (*s->p == '}')
			return fail(s, "expected a key before '}' (JSON allows no trailing comma)");
		if (*s->p != '"')
			return fail(s, "expected a key: object keys are strings in double quotes");
		m.line = s->line;
		m.col = s->col;
		if (parse_string(s, &m.key))
			return -1;
		skip_space(s);
		if (at_end(s) || *s->p != ':') {
			free(m.key);
			return fail(s, "expected ':' after a key");
		}
		advance(s);
		if (parse_value(s, &m.value)) {
			free(m.key);
			pj_free(&m.value);
			return -1;
		}
		if (node->n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct pj_member *members = realloc(node->members, ncap * sizeof(*members));

			if (!members) {
				free(m.key);
				pj_free(&m.value);
				return out_of_memory(s);
			}
			node->members = members;
			cap = ncap;
		}
		node->members[node->n++] = m;
		skip_space(s);
		if (at_end(s))
			return fail_at(s, node->line, node->col,
				       "unexpected end of file: this '{' is never closed");
		if (*s->p == '}') {
			advance(s);
			return 0;
		}
		if (*s->p != ',')
			return fail(s, "expected ',' or '}' after an object member");
		advance(s);
	}
}

static int parse_value(struct scanner *s, struct pj_node *node)
{
	int ret;

	skip_space(s);
	if (at_end(s))
		return fail(s, "unexpected end of file: expected a value");
	enter_position(s, node);
	switch (*s->p) {
	case '{':
	case '[':
		if (++s->depth > PJ_MAX_DEPTH)
			return fail(s, "nesting deeper than %d levels", PJ_MAX_DEPTH);
		ret = *s->p == '{' ? parse_object(s, node) : parse_array(s, node);
		s->depth--;
		return ret;
	case '"':
		node->type = PJ_STRING;
		return parse_string(s, &node->string);
	case '-':
	case '0' ... '9':
		return parse_number(s, node);
	case '\'':
		return fail(s, "single quotes are not JSON: use double quotes");
	case '/':
		return fail(s, "comments are not allowed in JSON");
	case ',':
	case ':':
	case '}':
	case ']':
		return fail(s, "expected a value before '%c'", *s->p);
	default:
		if (is_word_char(*s->p))
			return parse_literal(s, node);
		if ((unsigned char)*s->p < 0x20 || (unsigned char)*s->p >= 0x7f)
			return fail(s, "unexpected byte 0x%02x: expected a value",
				    (unsigned char)*s->p);
		return fail(s, "unexpected character '%c': expected a value", *s->p);
	}
}

int pj_parse(const char *text, size_t len, struct pj_node *root, struct pj_error *err)
{
	struct scanner s = {
		.p = text,
		.end = text + len,
		.line = 1,
		.col = 1,
		.err = err,
	};

	memset(root, 0, sizeof(*root));
	memset(err, 0, sizeof(*err));
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		s.p += 3; /* a UTF-8 byte order mark, as some editors write */
	skip_space(&s);
	if (at_end(&s)) {
		fail(&s, "empty file: expected a JSON object");
		return -EINVAL;
	}
	if (parse_value(&s, root))
		goto fail;
	skip_space(&s);
	if (!at_end(&s)) {
		fail(&s, "unexpected content after the end of the top-level value");
		goto fail;
	}
	return 0;
fail:
	pj_free(root);
	memset(root, 0, sizeof(*root));
	return s.oom ? -ENOMEM : -EINVAL;
}

void pj_free(struct pj_node *node)
{
	size_t i;

	if (!node)
		return;
	switch (node->type) {
	case PJ_STRING:
		free(node->string);
		break;
	case PJ_ARRAY:
		for (i = 0; i < node->n; i++)
			pj_free(&node->items[i]);
		free(node->items);
		break;
	case PJ_OBJECT:
		for (i = 0; i < node->n; i++) {
			free(node->members[i].key);
			pj_free(&node->members[i].value);
		}
		free(node->members);
		break;
	default:
		break;
	}
	node->string = NULL;
	node->items = NULL;
	node->members = NULL;
	node->n = 0;
}

const char *pj_type_desc(enum pj_type type)
{
	switch (type) {
	case PJ_NULL:
		return "null";
	case PJ_BOOL:
		return "a boolean";
	case PJ_NUMBER:
		return "a number";
	case PJ_STRING:
		return "a string";
	case PJ_ARRAY:
		return "an array";
	case PJ_OBJECT:
		return "an object";
	}
	return "a value";
}

