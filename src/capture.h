/* SPDX-License-Identifier: GPL-2.0 */
/* Capture files: a versioned stream of compressed, checksummed blocks of records. */
#ifndef VIGIL_CAPTURE_H
#define VIGIL_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define VG_CAPTURE_VERSION 1

/* Hard bound on a block's uncompressed payload: what a reader ever allocates for one block. */
#define VG_CAPTURE_BLOCK_MAX (1u << 20)
/* The largest record: one record alone in a block, after its 8-byte record header. */
#define VG_CAPTURE_RECORD_MAX (VG_CAPTURE_BLOCK_MAX - 8)
/* The writer writes a pending block once it holds this many bytes... */
#define VG_CAPTURE_BLOCK_TARGET (64u << 10)
/* ...or once vg_capture_tick sees it older than this. */
#define VG_CAPTURE_FLUSH_NS 1000000000ull

enum vg_capture_record {
	VG_REC_EVENT = 1, /* a raw record exactly as the kernel produced it (vigil/events.h) */
	VG_REC_CONTAINER = 2, /* a container's metadata: JSON text (vg_container_to_json_full) */
	VG_REC_LOSS = 3, /* loss counters: __u64[VIGIL_COUNTERS], totals so far */
	VG_REC_SYSCALLS = 4, /* per-container system call set (issue 6) */
};

struct vg_capture_info {
	__u32 version; /* format version of the file */
	char host[64];
	char kernel[128];
	__u64 boot_time_ns; /* wall-clock time of boot: CLOCK_REALTIME - CLOCK_BOOTTIME */
	__u64 start_time_ns; /* wall-clock time the recording started */
};

struct vg_capture_writer;

/* Creates (truncates) path and writes the header. 0 or -errno. */
int vg_capture_create(const char *path, const struct vg_capture_info *info,
		      struct vg_capture_writer **out);
/*
 * Buffers one record; a full block (by size) is compressed and written. 0 or -errno.
 * type is 1..65535, len at most VG_CAPTURE_RECORD_MAX (else -EINVAL / -EMSGSIZE, nothing
 * stored). Any other -errno is a failed block write (ENOSPC, EIO...): that block's records
 * are dropped and counted, this record is kept, and the writer goes on with the next block.
 */
int vg_capture_append(struct vg_capture_writer *w, unsigned int type, const void *data,
		      size_t len);
/* Writes the pending block if it is older than the time bound. now: CLOCK_MONOTONIC ns. */
int vg_capture_tick(struct vg_capture_writer *w, __u64 now_ns);
/* Writes the pending block now, whatever its age. 0 or -errno (the block is then dropped). */
int vg_capture_flush(struct vg_capture_writer *w);
/* Bytes in the file so far: header and complete blocks, not the pending block. */
__u64 vg_capture_bytes(const struct vg_capture_writer *w);
/* Blocks (and the records in them) lost to write errors so far. */
__u64 vg_capture_dropped_blocks(const struct vg_capture_writer *w);
__u64 vg_capture_dropped_records(const struct vg_capture_writer *w);
/* Writes what is pending, fsyncs, closes, frees. 0 or -errno (still frees). */
int vg_capture_close(struct vg_capture_writer *w);

struct vg_capture_reader;

/* Damage, truncation: told, and reading goes on. */
typedef void (*vg_capture_warn_fn)(void *ctx, const char *message);

/*
 * Opens and checks the header. A bad magic or a newer version is refused with a one-line
 * message in err ("FILE: ..."), -EINVAL or -EPROTONOSUPPORT; I/O errors -errno.
 */
int vg_capture_open(const char *path, vg_capture_warn_fn warn, void *warn_ctx,
		    struct vg_capture_reader **out, char *err, size_t errlen);
/* The same over a buffer in memory (fuzzing, tests); the buffer must outlive the reader. */
int vg_capture_open_mem(const void *buf, size_t len, vg_capture_warn_fn warn, void *warn_ctx,
			struct vg_capture_reader **out, char *err, size_t errlen);
const struct vg_capture_info *vg_capture_info(const struct vg_capture_reader *r);
/*
 * The next record: 1 and *type, *data, *len set (data valid until the next call), 0 at the
 * end. Damaged blocks are skipped (warned with their offset) by finding the next sync
 * marker; a cut-off tail is warned about. Never more memory than a block's bounded size.
 * data is 8-byte aligned, so an event record can be read through its struct. -errno on a
 * read error or when the block buffer cannot be had.
 */
int vg_capture_next(struct vg_capture_reader *r, unsigned int *type, const void **data,
		    size_t *len);
/* Blocks skipped as damaged so far (a cut-off tail is not counted). */
__u64 vg_capture_damaged_blocks(const struct vg_capture_reader *r);
void vg_capture_close_reader(struct vg_capture_reader *r);

#endif
