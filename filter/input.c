/*
 * input.c - reading plain and zstd input into whole lines (see input.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "input.h"

#define BLOCK (1024 * 1024)

struct src {
	int fd;
	const char *name;
	int zstd;
	ZSTD_DCtx *dctx;
	char *zin;
	size_t zin_cap;
	ZSTD_inBuffer zb;
	int eof;            /* the underlying file is at its end */
	int frame_open;     /* zstd: inside a frame */
	const struct in_opts *o; /* NULL for a byte reader (in_open) */
	struct uw *e;
	unsigned char pre[4];   /* a byte reader's first bytes, read for the magic */
	size_t npre, pre_pos;
};

static ssize_t
read_fd(struct src *s, char *p, size_t n)
{
	for (;;) {
		if (s->o != NULL && s->o->idle_ms > 0 && (uw_has_open(s->e) ||
		    (s->o->waiting != NULL && s->o->waiting(s->o->idle_arg)))) {
			struct pollfd pfd = { s->fd, POLLIN, 0 };
			int rc = poll(&pfd, 1, s->o->idle_ms);
			if (rc == 0) {
				uw_flush(s->e);
				if (s->o->idle != NULL)
					s->o->idle(s->o->idle_arg);
			}
		}
		ssize_t r = read(s->fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0 && s->o != NULL && s->o->tee_fd >= 0) {
			ssize_t off = 0;
			while (off < r) {
				ssize_t w = write(s->o->tee_fd, p + off, (size_t)(r - off));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					break;
				off += w;
			}
		}
		return r;
	}
}

/* Fills p with up to n decoded bytes; returns 0 at the end, -1 on error. */
static ssize_t
src_read(struct src *s, char *p, size_t n)
{
	if (!s->zstd)
		return read_fd(s, p, n);
	for (;;) {
		if (s->zb.pos == s->zb.size && !s->eof) {
			ssize_t r = read_fd(s, s->zin, s->zin_cap);
			if (r < 0)
				return -1;
			if (r == 0)
				s->eof = 1;
			s->zb.src = s->zin;
			s->zb.size = (size_t)r;
			s->zb.pos = 0;
		}
		if (s->zb.pos == s->zb.size && s->eof) {
			if (s->frame_open) {
				warnx_("%s: truncated zstd input", s->name);
				errno = 0;
				return -2;
			}
			return 0;
		}
		ZSTD_outBuffer ob = { p, n, 0 };
		size_t rc = ZSTD_decompressStream(s->dctx, &ob, &s->zb);
		if (ZSTD_isError(rc)) {
			warnx_("%s: zstd: %s", s->name, ZSTD_getErrorName(rc));
			return -2;
		}
		s->frame_open = rc != 0;
		if (ob.pos > 0)
			return (ssize_t)ob.pos;
	}
}

