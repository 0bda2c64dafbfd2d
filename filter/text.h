/*
 * text.h - the human view of an event: a readable summary for terminals
 * (colour only when asked, i.e. on a tty).  GitHub annotations are a
 * report format (ci_github.c).
 */
#ifndef GOERRFILT_TEXT_H
#define GOERRFILT_TEXT_H

#include "event.h"
#include "util.h"

void text_event(struct buf *out, const struct event *ev, int colour);

#endif
