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
evlist_free(struct evlist *l)
{
	arena_free(&l->arena);
	free(l->ev);
	memset(l, 0, sizeof(*l));
}
