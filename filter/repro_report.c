/*
 * repro_report.c - the report line, the versions summary and the saved
 * output (see repro_report.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "fsiso.h"
#include "json.h"
#include "repro_report.h"

/*
 * The line is written in order, member after member: a comma goes before
 * anything that does not follow an opening bracket or a key.
 */
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
	char *n = str_replace_all(v, strlen(v), root, mark);
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
j_stack(struct buf *b, const char *k, const struct run_event *e,
    const char *root)
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

static int
cmp_outcome(const void *a, const void *b)
{
	const struct outcome *x = *(const struct outcome *const *)a;
	const struct outcome *y = *(const struct outcome *const *)b;

	return gover_cmp(x->ver, y->ver);
}

const char *
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
			stops = vs->v[i]->env[GOENV_VERSION];
	}
	return stops;
}

static void
j_versions(struct buf *b, const struct versions *vs, const char *stops,
    const struct case_manifest *m)
{
	jopen(b, "versions", '{');
	jopen(b, "tried", '[');
	for (int i = 0; i < vs->n; i++)
		jstr(b, NULL, vs->v[i]->env[GOENV_VERSION]);
	buf_addc(b, ']');
	jopen(b, "reproduces_on", '[');
	for (int i = 0; i < vs->n; i++)
		if (vs->v[i]->reproduces)
			jstr(b, NULL, vs->v[i]->env[GOENV_VERSION]);
	buf_addc(b, ']');
	jopen(b, "not_on", '[');
	for (int i = 0; i < vs->n; i++)
		if (!vs->v[i]->reproduces)
			jstr(b, NULL, vs->v[i]->env[GOENV_VERSION]);
	buf_addc(b, ']');
	jstr(b, "stops_at", stops);
	jstr(b, "manifest_reproduces", m->v[MF_REPRODUCES]);
	jstr(b, "manifest_fixed_in", manifest_val(m, MF_FIXED_IN));
	buf_addc(b, '}');
}

