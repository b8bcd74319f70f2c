// SPDX-License-Identifier: GPL-2.0
/*
 * A static helper the live tests put into their container image, to make exactly the
 * system call a scenario needs (busybox has no unix-socket client, for one).
 *   probe connect-unix PATH|@ABSTRACT      probe connect-tcp ADDR PORT
 *   probe write-calls DIR    every file-write system call vigil hooks, by number, on DIR
 *   probe setid-calls        the setuid and setgid family, each variant once (as root)
 *   probe new-mount DIR      the new mount API: fsopen, fsconfig, fsmount, move_mount, open_tree
 *   probe udp HOW ADDR PORT  one datagram to ADDR:PORT, HOW: sendto, sendmsg, sendmmsg (two
 *                            messages: the second to PORT+1), sendmmsg12 (twelve: only the
 *                            last to PORT+1), connect (connected UDP, then send)
 *   probe uring OP ARGS      one io_uring request: open, open-skip, unlink, mkdir, rename,
 *                            link, symlink, connect, connect-unix, sendto, sendmsg, and
 *                            sendto/sendmsg on a registered file (see uring())
 *   probe tmpfile-link DIR NEW  an O_TMPFILE file in DIR given its first name NEW by linkat
 *   probe raw ADDR           an IPv4 raw-socket datagram to ADDR (needs CAP_NET_RAW)
 *   probe raw-header A1 A2   raw IPv4 packets with headers of their own (see raw_header())
 *   probe udp-repeat ADDR PORT N  N datagrams to ADDR:PORT from one UDP socket, then one from
 *                            a raw socket opened after closing it (the same fd, maybe the
 *                            same kernel objects reused); again to PORT+1, the raw socket put
 *                            on the UDP socket's fd by dup2 (needs CAP_NET_RAW)
 *   probe udp-loop ADDR PORT N MS  N datagrams to ADDR:PORT, MS ms apart, "sent K" each 10
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
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
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
	} else if (!strcmp(how, "sendmmsg12")) {
		/* eleven messages to PORT, the twelfth to PORT+1: a new destination far down */
		struct mmsghdr many[12] = {};

		for (int i = 0; i < 12; i++)
			many[i].msg_hdr = (struct msghdr){ .msg_name = i < 11 ? &ss : &ss2,
							   .msg_namelen = len, .msg_iov = &iov,
							   .msg_iovlen = 1 };
		CALL(0, SYS_sendmmsg, fd, many, 12, 0);
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

/* One io_uring instance, by raw system calls (no liburing in the image). */
struct ring {
	struct io_uring_params p;
	struct io_uring_sqe *sqes;
	char *sq, *cq;
	int fd;
};

static int ring_setup(struct ring *r)
{
	memset(r, 0, sizeof(*r));
	r->fd = syscall(SYS_io_uring_setup, 4, &r->p);
	if (r->fd < 0) {
		perror("io_uring_setup");
		return -1;
	}
	r->sq = mmap(NULL, r->p.sq_off.array + r->p.sq_entries * sizeof(unsigned int),
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	r->cq = mmap(NULL, r->p.cq_off.cqes + r->p.cq_entries * sizeof(struct io_uring_cqe),
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, r->p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (r->sq == MAP_FAILED || r->cq == MAP_FAILED || r->sqes == MAP_FAILED) {
		perror("mmap");
		return -1;
	}
	return 0;
}

/*
 * Submits *sqe and returns its result; with IOSQE_CQE_SKIP_SUCCESS a success posts no
 * completion, so 0 is returned without waiting for one.
 */
static int ring_run(struct ring *r, const struct io_uring_sqe *sqe)
{
	unsigned int *sq_tail = (unsigned int *)(r->sq + r->p.sq_off.tail);
	unsigned int *sq_array = (unsigned int *)(r->sq + r->p.sq_off.array);
	unsigned int *cq_head = (unsigned int *)(r->cq + r->p.cq_off.head);
	unsigned int *cq_tail = (unsigned int *)(r->cq + r->p.cq_off.tail);
	bool skip = sqe->flags & IOSQE_CQE_SKIP_SUCCESS;
	struct io_uring_cqe *cqe;
	int res;

	r->sqes[0] = *sqe;
	sq_array[*sq_tail & *(unsigned int *)(r->sq + r->p.sq_off.ring_mask)] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, r->fd, 1, skip ? 0 : 1, skip ? 0 : IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0) {
		perror("io_uring_enter");
		exit(1);
	}
	if (skip && __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) == *cq_head)
		return 0;
	cqe = (struct io_uring_cqe *)(r->cq + r->p.cq_off.cqes) +
	      (*cq_head & *(unsigned int *)(r->cq + r->p.cq_off.ring_mask));
	res = cqe->res;
	__atomic_store_n(cq_head, *cq_head + 1, __ATOMIC_RELEASE);
	return res;
}

