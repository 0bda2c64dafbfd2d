/*
 * engine.h - the classifier: lines in, events out.  Both goerrfilt and
 * goerrfilt-repro drive it, through the unwrap stage (unwrap.h) or directly
 * on bare Go text; it owns the build-log context (headers, recent -x
 * commands), the open event and its arena, and the traceback parser.  Its
 * input is bare Go output: collector prefixes, JSON envelopes and go -json
 * streams were decoded before it.
 *
 * The engine reads the rule set and never changes it.  Events are handed to
 * the emitter while they are valid; the emitter must not keep pointers into
 * them.
 */
#ifndef GOERRFILT_ENGINE_H
#define GOERRFILT_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "rules.h"

/*
 * A test that passed or was skipped, as go test reported it (-v's and
 * -json's "--- PASS:"/"--- SKIP:" lines) when its package ended: not an
 * event, but a report that lists every test (JUnit) wants it.  The
 * strings live only during the call.
 */
struct test_result {
	const char *pkg;            /* NULL when the package never said */
	const char *test;
	const char *elapsed;        /* "0.01", or NULL */
	const char *msg;            /* its first location line's text, or NULL */
	int skipped;
};

struct emit {
	void (*event)(void *arg, struct event *ev);
	void (*raw)(void *arg, const struct rawline *rl); /* NULL: drop */
	void *arg;
	void (*result)(void *arg, const struct test_result *r); /* NULL: drop */
};

struct eng;

struct eng *eng_new(const struct ruleset *rs, const struct emit *em);
void eng_free(struct eng *e);

/*
 * Processes [p, p+len), which holds whole lines: every line ends in '\n'
 * except possibly the last at the end of input.
 */
void eng_chunk(struct eng *e, const char *p, size_t len);
/*
 * The same, with the rule set's literal matches already found by a scan
 * of a buffer that holds [p, p+len): their offsets count from base.
 * Returns the number of lines it read.
 */
struct pf_match;
uint64_t eng_chunk_scanned(struct eng *e, const char *base, const char *p,
    size_t len, const struct pf_match *m, size_t nm);
/*
 * A traceback's lines without a literal scan: while the open event is a
 * confirmed traceback, takes the whole lines from p that the stack parser
 * is sure to take (a dump's frames, headers and blank lines), and stops
 * at the first other line.  *used is how many bytes it took; returns the
 * number of lines.  The caller hands the rest on the usual way.
 */
uint64_t eng_block_run(struct eng *e, const char *p, size_t len, size_t *used);
/* Processes one line (no '\n'); longer input was cut by the caller. */
void eng_line(struct eng *e, const char *p, size_t len);
/* Ends the open event, if any (input idle, a stream's pause). */
void eng_flush(struct eng *e);
/* The input ended: the open event, and what the test tracker holds. */
void eng_end(struct eng *e);
/*
 * go test -json: the package's test tracker, shared by the engines of its
 * tests (caller-owned; the engine's own is freed).
 */
struct gt;
void eng_set_gt(struct eng *e, struct gt *g);
int eng_has_open(const struct eng *e);

/*
 * What the unwrap stage knew of the lines: the number the next line gets,
 * the default pkg (a -json stream's), the stream's name (a compose service,
 * a pod/container), and per line the collector's time.  The facts array
 * (ascending line numbers, caller-owned) is read during the eng_chunk and
 * eng_line calls that follow, until eng_facts(e, NULL, 0).
 */
struct eng_fact {
	uint64_t lineno;
	const char *time;
	size_t tlen;
};
void eng_set_lineno(struct eng *e, uint64_t next);
void eng_set_pkg(struct eng *e, const char *pkg, size_t len);
void eng_set_stream(struct eng *e, const char *name, size_t len);
void eng_facts(struct eng *e, const struct eng_fact *f, size_t n);

/* Statistics for --stats and the benchmark. */
struct eng_stats {
	uint64_t lines, candidates, regex_calls, events, limit_hits;
};
void eng_stats(const struct eng *e, struct eng_stats *st);

#endif
