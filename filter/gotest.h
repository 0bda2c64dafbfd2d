/*
 * gotest.h - go test's structure around the classifier's events.
 *
 * The tracker reads the lines of `go test` output that the testing package
 * and the go command frame (=== RUN/CONT/NAME, --- FAIL: at any depth,
 * PASS, FAIL, the package summary "ok  <TAB>pkg", "FAIL<TAB>pkg <TAB>0.01s",
 * "FAIL<TAB>pkg [build failed]") and attributes every other line to a test:
 * by the last === line under -v, by the indentation under a --- FAIL: report
 * without it, or by the test a go test -json record names (gt_set_test).
 *
 * From the first such line until the package's summary it holds the
 * engine's events (and passthrough lines, in order) in its own memory,
 * because in plain text the package is named only after its tests.  At the
 * summary it gives each event its pkg, fills each failed test's event
 * (test, elapsed, file/line/msg of its first location line, output), folds
 * a test's failure into the panic or race it died of, drops a parent that
 * failed only because a subtest did and a summary event that a failure
 * already explains, and hands everything on in input order.  Past GT_HELD
 * records or GT_HELD_BYTES bytes held, or GT_TESTS tests in one package,
 * what is held is handed on at once with what is known so far.
 *
 * The tracker owns its copies; the downstream emitter sees each event once
 * and must not keep pointers into it.
 */
#ifndef GOERRFILT_GOTEST_H
#define GOERRFILT_GOTEST_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "event.h"

#define GT_HELD 4096
#define GT_HELD_BYTES (8u << 20)
#define GT_TESTS 2048
/*
 * Lines in a row that belong to no test and frame nothing: the go test
 * output has ended without its summary (a log that goes on after it, a
 * stray "FAIL" line); what is held is handed on.
 */
#define GT_IDLE_LINES 1000

struct gt;

struct gt *gt_new(const struct emit *down);
/* The trackers of one input share what packages had events (gojson's). */
void gt_share_seen(struct gt *g, struct gt *with);
void gt_free(struct gt *g);

/*
 * The lines that start or frame go test output: prefixes, or whole lines
 * (whole).  The rule set gives them to the prefilter, anchored, so that
 * the engine hands such a line to the tracker; gt_marker tests one.
 */
struct gt_lit {
	const char *s;
	int whole;
};
extern const struct gt_lit gt_lits[];
int gt_marker(const char *s, size_t n);
/*
 * Whether the line is the go command's summary of a package's test run
 * ("ok  \tpkg", "FAIL\tpkg"): nothing of the package's test binary comes
 * after it, so it ends an open block.
 */
int gt_summary(const char *s, size_t n);
/* Whether a package's test output is open: every line then matters. */
int gt_active(const struct gt *g);

/*
 * One line (s cleaned of CR and colour codes, raw as read) after the
 * classifier saw it; took says which event took it: a crash's (a panic's
 * traceback, a race report: not the test's own output) or a test
 * failure's or summary's (an event that may be dropped, its lines then
 * passed through).
 */
enum { GT_TOOK_NONE, GT_TOOK_CRASH, GT_TOOK_TEST };
void gt_line(struct gt *g, const char *s, size_t n, const char *raw,
    size_t rawlen, uint64_t lineno, int took);
/* The test the next line belongs to, or NULL. */
const char *gt_current(const struct gt *g);

/* go test -json: the record's Package and Test (n 0: the package's own). */
void gt_set_pkg(struct gt *g, const char *pkg, size_t n);
void gt_set_test(struct gt *g, const char *test, size_t n);
/*
 * The record's OutputType (go1.27; n 0: none): "error" and
 * "error-continue" mark a test's own failure messages.
 */
void gt_set_output_type(struct gt *g, const char *type, size_t n);

/* Flags of gt_event: the event only stands for a package's summary. */
#define GT_EV_SUMMARY 1
void gt_event(struct gt *g, struct event *ev, int flags);
void gt_raw(struct gt *g, const struct rawline *rl);

/* The input ended (or the -json package did): hands on what is held. */
void gt_end(struct gt *g);

#endif
