// SPDX-License-Identifier: GPL-2.0
/*
 * Capture files: round trips, the documented byte layout, and the promises of SPEC.md
 * ("Capture file"): a cut-off capture replays every complete block and warns, a damaged
 * block is reported with its offset and skipped, a newer version is refused, lengths read
 * from the file never drive allocation, and a full disk loses blocks but not the writer.
 */
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
static const unsigned char sync_marker[8] = {0xd1, 'V', 'G', 'B', 'L', 'K', '\r', '\n'};

/* ---- helpers ---- */

struct warnings {
	int count;
	char text[8192]; /* every warning, one a line */
};

static void collect_warning(void *ctx, const char *message)
{
	struct warnings *w = ctx;
	size_t used = strlen(w->text);

	w->count++;
	snprintf(w->text + used, sizeof(w->text) - used, "%s\n", message);
}

/* Record i of a synthetic stream: type, length and bytes are all functions of i. */
static unsigned int rec_type(unsigned int i)
{
	return VG_REC_EVENT + i % 4;
}

static size_t rec_len(unsigned int i)
{
	static const size_t lens[] = {0, 1, 7, 8, 9, 96, 300, 2048};

	return lens[i % 8];
}

static void rec_fill(unsigned int i, unsigned char *buf, size_t len)
{
	for (size_t k = 0; k < len; k++)
		buf[k] = (unsigned char)(i * 31 + k * 7 + (k >> 8));
}

/* Incompressible bytes: zlib stores them, so the block is as large as blocks get. */
static void fill_noise(unsigned char *buf, size_t len, unsigned int seed)
{
	for (size_t k = 0; k < len; k++) {
		seed = seed * 1103515245u + 12345u;
		buf[k] = seed >> 16;
	}
}

static void append_rec(struct vg_capture_writer *w, unsigned int i)
{
	unsigned char buf[2048];

	rec_fill(i, buf, rec_len(i));
	ck_assert_int_eq(vg_capture_append(w, rec_type(i), buf, rec_len(i)), 0);
}

/* Reads every record and checks it is record expect[j] of the synthetic stream, in order. */
static void expect_records(struct vg_capture_reader *r, const unsigned int *expect, size_t n)
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

static void temp_path(char *path, size_t size, const char *name)
{
	static int serial;

	snprintf(path, size, "/tmp/vigil-test-capture-%d-%d-%s", (int)getpid(), serial++, name);
}

static const struct vg_capture_info test_info = {
	.host = "node-7",
	.kernel = "6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1",
	.boot_time_ns = 1700000000123456789ull,
	.start_time_ns = 1700000100987654321ull,
};

/* Writes groups[k] records as block k (records numbered on from 0). Returns the total. */
static unsigned int write_blocks(const char *path, const unsigned int *groups, size_t ngroups)
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

static unsigned char *slurp(const char *path, size_t *len)
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

static void spit(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* Offsets of the blocks in a capture (sync markers after the header), and the end. */
static size_t block_offsets(const unsigned char *buf, size_t len, size_t *offsets, size_t max)
{
	size_t n = 0;

	for (size_t at = HEADER_LEN; at + sizeof(sync_marker) <= len; at++)
		if (!memcmp(buf + at, sync_marker, sizeof(sync_marker))) {
			ck_assert_uint_lt(n, max);
			offsets[n++] = at;
		}
	return n;
}

static void put32(unsigned char *p, __u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static void put64(unsigned char *p, __u64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static __u32 get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

static __u32 crc(const void *p, size_t len)
{
	return crc32(crc32(0, NULL, 0), p, len);
}

/*
 * Builds a block by hand: compresses payload, then a header whose length fields can be
 * overridden (0 keeps the true value) with valid checksums, so only the lengths are wrong.
 */
static size_t craft_block(unsigned char *out, const void *payload, size_t payload_len, __u32 count,
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
static size_t craft_payload(unsigned char *out, unsigned int i0, unsigned int n)
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

static void refresh_header_crc(unsigned char *buf)
{
	put32(buf + HEADER_LEN - 4, crc(buf, HEADER_LEN - 4));
}

/*
 * Opens bytes as a capture: from memory (via_file false), or from a file holding them, which
 * the reader reads through its window. name: the file name its messages start with.
 */
static int open_bytes(const void *buf, size_t len, bool via_file, struct warnings *seen,
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

/* ---- tests ---- */

/*
 * Records of every type, of length 0 through VG_CAPTURE_RECORD_MAX (compressible, and not:
 * the largest block there can be), spread over many blocks, come back identical, in order,
 * 8-byte aligned, with the header info intact.
 */
START_TEST(round_trip)
{
	char path[256], err[512];
	struct vg_capture_writer *w;
	struct vg_capture_reader *r;
	struct warnings seen = {0};
	unsigned char *big = malloc(VG_CAPTURE_RECORD_MAX);
	unsigned char *noise = malloc(VG_CAPTURE_RECORD_MAX);
	const unsigned int n = 20000;
	const void *data;
	unsigned int type;
	size_t len, blocks, file_len, offsets[1024];
	unsigned char *file;

	ck_assert_ptr_nonnull(big);
	ck_assert_ptr_nonnull(noise);
	for (size_t k = 0; k < VG_CAPTURE_RECORD_MAX; k++)
		big[k] = (unsigned char)(k * 131 + (k >> 11));
	fill_noise(noise, VG_CAPTURE_RECORD_MAX, 5);
	temp_path(path, sizeof(path), "round.vcap");
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	for (unsigned int i = 0; i < n; i++) {
		append_rec(w, i);
		if (i == n / 2) {
			ck_assert_int_eq(
				vg_capture_append(w, VG_REC_LOSS, big, VG_CAPTURE_RECORD_MAX), 0);
			ck_assert_int_eq(
				vg_capture_append(w, VG_REC_EVENT, noise, VG_CAPTURE_RECORD_MAX),
				0);
		}
	}
	ck_assert_int_eq(vg_capture_close(w), 0);

	file = slurp(path, &file_len);
	blocks = block_offsets(file, file_len, offsets, 1024);
	ck_assert_uint_ge(blocks, 3);
	free(file);

	ck_assert_int_eq(vg_capture_open(path, collect_warning, &seen, &r, err, sizeof(err)), 0);
	ck_assert_uint_eq(vg_capture_info(r)->version, VG_CAPTURE_VERSION);
	ck_assert_str_eq(vg_capture_info(r)->host, test_info.host);
	ck_assert_str_eq(vg_capture_info(r)->kernel, test_info.kernel);
	ck_assert_uint_eq(vg_capture_info(r)->boot_time_ns, test_info.boot_time_ns);
	ck_assert_uint_eq(vg_capture_info(r)->start_time_ns, test_info.start_time_ns);
	for (unsigned int i = 0; i < n; i++) {
		unsigned char want[2048];

		ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 1);
		ck_assert_uint_eq(type, rec_type(i));
		ck_assert_uint_eq(len, rec_len(i));
		rec_fill(i, want, len);
		ck_assert_mem_eq(data, want, len);
		ck_assert_uint_eq((uintptr_t)data % 8, 0);
		if (i == n / 2) {
			ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 1);
			ck_assert_uint_eq(type, VG_REC_LOSS);
			ck_assert_uint_eq(len, VG_CAPTURE_RECORD_MAX);
			ck_assert_int_eq(memcmp(data, big, len), 0);
			ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 1);
			ck_assert_uint_eq(type, VG_REC_EVENT);
			ck_assert_uint_eq(len, VG_CAPTURE_RECORD_MAX);
			ck_assert_int_eq(memcmp(data, noise, len), 0);
		}
	}
	ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 0);
	ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 0);
	ck_assert_int_eq(seen.count, 0);
	ck_assert_uint_eq(vg_capture_damaged_blocks(r), 0);
	vg_capture_close_reader(r);
	unlink(path);
	free(big);
	free(noise);
}
END_TEST

