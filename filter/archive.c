/*
 * archive.c - reading goerrfilt archives (see archive.h and
 * docs/archive.md): the header and section table, the index, and the
 * logs, decoded from their block with pread and a streaming decoder, so
 * that memory is the index plus fixed buffers whatever the archive's size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "archive.h"
#include "arcfmt.h"

const char *const arc_field_names[AF_NFIELDS] = {
	"class", "kind", "phase", "pkg", "test", "fingerprint", "file", "msg",
};

uint64_t
arc_hash(const void *p, size_t n)
{
	return hash_fnv1a64(FNV64_INIT, p, n);
}

/* A message about the archive; returns ARC_CORRUPT for the caller. */
static int
bad(const struct arc *a, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx_("%s: %s", a->path, msg);
	return ARC_CORRUPT;
}

/* Reads exactly n bytes at off; 0, or ARC_CORRUPT after a message. */
static int
read_at(const struct arc *a, void *p, size_t n, uint64_t off)
{
	size_t got = 0;

	if (off > a->fsize || n > a->fsize - off)
		return bad(a, "truncated (%zu bytes at %llu past the end)", n,
		    (unsigned long long)off);
	while (got < n) {
		ssize_t r = pread(a->fd, (char *)p + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return bad(a, "%s", strerror(errno));
		if (r == 0)
			return bad(a, "truncated");
		got += (size_t)r;
	}
	return 0;
}

#define IN_CHUNK (64 * 1024)
#define OUT_CHUNK (128 * 1024)

/*
 * The archive's one decoder (and the block reader's buffers), made on
 * first use and kept: every section and log read decodes a frame.  It
 * comes back with a clean session, no dictionary, and windows bounded to
 * 128 MiB whatever a frame header claims.
 */
static ZSTD_DCtx *
arc_dctx(struct arc *a)
{
	if (a->dctx == NULL) {
		if ((a->dctx = ZSTD_createDCtx()) == NULL)
			die("out of memory");
		a->zin = xmalloc(IN_CHUNK);
		a->zout = xmalloc(OUT_CHUNK);
	}
	ZSTD_DCtx_reset(a->dctx, ZSTD_reset_session_and_parameters);
	ZSTD_DCtx_setParameter(a->dctx, ZSTD_d_windowLogMax, 27);
	return a->dctx;
}

/* Reads section s, decompressing it; *out is owned by the caller. */
static int
read_section(struct arc *a, const struct arcfmt_sec *s, char **out,
    size_t *outlen)
{
	if (s->len > ARCFMT_META_MAX || s->rawlen > ARCFMT_META_MAX)
		return bad(a, "section %u too large", s->type);
	char *p = xmalloc((size_t)s->len);
	int rc = read_at(a, p, (size_t)s->len, s->off);
	if (rc != 0) {
		free(p);
		return rc;
	}
	if (arc_hash(p, (size_t)s->len) != s->hash) {
		free(p);
		return bad(a, "section %u: checksum mismatch", s->type);
	}
	if (!(s->flags & ARCFMT_SEC_ZSTD)) {
		if (s->rawlen != s->len) {
			free(p);
			return bad(a, "section %u: bad length", s->type);
		}
		*out = p;
		*outlen = (size_t)s->len;
		return 0;
	}
	unsigned long long fcs = ZSTD_getFrameContentSize(p, (size_t)s->len);
	if (fcs != s->rawlen) {
		free(p);
		return bad(a, "section %u: bad compressed length", s->type);
	}
	/*
	 * Decoded into a buffer that grows as data really comes out, so that
	 * a length a corrupt archive claims decides no allocation.
	 */
	ZSTD_DCtx *d = arc_dctx(a);
	size_t cap = s->rawlen < (1u << 20) ? (size_t)s->rawlen + 1 : 1u << 20;
	char *q = xmalloc(cap);
	ZSTD_inBuffer ib = { p, (size_t)s->len, 0 };
	ZSTD_outBuffer ob = { q, cap, 0 };
	size_t zr;
	for (;;) {
		zr = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(zr) || zr == 0 || ob.pos > s->rawlen)
			break;
		if (ob.pos < ob.size && ib.pos == ib.size)
			break;          /* the input ended inside the frame */
		if (ob.pos == ob.size) {
			cap = cap * 2 > s->rawlen + 1 ? (size_t)s->rawlen + 1 : cap * 2;
			if (cap <= ob.size)
				break;
			q = xrealloc(q, cap);
			ob.dst = q;
			ob.size = cap;
		}
	}
	free(p);
	if (ZSTD_isError(zr) || zr != 0 || ob.pos != s->rawlen ||
	    ib.pos != ib.size) {
		free(q);
		return bad(a, "section %u: %s", s->type,
		    ZSTD_isError(zr) ? ZSTD_getErrorName(zr) : "bad compressed data");
	}
	*out = q;
	*outlen = ob.pos;
	return 0;
}

