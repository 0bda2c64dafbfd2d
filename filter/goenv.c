/*
 * goenv.c - go env values from go env -json and from baselines (see
 * goenv.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "goenv.h"
#include "jsonrd.h"
#include "util.h"

const char *const goenv_vars[GOENV_N] = {
	"GOROOT", "GOPATH", "GOOS", "GOARCH", "CGO_ENABLED", "GO111MODULE",
	"GOMODCACHE", "GOCACHE", "GOEXPERIMENT", "GOFLAGS", "GOTOOLCHAIN",
	"GOAMD64", "GOWORK", "GOINSECURE", "GONOSUMDB", "GOPROXY", "CC",
};

/* Collects string members named in goenv_vars (and GOVERSION) into vals. */
struct envsink {
	char **vals;                    /* GOENV_NALL slots */
	int seen;
	struct buf val;                 /* a value, decoded */
};

static int
env_member(void *arg, const char *key, size_t klen, struct jr *r)
{
	struct envsink *s = arg;
	int i = 0;

	while (i < GOENV_N && strcmp(goenv_vars[i], key) != 0)
		i++;
	if (i == GOENV_N && strcmp(key, "GOVERSION") != 0)
		i = GOENV_NALL;         /* GOENV_VERSION is GOENV_N: GOVERSION */
	if (i == GOENV_NALL || r->p >= r->end || *r->p != '"')
		return jr_skip(r);
	s->val.len = 0;
	if (jr_str(r, &s->val) != 0)
		return -1;
	free(s->vals[i]);
	s->vals[i] = xmemdup(s->val.p, s->val.len);
	s->seen++;
	return 0;
}

int
goenv_parse(const char *text, size_t len, char *vals[GOENV_NALL])
{
	struct envsink s = { vals, 0, { 0 } };
	struct buf key = { 0 };

	if (text == NULL) {             /* no output at all: an empty buf */
		text = "";
		len = 0;
	}
	struct jr r = { text, text + len };
	int rc = jr_object(&r, &key, env_member, &s);
	buf_free(&key);
	buf_free(&s.val);
	return rc;
}

/* A baseline: a report line (its go_env), or a go env -json object. */
struct basesink {
	struct envsink top, nested;
	struct buf key;                 /* the nested object's member names */
};

static int
base_member(void *arg, const char *key, size_t klen, struct jr *r)
{
	struct basesink *s = arg;

	if (strcmp(key, "go_env") == 0 && r->p < r->end && *r->p == '{')
		return jr_object(r, &s->key, env_member, &s->nested);
	return env_member(&s->top, key, klen, r);
}

int
goenv_load_baseline(const char *path, char *vals[GOENV_N])
{
	struct buf b = { 0 }, key = { 0 };
	char *top[GOENV_NALL] = { 0 }, *nested[GOENV_NALL] = { 0 };
	struct basesink s = { { top, 0, { 0 } }, { nested, 0, { 0 } }, { 0 } };

	if (buf_read_file(&b, path, 64 << 20) != 0) {
		warnx_("%s: %s", path, strerror(errno));
		buf_free(&b);
		return -1;
	}
	/* The first JSON value of the file: a JSON Lines report's first line. */
	struct jr r = { b.p, b.p + b.len };
	int rc = jr_object(&r, &key, base_member, &s);
	if (rc != 0 || (s.top.seen == 0 && s.nested.seen == 0)) {
		warnx_("%s: not a report line or a go env -json object", path);
		rc = -1;
	}
	char **use = s.nested.seen > 0 ? nested : top;
	for (int i = 0; i < GOENV_NALL; i++) {
		if (i < GOENV_N && rc == 0) {
			vals[i] = use[i];
			use[i] = NULL;
		}
		free(top[i]);
		free(nested[i]);
	}
	buf_free(&b);
	buf_free(&key);
	buf_free(&s.key);
	buf_free(&s.top.val);
	buf_free(&s.nested.val);
	return rc;
}
