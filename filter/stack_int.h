/*
 * stack_int.h - the traceback parser's state, private to the stack files:
 * stack.c, stack_head.c, stack_race.c, stack_bucket.c, stack_norm.c and
 * fingerprint.c include it, nothing else does (the engine sees stack.h).
 *
 * It holds the limits (STK_*), struct stk (one block's reading state,
 * allocated by stk_new and reused from block to block), struct gor (the
 * goroutine being read, or the failing one kept aside), struct sframe and
 * struct sbucket (frames and buckets whose text lives in their owner's
 * buffer), the small helpers that more than one stack file uses, static
 * inline so that each file's per-line loops can keep them inlined as they
 * could when the helpers were static in one file (stk_rtrim, stk_isdig,
 * stk_find, stk_getnum, stk_setstr, stk_arena_num, and stk_khash, the
 * bucket key hash), and, file by file, what one stack file exports to the
 * others.
 */
#ifndef GOERRFILT_STACK_INT_H
#define GOERRFILT_STACK_INT_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "stack.h"
#include "util.h"

#define STK_MAXFRAMES	128	/* kept per goroutine; Go prints <= 100 */
#define STK_MAXBUCKETS	1000
#define STK_SLOTS	2048	/* hash table slots, a power of two */
#define STK_MAXTEXT	512	/* bytes kept of one name or path */
#define STK_MAXFOREIGN	2	/* interleaved lines tolerated in a row */
#define STK_MAXTESTS	8
#define STK_TESTNAME	128
#define STK_ICELINES	200	/* message lines of an ICE before its stack */

#define PFX(l, n, lit) \
	((n) >= sizeof(lit) - 1 && memcmp((l), (lit), sizeof(lit) - 1) == 0)
#define EQ(l, n, lit) \
	((n) == sizeof(lit) - 1 && memcmp((l), (lit), sizeof(lit) - 1) == 0)

/* One frame as printed; text lives in the owner's buffer. */
struct sframe {
	uint32_t func, flen;
	uint32_t file, filelen;	/* filelen 0: no file line */
	long line;
};

/* The goroutine being read, or the failing one kept aside. */
struct gor {
	struct sframe *f;
	int nf;
	int pend;		/* frame awaiting its file line; -1 none, -2 not kept */
	struct buf text;	/* the state, then names and paths */
	uint32_t slen;		/* state is text.p[0..slen) */
	long id;		/* -1: "runtime stack:" */
	long wait;
	uint64_t h;
	int score;
};

struct sbucket {
	uint64_t h;
	long count, wait;
	uint32_t state, slen;	/* in btext */
	uint32_t f0;		/* first frame in bf */
	int nf;
};

enum mode { MD_OTHER, MD_PANIC, MD_FATAL, MD_RACE, MD_SIGNAL, MD_ICE };
enum where { W_HEAD, W_STACK, W_BETWEEN, W_REGS, W_TAIL, W_DONE };

struct stk {
	enum mode mode;
	enum where where;
	int head_blank;		/* W_HEAD: a blank line was seen */
	int head_lines;
	int foreign;		/* tolerated unknown lines in a row */
	int seen_gor;
	int in_gor;
	int created;		/* "created by" read, its file line is due */
	int ancestor;		/* in a tracebackancestors section */
	int race_warned;
	int tmo, in_running;
	int npanic;
	int recovered;
	int http;		/* "http: panic serving ...": net/http recovered it */
	int bare;		/* opened by a goroutine header, no headline */
	int verdict;		/* stk_verdict */
	char signal[16];
	char addr[40];
	struct buf lastp;
	char tests[STK_MAXTESTS][STK_TESTNAME];
	int ntests;
	struct gor cur, fail;
	int have_fail;
	struct sbucket *b;
	int nb;
	uint32_t slot[STK_SLOTS];
	struct buf btext;
	struct sframe *bf;
	size_t nbf, capbf;
	long ngor, overflow;
};

/*
 * The bucket key hash: two lanes of 8 bytes, since it runs over every
 * function name of a dump (FNV-1a, a byte at a time, would cost more than
 * the parsing).  Not the fingerprint, which is documented as FNV-1a.
 */
