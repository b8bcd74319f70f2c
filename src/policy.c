// SPDX-License-Identifier: GPL-2.0
/*
 * Policies in memory: the built-in policy, entry selection, and the matching helpers the rules
 * and profiles share. Loading is in policy_load.c, writing back in policy_print.c.
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
#include "policy_internal.h"


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

void vg_policy_strv_free(char **v, size_t n)
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
			vg_policy_strv_free(v, i);
			return -ENOMEM;
		}
	}
	*out = v;
	return 0;
}

int vg_policy_strv_push(char ***v, size_t *n, const char *s)
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
	vg_policy_strv_free(e->writable_paths, e->n_writable_paths);
	vg_policy_strv_free(e->drift_allowed_paths, e->n_drift_allowed_paths);
	free(e->allowed_egress);
	vg_policy_strv_free(e->sensitive_sockets, e->n_sensitive_sockets);
	memset(e, 0, sizeof(*e));
}

/* Copies every key but match: how an entry inherits from the default. */
int vg_policy_entry_copy_keys(struct vg_policy_entry *dst, const struct vg_policy_entry *src)
{
	dst->allow_root = src->allow_root;
	dst->allow_mount = src->allow_mount;
	dst->allow_privilege_escalation = src->allow_privilege_escalation;
	dst->allowed_capabilities = src->allowed_capabilities;
	dst->allow_drift = src->allow_drift;
	dst->allow_io_uring = src->allow_io_uring;
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
int vg_policy_cap_parse(const char *name)
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
	if (vg_policy_strv_push(v, n, s))
		must(NULL);
}

void vg_policy_builtin_entry(struct vg_policy_entry *e)
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
	vg_policy_builtin_entry(&p->def);
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

