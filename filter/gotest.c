/*
 * gotest.c - go test's structure around the classifier's events (see
 * gotest.h).
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

#include "gotest.h"
#include "stack.h"
#include "util.h"

#define GT_SEEN 64          /* packages with events lately, for summaries */
#define GT_DEPTH 16         /* report nesting followed */
#define GT_ATTRS 16         /* attributes kept per test */

#define PFX(l, n, lit) \
	((n) >= sizeof(lit) - 1 && memcmp((l), (lit), sizeof(lit) - 1) == 0)
#define EQ(l, n, lit) \
	((n) == sizeof(lit) - 1 && memcmp((l), (lit), sizeof(lit) - 1) == 0)

struct lines {
	const char **p;
	int n, cap;
	long omitted;
	size_t bytes;
};

struct gtest {
	const char *name;
	size_t nlen;
	int failed, race, own, folded;
	int errors;                 /* -json OutputType error lines */
	const char *elapsed;
	struct lines out;
	const char *file, *line, *msg;      /* its first location line */
	const char *efile, *eline, *emsg;   /* the first marked an error (-json) */
	const char *first;                  /* its first own line */
	const char *got, *want;             /* an example's first lines */
	int example_part;                   /* 1 after got:, 2 after want: */
	const char *input, *rerun;
	int want_rerun;
	const char *attr_k[GT_ATTRS], *attr_v[GT_ATTRS];   /* t.Attr */
	int nattr;
	int ev;                             /* its held test event, or -1 */
};

struct held {
	int raw, flags, drop;
	struct event ev;
	struct rawline rl;
};

/* Packages that had events lately: a summary after them says nothing new. */
struct gt_seen {
	uint64_t h[GT_SEEN];
	int n, pos;
};

struct gt {
	struct emit down;
	struct arena a;             /* the open package's tests and copies */
	int active, chatty;
	struct gtest *t;
	int nt, tcap;
	int cur;                    /* the test of the next line, -1 none */
	int rep[GT_DEPTH];          /* the report open at each depth, plain text */
	int nrep;
	int explicit, xtest;        /* -json: the record's test */
	int xerror, xerror_seen;    /* its OutputType is error; any had one */
	char xpkg[512];
	struct held *h;
	int nh, hcap;
	size_t bytes;
	struct lines pkgout;        /* lines that belong to no test */
	/*
	 * Under -p, the lines of events that may be dropped, so that they
	 * are passed through then.
	 */
	struct rawline *taken;
	int ntaken, takencap;
	uint64_t drop_line;         /* a summary line dropped before it came */
	struct gt_seen own_seen, *seen;
};

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

static void release(struct gt *g, const char *pkg, size_t plen);

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

