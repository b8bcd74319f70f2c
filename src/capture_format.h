// SPDX-License-Identifier: GPL-2.0
/*
 * The capture file's byte layout, shared by the writer (capture_write.c) and the reader
 * (capture.c). docs/capture-format.md says the same in prose; keep the three in step.
 */
#ifndef VIGIL_CAPTURE_FORMAT_H
#define VIGIL_CAPTURE_FORMAT_H

#include <stddef.h>
#include <zlib.h>
#include <linux/types.h>

extern const unsigned char vg_capture_magic[8]; /* "VIGILCAP" */
/*
 * Starts every block. 0xd1 occurs only once in it, so no proper prefix of the marker is
 * also a suffix: a scan can never miss a marker that overlaps a false partial match.
 */
extern const unsigned char vg_capture_block_sync[8]; /* 0xd1 "VGBLK\r\n" */

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
extern int vg_capture_fuzz_ignore_crc;
#define CRC_CHECKED() (!vg_capture_fuzz_ignore_crc)
#else
#define CRC_CHECKED() 1
#endif

static inline void put_le16(unsigned char *p, __u16 v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le32(unsigned char *p, __u32 v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static inline void put_le64(unsigned char *p, __u64 v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

static inline __u16 get_le16(const unsigned char *p)
{
	return p[0] | (__u16)p[1] << 8;
}

static inline __u32 get_le32(const unsigned char *p)
{
	return p[0] | (__u32)p[1] << 8 | (__u32)p[2] << 16 | (__u32)p[3] << 24;
}

static inline __u64 get_le64(const unsigned char *p)
{
	return get_le32(p) | (__u64)get_le32(p + 4) << 32;
}

static inline __u32 crc32_of(const void *p, size_t len)
{
	return crc32(crc32(0, Z_NULL, 0), p, len);
}

static inline size_t padded(size_t len)
{
	return (len + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1);
}

#endif /* VIGIL_CAPTURE_FORMAT_H */
