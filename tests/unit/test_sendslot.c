// SPDX-License-Identifier: GPL-2.0
/*
 * Taking the per-CPU send slots' repeats (src/sendslot.c) while the kernel keeps counting:
 * a count is taken once, for the key it was counted for; a slot being rewritten is left
 * alone. The kernel's side (bpf/connect.bpf.h: a hit adds one, a reuse swaps the word and
 * flushes the old repeats) is played by threads doing the same atomic steps.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include "unit.h"
#include "sendslot.h"

#define KEYS 16

struct tally {
	__u64 by_key[KEYS + 1];
	size_t calls;
};

static void take_fn(void *ctx, const void *key, __u64 count)
{
	struct tally *t = ctx;
	const struct vigil_connect_key *k = key;

	ck_assert_uint_le(k->cgroup_id, KEYS);
	t->by_key[k->cgroup_id] += count;
	t->calls++;
}

static __u64 word_of(__u64 gen, __u64 repeats)
{
	return gen << VIGIL_SEND_REPEAT_BITS | repeats;
}

START_TEST(takes_the_repeats_and_keeps_the_generation)
{
	struct vigil_send_slot slots[2] = {};
	struct tally t = {};

	slots[0].key.cgroup_id = 3;
	slots[0].gen = 7;
	slots[0].word = word_of(7, 41);
	slots[1].key.cgroup_id = 4;
	slots[1].gen = 2;
	slots[1].word = word_of(2, 0); /* nothing counted: nothing handed on */
	ck_assert_uint_eq(vg_send_slots_take(slots, 2, take_fn, &t), 1);
	ck_assert_uint_eq(t.by_key[3], 41);
	ck_assert_uint_eq(slots[0].word, word_of(7, 0));
	ck_assert_uint_eq(slots[0].gen, 7);
	/* taken once: a second pass finds nothing */
	ck_assert_uint_eq(vg_send_slots_take(slots, 2, take_fn, &t), 0);
	ck_assert_uint_eq(t.calls, 1);
}
END_TEST

START_TEST(a_slot_being_rewritten_is_left_alone)
{
	struct vigil_send_slot slots[2] = {};
	struct tally t = {};

	/* the kernel swapped the word (generation 5) and is writing the key: gen says 0 */
	slots[0].key.cgroup_id = 3;
	slots[0].gen = 0;
	slots[0].word = word_of(5, 9);
	/* gen still names the previous generation */
	slots[1].key.cgroup_id = 4;
	slots[1].gen = 4;
	slots[1].word = word_of(5, 9);
	ck_assert_uint_eq(vg_send_slots_take(slots, 2, take_fn, &t), 0);
	ck_assert_uint_eq(slots[0].word, word_of(5, 9));
	ck_assert_uint_eq(slots[1].word, word_of(5, 9));
}
END_TEST

/* One CPU's worth of the kernel's side: runs of repeats to a key, then another key. */
struct cpu {
	struct vigil_send_slot *slot;
	__u64 hits[KEYS + 1];    /* repeats counted into the slot, per key */
	__u64 flushed[KEYS + 1]; /* repeats a reuse took out of the slot, per key */
	unsigned int seed;
	atomic_bool *done;
};

static void kernel_fill(struct cpu *c, __u64 key)
{
	struct vigil_send_slot *s = c->slot;
	__u64 old = s->key.cgroup_id, gen, word;

	gen = ((__atomic_load_n(&s->word, __ATOMIC_RELAXED) >> VIGIL_SEND_REPEAT_BITS) + 1) &
	      (~0ULL >> VIGIL_SEND_REPEAT_BITS);
	if (!gen)
		gen = 1;
	__atomic_store_n(&s->gen, 0, __ATOMIC_RELAXED);
	word = __atomic_exchange_n(&s->word, gen << VIGIL_SEND_REPEAT_BITS, __ATOMIC_SEQ_CST);
	c->flushed[old] += word & VIGIL_SEND_REPEAT_MASK;
	memset(&s->key, 0, sizeof(s->key));
	s->key.cgroup_id = key;
	s->key.port = (__u16)key;
	__atomic_exchange_n(&s->gen, gen, __ATOMIC_SEQ_CST);
}

static void *kernel_cpu(void *arg)
{
	struct cpu *c = arg;

	for (int run = 0; run < 3000; run++) {
		__u64 key = 1 + rand_r(&c->seed) % KEYS;
		int n = rand_r(&c->seed) % 200;

		kernel_fill(c, key); /* the first datagram: a record, not a repeat */
		for (int i = 0; i < n; i++) {
			__atomic_fetch_add(&c->slot->word, 1, __ATOMIC_SEQ_CST);
			c->hits[key]++;
		}
	}
	atomic_store(c->done, true);
	return NULL;
}

START_TEST(counts_taken_while_the_kernel_counts_add_up)
{
	struct vigil_send_slot slots[2] = {};
	struct cpu cpus[2] = {};
	atomic_bool done[2] = {false, false};
	pthread_t th[2];
	struct tally t = {};

	for (int i = 0; i < 2; i++) {
		cpus[i] = (struct cpu){ .slot = &slots[i], .seed = 17 + i, .done = &done[i] };
		ck_assert_int_eq(pthread_create(&th[i], NULL, kernel_cpu, &cpus[i]), 0);
	}
	while (!atomic_load(&done[0]) || !atomic_load(&done[1]))
		vg_send_slots_take(slots, 2, take_fn, &t);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	vg_send_slots_take(slots, 2, take_fn, &t); /* what the last runs left */
	ck_assert_uint_gt(t.calls, 0);
	for (int k = 1; k <= KEYS; k++) {
		__u64 hits = cpus[0].hits[k] + cpus[1].hits[k];
		__u64 flushed = cpus[0].flushed[k] + cpus[1].flushed[k];

		ck_assert_msg(t.by_key[k] + flushed == hits,
			      "key %d: %llu taken + %llu flushed != %llu counted", k,
			      (unsigned long long)t.by_key[k], (unsigned long long)flushed,
			      (unsigned long long)hits);
	}
}
END_TEST

static Suite *sendslot_suite(void)
{
	Suite *s = suite_create("sendslot");
	TCase *tc = tcase_create("take");

	tcase_add_test(tc, takes_the_repeats_and_keeps_the_generation);
	tcase_add_test(tc, a_slot_being_rewritten_is_left_alone);
	tcase_add_test(tc, counts_taken_while_the_kernel_counts_add_up);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

VIGIL_TEST_MAIN(sendslot_suite)
