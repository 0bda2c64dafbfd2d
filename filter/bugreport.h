/*
 * bugreport.h - goerrfilt-repro --bug-report: a Markdown issue in the
 * form of the Go issue tracker's template (Go version, go env, what did
 * you do: the case's sources and commands, what did you see: the output
 * and the normalised stack, where it reproduces and where it stops, what
 * did you expect), the temporary directory shown as /tmp/repro.
 *
 * It only reads the outcome and the versions summary it is given.
 */
#ifndef GOERRFILT_BUGREPORT_H
#define GOERRFILT_BUGREPORT_H

#include <stdio.h>

#include "repro_report.h"
#include "repro_run.h"

/* Writes the issue for outcome o (a case that reproduced) to f. */
void bug_report(FILE *f, const struct outcome *o, const struct versions *vs,
    const char *stops);

#endif
