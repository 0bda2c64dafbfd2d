/*
 * ci_github.c - GitHub Actions workflow commands (::error, ::warning,
 * ::notice): one annotation per fingerprint, ranked, within the limits
 * GitHub shows per step (see report.h, ci_github.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci_github.h"
#include "json.h"

/* GitHub shows at most this many annotations of each severity per step. */
#define GH_PER_SEVERITY 10
/* Bounds of a message's parts, so an annotation stays within a few KB. */
#define GH_MSG_MAX 1024
#define GH_OUT_LINES 20
#define GH_OUT_BYTES 2048
#define GH_HINT_MAX 512

enum { SEV_ERROR, SEV_WARNING, NSEV };
static const char *const sev_names[NSEV] = { "error", "warning" };

const char *const gh_classes[] = {
	"compile_error", "ice", "link_error", "cgo_error", "gocmd_error", "vet",
	"panic", "fatal", "signal", "race",
	"test_failure",
	NULL,
};
/* The first class of each rank in gh_classes; the last ends GH_TEST. */
static const int rank_start[GH_OTHER + 1] = { 0, 6, 10, 11 };

enum gh_rankno
gh_rank_of(const char *cls)
{
	if (cls == NULL)
		return GH_OTHER;
	for (int r = 0; r < GH_OTHER; r++)
		for (int i = rank_start[r]; i < rank_start[r + 1]; i++)
			if (strcmp(cls, gh_classes[i]) == 0)
				return (enum gh_rankno)r;
	return GH_OTHER;
}

struct gh_group *
gh_rank(const struct evlist *l, size_t *n)
{
	struct gh_group *g = xcalloc(l->n + 1, sizeof(*g));
	size_t ng = 0, nslot = 16;

	while (nslot < 2 * l->n)
		nslot *= 2;
	/* Open addressing over the groups with a fingerprint: index + 1. */
	size_t *slot = xcalloc(nslot, sizeof(*slot));
	for (size_t i = 0; i < l->n; i++) {
		const struct event *ev = &l->ev[i];
		const char *fp = ev->f[F_FINGERPRINT];
		if (fp != NULL) {
			size_t h = (size_t)hash_fnv1a64(FNV64_INIT, fp,
			    strlen(fp)) & (nslot - 1);
			while (slot[h] != 0 &&
			    strcmp(g[slot[h] - 1].ev->f[F_FINGERPRINT], fp) != 0)
				h = (h + 1) & (nslot - 1);
			if (slot[h] != 0) {
				g[slot[h] - 1].count++;
				continue;
			}
			slot[h] = ng + 1;
		}
		g[ng].ev = ev;
		g[ng].count = 1;
		g[ng].rank = gh_rank_of(ev->f[F_CLASS]);
		ng++;
	}
	free(slot);

	struct gh_group *out = xcalloc(ng + 1, sizeof(*out));
	size_t k = 0;
	for (int r = 0; r < GH_NRANK; r++)
		for (size_t i = 0; i < ng; i++)
			if (g[i].rank == (enum gh_rankno)r)
				out[k++] = g[i];
	free(g);
	*n = ng;
	return out;
}

/*
 * The file an annotation can name: GitHub resolves it against the
 * repository, so a path outside the workspace, the standard library's
 * $GOROOT/... or a $WORK/... build directory would point nowhere.
 */
static const char *
gh_file(const struct ci_env *env, const struct event *ev, char *tmp)
{
	const char *rel = ci_path(env, ev, tmp);

	if (rel == NULL || rel[0] == '\0' || rel[0] == '/' || rel[0] == '$' ||
	    rel[0] == '<')
		return NULL;
	return rel;
}

