// SPDX-License-Identifier: GPL-2.0
/*
 * Taking the send slots' repeats. The kernel swaps a slot's word whole when it reuses the
 * slot and adds to it for each repeat; here a compare and swap clears the repeats and keeps
 * the generation. If it succeeds, the word had not changed since it was read, so the slot was
 * not reused meanwhile, and a key read between seeing gen equal to the word's generation
 * twice was written whole for that generation: the count is that key's, taken once.
 */
#include <stdbool.h>
#include <string.h>

#include "sendslot.h"

size_t vg_send_slots_take(struct vigil_send_slot *slots, size_t n,
			  void (*fn)(void *ctx, const void *key, __u64 count), void *ctx)
{
	size_t taken = 0;

	for (size_t i = 0; i < n; i++) {
		struct vigil_send_slot *s = &slots[i];
		struct vigil_connect_key key;
		__u64 word, gen;

		word = __atomic_load_n(&s->word, __ATOMIC_ACQUIRE);
		for (;;) {
			gen = word >> VIGIL_SEND_REPEAT_BITS;
			if (!(word & VIGIL_SEND_REPEAT_MASK) ||
			    __atomic_load_n(&s->gen, __ATOMIC_ACQUIRE) != gen)
				break;
			memcpy(&key, &s->key, sizeof(key));
			if (__atomic_load_n(&s->gen, __ATOMIC_ACQUIRE) != gen)
				break;
			/* on failure word is reloaded: a repeat counted meanwhile, or a reuse */
			if (__atomic_compare_exchange_n(&s->word, &word,
							gen << VIGIL_SEND_REPEAT_BITS, false,
							__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
				fn(ctx, &key, word & VIGIL_SEND_REPEAT_MASK);
				taken++;
				break;
			}
		}
	}
	return taken;
}
