// SPDX-License-Identifier: GPL-2.0
/*
 * Capture files, the reading side. A capture is a header, then blocks of records, each block
 * zlib-compressed, checksummed and preceded by a sync marker so that a reader can find the
 * next block after damage. The byte layout is in capture_format.h, the promises in
 * docs/capture-format.md; the writer is capture_write.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "capture.h"
#include "capture_format.h"

const unsigned char vg_capture_magic[8] = {'V', 'I', 'G', 'I', 'L', 'C', 'A', 'P'};
/*
 * Starts every block. 0xd1 occurs only once in it, so no proper prefix of the marker is
 * also a suffix: a scan can never miss a marker that overlaps a false partial match.
 */
const unsigned char vg_capture_block_sync[8] = {0xd1, 'V', 'G', 'B', 'L', 'K', '\r', '\n'};

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
int vg_capture_fuzz_ignore_crc;
#endif

/* ---- reader ---- */

/*
 * A file is read forward through a window that holds at least the block being looked at; a
 * buffer in memory is its own window. Files are not mapped: one truncated under the reader
 * then reads as cut off instead of faulting, and a pipe reads in bounded memory.
 */
#define WINDOW_MAX (2u << 20) /* more than a block header and its largest payload */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* Small, so that the fuzzer's short inputs move, refill and grow the window too. */
#define WINDOW_MIN 64u
#define SCAN_CHUNK 64u
#else
#define WINDOW_MIN (256u << 10)
#define SCAN_CHUNK (256u << 10)
#endif
_Static_assert(WINDOW_MAX >= FH_LEN_MAX && WINDOW_MAX >= SCAN_CHUNK, "window holds a view");

struct vg_capture_reader {
	int fd; /* -1: reading mem */
	const unsigned char *mem;
	size_t mem_len;
	unsigned char *win; /* bytes [win_off, win_off + win_len) of the file */
	size_t win_cap;
	size_t win_off;
	size_t win_len;
	bool eof;   /* the file has no bytes after the window */
	char *name; /* file name for messages */
	vg_capture_warn_fn warn;
	void *warn_ctx;
	struct vg_capture_info info;

	size_t pos;	      /* offset of the next block */
	unsigned char *block; /* inflated payload of the current block, reused */
	size_t block_cap;
	const unsigned char *rec; /* next record in block */
	const unsigned char *rec_end;
	z_stream inflater;
	bool inflater_ready;

	__u64 expected_seq;	 /* first sequence number the next block should carry */
	bool skipped_since_last; /* a damaged block was skipped: its records are the gap */
	__u64 damaged_blocks;
};

static void warn(struct vg_capture_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct vg_capture_reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	if (!r->warn)
		return;
	n = snprintf(msg, sizeof(msg), "%s: ", r->name);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	r->warn(r->warn_ctx, msg);
}

