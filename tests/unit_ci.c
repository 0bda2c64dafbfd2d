/*
 * unit_ci.c - unit tests of the report writers ci_junit.c, ci_rdjsonl.c
 * and ci_gitlab.c on events built here: the fields that the engine does
 * not fill in yet for every input (test, elapsed, output) and the cases
 * a fixture does not have (a crash inside a named test, a file under the
 * workspace).  tests/ci_reports.sh checks the same writers on real logs.
 * Prints one line per failed check and "N passed, M failed" last; exits
 * 1 when a check failed.  "unit_ci --junit" prints the JUnit report of
 * these events instead, for the schema check in tests/ci_reports.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../filter/report.h"

static int npass, nfail;

static void
check(int ok, int line, const char *what)
{
	if (ok) {
		npass++;
		return;
	}
	nfail++;
	printf("unit_ci.c:%d: FAIL %s\n", line, what);
}

/* The writer's output must hold s. */
#define HAS(b, s) check(strstr((b)->p, (s)) != NULL, __LINE__, "has " s)
#define HASNT(b, s) check(strstr((b)->p, (s)) == NULL, __LINE__, "has not " s)

static const char *out_a[] = {
	"=== RUN   TestT/sub",
	"    t_test.go:9: got 1, want 2",
	"--- FAIL: TestT/sub (0.25s)",
};

static struct event
ev_new(const char *class, const char *kind, const char *pkg, const char *msg)
{
	struct event ev = { .recovered = -1 };

	ev.f[F_CLASS] = class;
	ev.f[F_KIND] = kind;
	ev.f[F_PKG] = pkg;
	ev.f[F_MSG] = msg;
	ev.f[F_FINGERPRINT] = "0123456789abcdef";
	return ev;
}

