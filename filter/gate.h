/*
 * gate.h - cheap tests a line must pass before a rule's regex is run on it.
 *
 * A literal tells the prefilter that a line may match; it says nothing
 * about where.  ".go:" occurs in every structured log line that names its
 * caller ("caller": "api/handler.go:231"), but the rules that own that
 * literal match only where the line starts with a file position.  A gate
 * is a test implied by the regex itself, found by reading the regex's text
 * when the rule is compiled: a line that fails it cannot match, so the
 * regex call is skipped and no event changes.
 *
 * Exports gate_of(), which names the gate a regex implies (GATE_NONE when
 * it implies none this file knows), and gate_pass(), the test itself.
 * Nothing here allocates or keeps state.
 */
#ifndef GOERRFILT_GATE_H
#define GOERRFILT_GATE_H

#include <stddef.h>

enum gate {
	GATE_NONE = 0,
	/*
	 * The line starts with a file position: the regex starts with one of
	 * the file groups of the rule files, ^(?<file>...):(?<line>\d+), and
	 * has no alternative at its top level.
	 */
	GATE_FILEPOS,
	GATE_COUNT
};

enum gate gate_of(const char *regex);
/* 1 when the line s (n bytes) passes gate g. */
int gate_pass(enum gate g, const char *s, size_t n);

#endif
