/*
 * repro_report.h - what goerrfilt-repro writes about a case: the JSON
 * report line per (case, toolchain) that SPEC section 6 describes
 * (schema/report.schema.json), written with json.c's string writer, the
 * versions summary all of a case's lines share, and --save-output's
 * DIR/CASE.log and DIR/CASE.meta.
 *
 * Nothing here owns an outcome; struct versions points into the caller's
 * outcomes and owns only its array (free vs.v).
 */
#ifndef GOERRFILT_REPRO_REPORT_H
#define GOERRFILT_REPRO_REPORT_H

#include "repro_run.h"
#include "util.h"

#define REPORT_VERSION 1

/* The toolchains a case ran on (status ran, a known version), oldest first. */
struct versions {
	const struct outcome **v;       /* the caller frees v */
	int n;
};

/*
 * Fills vs from the n outcomes of one case; returns the GOVERSION of the
 * first version after one where it reproduced that does not reproduce
 * (where it stops), or NULL.  The string belongs to the outcome.
 */
const char *versions_of(struct outcome *os, int n, struct versions *vs);

/* Replaces b's contents with the report line of o, newline included. */
void report_line(struct buf *b, const struct repro_opts *op,
    const struct outcome *o, const struct versions *vs, const char *stops);

/*
 * --save-output: the output of the run the report keeps as
 * op->save_dir/CASE.log (CASE.GOVERSION.log with several toolchains) and
 * what printed it as CASE.meta, in the folder op->save_fd (a case or
 * version that is not a plain file name is refused).  Returns 0, or -1
 * after a message.
 */
int save_output(const struct repro_opts *op, const struct outcome *o);

#endif
