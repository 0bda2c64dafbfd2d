/*
 * repro.c - goerrfilt-repro: builds and runs crash cases (cases/NN-name/,
 * or a user's own case folder) with one or more Go toolchains, each in a
 * fresh temporary directory and a scrubbed, pinned environment under the
 * limits of sandbox.c, classifies every run with the engine goerrfilt
 * uses, and writes one JSON report line per (case, toolchain) as SPEC
 * section 6 says, or a Markdown bug report in the Go issue tracker's form.
 *
 * Exit status: 0 every case reproduced as its manifest promises, 1 some
 * case did not, 2 trouble (a bad manifest, a toolchain that cannot run).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "json.h"
#include "match.h"
#include "rules.h"
#include "sandbox.h"

#define VERSION "0.1.0"
#define REPORT_VERSION 1
#define MAX_EVENTS 64           /* events kept per run */
#define MAX_FRAMES 32           /* frames kept per event */
#define OUT_CAP (16u << 20)     /* output bytes kept per run */
#define NOBODY 65534
/* Where the report shows the per-case temporary directory. */
#define TMP_MARK "$REPRO_TMP"

extern const unsigned char default_rules[];
extern const unsigned long default_rules_len;

/* SPEC section 6: the go env variables every report records. */
static const char *const env_vars[] = {
	"GOROOT", "GOPATH", "GOOS", "GOARCH", "CGO_ENABLED", "GO111MODULE",
	"GOMODCACHE", "GOCACHE", "GOEXPERIMENT", "GOFLAGS", "GOTOOLCHAIN",
	"GOAMD64", "GOWORK", "GOINSECURE", "GONOSUMDB", "GOPROXY", "CC",
};
#define NENV ((int)(sizeof(env_vars) / sizeof(env_vars[0])))
enum { E_GOOS = 2, E_GOARCH = 3 };      /* indexes into env_vars */
enum { GE_VERSION = NENV, GE_NALL };     /* GOVERSION after the 17 */

struct opts {
	int runs;
	const char **gos;
	int ngo;
	const char *baseline, *outpath;
	int bug_report, keep, progress;
	const char *save_dir;           /* --save-output */
	long mem_mb, max_procs, max_file_mb;
	int ncpus;
	uid_t uid;                      /* run cases as; (uid_t)-1 as is */
	gid_t gid;
	const char *tmpbase;
	char *base_env[NENV];           /* --baseline values */
	int have_base;
};

/* --- small helpers -------------------------------------------------------- */

static char *
xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
	return s;
}

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static int
read_file(const char *path, struct buf *b, size_t max)
{
	char tmp[8192];
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (b->len + n > max) {
			fclose(f);
			errno = EFBIG;
			return -1;
		}
		buf_add(b, tmp, n);
	}
	int err = ferror(f);
	fclose(f);
	buf_addc(b, '\0');
	b->len--;
	return err ? -1 : 0;
}

/* Replaces every occurrence of from in s with to; returns a new string. */
static char *
replace_all(const char *s, size_t len, const char *from, const char *to)
{
	struct buf b = { 0 };
	const size_t fl = from != NULL ? strlen(from) : 0;
	const char *end = s + len, *p = s;

	while (fl > 0 && p < end) {
		const char *q = memmem(p, (size_t)(end - p), from, fl);
		if (q == NULL)
			break;
		buf_add(&b, p, (size_t)(q - p));
		buf_adds(&b, to);
		p = q + fl;
	}
	buf_add(&b, p, (size_t)(end - p));
	buf_addc(&b, '\0');
	return b.p;
}

/* --- Go versions ------------------------------------------------------------ */

struct gover {
	int ok, major, minor, patch;    /* patch -1: none given; -2: rc/beta */
};

static struct gover
parse_gover(const char *s)
{
	struct gover v = { 0, 0, 0, -1 };
	char *e;

	if (s == NULL || strncmp(s, "go", 2) != 0)
		return v;
	v.major = (int)strtol(s + 2, &e, 10);
	if (e == s + 2 || *e != '.')
		return v;
	const char *p = e + 1;
	v.minor = (int)strtol(p, &e, 10);
	if (e == p)
		return v;
	if (*e == '.' && e[1] >= '0' && e[1] <= '9')
		v.patch = (int)strtol(e + 1, &e, 10);
	else if (strncmp(e, "rc", 2) == 0 || strncmp(e, "beta", 4) == 0)
		v.patch = -2;
	v.ok = 1;
	return v;
}

/* Orders toolchain versions; a release candidate precedes its .0. */
static int
gover_cmp(struct gover a, struct gover b)
{
	if (a.major != b.major)
		return a.major < b.major ? -1 : 1;
	if (a.minor != b.minor)
		return a.minor < b.minor ? -1 : 1;
	int pa = a.patch == -1 ? 0 : a.patch == -2 ? -1 : a.patch;
	int pb = b.patch == -1 ? 0 : b.patch == -2 ? -1 : b.patch;
	return pa < pb ? -1 : pa > pb;
}

/* A manifest token: go1.24 stands for every go1.24.x. */
static int
token_matches(const char *tok, struct gover v)
{
	struct gover t = parse_gover(tok);

	if (!t.ok || !v.ok || t.major != v.major || t.minor != v.minor)
		return 0;
	return t.patch == -1 || t.patch == v.patch;
}

/* v is at or after the fix named by tok (go1.25: any go1.25 release). */
static int
at_or_after(const char *tok, struct gover v)
{
	struct gover t = parse_gover(tok);

	if (!t.ok || !v.ok)
		return 0;
	if (t.patch == -1) {
		if (v.major != t.major)
			return v.major > t.major;
		return v.minor >= t.minor;
	}
	return gover_cmp(v, t) >= 0;
}

/* --- the case manifest -------------------------------------------------------- */

enum {
	K_DESCRIPTION, K_ISSUE, K_MODE, K_BUILD, K_RUN, K_ENV, K_EXPECT_CLASS,
	K_EXPECT_KIND, K_EXPECT_PHASE, K_EXPECT_EXIT, K_REPRODUCES,
	K_FIXED_IN, K_ARCH, K_MIN_CPUS, K_MIN_RATE, K_TIMEOUT, K_N
};
static const char *const keys[K_N] = {
	"description", "issue", "mode", "build", "run", "env", "expect_class",
	"expect_kind", "expect_phase", "expect_exit", "reproduces", "fixed_in",
	"arch", "min_cpus", "min_rate", "timeout",
};

enum { MODE_BUILD, MODE_RUN };

struct manifest {
	char *dir;                      /* the folder, no trailing slash */
	char *name;                     /* its last element */
	char *v[K_N];
	int mode;
	int expect_exit;                /* -1: not given */
	int min_cpus, timeout;
	double min_rate;
	int errors;                     /* reported; the case is not run */
};

static void
manifest_free(struct manifest *m)
{
	free(m->dir);
	free(m->name);
	for (int k = 0; k < K_N; k++)
		free(m->v[k]);
}

