/*
 * stack.c - the traceback block parser (SPEC section 3: stack,
 * goroutines).  Exports stk_new, stk_free, stk_feed, stk_feed_hot,
 * stk_verdict and stk_finish of stack.h, and to the other stack files the
 * lines of a goroutine (stk_parse_func, stk_parse_file, stk_parse_header,
 * stk_is_terminator) and the goroutine being read (stk_gor_start,
 * stk_gor_func, stk_gor_file).  Those stay in this file, beside
 * stk_feed_hot and tab_line, because they run for every line of a dump.
 *
 * The stack files, one concern each, share stack_int.h:
 *   stack.c         the reader below and a goroutine's lines;
 *   stack_head.c    the headline (stk_begin), the panic chain, and the
 *                   runtime's other lines around the goroutines;
 *   stack_race.c    the race detector's reports;
 *   stack_bucket.c  goroutine buckets and the failing goroutine;
 *   stack_norm.c    normalised paths and frames (stk_norm_path,
 *                   stk_norm_frame);
 *   fingerprint.c   the fingerprint and the frames it is taken from: ICE
 *                   phase, recovered panics, top app frame
 *                   (stk_fingerprint_msg).
 * struct stk and everything it points to belong to the parser (stk_new,
 * stk_free); what stk_finish stores in the event is allocated from the
 * arena it is given.
 *
 * Reading.  A block is read line by line by a small state machine whose
 * states follow the shape of what the runtime prints (runtime/traceback.go,
 * panic.go, proc.go, signal_unix.go; the race detector's report):
 *
 *   W_HEAD     the headline and what follows it up to the first blank line:
 *              panic chains ("\tpanic: ..."), multi-line panic values,
 *              "[signal ...]", "runtime: ..." and "fatal error: ..." lines,
 *              "SIGQUIT: quit" + "PC=..." headers, hex dumps.
 *   W_STACK    inside one goroutine (or "runtime stack:"): "f(args)" lines,
 *              their "\tfile:line +0x.." lines, "created by", elisions.
 *   W_BETWEEN  after a blank line inside the dump.
 *   W_REGS     a GOTRACEBACK=crash register dump.
 *   W_TAIL     "exit status N", "FAIL" and friends after the dump (a
 *              test's "--- FAIL:" report ends it: the test tracker's).
 *   W_DONE     after "FAIL\tpkg\t0.1s": only a final bare "FAIL" belongs.
 *
 * Race reports have their own reader (stack_race.c).
 *
 * Where a block ends.  Explicit terminators always end it: "# pkg",
 * compiler diagnostics "file.go:1:2: ...", "=== RUN", "--- PASS", "ok  \t",
 * a top-level "panic:" once the chain header is over, a new race report.
 * Other unknown lines are taken as interleaved output (another process or
 * goroutine writing to the same stream), at most STK_MAXFOREIGN in a row,
 * but only where the runtime is certain to print more of the block: right
 * after a goroutine header, after a function line whose file line is
 * due, after a blank line inside a dump (the runtime never ends a dump with
 * a blank line), or after a blank line that follows the headline.
 * Anywhere else (after a file line, after "exit status") an unknown line
 * ends the block, so that ordinary output after a crash is not swallowed.
 *
 * Bare goroutines.  A block opened by a goroutine header without a
 * headline is a failure only when it is a recovered panic's debug.Stack
 * print (bare_frame, stk_verdict).
 */
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "stack.h"
#include "stack_int.h"
#include "util.h"

/*
 * Line parsers.
 */

/*
 * Whether l[0..n) can be a function name as the runtime prints it: a '.'
 * somewhere (or the runtime's "panic"), no blank outside brackets and
 * braces but the one before a brace ("type:.eq.struct { a int }" keeps
 * its blanks), so that a log line is not taken for a frame.
 */
static int
name_ok(const char *l, size_t n)
{
	int depth = 0;

	if (memchr(l, '.', n) == NULL && !EQ(l, n, "panic"))
		return 0;
	if (memchr(l, ' ', n) == NULL && memchr(l, '\t', n) == NULL)
		return 1;
	for (size_t j = 0; j < n; j++) {
		switch (l[j]) {
		case '[': case '{':
			depth++;
			break;
		case ']': case '}':
			depth--;
			break;
		case ' ': case '\t':
			/* "struct { a int }", "interface {}" */
			if (depth <= 0 && (j + 1 >= n || l[j + 1] != '{'))
				return 0;
			break;
		}
	}
	return 1;
}

