/*
 * gojson.c - demultiplexing go -json streams into sub-engines.
 */
#include <stdlib.h>
#include <string.h>

#include "gojson.h"
#include "gotest.h"
#include "jsonrd.h"
#include "util.h"

/*
 * Enough for `go test -json ./...` with parallel tests; beyond it the least
 * recently used stream is flushed and reused.
 */
#define MAX_STREAMS 64
#define MAX_PARTIAL (64 * 1024)

/* A package's test tracker, shared by the sub-engines of its tests. */
struct pkgt {
	struct buf pkg;
	struct gt *gt;
	uint64_t used;
};

struct stream {
	struct buf key;             /* package NUL test */
	struct pkgt *pt;
	struct buf partial;         /* an Output line not yet ended */
	uint64_t partial_line;
	struct eng *eng;
	uint64_t used;
};

struct gojson {
	const struct ruleset *rs;
	struct emit em;
	struct stream s[MAX_STREAMS];
	int n;
	struct pkgt p[MAX_STREAMS];
	int np;
	uint64_t clock;
	struct buf pkg, test, action, output, otype, tmp;
	const char *cstream, *ctime;    /* the envelope's, for the next line */
	size_t cslen, ctlen;
	struct eng_stats st;
};

struct gojson *
gojson_new(const struct ruleset *rs, const struct emit *em)
{
	struct gojson *g = xcalloc(1, sizeof(*g));

	g->rs = rs;
	g->em = *em;
	return g;
}

static void
stream_flush(struct stream *st)
{
	if (st->partial.len > 0) {
		eng_set_lineno(st->eng, st->partial_line);
		eng_line(st->eng, st->partial.p, st->partial.len);
		st->partial.len = 0;
	}
	eng_flush(st->eng);
}

static void
add_stats(struct eng_stats *to, const struct eng *e)
{
	struct eng_stats s;

	eng_stats(e, &s);
	to->lines += s.lines;
	to->candidates += s.candidates;
	to->regex_calls += s.regex_calls;
	to->events += s.events;
	to->limit_hits += s.limit_hits;
}

void
gojson_free(struct gojson *g)
{
	if (g == NULL)
		return;
	for (int i = 0; i < g->n; i++) {
		stream_flush(&g->s[i]);
		eng_free(g->s[i].eng);
		buf_free(&g->s[i].key);
		buf_free(&g->s[i].partial);
	}
	buf_free(&g->pkg);
	buf_free(&g->test);
	buf_free(&g->action);
	buf_free(&g->output);
	buf_free(&g->otype);
	for (int i = 0; i < g->np; i++) {
		gt_free(g->p[i].gt);
		buf_free(&g->p[i].pkg);
	}
	buf_free(&g->tmp);
	free(g);
}

void
gojson_flush(struct gojson *g)
{
	for (int i = 0; i < g->n; i++)
		stream_flush(&g->s[i]);
}

void
gojson_end(struct gojson *g)
{
	gojson_flush(g);
	for (int i = 0; i < g->np; i++)
		gt_end(g->p[i].gt);
}

void
gojson_stats(const struct gojson *g, struct eng_stats *st)
{
	for (int i = 0; i < g->n; i++)
		add_stats(st, g->s[i].eng);
}

/* Parses one event object; fills pkg, test, action, output. */
static int
parse_event(struct gojson *g, const char *s, size_t len, int *has_output)
{
	struct jr r = { s, s + len };

	g->pkg.len = g->test.len = g->action.len = g->output.len = 0;
	g->otype.len = 0;
	*has_output = 0;
	jr_ws(&r);
	if (r.p >= r.end || *r.p++ != '{')
		return -1;
	for (;;) {
		jr_ws(&r);
		if (r.p < r.end && *r.p == '}')
			return 0;
		g->tmp.len = 0;
		if (jr_str(&r, &g->tmp) != 0)
			return -1;
		jr_ws(&r);
		if (r.p >= r.end || *r.p++ != ':')
			return -1;
		jr_ws(&r);
		struct buf *dst = NULL;
		const char *k = g->tmp.p ? g->tmp.p : "";
		if (strcmp(k, "ImportPath") == 0 || strcmp(k, "Package") == 0)
			dst = &g->pkg;
		else if (strcmp(k, "Test") == 0)
			dst = &g->test;
		else if (strcmp(k, "Action") == 0)
			dst = &g->action;
		else if (strcmp(k, "OutputType") == 0)
			dst = &g->otype;
		else if (strcmp(k, "Output") == 0) {
			dst = &g->output;
			*has_output = 1;
		}
		if (dst != NULL && r.p < r.end && *r.p == '"') {
			dst->len = 0;
			if (jr_str(&r, dst) != 0)
				return -1;
		} else if (jr_skip(&r) != 0) {
			return -1;
		}
		jr_ws(&r);
		if (r.p < r.end && *r.p == ',') {
			r.p++;
			continue;
		}
		if (r.p < r.end && *r.p == '}')
			return 0;
		return -1;
	}
}

static int
pkgt_is(const struct pkgt *p, const char *pkg, size_t n)
{
	return p->pkg.len == n && (n == 0 || memcmp(p->pkg.p, pkg, n) == 0);
}

/*
 * Ends the blocks of the record's package: of its test when test is given
 * (tlen > 0), else of all its tests.
 */