/* A raw kernel event comes back byte for byte and can be read through its struct in place. */
START_TEST(event_record_read_in_place)
{
	char path[256], err[512];
	struct vg_capture_writer *w;
	struct vg_capture_reader *r;
	unsigned char raw[sizeof(struct vigil_exec) + 16] = {0};
	struct vigil_exec *exec = (struct vigil_exec *)raw;
	const struct vigil_exec *back;
	const void *data;
	unsigned int type;
	size_t len;

	exec->hdr.type = VIGIL_EVENT_EXEC;
	exec->hdr.size = sizeof(raw);
	exec->hdr.time_ns = 987654321012345ull;
	exec->hdr.cgroup_id = 4242;
	exec->hdr.pid = 77;
	exec->start_time = 1234567;
	exec->exe_len = 8;
	exec->args_len = 8;
	memcpy(exec->comm, "sh", 3);
	memcpy(exec->data, "/bin/sh\0sh\0-c\0id", 16);
	temp_path(path, sizeof(path), "event.vcap");
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	ck_assert_int_eq(vg_capture_append(w, VG_REC_CONTAINER, "{}", 2), 0);
	ck_assert_int_eq(vg_capture_append(w, VG_REC_EVENT, raw, sizeof(raw)), 0);
	ck_assert_int_eq(vg_capture_close(w), 0);

	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 1);
	ck_assert_uint_eq(type, VG_REC_CONTAINER);
	ck_assert_uint_eq(len, 2);
	ck_assert_mem_eq(data, "{}", 2);
	ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 1);
	ck_assert_uint_eq(type, VG_REC_EVENT);
	ck_assert_uint_eq(len, sizeof(raw));
	ck_assert_mem_eq(data, raw, sizeof(raw));
	back = data;
	ck_assert_uint_eq(back->hdr.time_ns, 987654321012345ull);
	ck_assert_uint_eq(back->start_time, 1234567);
	ck_assert_str_eq(back->data, "/bin/sh");
	ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 0);
	vg_capture_close_reader(r);
	unlink(path);
}
END_TEST

/*
 * The bytes on disk are the documented layout: header fields at their offsets, a block
 * with its sync marker, lengths, sequence number and checksums, a zlib payload of
 * (u16 type, u16 0, u32 length, data padded to 8) records.
 */
