/*
 * prefilter.c - literal scanning (see prefilter.h): the portable rare-bigram
 * backend, and the dispatch to Hyperscan.
 */
#include <stdlib.h>
#include <string.h>

#include "bigram_freq.h"
#include "prefilter.h"
#include "util.h"

struct lit {
	struct pf_lit l;
	long off;           /* where the indexing byte pair sits in s: -1 is
			       the newline before an anchored literal */
	int next;           /* next literal sharing the pair, or -1 */
};

struct pf {
	/*
	 * The portable backend's index, built only when it serves: without
	 * Hyperscan, or when a Hyperscan scan fails.
	 */
	uint64_t *bits;     /* 65536 bits: pairs some literal is indexed by */
	/*
	 * rank[w]: the set bits in words before w, so that the pair of bit k
	 * has its list head at head[rank[k >> 6] + the set bits below k in
	 * its word]: a head per pair in use, not a table of 65536.
	 */
	uint32_t *rank;
	int *head;          /* first literal of each pair in use */
	struct lit *lits;
	int n, cap;
	int *byhash;        /* literal ids by hash of (bytes, anchored), -1 free */
	size_t hcap;
	struct pf_hs *hs;
	struct pf_hs *hs2;          /* literals nb.. when hs is prebuilt for 0..nb */
	int nb;
	struct pf_lit *hslits;      /* the backend's view of lits */
	const void *pre;            /* a prebuilt database: digest, bytes */
	size_t prelen;
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
	return xcalloc(1, sizeof(struct pf));
}

static size_t
lit_hash(const char *s, size_t len, int anchored)
{
	return (size_t)hash_fnv1a64(FNV64_INIT + (anchored != 0), s, len);
}

/* Where literal (s, len, anchored) is in byhash, or the free slot for it. */
static size_t
lit_slot(const struct pf *pf, const char *s, size_t len, int anchored)
{
	size_t k = lit_hash(s, len, anchored) & (pf->hcap - 1);

	for (; pf->byhash[k] >= 0; k = (k + 1) & (pf->hcap - 1)) {
		const struct pf_lit *l = &pf->lits[pf->byhash[k]].l;
		if (l->len == len && l->anchored == anchored &&
		    memcmp(l->s, s, len) == 0)
			break;
	}
	return k;
}

static void
rehash(struct pf *pf)
{
	free(pf->byhash);
	pf->hcap = pf->hcap ? pf->hcap * 2 : 256;
	pf->byhash = xmalloc(pf->hcap * sizeof(*pf->byhash));
	for (size_t k = 0; k < pf->hcap; k++)
		pf->byhash[k] = -1;
	for (int i = 0; i < pf->n; i++) {
		const struct pf_lit *l = &pf->lits[i].l;
		pf->byhash[lit_slot(pf, l->s, l->len, l->anchored)] = i;
	}
}

int
pf_add(struct pf *pf, const char *s, size_t len, int anchored)
{
	if ((size_t)pf->n * 2 >= pf->hcap)
		rehash(pf);
	const size_t k = lit_slot(pf, s, len, anchored);
	if (pf->byhash[k] >= 0)
		return pf->byhash[k];
	pf->byhash[k] = pf->n;
	if (pf->n == pf->cap) {
		pf->cap = pf->cap ? pf->cap * 2 : 64;
		pf->lits = xrealloc(pf->lits, (size_t)pf->cap * sizeof(*pf->lits));
	}
	struct lit *l = &pf->lits[pf->n];
	l->l.s = s;
	l->l.len = len;
	l->l.anchored = anchored;
	l->off = 0;
	l->next = -1;
	return pf->n++;
}

