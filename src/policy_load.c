// SPDX-License-Identifier: GPL-2.0
/* Loading policy files, with errors that point at FILE:LINE:COL and name the fix. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "container.h"
#include "event.h"
#include "policy.h"
#include "policy_internal.h"
#include "policy_json.h"

#define POLICY_FILE_MAX (4u << 20) /* a policy is a few KiB; refuse to slurp a wrong file */

/* ---- loading ---- */

struct loader {
	const char *name;
	char *err;
	size_t errlen;
	bool oom;
};

static int __attribute__((format(printf, 4, 5)))
bad(struct loader *l, unsigned int line, unsigned int col, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!l->err || !l->errlen)
		return -EINVAL;
	n = snprintf(l->err, l->errlen, "%s:%u:%u: ", l->name, line, col);
	if (n >= 0 && (size_t)n < l->errlen) {
		va_start(ap, fmt);
		vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int oom(struct loader *l)
{
	l->oom = true;
	if (l->err && l->errlen)
		snprintf(l->err, l->errlen, "%s: out of memory", l->name);
	return -ENOMEM;
}

/* A value quoted for a one-line message: escapes control characters, cuts long ones. */
#define QUOTE_MAX 80
static const char *quote(const char *s, char buf[QUOTE_MAX])
{
	size_t o = 0;

	buf[o++] = '"';
	for (; *s && o < QUOTE_MAX - 8; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			o += (size_t)snprintf(buf + o, QUOTE_MAX - o,
					      c == '"' || c == '\\' ? "\\%c" : "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	if (*s) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* Optimal string alignment distance, case-insensitive; large for long words. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[CAP_NAME_MAX + 1][CAP_NAME_MAX + 1];

	if (la > CAP_NAME_MAX || lb > CAP_NAME_MAX)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t v = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/*
 * The candidate a typo most likely meant: the closest within 1 edit (2 for words of 6 or
 * more letters), else one that contains the word ("egress" -> "allowed_egress"). NULL if none.
 */
static const char *suggest(const char *word, const char *const *candidates, size_t n)
{
	size_t best_d = (size_t)-1, i, limit = strlen(word) >= 6 ? 2 : 1;
	const char *best = NULL;

	for (i = 0; i < n; i++) {
		size_t d;

		if (!candidates[i])
			continue;
		d = edit_distance(word, candidates[i]);
		if (d <= limit && d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	if (best || strlen(word) < 4)
		return best;
	for (i = 0; i < n; i++) {
		if (candidates[i] && strcasestr(candidates[i], word))
			return candidates[i];
	}
	return NULL;
}

/* " (did you mean \"x\"?)" or "" */
static const char *did_you_mean(const char *s, char *buf, size_t size)
{
	if (!s)
		return "";
	snprintf(buf, size, " (did you mean \"%s\"?)", s);
	return buf;
}

/* What is wrong with a glob, NULL if nothing; fnmatch itself accepts anything. */
static const char *glob_problem(const char *g)
{
	const char *p;

	if (!*g)
		return "an empty glob matches nothing; use \"*\" to match anything";
	for (p = g; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				return "a glob cannot end with a lone backslash";
		} else if (*p == '[') {
			const char *q = p + 1;

			if (*q == '!' || *q == '^')
				q++;
			if (*q == ']')
				q++; /* a leading ']' is a member */
			while (*q && *q != ']')
				q++;
			if (!*q)
				return "unterminated '[' in glob; write \\[ for a literal bracket";
			p = q;
		}
	}
	return NULL;
}

enum entry_key {
	KEY_ALLOW_ROOT,
	KEY_ALLOWED_CAPABILITIES,
	KEY_WRITABLE_PATHS,
	KEY_ALLOWED_EGRESS,
	KEY_SENSITIVE_SOCKETS,
	KEY_ALLOW_MOUNT,
	KEY_ALLOW_PRIVILEGE_ESCALATION,
	KEY_ALLOW_DRIFT,
	KEY_DRIFT_ALLOWED_PATHS,
	KEY_ALLOW_IO_URING,
	KEY_MATCH,
	KEY_COUNT,
};

static const char *const entry_keys[KEY_COUNT] = {
	[KEY_ALLOW_ROOT] = "allow_root",
	[KEY_ALLOWED_CAPABILITIES] = "allowed_capabilities",
	[KEY_WRITABLE_PATHS] = "writable_paths",
	[KEY_ALLOWED_EGRESS] = "allowed_egress",
	[KEY_SENSITIVE_SOCKETS] = "sensitive_sockets",
	[KEY_ALLOW_MOUNT] = "allow_mount",
	[KEY_ALLOW_PRIVILEGE_ESCALATION] = "allow_privilege_escalation",
	[KEY_ALLOW_DRIFT] = "allow_drift",
	[KEY_DRIFT_ALLOWED_PATHS] = "drift_allowed_paths",
	[KEY_ALLOW_IO_URING] = "allow_io_uring",
	[KEY_MATCH] = "match",
};

const char *const vg_policy_match_keys[MATCH_KEY_COUNT] = {"id",      "name", "image",
							   "runtime", "pod",  "namespace"};

static const char *const top_keys[] = {"version", "default", "containers"};
#define TOP_KEY_COUNT (sizeof(top_keys) / sizeof(top_keys[0]))

static int key_index(const char *key, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(key, keys[i]))
			return (int)i;
	}
	return -1;
}

static int unknown_key(struct loader *l, const struct pj_member *m, const char *where,
		       const char *const *keys, size_t n)
{
	char q[QUOTE_MAX], hint[QUOTE_MAX + 24];

	return bad(l, m->line, m->col, "unknown key %s in \"%s\"%s", quote(m->key, q), where,
		   did_you_mean(suggest(m->key, keys, n), hint, sizeof(hint)));
}

static int duplicate_key(struct loader *l, const struct pj_member *m, const struct pj_member *first,
			 const char *where)
{
	char q[QUOTE_MAX];

	return bad(l, m->line, m->col, "duplicate key %s in \"%s\" (first at line %u, column %u)",
		   quote(m->key, q), where, first->line, first->col);
}

static int load_bool(struct loader *l, const struct pj_member *m, const char *where, bool *out)
{
	if (m->value.type != PJ_BOOL)
		return bad(l, m->value.line, m->value.col,
			   "\"%s\" in \"%s\" must be true or false (found %s)", m->key, where,
			   pj_type_desc(m->value.type));
	*out = m->value.boolean;
	return 0;
}

/* Checks that m is an array of strings; example shows the expected shape. */
static int check_string_array(struct loader *l, const struct pj_member *m, const char *where,
			      const char *example)
{
	size_t i;

	if (m->value.type != PJ_ARRAY)
		return bad(l, m->value.line, m->value.col,
			   "\"%s\" in \"%s\" must be an array of strings, like %s (found %s)",
			   m->key, where, example, pj_type_desc(m->value.type));
	for (i = 0; i < m->value.n; i++) {
		const struct pj_node *item = &m->value.items[i];

		if (item->type != PJ_STRING)
			return bad(l, item->line, item->col, "%s[%zu] must be a string (found %s)",
				   m->key, i, pj_type_desc(item->type));
	}
	return 0;
}

/* The capability a misspelt name most likely meant, compared without the "CAP_" prefix. */
static const char *suggest_capability(const char *name)
{
	const char *bare[VG_CAP_LAST + 1];
	const char *guess;
	int cap;

	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	for (cap = 0; cap <= VG_CAP_LAST; cap++) {
		const char *full = vg_cap_name((unsigned int)cap);

		bare[cap] = full && !strncmp(full, "CAP_", 4) ? full + 4 : full;
	}
	guess = suggest(name, bare, VG_CAP_LAST + 1);
	if (!guess)
		return NULL;
	for (cap = 0; cap <= VG_CAP_LAST; cap++) {
		if (bare[cap] == guess)
			return vg_cap_name((unsigned int)cap);
	}
	return NULL;
}

static int load_capabilities(struct loader *l, const struct pj_member *m, const char *where,
			     __u64 *out)
{
	__u64 mask = 0;
	size_t i;
	int ret = check_string_array(l, m, where, "[\"CAP_NET_BIND_SERVICE\"]");

	if (ret)
		return ret;
	for (i = 0; i < m->value.n; i++) {
		const struct pj_node *item = &m->value.items[i];
		const char *name = item->string;
		int cap = vg_policy_cap_parse(name);
		char q[QUOTE_MAX], hint[QUOTE_MAX + 24];

		if (cap >= 0 && cap < 64) {
			mask |= 1ull << cap;
			continue;
		}
		if (!strcasecmp(name, "ALL") || !strcasecmp(name, "CAP_ALL"))
			return bad(l, item->line, item->col,
				   "allowed_capabilities[%zu] %s: not a capability; list the "
				   "capabilities the container needs one by one",
				   i, quote(name, q));
		return bad(l, item->line, item->col,
			   "allowed_capabilities[%zu] %s: unknown capability%s", i, quote(name, q),
			   did_you_mean(suggest_capability(name), hint, sizeof(hint)));
	}
	*out = mask;
	return 0;
}

static int replace_strings(struct loader *l, const struct pj_node *array, char ***v, size_t *n)
{
	char **fresh = NULL;
	size_t count = 0, i;

	for (i = 0; i < array->n; i++) {
		if (vg_policy_strv_push(&fresh, &count, array->items[i].string)) {
			vg_policy_strv_free(fresh, count);
			return oom(l);
		}
	}
	vg_policy_strv_free(*v, *n);
	*v = fresh;
	*n = count;
	return 0;
}

/* An array of absolute paths, stored normalised into *out (writable_paths, drift_allowed_paths) */
static int load_path_list(struct loader *l, const struct pj_member *m, const char *where,
			  const char *key, char ***out, size_t *n_out)
{
	char norm[PATH_BUF];
	char **fresh = NULL;
	size_t count = 0, i;
	int ret = check_string_array(l, m, where, "[\"/tmp\", \"/var/cache/app\"]");

	if (ret)
		return ret;
	for (i = 0; i < m->value.n; i++) {
		const struct pj_node *item = &m->value.items[i];
		char q[QUOTE_MAX];

		if (item->string[0] != '/' || !vg_path_normalize(item->string, norm, sizeof(norm))) {
			vg_policy_strv_free(fresh, count);
			return bad(l, item->line, item->col, "%s[%zu] %s: %s", key, i,
				   quote(item->string, q),
				   item->string[0] != '/'
					   ? "must be an absolute path (starting with \"/\")"
					   : "path too long");
		}
		/* stored normalised: "/tmp/" and "/tmp/./" mean "/tmp" */
		if (vg_policy_strv_push(&fresh, &count, norm)) {
			vg_policy_strv_free(fresh, count);
			return oom(l);
		}
	}
	vg_policy_strv_free(*out, *n_out);
	*out = fresh;
	*n_out = count;
	return 0;
}

static int load_sensitive_sockets(struct loader *l, const struct pj_member *m, const char *where,
				  struct vg_policy_entry *e)
{
	size_t i;
	int ret = check_string_array(l, m, where, "[\"/var/run/docker.sock\"]");

	if (ret)
		return ret;
	for (i = 0; i < m->value.n; i++) {
		const struct pj_node *item = &m->value.items[i];
		const char *problem = glob_problem(item->string);
		char q[QUOTE_MAX];

		if (!problem && item->string[0] != '/' && item->string[0] != '@' &&
		    item->string[0] != '*')
			problem = "must be an absolute path (globs allowed) or an abstract socket "
				  "name starting with \"@\"";
		if (problem)
			return bad(l, item->line, item->col, "sensitive_sockets[%zu] %s: %s", i,
				   quote(item->string, q), problem);
	}
	return replace_strings(l, &m->value, &e->sensitive_sockets, &e->n_sensitive_sockets);
}

static int load_egress(struct loader *l, const struct pj_member *m, const char *where,
		       struct vg_policy_entry *e)
{
	struct vg_egress *fresh = NULL;
	size_t i;
	int ret = check_string_array(l, m, where, "[\"10.0.0.0/8:5432\", \"0.0.0.0/0:443\"]");

	if (ret)
		return ret;
	if (m->value.n) {
		fresh = calloc(m->value.n, sizeof(*fresh));
		if (!fresh)
			return oom(l);
	}
	for (i = 0; i < m->value.n; i++) {
		const struct pj_node *item = &m->value.items[i];
		char why[160], q[QUOTE_MAX];

		if (vg_egress_parse_explain(item->string, &fresh[i], why, sizeof(why))) {
			free(fresh);
			return bad(l, item->line, item->col, "allowed_egress[%zu] %s: %s", i,
				   quote(item->string, q), why);
		}
	}
	free(e->allowed_egress);
	e->allowed_egress = fresh;
	e->n_allowed_egress = m->value.n;
	return 0;
}

static int load_match(struct loader *l, const struct pj_member *m, const char *where,
		      struct vg_policy_match *out)
{
	char **fields[MATCH_KEY_COUNT] = {&out->id,	 &out->name, &out->image,
					  &out->runtime, &out->pod,  &out->namespace};
	const struct pj_member *seen[MATCH_KEY_COUNT] = {0};
	char inner[64];
	size_t i;

	snprintf(inner, sizeof(inner), "%s.match", where);
	if (m->value.type != PJ_OBJECT)
		return bad(l, m->value.line, m->value.col,
			   "\"match\" in \"%s\" must be an object of globs, like "
			   "{\"image\": \"nginx:*\"} (found %s)",
			   where, pj_type_desc(m->value.type));
	for (i = 0; i < m->value.n; i++) {
		const struct pj_member *f = &m->value.members[i];
		int k = key_index(f->key, vg_policy_match_keys, MATCH_KEY_COUNT);
		const char *problem;
		char q[QUOTE_MAX];

		if (k < 0)
			return unknown_key(l, f, inner, vg_policy_match_keys, MATCH_KEY_COUNT);
		if (seen[k])
			return duplicate_key(l, f, seen[k], inner);
		seen[k] = f;
		if (f->value.type != PJ_STRING)
			return bad(l, f->value.line, f->value.col,
				   "%s.%s must be a string glob, like \"web-*\" (found %s)", inner,
				   f->key, pj_type_desc(f->value.type));
		problem = glob_problem(f->value.string);
		if (problem)
			return bad(l, f->value.line, f->value.col, "%s.%s %s: %s", inner, f->key,
				   quote(f->value.string, q), problem);
		if (!strcmp(f->key, "runtime")) {
			const char *runtimes[VG_RT_NSPAWN + 1];
			bool any = false;
			char hint[QUOTE_MAX + 24];

			for (int rt = VG_RT_UNKNOWN; rt <= VG_RT_NSPAWN; rt++) {
				runtimes[rt] = vg_runtime_name((enum vg_runtime)rt);
				any |= !fnmatch(f->value.string, runtimes[rt], 0);
			}
			if (!any)
				return bad(l, f->value.line, f->value.col,
					   "%s.runtime %s matches no runtime; runtimes are docker, "
					   "containerd, crio, podman, lxc, nspawn, unknown%s",
					   inner, quote(f->value.string, q),
					   did_you_mean(suggest(f->value.string, runtimes,
								VG_RT_NSPAWN + 1),
							hint, sizeof(hint)));
		}
		*fields[k] = strdup(f->value.string);
		if (!*fields[k])
			return oom(l);
	}
	return 0;
}

/*
 * Loads an entry object over *e, which holds what it inherits: each key given replaces the
 * inherited value (lists too: they replace, never merge).
 */
static int load_entry(struct loader *l, const struct pj_node *obj, const char *where,
		      bool is_container, struct vg_policy_entry *e)
{
	const struct pj_member *seen[KEY_COUNT] = {0};
	size_t nkeys = is_container ? KEY_COUNT : KEY_COUNT - 1;
	size_t i;
	int ret = 0;

	if (obj->type != PJ_OBJECT)
		return bad(l, obj->line, obj->col,
			   "\"%s\" must be an object of policy keys, like {\"allow_root\": false} "
			   "(found %s)",
			   where, pj_type_desc(obj->type));
	for (i = 0; i < obj->n && !ret; i++) {
		const struct pj_member *m = &obj->members[i];
		int k = key_index(m->key, entry_keys, KEY_COUNT);

		if (k == KEY_MATCH && !is_container)
			return bad(
				l, m->line, m->col,
				"\"match\" is not allowed in \"default\", which applies to every "
				"container; put it in an entry of \"containers\"");
		if (k < 0)
			return unknown_key(l, m, where, entry_keys, nkeys);
		if (seen[k])
			return duplicate_key(l, m, seen[k], where);
		seen[k] = m;
		switch ((enum entry_key)k) {
		case KEY_ALLOW_ROOT:
			ret = load_bool(l, m, where, &e->allow_root);
			break;
		case KEY_ALLOW_MOUNT:
			ret = load_bool(l, m, where, &e->allow_mount);
			break;
		case KEY_ALLOW_PRIVILEGE_ESCALATION:
			ret = load_bool(l, m, where, &e->allow_privilege_escalation);
			break;
		case KEY_ALLOWED_CAPABILITIES:
			ret = load_capabilities(l, m, where, &e->allowed_capabilities);
			break;
		case KEY_WRITABLE_PATHS:
			ret = load_path_list(l, m, where, "writable_paths", &e->writable_paths,
					     &e->n_writable_paths);
			break;
		case KEY_ALLOW_DRIFT:
			ret = load_bool(l, m, where, &e->allow_drift);
			break;
		case KEY_ALLOW_IO_URING:
			ret = load_bool(l, m, where, &e->allow_io_uring);
			break;
		case KEY_DRIFT_ALLOWED_PATHS:
			ret = load_path_list(l, m, where, "drift_allowed_paths",
					     &e->drift_allowed_paths, &e->n_drift_allowed_paths);
			break;
		case KEY_ALLOWED_EGRESS:
			ret = load_egress(l, m, where, e);
			break;
		case KEY_SENSITIVE_SOCKETS:
			ret = load_sensitive_sockets(l, m, where, e);
			break;
		case KEY_MATCH:
			ret = load_match(l, m, where, &e->match);
			break;
		case KEY_COUNT:
			break;
		}
	}
	if (!ret && is_container && !seen[KEY_MATCH])
		return bad(l, obj->line, obj->col,
			   "\"%s\" has no \"match\"; say which containers it is for, like "
			   "\"match\": {\"name\": \"web-*\"} (\"match\": {} for all)",
			   where);
	return ret;
}

static int load_version(struct loader *l, const struct pj_member *m)
{
	const struct pj_node *v = &m->value;

	if (v->type == PJ_NUMBER && v->is_integer && v->integer == POLICY_VERSION)
		return 0;
	if (v->type == PJ_NUMBER && v->is_integer && v->integer > POLICY_VERSION)
		return bad(l, v->line, v->col,
			   "policy version %lld is newer than this vigil understands (it reads "
			   "version %d); upgrade vigil",
			   v->integer, POLICY_VERSION);
	if (v->type == PJ_NUMBER)
		return bad(l, v->line, v->col, "\"version\" must be %d", POLICY_VERSION);
	return bad(l, v->line, v->col, "\"version\" must be the number %d (found %s)",
		   POLICY_VERSION, pj_type_desc(v->type));
}

static int load_containers(struct loader *l, const struct pj_member *m, struct vg_policy *p)
{
	size_t i;

	if (m->value.type != PJ_ARRAY)
		return bad(l, m->value.line, m->value.col,
			   "\"containers\" must be an array of entries, like [{\"match\": "
			   "{\"name\": \"web-*\"}, \"allow_root\": true}] (found %s)",
			   pj_type_desc(m->value.type));
	if (!m->value.n)
		return 0;
	p->containers = calloc(m->value.n, sizeof(*p->containers));
	if (!p->containers)
		return oom(l);
	for (i = 0; i < m->value.n; i++) {
		struct vg_policy_entry *e = &p->containers[i];
		char where[48];
		int ret;

		p->n_containers = i + 1; /* so that a failure frees what was built */
		snprintf(where, sizeof(where), "containers[%zu]", i);
		if (vg_policy_entry_copy_keys(e, &p->def))
			return oom(l);
		ret = load_entry(l, &m->value.items[i], where, true, e);
		if (ret)
			return ret;
	}
	return 0;
}

static int load_tree(struct loader *l, const struct pj_node *root, struct vg_policy *p)
{
	const struct pj_member *seen[TOP_KEY_COUNT] = {0};
	size_t i;
	int ret;

	if (root->type != PJ_OBJECT)
		return bad(l, root->line, root->col,
			   "a policy is a JSON object: {\"version\": 1, \"default\": {...}, "
			   "\"containers\": [...]} (found %s)",
			   pj_type_desc(root->type));
	for (i = 0; i < root->n; i++) {
		const struct pj_member *m = &root->members[i];
		int k = key_index(m->key, top_keys, TOP_KEY_COUNT);

		if (k < 0) {
			if (key_index(m->key, entry_keys, KEY_COUNT) >= 0) {
				char q[QUOTE_MAX];

				return bad(l, m->line, m->col,
					   "%s belongs inside \"default\" (or a \"containers\" "
					   "entry), not at the top level",
					   quote(m->key, q));
			}
			return unknown_key(l, m, "the top level", top_keys, TOP_KEY_COUNT);
		}
		if (seen[k])
			return duplicate_key(l, m, seen[k], "the top level");
		seen[k] = m;
	}
	if (seen[0]) {
		ret = load_version(l, seen[0]);
		if (ret)
			return ret;
	}
	vg_policy_builtin_entry(&p->def);
	if (seen[1]) {
		ret = load_entry(l, &seen[1]->value, "default", false, &p->def);
		if (ret)
			return ret;
	}
	if (seen[2])
		return load_containers(l, seen[2], p);
	return 0;
}

int vg_policy_load_buffer(const char *name, const char *text, size_t len, struct vg_policy **out,
			  char *err, size_t errlen)
{
	struct loader l = {.name = name ? name : "policy", .err = err, .errlen = errlen};
	struct pj_node root;
	struct pj_error perr;
	struct vg_policy *p;
	int ret;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	ret = pj_parse(text, len, &root, &perr);
	if (ret == -ENOMEM)
		return oom(&l);
	if (ret)
		return bad(&l, perr.line, perr.col, "%s", perr.message);
	p = calloc(1, sizeof(*p));
	if (!p || !(p->source = strdup(l.name))) {
		free(p);
		pj_free(&root);
		return oom(&l);
	}
	ret = load_tree(&l, &root, p);
	pj_free(&root);
	if (ret) {
		vg_policy_free(p);
		return l.oom ? -ENOMEM : ret;
	}
	*out = p;
	return 0;
}

int vg_policy_load_file(const char *path, struct vg_policy **out, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0, cap = 0;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot open the policy file: %s", path, strerror(-ret));
		return ret;
	}
	/* read to EOF rather than trust st_size: /dev/stdin and pipes work too */
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *grown;

			if (cap >= POLICY_FILE_MAX) {
				snprintf(err, errlen,
					 "%s: larger than %u MiB; is this really a policy file?",
					 path, POLICY_FILE_MAX >> 20);
				ret = -EFBIG;
				goto out;
			}
			cap = cap ? cap * 2 : 16384;
			grown = realloc(text, cap);
			if (!grown) {
				snprintf(err, errlen, "%s: out of memory", path);
				ret = -ENOMEM;
				goto out;
			}
			text = grown;
		}
		n = read(fd, text + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, errlen, "%s: cannot read the policy file: %s", path,
				 strerror(-ret));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	ret = vg_policy_load_buffer(path, text ? text : "", len, out, err, errlen);
out:
	free(text);
	close(fd);
	return ret;
}

