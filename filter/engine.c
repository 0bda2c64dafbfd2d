/*
 * engine.c - the classifier (see engine.h).
 *
 * Hot path: eng_chunk() has the prefilter find every rule literal of a
 * chunk in one scan and only counts the newlines between the lines that
 * hold one, so a line that cannot match costs no regex call, no copy and no
 * call per line.  Lines are looked at one by one only while an event is
 * open (its continuation lines), or when every line is passed through.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "gate.h"
#include "gotest.h"
#include "prefilter.h"
#include "stack.h"

#define CMD_RING 32
#define HDR_MAX 512
#ifndef ENG_LINE_MAX
#define ENG_LINE_MAX (64 * 1024)
#endif

/* A recent -x command line, parsed only when an event needs it. */
struct cmdent {
	struct buf text;
	int used, parsed;
	char tool[16], pkg[HDR_MAX], gover[32];
};

/* Lines of a tentative event, kept so they can be passed through if it dies. */
struct heldline {
	uint64_t lineno;
	const char *text;
	size_t len;
	struct heldline *next;
};

struct eng {
	const struct ruleset *rs;
	struct emit em;
	uint64_t lineno;            /* number of the last line seen */
	uint64_t *hits;
	size_t words;
	struct pf_matches ms, line_ms;
	int *cand;                  /* candidate rules of a line */
	size_t cand_cap;
	struct buf clean;           /* the line without CR and ANSI codes */
	/* where the line being read sits, to look at the line before it */
	const char *chunk_start;
	int prev_heredoc;           /* the line before the chunk opened a heredoc */

	/* build context */
	char hdr_pkg[HDR_MAX];
	char hdr_tool[16];
	/*
	 * The header's line, or its last diagnostic's, counted in this
	 * engine's lines (st.lines): a stream's lines are not contiguous in
	 * the input when another stream's come between them.
	 */
	uint64_t hdr_last;
	uint64_t ev_seq_first, ev_seq_last;     /* the open event's, so counted */
	char def_pkg[HDR_MAX];      /* from a -json stream */
	char gover[32];
	struct cmdent ring[CMD_RING];
	int ring_pos;

	/* the open event */
	int open;
	const struct rule *rule;
	struct event ev;
	struct arena arena;
	int confirmed;
	struct heldline *held, **held_tail;
	struct stk *stk;
	int block;
	int line_took;              /* GT_TOOK_*: which event took the line */
	int took;                   /* GT_TOOK_*: what the open event is */

	/* go test's structure; the engine's own unless gojson shares one */
	struct gt *gt;
	int gt_own;

	/* what the envelope knew: the stream's name, each line's time */
	char stream[HDR_MAX];
	const struct eng_fact *facts;
	size_t nfacts, fact_pos;
	struct eng_stats st;
};

static void close_event(struct eng *e);

struct eng *
eng_new(const struct ruleset *rs, const struct emit *em)
{
	struct eng *e = xcalloc(1, sizeof(*e));

	e->rs = rs;
	e->em = *em;
	e->words = pf_words(rs->pf);
	e->hits = xcalloc(e->words ? e->words : 1, sizeof(*e->hits));
	e->stk = stk_new();
	e->gt = gt_new(em);
	e->gt_own = 1;
	return e;
}

void
eng_set_gt(struct eng *e, struct gt *g)
{
	if (e->gt_own) {
		gt_free(e->gt);
		e->gt_own = 0;
	}
	e->gt = g;
}

void
eng_end(struct eng *e)
{
	close_event(e);
	if (e->gt_own)
		gt_end(e->gt);
}

void
eng_free(struct eng *e)
{
	if (e == NULL)
		return;
	eng_end(e);
	if (e->gt_own)
		gt_free(e->gt);
	for (int i = 0; i < CMD_RING; i++)
		buf_free(&e->ring[i].text);
	buf_free(&e->clean);
	pf_matches_free(&e->ms);
	pf_matches_free(&e->line_ms);
	free(e->cand);
	arena_free(&e->arena);
	stk_free(e->stk);
	free(e->hits);
	free(e);
}

void
eng_set_lineno(struct eng *e, uint64_t next)
{
	e->lineno = next - 1;
}

static void
copy_str(char *dst, size_t cap, const char *p, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, p, len);
	dst[len] = '\0';
}

void
eng_set_pkg(struct eng *e, const char *pkg, size_t len)
{
	copy_str(e->def_pkg, sizeof(e->def_pkg), pkg, len);
}

void
eng_set_stream(struct eng *e, const char *name, size_t len)
{
	copy_str(e->stream, sizeof(e->stream), name, len);
}

