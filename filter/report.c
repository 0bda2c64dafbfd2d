/*
 * report.c - the event list of the CI report writers (see report.h).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"

void
evlist_add(struct evlist *l, const struct event *ev)
{
	struct event tmp = *ev;

	tmp.gr = NULL;
	tmp.ngr = 0;
	const size_t sz = ev_bytes(&tmp);
	if (l->n >= REPORT_MAX || l->bytes + sz > REPORT_BYTES) {
		l->dropped++;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->ev = xrealloc(l->ev, l->cap * sizeof(*l->ev));
	}
	ev_copy(&l->ev[l->n++], &tmp, &l->arena);
	l->bytes += sz;
}

void
evlist_result(struct evlist *l, const struct test_result *r)
{
	const size_t sz = (r->pkg ? strlen(r->pkg) : 0) + strlen(r->test) +
	    (r->elapsed ? strlen(r->elapsed) : 0) +
	    (r->msg ? strlen(r->msg) : 0) + 4 + sizeof(*r);

	if (l->nres >= REPORT_RESULTS || l->bytes + sz > REPORT_BYTES) {
		l->res_dropped++;
		return;
	}
	if (l->nres == l->rescap) {
		l->rescap = l->rescap ? l->rescap * 2 : 64;
		l->res = xrealloc(l->res, l->rescap * sizeof(*l->res));
	}
	struct test_result *c = &l->res[l->nres++];
	c->pkg = r->pkg ? arena_strndup(&l->arena, r->pkg, strlen(r->pkg)) : NULL;
	c->test = arena_strndup(&l->arena, r->test, strlen(r->test));
	c->elapsed = r->elapsed ?
	    arena_strndup(&l->arena, r->elapsed, strlen(r->elapsed)) : NULL;
	c->msg = r->msg ? arena_strndup(&l->arena, r->msg, strlen(r->msg)) : NULL;
	c->skipped = r->skipped;
	l->bytes += sz;
}

void
evlist_free(struct evlist *l)
{
	arena_free(&l->arena);
	free(l->ev);
	free(l->res);
	memset(l, 0, sizeof(*l));
}

const char *
ci_test(const struct event *ev)
{
	if (ev->f[F_TESTNAME] != NULL)
		return ev->f[F_TESTNAME];
	if (ev->f[F_CLASS] != NULL && strcmp(ev->f[F_CLASS], "test_failure") == 0)
		return ev->f[F_FUNC];
	return NULL;
}

void
ci_message(struct buf *b, const struct event *ev)
{
	const char *msg = ev->f[F_MSG] ? ev->f[F_MSG] : "";
	const char *test = ci_test(ev);

	if (test != NULL && strstr(msg, test) == NULL) {
		buf_adds(b, test);
		buf_add(b, ": ", 2);
	}
	buf_adds(b, msg);
}

int
ci_output_has(const struct event *ev, const char *s)
{
	const size_t n = s != NULL ? strlen(s) : 0;

	for (int i = 0; s != NULL && i < ev->noutput; i++) {
		const char *o = ev->output[i];
		const size_t m = strlen(o);
		/* As written, or after its location ("calc_test.go:8: msg"). */
		if (strcmp(o, s) == 0 || (m > n + 2 && strcmp(o + m - n, s) == 0 &&
		    o[m - n - 2] == ':' && o[m - n - 1] == ' '))
			return 1;
	}
	return 0;
}
