/*
 * unwrap.c - prefixes, envelopes and streams around Go output (see
 * unwrap.h).
 *
 * A chunk of bare lines goes to the default engine whole.  The anchor scan
 * finds the first line whose Go anchor sits behind a prefix (or a JSON
 * record); from there on the input is read line by line: each line loses
 * the prefixes whose shapes it has, is decoded when it is an envelope, and
 * joins the batch of its stream.  A batch is handed to its stream's engine
 * as one chunk, with the lines' times as facts, when the stream changes or
 * the batch is full, so wrapped input keeps the engine's chunk speed.
 * Which text is a prefix, and the stripping of it, is learn.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "anchors.h"
#include "envelope.h"
#include "gojson.h"
#include "learn.h"
#include "prefilter.h"
#include "shape.h"
#include "unwrap.h"
#include "uwstate.h"

int
uw_stream_get(struct uw *u, const char *name, size_t len)
{
	for (int i = 1; i < u->nst; i++)
		if (u->st[i].name.len == len && memcmp(u->st[i].name.p, name, len) == 0)
			return i;
	if (u->nst == MAX_STREAMS || len == 0)
		return 0;
	struct ustream *s = &u->st[u->nst];
	memset(s, 0, sizeof(*s));
	buf_add(&s->name, name, len);
	s->eng = eng_new(u->rs, &u->em);
	eng_set_stream(s->eng, name, len);
	return u->nst++;
}

struct uw *
uw_new(const struct ruleset *rs, const struct emit *em)
{
	struct uw *u = xcalloc(1, sizeof(*u));

	u->rs = rs;
	u->em = *em;
	const int nl = pf_count(rs->pf);
	u->anchor_of = xmalloc((size_t)(nl ? nl : 1) * sizeof(*u->anchor_of));
	for (int i = 0; i < nl; i++)
		u->anchor_of[i] = -1;
	for (int k = 0; k < NANCHORS; k++)
		u->anchor_of[rs->lit_anchor[k]] = k;
	u->st[0].eng = eng_new(rs, em);
	u->nst = 1;
	u->rec_hint = 1;
	for (int i = 0; i < rs->n && u->nprefix < MAX_PREFIX_RULES; i++)
		if (rs->r[i].ctx == CTX_PREFIX)
			u->prefix_idx[u->nprefix++] = i;
	return u;
}

static void batch_flush(struct uw *u);

static void
stream_end(struct ustream *s)
{
	if (s->partial.len > 0) {
		eng_set_lineno(s->eng, s->partial_line);
		eng_line(s->eng, s->partial.p, s->partial.len);
		s->partial.len = 0;
	}
	eng_flush(s->eng);
}

static int logfmt_line(struct uw *u, uint64_t lineno, int sid, const char *t,
    size_t tn, const char *s, size_t n);
/*
 * text_line's last argument: the line was decoded from an envelope (a
 * JSON record may be inside), and it may hold a Go anchor that a scan of
 * its own must find.
 */
enum { TL_DECODED = 1, TL_SCAN = 2 };

static void text_line(struct uw *u, uint64_t lineno, const char *s, size_t n,
    const char *le, const char *end, int sid, const char *t, size_t tn,
    const char *a, enum anchor kind, int scan);

void
uw_flush(struct uw *u)
{
	while (u->pending.len > 0) {
		/*
		 * Nothing more came: the held line is taken as it is, and the
		 * lines held behind it are read as a chunk (which may hold one
		 * of them back again: each turn takes a line at least).
		 */
		struct buf held = u->pending;
		u->pending = (struct buf){ 0 };
		const char *nl = memchr(held.p, '\n', held.len);
		const size_t n = nl ? (size_t)(nl - held.p) : held.len;
		const uint64_t lineno = ++u->lineno;
		text_line(u, lineno, held.p, n, NULL, NULL, 0, NULL, 0, NULL,
		    A_STRONG, TL_DECODED | TL_SCAN);
		if (nl != NULL) {
			/* As a chunk of whole lines: each ends in a newline. */
			const size_t at = (size_t)(nl + 1 - held.p);
			buf_addc(&held, '\n');
			uw_chunk(u, held.p + at, held.len - at);
		}
		buf_free(&held);
	}
	batch_flush(u);
	for (int i = 0; i < u->nst; i++)
		stream_end(&u->st[i]);
	if (u->gj != NULL)
		gojson_flush(u->gj);
}

