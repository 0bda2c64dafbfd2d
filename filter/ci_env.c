/*
 * ci_env.c - where a report's paths are relative to: the workspace, the
 * directory goerrfilt runs in, and the Go modules found there (see
 * report.h).
 *
 * go test names a failing line by its base name ("calc_test.go:8:"), so a
 * report that links into the repository needs the package's directory.
 * The go.work or go.mod that the go command would use from the current
 * directory gives module paths and their directories, and a package path
 * under a module is a directory under it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

#define MOD_FILE_MAX (1u << 20)

/* The file's contents, NUL-terminated, or NULL (missing or too large). */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (fp == NULL)
		return NULL;
	char *s = xmalloc(MOD_FILE_MAX + 1);
	const size_t n = fread(s, 1, MOD_FILE_MAX + 1, fp);
	const int bad = ferror(fp) || n > MOD_FILE_MAX;
	fclose(fp);
	if (bad) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

/* Next line of *p without its comment and surrounding blanks, or NULL. */
static char *
next_line(char **p)
{
	char *s = *p;
	if (*s == '\0')
		return NULL;
	char *e = strchr(s, '\n');
	*p = e != NULL ? e + 1 : s + strlen(s);
	if (e != NULL)
		*e = '\0';
	char *c = strstr(s, "//");
	if (c != NULL)
		*c = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* A go.mod/go.work argument, unquoted in place. */
static char *
arg(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	if (n >= 2 && (s[0] == '"' || s[0] == '`') && s[n - 1] == s[0]) {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

/* Whether line is "word" followed by a blank or its end; *rest after it. */
static int
directive(char *line, const char *word, char **rest)
{
	const size_t n = strlen(word);
	if (strncmp(line, word, n) != 0 ||
	    (line[n] != '\0' && line[n] != ' ' && line[n] != '\t'))
		return 0;
	*rest = line + n;
	return 1;
}

/* dir (absolute) relative to the workspace: "" for itself, NULL outside. */
static char *
ws_rel(const struct ci_env *env, const char *dir)
{
	const char *ws = env->real_ws != NULL ? env->real_ws : env->workspace;
	size_t n = strlen(ws);
	while (n > 0 && ws[n - 1] == '/')
		n--;
	if (strncmp(dir, ws, n) != 0 || (dir[n] != '\0' && dir[n] != '/'))
		return NULL;
	dir += n;
	while (*dir == '/')
		dir++;
	return xstrdup(dir);
}

static void
add_module(struct ci_env *env, const char *moddir)
{
	char path[PATH_MAX];
	char real[PATH_MAX];

	if (env->nmods >= CI_MODS_MAX ||
	    snprintf(path, sizeof(path), "%s/go.mod", moddir) >= (int)sizeof(path) ||
	    realpath(moddir, real) == NULL)
		return;
	char *text = slurp(path);
	if (text == NULL)
		return;
	char *p = text, *line, *rest;
	while ((line = next_line(&p)) != NULL) {
		if (!directive(line, "module", &rest))
			continue;
		const char *mod = arg(rest);
		char *dir = ws_rel(env, real);
		if (mod[0] != '\0' && dir != NULL) {
			env->mods[env->nmods].path = xstrdup(mod);
			env->mods[env->nmods].dir = dir;
			env->nmods++;
		} else {
			free(dir);
		}
		break;
	}
	free(text);
}

/* The modules a go.work in dir uses; 0 when there is none. */
static int
read_work(struct ci_env *env, const char *dir)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/go.work", dir) >= (int)sizeof(path))
		return 0;
	char *text = slurp(path);
	if (text == NULL)
		return 0;
	char *p = text, *line, *rest;
	int block = 0;
	while ((line = next_line(&p)) != NULL) {
		const char *use = NULL;
		if (block) {
			if (line[0] == ')')
				block = 0;
			else if (line[0] != '\0')
				use = arg(line);
		} else if (directive(line, "use", &rest)) {
			rest = arg(rest);
			if (rest[0] == '(')
				block = 1;
			else
				use = rest;
		}
		if (use == NULL)
			continue;
		char moddir[PATH_MAX];
		if (use[0] == '/')
			snprintf(moddir, sizeof(moddir), "%s", use);
		else if (snprintf(moddir, sizeof(moddir), "%s/%s", dir, use) >=
		    (int)sizeof(moddir))
			continue;
		add_module(env, moddir);
	}
	free(text);
	return 1;
}

void
ci_env_init(struct ci_env *env, const char *workspace)
{
	char cwd[PATH_MAX];
	char real[PATH_MAX];

	memset(env, 0, sizeof(*env));
	const int have_cwd = getcwd(cwd, sizeof(cwd)) != NULL;
	if (workspace == NULL || workspace[0] == '\0')
		workspace = have_cwd ? cwd : ".";
	env->workspace = env->own_ws = xstrdup(workspace);
	if (realpath(workspace, real) != NULL && strcmp(real, workspace) != 0)
		env->real_ws = xstrdup(real);
	if (!have_cwd || realpath(cwd, real) == NULL)
		return;
	env->cwd_rel = ws_rel(env, real);
	if (env->cwd_rel == NULL && env->real_ws != NULL) {
		/* The workspace may be named through a link the cwd is not. */
		const char *saved = env->real_ws;
		env->real_ws = NULL;
		env->cwd_rel = ws_rel(env, cwd);
		env->real_ws = (char *)saved;
	}
	/* As the go command does: the nearest go.work, else go.mod, upwards. */
	for (char *end = real + strlen(real); ; ) {
		if (read_work(env, real))
			break;
		char probe[PATH_MAX];
		if (snprintf(probe, sizeof(probe), "%s/go.mod", real) <
		    (int)sizeof(probe) && access(probe, R_OK) == 0) {
			add_module(env, real);
			break;
		}
		while (end > real && *end != '/')
			end--;
		if (end <= real)
			break;
		*end = '\0';
	}
}

void
ci_env_free(struct ci_env *env)
{
	for (int i = 0; i < env->nmods; i++) {
		free(env->mods[i].path);
		free(env->mods[i].dir);
	}
	free(env->own_ws);
	free(env->real_ws);
	free(env->cwd_rel);
	memset(env, 0, sizeof(*env));
}

/* pkg's directory relative to the workspace, into out; 0 when unknown. */
static int
pkg_dir(const struct ci_env *env, const char *pkg, char *out, size_t size)
{
	const struct ci_mod *best = NULL;
	size_t best_n = 0;

	for (int i = 0; i < env->nmods; i++) {
		const size_t n = strlen(env->mods[i].path);
		if (n > best_n && strncmp(pkg, env->mods[i].path, n) == 0 &&
		    (pkg[n] == '\0' || pkg[n] == '/')) {
			best = &env->mods[i];
			best_n = n;
		}
	}
	if (best == NULL)
		return 0;
	const char *sub = pkg + best_n;
	while (*sub == '/')
		sub++;
	const char *sep = best->dir[0] != '\0' && sub[0] != '\0' ? "/" : "";
	return snprintf(out, size, "%s%s%s", best->dir, sep, sub) < (int)size;
}

/* Joins dir and file into out, without an empty dir's slash. */
static const char *
join(char *out, const char *dir, const char *file)
{
	if (dir == NULL || dir[0] == '\0')
		return file;
	if (snprintf(out, CI_PATH_MAX, "%s/%s", dir, file) >= CI_PATH_MAX)
		return file;
	return out;
}

static const char *
strip_prefix(const char *file, const char *dir)
{
	size_t n = dir != NULL ? strlen(dir) : 0;
	while (n > 0 && dir[n - 1] == '/')
		n--;
	if (n > 0 && strncmp(file, dir, n) == 0 && file[n] == '/')
		return file + n + 1;
	return NULL;
}

const char *
ci_path(const struct ci_env *env, const struct event *ev, char *out)
{
	const char *file = ev->f[F_FILE];
	const char *pkg = ev->f[F_PKG];

	if (file == NULL)
		return NULL;
	if (file[0] == '/') {
		const char *rel = strip_prefix(file, env->workspace);
		if (rel == NULL)
			rel = strip_prefix(file, env->real_ws);
		return rel != NULL ? rel : file;
	}
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	if (file[0] == '$' || file[0] == '<' || file[0] == '\0')
		return file;
	char dir[CI_PATH_MAX];
	/* A base name under a package is in the package's directory. */
	if (strchr(file, '/') == NULL && pkg != NULL &&
	    pkg_dir(env, pkg, dir, sizeof(dir)))
		return join(out, dir, file);
	/* Otherwise the go command named it from where it ran: here. */
	return join(out, env->cwd_rel, file);
}
