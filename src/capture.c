// SPDX-License-Identifier: GPL-2.0
/*
 * Capture files: a header, then blocks of records, each block zlib-compressed, checksummed
 * and preceded by a sync marker so that a reader can find the next block after damage.
 * The byte layout and the promises are in docs/capture-format.md; keep the two in step.
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

static const unsigned char capture_magic[8] = {'V', 'I', 'G', 'I', 'L', 'C', 'A', 'P'};
/*
 * Starts every block. 0xd1 occurs only once in it, so no proper prefix of the marker is
 * also a suffix: a scan can never miss a marker that overlaps a false partial match.
 */
static const unsigned char block_sync[8] = {0xd1, 'V', 'G', 'B', 'L', 'K', '\r', '\n'};

/* File header, version 1 (offsets in bytes). */
enum {
	FH_MAGIC = 0,
	FH_VERSION = 8,
	FH_HEADER_LEN = 12,
	FH_FLAGS = 16,
	FH_HOST = 20,
	FH_KERNEL = FH_HOST + 64,
	FH_BOOT_TIME = FH_KERNEL + 128,
	FH_START_TIME = FH_BOOT_TIME + 8,
	FH_CRC = FH_START_TIME + 8,
	FH_LEN_V1 = FH_CRC + 4,
	FH_LEN_MAX = 64 << 10, /* room for compatible additions, bounded */
};
_Static_assert(FH_LEN_V1 == 232, "header layout as documented");

/* Header flags. */
#define FH_F_BIG_ENDIAN (1u << 0) /* the raw records are big-endian (recorded on such a host) */

/* Block header (offsets in bytes). */
enum {
	BH_SYNC = 0,
	BH_COMPRESSED_LEN = 8,
	BH_UNCOMPRESSED_LEN = 12,
	BH_RECORD_COUNT = 16,
	BH_FIRST_SEQ = 20,
	BH_PAYLOAD_CRC = 28,
	BH_HEADER_CRC = 32,
	BH_LEN = 36,
};

/* Record header in the uncompressed payload: u16 type, u16 zero, u32 length; data padded to 8. */
#define REC_HDR_LEN 8u
#define REC_ALIGN   8u

/* Measured on synthetic exec events: level 6 writes 2.8x slower for 20% smaller blocks. */
#define ZLIB_LEVEL 1

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define HOST_FLAGS FH_F_BIG_ENDIAN
#else
#define HOST_FLAGS 0u
#endif

#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
/* Set by the fuzzer so that mutated input gets past the checksums to the parsers behind. */
int vg_capture_fuzz_ignore_crc;
#define CRC_CHECKED() (!vg_capture_fuzz_ignore_crc)
#else
#define CRC_CHECKED() 1
#endif

