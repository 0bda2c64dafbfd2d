/*
 * stack_bucket.c - goroutine buckets and the failing goroutine.
 * Exports stk_gor_end (a goroutine read by stack.c ends: into its bucket,
 * and into s->fail when it scores best), stk_put_buckets (the buckets
 * into ev->gr, by count) and stk_overflow of stack.h.  The buckets, their
 * hash table and their text are struct stk's (stack_int.h), bounded by
 * STK_MAXBUCKETS whatever the dump; ev->gr is allocated from the arena.
 *
 * Bucketing.  Goroutines are not stored: each one's frames are kept in a
 * reused buffer while stack.c reads it and hashed on the fly (function and
 * line of every frame, plus the cleaned state: no ids, no waits, no args);
 * at its end the 64-bit hash finds its bucket in an open-addressing table (a
 * collision would merge two stacks; at 2^-64 per pair it is not checked).
 * A bucket's wait_min is the longest wait of its goroutines.  At most
 * STK_MAXBUCKETS distinct buckets are kept; goroutines that would need
 * more are counted in overflow (reported as a last bucket with state
 * "(other)" and no stack).  Memory is thus bounded by STK_MAXBUCKETS *
 * STK_MAXFRAMES frames whatever the dump.
 * The failing goroutine is the best scored one (see gor_score): the first
 * goroutine printed, except that g0 stacks and "runtime stack:" yield to a
 * real goroutine and, after "panic: test timed out", a goroutine running
 * one of the listed tests wins.
 */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "stack.h"
#include "stack_int.h"
#include "util.h"

static void
bucket_add(struct stk *s)
{
	const struct gor *g = &s->cur;
	size_t i = g->h & (STK_SLOTS - 1);
	struct sbucket *b;

	for (; s->slot[i] != 0; i = (i + 1) & (STK_SLOTS - 1)) {
		b = &s->b[s->slot[i] - 1];
		if (b->h == g->h) {
			b->count++;
			if (g->wait > b->wait)
				b->wait = g->wait;
			return;
		}
	}
	if (s->nb >= STK_MAXBUCKETS) {
		s->overflow++;
		return;
	}
	/* Made by the first goroutine: most engines never see a dump. */
	if (s->b == NULL)
		s->b = xmalloc(STK_MAXBUCKETS * sizeof(*s->b));
	b = &s->b[s->nb];
	s->slot[i] = (uint32_t)++s->nb;
	b->h = g->h;
	b->count = 1;
	b->wait = g->wait;
	b->state = (uint32_t)s->btext.len;
	b->slen = g->slen;
	buf_add(&s->btext, g->text.p, g->slen);
	if (s->nbf + (size_t)g->nf > s->capbf) {
		s->capbf = (s->nbf + (size_t)g->nf) * 2;
		s->bf = xrealloc(s->bf, s->capbf * sizeof(*s->bf));
	}
	b->f0 = (uint32_t)s->nbf;
	b->nf = g->nf;
	for (int k = 0; k < g->nf; k++) {
		struct sframe *d = &s->bf[s->nbf++];
		const struct sframe *f = &g->f[k];
		*d = *f;
		d->func = (uint32_t)s->btext.len;
		buf_add(&s->btext, g->text.p + f->func, f->flen);
		d->file = (uint32_t)s->btext.len;
		buf_add(&s->btext, g->text.p + f->file, f->filelen);
	}
}

/* Whether a frame is one of the tests listed under "running tests:". */
static int
runs_test(const struct stk *s, const struct gor *g)
{
	for (int i = 0; i < g->nf; i++) {
		const char *fn = g->text.p + g->f[i].func;
		size_t n = g->f[i].flen, pk = stk_func_pkg(fn, n);
		if (pk == 0)
			continue;
		fn += pk + 1;
		n -= pk + 1;
		for (int t = 0; t < s->ntests; t++) {
			/* The frame is the top-level test's: "TestX/sub" runs in TestX. */
			size_t m = strcspn(s->tests[t], "/");
			if (n >= m && memcmp(fn, s->tests[t], m) == 0 &&
			    (n == m || fn[m] == '.'))
				return 1;
		}
	}
	return 0;
}

/*
 * Which goroutine is "the failing one": the first goroutine printed (the
 * panicking or throwing one), except that g0 stacks (goroutine 0 in
 * signal dumps) and "runtime stack:" yield to any real goroutine, and in a
 * test timeout a goroutine running a listed test, best one not blocked in
 * testing itself (t.Run waiting for a subtest), wins over the alarm.
 */
static int
gor_score(const struct stk *s, const struct gor *g)
{
	if (s->mode == MD_RACE)
		return s->have_fail ? 0 : 10;
	if (g->id <= 0)
		return 1;
	if (s->tmo && s->ntests > 0 && runs_test(s, g))
		return g->nf > 0 && PFX(g->text.p + g->f[0].func,
		    g->f[0].flen, "testing.") ? 3 : 4;
	return 2;
}

void
stk_gor_end(struct stk *s)
{
	if (!s->in_gor)
		return;
	if (s->verdict < 0)
		s->verdict = 0;
	s->in_gor = 0;
	s->created = 0;
	s->ancestor = 0;
	if (s->cur.id != -1)
		s->ngor++;
	bucket_add(s);
	s->cur.score = gor_score(s, &s->cur);
	if (!s->have_fail || s->cur.score > s->fail.score) {
		struct gor t = s->fail;
		s->fail = s->cur;
		s->cur = t;
		s->have_fail = 1;
	}
}

/* qsort has no context argument; the filter is single-threaded. */
static const struct sbucket *sort_base;

static int
bucket_cmp(const void *x, const void *y)
{
	const struct sbucket *a = &sort_base[*(const int *)x];
	const struct sbucket *b = &sort_base[*(const int *)y];

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return *(const int *)x - *(const int *)y;	/* first seen first */
}

void
stk_put_buckets(struct stk *s, struct event *ev, struct arena *a)
{
	int *ord = xmalloc((size_t)(s->nb ? s->nb : 1) * sizeof(*ord));
	int n = s->nb + (s->overflow > 0);

	for (int i = 0; i < s->nb; i++)
		ord[i] = i;
	sort_base = s->b;
	qsort(ord, (size_t)s->nb, sizeof(*ord), bucket_cmp);
	ev->gr = arena_alloc(a, (size_t)n * sizeof(*ev->gr));
	for (int i = 0; i < s->nb; i++) {
		const struct sbucket *b = &s->b[ord[i]];
		struct bucket *o = &ev->gr[i];
		o->count = b->count;
		o->wait_min = b->wait;
		o->state = b->slen ? arena_strndup(a, s->btext.p + b->state, b->slen) :
		    arena_strndup(a, "", 0);
		o->nstack = b->nf;
		/* A bucket may hold no frames (a header cut off): no pointer math. */
		o->stack = b->nf ? stk_norm_frames(s->btext.p, s->bf + b->f0, b->nf, a) :
		    NULL;
	}
	if (s->overflow > 0) {
		struct bucket *o = &ev->gr[s->nb];
		o->count = s->overflow;
		o->wait_min = -1;
		o->state = "(other)";
		o->nstack = 0;
		o->stack = NULL;
	}
	ev->ngr = n;
	free(ord);
}

long
stk_overflow(const struct stk *s)
{
	return s->overflow;
}