/*
 * "name(args)": returns the name's length, 0 if the line is not a frame.
 * The argument list is the last parenthesised group (arguments hold no
 * parentheses, names may: "main.(*T).M"), in any of the runtime's forms:
 * words before Go 1.17 ("main.f(0x1, 0x2)"), the register ABI's "{0x4b3f20,
 * 0xc000010000}, 0x1?" since, "..." for inlined frames.
 */
size_t
stk_parse_func(const char *l, size_t n)
{
	size_t i = n - 1;
	int depth = 1;

	if (n < 3 || l[n - 1] != ')')
		return 0;
	while (i > 0) {
		i--;
		if (l[i] == ')')
			depth++;
		else if (l[i] == '(' && --depth == 0)
			break;
	}
	if (depth != 0 || i == 0)
		return 0;
	return name_ok(l, i) ? i : 0;
}

/*
 * A frame line cut before its closing parenthesis: the end of a log that
 * was cut off, or a collector that split a long line ("main.(*S).h(0xc0"
 * then other text).  The argument list opens at the first '(' that does
 * not follow a '.' (receivers do: "main.(*T).M"), and Go prints arguments
 * starting with "0x", "{", "..." or nothing at all; other text is no
 * frame.  Returns the name's length or 0.
 */
static size_t
parse_cut_func(const char *l, size_t n)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < n; i++) {
		if (l[i] == '[')
			depth++;
		else if (l[i] == ']')
			depth--;
		else if (l[i] == '(' && depth == 0 && i > 0 && l[i - 1] != '.')
			break;
	}
	if (i == 0 || i >= n || memchr(l + i, ')', n - i) != NULL)
		return 0;
	if (i + 1 < n && !PFX(l + i + 1, n - i - 1, "0x") &&
	    l[i + 1] != '{' && l[i + 1] != '.' && !(i + 2 == n &&
	    l[i + 1] == '0'))
		return 0;
	return name_ok(l, i) ? i : 0;
}

/*
 * "path:123 +0x1d fp=... sp=... pc=..." (leading blanks already skipped):
 * the line number's ':' is the first one followed by a digit (offsets and
 * fp/sp/pc hold none, a Windows drive's is followed by '/').  Returns the
 * path length.
 */
size_t
stk_parse_file(const char *l, size_t n, long *line)
{
	const char *c = memchr(l, ':', n), *e = l + n, *d;

	/* The first ':' followed by digits: "C:/..." has a '/' after it. */
	while (c != NULL && c + 1 < e && !stk_isdig(c[1]))
		c = memchr(c + 1, ':', (size_t)(e - c - 1));
	if (c == NULL || c == l || c + 1 >= e)
		return 0;
	*line = stk_getnum(c + 1, e, &d);
	if (d < e && *d != ' ')
		return 0;
	return (size_t)(c - l);
}

/*
 * A file line cut before its line number ("/home/u/app/main.go" or
 * "/home/u/app/main.go:" at the end of a cut log): the path, when it is
 * whole, that is when it ends in a source file's suffix.  A path cut
 * inside gives nothing: a wrong file is worse than none.
 */
static size_t
parse_cut_file(const char *l, size_t n)
{
	if (n > 0 && l[n - 1] == ':')
		n--;
	if (n < 4)
		return 0;
	if ((n > 3 && memcmp(l + n - 3, ".go", 3) == 0) ||
	    (n > 2 && (memcmp(l + n - 2, ".s", 2) == 0 ||
	    memcmp(l + n - 2, ".c", 2) == 0)))
		return n;
	return 0;
}

/*
 * "goroutine 7 gp=0x... m=3 mp=0x... [chan receive, 3 minutes]:"; sets id
 * and the bracket's contents.  Whatever stands between the id and the
 * bracket (gp=, m=, or fields a later Go adds) is skipped.  Goroutine
 * labels (GODEBUG=tracebacklabels=1) are no part of the state: Go 1.26
 * prints them inside the bracket, "[running labels:{"k": "v"}]:", Go 1.27
 * after it, "[running] {k: v}:" (and by default).  No status or wait
 * reason holds a ']', but a label's quoted key or value may: the state
 * ends at the first ']' or at " labels:{", whichever comes first.
 */
