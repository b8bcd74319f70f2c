// SPDX-License-Identifier: GPL-2.0
/*
 * Writes fuzz_event's seeds into the directory given: sequences of chunks (see fuzz_event.c) of
 * records built the way the BPF programs lay them out (tests/unit/records.h), so that the
 * fuzzer starts from records that decode, a container that attributes, and alerts that fire.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "records.h"

#define CID "857e4c15b69e1d6ef84d76cbaa57f7e9f0d0f24f96d61c3795b5cd37526bf577"

static unsigned char seed[65536];
static size_t seed_len;

static void chunk(unsigned int kind, const void *data, size_t len)
{
	seed[seed_len++] = (unsigned char)kind;
	seed[seed_len++] = (unsigned char)(len & 0xff);
	seed[seed_len++] = (unsigned char)(len >> 8);
	memcpy(seed + seed_len, data, len);
	seed_len += len;
}

static void save(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "we");
	if (!f || fwrite(seed, 1, seed_len, f) != seed_len || fclose(f)) {
		perror(path);
		exit(1);
	}
	seed_len = 0;
}

/* Every record of a container's cgroup, so that rules see it in a container. */
static void in_container(void *buf)
{
	struct vigil_event_header *h = buf;

	h->flags |= VIGIL_F_CONTAINER;
}

int main(int argc, char **argv)
{
	static const char args[] = "sh\0-c\0echo \x01\xff\xc3(\x1b[31m\0";
	static const char container[] =
		"{\"cgroup_id\":4242,\"id\":\"" CID "\",\"runtime\":\"podman\",\"name\":\"web\\u0007\","
		"\"image\":\"docker.io/library/alpine:latest\",\"config\":{\"user\":\"\","
		"\"mounts\":[{\"destination\":\"/data\",\"source\":\"/srv\",\"type\":\"bind\"}]}}";
	const __u32 old_ids[4] = {1000, 1000, 1000, 1000}, new_ids[4] = {0, 0, 0, 0};
	REC_BUF(buf);
	size_t n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	n = rec_cgroup(buf, REC_CGROUP_ID, "/libpod_parent/libpod-" CID);
	chunk(1, buf, n);
	chunk(2, container, sizeof(container) - 1);
	n = rec_exec(buf, 100, 1, "/bin/sh", args, sizeof(args) - 1);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_fork(buf, 100, 1, 101, 2, 2);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_setid(buf, VIGIL_EVENT_SETUID, VIGIL_SYS_SETRESUID, 101, 0, old_ids, new_ids);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_capable(buf, 101, 21, 0);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_mount(buf, 101, VIGIL_SYS_MOUNT, "/dev/sda1", "/mnt/\xff\x01", "ext4", 0);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_connect_inet(buf, 101, AF_INET, "203.0.113.9", 4444);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_connect_unix(buf, 101, "/var/run/docker.sock", false);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_write(buf, 101, VIGIL_WRITE_OPEN, "/etc/\"passwd\\\n", "", 0101, VIGIL_ROOTFS_UNKNOWN);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_write(buf, 101, VIGIL_WRITE_RENAME, "/usr/bin/a", "/usr/bin/\xc0\xaf", 0,
		      VIGIL_ROOTFS_YES);
	in_container(buf);
	chunk(0, buf, n);
	n = rec_exit(buf, 101, 2, 0);
	in_container(buf);
	chunk(0, buf, n);
	save(argv[1], "container-session");

	/* a record whose lengths lie: exe_len past the end */
	n = rec_exec(buf, 200, 1, "/bin/true", "true", 5);
	((struct vigil_exec *)buf)->exe_len = 0xffff;
	chunk(0, buf, n);
	save(argv[1], "exec-lying-length");

	/* io_uring in the container: the instance, a joined rename, a link sent at submission */
	n = rec_cgroup(buf, REC_CGROUP_ID, "/libpod_parent/libpod-" CID);
	chunk(1, buf, n);
	chunk(2, container, sizeof(container) - 1);
	n = rec_io_uring(buf, 100, 3, 64, 1u << 1);
	chunk(0, buf, n);
	rec_write(buf, 100, VIGIL_WRITE_RENAME, "a", "../etc/\xff", 0, VIGIL_ROOTFS_YES);
	rec_write_resolved(buf, VIGIL_PATH_JOINED, "/tmp/a");
	n = rec_write_resolved2(buf, VIGIL_PATH_JOINED | VIGIL_PATH_TRUNC, "/etc/\xff");
	in_container(buf);
	chunk(0, buf, n);
	n = rec_write(buf, 100, VIGIL_WRITE_LINK, "/tmp/pw", "/etc/passwd", 0, VIGIL_ROOTFS_YES);
	((struct vigil_write *)buf)->ret = -115;
	((struct vigil_write *)buf)->hdr.flags |= VIGIL_F_IO_URING;
	n = rec_write_resolved2(buf, 0, "/etc/passwd");
	in_container(buf);
	chunk(0, buf, n);
	n = rec_write(buf, 100, VIGIL_WRITE_SYMLINK, "/etc/s", "/x", 0, VIGIL_ROOTFS_YES);
	in_container(buf);
	chunk(0, buf, n);
	save(argv[1], "io-uring-links");
	return 0;
}
