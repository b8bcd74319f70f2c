// SPDX-License-Identifier: GPL-2.0
/*
 * Runtime sockets by identity (src/sockid.c): the socket files found at the policy's paths and
 * globs are known by (device, inode) whatever name reaches them, each once; a container that
 * has one mounted, itself or through a directory above it, is told with the path inside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "unit.h"
#include "container.h"
#include "policy.h"
#include "sockid.h"

static char root[64], sock_path[128], plain_path[128];
static int fds[2] = {-1, -1};

static int listen_at(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	return fd;
}

static void setup(void)
{
	char dir[128];

	snprintf(root, sizeof(root), "/tmp/vigil-sockid-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/run", root);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(sock_path, sizeof(sock_path), "%s/run/engine.sock", root);
	snprintf(plain_path, sizeof(plain_path), "%s/app.sock", root);
	fds[0] = listen_at(sock_path);
	fds[1] = listen_at(plain_path);
}

static void teardown(void)
{
	char cmd[128];

	close(fds[0]);
	close(fds[1]);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	ck_assert_int_eq(system(cmd), 0);
}

static struct vg_policy *policy(const char *text)
{
	struct vg_policy *p = NULL;
	char err[256];

	ck_assert_msg(!vg_policy_load_buffer("t.json", text, strlen(text), &p, err, sizeof(err)),
		      "%s", err);
	return p;
}

START_TEST(sockets_known_by_identity)
{
	/* Proves a socket listed by glob is found under the root with its device and inode,
	 * once even when two patterns name it, and that a regular file or a missing path is
	 * not taken for one; lookups by (dev, ino) find it, a wrong inode does not. */
	struct vg_policy *p = policy("{\"default\": {\"sensitive_sockets\": [\"/run/*.sock\", "
				     "\"/run/engine.sock\", \"/missing.sock\", \"@abstract\"]}}");
	struct stat st;
	char real[4096];

	ck_assert_int_eq(vg_sockids_scan(&p->sockets, p, root), 0);
	ck_assert_uint_eq(p->sockets.n, 1);
	ck_assert_int_eq(stat(sock_path, &st), 0);
	ck_assert_ptr_nonnull(realpath(sock_path, real));
	ck_assert_str_eq(p->sockets.ids[0].path, real);
	ck_assert(!p->sockets.ids[0].runtime);
	ck_assert_ptr_eq(vg_sockids_find(&p->sockets, vg_sockid_kdev(st.st_dev), st.st_ino),
			 &p->sockets.ids[0]);
	ck_assert_ptr_null(vg_sockids_find(&p->sockets, vg_sockid_kdev(st.st_dev), st.st_ino + 1));
	/* the kernel's dev_t: major in the top 12 bits, minor in the low 20 */
	ck_assert_uint_eq(vg_sockid_kdev(makedev(8, 0x12345)), (8u << 20) | 0x12345);
	vg_policy_free(p);
}
END_TEST

START_TEST(mounted_sockets_named_inside_the_container)
{
	/* Proves a container with the socket file mounted, or a directory above it, is told with
	 * the path inside; an ordinary socket mounted is not. */
	struct vg_policy *p = policy("{\"default\": {\"sensitive_sockets\": [\"/run/*.sock\"]}}");
	char dir[128];
	struct vg_mountpoint mounts[3] = {
		{.destination = "/tmp/app.sock", .source = sock_path, .type = "bind"},
		{.destination = "/hostrun", .source = dir, .type = "bind"},
		{.destination = "/tmp/plain.sock", .source = plain_path, .type = "bind"},
	};
	struct vg_container c = {.id = "abc", .config = {.known = true, .n_mounts = 3,
							  .mounts = mounts}};
	struct vg_sock_mount found[4];

	snprintf(dir, sizeof(dir), "%s/run", root);
	ck_assert_int_eq(vg_sockids_scan(&p->sockets, p, root), 0);
	ck_assert_uint_eq(vg_sockids_mounted(&p->sockets, &c, found, 4), 2);
	ck_assert_str_eq(found[0].inside, "/tmp/app.sock");
	ck_assert_str_eq(found[1].inside, "/hostrun/engine.sock");
	ck_assert_str_eq(found[1].host, p->sockets.ids[0].path);
	vg_policy_free(p);
}
END_TEST

static Suite *sockid_suite(void)
{
	Suite *s = suite_create("sockid");
	TCase *tc = tcase_create("sockid");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sockets_known_by_identity);
	tcase_add_test(tc, mounted_sockets_named_inside_the_container);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(sockid_suite)
