/*
 * prefilter_hs.c - the Hyperscan backend of the prefilter; the only file
 * that includes hs.h.  Built with -DHAVE_HYPERSCAN; without it every
 * function reports "not available" and the portable backend serves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "util.h"

#ifdef HAVE_HYPERSCAN
#include <hs.h>

struct pf_hs {
	hs_database_t *db;
	hs_scratch_t *scratch;
	size_t *lens;
	const struct pf_lit *lits;  /* the caller's, for the buffer start */
	int n;
	/*
	 * The anchored literals by first byte, for the buffer's first line:
	 * first[c] indexes by_first, which lists ids and ends in -1.
	 */
	int first[256];
	int *by_first;
};

/* Builds first[] and by_first from h->lits. */
static void
index_anchored(struct pf_hs *h)
{
	int na = 0;

	for (int i = 0; i < h->n; i++)
		na += h->lits[i].anchored != 0;
	h->by_first = xmalloc((size_t)(na + 256) * sizeof(int));
	int k = 0;
	for (int c = 0; c < 256; c++) {
		h->first[c] = k;
		for (int i = 0; i < h->n; i++)
			if (h->lits[i].anchored && (unsigned char)h->lits[i].s[0] == c)
				h->by_first[k++] = i;
		h->by_first[k++] = -1;
	}
}

static struct pf_hs *compile_lits(const struct pf_lit *lits, int n,
    const hs_platform_info_t *plat);

struct pf_hs *
pf_hs_build(const struct pf_lit *lits, int n)
{
	if (hs_valid_platform() != HS_SUCCESS)
		return NULL;
	return compile_lits(lits, n, NULL);
}

static struct pf_hs *
compile_lits(const struct pf_lit *lits, int n, const hs_platform_info_t *plat)
{
	const char **pats = xcalloc((size_t)n, sizeof(*pats));
	size_t *plens = xcalloc((size_t)n, sizeof(*plens));
	unsigned *flags = xcalloc((size_t)n, sizeof(*flags));
	unsigned *ids = xcalloc((size_t)n, sizeof(*ids));
	struct pf_hs *h = xcalloc(1, sizeof(*h));
	hs_compile_error_t *cerr = NULL;

	h->lens = xcalloc((size_t)n, sizeof(*h->lens));
	h->lits = lits;
	h->n = n;
	/*
	 * Hyperscan's literal API compiles far faster than regexes.  An
	 * anchored literal becomes "\n" + literal; its occurrence at the very
	 * start of a buffer is checked by hand in pf_hs_scan.
	 */
	for (int i = 0; i < n; i++) {
		char *s = xmalloc(lits[i].len + 1);
		size_t k = 0;
		if (lits[i].anchored)
			s[k++] = '\n';
		memcpy(s + k, lits[i].s, lits[i].len);
		pats[i] = s;
		plens[i] = lits[i].len + k;
		flags[i] = 0;
		ids[i] = (unsigned)i;
		h->lens[i] = lits[i].len;
	}
	hs_error_t rc = hs_compile_lit_multi(pats, flags, ids, plens,
	    (unsigned)n, HS_MODE_BLOCK, plat, &h->db, &cerr);
	for (int i = 0; i < n; i++)
		free((void *)pats[i]);
	free(pats);
	free(plens);
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
	index_anchored(h);
	return h;
}

struct hs_ctx {
	const size_t *lens;
	void (*add)(void *, size_t, int);
	void *arg;
};

/*
 * A database for any x86-64 with SSSE3, not just this machine's CPU, so
 * that it can be shipped inside the rule bundle.
 */
int
pf_hs_serialize(const struct pf_lit *lits, int n, struct buf *out)
{
	hs_platform_info_t plat = { 0 };
	struct pf_hs *h;
	char *bytes = NULL;
	size_t len = 0;

	plat.tune = HS_TUNE_FAMILY_GENERIC;
	plat.cpu_features = 0;
	h = compile_lits(lits, n, &plat);
	if (h == NULL)
		return -1;
	int rc = hs_serialize_database(h->db, &bytes, &len) == HS_SUCCESS ? 0 : -1;
	if (rc == 0)
		buf_add(out, bytes, len);
	free(bytes);
	pf_hs_free(h);
	return rc;
}

struct pf_hs *
pf_hs_load(const struct pf_lit *lits, int n, const void *bytes, size_t len)
{
	if (hs_valid_platform() != HS_SUCCESS)
		return NULL;
	struct pf_hs *h = xcalloc(1, sizeof(*h));
	if (hs_deserialize_database(bytes, len, &h->db) != HS_SUCCESS) {
		free(h);
		return NULL;
	}
	if (hs_alloc_scratch(h->db, &h->scratch) != HS_SUCCESS) {
		hs_free_database(h->db);
		free(h);
		return NULL;
	}
	h->lens = xcalloc((size_t)n, sizeof(*h->lens));
	for (int i = 0; i < n; i++)
		h->lens[i] = lits[i].len;
	h->lits = lits;
	h->n = n;
	index_anchored(h);
	return h;
}

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
	if (len > 0)
		for (const int *i = h->by_first + h->first[(unsigned char)p[0]];
		    *i >= 0; i++)
			if (len >= h->lits[*i].len &&
			    memcmp(p, h->lits[*i].s, h->lits[*i].len) == 0)
				add(arg, 0, *i);
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
	free(h->by_first);
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

int
pf_hs_serialize(const struct pf_lit *lits, int n, struct buf *out)
{
	(void)lits; (void)n; (void)out;
	return -1;
}

struct pf_hs *
pf_hs_load(const struct pf_lit *lits, int n, const void *bytes, size_t len)
{
	(void)lits; (void)n; (void)bytes; (void)len;
	return NULL;
}

#endif
