/*
 * output.c - the output sink (see output.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zstd.h>

#include "output.h"
#include "util.h"

struct sink {
	FILE *f;
	const char *name;
	int is_stdout, tty, interactive;
	ZSTD_CCtx *cctx;
	char *zout;
	size_t zcap;
	int failed;
	int pending;        /* written since the last flush */
};

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

struct sink *
sink_open(const char *path)
{
	struct sink *s = xcalloc(1, sizeof(*s));
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0) {
		s->f = stdout;
		s->name = "(stdout)";
		s->is_stdout = 1;
	} else {
		s->f = fopen(path, "wb");
		if (s->f == NULL)
			die("%s: %s", path, strerror(errno));
		s->name = path;
	}
	s->tty = isatty(fileno(s->f));
	s->interactive = s->tty ||
	    (fstat(fileno(s->f), &st) == 0 && S_ISFIFO(st.st_mode));
	if (path != NULL && ends_with(path, ".zst")) {
		s->cctx = ZSTD_createCCtx();
		if (s->cctx == NULL)
			die("out of memory");
		ZSTD_CCtx_setParameter(s->cctx, ZSTD_c_compressionLevel, 6);
		ZSTD_CCtx_setParameter(s->cctx, ZSTD_c_checksumFlag, 1);
		s->zcap = ZSTD_CStreamOutSize();
		s->zout = xmalloc(s->zcap);
	}
	return s;
}

int
sink_is_tty(const struct sink *s)
{
	return s->tty;
}

static void
z_run(struct sink *s, const void *p, size_t n, ZSTD_EndDirective mode)
{
	ZSTD_inBuffer in = { p, n, 0 };

	for (;;) {
		ZSTD_outBuffer out = { s->zout, s->zcap, 0 };
		size_t rem = ZSTD_compressStream2(s->cctx, &out, &in, mode);
		if (ZSTD_isError(rem))
			die("%s: zstd: %s", s->name, ZSTD_getErrorName(rem));
		if (out.pos > 0 && fwrite(s->zout, 1, out.pos, s->f) != out.pos)
			s->failed = 1;
		if (mode == ZSTD_e_continue ? in.pos == in.size : rem == 0)
			break;
	}
}

void
sink_write(struct sink *s, const void *p, size_t n)
{
	if (s->cctx != NULL)
		z_run(s, p, n, ZSTD_e_continue);
	else if (n > 0 && fwrite(p, 1, n, s->f) != n)
		s->failed = 1;
	if (n > 0)
		s->pending = 1;
}

int
sink_pending(const struct sink *s)
{
	return s->pending;
}

void
sink_flush(struct sink *s)
{
	if (s->cctx != NULL)
		z_run(s, NULL, 0, ZSTD_e_flush);
	if (fflush(s->f) != 0)
		s->failed = 1;
	s->pending = 0;
}

void
sink_event_done(struct sink *s)
{
	if (s->interactive)
		sink_flush(s);
}

int
sink_close(struct sink *s)
{
	int rc = 0;

	if (s->cctx != NULL)
		z_run(s, NULL, 0, ZSTD_e_end);
	if (fflush(s->f) != 0 || ferror(s->f) || s->failed) {
		warnx_("%s: write error%s%s", s->name, errno ? ": " : "",
		    errno ? strerror(errno) : "");
		rc = -1;
	}
	if (!s->is_stdout && fclose(s->f) != 0 && rc == 0) {
		warnx_("%s: %s", s->name, strerror(errno));
		rc = -1;
	}
	ZSTD_freeCCtx(s->cctx);
	free(s->zout);
	free(s);
	return rc;
}
