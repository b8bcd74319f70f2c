// SPDX-License-Identifier: GPL-2.0
/*
 * Policy files: loading with errors that point at FILE:LINE:COL and name the fix, the built-in
 * policy, entry selection, and the matching helpers the rules and profiles share.
 */
#include <arpa/inet.h>
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

#include <json-c/json.h>

#include "container.h"
#include "event.h"
#include "jsonutil.h"
#include "policy.h"
#include "policy_json.h"

#define POLICY_VERSION	1
#define POLICY_FILE_MAX (4u << 20) /* a policy is a few KiB; refuse to slurp a wrong file */
#define PATH_BUF	4096	   /* the kernel's PATH_MAX: no longer path reaches a system call */
#define CAP_NAME_MAX	64

static const char *const builtin_writable_paths[] = {"/tmp", "/run"};

/*
 * Container runtime API sockets, each in both the /run and /var/run spellings (images differ
 * in whether /var/run links to /run). A container that can reach one controls the host.
 */
static const char *const runtime_socket_paths[] = {
	"docker.sock",
	"containerd/containerd.sock",
	"containerd/containerd.sock.ttrpc",
	"containerd/s/*", /* containerd shim sockets */
	"crio/crio.sock",
	"podman/podman.sock",
	"user/*/podman/podman.sock", /* rootless podman */
	"user/*/docker.sock",	     /* rootless docker */
	"k3s/containerd/containerd.sock",
	"cri-dockerd.sock",
};
/* containerd shims before 1.4 listened on abstract sockets (CVE-2020-15257) */
static const char *const runtime_abstract_sockets[] = {"@/containerd-shim/*"};

/* ---- small string helpers ---- */

static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int strv_dup(char *const *src, size_t n, char ***out)
{
	char **v;
	size_t i;

	*out = NULL;
	if (!n)
		return 0;
	v = calloc(n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		v[i] = strdup(src[i]);
		if (!v[i]) {
			strv_free(v, i);
			return -ENOMEM;
		}
	}
	*out = v;
	return 0;
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	char **grown = realloc(*v, (*n + 1) * sizeof(**v));
	char *copy;

	if (!grown)
		return -ENOMEM;
	*v = grown;
	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	grown[(*n)++] = copy;
	return 0;
}

static void match_clear(struct vg_policy_match *m)
{
	free(m->id);
	free(m->name);
	free(m->image);
	free(m->runtime);
	free(m->pod);
	free(m->namespace);
	memset(m, 0, sizeof(*m));
}

static void entry_clear(struct vg_policy_entry *e)
{
	match_clear(&e->match);
	strv_free(e->writable_paths, e->n_writable_paths);
	strv_free(e->drift_allowed_paths, e->n_drift_allowed_paths);
	free(e->allowed_egress);
	strv_free(e->sensitive_sockets, e->n_sensitive_sockets);
	memset(e, 0, sizeof(*e));
}

/* Copies every key but match: how an entry inherits from the default. */
static int entry_copy_keys(struct vg_policy_entry *dst, const struct vg_policy_entry *src)
{
	dst->allow_root = src->allow_root;
	dst->allow_mount = src->allow_mount;
	dst->allow_privilege_escalation = src->allow_privilege_escalation;
	dst->allowed_capabilities = src->allowed_capabilities;
	dst->allow_drift = src->allow_drift;
	if (strv_dup(src->writable_paths, src->n_writable_paths, &dst->writable_paths))
		return -ENOMEM;
	if (strv_dup(src->drift_allowed_paths, src->n_drift_allowed_paths,
		     &dst->drift_allowed_paths))
		return -ENOMEM;
	dst->n_drift_allowed_paths = src->n_drift_allowed_paths;
	dst->n_writable_paths = src->n_writable_paths;
	if (strv_dup(src->sensitive_sockets, src->n_sensitive_sockets, &dst->sensitive_sockets))
		return -ENOMEM;
	dst->n_sensitive_sockets = src->n_sensitive_sockets;
	if (src->n_allowed_egress) {
		dst->allowed_egress = malloc(src->n_allowed_egress * sizeof(*src->allowed_egress));
		if (!dst->allowed_egress)
			return -ENOMEM;
		memcpy(dst->allowed_egress, src->allowed_egress,
		       src->n_allowed_egress * sizeof(*src->allowed_egress));
	}
	dst->n_allowed_egress = src->n_allowed_egress;
	return 0;
}

