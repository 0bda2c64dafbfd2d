/*
 * gojson.h - `go build -json` and `go test -json` streams.
 *
 * Each JSON line's Output text is reassembled per package and test and fed
 * to a sub-engine of its own, so interleaved packages cannot mix their
 * blocks; ImportPath/Package becomes the events' pkg.  Lines that are not
 * such JSON are the caller's (gojson_line returns 0).  The demultiplexer
 * owns its sub-engines and their buffers.
 */
#ifndef GOERRFILT_GOJSON_H
#define GOERRFILT_GOJSON_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "rules.h"

struct gojson;

struct gojson *gojson_new(const struct ruleset *rs, const struct emit *em);
void gojson_free(struct gojson *g);
/*
 * What an envelope around the next line knew: its stream's name and time
 * (caller-owned, read during the gojson_line call that follows).
 */
void gojson_context(struct gojson *g, const char *stream, size_t slen,
    const char *time, size_t tlen);
/* Returns 1 when the line was a go -json event and has been consumed. */
int gojson_line(struct gojson *g, const char *s, size_t len, uint64_t lineno);
void gojson_flush(struct gojson *g);
/* The input ended: also what the packages' test trackers hold. */
void gojson_end(struct gojson *g);
void gojson_stats(const struct gojson *g, struct eng_stats *st);

#endif
