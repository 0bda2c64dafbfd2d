/*
 * prefilter.h - finds the lines worth a regex call.
 *
 * Every rule names literals; a line that contains none of a rule's literals
 * cannot match it.  pf_scan() finds every literal occurrence in a buffer of
 * whole lines in one pass, so ordinary build-log lines cost no regex call
 * and no per-line work beyond counting their newlines.
 *
 * Two backends give the same answers: Hyperscan (prefilter_hs.c, when the
 * build has it and the CPU supports it) and a portable scanner that indexes
 * each literal by its rarest byte pair in a 64 Kibit table.  The
 * environment variable GOERRFILT_PREFILTER=bigram forces the portable one.
 *
 * The caller owns the literal strings for the prefilter's lifetime; the
 * prefilter owns its tables and the match array it returns.
 */
#ifndef GOERRFILT_PREFILTER_H
#define GOERRFILT_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

struct pf;

struct pf_match {
	size_t start;       /* offset of the literal in the scanned buffer */
	int id;
};

struct pf *pf_new(void);
/*
 * Adds a literal (at least 2 bytes, no newline); returns its id, 0, 1,
 * 2, ...  An anchored literal only counts at the start of a line.
 */
int pf_add(struct pf *pf, const char *lit, size_t len, int anchored);
void pf_build(struct pf *pf);
void pf_free(struct pf *pf);
int pf_count(const struct pf *pf);
const char *pf_literal(const struct pf *pf, int id, size_t *len, int *anchored);
const char *pf_backend(const struct pf *pf);

/* A caller-owned match list, reused from scan to scan. */
struct pf_matches {
	struct pf_match *m;
	size_t n, cap;
};
void pf_matches_free(struct pf_matches *ms);

/*
 * Finds every literal occurrence in [p, p+len), which starts at the start
 * of a line, into ms, ordered by start.
 */
void pf_scan(const struct pf *pf, const char *p, size_t len,
    struct pf_matches *ms);

/* Sets bit id in hits (pf_words() words) for every literal in the line. */
size_t pf_words(const struct pf *pf);
void pf_hits(const struct pf *pf, const char *p, size_t len, uint64_t *hits,
    struct pf_matches *tmp);

/* Backend interface, for prefilter_hs.c. */
struct pf_lit {
	const char *s;
	size_t len;
	int anchored;
};
struct pf_hs;
struct pf_hs *pf_hs_build(const struct pf_lit *lits, int n);
/* Appends matches through add(arg, start, id); returns 0, or -1 on failure. */
int pf_hs_scan(const struct pf_hs *h, const char *p, size_t len,
    void (*add)(void *arg, size_t start, int id), void *arg);
void pf_hs_free(struct pf_hs *h);
struct buf;
int pf_hs_serialize(const struct pf_lit *lits, int n, struct buf *out);
struct pf_hs *pf_hs_load(const struct pf_lit *lits, int n, const void *bytes,
    size_t len);

/*
 * A prebuilt scanner for exactly this list of literals (the rule bundle
 * carries one): pf_export() writes it, pf_prebuilt() offers it to the next
 * pf_build(), which uses it when the literals are the same and the CPU can
 * run it, and compiles its own otherwise.  Returns 0, or -1 when the build
 * has no such backend.
 */
int pf_export(const struct pf *pf, struct buf *out);
void pf_prebuilt(struct pf *pf, const void *blob, size_t len);

#endif
