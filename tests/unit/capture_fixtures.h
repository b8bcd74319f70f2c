/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the capture tests share: the layout as docs/capture-format.md states it (written down
 * independently of src/capture_format.h), captures built in memory and in files, and readers
 * that collect their warnings.
 */
#ifndef VIGIL_TEST_CAPTURE_FIXTURES_H
#define VIGIL_TEST_CAPTURE_FIXTURES_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "unit.h"
#include "capture.h"
#include "vigil/events.h"

/* The layout as docs/capture-format.md states it, written down independently of capture.c. */
#define HEADER_LEN	 232
#define BLOCK_HEADER_LEN 36
static __attribute__((unused)) const unsigned char sync_marker[8] = {0xd1, 'V', 'G', 'B', 'L', 'K', '\r', '\n'};

/* ---- helpers ---- */

struct warnings {
	int count;
	char text[8192]; /* every warning, one a line */
};

static inline void collect_warning(void *ctx, const char *message)
{
	struct warnings *w = ctx;
	size_t used = strlen(w->text);

	w->count++;
	snprintf(w->text + used, sizeof(w->text) - used, "%s\n", message);
}

/* Record i of a synthetic stream: type, length and bytes are all functions of i. */
static inline unsigned int rec_type(unsigned int i)
{
	return VG_REC_EVENT + i % 4;
}

static inline size_t rec_len(unsigned int i)
{
	static const size_t lens[] = {0, 1, 7, 8, 9, 96, 300, 2048};

	return lens[i % 8];
}

static inline void rec_fill(unsigned int i, unsigned char *buf, size_t len)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = (unsigned char)(i * 31 + k * 7 + (k >> 8));
}

/* Incompressible bytes: zlib stores them, so the block is as large as blocks get. */
static inline void fill_noise(unsigned char *buf, size_t len, unsigned int seed)
{
	for (size_t k = 0; k < len; k++) {
		seed = seed * 1103515245u + 12345u;
		buf[k] = seed >> 16;
	}
}

static inline void append_rec(struct vg_capture_writer *w, unsigned int i)
{
	unsigned char buf[2048];

	rec_fill(i, buf, rec_len(i));
	ck_assert_int_eq(vg_capture_append(w, rec_type(i), buf, rec_len(i)), 0);
}

/* Reads every record and checks it is record expect[j] of the synthetic stream, in order. */
static inline void expect_records(struct vg_capture_reader *r, const unsigned int *expect, size_t n)
{
	unsigned char want[2048];
	const void *data;
	unsigned int type;
	size_t len, j = 0;
	int ret;

	while ((ret = vg_capture_next(r, &type, &data, &len)) == 1) {
		ck_assert_msg(j < n, "more records than the %zu expected", n);
		ck_assert_uint_eq(type, rec_type(expect[j]));
		ck_assert_uint_eq(len, rec_len(expect[j]));
		rec_fill(expect[j], want, len);
		ck_assert_mem_eq(data, want, len);
		ck_assert_uint_eq((uintptr_t)data % 8, 0);
		j++;
	}
	ck_assert_int_eq(ret, 0);
	ck_assert_uint_eq(j, n);
}

static inline void temp_path(char *path, size_t size, const char *name)
{
	static int serial;

	snprintf(path, size, "/tmp/vigil-test-capture-%d-%d-%s", (int)getpid(), serial++, name);
}

static __attribute__((unused)) const struct vg_capture_info test_info = {
	.host = "node-7",
	.kernel = "6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1",
	.boot_time_ns = 1700000000123456789ull,
	.start_time_ns = 1700000100987654321ull,
};

/* Writes groups[k] records as block k (records numbered on from 0). Returns the total. */
static inline unsigned int write_blocks(const char *path, const unsigned int *groups, size_t ngroups)
{
	struct vg_capture_writer *w;
	unsigned int i = 0;

	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	for (size_t k = 0; k < ngroups; k++) {
		for (unsigned int n = 0; n < groups[k]; n++)
			append_rec(w, i++);
		ck_assert_int_eq(vg_capture_flush(w), 0);
	}
	ck_assert_int_eq(vg_capture_close(w), 0);
	return i;
}

