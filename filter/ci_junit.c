/*
 * ci_junit.c - JUnit XML in the Ant/Jenkins form (schema/junit.xsd): one
 * testsuite per package, one testcase per test, and what the go test
 * converters lose: build errors, vet findings and crashes outside any
 * test become testcases of their package that carry an <error>.
 *
 * A failed test has a <failure>.  A passed or skipped test is known only
 * where go test reported it (-v, -json): the list's results, testcases
 * without a failure or with <skipped/>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "report.h"

#define NO_PKG "(no package)"

enum { JC_ERROR, JC_FAILURE, JC_PASSED, JC_SKIPPED };

struct jcase {
	int suite;
	int what;           /* JC_*: an <error>, a test's <failure>, neither */
	const char *name;
	size_t first, last; /* events of the case, chained through next[]; */
	size_t next;        /* SIZE_MAX for a result; the suite's next case */
	const char *elapsed; /* a result's */
	const char *why;    /* a skipped test's reason */
};

struct jsuite {
	const char *pkg;
	int ncases, nfail, nerr, nskip;
	double time;
	const char *timestamp;  /* the first event's collector time, or NULL */
	size_t first, last;     /* its cases, chained through jcase.next */
};

/* An open-addressing map from a key (bytes, NULs allowed) to an index. */
struct jmap {
	const char **key;
	size_t *klen;
	int *val;
	size_t mask;
};

struct junit {
	const struct evlist *l;
	const struct ci_env *env;
	struct arena a;
	size_t *next;           /* the next event of the same case, or SIZE_MAX */
	struct jcase *c;
	size_t nc;
	struct jsuite *s;
	size_t ns;
	struct jmap cases, suites;
};

static void
jmap_init(struct jmap *m, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	m->key = xcalloc(cap, sizeof(*m->key));
	m->klen = xcalloc(cap, sizeof(*m->klen));
	m->val = xcalloc(cap, sizeof(*m->val));
	m->mask = cap - 1;
}

static void
jmap_free(struct jmap *m)
{
	free(m->key);
	free(m->klen);
	free(m->val);
}

/* The slot of key: where it is, or the empty one where it goes. */
static size_t
jmap_slot(const struct jmap *m, const char *key, size_t len)
{
	size_t i = (size_t)hash_fnv1a64(FNV64_INIT, key, len) & m->mask;

	while (m->key[i] != NULL &&
	    (m->klen[i] != len || memcmp(m->key[i], key, len) != 0))
		i = (i + 1) & m->mask;
	return i;
}

/*
 * Appends s for an attribute (attr) or element text, escaped, with
 * invalid UTF-8 and the characters XML 1.0 forbids (C0 controls but tab,
 * LF and CR; U+FFFE, U+FFFF) replaced by U+FFFD.  Attributes keep tab, LF
 * and CR as references, which attribute-value normalisation would
 * otherwise turn into spaces; text keeps CR as one for the same reason.
 */
static void
xml_put(struct buf *out, const char *s, size_t len, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	const char *rep;

	buf_reserve(out, len);
	while (i < len) {
		const unsigned c = p[i];
		size_t k = 1;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		case '\r': rep = "&#13;"; break;
		default:
			rep = NULL;
			if (c < 0x20) {
				rep = "\xef\xbf\xbd";
			} else if (c >= 0x80) {
				k = utf8_len(p + i, len - i);
				if (k == 0)
					k = 1;
				if (k == 1 || (k == 3 && c == 0xef &&
				    p[i + 1] == 0xbf && p[i + 2] >= 0xbe))
					rep = "\xef\xbf\xbd";
			}
		}
		if (rep == NULL) {
			i += k;
			continue;
		}
		buf_add(out, s + run, i - run);
		buf_adds(out, rep);
		i += k;
		run = i;
	}
	buf_add(out, s + run, i - run);
}

static void
xml_attr(struct buf *out, const char *name, const char *v)
{
	buf_addc(out, ' ');
	buf_adds(out, name);
	buf_add(out, "=\"", 2);
	xml_put(out, v, strlen(v), 1);
	buf_addc(out, '"');
}

