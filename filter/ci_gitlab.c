/*
 * ci_gitlab.c - a GitLab Code Quality report (artifacts:reports:
 * codequality): one JSON array, an issue per distinct failure.
 *
 * GitLab keeps one issue per fingerprint and compares them between the
 * merge request's base and head, so a fingerprint must be unique in the
 * report and stay the same while the bug does.  It is derived from the
 * event's kind, package and fingerprint (which already ignores paths, line
 * numbers and checkout directories), and events that share one are one
 * issue, with their count and other places in its description.
 *
 * GitLab requires location.path and location.lines.begin; an event
 * without a file is placed at go.mod, line 1: the module it belongs to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"

/* Places besides the first that a merged issue's description lists. */
#define GL_OTHERS 5

struct issue {
	uint64_t fp;
	size_t first, last;     /* events, chained through next[] */
	long count;
};

static const char *
severity(const struct event *ev)
{
	static const char *const map[][2] = {
		{ "compile_error", "blocker" }, { "ice", "blocker" },
		{ "link_error", "blocker" }, { "cgo_error", "blocker" },
		{ "gocmd_error", "blocker" },
		{ "panic", "critical" }, { "fatal", "critical" },
		{ "signal", "critical" }, { "race", "critical" },
		{ "test_failure", "major" }, { "vet", "minor" },
	};
	const char *class = ev->f[F_CLASS], *kind = ev->f[F_KIND];

	/* It only says that more errors went unprinted. */
	if (kind != NULL && strcmp(kind, "too_many_errors") == 0)
		return "info";
	for (size_t i = 0; class != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(class, map[i][0]) == 0)
			return map[i][1];
	return "major";
}

static uint64_t
issue_fp(const struct event *ev)
{
	const char *kind = ev->f[F_KIND] ? ev->f[F_KIND] : "";
	const char *pkg = ev->f[F_PKG] ? ev->f[F_PKG] : "";
	uint64_t h = hash_fnv1a64(FNV64_INIT, kind, strlen(kind) + 1);

	/*
	 * The same test name or error in two packages is two bugs, and an
	 * import path stays when the checkout moves.
	 */
	h = hash_fnv1a64(h, pkg, strlen(pkg) + 1);

	if (ev->f[F_FINGERPRINT] != NULL)
		return hash_fnv1a64(h, ev->f[F_FINGERPRINT],
		    strlen(ev->f[F_FINGERPRINT]));
	/* Every event has a fingerprint; the message is a last resort. */
	const char *msg = ev->f[F_MSG] ? ev->f[F_MSG] : "";
	return hash_fnv1a64(h, msg, strlen(msg));
}

/* Appends "path:line" of an event, go.mod:1 for one without a file. */
static void
put_place(struct buf *b, const struct event *ev, const struct ci_env *env)
{
	char pbuf[CI_PATH_MAX];
	const char *path = ci_path(env, ev, pbuf);

	buf_adds(b, path != NULL && path[0] != '\0' ? path : "go.mod");
	buf_addc(b, ':');
	buf_adds(b, path != NULL && path[0] != '\0' && ev->f[F_LINE] != NULL ?
	    ev->f[F_LINE] : "1");
}

/*
 * Appends where a merged issue's events were besides the first place,
 * each place once, at most GL_OTHERS of them.
 */
static void
put_others(struct buf *d, const struct evlist *l, const size_t *next,
    const struct issue *is, const struct ci_env *env)
{
	struct buf seen[GL_OTHERS + 1] = { { 0 } };
	int nseen = 1, more = 0;

	put_place(&seen[0], &l->ev[is->first], env);
	for (size_t e = next[is->first]; e != SIZE_MAX; e = next[e]) {
		struct buf p = { 0 };
		int dup = 0;
		put_place(&p, &l->ev[e], env);
		for (int i = 0; i < nseen && !dup; i++)
			dup = seen[i].len == p.len &&
			    memcmp(seen[i].p, p.p, p.len) == 0;
		if (dup || nseen == GL_OTHERS + 1) {
			more |= !dup;
			buf_free(&p);
			continue;
		}
		seen[nseen++] = p;
	}
	for (int i = 1; i < nseen; i++) {
		buf_adds(d, i == 1 ? "; also at " : ", ");
		buf_add(d, seen[i].p, seen[i].len);
	}
	if (more)
		buf_adds(d, ", and elsewhere");
	for (int i = 0; i < nseen; i++)
		buf_free(&seen[i]);
}

static void
put_issue(struct buf *out, const struct evlist *l, const size_t *next,
    const struct issue *is, const struct ci_env *env)
{
	const struct event *ev = &l->ev[is->first];
	char pbuf[CI_PATH_MAX];
	const char *path = ci_path(env, ev, pbuf);
	struct buf d = { 0 };
	char tmp[64];

	ci_message(&d, ev);
	if (is->count > 1) {
		snprintf(tmp, sizeof(tmp), " (%ld times", is->count);
		buf_adds(&d, tmp);
		put_others(&d, l, next, is, env);
		buf_addc(&d, ')');
	}
	buf_add(out, "{\"description\":", 15);
	json_str(out, d.p, d.len);
	buf_free(&d);
	buf_add(out, ",\"check_name\":", 14);
	const char *kind = ev->f[F_KIND] ? ev->f[F_KIND] : "unknown";
	json_str(out, kind, strlen(kind));
	snprintf(tmp, sizeof(tmp), ",\"fingerprint\":\"%016llx\"",
	    (unsigned long long)is->fp);
	buf_adds(out, tmp);
	buf_add(out, ",\"severity\":\"", 13);
	buf_adds(out, severity(ev));
	buf_add(out, "\",\"location\":{\"path\":", 21);
	if (path == NULL || path[0] == '\0') {
		buf_adds(out, "\"go.mod\",\"lines\":{\"begin\":1}}}");
		return;
	}
	json_str(out, path, strlen(path));
	buf_add(out, ",\"lines\":{\"begin\":", 18);
	buf_adds(out, ev->f[F_LINE] != NULL ? ev->f[F_LINE] : "1");
	buf_add(out, "}}}", 3);
}

void
ci_gitlab(struct buf *out, const struct evlist *l, const struct ci_env *env)
{
	size_t *next = xmalloc((l->n + 1) * sizeof(*next));
	struct issue *is = xmalloc((l->n + 1) * sizeof(*is));
	size_t nis = 0, cap = 16;

	while (cap < 2 * l->n)
		cap *= 2;
	/* Slots of an open-addressing table from fingerprint to issue + 1. */
	size_t *slot = xcalloc(cap, sizeof(*slot));
	for (size_t e = 0; e < l->n; e++) {
		const uint64_t fp = issue_fp(&l->ev[e]);
		size_t i = (size_t)fp & (cap - 1);
		while (slot[i] != 0 && is[slot[i] - 1].fp != fp)
			i = (i + 1) & (cap - 1);
		next[e] = SIZE_MAX;
		if (slot[i] != 0) {
			struct issue *x = &is[slot[i] - 1];
			next[x->last] = e;
			x->last = e;
			x->count++;
			continue;
		}
		is[nis] = (struct issue){ fp, e, e, 1 };
		slot[i] = ++nis;
	}
	buf_addc(out, '[');
	for (size_t i = 0; i < nis; i++) {
		buf_adds(out, i == 0 ? "\n" : ",\n");
		put_issue(out, l, next, &is[i], env);
	}
	buf_adds(out, nis > 0 ? "\n]\n" : "]\n");
	free(slot);
	free(is);
	free(next);
}