/*
 * probe uring OP ARGS: one io_uring request, no system call of its own kind.
 *   open PATH | open-skip PATH (IOSQE_CQE_SKIP_SUCCESS) | unlink PATH | mkdir PATH |
 *   rename OLD NEW | link OLD NEW | symlink TEXT NAME | connect ADDR PORT (tcp) |
 *   connect-unix PATH | sendto ADDR PORT | sendmsg ADDR PORT (udp) |
 *   sendto-fixed ADDR PORT | sendmsg-fixed ADDR PORT (udp, the socket a registered file)
 * Prints the request's result; exits 1 if the request failed (a refused connect excepted).
 */
static int uring(int argc, char **argv)
{
	const char *op = argv[0];
	struct io_uring_sqe sqe = {};
	struct sockaddr_storage ss;
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char data[] = "vigil";
	struct iovec iov = { .iov_base = data, .iov_len = sizeof(data) };
	struct msghdr m = {};
	struct ring r;
	bool may_fail = false;
	int res;

	if (ring_setup(&r))
		return 1;
	sqe.fd = AT_FDCWD;
	if ((!strcmp(op, "open") || !strcmp(op, "open-skip")) && argc == 2) {
		sqe.opcode = IORING_OP_OPENAT;
		sqe.addr = (unsigned long)argv[1];
		sqe.open_flags = O_WRONLY | O_CREAT | O_TRUNC;
		sqe.len = 0644;
		if (!strcmp(op, "open-skip"))
			sqe.flags = IOSQE_CQE_SKIP_SUCCESS;
	} else if (!strcmp(op, "unlink") && argc == 2) {
		sqe.opcode = IORING_OP_UNLINKAT;
		sqe.addr = (unsigned long)argv[1];
	} else if (!strcmp(op, "mkdir") && argc == 2) {
		sqe.opcode = IORING_OP_MKDIRAT;
		sqe.addr = (unsigned long)argv[1];
		sqe.len = 0755;
	} else if ((!strcmp(op, "rename") || !strcmp(op, "link")) && argc == 3) {
		sqe.opcode = !strcmp(op, "rename") ? IORING_OP_RENAMEAT : IORING_OP_LINKAT;
		sqe.addr = (unsigned long)argv[1];
		sqe.len = AT_FDCWD; /* the new name's directory */
		sqe.addr2 = (unsigned long)argv[2];
	} else if (!strcmp(op, "symlink") && argc == 3) {
		sqe.opcode = IORING_OP_SYMLINKAT;
		sqe.addr = (unsigned long)argv[1];
		sqe.addr2 = (unsigned long)argv[2];
	} else if (!strcmp(op, "connect") && argc == 3) {
		socklen_t len = sockaddr_of(argv[1], atoi(argv[2]), &ss);

		if (!len)
			return 2;
		sqe.opcode = IORING_OP_CONNECT;
		sqe.fd = socket(ss.ss_family, SOCK_STREAM, 0);
		sqe.addr = (unsigned long)&ss;
		sqe.off = len;
		may_fail = true; /* a closed port refuses: the connect was made all the same */
	} else if (!strcmp(op, "connect-unix") && argc == 2) {
		strncpy(sun.sun_path, argv[1], sizeof(sun.sun_path) - 1);
		sqe.opcode = IORING_OP_CONNECT;
		sqe.fd = socket(AF_UNIX, SOCK_STREAM, 0);
		sqe.addr = (unsigned long)&sun;
		sqe.off = sizeof(sun);
	} else if ((!strcmp(op, "sendto") || !strcmp(op, "sendmsg") ||
		    !strcmp(op, "sendto-fixed") || !strcmp(op, "sendmsg-fixed")) && argc == 3) {
		socklen_t len = sockaddr_of(argv[1], atoi(argv[2]), &ss);

		if (!len)
			return 2;
		sqe.fd = socket(ss.ss_family, SOCK_DGRAM, 0);
		if (strstr(op, "-fixed")) {
			/* the socket registered, named by its slot: no fd in the request */
			if (syscall(SYS_io_uring_register, r.fd, IORING_REGISTER_FILES, &sqe.fd, 1)) {
				perror("io_uring_register");
				return 1;
			}
			sqe.fd = 0;
			sqe.flags = IOSQE_FIXED_FILE;
		}
		if (!strncmp(op, "sendto", 6)) {
			sqe.opcode = IORING_OP_SEND;
			sqe.addr = (unsigned long)data;
			sqe.len = sizeof(data);
			sqe.addr2 = (unsigned long)&ss;
			sqe.addr_len = len;
		} else {
			m = (struct msghdr){ .msg_name = &ss, .msg_namelen = len, .msg_iov = &iov,
					     .msg_iovlen = 1 };
			sqe.opcode = IORING_OP_SENDMSG;
			sqe.addr = (unsigned long)&m;
			sqe.len = 1;
		}
	} else {
		fprintf(stderr, "probe uring: bad request %s\n", op);
		return 2;
	}
	res = ring_run(&r, &sqe);
	printf("io_uring %s: %d\n", op, res);
	return res < 0 && !may_fail;
}

/*
 * An O_TMPFILE file in DIR given its first name NEW by linkat: AT_EMPTY_PATH where the
 * kernel allows it (CAP_DAC_READ_SEARCH), else through /proc/self/fd (AT_SYMLINK_FOLLOW).
 */
