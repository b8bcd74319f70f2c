// SPDX-License-Identifier: GPL-2.0
/*
 * Captures as they arrive after a crash or an attack (SPEC.md, "Capture file"): a cut-off
 * capture replays every complete block and warns, a damaged block is reported with its offset
 * and skipped, a newer version or another byte order is refused, and lengths read from the
 * file never drive allocation.
 */
#include "capture_fixtures.h"

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

static Suite *capture_damage_suite(void)
{
	Suite *s = suite_create("capture_damage");
	TCase *damage = tcase_create("damage");

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
	return s;
}

VIGIL_TEST_MAIN(capture_damage_suite)
