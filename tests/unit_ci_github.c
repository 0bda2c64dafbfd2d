/*
 * unit_ci_github.c - unit tests of filter/ci_github.c and ci_markdown.c on
 * what the fixtures cannot show yet: events with the test field and a
 * failed test's output lines (synthetic events, shaped like the engine's).
 * The writers are compiled in here, as the unit tests link only the engine.
 * Prints one line per failed check and "N passed, M failed" last; exits 1
 * when a check failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../filter/report.c"
#include "../filter/ci_github.c"
#include "../filter/ci_markdown.c"

static int npass, nfail;

static void
expect(const char *name, const struct buf *b, const char *want)
{
	if (b->len == strlen(want) && memcmp(b->p, want, b->len) == 0) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL %s\n  got  %.*s\n  want %s\n", name, (int)b->len, b->p,
	    want);
}

static void
expect_has(const char *name, const struct buf *b, const char *want)
{
	if (memmem(b->p, b->len, want, strlen(want)) != NULL) {
		npass++;
		return;
	}
	nfail++;
	printf("FAIL %s\n  got  %.*s\n  lacks %s\n", name, (int)b->len, b->p,
	    want);
}

static struct event
test_event(const char *test, const char *msg, const char *fp)
{
	struct event ev = { 0 };

	ev.f[F_CLASS] = "test_failure";
	ev.f[F_KIND] = "test_failure";
	ev.f[F_PKG] = "example.com/m/calc";
	ev.f[F_TESTNAME] = test;
	ev.f[F_MSG] = msg;
	ev.f[F_FILE] = "calc_test.go";
	ev.f[F_LINE] = "24";
	ev.f[F_FINGERPRINT] = fp;
	return ev;
}

int
main(void)
{
	const struct ci_env env = { .workspace = "/w" };
	struct evlist l = { 0 };
	struct buf b = { 0 };

	/* A test failure: its test in the title, the output after the message. */
	struct event ev = test_event("TestTable/one", "Add(2, 3) = 6, want 5",
	    "86dc46f3d68bd625");
	const char *out[] = { "    calc_test.go:24: Add(2, 3) = 6, want 5",
	    "    calc_test.go:25: got 6%", "\tnote: a\r" };
	ev.output = out;
	ev.noutput = 3;
	evlist_add(&l, &ev);
	ci_github(&b, &l, &env);
	expect("github: test in the title, output lines without the headline's repeat", &b,
	    "::error file=calc_test.go,line=24,title=test_failure TestTable/one "
	    "(example.com/m/calc)::Add(2, 3) = 6, want 5%0A    calc_test.go:25: "
	    "got 6%25%0A\tnote: a%0D\n");
	b.len = 0;
	ci_markdown(&b, &l, &env);
	expect_has("markdown: the test column", &b,
	    "| test_failure | 1 | example.com/m/calc | TestTable/one | calc_test.go:24 | ");
	evlist_free(&l);

	/* Long output: bounded, and the lines left out are counted. */
	ev = test_event("TestBig", "boom", "0123456789abcdef");
	const char *many[60];
	for (int i = 0; i < 60; i++)
		many[i] = "    big_test.go:9: a line of output";
	ev.output = many;
	ev.noutput = 50;
	ev.output_omitted = 10;
	evlist_add(&l, &ev);
	evlist_add(&l, &ev);
	b.len = 0;
	ci_github(&b, &l, &env);
	expect_has("github: 20 output lines, then the count of the rest", &b,
	    "%0A... 40 more output lines\n");
	expect_has("github: the count of a repeated fingerprint", &b,
	    "title=test_failure TestBig (example.com/m/calc) (2 times)::");
	if (b.len < 4096)
		npass++;
	else
		nfail++, printf("FAIL github: a bounded message is %zu bytes\n", b.len);
	evlist_free(&l);

	/* A crash in a test: "in TestX"; a path in the workspace is relative. */
	ev = (struct event){ 0 };
	ev.f[F_CLASS] = "panic";
	ev.f[F_KIND] = "index_out_of_range";
	ev.f[F_TESTNAME] = "TestIndex";
	ev.f[F_MSG] = "panic: runtime error: index out of range [3] with length 3";
	ev.f[F_FILE] = "/w/index/index.go";
	ev.f[F_LINE] = "7";
	ev.f[F_HINT] = "check the length";
	evlist_add(&l, &ev);
	b.len = 0;
	ci_github(&b, &l, &env);
	expect("github: a crash in a test", &b,
	    "::error file=index/index.go,line=7,title=index_out_of_range in TestIndex::"
	    "panic: runtime error: index out of range [3] with length 3%0Ahint: "
	    "check the length\n");
	evlist_free(&l);

	/* Invalid UTF-8 and a headline past the bound are cut cleanly. */
	char longmsg[3000];
	memset(longmsg, 'x', sizeof(longmsg) - 4);
	longmsg[10] = '\xff';
	memcpy(longmsg + 1023, "\xc3\xa9", 2);
	longmsg[sizeof(longmsg) - 1] = '\0';
	ev = test_event(NULL, longmsg, NULL);
	evlist_add(&l, &ev);
	b.len = 0;
	ci_github(&b, &l, &env);
	expect_has("github: a long headline stops on a UTF-8 boundary", &b,
	    "xx ...\n");
	expect_has("github: invalid UTF-8 becomes U+FFFD", &b,
	    "xx\xef\xbf\xbdxx");
	evlist_free(&l);

	buf_free(&b);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail > 0;
}
