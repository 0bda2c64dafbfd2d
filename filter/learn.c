/*
 * learn.c - Go anchors behind prefixes, and the prefix shapes they teach
 * (see learn.h).
 */
#include <string.h>

#include "learn.h"
#include "prefilter.h"

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * Whether the anchor id at h in the raw JSON record [ls, le) makes its
 * decoded text worth a scan of its own: it sits behind something that may
 * be a prefix.  A record's escapes (\", \\, \t, docker's \u003c) are in
 * no anchor but the JSON ones, so an anchor in the decoded text shows in
 * the raw record too; one at the start of docker's log value needs no
 * scan, the line starts with it.
 */
int
learn_rec_anchor(int id, const char *ls, const char *le, const char *h)
{
	const char *v = ls + 1;

	if (anchor_lits[id].kind == A_JSON)
		return 0;
	if (le - ls > 8 && memcmp(ls, "{\"log\"", 6) == 0) {
		/* {"log":"...", or with the blanks another writer puts in */
		for (v = ls + 6; v < le && (*v == ' ' || *v == ':'); v++)
			;
		v += v < le && *v == '"';
	}
	/* A quoted value in a record of the log: stack=\"goroutine 1 ... */
	if (h - ls >= 3 && h[-1] == '"' && h[-2] == '\\')
		return 1;
	const char *a = learn_anchor_start(id, ls, le, h);
	return a != NULL && a > v;
}

/*
 * An anchor at h opens a quoted value: a logfmt one (key="...) or a JSON
 * one ("key":"...), a record that holds Go output.
 */
int
learn_quoted_anchor(const char *ls, const char *h)
{
	return h - ls >= 3 && h[-1] == '"' && (h[-2] == '=' || h[-2] == ':');
}

/* What ends a prefix's last token before Go text: a blank, "]", "|", ">". */
static int
token_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ']' || c == '|' ||
	    c == '>';
}

/* The start of the token that holds h, within [ls, h]. */
static const char *
token_start(const char *ls, const char *h)
{
	while (h > ls && !token_sep(h[-1]))
		h--;
	return h;
}

/*
 * Checks a literal found at h in the line [ls, le) and returns where the Go
 * text it starts begins (a file position starts at its path), or NULL.
 * [ls, le) may be a whole chunk: a newline ends the line too.
 */
const char *
learn_anchor_start(int id, const char *ls, const char *le, const char *h)
{
	const char *p;

	const enum anchor kind = anchor_lits[id].kind;
	const size_t litn = strlen(anchor_lits[id].s);
	if (kind == A_JSON && anchor_lits[id].s[0] != '{') {
		const char *br = strchr(anchor_lits[id].s, '{');
		return h + (br != NULL ? (size_t)(br - anchor_lits[id].s) : litn);
	}
	if (kind == A_JSON)
		return h == ls || h[-1] == ' ' || h[-1] == '\n' ? h : NULL;
	/*
	 * A tool's path before "link: ", "cgo: ", a symbol before ":
	 * relocation target": the Go text starts with that token.
	 */
	if ((kind == A_WEAK && h > ls && h[-1] == '/') || kind == A_TOKEN ||
	    kind == A_CMD) {
		return token_start(ls, h);
	}
	/*
	 * A headline starts a token: "xpanic: " is no panic.  A logfmt
	 * value's quote (stack="goroutine 1 [running]:\n...") starts one too;
	 * the caller decodes that line as a record (quoted_anchor).
	 */
	if (kind != A_POS && h > ls && !token_sep(h[-1]) &&
	    !learn_quoted_anchor(ls, h))
		return NULL;
	switch (kind) {
	case A_GOROUTINE:
		p = h + litn;
		if (p >= le || !is_digit((unsigned char)*p))
			return NULL;
		while (p < le && is_digit((unsigned char)*p))
			p++;
		return p + 1 < le && p[0] == ' ' && p[1] == '[' ? h : NULL;
	case A_POS:
		/* ".go:" then L:C: : back to the path's start. */
		p = h + 4;
		if (p >= le || !is_digit((unsigned char)*p))
			return NULL;
		while (p < le && is_digit((unsigned char)*p))
			p++;
		if (p >= le || *p != ':' || p + 1 >= le || !is_digit((unsigned char)p[1]))
			return NULL;
		p++;
		while (p < le && is_digit((unsigned char)*p))
			p++;
		if (p + 1 >= le || p[0] != ':' || p[1] != ' ')
			return NULL;
		return token_start(ls, h);
	default:
		return h;
	}
}

