/*
 * util.h - allocation, fatal errors and the per-event arena.
 *
 * Exports: xmalloc/xcalloc/xrealloc/xstrdup/xmemdup/xasprintf/xvasprintf
 * (die on allocation failure: the one place where that happens),
 * die/warnx-style messages with the program's prefix, struct buf with
 * buf_read_file (a whole file, bounded), str_replace_all and parse_long, and
 * struct arena, a bump allocator whose memory is owned by the arena and
 * reused after arena_reset(); bytes_eq, the eight-bytes-at-a-time byte test
 * that the line counter and the JSON reader share.  Every returned string is
 * the caller's to free.
 */
#ifndef GOERRFILT_UTIL_H
#define GOERRFILT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

extern const char *progname;

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xmemdup(const void *p, size_t n); /* NUL-terminated copy */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
_Noreturn void die(const char *fmt, ...);
void warnx_(const char *fmt, ...);

/* A growable byte buffer; grows geometrically so appends are amortised. */
struct buf {
	char *p;
	size_t len, cap;
};
/* Grows b for extra more bytes and a NUL; the inline appends call it only
 * when the room is not there, so an append is a compare, a copy and a NUL. */
void buf_grow(struct buf *b, size_t extra);
void buf_free(struct buf *b);

static inline void
buf_reserve(struct buf *b, size_t extra)
{
	if (b->cap - b->len <= extra)
		buf_grow(b, extra);
}

static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void
buf_addc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static inline void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}
/* Replaces the contents with a copy of p (which may point into b). */
void buf_reset_to(struct buf *b, const char *p, size_t n);
/*
 * Appends the file at path to b (NUL-terminated after its len).  Returns
 * 0, or -1 with errno set (EFBIG when b would pass max bytes).
 */
int buf_read_file(struct buf *b, const char *path, size_t max);

/*
 * s[0..len) (s NULL: len is 0) with every occurrence of from (NULL or "":
 * none) replaced by to.
 */
char *str_replace_all(const char *s, size_t len, const char *from,
    const char *to);
/* A whole decimal number in [lo, hi] into *out: 0, or -1 leaving *out. */
int parse_long(const char *s, long lo, long hi, long *out);

struct arena_blk;
struct arena {
	struct arena_blk *head, *cur;
};
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

/*
 * 0x80 in each byte of the word w (eight bytes read with memcpy) that is
 * c, and 0 in every other byte.
 */
static inline uint64_t
bytes_eq(uint64_t w, unsigned char c)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;

	w ^= 0x0101010101010101ULL * c;
	return ~(((w & low7) + low7) | w | low7);
}

/*
 * The first occurrence of needle (m bytes, m > k) in [p, p+n), or NULL:
 * a memchr for needle[k], a byte chosen rare where the caller looks.  On
 * one log line that costs less than memmem's setup.
 */
const char *mem_find_by(const char *p, size_t n, const char *needle, size_t m,
    size_t k);

uint64_t hash_fnv1a64(uint64_t h, const void *p, size_t n);
#define FNV64_INIT 0xcbf29ce484222325ULL

#endif
