/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-CPU send slots' repeats (struct vigil_send_slot, bpf/connect.bpf.h): taken from the
 * mapped array while the kernel keeps counting into it.
 */
#ifndef VIGIL_SENDSLOT_H
#define VIGIL_SENDSLOT_H

#include <stddef.h>
#include <linux/types.h>
#include "vigil/bpf_shared.h"

/*
 * Takes the repeats of every slot whose key is whole, leaving its generation, and calls fn
 * with the key and the count. A slot being rewritten is left for the next time (its repeats
 * then go to connect_seen or stay counted). Returns the number of counts handed to fn.
 */
size_t vg_send_slots_take(struct vigil_send_slot *slots, size_t n,
			  void (*fn)(void *ctx, const void *key, __u64 count), void *ctx);

#endif