void
uw_end(struct uw *u)
{
	uw_flush(u);
	for (int i = 0; i < u->nst; i++)
		eng_end(u->st[i].eng);
	if (u->rec != NULL)
		eng_end(u->rec);
	if (u->gj != NULL)
		gojson_end(u->gj);
}

int
uw_has_open(const struct uw *u)
{
	if (u->batch.len > 0 || u->pending.len > 0)
		return 1;
	for (int i = 0; i < u->nst; i++)
		if (eng_has_open(u->st[i].eng) || u->st[i].partial.len > 0)
			return 1;
	return 0;
}

void
uw_free(struct uw *u)
{
	if (u == NULL)
		return;
	uw_end(u);
	for (int i = 0; i < u->nst; i++) {
		eng_free(u->st[i].eng);
		buf_free(&u->st[i].name);
		buf_free(&u->st[i].partial);
	}
	gojson_free(u->gj);
	eng_free(u->rec);
	env_free(&u->env);
	buf_free(&u->dtime);
	buf_free(&u->joined_rec);
	free(u->anchor_of);
	pf_matches_free(&u->ms);
	pf_matches_free(&u->lms);
	buf_free(&u->batch);
	buf_free(&u->ftext);
	buf_free(&u->line);
	buf_free(&u->pending);
	buf_free(&u->joined);
	free(u->facts);
	free(u);
}

void
uw_new_input(struct uw *u)
{
	uw_end(u);
	if (u->user_prefix == NULL)
		u->wrapped = 0;
	u->nsh = 0;
	u->bare_anchor = 0;
}

void
uw_set_prefix(struct uw *u, const struct rule *r)
{
	u->user_prefix = r;
	u->wrapped = 1;
}

static void
add_stats(struct eng_stats *to, const struct eng_stats *s)
{
	to->candidates += s->candidates;
	to->regex_calls += s->regex_calls;
	to->events += s->events;
	to->limit_hits += s->limit_hits;
}

void
uw_stats(const struct uw *u, struct eng_stats *st)
{
	struct eng_stats s;

	memset(st, 0, sizeof(*st));
	for (int i = 0; i < u->nst; i++) {
		eng_stats(u->st[i].eng, &s);
		add_stats(st, &s);
	}
	if (u->rec != NULL) {
		eng_stats(u->rec, &s);
		add_stats(st, &s);
	}
	if (u->gj != NULL) {
		memset(&s, 0, sizeof(s));
		gojson_stats(u->gj, &s);
		add_stats(st, &s);
	}
	/* Lines are the input's, however many engines saw them. */
	st->lines = u->lineno;
}

/* Lines in [p, end): newlines, and a last line without one. */
/* --- the batch ----------------------------------------------------------- */

static void
batch_flush(struct uw *u)
{
	if (u->batch.len == 0)
		return;
	struct eng *e = u->st[u->bsid].eng;
	for (size_t i = 0; i < u->nfacts; i++)
		u->facts[i].time = u->ftext.p + (size_t)(uintptr_t)u->facts[i].time;
	eng_set_lineno(e, u->bfirst);
	eng_facts(e, u->facts, u->nfacts);
	eng_chunk(e, u->batch.p, u->batch.len);
	eng_facts(e, NULL, 0);
	u->batch.len = 0;
	u->nfacts = 0;
	u->ftext.len = 0;
}

/* Appends one bare line of stream sid, read at input line lineno. */
static void
batch_add(struct uw *u, int sid, uint64_t lineno, const char *p, size_t n,
    const char *t, size_t tn)
{
	if (u->batch.len > 0 && (sid != u->bsid || u->batch.len + n > BATCH_MAX ||
	    lineno != u->bfirst + u->blines))
		batch_flush(u);
	if (u->batch.len == 0) {
		u->bsid = sid;
		u->bfirst = lineno;
		u->blines = 0;
	}
	u->blines++;
	buf_add(&u->batch, p, n);
	buf_addc(&u->batch, '\n');
	if (tn > 0) {
		if (u->nfacts == u->facts_cap) {
			u->facts_cap = u->facts_cap ? u->facts_cap * 2 : 256;
			u->facts = xrealloc(u->facts, u->facts_cap * sizeof(*u->facts));
		}
		struct eng_fact *f = &u->facts[u->nfacts++];
		f->lineno = lineno;
		f->time = (const char *)(uintptr_t)u->ftext.len;
		f->tlen = tn;
		buf_add(&u->ftext, t, tn);
	}
}