void
eng_facts(struct eng *e, const struct eng_fact *f, size_t n)
{
	e->facts = f;
	e->nfacts = n;
	e->fact_pos = 0;
}

/* The time of the line being read, from the facts the caller gave. */
static const struct eng_fact *
line_fact(struct eng *e)
{
	while (e->fact_pos < e->nfacts && e->facts[e->fact_pos].lineno < e->lineno)
		e->fact_pos++;
	if (e->fact_pos < e->nfacts && e->facts[e->fact_pos].lineno == e->lineno)
		return &e->facts[e->fact_pos];
	return NULL;
}

int
eng_has_open(const struct eng *e)
{
	return e->open;
}

void
eng_stats(const struct eng *e, struct eng_stats *st)
{
	*st = e->st;
}

/* --- text clean-up ------------------------------------------------------ */

/*
 * Removes CSI (ESC [ ... final) and OSC (ESC ] ... BEL or ST) sequences, the
 * colour codes that CI systems and `go test` wrappers leave in logs.
 */
static void
strip_ansi(struct buf *out, const char *p, size_t len)
{
	size_t i = 0;

	out->len = 0;
	buf_reserve(out, len);
	while (i < len) {
		if (p[i] != '\x1b') {
			out->p[out->len++] = p[i++];
			continue;
		}
		if (i + 1 < len && p[i + 1] == '[') {
			i += 2;
			while (i < len && (unsigned char)p[i] >= 0x20 &&
			    (unsigned char)p[i] <= 0x3f)
				i++;
			if (i < len)
				i++;
		} else if (i + 1 < len && p[i + 1] == ']') {
			i += 2;
			while (i < len && p[i] != '\a' &&
			    !(p[i] == '\x1b' && i + 1 < len && p[i + 1] == '\\'))
				i++;
			i += i < len && p[i] == '\a' ? 1 : 2;
		} else {
			i += 2;
		}
	}
	out->p[out->len] = '\0';
}

/* --- events ------------------------------------------------------------- */

static void event_ctx(const struct event *ev, struct fieldval ctx[F_NFIELDS]);
static void close_event(struct eng *e);

static const char *
dupfield(struct eng *e, const struct fieldval *v)
{
	return v->p ? arena_strndup(&e->arena, v->p, v->len) : NULL;
}

static void
hold_line(struct eng *e, const char *p, size_t len)
{
	struct heldline *h = arena_alloc(&e->arena, sizeof(*h));

	h->lineno = e->lineno;
	h->text = arena_strndup(&e->arena, p, len);
	h->len = len;
	h->next = NULL;
	*e->held_tail = h;
	e->held_tail = &h->next;
}

static void
emit_raw(struct eng *e, uint64_t lineno, const char *p, size_t len)
{
	struct rawline rl = { lineno, p, len };

	if (e->em.raw != NULL)
		gt_raw(e->gt, &rl);
}

/* Tools whose diagnostics the go command prints under a `# pkg` header. */
static int
header_tool(const char *tool)
{
	return tool != NULL && (strcmp(tool, "compile") == 0 ||
	    strcmp(tool, "vet") == 0 || strcmp(tool, "link") == 0 ||
	    strcmp(tool, "cgo") == 0 || strcmp(tool, "asm") == 0);
}

/*
 * The first cmd rule that matches a -x command line or a `# pkg` header
 * fills vals; returns 1 when one did.
 */
static int
match_cmd(struct eng *e, const char *s, size_t len,
    struct fieldval vals[F_NFIELDS])
{
	for (int i = 0; i < e->rs->nctx_rules[CTX_CMD]; i++) {
		const struct rule *r = &e->rs->r[e->rs->ctx_rules[CTX_CMD][i]];
		if (!rule_ready(r))
			continue;
		e->st.regex_calls++;
		if (rule_match(r, s, len, vals) == RE_MATCH)
			return 1;
	}
	return 0;
}

static void
cmd_parse(struct eng *e, struct cmdent *c)
{
	struct fieldval vals[F_NFIELDS];

	c->parsed = 1;
	c->tool[0] = c->pkg[0] = c->gover[0] = '\0';
	if (!match_cmd(e, c->text.p, c->text.len, vals))
		return;
	if (vals[F_TOOL].p)
		copy_str(c->tool, sizeof(c->tool), vals[F_TOOL].p,
		    vals[F_TOOL].len);
	if (vals[F_PKG].p)
		copy_str(c->pkg, sizeof(c->pkg), vals[F_PKG].p, vals[F_PKG].len);
	if (vals[F_GO_VERSION].p)
		copy_str(c->gover, sizeof(c->gover), vals[F_GO_VERSION].p,
		    vals[F_GO_VERSION].len);
}

