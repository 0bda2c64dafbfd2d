/*
 * input.h - line input: a file or stdin, plain or zstd (recognised by its
 * magic number), read in large blocks and handed to the unwrap stage as whole
 * lines.  Memory is one fixed buffer whatever the input: a line longer than
 * IN_MAXLINE is classified by its first IN_MAXLINE bytes and the rest is
 * skipped (it still counts as one line).
 */
#ifndef GOERRFILT_INPUT_H
#define GOERRFILT_INPUT_H

#include <sys/types.h>

#include "unwrap.h"
#include "util.h"

/* The fuzz builds make it small, so that their inputs reach it. */
#ifndef IN_MAXLINE
#define IN_MAXLINE (64 * 1024)
#endif

struct in_opts {
	int tee_fd;          /* copy every input byte there, or -1 */
	int idle_ms;         /* close an open event after this much silence; 0 never */
	void (*idle)(void *arg); /* called after such a close, e.g. to flush output */
	void *idle_arg;
	/* Non-zero when the output holds something idle should write too. */
	int (*waiting)(void *arg);
};

/*
 * Reads path ("-" for stdin) to the end, feeding e.  Returns 0, or -1 after
 * printing a goerrfilt: message.
 */
int in_run(const char *path, struct uw *e, const struct in_opts *o);

/*
 * The same source as bytes (zstd decoded), for readers of binary streams.
 * in_open returns NULL after printing a message; in_read returns the
 * number of bytes, 0 at the end, -1 after printing a message.  The source
 * owns its buffers and descriptor until in_close.
 */
struct in_src;
struct in_src *in_open(const char *path);
ssize_t in_read(struct in_src *s, void *p, size_t n);
const char *in_name(const struct in_src *s);
void in_close(struct in_src *s);

#endif
