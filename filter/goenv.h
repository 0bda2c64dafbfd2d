/*
 * goenv.h - the go env variables a goerrfilt-repro report records (SPEC
 * section 6: 17 of them, and GOVERSION beside), read from the JSON of
 * `go env -json` or from a baseline file (a report line, whose go_env
 * holds them, or go env -json output) with jsonrd.c's reader.
 *
 * Values are arrays of char * indexed like goenv_vars (GOENV_VERSION
 * after them); the strings in them are the caller's to free, NULL where a
 * variable was absent or not a string.
 */
#ifndef GOERRFILT_GOENV_H
#define GOERRFILT_GOENV_H

#include <stddef.h>

#define GOENV_N 17
/* GOROOT, GOPATH, GOOS, GOARCH, CGO_ENABLED, ... CC: the report's go_env. */
extern const char *const goenv_vars[GOENV_N];
enum {
	GOENV_GOOS = 2, GOENV_GOARCH = 3,       /* indexes into goenv_vars */
	GOENV_VERSION = GOENV_N,                /* GOVERSION, after the 17 */
	GOENV_NALL
};

/*
 * The string members of the JSON object in text named in goenv_vars or
 * GOVERSION into vals (GOENV_NALL slots; a value already there is freed
 * when replaced); text may be NULL when len is 0.  Returns 0, or -1 when
 * text is not an object.
 */
int goenv_parse(const char *text, size_t len, char *vals[GOENV_NALL]);

/*
 * The values of the baseline file at path into vals (GOENV_N slots, NULL
 * before).  Returns 0, or -1 after printing why the file is no baseline.
 */
int goenv_load_baseline(const char *path, char *vals[GOENV_N]);

#endif
