/*
 * unwrap.h - the stage in front of the classifier: Go output as it arrives
 * in real logs, made bare.
 *
 * It decodes, per line and per block, what collectors and log packages put
 * around Go's text: line prefixes (time stamps, compose services, kubectl
 * and stern pod/container tags, BuildKit steps, CI runners, syslog and
 * journald, Go's log package, indentation, "| " and "> " quotes), JSON
 * envelopes (docker json-file, JSON log records holding Go output),
 * Kubernetes CRI partial lines, and go -json streams.  Known prefix
 * formats are data (rules of `context prefix`); an unknown prefix is
 * learned from a line where a Go anchor (panic:, goroutine N [, # pkg,
 * file.go:L:C:, ...) follows it, once the next line confirms it.  Lines of
 * different streams go to engines of their own, so interleaved services
 * cannot mix their blocks; each engine is told its stream's name and each
 * line's time.
 *
 * Bare input costs one literal scan per chunk for the anchors and is
 * otherwise handed to the engine whole.
 *
 * The unwrap stage owns its engines, the go -json demultiplexer and all
 * buffers; it reads the rule set and never changes it.
 */
#ifndef GOERRFILT_UNWRAP_H
#define GOERRFILT_UNWRAP_H

#include <stddef.h>

#include "engine.h"
#include "rules.h"

struct uw;

struct uw *uw_new(const struct ruleset *rs, const struct emit *em);
void uw_free(struct uw *u);
/* [p, p+len) holds whole lines, as for eng_chunk. */
void uw_chunk(struct uw *u, const char *p, size_t len);
/* One line without its newline (a longer one was cut by the caller). */
void uw_line(struct uw *u, const char *p, size_t len);
/* Ends every open block: end of input, or input idle. */
void uw_flush(struct uw *u);
/*
 * The input (or one file of it) ended: uw_flush, and what the test
 * trackers hold for a package whose summary never came.
 */
void uw_end(struct uw *u);
int uw_has_open(const struct uw *u);
/* A new input file begins: its prefixes are learned afresh. */
void uw_new_input(struct uw *u);
/* Removes r's match from the start of every line (--prefix). */
void uw_set_prefix(struct uw *u, const struct rule *r);
void uw_stats(const struct uw *u, struct eng_stats *st);

#endif
