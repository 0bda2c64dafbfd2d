/*
 * prefilter.h - finds the lines worth a regex call.
 *
 * Every rule names literals; a line that contains none of a rule's literals
 * cannot match it.  The prefilter indexes each literal by its rarest byte pair
 * in a 64 Kibit table and scans a whole buffer of lines with one table lookup
 * per byte, so ordinary build-log lines cost no regex call and no per-line
 * work beyond counting their newlines.
 *
 * The caller owns the literal strings for the prefilter's lifetime.
 */
#ifndef GOERRFILT_PREFILTER_H
#define GOERRFILT_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

struct pf;

struct pf *pf_new(void);
/* Adds a literal (at least 2 bytes); returns its id, 0, 1, 2, ... */
int pf_add(struct pf *pf, const char *lit, size_t len);
void pf_build(struct pf *pf);
void pf_free(struct pf *pf);
int pf_count(const struct pf *pf);
const char *pf_literal(const struct pf *pf, int id, size_t *len);

/*
 * Returns a pointer to the start of the first occurrence of any literal in
 * [p, end), or NULL.
 */
const char *pf_next(const struct pf *pf, const char *p, const char *end);

/* Sets bit id in hits (an array of pf_words() words) for every literal in [p, end). */
size_t pf_words(const struct pf *pf);
void pf_hits(const struct pf *pf, const char *p, const char *end, uint64_t *hits);

#endif