static int
conf_err(const char *path, int line, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: %s:%d: ", progname, path, line);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

static int
parse_int(const char *s, long lo, long hi, long *out)
{
	char *e;

	errno = 0;
	long v = strtol(s, &e, 10);
	if (errno != 0 || e == s || *e != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Reads DIR/case.conf; returns the number of errors reported. */
static int
manifest_load(const char *arg, struct manifest *m)
{
	struct buf b = { 0 };
	int errors = 0, lineno = 0;

	memset(m, 0, sizeof(*m));
	m->dir = xstrdup(arg);
	size_t dl = strlen(m->dir);
	while (dl > 1 && m->dir[dl - 1] == '/')
		m->dir[--dl] = '\0';
	const char *slash = strrchr(m->dir, '/');
	m->name = xstrdup(slash ? slash + 1 : m->dir);
	char *path = xasprintf("%s/case.conf", m->dir);
	if (read_file(path, &b, 1 << 20) != 0) {
		warnx_("%s: %s", path, strerror(errno));
		free(path);
		buf_free(&b);
		return 1;
	}
	for (char *line = b.p, *next; line != NULL && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			errors += conf_err(path, lineno, "expected key = value%s", "");
			continue;
		}
		*eq = '\0';
		char *k = trim(s), *v = trim(eq + 1);
		int ki = 0;
		while (ki < K_N && strcmp(keys[ki], k) != 0)
			ki++;
		if (ki == K_N) {
			errors += conf_err(path, lineno, "unknown key '%s'", k);
			continue;
		}
		if (m->v[ki] != NULL) {
			errors += conf_err(path, lineno, "'%s' given twice", k);
			continue;
		}
		m->v[ki] = xstrdup(v);
	}
	buf_free(&b);

	long n;
	m->mode = MODE_BUILD;
	m->expect_exit = -1;
	m->min_cpus = 1;
	m->timeout = 120;
	m->min_rate = 1.0;
	static const int need[] = { K_MODE, K_BUILD, K_EXPECT_CLASS, K_EXPECT_KIND };
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (m->v[need[i]] == NULL)
			errors += conf_err(path, 0, "'%s' is missing", keys[need[i]]);
	if (m->v[K_MODE] != NULL) {
		if (strcmp(m->v[K_MODE], "run") == 0)
			m->mode = MODE_RUN;
		else if (strcmp(m->v[K_MODE], "build") != 0)
			errors += conf_err(path, 0, "mode '%s' is neither build nor run",
			    m->v[K_MODE]);
	}
	if (m->mode == MODE_RUN && m->v[K_RUN] == NULL)
		errors += conf_err(path, 0, "mode = run needs a run command%s", "");
	if (m->v[K_EXPECT_CLASS] && !vocab_ok(F_CLASS, m->v[K_EXPECT_CLASS]))
		errors += conf_err(path, 0, "'%s' is not a SPEC class",
		    m->v[K_EXPECT_CLASS]);
	if (m->v[K_EXPECT_KIND] && !vocab_ok(F_KIND, m->v[K_EXPECT_KIND]))
		errors += conf_err(path, 0, "'%s' is not a SPEC kind",
		    m->v[K_EXPECT_KIND]);
	if (m->v[K_EXPECT_PHASE] && !vocab_ok(F_PHASE, m->v[K_EXPECT_PHASE]))
		errors += conf_err(path, 0, "'%s' is not a SPEC phase",
		    m->v[K_EXPECT_PHASE]);
	if (m->v[K_EXPECT_EXIT]) {
		if (parse_int(m->v[K_EXPECT_EXIT], 0, 255, &n) != 0)
			errors += conf_err(path, 0, "expect_exit '%s' is not 0-255",
			    m->v[K_EXPECT_EXIT]);
		else
			m->expect_exit = (int)n;
	}
	if (m->v[K_MIN_CPUS]) {
		if (parse_int(m->v[K_MIN_CPUS], 1, 4096, &n) != 0)
			errors += conf_err(path, 0, "min_cpus '%s' is not a count",
			    m->v[K_MIN_CPUS]);
		else
			m->min_cpus = (int)n;
	}
	if (m->v[K_TIMEOUT]) {
		if (parse_int(m->v[K_TIMEOUT], 1, 86400, &n) != 0)
			errors += conf_err(path, 0, "timeout '%s' is not 1-86400 s",
			    m->v[K_TIMEOUT]);
		else
			m->timeout = (int)n;
	}
	if (m->v[K_MIN_RATE]) {
		char *e;
		m->min_rate = strtod(m->v[K_MIN_RATE], &e);
		if (*e != '\0' || e == m->v[K_MIN_RATE] || !(m->min_rate > 0) ||
		    m->min_rate > 1)
			errors += conf_err(path, 0, "min_rate '%s' is not in (0, 1]",
			    m->v[K_MIN_RATE]);
	}
	if (m->v[K_ENV]) {
		/* K=V words; values cannot hold blanks (none needs to). */
		char *dup = xstrdup(m->v[K_ENV]), *sv = NULL;
		for (char *w = strtok_r(dup, " \t", &sv); w; w = strtok_r(NULL, " \t", &sv))
			if (strchr(w, '=') == NULL || w[0] == '=')
				errors += conf_err(path, 0, "env word '%s' is not K=V", w);
		free(dup);
	}
	free(path);
	return errors;
}

static const char *
mval(const struct manifest *m, int k)
{
	return m->v[k] != NULL && strcmp(m->v[k], "-") != 0 ? m->v[k] : NULL;
}

/* --- a minimal JSON reader: go env -json, the baseline ------------------- */

struct jrd {
	const char *p, *end;
	int depth;
};

static void
jr_ws(struct jrd *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int
hexv(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int
jr_hex4(struct jrd *r, unsigned *u)
{
	*u = 0;
	for (int i = 0; i < 4; i++) {
		int h = r->p < r->end ? hexv((unsigned char)*r->p) : -1;
		if (h < 0)
			return -1;
		*u = *u << 4 | (unsigned)h;
		r->p++;
	}
	return 0;
}

static void
put_utf8(struct buf *b, unsigned c)
{
	if (c < 0x80) {
		buf_addc(b, (char)c);
	} else if (c < 0x800) {
		buf_addc(b, (char)(0xc0 | c >> 6));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		buf_addc(b, (char)(0xe0 | c >> 12));
		buf_addc(b, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | c >> 18));
		buf_addc(b, (char)(0x80 | (c >> 12 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (c & 0x3f)));
	}
}

/* A string at r->p (the opening quote), decoded into out (NUL-ended). */
static int
jr_str(struct jrd *r, struct buf *out)
{
	out->len = 0;
	if (r->p >= r->end || *r->p != '"')
		return -1;
	r->p++;
	while (r->p < r->end && *r->p != '"') {
		char c = *r->p++;
		if (c != '\\') {
			buf_addc(out, c);
			continue;
		}
		if (r->p >= r->end)
			return -1;
		c = *r->p++;
		switch (c) {
		case 'n': buf_addc(out, '\n'); break;
		case 't': buf_addc(out, '\t'); break;
		case 'r': buf_addc(out, '\r'); break;
		case 'b': buf_addc(out, '\b'); break;
		case 'f': buf_addc(out, '\f'); break;
		case 'u': {
			unsigned u, lo;
			if (jr_hex4(r, &u) != 0)
				return -1;
			if (u >= 0xd800 && u < 0xdc00 && r->end - r->p >= 6 &&
			    r->p[0] == '\\' && r->p[1] == 'u') {
				r->p += 2;
				if (jr_hex4(r, &lo) != 0)
					return -1;
				if (lo >= 0xdc00 && lo < 0xe000)
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			}
			put_utf8(out, u);
			break;
		}
		default: buf_addc(out, c); break;
		}
	}
	if (r->p >= r->end)
		return -1;
	r->p++;
	buf_addc(out, '\0');
	out->len--;
	return 0;
}

static int jr_skip(struct jrd *r);

/*
 * The object at r->p: calls fn with each member's key and r at its value;
 * fn consumes the value.
 */
static int
jr_object(struct jrd *r, int (*fn)(void *, const char *, struct jrd *),
    void *arg)
{
	struct buf key = { 0 };
	int rc = -1;

	jr_ws(r);
	if (r->p >= r->end || *r->p != '{' || ++r->depth > 64)
		goto out;
	r->p++;
	jr_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		rc = 0;
		goto out;
	}
	for (;;) {
		jr_ws(r);
		if (jr_str(r, &key) != 0)
			goto out;
		jr_ws(r);
		if (r->p >= r->end || *r->p != ':')
			goto out;
		r->p++;
		jr_ws(r);
		if ((fn ? fn(arg, key.p, r) : jr_skip(r)) != 0)
			goto out;
		jr_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			rc = 0;
		}
		break;
	}
out:
	r->depth--;
	buf_free(&key);
	return rc;
}

static int
jr_skip(struct jrd *r)
{
	struct buf tmp = { 0 };
	int rc;

	jr_ws(r);
	if (r->p >= r->end)
		return -1;
	switch (*r->p) {
	case '{':
		return jr_object(r, NULL, NULL);
	case '"':
		rc = jr_str(r, &tmp);
		buf_free(&tmp);
		return rc;
	case '[':
		if (++r->depth > 64)
			return -1;
		r->p++;
		jr_ws(r);
		if (r->p < r->end && *r->p == ']') {
			r->p++;
			r->depth--;
			return 0;
		}
		for (;;) {
			if (jr_skip(r) != 0)
				return -1;
			jr_ws(r);
			if (r->p < r->end && *r->p == ',') {
				r->p++;
				continue;
			}
			if (r->p < r->end && *r->p == ']') {
				r->p++;
				r->depth--;
				return 0;
			}
			return -1;
		}
	default:
		/* numbers, true, false, null */
		while (r->p < r->end && strchr(",}] \t\r\n", *r->p) == NULL)
			r->p++;
		return 0;
	}
}

/* Collects string members named in env_vars (and GOVERSION) into vals. */
struct envsink {
	char **vals;                    /* GE_NALL slots */
	int seen;
};

static int
env_member(void *arg, const char *key, struct jrd *r)
{
	struct envsink *s = arg;
	int i = 0;

	while (i < NENV && strcmp(env_vars[i], key) != 0)
		i++;
	if (i == NENV && strcmp(key, "GOVERSION") != 0)
		i = GE_NALL;            /* GE_VERSION is NENV: GOVERSION */
	if (i == GE_NALL || r->p >= r->end || *r->p != '"')
		return jr_skip(r);
	struct buf b = { 0 };
	if (jr_str(r, &b) != 0) {
		buf_free(&b);
		return -1;
	}
	free(s->vals[i]);
	s->vals[i] = b.p ? b.p : xstrdup("");
	s->seen++;
	return 0;
}

/* A baseline: a report line (its go_env), or a go env -json object. */
struct basesink {
	struct envsink top, nested;
};

static int
base_member(void *arg, const char *key, struct jrd *r)
{
	struct basesink *s = arg;

	if (strcmp(key, "go_env") == 0 && r->p < r->end && *r->p == '{')
		return jr_object(r, env_member, &s->nested);
	return env_member(&s->top, key, r);
}

static int
load_baseline(const char *path, char *vals[NENV])
{
	struct buf b = { 0 };
	char *top[GE_NALL] = { 0 }, *nested[GE_NALL] = { 0 };
	struct basesink s = { { top, 0 }, { nested, 0 } };

	if (read_file(path, &b, 64 << 20) != 0) {
		warnx_("%s: %s", path, strerror(errno));
		buf_free(&b);
		return -1;
	}
	/* The first JSON value of the file: a JSON Lines report's first line. */
	struct jrd r = { b.p, b.p + b.len, 0 };
	int rc = jr_object(&r, base_member, &s);
	if (rc != 0 || (s.top.seen == 0 && s.nested.seen == 0)) {
		warnx_("%s: not a report line or a go env -json object", path);
		rc = -1;
	}
	char **use = s.nested.seen > 0 ? nested : top;
	for (int i = 0; i < GE_NALL; i++) {
		if (i < NENV && rc == 0) {
			vals[i] = use[i];
			use[i] = NULL;
		}
		free(top[i]);
		free(nested[i]);
	}
	buf_free(&b);
	return rc;
}

/* --- the temporary directory ------------------------------------------------ */

static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char tmp[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0777);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, tmp, sizeof(tmp))) > 0)
		if (write(out, tmp, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	return close(out) == 0 && n == 0 ? 0 : -1;
}

/* Copies the case folder: files, folders and symbolic links. */
static int
copy_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *de;
	int rc = 0;

	if (d == NULL)
		return -1;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		char *src = xasprintf("%s/%s", from, de->d_name);
		char *dst = xasprintf("%s/%s", to, de->d_name);
		struct stat st;
		if (lstat(src, &st) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = mkdir(dst, 0755) != 0 ? -1 : copy_tree(src, dst);
		} else if (S_ISREG(st.st_mode)) {
			rc = copy_file(src, dst, st.st_mode);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(src, target, sizeof(target) - 1);
			if (n < 0) {
				rc = -1;
			} else {
				target[n] = '\0';
				rc = symlink(target, dst);
			}
		}
		if (rc != 0)
			warnx_("copying %s: %s", src, strerror(errno));
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

static uid_t chown_uid;
static gid_t chown_gid;

static int
chown_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	return lchown(path, chown_uid, chown_gid) != 0 ? -1 : 0;
}

