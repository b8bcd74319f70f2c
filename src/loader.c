// SPDX-License-Identifier: GPL-2.0
/* Loading and attaching the BPF programs, with the checks that turn failures into advice. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "hooks.h"
#include "loader.h"
#include "sendslot.h"
#include "sockid.h"
#include "vigil.skel.h"

#define KERNEL_ENOTSUPP 524 /* the kernel's own ENOTSUPP, as some map calls return it */

static bool verbose_libbpf;
static char libbpf_last[256]; /* libbpf's last warning: the detail of a load failure */

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN) {
		va_list copy;

		va_copy(copy, ap);
		vsnprintf(libbpf_last, sizeof(libbpf_last), fmt, copy);
		va_end(copy);
		libbpf_last[strcspn(libbpf_last, "\n")] = 0;
	}
	if (!verbose_libbpf || (level == LIBBPF_DEBUG && !getenv("VIGIL_LIBBPF_DEBUG")))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

int vg_kallsyms_ranges(const char *kallsyms, const char *const *names, size_t n, __u64 *lo,
		       __u64 *hi)
{
	size_t found = 0, cap = 0, open_ranges = 0;
	char *line = NULL;
	ssize_t len;
	FILE *f = fopen(kallsyms, "re");

	if (!f)
		return -errno;
	for (size_t i = 0; i < n; i++)
		lo[i] = hi[i] = 0;
	/*
	 * One pass: kallsyms lists the kernel's text in address order, so a function ends
	 * where the first later symbol starts. Reading it costs ~0.5 s a pass on this kind
	 * of machine, so every name is looked up in the same pass.
	 */
	while ((len = getline(&line, &cap, f)) > 0) {
		char *end, *name;
		unsigned long long addr = strtoull(line, &end, 16);

		if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
			continue;
		for (size_t i = 0; i < n && open_ranges; i++)
			if (lo[i] && !hi[i] && addr > lo[i]) {
				hi[i] = addr;
				open_ranges--;
			}
		if (found == n && !open_ranges)
			break;
		if (end[1] != 't' && end[1] != 'T')
			continue;
		name = end + 3;
		name[strcspn(name, " \t\n")] = 0;
		for (size_t i = 0; i < n; i++)
			if (!lo[i] && !strcmp(name, names[i])) {
				lo[i] = addr;
				found++;
				open_ranges++;
			}
	}
	free(line);
	fclose(f);
	for (size_t i = 0; i < n; i++)
		if (lo[i] && !hi[i])
			hi[i] = lo[i] + 1; /* the last symbol: only its first byte is known */
	return found;
}

/*
 * Callers of cap_capable that ask without auditing: a check through them probes, it does
 * not use the capability (KERNEL-NOTES: capability checks).
 */
static const char *const noaudit_callers[] = {
	"ns_capable_noaudit",
	"has_ns_capability_noaudit",
	"has_capability_noaudit",
};

static void set_capability_filters(struct vigil_bpf *skel)
{
	/* the no-audit callers, then the noise */
	const char *const names[] = { noaudit_callers[0], noaudit_callers[1], noaudit_callers[2],
				      "security_vm_enough_memory_mm" };
	const size_t n_names = sizeof(names) / sizeof(names[0]);
	__u64 lo[sizeof(names) / sizeof(names[0])], hi[sizeof(names) / sizeof(names[0])];
	__u32 n = 0;

	if (vg_kallsyms_ranges("/proc/kallsyms", names, n_names, lo, hi) <= 0)
		return;
	for (size_t i = 0; i + 1 < n_names && n < VIGIL_NOAUDIT_MAX; i++) {
		if (!lo[i])
			continue;
		skel->rodata->noaudit_lo[n] = lo[i];
		skel->rodata->noaudit_hi[n] = hi[i];
		n++;
	}
	skel->rodata->n_noaudit = n;
	skel->rodata->noise_lo = lo[n_names - 1];
	skel->rodata->noise_hi = hi[n_names - 1];
}

static const char *tracefs_dir(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[128];

	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	/* a host where nobody mounted tracefs yet: libbpf needs it for tracepoint ids */
	if (!mount("nodev", dirs[0], "tracefs", 0, NULL))
		return dirs[0];
	return NULL;
}

/*
 * Flood headroom (vigil/bpf_shared.h): past half the ring, a cgroup's records cost time at
 * twice the ring a second, with a burst of a sixteenth of the ring (1/32 s whatever its size).
 */