/* Fills the window from the file until it holds want bytes from its start, or the end. */
static int fill_window(struct vg_capture_reader *r, size_t want)
{
	if (want > r->win_cap) {
		size_t cap = r->win_cap * 2 > want ? r->win_cap * 2 : want;
		unsigned char *bigger;

		if (cap > WINDOW_MAX)
			cap = WINDOW_MAX;
		bigger = realloc(r->win, cap);
		if (!bigger)
			return -ENOMEM;
		r->win = bigger;
		r->win_cap = cap;
	}
	while (r->win_len < want && !r->eof) {
		ssize_t n = read(r->fd, r->win + r->win_len, r->win_cap - r->win_len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			r->eof = true;
		r->win_len += n;
	}
	return 0;
}

/*
 * The bytes at offset off, want of them (at most WINDOW_MAX), fewer only at the end of the
 * input: *got says how many. Offsets only move forward, within what was seen: the bytes
 * before off may be dropped. NULL and *err on a read error.
 */
static const unsigned char *view(struct vg_capture_reader *r, size_t off, size_t want, size_t *got,
				 int *err)
{
	static const unsigned char nothing[1];
	size_t start;

	if (r->fd < 0) {
		if (off >= r->mem_len) {
			*got = 0;
			return nothing;
		}
		*got = want < r->mem_len - off ? want : r->mem_len - off;
		return r->mem + off;
	}
	if (off < r->win_off || off > r->win_off + r->win_len) {
		*err = -EINVAL; /* not reached: every offset comes from a view before it */
		return NULL;
	}
	start = off - r->win_off;
	if (r->win_len - start < want && !r->eof) {
		memmove(r->win, r->win + start, r->win_len - start);
		r->win_off = off;
		r->win_len -= start;
		start = 0;
		*err = fill_window(r, want);
		if (*err)
			return NULL;
	}
	*got = want < r->win_len - start ? want : r->win_len - start;
	return *got ? r->win + start : nothing;
}

/* Checks the file header and fills r->info. 0, or -errno with the message in err. */
static int parse_header(struct vg_capture_reader *r, char *err, size_t errlen)
{
	const unsigned char *p;
	__u32 version, header_len = FH_LEN_V1, flags;
	size_t size;
	int ret = 0;

	p = view(r, 0, FH_HEADER_LEN + 4, &size, &ret);
	if (!p)
		goto io_error;
	if (size < sizeof(vg_capture_magic)) {
		if (memcmp(p, vg_capture_magic, size) == 0)
			goto truncated;
		goto bad_magic;
	}
	if (memcmp(p, vg_capture_magic, sizeof(vg_capture_magic)) != 0)
		goto bad_magic;
	if (size < FH_VERSION + 4)
		goto truncated;
	/* The version comes before anything else: a newer one may lay out the rest anew. */
	version = get_le32(p + FH_VERSION);
	if (version > VG_CAPTURE_VERSION) {
		snprintf(err, errlen,
			 "%s: capture format version %u is newer than this vigil reads (max %u): "
			 "upgrade vigil",
			 r->name, version, VG_CAPTURE_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (version == 0) {
		snprintf(err, errlen, "%s: damaged capture header (format version 0)", r->name);
		return -EINVAL;
	}
	if (size < FH_HEADER_LEN + 4)
		goto truncated;
	header_len = get_le32(p + FH_HEADER_LEN);
	if (header_len < FH_LEN_V1 || header_len > FH_LEN_MAX) {
		snprintf(err, errlen, "%s: damaged capture header (header length %u)", r->name,
			 header_len);
		return -EINVAL;
	}
	p = view(r, 0, header_len, &size, &ret);
	if (!p)
		goto io_error;
	if (size < header_len)
		goto truncated;
	if (CRC_CHECKED() && crc32_of(p, header_len - 4) != get_le32(p + header_len - 4)) {
		snprintf(err, errlen, "%s: damaged capture header (checksum mismatch)", r->name);
		return -EINVAL;
	}
	flags = get_le32(p + FH_FLAGS);
	if ((flags & FH_F_BIG_ENDIAN) != HOST_FLAGS) {
		snprintf(err, errlen,
			 "%s: capture was recorded on a %s-endian host; this vigil runs on a "
			 "%s-endian one and cannot read its events",
			 r->name, flags & FH_F_BIG_ENDIAN ? "big" : "little",
			 HOST_FLAGS ? "big" : "little");
		return -EPROTONOSUPPORT;
	}

	r->info.version = version;
	memcpy(r->info.host, p + FH_HOST, sizeof(r->info.host));
	r->info.host[sizeof(r->info.host) - 1] = '\0';
	memcpy(r->info.kernel, p + FH_KERNEL, sizeof(r->info.kernel));
	r->info.kernel[sizeof(r->info.kernel) - 1] = '\0';
	r->info.boot_time_ns = get_le64(p + FH_BOOT_TIME);
	r->info.start_time_ns = get_le64(p + FH_START_TIME);
	r->pos = header_len;
	return 0;

bad_magic:
	snprintf(err, errlen, "%s: not a vigil capture (bad magic)", r->name);
	return -EINVAL;
truncated:
	snprintf(err, errlen, "%s: capture header is cut off (%zu bytes, a header needs %u)",
		 r->name, size, header_len);
	return -EINVAL;
io_error:
	snprintf(err, errlen, "%s: %s", r->name, strerror(-ret));
	return ret;
}

static int reader_new(const char *name, vg_capture_warn_fn warn_fn, void *warn_ctx,
		      struct vg_capture_reader **out)
{
	struct vg_capture_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->fd = -1;
	r->name = strdup(name);
	if (!r->name || inflateInit(&r->inflater) != Z_OK) {
		free(r->name);
		free(r);
		return -ENOMEM;
	}
	r->inflater_ready = true;
	r->warn = warn_fn;
	r->warn_ctx = warn_ctx;
	*out = r;
	return 0;
}

/* The header checked, the reader handed out; or freed. */
static int reader_start(struct vg_capture_reader *r, struct vg_capture_reader **out, char *err,
			size_t errlen)
{
	int ret = parse_header(r, err, errlen);

	if (ret) {
		vg_capture_close_reader(r);
		return ret;
	}
	*out = r;
	return 0;
}

int vg_capture_open_mem(const void *buf, size_t len, vg_capture_warn_fn warn_fn, void *warn_ctx,
			struct vg_capture_reader **out, char *err, size_t errlen)
{
	struct vg_capture_reader *r;
	int ret;

	*out = NULL;
	ret = reader_new("(memory)", warn_fn, warn_ctx, &r);
	if (ret) {
		snprintf(err, errlen, "(memory): %s", strerror(-ret));
		return ret;
	}
	r->mem = buf;
	r->mem_len = len;
	return reader_start(r, out, err, errlen);
}

int vg_capture_open(const char *path, vg_capture_warn_fn warn_fn, void *warn_ctx,
		    struct vg_capture_reader **out, char *err, size_t errlen)
{
	struct vg_capture_reader *r;
	struct stat st;
	int ret;

	*out = NULL;
	ret = reader_new(path, warn_fn, warn_ctx, &r);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0 || fstat(r->fd, &st) < 0) {
		ret = -errno;
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		goto fail;
	}
	posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	r->win = malloc(WINDOW_MIN);
	if (!r->win) {
		ret = -ENOMEM;
		goto fail;
	}
	r->win_cap = WINDOW_MIN;
	return reader_start(r, out, err, errlen);

fail:
	snprintf(err, errlen, "%s: %s", path, strerror(-ret));
	vg_capture_close_reader(r);
	return ret;
}

const struct vg_capture_info *vg_capture_info(const struct vg_capture_reader *r)
{
	return &r->info;
}

__u64 vg_capture_damaged_blocks(const struct vg_capture_reader *r)
{
	return r->damaged_blocks;
}

/* Offset of the next sync marker at or after from, or of the end of the input. */
static int find_sync(struct vg_capture_reader *r, size_t from, size_t *found)
{
	for (;;) {
		const unsigned char *p, *hit;
		size_t got;
		int err = 0;

		p = view(r, from, SCAN_CHUNK, &got, &err);
		if (!p)
			return err;
		hit = got < sizeof(vg_capture_block_sync) ? NULL
							  : memmem(p, got, vg_capture_block_sync,
								   sizeof(vg_capture_block_sync));
		if (hit) {
			*found = from + (hit - p);
			return 0;
		}
		if (got < SCAN_CHUNK) {
			*found = from + got;
			return 0;
		}
		/* The next chunk overlaps this one by a marker's length less one. */
		from += got - (sizeof(vg_capture_block_sync) - 1);
	}
}

static bool block_header_ok(const unsigned char *p)
{
	return !CRC_CHECKED() || crc32_of(p, BH_HEADER_CRC) == get_le32(p + BH_HEADER_CRC);
}

/* Does a block with a sound header start in p[from, len)? */
static bool good_block_in(const unsigned char *p, size_t from, size_t len)
{
	while (from < len) {
		const unsigned char *hit = memmem(p + from, len - from, vg_capture_block_sync,
						  sizeof(vg_capture_block_sync));

		if (!hit)
			return false;
		from = hit - p;
		if (len - from >= BH_LEN && block_header_ok(hit))
			return true;
		from++;
	}
	return false;
}

/* Walks the inflated records once, so that next() can trust them. NULL or what is wrong. */
static const char *check_records(const unsigned char *p, size_t len, __u32 count, char *why,
				 size_t whylen)
{
	size_t at = 0;
	__u32 n = 0;

	while (at < len) {
		size_t left = len - at;
		__u32 rec_len;

		if (left < REC_HDR_LEN) {
			snprintf(why, whylen, "record %u header cut off", n);
			return why;
		}
		if (get_le16(p + at) == 0) {
			snprintf(why, whylen, "record %u has type 0", n);
			return why;
		}
		rec_len = get_le32(p + at + 4);
		if (rec_len > left - REC_HDR_LEN || padded(rec_len) > left - REC_HDR_LEN) {
			snprintf(why, whylen, "record %u length %u overruns the block", n, rec_len);
			return why;
		}
		at += REC_HDR_LEN + padded(rec_len);
		n++;
	}
	if (n != count) {
		snprintf(why, whylen, "%u records, the block header says %u", n, count);
		return why;
	}
	return NULL;
}

/* Room for len inflated bytes; len is at most VG_CAPTURE_BLOCK_MAX. */
static int reserve_block(struct vg_capture_reader *r, size_t len)
{
	size_t cap = r->block_cap ? r->block_cap : 1 << 16;
	unsigned char *bigger;

	if (r->block && len <= r->block_cap)
		return 0;
	while (cap < len)
		cap *= 2;
	bigger = realloc(r->block, cap);
	if (!bigger)
		return -ENOMEM;
	r->block = bigger;
	r->block_cap = cap;
	return 0;
}

enum block_result { BLOCK_OK, BLOCK_DAMAGED, BLOCK_CUT_OFF, BLOCK_END, BLOCK_ERROR };

struct block_info {
	__u64 first_seq;
	__u32 count;
	size_t len; /* bytes in the file: header and payload; for a cut-off block, what is left */
	char why[128]; /* what is damaged */
	int err;       /* BLOCK_ERROR */
};

/* Reads the block at r->pos into r->block. */
static enum block_result read_block(struct vg_capture_reader *r, struct block_info *b)
{
	__u32 compressed_len, uncompressed_len;
	const unsigned char *p;
	size_t avail;
	int z;

	p = view(r, r->pos, BH_LEN, &avail, &b->err);
	if (!p)
		return BLOCK_ERROR;
	b->len = avail;
	if (avail == 0)
		return BLOCK_END;
	if (avail < sizeof(vg_capture_block_sync)) {
		if (memcmp(p, vg_capture_block_sync, avail) == 0)
			return BLOCK_CUT_OFF;
		snprintf(b->why, sizeof(b->why), "no sync marker");
		return BLOCK_DAMAGED;
	}
	if (memcmp(p, vg_capture_block_sync, sizeof(vg_capture_block_sync)) != 0) {
		snprintf(b->why, sizeof(b->why), "no sync marker");
		return BLOCK_DAMAGED;
	}
	/* No complete block fits in what is left, so nothing good can follow either. */
	if (avail < BH_LEN)
		return BLOCK_CUT_OFF;
	if (!block_header_ok(p)) {
		snprintf(b->why, sizeof(b->why), "block header checksum mismatch");
		return BLOCK_DAMAGED;
	}
	compressed_len = get_le32(p + BH_COMPRESSED_LEN);
	uncompressed_len = get_le32(p + BH_UNCOMPRESSED_LEN);
	b->count = get_le32(p + BH_RECORD_COUNT);
	b->first_seq = get_le64(p + BH_FIRST_SEQ);
	/* Every length is bounded before anything is allocated or read by it. */
	if (uncompressed_len > VG_CAPTURE_BLOCK_MAX) {
		snprintf(b->why, sizeof(b->why), "uncompressed length %u over the limit of %u",
			 uncompressed_len, VG_CAPTURE_BLOCK_MAX);
		return BLOCK_DAMAGED;
	}
	if (compressed_len > compressBound(uncompressed_len)) {
		snprintf(b->why, sizeof(b->why), "compressed length %u too large for %u bytes",
			 compressed_len, uncompressed_len);
		return BLOCK_DAMAGED;
	}
	if (b->count > uncompressed_len / REC_HDR_LEN) {
		snprintf(b->why, sizeof(b->why), "%u records cannot fit in %u bytes", b->count,
			 uncompressed_len);
		return BLOCK_DAMAGED;
	}

	p = view(r, r->pos, BH_LEN + compressed_len, &avail, &b->err);
	if (!p)
		return BLOCK_ERROR;
	b->len = avail;
	if (avail < BH_LEN + compressed_len) {
		/*
		 * The input ends before the payload does. A stub of a failed write is followed
		 * by good blocks; a cut-off tail is not.
		 */
		if (good_block_in(p, 1, avail)) {
			snprintf(b->why, sizeof(b->why),
				 "compressed length %u runs into the next block", compressed_len);
			return BLOCK_DAMAGED;
		}
		return BLOCK_CUT_OFF;
	}
	if (CRC_CHECKED() && crc32_of(p + BH_LEN, compressed_len) != get_le32(p + BH_PAYLOAD_CRC)) {
		snprintf(b->why, sizeof(b->why), "payload checksum mismatch");
		return BLOCK_DAMAGED;
	}

	b->err = reserve_block(r, uncompressed_len);
	if (b->err)
		return BLOCK_ERROR;
	inflateReset(&r->inflater);
	/* zlib's own Adler-32 is a checksum too: off only while the fuzzer has them off. */
	inflateValidate(&r->inflater, CRC_CHECKED());
	r->inflater.next_in = (unsigned char *)p + BH_LEN;
	r->inflater.avail_in = compressed_len;
	r->inflater.next_out = r->block;
	r->inflater.avail_out = uncompressed_len;
	z = inflate(&r->inflater, Z_FINISH);
	if (z != Z_STREAM_END) {
		if (z == Z_BUF_ERROR)
			snprintf(b->why, sizeof(b->why), "does not inflate to its stated length %u",
				 uncompressed_len);
		else
			snprintf(b->why, sizeof(b->why), "does not inflate: %s",
				 r->inflater.msg ? r->inflater.msg : "zlib error");
		return BLOCK_DAMAGED;
	}
	if (r->inflater.avail_out || r->inflater.avail_in) {
		snprintf(b->why, sizeof(b->why), "inflates to %lu bytes, the block header says %u",
			 r->inflater.total_out, uncompressed_len);
		return BLOCK_DAMAGED;
	}
	if (check_records(r->block, uncompressed_len, b->count, b->why, sizeof(b->why)))
		return BLOCK_DAMAGED;

	b->len = BH_LEN + compressed_len;
	r->rec = r->block;
	r->rec_end = r->block + uncompressed_len;
	return BLOCK_OK;
}

/* Moves to the next block with records. 1, 0 at the end, or -errno. */
static int next_block(struct vg_capture_reader *r)
{
	for (;;) {
		struct block_info b = {0};
		int err;

		switch (read_block(r, &b)) {
		case BLOCK_OK:
			/* A gap no skipped block explains: blocks the writer failed to write. */
			if (b.first_seq > r->expected_seq && !r->skipped_since_last)
				warn(r,
				     "%llu records missing before the block at offset %zu (not "
				     "written while recording: disk full?)",
				     (unsigned long long)(b.first_seq - r->expected_seq), r->pos);
			r->expected_seq = b.first_seq + b.count;
			r->skipped_since_last = false;
			r->pos += b.len;
			if (r->rec < r->rec_end)
				return 1;
			break;
		case BLOCK_DAMAGED:
			warn(r, "damaged block at offset %zu (%s), skipped", r->pos, b.why);
			r->damaged_blocks++;
			r->skipped_since_last = true;
			err = find_sync(r, r->pos + 1, &r->pos);
			if (err)
				return err;
			break;
		case BLOCK_CUT_OFF:
			warn(r,
			     "capture ends inside a block at offset %zu (cut off while "
			     "recording?); %zu bytes ignored",
			     r->pos, b.len);
			r->pos += b.len;
			break;
		case BLOCK_END:
			return 0;
		case BLOCK_ERROR:
			return b.err;
		}
	}
}

int vg_capture_next(struct vg_capture_reader *r, unsigned int *type, const void **data, size_t *len)
{
	__u32 rec_len;

	if (r->rec == r->rec_end) {
		int ret = next_block(r);

		if (ret <= 0)
			return ret;
	}
	/* check_records has vouched for every record of the block. */
	rec_len = get_le32(r->rec + 4);
	*type = get_le16(r->rec);
	*data = r->rec + REC_HDR_LEN;
	*len = rec_len;
	r->rec += REC_HDR_LEN + padded(rec_len);
	return 1;
}

void vg_capture_close_reader(struct vg_capture_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->win);
	if (r->inflater_ready)
		inflateEnd(&r->inflater);
	free(r->block);
	free(r->name);
	free(r);
}