/*
 * Appends s to the batch's last line when it is the stream's: a record that
 * goes on with the line before it.  Returns 0 when that line has gone on
 * to the engine already.
 */
static int
batch_extend(struct uw *u, int sid, const char *s, size_t n)
{
	if (u->batch.len == 0 || u->bsid != sid)
		return 0;
	u->batch.len--;             /* the line's '\n' */
	buf_add(&u->batch, s, n);
	buf_addc(&u->batch, '\n');
	/* The next line's number is not the batch's next: batch_add flushes. */
	return 1;
}

/* --- lines ------------------------------------------------------------- */

/*
 * A piece of a line that goes on in the stream's next record (docker's
 * 16 KiB split, CRI's P): the line keeps its first piece's number and time.
 */
static void
partial_add(struct ustream *st, uint64_t lineno, const char *t, size_t tn,
    const char *p, size_t n)
{
	if (st->partial.len == 0) {
		st->partial_line = lineno;
		st->ptlen = tn < sizeof(st->ptime) ? tn : 0;
		if (st->ptlen > 0)
			memcpy(st->ptime, t, st->ptlen);
	}
	if (st->partial.len + n <= PARTIAL_MAX)
		buf_add(&st->partial, p, n);
}

/*
 * Go text of a JSON log record: each of its lines, at the record's line,
 * through an engine of its own that passes nothing through: the record is
 * one input line, passed through once when it held no event.
 */
static void
record_lines(struct uw *u, uint64_t lineno, int sid, const char *p, size_t n,
    const char *t, size_t tn, const char *raw, size_t rawlen)
{
	struct eng_fact f = { lineno, t, tn };
	const char *end = p + n;
	struct eng_stats before, after;

	if (u->rec == NULL) {
		const struct emit em = { u->em.event, NULL, u->em.arg, u->em.result };
		u->rec = eng_new(u->rs, &em);
	}
	struct eng *e = u->rec;
	eng_set_stream(e, u->st[sid].name.p ? u->st[sid].name.p : "",
	    u->st[sid].name.len);
	eng_stats(e, &before);
	batch_flush(u);
	eng_flush(u->st[0].eng);
	eng_facts(e, tn ? &f : NULL, tn ? 1 : 0);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		eng_set_lineno(e, lineno);
		eng_line(e, p, (size_t)(le - p));
		p = nl ? nl + 1 : end;
	}
	/* The record holds the whole block: it ends with it. */
	eng_flush(e);
	eng_facts(e, NULL, 0);
	eng_stats(e, &after);
	if (after.events == before.events && u->em.raw != NULL) {
		const struct rawline rl = { lineno, raw, rawlen };
		u->em.raw(u->em.arg, &rl);
	}
}

/* A logfmt line whose quoted value holds Go output: its record. */
static int
logfmt_line(struct uw *u, uint64_t lineno, int sid, const char *t, size_t tn,
    const char *s, size_t n)
{
	struct env *v = &u->env;

	if (n == 0 || s[0] == '{' || env_logfmt(v, s, n) != ENV_RECORD)
		return 0;
	if (tn > 0)
		buf_reset_to(&v->time, t, tn);
	record_lines(u, lineno, sid, v->go.p, v->go.len, v->time.p, v->time.len,
	    s, n);
	return 1;
}

/*
 * Where the record starts whose quoted value holds the anchor at a: the
 * JSON object's brace, or the first key of a logfmt line that reads as
 * key=value pairs to its end; NULL when there is none.
 */
static const char *
record_start(struct uw *u, const char *ls, const char *a, const char *le)
{
	if (a[-2] == ':')
		return memmem(ls, (size_t)(a - ls), "{\"", 2);
	for (const char *p = ls; p < a; p++) {
		if (p > ls && p[-1] != ' ')
			continue;
		if (env_logfmt(&u->env, p, (size_t)(le - p)) == ENV_RECORD)
			return p;
	}
	return NULL;
}

/*
 * The first Go anchor in s[from..n) by a scan of its own, and its kind; a
 * record's quoted value gives the record's start instead (and sets
 * *quoted).  NULL when there is none.
 */
static const char *
scan_anchor(struct uw *u, const char *s, size_t n, size_t from,
    enum anchor *kind, int *quoted)
{
	const char *a = NULL;

