/*
 * text.c - the readable view of an event (see text.h).
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "text.h"

#define BOLD(c) ((c) ? "\033[1m" : "")
#define RED(c) ((c) ? "\033[1;31m" : "")
#define DIM(c) ((c) ? "\033[2m" : "")
#define OFF(c) ((c) ? "\033[0m" : "")

static void
addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void
addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[512];

	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		buf_add(b, tmp, (size_t)n);
		return;
	}
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static void
put_text(struct buf *b, const char *s)
{
	utf8_sanitize(b, s, strlen(s));
}

static int
app_frame(const struct frame *f)
{
	return strcmp(f->origin, "main") == 0 || strcmp(f->origin, "app") == 0;
}

static void
put_frames(struct buf *b, const struct frame *fr, int n, int max, int c,
    const char *indent)
{
	for (int i = 0; i < n && i < max; i++) {
		int app = app_frame(&fr[i]);
		buf_adds(b, indent);
		buf_adds(b, app ? BOLD(c) : DIM(c));
		put_text(b, fr[i].func);
		buf_adds(b, OFF(c));
		if (fr[i].file != NULL) {
			buf_adds(b, "  ");
			put_text(b, fr[i].file);
			if (fr[i].line > 0)
				addf(b, ":%ld", fr[i].line);
		}
		buf_addc(b, '\n');
	}
	if (n > max)
		addf(b, "%s... %d more frames\n", indent, n - max);
}

void
text_event(struct buf *b, const struct event *ev, int c)
{
	const char *const *f = ev->f;

	addf(b, "%s%s%s %s", RED(c), f[F_CLASS] ? f[F_CLASS] : "?", OFF(c),
	    f[F_KIND] ? f[F_KIND] : "?");
	if (f[F_PHASE] != NULL)
		addf(b, " [%s]", f[F_PHASE]);
	if (f[F_PKG] != NULL) {
		buf_addc(b, ' ');
		put_text(b, f[F_PKG]);
	}
	if (f[F_FILE] != NULL) {
		buf_addc(b, ' ');
		put_text(b, f[F_FILE]);
		if (f[F_LINE] != NULL)
			addf(b, ":%s", f[F_LINE]);
		if (f[F_COL] != NULL)
			addf(b, ":%s", f[F_COL]);
	}
	addf(b, "  %s(lines %llu-%llu%s%s)%s\n", DIM(c),
	    (unsigned long long)ev->first, (unsigned long long)ev->last,
	    f[F_GO_VERSION] ? ", " : "", f[F_GO_VERSION] ? f[F_GO_VERSION] : "",
	    OFF(c));
	buf_adds(b, "  ");
	buf_adds(b, BOLD(c));
	put_text(b, f[F_MSG] ? f[F_MSG] : "");
	buf_adds(b, OFF(c));
	buf_addc(b, '\n');
	if (f[F_SIGNAL] != NULL)
		addf(b, "  signal %s%s%s\n", f[F_SIGNAL],
		    f[F_ADDR] ? " addr " : "", f[F_ADDR] ? f[F_ADDR] : "");
	if (f[F_PASS] != NULL || f[F_FUNC] != NULL) {
		buf_adds(b, "  ");
		if (f[F_PASS] != NULL)
			addf(b, "pass %s ", f[F_PASS]);
		if (f[F_FUNC] != NULL) {
			buf_adds(b, "in ");
			put_text(b, f[F_FUNC]);
		}
		buf_addc(b, '\n');
	}
	if (f[F_KNOWN_ISSUE] != NULL)
		addf(b, "  known issue %s%s%s\n", f[F_KNOWN_ISSUE],
		    f[F_FIXED_IN] ? ", fixed in " : "",
		    f[F_FIXED_IN] ? f[F_FIXED_IN] : "");
	if (f[F_CMD] != NULL) {
		/* The whole -x line can run to kilobytes: its head names the run. */
		size_t n = strlen(f[F_CMD]);
		buf_adds(b, "  cmd: ");
		buf_adds(b, DIM(c));
		utf8_sanitize(b, f[F_CMD], n > 160 ? 160 : n);
		if (n > 160)
			buf_adds(b, " ...");
		buf_adds(b, OFF(c));
		buf_addc(b, '\n');
	}
	if (f[F_HINT] != NULL) {
		buf_adds(b, "  hint: ");
		put_text(b, f[F_HINT]);
		buf_addc(b, '\n');
	}
	if (ev->nstack > 0)
		put_frames(b, ev->stack, ev->nstack, 12, c, "    ");
	if (ev->ngr > 0) {
		addf(b, "  %d goroutines in %d buckets\n",
		    ev->ngoroutines, ev->ngr);
		for (int i = 0; i < ev->ngr && i < 10; i++) {
			const struct bucket *g = &ev->gr[i];
			addf(b, "  %s%ld x [%s", BOLD(c), g->count, g->state);
			if (g->wait_min >= 0)
				addf(b, ", %ld minutes", g->wait_min);
			addf(b, "]%s\n", OFF(c));
			put_frames(b, g->stack, g->nstack, 4, c, "      ");
		}
	}
	if (f[F_FINGERPRINT] != NULL)
		addf(b, "  %sfingerprint %s%s\n", DIM(c), f[F_FINGERPRINT], OFF(c));
}