/*
 * Finds the -x command behind an event: the newest one of the event's tool
 * for its package (a main package compiles as -p main), else the newest of
 * its tool.
 */
/*
 * An event of another tool still learns the build's Go version from the
 * newest compile command that states it.
 */
static void
set_go_version(struct eng *e, struct event *ev)
{
	for (int k = 1; k <= CMD_RING && !e->gover[0]; k++) {
		struct cmdent *c = &e->ring[(e->ring_pos - k + CMD_RING) % CMD_RING];
		if (!c->used)
			break;
		if (!c->parsed)
			cmd_parse(e, c);
		if (c->gover[0])
			copy_str(e->gover, sizeof(e->gover), c->gover,
			    strlen(c->gover));
	}
	if (ev->f[F_GO_VERSION] == NULL && e->gover[0])
		ev->f[F_GO_VERSION] = arena_strndup(&e->arena, e->gover,
		    strlen(e->gover));
}

static void
resolve_cmd(struct eng *e, struct event *ev)
{
	const char *tool = ev->f[F_TOOL], *pkg = ev->f[F_PKG];
	struct cmdent *by_tool = NULL, *by_pkg = NULL;

	/*
	 * Only the tools the go command runs under -x have a command line;
	 * a go command error or a crash of the program has none.
	 */
	if (!header_tool(tool)) {
		set_go_version(e, ev);
		return;
	}

	for (int k = 1; k <= CMD_RING; k++) {
		struct cmdent *c = &e->ring[(e->ring_pos - k + CMD_RING) % CMD_RING];
		if (!c->used)
			break;
		if (!c->parsed)
			cmd_parse(e, c);
		if (c->gover[0] && !e->gover[0])
			copy_str(e->gover, sizeof(e->gover), c->gover,
			    strlen(c->gover));
		if (tool == NULL || strcmp(c->tool, tool) != 0)
			continue;
		if (by_tool == NULL)
			by_tool = c;
		if (by_pkg == NULL && pkg != NULL && c->pkg[0] &&
		    (strcmp(c->pkg, pkg) == 0 || strcmp(c->pkg, "main") == 0))
			by_pkg = c;
		if ((by_pkg != NULL || pkg == NULL) && e->gover[0])
			break;
	}
	struct cmdent *c = by_pkg ? by_pkg : by_tool;
	if (c != NULL && ev->f[F_CMD] == NULL)
		ev->f[F_CMD] = arena_strndup(&e->arena, c->text.p, c->text.len);
	if (ev->f[F_GO_VERSION] == NULL && e->gover[0] &&
	    (tool == NULL || header_tool(tool)))
		ev->f[F_GO_VERSION] = arena_strndup(&e->arena, e->gover,
		    strlen(e->gover));
}

/*
 * Frame rules recognise a crash by the functions on its stack (a known
 * compiler bug, say); the first rule that matches any frame refines the
 * event.
 */
static void
apply_frame_rules(struct eng *e, struct event *ev)
{
	struct fieldval ctx[F_NFIELDS], vals[F_NFIELDS];

	if (ev->nstack == 0)
		return;
	event_ctx(ev, ctx);
	for (int i = 0; i < e->rs->nctx_rules[CTX_FRAME]; i++) {
		const struct rule *r = &e->rs->r[e->rs->ctx_rules[CTX_FRAME][i]];
		if (!rules_when(r, ctx) || !rule_ready(r))
			continue;
		for (int k = 0; k < ev->nstack; k++) {
			const char *fn = ev->stack[k].func;
			e->st.regex_calls++;
			if (rule_match(r, fn, strlen(fn), vals) != RE_MATCH)
				continue;
			for (int f = 0; f < F_NFIELDS; f++) {
				if (f == F_RULE || f == F_MSG ||
				    (r->set[f] == NULL && vals[f].p == NULL))
					continue;
				ev->f[f] = dupfield(e, &vals[f]);
			}
			return;
		}
	}
}

