// SPDX-License-Identifier: GPL-2.0
/* System call sets: kernel bitmaps into capture records, and numbers back to names. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/audit.h>
#include <bpf/bpf.h>

#include "capture.h"
#include "container.h"
#include "pipeline.h"
#include "syscall_table.h"
#include "syscalls.h"

int vg_syscalls_record_parse(const void *data, size_t len, struct vg_syscalls_record *out,
			     bool *beyond)
{
	const __u8 *bytes = data;
	__u32 nbits, words;

	*beyond = false;
	memset(out, 0, sizeof(*out));
	if (len < VG_SYSCALLS_RECORD_HDR)
		return -EINVAL;
	memcpy(out, data, VG_SYSCALLS_RECORD_HDR);
	nbits = out->nbits;
	if (!nbits || nbits % 64 || nbits > VG_SYSCALLS_NBITS_MAX ||
	    len != VG_SYSCALLS_RECORD_HDR + nbits / 8)
		return -EINVAL;
	words = nbits / 64;
	memcpy(out->bits, bytes + VG_SYSCALLS_RECORD_HDR,
	       (words < VIGIL_SYSCALL_WORDS ? words : VIGIL_SYSCALL_WORDS) * sizeof(__u64));
	for (__u32 w = VIGIL_SYSCALL_WORDS; w < words; w++) {
		__u64 word;

		memcpy(&word, bytes + VG_SYSCALLS_RECORD_HDR + w * sizeof(word), sizeof(word));
		*beyond |= word != 0;
	}
	out->nbits = VIGIL_SYSCALL_BITS;
	return 0;
}

__u32 vg_syscalls_host_arch(void)
{
#if defined(__x86_64__)
	return AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
	return AUDIT_ARCH_AARCH64;
#else
	return 0;
#endif
}

const char *vg_syscall_name(__u32 arch, unsigned int nr)
{
	if (nr >= VIGIL_SYSCALL_BITS)
		return NULL;
	switch (arch) {
	case AUDIT_ARCH_X86_64:
		return vg_syscall_names_x86_64[nr];
	case AUDIT_ARCH_AARCH64:
		return vg_syscall_names_arm64[nr];
	default:
		return NULL;
	}
}

const char *vg_syscall_arch_name(__u32 arch)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64:
		return "x86_64";
	case AUDIT_ARCH_AARCH64:
		return "arm64";
	default:
		return NULL;
	}
}

const char *vg_syscall_seccomp_arch(__u32 arch)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64:
		return "SCMP_ARCH_X86_64";
	case AUDIT_ARCH_AARCH64:
		return "SCMP_ARCH_AARCH64";
	default:
		return NULL;
	}
}

/* What the capture already holds for a cgroup. */
struct written_set {
	__u64 cgroup_id;
	struct vigil_syscall_set set;
};

struct vg_syscalls {
	int map_fd;
	struct written_set *written; /* sorted by cgroup id */
	size_t n_written;
};

struct vg_syscalls *vg_syscalls_new(int map_fd)
{
	struct vg_syscalls *s;

	if (map_fd < 0) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s)
		s->map_fd = map_fd;
	return s;
}

void vg_syscalls_free(struct vg_syscalls *s)
{
	if (!s)
		return;
	free(s->written);
	free(s);
}

void vg_syscalls_forget(struct vg_syscalls *s)
{
	s->n_written = 0;
}

static int cmp_written(const void *a, const void *b)
{
	const struct written_set *x = a, *y = b;

	return x->cgroup_id < y->cgroup_id ? -1 : x->cgroup_id > y->cgroup_id;
}

static const struct written_set *find_written(const struct vg_syscalls *s, __u64 cgroup_id)
{
	struct written_set key = {.cgroup_id = cgroup_id};

	if (!s->n_written)
		return NULL;
	return bsearch(&key, s->written, s->n_written, sizeof(key), cmp_written);
}

/*
 * A profile attributes a set through the capture's container records. The pipeline writes one
 * on a container's first event, so this only matters for a cgroup that made system calls but
 * no event vigil reports; it is then written here, the way the pipeline would have.
 */
static void record_container(struct vg_pipeline *p, __u64 cgroup_id)
{
	const struct vg_container *c;
	bool is_new = false;

	c = vg_containers_lookup(p->containers, cgroup_id, &is_new);
	if (c && is_new)
		vg_pipeline_record_container(p, c);
}

int vg_syscalls_flush(struct vg_syscalls *s, struct vg_pipeline *p, __u64 now_boot_ns)
{
	struct written_set *now = NULL;
	size_t n_now = 0, cap_now = 0;
	__u64 key, *prev = NULL;
	int grown = 0;

	/*
	 * The map is walked while the kernel adds to it; a key the LRU evicts mid-walk can make
	 * get_next_key start over, so the walk is bounded by the map's size.
	 */
	for (size_t visited = 0; visited < 2 * VIGIL_SYSCALL_CGROUPS_MAX &&
				 !bpf_map_get_next_key(s->map_fd, prev, &key);
	     visited++, prev = &now[n_now - 1].cgroup_id) {
		struct vg_syscalls_record rec = {.cgroup_id = key};
		const struct written_set *old;
		struct vigil_syscall_set set;
		bool more = false;

		if (bpf_map_lookup_elem(s->map_fd, &key, &set))
			memset(&set, 0, sizeof(set)); /* evicted since: keep what was written */
		old = find_written(s, key);
		for (int w = 0; w < VIGIL_SYSCALL_WORDS; w++) {
			__u64 before = old ? old->set.bits[w] : 0;

			more |= (set.bits[w] & ~before) != 0;
			rec.bits[w] = set.bits[w] | before;
		}
		if (n_now == cap_now) {
			size_t cap = cap_now ? 2 * cap_now : 64;
			struct written_set *bigger = realloc(now, cap * sizeof(*now));

			if (!bigger) {
				free(now);
				return -ENOMEM;
			}
			now = bigger;
			cap_now = cap;
		}
		now[n_now].cgroup_id = key;
		memcpy(now[n_now].set.bits, rec.bits, sizeof(rec.bits));
		n_now++;
		if (!more || !p->capture)
			continue;
		rec.time_ns = now_boot_ns;
		rec.arch = vg_syscalls_host_arch();
		rec.nbits = VIGIL_SYSCALL_BITS;
		record_container(p, key);
		vg_pipeline_capture(p, VG_REC_SYSCALLS, &rec, sizeof(rec));
		grown++;
	}
	/* cgroups the kernel no longer holds are forgotten: the map bounds this table */
	if (n_now > 1)
		qsort(now, n_now, sizeof(*now), cmp_written);
	free(s->written);
	s->written = now;
	s->n_written = n_now;
	return grown;
}