static void
xml_attr_long(struct buf *out, const char *name, long v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "%ld", v);
	xml_attr(out, name, tmp);
}

static void
xml_attr_time(struct buf *out, const char *name, double v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%.3f", v);
	xml_attr(out, name, tmp);
}

/* elapsed as xs:decimal wants it (digits, an optional fraction), or NULL. */
static const char *
decimal(const char *s)
{
	size_t n;

	if (s == NULL || (n = strspn(s, "0123456789")) == 0)
		return NULL;
	if (s[n] == '.' && strspn(s + n + 1, "0123456789") > 0)
		n += 1 + strspn(s + n + 1, "0123456789");
	return s[n] == '\0' ? s : NULL;
}

static int
is_crash(const struct event *ev)
{
	static const char *const crash[] = {
		"panic", "fatal", "signal", "race", NULL,
	};
	const char *class = ev->f[F_CLASS];

	for (int i = 0; class != NULL && crash[i] != NULL; i++)
		if (strcmp(class, crash[i]) == 0)
			return 1;
	return 0;
}

/* What an error testcase's name starts with: the step that failed. */
static const char *
class_label(const char *class)
{
	static const char *const map[][2] = {
		{ "compile_error", "build" }, { "ice", "build" },
		{ "link_error", "link" }, { "cgo_error", "cgo" },
		{ "gocmd_error", "go" }, { "vet", "vet" },
		{ "test_failure", "test" },
	};

	if (class == NULL)
		return "failure";
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(class, map[i][0]) == 0)
			return map[i][1];
	return class;
}

/*
 * The name of an error testcase: "build: undefined at alpha/alpha.go:7".
 * The same failure at the same place is one testcase, however often the
 * log repeats it.
 */
static const char *
error_name(struct junit *j, const struct event *ev)
{
	struct buf b = { 0 };
	char pbuf[CI_PATH_MAX];
	const char *path = ci_path(j->env, ev, pbuf);

	buf_adds(&b, class_label(ev->f[F_CLASS]));
	buf_add(&b, ": ", 2);
	buf_adds(&b, ev->f[F_KIND] ? ev->f[F_KIND] : "unknown");
	if (path != NULL && path[0] != '\0') {
		buf_add(&b, " at ", 4);
		buf_adds(&b, path);
		if (ev->f[F_LINE] != NULL) {
			buf_addc(&b, ':');
			buf_adds(&b, ev->f[F_LINE]);
		}
	}
	const char *name = arena_strndup(&j->a, b.p, b.len);
	buf_free(&b);
	return name;
}

static int
suite_of(struct junit *j, const char *pkg)
{
	const size_t n = strlen(pkg), i = jmap_slot(&j->suites, pkg, n);

	if (j->suites.key[i] != NULL)
		return j->suites.val[i];
	j->suites.key[i] = pkg;
	j->suites.klen[i] = n;
	j->suites.val[i] = (int)j->ns;
	j->s[j->ns] = (struct jsuite){ .pkg = pkg, .first = SIZE_MAX };
	return (int)j->ns++;
}

/* Appends the list's newest case to its suite. */
static void
add_case(struct junit *j, int suite)
{
	struct jsuite *s = &j->s[suite];

	if (s->first == SIZE_MAX)
		s->first = j->nc;
	else
		j->c[s->last].next = j->nc;
	s->last = j->nc++;
	s->ncases++;
	switch (j->c[s->last].what) {
	case JC_FAILURE: s->nfail++; break;
	case JC_ERROR: s->nerr++; break;
	case JC_SKIPPED: s->nskip++; break;
	}
}

/*
 * The case named name in pkg: its index, or -1 when there was none and
 * the name is now taken by the next case, j->c[j->nc].
 */
static int
case_claim(struct junit *j, const char *pkg, const char *name)
{
	struct buf key = { 0 };

	/* Test names have no spaces, error names do: the two never meet. */
	buf_adds(&key, pkg);
	buf_addc(&key, '\0');
	buf_adds(&key, name);
	const size_t i = jmap_slot(&j->cases, key.p, key.len);
	if (j->cases.key[i] != NULL) {
		buf_free(&key);
		return j->cases.val[i];
	}
	j->cases.key[i] = arena_strndup(&j->a, key.p, key.len);
	j->cases.klen[i] = key.len;
	buf_free(&key);
	j->cases.val[i] = (int)j->nc;
	return -1;
}