/*
 * Lexical normalisation: collapses "//", drops "." and resolves ".." against the component
 * before it ("/.." stays "/", as in the kernel; a relative path keeps its leading ".."s).
 * Symlinks are not followed: the path may not even exist in this mount namespace.
 * Returns false when out is too small.
 */
bool vg_path_normalize(const char *in, char *out, size_t size)
{
	bool absolute = in[0] == '/';
	size_t len = 0, floor_len = 0; /* relative: out[0..floor_len) is "../.." */
	const char *p = in;

	if (size < 2)
		return false;
	if (absolute)
		out[len++] = '/';
	while (*p) {
		const char *comp;
		size_t clen;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		comp = p;
		while (*p && *p != '/')
			p++;
		clen = (size_t)(p - comp);
		if (clen == 1 && comp[0] == '.')
			continue;
		if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
			if (absolute) {
				while (len > 1 && out[len - 1] != '/')
					len--;
				if (len > 1)
					len--; /* the separator, unless it is the root */
				continue;
			}
			if (len > floor_len) {
				while (len > floor_len && out[len - 1] != '/')
					len--;
				if (len > floor_len)
					len--;
				continue;
			}
			/* nothing left to pop: the ".." stays, and can never be popped */
		}
		bool sep = absolute ? len > 1 : len > 0;

		if (len + sep + clen + 1 > size)
			return false;
		if (sep)
			out[len++] = '/';
		memcpy(out + len, comp, clen);
		len += clen;
		if (!absolute && clen == 2 && comp[0] == '.' && comp[1] == '.')
			floor_len = len;
	}
	if (!absolute && len == 0)
		out[len++] = '.';
	out[len] = '\0';
	return true;
}

/* ---- capabilities ---- */

/* "CAP_NET_RAW", "cap_net_raw", "NET_RAW", "net_raw" -> 13; -1 if unknown. */
static int cap_parse(const char *name)
{
	char upper[CAP_NAME_MAX + 4] = "CAP_";
	size_t i, len;

	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	len = strlen(name);
	if (len == 0 || len >= CAP_NAME_MAX)
		return -1;
	for (i = 0; i < len; i++)
		upper[4 + i] = (char)toupper((unsigned char)name[i]);
	upper[4 + len] = '\0';
	return vg_cap_from_name(upper);
}

/* ---- egress ---- */

static int explain(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int explain(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

/* A decimal number no larger than max, without sign, spaces or excess digits. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!all_digits(s) || strlen(s) > 6)
		return false;
	for (; *s; s++)
		v = v * 10 + (unsigned long)(*s - '0');
	if (v > max)
		return false;
	*out = v;
	return true;
}

static int parse_ports(const char *text, struct vg_egress *out, char *why, size_t whylen)
{
	unsigned long lo, hi;
	char buf[16];
	char *dash;

	if (!strcmp(text, "*")) {
		out->port_lo = 0;
		out->port_hi = 65535;
		return 0;
	}
	if (strlen(text) >= sizeof(buf))
		goto bad;
	strcpy(buf, text);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (!parse_uint(buf, 65535, &lo) || (dash && !parse_uint(dash + 1, 65535, &hi)))
		goto bad;
	if (!dash)
		hi = lo;
	if (lo > hi)
		return explain(why, whylen, "port range %lu-%lu is reversed; write %lu-%lu", lo, hi,
			       hi, lo);
	out->port_lo = (__u16)lo;
	out->port_hi = (__u16)hi;
	return 0;
bad:
	return explain(why, whylen,
		       "port \"%s\" must be a number 0-65535, a range LOW-HIGH, or * for any port",
		       text);
}

static void mask_host_bits(__u8 *addr, unsigned int bytes, unsigned int prefix)
{
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		unsigned int bits = prefix > i * 8 ? prefix - i * 8 : 0;

		if (bits < 8)
			addr[i] &= (__u8)(0xff00u >> bits);
	}
}

static int parse_cidr(const char *text, struct vg_egress *out, char *why, size_t whylen)
{
	char addr[INET6_ADDRSTRLEN + 8];
	char *slash;
	unsigned long prefix;
	bool v6 = strchr(text, ':') != NULL;
	unsigned int max = v6 ? 128 : 32;

	if (!*text)
		return explain(why, whylen, "missing address before the port");
	if (strlen(text) >= sizeof(addr))
		return explain(why, whylen, "\"%s\" is not an IPv%d address or CIDR", text,
			       v6 ? 6 : 4);
	strcpy(addr, text);
	slash = strchr(addr, '/');
	if (slash)
		*slash = '\0';
	memset(out->addr, 0, sizeof(out->addr));
	out->family = v6 ? AF_INET6 : AF_INET;
	if (inet_pton(out->family, addr, out->addr) != 1)
		return explain(why, whylen, "\"%s\" is not an IPv%d address", addr, v6 ? 6 : 4);
	if (!slash) {
		prefix = max; /* a bare address is one host */
	} else if (!parse_uint(slash + 1, max, &prefix)) {
		return explain(why, whylen, "prefix length must be 0-%u for IPv%d", max,
			       v6 ? 6 : 4);
	}
	out->prefix = (unsigned int)prefix;
	mask_host_bits(out->addr, v6 ? 16 : 4, out->prefix);
	return 0;
}