START_TEST(documented_layout)
{
	const unsigned int groups[] = {3, 2};
	unsigned char *file, payload[4096], want[4096];
	size_t file_len, offsets[4], want_len;
	uLongf payload_len = sizeof(payload);
	char path[256];

	temp_path(path, sizeof(path), "layout.vcap");
	write_blocks(path, groups, 2);
	file = slurp(path, &file_len);
	ck_assert_mem_eq(file, "VIGILCAP", 8);
	ck_assert_uint_eq(get32(file + 8), 1);
	ck_assert_uint_eq(get32(file + 12), HEADER_LEN);
	ck_assert_uint_eq(get32(file + 16), 0);
	ck_assert_str_eq((char *)file + 20, test_info.host);
	ck_assert_str_eq((char *)file + 84, test_info.kernel);
	ck_assert_uint_eq(get32(file + 212) | (__u64)get32(file + 216) << 32,
			  test_info.boot_time_ns);
	ck_assert_uint_eq(get32(file + 220) | (__u64)get32(file + 224) << 32,
			  test_info.start_time_ns);
	ck_assert_uint_eq(get32(file + 228), crc(file, 228));

	ck_assert_uint_eq(block_offsets(file, file_len, offsets, 4), 2);
	ck_assert_uint_eq(offsets[0], HEADER_LEN);
	for (int b = 0; b < 2; b++) {
		const unsigned char *blk = file + offsets[b];
		__u32 clen = get32(blk + 8);

		ck_assert_uint_eq(offsets[b] + BLOCK_HEADER_LEN + clen, b ? file_len : offsets[1]);
		ck_assert_uint_eq(get32(blk + 16), groups[b]);
		ck_assert_uint_eq(get32(blk + 20), b ? groups[0] : 0);
		ck_assert_uint_eq(get32(blk + 24), 0);
		ck_assert_uint_eq(get32(blk + 28), crc(blk + BLOCK_HEADER_LEN, clen));
		ck_assert_uint_eq(get32(blk + 32), crc(blk, 32));
		payload_len = sizeof(payload);
		ck_assert_int_eq(uncompress(payload, &payload_len, blk + BLOCK_HEADER_LEN, clen),
				 Z_OK);
		ck_assert_uint_eq(payload_len, get32(blk + 12));
		want_len = craft_payload(want, b ? groups[0] : 0, groups[b]);
		ck_assert_uint_eq(payload_len, want_len);
		ck_assert_mem_eq(payload, want, want_len);
	}
	free(file);
	unlink(path);
}
END_TEST

/*
 * A capture cut at every byte offset (4 blocks) never fails to open once its header is
 * whole, yields exactly the records of the blocks complete before the cut, and warns with
 * the cut block's offset and the bytes ignored iff the cut is inside a block. Cut inside
 * the header, it is refused as cut off. Read from memory (_i 0) and from a file (_i 1).
 */
START_TEST(cut_at_every_byte)
{
	const unsigned int groups[] = {5, 8, 3, 6};
	unsigned int expect[32];
	size_t file_len, offsets[8], nblocks;
	unsigned char *file;
	char path[256];

	temp_path(path, sizeof(path), "cut.vcap");
	for (unsigned int i = 0; i < 32; i++)
		expect[i] = i;
	write_blocks(path, groups, 4);
	file = slurp(path, &file_len);
	nblocks = block_offsets(file, file_len, offsets, 8);
	ck_assert_uint_eq(nblocks, 4);
	offsets[nblocks] = file_len;

	for (size_t cut = 0; cut <= file_len; cut++) {
		unsigned char *prefix = malloc(cut ? cut : 1);
		struct warnings seen = {0};
		struct vg_capture_reader *r;
		unsigned int complete = 0;
		size_t inside = SIZE_MAX;
		char err[512], want[512], name[64];
		int ret;

		memcpy(prefix, file, cut);
		ret = open_bytes(prefix, cut, _i, &seen, &r, err, sizeof(err), name, sizeof(name));
		if (cut < HEADER_LEN) {
			ck_assert_int_eq(ret, -EINVAL);
			snprintf(want, sizeof(want), "%s: capture header is cut off", name);
			ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%zu: %s", cut, err);
			free(prefix);
			continue;
		}
		ck_assert_int_eq(ret, 0);
		for (size_t b = 0; b < nblocks; b++) {
			if (offsets[b + 1] <= cut)
				complete += groups[b];
			else if (offsets[b] < cut)
				inside = offsets[b];
		}
		expect_records(r, expect, complete);
		if (inside == SIZE_MAX) {
			ck_assert_msg(seen.count == 0, "cut %zu: %s", cut, seen.text);
		} else {
			ck_assert_int_eq(seen.count, 1);
			snprintf(want, sizeof(want),
				 "%s: capture ends inside a block at offset %zu "
				 "(cut off while recording?); %zu bytes ignored\n",
				 name, inside, cut - inside);
			ck_assert_str_eq(seen.text, want);
		}
		ck_assert_uint_eq(vg_capture_damaged_blocks(r), 0);
		vg_capture_close_reader(r);
		free(prefix);
	}
	free(file);
	unlink(path);
}
END_TEST

/*
 * A single damaged byte anywhere in any block (two kinds of damage at every offset) is
 * caught: that block alone is skipped with a warning naming its offset, and every record
 * of the other blocks still comes out. Read from memory (_i 0) and from a file (_i 1).
 */
START_TEST(damaged_byte_skips_only_its_block)
{
	const unsigned int groups[] = {4, 7, 2, 5};
	const unsigned char flips[] = {0x01, 0xff};
	size_t file_len, offsets[8], nblocks;
	unsigned char *file;
	char path[256];

	temp_path(path, sizeof(path), "damage.vcap");
	write_blocks(path, groups, 4);
	file = slurp(path, &file_len);
	nblocks = block_offsets(file, file_len, offsets, 8);
	ck_assert_uint_eq(nblocks, 4);
	offsets[nblocks] = file_len;

	for (size_t at = HEADER_LEN; at < file_len; at++) {
		size_t b = 0;

		while (offsets[b + 1] <= at)
			b++;
		for (size_t f = 0; f < sizeof(flips); f++) {
			struct warnings seen = {0};
			struct vg_capture_reader *r;
			unsigned int expect[32], n = 0, i = 0;
			char err[512], want[512], name[64];

			for (size_t k = 0; k < nblocks; k++)
				for (unsigned int g = 0; g < groups[k]; g++, i++)
					if (k != b)
						expect[n++] = i;
			file[at] ^= flips[f];
			ck_assert_int_eq(open_bytes(file, file_len, _i, &seen, &r, err, sizeof(err),
						    name, sizeof(name)),
					 0);
			expect_records(r, expect, n);
			ck_assert_msg(seen.count == 1, "byte %zu: %s", at, seen.text);
			snprintf(want, sizeof(want), "%s: damaged block at offset %zu (", name,
				 offsets[b]);
			ck_assert_msg(strncmp(seen.text, want, strlen(want)) == 0, "byte %zu: %s",
				      at, seen.text);
			ck_assert_ptr_nonnull(strstr(seen.text, "), skipped\n"));
			ck_assert_uint_eq(vg_capture_damaged_blocks(r), 1);
			vg_capture_close_reader(r);
			file[at] ^= flips[f];
		}
	}
	free(file);
	unlink(path);
}
END_TEST