/* Go makes the module cache read-only; make every folder writable first. */
static int
unlock_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D || type == FTW_DNR)
		(void)chmod(path, (st->st_mode & 07777) | 0700);
	return 0;
}

static int
remove_cb(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st; (void)type; (void)ftw;
	(void)remove(path);
	return 0;
}

static void
remove_tree(const char *root)
{
	(void)nftw(root, unlock_cb, 32, FTW_PHYS);
	(void)nftw(root, remove_cb, 32, FTW_DEPTH | FTW_PHYS);
}

/* --- classification ---------------------------------------------------------- */

struct evc {
	char *f[F_NFIELDS];
	struct frame *stack;
	int nstack;
};

struct evlist {
	struct evc *v;
	int n, cap, dropped;
};

static void
on_event(void *arg, struct event *ev)
{
	struct evlist *l = arg;

	if (l->n == MAX_EVENTS) {
		l->dropped++;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof(*l->v));
	}
	struct evc *c = &l->v[l->n++];
	for (int f = 0; f < F_NFIELDS; f++)
		c->f[f] = ev->f[f] ? xstrdup(ev->f[f]) : NULL;
	/* Class and kind are always set by the engine; compare without fear. */
	if (c->f[F_CLASS] == NULL)
		c->f[F_CLASS] = xstrdup("");
	if (c->f[F_KIND] == NULL)
		c->f[F_KIND] = xstrdup(c->f[F_CLASS]);
	c->nstack = ev->nstack < MAX_FRAMES ? ev->nstack : MAX_FRAMES;
	c->stack = c->nstack ? xcalloc((size_t)c->nstack, sizeof(*c->stack)) : NULL;
	for (int i = 0; i < c->nstack; i++) {
		const struct frame *fr = &ev->stack[i];
		c->stack[i].func = xstrdup(fr->func ? fr->func : "");
		c->stack[i].file = fr->file ? xstrdup(fr->file) : NULL;
		c->stack[i].line = fr->line;
		c->stack[i].origin = xstrdup(fr->origin ? fr->origin : "app");
		c->stack[i].module = fr->module ? xstrdup(fr->module) : NULL;
	}
}

static void
evlist_free(struct evlist *l)
{
	for (int i = 0; i < l->n; i++) {
		struct evc *c = &l->v[i];
		for (int f = 0; f < F_NFIELDS; f++)
			free(c->f[f]);
		for (int k = 0; k < c->nstack; k++) {
			free((char *)c->stack[k].func);
			free((char *)c->stack[k].file);
			free((char *)c->stack[k].origin);
			free((char *)c->stack[k].module);
		}
		free(c->stack);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void
classify(const struct ruleset *rs, const struct buf *out, struct evlist *l)
{
	const struct emit em = { on_event, NULL, l, NULL };
	struct eng *e = eng_new(rs, &em);

	if (out->len > 0)
		eng_chunk(e, out->p, out->len);
	eng_flush(e);
	eng_free(e);
}

/* --- running a case on a toolchain ---------------------------------------- */

struct run {
	int code, sig, timed_out;
	long ms;
	struct evlist ev;
	int match;                      /* an event of the expected class/kind */
	int reproduced;                 /* match, with the expected exit code */
};

struct outcome {
	const struct manifest *m;
	const char *go;
	char *env[GE_NALL];             /* go env values, temp dir as TMP_MARK */
	struct gover ver;
	char ts[32];
	long duration_ms;
	const char *status;             /* ran, skipped, error */
	char *note;                     /* why skipped, or the error */
	struct run build;               /* mode run: the one build */
	int has_build;
	struct run *runs;
	int nruns, done;
	int reproduced_runs;
	double rate;
	int reproduces, expected, as_promised;
	const struct evc *primary;
	char *error_kind;
	struct run rerun;               /* -d=panic, for an ICE without stack */
	int has_rerun;
	char *rerun_flags;
	int net_isolated, uid_dropped;
	struct buf sample;              /* output of a reproducing (or first) run */
	int sample_repro;               /* sample is from a reproducing run */
	char *root;                     /* the temporary directory's name */
	char *goenv_text;               /* `go env`, for --bug-report */
	struct buf problems;            /* JSON array body */
	struct sb_limits lim;
};

static void
problem(struct outcome *o, const char *s)
{
	if (o->problems.len)
		buf_addc(&o->problems, ',');
	json_str(&o->problems, s, strlen(s));
}

static void
outcome_free(struct outcome *o)
{
	for (int i = 0; i < GE_NALL; i++)
		free(o->env[i]);
	free(o->note);
	evlist_free(&o->build.ev);
	for (int i = 0; i < o->nruns; i++)
		evlist_free(&o->runs[i].ev);
	free(o->runs);
	evlist_free(&o->rerun.ev);
	free(o->rerun_flags);
	free(o->error_kind);
	buf_free(&o->sample);
	free(o->goenv_text);
	free(o->root);
	buf_free(&o->problems);
}

struct ctx {
	const struct opts *op;
	const struct ruleset *rs;
	char *root;                     /* the temporary directory */
	char *casedir;
	char **envp;
	int nenv;
	struct sb_result res;
	int idx, total;                 /* for the progress line */
};

static void
progress(const struct ctx *c, const struct outcome *o, const char *what)
{
	if (!c->op->progress)
		return;
	fprintf(stderr, "\r\033[K[%d/%d] %s %s: %s", c->idx, c->total,
	    o->m->name, o->env[GE_VERSION] ? o->env[GE_VERSION] : o->go, what);
	fflush(stderr);
}

static void
env_set(struct ctx *c, const char *kv)
{
	const size_t kl = strcspn(kv, "=");

	for (int i = 0; i < c->nenv; i++)
		if (strncmp(c->envp[i], kv, kl + 1) == 0) {
			free(c->envp[i]);
			c->envp[i] = xstrdup(kv);
			return;
		}
	c->envp = xrealloc(c->envp, (size_t)(c->nenv + 2) * sizeof(*c->envp));
	c->envp[c->nenv++] = xstrdup(kv);
	c->envp[c->nenv] = NULL;
}

static const char *
env_get(const struct ctx *c, const char *k)
{
	const size_t kl = strlen(k);

	for (int i = 0; i < c->nenv; i++)
		if (strncmp(c->envp[i], k, kl) == 0 && c->envp[i][kl] == '=')
			return c->envp[i] + kl + 1;
	return NULL;
}

static void
env_free(struct ctx *c)
{
	for (int i = 0; i < c->nenv; i++)
		free(c->envp[i]);
	free(c->envp);
	c->envp = NULL;
	c->nenv = 0;
}

/*
 * The scrubbed, pinned environment: nothing of ours leaks in; the chosen
 * toolchain is first in PATH; caches and HOME are the case's own.
 */
static void
env_build(struct ctx *c, const char *go, const struct manifest *m)
{
	char *godir = xstrdup(go), *slash = strrchr(godir, '/');
	char *s;

	if (slash != NULL)
		*slash = '\0';
	s = xasprintf("PATH=%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	    godir);
	env_set(c, s);
	free(s);
	free(godir);
	static const char *const sub[][2] = {
		{ "HOME", "home" }, { "TMPDIR", "tmp" }, { "GOCACHE", "gocache" },
		{ "GOPATH", "gopath" },
	};
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		s = xasprintf("%s=%s/%s", sub[i][0], c->root, sub[i][1]);
		env_set(c, s);
		free(s);
	}
	static const char *const pins[] = {
		"GOTOOLCHAIN=local", "GOFLAGS=", "GOPROXY=off", "GOENV=off",
		"GONOSUMDB=", "GOINSECURE=", "LANG=C", "LC_ALL=C", "TERM=dumb",
	};
	for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++)
		env_set(c, pins[i]);
	if (m->v[K_ENV] != NULL) {
		char *dup = xstrdup(m->v[K_ENV]), *sv = NULL;
		for (char *w = strtok_r(dup, " \t", &sv); w; w = strtok_r(NULL, " \t", &sv))
			env_set(c, w);
		free(dup);
	}
}

static int
run_cmd(struct ctx *c, struct outcome *o, char *const argv[], int timeout)
{
	struct sb_limits lim = o->lim;

	lim.timeout_s = timeout;
	lim.cpu_s = timeout * c->op->ncpus < 60 ? 60 : timeout * c->op->ncpus;
	if (sb_run(argv, c->envp, c->casedir, &lim, &c->res) != 0) {
		free(o->note);
		o->note = xasprintf("%s", c->res.err);
		return -1;
	}
	if (c->res.net_isolated)
		o->net_isolated = 1;
	return 0;
}

static int
run_sh(struct ctx *c, struct outcome *o, const char *cmd, int timeout,
    struct run *r)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };

	if (run_cmd(c, o, argv, timeout) != 0)
		return -1;
	r->code = c->res.code;
	r->sig = c->res.sig;
	r->timed_out = c->res.timed_out;
	r->ms = c->res.duration_ms;
	classify(c->rs, &c->res.out, &r->ev);
	for (int i = 0; i < r->ev.n; i++) {
		const struct evc *e = &r->ev.v[i];
		if (strcmp(e->f[F_CLASS], o->m->v[K_EXPECT_CLASS]) == 0 &&
		    strcmp(e->f[F_KIND], o->m->v[K_EXPECT_KIND]) == 0)
			r->match = 1;
	}
	r->reproduced = r->match &&
	    (o->m->expect_exit < 0 || r->code == o->m->expect_exit);
	return 0;
}

