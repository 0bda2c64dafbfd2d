/*
 * ci_markdown.c - a GitHub-flavoured Markdown summary: a heading with the
 * failures per class and a table with one row per fingerprint, in the rank
 * order of the annotations (see report.h, ci_github.h).  -f github appends
 * it to $GITHUB_STEP_SUMMARY.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci_github.h"
#include "json.h"

/*
 * GitHub refuses a step summary over 1 MiB; the table stops well short of
 * that, so that other steps' summaries and the closing lines still fit.
 */
#define MD_TABLE_BYTES (512u << 10)
#define MD_CELL_MAX 300

struct md_class {
	const char *name;
	size_t count;
};

static void
addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void
addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char tmp[256];

	va_start(ap, fmt);
	const int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n :
		    sizeof(tmp) - 1);
}

static int
word_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/*
 * A table cell's text: nothing in it may end the cell or the row (|, a
 * newline) or start markup that runs past it (code spans, emphasis, links,
 * HTML).  Cut at max bytes, on a UTF-8 boundary.
 */
static void
md_cell(struct buf *b, const char *s, size_t max)
{
	struct buf t = { 0 };
	size_t n;

	if (s == NULL)
		return;
	n = strlen(s);
	const int cut = n > max;
	if (cut) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	utf8_sanitize(&t, s, n);
	for (size_t i = 0; i < t.len; i++) {
		const char ch = t.p[i];
		switch (ch) {
		case '_':
			/* Inside a word it cannot open or close emphasis. */
			if (i > 0 && i + 1 < t.len && word_byte(t.p[i - 1]) &&
			    word_byte(t.p[i + 1])) {
				buf_addc(b, ch);
				break;
			}
			/* FALLTHROUGH */
		case '|': case '\\': case '`': case '*': case '[': case ']':
		case '~':
			buf_addc(b, '\\');
			buf_addc(b, ch);
			break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '&': buf_adds(b, "&amp;"); break;
		case '\n': buf_adds(b, "<br>"); break;
		case '\r': break;
		default:
			buf_addc(b, (unsigned char)ch < 0x20 ? ' ' : ch);
			break;
		}
	}
	if (cut)
		buf_adds(b, " ...");
	buf_free(&t);
}

static void
md_row(struct buf *b, const struct gh_group *g, const struct ci_env *env)
{
	const char *const *f = g->ev->f;
	char pbuf[CI_PATH_MAX];
	const char *file = ci_path(env, g->ev, pbuf);

	buf_adds(b, "| ");
	md_cell(b, f[F_KIND] ? f[F_KIND] : f[F_CLASS], MD_CELL_MAX);
	addf(b, " | %zu | ", g->count);
	md_cell(b, f[F_PKG], MD_CELL_MAX);
	buf_adds(b, " | ");
	md_cell(b, f[F_TESTNAME], MD_CELL_MAX);
	buf_adds(b, " | ");
	if (file != NULL) {
		md_cell(b, file, MD_CELL_MAX);
		if (f[F_LINE] != NULL) {
			buf_addc(b, ':');
			md_cell(b, f[F_LINE], 32);
		}
	}
	buf_adds(b, " | ");
	md_cell(b, f[F_MSG], MD_CELL_MAX);
	buf_adds(b, " |\n");
}

static void
md_where(struct buf *b, const struct ci_env *env)
{
	if (env->events_path != NULL) {
		buf_adds(b, "; full list: ");
		md_cell(b, env->events_path, MD_CELL_MAX);
	} else {
		buf_adds(b, "; keep every event with --events FILE");
	}
}

/* The heading: the failures per class, the known classes in rank order. */
static void
md_heading(struct buf *out, const struct gh_group *g, size_t n)
{
	size_t ncls, total = 0;

	for (ncls = 0; gh_classes[ncls] != NULL; ncls++)
		;
	struct md_class *cls = xcalloc(ncls + n, sizeof(*cls));
	for (ncls = 0; gh_classes[ncls] != NULL; ncls++)
		cls[ncls].name = gh_classes[ncls];
	for (size_t i = 0; i < n; i++) {
		const char *c = g[i].ev->f[F_CLASS] ? g[i].ev->f[F_CLASS] :
		    "unknown";
		size_t k;
		for (k = 0; k < ncls && strcmp(cls[k].name, c) != 0; k++)
			;
		if (k == ncls)
			cls[ncls++].name = c;
		cls[k].count += g[i].count;
		total += g[i].count;
	}
	addf(out, "### goerrfilt: %zu failure%s (", total, total == 1 ? "" : "s");
	int sep = 0;
	for (size_t k = 0; k < ncls; k++) {
		if (cls[k].count == 0)
			continue;
		addf(out, "%s%zu ", sep++ ? ", " : "", cls[k].count);
		md_cell(out, cls[k].name, MD_CELL_MAX);
	}
	buf_adds(out, ")\n\n");
	free(cls);
}

void
ci_markdown(struct buf *out, const struct evlist *l, const struct ci_env *env)
{
	size_t n, i;
	struct gh_group *g = gh_rank(l, &n);

	if (n == 0) {
		buf_adds(out, "### goerrfilt: no failures found\n");
		free(g);
		return;
	}
	md_heading(out, g, n);
	buf_adds(out, "| kind | count | package | test | location | message |\n"
	    "| --- | ---: | --- | --- | --- | --- |\n");
	const size_t start = out->len;
	for (i = 0; i < n && out->len - start < MD_TABLE_BYTES; i++)
		md_row(out, &g[i], env);
	if (i < n) {
		size_t ev = 0;
		for (size_t k = i; k < n; k++)
			ev += g[k].count;
		addf(out, "\n%zu more failure%s (%zu event%s) not listed: a step "
		    "summary holds at most 1 MiB", n - i, n - i == 1 ? "" : "s",
		    ev, ev == 1 ? "" : "s");
		md_where(out, env);
		buf_addc(out, '\n');
	}
	if (l->dropped > 0) {
		addf(out, "\n%llu events past the report's bound of %d events "
		    "are not listed", (unsigned long long)l->dropped, REPORT_MAX);
		md_where(out, env);
		buf_addc(out, '\n');
	}
	free(g);
}
