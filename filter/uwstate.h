/*
 * uwstate.h - the unwrap stage's state, shared by its two files: unwrap.c
 * (streams, batches, envelopes, lines and chunks) and learn.c (anchors and
 * the prefix shapes they teach).  Nothing outside the stage includes it.
 */
#ifndef GOERRFILT_UWSTATE_H
#define GOERRFILT_UWSTATE_H

#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "envelope.h"
#include "prefilter.h"
#include "rules.h"
#include "shape.h"

#define MAX_SHAPES 32
#define MAX_STREAMS 64
#define MAX_PREFIX_RULES 32
#define BATCH_MAX (1024 * 1024)
#define PARTIAL_MAX (64 * 1024)
#define LOOKAHEAD 24
#define LOOKBEHIND 64
/*
 * Bare input is scanned this many bytes at a time (to a line's end): a
 * traceback that starts in one window is read without a scan after it.
 */
#define UW_WINDOW (64 * 1024)

struct ushape {
	struct shape sh;
	int stream;                 /* index into streams; 0 the default */
};

struct ustream {
	struct buf name;
	struct eng *eng;
	struct buf partial;         /* a CRI P or docker record without newline */
	uint64_t partial_line;
	char ptime[64];             /* the time of the partial line's first record */
	size_t ptlen;
};

struct uw {
	const struct ruleset *rs;
	struct emit em;
	int *anchor_of;             /* literal id -> Go anchor, -1 none */
	struct pf_matches ms;       /* the chunk's literals, rules' and anchors' */
	struct pf_matches lms;      /* a decoded line's */
	struct buf dtime;           /* a docker record's time, kept from env */
	int rec_hint;               /* the raw record holds a Go anchor inside */
	int has_cont;               /* a shape of records that go on a line */
	int shape_streams;          /* a shape names a stream (compose, pods) */
	int bk_box;                 /* inside BuildKit's summary of a failed step */
	uint64_t skip;              /* lines text_line joined to the one before */
	struct buf joined_rec;      /* that line, joined */
	struct ustream st[MAX_STREAMS];
	int nst;
	struct ushape sh[MAX_SHAPES];
	int nsh;
	int prefix_idx[MAX_PREFIX_RULES];
	int nprefix;
	const struct rule *user_prefix;
	int wrapped;                /* reading line by line */
	int bare_anchor;            /* an anchor at a line's start was seen */
	uint64_t lineno;            /* number of the last line read */
	struct gojson *gj;
	struct env env;
	struct eng *rec;            /* JSON log records' Go text */

	/* the batch: consecutive lines of one stream */
	int bsid;
	uint64_t bfirst, blines;
	struct buf batch;
	struct eng_fact *facts;
	size_t nfacts, facts_cap;
	struct buf ftext;           /* time texts; facts hold offsets until flush */
	struct buf line;            /* a decoded line */
	struct buf pending;         /* a chunk's last line, waiting for the next */
	struct buf joined;
	char miss[64];              /* the last prefix that taught nothing */
	size_t miss_len;
	int miss_kind;              /* the anchor it stood before */
};

/* The stream named name (made on first sight); 0, the default, when full. */
int uw_stream_get(struct uw *u, const char *name, size_t len);

static inline int
uw_starts(const char *p, size_t n, const char *lit)
{
	const size_t k = strlen(lit);

	return n >= k && memcmp(p, lit, k) == 0;
}

#endif
