// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel matrix's workload (built static, run as root inside the hand-made container of
 * tools/kernels/guest-init, chrooted in its own mount namespace): one of each behaviour vigil
 * reports, with markers the guest's checks look for. Every step says what it did on stdout, so
 * that a miss in the table can be told from a step that failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void step(const char *what, int rc)
{
	printf("kdriver: %s: %s\n", what, rc < 0 ? strerror(errno) : "ok");
}

/* A child that does fn, and its wait status as the parent sees it. */
static int in_child(void (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return status;
}

static void exec_true(void)
{
	execl("/bin/busybox", "busybox", "true", (char *)NULL);
	_exit(127);
}

static void exit_three(void)
{
	_exit(3);
}

static void die_by_sigterm(void)
{
	signal(SIGTERM, SIG_DFL);
	kill(getpid(), SIGTERM);
	pause();
}

static void drop_to_1000(void)
{
	_exit(setuid(1000) ? 1 : 0);
}

/*
 * A probe, not a use: root reading the stat of another user's process asks for
 * CAP_SYS_PTRACE without auditing (ptrace_may_access with PTRACE_MODE_NOAUDIT).
 */
static void read_stat_of_other_user(void)
{
	char path[64], buf[512];
	pid_t pid = fork();
	int fd;

	if (pid == 0) {
		if (setuid(1000) == 0)
			pause();
		_exit(1);
	}
	usleep(200 * 1000); /* the child is uid 1000 by then; a miss shows in the table */
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	step(path, fd);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf)) < 0)
			step("read stat", -1);
		close(fd);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static void connect_to(const char *what, int family, int type, const struct sockaddr *sa,
		       socklen_t len)
{
	int fd = socket(family, type, 0);

	if (fd < 0) {
		step(what, -1);
		return;
	}
	step(what, connect(fd, sa, len));
	close(fd);
}

/* A UDP datagram to sa by sendto, then one to port + 1 by sendmsg, from one socket. */
static void send_udp(struct sockaddr_in sa)
{
	struct iovec iov = { .iov_base = "vigil", .iov_len = 5 };
	struct msghdr m = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov,
			    .msg_iovlen = 1 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) {
		step("udp socket", -1);
		return;
	}
	step("udp sendto", sendto(fd, "vigil", 5, 0, (struct sockaddr *)&sa, sizeof(sa)) == 5 ? 0
											      : -1);
	sa.sin_port = htons(ntohs(sa.sin_port) + 1);
	step("udp sendmsg", sendmsg(fd, &m, 0) == 5 ? 0 : -1);
	close(fd);
}

/* A raw IPv4 packet with a header of its own (IP_HDRINCL turned on) to sa's address. */
static void send_raw_header(struct sockaddr_in sa)
{
	unsigned char pkt[28] = { 0x45, 0, 0, sizeof(pkt), 0, 0, 0x40, 0, 64, 17 };
	int one = 1, fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);

	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one))) {
		step("raw IP_HDRINCL socket", -1);
		return;
	}
	memcpy(pkt + 16, &sa.sin_addr, 4);
	pkt[21] = pkt[23] = 9;
	pkt[25] = 8;
	step("raw sendto", sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&sa, sizeof(sa)) ==
				   (ssize_t)sizeof(pkt) ? 0 : -1);
	close(fd);
}

static void write_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	step(path, fd);
	if (fd >= 0) {
		if (write(fd, "vigil\n", 6) != 6)
			step("write", -1);
		close(fd);
	}
}

int main(void)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = htons(5353) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons(5353) };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	int status, ufd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	status = in_child(exec_true);
	printf("kdriver: fork+exec busybox true: status %d\n", status);
	status = in_child(exit_three);
	printf("kdriver: exit 3: status %d\n", status);
	status = in_child(die_by_sigterm);
	printf("kdriver: SIGTERM: status %d\n", status);
	status = in_child(drop_to_1000);
	printf("kdriver: setuid(1000): status %d\n", status);

	/* CAP_CHOWN: root giving a file it owns away */
	write_file("/etc/vigil-chown");
	step("chown", chown("/etc/vigil-chown", 1000, 1000));

	step("mount tmpfs /mnt", mount("none", "/mnt", "tmpfs", 0, NULL));
	step("mount proc /proc", mount("proc", "/proc", "proc", 0, NULL));
	read_stat_of_other_user();

	inet_pton(AF_INET, "127.0.0.1", &in4.sin_addr);
	connect_to("connect inet", AF_INET, SOCK_DGRAM, (struct sockaddr *)&in4, sizeof(in4));
	in4.sin_port = htons(5400);
	send_udp(in4);
	send_raw_header(in4);
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	connect_to("connect inet6", AF_INET6, SOCK_DGRAM, (struct sockaddr *)&in6, sizeof(in6));
	strcpy(un.sun_path, "/run/vigil-kdriver.sock");
	ufd = socket(AF_UNIX, SOCK_DGRAM, 0);
	step("bind unix", bind(ufd, (struct sockaddr *)&un, sizeof(un)));
	connect_to("connect unix", AF_UNIX, SOCK_DGRAM, (struct sockaddr *)&un, sizeof(un));
	close(ufd);

	/* the container's root filesystem, then its volume (another mount) */
	write_file("/etc/vigil-rootfs-write");
	write_file("/vol/vigil-volume-write");
	/* a new name for a file, and a directory made relative to the working directory */
	step("link", link("/etc/vigil-rootfs-write", "/etc/vigil-link"));
	step("chdir /etc", chdir("/etc"));
	step("mkdir relative", mkdir("vigil-reldir", 0755));
	return 0;
}