static void set_flood_budget(struct vigil_bpf *skel, __u64 ring_bytes)
{
	skel->rodata->shed_half_bytes = ring_bytes / 2;
	skel->rodata->budget_ns_per_kib = 1000000000ULL * 1024 / (2 * ring_bytes);
	skel->rodata->budget_burst_ns = 1000000000ULL / 32;
}

/*
 * Root, BTF, tracefs, the object opened and every hook checked against this kernel (those it
 * lacks left out, the capability hook chosen): all but the load.
 */
static int open_checked(struct vg_loader *l, char *err, size_t errlen)
{
	/* VIGIL_BTF_PATH: where the tests point it to prove the no-BTF message */
	const char *btf_path = getenv("VIGIL_BTF_PATH") ?: "/sys/kernel/btf/vmlinux";
	const char *tracefs;
	struct btf *vmlinux;
	int rc;

	if (geteuid() != 0)
		return fail(err, errlen, -EPERM,
			    "vigil run needs root (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN): "
			    "run it with sudo");
	if (access(btf_path, R_OK))
		return fail(err, errlen, -ENOENT,
			    "kernel has no BTF (%s missing): vigil needs a kernel built with "
			    "CONFIG_DEBUG_INFO_BTF=y (5.8 or later)",
			    btf_path);
	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		return fail(err, errlen, -errno,
			    "cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s",
			    strerror(errno));
	tracefs = tracefs_dir();
	if (!tracefs) {
		btf__free(vmlinux);
		return fail(err, errlen, -ENOENT,
			    "tracefs is not mounted and cannot be: mount -t tracefs nodev "
			    "/sys/kernel/tracing");
	}

	l->skel = vigil_bpf__open();
	if (!l->skel) {
		btf__free(vmlinux);
		return fail(err, errlen, -errno, "cannot open the BPF object: %s", strerror(errno));
	}
	/* before the check, which counts only the programs kept */
	vg_hooks_pick_socket_reads(l->skel->obj, vmlinux, &l->coverage);
	rc = vg_hooks_check(l->skel->obj, vmlinux, tracefs, &l->coverage, err, errlen);
	if (!rc)
		vg_hooks_pick_capability(l->skel->obj, vmlinux, &l->coverage);
	btf__free(vmlinux);
	return rc;
}

int vg_loader_coverage(struct vg_coverage *cov, char *err, size_t errlen)
{
	struct vg_loader l = {};
	int rc;

	libbpf_set_print(libbpf_print);
	rc = open_checked(&l, err, errlen);
	*cov = l.coverage;
	if (l.skel)
		vigil_bpf__destroy(l.skel);
	return rc;
}

/* the mapped array: its values, to a whole page */
static size_t send_slots_bytes(const struct vg_loader *l)
{
	size_t page = sysconf(_SC_PAGESIZE);

	return (l->n_send_slots * sizeof(struct vigil_send_slot) + page - 1) / page * page;
}

