/*
 * prefilter.c - rare-bigram literal scanner (see prefilter.h).
 */
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "util.h"

struct lit {
	const char *s;
	size_t len;
	size_t off;         /* where the indexing byte pair sits in s */
	int next;           /* next literal sharing the pair, or -1 */
};

struct pf {
	uint64_t bits[65536 / 64];
	int *head;          /* 65536 entries: first literal of each pair */
	struct lit *lits;
	int n, cap;
};

/*
 * How common a byte is in Go build logs: hex digits and lower-case letters
 * fill hashes, paths and flags, so a pair made of them is a poor index.  The
 * weights only rank pairs; they need not be exact.
 */
static unsigned
byte_weight(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))
		return 40;
	if (c >= 'g' && c <= 'z')
		return 25;
	switch (c) {
	case '/': case '.': case ' ': case '-': case '_': case '=':
	case '$':
		return 30;
	case '\t': case '"': case ',': case '\'':
		return 12;
	}
	if (c >= 'A' && c <= 'Z')
		return 6;
	return 4;
}

struct pf *
pf_new(void)
{
	struct pf *pf = xcalloc(1, sizeof(*pf));

	pf->head = xmalloc(65536 * sizeof(int));
	for (int i = 0; i < 65536; i++)
		pf->head[i] = -1;
	return pf;
}

int
pf_add(struct pf *pf, const char *s, size_t len)
{
	if (pf->n == pf->cap) {
		pf->cap = pf->cap ? pf->cap * 2 : 64;
		pf->lits = xrealloc(pf->lits, pf->cap * sizeof(*pf->lits));
	}
	for (int i = 0; i < pf->n; i++)
		if (pf->lits[i].len == len && memcmp(pf->lits[i].s, s, len) == 0)
			return i;
	struct lit *l = &pf->lits[pf->n];
	l->s = s;
	l->len = len;
	l->off = 0;
	l->next = -1;
	return pf->n++;
}

static unsigned
pair_key(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

void
pf_build(struct pf *pf)
{
	for (int i = 0; i < pf->n; i++) {
		struct lit *l = &pf->lits[i];
		const unsigned char *s = (const unsigned char *)l->s;
		unsigned best = ~0u;

		for (size_t j = 0; j + 1 < l->len; j++) {
			unsigned w = byte_weight(s[j]) * byte_weight(s[j + 1]);
			if (w < best) {
				best = w;
				l->off = j;
			}
		}
		unsigned k = pair_key(s + l->off);
		pf->bits[k >> 6] |= 1ULL << (k & 63);
		l->next = pf->head[k];
		pf->head[k] = i;
	}
}

void
pf_free(struct pf *pf)
{
	if (pf == NULL)
		return;
	free(pf->head);
	free(pf->lits);
	free(pf);
}

int
pf_count(const struct pf *pf)
{
	return pf->n;
}

const char *
pf_literal(const struct pf *pf, int id, size_t *len)
{
	*len = pf->lits[id].len;
	return pf->lits[id].s;
}

size_t
pf_words(const struct pf *pf)
{
	return ((size_t)pf->n + 63) / 64;
}

/*
 * Checks the literals indexed by the pair at q; returns the start of the
 * first that occurs there, and sets hit bits when hits is non-NULL.
 */
static const char *
verify(const struct pf *pf, const char *lo, const char *q, const char *end,
    uint64_t *hits)
{
	const char *found = NULL;

	for (int i = pf->head[pair_key((const unsigned char *)q)]; i >= 0;
	    i = pf->lits[i].next) {
		const struct lit *l = &pf->lits[i];
		const char *s = q - l->off;
		if (s < lo || (size_t)(end - s) < l->len)
			continue;
		if (memcmp(s, l->s, l->len) != 0)
			continue;
		if (hits == NULL) {
			if (found == NULL || s < found)
				found = s;
		} else {
			hits[i >> 6] |= 1ULL << (i & 63);
			found = s;
		}
	}
	return found;
}

/*
 * Literals hold no newline, so the first verified hit lies in the earliest
 * line that holds any literal; that line is all the caller needs.
 */
const char *
pf_next(const struct pf *pf, const char *p, const char *end)
{
	const unsigned char *q = (const unsigned char *)p;
	const unsigned char *e = (const unsigned char *)end;

	if (e - q < 2)
		return NULL;
	for (e--; q < e; q++) {
		unsigned k = pair_key(q);
		if (!(pf->bits[k >> 6] >> (k & 63) & 1))
			continue;
		const char *s = verify(pf, p, (const char *)q, end, NULL);
		if (s != NULL)
			return s;
	}
	return NULL;
}

void
pf_hits(const struct pf *pf, const char *p, const char *end, uint64_t *hits)
{
	const unsigned char *q = (const unsigned char *)p;
	const unsigned char *e = (const unsigned char *)end;

	if (e - q < 2)
		return;
	for (e--; q < e; q++) {
		unsigned k = pair_key(q);
		if (pf->bits[k >> 6] >> (k & 63) & 1)
			verify(pf, p, (const char *)q, end, hits);
	}
}
