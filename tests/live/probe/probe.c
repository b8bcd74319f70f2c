// SPDX-License-Identifier: GPL-2.0
/*
 * A static helper the live tests put into their container image, to make exactly the
 * system call a scenario needs (busybox has no unix-socket client, for one).
 *   probe connect-unix PATH|@ABSTRACT      probe connect-tcp ADDR PORT
 *   probe write-calls DIR    every file-write system call vigil hooks, by number, on DIR
 *   probe setid-calls        the setuid and setgid family, each variant once (as root)
 *   probe new-mount DIR      the new mount API: fsopen, fsconfig, fsmount, move_mount, open_tree
 *   probe udp HOW ADDR PORT  one datagram to ADDR:PORT, HOW: sendto, sendmsg, sendmmsg (two
 *                            messages: the second to PORT+1), connect (connected UDP, then send)
 *   probe uring-connect ADDR PORT   a TCP connect by io_uring (IORING_OP_CONNECT) alone
 *   probe raw ADDR           an IPv4 raw-socket datagram to ADDR (needs CAP_NET_RAW)
 *   probe packet IFINDEX     an IPv4-ethertype frame on a packet socket (needs CAP_NET_RAW)
 *   probe dirfd-write DIR NAME   openat(open(DIR), NAME, O_WRONLY|O_CREAT): a dirfd-relative write
 *   probe memfd-exec FILE ARGS...  FILE copied into a memfd, run by fexecve (no name on any fs)
 * Each call is made with syscall(2), so the test knows exactly which one reached the kernel.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

/* One system call; a failure is fatal unless it is the one expected. */
#define CALL(expect_errno, ...)                                                                    \
	do {                                                                                       \
		long r_ = syscall(__VA_ARGS__);                                                    \
		if ((r_ < 0) != (expect_errno != 0) || (r_ < 0 && errno != expect_errno)) {        \
			fprintf(stderr, "probe: %s: %ld (%s)\n", #__VA_ARGS__, r_,                 \
				strerror(errno));                                                  \
			exit(1);                                                                   \
		}                                                                                  \
	} while (0)

static char *in_dir(const char *dir, const char *name)
{
	static char buf[4][512];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

/*
 * Opens: open, openat, creat and openat2 (relative to a directory fd), one read-only open and
 * one failed open that must not be reported; then mkdir(at), rename(at/at2), unlink(at).
 */
static int write_calls(const char *dir)
{
	struct open_how how = { .flags = O_WRONLY | O_CREAT, .mode = 0600 };
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);

	if (dfd < 0) {
		perror(dir);
		return 1;
	}
	CALL(0, SYS_open, in_dir(dir, "open"), O_WRONLY | O_CREAT, 0640);
	CALL(0, SYS_openat, AT_FDCWD, in_dir(dir, "openat"), O_RDWR | O_CREAT | O_TRUNC, 0604);
	CALL(0, SYS_creat, in_dir(dir, "creat"), 0644);
	CALL(0, SYS_openat2, dfd, "openat2", &how, sizeof(how));
	CALL(0, SYS_openat, AT_FDCWD, in_dir(dir, "creat"), O_RDONLY, 0);
	CALL(ENOENT, SYS_openat, AT_FDCWD, in_dir(dir, "missing/x"), O_WRONLY | O_CREAT, 0600);
	CALL(0, SYS_mkdir, in_dir(dir, "mkdir"), 0750);
	CALL(0, SYS_mkdirat, dfd, "mkdirat", 0700);
	CALL(0, SYS_rename, in_dir(dir, "open"), in_dir(dir, "rename"));
	CALL(0, SYS_renameat, dfd, "openat", dfd, "renameat");
	CALL(0, SYS_renameat2, dfd, "creat", dfd, "renameat2", 0);
	CALL(0, SYS_unlink, in_dir(dir, "rename"));
	CALL(0, SYS_unlinkat, dfd, "renameat", 0);
	CALL(0, SYS_unlinkat, dfd, "mkdirat", AT_REMOVEDIR);
	return 0;
}

/* From root: gids first (changing uids gives up the right to change gids). */
static int setid_calls(void)
{
	CALL(0, SYS_setfsgid, 1001);
	CALL(0, SYS_setresgid, 1002, 1002, 1002);
	CALL(0, SYS_setregid, -1, 1003);
	CALL(0, SYS_setgid, 1004);
	CALL(0, SYS_setfsuid, 1001);
	CALL(0, SYS_setresuid, -1, 1002, -1);
	CALL(0, SYS_setreuid, -1, 0);
	CALL(0, SYS_setuid, 1003);
	CALL(EPERM, SYS_setuid, 0);
	return 0;
}

static int new_mount(const char *dir)
{
	long fs, mnt, tree;

	fs = syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0) {
		perror("fsopen");
		return 1;
	}
	CALL(0, SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", "vigil-new", 0);
	CALL(0, SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
	mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0) {
		perror("fsmount");
		return 1;
	}
	CALL(0, SYS_move_mount, mnt, "", AT_FDCWD, dir, MOVE_MOUNT_F_EMPTY_PATH);
	tree = syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE);
	if (tree < 0) {
		perror("open_tree");
		return 1;
	}
	return 0;
}

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