static inline unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	buf = malloc(st.st_size ? st.st_size : 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(read(fd, buf, st.st_size), st.st_size);
	close(fd);
	*len = st.st_size;
	return buf;
}

static inline void spit(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* Offsets of the blocks in a capture (sync markers after the header), and the end. */
static inline size_t block_offsets(const unsigned char *buf, size_t len, size_t *offsets, size_t max)
{
	size_t n = 0;

	for (size_t at = HEADER_LEN; at + sizeof(sync_marker) <= len; at++)
		if (!memcmp(buf + at, sync_marker, sizeof(sync_marker))) {
			ck_assert_uint_lt(n, max);
			offsets[n++] = at;
		}
	return n;
}

/*
 * The format's little-endian fields and checksums, written here from docs/capture-format.md
 * rather than taken from src/capture_format.h: a byte-order slip in the product's helpers would
 * otherwise write and read back the same wrong bytes and pass.
 */
static inline void put32(unsigned char *p, __u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static inline void put64(unsigned char *p, __u64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static inline __u32 get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

static inline __u32 crc(const void *p, size_t len)
{
	return crc32(crc32(0, NULL, 0), p, len);
}

/*
 * Builds a block by hand: compresses payload, then a header whose length fields can be
 * overridden (0 keeps the true value) with valid checksums, so only the lengths are wrong.
 */
static inline size_t craft_block(unsigned char *out, const void *payload, size_t payload_len, __u32 count,
			  __u64 first_seq, __u32 fake_clen, __u32 fake_ulen)
{
	uLongf clen = compressBound(payload_len);

	ck_assert_int_eq(compress(out + BLOCK_HEADER_LEN, &clen, payload, payload_len), Z_OK);
	memcpy(out, sync_marker, sizeof(sync_marker));
	put32(out + 8, fake_clen ? fake_clen : clen);
	put32(out + 12, fake_ulen ? fake_ulen : payload_len);
	put32(out + 16, count);
	put64(out + 20, first_seq);
	put32(out + 28, crc(out + BLOCK_HEADER_LEN, clen));
	put32(out + 32, crc(out, 32));
	return BLOCK_HEADER_LEN + clen;
}

/* A payload of records i0.. of the synthetic stream, laid out as documented. */
static inline size_t craft_payload(unsigned char *out, unsigned int i0, unsigned int n)
{
	size_t at = 0;

	for (unsigned int i = i0; i < i0 + n; i++) {
		size_t len = rec_len(i);

		memset(out + at, 0, 8 + ((len + 7) & ~7ul));
		out[at] = rec_type(i);
		put32(out + at + 4, len);
		rec_fill(i, out + at + 8, len);
		at += 8 + ((len + 7) & ~7ul);
	}
	return at;
}

static inline void refresh_header_crc(unsigned char *buf)
{
	put32(buf + HEADER_LEN - 4, crc(buf, HEADER_LEN - 4));
}

/*
 * Opens bytes as a capture: from memory (via_file false), or from a file holding them, which
 * the reader reads through its window. name: the file name its messages start with.
 */
static inline int open_bytes(const void *buf, size_t len, bool via_file, struct warnings *seen,
		      struct vg_capture_reader **r, char *err, size_t errlen, char *name,
		      size_t namelen)
{
	int fd, ret;

	if (!via_file) {
		snprintf(name, namelen, "(memory)");
		return vg_capture_open_mem(buf, len, collect_warning, seen, r, err, errlen);
	}
	fd = memfd_create("capture", MFD_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	snprintf(name, namelen, "/proc/self/fd/%d", fd);
	ret = vg_capture_open(name, collect_warning, seen, r, err, errlen);
	close(fd); /* the reader has its own descriptor */
	return ret;
}

#endif
