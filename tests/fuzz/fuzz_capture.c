// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the capture reader: any bytes, opened and read to the end, must
 * neither crash, nor read outside the input or the record handed out, nor allocate by a
 * length read from the input (run with -malloc_limit_mb to catch that).
 *
 * Each input is read with the checksums enforced, where almost every mutation becomes a
 * skipped block, and with them ignored, so that mutated lengths, zlib streams and records
 * reach the code behind them. Each way it is read from memory and from a file (through the
 * reader's window, kept tiny in fuzzing builds): both must give the same records and
 * warnings.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "capture.h"

extern int vg_capture_fuzz_ignore_crc;

struct outcome {
	int open_ret;
	unsigned long records;
	unsigned long warnings;
	uLong digest; /* CRC of every record and of every message after its file name */
};

static void note_warning(void *ctx, const char *message)
{
	struct outcome *o = ctx;
	const char *text = strstr(message, ": ");

	/* The whole message is read: an unterminated string shows up here. */
	if (!text)
		__builtin_trap();
	o->warnings++;
	o->digest = crc32(o->digest, (const Bytef *)text, strlen(text));
}

static void read_all(struct vg_capture_reader *r, struct outcome *o)
{
	const struct vg_capture_info *info = vg_capture_info(r);
	const void *rec;
	unsigned int type;
	size_t len;

	if (strnlen(info->host, sizeof(info->host)) == sizeof(info->host) ||
	    strnlen(info->kernel, sizeof(info->kernel)) == sizeof(info->kernel))
		__builtin_trap();
	while (vg_capture_next(r, &type, &rec, &len) == 1) {
		if (type == 0 || len > VG_CAPTURE_RECORD_MAX || (uintptr_t)rec % 8)
			__builtin_trap();
		/* Every byte handed out is read, so the sanitizer checks the whole record. */
		o->digest = crc32(o->digest, (const Bytef *)&type, sizeof(type));
		o->digest = crc32(o->digest, rec, len);
		o->records++;
	}
}

static void from_memory(const uint8_t *data, size_t size, struct outcome *o)
{
	struct vg_capture_reader *r;
	char err[256];

	o->open_ret = vg_capture_open_mem(data, size, note_warning, o, &r, err, sizeof(err));
	if (o->open_ret) {
		if (strnlen(err, sizeof(err)) == sizeof(err))
			__builtin_trap();
		return;
	}
	read_all(r, o);
	vg_capture_close_reader(r);
}

static void from_file(const uint8_t *data, size_t size, struct outcome *o)
{
	struct vg_capture_reader *r;
	char err[256], path[64];
	int fd = memfd_create("fuzz", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		__builtin_trap();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	o->open_ret = vg_capture_open(path, note_warning, o, &r, err, sizeof(err));
	close(fd);
	if (o->open_ret)
		return;
	read_all(r, o);
	vg_capture_close_reader(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int ignore_crc = 0; ignore_crc < 2; ignore_crc++) {
		struct outcome mem = {0}, file = {0};

		vg_capture_fuzz_ignore_crc = ignore_crc;
		from_memory(data, size, &mem);
		from_file(data, size, &file);
		if (memcmp(&mem, &file, sizeof(mem)) != 0)
			__builtin_trap();
	}
	return 0;
}
