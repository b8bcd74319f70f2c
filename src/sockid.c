// SPDX-License-Identifier: GPL-2.0
/* Runtime sockets by identity: found by path once, then known by (device, inode). */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "container.h"
#include "policy.h"
#include "sockid.h"

/* The container runtimes' API sockets, looked for whatever the policy lists. */
static const char *const runtime_sockets[] = {
	"/var/run/docker.sock",		 "/run/docker.sock",
	"/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock",
	"/var/run/crio/crio.sock",	 "/run/crio/crio.sock",
	"/run/podman/podman.sock",	 "/var/run/podman/podman.sock",
	"/run/buildkit/buildkitd.sock",	 "/var/run/buildkit/buildkitd.sock",
};

__u32 vg_sockid_kdev(__u64 st_dev)
{
	return (__u32)(major(st_dev) << 20 | (minor(st_dev) & 0xfffff));
}

void vg_sockids_clear(struct vg_sockids *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->ids[i].path);
	free(s->ids);
	s->ids = NULL;
	s->n = 0;
}

const struct vg_sock_identity *vg_sockids_find(const struct vg_sockids *s, __u32 dev, __u64 ino)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->ids[i].ino == ino && s->ids[i].dev == dev)
			return &s->ids[i];
	return NULL;
}

/* A unix socket file at path (symlinks followed): added once. 0, or -ENOMEM. */
static int add_path(struct vg_sockids *s, const char *path, bool runtime)
{
	struct vg_sock_identity *grown, *known;
	char real[PATH_MAX];
	struct stat st;
	__u32 dev;

	if (stat(path, &st) || !S_ISSOCK(st.st_mode) || !realpath(path, real))
		return 0;
	dev = vg_sockid_kdev(st.st_dev);
	known = (struct vg_sock_identity *)vg_sockids_find(s, dev, st.st_ino);
	if (known) {
		known->runtime |= runtime;
		return 0;
	}
	grown = realloc(s->ids, (s->n + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	s->ids = grown;
	grown[s->n] = (struct vg_sock_identity){ .ino = st.st_ino, .dev = dev, .runtime = runtime,
						 .path = strdup(real) };
	if (!grown[s->n].path)
		return -ENOMEM;
	s->n++;
	return 0;
}

static int add_pattern(struct vg_sockids *s, const char *root, const char *pattern, bool runtime)
{
	char full[PATH_MAX];
	glob_t g;
	int rc = 0;

	if (pattern[0] != '/')
		return 0; /* abstract names have no file */
	snprintf(full, sizeof(full), "%s%s", root, pattern);
	if (glob(full, GLOB_NOSORT, NULL, &g))
		return 0;
	for (size_t i = 0; i < g.gl_pathc && !rc; i++)
		rc = add_path(s, g.gl_pathv[i], runtime);
	globfree(&g);
	return rc;
}

static int add_entry(struct vg_sockids *s, const struct vg_policy_entry *e, const char *root)
{
	int rc = 0;

	for (size_t i = 0; i < e->n_sensitive_sockets && !rc; i++)
		rc = add_pattern(s, root, e->sensitive_sockets[i], false);
	return rc;
}

int vg_sockids_scan(struct vg_sockids *out, const struct vg_policy *p, const char *root)
{
	struct vg_sockids s = {};
	int rc = 0;

	for (size_t i = 0; i < sizeof(runtime_sockets) / sizeof(runtime_sockets[0]) && !rc; i++)
		rc = add_pattern(&s, root, runtime_sockets[i], true);
	if (p && !rc)
		rc = add_entry(&s, &p->def, root);
	for (size_t i = 0; p && i < p->n_containers && !rc; i++)
		rc = add_entry(&s, &p->containers[i], root);
	if (rc) {
		vg_sockids_clear(&s);
		return rc;
	}
	vg_sockids_clear(out);
	*out = s;
	return 0;
}

size_t vg_sockids_mounted(const struct vg_sockids *s, const struct vg_container *c,
			  struct vg_sock_mount *out, size_t max)
{
	size_t n = 0;

	for (size_t m = 0; s && m < c->config.n_mounts && n < max; m++) {
		const struct vg_mountpoint *mp = &c->config.mounts[m];
		char src[PATH_MAX];
		struct stat st;
		size_t len;

		if (!mp->source || mp->source[0] != '/' || !mp->destination ||
		    stat(mp->source, &st) || !realpath(mp->source, src))
			continue;
		if (S_ISSOCK(st.st_mode)) {
			const struct vg_sock_identity *id =
				vg_sockids_find(s, vg_sockid_kdev(st.st_dev), st.st_ino);

			if (id) {
				snprintf(out[n].inside, sizeof(out[n].inside), "%s", mp->destination);
				out[n++].host = id->path;
			}
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		/* a directory mounted: every socket below it comes along */
		len = strlen(src);
		for (size_t i = 0; i < s->n && n < max; i++) {
			const char *host = s->ids[i].path, *rest;

			if (strcmp(src, "/") && (strncmp(host, src, len) || host[len] != '/'))
				continue;
			rest = strcmp(src, "/") ? host + len : host;
			snprintf(out[n].inside, sizeof(out[n].inside), "%s%s",
				 strcmp(mp->destination, "/") ? mp->destination : "", rest);
			out[n++].host = host;
		}
	}
	return n;
}
