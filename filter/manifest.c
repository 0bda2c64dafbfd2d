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
	char *what;

	va_start(ap, fmt);
	int n = vasprintf(&what, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("out of memory");
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
	if (v[MF_MODE] != NULL) {
		if (strcmp(v[MF_MODE], "run") == 0)
			m->mode = MODE_RUN;
		else if (strcmp(v[MF_MODE], "build") != 0)
			conf_err(m, path, 0,
			    "mode '%s' is neither build nor run", v[MF_MODE]);
	}
	if (m->mode == MODE_RUN && v[MF_RUN] == NULL)
		conf_err(m, path, 0, "mode = run needs a run command");
	if (v[MF_EXPECT_CLASS] && !vocab_ok(F_CLASS, v[MF_EXPECT_CLASS]))
		conf_err(m, path, 0, "'%s' is not a SPEC class",
		    v[MF_EXPECT_CLASS]);
	if (v[MF_EXPECT_KIND] && !vocab_ok(F_KIND, v[MF_EXPECT_KIND]))
		conf_err(m, path, 0, "'%s' is not a SPEC kind",
		    v[MF_EXPECT_KIND]);
	if (v[MF_EXPECT_PHASE] && !vocab_ok(F_PHASE, v[MF_EXPECT_PHASE]))
		conf_err(m, path, 0, "'%s' is not a SPEC phase",
		    v[MF_EXPECT_PHASE]);
	if (v[MF_EXPECT_EXIT]) {
		if (parse_long(v[MF_EXPECT_EXIT], 0, 255, &n) != 0)
			conf_err(m, path, 0, "expect_exit '%s' is not 0-255",
			    v[MF_EXPECT_EXIT]);
		else
			m->expect_exit = (int)n;
	}
	if (v[MF_MIN_CPUS]) {
		if (parse_long(v[MF_MIN_CPUS], 1, 4096, &n) != 0)
			conf_err(m, path, 0, "min_cpus '%s' is not a count",
			    v[MF_MIN_CPUS]);
		else
			m->min_cpus = (int)n;
	}
	if (v[MF_TIMEOUT]) {
		if (parse_long(v[MF_TIMEOUT], 1, 86400, &n) != 0)
			conf_err(m, path, 0, "timeout '%s' is not 1-86400 s",
			    v[MF_TIMEOUT]);
		else
			m->timeout = (int)n;
	}
	if (v[MF_MIN_RATE]) {
		char *e;
		m->min_rate = strtod(v[MF_MIN_RATE], &e);
		if (*e != '\0' || e == v[MF_MIN_RATE] || !(m->min_rate > 0) ||
		    m->min_rate > 1)
			conf_err(m, path, 0, "min_rate '%s' is not in (0, 1]",
			    v[MF_MIN_RATE]);
	}
	if (v[MF_ENV]) {
		/* K=V words; values cannot hold blanks (none needs to). */
		char *dup = xstrdup(v[MF_ENV]), *sv = NULL;
		for (char *w = strtok_r(dup, " \t", &sv); w;
		    w = strtok_r(NULL, " \t", &sv))
			if (strchr(w, '=') == NULL || w[0] == '=')
				conf_err(m, path, 0,
				    "env word '%s' is not K=V", w);
		free(dup);
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
	check_values(out, name);
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
	if (buf_read_file(&b, path, 1 << 20) != 0) {
		memset(m, 0, sizeof(*m));
		add_msg(m, xasprintf("%s: %s", path, strerror(errno)));
	} else {
		manifest_parse(path, b.p, b.len, m);
	}
	buf_free(&b);
	free(path);
	m->dir = dir;
	const char *slash = strrchr(dir, '/');
	m->name = xstrdup(slash ? slash + 1 : dir);
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