	pf_scan(u->rs->pf, s, n, &u->lms);
	for (size_t k = 0; k < u->lms.n && a == NULL; k++) {
		const int id = u->anchor_of[u->lms.m[k].id];
		if (id < 0 || u->lms.m[k].start < from)
			continue;
		a = learn_anchor_start(id, s, s + n, s + u->lms.m[k].start);
		*kind = anchor_lits[id].kind;
	}
	if (a != NULL && learn_quoted_anchor(s + from, a)) {
		a = record_start(u, s + from, a, s + n);
		*kind = A_JSON;
		*quoted = 1;
	}
	return a;
}

/*
 * The line s[0..n) of stream sid, which ends at *le, with the records
 * after it in the chunk that go on with it (GitLab's '+') joined on, in
 * u->joined_rec; *le moves to the last of them.  Returns how many.
 */
static uint64_t
join_cont(struct uw *u, const char *s, size_t n, int sid, const char **le,
    const char *end)
{
	uint64_t k = 0;

	while (*le + 1 < end) {
		const char *nx = *le + 1;
		const char *q = memchr(nx, '\n', (size_t)(end - nx));
		q = q ? q : end;
		int s2 = 0, p2 = 0;
		const char *t2 = NULL;
		size_t tn2 = 0;
		const size_t o2 = learn_strip(u, nx, (size_t)(q - nx), &s2, &t2,
		    &tn2, &p2);
		if (o2 == 0 || !(p2 & PART_CONT) || s2 != sid)
			break;
		if (k++ == 0) {
			u->joined_rec.len = 0;
			buf_add(&u->joined_rec, s, n);
		}
		size_t qn = (size_t)(q - nx);
		if (qn > 0 && nx[qn - 1] == '\r')
			qn--;
		buf_add(&u->joined_rec, nx + o2, qn - o2);
		*le = q;
	}
	return k;
}

static void text_line(struct uw *u, uint64_t lineno, const char *s, size_t n,
    const char *le, const char *end, int sid, const char *t, size_t tn,
    const char *a, enum anchor kind, int scan);

/*
 * BuildKit ends a failed build with a box that repeats the failed step's
 * last lines (buildkit's progressui, docker build --progress=plain):
 *
 *	------
 *	 > [builder 6/6] RUN go build ./...:
 *	0.412 ./main.go:7:2: undefined: Foo
 *	------
 *
 * Its lines were read once already, behind the step's "#N " prefix: they
 * pass through unclassified, or every failure would be two events.
 */
static int
buildkit_box(struct uw *u, uint64_t lineno, const char *s, size_t n,
    const char *le, const char *end)
{
	const int rule = n == 6 && memcmp(s, "------", 6) == 0;

	if (!u->bk_box) {
		if (!rule || le == NULL || end - le < 6 || memcmp(le + 1, " > [", 4) != 0)
			return 0;
		u->bk_box = 1;
	} else if (rule) {
		u->bk_box = 0;
	}
	batch_flush(u);
	if (u->em.raw != NULL) {
		const struct rawline rl = { lineno, s, n };
		u->em.raw(u->em.arg, &rl);
	}
	return 1;
}

/* A line that starts with "{": an envelope, a go -json event, or text. */
static int
json_line(struct uw *u, uint64_t lineno, const char *s, size_t n, int sid,
    const char *t, size_t tn)
{
	/*
	 * test2json and go build -json write Action first or right after
	 * Time or ImportPath, whose values hold no comma: a docker record or
	 * a log record is told apart without a search.
	 */
	const char *c = memchr(s, ',', n);
	if (uw_starts(s, n, "{\"Action\"") || (c != NULL &&
	    uw_starts(c + 1, (size_t)(s + n - c - 1), "\"Action\""))) {
		if (u->gj == NULL)
			u->gj = gojson_new(u->rs, &u->em);
		batch_flush(u);
		const struct buf *name = &u->st[sid].name;
		gojson_context(u->gj, name->p, name->len, t, tn);
		if (gojson_line(u->gj, s, n, lineno)) {
			/* A text block does not go on into a -json stream. */
			eng_flush(u->st[0].eng);
			return 1;
		}
	}
	struct env *v = &u->env;
	switch (env_decode(v, s, n)) {
	case ENV_DOCKER: {
		int dsid = v->stream.len ? uw_stream_get(u, v->stream.p, v->stream.len) : 0;
		struct ustream *st = &u->st[dsid];
		const char *p = v->log.p ? v->log.p : "";
		size_t ln = v->log.len;
		if (ln == 0 || p[ln - 1] != '\n') {
			/* docker split a long line: the rest comes in the next record */
			partial_add(st, lineno, v->time.p, v->time.len, p, ln);
			return 1;
		}
		ln--;
		if (ln > 0 && p[ln - 1] == '\r')
			ln--;
		u->line.len = 0;
		/* The line may hold a record that env_decode reads into v. */
		buf_reset_to(&u->dtime, v->time.p, v->time.len);
		const char *dt = u->dtime.p;
		size_t dtn = u->dtime.len;
		uint64_t at = lineno;
		int scan = TL_DECODED | (u->rec_hint ? TL_SCAN : 0);
		if (st->partial.len > 0) {
			scan |= TL_SCAN;
			/* The line began in an earlier record: its number and time. */
			buf_add(&u->line, st->partial.p, st->partial.len);
			st->partial.len = 0;
			at = st->partial_line;
			buf_reset_to(&u->dtime, st->ptime, st->ptlen);
			dt = u->dtime.p;
			dtn = u->dtime.len;
		}
		buf_add(&u->line, p, ln);
		buf_addc(&u->line, '\0');
		text_line(u, at, u->line.p, u->line.len - 1, NULL, NULL, dsid,
		    dt, dtn, NULL, A_STRONG, scan);
		return 1;
	}
	case ENV_RECORD:
		/* The collector's time, as for every line it wrapped. */
		if (tn > 0)
			buf_reset_to(&v->time, t, tn);
		record_lines(u, lineno, sid, v->go.p, v->go.len, v->time.p, v->time.len,
		    s, n);
		return 1;
	case ENV_NONE:
		break;
	}
	return 0;
}

