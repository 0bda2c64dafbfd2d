/*
 * arc_write.c - writing goerrfilt archives (see archive.h and
 * docs/archive.md): logs deduplicated by content, clustered by the
 * fingerprint of their first event and then by size, concatenated into
 * blocks, each block one zstd frame compressed with a dictionary trained
 * on the corpus; then the index sections, the section table and, last, the
 * header.  An append writes new blocks and a new index after the old end
 * and rewrites only the header, so an interrupted append leaves the old
 * archive as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>

#include "archive.h"
#include "arcfmt.h"

/* One distinct content: a new log's bytes, or a log already in the old
 * archive (p == NULL, read back for comparison). */
struct content {
	char *p;
	uint64_t size, hash;
	uint32_t ev0, nev;
	uint32_t block;
	uint64_t off;
	uint32_t oldlog;                /* old: a log of the old archive with it */
	const char *key;                /* clustering key: first fingerprint */
};

struct arc_writer {
	char *path, *tmp;
	struct arc *old;
	struct arc_wopts o;
	struct content *c;
	size_t nc, capc;
	uint32_t *chash;                /* open addressing: content index + 1 */
	size_t nchash;
	struct buf str, ev, log, blk;   /* encoded sections */
	uint32_t *shash;                /* string refs + 1 by hash */
	size_t nshash, nstr;
	uint64_t nlogs, bytes;
};

static void
chash_grow(struct arc_writer *w)
{
	size_t n = w->nchash ? w->nchash * 2 : 1024;
	uint32_t *t = xcalloc(n, sizeof(*t));

	for (size_t i = 0; i < w->nchash; i++) {
		if (w->chash[i] == 0)
			continue;
		size_t h = (size_t)w->c[w->chash[i] - 1].hash & (n - 1);
		while (t[h])
			h = (h + 1) & (n - 1);
		t[h] = w->chash[i];
	}
	free(w->chash);
	w->chash = t;
	w->nchash = n;
}

static void
content_insert(struct arc_writer *w, size_t ci)
{
	if ((w->nc + 1) * 2 > w->nchash)
		chash_grow(w);
	size_t h = (size_t)w->c[ci].hash & (w->nchash - 1);
	while (w->chash[h])
		h = (h + 1) & (w->nchash - 1);
	w->chash[h] = (uint32_t)ci + 1;
}

static struct content *
content_new(struct arc_writer *w)
{
	if (w->nc == w->capc) {
		w->capc = w->capc ? w->capc * 2 : 256;
		w->c = xrealloc(w->c, w->capc * sizeof(*w->c));
	}
	struct content *c = &w->c[w->nc++];
	memset(c, 0, sizeof(*c));
	return c;
}

static void
shash_grow(struct arc_writer *w)
{
	size_t n = w->nshash ? w->nshash * 2 : 4096;
	uint32_t *t = xcalloc(n, sizeof(*t));

	for (size_t i = 0; i < w->nshash; i++) {
		if (w->shash[i] == 0)
			continue;
		uint32_t ref = w->shash[i] - 1;
		size_t h = (size_t)arc_hash(w->str.p + ref + 4,
		    arcfmt_u32(w->str.p + ref)) & (n - 1);
		while (t[h])
			h = (h + 1) & (n - 1);
		t[h] = w->shash[i];
	}
	free(w->shash);
	w->shash = t;
	w->nshash = n;
}

/* The reference of string s in the string section, added once. */
static uint32_t
intern(struct arc_writer *w, const char *s, size_t n)
{
	if (s == NULL)
		return ARC_NOSTR;
	if ((w->nstr + 1) * 2 > w->nshash)
		shash_grow(w);
	size_t h = (size_t)arc_hash(s, n) & (w->nshash - 1);
	while (w->shash[h]) {
		uint32_t ref = w->shash[h] - 1;
		if (arcfmt_u32(w->str.p + ref) == n &&
		    memcmp(w->str.p + ref + 4, s, n) == 0)
			return ref;
		h = (h + 1) & (w->nshash - 1);
	}
	if (w->str.len + 4 + n >= ARC_NOSTR)
		die("archive string table full");
	uint32_t ref = (uint32_t)w->str.len;
	char len[4];
	arcfmt_put32(len, (uint32_t)n);
	buf_add(&w->str, len, 4);
	buf_add(&w->str, s, n);
	w->shash[h] = ref + 1;
	w->nstr++;
	return ref;
}