int
main(int argc, char **argv)
{
	const struct ci_env env = { .workspace = "/ws/" };
	struct evlist l = { 0 };
	struct buf b = { 0 };

	/* A subtest's failure with its output, and a panic in the same test. */
	struct event a = ev_new("test_failure", "test_failure", "ex/p",
	    "--- FAIL: TestT/sub (0.25s)");
	a.f[F_TESTNAME] = "TestT/sub";
	a.f[F_ELAPSED] = "0.25";
	a.f[F_FILE] = "t_test.go";
	a.f[F_LINE] = "9";
	a.output = out_a;
	a.noutput = 3;
	a.output_omitted = 3;
	a.f[F_FINGERPRINT] = "aaaaaaaaaaaaaaaa";
	evlist_add(&l, &a);
	struct event p = ev_new("panic", "nil_deref", "ex/p",
	    "panic: runtime error: invalid memory address or nil pointer dereference");
	p.f[F_TESTNAME] = "TestT/sub";
	p.f[F_FILE] = "/ws/p/x.go";
	p.f[F_LINE] = "4";
	p.f[F_FINGERPRINT] = "bbbbbbbbbbbbbbbb";
	evlist_add(&l, &p);
	/* A build error under the workspace, twice at two lines. */
	struct event c = ev_new("compile_error", "undefined", "ex/q", "undefined: x");
	c.f[F_FILE] = "/ws/q/q.go";
	c.f[F_LINE] = "3";
	c.f[F_COL] = "2";
	c.f[F_HINT] = "declare it";
	evlist_add(&l, &c);
	c.f[F_LINE] = "30";
	evlist_add(&l, &c);
	/* A go command error: no package, no file. */
	struct event d = ev_new("gocmd_error", "module_not_found", NULL,
	    "go: module ex/r: not found");
	d.f[F_FINGERPRINT] = "dddddddddddddddd";
	evlist_add(&l, &d);
	/* A test failure from before the test field: func names the test. */
	struct event f = ev_new("test_failure", "test_failure", "ex/p",
	    "got 3, want 4");
	f.f[F_FUNC] = "TestOld";
	f.f[F_FINGERPRINT] = "ffffffffffffffff";
	evlist_add(&l, &f);

	ci_junit(&b, &l, &env);
	if (argc > 1 && strcmp(argv[1], "--junit") == 0) {
		fwrite(b.p, 1, b.len, stdout);
		buf_free(&b);
		evlist_free(&l);
		return ferror(stdout) != 0;
	}
	buf_addc(&b, '\0');
	HAS(&b, "<testsuites name=\"goerrfilt\" tests=\"5\" failures=\"2\" errors=\"3\" time=\"0.250\">");
	HAS(&b, "<testsuite id=\"0\" name=\"ex/p\" package=\"ex/p\" tests=\"2\" failures=\"2\" errors=\"0\" skipped=\"0\" time=\"0.250\"");
	HAS(&b, "<testcase name=\"TestT/sub\" classname=\"ex/p\" time=\"0.25\">");
	HAS(&b, "<failure message=\"panic: runtime error: invalid memory address or nil pointer dereference\" type=\"nil_deref\">");
	HAS(&b, "=== RUN   TestT/sub\n    t_test.go:9: got 1, want 2\n--- FAIL: TestT/sub (0.25s)\n(3 more lines of output)\n");
	/* The headline is in the output: not written twice. */
	HASNT(&b, "t_test.go:9: --- FAIL");
	HAS(&b, "\np/x.go:4: panic: runtime error");
	HAS(&b, "<testcase name=\"TestOld\" classname=\"ex/p\" time=\"0\">");
	HAS(&b, "<testsuite id=\"1\" name=\"ex/q\" package=\"ex/q\" tests=\"2\" failures=\"0\" errors=\"2\"");
	HAS(&b, "<testcase name=\"build: undefined at q/q.go:3\" classname=\"ex/q\" time=\"0\">");
	HAS(&b, "<error message=\"undefined: x\" type=\"undefined\">q/q.go:3:2: undefined: x\nhint: declare it\n</error>");
	HAS(&b, "<testsuite id=\"2\" name=\"(no package)\" package=\"(no package)\" tests=\"1\" failures=\"0\" errors=\"1\"");
	HAS(&b, "<testcase name=\"go: module_not_found\" classname=\"(no package)\"");

	b.len = 0;
	ci_rdjsonl(&b, &l.ev[0], &env);
	buf_addc(&b, '\0');
	HAS(&b, "{\"message\":\"--- FAIL: TestT/sub (0.25s)\",\"location\":{\"path\":\"t_test.go\",\"range\":{\"start\":{\"line\":9}}},\"severity\":\"ERROR\"");
	HAS(&b, "\"original_output\":\"=== RUN   TestT/sub\\n    t_test.go:9: got 1, want 2\\n--- FAIL: TestT/sub (0.25s)\"}\n");
	b.len = 0;
	ci_rdjsonl(&b, &l.ev[2], &env);
	buf_addc(&b, '\0');
	HAS(&b, "{\"message\":\"undefined: x\\n\\nHint: declare it\",\"location\":{\"path\":\"q/q.go\",\"range\":{\"start\":{\"line\":3,\"column\":2}}}");
	b.len = 0;
	ci_rdjsonl(&b, &l.ev[4], &env);
	buf_addc(&b, '\0');
	HASNT(&b, "\"location\"");
	b.len = 0;
	ci_rdjsonl(&b, &l.ev[5], &env);
	buf_addc(&b, '\0');
	HAS(&b, "{\"message\":\"TestOld: got 3, want 4\"");

	b.len = 0;
	ci_gitlab(&b, &l, &env);
	buf_addc(&b, '\0');
	HAS(&b, "{\"description\":\"undefined: x (2 times; also at q/q.go:30)\",\"check_name\":\"undefined\"");
	HAS(&b, "\"severity\":\"blocker\",\"location\":{\"path\":\"q/q.go\",\"lines\":{\"begin\":3}}}");
	HAS(&b, "\"severity\":\"blocker\",\"location\":{\"path\":\"go.mod\",\"lines\":{\"begin\":1}}}");
	HAS(&b, "\"severity\":\"critical\",\"location\":{\"path\":\"p/x.go\",\"lines\":{\"begin\":4}}}");
	HAS(&b, "{\"description\":\"TestOld: got 3, want 4\"");
	check(b.p[0] == '[' && strcmp(b.p + strlen(b.p) - 3, "\n]\n") == 0,
	    __LINE__, "one array");

	struct evlist empty = { 0 };
	b.len = 0;
	ci_gitlab(&b, &empty, &env);
	buf_addc(&b, '\0');
	check(strcmp(b.p, "[]\n") == 0, __LINE__, "an empty report is []");

	buf_free(&b);
	evlist_free(&l);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail > 0;
}
