/*
 * output.h - where events go: stdout or a file, zstd-compressed when the
 * path ends in .zst, flushed per event when the reader is a pipe or a
 * terminal (so `tail -f | goerrfilt` shows each event as it ends).
 * The sink owns its buffers and its FILE.
 */
#ifndef GOERRFILT_OUTPUT_H
#define GOERRFILT_OUTPUT_H

#include <stddef.h>

struct sink;

struct sink *sink_open(const char *path); /* NULL: stdout; dies on error */
int sink_is_tty(const struct sink *s);
void sink_write(struct sink *s, const void *p, size_t n);
/* Marks the end of an event: flushes when the reader is interactive. */
void sink_event_done(struct sink *s);
void sink_flush(struct sink *s);
int sink_pending(const struct sink *s); /* output not flushed yet */
/* Finishes the stream; returns 0, or -1 after printing a message. */
int sink_close(struct sink *s);

#endif
