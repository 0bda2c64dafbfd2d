/*
 * mrd.c - the bounded msgpack cursor (see mrd.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mrd.h"

static const char *const type_names[] = {
	"nil", "bool", "integer", "float", "string", "binary", "array", "map",
	"ext", "reserved byte 0xc1", "end of input",
};

void
mrd_init(struct mrd *r, const void *p, size_t len, uint64_t base)
{
	memset(r, 0, sizeof(*r));
	r->p = p;
	r->len = len;
	r->base = base;
}

static void
vfail(struct mrd *r, enum mrd_err e, const char *fmt, va_list ap)
{
	if (r->err != MRD_OK)
		return;
	r->err = e;
	r->err_off = r->base + r->pos;
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
}

void
mrd_fail(struct mrd *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(r, MRD_WRONG, fmt, ap);
	va_end(ap);
}

static void
fail_short(struct mrd *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(r, MRD_SHORT, fmt, ap);
	va_end(ap);
}

static enum mrd_type
type_of(unsigned c)
{
	if (c <= 0x7f || c >= 0xe0)
		return MRD_INT;
	if (c <= 0x8f)
		return MRD_MAP;
	if (c <= 0x9f)
		return MRD_ARRAY;
	if (c <= 0xbf)
		return MRD_STR;
	switch (c) {
	case 0xc0: return MRD_NIL;
	case 0xc2: case 0xc3: return MRD_BOOL;
	case 0xc4: case 0xc5: case 0xc6: return MRD_BIN;
	case 0xc7: case 0xc8: case 0xc9: return MRD_EXT;
	case 0xca: case 0xcb: return MRD_FLOAT;
	case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: return MRD_EXT;
	case 0xd9: case 0xda: case 0xdb: return MRD_STR;
	case 0xdc: case 0xdd: return MRD_ARRAY;
	case 0xde: case 0xdf: return MRD_MAP;
	case 0xc1: return MRD_BAD;
	default: return MRD_INT; /* 0xcc-0xd3 */
	}
}

enum mrd_type
mrd_peek(const struct mrd *r)
{
	if (r->err != MRD_OK || r->pos >= r->len)
		return MRD_END;
	return type_of(r->p[r->pos]);
}

/* Reads an n-byte big-endian number after the tag byte. */
static int
be(struct mrd *r, size_t n, uint64_t *v)
{
	if (r->len - r->pos < 1 + n) {
		fail_short(r, "truncated: %zu-byte header, %zu bytes left", 1 + n,
		    r->len - r->pos);
		return -1;
	}
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++)
		x = x << 8 | r->p[r->pos + 1 + i];
	*v = x;
	return 0;
}

/* Checks that want more bytes follow a header of hdr bytes. */
static int
need(struct mrd *r, size_t hdr, uint64_t want, const char *what)
{
	if (want > r->len - r->pos - hdr) {
		fail_short(r, "truncated: %s needs %llu bytes, %zu left", what,
		    (unsigned long long)want, r->len - r->pos - hdr);
		return -1;
	}
	return 0;
}

static int
expect(struct mrd *r, enum mrd_type want)
{
	enum mrd_type t = mrd_peek(r);

	if (r->err != MRD_OK)
		return -1;
	if (t == MRD_END) {
		fail_short(r, "truncated: expected %s, input ends", type_names[want]);
		return -1;
	}
	if (t != want) {
		mrd_fail(r, "expected %s, found %s", type_names[want], type_names[t]);
		return -1;
	}
	return 0;
}

/* Reads a container header: n items (a map's n counts pairs). */
static int
container(struct mrd *r, enum mrd_type t, uint32_t *n)
{
	if (expect(r, t) != 0)
		return -1;
	unsigned c = r->p[r->pos];
	uint64_t v;
	size_t hdr;
	if (c <= 0x9f) {
		v = c & 0x0f;
		hdr = 1;
	} else {
		hdr = (c == 0xdc || c == 0xde) ? 2 : 4;
		if (be(r, hdr, &v) != 0)
			return -1;
		hdr++;
	}
	/* Every item takes a byte at least: more items than bytes is short. */
	uint64_t min = t == MRD_MAP ? 2 * v : v;
	if (min > r->len - r->pos - hdr) {
		char what[48];
		snprintf(what, sizeof(what), t == MRD_MAP ? "a map of %llu pairs" :
		    "an array of %llu items", (unsigned long long)v);
		return need(r, hdr, min, what);
	}
	r->pos += hdr;
	*n = (uint32_t)v;
	return 0;
}

int
mrd_map(struct mrd *r, uint32_t *n)
{
	return container(r, MRD_MAP, n);
}

int
mrd_array(struct mrd *r, uint32_t *n)
{
	return container(r, MRD_ARRAY, n);
}

/* A str, bin or ext body: returns its bytes. */
static int
body(struct mrd *r, const char **s, size_t *n, int8_t *ext)
{
	unsigned c = r->p[r->pos];
	uint64_t v;
	size_t hdr;

	if (c >= 0xa0 && c <= 0xbf) {
		v = c & 0x1f;
		hdr = 1;
	} else if (c >= 0xd4 && c <= 0xd8) {
		v = 1u << (c - 0xd4);
		hdr = 2;
		if (need(r, 1, 1, "an ext type") != 0)
			return -1;
	} else {
		size_t k;
		switch (c) {
		case 0xd9: case 0xc4: case 0xc7: k = 1; break;
		case 0xda: case 0xc5: case 0xc8: k = 2; break;
		default: k = 4; break;
		}
		if (be(r, k, &v) != 0)
			return -1;
		hdr = 1 + k + (c >= 0xc7 && c <= 0xc9);
		if (c >= 0xc7 && c <= 0xc9 && need(r, 1 + k, 1, "an ext type") != 0)
			return -1;
	}
	if (need(r, hdr, v, "a value") != 0)
		return -1;
	if (ext != NULL)
		*ext = (int8_t)r->p[r->pos + hdr - 1];
	*s = (const char *)r->p + r->pos + hdr;
	*n = (size_t)v;
	r->pos += hdr + (size_t)v;
	return 0;
}