int vg_egress_parse_explain(const char *text, struct vg_egress *out, char *why, size_t whylen)
{
	char buf[128];
	char *cidr, *ports, *colon;
	struct vg_egress e = {0};
	int ret;

	if (!text || !*text)
		return explain(why, whylen,
			       "empty; write CIDR:PORT, CIDR:* or CIDR:LOW-HIGH (10.0.0.0/8:443)");
	if (strlen(text) >= sizeof(buf))
		return explain(why, whylen, "too long to be CIDR:PORT");
	/* what follows quotes parts of text: none may put a control character in the message */
	for (const char *c = text; *c; c++) {
		if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f)
			return explain(why, whylen,
				       "a CIDR:PORT is printable ASCII without spaces (10.0.0.0/8:443)");
	}
	strcpy(buf, text);
	if (buf[0] == '[') {
		/* [2001:db8::/32]:443, the URL spelling */
		char *close = strchr(buf, ']');

		if (!close || close[1] != ':')
			return explain(why, whylen,
				       "write [IPv6-CIDR]:PORT with the port after \"]:\"");
		*close = '\0';
		cidr = buf + 1;
		ports = close + 2;
	} else {
		colon = strrchr(buf, ':');
		if (!colon)
			return explain(why, whylen,
				       "missing port; write CIDR:PORT, CIDR:* or CIDR:LOW-HIGH "
				       "(10.0.0.0/8:443)");
		*colon = '\0';
		cidr = buf;
		ports = colon + 1;
	}
	ret = parse_cidr(cidr, &e, why, whylen);
	if (ret) {
		struct vg_egress whole;

		/* "2001:db8::1" split at its last colon: the port is what is missing */
		if (buf[0] != '[' && strchr(text, ':') != strrchr(text, ':') &&
		    !parse_cidr(text, &whole, NULL, 0))
			return explain(why, whylen,
				       "missing port; write %s:PORT, %s:* or %s:LOW-HIGH", text,
				       text, text);
		return ret;
	}
	ret = parse_ports(ports, &e, why, whylen);
	if (ret)
		return ret;
	if (out)
		*out = e;
	return 0;
}

int vg_egress_parse(const char *text, struct vg_egress *out)
{
	return vg_egress_parse_explain(text, out, NULL, 0);
}

