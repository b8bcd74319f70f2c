// SPDX-License-Identifier: GPL-2.0
/* A container's mounts: which paths lie on its root filesystem, and mountinfo parsing. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "container_config.h"

/* Is path at or below dest ("/data" covers "/data" and "/data/x", not "/database")? */
static size_t covering_length(const char *dest, const char *path)
{
	size_t len = strlen(dest);

	while (len > 1 && dest[len - 1] == '/')
		len--; /* "/data/" is "/data" */
	if (len == 1 && dest[0] == '/')
		return 1;
	if (strncmp(dest, path, len) || (path[len] != '/' && path[len] != '\0'))
		return 0;
	return len;
}

bool vg_container_path_on_rootfs(const struct vg_container *c, const char *path, bool *decided)
{
	size_t best = 0;
	bool on_rootfs = true;

	*decided = false;
	if (!c || !path || path[0] != '/' || !(c->config.known || c->config.mounts_known))
		return false;
	*decided = true;
	for (size_t i = 0; i < c->config.n_mounts; i++) {
		const char *dest = c->config.mounts[i].destination;
		size_t len = dest && dest[0] == '/' ? covering_length(dest, path) : 0;

		if (len > best) {
			best = len;
			on_rootfs = len == 1; /* only "/" itself is the root filesystem */
		}
	}
	return on_rootfs;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo octal. */
static void unescape_octal(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static bool has_option(const char *options, const char *opt)
{
	size_t len = strlen(opt);

	for (const char *p = options; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		if (!strncmp(p, opt, len) && (p[len] == ',' || p[len] == '\0'))
			return true;
	}
	return false;
}

/*
 * "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue":
 * root in the source fs, mount point, per-mount options, optional fields up to "-", fs type,
 * source, super options.
 */
static int parse_mountinfo_line(char *line, struct vg_container_config *cfg)
{
	char *fields[6], *save = NULL, *tok, *fstype, *source;
	int n = 0;

	line[strcspn(line, "\n")] = '\0';
	for (tok = strtok_r(line, " ", &save); tok && n < 6; tok = strtok_r(NULL, " ", &save))
		fields[n++] = tok;
	if (n < 6)
		return -EINVAL;
	while (tok && strcmp(tok, "-"))
		tok = strtok_r(NULL, " ", &save);
	fstype = tok ? strtok_r(NULL, " ", &save) : NULL;
	source = fstype ? strtok_r(NULL, " ", &save) : NULL;
	if (!source)
		return -EINVAL;
	unescape_octal(fields[3]);
	unescape_octal(fields[4]);
	unescape_octal(source);
	/* the root itself, however many slashes spell it, is the root filesystem */
	if (fields[4][0] != '/' || fields[4][strspn(fields[4], "/")] == '\0')
		return 0;
	/* a subtree of another file system mounted here: a bind mount of that path */
	if (strcmp(fields[3], "/"))
		return vg_rs_config_add_mount(cfg, fields[4], fields[3], "bind",
					      has_option(fields[5], "ro"));
	return vg_rs_config_add_mount(cfg, fields[4], source, fstype, has_option(fields[5], "ro"));
}

int vg_container_load_mountinfo(struct vg_container *c, const char *mountinfo_path)
{
	struct vg_container_config mounts = {0};
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	if (!c || !mountinfo_path)
		return -EINVAL;
	if (c->config.n_mounts)
		return 0; /* the runtime's own list is better: it says what each mount is for */
	f = fopen(mountinfo_path, "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if (parse_mountinfo_line(line, &mounts) == -ENOMEM)
			break;
	}
	free(line);
	fclose(f);
	free(c->config.mounts);
	c->config.mounts = mounts.mounts;
	c->config.n_mounts = mounts.n_mounts;
	c->config.mounts_known = true;
	return 0;
}