int
mrd_str(struct mrd *r, const char **s, size_t *n)
{
	if (expect(r, MRD_STR) != 0)
		return -1;
	return body(r, s, n, NULL);
}

int
mrd_raw(struct mrd *r, const char **s, size_t *n)
{
	if (mrd_peek(r) == MRD_BIN)
		return body(r, s, n, NULL);
	return mrd_str(r, s, n);
}

int
mrd_ext(struct mrd *r, int8_t *type, const unsigned char **p, size_t *n)
{
	const char *s;

	if (expect(r, MRD_EXT) != 0 || body(r, &s, n, type) != 0)
		return -1;
	*p = (const unsigned char *)s;
	return 0;
}

int
mrd_int(struct mrd *r, int64_t *v)
{
	if (expect(r, MRD_INT) != 0)
		return -1;
	unsigned c = r->p[r->pos];
	uint64_t u;
	if (c <= 0x7f) {
		*v = c;
		r->pos++;
		return 0;
	}
	if (c >= 0xe0) {
		*v = (int8_t)c;
		r->pos++;
		return 0;
	}
	size_t k = (size_t)1 << ((c - 0xcc) & 3);
	if (be(r, k, &u) != 0)
		return -1;
	if (c <= 0xcf) {
		if (u > INT64_MAX) {
			mrd_fail(r, "integer %llu out of range",
			    (unsigned long long)u);
			return -1;
		}
		*v = (int64_t)u;
	} else {
		/* Sign-extend from k bytes. */
		unsigned sh = (unsigned)(64 - 8 * k);
		*v = (int64_t)(u << sh) >> sh;
	}
	r->pos += 1 + k;
	return 0;
}

int
mrd_uint(struct mrd *r, uint64_t *v)
{
	if (expect(r, MRD_INT) != 0)
		return -1;
	const unsigned c = r->p[r->pos];
	if (c >= 0xcc && c <= 0xcf) {
		const size_t k = (size_t)1 << (c - 0xcc);
		if (be(r, k, v) != 0)
			return -1;
		r->pos += 1 + k;
		return 0;
	}
	int64_t i;
	const size_t at = r->pos;
	if (mrd_int(r, &i) != 0)
		return -1;
	if (i < 0) {
		r->pos = at;
		mrd_fail(r, "negative integer %lld", (long long)i);
		return -1;
	}
	*v = (uint64_t)i;
	return 0;
}

int
mrd_num(struct mrd *r, double *v)
{
	if (mrd_peek(r) == MRD_INT) {
		int64_t i;
		if (mrd_int(r, &i) != 0)
			return -1;
		*v = (double)i;
		return 0;
	}
	if (expect(r, MRD_FLOAT) != 0)
		return -1;
	uint64_t u;
	if (r->p[r->pos] == 0xca) {
		if (be(r, 4, &u) != 0)
			return -1;
		uint32_t w = (uint32_t)u;
		float f;
		memcpy(&f, &w, 4);
		*v = f;
		r->pos += 5;
	} else {
		if (be(r, 8, &u) != 0)
			return -1;
		memcpy(v, &u, 8);
		r->pos += 9;
	}
	return 0;
}

int
mrd_bool(struct mrd *r, int *v)
{
	if (expect(r, MRD_BOOL) != 0)
		return -1;
	*v = r->p[r->pos++] == 0xc3;
	return 0;
}

static int
skip_depth(struct mrd *r, int depth)
{
	enum mrd_type t = mrd_peek(r);
	const char *s;
	size_t n;
	uint32_t k;

	if (depth > MRD_MAX_DEPTH) {
		mrd_fail(r, "nested deeper than %d", MRD_MAX_DEPTH);
		return -1;
	}
	switch (t) {
	case MRD_END:
		if (r->err == MRD_OK)
			fail_short(r, "truncated: input ends before a value");
		return -1;
	case MRD_BAD:
		mrd_fail(r, "reserved byte 0xc1");
		return -1;
	case MRD_NIL:
	case MRD_BOOL:
		r->pos++;
		return 0;
	case MRD_INT: {
		int64_t i;
		unsigned c = r->p[r->pos];
		if (c == 0xcf) {
			uint64_t u;
			if (be(r, 8, &u) != 0)
				return -1;
			r->pos += 9;
			return 0;
		}
		return mrd_int(r, &i);
	}
	case MRD_FLOAT: {
		double d;
		return mrd_num(r, &d);
	}
	case MRD_STR:
	case MRD_BIN:
	case MRD_EXT:
		return body(r, &s, &n, NULL);
	case MRD_ARRAY:
		if (mrd_array(r, &k) != 0)
			return -1;
		for (uint32_t i = 0; i < k; i++)
			if (skip_depth(r, depth + 1) != 0)
				return -1;
		return 0;
	case MRD_MAP:
		if (mrd_map(r, &k) != 0)
			return -1;
		for (uint32_t i = 0; i < k; i++)
			if (skip_depth(r, depth + 1) != 0 ||
			    skip_depth(r, depth + 1) != 0)
				return -1;
		return 0;
	}
	return -1;
}

int
mrd_skip(struct mrd *r)
{
	return skip_depth(r, 0);
}