/* Files event e of the list under its testcase, made on first sight. */
static void
add_event(struct junit *j, size_t e)
{
	const struct event *ev = &j->l->ev[e];
	const char *pkg = ev->f[F_PKG] != NULL && ev->f[F_PKG][0] != '\0' ?
	    ev->f[F_PKG] : NO_PKG;
	const char *test = ci_test(ev);
	const int suite = suite_of(j, pkg);
	const char *name = test != NULL ? test : error_name(j, ev);
	const int have = case_claim(j, pkg, name);

	if (have >= 0) {
		struct jcase *c = &j->c[have];
		j->next[c->last] = e;
		c->last = e;
		return;
	}
	j->c[j->nc] = (struct jcase){ suite, test != NULL ? JC_FAILURE :
	    JC_ERROR, name, e, e, SIZE_MAX, NULL, NULL };
	add_case(j, suite);
}

/* A passed or skipped test; a test that also failed is its failure. */
static void
add_result(struct junit *j, const struct test_result *r)
{
	const char *pkg = r->pkg != NULL && r->pkg[0] != '\0' ? r->pkg : NO_PKG;

	if (case_claim(j, pkg, r->test) >= 0)
		return;
	const int suite = suite_of(j, pkg);
	j->c[j->nc] = (struct jcase){ suite, r->skipped ? JC_SKIPPED : JC_PASSED,
	    r->test, SIZE_MAX, SIZE_MAX, SIZE_MAX, decimal(r->elapsed), r->msg };
	add_case(j, suite);
}

/*
 * The event a testcase's message and type come from: a crash says more
 * than the test's "--- FAIL" line, an assertion's own line more than that.
 */
static const struct event *
primary(const struct junit *j, const struct jcase *c)
{
	const struct event *best = NULL;

	for (size_t e = c->first; e != SIZE_MAX; e = j->next[e]) {
		const struct event *ev = &j->l->ev[e];
		if (is_crash(ev))
			return ev;
		if (best == NULL || (strncmp(best->f[F_MSG] ? best->f[F_MSG] :
		    "", "--- ", 4) == 0 && ev->f[F_MSG] != NULL &&
		    strncmp(ev->f[F_MSG], "--- ", 4) != 0))
			best = ev;
	}
	return best;
}

static double
case_time(const struct junit *j, const struct jcase *c, const char **text)
{
	if (c->elapsed != NULL) {
		*text = c->elapsed;
		return strtod(c->elapsed, NULL);
	}
	for (size_t e = c->first; e != SIZE_MAX; e = j->next[e]) {
		const char *d = decimal(j->l->ev[e].f[F_ELAPSED]);
		if (d != NULL) {
			*text = d;
			return strtod(d, NULL);
		}
	}
	*text = "0";
	return 0;
}