/* go env -json in the case's environment: the 17 variables and GOVERSION. */
static int
read_go_env(struct ctx *c, struct outcome *o)
{
	char *argv[] = { (char *)o->go, "env", "-json", NULL };
	struct envsink s = { o->env, 0 };

	if (run_cmd(c, o, argv, 60) != 0)
		return -1;
	if (c->res.code != 0) {
		free(o->note);
		int n = c->res.out.len < 200 ? (int)c->res.out.len : 200;
		while (n > 0 && c->res.out.p[n - 1] == '\n')
			n--;
		o->note = xasprintf("%s env -json: exit %d%s%.*s", o->go,
		    c->res.code, n ? ": " : "", n, n ? c->res.out.p : "");
		return -1;
	}
	struct jrd r = { c->res.out.p, c->res.out.p + c->res.out.len, 0 };
	if (jr_object(&r, env_member, &s) != 0 || o->env[GE_VERSION] == NULL) {
		free(o->note);
		o->note = xasprintf("%s env -json: unreadable output", o->go);
		return -1;
	}
	/* The per-case paths differ on every run; the report names them so. */
	for (int i = 0; i < NENV; i++)
		if (o->env[i] != NULL && strstr(o->env[i], c->root) != NULL) {
			char *n = replace_all(o->env[i], strlen(o->env[i]), c->root,
			    TMP_MARK);
			free(o->env[i]);
			o->env[i] = n;
		}
	o->ver = parse_gover(o->env[GE_VERSION]);
	if (c->op->bug_report) {
		char *argv2[] = { (char *)o->go, "env", NULL };
		if (run_cmd(c, o, argv2, 60) == 0 && c->res.code == 0)
			o->goenv_text = replace_all(c->res.out.p, c->res.out.len,
			    c->root, "/tmp/repro");
	}
	return 0;
}

static int
ncpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static const struct evc *
first_ice_without_stack(const struct outcome *o)
{
	for (int i = 0; i < o->nruns; i++)
		for (int k = 0; k < o->runs[i].ev.n; k++) {
			const struct evc *e = &o->runs[i].ev.v[k];
			if (strcmp(e->f[F_CLASS], "ice") == 0 &&
			    e->nstack == 0)
				return e;
		}
	return NULL;
}

/*
 * A released compiler prints an ICE without its stack; -d=panic makes it
 * print the stack, which gives the phase and the frames known bugs are
 * recognised by.  Only the failing package gets the flag (a pattern of
 * -gcflags), so the standard library is not rebuilt.
 */
static int
ice_rerun(struct ctx *c, struct outcome *o)
{
	const struct evc *ice = first_ice_without_stack(o);

	if (ice == NULL)
		return 0;
	const char *pkg = ice->f[F_PKG];
	if (pkg != NULL && strchr(pkg, ' ') == NULL && strcmp(pkg, "main") != 0)
		o->rerun_flags = xasprintf("-gcflags=%s=-d=panic", pkg);
	else
		o->rerun_flags = xstrdup("-gcflags=-d=panic");
	/* Added to the case's own GOFLAGS, if its env sets some. */
	const char *old = env_get(c, "GOFLAGS");
	char *keep = xstrdup(old ? old : "");
	char *kv = xasprintf("GOFLAGS=%s%s%s", keep, *keep ? " " : "",
	    o->rerun_flags);
	env_set(c, kv);
	free(kv);
	progress(c, o, "re-run with -d=panic");
	int rc = run_sh(c, o, o->m->v[K_BUILD], o->m->timeout, &o->rerun);
	kv = xasprintf("GOFLAGS=%s", keep);
	env_set(c, kv);
	free(kv);
	free(keep);
	if (rc != 0)
		return -1;
	o->has_rerun = 1;
	return 0;
}

/* Keeps the output of the first reproducing run (or of the first run). */
static void
keep_sample(struct outcome *o, const struct sb_result *res, int reproduced)
{
	if (o->sample_repro || (o->sample.len > 0 && !reproduced))
		return;
	o->sample.len = 0;
	buf_add(&o->sample, res->out.p, res->out.len);
	o->sample_repro = reproduced;
}