static unsigned
pair_key(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* The pair a literal is indexed by (l->off < 0: the newline before it). */
static unsigned
lit_pair(const struct lit *l)
{
	const unsigned char *s = (const unsigned char *)l->l.s;

	return l->off < 0 ? '\n' | (unsigned)s[0] << 8 : pair_key(s + l->off);
}

/* Where the list head of pair k (whose bit is set) is. */
static inline uint32_t
pair_slot(const struct pf *pf, unsigned k)
{
	uint64_t below = pf->bits[k >> 6] & ((1ULL << (k & 63)) - 1);

	return pf->rank[k >> 6] + (uint32_t)__builtin_popcountll(below);
}

/* Identifies the first n literals: ids, bytes and anchoring. */
static uint64_t
digest(const struct pf *pf, int n)
{
	uint64_t h = FNV64_INIT;

	for (int i = 0; i < n; i++) {
		const struct pf_lit *l = &pf->lits[i].l;
		h = hash_fnv1a64(h, &l->len, sizeof(l->len));
		h = hash_fnv1a64(h, l->s, l->len);
		h = hash_fnv1a64(h, &l->anchored, sizeof(l->anchored));
	}
	return h;
}

void
pf_prebuilt(struct pf *pf, const void *blob, size_t len)
{
	pf->pre = blob;
	pf->prelen = len;
}

int
pf_export(const struct pf *pf, struct buf *out)
{
	struct pf_lit *v = xmalloc((size_t)(pf->n ? pf->n : 1) * sizeof(*v));
	const uint64_t d = digest(pf, pf->n);
	const uint32_t n = (uint32_t)pf->n;
	size_t mark = out->len;

	for (int i = 0; i < pf->n; i++)
		v[i] = pf->lits[i].l;
	/* What it covers: the digest and the count of the literals. */
	buf_add(out, &d, sizeof(d));
	buf_add(out, &n, sizeof(n));
	int rc = pf_hs_serialize(v, pf->n, out);
	if (rc != 0)
		out->len = mark;
	free(v);
	return rc;
}

/*
 * A pair's cost is how often it occurs in real build logs (the generated
 * table), then the byte classes: the rarest pair of each literal makes the
 * fewest false candidates.
 */
static void
bigram_index(struct pf *pf)
{
	/* The table, spread out once per process: every rule set reads it. */
	static unsigned char freq[65536], weight[256];
	static int have_freq;

	if (!have_freq) {
		for (size_t i = 0; i < sizeof(bigram_freq) / sizeof(bigram_freq[0]); i++)
			freq[bigram_freq[i].a | bigram_freq[i].b << 8] = bigram_freq[i].w;
		for (int c = 0; c < 256; c++)
			weight[c] = (unsigned char)byte_weight((unsigned char)c);
		have_freq = 1;
	}
	pf->bits = xcalloc(65536 / 64, sizeof(*pf->bits));
	pf->rank = xmalloc(65536 / 64 * sizeof(*pf->rank));
	for (int i = 0; i < pf->n; i++) {
		struct lit *l = &pf->lits[i];
		const unsigned char *s = (const unsigned char *)l->l.s;
		unsigned best = ~0u;

		l->off = 0;
		for (size_t j = 0; j + 1 < l->l.len; j++) {
			unsigned w = (unsigned)freq[pair_key(s + j)] << 16 |
			    (unsigned)weight[s[j]] * weight[s[j + 1]];
			if (w < best) {
				best = w;
				l->off = (long)j;
			}
		}
		/*
		 * An anchored literal may be indexed by the newline before it
		 * and its first byte: "\n#" is far rarer than "# ".
		 */
		unsigned nl = '\n' | (unsigned)s[0] << 8;
		if (l->l.anchored &&
		    ((unsigned)freq[nl] << 16 | (unsigned)weight['\n'] * weight[s[0]]) < best)
			l->off = -1;
		unsigned k = lit_pair(l);
		pf->bits[k >> 6] |= 1ULL << (k & 63);
	}
	uint32_t nset = 0;
	for (int w = 0; w < 65536 / 64; w++) {
		pf->rank[w] = nset;
		nset += (uint32_t)__builtin_popcountll(pf->bits[w]);
	}
	pf->head = xmalloc((nset ? nset : 1) * sizeof(*pf->head));
	for (uint32_t k = 0; k < nset; k++)
		pf->head[k] = -1;
	for (int i = 0; i < pf->n; i++) {
		struct lit *l = &pf->lits[i];
		uint32_t slot = pair_slot(pf, lit_pair(l));
		l->next = pf->head[slot];
		pf->head[slot] = i;
	}
}

void
pf_build(struct pf *pf)
{
	const char *want = getenv("GOERRFILT_PREFILTER");
	if (pf->n > 0 && (want == NULL || strcmp(want, "bigram") != 0)) {
		pf->hslits = xmalloc((size_t)pf->n * sizeof(*pf->hslits));
		for (int i = 0; i < pf->n; i++)
			pf->hslits[i] = pf->lits[i].l;
		uint64_t d;
		uint32_t nb;
		if (pf->pre != NULL && pf->prelen > 12) {
			memcpy(&d, pf->pre, 8);
			memcpy(&nb, (const char *)pf->pre + 8, 4);
			if (nb <= (uint32_t)pf->n && d == digest(pf, (int)nb))
				pf->hs = pf_hs_load(pf->hslits, (int)nb,
				    (const char *)pf->pre + 12, pf->prelen - 12);
			/*
			 * Literals of rules added to the prebuilt set (-r) get a
			 * database of their own, compiled now: a few, not all.
			 */
			if (pf->hs != NULL && nb < (uint32_t)pf->n) {
				pf->hs2 = pf_hs_build(pf->hslits + nb,
				    pf->n - (int)nb);
				pf->nb = (int)nb;
				if (pf->hs2 == NULL) {
					pf_hs_free(pf->hs);
					pf->hs = NULL;
				}
			}
		}
		if (pf->hs == NULL)
			pf->hs = pf_hs_build(pf->hslits, pf->n);
	}
	if (pf->hs == NULL)
		bigram_index(pf);
}

void
pf_free(struct pf *pf)
{
	if (pf == NULL)
		return;
	pf_hs_free(pf->hs);
	pf_hs_free(pf->hs2);
	free(pf->hslits);
	free(pf->byhash);
	free(pf->bits);
	free(pf->rank);
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
pf_literal(const struct pf *pf, int id, size_t *len, int *anchored)
{
	*len = pf->lits[id].l.len;
	*anchored = pf->lits[id].l.anchored;
	return pf->lits[id].l.s;
}

const char *
pf_backend(const struct pf *pf)
{
	return pf->hs != NULL ? "hyperscan" : "bigram";
}

size_t
pf_words(const struct pf *pf)
{
	return ((size_t)pf->n + 63) / 64;
}

static void
add_match(void *arg, size_t start, int id)
{
	struct pf_matches *ms = arg;

	if (ms->n == ms->cap) {
		ms->cap = ms->cap ? ms->cap * 2 : 1024;
		ms->m = xrealloc(ms->m, ms->cap * sizeof(*ms->m));
	}
	ms->m[ms->n].start = start;
	ms->m[ms->n].id = id;
	ms->n++;
}

/* The second database numbers its literals from 0; they are nb on. */
struct shifted {
	struct pf_matches *ms;
	int base;
};

static void
add_shifted(void *arg, size_t start, int id)
{
	const struct shifted *sh = arg;

	add_match(sh->ms, start, sh->base + id);
}

void
pf_matches_free(struct pf_matches *ms)
{
	free(ms->m);
	ms->m = NULL;
	ms->n = ms->cap = 0;
}

static void
bigram_scan(const struct pf *pf, const char *p, size_t len,
    struct pf_matches *ms)
{
	const unsigned char *q = (const unsigned char *)p;
	const unsigned char *e = q + len;

	if (len < 2)
		return;
	/* At the buffer's start no newline precedes the first line. */
	for (int i = 0; i < pf->n; i++) {
		const struct lit *l = &pf->lits[i];
		if (l->off < 0 && len >= l->l.len && memcmp(p, l->l.s, l->l.len) == 0)
			add_match(ms, 0, i);
	}
	for (e--; q < e; q++) {
		unsigned k = pair_key(q);
		if (!(pf->bits[k >> 6] >> (k & 63) & 1))
			continue;
		for (int i = pf->head[pair_slot(pf, k)]; i >= 0;
		    i = pf->lits[i].next) {
			const struct lit *l = &pf->lits[i];
			const char *s = (const char *)q - l->off;
			if (s < p || (size_t)(p + len - s) < l->l.len)
				continue;
			if (memcmp(s, l->l.s, l->l.len) != 0)
				continue;
			/* p is always the start of a line: callers pass whole lines. */
			if (l->l.anchored && s > p && s[-1] != '\n')
				continue;
			add_match(ms, (size_t)(s - p), i);
		}
	}
}

void
pf_scan(const struct pf *pf, const char *p, size_t len, struct pf_matches *ms)
{
	ms->n = 0;
	struct shifted sh = { ms, pf->nb };
	if (pf->hs == NULL || pf_hs_scan(pf->hs, p, len, add_match, ms) != 0 ||
	    (pf->hs2 != NULL && pf_hs_scan(pf->hs2, p, len, add_shifted, &sh) != 0)) {
		ms->n = 0;
		/*
		 * A failed Hyperscan scan (a buffer past 4 GiB) falls back to
		 * the portable backend, whose index is built then: the tables
		 * are the prefilter's own, so the scan's const is kept for
		 * callers, not for them.
		 */
		if (pf->head == NULL)
			bigram_index((struct pf *)pf);
		bigram_scan(pf, p, len, ms);
	}
	/*
	 * Both backends report in the order of the byte pair or the match end,
	 * which for literals of different lengths is not quite start order.
	 */
	/*
	 * A match is out of place only by the few shorter literals that end
	 * inside it, so an insertion sort moves each a step or two; qsort
	 * cost a sixth of the time on crash text, where ".go:" and
	 * "goroutine " interleave.
	 */
	for (size_t i = 1; i < ms->n; i++) {
		if (ms->m[i].start >= ms->m[i - 1].start)
			continue;
		const struct pf_match t = ms->m[i];
		size_t j = i;
		for (; j > 0 && ms->m[j - 1].start > t.start; j--)
			ms->m[j] = ms->m[j - 1];
		ms->m[j] = t;
	}
}

void
pf_hits(const struct pf *pf, const char *p, size_t len, uint64_t *hits,
    struct pf_matches *tmp)
{
	pf_scan(pf, p, len, tmp);
	for (size_t i = 0; i < tmp->n; i++)
		hits[tmp->m[i].id >> 6] |= 1ULL << (tmp->m[i].id & 63);
}