/*
 * One line of wrapped input: its prefixes go, the stream and time they
 * name are kept, and the rest joins its stream's batch.  a is where the
 * chunk's anchor scan found Go text in the line (NULL: none), or, with scan,
 * the line (a decoded one) is scanned here; le and end bound the lookahead.
 */
static void
text_line(struct uw *u, uint64_t lineno, const char *s, size_t n,
    const char *le, const char *end, int sid, const char *t, size_t tn,
    const char *a, enum anchor kind, int scan)
{
	int partial = 0, quoted = 0;
	size_t off;

	if (buildkit_box(u, lineno, s, n, le, end))
		return;

	if (a != NULL && learn_quoted_anchor(s, a)) {
		a = record_start(u, s, a, s + n);
		kind = A_JSON;
		quoted = 1;
	}
	if (u->user_prefix != NULL) {
		struct re_caps caps;
		off = 0;
		if (re_search(u->user_prefix->re, s, n, &caps) == RE_MATCH &&
		    caps.beg[0] == 0)
			off = (size_t)caps.end[0];
	} else {
		off = learn_strip(u, s, n, &sid, &t, &tn, &partial);
		if (off == 0 && n > 0) {
			/* No known shape: does a Go anchor sit behind a prefix? */
			if (scan & TL_SCAN)
				a = scan_anchor(u, s, n, 0, &kind, &quoted);
			/*
			 * A `# pkg` header is no anchor (-x logs' shell comments
			 * hold "# "), but behind another stream's known prefix it
			 * is the first line of that stream's build: its package.
			 */
			const char *hh;
			if (a == NULL && u->shape_streams && (hh = memmem(s, n < SHAPE_MAX ?
			    n : SHAPE_MAX, " # ", 3)) != NULL) {
				a = hh + 1;
				kind = A_WEAK;
			}
			if (a != NULL && a > s && learn_prefix(u, s, n, (size_t)(a - s), kind,
			    le ? le : s + n, end ? end : s + n))
				off = learn_strip(u, s, n, &sid, &t, &tn, &partial);
		}
		/*
		 * The records after this one that go on with its line (GitLab's
		 * '+'), while the chunk shows them: the line is read whole and
		 * they are skipped (wrapped_lines).
		 */
		if (u->has_cont && off > 0 && !(partial & PART_CONT) && le != NULL &&
		    end != NULL) {
			const uint64_t k = join_cont(u, s, n, sid, &le, end);
			if (k > 0) {
				u->skip = k;
				s = u->joined_rec.p;
				n = u->joined_rec.len;
				/*
				 * The pieces' Go text: an anchor, a logfmt record's
				 * quoted stack, where the first piece showed none.
				 */
				a = scan_anchor(u, s, n, off, &kind, &quoted);
			}
		}
		if (a != NULL && a > s + off && learn_prefix(u, s + off, n - off,
		    (size_t)(a - s - off), kind, le ? le : s + n, end ? end : s + n)) {
			/*
			 * A prefix behind the known ones (a service's log package
			 * inside compose's): learned as one more layer.
			 */
			sid = 0;
			t = NULL;
			tn = 0;
			partial = 0;
			off = learn_strip(u, s, n, &sid, &t, &tn, &partial);
		}
		/* A logged "panic: ..." message is not a crash. */
		if (off > 0 && (uw_starts(s + off, n - off, "panic: ") ||
		    uw_starts(s + off, n - off, "fatal error: ")) && le != NULL) {
			const int tf = learn_trace_follows(u, NULL, sid, le, end);
			if (tf < 0 && u->pending.len == 0) {
				/* Decided with the next chunk's lines (uw_chunk). */
				buf_add(&u->pending, s, n);
				u->lineno--;
				return;
			}
			if (tf == 0) {
				off = 0;
				sid = 0;
				partial = 0;
			}
		}
	}
	/* A GitLab record that goes on with the line before it. */
	if ((partial & PART_CONT) && batch_extend(u, sid, s + off, n - off))
		return;
	partial &= PART_CRI;
	/* A go -json stream or a JSON record behind a prefix or in a record. */
	if ((off > 0 || (scan & TL_DECODED)) && off < n && s[off] == '{' && !partial &&
	    json_line(u, lineno, s + off, n - off, sid, t, tn))
		return;
	if (quoted && !partial && logfmt_line(u, lineno, sid, t, tn, s + off, n - off))
		return;
	struct ustream *st = &u->st[sid];
	if (partial) {
		partial_add(st, lineno, t, tn, s + off, n - off);
		return;
	}
	if (st->partial.len > 0) {
		/*
		 * The F record that ends a CRI partial line: the whole line is
		 * read like a decoded one (its own prefixes, a record in it), at
		 * its first piece's line and time.  text_line may use the
		 * stream's buffer: it is handed over.
		 */
		buf_add(&st->partial, s + off, n - off);
		struct buf whole = st->partial;
		char pt[sizeof(st->ptime)];
		const size_t ptn = st->ptlen;
		const uint64_t pl = st->partial_line;
		memcpy(pt, st->ptime, ptn);
		memset(&st->partial, 0, sizeof(st->partial));
		text_line(u, pl, whole.p, whole.len, NULL, NULL, sid, pt, ptn, NULL,
		    A_STRONG, TL_DECODED | TL_SCAN);
		buf_free(&st->partial);
		whole.len = 0;
		st->partial = whole;
		return;
	}
	batch_add(u, sid, lineno, s + off, n - off, t, tn);
}

