/*
 * gtstate.h - the test tracker's state, shared by its two halves:
 * gotest.c reads go test's framing and attributes lines to tests,
 * gthold.c holds the events and settles them when a package ends.  Only
 * those two files include it; everything here lives in the tracker's
 * arena and is reset when a package ends.
 */
#ifndef GOERRFILT_GTSTATE_H
#define GOERRFILT_GTSTATE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gotest.h"
#include "util.h"

#define GT_SEEN 64          /* packages with events lately, for summaries */
#define GT_DEPTH 16         /* report nesting followed */
#define GT_ATTRS 16         /* attributes kept per test */

#define PFX(l, n, lit) \
	((n) >= sizeof(lit) - 1 && memcmp((l), (lit), sizeof(lit) - 1) == 0)
#define EQ(l, n, lit) \
	((n) == sizeof(lit) - 1 && memcmp((l), (lit), sizeof(lit) - 1) == 0)

struct lines {
	const char **p;
	int n, cap;
	long omitted;
	size_t bytes;
};

struct gtest {
	const char *name;
	size_t nlen;
	int failed, race, own, folded;
	int passed, skipped;        /* its --- PASS: or --- SKIP: report */
	int errors;                 /* -json OutputType error lines */
	const char *elapsed;
	struct lines out;
	const char *file, *line, *msg;      /* its first location line */
	const char *efile, *eline, *emsg;   /* the first marked an error (-json) */
	const char *first;                  /* its first own line */
	const char *got, *want;             /* an example's first lines */
	int example_part;                   /* 1 after got:, 2 after want: */
	const char *input, *rerun;
	int want_rerun;
	const char *attr_k[GT_ATTRS], *attr_v[GT_ATTRS];   /* t.Attr */
	int nattr;
	int ev;                             /* its held test event, or -1 */
};

struct held {
	int raw, flags, drop;
	struct event ev;
	struct rawline rl;
};

/* Packages that had events lately: a summary after them says nothing new. */
struct gt_seen {
	uint64_t h[GT_SEEN];
	int n, pos;
};

struct gt {
	struct emit down;
	struct arena a;             /* the open package's tests and copies */
	int active, chatty;
	struct gtest *t;
	int nt, tcap;
	int cur;                    /* the test of the next line, -1 none */
	int cur_done;               /* -v: its report came; its lines ended */
	unsigned idle;              /* lines in a row that are no test's */
	int rep[GT_DEPTH];          /* the report open at each depth, plain text */
	int nrep;
	int explicit, xtest;        /* -json: the record's test */
	int xerror, xerror_seen;    /* its OutputType is error; any had one */
	char xpkg[512];
	struct held *h;
	int nh, hcap;
	size_t bytes;
	struct lines pkgout;        /* lines that belong to no test */
	/*
	 * Under -p, the lines of events that may be dropped, so that they
	 * are passed through then.
	 */
	struct rawline *taken;
	int ntaken, takencap;
	uint64_t drop_line;         /* a summary line dropped before it came */
	struct gt_seen own_seen, *seen;
};

/* gotest.c */
int gt_find_test(const struct gt *g, const char *name, size_t n);
int gt_test_of(struct gt *g, const char *name, size_t n);
void gt_lines_add(struct gt *g, struct lines *l, const char *s, size_t n);
const char *gt_dup(struct gt *g, const char *s, size_t n);

/* gthold.c */
void gt_seen_add(struct gt *g, const char *pkg);
int gt_seen_has(const struct gt *g, const char *pkg);
/*
 * Settles what is held and hands it on; pkg NULL: the bound was reached or
 * the input ended.
 */
void gt_release(struct gt *g, const char *pkg, size_t plen);

#endif
