/*
 * input.h - line input: a file or stdin, plain or zstd (recognised by its
 * magic number), read in large blocks and handed to the unwrap stage as whole
 * lines.  Memory is one fixed buffer whatever the input: a line longer than
 * IN_MAXLINE is classified by its first IN_MAXLINE bytes and the rest is
 * skipped (it still counts as one line).
 */
#ifndef GOERRFILT_INPUT_H
#define GOERRFILT_INPUT_H

#include "unwrap.h"
#include "util.h"

#define IN_MAXLINE (64 * 1024)

struct in_opts {
	int tee_fd;          /* copy every input byte there, or -1 */
	int idle_ms;         /* close an open event after this much silence; 0 never */
	void (*idle)(void *arg); /* called after such a close, e.g. to flush output */
	void *idle_arg;
	/* non-zero: output is waiting to be flushed, so silence calls idle too
	 * (an event written to a file reaches it while the input is live) */
	int (*pending)(void *arg);
};

/*
 * Reads path ("-" for stdin) to the end, feeding e.  Returns 0, or -1 after
 * printing a goerrfilt: message.
 */
int in_run(const char *path, struct uw *e, const struct in_opts *o);

#endif
