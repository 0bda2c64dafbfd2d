/*
 * group.c - grouping events by fingerprint (see group.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "json.h"

struct group_set {
	struct group *g;
	size_t n, cap;
	size_t *slot;       /* open addressing: index + 1, 0 empty */
	size_t nslot;
	uint64_t dropped;
	struct arena strings;
};

struct group_set *
group_new(void)
{
	struct group_set *s = xcalloc(1, sizeof(*s));

	s->nslot = 1024;
	s->slot = xcalloc(s->nslot, sizeof(*s->slot));
	return s;
}

static const char *
keep(struct group_set *s, const char *v)
{
	return v ? arena_strndup(&s->strings, v, strlen(v)) : NULL;
}

static uint64_t
key_hash(const char *fp)
{
	return hash_fnv1a64(FNV64_INIT, fp, strlen(fp));
}

static void
rehash(struct group_set *s)
{
	size_t ns = s->nslot * 2;
	size_t *sl = xcalloc(ns, sizeof(*sl));

	for (size_t i = 0; i < s->n; i++) {
		size_t h = (size_t)key_hash(s->g[i].fingerprint) & (ns - 1);
		while (sl[h])
			h = (h + 1) & (ns - 1);
		sl[h] = i + 1;
	}
	free(s->slot);
	s->slot = sl;
	s->nslot = ns;
}

void
group_add(struct group_set *s, const struct event *ev)
{
	const char *fp = ev->f[F_FINGERPRINT] ? ev->f[F_FINGERPRINT] : "";
	size_t h = (size_t)key_hash(fp) & (s->nslot - 1);

	while (s->slot[h]) {
		struct group *g = &s->g[s->slot[h] - 1];
		if (strcmp(g->fingerprint, fp) == 0) {
			g->count++;
			g->last_line = ev->last;
			return;
		}
		h = (h + 1) & (s->nslot - 1);
	}
	if (s->n >= GROUP_MAX) {
		s->dropped++;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->g = xrealloc(s->g, s->cap * sizeof(*s->g));
	}
	struct group *g = &s->g[s->n];
	g->fingerprint = keep(s, fp);
	g->class_ = keep(s, ev->f[F_CLASS]);
	g->kind = keep(s, ev->f[F_KIND]);
	g->phase = keep(s, ev->f[F_PHASE]);
	g->rule = keep(s, ev->f[F_RULE]);
	g->msg = keep(s, ev->f[F_MSG]);
	g->pkg = keep(s, ev->f[F_PKG]);
	g->file = keep(s, ev->f[F_FILE]);
	g->func = keep(s, ev->f[F_FUNC]);
	g->count = 1;
	g->first_line = ev->first;
	g->last_line = ev->last;
	g->order = s->n;
	s->slot[h] = ++s->n;
	if (s->n * 2 > s->nslot)
		rehash(s);
}

static int
by_count(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

const struct group *
group_sorted(struct group_set *s, size_t *n, uint64_t *dropped)
{
	qsort(s->g, s->n, sizeof(*s->g), by_count);
	/* The hash slots point at the old order; nothing is added after this. */
	memset(s->slot, 0, s->nslot * sizeof(*s->slot));
	*n = s->n;
	*dropped = s->dropped;
	return s->g;
}

void
group_free(struct group_set *s)
{
	if (s == NULL)
		return;
	free(s->g);
	free(s->slot);
	arena_free(&s->strings);
	free(s);
}

static void
put_kv(struct buf *out, const char *k, const char *v)
{
	if (v == NULL)
		return;
	buf_add(out, ",\"", 2);
	buf_adds(out, k);
	buf_add(out, "\":", 2);
	json_str(out, v, strlen(v));
}

void
group_json(struct buf *out, uint64_t seq, const struct group *g)
{
	char num[96];

	snprintf(num, sizeof(num), "{\"v\":%d,\"seq\":%llu,\"count\":%llu",
	    EV_SCHEMA_VERSION, (unsigned long long)seq,
	    (unsigned long long)g->count);
	buf_adds(out, num);
	put_kv(out, "group", g->fingerprint);
	put_kv(out, "class", g->class_);
	put_kv(out, "kind", g->kind);
	put_kv(out, "phase", g->phase);
	put_kv(out, "rule", g->rule);
	put_kv(out, "msg", g->msg);
	put_kv(out, "pkg", g->pkg);
	put_kv(out, "file", g->file);
	put_kv(out, "func", g->func);
	snprintf(num, sizeof(num), ",\"first_line\":%llu,\"last_line\":%llu}\n",
	    (unsigned long long)g->first_line, (unsigned long long)g->last_line);
	buf_adds(out, num);
}

void
group_text(struct buf *out, const struct group *g, int colour)
{
	char num[128];

	snprintf(num, sizeof(num), "%s%7llu%s  %s/%s [%s]  lines %llu..%llu  %s\n    ",
	    colour ? "\033[1m" : "", (unsigned long long)g->count,
	    colour ? "\033[0m" : "", g->class_ ? g->class_ : "?",
	    g->kind ? g->kind : "?", g->phase ? g->phase : "?",
	    (unsigned long long)g->first_line, (unsigned long long)g->last_line,
	    g->fingerprint);
	buf_adds(out, num);
	utf8_sanitize(out, g->msg ? g->msg : "", g->msg ? strlen(g->msg) : 0);
	if (g->func != NULL) {
		buf_adds(out, "  in ");
		utf8_sanitize(out, g->func, strlen(g->func));
	}
	buf_addc(out, '\n');
}