/* --- chunks -------------------------------------------------------------- */

/*
 * Whether the line [ls, le), a JSON record perhaps, holds a Go anchor
 * behind its start among the chunk's matches from k on: its decoded text
 * then needs a scan of its own (learn_rec_anchor).
 */
static int
record_hint(const struct uw *u, const char *base, size_t k, const char *ls,
    const char *le)
{
	for (; k < u->ms.n && base + u->ms.m[k].start < le; k++) {
		const int id = u->anchor_of[u->ms.m[k].id];
		const char *h = base + u->ms.m[k].start;
		if (id >= 0 && h > ls && learn_rec_anchor(id, ls, le, h))
			return 1;
	}
	return 0;
}

/*
 * The first Go anchor of the line [ls, le) among the chunk's matches from
 * *mi on (which it advances past the line).
 */
static const char *
line_anchor(struct uw *u, const char *base, const char *ls, const char *le,
    size_t *mi, enum anchor *kind)
{
	const char *a = NULL;

	u->rec_hint = record_hint(u, base, *mi, ls, le);
	for (; *mi < u->ms.n && base + u->ms.m[*mi].start < le; (*mi)++) {
		const int id = u->anchor_of[u->ms.m[*mi].id];
		const char *h = base + u->ms.m[*mi].start;
		if (id < 0 || h < ls || a != NULL)
			continue;
		a = learn_anchor_start(id, ls, le, h);
		if (a != NULL)
			*kind = anchor_lits[id].kind;
	}
	return a;
}

/* Bare lines [p, end) of the chunk at base to the default engine, whole. */
static void
hand_on(struct uw *u, const char *base, const char *p, const char *end)
{
	struct eng *e = u->st[0].eng;

	if (p >= end)
		return;
	batch_flush(u);
	eng_set_lineno(e, u->lineno + 1);
	u->lineno += eng_chunk_scanned(e, base, p, (size_t)(end - p), u->ms.m,
	    u->ms.n);
}

