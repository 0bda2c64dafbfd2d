/*
 * gotest.c - the test tracker's reading of go test output (see gotest.h):
 * which test each line belongs to, each test's report, location and
 * output.  Holding and settling the events is gthold.c's.
 *
 * The formats are testing.go's and cmd/go's: a report line is
 * "--- FAIL: Name (0.00s)" (no time for a benchmark), indented four
 * spaces per subtest level, and the test's log lines ("file_test.go:12:
 * message", continuation lines four spaces further in) follow it indented
 * one level more; under -v the log lines stream between "=== RUN   Name",
 * "=== CONT  Name" and "=== NAME  Name" lines instead and the report
 * follows them.  The go command ends a package with "ok  \tpkg\t0.01s",
 * "FAIL\tpkg\t0.01s", "FAIL\tpkg [build failed]" or "[setup failed]".
 */
#include <stdlib.h>
#include <string.h>

#include "gtstate.h"

struct gt *
gt_new(const struct emit *down)
{
	struct gt *g = xcalloc(1, sizeof(*g));

	g->down = *down;
	g->cur = g->xtest = -1;
	g->seen = &g->own_seen;
	return g;
}

void
gt_share_seen(struct gt *g, struct gt *with)
{
	g->seen = with->seen;
}

void
gt_free(struct gt *g)
{
	if (g == NULL)
		return;
	gt_end(g);
	arena_free(&g->a);
	free(g->t);
	free(g->h);
	free(g->taken);
	free(g);
}

const struct gt_lit gt_lits[] = {
	{ "=== RUN ", 0 }, { "=== CONT ", 0 }, { "=== NAME ", 0 },
	{ "=== PAUSE ", 0 }, { "--- FAIL: ", 0 }, { "--- PASS: ", 0 },
	{ "--- SKIP: ", 0 }, { "PASS", 1 }, { "FAIL", 1 }, { "goos: ", 0 },
	{ NULL, 0 },
};

int
gt_marker(const char *s, size_t n)
{
	/* The markers' first bytes, for the lines that start with none. */
	static unsigned char first[256], ready;

	if (!ready) {
		for (const struct gt_lit *l = gt_lits; l->s != NULL; l++)
			first[(unsigned char)l->s[0]] = 1;
		ready = 1;
	}
	if (n == 0 || !first[(unsigned char)s[0]])
		return 0;
	for (const struct gt_lit *l = gt_lits; l->s != NULL; l++) {
		const size_t m = strlen(l->s);
		if (l->whole ? n == m && memcmp(s, l->s, m) == 0 :
		    n >= m && memcmp(s, l->s, m) == 0)
			return 1;
	}
	return 0;
}

int
gt_active(const struct gt *g)
{
	return g->active;
}

const char *
gt_current(const struct gt *g)
{
	const int t = g->explicit ? g->xtest : g->cur;

	return t >= 0 ? g->t[t].name : NULL;
}

/* --- tests ---------------------------------------------------------------- */

int
gt_find_test(const struct gt *g, const char *name, size_t n)
{
	for (int i = g->nt - 1; i >= 0; i--)
		if (g->t[i].nlen == n && memcmp(g->t[i].name, name, n) == 0)
			return i;
	return -1;
}

/* The test's index; -1 past GT_TESTS: its lines are the package's. */
int
gt_test_of(struct gt *g, const char *name, size_t n)
{
	int i = gt_find_test(g, name, n);

	if (i >= 0 || g->nt >= GT_TESTS)
		return i;
	if (g->nt == g->tcap) {
		g->tcap = g->tcap ? g->tcap * 2 : 16;
		g->t = xrealloc(g->t, (size_t)g->tcap * sizeof(*g->t));
	}
	struct gtest *t = &g->t[g->nt];
	memset(t, 0, sizeof(*t));
	t->name = arena_strndup(&g->a, name, n);
	t->nlen = n;
	t->ev = -1;
	g->bytes += n + sizeof(*t);
	return g->nt++;
}