static inline uint64_t
stk_khash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	/*
	 * h2 must not be h plus a constant: for n < 8 the last step XORs
	 * h and h2 together, which would cancel the seed (the state and the
	 * frames before) and merge "select" with "chan receive".
	 */
	uint64_t a, b, h2 = (h + 0x2545f4914f6cdd1dULL) * 0xff51afd7ed558ccdULL;

	h ^= n;
	while (n >= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		h = (h ^ a) * 0x9e3779b97f4a7c15ULL;
		h2 = (h2 ^ b) * 0xc2b2ae3d27d4eb4fULL;
		h ^= h >> 31;
		h2 ^= h2 >> 29;
		s += 16;
		n -= 16;
	}
	if (n >= 8) {
		memcpy(&a, s, 8);
		h = (h ^ a) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	a = 0;
	for (size_t i = 0; i < n; i++)
		a |= (uint64_t)s[i] << (8 * i);
	h = (h ^ a ^ h2) * 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 29);
}

static inline size_t
stk_rtrim(const char *l, size_t n)
{
	while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == '\n' ||
	    l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	return n;
}

static inline int
stk_isdig(int c)
{
	return c >= '0' && c <= '9';
}

static inline const char *
stk_find(const char *l, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	if (m == 0 || n < m)
		return NULL;
	for (const char *p = l, *e = l + n - m; p <= e; p++) {
		p = memchr(p, lit[0], (size_t)(e - p) + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, lit, m) == 0)
			return p;
	}
	return NULL;
}

static inline long
stk_getnum(const char *p, const char *e, const char **end)
{
	long v = 0;

	while (p < e && stk_isdig(*p) && v <= (LONG_MAX - 9) / 10)
		v = v * 10 + (*p++ - '0');
	if (end != NULL)
		*end = p;
	return v;
}

static inline void
stk_setstr(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static inline char *
stk_arena_num(struct arena *a, long v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%ld", v);

	return arena_strndup(a, tmp, (size_t)n);
}

/*
 * stack.c: the lines of a goroutine (frames and their file lines, the
 * goroutine header) and the goroutine being read, which s->cur holds.
 */
size_t stk_parse_func(const char *l, size_t n);
size_t stk_parse_file(const char *l, size_t n, long *line);
int stk_parse_header(const char *l, size_t n, long *id, const char **st,
    size_t *stn);
int stk_is_terminator(const char *l, size_t n);
void stk_gor_start(struct stk *s, long id, const char *st, size_t n);
void stk_gor_func(struct stk *s, const char *fn, size_t n);
void stk_gor_file(struct stk *s, const char *p, size_t n, long line);

/*
 * stack_head.c: the headline's panic chain and the lines of a non-race
 * block other than a goroutine's frames (1 taken, 0 not recognised, -1
 * the block ends).
 */
void stk_take_panic(struct stk *s, const char *v, size_t n);
void stk_mark_recovered(struct stk *s, const char *l, size_t n);
int stk_common_line(struct stk *s, const char *l, size_t n);

/* stack_race.c: a line of a race report. */
enum stk_rc stk_race_line(struct stk *s, const char *l, size_t n);

/*
 * stack_bucket.c: the end of the goroutine being read (into its bucket,
 * and kept as s->fail when it is the failing one) and the buckets written
 * into the event.
 */
void stk_gor_end(struct stk *s);
void stk_put_buckets(struct stk *s, struct event *ev, struct arena *a);

/* stack_norm.c: package paths and frames normalised into the arena. */
size_t stk_func_pkg(const char *f, size_t n);
struct frame *stk_norm_frames(const char *text, const struct sframe *sf,
    int n, struct arena *a);

/*
 * fingerprint.c: what stk_finish takes from the failing stack once its
 * frames are in the event: the ICE phase, the recovery frames, the top
 * app frame's fields and F_FINGERPRINT.
 */
void stk_finish_frames(const struct stk *s, struct event *ev,
    struct arena *a);

#endif
