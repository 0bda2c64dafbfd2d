/*
 * anchors.h - Go anchors: the literals that start Go's own text (panic:,
 * goroutine N [, file.go:L:C:, an -x command, a JSON record, ...).  The
 * unwrap stage looks for them behind a line's prefix; the rule set's
 * prefilter carries them next to the rules' literals (rules.h:
 * lit_anchor), so that one scan of a chunk serves the unwrap stage and the
 * classifier.  The table is constant data.
 */
#ifndef GOERRFILT_ANCHORS_H
#define GOERRFILT_ANCHORS_H

enum anchor {
	A_PANIC,        /* panic: / fatal error: : confirmed by a trace after it */
	A_GOROUTINE,    /* goroutine N [ */
	A_STRONG,       /* a headline no log message starts with */
	A_TEST,         /* --- FAIL: (indented in go test's own output) */
	A_POS,          /* file.go:L:C: */
	A_TOKEN,        /* inside a line that starts with the token before it */
	A_CMD,          /* a toolchain path: an -x command, behind known prefixes */
	A_WEAK,         /* go: , link: , runtime: : behind known prefixes only */
	A_JSON,         /* {" at the start of a line, or at the literal's {
			   or end (a CRI or GitLab record's tag before it) */
};


struct anchor_lit {
	const char *s;
	enum anchor kind;
	int anchored;       /* only at the start of a line */
};

#define NANCHORS 37
extern const struct anchor_lit anchor_lits[NANCHORS];

#endif
