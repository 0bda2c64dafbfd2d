/*
 * json.h - the JSON Lines writer for events and passthrough records, and
 * the UTF-8 sanitiser both writers share.
 */
#ifndef GOERRFILT_JSON_H
#define GOERRFILT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "util.h"

/* Length of the valid UTF-8 sequence at s (n > 0 bytes), or 0 when invalid. */
size_t utf8_len(const unsigned char *s, size_t n);
/* Appends s with every invalid UTF-8 sequence replaced by U+FFFD. */
void utf8_sanitize(struct buf *out, const char *s, size_t len);
/* Appends s as a JSON string literal (quoted, escaped, valid UTF-8). */
void json_str(struct buf *out, const char *s, size_t len);

void json_event(struct buf *out, const struct event *ev);
void json_rawline(struct buf *out, uint64_t seq, const struct rawline *rl);

#endif