/* The text of one event in a failure or error: where, what, and why. */
static void
event_text(struct buf *t, const struct event *ev, const struct ci_env *env)
{
	char pbuf[CI_PATH_MAX];
	const char *path = ci_path(env, ev, pbuf);
	const char *msg = ev->f[F_MSG] ? ev->f[F_MSG] : "";

	if (!ci_output_has(ev, msg)) {
		if (path != NULL && path[0] != '\0') {
			buf_adds(t, path);
			if (ev->f[F_LINE] != NULL) {
				buf_addc(t, ':');
				buf_adds(t, ev->f[F_LINE]);
			}
			if (ev->f[F_COL] != NULL) {
				buf_addc(t, ':');
				buf_adds(t, ev->f[F_COL]);
			}
			buf_add(t, ": ", 2);
		}
		buf_adds(t, msg);
		buf_addc(t, '\n');
	}
	for (int i = 0; i < ev->noutput; i++) {
		buf_adds(t, ev->output[i]);
		buf_addc(t, '\n');
	}
	if (ev->output_omitted > 0) {
		char tmp[64];
		snprintf(tmp, sizeof(tmp), "(%ld more lines of output)\n",
		    ev->output_omitted);
		buf_adds(t, tmp);
	}
	/* A crash's output, when kept, holds its traceback already. */
	if (ev->noutput == 0 && ev->nstack > 0) {
		buf_adds(t, "stack:\n");
		for (int i = 0; i < ev->nstack; i++) {
			const struct frame *fr = &ev->stack[i];
			buf_adds(t, fr->func);
			buf_addc(t, '\n');
			if (fr->file == NULL)
				continue;
			buf_addc(t, '\t');
			buf_adds(t, fr->file);
			if (fr->line > 0) {
				char tmp[24];
				snprintf(tmp, sizeof(tmp), ":%ld", fr->line);
				buf_adds(t, tmp);
			}
			buf_addc(t, '\n');
		}
	}
	if (ev->f[F_HINT] != NULL) {
		buf_adds(t, "hint: ");
		buf_adds(t, ev->f[F_HINT]);
		buf_addc(t, '\n');
	}
}

static void
write_case(struct buf *out, struct junit *j, const struct jcase *c)
{
	const char *pkg = j->s[c->suite].pkg;
	const char *elapsed;
	const char *tag = c->what == JC_FAILURE ? "failure" : "error";
	struct buf t = { 0 };

	case_time(j, c, &elapsed);
	buf_adds(out, "    <testcase");
	xml_attr(out, "name", c->name);
	xml_attr(out, "classname", pkg);
	xml_attr(out, "time", elapsed);
	if (c->what == JC_PASSED) {
		buf_add(out, "/>\n", 3);
		return;
	}
	if (c->what == JC_SKIPPED) {
		buf_adds(out, ">\n      <skipped");
		if (c->why != NULL)
			xml_attr(out, "message", c->why);
		buf_adds(out, "/>\n    </testcase>\n");
		return;
	}
	const struct event *p = primary(j, c);
	buf_add(out, ">\n      <", 9);
	buf_adds(out, tag);
	xml_attr(out, "message", p->f[F_MSG] ? p->f[F_MSG] : "");
	xml_attr(out, "type", p->f[F_KIND] ? p->f[F_KIND] : "unknown");
	buf_addc(out, '>');
	for (size_t e = c->first; e != SIZE_MAX; e = j->next[e]) {
		if (t.len > 0)
			buf_addc(&t, '\n');
		event_text(&t, &j->l->ev[e], j->env);
	}
	xml_put(out, t.p, t.len, 0);
	buf_free(&t);
	buf_add(out, "</", 2);
	buf_adds(out, tag);
	buf_add(out, ">\n    </testcase>\n", 18);
}

/*
 * An RFC 3339 time as the schema's timestamp: UTC, no zone.  Returns 0
 * when s is no such time.
 */