/*
 * A section of fixed-size records: read, its length checked against its
 * record size, *count set.  The caller parses the records and frees *out.
 */
static int
read_table(struct arc *a, const struct arcfmt_sec *s, const char *what,
    char **out, uint32_t *count)
{
	size_t n;
	int rc = read_section(a, s, out, &n);

	if (rc != 0)
		return rc;
	if (n % s->recsize != 0 || n / s->recsize > UINT32_MAX) {
		free(*out);
		return bad(a, "%s: bad length", what);
	}
	*count = (uint32_t)(n / s->recsize);
	return 0;
}

/* Checks that ref names a whole string of the string section. */
static int
str_ok(const struct arc *a, uint32_t ref)
{
	if (ref == ARC_NOSTR)
		return 1;
	if ((size_t)ref + 4 > a->strlen)
		return 0;
	uint32_t n = arcfmt_u32(a->str + ref);
	return n <= a->strlen - ref - 4;
}

const char *
arc_str(const struct arc *a, uint32_t ref, size_t *len)
{
	if (ref == ARC_NOSTR) {
		*len = 0;
		return NULL;
	}
	*len = arcfmt_u32(a->str + ref);
	return a->str + ref + 4;
}

/* Decodes the index sections into a's arrays; checks every reference. */
static int
load_index(struct arc *a, const struct arcfmt_sec *sec, int nsec)
{
	const struct arcfmt_sec *have[ARCFMT_NTYPES] = { 0 };
	char *p;
	size_t n;
	int rc;

	for (int i = 0; i < nsec; i++) {
		if (sec[i].type == 0 || sec[i].type >= ARCFMT_NTYPES)
			continue;       /* a newer minor's section: ignored */
		if (have[sec[i].type] != NULL)
			return bad(a, "section %u twice", sec[i].type);
		have[sec[i].type] = &sec[i];
		if (sec[i].flags & ~ARCFMT_SEC_KNOWN)
			return bad(a, "section %u: unknown flags 0x%x",
			    sec[i].type, sec[i].flags);
		if (sec[i].recsize < arcfmt_recsize[sec[i].type])
			return bad(a, "section %u: records of %u bytes",
			    sec[i].type, sec[i].recsize);
	}
	for (int t = ARCFMT_BLOCKS; t < ARCFMT_NTYPES; t++)
		if (have[t] == NULL)
			return bad(a, "section %d missing", t);

	if (have[ARCFMT_DICT] != NULL) {
		if ((rc = read_section(a, have[ARCFMT_DICT], &p, &n)) != 0)
			return rc;
		a->dict = p;
		a->dictlen = n;
		a->dict_off = have[ARCFMT_DICT]->off;
		a->dict_stored = have[ARCFMT_DICT]->len;
		a->dict_hash = have[ARCFMT_DICT]->hash;
		a->dict_flags = have[ARCFMT_DICT]->flags;
	}
	if ((rc = read_section(a, have[ARCFMT_STRINGS], &a->str, &a->strlen)) != 0)
		return rc;

	size_t rs = have[ARCFMT_BLOCKS]->recsize;
	if ((rc = read_table(a, have[ARCFMT_BLOCKS], "block table", &p,
	    &a->nblk)) != 0)
		return rc;
	a->blk = xcalloc(a->nblk, sizeof(*a->blk));
	for (uint32_t i = 0; i < a->nblk; i++) {
		const char *r = p + i * rs;
		struct arc_block *b = &a->blk[i];
		b->off = arcfmt_u64(r);
		b->csize = arcfmt_u64(r + 8);
		b->usize = arcfmt_u64(r + 16);
		b->flags = arcfmt_u32(r + 24);
		if (b->off < ARCFMT_HDR || b->off > a->fsize ||
		    b->csize > a->fsize - b->off || b->csize == 0 ||
		    (b->flags & ~ARC_BLK_DICT) ||
		    ((b->flags & ARC_BLK_DICT) && a->dict == NULL)) {
			free(p);
			return bad(a, "block %u: bad table entry", i);
		}
	}
	free(p);

	rs = have[ARCFMT_EVENTS]->recsize;
	if ((rc = read_table(a, have[ARCFMT_EVENTS], "event index", &p,
	    &a->nev)) != 0)
		return rc;
	a->ev = xcalloc(a->nev, sizeof(*a->ev));
	for (uint32_t i = 0; i < a->nev; i++) {
		const char *r = p + i * rs;
		for (int f = 0; f < AF_NFIELDS; f++) {
			a->ev[i].s[f] = arcfmt_u32(r + 4 * f);
			if (!str_ok(a, a->ev[i].s[f])) {
				free(p);
				return bad(a, "event %u: bad string reference", i);
			}
		}
		a->ev[i].line = arcfmt_u32(r + 4 * AF_NFIELDS);
	}
	free(p);

	rs = have[ARCFMT_LOGS]->recsize;
	if ((rc = read_table(a, have[ARCFMT_LOGS], "log table", &p,
	    &a->nlog)) != 0)
		return rc;
	a->log = xcalloc(a->nlog, sizeof(*a->log));
	for (uint32_t i = 0; i < a->nlog; i++) {
		const char *r = p + i * rs;
		struct arc_log *l = &a->log[i];
		l->block = arcfmt_u32(r);
		l->name = arcfmt_u32(r + 4);
		l->off = arcfmt_u64(r + 8);
		l->size = arcfmt_u64(r + 16);
		l->hash = arcfmt_u64(r + 24);
		l->ev0 = arcfmt_u32(r + 32);
		l->nev = arcfmt_u32(r + 36);
		if (l->block >= a->nblk || l->off > a->blk[l->block].usize ||
		    l->size > a->blk[l->block].usize - l->off ||
		    l->name == ARC_NOSTR || !str_ok(a, l->name) ||
		    l->ev0 > a->nev || l->nev > a->nev - l->ev0) {
			free(p);
			return bad(a, "log %u: bad table entry", i);
		}
	}
	free(p);
	return 0;
}

