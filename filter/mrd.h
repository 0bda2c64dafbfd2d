/*
 * mrd.h - a bounded msgpack cursor for untrusted input (the --decode
 * reader and the forward client's ack replies).
 *
 * Exports struct mrd, a cursor over a caller-owned byte range, and typed
 * reads that check every length against the bytes that are left before
 * trusting it, so a huge length in garbage is an error, never an
 * allocation.  Nothing here allocates; strings point into the caller's
 * bytes.  The first error sticks: later reads fail at once, and err_off
 * and msg say where and what.  It does not include msgpack.h: msgpack-c's
 * unpacker allocates from declared sizes, which garbage must not steer.
 */
#ifndef GOERRFILT_MRD_H
#define GOERRFILT_MRD_H

#include <stddef.h>
#include <stdint.h>

enum mrd_type {
	MRD_NIL, MRD_BOOL, MRD_INT, MRD_FLOAT, MRD_STR, MRD_BIN, MRD_ARRAY,
	MRD_MAP, MRD_EXT, MRD_BAD, MRD_END,
};

enum mrd_err { MRD_OK, MRD_SHORT, MRD_WRONG };

/* Nesting deeper than this is refused (the skipper recurses). */
#define MRD_MAX_DEPTH 64

struct mrd {
	const unsigned char *p;
	size_t len, pos;
	uint64_t base;      /* stream offset of p[0], for messages */
	enum mrd_err err;   /* MRD_SHORT: the bytes ended inside a value */
	uint64_t err_off;
	char msg[160];
};

void mrd_init(struct mrd *r, const void *p, size_t len, uint64_t base);
/* The type of the next value without reading it; MRD_END at the end. */
enum mrd_type mrd_peek(const struct mrd *r);
/* Each returns 0, or -1 with the error set. */
int mrd_skip(struct mrd *r);
int mrd_map(struct mrd *r, uint32_t *n);
int mrd_array(struct mrd *r, uint32_t *n);
int mrd_str(struct mrd *r, const char **s, size_t *n);
/* A str or a bin. */
int mrd_raw(struct mrd *r, const char **s, size_t *n);
/* Any integer that fits in int64. */
int mrd_int(struct mrd *r, int64_t *v);
/* Any non-negative integer, up to UINT64_MAX. */
int mrd_uint(struct mrd *r, uint64_t *v);
/* An integer or a float. */
int mrd_num(struct mrd *r, double *v);
int mrd_bool(struct mrd *r, int *v);
int mrd_ext(struct mrd *r, int8_t *type, const unsigned char **p, size_t *n);
/* Sets the error (if none is set yet) at the cursor's offset. */
void mrd_fail(struct mrd *r, const char *fmt, ...);

#endif
