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
	static const char *const pins[] = {
		"GOTOOLCHAIN=local", "GOFLAGS=", "GOPROXY=off", "GOENV=off",
		"GONOSUMDB=", "GOINSECURE=", "LANG=C", "LC_ALL=C", "TERM=dumb",
	};
	for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++)
		runenv_set(e, pins[i]);
	if (words != NULL) {
		char *dup = xstrdup(words), *sv = NULL;
		for (char *w = strtok_r(dup, " \t", &sv); w;
		    w = strtok_r(NULL, " \t", &sv))
			runenv_set(e, w);
		free(dup);
	}
}