struct arc *
arc_open(const char *path)
{
	struct arc *a = xcalloc(1, sizeof(*a));
	unsigned char h[ARCFMT_HDR];
	struct stat st;

	a->path = xstrdup(path);
	if ((a->fd = open(path, O_RDONLY)) < 0) {
		warnx_("%s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(a->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		warnx_("%s: not a regular file", path);
		goto fail;
	}
	a->fsize = (uint64_t)st.st_size;
	if (a->fsize < ARCFMT_HDR) {
		bad(a, "not a goerrfilt archive (too short)");
		goto fail;
	}
	if (read_at(a, h, sizeof(h), 0) != 0)
		goto fail;
	if (memcmp(h, ARCFMT_MAGIC, 8) != 0) {
		bad(a, "not a goerrfilt archive (bad magic)");
		goto fail;
	}
	a->major = arcfmt_u16(h + 8);
	a->minor = arcfmt_u16(h + 10);
	if (a->major != ARC_MAJOR) {
		bad(a, "format version %u.%u, this reader reads %u.x",
		    a->major, a->minor, ARC_MAJOR);
		goto fail;
	}
	if (arc_hash(h, 56) != arcfmt_u64(h + 56)) {
		bad(a, "header checksum mismatch");
		goto fail;
	}
	uint64_t toc = arcfmt_u64(h + 16);
	uint32_t nsec = arcfmt_u32(h + 24);
	if (nsec > ARCFMT_MAXSEC || toc < ARCFMT_HDR || toc > a->fsize ||
	    (uint64_t)nsec * ARCFMT_SECSZ > a->fsize - toc) {
		bad(a, "truncated or bad section table");
		goto fail;
	}
	unsigned char *t = xmalloc((size_t)nsec * ARCFMT_SECSZ + 1);
	if (read_at(a, t, (size_t)nsec * ARCFMT_SECSZ, toc) != 0) {
		free(t);
		goto fail;
	}
	if (arc_hash(t, (size_t)nsec * ARCFMT_SECSZ) != arcfmt_u64(h + 32)) {
		free(t);
		bad(a, "section table checksum mismatch");
		goto fail;
	}
	struct arcfmt_sec *sec = xcalloc(nsec + 1, sizeof(*sec));
	for (uint32_t i = 0; i < nsec; i++) {
		const unsigned char *e = t + i * ARCFMT_SECSZ;
		sec[i].type = arcfmt_u32(e);
		sec[i].flags = arcfmt_u16(e + 4);
		sec[i].recsize = arcfmt_u16(e + 6);
		sec[i].off = arcfmt_u64(e + 8);
		sec[i].len = arcfmt_u64(e + 16);
		sec[i].rawlen = arcfmt_u64(e + 24);
		sec[i].hash = arcfmt_u64(e + 32);
		if (sec[i].off > a->fsize || sec[i].len > a->fsize - sec[i].off) {
			free(t);
			free(sec);
			bad(a, "truncated (section %u past the end)", sec[i].type);
			goto fail;
		}
	}
	free(t);
	int rc = load_index(a, sec, (int)nsec);
	free(sec);
	if (rc != 0)
		goto fail;
	return a;
fail:
	arc_close(a);
	return NULL;
}

void
arc_close(struct arc *a)
{
	if (a == NULL)
		return;
	if (a->fd >= 0)
		close(a->fd);
	free(a->path);
	free(a->dict);
	free(a->blk);
	free(a->log);
	free(a->ev);
	free(a->str);
	ZSTD_freeDCtx(a->dctx);
	free(a->zin);
	free(a->zout);
	free(a);
}

long
arc_find(const struct arc *a, const char *name)
{
	const size_t want = strlen(name);

	/* The last one added: an add of a log under a name already there
	 * gives the new one, the old one stays in the archive. */
	for (uint32_t i = a->nlog; i-- > 0;) {
		size_t n;
		const char *s = arc_str(a, a->log[i].name, &n);
		if (n == want && memcmp(s, name, n) == 0)
			return (long)i;
	}
	return -1;
}

/* --- decoding blocks ------------------------------------------------------ */

/*
 * Receives the decoded bytes [pos, pos+n) of a block; returns nonzero to
 * stop the decoding there.
 */
typedef int (*block_cb)(void *arg, uint64_t pos, const char *p, size_t n);

/*
 * Decodes block bi from the start, handing every decoded chunk to cb.
 * Decoded as a whole, the block must be one zstd frame of exactly its
 * stored length that decodes to its recorded size (the frame's XXH64
 * content checksum is checked by zstd).
 */
static int
block_stream(struct arc *a, uint32_t bi, block_cb cb, void *arg)
{
	const struct arc_block *b = &a->blk[bi];
	uint64_t inpos = 0, pos = 0;
	size_t zr = 1;
	int rc = 0, stopped = 0;

	ZSTD_DCtx *d = arc_dctx(a);
	char *in = a->zin, *out = a->zout;
	if (b->flags & ARC_BLK_DICT) {
		zr = ZSTD_DCtx_loadDictionary_byReference(d, a->dict, a->dictlen);
		if (ZSTD_isError(zr)) {
			rc = bad(a, "dictionary: %s", ZSTD_getErrorName(zr));
			goto out;
		}
		zr = 1;
	}
	while (inpos < b->csize && !stopped) {
		size_t n = b->csize - inpos < IN_CHUNK ? (size_t)(b->csize - inpos) : IN_CHUNK;
		if ((rc = read_at(a, in, n, b->off + inpos)) != 0)
			goto out;
		inpos += n;
		ZSTD_inBuffer ib = { in, n, 0 };
		while (ib.pos < ib.size && !stopped) {
			if (zr == 0) {
				rc = bad(a, "block %u: data after its frame", bi);
				goto out;
			}
			ZSTD_outBuffer ob = { out, OUT_CHUNK, 0 };
			zr = ZSTD_decompressStream(d, &ob, &ib);
			if (ZSTD_isError(zr)) {
				rc = bad(a, "block %u: %s", bi, ZSTD_getErrorName(zr));
				goto out;
			}
			if (ob.pos > b->usize - pos) {
				rc = bad(a, "block %u: longer than recorded", bi);
				goto out;
			}
			if (ob.pos > 0 && cb(arg, pos, out, ob.pos))
				stopped = 1;
			pos += ob.pos;
		}
	}
	/* Flush what the decoder still holds for a frame that has ended. */
	while (!stopped && zr != 0) {
		ZSTD_inBuffer ib = { in, 0, 0 };
		ZSTD_outBuffer ob = { out, OUT_CHUNK, 0 };
		zr = ZSTD_decompressStream(d, &ob, &ib);
		if (ZSTD_isError(zr)) {
			rc = bad(a, "block %u: %s", bi, ZSTD_getErrorName(zr));
			goto out;
		}
		if (ob.pos == 0) {
			rc = bad(a, "block %u: truncated frame", bi);
			goto out;
		}
		if (ob.pos > b->usize - pos) {
			rc = bad(a, "block %u: longer than recorded", bi);
			goto out;
		}
		if (cb(arg, pos, out, ob.pos))
			stopped = 1;
		pos += ob.pos;
	}
	if (!stopped && pos != b->usize)
		rc = bad(a, "block %u: %llu bytes, %llu recorded", bi,
		    (unsigned long long)pos, (unsigned long long)b->usize);
out:
	return rc;
}

/* One log's bytes out of its block's chunks, to a descriptor or a buffer. */
struct get_st {
	uint64_t off, size, hash;
	int fd;
	struct buf *b;
	int werr;
};

static int
get_cb(void *arg, uint64_t pos, const char *p, size_t n)
{
	struct get_st *g = arg;
	const uint64_t end = g->off + g->size;

	if (pos + n <= g->off)
		return 0;
	uint64_t lo = pos < g->off ? g->off - pos : 0;
	uint64_t hi = pos + n > end ? end - pos : n;
	if (hi > lo) {
		g->hash = hash_fnv1a64(g->hash, p + lo, (size_t)(hi - lo));
		if (g->b != NULL) {
			buf_add(g->b, p + lo, (size_t)(hi - lo));
		} else {
			size_t done = 0;
			while (done < hi - lo && !g->werr) {
				ssize_t w = write(g->fd, p + lo + done, (size_t)(hi - lo - done));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					g->werr = errno ? errno : EIO;
				else
					done += (size_t)w;
			}
		}
	}
	return pos + n >= end || g->werr;
}

static int
get_log(struct arc *a, uint32_t i, int fd, struct buf *b)
{
	const struct arc_log *l = &a->log[i];
	struct get_st g = { l->off, l->size, FNV64_INIT, fd, b, 0 };
	int rc = 0;

	if (l->size > 0)
		rc = block_stream(a, l->block, get_cb, &g);
	if (rc != 0)
		return rc;
	if (g.werr) {
		warnx_("write: %s", strerror(g.werr));
		return -1;
	}
	if (g.hash != l->hash) {
		size_t n;
		const char *s = arc_str(a, l->name, &n);
		return bad(a, "%.*s: checksum mismatch", (int)n, s);
	}
	return 0;
}

int
arc_get(struct arc *a, uint32_t i, int fd)
{
	return get_log(a, i, fd, NULL);
}

int
arc_read(struct arc *a, uint32_t i, struct buf *b)
{
	return get_log(a, i, -1, b);
}

/* Every log of one block, hashed as the block goes by. */
struct ver_st {
	const struct arc *a;
	uint32_t *logs;
	uint64_t *hash;
	size_t n;
};

static int
ver_cb(void *arg, uint64_t pos, const char *p, size_t n)
{
	struct ver_st *v = arg;

	for (size_t k = 0; k < v->n; k++) {
		const struct arc_log *l = &v->a->log[v->logs[k]];
		uint64_t end = l->off + l->size;
		if (pos + n <= l->off || pos >= end)
			continue;
		uint64_t lo = pos < l->off ? l->off - pos : 0;
		uint64_t hi = pos + n > end ? end - pos : n;
		v->hash[k] = hash_fnv1a64(v->hash[k], p + lo, (size_t)(hi - lo));
	}
	return 0;
}

int
arc_verify(struct arc *a)
{
	/* The logs of each block, by counting sort on the block number. */
	uint32_t *start = xcalloc((size_t)a->nblk + 1, sizeof(*start));
	uint32_t *order = xcalloc((size_t)a->nlog + 1, sizeof(*order));
	uint64_t *hash = xcalloc((size_t)a->nlog + 1, sizeof(*hash));
	int rc = 0;

	for (uint32_t i = 0; i < a->nlog; i++)
		start[a->log[i].block + 1]++;
	for (uint32_t b = 0; b < a->nblk; b++)
		start[b + 1] += start[b];
	uint32_t *fill = xcalloc((size_t)a->nblk + 1, sizeof(*fill));
	memcpy(fill, start, (size_t)a->nblk * sizeof(*fill));
	for (uint32_t i = 0; i < a->nlog; i++)
		order[fill[a->log[i].block]++] = i;
	free(fill);
	for (uint32_t b = 0; b < a->nblk && rc == 0; b++) {
		struct ver_st v = { a, order + start[b], hash + start[b],
		    start[b + 1] - start[b] };
		for (size_t k = 0; k < v.n; k++)
			v.hash[k] = FNV64_INIT;
		rc = block_stream(a, b, ver_cb, &v);
		for (size_t k = 0; k < v.n && rc == 0; k++) {
			const struct arc_log *l = &a->log[v.logs[k]];
			if (v.hash[k] != l->hash) {
				size_t n;
				const char *s = arc_str(a, l->name, &n);
				rc = bad(a, "%.*s: checksum mismatch", (int)n, s);
			}
		}
	}
	free(start);
	free(order);
	free(hash);
	return rc;
}