static void put_le16(unsigned char *p, __u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(unsigned char *p, __u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static void put_le64(unsigned char *p, __u64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static __u16 get_le16(const unsigned char *p)
{
	return p[0] | (__u16)p[1] << 8;
}

static __u32 get_le32(const unsigned char *p)
{
	return p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 | (__u32)p[3] << 24;
}

static __u64 get_le64(const unsigned char *p)
{
	return get_le32(p) | (__u64)get_le32(p + 4) << 32;
}

static __u32 crc32_of(const void *p, size_t len)
{
	return crc32(crc32(0, Z_NULL, 0), p, len);
}

static size_t padded(size_t len)
{
	return (len + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1);
}

/* ---- writer ---- */

struct vg_capture_writer {
	int fd;
	off_t good_end; /* end of the last complete write: where a failed one is cut back to */
	unsigned char *pending; /* uncompressed records of the block being filled */
	size_t pending_len;
	__u32 pending_count;
	__u64 pending_since_ns; /* CLOCK_MONOTONIC of the block's first record */
	__u64 next_seq;		/* sequence number of the pending block's first record */
	unsigned char *out;	/* block header + compressed payload */
	size_t out_cap;
	z_stream deflater;
	__u64 dropped_blocks;
	__u64 dropped_records;
};

static __u64 monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* All of buf, or -errno. Short writes and signals are resumed. */
static int write_all(int fd, const unsigned char *buf, size_t len, size_t *written)
{
	*written = 0;
	while (*written < len) {
		ssize_t n = write(fd, buf + *written, len - *written);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		*written += n;
	}
	return 0;
}

static void copy_field(unsigned char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size - 1);

	memset(dst, 0, size);
	memcpy(dst, src, len);
}

int vg_capture_create(const char *path, const struct vg_capture_info *info,
		      struct vg_capture_writer **out)
{
	unsigned char header[FH_LEN_V1] = {0};
	struct vg_capture_writer *w;
	size_t written;
	int err;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = -1;
	if (deflateInit(&w->deflater, ZLIB_LEVEL) != Z_OK) {
		free(w);
		return -ENOMEM;
	}
	w->out_cap = BH_LEN + deflateBound(&w->deflater, VG_CAPTURE_BLOCK_MAX);
	w->pending = malloc(VG_CAPTURE_BLOCK_MAX);
	w->out = malloc(w->out_cap);
	if (!w->pending || !w->out) {
		err = -ENOMEM;
		goto fail;
	}
	/* Captures hold command lines and paths: readable by the owner only. */
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (w->fd < 0) {
		err = -errno;
		goto fail;
	}

	memcpy(header + FH_MAGIC, capture_magic, sizeof(capture_magic));
	put_le32(header + FH_VERSION, VG_CAPTURE_VERSION);
	put_le32(header + FH_HEADER_LEN, FH_LEN_V1);
	put_le32(header + FH_FLAGS, HOST_FLAGS);
	copy_field(header + FH_HOST, info->host, sizeof(info->host));
	copy_field(header + FH_KERNEL, info->kernel, sizeof(info->kernel));
	put_le64(header + FH_BOOT_TIME, info->boot_time_ns);
	put_le64(header + FH_START_TIME, info->start_time_ns);
	put_le32(header + FH_CRC, crc32_of(header, FH_CRC));
	err = write_all(w->fd, header, sizeof(header), &written);
	if (err)
		goto fail;
	w->good_end = sizeof(header);
	*out = w;
	return 0;

fail:
	if (w->fd >= 0)
		close(w->fd);
	deflateEnd(&w->deflater);
	free(w->pending);
	free(w->out);
	free(w);
	return err;
}

/* Compresses and writes the pending block; on failure the block is dropped and counted. */
static int write_block(struct vg_capture_writer *w)
{
	unsigned char *hdr = w->out;
	size_t compressed_len, written;
	int err = 0;

	if (!w->pending_count)
		return 0;

	deflateReset(&w->deflater);
	w->deflater.next_in = w->pending;
	w->deflater.avail_in = w->pending_len;
	w->deflater.next_out = w->out + BH_LEN;
	w->deflater.avail_out = w->out_cap - BH_LEN;
	/* out_cap is deflateBound of the largest block: one call always finishes. */
	if (deflate(&w->deflater, Z_FINISH) != Z_STREAM_END) {
		err = -EIO;
		goto drop;
	}
	compressed_len = w->deflater.total_out;

	memcpy(hdr + BH_SYNC, block_sync, sizeof(block_sync));
	put_le32(hdr + BH_COMPRESSED_LEN, compressed_len);
	put_le32(hdr + BH_UNCOMPRESSED_LEN, w->pending_len);
	put_le32(hdr + BH_RECORD_COUNT, w->pending_count);
	put_le64(hdr + BH_FIRST_SEQ, w->next_seq);
	put_le32(hdr + BH_PAYLOAD_CRC, crc32_of(w->out + BH_LEN, compressed_len));
	put_le32(hdr + BH_HEADER_CRC, crc32_of(hdr, BH_HEADER_CRC));

	err = write_all(w->fd, w->out, BH_LEN + compressed_len, &written);
	if (!err) {
		w->good_end += BH_LEN + compressed_len;
		goto done;
	}
	/*
	 * Cut a partly written block back off so the next block follows the last good one.
	 * Best effort: where it fails (not a regular file), the reader resyncs past the stub.
	 */
	if (written && ftruncate(w->fd, w->good_end) == 0)
		lseek(w->fd, w->good_end, SEEK_SET);
drop:
	w->dropped_blocks++;
	w->dropped_records += w->pending_count;
done:
	/* Sequence numbers go on across a dropped block: the reader sees the gap. */
	w->next_seq += w->pending_count;
	w->pending_len = 0;
	w->pending_count = 0;
	return err;
}

int vg_capture_append(struct vg_capture_writer *w, unsigned int type, const void *data, size_t len)
{
	size_t need = REC_HDR_LEN + padded(len);
	unsigned char *rec;
	int err = 0;

	if (type == 0 || type > 0xffff)
		return -EINVAL;
	if (len > VG_CAPTURE_RECORD_MAX)
		return -EMSGSIZE;
	/*
	 * A full block is written before the record that would overflow it is added, so a
	 * failed write never takes this record with it. Blocks stay within the target unless
	 * one record alone is larger; the buffer holds the largest record.
	 */
	if (w->pending_len && w->pending_len + need > VG_CAPTURE_BLOCK_TARGET)
		err = write_block(w);

	rec = w->pending + w->pending_len;
	put_le16(rec, type);
	put_le16(rec + 2, 0);
	put_le32(rec + 4, len);
	if (len)
		memcpy(rec + REC_HDR_LEN, data, len);
	memset(rec + REC_HDR_LEN + len, 0, need - REC_HDR_LEN - len);
	if (!w->pending_count)
		w->pending_since_ns = monotonic_ns();
	w->pending_len += need;
	w->pending_count++;
	return err;
}

int vg_capture_tick(struct vg_capture_writer *w, __u64 now_ns)
{
	if (!w->pending_count || now_ns < w->pending_since_ns ||
	    now_ns - w->pending_since_ns < VG_CAPTURE_FLUSH_NS)
		return 0;
	return write_block(w);
}

int vg_capture_flush(struct vg_capture_writer *w)
{
	return write_block(w);
}

__u64 vg_capture_bytes(const struct vg_capture_writer *w)
{
	return (__u64)w->good_end;
}

__u64 vg_capture_dropped_blocks(const struct vg_capture_writer *w)
{
	return w->dropped_blocks;
}

__u64 vg_capture_dropped_records(const struct vg_capture_writer *w)
{
	return w->dropped_records;
}

int vg_capture_close(struct vg_capture_writer *w)
{
	int err;

	if (!w)
		return 0;
	err = write_block(w);
	/* Pipes and character devices cannot be synced: nothing is lost by that. */
	if (fsync(w->fd) < 0 && errno != EINVAL && errno != EROFS && !err)
		err = -errno;
	if (close(w->fd) < 0 && errno != EINTR && !err)
		err = -errno;
	deflateEnd(&w->deflater);
	free(w->pending);
	free(w->out);
	free(w);
	return err;
}

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
	if (size < sizeof(capture_magic)) {
		if (memcmp(p, capture_magic, size) == 0)
			goto truncated;
		goto bad_magic;
	}
	if (memcmp(p, capture_magic, sizeof(capture_magic)) != 0)
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
		hit = got < sizeof(block_sync) ? NULL
					       : memmem(p, got, block_sync, sizeof(block_sync));
		if (hit) {
			*found = from + (hit - p);
			return 0;
		}
		if (got < SCAN_CHUNK) {
			*found = from + got;
			return 0;
		}
		/* The next chunk overlaps this one by a marker's length less one. */
		from += got - (sizeof(block_sync) - 1);
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
		const unsigned char *hit =
			memmem(p + from, len - from, block_sync, sizeof(block_sync));

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
	if (avail < sizeof(block_sync)) {
		if (memcmp(p, block_sync, avail) == 0)
			return BLOCK_CUT_OFF;
		snprintf(b->why, sizeof(b->why), "no sync marker");
		return BLOCK_DAMAGED;
	}
	if (memcmp(p, block_sync, sizeof(block_sync)) != 0) {
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