static void
close_event(struct eng *e)
{
	struct event *ev = &e->ev;

	if (!e->open)
		return;
	const int summary = (e->rule->flags & RF_SUMMARY) != 0;
	e->open = 0;
	if (e->block) {
		stk_finish(e->stk, ev, &e->arena);
		apply_frame_rules(e, ev);
		/*
		 * A crash that the frames show to be the compiler's belongs to
		 * the package the `# pkg` header named.
		 */
		if (ev->f[F_PKG] == NULL && e->hdr_pkg[0] && ev->f[F_CLASS] != NULL &&
		    strcmp(ev->f[F_CLASS], "ice") == 0)
			ev->f[F_PKG] = arena_strndup(&e->arena, e->hdr_pkg,
			    strlen(e->hdr_pkg));
	}
	if (e->ev_seq_first <= e->hdr_last + 1 && e->ev_seq_last > e->hdr_last)
		e->hdr_last = e->ev_seq_last;
	if (!e->confirmed) {
		for (struct heldline *h = e->held; h != NULL; h = h->next)
			emit_raw(e, h->lineno, h->text, h->len);
	} else {
		if (ev->f[F_FINGERPRINT] == NULL)
			stk_fingerprint_msg(ev, &e->arena);
		e->st.events++;
		gt_event(e->gt, ev, summary ? GT_EV_SUMMARY : 0);
	}
	arena_reset(&e->arena);
	e->held = NULL;
	e->held_tail = &e->held;
	e->rule = NULL;
	e->block = 0;
}

void
eng_flush(struct eng *e)
{
	close_event(e);
}

/*
 * Which kind of event takes the lines it takes, for the test tracker: a
 * test's own failure or summary, or a crash.  Kept in e->took, set when
 * the event opens and when a continuation rule refines it.
 */
static int
took_kind(const struct eng *e)
{
	return (e->ev.f[F_CLASS] != NULL &&
	    strcmp(e->ev.f[F_CLASS], "test_failure") == 0) ||
	    (e->rule->flags & RF_SUMMARY) ? GT_TOOK_TEST : GT_TOOK_CRASH;
}

static void
open_event(struct eng *e, const struct rule *r, struct fieldval *vals,
    const char *s, size_t n, const char *line, size_t len)
{
	struct event *ev = &e->ev;

	memset(ev, 0, sizeof(*ev));
	ev->recovered = -1;
	ev->first = ev->last = e->lineno;
	e->ev_seq_first = e->ev_seq_last = e->st.lines;
	e->open = 1;
	e->rule = r;
	e->confirmed = !(r->flags & RF_TENTATIVE);
	e->held = NULL;
	e->held_tail = &e->held;
	for (int f = 0; f < F_NFIELDS; f++)
		ev->f[f] = dupfield(e, &vals[f]);
	if (ev->f[F_PHASE] == NULL)
		ev->f[F_PHASE] = "unknown";
	if (ev->f[F_KIND] == NULL)
		ev->f[F_KIND] = ev->f[F_CLASS];
	if (ev->f[F_PKG] == NULL && header_tool(ev->f[F_TOOL])) {
		if (e->hdr_pkg[0])
			ev->f[F_PKG] = arena_strndup(&e->arena, e->hdr_pkg,
			    strlen(e->hdr_pkg));
		if (ev->f[F_TOOL] == NULL && e->hdr_tool[0])
			ev->f[F_TOOL] = arena_strndup(&e->arena, e->hdr_tool,
			    strlen(e->hdr_tool));
	}
	/*
	 * The go command's own errors about a package it was loading come
	 * under its `# pkg` header too.
	 */
	if (ev->f[F_PKG] == NULL && e->hdr_pkg[0] && ev->f[F_CLASS] != NULL &&
	    strcmp(ev->f[F_CLASS], "gocmd_error") == 0 &&
	    e->st.lines <= e->hdr_last + 1)
		ev->f[F_PKG] = arena_strndup(&e->arena, e->hdr_pkg,
		    strlen(e->hdr_pkg));
	if (ev->f[F_PKG] == NULL && e->def_pkg[0])
		ev->f[F_PKG] = arena_strndup(&e->arena, e->def_pkg,
		    strlen(e->def_pkg));
	/* A crash in go test output belongs to the test running then. */
	const int test = ev->f[F_CLASS] != NULL &&
	    strcmp(ev->f[F_CLASS], "test_failure") == 0;
	e->took = took_kind(e);
	e->line_took = e->took;
	if (ev->f[F_TESTNAME] == NULL && !test) {
		const char *t = gt_current(e->gt);
		if (t != NULL)
			ev->f[F_TESTNAME] = arena_strndup(&e->arena, t, strlen(t));
	}
	if (e->stream[0])
		ev->f[F_STREAM] = arena_strndup(&e->arena, e->stream,
		    strlen(e->stream));
	const struct eng_fact *fa = line_fact(e);
	if (fa != NULL && fa->tlen > 0)
		ev->f[F_TIME] = arena_strndup(&e->arena, fa->time, fa->tlen);
	resolve_cmd(e, ev);
	if (!e->confirmed)
		hold_line(e, line, len);
	e->block = (r->flags & RF_BLOCK) != 0;
	if (e->block)
		stk_begin(e->stk, s, n);
}

