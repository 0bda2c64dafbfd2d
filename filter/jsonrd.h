/*
 * jsonrd.h - a small JSON reader over one line, enough for the flat
 * objects of go -json streams, docker json-file records and JSON log
 * records.  It decodes strings (escapes, surrogate pairs; lone surrogates
 * become U+FFFD) into a caller-owned buffer and skips every other value.
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

#endif