static int
rfc3339_utc(const char *s, struct tm *tm)
{
	int y, mo, d, h, mi, sec, n = 0;

	if (s == NULL || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo,
	    &d, &h, &mi, &sec, &n) != 6 || n != 19)
		return 0;
	s += n;
	if (*s == '.')
		s += 1 + strspn(s + 1, "0123456789");
	long off = 0;
	if (*s == '+' || *s == '-') {
		int oh, om, k = 0;
		if (sscanf(s + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
			return 0;
		off = (*s == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
	} else if (*s != 'Z' && *s != 'z') {
		return 0;
	}
	struct tm t = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
	    .tm_hour = h, .tm_min = mi, .tm_sec = sec };
	const time_t when = timegm(&t) - off;
	return gmtime_r(&when, tm) != NULL;
}

/*
 * When the tests ran, as far as goerrfilt knows: the log's own time of
 * the suite's first event, else SOURCE_DATE_EPOCH (so that a report can
 * be reproduced), else now.
 */
static void
put_timestamp(struct buf *out, const struct jsuite *s)
{
	struct tm tm;
	char tmp[32];

	if (!rfc3339_utc(s->timestamp, &tm)) {
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		char *end;
		time_t when = time(NULL);
		if (sde != NULL && sde[0] != '\0') {
			const long long v = strtoll(sde, &end, 10);
			if (*end == '\0' && v >= 0)
				when = (time_t)v;
		}
		gmtime_r(&when, &tm);
	}
	strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%S", &tm);
	xml_attr(out, "timestamp", tmp);
}

static void
write_suite(struct buf *out, struct junit *j, int id)
{
	struct jsuite *s = &j->s[id];
	const char *go_version = NULL;

	for (size_t i = s->first; i != SIZE_MAX && go_version == NULL;
	    i = j->c[i].next)
		for (size_t e = j->c[i].first; e != SIZE_MAX && go_version == NULL;
		    e = j->next[e])
			go_version = j->l->ev[e].f[F_GO_VERSION];
	buf_adds(out, "  <testsuite");
	xml_attr_long(out, "id", id);
	xml_attr(out, "name", s->pkg);
	xml_attr(out, "package", s->pkg);
	xml_attr_long(out, "tests", s->ncases);
	xml_attr_long(out, "failures", s->nfail);
	xml_attr_long(out, "errors", s->nerr);
	xml_attr_long(out, "skipped", s->nskip);
	xml_attr_time(out, "time", s->time);
	put_timestamp(out, s);
	/*
	 * goerrfilt reads a log and cannot know which machine ran the tests;
	 * the schema asks for "localhost" then.
	 */
	xml_attr(out, "hostname", "localhost");
	buf_add(out, ">\n", 2);
	if (go_version != NULL) {
		buf_adds(out, "    <properties>\n      <property");
		xml_attr(out, "name", "go.version");
		xml_attr(out, "value", go_version);
		buf_adds(out, "/>\n    </properties>\n");
	} else {
		buf_adds(out, "    <properties/>\n");
	}
	for (size_t i = s->first; i != SIZE_MAX; i = j->c[i].next)
		write_case(out, j, &j->c[i]);
	buf_adds(out, "    <system-out/>\n    <system-err/>\n  </testsuite>\n");
}

void
ci_junit(struct buf *out, const struct evlist *l, const struct ci_env *env)
{
	struct junit j = { .l = l, .env = env };
	long tests = 0, failures = 0, errors = 0;
	double total = 0;

	const size_t ncase = l->n + l->nres;

	j.next = xmalloc((l->n + 1) * sizeof(*j.next));
	j.c = xmalloc((ncase + 1) * sizeof(*j.c));
	j.s = xmalloc((ncase + 1) * sizeof(*j.s));
	jmap_init(&j.cases, ncase);
	jmap_init(&j.suites, ncase);
	for (size_t e = 0; e < l->n; e++) {
		j.next[e] = SIZE_MAX;
		add_event(&j, e);
	}
	for (size_t r = 0; r < l->nres; r++)
		add_result(&j, &l->res[r]);
	for (size_t i = 0; i < j.nc; i++) {
		const char *unused;
		struct jsuite *s = &j.s[j.c[i].suite];
		s->time += case_time(&j, &j.c[i], &unused);
		for (size_t e = j.c[i].first; e != SIZE_MAX && s->timestamp == NULL;
		    e = j.next[e])
			s->timestamp = l->ev[e].f[F_TIME];
	}
	for (size_t i = 0; i < j.ns; i++) {
		tests += j.s[i].ncases;
		failures += j.s[i].nfail;
		errors += j.s[i].nerr;
		total += j.s[i].time;
	}
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
	xml_attr(out, "name", "goerrfilt");
	xml_attr_long(out, "tests", tests);
	xml_attr_long(out, "failures", failures);
	xml_attr_long(out, "errors", errors);
	xml_attr_time(out, "time", total);
	buf_add(out, ">\n", 2);
	for (size_t i = 0; i < j.ns; i++)
		write_suite(out, &j, (int)i);
	buf_adds(out, "</testsuites>\n");
	jmap_free(&j.cases);
	jmap_free(&j.suites);
	arena_free(&j.a);
	free(j.next);
	free(j.c);
	free(j.s);
}
