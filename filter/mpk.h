/*
 * mpk.h - msgpack encoding and decoding.  This module is the only one that
 * includes msgpack.h (msgpack-c 4.x "msgpack" or 6.x "msgpack-c").
 *
 * Exports the event writer (same keys and types as the JSON writer) and a
 * small generic packer for the rule bundle and Fluent's framing.  Reading
 * msgpack is mrd.h's: a bounded cursor that builds no object tree.
 */
#ifndef GOERRFILT_MPK_H
#define GOERRFILT_MPK_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "util.h"

void mpk_event(struct buf *out, const struct event *ev);
void mpk_rawline(struct buf *out, uint64_t seq, const struct rawline *rl);
struct group;
void mpk_group(struct buf *out, uint64_t seq, const struct group *g);

/* Generic packing, appended to a buffer. */
void mpk_put_array(struct buf *out, uint32_t n);
void mpk_put_str(struct buf *out, const char *s, size_t len);
void mpk_put_uint(struct buf *out, uint64_t v);
void mpk_put_bin(struct buf *out, const void *p, size_t len);
void mpk_put_map(struct buf *out, uint32_t n);
/* An ext value (8 bytes become fixext 8, as Fluent's EventTime needs). */
void mpk_put_ext(struct buf *out, int8_t type, const void *p, size_t len);

#endif
