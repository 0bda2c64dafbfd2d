/*
 * repro_run.h - goerrfilt-repro's runs: one case on one toolchain, in a
 * fresh temporary directory (casetree.c) with a scrubbed environment
 * (runenv.c), each command under the limits of sandbox.c, its output
 * classified with goerrfilt's engine, and what the runs add up to
 * against what the manifest promises.
 *
 * Exports the options every part of goerrfilt-repro reads (struct
 * repro_opts, filled by repro_main.c), the outcome of a case on a
 * toolchain (struct outcome, which the report and the bug report read)
 * and run_case().
 *
 * Ownership: an outcome owns everything it points to except m and go
 * (the caller's, which must outlive it) until outcome_free(); the events
 * kept from a run are copies, bounded (RUN_MAX_EVENTS per run,
 * RUN_MAX_FRAMES per event).  struct repro_ctx holds what runs share
 * (the output buffer of sb_run) until repro_ctx_free().
 */
#ifndef GOERRFILT_REPRO_RUN_H
#define GOERRFILT_REPRO_RUN_H

#include <sys/types.h>

#include "casetree.h"
#include "event.h"
#include "goenv.h"
#include "gover.h"
#include "manifest.h"
#include "rules.h"
#include "runenv.h"
#include "sandbox.h"
#include "util.h"

#define RUN_MAX_EVENTS 64               /* events kept per run */
#define RUN_MAX_FRAMES 32               /* frames kept per event */
#define OUT_CAP (16u << 20)             /* output bytes kept per run */
/* Where the report shows the per-case temporary directory. */
#define TMP_MARK "$REPRO_TMP"

struct repro_opts {
	int runs;                       /* --runs */
	const char **gos;               /* --go, as given */
	int ngo;
	const char *baseline, *outpath;
	int bug_report, keep, progress;
	const char *save_dir;           /* --save-output */
	long mem_mb, max_procs, max_file_mb;
	int ncpus;
	uid_t uid;                      /* run cases as; (uid_t)-1 as is */
	gid_t gid;
	int fs_iso;                     /* --fs-isolation: FSISO_* wanted */
	const char *const *keep_dirs;   /* the toolchains' folders (fsiso.h) */
	int nkeep;
	int save_fd;                    /* --save-output's folder, or -1 */
	const char *tmpbase;
	char *base_env[GOENV_N];        /* --baseline values */
	int have_base;
};

/* An event of a run, copied out of the engine's arena. */
struct run_event {
	char *f[F_NFIELDS];             /* F_CLASS and F_KIND never NULL */
	struct frame *stack;
	int nstack;
};

struct run_events {
	struct run_event *v;
	int n, cap, dropped;
};

/* One command: the build of mode run, a run, the -d=panic re-run. */
struct run {
	int code, sig, timed_out;
	long ms;
	struct run_events ev;
	int match;                      /* an event of the expected class/kind */
	int reproduced;                 /* match, with the expected exit code */
};

struct outcome {
	const struct case_manifest *m;
	const char *go;
	char *env[GOENV_NALL];          /* go env values, temp dir as TMP_MARK */
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
	const struct run_event *primary;        /* the event the report shows */
	char *error_kind;
	struct run rerun;               /* -d=panic, for an ICE without stack */
	int has_rerun;
	char *rerun_flags;
	int net_isolated, uid_dropped;
	int cmds;                       /* commands started */
	int fs_iso, pid_ns;             /* the weakest seen over them */
	char *fs_note;                  /* why fs_iso fell short, or NULL */
	struct buf sample;              /* output of a reproducing (or first) run */
	int sample_repro;               /* sample is from a reproducing run */
	char *root;                     /* the temporary directory's name */
	char *goenv_text;               /* `go env`, for --bug-report */
	struct buf problems;            /* JSON array body */
	struct sb_limits lim;
};

/* What the runs share; the caller sets op, rs, total and (per run) idx. */
struct repro_ctx {
	const struct repro_opts *op;
	const struct ruleset *rs;
	int idx, total;                 /* for the progress line */
	/* run_case's own: */
	char *root;                     /* the temporary directory */
	char *casedir;
	char *rw[CASETREE_NSUBS];       /* its folders, canonical (fsiso.h) */
	struct runenv env;
	struct sb_result res;
};

/*
 * Runs the case o->m on the toolchain o->go (both set by the caller in a
 * zeroed outcome) as many times as op->runs says and fills in the rest.
 * Returns 0, or -1 on trouble (o->status "error", o->note says why).
 */
int run_case(struct repro_ctx *c, struct outcome *o);
void outcome_free(struct outcome *o);
void repro_ctx_free(struct repro_ctx *c);

/* The CPUs this process may use. */
int ncpus(void);

#endif