struct arc_writer *
arc_writer_new(const char *path, struct arc *old, const struct arc_wopts *o)
{
	struct arc_writer *w = xcalloc(1, sizeof(*w));

	w->path = xstrdup(path);
	w->old = old;
	w->o = *o;
	if (old == NULL)
		return w;
	/* The old index is the start of the new one: its references stay. */
	buf_add(&w->str, old->str, old->strlen);
	for (size_t ref = 0; ref + 4 <= old->strlen;) {
		uint32_t n = arcfmt_u32(old->str + ref);
		if (n > old->strlen - ref - 4)
			break;
		if ((w->nstr + 1) * 2 > w->nshash)
			shash_grow(w);
		size_t h = (size_t)arc_hash(old->str + ref + 4, n) & (w->nshash - 1);
		while (w->shash[h])
			h = (h + 1) & (w->nshash - 1);
		w->shash[h] = (uint32_t)ref + 1;
		w->nstr++;
		ref += 4 + (size_t)n;
	}
	for (uint32_t i = 0; i < old->nev; i++) {
		char r[36];
		for (int f = 0; f < AF_NFIELDS; f++)
			arcfmt_put32(r + 4 * f, old->ev[i].s[f]);
		arcfmt_put32(r + 32, old->ev[i].line);
		buf_add(&w->ev, r, sizeof(r));
	}
	for (uint32_t i = 0; i < old->nblk; i++) {
		char r[32] = { 0 };
		arcfmt_put64(r, old->blk[i].off);
		arcfmt_put64(r + 8, old->blk[i].csize);
		arcfmt_put64(r + 16, old->blk[i].usize);
		arcfmt_put32(r + 24, old->blk[i].flags);
		buf_add(&w->blk, r, sizeof(r));
	}
	for (uint32_t i = 0; i < old->nlog; i++) {
		const struct arc_log *l = &old->log[i];
		char r[40];
		arcfmt_put32(r, l->block);
		arcfmt_put32(r + 4, l->name);
		arcfmt_put64(r + 8, l->off);
		arcfmt_put64(r + 16, l->size);
		arcfmt_put64(r + 24, l->hash);
		arcfmt_put32(r + 32, l->ev0);
		arcfmt_put32(r + 36, l->nev);
		buf_add(&w->log, r, sizeof(r));
		/* One content per distinct (hash, place). */
		int seen = 0;
		for (size_t h = w->nchash ? (size_t)l->hash & (w->nchash - 1) : 0;
		    w->nchash && w->chash[h]; h = (h + 1) & (w->nchash - 1)) {
			const struct content *c = &w->c[w->chash[h] - 1];
			if (c->hash == l->hash && c->block == l->block && c->off == l->off)
				seen = 1;
		}
		if (seen)
			continue;
		struct content *c = content_new(w);
		c->size = l->size;
		c->hash = l->hash;
		c->ev0 = l->ev0;
		c->nev = l->nev;
		c->block = l->block;
		c->off = l->off;
		c->oldlog = i;
		content_insert(w, w->nc - 1);
	}
	w->nlogs = old->nlog;
	return w;
}

/* Whether content c holds the n bytes at p. */
static int
content_eq(struct arc_writer *w, const struct content *c, const char *p,
    size_t n)
{
	if (c->size != n)
		return 0;
	if (c->p != NULL)
		return memcmp(c->p, p, n) == 0;
	struct buf b = { 0 };
	int eq = arc_read(w->old, c->oldlog, &b) == 0 && b.len == n &&
	    memcmp(b.p, p, n) == 0;
	buf_free(&b);
	return eq;
}