void
gt_lines_add(struct gt *g, struct lines *l, const char *s, size_t n)
{
	if (l->n >= EV_OUTPUT_MAX || l->bytes + n > EV_OUTPUT_BYTES) {
		l->omitted++;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		const char **p = arena_alloc(&g->a, (size_t)l->cap * sizeof(*p));
		if (l->n > 0)
			memcpy(p, l->p, (size_t)l->n * sizeof(*p));
		l->p = p;
	}
	l->p[l->n++] = arena_strndup(&g->a, s, n);
	l->bytes += n;
	g->bytes += n + sizeof(char *);
}

const char *
gt_dup(struct gt *g, const char *s, size_t n)
{
	g->bytes += n + 1;
	return arena_strndup(&g->a, s, n);
}

static size_t
skip_spaces(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/*
 * "name_test.go:12: message": the location testing's decorate() puts
 * before a log line; returns 1 with the parts.
 */
static int
location(const char *s, size_t n, size_t *flen, size_t *lstart, size_t *llen,
    size_t *mstart)
{
	size_t i = 0;

	while (i < n && s[i] != ':' && s[i] != ' ' && s[i] != '\t')
		i++;
	if (i == n || s[i] != ':' || i < 8 || memcmp(s + i - 8, "_test.go", 8) != 0)
		return 0;
	size_t j = i + 1;
	while (j < n && s[j] >= '0' && s[j] <= '9')
		j++;
	if (j == i + 1 || j + 1 >= n || s[j] != ':' || s[j + 1] != ' ')
		return 0;
	*flen = i;
	*lstart = i + 1;
	*llen = j - i - 1;
	*mstart = j + 2;
	return 1;
}

/* One line of a test's own output, its indentation removed. */
static void
test_output(struct gt *g, struct gtest *t, const char *s, size_t n)
{
	size_t fl, ls, ll, ms;

	if (n == 0)
		return;
	t->own++;
	if (g->explicit && g->xerror)
		t->errors++;
	gt_lines_add(g, &t->out, s, n);
	if (t->first == NULL)
		t->first = gt_dup(g, s, n);
	if ((t->file == NULL || (g->xerror && t->efile == NULL)) &&
	    location(s, n, &fl, &ls, &ll, &ms)) {
		const char *f = gt_dup(g, s, fl), *l = gt_dup(g, s + ls, ll);
		const char *m = gt_dup(g, s + ms, n - ms);
		if (t->file == NULL)
			t->file = f, t->line = l, t->msg = m;
		if (g->xerror && t->efile == NULL)
			t->efile = f, t->eline = l, t->emsg = m;
	}
	static const char race[] = "race detected during execution of test";
	if (PFX(s, n, "testing.go:") && memmem(s, n, race, sizeof(race) - 1) != NULL)
		t->race = 1;
	if (EQ(s, n, "got:")) {
		t->example_part = 1;
	} else if (EQ(s, n, "want:")) {
		t->example_part = 2;
	} else if (t->example_part == 1 && t->got == NULL) {
		t->got = gt_dup(g, s, n);
	} else if (t->example_part == 2 && t->want == NULL) {
		t->want = gt_dup(g, s, n);
	}
	if (PFX(s, n, "Failing input written to ") && t->input == NULL)
		t->input = gt_dup(g, s + 25, n - 25);
	if (t->want_rerun) {
		t->rerun = gt_dup(g, s, n);
		t->want_rerun = 0;
	}
	if (EQ(s, n, "To re-run:"))
		t->want_rerun = 1;
}

/* --- lines ------------------------------------------------------------------ */

static void
package_output(struct gt *g, const char *s, size_t n)
{
	if (n > 0)
		gt_lines_add(g, &g->pkgout, s, n);
}

int
gt_summary(const char *s, size_t n)
{
	return PFX(s, n, "ok  \t") || PFX(s, n, "FAIL\t");
}

/* "ok  \tpkg\t...", "FAIL\tpkg\t...", "FAIL\tpkg [build failed]": the pkg. */
static int
summary(const char *s, size_t n, size_t *pstart, size_t *plen)
{
	size_t i;

	if (PFX(s, n, "ok  \t"))
		i = 5;
	else if (PFX(s, n, "FAIL\t"))
		i = 5;
	else if (PFX(s, n, "?   \t"))
		i = 5;
	else
		return 0;
	size_t j = i;
	while (j < n && s[j] != '\t' && s[j] != ' ')
		j++;
	if (j == i)
		return 0;
	*pstart = i;
	*plen = j - i;
	return 1;
}

static void
report_line(struct gt *g, const char *s, size_t n, size_t ind)
{
	const int fail = PFX(s + ind, n - ind, "--- FAIL: ");
	const int skip = PFX(s + ind, n - ind, "--- SKIP: ");
	const char *p = s + ind + 10, *end = s + n;
	const char *q = p;

	while (q < end && *q != ' ')
		q++;
	const int t = gt_test_of(g, p, (size_t)(q - p));
	if (t < 0)
		return;
	if (fail)
		g->t[t].failed = 1;
	else if (skip)
		g->t[t].skipped = 1;
	else
		g->t[t].passed = 1;
	/* " (0.00s)" */
	if (end - q > 4 && q[1] == '(' && end[-1] == ')' && end[-2] == 's' &&
	    g->t[t].elapsed == NULL)
		g->t[t].elapsed = gt_dup(g, q + 2, (size_t)(end - q - 4));
	if (g->explicit)
		return;
	if (g->chatty && t == g->cur)
		g->cur_done = 1;
	const int d = (int)(ind / 4);
	if (d < GT_DEPTH) {
		g->rep[d] = t;
		g->nrep = d + 1;
	}
	g->cur = t;
}

static void
keep_taken(struct gt *g, const char *raw, size_t rawlen, uint64_t lineno)
{
	if (g->ntaken == g->takencap) {
		g->takencap = g->takencap ? g->takencap * 2 : 16;
		g->taken = xrealloc(g->taken, (size_t)g->takencap * sizeof(*g->taken));
	}
	struct rawline *r = &g->taken[g->ntaken++];
	r->lineno = lineno;
	r->text = gt_dup(g, raw, rawlen);
	r->len = rawlen;
}

void
gt_line(struct gt *g, const char *s, size_t n, const char *raw, size_t rawlen,
    uint64_t lineno, int took)
{
	const int in_crash = took == GT_TOOK_CRASH;
	size_t ps, pl;

	if (g->drop_line != 0 && lineno == g->drop_line) {
		g->drop_line = 0;
		if (g->down.raw != NULL) {
			const struct rawline rl = { lineno, raw, rawlen };
			g->down.raw(g->down.arg, &rl);
		}
		return;
	}
	if (!g->active) {
		if (!gt_marker(s, n))
			return;
		g->active = 1;
	}
	if (took == GT_TOOK_TEST && g->down.raw != NULL)
		keep_taken(g, raw, rawlen, lineno);
	const unsigned idle = g->idle;
	g->idle = 0;
	const size_t ind = skip_spaces(s, n);
	const char *p = s + ind;
	const size_t m = n - ind;

	/* "=== ATTR  TestX key value" (go1.25 t.Attr): the test's attribute. */
	if (ind == 0 && PFX(p, m, "=== ATTR ")) {
		size_t k = 9 + skip_spaces(p + 9, m - 9), e = k;
		while (e < m && p[e] != ' ')
			e++;
		const int t = gt_test_of(g, p + k, e - k);
		if (!g->explicit && t >= 0)
			g->cur = t, g->cur_done = 0;
		if (t < 0 || e >= m || g->t[t].nattr >= GT_ATTRS)
			return;
		size_t ks = e + 1, ke = ks;
		while (ke < m && p[ke] != ' ')
			ke++;
		struct gtest *tt = &g->t[t];
		tt->attr_k[tt->nattr] = gt_dup(g, p + ks, ke - ks);
		tt->attr_v[tt->nattr++] = gt_dup(g, p + (ke < m ? ke + 1 : m),
		    ke < m ? m - ke - 1 : 0);
		return;
	}
	if (ind == 0 && (PFX(p, m, "=== RUN ") || PFX(p, m, "=== CONT ") ||
	    PFX(p, m, "=== NAME ") || PFX(p, m, "=== PAUSE "))) {
		size_t k = 4;
		while (k < m && p[k] != ' ')
			k++;
		k += skip_spaces(p + k, m - k);
		g->chatty = 1;
		if (!g->explicit && k < m) {
			g->cur = gt_test_of(g, p + k, m - k);
			g->cur_done = 0;
			g->nrep = 0;
		}
		return;
	}
	if (PFX(p, m, "--- FAIL: ") || PFX(p, m, "--- PASS: ") ||
	    PFX(p, m, "--- SKIP: ")) {
		report_line(g, s, n, ind);
		return;
	}
	if (ind == 0 && summary(p, m, &ps, &pl)) {
		gt_release(g, p + ps, pl);
		return;
	}
	/* Under -v a benchmark's name alone on a line starts its output. */
	if (ind == 0 && PFX(p, m, "Benchmark") && !g->explicit &&
	    memchr(p, ' ', m) == NULL && memchr(p, '\t', m) == NULL) {
		g->cur = gt_test_of(g, p, m);
		g->cur_done = 0;
		g->nrep = 0;
		g->chatty = 1;
		return;
	}
	if (ind == 0 && (EQ(p, m, "PASS") || EQ(p, m, "FAIL") ||
	    PFX(p, m, "exit status "))) {
		if (!g->explicit)
			g->cur = -1, g->nrep = 0;
		return;
	}
	int t;
	size_t strip = ind;
	if (!g->explicit && ind == 0 && g->cur >= 0 &&
	    PFX(g->t[g->cur].name, g->t[g->cur].nlen, "Example") &&
	    (g->t[g->cur].example_part || EQ(p, m, "got:"))) {
		/* An example's got: and want: blocks follow its report, unindented. */
		t = g->cur;
	} else if (g->explicit) {
		t = g->xtest;
		if (strip > 4)
			strip = 4;
	} else if (g->chatty) {
		/* After its report a test has no more lines (but its panic). */
		t = g->cur_done && !in_crash ? -1 : g->cur;
		if (strip > 4)
			strip = 4;
	} else {
		/* The deepest report the line is indented under. */
		int d = (int)(ind / 4) - 1;
		if (d >= g->nrep)
			d = g->nrep - 1;
		if (d >= 0) {
			t = g->rep[d];
			strip = (size_t)(d + 1) * 4;
		} else if (in_crash) {
			/* A panic right after its test's report is the test's. */
			t = g->cur;
		} else {
			t = g->cur = -1;
			g->nrep = 0;
		}
	}
	if (in_crash)
		return;
	if (t < 0) {
		package_output(g, p, m);
		g->idle = idle + 1;
		if (g->idle > GT_IDLE_LINES && !g->explicit)
			gt_release(g, NULL, 0);
	} else
		test_output(g, &g->t[t], s + strip, n - strip);
}

void
gt_set_pkg(struct gt *g, const char *pkg, size_t n)
{
	if (n >= sizeof(g->xpkg))
		n = sizeof(g->xpkg) - 1;
	memcpy(g->xpkg, pkg, n);
	g->xpkg[n] = '\0';
}

void
gt_set_test(struct gt *g, const char *test, size_t n)
{
	g->explicit = 1;
	g->active = 1;
	g->xtest = n > 0 ? gt_test_of(g, test, n) : -1;
}

void
gt_set_output_type(struct gt *g, const char *type, size_t n)
{
	if (n > 0)
		g->xerror_seen = 1;
	g->xerror = EQ(type, n, "error") || EQ(type, n, "error-continue");
}
