/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's two ring buffers: container cgroups' paths (few, each waking the agent) and the
 * events. The cgroup ring is always read first, so that a container is known before any of
 * its events is handled, however far behind the event ring is.
 */
#ifndef VIGIL_RINGS_H
#define VIGIL_RINGS_H

#include <linux/types.h>

struct ring_buffer;

struct vg_rings {
	struct ring_buffer *events, *cgroups;
	int epoll_fd;
	/* the event ring's positions, mapped read-only: how far the kernel wrote, we read */
	const unsigned long *consumer, *producer;
	__u64 size;
};

typedef int (*vg_ring_fn)(void *ctx, void *data, size_t size);

/* 0, or -errno with *rings cleared. */
int vg_rings_open(struct vg_rings *r, int events_fd, int cgroups_fd, vg_ring_fn on_event,
		  vg_ring_fn on_cgroup, void *ctx);
void vg_rings_close(struct vg_rings *r);
/* Waits up to timeout_ms for a wake-up, then reads the cgroup ring, then the events. */
int vg_rings_poll(struct vg_rings *r, int timeout_ms);
/* Reads what is there without waiting: the cgroup ring, then the events. */
void vg_rings_drain(struct vg_rings *r);
/* Reads the cgroup ring only (from an event's handler that meets an unknown cgroup). */
void vg_rings_drain_cgroups(struct vg_rings *r);
/* Event ring positions (bytes, monotonic); 0 when unknown. */
__u64 vg_rings_written(const struct vg_rings *r);
__u64 vg_rings_read(const struct vg_rings *r);
/* Share of the event ring written but not yet read; -1 when unknown. */
double vg_rings_fill(const struct vg_rings *r);

#endif