static void
wrapped_lines(struct uw *u, const char *p, const char *end, size_t mi,
    const char *base)
{
	const char *cur = p;

	while (cur < end) {
		const char *nl = memchr(cur, '\n', (size_t)(end - cur));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - cur);
		enum anchor kind = A_STRONG;
		const char *a = line_anchor(u, base, cur, le, &mi, &kind);
		const uint64_t lineno = ++u->lineno;

		if (u->skip > 0) {
			/* read already, as the end of the line before it */
			u->skip--;
			cur = nl ? nl + 1 : end;
			continue;
		}
		if (n > 0 && cur[n - 1] == '\r')
			n--;
		const int held = u->pending.len > 0;
		if (!(n > 0 && cur[0] == '{' && json_line(u, lineno, cur, n, 0, NULL, 0)))
			text_line(u, lineno, cur, n, le, end, 0, NULL, 0, a, kind, 0);
		cur = nl ? nl + 1 : end;
		if (!held && u->pending.len > 0 && cur < end) {
			/*
			 * The line waits for the next chunk to tell whether a trace
			 * follows it: so do the lines after it, or they would reach
			 * the engine before it (a blank line, and then the
			 * headline it belongs under).  They are read again behind
			 * it, records joined again.
			 */
			const size_t rest = (size_t)(end - cur) -
			    (end[-1] == '\n' ? 1 : 0);
			buf_addc(&u->pending, '\n');
			buf_add(&u->pending, cur, rest);
			u->skip = 0;
			return;
		}
	}
}

/*
 * A traceback that goes on into the chunk: its lines go to the engine
 * without a scan (eng_block_run) for as long as the stack parser is sure
 * to take them.  Returns how many bytes from p were taken.
 */
static size_t
block_ahead(struct uw *u, const char *p, const char *end)
{
	struct eng *e = u->st[0].eng;
	size_t used;

	if (!eng_has_open(e))
		return 0;
	batch_flush(u);
	eng_set_lineno(e, u->lineno + 1);
	u->lineno += eng_block_run(e, p, (size_t)(end - p), &used);
	return used;
}

/*
 * The bare lines [p, wend) of a chunk that goes on to cend, with the
 * literal matches of a scan of the window in u->ms.  Returns 1 when a
 * prefix was learned: the lines from there to cend have been read.
 */