int vg_loader_start(struct vg_loader *l, const struct vg_loader_opts *opts, char *err,
		    size_t errlen)
{
	struct bpf_program *prog;
	int rc;

	memset(l, 0, sizeof(*l));
	l->ringbuf_fd = l->counters_fd = l->syscall_sets_fd = l->connect_seen_fd = -1;
	l->cgroup_ringbuf_fd = l->shed_fd = -1;
	l->write_seen_fd = -1;
	l->send_slots = NULL;
	l->n_send_slots = 0;
	verbose_libbpf = opts->verbose;
	libbpf_set_print(libbpf_print);

	rc = open_checked(l, err, errlen);
	if (rc)
		goto out;

	l->skel->rodata->want_host = opts->host;
	l->skel->rodata->self_tgid = getpid();
	l->skel->rodata->cap_dedup = opts->cap_dedup;
	l->skel->rodata->alerts_only = opts->alerts_only;
	set_capability_filters(l->skel);
	if (opts->ringbuf_bytes)
		bpf_map__set_max_entries(l->skel->maps.events, opts->ringbuf_bytes);
	if (opts->flood_headroom)
		set_flood_budget(l->skel, bpf_map__max_entries(l->skel->maps.events));
	/* the task walk runs on demand, it is not attached */
	bpf_program__set_autoattach(l->skel->progs.snapshot_tasks, false);
	/* sys_enter runs on every system call on the host: only when asked for */
	rc = libbpf_num_possible_cpus();
	if (rc < 0) {
		rc = fail(err, errlen, rc, "cannot count the possible CPUs (%s): is /sys mounted?",
			  strerror(-rc));
		goto out;
	}
	/* a send slot per CPU; the array is indexed by the CPU a program runs on */
	l->n_send_slots = rc;
	bpf_map__set_max_entries(l->skel->maps.send_slots, rc);
	rc = 0;
	if (opts->syscalls)
		bpf_map__set_max_entries(l->skel->maps.syscall_sets, VIGIL_SYSCALL_CGROUPS_MAX);
	else
		bpf_program__set_autoload(l->skel->progs.handle_sys_enter, false);

	if (getenv("VIGIL_LIBBPF_DEBUG")) /* verifier statistics per program */
		bpf_object__for_each_program(prog, l->skel->obj)
			bpf_program__set_log_level(prog, 4);
	rc = vigil_bpf__load(l->skel);
	if (rc) {
		rc = fail(err, errlen, rc,
			  "the kernel refused the BPF programs (%s)%s%s: check the kernel is 5.8+ "
			  "with BTF and that no LSM (lockdown) forbids BPF",
			  strerror(-rc), libbpf_last[0] ? ": " : "", libbpf_last);
		goto out;
	}
	bpf_object__for_each_program(prog, l->skel->obj)
	{
		struct bpf_link *link;

		if (!bpf_program__autoload(prog) || prog == l->skel->progs.snapshot_tasks)
			continue;
		link = bpf_program__attach(prog);
		if (!link) {
			rc = -errno;
			if (vg_hooks_attach_failed(&l->coverage, bpf_program__section_name(prog),
						   rc))
				continue; /* said at start, with the hooks the kernel lacks */
			fail(err, errlen, rc, "cannot attach %s (%s): %s",
			     bpf_program__section_name(prog), bpf_program__name(prog),
			     strerror(-rc));
			goto out;
		}
		if (l->n_attached >= VG_LOADER_MAX_LINKS) {
			bpf_link__destroy(link);
			rc = fail(err, errlen, -E2BIG, "too many BPF programs (raise VG_LOADER_MAX_LINKS)");
			goto out;
		}
		l->links[l->n_attached++] = link;
	}
	l->ringbuf_fd = bpf_map__fd(l->skel->maps.events);
	l->cgroup_ringbuf_fd = bpf_map__fd(l->skel->maps.cgroup_events);
	l->shed_fd = bpf_map__fd(l->skel->maps.shed);
	l->counters_fd = bpf_map__fd(l->skel->maps.counters);
	l->connect_seen_fd = bpf_map__fd(l->skel->maps.connect_seen);
	l->write_seen_fd = bpf_map__fd(l->skel->maps.write_seen);
	if (opts->syscalls)
		l->syscall_sets_fd = bpf_map__fd(l->skel->maps.syscall_sets);
	l->send_slots = mmap(NULL, send_slots_bytes(l), PROT_READ | PROT_WRITE, MAP_SHARED,
			     bpf_map__fd(l->skel->maps.send_slots), 0);
	if (l->send_slots == MAP_FAILED) {
		rc = -errno;
		l->send_slots = NULL;
		rc = fail(err, errlen, rc, "cannot map the send slots (%s)", strerror(-rc));
		goto out;
	}
	return 0;
out:
	vg_loader_stop(l);
	return rc;
}

int vg_loader_snapshot(struct vg_loader *l, void (*fn)(void *ctx, const void *rec, size_t len),
		       void *ctx)
{
	struct bpf_link *link;
	struct vigil_exec rec;
	size_t have = 0;
	ssize_t n;
	int fd, rc = 0;

	link = bpf_program__attach_iter(l->skel->progs.snapshot_tasks, NULL);
	if (!link)
		return -errno;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	/* the walk writes whole fixed-size records; read() may split them */
	while ((n = read(fd, (char *)&rec + have, sizeof(rec) - have)) > 0) {
		have += n;
		if (have == sizeof(rec)) {
			fn(ctx, &rec, sizeof(rec));
			have = 0;
		}
	}
	if (n < 0)
		rc = -errno;
	close(fd);
out:
	bpf_link__destroy(link);
	return rc;
}

int vg_loader_counters(struct vg_loader *l, struct vigil_counters *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct vigil_counters *percpu;
	__u32 zero = 0;

	memset(out, 0, sizeof(*out));
	if (ncpu <= 0)
		return ncpu;
	percpu = calloc(ncpu, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(l->counters_fd, &zero, percpu)) {
		free(percpu);
		return -errno;
	}
	for (int c = 0; c < ncpu; c++) {
		for (int t = 0; t < VIGIL_EVENT_TYPE_MAX; t++)
			out->lost[t] += percpu[c].lost[t];
		out->map_fail += percpu[c].map_fail;
	}
	free(percpu);
	return 0;
}

