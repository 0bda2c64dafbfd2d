/*
 * runenv.h - the environment a case's commands run with: built from
 * nothing (none of goerrfilt-repro's own environment leaks in), with the
 * chosen toolchain's bin first in PATH, HOME, TMPDIR, GOCACHE and GOPATH
 * inside the case's temporary directory, the pins (GOTOOLCHAIN=local,
 * GOFLAGS=, GOPROXY=off, GOENV=off, LANG=C, ...) and then the manifest's
 * env words, of which those that name a fixed setting (runenv_fixed) are
 * dropped: manifest.c refuses them, and this holds even for a manifest
 * that did not go through it.  GOFLAGS and CGO_ENABLED are the case's.
 *
 * struct runenv owns its "K=V" strings and the NULL-ended array, which is
 * what sb_run() takes as envp, until runenv_free().
 */
#ifndef GOERRFILT_RUNENV_H
#define GOERRFILT_RUNENV_H

struct runenv {
	char **envp;                    /* NULL-ended; NULL when empty */
	int n;
};

/*
 * Builds the environment for the go command at go (an absolute path) and
 * the temporary directory root; words is the manifest's env value
 * ("K=V K=V", blanks between), or NULL.
 */
void runenv_build(struct runenv *e, const char *go, const char *root,
    const char *words);

/* What runenv_fixed says of a variable. */
enum {
	RUNENV_FREE,            /* the case may set it */
	RUNENV_PINNED,          /* fixed to *value (GOPROXY=off) */
	RUNENV_PER_RUN,         /* a path of the run (HOME, GOCACHE, PATH) */
	RUNENV_LOADER,          /* would run code in every command (LD_PRELOAD) */
};

/*
 * Whether the variable named by the n bytes at name is one a case cannot
 * set; for RUNENV_PINNED *value is the pinned value.
 */
int runenv_fixed(const char *name, size_t n, const char **value);

/* Sets kv ("K=V"), replacing K's value when it is there. */
void runenv_set(struct runenv *e, const char *kv);
/* The value of k, or NULL; it lives until k is set again. */
const char *runenv_get(const struct runenv *e, const char *k);
void runenv_free(struct runenv *e);

#endif
