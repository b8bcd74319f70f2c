// SPDX-License-Identifier: GPL-2.0
/*
 * A static helper the live tests put into their container image, to make exactly the
 * system call a scenario needs (busybox has no unix-socket client, for one).
 *   probe connect-unix PATH|@ABSTRACT      probe connect-tcp ADDR PORT
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int connect_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	socklen_t len = sizeof(sun);

	strncpy(sun.sun_path, path, sizeof(sun.sun_path) - 1);
	if (path[0] == '@') {
		/* abstract namespace: a leading NUL and exactly the name's bytes */
		sun.sun_path[0] = 0;
		len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	}
	if (connect(fd, (struct sockaddr *)&sun, len)) {
		perror("connect");
		return 1;
	}
	close(fd);
	return 0;
}

static int connect_tcp(const char *addr, int port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) == 1) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
			perror("connect");
			return 1;
		}
	} else if (inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1) {
		fd = socket(AF_INET6, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sin6, sizeof(sin6))) {
			perror("connect");
			return 1;
		}
	} else {
		fprintf(stderr, "bad address %s\n", addr);
		return 2;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "connect-unix"))
		return connect_unix(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "connect-tcp"))
		return connect_tcp(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: probe connect-unix PATH | connect-tcp ADDR PORT\n");
	return 2;
}