static void
flush_pkg(struct gojson *g, const char *test, size_t tlen)
{
	const size_t pl = g->pkg.len;

	for (int i = 0; i < g->n; i++) {
		struct stream *st = &g->s[i];
		if (st->key.len > pl && st->key.p[pl] == '\0' &&
		    memcmp(st->key.p, g->pkg.p ? g->pkg.p : "", pl) == 0 &&
		    (tlen == 0 || (st->key.len - pl - 1 == tlen &&
		    memcmp(st->key.p + pl + 1, test, tlen) == 0)))
			stream_flush(st);
	}
}

/*
 * The package's tracker; past MAX_STREAMS packages the least recently
 * used one ends and is reused.
 */
static struct pkgt *
find_pkgt(struct gojson *g, const char *pkg, size_t n)
{
	struct pkgt *lru = NULL;

	for (int i = 0; i < g->np; i++) {
		struct pkgt *p = &g->p[i];
		if (pkgt_is(p, pkg, n)) {
			p->used = ++g->clock;
			return p;
		}
		if (lru == NULL || p->used < lru->used)
			lru = p;
	}
	struct pkgt *p;
	if (g->np < MAX_STREAMS) {
		p = &g->p[g->np++];
		p->gt = gt_new(&g->em);
		if (g->np > 1)
			gt_share_seen(p->gt, g->p[0].gt);
	} else {
		p = lru;
		for (int i = 0; i < g->n; i++)
			if (g->s[i].pt == p)
				stream_flush(&g->s[i]);
		gt_end(p->gt);
	}
	p->pkg.len = 0;
	buf_add(&p->pkg, pkg, n);
	p->used = ++g->clock;
	gt_set_pkg(p->gt, pkg ? pkg : "", n);
	return p;
}

static struct stream *
find_stream(struct gojson *g)
{
	struct buf *k = &g->tmp;
	struct stream *lru = NULL;

	k->len = 0;
	buf_add(k, g->pkg.p ? g->pkg.p : "", g->pkg.len);
	buf_addc(k, '\0');
	buf_add(k, g->test.p ? g->test.p : "", g->test.len);
	for (int i = 0; i < g->n; i++) {
		struct stream *st = &g->s[i];
		if (st->key.len == k->len && memcmp(st->key.p, k->p, k->len) == 0) {
			st->used = ++g->clock;
			return st;
		}
		if (lru == NULL || st->used < lru->used)
			lru = st;
	}
	struct stream *st;
	if (g->n < MAX_STREAMS) {
		st = &g->s[g->n++];
		st->eng = eng_new(g->rs, &g->em);
	} else {
		st = lru;
		stream_flush(st);
	}
	st->key.len = 0;
	buf_add(&st->key, k->p, k->len);
	st->partial.len = 0;
	st->used = ++g->clock;
	eng_set_pkg(st->eng, g->pkg.p ? g->pkg.p : "", g->pkg.len);
	st->pt = find_pkgt(g, g->pkg.p, g->pkg.len);
	eng_set_gt(st->eng, st->pt->gt);
	return st;
}

static int
is_end_action(const struct buf *a)
{
	static const char *const ends[] = {
		"pass", "fail", "skip", "build-fail", NULL
	};

	for (int i = 0; ends[i] != NULL; i++)
		if (a->len == strlen(ends[i]) && memcmp(a->p, ends[i], a->len) == 0)
			return 1;
	return 0;
}

void
gojson_context(struct gojson *g, const char *stream, size_t slen,
    const char *time, size_t tlen)
{
	g->cstream = stream;
	g->cslen = slen;
	g->ctime = time;
	g->ctlen = tlen;
}

int
gojson_line(struct gojson *g, const char *s, size_t len, uint64_t lineno)
{
	int has_output;

	if (parse_event(g, s, len, &has_output) != 0 || g->action.len == 0)
		return 0;
	if (has_output && g->output.len > 0) {
		/*
		 * The go command's summary of the package: its tests' blocks
		 * end before it (a timed-out test gets no end action).
		 */
		if (g->test.len == 0 && gt_summary(g->output.p, g->output.len))
			flush_pkg(g, NULL, 0);
		struct stream *st = find_stream(g);
		const char *p = g->output.p, *end = p + g->output.len;
		gt_set_test(st->pt->gt, g->test.p, g->test.len);
		gt_set_output_type(st->pt->gt, g->otype.p, g->otype.len);
		struct eng_fact f = { lineno, g->ctime, g->ctlen };
		if (g->cslen > 0)
			eng_set_stream(st->eng, g->cstream, g->cslen);
		eng_facts(st->eng, g->ctlen ? &f : NULL, g->ctlen ? 1 : 0);
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			if (nl == NULL) {
				if (st->partial.len == 0)
					st->partial_line = lineno;
				if (st->partial.len < MAX_PARTIAL)
					buf_add(&st->partial, p, (size_t)(end - p));
				break;
			}
			eng_set_lineno(st->eng, lineno);
			if (st->partial.len > 0) {
				buf_add(&st->partial, p, (size_t)(nl - p));
				eng_line(st->eng, st->partial.p, st->partial.len);
				st->partial.len = 0;
			} else {
				eng_line(st->eng, p, (size_t)(nl - p));
			}
			p = nl + 1;
		}
		eng_facts(st->eng, NULL, 0);
		return 1;
	}
	if (is_end_action(&g->action)) {
		flush_pkg(g, g->test.p, g->test.len);
		/* The package's own end: its tests' events are all in. */
		if (g->test.len == 0)
			for (int i = 0; i < g->np; i++)
				if (pkgt_is(&g->p[i], g->pkg.p, g->pkg.len))
					gt_end(g->p[i].gt);
	}
	/* Not consumed: the caller passes the line through. */
	return 0;
}