/*
 * A prefix that no rule knows is learned only when it looks like a
 * collector's tag (a time, a bracket, a pipe, a step number) and holds none
 * of the characters of a log message's key=value or quoted text.
 */
static int
generic_prefix(const char *p, size_t n)
{
	int sig = 0, toks = 0, in_tok = 0;

	if (n == 0 || n > 64 || p[n - 1] != ' ')
		return 0;
	for (size_t i = 0; i < n; i++) {
		const unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == '=' || c == '"' || c == '\'' || c == '(' ||
		    c == ')' || c == '{' || c == '}' || c == ',' || c == ';')
			return 0;
		if (is_digit(c) || c == '[' || c == ']' || c == '|' || c == '>' ||
		    c == '#')
			sig = 1;
		if (c == ' ') {
			in_tok = 0;
		} else if (!in_tok) {
			in_tok = 1;
			toks++;
		}
	}
	return sig && toks <= 4;
}

static int
all_spaces(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ')
			return 0;
	return n > 0;
}

/* "| ", "> ", "  | ": a log pasted into an issue or a mail. */
static int
quote_prefix(const char *p, size_t n)
{
	int mark = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '|' || p[i] == '>')
			mark = 1;
		else if (p[i] != ' ')
			return 0;
	}
	return mark;
}

/* The line after [.., le) within the chunk, skipping empty ones. */
static const char *
next_line(const char *le, const char *end, const char **nle)
{
	const char *p = le;

	while (p < end) {
		if (*p == '\n')
			p++;
		if (p >= end)
			return NULL;
		const char *q = memchr(p, '\n', (size_t)(end - p));
		q = q ? q : end;
		if (q > p && !(q == p + 1 && *p == '\r')) {
			*nle = q;
			return p;
		}
		p = q;
	}
	return NULL;
}

/*
 * A panic or fatal error behind a prefix is Go's only when a trace follows
 * within a few lines (with or without the same prefix; another stream's
 * lines, sid0's or the shape sh's being learned, do not count): a service
 * that logs "panic: ..." as a message is not crashing.  Returns 1, 0, -1
 * when the chunk ends right after the line (a pipe delivering a line at a
 * time), or -2 when it ends a few lines later, undecided (a read that
 * ended after the blank line below a headline).  Learning a prefix takes
 * -2 for no: it wants the trace in sight.
 */
int
learn_trace_follows(struct uw *u, const struct shape *sh, int sid0, const char *le,
    const char *end)
{
	const char *p = le, *q;

	for (int k = 0; k < LOOKAHEAD; k++) {
		if ((p = next_line(p, end, &q)) == NULL)
			return k == 0 ? -1 : -2;
		size_t n = (size_t)(q - p);
		int sid = 0, partial = 0;
		const char *t = NULL;
		size_t tn = 0, m;
		if (sh != NULL && (m = shape_match(sh, p, n, NULL, NULL)) > 0) {
			p += m;
			n -= m;
		} else {
			m = learn_strip(u, p, n, &sid, &t, &tn, &partial);
			/* Another stream's line says nothing about this one's. */
			if (sid != 0 && (sh != NULL || sid != sid0)) {
				p = q;
				continue;
			}
			p += m;
			n -= m;
		}
		/*
		 * Another headline owns what follows it; and "panic: " does not
		 * confirm: a log with many such messages would confirm itself.
		 */
		if (uw_starts(p, n, "panic: ") || uw_starts(p, n, "fatal error: ") ||
		    (uw_starts(p, n, "SIG") && memmem(p, n, ": ", 2) != NULL) ||
		    uw_starts(p, n, "# ") || uw_starts(p, n, "<unknown line number>") ||
		    uw_starts(p, n, "WARNING: DATA RACE") || uw_starts(p, n, "--- FAIL") ||
		    uw_starts(p, n, "http: panic serving ") ||
		    uw_starts(p, n, "http2: panic serving "))
			return 0;
		if (uw_starts(p, n, "goroutine ") || uw_starts(p, n, "[signal ") ||
		    uw_starts(p, n, "\tpanic: ") || uw_starts(p, n, "runtime: ") ||
		    uw_starts(p, n, "runtime."))
			return 1;
		p = q;
	}
	return 0;
}

/* For learning a prefix: no trace in sight, decided or not (-2). */
static int
no_trace(int tf)
{
	return tf == 0 || tf == -2;
}