void
report_line(struct buf *b, const struct repro_opts *op,
    const struct outcome *o, const struct versions *vs, const char *stops)
{
	const struct case_manifest *m = o->m;
	const struct run_event *p = o->primary;

	b->len = 0;
	buf_addc(b, '{');
	jnum(b, "v", REPORT_VERSION);
	jstr(b, "timestamp", o->ts);
	jstr(b, "case", m->name);
	jstr(b, "case_dir", m->dir);
	jstr(b, "description", m->v[MF_DESCRIPTION]);
	jstr(b, "issue", manifest_val(m, MF_ISSUE));
	jstr(b, "go", o->go);
	jstr(b, "go_version", o->env[GOENV_VERSION]);
	jstr(b, "build_mode", "gc");
	jstr(b, "status", o->status);
	if (o->note != NULL)
		jstr(b, strcmp(o->status, "skipped") == 0 ? "skip_reason" : "error",
		    o->note);
	jstr(b, "mode", m->mode == MODE_RUN ? "run" : "build");
	jstr(b, "command", m->v[MF_BUILD]);
	if (m->mode == MODE_RUN)
		jstr(b, "run_command", m->v[MF_RUN]);
	jstr(b, "error_kind", o->error_kind);
	jstr(b, "expected_kind", m->v[MF_EXPECT_KIND]);
	jstr(b, "class", p ? p->f[F_CLASS] : NULL);
	jstr(b, "expected_class", m->v[MF_EXPECT_CLASS]);
	jstr(b, "phase", p ? p->f[F_PHASE] : NULL);
	jstr(b, "expected_phase", m->v[MF_EXPECT_PHASE]);
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
			const struct run_event *e = o->rerun.ev.n ? &o->rerun.ev.v[0] : NULL;
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
	for (int i = 0; i < GOENV_N; i++)
		jstr(b, goenv_vars[i], o->env[i]);
	buf_addc(b, '}');
	if (op->have_base) {
		jopen(b, "baseline_diff", '[');
		for (int i = 0; i < GOENV_N; i++) {
			const char *x = op->base_env[i], *y = o->env[i];
			if ((x == NULL) == (y == NULL) && (x == NULL || strcmp(x, y) == 0))
				continue;
			jopen(b, NULL, '{');
			jstr(b, "var", goenv_vars[i]);
			jstr(b, "baseline", x);
			jstr(b, "current", y);
			buf_addc(b, '}');
		}
		buf_addc(b, ']');
	}
	jbool(b, "network_isolated", o->net_isolated);
	jstr(b, "fs_isolation", o->cmds > 0 ? fsiso_name(o->fs_iso) : NULL);
	jopen(b, "sandbox", '{');
	if (!o->net_isolated && strcmp(o->status, "ran") == 0)
		jstr(b, "network_note", "unshare(CLONE_NEWNET) not permitted here: "
		    "the case ran with the host network");
	if (o->fs_note != NULL)
		jstr(b, "fs_note", o->fs_note);
	jbool(b, "pid_namespace", o->cmds > 0 && o->pid_ns);
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

/* --- --save-output ----------------------------------------------------- */

/*
 * A name --save-output may make in its folder: one element, no control
 * character (it goes into CASE.meta's lines too).  The case's name is the
 * last element of its folder as given, the version what its go command
 * said: either may be anything.
 */
static int
file_name_ok(const char *s)
{
	if (*s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0 ||
	    strlen(s) > 200)
		return 0;
	for (; *s; s++)
		if (*s == '/' || (unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/*
 * Writes n bytes as name in the folder dfd: into a new file of our own
 * (O_EXCL, O_NOFOLLOW) renamed over name at the end, so that a link, a
 * FIFO or a hard link already there is replaced, never written through.
 */
static int
save_file(int dfd, const char *name, const char *p, size_t n)
{
	char tmp[256];
	int fd = -1;

	for (int i = 0; i < 100 && fd < 0; i++) {
		snprintf(tmp, sizeof(tmp), ".%s.%ld.%d", name, (long)getpid(), i);
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			return -1;
	}
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	int e = done == n ? 0 : errno ? errno : EIO;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e == 0 && renameat(dfd, tmp, dfd, name) != 0)
		e = errno;
	if (e != 0) {
		(void)unlinkat(dfd, tmp, 0);
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * --save-output DIR: the combined output of the kept run as DIR/CASE.log,
 * with DIR/CASE.meta saying what printed it, so that `make fixtures` takes
 * the filter's fixtures from the very cases (and they cannot drift apart).
 * With several toolchains the file names carry the Go version.  Both are
 * made relative to DIR's descriptor, opened (without following a link)
 * before any run, so nothing is written anywhere else.
 */
int
save_output(const struct repro_opts *op, const struct outcome *o)
{
	const char *ver = o->env[GOENV_VERSION] ? o->env[GOENV_VERSION] : "go";
	int rc = 0;

	if (o->sample.len == 0)
		return 0;
	if (!file_name_ok(o->m->name) || !file_name_ok(ver)) {
		/* Shown with its control characters as ?: it is anyone's text. */
		char *shown = xstrdup(file_name_ok(o->m->name) ? ver : o->m->name);
		for (char *p = shown; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = '?';
		warnx_("--save-output: '%s' (%s) is not a file name; its output "
		    "is not saved", shown, file_name_ok(o->m->name) ?
		    "the go version" : "the case");
		free(shown);
		return -1;
	}
	char *base = op->ngo > 1 ? xasprintf("%s.%s", o->m->name, ver) :
	    xstrdup(o->m->name);
	char *log = xasprintf("%s.log", base), *meta = xasprintf("%s.meta", base);
	char *text = xasprintf("go_version=%s\ncase=cases/%s\n"
	    "captured_by=goerrfilt-repro --save-output\nsynthetic=no\n",
	    ver, o->m->name);

	if (save_file(op->save_fd, log, o->sample.p, o->sample.len) != 0) {
		warnx_("%s/%s: %s", op->save_dir, log, strerror(errno));
		rc = -1;
	} else if (save_file(op->save_fd, meta, text, strlen(text)) != 0) {
		warnx_("%s/%s: %s", op->save_dir, meta, strerror(errno));
		rc = -1;
	}
	free(text);
	free(base);
	free(log);
	free(meta);
	return rc;
}