/*
 * Damage in a block of 1 MiB (incompressible, so 1 MiB on disk too), to its sync marker or
 * to its payload, is skipped by a resync scan that crosses the reader's read window; the
 * blocks around it still come out. From memory (_i 0) and from a file (_i 1).
 */
START_TEST(damaged_big_block_resyncs)
{
	const unsigned int expect[] = {0, 1, 2, 3, 4, 5};
	unsigned char *noise = malloc(VG_CAPTURE_RECORD_MAX), *file;
	size_t file_len, offsets[8], damage[2];
	struct vg_capture_writer *w;
	char path[256];

	ck_assert_ptr_nonnull(noise);
	fill_noise(noise, VG_CAPTURE_RECORD_MAX, 11);
	temp_path(path, sizeof(path), "bigdamage.vcap");
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	for (unsigned int i = 0; i < 3; i++)
		append_rec(w, i);
	ck_assert_int_eq(vg_capture_append(w, VG_REC_EVENT, noise, VG_CAPTURE_RECORD_MAX), 0);
	for (unsigned int i = 3; i < 6; i++)
		append_rec(w, i);
	ck_assert_int_eq(vg_capture_close(w), 0);
	file = slurp(path, &file_len);
	ck_assert_uint_eq(block_offsets(file, file_len, offsets, 8), 3);
	ck_assert_uint_gt(offsets[2] - offsets[1], VG_CAPTURE_RECORD_MAX);

	damage[0] = offsets[1];
	damage[1] = offsets[1] + (offsets[2] - offsets[1]) / 2;
	for (size_t d = 0; d < 2; d++) {
		struct warnings seen = {0};
		struct vg_capture_reader *r;
		char err[512], want[512], name[64];

		file[damage[d]] ^= 0x20;
		ck_assert_int_eq(open_bytes(file, file_len, _i, &seen, &r, err, sizeof(err), name,
					    sizeof(name)),
				 0);
		expect_records(r, expect, 6);
		ck_assert_int_eq(seen.count, 1);
		snprintf(want, sizeof(want), "%s: damaged block at offset %zu (%s), skipped\n",
			 name, offsets[1], d ? "payload checksum mismatch" : "no sync marker");
		ck_assert_str_eq(seen.text, want);
		vg_capture_close_reader(r);
		file[damage[d]] ^= 0x20;
	}
	free(file);
	free(noise);
	unlink(path);
}
END_TEST

/*
 * A capture truncated by another process while it is being read (re-recorded over, say)
 * reads as cut off: the records before, a warning, no fault.
 */