int
stk_parse_header(const char *l, size_t n, long *id, const char **st,
    size_t *stn)
{
	const char *e = l + n, *p, *ob, *cb, *lab;

	if (!PFX(l, n, "goroutine ") || n < 14 || !stk_isdig(l[10]) ||
	    l[n - 1] != ':')
		return 0;
	*id = stk_getnum(l + 10, e, &p);
	if (p >= e || *p != ' ')
		return 0;
	ob = memchr(p, '[', (size_t)(e - p));
	if (ob == NULL)
		return 0;
	cb = memchr(ob, ']', (size_t)(e - ob));
	lab = stk_find(ob, (size_t)(e - ob), " labels:{");
	if (lab != NULL && (cb == NULL || lab < cb)) {
		if (n < 3 || e[-2] != ']' || e[-3] != '}')
			return 0;
		cb = lab;
	} else if (cb == NULL || !(cb + 2 == e ||
	    (cb + 4 < e && cb[1] == ' ' && cb[2] == '{' && e[-2] == '}')))
		return 0;
	if (cb <= ob + 1)
		return 0;
	*st = ob + 1;
	*stn = (size_t)(cb - (ob + 1));
	return 1;
}

/* Lines that start something else: the block must end before them. */
int
stk_is_terminator(const char *l, size_t n)
{
	if (PFX(l, n, "# ") || PFX(l, n, "=== ") || PFX(l, n, "--- PASS") ||
	    PFX(l, n, "--- SKIP") || PFX(l, n, "ok  ") || EQ(l, n, "PASS") ||
	    PFX(l, n, "?   \t") || PFX(l, n, "go: ") ||
	    PFX(l, n, "go build ") || PFX(l, n, "WARNING: DATA RACE"))
		return 1;
	/* A compiler or vet diagnostic: "file.go:12:3: msg", "x.go:12: msg". */
	const char *c = memchr(l, ':', n);
	if (c != NULL && c > l + 3 && c + 1 < l + n && stk_isdig(c[1]) &&
	    l[0] != ' ' && l[0] != '\t') {
		const char *e = l + n, *p = c + 1;
		if (memchr(l, ' ', (size_t)(c - l)) != NULL)
			return 0;
		stk_getnum(p, e, &p);
		if (p < e && *p == ':' && p + 1 < e && stk_isdig(p[1]))
			stk_getnum(p + 1, e, &p);
		return p + 1 < e && p[0] == ':' && p[1] == ' ';
	}
	return 0;
}

/*
 * Goroutines: the one being read.  Its frames and text are kept in s->cur
 * and hashed on the fly; stack_bucket.c buckets it when it ends.
 */

static void
gor_init(struct gor *g)
{
	memset(g, 0, sizeof(*g));
	g->f = xmalloc(STK_MAXFRAMES * sizeof(*g->f));
	g->pend = -1;
}

static void
gor_free(struct gor *g)
{
	free(g->f);
	buf_free(&g->text);
}

/*
 * Cleans a header's bracket into the state kept for bucketing: the wait
 * ("3 minutes") goes to wait, " (scan)" (a GC moment) and "synctest
 * group N" / "synctest bubble N" (ids) are dropped, the rest
 * ("chan receive", "running, locked to thread") kept.
 */
void
stk_gor_start(struct stk *s, long id, const char *st, size_t n)
{
	struct gor *g = &s->cur;
	const char *p = st, *e = st + n;

	g->nf = 0;
	g->pend = -1;
	g->text.len = 0;
	g->id = id;
	g->wait = -1;
	g->score = 0;
	while (p < e) {
		const char *c = stk_find(p, (size_t)(e - p), ", ");
		const char *pe = c != NULL ? c : e, *q;
		size_t m = (size_t)(pe - p);
		long v = stk_getnum(p, pe, &q);
		if (q > p && EQ(q, (size_t)(pe - q), " minutes"))
			g->wait = v;
		else if (!PFX(p, m, "synctest group ") &&
		    !PFX(p, m, "synctest bubble ")) {
			if (m >= 7 && memcmp(pe - 7, " (scan)", 7) == 0)
				m -= 7;
			if (g->text.len > 0)
				buf_add(&g->text, ", ", 2);
			buf_add(&g->text, p, m);
		}
		p = c != NULL ? c + 2 : e;
	}
	if (g->text.len == 0)
		buf_add(&g->text, "unknown", 7);
	g->slen = (uint32_t)g->text.len;
	g->h = stk_khash(0x51ab1e, g->text.p, g->text.len);
	s->in_gor = 1;
	s->seen_gor = 1;
	s->created = 0;
	s->ancestor = 0;
	s->where = W_STACK;
}

