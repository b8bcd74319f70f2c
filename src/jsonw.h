/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JSON writer into one growable buffer, for the lines printed per event: no object tree, no
 * allocation once the buffer has grown to the longest line. Its bytes are those json-c writes
 * with VG_JSONW_JSONC_FLAGS for the same values, so that both paths print the same line.
 */
#ifndef VIGIL_JSONW_H
#define VIGIL_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <json-c/json_object.h>

/* The json-c serialisation this writer reproduces byte for byte. */
#define VG_JSONW_JSONC_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

struct vg_jsonw {
	char *buf;
	size_t len, cap;
	bool comma;  /* a value was written at this level: the next member or element needs ',' */
	bool failed; /* out of memory: what the buffer holds is not the whole line */
};

/* Empties w for a new line, keeping its memory. A zeroed struct is an empty writer. */
static inline void vg_jsonw_reset(struct vg_jsonw *w)
{
	w->len = 0;
	w->comma = false;
	w->failed = false;
}

void vg_jsonw_free(struct vg_jsonw *w);

/*
 * The writes per member are small and many: inline, so that a constant length (a key, "true")
 * becomes a move rather than a call to memcpy. The vg_jsonw__ functions are the writer's own.
 */
bool vg_jsonw__grow(struct vg_jsonw *w, size_t n);

/* Room for n more bytes; false (and w failed) if there is none to be had. */
static inline bool vg_jsonw__reserve(struct vg_jsonw *w, size_t n)
{
	if (w->failed)
		return false;
	return w->cap - w->len >= n || vg_jsonw__grow(w, n);
}

/* Where a value (or key) of at most n bytes goes, after the comma it may need; NULL: none. */
static inline char *vg_jsonw__start(struct vg_jsonw *w, size_t n)
{
	char *out;

	if (!vg_jsonw__reserve(w, n + 1))
		return NULL;
	out = w->buf + w->len;
	if (w->comma)
		*out++ = ',';
	return out;
}

/* After a value ending at out: the next member or element needs its comma. */
static inline void vg_jsonw__end(struct vg_jsonw *w, char *out)
{
	w->len = (size_t)(out - w->buf);
	w->comma = true;
}

static inline void vg_jsonw__put(struct vg_jsonw *w, const char *s, size_t n)
{
	char *out = vg_jsonw__start(w, n);

	if (!out)
		return;
	memcpy(out, s, n);
	vg_jsonw__end(w, out + n);
}

static inline void vg_jsonw__close(struct vg_jsonw *w, char c)
{
	if (!vg_jsonw__reserve(w, 1))
		return;
	w->buf[w->len++] = c;
	w->comma = true;
}

static inline void vg_jsonw_open_object(struct vg_jsonw *w)
{
	vg_jsonw__put(w, "{", 1);
	w->comma = false;
}

static inline void vg_jsonw_close_object(struct vg_jsonw *w)
{
	vg_jsonw__close(w, '}');
}

static inline void vg_jsonw_open_array(struct vg_jsonw *w)
{
	vg_jsonw__put(w, "[", 1);
	w->comma = false;
}

static inline void vg_jsonw_close_array(struct vg_jsonw *w)
{
	vg_jsonw__close(w, ']');
}

/* A member's key; its value is the next thing written. */
void vg_jsonw_key(struct vg_jsonw *w, const char *key);
/*
 * The same for a key already quoted, colon included, n bytes: VG_JSONW_KEY(w, "pid") writes
 * the literal "pid" so. Only for keys JSON needs no escape in (letters, digits, '_').
 */
static inline void vg_jsonw_key_raw(struct vg_jsonw *w, const char *quoted, size_t n)
{
	vg_jsonw__put(w, quoted, n);
	w->comma = false;
}
#define VG_JSONW_QUOTED_KEY(key) "\"" key "\":", sizeof("\"" key "\":") - 1
#define VG_JSONW_KEY(w, key)	 vg_jsonw_key_raw(w, VG_JSONW_QUOTED_KEY(key))

/* n bytes as a JSON string; invalid UTF-8 becomes U+FFFD as in vg_json_string_len(). */
void vg_jsonw_string(struct vg_jsonw *w, const char *s, size_t n);

/* A NUL terminated string; NULL is written as "". */
static inline void vg_jsonw_str(struct vg_jsonw *w, const char *s)
{
	s = s ? s : "";
	vg_jsonw_string(w, s, strlen(s));
}

void vg_jsonw_int(struct vg_jsonw *w, int64_t v);

static inline void vg_jsonw_bool(struct vg_jsonw *w, bool v)
{
	if (v)
		vg_jsonw__put(w, "true", 4);
	else
		vg_jsonw__put(w, "false", 5);
}

static inline void vg_jsonw_null(struct vg_jsonw *w)
{
	vg_jsonw__put(w, "null", 4);
}

/* A value already in JSON form (n bytes), written as it is. */
static inline void vg_jsonw_raw(struct vg_jsonw *w, const char *json, size_t n)
{
	vg_jsonw__put(w, json, n);
}

/* Bytes appended outside the JSON structure (a line's '\n'): no comma, no escaping. */
static inline void vg_jsonw_append(struct vg_jsonw *w, const char *s, size_t n)
{
	if (!vg_jsonw__reserve(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/*
 * Length of the valid UTF-8 sequence at s (n bytes, n > 0), or 0 if it is not one: overlong
 * forms, surrogates and code points beyond U+10FFFF are not.
 */
size_t vg_utf8_seq_len(const unsigned char *s, size_t n);

#endif