int
gt_marker(const char *s, size_t n)
{
	return PFX(s, n, "=== RUN ") || PFX(s, n, "=== CONT ") ||
	    PFX(s, n, "=== NAME ") || PFX(s, n, "=== PAUSE ") ||
	    PFX(s, n, "--- FAIL: ") || PFX(s, n, "--- PASS: ") ||
	    PFX(s, n, "--- SKIP: ") || EQ(s, n, "PASS") || EQ(s, n, "FAIL") ||
	    PFX(s, n, "goos: ");
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

static uint64_t
pkg_hash(const char *p, size_t n)
{
	return hash_fnv1a64(FNV64_INIT, p, n);
}

static void
seen_add(struct gt *g, const char *pkg)
{
	struct gt_seen *s = g->seen;
	const uint64_t h = pkg_hash(pkg, strlen(pkg));

	for (int i = 0; i < s->n; i++)
		if (s->h[i] == h)
			return;
	s->h[s->pos] = h;
	s->pos = (s->pos + 1) % GT_SEEN;
	if (s->n < GT_SEEN)
		s->n++;
}

static int
seen_has(const struct gt *g, const char *pkg)
{
	const struct gt_seen *s = g->seen;
	const uint64_t h = pkg_hash(pkg, strlen(pkg));

	for (int i = 0; i < s->n; i++)
		if (s->h[i] == h)
			return 1;
	return 0;
}

/* --- tests ---------------------------------------------------------------- */

static int
find_test(const struct gt *g, const char *name, size_t n)
{
	for (int i = g->nt - 1; i >= 0; i--)
		if (g->t[i].nlen == n && memcmp(g->t[i].name, name, n) == 0)
			return i;
	return -1;
}

/* The test's index; -1 past GT_TESTS: its lines are the package's. */
static int
test_of(struct gt *g, const char *name, size_t n)
{
	int i = find_test(g, name, n);

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

static void
lines_add(struct gt *g, struct lines *l, const char *s, size_t n)
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

static const char *
dup(struct gt *g, const char *s, size_t n)
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
	lines_add(g, &t->out, s, n);
	if (t->first == NULL)
		t->first = dup(g, s, n);
	if ((t->file == NULL || (g->xerror && t->efile == NULL)) &&
	    location(s, n, &fl, &ls, &ll, &ms)) {
		const char *f = dup(g, s, fl), *l = dup(g, s + ls, ll);
		const char *m = dup(g, s + ms, n - ms);
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
		t->got = dup(g, s, n);
	} else if (t->example_part == 2 && t->want == NULL) {
		t->want = dup(g, s, n);
	}
	if (PFX(s, n, "Failing input written to ") && t->input == NULL)
		t->input = dup(g, s + 25, n - 25);
	if (t->want_rerun) {
		t->rerun = dup(g, s, n);
		t->want_rerun = 0;
	}
	if (EQ(s, n, "To re-run:"))
		t->want_rerun = 1;
}

/* --- holding ---------------------------------------------------------------- */

static struct held *
held_new(struct gt *g)
{
	if (g->nh == g->hcap) {
		g->hcap = g->hcap ? g->hcap * 2 : 64;
		g->h = xrealloc(g->h, (size_t)g->hcap * sizeof(*g->h));
	}
	struct held *h = &g->h[g->nh++];
	memset(h, 0, sizeof(*h));
	return h;
}

static void
check_bound(struct gt *g)
{
	if (g->nh >= GT_HELD || g->bytes >= GT_HELD_BYTES)
		release(g, NULL, 0);
}

void
gt_raw(struct gt *g, const struct rawline *rl)
{
	if (g->down.raw == NULL)
		return;
	if (!g->active) {
		g->down.raw(g->down.arg, rl);
		return;
	}
	struct held *h = held_new(g);
	h->raw = 1;
	h->rl = *rl;
	h->rl.text = dup(g, rl->text, rl->len);
	g->bytes += sizeof(*h);
	check_bound(g);
}

static int
is_crash(const struct event *ev)
{
	const char *c = ev->f[F_CLASS];

	return c != NULL && (strcmp(c, "panic") == 0 || strcmp(c, "fatal") == 0 ||
	    strcmp(c, "signal") == 0 || strcmp(c, "race") == 0);
}

static int
is_test_failure(const struct event *ev)
{
	return ev->f[F_CLASS] != NULL && strcmp(ev->f[F_CLASS], "test_failure") == 0;
}

/* A test binary's crash: the testing package is on its stack. */
static int
in_test_binary(const struct event *ev)
{
	for (int i = 0; i < ev->nstack; i++)
		if (strncmp(ev->stack[i].func, "testing.", 8) == 0)
			return 1;
	for (int i = 0; i < ev->ngr; i++)
		for (int k = 0; k < ev->gr[i].nstack; k++)
			if (strncmp(ev->gr[i].stack[k].func, "testing.", 8) == 0)
				return 1;
	return 0;
}

void
gt_event(struct gt *g, struct event *ev, int flags)
{
	/*
	 * A test binary's crash with no test output before it (a timeout, a
	 * panic in init): its package's summary follows, hold it for that.
	 */
	if (!g->active && is_crash(ev) && in_test_binary(ev))
		g->active = 1;
	if (!g->active) {
		/*
		 * "FAIL pkg [build failed]" after the package's compile errors:
		 * the errors are the failure.
		 */
		if ((flags & GT_EV_SUMMARY) && ev->f[F_PKG] != NULL &&
		    seen_has(g, ev->f[F_PKG])) {
			g->drop_line = ev->first;
			return;
		}
		if (ev->f[F_PKG] != NULL)
			seen_add(g, ev->f[F_PKG]);
		g->down.event(g->down.arg, ev);
		return;
	}
	struct held *h = held_new(g);
	h->flags = flags;
	ev_copy(&h->ev, ev, &g->a);
	g->bytes += ev_bytes(ev) + sizeof(*h);
	if (is_test_failure(ev) && !(flags & GT_EV_SUMMARY) &&
	    ev->f[F_TESTNAME] != NULL) {
		const char *name = ev->f[F_TESTNAME];
		int t = test_of(g, name, strlen(name));
		/* A second report of one test (the fuzzer's own run) is the same failure. */
		if (t >= 0 && g->t[t].ev >= 0)
			h->drop = 1;
		else if (t >= 0)
			g->t[t].ev = g->nh - 1;
	}
	check_bound(g);
}

/* --- lines ------------------------------------------------------------------ */

static void
package_output(struct gt *g, const char *s, size_t n)
{
	if (n > 0)
		lines_add(g, &g->pkgout, s, n);
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
	const char *p = s + ind + 10, *end = s + n;
	const char *q = p;

	while (q < end && *q != ' ')
		q++;
	const int t = test_of(g, p, (size_t)(q - p));
	if (t < 0)
		return;
	if (fail) {
		g->t[t].failed = 1;
		/* " (0.00s)" */
		if (end - q > 4 && q[1] == '(' && end[-1] == ')' && end[-2] == 's')
			g->t[t].elapsed = dup(g, q + 2, (size_t)(end - q - 4));
	}
	if (g->explicit)
		return;
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
	r->text = dup(g, raw, rawlen);
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
	const size_t ind = skip_spaces(s, n);
	const char *p = s + ind;
	const size_t m = n - ind;

	/* "=== ATTR  TestX key value" (go1.25 t.Attr): the test's attribute. */
	if (ind == 0 && PFX(p, m, "=== ATTR ")) {
		size_t k = 9 + skip_spaces(p + 9, m - 9), e = k;
		while (e < m && p[e] != ' ')
			e++;
		const int t = test_of(g, p + k, e - k);
		if (!g->explicit && t >= 0)
			g->cur = t;
		if (t < 0 || e >= m || g->t[t].nattr >= GT_ATTRS)
			return;
		size_t ks = e + 1, ke = ks;
		while (ke < m && p[ke] != ' ')
			ke++;
		struct gtest *tt = &g->t[t];
		tt->attr_k[tt->nattr] = dup(g, p + ks, ke - ks);
		tt->attr_v[tt->nattr++] = dup(g, p + (ke < m ? ke + 1 : m),
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
			g->cur = test_of(g, p + k, m - k);
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
		release(g, p + ps, pl);
		return;
	}
	/* Under -v a benchmark's name alone on a line starts its output. */
	if (ind == 0 && PFX(p, m, "Benchmark") && !g->explicit &&
	    memchr(p, ' ', m) == NULL && memchr(p, '\t', m) == NULL) {
		g->cur = test_of(g, p, m);
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
	if (g->explicit) {
		t = g->xtest;
		if (strip > 4)
			strip = 4;
	} else if (g->chatty) {
		t = g->cur;
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
		} else if (g->cur >= 0 && PFX(g->t[g->cur].name, g->t[g->cur].nlen,
		    "Example") && (g->t[g->cur].example_part || EQ(p, m, "got:"))) {
			/* An example's got: and want: blocks are not indented. */
			t = g->cur;
			strip = 0;
		} else {
			t = g->cur = -1;
			g->nrep = 0;
		}
	}
	if (in_crash)
		return;
	if (t < 0)
		package_output(g, p, m);
	else
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
	g->xtest = n > 0 ? test_of(g, test, n) : -1;
}

void
gt_set_output_type(struct gt *g, const char *type, size_t n)
{
	if (n > 0)
		g->xerror_seen = 1;
	g->xerror = EQ(type, n, "error") || EQ(type, n, "error-continue");
}

/* --- the package ends ------------------------------------------------------- */

/*
 * The test a crash's frames show: the function testing.tRunner called
 * ("example.com/m.TestX" or its closure "example.com/m.TestX.func1"), as
 * the top-level test's name and its package.
 */
static int
frames_test(const struct frame *st, int nst, const char **name, size_t *nlen,
    const char **pkg, size_t *plen)
{
	for (int i = 1; i < nst; i++) {
		if (strcmp(st[i].func, "testing.tRunner") != 0)
			continue;
		const char *f = st[i - 1].func;
		const char *slash = strrchr(f, '/');
		const char *dot = strchr(slash ? slash : f, '.');
		if (dot == NULL)
			return 0;
		const char *e = dot + 1;
		while (*e != '\0' && *e != '.')
			e++;
		*name = dot + 1;
		*nlen = (size_t)(e - dot - 1);
		*pkg = f;
		*plen = (size_t)(dot - f);
		/* An external test package is its package's: "m_test" is "m". */
		if (*plen > 5 && memcmp(f + *plen - 5, "_test", 5) == 0)
			*plen -= 5;
		return 1;
	}
	return 0;
}

/*
 * The failing goroutine's, else another goroutine's: a race report's
 * "created at" stacks, a goroutine the test started.
 */
static int
frame_test(const struct event *ev, const char **name, size_t *nlen,
    const char **pkg, size_t *plen)
{
	if (frames_test(ev->stack, ev->nstack, name, nlen, pkg, plen))
		return 1;
	for (int i = 0; i < ev->ngr; i++)
		if (frames_test(ev->gr[i].stack, ev->gr[i].nstack, name, nlen, pkg,
		    plen))
			return 1;
	return 0;
}

/* The failed test a crash belongs to, -1 none. */
static int
crash_test(struct gt *g, struct event *ev)
{
	const char *name = ev->f[F_TESTNAME], *pk;
	size_t n, pn;

	if (name != NULL) {
		int t = find_test(g, name, strlen(name));
		if (t >= 0)
			return t;
	}
	if (name == NULL && ev->f[F_CLASS] != NULL &&
	    strcmp(ev->f[F_CLASS], "race") == 0) {
		for (int i = 0; i < g->nt; i++)
			if (g->t[i].race && !g->t[i].folded)
				return i;
	}
	if (name == NULL && frame_test(ev, &name, &n, &pk, &pn)) {
		if (ev->f[F_PKG] == NULL)
			ev->f[F_PKG] = arena_strndup(&g->a, pk, pn);
		/* The deepest failed test of that name: a subtest panicked. */
		int best = -1;
		for (int i = 0; i < g->nt; i++) {
			const struct gtest *t = &g->t[i];
			if (!t->failed || t->folded || t->nlen < n ||
			    memcmp(t->name, name, n) != 0 ||
			    (t->nlen > n && t->name[n] != '/'))
				continue;
			if (best < 0 || t->nlen > g->t[best].nlen)
				best = i;
		}
		if (best >= 0)
			return best;
		ev->f[F_TESTNAME] = arena_strndup(&g->a, name, n);
		return -1;
	}
	return -1;
}

static void
set_output(struct event *ev, const struct lines *l)
{
	if (ev->noutput > 0 || (l->n == 0 && l->omitted == 0))
		return;
	ev->output = l->p;
	ev->noutput = l->n;
	ev->output_omitted = l->omitted;
}

static void
set_attrs(struct event *ev, const struct gtest *t)
{
	if (ev->nattr == 0 && t->nattr > 0) {
		ev->attr_k = (const char **)t->attr_k;
		ev->attr_v = (const char **)t->attr_v;
		ev->nattr = t->nattr;
	}
}

static void
fold(struct gt *g, struct event *ev, int ti)
{
	struct gtest *t = &g->t[ti];

	t->folded = 1;
	ev->f[F_TESTNAME] = t->name;
	if (ev->f[F_ELAPSED] == NULL)
		ev->f[F_ELAPSED] = t->elapsed;
	set_output(ev, &t->out);
	set_attrs(ev, t);
	if (t->ev >= 0)
		g->h[t->ev].drop = 1;
}

static int
has_failed_sub(const struct gt *g, const struct gtest *t)
{
	for (int i = 0; i < g->nt; i++) {
		const struct gtest *u = &g->t[i];
		if (u->failed && u->nlen > t->nlen + 1 && u->name[t->nlen] == '/' &&
		    memcmp(u->name, t->name, t->nlen) == 0)
			return 1;
	}
	return 0;
}

static void
fill_test(struct gt *g, struct event *ev, struct gtest *t)
{
	if (ev->f[F_ELAPSED] == NULL)
		ev->f[F_ELAPSED] = t->elapsed;
	if (t->efile != NULL) {
		/* go1.27 -json marks what t.Error wrote, apart from t.Log. */
		ev->f[F_FILE] = t->efile;
		ev->f[F_LINE] = t->eline;
		ev->f[F_MSG] = t->emsg;
	} else if (t->file != NULL) {
		ev->f[F_FILE] = t->file;
		ev->f[F_LINE] = t->line;
		ev->f[F_MSG] = t->msg;
	} else if (t->got != NULL || t->want != NULL) {
		struct buf b = { 0 };
		buf_adds(&b, "got: ");
		buf_adds(&b, t->got ? t->got : "");
		buf_adds(&b, "; want: ");
		buf_adds(&b, t->want ? t->want : "");
		ev->f[F_MSG] = arena_strndup(&g->a, b.p, b.len);
		buf_free(&b);
	} else if (t->first != NULL) {
		ev->f[F_MSG] = t->first;
	} else {
		ev->f[F_MSG] = "failed without a message";
	}
	if (t->input != NULL)
		ev->f[F_INPUT] = t->input;
	else if (PFX(t->name, t->nlen, "Fuzz") && memchr(t->name, '/', t->nlen) &&
	    strstr(t->name, "/seed#") == NULL) {
		/* A failing entry of the seed corpus: testdata/fuzz/FuzzX/NAME. */
		struct buf b = { 0 };
		buf_adds(&b, "testdata/fuzz/");
		buf_add(&b, t->name, t->nlen);
		ev->f[F_INPUT] = arena_strndup(&g->a, b.p, b.len);
		buf_free(&b);
	}
	if (t->rerun != NULL)
		ev->f[F_CMD] = t->rerun;
	set_output(ev, &t->out);
	set_attrs(ev, t);
}

/*
 * Gives the held events what the package's end tells, decides which stay,
 * and hands them on; pkg NULL: the bound was reached or the input ended.
 */
static void
release(struct gt *g, const char *pkg, size_t plen)
{
	const char *pk = pkg != NULL ? arena_strndup(&g->a, pkg, plen) :
	    g->xpkg[0] ? g->xpkg : NULL;
	int failures = 0;

	for (int i = 0; i < g->nh; i++) {
		struct event *ev = &g->h[i].ev;
		if (g->h[i].raw || !is_crash(ev))
			continue;
		int t = crash_test(g, ev);
		if (t >= 0)
			fold(g, ev, t);
	}
	for (int i = 0; i < g->nh; i++) {
		struct held *h = &g->h[i];
		struct event *ev = &h->ev;
		if (h->raw || h->drop)
			continue;
		if (ev->f[F_PKG] == NULL && pk != NULL)
			ev->f[F_PKG] = pk;
		if (!is_test_failure(ev) || (h->flags & GT_EV_SUMMARY)) {
			if (!(h->flags & GT_EV_SUMMARY))
				failures++;
			continue;
		}
		const char *name = ev->f[F_TESTNAME];
		const int ti = name ? find_test(g, name, strlen(name)) : -1;
		if (ti >= 0) {
			struct gtest *t = &g->t[ti];
			/*
			 * A parent that failed because a subtest did: under -json
			 * go1.27 marks a test's own failure messages, without it a
			 * line of its own is taken as one.
			 */
			if (has_failed_sub(g, t) && (g->explicit && g->xerror_seen ?
			    t->errors == 0 : t->own == 0)) {
				h->drop = 1;
				continue;
			}
			fill_test(g, ev, t);
		}
		ev->f[F_FINGERPRINT] = NULL;
		stk_fingerprint_msg(ev, &g->a);
		failures++;
	}
	/* A summary event stands for the package only when nothing else did. */
	for (int i = 0; i < g->nh; i++) {
		struct held *h = &g->h[i];
		struct event *ev = &h->ev;
		if (h->raw || h->drop || !(h->flags & GT_EV_SUMMARY))
			continue;
		if (failures > 0 || (ev->f[F_PKG] != NULL && seen_has(g, ev->f[F_PKG]))) {
			h->drop = 1;
			continue;
		}
		/* TestMain's own words before its exit: the last line of the package. */
		if (g->pkgout.n > 0 && strcmp(ev->f[F_KIND], "test_exit") == 0) {
			ev->f[F_MSG] = g->pkgout.p[g->pkgout.n - 1];
			set_output(ev, &g->pkgout);
			ev->f[F_FINGERPRINT] = NULL;
			stk_fingerprint_msg(ev, &g->a);
		}
	}
	int tk = 0;
	for (int i = 0; i < g->nh; i++) {
		struct held *h = &g->h[i];
		if (h->drop) {
			/* Its lines are passed through, as no event's. */
			if (h->raw || g->down.raw == NULL)
				continue;
			while (tk < g->ntaken && g->taken[tk].lineno < h->ev.first)
				tk++;
			for (; tk < g->ntaken && g->taken[tk].lineno <= h->ev.last; tk++)
				g->down.raw(g->down.arg, &g->taken[tk]);
			continue;
		}
		if (h->raw) {
			g->down.raw(g->down.arg, &h->rl);
			continue;
		}
		if (h->ev.f[F_PKG] != NULL && !(h->flags & GT_EV_SUMMARY))
			seen_add(g, h->ev.f[F_PKG]);
		g->down.event(g->down.arg, &h->ev);
	}
	g->nh = 0;
	g->nt = 0;
	g->ntaken = 0;
	g->bytes = 0;
	g->cur = g->xtest = -1;
	g->nrep = 0;
	g->chatty = 0;
	g->active = 0;
	g->explicit = 0;
	g->xerror_seen = 0;
	memset(&g->pkgout, 0, sizeof(g->pkgout));
	arena_reset(&g->a);
}

void
gt_end(struct gt *g)
{
	if (g->active || g->nh > 0)
		release(g, NULL, 0);
}
