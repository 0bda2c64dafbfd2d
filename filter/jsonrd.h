/*
 * jsonrd.h - a small JSON reader, enough for the flat objects of go -json
 * streams, docker json-file records and JSON log records (one line each),
 * and for goerrfilt-repro's go env -json output and baselines (an object
 * whose member may be an object).  It decodes strings (escapes, surrogate
 * pairs; lone surrogates become U+FFFD) into a caller-owned buffer and
 * skips every other value; jr_object walks an object's members.
 */
#ifndef GOERRFILT_JSONRD_H
#define GOERRFILT_JSONRD_H

#include "util.h"

struct jr {
	const char *p, *end;
};

void jr_ws(struct jr *r);
/* Reads a string into out (appended, decoded), or skips it when out is NULL. */
int jr_str(struct jr *r, struct buf *out);
/* Skips a scalar, or a nested value by bracket depth (strings aware). */
int jr_skip(struct jr *r);
/* Appends code point c, UTF-8 encoded (the logfmt decoder's too). */
void jr_put_utf8(struct buf *b, unsigned c);
/* The value of hex digit c, or -1. */
int jr_hexval(int c);
/* The first '"' or '\\' in [p, end), or end: a string's plain run. */
const char *jr_span_plain(const char *p, const char *end);

/*
 * Called by jr_object for each member: key is its decoded name (klen
 * bytes, NUL-terminated, in the walk's key buffer) and r is at its value,
 * which the function must consume (jr_str, jr_skip, or jr_object with a
 * key buffer of its own for a nested object).  Non-zero stops the walk.
 */
typedef int jr_member_fn(void *arg, const char *key, size_t klen,
    struct jr *r);
/*
 * Walks the object at r->p (after blanks) to its closing brace, calling
 * fn for each member; key is the caller's scratch for the members' names.
 * What follows the object is left unread.  Returns 0, or -1 when the text
 * is not an object or fn said stop.
 */
int jr_object(struct jr *r, struct buf *key, jr_member_fn *fn, void *arg);

#endif