void
stk_gor_func(struct stk *s, const char *fn, size_t n)
{
	struct gor *g = &s->cur;

	if (s->ancestor || !s->in_gor)
		return;
	g->h = stk_khash(g->h, fn, n);
	if (g->nf >= STK_MAXFRAMES) {
		g->pend = -2;
		return;
	}
	struct sframe *f = &g->f[g->nf];
	if (n > STK_MAXTEXT)
		n = STK_MAXTEXT;
	f->func = (uint32_t)g->text.len;
	f->flen = (uint32_t)n;
	f->file = 0;
	f->filelen = 0;
	f->line = 0;
	buf_add(&g->text, fn, n);
	g->pend = g->nf++;
}

void
stk_gor_file(struct stk *s, const char *p, size_t n, long line)
{
	struct gor *g = &s->cur;

	if (s->created) {
		s->created = 0;
		return;
	}
	if (s->ancestor || !s->in_gor || g->pend == -1)
		return;
	/*
	 * The line, not the path: within one dump a function's file is
	 * always the same, and hashing paths would double the cost.
	 */
	g->h = (g->h ^ (uint64_t)line) * 0x9e3779b97f4a7c15ULL;
	g->h ^= g->h >> 32;
	if (g->pend >= 0) {
		struct sframe *f = &g->f[g->pend];
		if (n > STK_MAXTEXT)
			n = STK_MAXTEXT;
		f->file = (uint32_t)g->text.len;
		f->filelen = (uint32_t)n;
		f->line = line;
		buf_add(&g->text, p, n);
	}
	g->pend = -1;
}

/*
 * A goroutine printed without a headline is a failure only when it is a
 * recovered panic's stack that the program logged: runtime/debug.Stack
 * (or debug.PrintStack) on top and the panic machinery ("panic", the
 * runtime's name for gopanic) below the deferred function that called it.
 * runtime.Stack forces traceback level 1 whatever GOTRACEBACK says, so the
 * runtime frames between that "panic" and the faulting frame never show:
 * the panic's kind comes from the frame rules when they do, else from the
 * logged value when a "panic: VALUE" headline came first.
 * A PrintStack without a panic is a program looking at its own stack on
 * purpose (a debug aid, a "how did we get here" log): no failure, so no
 * event; nor is any other bare goroutine (runtime.Stack(buf, true) served
 * by a debug endpoint), which is what the filter always did with them.
 * Decides stk_verdict for the first goroutine's frame fn[0..n); returns 0
 * when the block is no failure and must end before this line.
 */
static int
bare_frame(struct stk *s, const char *fn, size_t n)
{
	if (s->have_fail || s->ngor > 0 || s->cur.id < 0)
		return 1;
	if (s->cur.nf == 0 && !EQ(fn, n, "runtime/debug.Stack")) {
		s->verdict = 0;
		return 0;
	}
	if (EQ(fn, n, "panic"))
		s->verdict = 1;
	return 1;
}

/*
 * The block's lines.
 */

static enum stk_rc
foreign(struct stk *s)
{
	int ok = 0;

	switch (s->where) {
	case W_HEAD:
		ok = s->head_blank;
		break;
	case W_STACK:
		ok = s->cur.pend != -1 || s->created || s->cur.nf == 0;
		break;
	case W_BETWEEN:
		/*
		 * The runtime never ends a dump with a blank line; the
		 * compiler's ICE does (FatalfAt prints one after debug.Stack),
		 * and prints one goroutine only.
		 */
		ok = s->seen_gor && s->mode != MD_ICE;
		break;
	default:
		break;
	}
	if (!ok || s->foreign >= STK_MAXFOREIGN)
		return STK_END;
	s->foreign++;
	return STK_TAKE;
}

