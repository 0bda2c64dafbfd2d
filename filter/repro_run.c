/*
 * repro_run.c - one case on one toolchain (see repro_run.h): the
 * temporary directory and the environment, go env, the build and the
 * runs, the -d=panic re-run of a stackless compiler crash, the
 * classification of every command's output and the summary against the
 * manifest.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "casetree.h"
#include "engine.h"
#include "json.h"
#include "repro_run.h"

/* --- classification ---------------------------------------------------- */

static void
on_event(void *arg, struct event *ev)
{
	struct run_events *l = arg;

	if (l->n == RUN_MAX_EVENTS) {
		l->dropped++;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof(*l->v));
	}
	struct run_event *c = &l->v[l->n++];
	for (int f = 0; f < F_NFIELDS; f++)
		c->f[f] = ev->f[f] ? xstrdup(ev->f[f]) : NULL;
	/* Class and kind are always set by the engine; compare without fear. */
	if (c->f[F_CLASS] == NULL)
		c->f[F_CLASS] = xstrdup("");
	if (c->f[F_KIND] == NULL)
		c->f[F_KIND] = xstrdup(c->f[F_CLASS]);
	c->nstack = ev->nstack < RUN_MAX_FRAMES ? ev->nstack : RUN_MAX_FRAMES;
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
run_events_free(struct run_events *l)
{
	for (int i = 0; i < l->n; i++) {
		struct run_event *c = &l->v[i];
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
classify(const struct ruleset *rs, const struct buf *out, struct run_events *l)
{
	const struct emit em = { on_event, NULL, l, NULL };
	struct eng *e = eng_new(rs, &em);

	if (out->len > 0)
		eng_chunk(e, out->p, out->len);
	eng_flush(e);
	eng_free(e);
}

/* --- running a case on a toolchain ----------------------------------- */

/* A line of the report's problems. */
static void
problem(struct outcome *o, const char *s)
{
	if (o->problems.len)
		buf_addc(&o->problems, ',');
	json_str(&o->problems, s, strlen(s));
}

void
outcome_free(struct outcome *o)
{
	for (int i = 0; i < GOENV_NALL; i++)
		free(o->env[i]);
	free(o->note);
	run_events_free(&o->build.ev);
	for (int i = 0; i < o->nruns; i++)
		run_events_free(&o->runs[i].ev);
	free(o->runs);
	run_events_free(&o->rerun.ev);
	free(o->rerun_flags);
	free(o->error_kind);
	buf_free(&o->sample);
	free(o->goenv_text);
	free(o->root);
	free(o->fs_note);
	buf_free(&o->problems);
}

static void
progress(const struct repro_ctx *c, const struct outcome *o, const char *what)
{
	if (!c->op->progress)
		return;
	fprintf(stderr, "\r\033[K[%d/%d] %s %s: %s", c->idx, c->total,
	    o->m->name, o->env[GOENV_VERSION] ? o->env[GOENV_VERSION] : o->go,
	    what);
	fflush(stderr);
}

static int
run_cmd(struct repro_ctx *c, struct outcome *o, char *const argv[], int timeout)
{
	struct sb_limits lim = o->lim;

	lim.timeout_s = timeout;
	lim.cpu_s = timeout * c->op->ncpus < 60 ? 60 : timeout * c->op->ncpus;
	if (sb_run(argv, c->env.envp, c->casedir, &lim, &c->res) != 0) {
		free(o->note);
		o->note = xasprintf("%s", c->res.err);
		return -1;
	}
	if (c->res.net_isolated)
		o->net_isolated = 1;
	/* The report states the weakest isolation any command had. */
	if (o->cmds == 0 || c->res.fs_iso < o->fs_iso) {
		o->fs_iso = c->res.fs_iso;
		free(o->fs_note);
		o->fs_note = c->res.fs_note[0] ? xstrdup(c->res.fs_note) : NULL;
	}
	o->pid_ns = (o->cmds == 0 || o->pid_ns) && c->res.pid_ns;
	o->cmds++;
	return 0;
}

static int
run_sh(struct repro_ctx *c, struct outcome *o, const char *cmd, int timeout,
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
		const struct run_event *e = &r->ev.v[i];
		if (strcmp(e->f[F_CLASS], o->m->v[MF_EXPECT_CLASS]) == 0 &&
		    strcmp(e->f[F_KIND], o->m->v[MF_EXPECT_KIND]) == 0)
			r->match = 1;
	}
	r->reproduced = r->match &&
	    (o->m->expect_exit < 0 || r->code == o->m->expect_exit);
	return 0;
}

/* go env -json in the case's environment: the 17 variables and GOVERSION. */
static int
read_go_env(struct repro_ctx *c, struct outcome *o)
{
	char *argv[] = { (char *)o->go, "env", "-json", NULL };

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
	if (goenv_parse(c->res.out.p, c->res.out.len, o->env) != 0 ||
	    o->env[GOENV_VERSION] == NULL) {
		free(o->note);
		o->note = xasprintf("%s env -json: unreadable output", o->go);
		return -1;
	}
	/* The per-case paths differ on every run; the report names them so. */
	for (int i = 0; i < GOENV_N; i++)
		if (o->env[i] != NULL && strstr(o->env[i], c->root) != NULL) {
			char *n = str_replace_all(o->env[i], strlen(o->env[i]),
			    c->root, TMP_MARK);
			free(o->env[i]);
			o->env[i] = n;
		}
	o->ver = gover_parse(o->env[GOENV_VERSION]);
	if (c->op->bug_report) {
		char *argv2[] = { (char *)o->go, "env", NULL };
		if (run_cmd(c, o, argv2, 60) == 0 && c->res.code == 0)
			o->goenv_text = str_replace_all(c->res.out.p, c->res.out.len,
			    c->root, "/tmp/repro");
	}
	return 0;
}

int
ncpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static const struct run_event *
first_ice_without_stack(const struct outcome *o)
{
	for (int i = 0; i < o->nruns; i++)
		for (int k = 0; k < o->runs[i].ev.n; k++) {
			const struct run_event *e = &o->runs[i].ev.v[k];
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
ice_rerun(struct repro_ctx *c, struct outcome *o)
{
	const struct run_event *ice = first_ice_without_stack(o);

	if (ice == NULL)
		return 0;
	const char *pkg = ice->f[F_PKG];
	if (pkg != NULL && strchr(pkg, ' ') == NULL && strcmp(pkg, "main") != 0)
		o->rerun_flags = xasprintf("-gcflags=%s=-d=panic", pkg);
	else
		o->rerun_flags = xstrdup("-gcflags=-d=panic");
	/* Added to the case's own GOFLAGS, if its env sets some. */
	const char *old = runenv_get(&c->env, "GOFLAGS");
	char *keep = xstrdup(old ? old : "");
	char *kv = xasprintf("GOFLAGS=%s%s%s", keep, *keep ? " " : "",
	    o->rerun_flags);
	runenv_set(&c->env, kv);
	free(kv);
	progress(c, o, "re-run with -d=panic");
	int rc = run_sh(c, o, o->m->v[MF_BUILD], o->m->timeout, &o->rerun);
	kv = xasprintf("GOFLAGS=%s", keep);
	runenv_set(&c->env, kv);
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
	const struct case_manifest *m = o->m;

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
			const struct run_event *e = &o->runs[i].ev.v[k];
			if (strcmp(e->f[F_CLASS], m->v[MF_EXPECT_CLASS]) == 0 &&
			    strcmp(e->f[F_KIND], m->v[MF_EXPECT_KIND]) == 0) {
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
			const struct run_event *e = &o->rerun.ev.v[k];
			if (strcmp(e->f[F_CLASS], "ice") == 0 && e->nstack > 0) {
				o->primary = e;
				break;
			}
		}

	/* What the manifest promises for this version. */
	o->expected = -1;
	if (m->v[MF_REPRODUCES] != NULL) {
		char *dup = xstrdup(m->v[MF_REPRODUCES]), *sv = NULL;
		for (char *w = strtok_r(dup, " \t,", &sv); w; w = strtok_r(NULL, " \t,", &sv))
			if (gover_token_matches(w, o->ver))
				o->expected = 1;
		free(dup);
	}
	if (o->expected < 0 && manifest_val(m, MF_FIXED_IN) &&
	    gover_at_or_after(manifest_val(m, MF_FIXED_IN), o->ver))
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
		if (o->reproduces && m->v[MF_EXPECT_PHASE] &&
		    (ph == NULL || strcmp(ph, m->v[MF_EXPECT_PHASE]) != 0)) {
			char *s = xasprintf("phase %s, manifest says %s",
			    ph ? ph : "(none)", m->v[MF_EXPECT_PHASE]);
			problem(o, s);
			free(s);
			o->as_promised = 0;
		}
	}
}

/* The temporary directory, the case copied into it. */
static int
setup_dir(struct repro_ctx *c, struct outcome *o)
{
	int rc = casetree_make(c->op->tmpbase, o->m->dir, o->lim.uid,
	    o->lim.gid, &c->root, &o->note);

	if (c->root != NULL) {
		o->root = xstrdup(c->root);
		c->casedir = xasprintf("%s/%s", c->root, CASETREE_CASE);
	}
	if (rc != 0)
		return rc;
	/*
	 * The sandbox binds these back by path in a mount namespace where
	 * TMPDIR may be gone: no symbolic link may stand in the way.
	 */
	char *real = realpath(c->root, NULL);
	if (real == NULL) {
		o->note = xasprintf("%s: %s", c->root, strerror(errno));
		return -1;
	}
	for (int i = 0; i < CASETREE_NSUBS; i++)
		c->rw[i] = xasprintf("%s/%s", real, casetree_subs[i]);
	free(real);
	o->lim.rw_dirs = (const char *const *)c->rw;
	o->lim.nrw = CASETREE_NSUBS;
	return 0;
}

int
run_case(struct repro_ctx *c, struct outcome *o)
{
	const struct case_manifest *m = o->m;
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
	o->lim.fs_iso = c->op->fs_iso;
	o->lim.keep_dirs = c->op->keep_dirs;
	o->lim.nkeep = c->op->nkeep;
	o->uid_dropped = c->op->uid != (uid_t)-1;

	if (setup_dir(c, o) != 0)
		goto out;
	runenv_build(&c->env, o->go, c->root, m->v[MF_ENV]);
	progress(c, o, "go env");
	if (read_go_env(c, o) != 0)
		goto out;

	o->status = "skipped";
	const char *arch = manifest_val(m, MF_ARCH);
	if (arch != NULL && strcmp(arch, "any") != 0 &&
	    (o->env[GOENV_GOARCH] == NULL ||
	    strcmp(o->env[GOENV_GOARCH], arch) != 0)) {
		o->note = xasprintf("needs GOARCH=%s; the toolchain builds for %s",
		    arch, o->env[GOENV_GOARCH] ? o->env[GOENV_GOARCH] : "?");
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
		if (run_sh(c, o, m->v[MF_BUILD], bt, &o->build) != 0)
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
		const char *cmd = m->mode == MODE_RUN ? m->v[MF_RUN] : m->v[MF_BUILD];
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
			fprintf(stderr, "%s: %s %s: kept %s\n", progname,
			    m->name, o->env[GOENV_VERSION] ?
			    o->env[GOENV_VERSION] : o->go, c->root);
		else
			casetree_remove(c->root);
	}
	free(c->root);
	free(c->casedir);
	c->root = c->casedir = NULL;
	for (int i = 0; i < CASETREE_NSUBS; i++) {
		free(c->rw[i]);
		c->rw[i] = NULL;
	}
	o->lim.rw_dirs = NULL;
	o->lim.nrw = 0;
	runenv_free(&c->env);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	o->duration_ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (rc != 0)
		o->status = "error";
	return rc;
}

void
repro_ctx_free(struct repro_ctx *c)
{
	sb_result_free(&c->res);
	runenv_free(&c->env);
}
