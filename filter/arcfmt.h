/*
 * arcfmt.h - the archive's on-disk layout (docs/archive.md), shared by its
 * reader (archive.c) and writer (arc_write.c): magic, sizes, section types,
 * record sizes and the little-endian field accessors.  Nothing here owns
 * memory.
 */
#ifndef GOERRFILT_ARCFMT_H
#define GOERRFILT_ARCFMT_H

#include <stdint.h>
#include <string.h>

#define ARCFMT_MAGIC "\x89GFA\r\n\x1a\n"
#define ARCFMT_HDR 64           /* header bytes */
#define ARCFMT_SECSZ 40         /* one section table entry */
#define ARCFMT_MAXSEC 4096
/* No index section decodes to more than this (a corrupt length would
 * otherwise decide how much is allocated). */
#define ARCFMT_META_MAX (256ULL << 20)

enum {
	ARCFMT_DICT = 1, ARCFMT_BLOCKS, ARCFMT_LOGS, ARCFMT_EVENTS,
	ARCFMT_STRINGS, ARCFMT_NTYPES
};
#define ARCFMT_SEC_ZSTD 1u
#define ARCFMT_SEC_KNOWN ARCFMT_SEC_ZSTD

/* The record size of each section type in version 1.0 (0: not records). */
static const unsigned arcfmt_recsize[ARCFMT_NTYPES] = {
	0, 0, 32, 40, 36, 0,
};

struct arcfmt_sec {
	uint32_t type;
	unsigned flags, recsize;
	uint64_t off, len, rawlen, hash;
};

static inline uint16_t
arcfmt_u16(const void *p)
{
	const unsigned char *b = p;
	return (uint16_t)(b[0] | b[1] << 8);
}

static inline uint32_t
arcfmt_u32(const void *p)
{
	const unsigned char *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	    (uint32_t)b[3] << 24;
}

static inline uint64_t
arcfmt_u64(const void *p)
{
	return arcfmt_u32(p) | (uint64_t)arcfmt_u32((const char *)p + 4) << 32;
}

static inline void
arcfmt_put16(void *p, uint16_t v)
{
	unsigned char *b = p;
	b[0] = (unsigned char)v;
	b[1] = (unsigned char)(v >> 8);
}

static inline void
arcfmt_put32(void *p, uint32_t v)
{
	unsigned char *b = p;
	for (int i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
}

static inline void
arcfmt_put64(void *p, uint64_t v)
{
	arcfmt_put32(p, (uint32_t)v);
	arcfmt_put32((char *)p + 4, (uint32_t)(v >> 32));
}

#endif