static enum stk_rc
tab_line(struct stk *s, const char *l, size_t n)
{
	const char *p = l + 1;
	size_t m = n - 1, pl;
	long line;

	switch (s->where) {
	case W_HEAD:
		if (s->head_blank && s->mode != MD_ICE)
			return foreign(s);
		if (PFX(p, m, "panic: ")) {
			stk_take_panic(s, p + 7, m - 7);
			break;
		}
		stk_mark_recovered(s, l, n);
		if (s->tmo && EQ(p, m, "running tests:")) {
			s->in_running = 1;
		} else if (s->in_running && p[0] == '\t' &&
		    s->ntests < STK_MAXTESTS) {
			/* "\t\tTestX/sub (2s)". */
			size_t k = 1;
			while (k < m && p[k] != ' ')
				k++;
			stk_setstr(s->tests[s->ntests++], STK_TESTNAME, p + 1,
			    k - 1);
		}
		break;
	case W_STACK:
		if ((pl = stk_parse_file(p, m, &line)) > 0)
			stk_gor_file(s, p, pl, line);
		else if (s->cur.pend != -1 && (pl = parse_cut_file(p, m)) > 0)
			stk_gor_file(s, p, pl, 0);
		/* Else "goroutine running on other thread", "stack=[..". */
		break;
	default:
		return foreign(s);
	}
	s->foreign = 0;
	return STK_TAKE;
}

static enum stk_rc
on_blank(struct stk *s)
{
	switch (s->where) {
	case W_HEAD:
		s->head_blank = 1;
		return STK_TAKE;
	case W_STACK:
		stk_gor_end(s);
		s->where = W_BETWEEN;
		return STK_TAKE;
	case W_BETWEEN:
	case W_REGS:
		s->where = W_BETWEEN;
		return STK_TAKE;
	default:
		return STK_END;
	}
}

enum stk_rc
stk_feed(struct stk *s, const char *l, size_t n)
{
	size_t fl, k;
	long line;
	int r;

	n = stk_rtrim(l, n);
	if (s->verdict == 0)
		return STK_END;
	if (s->mode == MD_RACE)
		return stk_race_line(s, l, n);
	if (n == 0)
		return on_blank(s);
	if (s->where == W_DONE)
		return EQ(l, n, "FAIL") ? STK_TAKE : STK_END;

	/* The hot path of a dump: function lines and file lines. */
	if (l[0] == '\t')
		return tab_line(s, l, n);
	if (s->where == W_STACK) {
		if ((l[n - 1] == ')' && (fl = stk_parse_func(l, n)) > 0) ||
		    (s->cur.pend == -1 && (fl = parse_cut_func(l, n)) > 0)) {
			if (s->verdict < 0 && !bare_frame(s, l, fl))
				return STK_END;
			stk_gor_func(s, l, fl);
			goto known;
		}
		if (PFX(l, n, "created by ")) {
			s->created = 1;
			goto known;
		}
		if (PFX(l, n, "...") && n > 3)
			/* "...additional frames elided...", "...N frames elided..." */
			goto known;
		if (PFX(l, n, "[originating from goroutine ")) {
			s->ancestor = 1;
			goto known;
		}
		if (l[0] == ' ') {
			/* A log shipper that turned the tab into spaces. */
			for (k = 0; k < n && l[k] == ' '; k++)
				;
			if ((fl = stk_parse_file(l + k, n - k, &line)) > 0) {
				stk_gor_file(s, l + k, fl, line);
				goto known;
			}
			if (s->cur.pend != -1 &&
			    (fl = parse_cut_file(l + k, n - k)) > 0) {
				stk_gor_file(s, l + k, fl, 0);
				goto known;
			}
		}
	}
	r = stk_common_line(s, l, n);
	if (r > 0)
		goto known;
	if (r < 0 || stk_is_terminator(l, n))
		return STK_END;
	if (s->where == W_HEAD && (!s->head_blank ||
	    (s->mode == MD_ICE && s->head_lines < STK_ICELINES))) {
		/*
		 * The panic value's lines, a hex dump; for an ICE the
		 * message paragraphs ("panic during ... while compiling").
		 */
		s->head_lines++;
		stk_mark_recovered(s, l, n);
		return STK_TAKE;
	}
	return foreign(s);
known:
	s->foreign = 0;
	return STK_TAKE;
}

/*
 * stk_feed for the lines a goroutine dump is made of, taken only where
 * stk_feed is sure to take them, in the order it tests them: a frame's
 * file line, its function line, "created by", a goroutine header, the
 * blank line between goroutines.  Anything else is left untouched.
 */
