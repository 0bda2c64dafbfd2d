/*
 * learn.h - the unwrap stage's learning: where a Go anchor's text begins,
 * whether a logged panic has a trace, which prefix shapes the text before
 * an anchor teaches, and the stripping of learned prefixes from a line.
 * Internal to the unwrap stage (unwrap.c); the state is struct uw
 * (uwstate.h), which these functions read and extend with shapes and
 * streams.
 */
#ifndef GOERRFILT_LEARN_H
#define GOERRFILT_LEARN_H

#include <stddef.h>

#include "anchors.h"
#include "shape.h"
#include "uwstate.h"

/*
 * Where the Go text that the anchor literal id found at h starts, within
 * the line [ls, le), or NULL when the literal starts none there.
 */
const char *learn_anchor_start(int id, const char *ls, const char *le,
    const char *h);
/* The anchor at h opens a quoted value: key="... or "key":"... */
int learn_quoted_anchor(const char *ls, const char *h);
/* The anchor at h in the raw JSON record [ls, le) calls for a scan of the
 * decoded text: it stands behind something that may be a prefix. */
int learn_rec_anchor(int id, const char *ls, const char *le, const char *h);
/*
 * Whether a trace follows the line that ends at le within the chunk's
 * [le, end): 1, 0, or when the chunk ends first -1 (right after the line)
 * or -2 (a few lines after it).  Lines of another
 * stream than sid0 (or of a stream other than the shape sh's) do not count.
 */
int learn_trace_follows(struct uw *u, const struct shape *sh, int sid0,
    const char *le, const char *end);
/*
 * The text s[0..a) before an anchor of this kind is a prefix: learns its
 * shapes (known formats by the prefix rules, unknown ones confirmed by the
 * next line in [le, end)).  Returns 1 when the line now has a shape.
 */
int learn_prefix(struct uw *u, const char *s, size_t n, size_t a,
    enum anchor kind, const char *le, const char *end);
/*
 * Removes the learned prefixes the line has (up to three layers); sets
 * the stream, time and PART_ flags they give.  Returns the bytes removed.
 */
size_t learn_strip(struct uw *u, const char *s, size_t n, int *sid,
    const char **t, size_t *tn, int *partial);

#endif
