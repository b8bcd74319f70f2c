// SPDX-License-Identifier: GPL-2.0
/*
 * Capture files: round trips, the documented byte layout, reading from a pipe, the fuzzing
 * seeds kept current, and the writer's promises of SPEC.md ("Capture file"): a block is
 * written within its time bound, and a full disk loses blocks but not the writer.
 * Damaged and cut-off captures: test_capture_damage.c.
 */
#include "capture_fixtures.h"

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
	TCase *writer = tcase_create("writer");

	tcase_add_test(format, round_trip);
	tcase_add_test(format, event_record_read_in_place);
	tcase_add_test(format, documented_layout);
	tcase_add_test(format, read_from_pipe);
	tcase_add_test(format, seed_corpus_is_current);
	suite_add_tcase(s, format);

	tcase_add_test(writer, tick_flushes_after_time_bound);
	tcase_add_test(writer, disk_full_drops_blocks_and_goes_on);
	tcase_add_test(writer, close_on_full_disk_reports_it);
	tcase_add_test(writer, invalid_records_refused);
	suite_add_tcase(s, writer);
	return s;
}

VIGIL_TEST_MAIN(capture_suite)