/* ADDR:PORT as an inet or inet6 socket address; its length, 0 if ADDR is neither. */
static socklen_t sockaddr_of(const char *addr, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
	fprintf(stderr, "bad address %s\n", addr);
	return 0;
}

static int udp(const char *how, const char *addr, int port)
{
	struct sockaddr_storage ss, ss2;
	socklen_t len = sockaddr_of(addr, port, &ss);
	char data[] = "vigil";
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct mmsghdr mm[2] = {};
	int fd;

	if (!len || !sockaddr_of(addr, port + 1, &ss2))
		return 2;
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (!strcmp(how, "sendto")) {
		CALL(0, SYS_sendto, fd, data, sizeof(data), 0, &ss, len);
	} else if (!strcmp(how, "sendmsg")) {
		struct msghdr m = { .msg_name = &ss, .msg_namelen = len, .msg_iov = &iov,
				    .msg_iovlen = 1 };

		CALL(0, SYS_sendmsg, fd, &m, 0);
	} else if (!strcmp(how, "sendmmsg")) {
		mm[0].msg_hdr = (struct msghdr){ .msg_name = &ss, .msg_namelen = len,
						 .msg_iov = &iov, .msg_iovlen = 1 };
		mm[1].msg_hdr = (struct msghdr){ .msg_name = &ss2, .msg_namelen = len,
						 .msg_iov = &iov, .msg_iovlen = 1 };
		CALL(0, SYS_sendmmsg, fd, mm, 2, 0);
	} else if (!strcmp(how, "connect")) {
		CALL(0, SYS_connect, fd, &ss, len);
		CALL(0, SYS_sendto, fd, data, sizeof(data), 0, NULL, 0);
	} else {
		fprintf(stderr, "bad udp mode %s\n", how);
		return 2;
	}
	close(fd);
	return 0;
}

static int dirfd_write(const char *dir, const char *name)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY), fd;

	if (dfd < 0 || (fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		perror("dirfd-write");
		return 1;
	}
	close(fd);
	return 0;
}

/* One IORING_OP_CONNECT, by raw system calls: no connect(2) is made. */
static int uring_connect(const char *addr, int port)
{
	struct io_uring_params p = {};
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned int *sq_tail, *sq_array, *cq_head;
	char *sq, *cq;
	int ring, fd;

	if (!len)
		return 2;
	ring = syscall(SYS_io_uring_setup, 4, &p);
	if (ring < 0) {
		perror("io_uring_setup");
		return 1;
	}
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_CONNECT;
	sqes[0].fd = fd;
	sqes[0].addr = (unsigned long)&ss;
	sqes[0].off = len;
	sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	sq_array = (unsigned int *)(sq + p.sq_off.array);
	sq_array[*sq_tail & *(unsigned int *)(sq + p.sq_off.ring_mask)] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
		perror("io_uring_enter");
		return 1;
	}
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes) +
	      (*cq_head & *(unsigned int *)(cq + p.cq_off.ring_mask));
	/* a closed port refuses: what matters is that the connect was made */
	printf("io_uring connect: %d\n", cqe->res);
	return 0;
}

static int raw(const char *addr)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, 0, &ss);
	int fd;

	if (!len)
		return 2;
	fd = socket(ss.ss_family, SOCK_RAW, IPPROTO_UDP);
	if (fd < 0) {
		perror("socket(SOCK_RAW)");
		return 1;
	}
	CALL(0, SYS_sendto, fd, "vigil", 5, 0, &ss, len);
	close(fd);
	return 0;
}

static int packet(int ifindex)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				   .sll_ifindex = ifindex, .sll_halen = 6 };
	char frame[20] = { 0x45 }; /* an IPv4 header's first byte: the rest does not matter */
	int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));

	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	CALL(0, SYS_sendto, fd, frame, sizeof(frame), 0, &sll, sizeof(sll));
	close(fd);
	return 0;
}

static int memfd_exec(const char *file, char **argv)
{
	char buf[65536];
	int in = open(file, O_RDONLY), mfd = syscall(SYS_memfd_create, "drift", 0);
	ssize_t n;

	if (in < 0 || mfd < 0) {
		perror("memfd-exec");
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(mfd, buf, n) != n)
			return 1;
	syscall(SYS_execveat, mfd, "", argv, (char *[]){NULL}, AT_EMPTY_PATH);
	perror("execveat");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "dirfd-write"))
		return dirfd_write(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "memfd-exec"))
		return memfd_exec(argv[2], argv + 3);
	if (argc == 3 && !strcmp(argv[1], "connect-unix"))
		return connect_unix(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "connect-tcp"))
		return connect_tcp(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "write-calls"))
		return write_calls(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "setid-calls"))
		return setid_calls();
	if (argc == 3 && !strcmp(argv[1], "new-mount"))
		return new_mount(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return udp(argv[2], argv[3], atoi(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "uring-connect"))
		return uring_connect(argv[2], atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "raw"))
		return raw(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "packet"))
		return packet(atoi(argv[2]));
	fprintf(stderr, "usage: probe connect-unix PATH | connect-tcp ADDR PORT | write-calls DIR |"
			" setid-calls | new-mount DIR | udp HOW ADDR PORT | uring-connect ADDR PORT |"
			" raw ADDR | packet IFINDEX\n");
	return 2;
}
