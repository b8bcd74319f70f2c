// SPDX-License-Identifier: GPL-2.0
/*
 * Capture files, the writing side: records gathered into blocks, each compressed,
 * checksummed and written whole behind its sync marker; a failed write is cut back so the
 * file always ends on a complete block. The layout is in capture_format.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "capture.h"
#include "capture_format.h"

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

	memcpy(header + FH_MAGIC, vg_capture_magic, sizeof(vg_capture_magic));
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

	memcpy(hdr + BH_SYNC, vg_capture_block_sync, sizeof(vg_capture_block_sync));
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