static int tmpfile_link(const char *dir, const char *newpath)
{
	char proc[64];
	int fd = open(dir, O_TMPFILE | O_WRONLY, 0644);

	if (fd < 0) {
		perror("open(O_TMPFILE)");
		return 1;
	}
	if (write(fd, "x\n", 2) != 2)
		return 1;
	if (syscall(SYS_linkat, fd, "", AT_FDCWD, newpath, AT_EMPTY_PATH) == 0) {
		printf("linked with AT_EMPTY_PATH\n");
		return 0;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	CALL(0, SYS_linkat, AT_FDCWD, proc, AT_FDCWD, newpath, AT_SYMLINK_FOLLOW);
	printf("linked through %s\n", proc);
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

/*
 * probe raw-header ADDR1 ADDR2: a raw IPv4 socket that first sends to ADDR1 as is, then turns
 * IP_HDRINCL on and sends a packet with a header of its own to ADDR1 again; then an
 * IPPROTO_RAW socket (a header of its own implied) sends to ADDR2. Each header names the
 * address the call names.
 */
static int raw_header_send(int fd, const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	unsigned char pkt[28] = {
		0x45, 0, 0, sizeof(pkt), 0, 0, 0x40, 0, 64, 17, /* IPv4, 28 bytes, DF, ttl, udp */
	};

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1)
		return 2;
	memcpy(pkt + 16, &sin.sin_addr, 4); /* the header's destination */
	pkt[21] = 9;			    /* udp ports 9 -> 9, length 8 */
	pkt[23] = 9;
	pkt[25] = 8;
	CALL(0, SYS_sendto, fd, pkt, sizeof(pkt), 0, &sin, sizeof(sin));
	return 0;
}

static int raw_header(const char *addr1, const char *addr2)
{
	int one = 1, fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP), rc;

	if (fd < 0) {
		perror("socket(SOCK_RAW)");
		return 1;
	}
	rc = raw_header_send(fd, addr1); /* without IP_HDRINCL: a UDP payload, the kernel's header */
	if (!rc && setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) {
		perror("IP_HDRINCL");
		return 1;
	}
	if (!rc)
		rc = raw_header_send(fd, addr1);
	close(fd);
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("socket(IPPROTO_RAW)");
		return 1;
	}
	if (!rc)
		rc = raw_header_send(fd, addr2);
	close(fd);
	return rc;
}

/* n datagrams from a fresh UDP socket, then one from a raw socket on the same fd number */
static void udp_then_raw(const struct sockaddr_storage *ss, socklen_t len, int n, bool dup)
{
	int fd = socket(ss->ss_family, SOCK_DGRAM, 0), raw;

	for (int i = 0; i < n; i++)
		CALL(0, SYS_sendto, fd, "vigil", 5, 0, ss, len);
	if (dup) {
		raw = socket(ss->ss_family, SOCK_RAW, IPPROTO_UDP);
		if (raw < 0 || dup2(raw, fd) != fd) {
			perror("raw socket onto the fd");
			exit(1);
		}
		close(raw);
	} else {
		close(fd);
		raw = socket(ss->ss_family, SOCK_RAW, IPPROTO_UDP);
		if (raw != fd) {
			fprintf(stderr, "the raw socket got fd %d, not %d\n", raw, fd);
			exit(1);
		}
	}
	CALL(0, SYS_sendto, fd, "vigil", 5, 0, ss, len);
	close(fd);
}

static int udp_repeat(const char *addr, int port, int n)
{
	struct sockaddr_storage ss, ss2;
	socklen_t len = sockaddr_of(addr, port, &ss);

	if (!len || !sockaddr_of(addr, port + 1, &ss2))
		return 2;
	udp_then_raw(&ss, len, n, false);
	udp_then_raw(&ss2, len, n, true);
	return 0;
}

static int udp_loop(const char *addr, int port, int n, int ms)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	struct timespec gap = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	int fd;

	if (!len)
		return 2;
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	for (int i = 1; i <= n; i++) {
		CALL(0, SYS_sendto, fd, "vigil", 5, 0, &ss, len);
		if (i % 10 == 0) {
			printf("sent %d\n", i);
			fflush(stdout);
		}
		nanosleep(&gap, NULL);
	}
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
	if (argc >= 3 && !strcmp(argv[1], "uring"))
		return uring(argc - 2, argv + 2);
	if (argc == 4 && !strcmp(argv[1], "tmpfile-link"))
		return tmpfile_link(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "raw"))
		return raw(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "raw-header"))
		return raw_header(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "packet"))
		return packet(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "udp-repeat"))
		return udp_repeat(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc == 6 && !strcmp(argv[1], "udp-loop"))
		return udp_loop(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: probe connect-unix PATH | connect-tcp ADDR PORT | write-calls DIR |"
			" setid-calls | new-mount DIR | udp HOW ADDR PORT | uring OP ARGS |"
			" raw ADDR | raw-header ADDR1 ADDR2 | packet IFINDEX | tmpfile-link DIR NEW |"
			" udp-repeat ADDR PORT N | udp-loop ADDR PORT N MS\n");
	return 2;
}
