/*
 * manifest.h - a case's manifest, case.conf (docs/cases.md): `key = value`
 * lines, `#` comment lines, checked against the keys and the SPEC
 * vocabulary.
 *
 * manifest_parse() works on bytes in memory and has no side effect on the
 * file system, the process or its output: what is wrong is collected as
 * messages in the manifest (a fuzz target can call it in a loop).
 * manifest_load() is the thin wrapper goerrfilt-repro uses: it reads
 * DIR/case.conf and prints each message with the program's prefix.
 *
 * Ownership: the manifest owns every string in it (dir, name, the values,
 * the messages) until manifest_free(), which may be called on a manifest
 * either function filled, however far it got.
 */
#ifndef GOERRFILT_MANIFEST_H
#define GOERRFILT_MANIFEST_H

#include <stddef.h>

/* The keys of case.conf, in the order the file format lists them. */
enum mf_key {
	MF_DESCRIPTION, MF_ISSUE, MF_MODE, MF_BUILD, MF_RUN, MF_ENV,
	MF_EXPECT_CLASS, MF_EXPECT_KIND, MF_EXPECT_PHASE, MF_EXPECT_EXIT,
	MF_REPRODUCES, MF_FIXED_IN, MF_ARCH, MF_MIN_CPUS, MF_MIN_RATE,
	MF_TIMEOUT, MF_NKEYS
};

enum { MODE_BUILD, MODE_RUN };

struct case_manifest {
	char *dir;                      /* the folder, no trailing slash */
	char *name;                     /* its last element */
	char *v[MF_NKEYS];              /* values as written; NULL: absent */
	int mode;                       /* MODE_BUILD unless mode = run */
	int expect_exit;                /* -1: not given */
	int min_cpus, timeout;          /* defaults 1 and 120 s */
	double min_rate;                /* default 1.0 */
	int line[MF_NKEYS];             /* where each value was; 0: absent */
	int errors;                     /* > 0: the case is not run */
	char **msg;                     /* the errors, "FILE:LINE: what" */
};

/* Longest line of case.conf, and largest file, in bytes. */
#define MF_LINE_MAX 4096
#define MF_FILE_MAX (1 << 20)

/*
 * Parses len bytes of text into *out, which it overwrites; name is the
 * file name the messages begin with.  dir and name stay NULL.  Returns
 * out->errors.  A case.conf is text: a NUL byte, a control character
 * other than a tab (a CR before the newline is taken as part of it), or
 * a line longer than MF_LINE_MAX is an error of that line.  Values are
 * never run: only build and run are commands, and the keys with a format
 * (issue, fixed_in, reproduces, arch, env and the expect_ ones) are
 * checked against it; env may not set what the run fixes (runenv.h).
 */
int manifest_parse(const char *name, const char *text, size_t len,
    struct case_manifest *out);

/*
 * Reads DIR/case.conf (dir as given on the command line) into *out, with
 * dir (trailing slashes cut) and name set (the folder's own name when the
 * last element is . or ..), and prints every message on stderr as
 * "goerrfilt-repro: FILE:LINE: what".  Returns out->errors; a file that
 * cannot be read, or is larger than MF_FILE_MAX, is one error.
 */
int manifest_load(const char *dir, struct case_manifest *out);

void manifest_free(struct case_manifest *m);

/* The value of key k, or NULL when absent or "-" (issue, fixed_in, arch). */
const char *manifest_val(const struct case_manifest *m, enum mf_key k);

#endif
