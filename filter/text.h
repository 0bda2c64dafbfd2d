/*
 * text.h - the human views of an event: a readable summary for terminals
 * (colour only when asked, i.e. on a tty) and GitHub Actions annotations.
 */
#ifndef GOERRFILT_TEXT_H
#define GOERRFILT_TEXT_H

#include "event.h"
#include "util.h"

void text_event(struct buf *out, const struct event *ev, int colour);
void github_event(struct buf *out, const struct event *ev);

#endif