static void
add_log_record(struct arc_writer *w, uint32_t name, size_t ci)
{
	char r[40] = { 0 };

	/* Block and offset are filled in when the block is written. */
	arcfmt_put32(r + 4, name);
	arcfmt_put32(r + 32, w->c[ci].ev0);
	arcfmt_put32(r + 36, w->c[ci].nev);
	arcfmt_put32(r, (uint32_t)ci);  /* the content, until then */
	arcfmt_put64(r + 16, w->c[ci].size);
	arcfmt_put64(r + 24, w->c[ci].hash);
	buf_add(&w->log, r, sizeof(r));
	w->nlogs++;
}

void
arc_writer_add(struct arc_writer *w, const char *name, const char *p,
    size_t n, const struct arc_wevent *ev, size_t nev)
{
	const uint64_t hash = arc_hash(p, n);
	const uint32_t nref = intern(w, name, strlen(name));

	w->bytes += n;
	if (w->nchash) {
		for (size_t h = (size_t)hash & (w->nchash - 1); w->chash[h];
		    h = (h + 1) & (w->nchash - 1)) {
			size_t ci = w->chash[h] - 1;
			if (w->c[ci].hash == hash && content_eq(w, &w->c[ci], p, n)) {
				add_log_record(w, nref, ci);
				return;
			}
		}
	}
	struct content *c = content_new(w);
	c->p = xmalloc(n ? n : 1);
	memcpy(c->p, p, n);
	c->size = n;
	c->hash = hash;
	c->ev0 = (uint32_t)(w->ev.len / 36);
	c->nev = (uint32_t)nev;
	c->block = UINT32_MAX;
	c->key = "";
	for (size_t i = 0; i < nev; i++) {
		char r[36];
		for (int f = 0; f < AF_NFIELDS; f++) {
			const char *s = ev[i].s[f];
			arcfmt_put32(r + 4 * f, intern(w, s, s ? strlen(s) : 0));
		}
		arcfmt_put32(r + 32, ev[i].line);
		buf_add(&w->ev, r, sizeof(r));
	}
	if (nev > 0 && ev[0].s[AF_FINGERPRINT] != NULL)
		c->key = xstrdup(ev[0].s[AF_FINGERPRINT]);
	content_insert(w, w->nc - 1);
	add_log_record(w, nref, w->nc - 1);
}

/* --- writing ---------------------------------------------------------------- */

static int
write_at(struct arc_writer *w, int fd, const void *p, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pwrite(fd, (const char *)p + done, n - done,
		    (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			warnx_("%s: %s", w->tmp ? w->tmp : w->path,
			    strerror(r < 0 ? errno : EIO));
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

/* One block to compress: contents ord[from..to), usize bytes. */
struct job {
	size_t from, to;
	uint64_t usize;
	struct buf z;                   /* the compressed frame */
};

struct pool {
	struct arc_writer *w;
	const uint32_t *ord;
	struct job *jobs;
	size_t njobs, next;
	const ZSTD_CDict *cd;
	pthread_mutex_t mu;
};

/* A worker: takes the next block until none is left.  The dictionary is
 * shared (zstd reads a CDict only); each worker has its own context. */
static void *
compress_worker(void *arg)
{
	struct pool *p = arg;
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	struct buf raw = { 0 };

	if (cc == NULL)
		die("out of memory");
	ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, p->w->o.level);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1);
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t k = p->next++;
		pthread_mutex_unlock(&p->mu);
		if (k >= p->njobs)
			break;
		struct job *jb = &p->jobs[k];
		raw.len = 0;
		for (size_t i = jb->from; i < jb->to; i++) {
			const struct content *c = &p->w->c[p->ord[i]];
			buf_add(&raw, c->p, (size_t)c->size);
		}
		buf_reserve(&jb->z, ZSTD_compressBound(raw.len));
		ZSTD_CCtx_refCDict(cc, p->cd);
		size_t zn = ZSTD_compress2(cc, jb->z.p, jb->z.cap, raw.p, raw.len);
		if (ZSTD_isError(zn))
			die("zstd: %s", ZSTD_getErrorName(zn));
		jb->z.len = zn;
	}
	buf_free(&raw);
	ZSTD_freeCCtx(cc);
	return NULL;
}