int
stk_feed_hot(struct stk *s, const char *l, size_t n)
{
	size_t fl, stn;
	long id;
	const char *st;

	n = stk_rtrim(l, n);
	if (s->verdict == 0 || s->mode == MD_RACE || s->where == W_DONE)
		return 0;
	if (n == 0) {
		if (s->where != W_STACK && s->where != W_BETWEEN &&
		    s->where != W_REGS)
			return 0;
		return on_blank(s) == STK_TAKE;
	}
	if (l[0] == '\t')
		return s->where == W_STACK && tab_line(s, l, n) == STK_TAKE;
	if (s->where == W_STACK) {
		if ((l[n - 1] == ')' && (fl = stk_parse_func(l, n)) > 0) ||
		    (s->cur.pend == -1 && (fl = parse_cut_func(l, n)) > 0)) {
			/* An undecided bare header's first frame decides: not here. */
			if (s->verdict < 0)
				return 0;
			stk_gor_func(s, l, fl);
			s->foreign = 0;
			return 1;
		}
		if (PFX(l, n, "created by ")) {
			s->created = 1;
			s->foreign = 0;
			return 1;
		}
		if (PFX(l, n, "...") || PFX(l, n, "[originating from goroutine ") ||
		    l[0] == ' ')
			return 0;
	} else if (s->where != W_BETWEEN) {
		return 0;
	}
	/* stk_common_line's goroutine header, below W_TAIL. */
	if (l[0] == 'g' && stk_parse_header(l, n, &id, &st, &stn)) {
		stk_gor_end(s);
		stk_gor_start(s, id, st, stn);
		s->foreign = 0;
		return 1;
	}
	return 0;
}

/*
 * API.
 */

struct stk *
stk_new(void)
{
	struct stk *s = xcalloc(1, sizeof(*s));

	gor_init(&s->cur);
	gor_init(&s->fail);
	s->recovered = -1;
	return s;
}

void
stk_free(struct stk *s)
{
	if (s == NULL)
		return;
	gor_free(&s->cur);
	gor_free(&s->fail);
	free(s->b);
	free(s->bf);
	buf_free(&s->btext);
	buf_free(&s->lastp);
	free(s);
}

int
stk_verdict(const struct stk *s)
{
	return s->verdict;
}

/*
 * Finishing: normalised frames, buckets, fields; then fingerprint.c's
 * part, which reads the frames.
 */

void
stk_finish(struct stk *s, struct event *ev, struct arena *a)
{
	stk_gor_end(s);
	if (s->have_fail) {
		ev->stack = stk_norm_frames(s->fail.text.p, s->fail.f,
		    s->fail.nf, a);
		ev->nstack = s->fail.nf;
	}
	ev->ngoroutines = (int)s->ngor;
	if (s->ngor > 1 || s->nb > 1 || (s->mode == MD_RACE && s->nb > 0))
		stk_put_buckets(s, ev, a);

	if (s->recovered >= 0)
		ev->recovered = s->recovered;
	if (s->signal[0] != '\0' && ev->f[F_SIGNAL] == NULL)
		ev->f[F_SIGNAL] = arena_strndup(a, s->signal,
		    strlen(s->signal));
	if (s->addr[0] != '\0' && ev->f[F_ADDR] == NULL)
		ev->f[F_ADDR] = arena_strndup(a, s->addr, strlen(s->addr));
	if (s->have_fail && s->fail.id >= 0 && ev->f[F_GOROUTINE] == NULL)
		ev->f[F_GOROUTINE] = stk_arena_num(a, s->fail.id);
	/* A timeout's tests are the ones it lists as still running. */
	if (s->tmo && s->ntests > 0) {
		size_t len = 0;
		for (int t = 0; t < s->ntests; t++)
			len += strlen(s->tests[t]) + 1;
		char *names = arena_alloc(a, len), *q = names;
		for (int t = 0; t < s->ntests; t++) {
			if (t > 0)
				*q++ = ' ';
			size_t m = strlen(s->tests[t]);
			memcpy(q, s->tests[t], m);
			q += m;
		}
		*q = '\0';
		ev->f[F_TESTNAME] = names;
	}

	stk_finish_frames(s, ev, a);
}