/* Context fields that `when` conditions of line rules test. */
static void
build_ctx(struct eng *e, struct fieldval ctx[F_NFIELDS])
{
	memset(ctx, 0, sizeof(*ctx) * F_NFIELDS);
	/*
	 * A tool's diagnostics follow its `# pkg` header without a gap: the
	 * header names the package and tool of the line right after it or
	 * after its last diagnostic, not of a service's `main.go:42: msg` log
	 * lines much later (which a vet header would make vet findings).
	 */
	if (e->st.lines > e->hdr_last + 1)
		return;
	if (e->hdr_tool[0]) {
		ctx[F_TOOL].p = e->hdr_tool;
		ctx[F_TOOL].len = strlen(e->hdr_tool);
	}
	if (e->hdr_pkg[0]) {
		ctx[F_PKG].p = e->hdr_pkg;
		ctx[F_PKG].len = strlen(e->hdr_pkg);
	}
}

static void
event_ctx(const struct event *ev, struct fieldval ctx[F_NFIELDS])
{
	for (int f = 0; f < F_NFIELDS; f++) {
		ctx[f].p = ev->f[f];
		ctx[f].len = ev->f[f] ? strlen(ev->f[f]) : 0;
	}
}

/* The open event takes the current line: its last, in both counts. */
static void
took_line(struct eng *e)
{
	e->ev.last = e->lineno;
	e->ev_seq_last = e->st.lines;
	e->line_took = e->took;
}

static int
absorbs(struct eng *e, const char *s, size_t len)
{
	for (int i = 0; i < e->rule->nabsorb; i++) {
		e->st.regex_calls++;
		const struct re *re = rule_absorb(e->rule, i);
		if (re != NULL && re_search((struct re *)re, s, len, NULL) == RE_MATCH)
			return 1;
	}
	return 0;
}

/*
 * Offers a line to the open event: absorbed (and maybe refined) or not.
 * Returns 1 when the event took it.
 */
static int
continue_event(struct eng *e, const char *s, size_t len, const char *raw,
    size_t rawlen)
{
	struct event *ev = &e->ev;
	struct fieldval ctx[F_NFIELDS], vals[F_NFIELDS];
	int take = 0;

	if (e->block) {
		/*
		 * A traceback is the stack parser's: continuation rules would cost
		 * regex calls on every line of a 100,000-goroutine dump.  Only a
		 * line it refuses is offered to the rule's absorb patterns (the
		 * "Please file a bug report" trailer of a compiler crash).
		 */
		if (stk_feed(e->stk, s, len) == STK_TAKE) {
			took_line(e);
			/*
			 * A bare goroutine header is a failure only once the stack
			 * parser has seen the recovered panic's frames below it.
			 */
			if (!e->confirmed) {
				if (stk_verdict(e->stk) > 0)
					e->confirmed = 1;
				else
					hold_line(e, raw, rawlen);
			}
			return 1;
		}
		if (!absorbs(e, s, len))
			return 0;
		took_line(e);
		return 1;
	} else if (len > 0 && s[0] == '\t') {
		take = 1;
	} else {
		take = absorbs(e, s, len);
	}
	/* Continuation rules refine the event; they may also claim the line. */
	event_ctx(ev, ctx);
	for (int i = 0; i < e->rs->nctx_rules[CTX_CONT]; i++) {
		const struct rule *r = &e->rs->r[e->rs->ctx_rules[CTX_CONT][i]];
		if (!rules_when(r, ctx) || !rule_ready(r))
			continue;
		e->st.regex_calls++;
		int rc = rule_match(r, s, len, vals);
		if (rc == RE_LIMIT)
			e->st.limit_hits++;
		if (rc != RE_MATCH)
			continue;
		for (int f = 0; f < F_NFIELDS; f++) {
			if (f == F_RULE || (r->set[f] == NULL && vals[f].p == NULL))
				continue;
			/* Without a msg group the line is the default: keep the headline. */
			if (f == F_MSG && vals[f].p == s && vals[f].len == len)
				continue;
			ev->f[f] = dupfield(e, &vals[f]);
		}
		e->took = took_kind(e);
		e->confirmed = 1;
		take = 1;
		if (r->flags & RF_CLOSE) {
			took_line(e);
			close_event(e);
			return 1;
		}
		break;
	}
	if (!take)
		return 0;
	took_line(e);
	if (!e->confirmed)
		hold_line(e, raw, rawlen);
	return 1;
}