static int
bare_window(struct uw *u, const char *p, const char *wend, const char *cend)
{
	/*
	 * Bare so far: find the lines that need reading, hand the lines
	 * between them to the engine as they are.  Most anchors stand at the
	 * start of their line and cost a few byte comparisons; a JSON record
	 * is decoded and the lines after it are bare again.
	 */
	const char *cur = p;        /* lines before it have been read */
	const char *from = p;       /* lines before it have been handed on */
	for (size_t mi = 0; mi < u->ms.n; mi++) {
		const int id = u->anchor_of[u->ms.m[mi].id];
		const char *h = p + u->ms.m[mi].start;
		if (id < 0 || h < cur)
			continue;
		const char *a = learn_anchor_start(id, cur, wend, h);
		if (a == NULL)
			continue;
		enum anchor kind = anchor_lits[id].kind;
		if ((a == cur || a[-1] == '\n') && kind != A_JSON) {
			u->bare_anchor = 1;
			continue;
		}
		const char *ls = a > cur ? memrchr(cur, '\n', (size_t)(a - cur)) : NULL;
		ls = ls ? ls + 1 : cur;
		const char *le = memchr(a, '\n', (size_t)(wend - a));
		le = le ? le : wend;
		size_t n = (size_t)(le - ls);
		if (n > 0 && ls[n - 1] == '\r')
			n--;
		if (learn_quoted_anchor(ls, a)) {
			/* A record's quoted value: the record is what starts. */
			a = record_start(u, ls, a, ls + n);
			if (a == NULL)
				continue;
			kind = A_JSON;
		}
		/* A long text before the anchor is no prefix (-x's "# internal"). */
		if (a - ls > SHAPE_MAX - 8)
			continue;
		if (a == ls) {
			/* A JSON line among bare ones. */
			u->rec_hint = record_hint(u, p, mi, ls, le);
			hand_on(u, p, from, ls);
			const uint64_t lineno = ++u->lineno;
			const char *next = le < wend ? le + 1 : wend;
			if (json_line(u, lineno, ls, n, 0, NULL, 0) ||
			    logfmt_line(u, lineno, 0, NULL, 0, ls, n)) {
				cur = from = next;
				continue;
			}
			/*
			 * An ordinary record is a bare line: it goes on with the
			 * lines after it and the window's scan, not copied and
			 * scanned again.  One with a CR goes the batch's way,
			 * which drops the CR from -p's text too.
			 */
			if (n == (size_t)(le - ls)) {
				u->lineno--;
				from = ls;
				cur = next;
				continue;
			}
			batch_add(u, 0, lineno, ls, n, NULL, 0);
			cur = from = next;
			continue;
		}
		if (!learn_prefix(u, ls, n, (size_t)(a - ls), kind, le, cend))
			continue;
		/*
		 * The lines just before that carry the prefix too (a `# pkg`
		 * header, -x commands) are read through it as well: a header
		 * is no anchor, it is too common in -x logs' shell comments.
		 */
		const char *back = ls;
		for (int k = 0; k < LOOKBEHIND && back > cur; k++) {
			const char *pe = back - 1;
			const char *ps = pe > cur ? memrchr(cur, '\n', (size_t)(pe - cur)) : NULL;
			ps = ps ? ps + 1 : cur;
			int sid = 0, partial = 0;
			const char *t = NULL;
			size_t tn = 0;
			/*
			 * Another stream's lines in between: interleaved with the
			 * one just learned (two pods), a known prefix with a
			 * stream of its own is learned from them too, so that a
			 * `# pkg` header before that stream's first anchor keeps
			 * its package.  Others are read as they are.
			 */
			const size_t pn = (size_t)(pe - ps);
			if (learn_strip(u, ps, pn, &sid, &t, &tn, &partial) > 0 ||
			    (u->shape_streams && learn_prefix(u, ps, pn, pn, A_WEAK, pe, cend) &&
			    learn_strip(u, ps, pn, &sid, &t, &tn, &partial) > 0))
				ls = ps;
			back = ps;
		}
		/*
		 * A prefix: from this line on, line by line, to the chunk's end
		 * (scanned again from here: the window's scan ends at wend).
		 */
		hand_on(u, p, from, ls);
		u->wrapped = 1;
		pf_scan(u->rs->pf, ls, (size_t)(cend - ls), &u->ms);
		wrapped_lines(u, ls, cend, 0, ls);
		return 1;
	}
	hand_on(u, p, from, wend);
	return 0;
}

void
uw_chunk(struct uw *u, const char *p, size_t len)
{
	const char *end = p + len;

	if (len == 0)
		return;
	if (u->pending.len > 0) {
		/* The line held back from the last chunk goes first. */
		u->joined.len = 0;
		buf_add(&u->joined, u->pending.p, u->pending.len);
		buf_addc(&u->joined, '\n');
		buf_add(&u->joined, p, len);
		u->pending.len = 0;
		p = u->joined.p;
		len = u->joined.len;
		end = p + len;
	}
	/* Without a learned prefix, a JSON line only makes its chunk slow. */
	if (u->wrapped && (u->nsh > 0 || u->user_prefix != NULL)) {
		pf_scan(u->rs->pf, p, len, &u->ms);
		wrapped_lines(u, p, end, 0, p);
		return;
	}
	/*
	 * Bare: scanned a window at a time, so that a traceback that fills
	 * the rest of the chunk (a dump of 100,000 goroutines) is read by
	 * the stack parser alone once its first window is through.
	 */
	for (const char *w = p; w < end;) {
		w += block_ahead(u, w, end);
		if (w >= end)
			break;
		const char *we = end;
		if ((size_t)(end - w) > UW_WINDOW) {
			we = memchr(w + UW_WINDOW, '\n', (size_t)(end - w - UW_WINDOW));
			we = we != NULL ? we + 1 : end;
		}
		pf_scan(u->rs->pf, w, (size_t)(we - w), &u->ms);
		if (bare_window(u, w, we, end))
			return;
		w = we;
	}
}

void
uw_line(struct uw *u, const char *p, size_t len)
{
	if (!u->wrapped) {
		struct eng *e = u->st[0].eng;
		batch_flush(u);
		eng_set_lineno(e, ++u->lineno);
		eng_line(e, p, len);
		return;
	}
	const uint64_t lineno = ++u->lineno;
	u->rec_hint = 1;
	if (!(len > 0 && p[0] == '{' && json_line(u, lineno, p, len, 0, NULL, 0)))
		text_line(u, lineno, p, len, NULL, NULL, 0, NULL, 0, NULL, A_STRONG,
		    TL_DECODED | TL_SCAN);
	batch_flush(u);
}
