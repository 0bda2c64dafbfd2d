/*
 * shape.h - line prefix shapes: the form of a collector's or a log
 * package's prefix, learned from one line and then recognised on others
 * without a regex call.
 *
 * A shape is the prefix text with its digit runs generalised (a time
 * stamp's digits change from line to line, its punctuation does not) and a
 * fraction of seconds made optional (docker trims trailing zeros down to
 * none).  The part that names the stream (a compose service, a pod and
 * container) stays literal, so api-1 and api-2 are two shapes.  Spaces
 * stay exact: indentation is a prefix too, and a nested test's lines are
 * only one more level of it.
 *
 * The caller owns the shape structs; a shape owns nothing outside itself.
 */
#ifndef GOERRFILT_SHAPE_H
#define GOERRFILT_SHAPE_H

#include <stddef.h>

#define SHAPE_MAX 96

struct shape {
	unsigned char el[SHAPE_MAX];    /* literal bytes, or SH_DIGITS/SH_FRAC */
	int n;
	int time_a, time_b;             /* elements of the time stamp, -1 none */
	int partial;                    /* PART_CRI, PART_CONT or 0 */
};

/* A CRI "P" record: the line goes on in the next record of the stream. */
#define PART_CRI 1
/* A GitLab record flagged '+': it goes on with the line before it. */
#define PART_CONT 2

/*
 * Builds a shape from the prefix p[0..n); [keep_a, keep_b) (offsets, or
 * -1) is kept literal, [time_a, time_b) marks the time stamp.  Returns 0,
 * or -1 when the prefix is too long or holds bytes a shape cannot.
 */
int shape_make(struct shape *sh, const char *p, size_t n, long keep_a,
    long keep_b, long time_a, long time_b);
/*
 * Returns the length of the prefix of s[0..n) that has the shape (0: none)
 * and, when the shape has a time stamp, its offsets in s.
 */
size_t shape_match(const struct shape *sh, const char *s, size_t n,
    size_t *tb, size_t *te);
int shape_eq(const struct shape *a, const struct shape *b);

#endif
