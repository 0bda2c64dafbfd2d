/*
 * gthold.c - the test tracker's hold (see gotest.h): events and
 * passthrough lines kept in order while a package's tests run, and what
 * the package's end settles: its pkg, each failed test's fields, a test
 * folded into the crash it died of, the parents and summaries dropped.
 */
#include <stdlib.h>
#include <string.h>

#include "gtstate.h"
#include "stack.h"

static uint64_t
pkg_hash(const char *p, size_t n)
{
	return hash_fnv1a64(FNV64_INIT, p, n);
}

void
gt_seen_add(struct gt *g, const char *pkg)
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

int
gt_seen_has(const struct gt *g, const char *pkg)
{
	const struct gt_seen *s = g->seen;
	const uint64_t h = pkg_hash(pkg, strlen(pkg));

	for (int i = 0; i < s->n; i++)
		if (s->h[i] == h)
			return 1;
	return 0;
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
		gt_release(g, NULL, 0);
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
	h->rl.text = gt_dup(g, rl->text, rl->len);
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
		    gt_seen_has(g, ev->f[F_PKG])) {
			g->drop_line = ev->first;
			return;
		}
		if (ev->f[F_PKG] != NULL)
			gt_seen_add(g, ev->f[F_PKG]);
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
		int t = gt_test_of(g, name, strlen(name));
		/* A second report of one test (the fuzzer's own run) is the same failure. */
		if (t >= 0 && g->t[t].ev >= 0)
			h->drop = 1;
		else if (t >= 0)
			g->t[t].ev = g->nh - 1;
	}
	check_bound(g);
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
		int t = gt_find_test(g, name, strlen(name));
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
void
gt_release(struct gt *g, const char *pkg, size_t plen)
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
		const int ti = name ? gt_find_test(g, name, strlen(name)) : -1;
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
		if (failures > 0 || (ev->f[F_PKG] != NULL && gt_seen_has(g, ev->f[F_PKG]))) {
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
			gt_seen_add(g, h->ev.f[F_PKG]);
		g->down.event(g->down.arg, &h->ev);
	}
	for (int i = 0; i < g->nt && g->down.result != NULL; i++) {
		const struct gtest *t = &g->t[i];
		if (t->failed || !(t->passed || t->skipped))
			continue;
		const struct test_result r = { pk, t->name, t->elapsed, t->msg,
		    !t->passed };
		g->down.result(g->down.arg, &r);
	}
	g->nh = 0;
	g->nt = 0;
	g->ntaken = 0;
	g->bytes = 0;
	g->cur = g->xtest = -1;
	g->cur_done = 0;
	g->idle = 0;
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
		gt_release(g, NULL, 0);
}
