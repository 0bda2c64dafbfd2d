/*
 * rules.h - the rule language: parsing rule files, compiling them into a
 * rule set, checking every rule's samples, and the versioned bundle.
 *
 * A struct ruleset owns everything it points to (rules, regexes, the
 * prefilter, strings) and is allocated once at start-up; rules_free()
 * releases all of it.  The engine only reads it.
 */
#ifndef GOERRFILT_RULES_H
#define GOERRFILT_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "match.h"
#include "util.h"

enum rule_ctx { CTX_LINE, CTX_CONT, CTX_CMD, CTX_FRAME, CTX_PREFIX, CTX_N };

enum rule_flag {
	RF_TENTATIVE = 1 << 0,
	RF_CLOSE = 1 << 1,
	RF_BLOCK = 1 << 2,
	/*
	 * A one-line event for a package's go test summary ("FAIL pkg
	 * [build failed]"): kept only when nothing else explains the failure.
	 */
	RF_SUMMARY = 1 << 3,
};

struct cond {
	int field;          /* F_TOOL, F_CLASS, F_RULE, ... */
	const char *value;
	size_t len;
	int prefix;         /* value ended in '*' */
	int absent;         /* value was "-": the field is not set */
};

struct sample {
	const char *text;
	int line;           /* source line, for errors */
	int reject;
	const char *expect; /* "k=v k=v", or NULL */
	int expect_line;
};

struct directive {
	const char *kw, *val;
	int line, col;
};

struct fieldval {
	const char *p;
	size_t len;
};

struct rule {
	const char *id;
	struct directive *dir;      /* as read: the bundle stores these */
	int ndir, dcap;
	const char *file;
	int line;
	int ctx;
	unsigned flags;
	int *lits;          /* prefilter literal ids */
	int nlits;
	const char **require;       /* substrings that must all occur */
	int nrequire;
	int match_dir;              /* index of the match directive */
	unsigned char gate;         /* enum gate: what the regex implies */
	int lazy;                   /* regex compiled on first use */
	struct re *re;
	signed char capfield[RE_MAXCAP]; /* group -> field, -1 none */
	const char *set[F_NFIELDS];
	struct cond *when;
	int nwhen;
	struct re **absorb;         /* NULL until rule_absorb() needs it */
	const struct directive **absorb_dir;
	int nabsorb;
	struct sample *samples;
	int nsamples;
};

struct pf;

struct ruleset {
	struct rule *r;
	int n, cap;
	struct pf *pf;              /* literals of line and cmd rules */
	const void *pre;            /* a bundle's prefilter database */
	size_t prelen;
	int pre_lo, pre_hi;         /* the rules it was built for */
	/* built-in literals: headers, colour codes */
	int lit_hash, lit_esc;
	int *lit_anchor;            /* per Go anchor (anchors.h): its literal id */
	unsigned char *lit_used;    /* per literal: a rule or the engine needs it */
	/* per literal: the line rules that name it, ascending; cmd use */
	int **lit_rules;
	int *nlit_rules;
	/* per context: its rules' indexes, in rule order */
	int *ctx_rules[CTX_N];
	int nctx_rules[CTX_N];
	uint64_t *cmd_lits;         /* bit set (pf_words words): cmd rules' literals */
	uint64_t *test_lits;        /* the same: go test's framing (gotest.h) */
	struct arena strings;       /* all strings the rules point to */
	size_t nsrc;                /* directive lines read, for stats */
};

/*
 * Reading: rules_add_file() parses a rule file; rules_add_bundle() a
 * compiled bundle (from a file or the embedded default).  Errors are printed
 * as FILE:LINE:COL: message and counted; rules_compile() compiles every
 * regex, builds the prefilter and runs the samples of the first check
 * rules (the ones just read, not the built-in set checked at build time).
 * Each returns the number of errors found.
 */
struct ruleset *rules_new(void);
int rules_add_file(struct ruleset *rs, const char *path);
int rules_add_text(struct ruleset *rs, const char *name, const char *text, size_t len);
int rules_add_bundle(struct ruleset *rs, const char *name, const void *data, size_t len);
/*
 * The bundle compiled into the binary: read like rules_add_bundle() but
 * trusted (no checksum pass over its megabyte) and used in place (data
 * lives as long as the program).
 */
int rules_add_builtin(struct ruleset *rs, const void *data, size_t len);
int rules_compile(struct ruleset *rs, int check);
void rules_free(struct ruleset *rs);


/*
 * Writes the rule set as a bundle: the directives as read, and the
 * compiled prefilter database when the build has one.
 */
void rules_bundle(const struct ruleset *rs, struct buf *out);

/*
 * Matches one rule against a line: fills vals with the rule's `set` values
 * and its named groups (groups win), msg defaulting to the whole line.
 * Returns RE_MATCH, RE_NOMATCH or RE_LIMIT.
 */
int rule_match(const struct rule *r, const char *s, size_t len,
    struct fieldval vals[F_NFIELDS]);

/* Compiles a lazily compiled rule's regex; returns 1 when it has one. */
int rule_ready(const struct rule *r);
/* 0 when the line fails what r's regex implies (gate.h): no match. */
int rule_gate(const struct rule *r, const char *s, size_t len);
/*
 * The rule's absorb pattern i, compiled on first use like its match; NULL
 * when it does not compile (only a user rule can fail, and that was
 * reported when it loaded).
 */
struct re *rule_absorb(const struct rule *r, int i);

/* Evaluates a rule's `when` conditions against field values. */
int rules_when(const struct rule *r, const struct fieldval *fields);

/* Vocabulary checks (SPEC section 2). */
int vocab_ok(int field, const char *value);

#endif