const char *vg_egress_format(const struct vg_egress *e, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];
	char ports[16];

	if (!inet_ntop(e->family, e->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	if (e->port_lo == 0 && e->port_hi == 65535)
		snprintf(ports, sizeof(ports), "*");
	else if (e->port_lo == e->port_hi)
		snprintf(ports, sizeof(ports), "%u", e->port_lo);
	else
		snprintf(ports, sizeof(ports), "%u-%u", e->port_lo, e->port_hi);
	snprintf(buf, size, "%s/%u:%s", addr, e->prefix, ports);
	return buf;
}

static bool prefix_equal(const __u8 *a, const __u8 *b, unsigned int prefix)
{
	unsigned int full = prefix / 8, rest = prefix % 8;

	if (memcmp(a, b, full))
		return false;
	if (!rest)
		return true;
	return ((a[full] ^ b[full]) & (__u8)(0xff00u >> rest)) == 0;
}

static const __u8 v4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static bool egress_rule_fits(const struct vg_egress *r, int family, const __u8 *addr,
			     const __u8 *v4)
{
	if (r->family == AF_INET)
		return v4 && prefix_equal(r->addr, v4, r->prefix);
	if (family == AF_INET6)
		return prefix_equal(r->addr, addr, r->prefix);
	/* an IPv4 destination against a rule written in ::ffff:0:0/96 */
	return r->prefix >= 96 && !memcmp(r->addr, v4_mapped_prefix, 12) &&
	       prefix_equal(r->addr + 12, v4, r->prefix - 96);
}

bool vg_policy_egress_allowed(const struct vg_policy_entry *e, int family, const __u8 *addr,
			      __u16 port)
{
	const __u8 *v4 = NULL;
	size_t i;

	if (family == AF_INET)
		v4 = addr;
	else if (family == AF_INET6 && !memcmp(addr, v4_mapped_prefix, 12))
		v4 = addr + 12; /* ::ffff:a.b.c.d is IPv4 traffic on an IPv6 socket */
	else if (family != AF_INET6)
		return false;
	for (i = 0; i < e->n_allowed_egress; i++) {
		const struct vg_egress *r = &e->allowed_egress[i];

		if (port >= r->port_lo && port <= r->port_hi &&
		    egress_rule_fits(r, family, addr, v4))
			return true;
	}
	return false;
}

/* ---- paths and sockets ---- */

bool vg_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return true;
	return !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

/* path is absolute and, normalised, at or below one of list[] (stored normalised at load) */
static bool path_under_any(const char *path, char *const *list, size_t n)
{
	char norm[PATH_BUF];

	/* a relative path's directory is unknown here, so it cannot be shown to be allowed */
	if (!path || path[0] != '/' || !vg_path_normalize(path, norm, sizeof(norm)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (vg_path_under(norm, list[i]))
			return true;
	return false;
}

bool vg_policy_path_writable(const struct vg_policy_entry *e, const char *path)
{
	return path_under_any(path, e->writable_paths, e->n_writable_paths);
}

bool vg_policy_drift_allowed(const struct vg_policy_entry *e, const char *path)
{
	return e->allow_drift ||
	       path_under_any(path, e->drift_allowed_paths, e->n_drift_allowed_paths);
}

static bool allowed_by_all(const struct vg_policy *p, const char *path)
{
	if (!vg_policy_path_writable(&p->def, path))
		return false;
	for (size_t i = 0; i < p->n_containers; i++)
		if (!vg_policy_path_writable(&p->containers[i], path))
			return false;
	return true;
}

static void consider_common(const struct vg_policy *p, const char *w, char (*out)[VG_PREFIX_MAX],
			    size_t max, size_t *n)
{
	char norm[PATH_BUF];
	size_t len;

	if (w[0] != '/' || !vg_path_normalize(w, norm, sizeof(norm)) || !allowed_by_all(p, norm))
		return;
	for (size_t i = 0; i < *n; i++)
		if (vg_path_under(norm, out[i][0] ? out[i] : "/"))
			return; /* already covered */
	len = strlen(norm);
	if (!strcmp(norm, "/"))
		len = 0;
	if (len >= VG_PREFIX_MAX || *n >= max)
		return; /* left to the agent: it only costs the event */
	memcpy(out[*n], norm, len);
	out[*n][len] = 0;
	(*n)++;
}

size_t vg_policy_common_writable(const struct vg_policy *p, char (*out)[VG_PREFIX_MAX], size_t max)
{
	size_t n = 0;

	/* the union of subtrees every entry allows is made of some entry's own paths */
	for (size_t i = 0; i < p->def.n_writable_paths; i++)
		consider_common(p, p->def.writable_paths[i], out, max, &n);
	for (size_t c = 0; c < p->n_containers; c++)
		for (size_t i = 0; i < p->containers[c].n_writable_paths; i++)
			consider_common(p, p->containers[c].writable_paths[i], out, max, &n);
	return n;
}

/* /var/run is a link to /run in nearly every image: a pattern in one spelling covers both. */
static const char *run_alias(const char *path, char *buf, size_t size)
{
	if (!strncmp(path, "/var/run/", 9))
		snprintf(buf, size, "/run/%s", path + 9);
	else if (!strncmp(path, "/run/", 5))
		snprintf(buf, size, "/var/run/%s", path + 5);
	else
		return NULL;
	return buf;
}

/*
 * The last n components of an absolute pattern; NULL if it has fewer, or if its last component
 * is wildcards only (the shim directory pattern), which would make any relative name sensitive.
 */
static const char *pattern_tail(const char *pattern, size_t n)
{
	const char *p = pattern + strlen(pattern), *last = strrchr(pattern, '/');

	if (!last || !last[1] || strspn(last + 1, "*?") == strlen(last + 1))
		return NULL;
	while (p > pattern) {
		p--;
		if (*p == '/' && --n == 0)
			return p + 1;
	}
	return NULL;
}

bool vg_policy_socket_sensitive(const struct vg_policy_entry *e, const char *path)
{
	char norm[PATH_BUF], alias[PATH_BUF + 8];
	const char *alt = NULL, *rel = NULL;
	size_t i, components = 0;

	if (!path || !*path)
		return false;
	if (path[0] == '@') {
		/* abstract names are not paths: matched exactly as given */
		for (i = 0; i < e->n_sensitive_sockets; i++) {
			if (!fnmatch(e->sensitive_sockets[i], path, 0))
				return true;
		}
		return false;
	}
	if (!vg_path_normalize(path, norm, sizeof(norm)))
		return false;
	if (norm[0] == '/') {
		alt = run_alias(norm, alias, sizeof(alias));
	} else {
		/*
		 * connect("docker.sock") from /var/run: the directory is unknown, so a relative
		 * path counts when it is the tail of a sensitive path. Erring towards an alert
		 * here is what keeps "cd /var/run; nc -U docker.sock" from passing unseen.
		 */
		rel = norm;
		while (!strncmp(rel, "../", 3))
			rel += 3;
		if (!strcmp(rel, "..") || !strcmp(rel, "."))
			return false;
		components = 1;
		for (const char *p = rel; *p; p++)
			components += *p == '/';
	}
	for (i = 0; i < e->n_sensitive_sockets; i++) {
		const char *pattern = e->sensitive_sockets[i];

		if (rel) {
			const char *tail =
				pattern[0] == '/' ? pattern_tail(pattern, components) : NULL;

			if ((tail && !fnmatch(tail, rel, 0)) ||
			    (pattern[0] == '*' && !fnmatch(pattern, rel, 0)))
				return true;
			continue;
		}
		if (!fnmatch(pattern, norm, 0) || (alt && !fnmatch(pattern, alt, 0)))
			return true;
	}
	return false;
}

/* ---- selection ---- */

static bool glob_fits(const char *glob, const char *value)
{
	if (!glob)
		return true;
	if (!value)
		return false; /* a constraint on something unknown can't be shown to hold */
	return fnmatch(glob, value, 0) == 0;
}

bool vg_policy_match_fits(const struct vg_policy_match *m, const struct vg_container *c)
{
	if (!c)
		return false;
	return glob_fits(m->id, c->id[0] ? c->id : NULL) && glob_fits(m->name, c->name) &&
	       glob_fits(m->image, c->image) &&
	       glob_fits(m->runtime, vg_runtime_name(c->runtime)) && glob_fits(m->pod, c->pod) &&
	       glob_fits(m->namespace, c->namespace);
}

const struct vg_policy_entry *vg_policy_select(const struct vg_policy *p,
					       const struct vg_container *c)
{
	size_t i;

	for (i = 0; c && i < p->n_containers; i++) {
		if (vg_policy_match_fits(&p->containers[i].match, c))
			return &p->containers[i];
	}
	return &p->def;
}

/* ---- built-in ---- */

static void *must(void *p)
{
	if (!p) {
		fprintf(stderr, "vigil: out of memory building the built-in policy\n");
		abort();
	}
	return p;
}

static void must_push(char ***v, size_t *n, const char *s)
{
	if (strv_push(v, n, s))
		must(NULL);
}

static void builtin_entry(struct vg_policy_entry *e)
{
	char path[PATH_BUF];
	size_t i;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < sizeof(builtin_writable_paths) / sizeof(builtin_writable_paths[0]); i++)
		must_push(&e->writable_paths, &e->n_writable_paths, builtin_writable_paths[i]);
	for (i = 0; i < sizeof(runtime_socket_paths) / sizeof(runtime_socket_paths[0]); i++) {
		snprintf(path, sizeof(path), "/run/%s", runtime_socket_paths[i]);
		must_push(&e->sensitive_sockets, &e->n_sensitive_sockets, path);
		snprintf(path, sizeof(path), "/var/run/%s", runtime_socket_paths[i]);
		must_push(&e->sensitive_sockets, &e->n_sensitive_sockets, path);
	}
	for (i = 0; i < sizeof(runtime_abstract_sockets) / sizeof(runtime_abstract_sockets[0]); i++)
		must_push(&e->sensitive_sockets, &e->n_sensitive_sockets,
			  runtime_abstract_sockets[i]);
}

struct vg_policy *vg_policy_builtin(void)
{
	struct vg_policy *p = must(calloc(1, sizeof(*p)));

	p->source = must(strdup("built-in"));
	builtin_entry(&p->def);
	return p;
}

void vg_policy_free(struct vg_policy *p)
{
	size_t i;

	if (!p)
		return;
	entry_clear(&p->def);
	for (i = 0; i < p->n_containers; i++)
		entry_clear(&p->containers[i]);
	free(p->containers);
	free(p->source);
	vg_sockids_clear(&p->sockets);
	free(p);
}

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
	[KEY_MATCH] = "match",
};

static const char *const match_keys[] = {"id", "name", "image", "runtime", "pod", "namespace"};
#define MATCH_KEY_COUNT (sizeof(match_keys) / sizeof(match_keys[0]))

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
		int cap = cap_parse(name);
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
		if (strv_push(&fresh, &count, array->items[i].string)) {
			strv_free(fresh, count);
			return oom(l);
		}
	}
	strv_free(*v, *n);
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
			strv_free(fresh, count);
			return bad(l, item->line, item->col, "%s[%zu] %s: %s", key, i,
				   quote(item->string, q),
				   item->string[0] != '/'
					   ? "must be an absolute path (starting with \"/\")"
					   : "path too long");
		}
		/* stored normalised: "/tmp/" and "/tmp/./" mean "/tmp" */
		if (strv_push(&fresh, &count, norm)) {
			strv_free(fresh, count);
			return oom(l);
		}
	}
	strv_free(*out, *n_out);
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
		int k = key_index(f->key, match_keys, MATCH_KEY_COUNT);
		const char *problem;
		char q[QUOTE_MAX];

		if (k < 0)
			return unknown_key(l, f, inner, match_keys, MATCH_KEY_COUNT);
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
		if (entry_copy_keys(e, &p->def))
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
	builtin_entry(&p->def);
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

