/*
 * bugreport.c - the Markdown bug report (see bugreport.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bugreport.h"
#include "event.h"
#include "sandbox.h"

/* At most max lines of s, the temporary directory shown as /tmp/repro. */
static void
md_block(FILE *f, const char *lang, const char *s, size_t len, int max,
    const char *root)
{
	char *t = str_replace_all(s, len, root, "/tmp/repro");
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

/*
 * A regular file of the case folder, at most max bytes: opened without
 * following a link and checked as opened, so that a link put there (or
 * swapped in after a look) cannot show the helper's files in an issue.
 */
static int
read_regular(const char *path, struct buf *b, size_t max)
{
	struct stat st;
	char tmp[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, tmp, sizeof(tmp))) > 0 && b->len + (size_t)n <= max)
		buf_add(b, tmp, (size_t)n);
	close(fd);
	return n == 0 ? 0 : -1;
}

/* The program: every source file of the case folder. */
static void
md_sources(FILE *f, const struct case_manifest *m)
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
		struct buf b = { 0 };
		if (read_regular(path, &b, 64 << 10) == 0) {
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

void
bug_report(FILE *f, const struct outcome *o, const struct versions *vs,
    const char *stops)
{
	const struct case_manifest *m = o->m;
	const struct run_event *p = o->primary;

	fprintf(f, "<!-- goerrfilt-repro: case %s, %s -->\n\n", m->name,
	    o->env[GOENV_VERSION]);
	fprintf(f, "### Go version\n\n```\ngo version %s %s/%s\n```\n\n",
	    o->env[GOENV_VERSION], o->env[GOENV_GOOS] ? o->env[GOENV_GOOS] : "?",
	    o->env[GOENV_GOARCH] ? o->env[GOENV_GOARCH] : "?");
	fprintf(f, "### Output of `go env` in your module/workspace:\n\n");
	if (o->goenv_text != NULL)
		md_block(f, "shell", o->goenv_text, strlen(o->goenv_text), 1000,
		    NULL);
	fprintf(f, "### What did you do?\n\n");
	if (m->v[MF_DESCRIPTION] != NULL)
		fprintf(f, "%s\n\n", m->v[MF_DESCRIPTION]);
	fprintf(f, "A module with these files:\n\n");
	md_sources(f, m);
	fprintf(f, "In the module's folder, with `GOTOOLCHAIN=local GOFLAGS= "
	    "GOPROXY=off%s%s`:\n\n```shell\n%s\n", m->v[MF_ENV] ? " " : "",
	    m->v[MF_ENV] ? m->v[MF_ENV] : "", m->v[MF_BUILD]);
	if (m->mode == MODE_RUN)
		fprintf(f, "%s\n", m->v[MF_RUN]);
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
				char *file = str_replace_all(p->stack[i].file,
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
			fprintf(f, " %s", vs->v[i]->env[GOENV_VERSION]);
	int any = 0;
	for (int i = 0; i < vs->n; i++)
		if (!vs->v[i]->reproduces)
			fprintf(f, "%s %s", any++ ? "" : ".  Does not reproduce with:",
			    vs->v[i]->env[GOENV_VERSION]);
	if (stops != NULL)
		fprintf(f, ".  First version without it: %s", stops);
	fprintf(f, ".\n\n### What did you expect to see?\n\n");
	if (strcmp(m->v[MF_EXPECT_CLASS], "ice") == 0)
		fprintf(f, "The compiler compiles the program or reports an "
		    "ordinary error; no internal compiler error.\n\n");
	else
		fprintf(f, "No %s (%s).\n\n", m->v[MF_EXPECT_KIND],
		    m->v[MF_EXPECT_CLASS]);
}
