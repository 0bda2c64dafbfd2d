/*
 * runenv.c - the scrubbed, pinned environment of a run (see runenv.h).
 */
#include <stdlib.h>
#include <string.h>

#include "runenv.h"
#include "util.h"

void
runenv_set(struct runenv *e, const char *kv)
{
	const size_t kl = strcspn(kv, "=");

	for (int i = 0; i < e->n; i++)
		if (strncmp(e->envp[i], kv, kl + 1) == 0) {
			free(e->envp[i]);
			e->envp[i] = xstrdup(kv);
			return;
		}
	e->envp = xrealloc(e->envp, (size_t)(e->n + 2) * sizeof(*e->envp));
	e->envp[e->n++] = xstrdup(kv);
	e->envp[e->n] = NULL;
}

const char *
runenv_get(const struct runenv *e, const char *k)
{
	const size_t kl = strlen(k);

	for (int i = 0; i < e->n; i++)
		if (strncmp(e->envp[i], k, kl) == 0 && e->envp[i][kl] == '=')
			return e->envp[i] + kl + 1;
	return NULL;
}

void
runenv_free(struct runenv *e)
{
	for (int i = 0; i < e->n; i++)
		free(e->envp[i]);
	free(e->envp);
	e->envp = NULL;
	e->n = 0;
}

/*
 * The pins: no toolchain download, no module proxy, no go env file, and
 * one language for the messages the rules read.  GOFLAGS= is not among
 * them: it clears the caller's, and a case may set its own.
 */
static const char *const pins[] = {
	"GOTOOLCHAIN=local", "GOPROXY=off", "GOENV=off", "GONOSUMDB=",
	"GOINSECURE=", "LANG=C", "LC_ALL=C", "TERM=dumb",
};
#define NPINS (sizeof(pins) / sizeof(pins[0]))

/*
 * Where a run writes and which toolchain it runs: set per run.  GOMODCACHE,
 * GOTMPDIR, GOBIN and GOROOT default to places inside the run or the
 * toolchain; a case naming others would write or read elsewhere, or run
 * another toolchain than the report names.
 */
static const char *const per_run[] = {
	"PATH", "HOME", "TMPDIR", "GOCACHE", "GOPATH", "GOMODCACHE",
	"GOTMPDIR", "GOBIN", "GOROOT",
};

/* Code the dynamic loader or a shell would run before every command. */
static const char *const loaders[] = {
	"LD_PRELOAD", "LD_AUDIT", "BASH_ENV", "ENV",
};

static int
is_name(const char *name, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(name, s, n) == 0;
}

int
runenv_fixed(const char *name, size_t n, const char **value)
{
	for (size_t i = 0; i < NPINS; i++) {
		size_t kl = strcspn(pins[i], "=");
		if (kl == n && memcmp(pins[i], name, n) == 0) {
			if (value != NULL)
				*value = pins[i] + kl + 1;
			return RUNENV_PINNED;
		}
	}
	for (size_t i = 0; i < sizeof(per_run) / sizeof(per_run[0]); i++)
		if (is_name(name, n, per_run[i]))
			return RUNENV_PER_RUN;
	for (size_t i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++)
		if (is_name(name, n, loaders[i]))
			return RUNENV_LOADER;
	return RUNENV_FREE;
}

void
runenv_build(struct runenv *e, const char *go, const char *root,
    const char *words)
{
	char *godir = xstrdup(go), *slash = strrchr(godir, '/');
	char *s;

	if (slash != NULL)
		*slash = '\0';
	s = xasprintf("PATH=%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	    godir);
	runenv_set(e, s);
	free(s);
	free(godir);
	static const char *const sub[][2] = {
		{ "HOME", "home" }, { "TMPDIR", "tmp" }, { "GOCACHE", "gocache" },
		{ "GOPATH", "gopath" },
	};
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		s = xasprintf("%s=%s/%s", sub[i][0], root, sub[i][1]);
		runenv_set(e, s);
		free(s);
	}
	/* GOFLAGS= where it always was, after GOTOOLCHAIN (the order of env). */
	for (size_t i = 0; i < NPINS; i++) {
		runenv_set(e, pins[i]);
		if (i == 0)
			runenv_set(e, "GOFLAGS=");
	}
	if (words != NULL) {
		char *dup = xstrdup(words), *sv = NULL;
		for (char *w = strtok_r(dup, " \t", &sv); w;
		    w = strtok_r(NULL, " \t", &sv))
			if (strchr(w, '=') != NULL && runenv_fixed(w,
			    strcspn(w, "="), NULL) == RUNENV_FREE)
				runenv_set(e, w);
		free(dup);
	}
}
