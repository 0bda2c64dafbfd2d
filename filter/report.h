/*
 * report.h - the CI report formats: writers that see every event before
 * they write (GitHub annotations ranked and capped, the Markdown summary,
 * JUnit XML, GitLab Code Quality) or one at a time (reviewdog's rdjsonl).
 *
 * The event list owns copies of the events it keeps (without goroutine
 * buckets, which no report prints), in bounded memory: past REPORT_MAX
 * events or REPORT_BYTES of copies, further events are only counted.
 * Each writer lives in its own file (ci_github.c, ci_markdown.c,
 * ci_junit.c, ci_gitlab.c, ci_rdjsonl.c) and only reads the list.
 */
#ifndef GOERRFILT_REPORT_H
#define GOERRFILT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "event.h"
#include "util.h"

#define REPORT_MAX 20000
#define REPORT_RESULTS 200000
#define REPORT_BYTES (32u << 20)

struct evlist {
	struct arena arena;
	struct event *ev;
	size_t n, cap;
	size_t bytes;
	uint64_t dropped;   /* events past the bound, not kept */
	/* Passed and skipped tests (-f junit), REPORT_RESULTS at most. */
	struct test_result *res;
	size_t nres, rescap;
	uint64_t res_dropped;
};

void evlist_add(struct evlist *l, const struct event *ev);
void evlist_result(struct evlist *l, const struct test_result *r);
void evlist_free(struct evlist *l);

#define CI_MODS_MAX 64
#define CI_PATH_MAX 4096

/* A Go module found from the current directory: its path and directory. */
struct ci_mod {
	char *path;                 /* "example.com/m" */
	char *dir;                  /* relative to the workspace; "" for itself */
};

/*
 * What the writers know of the run, from the environment and the options.
 * ci_env_init fills the workspace, cwd and module fields and owns them
 * until ci_env_free; main sets the other two.
 */
struct ci_env {
	const char *workspace;      /* paths are made relative to it; never NULL */
	const char *events_path;    /* where the full events went, or NULL */
	const char *step_summary;   /* $GITHUB_STEP_SUMMARY, or NULL */
	char *own_ws;               /* workspace's storage */
	char *real_ws;              /* its real path when that differs, or NULL */
	char *cwd_rel;              /* the cwd under the workspace, or NULL */
	struct ci_mod mods[CI_MODS_MAX];
	int nmods;
};

/*
 * workspace is $GITHUB_WORKSPACE, or NULL/"" for the current directory.
 * Reads the go.work, else the go.mod, that the go command would use from
 * the current directory (the nearest one upwards) for its modules.
 */
void ci_env_init(struct ci_env *env, const char *workspace);
void ci_env_free(struct ci_env *env);
/*
 * The event's file as a report names it, relative to the workspace: an
 * absolute path under it loses the prefix; a base name with a package
 * under a known module ("calc_test.go" in example.com/m/calc) is put in
 * the package's directory; another relative path is taken from the
 * current directory; "./" is dropped.  A path outside the workspace stays
 * absolute; NULL stays NULL.  Points into the event or into out, which
 * has CI_PATH_MAX bytes.
 */
const char *ci_path(const struct ci_env *env, const struct event *ev, char *out);
/*
 * The failed test an event belongs to: its test field, or for a test
 * failure without one (events written before the field existed), func.
 */
const char *ci_test(const struct event *ev);
/*
 * Appends the event's message as a report that stands alone shows it:
 * prefixed with its test's name when the message does not name the test.
 */
void ci_message(struct buf *b, const struct event *ev);
/*
 * Whether the event's kept output has line s: a failed test's output
 * often repeats its headline, which a report then need not write twice.
 */
int ci_output_has(const struct event *ev, const char *s);

void ci_github(struct buf *out, const struct evlist *l, const struct ci_env *env);
void ci_markdown(struct buf *out, const struct evlist *l, const struct ci_env *env);
void ci_junit(struct buf *out, const struct evlist *l, const struct ci_env *env);
void ci_gitlab(struct buf *out, const struct evlist *l, const struct ci_env *env);
void ci_rdjsonl(struct buf *out, const struct event *ev, const struct ci_env *env);

#endif