/* Compresses every block, on as many threads as there are processors
 * (at most ARC_THREADS); a block's frame does not depend on the others. */
#define ARC_THREADS 8
static void
compress_all(struct arc_writer *w, const uint32_t *ord, struct job *jobs,
    size_t njobs, const ZSTD_CDict *cd)
{
	struct pool p = { w, ord, jobs, njobs, 0, cd, PTHREAD_MUTEX_INITIALIZER };
	pthread_t t[ARC_THREADS];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int n = ncpu < 1 ? 1 : ncpu > ARC_THREADS ? ARC_THREADS : (int)ncpu, started = 0;

	if ((size_t)n > njobs)
		n = njobs > 0 ? (int)njobs : 1;
	for (int i = 1; i < n; i++)
		if (pthread_create(&t[started], NULL, compress_worker, &p) == 0)
			started++;
	compress_worker(&p);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

static const struct arc_writer *sort_w;

/* Clusters: same first fingerprint together, then by size, so that the
 * logs a block holds are alike and compress against each other. */
static int
cmp_content(const void *x, const void *y)
{
	const struct content *a = &sort_w->c[*(const uint32_t *)x];
	const struct content *b = &sort_w->c[*(const uint32_t *)y];
	int c = strcmp(a->key, b->key);

	if (c != 0)
		return c;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

/*
 * A dictionary trained on the new logs, or none (NULL) when there is too
 * little to train on.  Samples are capped so that training stays seconds.
 */
static void *
train_dict(struct arc_writer *w, const uint32_t *ord, size_t n, size_t *len)
{
	const size_t cap_total = 64u << 20;
	uint64_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += w->c[ord[i]].size;
	size_t cap = w->o.dict_size;
	if (cap == 0) {
		cap = (size_t)(total / 64);
		cap = cap < 16384 ? 16384 : cap > 112640 ? 112640 : cap;
	}
	if (n < 8 || total < 4 * cap)
		return NULL;
	size_t step = total > cap_total ? (size_t)(total / cap_total) + 1 : 1;
	char *samples = xmalloc(total / step + 1);
	size_t *sizes = xcalloc(n, sizeof(*sizes)), ns = 0, sl = 0;
	for (size_t i = 0; i < n; i += step) {
		const struct content *c = &w->c[ord[i]];
		/* A sample past 128 KiB adds little and slows the trainer. */
		size_t m = c->size > (128u << 10) ? (128u << 10) : (size_t)c->size;
		if (m == 0 || sl + m > total / step + 1)
			continue;
		memcpy(samples + sl, c->p, m);
		sizes[ns++] = m;
		sl += m;
	}
	void *dict = xmalloc(cap);
	size_t r = ns >= 8 ? ZDICT_trainFromBuffer(dict, cap, samples, sizes,
	    (unsigned)ns) : 0;
	free(samples);
	free(sizes);
	if (ns < 8 || ZDICT_isError(r)) {
		free(dict);
		return NULL;
	}
	*len = r;
	return dict;
}

/* Appends section (type, data) at *off: compressed, recorded in toc. */
static int
put_section(struct arc_writer *w, int fd, uint64_t *off, struct buf *toc,
    unsigned type, unsigned recsize, const void *p, size_t n)
{
	size_t cap = ZSTD_compressBound(n);
	char *z = xmalloc(cap);
	size_t zn = ZSTD_compress(z, cap, p, n, w->o.level);
	unsigned char e[ARCFMT_SECSZ];
	const void *out = z;

	if (ZSTD_isError(zn))
		die("zstd: %s", ZSTD_getErrorName(zn));
	if (n > ARCFMT_META_MAX)
		die("%s: the index is past format 1.0's %llu MiB a section", w->path,
		    ARCFMT_META_MAX >> 20);
	unsigned flags = ARCFMT_SEC_ZSTD;
	if (zn >= n) {
		out = p;
		zn = n;
		flags = 0;
	}
	arcfmt_put32(e, type);
	arcfmt_put16(e + 4, (uint16_t)flags);
	arcfmt_put16(e + 6, (uint16_t)recsize);
	arcfmt_put64(e + 8, *off);
	arcfmt_put64(e + 16, zn);
	arcfmt_put64(e + 24, n);
	arcfmt_put64(e + 32, arc_hash(out, zn));
	buf_add(toc, e, sizeof(e));
	int rc = write_at(w, fd, out, zn, *off);
	*off += zn;
	free(z);
	return rc;
}

void
arc_writer_free(struct arc_writer *w)
{
	for (size_t i = 0; i < w->nc; i++) {
		free(w->c[i].p);
		if (w->c[i].key != NULL && w->c[i].key[0] != '\0')
			free((char *)w->c[i].key);
	}
	free(w->c);
	free(w->chash);
	free(w->shash);
	buf_free(&w->str);
	buf_free(&w->ev);
	buf_free(&w->log);
	buf_free(&w->blk);
	free(w->path);
	free(w->tmp);
	free(w);
}

int
arc_writer_finish(struct arc_writer *w, struct arc_wstats *st)
{
	struct arc *old = w->old;
	uint32_t *ord = xcalloc(w->nc + 1, sizeof(*ord));
	size_t nnew = 0, dictlen = 0;
	void *dict = NULL;
	uint64_t off;
	int fd, rc = -1;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < w->nc; i++)
		if (w->c[i].p != NULL)
			ord[nnew++] = (uint32_t)i;
	sort_w = w;
	qsort(ord, nnew, sizeof(*ord), cmp_content);
	if (old == NULL) {
		dict = train_dict(w, ord, nnew, &dictlen);
		w->tmp = xmalloc(strlen(w->path) + 32);
		sprintf(w->tmp, "%s.tmp.%ld", w->path, (long)getpid());
		fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		off = ARCFMT_HDR;
	} else {
		fd = open(w->path, O_WRONLY);
		off = old->fsize;
	}
	if (fd < 0) {
		warnx_("%s: %s", w->tmp ? w->tmp : w->path, strerror(errno));
		goto out;
	}
	const void *bdict = old != NULL ? old->dict : dict;
	const size_t bdictlen = old != NULL ? old->dictlen : dictlen;
	ZSTD_CDict *cd = NULL;
	if (bdict != NULL) {
		cd = ZSTD_createCDict(bdict, bdictlen, w->o.level);
		if (cd == NULL)
			die("zstd: bad dictionary");
	}

	/* The blocks: the sorted contents cut at about block_size bytes. */
	uint32_t nblk = (uint32_t)(w->blk.len / 32);
	struct job *jobs = NULL;
	size_t njobs = 0, capj = 0;
	for (size_t i = 0; i < nnew;) {
		uint64_t len = 0;
		size_t j = i;
		while (j < nnew && (len == 0 ||
		    len + w->c[ord[j]].size <= w->o.block_size)) {
			struct content *c = &w->c[ord[j]];
			c->block = nblk + (uint32_t)njobs;
			c->off = len;
			len += c->size;
			j++;
		}
		if (njobs == capj) {
			capj = capj ? capj * 2 : 64;
			jobs = xrealloc(jobs, capj * sizeof(*jobs));
		}
		jobs[njobs++] = (struct job){ i, j, len, { 0 } };
		i = j;
	}
	compress_all(w, ord, jobs, njobs, cd);
	int werr = 0;
	for (size_t k = 0; k < njobs; k++) {
		const struct job *jb = &jobs[k];
		if (!werr && write_at(w, fd, jb->z.p, jb->z.len, off) != 0)
			werr = 1;
		char r[32] = { 0 };
		arcfmt_put64(r, off);
		arcfmt_put64(r + 8, jb->z.len);
		arcfmt_put64(r + 16, jb->usize);
		arcfmt_put32(r + 24, bdict != NULL ? ARC_BLK_DICT : 0);
		buf_add(&w->blk, r, sizeof(r));
		off += jb->z.len;
		st->blocks++;
	}
	for (size_t k = 0; k < njobs; k++)
		buf_free(&jobs[k].z);
	free(jobs);
	if (werr)
		goto close;

	/* The new log records learn where their content went. */
	for (uint64_t i = old != NULL ? old->nlog : 0; i < w->nlogs; i++) {
		char *r = w->log.p + i * 40;
		const struct content *c = &w->c[arcfmt_u32(r)];
		arcfmt_put32(r, c->block);
		arcfmt_put64(r + 8, c->off);
	}

	struct buf toc = { 0 };
	if (old != NULL && old->dict != NULL) {
		unsigned char e[ARCFMT_SECSZ];
		arcfmt_put32(e, ARCFMT_DICT);
		arcfmt_put16(e + 4, (uint16_t)old->dict_flags);
		arcfmt_put16(e + 6, 0);
		arcfmt_put64(e + 8, old->dict_off);
		arcfmt_put64(e + 16, old->dict_stored);
		arcfmt_put64(e + 24, old->dictlen);
		arcfmt_put64(e + 32, old->dict_hash);
		buf_add(&toc, e, sizeof(e));
	} else if (dict != NULL &&
	    put_section(w, fd, &off, &toc, ARCFMT_DICT, 0, dict, dictlen) != 0) {
		goto toc;
	}
	if (put_section(w, fd, &off, &toc, ARCFMT_BLOCKS, 32, w->blk.p, w->blk.len) ||
	    put_section(w, fd, &off, &toc, ARCFMT_LOGS, 40, w->log.p, w->log.len) ||
	    put_section(w, fd, &off, &toc, ARCFMT_EVENTS, 36, w->ev.p, w->ev.len) ||
	    put_section(w, fd, &off, &toc, ARCFMT_STRINGS, 0, w->str.p, w->str.len) ||
	    write_at(w, fd, toc.p, toc.len, off) != 0)
		goto toc;

	unsigned char h[ARCFMT_HDR] = { 0 };
	memcpy(h, ARCFMT_MAGIC, 8);
	arcfmt_put16(h + 8, ARC_MAJOR);
	arcfmt_put16(h + 10, ARC_MINOR);
	arcfmt_put32(h + 12, ARCFMT_HDR);
	arcfmt_put64(h + 16, off);
	arcfmt_put32(h + 24, (uint32_t)(toc.len / ARCFMT_SECSZ));
	arcfmt_put64(h + 32, arc_hash(toc.p, toc.len));
	arcfmt_put64(h + 56, arc_hash(h, 56));
	off += toc.len;
	/* The header last, after the rest is on disk: until it is written
	 * an append's old header still describes a whole archive. */
	if (fdatasync(fd) != 0 && errno != EINVAL) {
		warnx_("%s: %s", w->tmp ? w->tmp : w->path, strerror(errno));
		goto toc;
	}
	if (write_at(w, fd, h, sizeof(h), 0) != 0)
		goto toc;
	if (w->tmp != NULL && rename(w->tmp, w->path) != 0) {
		warnx_("%s: %s", w->path, strerror(errno));
		goto toc;
	}
	rc = 0;
	st->logs = w->nlogs - (old != NULL ? old->nlog : 0);
	st->unique = nnew;
	st->bytes = w->bytes;
	st->dict = old != NULL ? old->dictlen : dictlen;
	st->file = off;
toc:
	buf_free(&toc);
close:
	ZSTD_freeCDict(cd);
	if (close(fd) != 0 && rc == 0) {
		warnx_("%s: %s", w->path, strerror(errno));
		rc = -1;
	}
	if (rc != 0 && w->tmp != NULL)
		unlink(w->tmp);
out:
	free(dict);
	free(ord);
	arc_writer_free(w);
	return rc;
}
