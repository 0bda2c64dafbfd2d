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
 * The same for the lines of a dump that stk_feed is sure to take: returns
 * 1 having taken the line, or 0 having changed nothing (feed it then).
 */
int stk_feed_hot(struct stk *s, const char *line, size_t len);
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

/*
 * Normalises one frame's file path into a: GOROOT to $GOROOT/src/..., the
 * module cache to module@version/..., go-build dirs to $WORK/...  The
 * origin and module of a frame also need its function: stk_norm_frame.
 */
const char *stk_norm_path(const char *path, size_t len, struct arena *a);

/*
 * Fills fr from a function name as printed (arguments already cut off)
 * and its file path (NULL when unknown): func, normalised file, line,
 * origin (runtime, stdlib, module, main, app) and module@version.
 */
void stk_norm_frame(struct frame *fr, const char *func, size_t flen,
    const char *path, size_t plen, long line, struct arena *a);

/*
 * For events without a stack: F_FINGERPRINT from class, kind and msg with
 * numbers, quoted strings and file system paths normalised.
 */
void stk_fingerprint_msg(struct event *ev, struct arena *a);

/*
 * The innermost panic of a chain ("panic: a [recovered]" then
 * "\tpanic: b" gives b, without its [recovered] mark), or NULL when the
 * block had no chain; valid until the next stk_begin.
 */
const char *stk_last_panic(const struct stk *s, size_t *len);

/*
 * Whether the block is a failure: 1 yes, 0 no, -1 not known yet.  Only a
 * block opened by a bare goroutine header (no panic:, fatal error: or
 * signal headline: a rule of `flag block tentative`) can be 0 or -1: it is
 * a failure when it is a recovered panic's stack printed with
 * runtime/debug.Stack or PrintStack (1 from its "panic" frame on), and no
 * failure otherwise (0 from its first frame, or when its goroutine ends
 * without one), after which stk_feed answers STK_END.  The engine
 * confirms a tentative block when this gives 1.
 */
int stk_verdict(const struct stk *s);

/* Goroutines not bucketed because the bucket limit was reached. */
long stk_overflow(const struct stk *s);

#endif