START_TEST(truncated_while_read)
{
	const unsigned int expect[] = {0, 1, 2};
	unsigned char *noise = malloc(VG_CAPTURE_RECORD_MAX), *file;
	size_t file_len, offsets[8];
	struct warnings seen = {0};
	struct vg_capture_writer *w;
	struct vg_capture_reader *r;
	char path[256], err[512], want[512];
	unsigned int type;
	const void *data;
	size_t len;

	ck_assert_ptr_nonnull(noise);
	fill_noise(noise, VG_CAPTURE_RECORD_MAX, 3);
	temp_path(path, sizeof(path), "shrink.vcap");
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	for (unsigned int i = 0; i < 3; i++)
		append_rec(w, i);
	ck_assert_int_eq(vg_capture_append(w, VG_REC_EVENT, noise, VG_CAPTURE_RECORD_MAX), 0);
	ck_assert_int_eq(vg_capture_close(w), 0);
	file = slurp(path, &file_len);
	ck_assert_uint_eq(block_offsets(file, file_len, offsets, 8), 2);

	ck_assert_int_eq(vg_capture_open(path, collect_warning, &seen, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(vg_capture_next(r, &type, &data, &len), 1);
	ck_assert_int_eq(truncate(path, offsets[1] + 1000), 0);
	expect_records(r, expect + 1, 2);
	ck_assert_int_eq(seen.count, 1);
	snprintf(want, sizeof(want), "%s: capture ends inside a block at offset %zu (", path,
		 offsets[1]);
	ck_assert_msg(strncmp(seen.text, want, strlen(want)) == 0, "%s", seen.text);
	vg_capture_close_reader(r);
	free(file);
	free(noise);
	unlink(path);
}
END_TEST

/* Damage to any byte of the file header refuses the file with a message, never reads on. */
START_TEST(damaged_header_refused)
{
	const unsigned int groups[] = {3};
	unsigned char *file;
	size_t file_len;
	char path[256];

	temp_path(path, sizeof(path), "hdr.vcap");
	write_blocks(path, groups, 1);
	file = slurp(path, &file_len);
	for (size_t at = 0; at < HEADER_LEN; at++) {
		struct vg_capture_reader *r;
		char err[512] = "";
		int ret;

		file[at] ^= 0x01;
		ret = vg_capture_open_mem(file, file_len, NULL, NULL, &r, err, sizeof(err));
		/* a damaged version number may read as a newer version */
		ck_assert_msg(ret == -EINVAL || (ret == -EPROTONOSUPPORT && at >= 8 && at < 12),
			      "byte %zu: %d %s", at, ret, err);
		ck_assert_ptr_null(r);
		ck_assert_msg(strncmp(err, "(memory): ", 10) == 0, "%s", err);
		if (at < 8)
			ck_assert_str_eq(err, "(memory): not a vigil capture (bad magic)");
		else if (at >= 16)
			ck_assert_str_eq(err,
					 "(memory): damaged capture header (checksum mismatch)");
		file[at] ^= 0x01;
	}
	free(file);
	unlink(path);
}
END_TEST

/* Something that is not a capture is refused with "FILE: not a vigil capture (bad magic)". */
START_TEST(bad_magic)
{
	static const char text[] = "{\"kind\":\"event\",\"type\":\"exec\"}\n"
				   "this is a JSON log, not a capture, and it is long enough to "
				   "hold a whole capture header of two hundred and thirty-two "
				   "bytes, which it does once this sentence goes on a little "
				   "further than one would think necessary.\n";
	struct vg_capture_reader *r;
	char path[256], err[512], want[512];

	ck_assert_uint_gt(sizeof(text), HEADER_LEN);
	temp_path(path, sizeof(path), "log.json");
	spit(path, text, sizeof(text) - 1);
	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s: not a vigil capture (bad magic)", path);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(r);
	ck_assert_int_eq(vg_capture_open_mem("VIGILCAT", 8, NULL, NULL, &r, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "(memory): not a vigil capture (bad magic)");
	unlink(path);
}
END_TEST

/*
 * A capture of a newer format version is refused with -EPROTONOSUPPORT and the message
 * telling to upgrade, even when the rest of its header is unlike version 1's.
 */
START_TEST(newer_version_refused)
{
	const unsigned int groups[] = {3};
	struct vg_capture_reader *r;
	char path[256], err[512], want[512];
	unsigned char *file;
	size_t file_len;

	temp_path(path, sizeof(path), "v2.vcap");
	write_blocks(path, groups, 1);
	file = slurp(path, &file_len);
	put32(file + 8, 2);
	refresh_header_crc(file);
	spit(path, file, file_len);
	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), -EPROTONOSUPPORT);
	snprintf(want, sizeof(want),
		 "%s: capture format version 2 is newer than this vigil reads (max 1): upgrade "
		 "vigil",
		 path);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(r);

	/* A version 7 header of another length and layout: refused before looking at it. */
	put32(file + 8, 7);
	put32(file + 12, 16);
	ck_assert_int_eq(vg_capture_open_mem(file, 16, NULL, NULL, &r, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	ck_assert_str_eq(err, "(memory): capture format version 7 is newer than this vigil "
			      "reads (max 1): upgrade vigil");
	free(file);
	unlink(path);
}
END_TEST

/*
 * Event records are stored in the recording host's byte order: a capture flagged as
 * recorded on a big-endian host is refused on this little-endian one, not misread.
 */
START_TEST(other_byte_order_refused)
{
	const unsigned int groups[] = {2};
	struct vg_capture_reader *r;
	char path[256], err[512];
	unsigned char *file;
	size_t file_len;

	temp_path(path, sizeof(path), "be.vcap");
	write_blocks(path, groups, 1);
	file = slurp(path, &file_len);
	put32(file + 16, 1);
	refresh_header_crc(file);
	ck_assert_int_eq(vg_capture_open_mem(file, file_len, NULL, NULL, &r, err, sizeof(err)),
			 -EPROTONOSUPPORT);
	ck_assert_str_eq(err, "(memory): capture was recorded on a big-endian host; this vigil "
			      "runs on a little-endian one and cannot read its events");
	ck_assert_ptr_null(r);
	free(file);
	unlink(path);
}
END_TEST

/* An empty file and a file cut inside its header are refused as cut off; a missing file
 * or a directory with the system's reason. */
START_TEST(truncated_header_and_open_errors)
{
	const unsigned int groups[] = {1};
	struct vg_capture_reader *r;
	char path[256], err[512], want[512];
	unsigned char *file;
	size_t file_len;

	temp_path(path, sizeof(path), "short.vcap");
	write_blocks(path, groups, 1);
	file = slurp(path, &file_len);
	spit(path, file, 100);
	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s: capture header is cut off (100 bytes, a header needs 232)", path);
	ck_assert_str_eq(err, want);
	spit(path, file, 0);
	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s: capture header is cut off (0 bytes, a header needs 232)",
		 path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(vg_capture_open_mem(NULL, 0, NULL, NULL, &r, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_null(r);
	unlink(path);

	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(vg_capture_open("/tmp", NULL, NULL, &r, err, sizeof(err)), -EISDIR);
	ck_assert_ptr_null(r);
	free(file);
}
END_TEST

/* A capture read from a pipe (not mappable) reads the same as from a file. */
START_TEST(read_from_pipe)
{
	const unsigned int groups[] = {3, 4};
	const unsigned int expect[] = {0, 1, 2, 3, 4, 5, 6};
	struct vg_capture_reader *r;
	char path[256], fdpath[64], err[512];
	unsigned char *file;
	size_t file_len;
	int fds[2];

	temp_path(path, sizeof(path), "pipe.vcap");
	write_blocks(path, groups, 2);
	file = slurp(path, &file_len);
	ck_assert_uint_lt(file_len, 65536); /* fits in the pipe: no writer thread needed */
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], file, file_len), (ssize_t)file_len);
	close(fds[1]);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fds[0]);
	ck_assert_int_eq(vg_capture_open(fdpath, NULL, NULL, &r, err, sizeof(err)), 0);
	expect_records(r, expect, 7);
	vg_capture_close_reader(r);
	close(fds[0]);
	free(file);
	unlink(path);
}
END_TEST

/* Allows only extra more bytes of address space; returns the limit to put back. */
static struct rlimit limit_address_space(size_t extra)
{
	unsigned long pages = 0;
	struct rlimit old, lim;
	FILE *statm = fopen("/proc/self/statm", "r");

	ck_assert_ptr_nonnull(statm);
	ck_assert_int_eq(fscanf(statm, "%lu", &pages), 1);
	fclose(statm);
	ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
	lim.rlim_cur = pages * sysconf(_SC_PAGESIZE) + extra;
	lim.rlim_max = old.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &lim), 0);
	return old;
}

