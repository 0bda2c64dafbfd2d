/*
 * util.c - allocation that dies in one place, messages, buffers (and a
 * file read into one), small string helpers, arena.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *progname = "goerrfilt";

static _Noreturn void
oom(size_t n)
{
	fprintf(stderr, "%s: out of memory (%zu bytes)\n", progname, n);
	exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (p == NULL)
		oom(n * m);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xmemdup(const void *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s));
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		die("out of memory");
	return s;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void
warnx_(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;

	if (want <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void
buf_reset_to(struct buf *b, const char *p, size_t n)
{
	buf_reserve(b, n > b->len ? n - b->len : 0);
	if (n > 0)
		memmove(b->p, p, n);
	b->len = n;
	b->p[n] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int
buf_read_file(struct buf *b, const char *path, size_t max)
{
	char tmp[8192];
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (b->len + n > max) {
			fclose(f);
			errno = EFBIG;
			return -1;
		}
		buf_add(b, tmp, n);
	}
	int err = ferror(f);
	fclose(f);
	buf_addc(b, '\0');
	b->len--;
	return err ? -1 : 0;
}

char *
str_replace_all(const char *s, size_t len, const char *from, const char *to)
{
	struct buf b = { 0 };
	const size_t fl = from != NULL ? strlen(from) : 0;

	if (s == NULL)                  /* an empty buf's text */
		s = "";
	const char *end = s + len, *p = s;

	while (fl > 0 && p < end) {
		const char *q = memmem(p, (size_t)(end - p), from, fl);
		if (q == NULL)
			break;
		buf_add(&b, p, (size_t)(q - p));
		buf_adds(&b, to);
		p = q + fl;
	}
	buf_add(&b, p, (size_t)(end - p));
	buf_addc(&b, '\0');
	return b.p;
}

int
parse_long(const char *s, long lo, long hi, long *out)
{
	char *e;

	errno = 0;
	long v = strtol(s, &e, 10);
	if (errno != 0 || e == s || *e != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/*
 * Arena blocks are kept across resets, so a stream of events of similar size
 * allocates nothing after the first few.
 */
struct arena_blk {
	struct arena_blk *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_BLK 16384

void *
arena_alloc(struct arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	for (;;) {
		struct arena_blk *b = a->cur;
		if (b != NULL && b->cap - b->used >= n) {
			void *p = (char *)b->data + b->used;
			b->used += n;
			return p;
		}
		if (b != NULL && b->next != NULL) {
			a->cur = b->next;
			a->cur->used = 0;
			continue;
		}
		size_t cap = n > ARENA_BLK ? n : ARENA_BLK;
		struct arena_blk *nb = xmalloc(sizeof(*nb) + cap);
		nb->next = NULL;
		nb->used = 0;
		nb->cap = cap;
		if (b == NULL)
			a->head = nb;
		else
			b->next = nb;
		a->cur = nb;
	}
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_reset(struct arena *a)
{
	a->cur = a->head;
	if (a->cur != NULL)
		a->cur->used = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_blk *b = a->head;

	while (b != NULL) {
		struct arena_blk *n = b->next;
		free(b);
		b = n;
	}
	a->head = a->cur = NULL;
}

const char *
mem_find_by(const char *p, size_t n, const char *needle, size_t m, size_t k)
{
	if (n < m)
		return NULL;
	/* needle[k] of the last place the needle fits is end[-1]. */
	const char *const end = p + n - (m - k - 1);
	for (const char *q = memchr(p + k, needle[k], (size_t)(end - p - k));
	    q != NULL; q = memchr(q + 1, needle[k], (size_t)(end - q - 1)))
		if (memcmp(q - k, needle, m) == 0)
			return q - k;
	return NULL;
}

uint64_t
hash_fnv1a64(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--) {
		h ^= *s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
