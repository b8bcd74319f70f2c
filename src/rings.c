// SPDX-License-Identifier: GPL-2.0
/* The cgroup ring and the event ring, polled together, read cgroups first. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "rings.h"

static void view_open(struct vg_rings *r, int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	void *cons, *prod;

	/* libbpf 1.1 has no query of the fill: the positions are the first two mapped pages */
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return;
	r->size = info.max_entries;
	cons = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	if (cons == MAP_FAILED)
		return;
	prod = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, page);
	if (prod == MAP_FAILED) {
		munmap(cons, page);
		return;
	}
	r->consumer = cons;
	r->producer = prod;
}

static int watch(int epoll_fd, struct ring_buffer *rb)
{
	struct epoll_event ev = { .events = EPOLLIN };

	ev.data.fd = ring_buffer__epoll_fd(rb);
	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, ev.data.fd, &ev) ? -errno : 0;
}

int vg_rings_open(struct vg_rings *r, int events_fd, int cgroups_fd, vg_ring_fn on_event,
		  vg_ring_fn on_cgroup, void *ctx)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epoll_fd < 0) {
		err = -errno;
		goto out;
	}
	r->events = ring_buffer__new(events_fd, on_event, ctx, NULL);
	if (!r->events) {
		err = -errno;
		goto out;
	}
	r->cgroups = ring_buffer__new(cgroups_fd, on_cgroup, ctx, NULL);
	if (!r->cgroups) {
		err = -errno;
		goto out;
	}
	err = watch(r->epoll_fd, r->cgroups);
	if (!err)
		err = watch(r->epoll_fd, r->events);
	if (err)
		goto out;
	view_open(r, events_fd);
	return 0;
out:
	vg_rings_close(r);
	return err ? err : -EINVAL;
}

void vg_rings_close(struct vg_rings *r)
{
	long page = sysconf(_SC_PAGESIZE);

	ring_buffer__free(r->events);
	ring_buffer__free(r->cgroups);
	if (r->epoll_fd > 0)
		close(r->epoll_fd);
	if (r->consumer)
		munmap((void *)r->consumer, page);
	if (r->producer)
		munmap((void *)r->producer, page);
	memset(r, 0, sizeof(*r));
	r->epoll_fd = -1;
}

void vg_rings_drain_cgroups(struct vg_rings *r)
{
	if (r->cgroups)
		ring_buffer__consume(r->cgroups);
}

void vg_rings_drain(struct vg_rings *r)
{
	vg_rings_drain_cgroups(r);
	if (r->events)
		ring_buffer__consume(r->events);
}

int vg_rings_poll(struct vg_rings *r, int timeout_ms)
{
	struct epoll_event evs[2];
	int n = epoll_wait(r->epoll_fd, evs, 2, timeout_ms);

	if (n < 0)
		return -errno;
	/*
	 * Whatever woke us (or nothing: records written without a wake-up are read here, at
	 * most timeout_ms late), cgroups go first.
	 */
	vg_rings_drain(r);
	return n;
}

__u64 vg_rings_written(const struct vg_rings *r)
{
	return r->producer ? __atomic_load_n(r->producer, __ATOMIC_ACQUIRE) : 0;
}

__u64 vg_rings_read(const struct vg_rings *r)
{
	return r->consumer ? __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE) : 0;
}

double vg_rings_fill(const struct vg_rings *r)
{
	unsigned long cons, prod;

	if (!r->consumer || !r->size)
		return -1;
	cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
	return prod > cons ? (double)(prod - cons) / r->size : 0;
}