static int
add_shape(struct uw *u, const struct shape *sh, int sid)
{
	for (int i = 0; i < u->nsh; i++)
		if (shape_eq(&u->sh[i].sh, sh))
			return i;
	if (u->nsh == MAX_SHAPES)
		return -1;
	u->sh[u->nsh].sh = *sh;
	u->sh[u->nsh].stream = sid;
	u->has_cont |= sh->partial == PART_CONT;
	u->shape_streams |= sid != 0;
	return u->nsh++;
}

/*
 * A record tag at element at of sh that is on (the line goes on, flag) or
 * off: the same prefix with the other tag is the same stream's too.
 */
static void
add_other_tag(struct uw *u, const struct shape *sh, int sid, int at, char on,
    char off, int flag)
{
	struct shape o = *sh;

	if (at < 0 || (o.el[at] != (unsigned char)on &&
	    o.el[at] != (unsigned char)off))
		return;
	o.partial = sh->partial ? 0 : flag;
	o.el[at] = (unsigned char)(o.partial ? on : off);
	add_shape(u, &o, sid);
}

/* Bytes that no collector's or log package's prefix holds. */
static inline int
no_prefix_byte(char c)
{
	switch (c) {
	case '\t': case '$': case '\'': case '"': case '=': case '`':
	case '{': case '}': case ';': case '\0':
		return 1;
	}
	return 0;
}

/*
 * The text before an anchor at a (an offset into s) is a prefix: learns
 * its shapes, the known ones by the prefix rules (several may stack: a
 * CRI record holding a log package's line), an unknown one when the next
 * line confirms it.  Returns 1 when the line now has a shape.
 */