int
in_run(const char *path, struct uw *e, const struct in_opts *o)
{
	struct src s = { 0 };
	char *buf;
	size_t have = 0;
	int skipping = 0, rc = 0;

	s.o = o;
	s.e = e;
	s.name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	if (strcmp(path, "-") == 0) {
		s.fd = STDIN_FILENO;
	} else if ((s.fd = open(path, O_RDONLY)) < 0) {
		warnx_("%s: %s", path, strerror(errno));
		return -1;
	}
	/*
	 * A small regular file needs no block of a megabyte: the buffer is
	 * the file's size (at least a page) past the longest line.
	 */
	size_t cap = IN_MAXLINE + BLOCK;
	struct stat sb;
	if (fstat(s.fd, &sb) != 0)
		sb.st_mode = 0;
	if (S_ISREG(sb.st_mode) && sb.st_size < BLOCK)
		cap = IN_MAXLINE + (sb.st_size < 4096 ? 4096 : (size_t)sb.st_size);
	/*
	 * A pipe of the default 64 KiB hands over a block in sixteen reads
	 * and as many wake-ups of the writer: ask for a block's worth (the
	 * system may refuse; fs.pipe-max-size is 1 MiB by default).
	 */
	if (S_ISFIFO(sb.st_mode))
		(void)fcntl(s.fd, F_SETPIPE_SZ, BLOCK);
	buf = xmalloc(cap);
	/* The magic number decides: read at least 4 bytes first. */
	while (have < 4) {
		ssize_t r = read_fd(&s, buf + have, cap - have);
		if (r < 0) {
			warnx_("%s: %s", s.name, strerror(errno));
			rc = -1;
			goto out;
		}
		if (r == 0)
			break;
		have += (size_t)r;
	}
	if (have >= 4 && memcmp(buf, "\x28\xb5\x2f\xfd", 4) == 0) {
		s.zstd = 1;
		s.dctx = ZSTD_createDCtx();
		/* What was read so far is compressed input, not text. */
		s.zin_cap = ZSTD_DStreamInSize();
		if (s.zin_cap < have)
			s.zin_cap = have;
		s.zin = xmalloc(s.zin_cap);
		if (s.dctx == NULL)
			die("out of memory");
		memcpy(s.zin, buf, have);
		s.zb.src = s.zin;
		s.zb.size = have;
		s.zb.pos = 0;
		s.frame_open = 1;
		have = 0;
	}
	/*
	 * Whole lines are handed on before the next read, so that a block
	 * that has ended is written even while the writer pauses.
	 */
	for (;;) {
		char *start = buf;
		if (skipping) {
			char *nl = memchr(buf, '\n', have);
			if (nl == NULL) {
				have = 0;
			} else {
				skipping = 0;
				start = nl + 1;
			}
		}
		size_t avail = have - (size_t)(start - buf);
		char *last = avail ? memrchr(start, '\n', avail) : NULL;
		if (last != NULL) {
			uw_chunk(e, start, (size_t)(last + 1 - start));
			start = last + 1;
			avail = have - (size_t)(start - buf);
		} else if (avail >= IN_MAXLINE) {
			uw_line(e, start, IN_MAXLINE);
			skipping = 1;
			start = buf + have;
			avail = 0;
		}
		memmove(buf, start, avail);
		have = avail;

		ssize_t r = src_read(&s, buf + have, cap - have);
		if (r == -1) {
			warnx_("%s: %s", s.name, strerror(errno));
			rc = -1;
			break;
		}
		if (r == -2) {
			rc = -1;
			break;
		}
		if (r == 0)
			break;
		have += (size_t)r;
	}
	if (have > 0 && !skipping)
		uw_chunk(e, buf, have);
out:
	free(buf);
	free(s.zin);
	ZSTD_freeDCtx(s.dctx);
	if (s.fd != STDIN_FILENO)
		close(s.fd);
	return rc;
}

/*
 * The byte reader: the same plain-or-zstd source without the line
 * splitting, for the msgpack decoder.
 */
struct in_src *
in_open(const char *path)
{
	struct src *s = xcalloc(1, sizeof(*s));

	s->name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	if (strcmp(path, "-") == 0) {
		s->fd = STDIN_FILENO;
	} else if ((s->fd = open(path, O_RDONLY)) < 0) {
		warnx_("%s: %s", path, strerror(errno));
		free(s);
		return NULL;
	}
	while (s->npre < sizeof(s->pre)) {
		ssize_t r = read_fd(s, (char *)s->pre + s->npre,
		    sizeof(s->pre) - s->npre);
		if (r < 0) {
			warnx_("%s: %s", s->name, strerror(errno));
			in_close((struct in_src *)s);
			return NULL;
		}
		if (r == 0)
			break;
		s->npre += (size_t)r;
	}
	if (s->npre == 4 && memcmp(s->pre, "\x28\xb5\x2f\xfd", 4) == 0) {
		s->zstd = 1;
		s->dctx = ZSTD_createDCtx();
		if (s->dctx == NULL)
			die("out of memory");
		s->zin_cap = ZSTD_DStreamInSize();
		s->zin = xmalloc(s->zin_cap);
		memcpy(s->zin, s->pre, 4);
		s->zb.src = s->zin;
		s->zb.size = 4;
		s->zb.pos = 0;
		s->frame_open = 1;
		s->npre = 0;
	}
	return (struct in_src *)s;
}

ssize_t
in_read(struct in_src *is, void *p, size_t n)
{
	struct src *s = (struct src *)is;

	if (s->pre_pos < s->npre) {
		size_t k = s->npre - s->pre_pos;
		if (k > n)
			k = n;
		memcpy(p, s->pre + s->pre_pos, k);
		s->pre_pos += k;
		return (ssize_t)k;
	}
	ssize_t r = src_read(s, p, n);
	if (r == -1)
		warnx_("%s: %s", s->name, strerror(errno));
	return r < 0 ? -1 : r;
}

const char *
in_name(const struct in_src *is)
{
	return ((const struct src *)is)->name;
}

void
in_close(struct in_src *is)
{
	struct src *s = (struct src *)is;

	if (s == NULL)
		return;
	free(s->zin);
	ZSTD_freeDCtx(s->dctx);
	if (s->fd != STDIN_FILENO)
		close(s->fd);
	free(s);
}