static void
cmd_store(struct eng *e, const char *s, size_t len)
{
	struct cmdent *c = &e->ring[e->ring_pos];

	e->ring_pos = (e->ring_pos + 1) % CMD_RING;
	c->text.len = 0;
	buf_add(&c->text, s, len);
	c->used = 1;
	c->parsed = 0;
}

/* A `# pkg` header: sets the package (and tool) for the lines after it. */
static int
header_line(struct eng *e, const char *s, size_t len)
{
	struct fieldval vals[F_NFIELDS];

	if (!match_cmd(e, s, len, vals) || vals[F_PKG].p == NULL)
		return 0;
	copy_str(e->hdr_pkg, sizeof(e->hdr_pkg), vals[F_PKG].p, vals[F_PKG].len);
	e->hdr_last = e->st.lines;
	if (vals[F_TOOL].p)
		copy_str(e->hdr_tool, sizeof(e->hdr_tool), vals[F_TOOL].p,
		    vals[F_TOOL].len);
	else
		e->hdr_tool[0] = '\0';
	return 1;
}

static int
lit_hit(const struct eng *e, int id)
{
	return id >= 0 && (e->hits[id >> 6] >> (id & 63) & 1);
}

static int
by_int(const void *a, const void *b)
{
	const int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/*
 * The line rules whose literals the line holds, in rule order, into
 * e->cand; returns how many.
 */
static size_t
candidate_rules(struct eng *e)
{
	size_t n = 0;

	for (size_t w = 0; w < e->words; w++) {
		uint64_t bits = e->hits[w];
		while (bits) {
			int id = (int)(w * 64) + __builtin_ctzll(bits);
			bits &= bits - 1;
			const int m = e->rs->nlit_rules[id];
			if (m == 0)
				continue;
			if (n + (size_t)m > e->cand_cap) {
				e->cand_cap = (n + (size_t)m) * 2;
				e->cand = xrealloc(e->cand, e->cand_cap * sizeof(int));
			}
			memcpy(e->cand + n, e->rs->lit_rules[id], (size_t)m * sizeof(int));
			n += (size_t)m;
		}
	}
	if (n > 1) {
		qsort(e->cand, n, sizeof(int), by_int);
		size_t u = 1;
		for (size_t i = 1; i < n; i++)
			if (e->cand[i] != e->cand[u - 1])
				e->cand[u++] = e->cand[i];
		n = u;
	}
	return n;
}

static int
heredoc_start(const char *p, size_t n)
{
	/* Every chunk's last line is tested: a memchr per '<'. */
	return mem_find_by(p, n, " << 'EOF'", 9, 1) != NULL;
}

/*
 * With -x, the go command writes files through heredocs, and the first
 * line of an importcfg is "# import config": a "# " line right after a
 * `cat >FILE << 'EOF'` line is file content, not a package header.
 */
static int
after_heredoc_start(const struct eng *e, const char *p)
{
	if (e->chunk_start == NULL || p <= e->chunk_start)
		return e->prev_heredoc;
	const char *end = p - 1;
	const char *q = memrchr(e->chunk_start, '\n', (size_t)(end - e->chunk_start));
	q = q ? q + 1 : e->chunk_start;
	return heredoc_start(q, (size_t)(end - q));
}

/* Tries the line rules; returns 1 when one opened an event. */
static int
try_line_rules(struct eng *e, const char *s, size_t len, const char *raw,
    size_t rawlen)
{
	struct fieldval ctx[F_NFIELDS], vals[F_NFIELDS];
	int have_ctx = 0;
	signed char gated[GATE_COUNT];
	size_t nc = candidate_rules(e);

	memset(gated, -1, sizeof(gated));

	for (size_t k = 0; k < nc; k++) {
		const struct rule *r = &e->rs->r[e->cand[k]];
		/*
		 * The gate first, once per line: it costs less than compiling
		 * the regex, and many rules share one.
		 */
		if (r->gate != GATE_NONE) {
			if (gated[r->gate] < 0)
				gated[r->gate] = (signed char)rule_gate(r, s, len);
			if (!gated[r->gate])
				continue;
		}
		if (!rule_ready(r))
			continue;
		if (r->nwhen > 0) {
			if (!have_ctx) {
				build_ctx(e, ctx);
				have_ctx = 1;
			}
			if (!rules_when(r, ctx))
				continue;
		}
		e->st.regex_calls++;
		int rc = rule_match(r, s, len, vals);
		if (rc == RE_LIMIT) {
			if (e->st.limit_hits++ == 0)
				warnx_("rule %s: retry limit exceeded at line %llu; "
				    "treated as no match", r->id,
				    (unsigned long long)e->lineno);
			continue;
		}
		if (rc != RE_MATCH)
			continue;
		open_event(e, r, vals, s, len, raw, rawlen);
		/* A package's summary is one line; the tracker wants it now. */
		if (r->flags & RF_SUMMARY)
			close_event(e);
		return 1;
	}
	return 0;
}

/*
 * One line, with e->hits already holding the literals it contains (of the
 * raw text; a line with colour codes is rescanned once they are gone).
 */
static void classify_line(struct eng *e, const char *p, size_t len,
    const char *s, size_t n);

static void
line_hits(struct eng *e, const char *p, size_t len)
{
	/*
	 * Longer lines are classified by their head: a regex's backtracking
	 * stack grows with the subject, and no Go diagnostic is this long.
	 */
	if (len > ENG_LINE_MAX)
		len = ENG_LINE_MAX;
	const char *s = p;
	size_t n = len;

	e->lineno++;
	e->st.lines++;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (lit_hit(e, e->rs->lit_esc) && memchr(s, '\x1b', n) != NULL) {
		strip_ansi(&e->clean, s, n);
		s = e->clean.p;
		n = e->clean.len;
		memset(e->hits, 0, e->words * sizeof(*e->hits));
		pf_hits(e->rs->pf, s, n, e->hits, &e->line_ms);
	}
	e->line_took = 0;
	if (e->open && gt_summary(s, n))
		close_event(e);
	classify_line(e, p, len, s, n);
	/* go test's framing, and every line while a package's tests run. */
	if (gt_active(e->gt)) {
		gt_line(e->gt, s, n, p, len, e->lineno, e->line_took);
	} else {
		for (size_t w = 0; w < e->words; w++)
			if (e->hits[w] & e->rs->test_lits[w]) {
				gt_line(e->gt, s, n, p, len, e->lineno, e->line_took);
				break;
			}
	}
}

static void
classify_line(struct eng *e, const char *p, size_t len, const char *s,
    size_t n)
{
	if (e->open) {
		if (continue_event(e, s, n, p, len))
			return;
		close_event(e);
	}
	e->st.candidates++;

	if (n > 2 && s[0] == '#' && s[1] == ' ' && !after_heredoc_start(e, p)) {
		if (header_line(e, s, n)) {
			emit_raw(e, e->lineno, p, len);
			return;
		}
	} else {
		/* A command line: keep it for the event that may follow. */
		for (size_t w = 0; w < e->words; w++)
			if (e->hits[w] & e->rs->cmd_lits[w]) {
				cmd_store(e, s, n);
				break;
			}
	}
	if (try_line_rules(e, s, n, p, len))
		return;
	emit_raw(e, e->lineno, p, len);
}

void
eng_line(struct eng *e, const char *p, size_t len)
{
	memset(e->hits, 0, e->words * sizeof(*e->hits));
	pf_hits(e->rs->pf, p, len, e->hits, &e->line_ms);
	e->chunk_start = NULL;
	line_hits(e, p, len);
	e->prev_heredoc = heredoc_start(p, len);
}

/*
 * The newline that ends the line at p, or NULL: eight bytes at a time,
 * since a dump's lines are short and a memchr call apiece cost a fifth of
 * reading one.
 */
static const char *
short_nl(const char *p, const char *end)
{
	for (; end - p >= 8; p += 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		const uint64_t m = bytes_eq(w, '\n');
		if (m != 0)
			return p + (__builtin_ctzll(m) >> 3);
	}
	return memchr(p, '\n', (size_t)(end - p));
}

uint64_t
eng_block_run(struct eng *e, const char *p, size_t len, size_t *used)
{
	const char *cur = p, *end = p + len, *last = NULL;
	const uint64_t before = e->lineno;

	*used = 0;
	/*
	 * Lines that an unconfirmed event holds, that -p passes through or
	 * that go test's tracker reads take the usual way.
	 */
	if (!e->open || !e->block || !e->confirmed || e->em.raw != NULL ||
	    gt_active(e->gt))
		return 0;
	/* Colour codes: the line that has one takes the usual way. */
	const char *esc = memchr(p, '\x1b', len);
	while (cur < end) {
		const char *nl = short_nl(cur, end);
		if (nl == NULL || (size_t)(nl - cur) > ENG_LINE_MAX ||
		    (esc != NULL && esc < nl))
			break;
		size_t n = (size_t)(nl - cur);
		if (n > 0 && cur[n - 1] == '\r')
			n--;
		/* go test's framing: line_hits hands it to the tracker. */
		if (gt_summary(cur, n) || gt_marker(cur, n))
			break;
		if (!stk_feed_hot(e->stk, cur, n))
			break;
		e->lineno++;
		e->st.lines++;
		took_line(e);
		last = cur;
		cur = nl + 1;
	}
	if (last != NULL)
		e->prev_heredoc = heredoc_start(last, (size_t)(cur - 1 - last));
	*used = (size_t)(cur - p);
	return e->lineno - before;
}

/*
 * The newlines in [p, end), eight bytes at a time: most lines of a build
 * log are short, and a memchr call per line costs more than the scan.
 */
static uint64_t
count_nl(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t n = 0;

	for (; end - p >= 8; p += 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		/* A 1 per newline, summed into the top byte. */
		n += ((bytes_eq(w, '\n') >> 7) * ones) >> 56;
	}
	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

static void chunk_lines(struct eng *e, const char *base, const char *p,
    size_t len, const struct pf_match *m, size_t nm);

void
eng_chunk(struct eng *e, const char *p, size_t len)
{
	if (len == 0)
		return;
	/* One scan finds every literal of the chunk; lines then take theirs. */
	pf_scan(e->rs->pf, p, len, &e->ms);
	chunk_lines(e, p, p, len, e->ms.m, e->ms.n);
}

/* The index of the first match in m[lo, hi) at q or after it. */
static size_t
first_at(const char *base, const struct pf_match *m, size_t lo, size_t hi,
    const char *q)
{
	while (lo < hi) {
		const size_t mid = lo + (hi - lo) / 2;
		if (base + m[mid].start < q)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t
eng_chunk_scanned(struct eng *e, const char *base, const char *p, size_t len,
    const struct pf_match *m, size_t nm)
{
	const uint64_t before = e->lineno;

	if (len == 0)
		return 0;
	/*
	 * The matches inside [p, p+len): the unwrap stage hands a chunk on in
	 * pieces, so neither end is found by walking.
	 */
	const size_t lo = first_at(base, m, 0, nm, p);
	const size_t hi = first_at(base, m, lo, nm, p + len);
	/* No match at all: the list may be empty and m NULL. */
	chunk_lines(e, base, p, len, m != NULL ? m + lo : NULL, hi - lo);
	return e->lineno - before;
}

/*
 * The lines of [p, p+len) with the literal matches m (offsets from base,
 * ascending, all inside the lines); those only the unwrap stage wants are
 * skipped.
 */
static void
chunk_lines(struct eng *e, const char *base, const char *p, size_t len,
    const struct pf_match *m, size_t nm)
{
	const char *cur = p, *end = p + len;
	size_t mi = 0;
	const unsigned char *used = e->rs->lit_used;

	e->chunk_start = p;
	while (cur < end) {
		/*
		 * With no open event and nothing to pass through, lines without
		 * a literal need only be counted.
		 */
		if (!e->open && e->em.raw == NULL && !gt_active(e->gt)) {
			if (mi == nm) {
				uint64_t n = count_nl(cur, end);
				if (end[-1] != '\n')
					n++;
				e->lineno += n;
				e->st.lines += n;
				break;
			}
			while (mi < nm && !used[m[mi].id])
				mi++;
			if (mi == nm)
				continue;
			const char *ls = base + m[mi].start;
			while (ls > cur && ls[-1] != '\n')
				ls--;
			uint64_t n = count_nl(cur, ls);
			e->lineno += n;
			e->st.lines += n;
			cur = ls;
		}
		const char *nl = memchr(cur, '\n', (size_t)(end - cur));
		const char *le = nl ? nl : end;
		memset(e->hits, 0, e->words * sizeof(*e->hits));
		for (; mi < nm && base + m[mi].start < le; mi++)
			e->hits[m[mi].id >> 6] |= 1ULL << (m[mi].id & 63);
		line_hits(e, cur, (size_t)(le - cur));
		cur = nl ? nl + 1 : end;
	}
	/* The next chunk's first line may follow a heredoc start. */
	const char *last_end = end[-1] == '\n' ? end - 1 : end;
	const char *ls = memrchr(p, '\n', (size_t)(last_end - p));
	ls = ls ? ls + 1 : p;
	e->prev_heredoc = heredoc_start(ls, (size_t)(last_end - ls));
	e->chunk_start = NULL;
}
