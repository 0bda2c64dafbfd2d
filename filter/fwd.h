/*
 * fwd.h - the Fluent Forward protocol v1, encoding side: Forward-mode
 * messages [tag, [[time, record], ...], {"size": N, "chunk": ID}] with
 * times as EventTime (ext type 0: 32-bit big-endian seconds, then
 * nanoseconds), and the RFC 3339 parser that turns an event's time field
 * into one.  The records are msgpack maps made by mpk.c; this module only
 * frames them.  The caller owns every buffer.
 */
#ifndef GOERRFILT_FWD_H
#define GOERRFILT_FWD_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define FWD_DEFAULT_TAG "goerrfilt"
/* A chunk id: base64 of 16 random bytes, NUL-terminated. */
#define FWD_CHUNK_LEN 24

/*
 * Parses RFC 3339 text (2026-12-02T12:21:57.224378421Z, a +hh:mm offset,
 * a space for the T, no zone taken as UTC).  Returns 0, or -1 when it is
 * not such a time.
 */
int fwd_parse_time(const char *s, uint64_t *sec, uint32_t *nsec);
/* The time for a record: its time text when that parses, else now. */
void fwd_time_for(const char *time_text, uint64_t *sec, uint32_t *nsec);

/* Appends one entry, [EventTime, record]; rec is an encoded msgpack map. */
void fwd_entry(struct buf *out, uint64_t sec, uint32_t nsec, const void *rec,
    size_t len);
/*
 * Appends the message around n entries (their bytes concatenated);
 * chunk is NULL without acks.
 */
void fwd_message(struct buf *out, const char *tag, const void *entries,
    size_t len, uint32_t n, const char *chunk);
/* Writes a new random chunk id into id[FWD_CHUNK_LEN + 1]. */
void fwd_new_chunk(char *id);

#endif
