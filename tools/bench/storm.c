// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's load, built static into the bench image. Each storm times itself with
 * CLOCK_MONOTONIC around N iterations (after an untimed warm-up of N/10) and prints one line:
 *   storm kind=KIND n=N ns_per_op=X elapsed_ns=T rate=R cpu_ns_per_op=C
 * C is the CPU time the storm used (its own and its waited-for children's: the exec'd
 * programs, the workers), BPF programs included: what waiting for a CPU does not inflate.
 *
 *   storm [options] KIND:N [KIND:N ...]    the storms in turn
 *     KIND: exec     fork + exec of /bin/true, waited for
 *           open     open(O_WRONLY | O_TRUNC) and close of one file
 *           connect  TCP connect to a closed loopback port (ECONNREFUSED each)
 *           udp      a UDP datagram sent with sendto to the closed loopback port
 *           chown    chown to alternating owners (a CAP_CHOWN check each)
 *           syscall  getppid: the cost on work nothing watches
 *           setuid   setuid to the current uid: the cheapest call a monitor reports (ramps)
 *           procs    N processes that stay until told to go (a process table of size N)
 *     --rate R      pace the storm at R operations per second
 *     --workers W   W processes share the storm (and the rate)
 *     --wait        before each storm print "ready KIND" and wait for a line on stdin; after
 *                   its result line wait for another (the caller measures in between)
 *     --port P      the closed loopback port for connect (default 1)
 *
 * Multi-call: run as "true" it exits 0 (the exec storm's target); as "sleeper" it waits for
 * a signal (the procs storm's population).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define OPEN_PATH    "/tmp/storm-open"
#define CHOWN_PATH   "/tmp/storm-chown"
#define TRUE_PATH    "/bin/true"
#define SLEEPER_PATH "/bin/sleeper"
#define PACE_BATCH   16

struct storm_opts {
	double rate;
	int workers;
	int wait;
	int port;
};

static struct storm_opts opts = {.workers = 1, .port = 1};

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* CPU time of this process and of its waited-for children */
static unsigned long long cpu_ns(void)
{
	struct timespec ts;
	struct rusage ru;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	getrusage(RUSAGE_CHILDREN, &ru);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec +
	       (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

static void die(const char *what)
{
	fprintf(stderr, "storm: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void fail(const char *what)
{
	fprintf(stderr, "storm: %s\n", what);
	exit(1);
}

/* One operation of each kind; i is the iteration number. */
static void op_exec(unsigned long i)
{
	char *const argv[] = {"true", NULL};
	char *const envp[] = {NULL};
	int status;
	pid_t pid;

	(void)i;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execve(TRUE_PATH, argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail("exec of " TRUE_PATH " failed");
}

static void op_open(unsigned long i)
{
	int fd = open(OPEN_PATH, O_WRONLY | O_TRUNC);

	(void)i;
	if (fd < 0)
		die("open " OPEN_PATH);
	close(fd);
}

static struct sockaddr_in closed_port;

static void op_connect(unsigned long i)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	(void)i;
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&closed_port, sizeof(closed_port)) == 0 ||
	    errno != ECONNREFUSED)
		fail("connect to the closed loopback port did not fail with ECONNREFUSED "
		     "(something listens there? use --port)");
	close(fd);
}

static int udp_fd = -1;

/* an unconnected socket: the port's ICMP errors are not reported to it */
static void op_udp(unsigned long i)
{
	(void)i;
	if (sendto(udp_fd, "x", 1, 0, (struct sockaddr *)&closed_port, sizeof(closed_port)) != 1)
		die("sendto");
}

static void op_chown(unsigned long i)
{
	/* alternate owners: a chown to the current owner needs no capability check */
	uid_t id = (i & 1) ? 1000 : 0;

	if (chown(CHOWN_PATH, id, id))
		die("chown " CHOWN_PATH);
}

static void op_syscall(unsigned long i)
{
	(void)i;
	syscall(SYS_getppid);
}

static void op_setuid(unsigned long i)
{
	(void)i;
	/* the raw call: glibc's setuid() would signal every thread to follow */
	if (syscall(SYS_setuid, getuid()))
		die("setuid");
}

struct storm {
	const char *name;
	void (*op)(unsigned long i);
};

static const struct storm storms[] = {
	{"exec", op_exec},   {"open", op_open},	      {"connect", op_connect},
	{"chown", op_chown}, {"syscall", op_syscall}, {"setuid", op_setuid},
	{"udp", op_udp},
};

static void setup(const struct storm *s)
{
	int fd;

	if (!strcmp(s->name, "open") || !strcmp(s->name, "chown")) {
		fd = open(!strcmp(s->name, "open") ? OPEN_PATH : CHOWN_PATH, O_WRONLY | O_CREAT,
			  0644);
		if (fd < 0)
			die("create the storm's file");
		close(fd);
	}
	closed_port.sin_family = AF_INET;
	closed_port.sin_port = htons(opts.port);
	closed_port.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!strcmp(s->name, "udp") && udp_fd < 0) {
		udp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (udp_fd < 0)
			die("socket");
	}
}

/* n operations from first, paced at rate per second if rate > 0 */
static void run_ops(const struct storm *s, unsigned long first, unsigned long n, double rate)
{
	unsigned long long start = now_ns();
	double step = rate > 0 ? 1e9 / rate : 0;

	for (unsigned long i = 0; i < n; i++) {
		if (step > 0 && i % PACE_BATCH == 0) {
			unsigned long long due = start + (unsigned long long)(i * step);
			struct timespec ts = {.tv_sec = due / 1000000000ULL,
					      .tv_nsec = due % 1000000000ULL};

			if (now_ns() < due)
				clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		}
		s->op(first + i);
	}
}

static void wait_line(void)
{
	char line[64];

	if (opts.wait && !fgets(line, sizeof(line), stdin))
		fail("stdin closed while waiting");
}

static void wait_go(const char *kind)
{
	if (!opts.wait)
		return;
	printf("ready %s\n", kind);
	fflush(stdout);
	wait_line();
}

static void report(const char *kind, unsigned long n, unsigned long long elapsed,
		   unsigned long long cpu)
{
	printf("storm kind=%s n=%lu ns_per_op=%.1f elapsed_ns=%llu rate=%.0f cpu_ns_per_op=%.1f\n",
	       kind, n, n ? (double)elapsed / n : 0.0, elapsed, elapsed ? n * 1e9 / elapsed : 0.0,
	       n ? (double)cpu / n : 0.0);
	fflush(stdout);
}

static void run_storm(const struct storm *s, unsigned long n)
{
	unsigned long warm = n / 10 ? n / 10 : 1;
	unsigned long long t0, t1, c0, c1;
	int w = opts.workers > 0 ? opts.workers : 1;

	setup(s);
	run_ops(s, 0, warm, 0);
	wait_go(s->name);
	c0 = cpu_ns();
	t0 = now_ns();
	if (w == 1) {
		run_ops(s, 0, n, opts.rate);
	} else {
		for (int k = 0; k < w; k++) {
			pid_t pid = fork();

			if (pid < 0)
				die("fork");
			if (pid == 0) {
				run_ops(s, 0, n / w, opts.rate / w);
				_exit(0);
			}
		}
		for (int k = 0; k < w; k++) {
			int status;

			if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
				fail("a worker failed");
		}
		n = n / w * w;
	}
	t1 = now_ns();
	c1 = cpu_ns();
	report(s->name, n, t1 - t0, c1 - c0);
	wait_line(); /* the caller's window is closed: the next storm's warm-up may begin */
}

/* n processes that stay until the storm ends: a process table of that size */
static void run_procs(unsigned long n)
{
	char *const argv[] = {"sleeper", NULL};
	char *const envp[] = {NULL};
	unsigned long long t0, t1, c0;
	pid_t *pids = calloc(n, sizeof(*pids));

	if (!pids)
		die("calloc");
	c0 = cpu_ns();
	t0 = now_ns();
	for (unsigned long i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			execve(SLEEPER_PATH, argv, envp);
			_exit(127);
		}
	}
	t1 = now_ns();
	report("procs", n, t1 - t0, cpu_ns() - c0);
	/* all alive now (or about to be): the agent's table holds them */
	wait_go("procs");
	for (unsigned long i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (unsigned long i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
	printf("procs done\n");
	fflush(stdout);
}

static const struct storm *find_storm(const char *name)
{
	for (size_t i = 0; i < sizeof(storms) / sizeof(storms[0]); i++)
		if (!strcmp(storms[i].name, name))
			return &storms[i];
	return NULL;
}

static int usage(void)
{
	fprintf(stderr, "usage: storm [--rate R] [--workers W] [--wait] [--port P] KIND:N ...\n"
			"  KIND: exec open connect udp chown syscall setuid procs\n");
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"rate", required_argument, NULL, 'r'},
		{"workers", required_argument, NULL, 'w'},
		{"wait", no_argument, NULL, 'W'},
		{"port", required_argument, NULL, 'p'},
		{},
	};
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int opt;

	if (!strcmp(base, "true"))
		return 0;
	if (!strcmp(base, "sleeper")) {
		for (;;)
			pause();
	}
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			opts.rate = atof(optarg);
			break;
		case 'w':
			opts.workers = atoi(optarg);
			break;
		case 'W':
			opts.wait = 1;
			break;
		case 'p':
			opts.port = atoi(optarg);
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc)
		return usage();
	for (int a = optind; a < argc; a++) {
		char kind[16];
		unsigned long n;
		const struct storm *s;

		if (sscanf(argv[a], "%15[a-z]:%lu", kind, &n) != 2 || !n)
			return usage();
		if (!strcmp(kind, "procs")) {
			run_procs(n);
			continue;
		}
		s = find_storm(kind);
		if (!s)
			return usage();
		run_storm(s, n);
	}
	return 0;
}
