/*
 * envelope.h - JSON envelopes around Go output, one record per line:
 *
 *   docker's json-file driver  {"log":"panic: boom\n","stream":"stderr","time":"..."}
 *                              (a log without its newline goes on in the next
 *                              record of the stream: docker splits at 16 KiB)
 *   JSON log records           slog, zap, logrus: a string field that holds Go
 *                              output (a recovery handler's debug.Stack(), a
 *                              panic text), with the record's time
 *   logfmt records             slog's TextHandler, logrus' text formatter:
 *                              key=value pairs, a value that holds Go output
 *                              Go-quoted (stack="goroutine 1 [running]:\n...")
 *
 * go -json streams are gojson.h's.  The decoder owns its buffers; what it
 * returns points into them and is valid until the next env_decode.
 */
#ifndef GOERRFILT_ENVELOPE_H
#define GOERRFILT_ENVELOPE_H

#include <stddef.h>

#include "util.h"

enum env_kind {
	ENV_NONE,       /* not an envelope: read the line as text */
	ENV_DOCKER,     /* log (maybe without its newline), stream, time */
	ENV_RECORD,     /* go: the Go text the record holds; time */
};

struct env {
	struct buf log, stream, time, go, key, val;
};

enum env_kind env_decode(struct env *v, const char *s, size_t n);
/* A logfmt line: ENV_RECORD when a quoted value holds Go output, or ENV_NONE. */
enum env_kind env_logfmt(struct env *v, const char *s, size_t n);
void env_free(struct env *v);

#endif
