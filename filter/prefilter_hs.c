/*
 * prefilter_hs.c - the Hyperscan backend of the prefilter; the only file
 * that includes hs.h.  Built with -DHAVE_HYPERSCAN; without it every
 * function reports "not available" and the portable backend serves.
 */
#include <stdio.h>
#include <stdlib.h>

#include "prefilter.h"
#include "util.h"

#ifdef HAVE_HYPERSCAN
#include <hs.h>

struct pf_hs {
	hs_database_t *db;
	hs_scratch_t *scratch;
	size_t *lens;
};

struct pf_hs *
pf_hs_build(const struct pf_lit *lits, int n)
{
	if (hs_valid_platform() != HS_SUCCESS)
		return NULL;
	const char **pats = xcalloc((size_t)n, sizeof(*pats));
	unsigned *flags = xcalloc((size_t)n, sizeof(*flags));
	unsigned *ids = xcalloc((size_t)n, sizeof(*ids));
	struct pf_hs *h = xcalloc(1, sizeof(*h));
	hs_compile_error_t *cerr = NULL;

	h->lens = xcalloc((size_t)n, sizeof(*h->lens));
	for (int i = 0; i < n; i++) {
		/* Each byte escaped: a literal may hold any regex metacharacter. */
		char *s = xmalloc(lits[i].len * 4 + 2);
		size_t k = 0;
		if (lits[i].anchored)
			s[k++] = '^';
		for (size_t j = 0; j < lits[i].len; j++)
			k += (size_t)sprintf(s + k, "\\x%02x",
			    (unsigned char)lits[i].s[j]);
		s[k] = '\0';
		pats[i] = s;
		flags[i] = HS_FLAG_MULTILINE;
		ids[i] = (unsigned)i;
		h->lens[i] = lits[i].len;
	}
	hs_error_t rc = hs_compile_multi(pats, flags, ids, (unsigned)n,
	    HS_MODE_BLOCK, NULL, &h->db, &cerr);
	for (int i = 0; i < n; i++)
		free((void *)pats[i]);
	free(pats);
	free(flags);
	free(ids);
	if (rc != HS_SUCCESS) {
		hs_free_compile_error(cerr);
		free(h->lens);
		free(h);
		return NULL;
	}
	if (hs_alloc_scratch(h->db, &h->scratch) != HS_SUCCESS) {
		hs_free_database(h->db);
		free(h->lens);
		free(h);
		return NULL;
	}
	return h;
}

struct hs_ctx {
	const size_t *lens;
	void (*add)(void *, size_t, int);
	void *arg;
};

static int
on_match(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *ctx)
{
	struct hs_ctx *c = ctx;

	(void)from;
	(void)flags;
	c->add(c->arg, (size_t)to - c->lens[id], (int)id);
	return 0;
}

int
pf_hs_scan(const struct pf_hs *h, const char *p, size_t len,
    void (*add)(void *, size_t, int), void *arg)
{
	struct hs_ctx c = { h->lens, add, arg };

	/* Hyperscan takes an unsigned int length; larger buffers go portable. */
	if (len > 0xffffffffu)
		return -1;
	return hs_scan(h->db, p, (unsigned)len, 0, h->scratch, on_match, &c) ==
	    HS_SUCCESS ? 0 : -1;
}

void
pf_hs_free(struct pf_hs *h)
{
	if (h == NULL)
		return;
	hs_free_scratch(h->scratch);
	hs_free_database(h->db);
	free(h->lens);
	free(h);
}

#else

struct pf_hs *
pf_hs_build(const struct pf_lit *lits, int n)
{
	(void)lits;
	(void)n;
	return NULL;
}

int
pf_hs_scan(const struct pf_hs *h, const char *p, size_t len,
    void (*add)(void *, size_t, int), void *arg)
{
	(void)h; (void)p; (void)len; (void)add; (void)arg;
	return -1;
}

void
pf_hs_free(struct pf_hs *h)
{
	(void)h;
}

#endif
