/*
 * decode.h - --decode: reads msgpack event streams (the maps -f msgpack
 * writes) and Fluent Forward streams (Forward, Message and PackedForward
 * mode, as -f forward writes and collectors relay), plain or zstd, and
 * hands each record back as an event or a passthrough line to the same
 * callbacks the engine uses, so every output format can write them.
 *
 * Input is untrusted: lengths are checked before use (mrd.c), a message
 * may be at most DEC_MAX_MSG bytes, and memory stays bounded by that.  An
 * error is reported as "FILE: offset N: what" and ends that input.  The
 * events handed out are valid during the callback only.
 */
#ifndef GOERRFILT_DECODE_H
#define GOERRFILT_DECODE_H

#include <stddef.h>

#include "engine.h"

#define DEC_MAX_MSG (16u << 20)

/* Returns 0, or -1 after printing a message. */
int dec_run(const char *path, const struct emit *em);
/* The same over bytes in memory (the fuzz target). */
int dec_mem(const char *name, const void *p, size_t n, const struct emit *em);

#endif