/* The length of s cut to at most max bytes, not inside a UTF-8 sequence. */
static size_t
clip(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static void
add_clipped(struct buf *b, const char *s, size_t max)
{
	size_t n = clip(s, max);

	buf_add(b, s, n);
	if (s[n] != '\0')
		buf_adds(b, " ...");
}

/*
 * The toolkit's escaping (@actions/core): %, CR and LF in a message, and
 * in a property : and , as well, after invalid UTF-8 became U+FFFD.
 */
static void
gh_escape(struct buf *b, const char *s, size_t len, int prop)
{
	struct buf t = { 0 };

	utf8_sanitize(&t, s, len);
	for (size_t i = 0; i < t.len; i++) {
		const char ch = t.p[i];
		if (ch == '%')
			buf_adds(b, "%25");
		else if (ch == '\r')
			buf_adds(b, "%0D");
		else if (ch == '\n')
			buf_adds(b, "%0A");
		else if (prop && ch == ':')
			buf_adds(b, "%3A");
		else if (prop && ch == ',')
			buf_adds(b, "%2C");
		else
			buf_addc(b, ch);
	}
	buf_free(&t);
}

static void
gh_title(struct buf *t, const struct gh_group *g)
{
	const char *const *f = g->ev->f;
	const char *kind = f[F_KIND] ? f[F_KIND] : f[F_CLASS] ? f[F_CLASS] :
	    "failure";
	char n[32];

	buf_adds(t, kind);
	if (f[F_TESTNAME] != NULL) {
		/* "test_failure in TestX" would say test twice. */
		buf_adds(t, g->rank == GH_TEST ? " " : " in ");
		buf_adds(t, f[F_TESTNAME]);
	}
	if (f[F_PKG] != NULL) {
		buf_adds(t, " (");
		buf_adds(t, f[F_PKG]);
		buf_addc(t, ')');
	}
	if (g->count > 1) {
		snprintf(n, sizeof(n), " (%zu times)", g->count);
		buf_adds(t, n);
	}
}

/*
 * An output line that only repeats the headline ("    x_test.go:8: msg"
 * for msg), which the message already starts with.
 */
static int
says_msg(const char *line, const char *msg)
{
	const size_t m = strlen(msg);

	if (m == 0)
		return 0;
	line += strspn(line, " \t");
	const size_t n = strlen(line);
	if (n == m)
		return memcmp(line, msg, m) == 0;
	return n >= m + 2 && memcmp(line + n - m - 2, ": ", 2) == 0 &&
	    memcmp(line + n - m, msg, m) == 0;
}

static void
gh_message(struct buf *t, const struct event *ev)
{
	const char *msg = ev->f[F_MSG] ? ev->f[F_MSG] : "";
	size_t bytes = 0;
	long more = ev->output_omitted;
	int lines = 0;

	add_clipped(t, msg, GH_MSG_MAX);
	for (int i = 0; i < ev->noutput; i++) {
		const char *o = ev->output[i];
		if (says_msg(o, msg))
			continue;
		if (lines == GH_OUT_LINES || bytes >= GH_OUT_BYTES) {
			more++;
			continue;
		}
		buf_addc(t, '\n');
		add_clipped(t, o, GH_OUT_BYTES - bytes);
		bytes += clip(o, GH_OUT_BYTES - bytes);
		lines++;
	}
	if (more > 0) {
		char s[64];
		snprintf(s, sizeof(s), "\n... %ld more output line%s", more,
		    more == 1 ? "" : "s");
		buf_adds(t, s);
	}
	if (ev->f[F_HINT] != NULL) {
		buf_adds(t, "\nhint: ");
		add_clipped(t, ev->f[F_HINT], GH_HINT_MAX);
	}
}

static void
gh_annotate(struct buf *b, const struct gh_group *g, int sev,
    const struct ci_env *env, struct buf *t)
{
	const char *const *f = g->ev->f;
	char pbuf[CI_PATH_MAX];
	const char *file = gh_file(env, g->ev, pbuf);
	char sep = ' ';

	buf_adds(b, "::");
	buf_adds(b, sev_names[sev]);
	if (file != NULL) {
		buf_adds(b, " file=");
		gh_escape(b, file, strlen(file), 1);
		if (f[F_LINE] != NULL) {
			buf_adds(b, ",line=");
			gh_escape(b, f[F_LINE], strlen(f[F_LINE]), 1);
		}
		if (f[F_COL] != NULL) {
			buf_adds(b, ",col=");
			gh_escape(b, f[F_COL], strlen(f[F_COL]), 1);
		}
		sep = ',';
	}
	buf_addc(b, sep);
	buf_adds(b, "title=");
	t->len = 0;
	gh_title(t, g);
	gh_escape(b, t->p, t->len, 1);
	buf_adds(b, "::");
	t->len = 0;
	gh_message(t, g->ev);
	gh_escape(b, t->p, t->len, 0);
	buf_addc(b, '\n');
}

/* What the cap left out, per severity, and where the full list is. */
static void
gh_notice(struct buf *b, const size_t more[NSEV], const size_t moreev[NSEV],
    uint64_t dropped, const struct ci_env *env, struct buf *t)
{
	char s[160];
	int parts = 0;

	t->len = 0;
	for (int i = 0; i < NSEV; i++) {
		if (more[i] == 0)
			continue;
		snprintf(s, sizeof(s), "%s%zu more %s%s (%zu event%s)",
		    parts > 0 ? " and " : "", more[i], sev_names[i],
		    more[i] == 1 ? "" : "s", moreev[i], moreev[i] == 1 ? "" : "s");
		buf_adds(t, s);
		parts++;
	}
	if (parts > 0) {
		snprintf(s, sizeof(s), " not annotated (GitHub shows %d of each "
		    "severity per step)", GH_PER_SEVERITY);
		buf_adds(t, s);
	}
	if (dropped > 0) {
		snprintf(s, sizeof(s), "%s%llu events past the report's bound "
		    "of %d events in none", parts > 0 ? "; " : "",
		    (unsigned long long)dropped, REPORT_MAX);
		buf_adds(t, s);
	}
	if (env->events_path != NULL) {
		buf_adds(t, "; full list: ");
		buf_adds(t, env->events_path);
	} else {
		buf_adds(t, "; keep every event with --events FILE");
	}
	buf_adds(b, "::notice title=goerrfilt::");
	gh_escape(b, t->p, t->len, 0);
	buf_addc(b, '\n');
}

void
ci_github(struct buf *out, const struct evlist *l, const struct ci_env *env)
{
	size_t n, shown[NSEV] = { 0 }, more[NSEV] = { 0 }, moreev[NSEV] = { 0 };
	struct gh_group *g = gh_rank(l, &n);
	struct buf t = { 0 };

	for (size_t i = 0; i < n; i++) {
		const char *cls = g[i].ev->f[F_CLASS];
		const int sev = cls != NULL && strcmp(cls, "vet") == 0 ?
		    SEV_WARNING : SEV_ERROR;
		if (shown[sev] == GH_PER_SEVERITY) {
			more[sev]++;
			moreev[sev] += g[i].count;
			continue;
		}
		gh_annotate(out, &g[i], sev, env, &t);
		shown[sev]++;
	}
	if (more[SEV_ERROR] > 0 || more[SEV_WARNING] > 0 || l->dropped > 0)
		gh_notice(out, more, moreev, l->dropped, env, &t);
	buf_free(&t);
	free(g);
}
