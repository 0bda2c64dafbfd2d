/*
 * manifest.c - the case.conf parser (see manifest.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "manifest.h"
#include "rules.h"
#include "runenv.h"
#include "util.h"

static const char *const keys[MF_NKEYS] = {
	"description", "issue", "mode", "build", "run", "env", "expect_class",
	"expect_kind", "expect_phase", "expect_exit", "reproduces", "fixed_in",
	"arch", "min_cpus", "min_rate", "timeout",
};

/* Room for one more message; every message adds one error. */
static void
add_msg(struct case_manifest *m, char *s)
{
	m->msg = xrealloc(m->msg, (size_t)(m->errors + 1) * sizeof(*m->msg));
	m->msg[m->errors++] = s;
}

/* One error: "PATH:LINE: " and the message. */
static void conf_err(struct case_manifest *m, const char *path, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
conf_err(struct case_manifest *m, const char *path, int line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	char *what = xvasprintf(fmt, ap);
	va_end(ap);
	add_msg(m, xasprintf("%s:%d: %s", path, line, what));
	free(what);
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

/*
 * What makes a line unfit to be read at all: its length, or a control
 * character (they would reach the terminal in our messages, and a bare CR
 * can hide the rest of a line from whoever reads the file).
 */
static int
line_ok(struct case_manifest *m, const char *path, int lineno, char *line)
{
	size_t n = strlen(line);

	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';  /* CRLF */
	if (n > MF_LINE_MAX) {
		conf_err(m, path, lineno, "the line is %zu bytes long; the "
		    "limit is %d", n, MF_LINE_MAX);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			conf_err(m, path, lineno, "control character 0x%02x at "
			    "column %zu", c, i + 1);
			return 0;
		}
	}
	return 1;
}

/* The key = value lines into m->v. */
static void
parse_lines(struct case_manifest *m, const char *path, char *text)
{
	int lineno = 0;

	for (char *line = text, *next; line != NULL && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (!line_ok(m, path, lineno, line))
			continue;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			conf_err(m, path, lineno, "expected key = value");
			continue;
		}
		*eq = '\0';
		char *k = trim(s), *v = trim(eq + 1);
		int ki = 0;
		while (ki < MF_NKEYS && strcmp(keys[ki], k) != 0)
			ki++;
		if (ki == MF_NKEYS) {
			conf_err(m, path, lineno, "unknown key '%s'", k);
			continue;
		}
		if (m->v[ki] != NULL) {
			conf_err(m, path, lineno, "'%s' given twice", k);
			continue;
		}
		m->v[ki] = xstrdup(v);
		m->line[ki] = lineno;
	}
}