/*
 * Block headers with valid checksums but huge lengths (uncompressed 4 GiB, just over the
 * 1 MiB bound, compressed 4 GiB, 4 G records) are skipped as damaged without allocating by
 * them: the reader runs with only 16 MiB more address space than it started with.
 */
START_TEST(huge_lengths_allocate_nothing)
{
	const struct {
		__u32 clen, ulen, count;
		const char *why;
	} lies[] = {
		{0, 0xffffffffu, 3, "uncompressed length 4294967295 over the limit"},
		{0, VG_CAPTURE_BLOCK_MAX + 1, 3, "uncompressed length 1048577 over the limit"},
		{0xffffffffu, 0, 3, "compressed length 4294967295 too large"},
		{0, 0, 0xffffffffu, "4294967295 records cannot fit"},
		{0, 0, 2, "3 records, the block header says 2"},
	};
	static unsigned char file[1 << 16];
	unsigned char payload[8192];
	const unsigned int expect[] = {0, 1, 2, 6, 7, 8};
	size_t at, plen;
	char path[256], err[512];
	struct warnings seen = {0};
	struct vg_capture_reader *r;
	struct vg_capture_writer *w;
	struct rlimit old_limit;
	unsigned char *good;
	size_t good_len;

	temp_path(path, sizeof(path), "huge.vcap");
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	ck_assert_int_eq(vg_capture_close(w), 0);
	good = slurp(path, &good_len);
	ck_assert_uint_eq(good_len, HEADER_LEN);
	memcpy(file, good, HEADER_LEN);
	at = HEADER_LEN;
	plen = craft_payload(payload, 0, 3);
	at += craft_block(file + at, payload, plen, 3, 0, 0, 0);
	for (size_t k = 0; k < sizeof(lies) / sizeof(lies[0]); k++) {
		plen = craft_payload(payload, 3, 3);
		at += craft_block(file + at, payload, plen, lies[k].count, 3, lies[k].clen,
				  lies[k].ulen);
	}
	plen = craft_payload(payload, 6, 3);
	at += craft_block(file + at, payload, plen, 3, 6, 0, 0);

	old_limit = limit_address_space(16 << 20);
	ck_assert_int_eq(
		vg_capture_open_mem(file, at, collect_warning, &seen, &r, err, sizeof(err)), 0);
	expect_records(r, expect, 6);
	setrlimit(RLIMIT_AS, &old_limit);
	ck_assert_int_eq(seen.count, (int)(sizeof(lies) / sizeof(lies[0])));
	for (size_t k = 0; k < sizeof(lies) / sizeof(lies[0]); k++)
		ck_assert_msg(strstr(seen.text, lies[k].why), "%s", seen.text);
	vg_capture_close_reader(r);
	free(good);
	unlink(path);
}
END_TEST

/*
 * A record whose length runs past its block, or a block whose records don't fill it
 * exactly, is damage even when every checksum is right: the block is skipped.
 */
START_TEST(record_overrunning_block_is_damage)
{
	static unsigned char file[1 << 16];
	unsigned char payload[8192];
	const unsigned int expect[] = {0, 1, 6, 7};
	struct warnings seen = {0};
	struct vg_capture_reader *r;
	struct vg_capture_writer *w;
	size_t at, plen, good_len;
	char path[256], err[512], want[512];
	unsigned char *good;

	temp_path(path, sizeof(path), "overrun.vcap");
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	ck_assert_int_eq(vg_capture_close(w), 0);
	good = slurp(path, &good_len);
	memcpy(file, good, HEADER_LEN);
	at = HEADER_LEN;
	plen = craft_payload(payload, 0, 2);
	at += craft_block(file + at, payload, plen, 2, 0, 0, 0);
	/* records 2, 3: the second claims 1000 bytes more than there are */
	plen = craft_payload(payload, 2, 2);
	put32(payload + 8 + ((rec_len(2) + 7) & ~7ul) + 4, rec_len(3) + 1000);
	at += craft_block(file + at, payload, plen, 2, 2, 0, 0);
	/* records 4, 5 and 4 stray bytes after them */
	plen = craft_payload(payload, 4, 2);
	memset(payload + plen, 0, 4);
	at += craft_block(file + at, payload, plen + 4, 2, 4, 0, 0);
	plen = craft_payload(payload, 6, 2);
	at += craft_block(file + at, payload, plen, 2, 6, 0, 0);

	ck_assert_int_eq(
		vg_capture_open_mem(file, at, collect_warning, &seen, &r, err, sizeof(err)), 0);
	expect_records(r, expect, 4);
	ck_assert_int_eq(seen.count, 2);
	snprintf(want, sizeof(want), "record 1 length %zu overruns the block", rec_len(3) + 1000);
	ck_assert_msg(strstr(seen.text, want), "%s", seen.text);
	ck_assert_msg(strstr(seen.text, "record 2 header cut off"), "%s", seen.text);
	ck_assert_uint_eq(vg_capture_damaged_blocks(r), 2);
	vg_capture_close_reader(r);
	free(good);
	unlink(path);
}
END_TEST

/*
 * The stub of a block whose write failed half way, followed by good blocks, is skipped as
 * damage (its length runs into the next block), not taken for the end of the capture.
 */
