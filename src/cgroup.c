// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup v2 path -> container: the cgroup naming schemes of the container runtimes and of their
 * cgroup drivers (systemd "*.scope" units, cgroupfs directories). Pure string work.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "container.h"

#define ID_LEN 64

/* One component of a cgroup path; not NUL-terminated. */
struct component {
	const char *s;
	size_t len;
};

static bool is_lower_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

static bool comp_equals(struct component c, const char *lit)
{
	return c.len == strlen(lit) && !memcmp(c.s, lit, c.len);
}

static bool comp_starts_with(struct component c, const char *lit)
{
	size_t n = strlen(lit);

	return c.len >= n && !memcmp(c.s, lit, n);
}

static bool comp_ends_with(struct component c, const char *lit)
{
	size_t n = strlen(lit);

	return c.len >= n && !memcmp(c.s + c.len - n, lit, n);
}

/* c is exactly prefix + 64 lowercase hex + suffix: copy the hex id. */
static bool match_id(struct component c, const char *prefix, const char *suffix, char *id)
{
	size_t plen = strlen(prefix), slen = strlen(suffix);

	if (c.len != plen + ID_LEN + slen)
		return false;
	if (memcmp(c.s, prefix, plen) || memcmp(c.s + plen + ID_LEN, suffix, slen))
		return false;
	if (!is_lower_hex(c.s + plen, ID_LEN))
		return false;
	memcpy(id, c.s + plen, ID_LEN);
	id[ID_LEN] = '\0';
	return true;
}

/* A name used as the id (lxc, nspawn): longer names are cut to the 64 bytes id[] holds. */
static void copy_name(char *id, const char *s, size_t len)
{
	if (len > ID_LEN)
		len = ID_LEN;
	memcpy(id, s, len);
	id[len] = '\0';
}

static int hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* systemd unit-name unescaping ("\x2d" -> '-'); false for an escape that makes no name. */
static bool systemd_unescape(const char *s, size_t len, char *out, size_t out_size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '\\' && i + 3 < len && s[i + 1] == 'x') {
			int hi = hex_value(s[i + 2]), lo = hex_value(s[i + 3]);

			if (hi < 0 || lo < 0)
				return false;
			ch = (char)(hi * 16 + lo);
			i += 3;
		}
		if (ch == '\0' || ch == '/')
			return false;
		if (o + 1 >= out_size)
			break; /* longer than an id: cut, like copy_name */
		out[o++] = ch;
	}
	out[o] = '\0';
	return o > 0;
}

static bool pod_uid_char(char ch)
{
	return hex_value(ch) >= 0 || ch == '-' || ch == '_';
}

/* Copies a pod uid, systemd's underscores turned back into the uid's dashes. */
static bool copy_pod_uid(const char *s, size_t len, char *out, size_t out_size)
{
	if (len == 0 || len >= out_size)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!pod_uid_char(s[i]))
			return false;
	}
	for (size_t i = 0; i < len; i++)
		out[i] = s[i] == '_' ? '-' : s[i];
	out[len] = '\0';
	return true;
}

static bool comp_contains(struct component c, const char *lit)
{
	size_t n = strlen(lit);

	for (size_t i = 0; i + n <= c.len; i++) {
		if (!memcmp(c.s + i, lit, n))
			return true;
	}
	return false;
}

/*
 * The pod of a component below kubepods: "pod<uid>" (cgroupfs driver) or
 * "[<root>-]kubepods[-<qos>]-pod<uid_with_underscores>.slice" (systemd driver; kind's kubelet
 * nests it in "kubelet-kubepods...").
 */
static void parse_pod_component(struct component c, char *pod_uid, size_t size)
{
	if (comp_starts_with(c, "pod")) {
		copy_pod_uid(c.s + 3, c.len - 3, pod_uid, size);
		return;
	}
	if (comp_contains(c, "kubepods") && comp_ends_with(c, ".slice")) {
		size_t body = c.len - strlen(".slice");

		/* the last "-pod" of the unit name starts the uid */
		for (size_t i = body; i >= 4; i--) {
			if (!memcmp(c.s + i - 4, "-pod", 4)) {
				copy_pod_uid(c.s + i, body - i, pod_uid, size);
				return;
			}
		}
	}
}

/* Does this one component name a container's cgroup? */
static bool classify(struct component c, struct component parent, bool under_kubepods,
		     struct vg_cgroup_match *m)
{
	/* conmon's own scopes ("libpod-conmon-<id>", "crio-conmon-<id>") fail the 64-hex test */
	if (match_id(c, "docker-", ".scope", m->id)) {
		m->runtime = VG_RT_DOCKER;
		return true;
	}
	if (match_id(c, "cri-containerd-", ".scope", m->id)) {
		m->runtime = VG_RT_CONTAINERD;
		return true;
	}
	if (match_id(c, "crio-", ".scope", m->id) || match_id(c, "crio-", "", m->id)) {
		m->runtime = VG_RT_CRIO;
		return true;
	}
	if (match_id(c, "libpod-", ".scope", m->id) || match_id(c, "libpod-", "", m->id)) {
		m->runtime = VG_RT_PODMAN;
		return true;
	}
	if (match_id(c, "", "", m->id)) {
		/* a bare id: docker's cgroupfs driver, the kubelet's cgroupfs driver, or another */
		if (comp_equals(parent, "docker"))
			m->runtime = VG_RT_DOCKER;
		else if (under_kubepods)
			m->runtime = VG_RT_CONTAINERD;
		else
			m->runtime = VG_RT_UNKNOWN;
		return true;
	}
	if (comp_starts_with(c, "lxc.payload.") && c.len > strlen("lxc.payload.")) {
		size_t skip = strlen("lxc.payload.");

		m->runtime = VG_RT_LXC;
		copy_name(m->id, c.s + skip, c.len - skip);
		return true;
	}
	if (comp_equals(parent, "machine.slice") && comp_starts_with(c, "machine-") &&
	    comp_ends_with(c, ".scope")) {
		size_t skip = strlen("machine-");
		size_t len = c.len - skip - strlen(".scope");

		if (!systemd_unescape(c.s + skip, len, m->id, sizeof(m->id)))
			return false;
		/* libvirt registers its virtual machines here too: they are not containers */
		if (!strncmp(m->id, "qemu-", 5)) {
			m->id[0] = '\0';
			return false;
		}
		m->runtime = VG_RT_NSPAWN;
		return true;
	}
	return false;
}

bool vg_cgroup_parse(const char *path, struct vg_cgroup_match *out)
{
	struct vg_cgroup_match m;
	struct component parent = {"", 0};
	bool under_kubepods = false;
	const char *p = path;

	memset(&m, 0, sizeof(m));
	memset(out, 0, sizeof(*out));
	if (!path)
		return false;
	/* outermost first: a cgroup nested in a container's belongs to that container */
	while (*p) {
		struct component c;
		const char *end;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchrnul(p, '/');
		c.s = p;
		c.len = (size_t)(end - p);
		if (classify(c, parent, under_kubepods, &m)) {
			m.kubernetes = under_kubepods;
			if (!under_kubepods)
				m.pod_uid[0] = '\0';
			*out = m;
			return true;
		}
		if (comp_contains(c, "kubepods"))
			under_kubepods = true;
		if (under_kubepods)
			parse_pod_component(c, m.pod_uid, sizeof(m.pod_uid));
		parent = c;
		p = end;
	}
	return false;
}
