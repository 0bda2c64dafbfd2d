/*
 * engine.h - the classifier: lines in, events out.  Both goerrfilt and
 * goerrfilt-repro drive it; it owns the build-log context (headers, recent
 * -x commands), the open event and its arena, the traceback parser, and the
 * sub-engines of a `go build -json` / `go test -json` stream.
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

struct emit {
	void (*event)(void *arg, struct event *ev);
	void (*raw)(void *arg, const struct rawline *rl); /* NULL: drop */
	void *arg;
};

struct eng;

struct eng *eng_new(const struct ruleset *rs, const struct emit *em);
void eng_free(struct eng *e);

/*
 * Processes [p, p+len), which holds whole lines: every line ends in '\n'
 * except possibly the last at the end of input.
 */
void eng_chunk(struct eng *e, const char *p, size_t len);
/* Processes one line (no '\n'); longer input was cut by the caller. */
void eng_line(struct eng *e, const char *p, size_t len);
/* Ends the open event, if any (end of input, or input idle). */
void eng_flush(struct eng *e);
int eng_has_open(const struct eng *e);

/* For a sub-stream: the number the next line gets, and the default pkg. */
void eng_set_lineno(struct eng *e, uint64_t next);
void eng_set_pkg(struct eng *e, const char *pkg, size_t len);
/*
 * Strips r's match from the start of every line (--prefix); without it the
 * engine looks for a prefix rule that the first lines of each input share.
 */
void eng_set_prefix(struct eng *e, const struct rule *r);
/* A new input file begins: detect its prefix afresh. */
void eng_new_input(struct eng *e);
/* A sub-stream's text is never itself read as a -json stream. */
void eng_no_json(struct eng *e);

/* Statistics for --stats and the benchmark. */
struct eng_stats {
	uint64_t lines, candidates, regex_calls, events, limit_hits;
};
void eng_stats(const struct eng *e, struct eng_stats *st);

#endif