START_TEST(half_written_block_then_good_blocks)
{
	const unsigned int groups[] = {3, 40, 4};
	unsigned int expect[64], n = 0;
	size_t file_len, offsets[8], stub_len;
	struct warnings seen = {0};
	struct vg_capture_reader *r;
	unsigned char *file, *cut;
	char path[256], err[512], want[512];

	temp_path(path, sizeof(path), "stub.vcap");
	write_blocks(path, groups, 3);
	file = slurp(path, &file_len);
	ck_assert_uint_eq(block_offsets(file, file_len, offsets, 8), 3);
	/* keep 40 bytes of block 1's payload: its stated length reaches past block 2 */
	stub_len = BLOCK_HEADER_LEN + 40;
	ck_assert_uint_gt(offsets[2] - offsets[1], stub_len + (file_len - offsets[2]));
	cut = malloc(file_len);
	memcpy(cut, file, offsets[1] + stub_len);
	memcpy(cut + offsets[1] + stub_len, file + offsets[2], file_len - offsets[2]);
	for (unsigned int i = 0; i < 3; i++)
		expect[n++] = i;
	for (unsigned int i = 43; i < 47; i++)
		expect[n++] = i;

	ck_assert_int_eq(vg_capture_open_mem(cut, offsets[1] + stub_len + file_len - offsets[2],
					     collect_warning, &seen, &r, err, sizeof(err)),
			 0);
	expect_records(r, expect, n);
	ck_assert_int_eq(seen.count, 1);
	snprintf(want, sizeof(want), "(memory): damaged block at offset %zu (compressed length ",
		 offsets[1]);
	ck_assert_msg(strncmp(seen.text, want, strlen(want)) == 0, "%s", seen.text);
	ck_assert_ptr_nonnull(strstr(seen.text, "runs into the next block), skipped"));
	vg_capture_close_reader(r);
	free(cut);
	free(file);
	unlink(path);
}
END_TEST

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static off_t file_size(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

/*
 * tick writes nothing while the pending block is younger than 1 s and writes it once it is
 * older; what was written is readable while the writer is still open (an agent killed now
 * loses only the pending block), and close writes the rest.
 */
START_TEST(tick_flushes_after_time_bound)
{
	const unsigned int first[] = {0, 1};
	const unsigned int all[] = {0, 1, 2};
	struct warnings seen = {0};
	struct vg_capture_writer *w;
	struct vg_capture_reader *r;
	char path[256], err[512];
	__u64 now;

	temp_path(path, sizeof(path), "tick.vcap");
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	append_rec(w, 0);
	append_rec(w, 1);
	now = now_ns();
	ck_assert_int_eq(vg_capture_tick(w, now), 0);
	ck_assert_int_eq(vg_capture_tick(w, now + VG_CAPTURE_FLUSH_NS / 2), 0);
	ck_assert_int_eq(file_size(path), HEADER_LEN);
	/* the byte count (what --record-max-size compares) is the file's, pending not counted */
	ck_assert_uint_eq(vg_capture_bytes(w), HEADER_LEN);
	ck_assert_int_eq(vg_capture_tick(w, now + VG_CAPTURE_FLUSH_NS), 0);
	ck_assert_int_gt(file_size(path), HEADER_LEN);
	ck_assert_uint_eq(vg_capture_bytes(w), file_size(path));

	append_rec(w, 2); /* pending, never ticked: not on disk yet */
	ck_assert_uint_eq(vg_capture_bytes(w), file_size(path));
	ck_assert_int_eq(vg_capture_open(path, collect_warning, &seen, &r, err, sizeof(err)), 0);
	expect_records(r, first, 2);
	ck_assert_int_eq(seen.count, 0);
	vg_capture_close_reader(r);

	ck_assert_int_eq(vg_capture_close(w), 0);
	ck_assert_int_eq(vg_capture_open(path, collect_warning, &seen, &r, err, sizeof(err)), 0);
	expect_records(r, all, 3);
	ck_assert_int_eq(seen.count, 0);
	vg_capture_close_reader(r);
	unlink(path);
}
END_TEST

/*
 * On a full disk (the writer's descriptor swapped for /dev/full) flush and the append that
 * fills a block return -ENOSPC, the blocks are dropped and counted, and the writer goes on:
 * once space is back, later blocks are written and read, and the reader reports the
 * records missing in between.
 */
START_TEST(disk_full_drops_blocks_and_goes_on)
{
	unsigned int expect[64], n = 0, i = 0, dropped = 0;
	struct warnings seen = {0};
	struct vg_capture_writer *w;
	struct vg_capture_reader *r;
	struct stat st_fd, st_path;
	char path[256], err[512], want[512];
	int probe, full, again, ret;

	temp_path(path, sizeof(path), "full.vcap");
	/* The writer's descriptor will be the lowest free one: find it to swap the file. */
	probe = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(probe, 0);
	close(probe);
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	ck_assert_int_eq(fstat(probe, &st_fd), 0);
	ck_assert_int_eq(stat(path, &st_path), 0);
	ck_assert_uint_eq(st_fd.st_ino, st_path.st_ino);

	for (; i < 3; i++) {
		append_rec(w, i);
		expect[n++] = i;
	}
	ck_assert_int_eq(vg_capture_flush(w), 0);

	full = open("/dev/full", O_WRONLY);
	ck_assert_int_ge(full, 0);
	ck_assert_int_eq(dup2(full, probe), probe);
	append_rec(w, i++);
	append_rec(w, i++);
	ck_assert_int_eq(vg_capture_flush(w), -ENOSPC);
	ck_assert_uint_eq(vg_capture_dropped_blocks(w), 1);
	ck_assert_uint_eq(vg_capture_dropped_records(w), 2);
	dropped += 2;
	/* Filling a block by size: the append that completes it reports the failure. */
	do {
		unsigned char buf[2048];

		rec_fill(i, buf, rec_len(i));
		ret = vg_capture_append(w, rec_type(i), buf, rec_len(i));
		i++;
		dropped++;
	} while (ret == 0);
	ck_assert_int_eq(ret, -ENOSPC);
	ck_assert_uint_eq(vg_capture_dropped_blocks(w), 2);
	/* the record whose append reported the failure was kept for the next block */
	dropped--;
	i--;
	ck_assert_uint_eq(vg_capture_dropped_records(w), dropped);

	again = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(again, 0);
	ck_assert_int_eq(dup2(again, probe), probe);
	expect[n++] = i++;
	for (unsigned int k = 0; k < 4; k++, i++) {
		append_rec(w, i);
		expect[n++] = i;
	}
	ck_assert_int_eq(vg_capture_close(w), 0);
	close(full);
	close(again);

	ck_assert_int_eq(vg_capture_open(path, collect_warning, &seen, &r, err, sizeof(err)), 0);
	expect_records(r, expect, n);
	ck_assert_int_eq(seen.count, 1);
	snprintf(want, sizeof(want), "%s: %u records missing before the block at offset", path,
		 dropped);
	ck_assert_msg(strncmp(seen.text, want, strlen(want)) == 0, "%s", seen.text);
	vg_capture_close_reader(r);
	unlink(path);
}
END_TEST

/* close on a full disk reports -ENOSPC for the last block (and still frees the writer). */
START_TEST(close_on_full_disk_reports_it)
{
	struct vg_capture_writer *w;
	char path[256];
	int probe, full;

	temp_path(path, sizeof(path), "fullclose.vcap");
	probe = open("/dev/null", O_RDONLY);
	close(probe);
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	full = open("/dev/full", O_WRONLY);
	ck_assert_int_eq(dup2(full, probe), probe);
	close(full);
	append_rec(w, 0);
	ck_assert_int_eq(vg_capture_close(w), -ENOSPC);
	unlink(path);
}
END_TEST

/* Types outside 1..65535 and records over VG_CAPTURE_RECORD_MAX are refused, not stored. */
START_TEST(invalid_records_refused)
{
	const unsigned int expect[] = {0};
	struct vg_capture_writer *w;
	struct vg_capture_reader *r;
	char path[256], err[512];
	static char dummy[8];

	temp_path(path, sizeof(path), "invalid.vcap");
	ck_assert_int_eq(vg_capture_create(path, &test_info, &w), 0);
	ck_assert_int_eq(vg_capture_append(w, 0, dummy, 1), -EINVAL);
	ck_assert_int_eq(vg_capture_append(w, 0x10000, dummy, 1), -EINVAL);
	ck_assert_int_eq(vg_capture_append(w, VG_REC_EVENT, dummy, VG_CAPTURE_RECORD_MAX + 1),
			 -EMSGSIZE);
	append_rec(w, 0);
	ck_assert_int_eq(vg_capture_close(w), 0);
	ck_assert_int_eq(vg_capture_open(path, NULL, NULL, &r, err, sizeof(err)), 0);
	expect_records(r, expect, 1);
	vg_capture_close_reader(r);
	unlink(path);
}
END_TEST

/* The fuzzer's seed corpus stays made of valid captures of the current format. */
START_TEST(seed_corpus_is_current)
{
	const char *dir = FIXTURES "/../fuzz/corpus/capture";
	struct dirent *ent;
	int seeds = 0;
	DIR *d = opendir(dir);

	ck_assert_ptr_nonnull(d);
	while ((ent = readdir(d))) {
		struct warnings seen = {0};
		struct vg_capture_reader *r;
		char path[1024], err[512];
		const void *data;
		unsigned int type;
		size_t len;
		int records = 0;

		if (ent->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
		ck_assert_msg(vg_capture_open(path, collect_warning, &seen, &r, err, sizeof(err)) ==
				      0,
			      "%s", err);
		while (vg_capture_next(r, &type, &data, &len) == 1)
			records++;
		ck_assert_msg(records > 0, "%s holds no record", path);
		vg_capture_close_reader(r);
		seeds++;
	}
	closedir(d);
	ck_assert_int_ge(seeds, 1);
}
END_TEST

static Suite *capture_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *format = tcase_create("format");
	TCase *damage = tcase_create("damage");
	TCase *writer = tcase_create("writer");

	tcase_add_test(format, round_trip);
	tcase_add_test(format, event_record_read_in_place);
	tcase_add_test(format, documented_layout);
	tcase_add_test(format, read_from_pipe);
	tcase_add_test(format, seed_corpus_is_current);
	suite_add_tcase(s, format);

	tcase_set_timeout(damage, 20);
	tcase_add_loop_test(damage, cut_at_every_byte, 0, 2);
	tcase_add_loop_test(damage, damaged_byte_skips_only_its_block, 0, 2);
	tcase_add_loop_test(damage, damaged_big_block_resyncs, 0, 2);
	tcase_add_test(damage, truncated_while_read);
	tcase_add_test(damage, damaged_header_refused);
	tcase_add_test(damage, bad_magic);
	tcase_add_test(damage, newer_version_refused);
	tcase_add_test(damage, other_byte_order_refused);
	tcase_add_test(damage, truncated_header_and_open_errors);
	tcase_add_test(damage, huge_lengths_allocate_nothing);
	tcase_add_test(damage, record_overrunning_block_is_damage);
	tcase_add_test(damage, half_written_block_then_good_blocks);
	suite_add_tcase(s, damage);

	tcase_add_test(writer, tick_flushes_after_time_bound);
	tcase_add_test(writer, disk_full_drops_blocks_and_goes_on);
	tcase_add_test(writer, close_on_full_disk_reports_it);
	tcase_add_test(writer, invalid_records_refused);
	suite_add_tcase(s, writer);
	return s;
}

VIGIL_TEST_MAIN(capture_suite)
