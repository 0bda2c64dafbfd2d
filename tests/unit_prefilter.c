/*
 * unit_prefilter.c - the prefilter against a naive search: random literal
 * sets (anchored and not) over random text drawn from a small alphabet, so
 * that matches are frequent, with both backends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "util.h"

static int pass, fail;

static unsigned long long rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char alphabet[] = "ab:# \n.go/E";

/* Naive answer: does literal i occur (with its anchoring) starting at off? */
static int
naive_at(const char *text, size_t len, size_t off, const char *lit,
    size_t ll, int anchored)
{
	if (off + ll > len || memcmp(text + off, lit, ll) != 0)
		return 0;
	return !anchored || off == 0 || text[off - 1] == '\n';
}

static void
one_round(int round, const char *backend)
{
	char lits[8][8];
	size_t ll[8];
	int anch[8], ids[8];
	char text[4096];
	size_t len = 1 + rnd(sizeof(text) - 1);
	int nl = 1 + (int)rnd(8);

	setenv("GOERRFILT_PREFILTER", backend, 1);
	struct pf *pf = pf_new();
	for (int i = 0; i < nl; i++) {
		ll[i] = 2 + rnd(4);
		for (size_t j = 0; j < ll[i]; j++) {
			char c;
			do
				c = alphabet[rnd(sizeof(alphabet) - 1)];
			while (c == '\n');
			lits[i][j] = c;
		}
		lits[i][ll[i]] = '\0';
		anch[i] = rnd(3) == 0;
		ids[i] = pf_add(pf, lits[i], ll[i], anch[i]);
	}
	pf_build(pf);
	for (size_t i = 0; i < len; i++)
		text[i] = alphabet[rnd(sizeof(alphabet) - 1)];

	struct pf_matches ms = { 0 };
	pf_scan(pf, text, len, &ms);
	/* Every reported match is real, in order, and every real one is reported. */
	int ok = 1;
	size_t want = 0;
	for (size_t off = 0; off < len; off++)
		for (int i = 0; i < nl; i++) {
			int dup = 0;
			for (int k = 0; k < i; k++)
				dup |= ids[k] == ids[i];
			if (!dup && naive_at(text, len, off, lits[i], ll[i], anch[i]))
				want++;
		}
	for (size_t k = 0; k < ms.n; k++) {
		int id = ms.m[k].id;
		size_t l;
		int a;
		const char *s = pf_literal(pf, id, &l, &a);
		if (!naive_at(text, len, ms.m[k].start, s, l, a))
			ok = 0;
		if (k > 0 && ms.m[k].start < ms.m[k - 1].start)
			ok = 0;
	}
	if (ms.n != want)
		ok = 0;
	if (ok) {
		pass++;
	} else {
		fail++;
		printf("round %d (%s): %zu matches, want %zu\n", round,
		    pf_backend(pf), ms.n, want);
	}
	pf_matches_free(&ms);
	pf_free(pf);
}

int
main(void)
{
	for (int r = 0; r < 300; r++) {
		one_round(r, "bigram");
		one_round(r, "default");
	}
	unsetenv("GOERRFILT_PREFILTER");
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