/* ---- back to JSON ---- */


static struct json_object *string_array(char *const *v, size_t n)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; arr && i < n; i++) {
		if (vg_json_append(arr, json_object_new_string(v[i]))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static struct json_object *match_to_json(const struct vg_policy_match *m)
{
	const char *values[MATCH_KEY_COUNT] = {m->id,	   m->name, m->image,
					       m->runtime, m->pod,  m->namespace};
	struct json_object *obj = json_object_new_object();
	size_t i;

	for (i = 0; obj && i < MATCH_KEY_COUNT; i++) {
		if (values[i] && vg_json_add(obj, match_keys[i], json_object_new_string(values[i]))) {
			json_object_put(obj);
			return NULL;
		}
	}
	return obj;
}

static struct json_object *capabilities_to_json(__u64 mask)
{
	struct json_object *arr = json_object_new_array();
	unsigned int cap;

	for (cap = 0; arr && cap < 64; cap++) {
		const char *name = (mask >> cap) & 1 ? vg_cap_name(cap) : NULL;

		if (name && vg_json_append(arr, json_object_new_string(name))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

static struct json_object *egress_to_json(const struct vg_egress *v, size_t n)
{
	struct json_object *arr = json_object_new_array();
	char buf[VG_EGRESS_STR_MAX];
	size_t i;

	for (i = 0; arr && i < n; i++) {
		if (vg_json_append(arr,
			    json_object_new_string(vg_egress_format(&v[i], buf, sizeof(buf))))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

/*
 * with_match: a "containers" entry, which the reader wants a "match" in even when it is empty
 * (it fits every container); the default has none.
 */
static struct json_object *entry_to_json(const struct vg_policy_entry *e, bool with_match)
{
	const struct vg_policy_match *m = &e->match;
	struct json_object *obj = json_object_new_object();

	if (!obj)
		return NULL;
	if ((with_match || m->id || m->name || m->image || m->runtime || m->pod || m->namespace) &&
	    vg_json_add(obj, "match", match_to_json(m)))
		goto fail;
	if (vg_json_add(obj, "allow_root", json_object_new_boolean(e->allow_root)) ||
	    vg_json_add(obj, "allowed_capabilities", capabilities_to_json(e->allowed_capabilities)) ||
	    vg_json_add(obj, "writable_paths", string_array(e->writable_paths, e->n_writable_paths)) ||
	    vg_json_add(obj, "allowed_egress",
		    egress_to_json(e->allowed_egress, e->n_allowed_egress)) ||
	    vg_json_add(obj, "sensitive_sockets",
		    string_array(e->sensitive_sockets, e->n_sensitive_sockets)) ||
	    vg_json_add(obj, "allow_mount", json_object_new_boolean(e->allow_mount)) ||
	    vg_json_add(obj, "allow_privilege_escalation",
		    json_object_new_boolean(e->allow_privilege_escalation)) ||
	    vg_json_add(obj, "allow_drift", json_object_new_boolean(e->allow_drift)) ||
	    vg_json_add(obj, "drift_allowed_paths",
		    string_array(e->drift_allowed_paths, e->n_drift_allowed_paths)))
		goto fail;
	return obj;
fail:
	json_object_put(obj);
	return NULL;
}

struct json_object *vg_policy_entry_to_json(const struct vg_policy_entry *e)
{
	return entry_to_json(e, false);
}

/*
 * A policy file for people to read and edit: two-space indents, "key": value, and a short
 * list of scalars on one line. json-c's pretty printer spreads "[]" over two lines.
 */
#define INLINE_ARRAY_MAX 72

static const char *scalar_text(struct json_object *v)
{
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
}

static bool array_fits_one_line(struct json_object *arr)
{
	size_t i, n = json_object_array_length(arr), width = 2;

	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);

		if (json_object_is_type(v, json_type_object) ||
		    json_object_is_type(v, json_type_array))
			return false;
		width += strlen(scalar_text(v)) + 2;
		if (width > INLINE_ARRAY_MAX)
			return false;
	}
	return true;
}

static void print_json(FILE *f, struct json_object *v, int depth)
{
	size_t i, n;

	if (json_object_is_type(v, json_type_object)) {
		bool first = true;

		if (!json_object_object_length(v)) {
			fputs("{}", f);
			return;
		}
		fputs("{", f);
		json_object_object_foreach(v, key, val)
		{
			struct json_object *k = json_object_new_string(key);

			fprintf(f, "%s\n%*s%s: ", first ? "" : ",", 2 * (depth + 1), "",
				k ? scalar_text(k) : "\"\"");
			json_object_put(k);
			print_json(f, val, depth + 1);
			first = false;
		}
		fprintf(f, "\n%*s}", 2 * depth, "");
	} else if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		if (array_fits_one_line(v)) {
			fputs("[", f);
			for (i = 0; i < n; i++)
				fprintf(f, "%s%s", i ? ", " : "",
					scalar_text(json_object_array_get_idx(v, i)));
			fputs("]", f);
			return;
		}
		fputs("[", f);
		for (i = 0; i < n; i++) {
			fprintf(f, "%s\n%*s", i ? "," : "", 2 * (depth + 1), "");
			print_json(f, json_object_array_get_idx(v, i), depth + 1);
		}
		fprintf(f, "\n%*s]", 2 * depth, "");
	} else {
		fputs(scalar_text(v), f);
	}
}

char *vg_policy_to_json_string(const struct vg_policy *p)
{
	struct json_object *root = json_object_new_object();
	struct json_object *containers = json_object_new_array();
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	if (!root || !containers) {
		json_object_put(root);
		json_object_put(containers);
		return NULL;
	}
	for (i = 0; i < p->n_containers; i++) {
		if (vg_json_append(containers, entry_to_json(&p->containers[i], true))) {
			json_object_put(containers);
			goto out;
		}
	}
	if (vg_json_add(root, "version", json_object_new_int(POLICY_VERSION)) ||
	    vg_json_add(root, "default", vg_policy_entry_to_json(&p->def)) ||
	    vg_json_add(root, "containers", containers))
		goto out;
	f = open_memstream(&text, &len);
	if (!f)
		goto out;
	print_json(f, root, 0);
	fputs("\n", f);
	if (fclose(f)) {
		free(text);
		text = NULL;
	}
out:
	json_object_put(root);
	return text;
}