/* The event the report shows, the kind seen most, the rate. */
static void
summarise(struct outcome *o)
{
	const struct manifest *m = o->m;

	for (int i = 0; i < o->nruns; i++)
		if (o->runs[i].reproduced)
			o->reproduced_runs++;
	o->rate = o->nruns > 0 ? (double)o->reproduced_runs / o->nruns : 0;
	o->reproduces = o->done > 0 && o->rate + 1e-9 >= m->min_rate;

	/* Kind seen most: each run counts each kind once. */
	int best = 0;
	for (int i = 0; i < o->nruns; i++)
		for (int k = 0; k < o->runs[i].ev.n; k++) {
			const char *kind = o->runs[i].ev.v[k].f[F_KIND];
			int dup = 0, cnt = 0;
			for (int j = 0; j < k && !dup; j++)
				dup = strcmp(o->runs[i].ev.v[j].f[F_KIND], kind) == 0;
			if (dup || kind == NULL)
				continue;
			for (int r = 0; r < o->nruns; r++)
				for (int j = 0; j < o->runs[r].ev.n; j++)
					if (strcmp(o->runs[r].ev.v[j].f[F_KIND], kind) == 0) {
						cnt++;
						break;
					}
			if (cnt > best) {
				best = cnt;
				free(o->error_kind);
				o->error_kind = xstrdup(kind);
			}
		}

	/* The expected event of the first run that shows it, else the first. */
	const struct run *src = o->has_build && o->done == 0 ? &o->build : NULL;
	for (int i = 0; i < o->nruns && o->primary == NULL; i++)
		for (int k = 0; k < o->runs[i].ev.n; k++) {
			const struct evc *e = &o->runs[i].ev.v[k];
			if (strcmp(e->f[F_CLASS], m->v[K_EXPECT_CLASS]) == 0 &&
			    strcmp(e->f[F_KIND], m->v[K_EXPECT_KIND]) == 0) {
				o->primary = e;
				break;
			}
		}
	for (int i = 0; i < o->nruns && o->primary == NULL; i++)
		if (o->runs[i].ev.n > 0)
			o->primary = &o->runs[i].ev.v[0];
	if (o->primary == NULL && src != NULL && src->ev.n > 0)
		o->primary = &src->ev.v[0];
	if (o->error_kind == NULL && o->primary != NULL)
		o->error_kind = xstrdup(o->primary->f[F_KIND]);
	/* The -d=panic re-run has the ICE's frames: it decides the phase. */
	if (o->has_rerun && o->primary != NULL &&
	    strcmp(o->primary->f[F_CLASS], "ice") == 0)
		for (int k = 0; k < o->rerun.ev.n; k++) {
			const struct evc *e = &o->rerun.ev.v[k];
			if (strcmp(e->f[F_CLASS], "ice") == 0 && e->nstack > 0) {
				o->primary = e;
				break;
			}
		}

	/* What the manifest promises for this version. */
	o->expected = -1;
	if (m->v[K_REPRODUCES] != NULL) {
		char *dup = xstrdup(m->v[K_REPRODUCES]), *sv = NULL;
		for (char *w = strtok_r(dup, " \t,", &sv); w; w = strtok_r(NULL, " \t,", &sv))
			if (token_matches(w, o->ver))
				o->expected = 1;
		free(dup);
	}
	if (o->expected < 0 && mval(m, K_FIXED_IN) &&
	    at_or_after(mval(m, K_FIXED_IN), o->ver))
		o->expected = 0;

	o->as_promised = -1;
	if (o->expected == 0) {
		o->as_promised = !o->reproduces;
		if (o->reproduces)
			problem(o, "reproduces on a version the manifest says is fixed");
	} else if (o->expected == 1) {
		o->as_promised = o->reproduces;
		if (!o->reproduces) {
			char *s = xasprintf("reproduced in %d of %d runs; min_rate is %g",
			    o->reproduced_runs, o->nruns, m->min_rate);
			problem(o, s);
			free(s);
		}
		const char *ph = o->primary ? o->primary->f[F_PHASE] : NULL;
		if (o->reproduces && m->v[K_EXPECT_PHASE] &&
		    (ph == NULL || strcmp(ph, m->v[K_EXPECT_PHASE]) != 0)) {
			char *s = xasprintf("phase %s, manifest says %s",
			    ph ? ph : "(none)", m->v[K_EXPECT_PHASE]);
			problem(o, s);
			free(s);
			o->as_promised = 0;
		}
	}
}