/* goN.N, goN.N.N, goN.NrcN or goN.NbetaN: what gover.c reads, nothing else. */
static int
go_version_ok(const char *s)
{
	const char *p = s + 2;

	if (strncmp(s, "go", 2) != 0)
		return 0;
	for (int part = 0; part < 2; part++) {
		if (part == 1 && *p++ != '.')
			return 0;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == '\0')
		return 1;
	if (*p == '.')
		p++;
	else if (strncmp(p, "rc", 2) == 0)
		p += 2;
	else if (strncmp(p, "beta", 4) == 0)
		p += 4;
	else
		return 0;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

/* Only characters of set (and at least one). */
static int
only(const char *s, const char *set)
{
	return *s != '\0' && s[strspn(s, set)] == '\0';
}

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

/* owner/repo#N, as golang/go#73309. */
static int
issue_ok(const char *s)
{
	size_t a = strspn(s, ALNUM "_.-");

	if (a == 0 || s[a] != '/')
		return 0;
	s += a + 1;
	size_t b = strspn(s, ALNUM "_.-");
	if (b == 0 || s[b] != '#')
		return 0;
	return only(s + b + 1, "0123456789");
}

/* One env word: a variable name, =, and a value the run does not fix. */
static void
check_env_word(struct case_manifest *m, const char *path, int line,
    const char *w)
{
	const char *eq = strchr(w, '=');
	const size_t kl = eq != NULL ? (size_t)(eq - w) : strlen(w);
	const char *pinned = NULL;

	if (eq == NULL || kl == 0) {
		conf_err(m, path, line, "env word '%s' is not K=V", w);
		return;
	}
	if ((w[0] >= '0' && w[0] <= '9') || strspn(w, ALNUM "_") != kl) {
		conf_err(m, path, line, "env: '%.*s' is not a variable name "
		    "(letters, digits, _)", (int)kl, w);
		return;
	}
	switch (runenv_fixed(w, kl, &pinned)) {
	case RUNENV_PINNED:
		/* Saying what the run says anyway is allowed (17-gomod-*). */
		if (strcmp(eq + 1, pinned) != 0)
			conf_err(m, path, line, "env: %.*s is fixed to '%s'; a "
			    "case cannot set it", (int)kl, w, pinned);
		break;
	case RUNENV_PER_RUN:
		conf_err(m, path, line, "env: %.*s is set by the run (its own "
		    "folders and toolchain); a case cannot set it", (int)kl, w);
		break;
	case RUNENV_LOADER:
		conf_err(m, path, line, "env: %.*s would run code before every "
		    "command; a case cannot set it", (int)kl, w);
		break;
	}
}

/* The values checked and the numbers read, with their defaults. */
static void
check_values(struct case_manifest *m, const char *path)
{
	static const int need[] = { MF_MODE, MF_BUILD, MF_EXPECT_CLASS,
	    MF_EXPECT_KIND };
	char **v = m->v;
	long n;

	m->mode = MODE_BUILD;
	m->expect_exit = -1;
	m->min_cpus = 1;
	m->timeout = 120;
	m->min_rate = 1.0;
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (v[need[i]] == NULL)
			conf_err(m, path, 0, "'%s' is missing", keys[need[i]]);
	const int *ln = m->line;
	if (v[MF_ISSUE] && strcmp(v[MF_ISSUE], "-") != 0 && !issue_ok(v[MF_ISSUE]))
		conf_err(m, path, ln[MF_ISSUE], "issue '%s' is not owner/repo#N "
		    "(golang/go#73309) or -", v[MF_ISSUE]);
	if (v[MF_FIXED_IN] && strcmp(v[MF_FIXED_IN], "-") != 0 &&
	    !go_version_ok(v[MF_FIXED_IN]))
		conf_err(m, path, ln[MF_FIXED_IN], "fixed_in '%s' is not a Go "
		    "version (go1.25) or -", v[MF_FIXED_IN]);
	if (v[MF_REPRODUCES]) {
		char *dup = xstrdup(v[MF_REPRODUCES]), *sv = NULL;
		for (char *w = strtok_r(dup, " \t,", &sv); w;
		    w = strtok_r(NULL, " \t,", &sv))
			if (!go_version_ok(w))
				conf_err(m, path, ln[MF_REPRODUCES], "reproduces: "
				    "'%s' is not a Go version (go1.24)", w);
		free(dup);
	}
	if (v[MF_ARCH] && strcmp(v[MF_ARCH], "-") != 0 &&
	    !only(v[MF_ARCH], "abcdefghijklmnopqrstuvwxyz0123456789"))
		conf_err(m, path, ln[MF_ARCH], "arch '%s' is not a GOARCH "
		    "(amd64, arm64, ...) or any", v[MF_ARCH]);
	if (v[MF_MODE] != NULL) {
		if (strcmp(v[MF_MODE], "run") == 0)
			m->mode = MODE_RUN;
		else if (strcmp(v[MF_MODE], "build") != 0)
			conf_err(m, path, ln[MF_MODE],
			    "mode '%s' is neither build nor run", v[MF_MODE]);
	}
	if (m->mode == MODE_RUN && v[MF_RUN] == NULL)
		conf_err(m, path, ln[MF_MODE], "mode = run needs a run command");
	if (v[MF_EXPECT_CLASS] && !vocab_ok(F_CLASS, v[MF_EXPECT_CLASS]))
		conf_err(m, path, ln[MF_EXPECT_CLASS], "'%s' is not a SPEC class",
		    v[MF_EXPECT_CLASS]);
	if (v[MF_EXPECT_KIND] && !vocab_ok(F_KIND, v[MF_EXPECT_KIND]))
		conf_err(m, path, ln[MF_EXPECT_KIND], "'%s' is not a SPEC kind",
		    v[MF_EXPECT_KIND]);
	if (v[MF_EXPECT_PHASE] && !vocab_ok(F_PHASE, v[MF_EXPECT_PHASE]))
		conf_err(m, path, ln[MF_EXPECT_PHASE], "'%s' is not a SPEC phase",
		    v[MF_EXPECT_PHASE]);
	if (v[MF_EXPECT_EXIT]) {
		if (parse_long(v[MF_EXPECT_EXIT], 0, 255, &n) != 0)
			conf_err(m, path, ln[MF_EXPECT_EXIT], "expect_exit '%s' is not 0-255",
			    v[MF_EXPECT_EXIT]);
		else
			m->expect_exit = (int)n;
	}
	if (v[MF_MIN_CPUS]) {
		if (parse_long(v[MF_MIN_CPUS], 1, 4096, &n) != 0)
			conf_err(m, path, ln[MF_MIN_CPUS], "min_cpus '%s' is not a count",
			    v[MF_MIN_CPUS]);
		else
			m->min_cpus = (int)n;
	}
	if (v[MF_TIMEOUT]) {
		if (parse_long(v[MF_TIMEOUT], 1, 86400, &n) != 0)
			conf_err(m, path, ln[MF_TIMEOUT], "timeout '%s' is not 1-86400 s",
			    v[MF_TIMEOUT]);
		else
			m->timeout = (int)n;
	}
	if (v[MF_MIN_RATE]) {
		char *e;
		m->min_rate = strtod(v[MF_MIN_RATE], &e);
		if (*e != '\0' || e == v[MF_MIN_RATE] || !(m->min_rate > 0) ||
		    m->min_rate > 1)
			conf_err(m, path, ln[MF_MIN_RATE], "min_rate '%s' is not in (0, 1]",
			    v[MF_MIN_RATE]);
	}
	if (v[MF_ENV]) {
		/* K=V words; values cannot hold blanks (none needs to). */
		char *dup = xstrdup(v[MF_ENV]), *sv = NULL;
		for (char *w = strtok_r(dup, " \t", &sv); w;
		    w = strtok_r(NULL, " \t", &sv))
			check_env_word(m, path, ln[MF_ENV], w);
		free(dup);
	}
}

/* The line number of a message "NAME:LINE: ...". */
static long
msg_line(const char *msg, size_t namelen)
{
	return strtol(msg + namelen + 1, NULL, 10);
}

/*
 * The messages in the order of their lines (a stable insertion sort: a
 * case.conf has few), so that they read from the top of the file down.
 */
static void
sort_msgs(struct case_manifest *m, const char *name)
{
	const size_t nl = strlen(name);

	for (int i = 1; i < m->errors; i++) {
		char *s = m->msg[i];
		long l = msg_line(s, nl);
		int j = i;
		for (; j > 0 && msg_line(m->msg[j - 1], nl) > l; j--)
			m->msg[j] = m->msg[j - 1];
		m->msg[j] = s;
	}
}

int
manifest_parse(const char *name, const char *text, size_t len,
    struct case_manifest *out)
{
	const char *nul = memchr(text, '\0', len);
	char *copy = xmemdup(text, nul != NULL ? (size_t)(nul - text) : len);

	memset(out, 0, sizeof(*out));
	parse_lines(out, name, copy);
	free(copy);
	/* What follows a NUL would be read by no one: refuse, not ignore. */
	if (nul != NULL) {
		int line = 1;
		for (const char *p = text; p < nul; p++)
			line += *p == '\n';
		conf_err(out, name, line, "a NUL byte; case.conf is text");
	}
	check_values(out, name);
	sort_msgs(out, name);
	return out->errors;
}

int
manifest_load(const char *arg, struct case_manifest *m)
{
	struct buf b = { 0 };
	char *dir = xstrdup(arg);
	size_t dl = strlen(dir);

	while (dl > 1 && dir[dl - 1] == '/')
		dir[--dl] = '\0';
	char *path = xasprintf("%s/case.conf", dir);
	if (buf_read_file(&b, path, MF_FILE_MAX) != 0) {
		memset(m, 0, sizeof(*m));
		add_msg(m, errno == EFBIG ? xasprintf("%s: larger than %d "
		    "bytes; a case.conf is a few lines", path, MF_FILE_MAX) :
		    xasprintf("%s: %s", path, strerror(errno)));
	} else {
		manifest_parse(path, b.p, b.len, m);
	}
	buf_free(&b);
	free(path);
	m->dir = dir;
	const char *slash = strrchr(dir, '/');
	const char *last = slash ? slash + 1 : dir;
	/* cases/01-x/. is the case 01-x (its name names the saved output). */
	char *real = strcmp(last, ".") == 0 || strcmp(last, "..") == 0 ?
	    realpath(dir, NULL) : NULL;
	const char *rs = real ? strrchr(real, '/') : NULL;
	m->name = xstrdup(rs && rs[1] ? rs + 1 : last);
	free(real);
	for (int i = 0; i < m->errors; i++)
		warnx_("%s", m->msg[i]);
	return m->errors;
}

void
manifest_free(struct case_manifest *m)
{
	free(m->dir);
	free(m->name);
	for (int k = 0; k < MF_NKEYS; k++)
		free(m->v[k]);
	for (int i = 0; i < m->errors; i++)
		free(m->msg[i]);
	free(m->msg);
	memset(m, 0, sizeof(*m));
}

const char *
manifest_val(const struct case_manifest *m, enum mf_key k)
{
	return m->v[k] != NULL && strcmp(m->v[k], "-") != 0 ? m->v[k] : NULL;
}