int
learn_prefix(struct uw *u, const char *s, size_t n, size_t a, enum anchor kind,
    const char *le, const char *end)
{
	size_t off = 0;
	int learned = 0, later = 0;

	/*
	 * Go's own indentation is tabs (frames, nested panics, notes); a
	 * shell command line (-x) with "# comment" or a quoted "# import
	 * config" holds what no collector's prefix does.
	 */
	if (a > SHAPE_MAX - 8)
		return 0;
	for (size_t i = 0; i < a; i++)
		if (no_prefix_byte(s[i]))
			return 0;
	/*
	 * The same text before the same kind of anchor again, after it taught
	 * nothing: no regex calls.
	 */
	if (a == u->miss_len && (int)kind == u->miss_kind &&
	    memcmp(s, u->miss, a) == 0)
		return 0;
	for (int depth = 0; depth < 3 && off < a; depth++) {
		const char *p = s + off;
		const size_t pn = n - off, pa = a - off;
		int found = 0;
		for (int k = 0; k < u->nprefix && !found; k++) {
			const struct rule *r = &u->rs->r[u->prefix_idx[k]];
			struct re_caps caps;
			if (!rule_ready(r))
				continue;
			size_t cut = pn < 512 ? pn : 512;
			if (re_search(r->re, p, cut, &caps) != RE_MATCH ||
			    caps.beg[0] != 0 || (size_t)caps.end[0] > pa ||
			    caps.end[0] == 0)
				continue;
			long ka = -1, kb = -1, ta = -1, tb = -1;
			for (int g = 1; g < caps.n; g++) {
				if (caps.beg[g] < 0)
					continue;
				if (r->capfield[g] == F_STREAM) {
					ka = caps.beg[g];
					kb = caps.end[g];
				} else if (r->capfield[g] == F_TIME) {
					ta = caps.beg[g];
					tb = caps.end[g];
				}
			}
			struct shape sh;
			if (shape_make(&sh, p, (size_t)caps.end[0], ka, kb, ta, tb) != 0)
				continue;
			/*
			 * A logged "panic: ..." teaches nothing.  Known prefixes
			 * stack (compose's, then the time docker logs -t adds): the
			 * trace is looked for behind the whole prefix, once the
			 * layer that ends at the anchor is found.
			 */
			struct shape whole;
			if (kind == A_PANIC && off + (size_t)caps.end[0] >= a &&
			    no_trace(learn_trace_follows(u, off > 0 &&
			    shape_make(&whole, s, a, -1, -1, -1, -1) == 0 ? &whole : &sh,
			    0, le, end)))
				return learned;
			/*
			 * A CRI record of a line that goes on: tag P; a GitLab
			 * record that goes on with the line before it: flag '+'.
			 * Both forms of the stream are learned from either.
			 */
			const int cri = strstr(r->id, "cri") != NULL;
			const int gl = strstr(r->id, "gitlab") != NULL;
			const size_t ce = (size_t)caps.end[0];
			sh.partial = cri && ce >= 3 && p[ce - 2] == 'P' &&
			    p[ce - 3] == ' ' ? PART_CRI :
			    gl && p[ce - 1] == '+' ? PART_CONT : 0;
			int sid = ka >= 0 ? uw_stream_get(u, p + ka, (size_t)(kb - ka)) : 0;
			if (add_shape(u, &sh, sid) >= 0)
				learned = 1;
			if (cri)
				add_other_tag(u, &sh, sid, sh.n - 2, 'P', 'F', PART_CRI);
			else if (gl)
				add_other_tag(u, &sh, sid, sh.n - 1, '+', ' ', PART_CONT);
			off += (size_t)caps.end[0];
			found = 1;
		}
		if (found)
			continue;
		/*
		 * Indentation or a quote before a known prefix (a service's log
		 * pasted into an issue): learn it as a layer of its own.
		 */
		size_t lead = 0;
		while (lead < pa && (p[lead] == ' ' || p[lead] == '|' || p[lead] == '>'))
			lead++;
		if (lead > 0 && lead < pa && p[lead - 1] == ' ') {
			struct shape qs;
			const char *qe;
			const char *nl = next_line(le, end, &qe);
			if (shape_make(&qs, p, lead, -1, -1, -1, -1) == 0 &&
			    (nl == NULL || shape_match(&qs, nl, (size_t)(qe - nl),
			    NULL, NULL) > 0) && !(u->bare_anchor && all_spaces(p, lead))) {
				if (add_shape(u, &qs, 0) >= 0)
					learned = 1;
				off += lead;
				continue;
			}
		}
		/* Unknown: indentation, quotes, or a collector's tag. */
		const int spaces = all_spaces(p, pa);
		const int quote = spaces || quote_prefix(p, pa);
		if (((kind == A_WEAK || kind == A_JSON || kind == A_CMD) && !quote) ||
		    (kind == A_TEST && spaces) ||
		    (spaces && u->bare_anchor) || (!spaces && !generic_prefix(p, pa)))
			break;
		struct shape sh;
		const char *q;
		const char *nl = next_line(le, end, &q);
		/*
		 * The next line must carry it too; an indented or quoted paste
		 * may be a single line.
		 */
		if (shape_make(&sh, p, pa, -1, -1, -1, -1) != 0)
			break;
		/*
		 * What follows decides these: the same text may teach at a
		 * later anchor (the line after it carries it, a trace
		 * follows), so such a miss is not remembered.
		 */
		if ((nl == NULL && !quote) || (nl != NULL &&
		    shape_match(&sh, nl, (size_t)(q - nl), NULL, NULL) == 0) ||
		    (kind == A_PANIC && no_trace(learn_trace_follows(u, &sh, 0, le, end)))) {
			later = 1;
			break;
		}
		if (add_shape(u, &sh, 0) >= 0)
			learned = 1;
		break;
	}
	if (!learned && !later && a <= sizeof(u->miss)) {
		memcpy(u->miss, s, a);
		u->miss_len = a;
		u->miss_kind = (int)kind;
	}
	return learned;
}

/*
 * Removes the prefixes whose shapes the line has (at most three layers),
 * sets the stream and the time they gave; returns the number of bytes
 * removed.
 */
size_t
learn_strip(struct uw *u, const char *s, size_t n, int *sid, const char **t,
    size_t *tn, int *partial)
{
	size_t off = 0;
	unsigned used = 0;

	for (int layer = 0; layer < 3; layer++) {
		int hit = 0;
		for (int i = 0; i < u->nsh; i++) {
			size_t tb = 0, te = 0;
			const struct ushape *us = &u->sh[i];
			/* Each shape once: indentation inside an indented paste stays. */
			if (used >> i & 1)
				continue;
			const size_t m = shape_match(&us->sh, s + off, n - off, &tb, &te);
			if (m == 0)
				continue;
			if (*sid == 0)
				*sid = us->stream;
			if (*tn == 0 && us->sh.time_a >= 0 && te > tb) {
				*t = s + off + tb;
				*tn = te - tb;
			}
			*partial |= us->sh.partial;
			used |= 1u << i;
			off += m;
			hit = 1;
			break;
		}
		if (!hit)
			break;
	}
	return off;
}