static int
setup_dir(struct ctx *c, struct outcome *o)
{
	static const char *const subs[] = { "case", "home", "tmp", "gocache", "gopath" };
	char *tmpl = xasprintf("%s/goerrfilt-repro.XXXXXX", c->op->tmpbase);

	if (mkdtemp(tmpl) == NULL) {
		o->note = xasprintf("mkdtemp %s: %s", tmpl, strerror(errno));
		free(tmpl);
		return -1;
	}
	c->root = tmpl;
	o->root = xstrdup(tmpl);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char *p = xasprintf("%s/%s", c->root, subs[i]);
		int rc = mkdir(p, 0755);
		free(p);
		if (rc != 0) {
			o->note = xasprintf("mkdir in %s: %s", c->root, strerror(errno));
			return -1;
		}
	}
	c->casedir = xasprintf("%s/case", c->root);
	if (copy_tree(o->m->dir, c->casedir) != 0) {
		o->note = xasprintf("cannot copy %s", o->m->dir);
		return -1;
	}
	if (o->lim.uid != (uid_t)-1) {
		chown_uid = o->lim.uid;
		chown_gid = o->lim.gid;
		if (nftw(c->root, chown_cb, 32, FTW_PHYS) != 0) {
			o->note = xasprintf("chown %s: %s", c->root, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Runs one case on one toolchain; returns -1 on trouble (o->note says). */
static int
run_case(struct ctx *c, struct outcome *o)
{
	const struct manifest *m = o->m;
	struct timespec t0, t1;
	time_t now = time(NULL);
	struct tm tm;
	int rc = -1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	gmtime_r(&now, &tm);
	strftime(o->ts, sizeof(o->ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	o->status = "error";
	o->expected = o->as_promised = -1;     /* until summarise() decides */
	o->lim.timeout_s = m->timeout;
	o->lim.as_mb = c->op->mem_mb;
	o->lim.nproc = c->op->max_procs;
	o->lim.fsize_mb = c->op->max_file_mb;
	o->lim.out_cap = OUT_CAP;
	o->lim.isolate_net = 1;
	o->lim.uid = c->op->uid;
	o->lim.gid = c->op->gid;
	o->uid_dropped = c->op->uid != (uid_t)-1;

	if (setup_dir(c, o) != 0)
		goto out;
	env_build(c, o->go, m);
	progress(c, o, "go env");
	if (read_go_env(c, o) != 0)
		goto out;

	o->status = "skipped";
	const char *arch = mval(m, K_ARCH);
	if (arch != NULL && strcmp(arch, "any") != 0 &&
	    (o->env[E_GOARCH] == NULL || strcmp(o->env[E_GOARCH], arch) != 0)) {
		o->note = xasprintf("needs GOARCH=%s; the toolchain builds for %s",
		    arch, o->env[E_GOARCH] ? o->env[E_GOARCH] : "?");
		rc = 0;
		goto out;
	}
	if (c->op->ncpus < m->min_cpus) {
		o->note = xasprintf("needs %d CPUs to reproduce; this machine "
		    "gives %d", m->min_cpus, c->op->ncpus);
		rc = 0;
		goto out;
	}
	o->status = "ran";
	o->nruns = c->op->runs;
	o->runs = xcalloc((size_t)o->nruns, sizeof(*o->runs));
	if (m->mode == MODE_RUN) {
		/* The build is not the thing measured: it gets time for a cold cache. */
		progress(c, o, "build");
		int bt = m->timeout > 600 ? m->timeout : 600;
		if (run_sh(c, o, m->v[K_BUILD], bt, &o->build) != 0)
			goto out;
		o->has_build = 1;
		if (o->build.code != 0) {
			keep_sample(o, &c->res, 1);
			char *s = xasprintf("build failed (exit %d); no run", o->build.code);
			problem(o, s);
			free(s);
		}
	}
	for (int i = 0; i < o->nruns && !(o->has_build && o->build.code != 0); i++) {
		char what[32];
		snprintf(what, sizeof(what), "run %d/%d", i + 1, o->nruns);
		progress(c, o, what);
		const char *cmd = m->mode == MODE_RUN ? m->v[K_RUN] : m->v[K_BUILD];
		if (run_sh(c, o, cmd, m->timeout, &o->runs[i]) != 0)
			goto out;
		o->done++;
		keep_sample(o, &c->res, o->runs[i].reproduced);
	}
	if (m->mode == MODE_BUILD && ice_rerun(c, o) != 0)
		goto out;
	summarise(o);
	rc = 0;
out:
	if (c->op->progress)
		fprintf(stderr, "\r\033[K");
	if (c->root != NULL) {
		if (c->op->keep)
			fprintf(stderr, "%s: %s %s: kept %s\n", progname, m->name,
			    o->env[GE_VERSION] ? o->env[GE_VERSION] : o->go, c->root);
		else
			remove_tree(c->root);
	}
	free(c->root);
	free(c->casedir);
	c->root = c->casedir = NULL;
	env_free(c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	o->duration_ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (rc != 0)
		o->status = "error";
	return rc;
}

/* --- the report ----------------------------------------------------------- */

static void
jsep(struct buf *b)
{
	if (b->len > 0 && strchr("{[:", b->p[b->len - 1]) == NULL)
		buf_addc(b, ',');
}

static void
jkey(struct buf *b, const char *k)
{
	jsep(b);
	json_str(b, k, strlen(k));
	buf_addc(b, ':');
}

static void
jstr(struct buf *b, const char *k, const char *v)
{
	if (k != NULL)
		jkey(b, k);
	else
		jsep(b);
	if (v == NULL)
		buf_adds(b, "null");
	else
		json_str(b, v, strlen(v));
}

/* A string from a run's output: the temporary directory shown as mark. */
static void
jstr_tmp(struct buf *b, const char *k, const char *v, const char *root,
    const char *mark)
{
	if (v == NULL || root == NULL || strstr(v, root) == NULL) {
		jstr(b, k, v);
		return;
	}
	char *n = replace_all(v, strlen(v), root, mark);
	jstr(b, k, n);
	free(n);
}

static void
jnum(struct buf *b, const char *k, long long v)
{
	char tmp[32];

	jkey(b, k);
	snprintf(tmp, sizeof(tmp), "%lld", v);
	buf_adds(b, tmp);
}

static void
jbool(struct buf *b, const char *k, int v)
{
	jkey(b, k);
	buf_adds(b, v < 0 ? "null" : v ? "true" : "false");
}

static void
jopen(struct buf *b, const char *k, char c)
{
	if (k != NULL)
		jkey(b, k);
	else
		jsep(b);
	buf_addc(b, c);
}

static void
j_stack(struct buf *b, const char *k, const struct evc *e, const char *root)
{
	jopen(b, k, '[');
	for (int i = 0; e != NULL && i < e->nstack; i++) {
		const struct frame *fr = &e->stack[i];
		jopen(b, NULL, '{');
		jstr(b, "func", fr->func);
		if (fr->file != NULL) {
			jstr_tmp(b, "file", fr->file, root, TMP_MARK);
			if (fr->line > 0)
				jnum(b, "line", fr->line);
		}
		jstr(b, "origin", fr->origin);
		if (fr->module != NULL)
			jstr(b, "module", fr->module);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

static void
j_run(struct buf *b, int n, const struct run *r, int build_step, int is_run)
{
	jopen(b, NULL, '{');
	if (n > 0)
		jnum(b, "run", n);
	jnum(b, "exit", r->code);
	jstr(b, "meaning", sb_meaning(r->code, r->timed_out, build_step));
	if (r->sig)
		jnum(b, "signal", r->sig);
	jbool(b, "timed_out", r->timed_out);
	jnum(b, "duration_ms", r->ms);
	jopen(b, "kinds", '[');
	for (int i = 0; i < r->ev.n; i++) {
		int dup = 0;
		for (int j = 0; j < i && !dup; j++)
			dup = strcmp(r->ev.v[j].f[F_KIND], r->ev.v[i].f[F_KIND]) == 0;
		if (!dup)
			jstr(b, NULL, r->ev.v[i].f[F_KIND]);
	}
	buf_addc(b, ']');
	if (is_run)
		jbool(b, "reproduced", r->reproduced);
	buf_addc(b, '}');
}

struct versions {
	const struct outcome **v;
	int n;
};

static int
cmp_outcome(const void *a, const void *b)
{
	const struct outcome *x = *(const struct outcome *const *)a;
	const struct outcome *y = *(const struct outcome *const *)b;

	return gover_cmp(x->ver, y->ver);
}

/* The toolchains a case ran on, oldest first, and where it stops. */
static const char *
versions_of(struct outcome *os, int n, struct versions *vs)
{
	const char *stops = NULL;
	int seen_repro = 0;

	vs->v = xcalloc((size_t)n + 1, sizeof(*vs->v));
	vs->n = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(os[i].status, "ran") == 0 && os[i].ver.ok)
			vs->v[vs->n++] = &os[i];
	qsort(vs->v, (size_t)vs->n, sizeof(*vs->v), cmp_outcome);
	for (int i = 0; i < vs->n; i++) {
		if (vs->v[i]->reproduces)
			seen_repro = 1;
		else if (seen_repro && stops == NULL)
			stops = vs->v[i]->env[GE_VERSION];
	}
	return stops;
}

static void
j_versions(struct buf *b, const struct versions *vs, const char *stops,
    const struct manifest *m)
{
	jopen(b, "versions", '{');
	jopen(b, "tried", '[');
	for (int i = 0; i < vs->n; i++)
		jstr(b, NULL, vs->v[i]->env[GE_VERSION]);
	buf_addc(b, ']');
	jopen(b, "reproduces_on", '[');
	for (int i = 0; i < vs->n; i++)
		if (vs->v[i]->reproduces)
			jstr(b, NULL, vs->v[i]->env[GE_VERSION]);
	buf_addc(b, ']');
	jopen(b, "not_on", '[');
	for (int i = 0; i < vs->n; i++)
		if (!vs->v[i]->reproduces)
			jstr(b, NULL, vs->v[i]->env[GE_VERSION]);
	buf_addc(b, ']');
	jstr(b, "stops_at", stops);
	jstr(b, "manifest_reproduces", m->v[K_REPRODUCES]);
	jstr(b, "manifest_fixed_in", mval(m, K_FIXED_IN));
	buf_addc(b, '}');
}

static void
report_line(struct buf *b, const struct opts *op, const struct outcome *o,
    const struct versions *vs, const char *stops)
{
	const struct manifest *m = o->m;
	const struct evc *p = o->primary;

	b->len = 0;
	buf_addc(b, '{');
	jnum(b, "v", REPORT_VERSION);
	jstr(b, "timestamp", o->ts);
	jstr(b, "case", m->name);
	jstr(b, "case_dir", m->dir);
	jstr(b, "description", m->v[K_DESCRIPTION]);
	jstr(b, "issue", mval(m, K_ISSUE));
	jstr(b, "go", o->go);
	jstr(b, "go_version", o->env[GE_VERSION]);
	jstr(b, "build_mode", "gc");
	jstr(b, "status", o->status);
	if (o->note != NULL)
		jstr(b, strcmp(o->status, "skipped") == 0 ? "skip_reason" : "error",
		    o->note);
	jstr(b, "mode", m->mode == MODE_RUN ? "run" : "build");
	jstr(b, "command", m->v[K_BUILD]);
	if (m->mode == MODE_RUN)
		jstr(b, "run_command", m->v[K_RUN]);
	jstr(b, "error_kind", o->error_kind);
	jstr(b, "expected_kind", m->v[K_EXPECT_KIND]);
	jstr(b, "class", p ? p->f[F_CLASS] : NULL);
	jstr(b, "expected_class", m->v[K_EXPECT_CLASS]);
	jstr(b, "phase", p ? p->f[F_PHASE] : NULL);
	jstr(b, "expected_phase", m->v[K_EXPECT_PHASE]);
	jstr(b, "fingerprint", p ? p->f[F_FINGERPRINT] : NULL);
	if (p != NULL) {
		static const int extra[] = { F_RULE, F_MSG, F_PKG, F_PASS, F_FUNC,
		    F_KNOWN_ISSUE, F_FIXED_IN };
		for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
			if (p->f[extra[i]] != NULL)
				jstr_tmp(b, field_names[extra[i]], p->f[extra[i]],
				    o->root, TMP_MARK);
	}
	jnum(b, "runs", o->nruns);
	jkey(b, "reproduce_rate");
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%.4g", o->rate);
	buf_adds(b, tmp);
	snprintf(tmp, sizeof(tmp), "%.4g", m->min_rate);
	jkey(b, "min_rate");
	buf_adds(b, tmp);
	jbool(b, "reproduces", o->reproduces);
	jbool(b, "expected_to_reproduce", o->expected);
	jbool(b, "as_promised", o->as_promised);
	if (m->expect_exit >= 0)
		jnum(b, "expected_exit", m->expect_exit);
	if (o->has_build) {
		jkey(b, "build");
		j_run(b, 0, &o->build, 1, 0);
	}
	jopen(b, "exit_codes", '[');
	for (int i = 0; i < o->done; i++)
		j_run(b, i + 1, &o->runs[i], m->mode == MODE_BUILD, 1);
	buf_addc(b, ']');
	if (o->rerun_flags != NULL) {
		jopen(b, "ice_rerun", '{');
		jstr(b, "goflags", o->rerun_flags);
		if (o->has_rerun) {
			jnum(b, "exit", o->rerun.code);
			const struct evc *e = o->rerun.ev.n ? &o->rerun.ev.v[0] : NULL;
			for (int k = 0; k < o->rerun.ev.n; k++)
				if (o->rerun.ev.v[k].nstack > 0) {
					e = &o->rerun.ev.v[k];
					break;
				}
			jstr(b, "phase", e ? e->f[F_PHASE] : NULL);
			jnum(b, "frames", e ? e->nstack : 0);
		}
		buf_addc(b, '}');
	}
	if (p != NULL && p->nstack > 0)
		j_stack(b, "stack", p, o->root);
	jopen(b, "problems", '[');
	buf_add(b, o->problems.p, o->problems.len);
	buf_addc(b, ']');
	jnum(b, "duration_ms", o->duration_ms);
	jopen(b, "go_env", '{');
	for (int i = 0; i < NENV; i++)
		jstr(b, env_vars[i], o->env[i]);
	buf_addc(b, '}');
	if (op->have_base) {
		jopen(b, "baseline_diff", '[');
		for (int i = 0; i < NENV; i++) {
			const char *x = op->base_env[i], *y = o->env[i];
			if ((x == NULL) == (y == NULL) && (x == NULL || strcmp(x, y) == 0))
				continue;
			jopen(b, NULL, '{');
			jstr(b, "var", env_vars[i]);
			jstr(b, "baseline", x);
			jstr(b, "current", y);
			buf_addc(b, '}');
		}
		buf_addc(b, ']');
	}
	jbool(b, "network_isolated", o->net_isolated);
	jopen(b, "sandbox", '{');
	if (!o->net_isolated && strcmp(o->status, "ran") == 0)
		jstr(b, "network_note", "unshare(CLONE_NEWNET) not permitted here: "
		    "the case ran with the host network");
	jbool(b, "unprivileged_uid", o->uid_dropped);
	jbool(b, "nproc_enforced", o->lim.nproc > 0 &&
	    (o->uid_dropped || geteuid() != 0));
	jnum(b, "timeout_s", m->timeout);
	jnum(b, "as_mb", o->lim.as_mb);
	jnum(b, "nproc", o->lim.nproc);
	jnum(b, "fsize_mb", o->lim.fsize_mb);
	jnum(b, "output_cap", OUT_CAP);
	buf_addc(b, '}');
	j_versions(b, vs, stops, m);
	buf_adds(b, "}\n");
}

/* --- the bug report ------------------------------------------------------------ */

/* At most max lines of s, the temporary directory shown as /tmp/repro. */
static void
md_block(FILE *f, const char *lang, const char *s, size_t len, int max,
    const char *root)
{
	char *t = replace_all(s, len, root, "/tmp/repro");
	int lines = 0;
	const char *p = t;

	fprintf(f, "```%s\n", lang);
	while (*p && lines < max) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fwrite(p, 1, n, f);
		fputc('\n', f);
		lines++;
		p += n + (nl != NULL);
	}
	if (*p)
		fprintf(f, "[... output cut ...]\n");
	fprintf(f, "```\n\n");
	free(t);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The program: every source file of the case folder. */
static void
md_sources(FILE *f, const struct manifest *m)
{
	DIR *d = opendir(m->dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "case.conf") == 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", m->dir, names[i]);
		struct stat st;
		struct buf b = { 0 };
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    read_file(path, &b, 64 << 10) == 0) {
			const char *dot = strrchr(names[i], '.');
			const char *lang = dot == NULL ? "" :
			    strcmp(dot, ".go") == 0 ? "go" :
			    strcmp(dot, ".c") == 0 || strcmp(dot, ".h") == 0 ? "c" :
			    strcmp(dot, ".s") == 0 ? "asm" : "";
			fprintf(f, "`%s`:\n\n", names[i]);
			md_block(f, lang, b.p ? b.p : "", b.len, 100000, NULL);
		}
		buf_free(&b);
		free(path);
		free(names[i]);
	}
	free(names);
}

static void
bug_report(FILE *f, const struct outcome *o, const struct versions *vs,
    const char *stops)
{
	const struct manifest *m = o->m;
	const struct evc *p = o->primary;

	fprintf(f, "<!-- goerrfilt-repro: case %s, %s -->\n\n", m->name,
	    o->env[GE_VERSION]);
	fprintf(f, "### Go version\n\n```\ngo version %s %s/%s\n```\n\n",
	    o->env[GE_VERSION], o->env[E_GOOS] ? o->env[E_GOOS] : "?",
	    o->env[E_GOARCH] ? o->env[E_GOARCH] : "?");
	fprintf(f, "### Output of `go env` in your module/workspace:\n\n");
	if (o->goenv_text != NULL)
		md_block(f, "shell", o->goenv_text, strlen(o->goenv_text), 1000,
		    NULL);
	fprintf(f, "### What did you do?\n\n");
	if (m->v[K_DESCRIPTION] != NULL)
		fprintf(f, "%s\n\n", m->v[K_DESCRIPTION]);
	fprintf(f, "A module with these files:\n\n");
	md_sources(f, m);
	fprintf(f, "In the module's folder, with `GOTOOLCHAIN=local GOFLAGS= "
	    "GOPROXY=off%s%s`:\n\n```shell\n%s\n", m->v[K_ENV] ? " " : "",
	    m->v[K_ENV] ? m->v[K_ENV] : "", m->v[K_BUILD]);
	if (m->mode == MODE_RUN)
		fprintf(f, "%s\n", m->v[K_RUN]);
	fprintf(f, "```\n\n");

	fprintf(f, "### What did you see happen?\n\n");
	fprintf(f, "It failed in %d of %d runs", o->reproduced_runs, o->nruns);
	if (o->done > 0) {
		const struct run *r = &o->runs[0];
		for (int i = 0; i < o->done; i++)
			if (o->runs[i].reproduced) {
				r = &o->runs[i];
				break;
			}
		fprintf(f, " (exit status %d: %s)", r->code,
		    sb_meaning(r->code, r->timed_out, m->mode == MODE_BUILD));
	}
	fprintf(f, ":\n\n");
	md_block(f, "", o->sample.p ? o->sample.p : "", o->sample.len, 40,
	    o->root);
	if (p != NULL && p->nstack > 0) {
		if (o->has_rerun && p->nstack > 0 && strcmp(p->f[F_CLASS], "ice") == 0)
			fprintf(f, "With `GOFLAGS=%s` the compiler prints its "
			    "stack; normalised (top first):\n\n```\n",
			    o->rerun_flags);
		else
			fprintf(f, "The stack, normalised (top first):\n\n```\n");
		for (int i = 0; i < p->nstack; i++) {
			fprintf(f, "%s", p->stack[i].func);
			if (p->stack[i].file != NULL) {
				char *file = replace_all(p->stack[i].file,
				    strlen(p->stack[i].file), o->root, "/tmp/repro");
				fprintf(f, "\n\t%s:%ld", file, p->stack[i].line);
				free(file);
			}
			fputc('\n', f);
		}
		fprintf(f, "```\n\n");
	}
	if (p != NULL && p->f[F_KNOWN_ISSUE] != NULL)
		fprintf(f, "This looks like %s%s%s.\n\n", p->f[F_KNOWN_ISSUE],
		    p->f[F_FIXED_IN] ? ", fixed in " : "",
		    p->f[F_FIXED_IN] ? p->f[F_FIXED_IN] : "");
	fprintf(f, "Reproduces with:");
	for (int i = 0; i < vs->n; i++)
		if (vs->v[i]->reproduces)
			fprintf(f, " %s", vs->v[i]->env[GE_VERSION]);
	int any = 0;
	for (int i = 0; i < vs->n; i++)
		if (!vs->v[i]->reproduces)
			fprintf(f, "%s %s", any++ ? "" : ".  Does not reproduce with:",
			    vs->v[i]->env[GE_VERSION]);
	if (stops != NULL)
		fprintf(f, ".  First version without it: %s", stops);
	fprintf(f, ".\n\n### What did you expect to see?\n\n");
	if (strcmp(m->v[K_EXPECT_CLASS], "ice") == 0)
		fprintf(f, "The compiler compiles the program or reports an "
		    "ordinary error; no internal compiler error.\n\n");
	else
		fprintf(f, "No %s (%s).\n\n", m->v[K_EXPECT_KIND],
		    m->v[K_EXPECT_CLASS]);
}

/* --- main ----------------------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f,
"usage: goerrfilt-repro [--runs N] [--go PATH]... [--baseline FILE] [-o FILE]\n"
"                       [--bug-report] [-r rules]... [--keep] case-dir...\n"
"\n"
"Builds and runs each case folder (sources + case.conf) with each Go\n"
"toolchain in a fresh temporary directory under resource limits, classifies\n"
"the output with goerrfilt's engine and writes one JSON report line per\n"
"(case, toolchain).\n"
"\n"
"  --runs N          runs per case and toolchain (default 5)\n"
"  --go PATH         a go command; repeat for several (default: go in PATH)\n"
"  --baseline FILE   report differences of go env from FILE (a report line\n"
"                    or the output of go env -json)\n"
"  -o, --output FILE write the report there (default: stdout)\n"
"      --save-output DIR  write each case's output (of the run the report\n"
"                    keeps) to DIR/CASE.log, with DIR/CASE.meta\n"
"  --bug-report      print a Markdown issue for every case that reproduces\n"
"                    on stdout (the JSON report then goes only to -o)\n"
"  -r, --rules FILE  add a rule file, before the default rules\n"
"  --mem MB          address-space limit per process (default 2048)\n"
"  --max-procs N     process limit (default 256 per CPU, at least 1024)\n"
"  --max-file MB     file size limit (default 1024)\n"
"  --keep            keep the temporary directories\n"
"  -h, --help        this text\n"
"  -V, --version     the version\n"
"\n"
"Exit status: 0 every case reproduced as its manifest promises, 1 some did\n"
"not, 2 trouble.\n");
}

enum { OPT_RUNS = 256, OPT_SAVE, OPT_GO, OPT_BASE, OPT_BUG, OPT_KEEP, OPT_MEM,
    OPT_PROCS, OPT_FILE };

static const struct option longopts[] = {
	{ "runs", required_argument, NULL, OPT_RUNS },
	{ "go", required_argument, NULL, OPT_GO },
	{ "baseline", required_argument, NULL, OPT_BASE },
	{ "output", required_argument, NULL, 'o' },
	{ "bug-report", no_argument, NULL, OPT_BUG },
	{ "rules", required_argument, NULL, 'r' },
	{ "keep", no_argument, NULL, OPT_KEEP },
	{ "save-output", required_argument, NULL, OPT_SAVE },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "max-procs", required_argument, NULL, OPT_PROCS },
	{ "max-file", required_argument, NULL, OPT_FILE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static long
num_arg(const char *opt, const char *s, long lo, long hi)
{
	long v;

	if (parse_int(s, lo, hi, &v) != 0)
		die("%s: '%s' is not a number from %ld to %ld", opt, s, lo, hi);
	return v;
}

/* An absolute path for the go command: as given, or found in PATH. */
static char *
find_go(const char *name)
{
	char buf[PATH_MAX];

	if (strchr(name, '/') != NULL) {
		if (realpath(name, buf) == NULL)
			die("%s: %s", name, strerror(errno));
		if (access(buf, X_OK) != 0)
			die("%s: not executable", name);
		/* Keep the bin/ name: a symlink farm may point elsewhere. */
		if (name[0] == '/')
			return xstrdup(name);
		return xstrdup(buf);
	}
	const char *path = getenv("PATH");
	char *dup = xstrdup(path ? path : "/usr/bin:/bin"), *sv = NULL;
	for (char *d = strtok_r(dup, ":", &sv); d; d = strtok_r(NULL, ":", &sv)) {
		char *cand = xasprintf("%s/%s", *d ? d : ".", name);
		if (access(cand, X_OK) == 0 && realpath(cand, buf) != NULL) {
			free(cand);
			free(dup);
			return xstrdup(buf);
		}
		free(cand);
	}
	free(dup);
	die("no %s in PATH; name one with --go", name);
}

/*
 * --save-output DIR: the combined output of the kept run as DIR/CASE.log,
 * with DIR/CASE.meta saying what printed it, so that `make fixtures` takes
 * the filter's fixtures from the very cases (and they cannot drift apart).
 * With several toolchains the file names carry the Go version.
 */
static int
save_output(const struct opts *op, const struct outcome *o)
{
	const char *ver = o->env[GE_VERSION] ? o->env[GE_VERSION] : "go";
	char *base = op->ngo > 1 ?
	    xasprintf("%s/%s.%s", op->save_dir, o->m->name, ver) :
	    xasprintf("%s/%s", op->save_dir, o->m->name);
	char *log = xasprintf("%s.log", base), *meta = xasprintf("%s.meta", base);
	int rc = 0;
	FILE *f;

	if (o->sample.len == 0)
		goto out;
	if ((f = fopen(log, "wb")) == NULL ||
	    fwrite(o->sample.p, 1, o->sample.len, f) != o->sample.len ||
	    fclose(f) != 0) {
		warnx_("%s: %s", log, strerror(errno));
		rc = -1;
		goto out;
	}
	if ((f = fopen(meta, "w")) == NULL) {
		warnx_("%s: %s", meta, strerror(errno));
		rc = -1;
		goto out;
	}
	fprintf(f, "go_version=%s\ncase=cases/%s\n"
	    "captured_by=goerrfilt-repro --save-output\nsynthetic=no\n",
	    ver, o->m->name);
	if (fclose(f) != 0)
		rc = -1;
out:
	free(base);
	free(log);
	free(meta);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts op = { 0 };
	const char **rulefiles = NULL;
	int nrules = 0, ch, trouble = 0, broken = 0;

	progname = "goerrfilt-repro";
	op.runs = 5;
	op.mem_mb = 2048;
	op.max_file_mb = 1024;
	op.ncpus = ncpus();
	op.max_procs = 256L * op.ncpus < 1024 ? 1024 : 256L * op.ncpus;
	while ((ch = getopt_long(argc, argv, "o:r:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case OPT_RUNS: op.runs = (int)num_arg("--runs", optarg, 1, 10000); break;
		case OPT_GO:
			op.gos = xrealloc(op.gos, (size_t)(op.ngo + 1) * sizeof(*op.gos));
			op.gos[op.ngo++] = optarg;
			break;
		case OPT_BASE: op.baseline = optarg; break;
		case 'o': op.outpath = optarg; break;
		case OPT_BUG: op.bug_report = 1; break;
		case 'r':
			rulefiles = xrealloc(rulefiles,
			    (size_t)(nrules + 1) * sizeof(*rulefiles));
			rulefiles[nrules++] = optarg;
			break;
		case OPT_KEEP: op.keep = 1; break;
		case OPT_SAVE: op.save_dir = optarg; break;
		case OPT_MEM: op.mem_mb = num_arg("--mem", optarg, 0, 1L << 30); break;
		case OPT_PROCS:
			op.max_procs = num_arg("--max-procs", optarg, 0, 1L << 30);
			break;
		case OPT_FILE:
			op.max_file_mb = num_arg("--max-file", optarg, 0, 1L << 30);
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("goerrfilt-repro %s\n", VERSION); return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		free(op.gos);
		free(rulefiles);
		return 2;
	}

	/* Everything that can fail on the command line fails before any run. */
	if (op.baseline != NULL) {
		if (load_baseline(op.baseline, op.base_env) != 0) {
			free(op.gos);
			free(rulefiles);
			return 2;
		}
		op.have_base = 1;
	}
	char **gos = xcalloc((size_t)(op.ngo ? op.ngo : 1), sizeof(*gos));
	int ngo = op.ngo ? op.ngo : 1;
	for (int i = 0; i < ngo; i++)
		gos[i] = find_go(op.ngo ? op.gos[i] : "go");
	free(op.gos);
	struct manifest *ms = xcalloc((size_t)argc, sizeof(*ms));
	for (int i = 0; i < argc; i++) {
		ms[i].errors = manifest_load(argv[i], &ms[i]);
		trouble |= ms[i].errors != 0;
	}

	match_init();
	struct ruleset *rs = rules_new();
	int errors = 0;
	for (int i = 0; i < nrules; i++)
		errors += rules_add_file(rs, rulefiles[i]);
	free(rulefiles);
	errors += rules_add_builtin(rs, default_rules, default_rules_len);
	errors += rules_compile(rs, nrules > 0);
	if (errors > 0)
		die("%d error%s in the rules", errors, errors == 1 ? "" : "s");

	op.tmpbase = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	op.progress = isatty(STDERR_FILENO);
	op.uid = (uid_t)-1;
	op.gid = (gid_t)-1;
	/* RLIMIT_NPROC does not bind root: the cases run as nobody. */
	if (geteuid() == 0) {
		int ok = 1;
		for (int i = 0; i < ngo; i++)
			ok &= sb_can_exec_as(gos[i], NOBODY, NOBODY);
		if (ok) {
			op.uid = NOBODY;
			op.gid = NOBODY;
		} else {
			warnx_("warning: uid %d cannot run the toolchain; cases run as "
			    "root, where the process limit does not hold", NOBODY);
		}
	}
	sb_init();

	FILE *out = stdout, *md = NULL;
	if (op.bug_report) {
		md = stdout;
		out = NULL;
	}
	if (op.outpath != NULL && (out = fopen(op.outpath, "w")) == NULL)
		die("%s: %s", op.outpath, strerror(errno));

	struct ctx c = { 0 };
	struct buf line = { 0 };
	c.op = &op;
	c.rs = rs;
	c.total = argc * ngo;
	for (int i = 0; i < argc && !sb_interrupted; i++) {
		struct manifest *m = &ms[i];
		if (m->errors > 0)
			continue; /* reported when it was read */
		struct outcome *os = xcalloc((size_t)ngo, sizeof(*os));
		for (int t = 0; t < ngo && !sb_interrupted; t++) {
			os[t].m = m;
			os[t].go = gos[t];
			c.idx = i * ngo + t + 1;
			if (run_case(&c, &os[t]) != 0) {
				warnx_("%s with %s: %s", m->name, gos[t],
				    os[t].note ? os[t].note : "failed");
				trouble = 1;
			}
		}
		struct versions vs;
		const char *stops = versions_of(os, ngo, &vs);
		for (int t = 0; t < ngo && !sb_interrupted; t++) {
			if (os[t].as_promised == 0)
				broken = 1;
			if (out != NULL) {
				report_line(&line, &op, &os[t], &vs, stops);
				fwrite(line.p, 1, line.len, out);
				fflush(out);
			}
			if (md != NULL && os[t].reproduces)
				bug_report(md, &os[t], &vs, stops);
			if (op.save_dir != NULL && save_output(&op, &os[t]) != 0)
				trouble = 1;
		}
		free(vs.v);
		for (int t = 0; t < ngo; t++)
			outcome_free(&os[t]);
		free(os);
	}
	if (sb_interrupted) {
		warnx_("interrupted");
		trouble = 1;
	}
	if (out != NULL && out != stdout && fclose(out) != 0) {
		warnx_("%s: %s", op.outpath, strerror(errno));
		trouble = 1;
	}
	if (fflush(stdout) != 0)
		trouble = 1;

	sb_result_free(&c.res);
	buf_free(&line);
	for (int i = 0; i < argc; i++)
		manifest_free(&ms[i]);
	free(ms);
	for (int i = 0; i < ngo; i++)
		free(gos[i]);
	free(gos);
	for (int i = 0; i < NENV; i++)
		free(op.base_env[i]);
	rules_free(rs);
	match_done();
	return trouble ? 2 : broken ? 1 : 0;
}