int vg_loader_set_write_filter(struct vg_loader *l, const char (*prefixes)[VIGIL_WRITE_PREFIX_MAX],
				size_t n)
{
	struct vigil_write_filter f = {};
	__u32 zero = 0;

	for (size_t i = 0; i < n && f.n < VIGIL_WRITE_PREFIXES; i++, f.n++) {
		f.len[f.n] = strnlen(prefixes[i], VIGIL_WRITE_PREFIX_MAX - 1);
		memcpy(f.prefix[f.n], prefixes[i], f.len[f.n]);
	}
	if (bpf_map_update_elem(bpf_map__fd(l->skel->maps.write_filter), &zero, &f, BPF_ANY))
		return -errno;
	return 0;
}

int vg_loader_set_sock_ids(struct vg_loader *l, const struct vg_sockids *ids)
{
	int fd = bpf_map__fd(l->skel->maps.sock_ids);
	struct vigil_sock_id key, next;
	__u32 one = 1;
	bool more;

	/* the old set out first: a socket no longer listed must not stay flagged */
	more = !bpf_map_get_next_key(fd, NULL, &key);
	while (more) {
		more = !bpf_map_get_next_key(fd, &key, &next);
		bpf_map_delete_elem(fd, &key);
		key = next;
	}
	for (size_t i = 0; i < ids->n && i < VIGIL_SOCK_IDS_MAX; i++) {
		struct vigil_sock_id k = { .ino = ids->ids[i].ino, .dev = ids->ids[i].dev };

		if (bpf_map_update_elem(fd, &k, &one, BPF_ANY))
			return -errno;
	}
	return 0;
}

int vg_loader_take_counts(struct vg_loader *l, enum vg_counted what,
			  void (*fn)(void *ctx, const void *key, __u64 count), void *ctx)
{
	static const struct {
		size_t key_size;
		unsigned int max;
	} maps[] = {
		[VG_COUNTED_CONNECTS] = { sizeof(struct vigil_connect_key), VIGIL_CONNECT_SEEN_MAX },
		[VG_COUNTED_WRITES] = { sizeof(struct vigil_write_key), VIGIL_WRITE_SEEN_MAX },
		[VG_COUNTED_SHED] = { sizeof(struct vigil_shed_key), VIGIL_SHED_MAX },
	};
	int fds[] = { l->connect_seen_fd, l->write_seen_fd, l->shed_fd };
	int fd = fds[what];
	size_t key_size = maps[what].key_size;
	unsigned int max = maps[what].max;
	unsigned int n = 0;
	char *keys;
	__u64 count;

	if (fd < 0)
		return -EBADF;
	/* the keys first: deleting while walking would restart the walk */
	keys = calloc(max, key_size);
	if (!keys)
		return -ENOMEM;
	while (n < max && !bpf_map_get_next_key(fd, n ? keys + (n - 1) * key_size : NULL,
						  keys + n * key_size))
		n++;
	for (unsigned int i = 0; i < n; i++) {
		void *key = keys + i * key_size;

		/* atomic: a count added meanwhile is either taken here or starts a new entry */
		if (bpf_map_lookup_and_delete_elem(fd, key, &count)) {
			if (errno != EINVAL && errno != KERNEL_ENOTSUPP && errno != EOPNOTSUPP)
				continue; /* gone meanwhile */
			/* kernels before 5.14: not atomic, a count added in between is lost */
			if (bpf_map_lookup_elem(fd, key, &count))
				continue;
			bpf_map_delete_elem(fd, key);
		}
		if (count)
			fn(ctx, key, count);
	}
	free(keys);
	return n;
}

size_t vg_loader_take_send_repeats(struct vg_loader *l,
				   void (*fn)(void *ctx, const void *key, __u64 count), void *ctx)
{
	if (!l->send_slots)
		return 0;
	return vg_send_slots_take(l->send_slots, l->n_send_slots, fn, ctx);
}

void vg_loader_forget_cached(struct vg_loader *l)
{
	if (l->skel && l->skel->bss)
		__atomic_fetch_add(&l->skel->bss->policy_epoch, 1, __ATOMIC_RELEASE);
}

void vg_loader_stop(struct vg_loader *l)
{
	while (l->n_attached > 0)
		bpf_link__destroy(l->links[--l->n_attached]);
	if (l->send_slots)
		munmap(l->send_slots, send_slots_bytes(l));
	l->send_slots = NULL;
	if (l->skel)
		vigil_bpf__destroy(l->skel);
	l->skel = NULL;
}
