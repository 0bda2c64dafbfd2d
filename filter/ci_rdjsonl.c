/*
 * ci_rdjsonl.c - reviewdog's rdjsonl: one Diagnostic (reviewdog's
 * proto/rdf/reviewdog.proto, its field names) per event and line, written
 * as each event arrives so that a long run streams into reviewdog.
 *
 * An event without a file gets no location: reviewdog cannot place it on
 * a line of the diff, and reports it only under -filter-mode=nofilter.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "report.h"

static void
put_str(struct buf *out, const char *key, const char *s)
{
	buf_addc(out, '"');
	buf_adds(out, key);
	buf_add(out, "\":", 2);
	json_str(out, s, strlen(s));
}

/*
 * Lint findings are warnings and the compiler's "too many errors" only
 * says that more errors went unprinted; everything else failed the run.
 */
static const char *
severity(const struct event *ev)
{
	const char *class = ev->f[F_CLASS], *kind = ev->f[F_KIND];

	if (kind != NULL && strcmp(kind, "too_many_errors") == 0)
		return "INFO";
	if (class != NULL && strcmp(class, "vet") == 0)
		return "WARNING";
	return "ERROR";
}

/* A review comment stands alone, so it carries the hint. */
static void
put_message(struct buf *out, const struct event *ev)
{
	struct buf m = { 0 };

	ci_message(&m, ev);
	if (ev->f[F_HINT] != NULL) {
		buf_add(&m, "\n\nHint: ", 8);
		buf_adds(&m, ev->f[F_HINT]);
	}
	buf_add(out, "\"message\":", 10);
	json_str(out, m.p, m.len);
	buf_free(&m);
}

static void
put_location(struct buf *out, const struct event *ev, const struct ci_env *env)
{
	char pbuf[CI_PATH_MAX];
	const char *path = ci_path(env, ev, pbuf);

	if (path == NULL || path[0] == '\0')
		return;
	buf_add(out, ",\"location\":{", 13);
	put_str(out, "path", path);
	if (ev->f[F_LINE] != NULL) {
		buf_add(out, ",\"range\":{\"start\":{\"line\":", 26);
		buf_adds(out, ev->f[F_LINE]);
		if (ev->f[F_COL] != NULL) {
			buf_add(out, ",\"column\":", 10);
			buf_adds(out, ev->f[F_COL]);
		}
		buf_add(out, "}}", 2);
	}
	buf_addc(out, '}');
}

/* A recognised upstream issue ("golang/go#73309") links the code. */
static void
put_code(struct buf *out, const struct event *ev)
{
	const char *ki = ev->f[F_KNOWN_ISSUE];
	const char *hash = ki != NULL ? strchr(ki, '#') : NULL;
	const char *slash = ki != NULL ? strchr(ki, '/') : NULL;

	buf_add(out, ",\"code\":{", 9);
	put_str(out, "value", ev->f[F_KIND] ? ev->f[F_KIND] : "unknown");
	if (hash != NULL && hash[1] != '\0' && slash != NULL && slash < hash) {
		struct buf url = { 0 };
		buf_adds(&url, "https://github.com/");
		buf_add(&url, ki, (size_t)(hash - ki));
		buf_adds(&url, "/issues/");
		buf_adds(&url, hash + 1);
		buf_add(out, ",\"url\":", 7);
		json_str(out, url.p, url.len);
		buf_free(&url);
	}
	buf_addc(out, '}');
}

/*
 * The lines the event came from, as far as the event keeps them: the
 * headline and a failed test's output (which may repeat the headline).
 */
static void
put_original(struct buf *out, const struct event *ev)
{
	const char *msg = ev->f[F_MSG];
	struct buf o = { 0 };

	if (msg != NULL && !ci_output_has(ev, msg))
		buf_adds(&o, msg);
	for (int i = 0; i < ev->noutput; i++) {
		if (o.len > 0)
			buf_addc(&o, '\n');
		buf_adds(&o, ev->output[i]);
	}
	if (o.len > 0) {
		buf_add(out, ",\"original_output\":", 19);
		json_str(out, o.p, o.len);
	}
	buf_free(&o);
}

void
ci_rdjsonl(struct buf *out, const struct event *ev, const struct ci_env *env)
{
	buf_addc(out, '{');
	put_message(out, ev);
	put_location(out, ev, env);
	buf_addc(out, ',');
	put_str(out, "severity", severity(ev));
	buf_add(out, ",\"source\":{", 11);
	put_str(out, "name", "goerrfilt");
	buf_addc(out, '}');
	put_code(out, ev);
	put_original(out, ev);
	buf_add(out, "}\n", 2);
}
