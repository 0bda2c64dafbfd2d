/*
 * runenv.h - the environment a case's commands run with: built from
 * nothing (none of goerrfilt-repro's own environment leaks in), with the
 * chosen toolchain's bin first in PATH, HOME, TMPDIR, GOCACHE and GOPATH
 * inside the case's temporary directory, the pins (GOTOOLCHAIN=local,
 * GOFLAGS=, GOPROXY=off, GOENV=off, LANG=C, ...) and then the manifest's
 * env words.
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

/* Sets kv ("K=V"), replacing K's value when it is there. */
void runenv_set(struct runenv *e, const char *kv);
/* The value of k, or NULL; it lives until k is set again. */
const char *runenv_get(const struct runenv *e, const char *k);
void runenv_free(struct runenv *e);

#endif
