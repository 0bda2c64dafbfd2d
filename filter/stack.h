/*
 * stack.h - the traceback parser and normaliser (SPEC section 3: stack,
 * goroutines, fingerprint).
 *
 * The engine opens a block when a rule with `flag block` matches a headline
 * (panic:, fatal error:, WARNING: DATA RACE, SIGQUIT: quit, ...) and then
 * offers every following line to stk_feed() until it answers STK_END.
 * stk_finish() writes what the block held into the event.
 *
 * Ownership: the parser keeps its working state in memory it owns (reused
 * from block to block, bounded whatever the dump size); everything it
 * stores in the event is allocated from the arena it is given, which the
 * engine resets after writing the event.
 */
#ifndef GOERRFILT_STACK_H
#define GOERRFILT_STACK_H

#include <stddef.h>

#include "event.h"
#include "util.h"

struct stk;

enum stk_rc {
	STK_TAKE,       /* the line belongs to the block */
	STK_END,        /* the block ended before this line; line not consumed */
};

struct stk *stk_new(void);
void stk_free(struct stk *s);

/* Starts a block whose headline is line (already part of the event). */
void stk_begin(struct stk *s, const char *line, size_t len);
enum stk_rc stk_feed(struct stk *s, const char *line, size_t len);
/*
 * Fills ev->stack (the failing goroutine's normalised frames), ev->gr
 * (buckets), ev->ngoroutines, ev->recovered, and F_SIGNAL, F_ADDR,
 * F_GOROUTINE, F_FUNC/F_FILE/F_LINE (top app frame) when the block shows
 * them, and F_FINGERPRINT, allocating from a.
 */
void stk_finish(struct stk *s, struct event *ev, struct arena *a);

/*
 * For events without a stack (compile errors and the like): a fingerprint
 * over class, kind and the message with positions, numbers, quoted text and
 * paths normalised, allocated from a.
 */
void stk_fingerprint_msg(struct event *ev, struct arena *a);

/* Normalises one frame's file path into a, returning origin and module. */
const char *stk_norm_path(const char *path, size_t len, struct arena *a);

#endif
