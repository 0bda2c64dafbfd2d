/*
 * archive.h - the goerrfilt archive (.gfa): a corpus of failure logs,
 * zstd-compressed in blocks with a dictionary trained on the corpus, with
 * an index of the events goerrfilt finds in each log.  The on-disk format
 * is docs/archive.md; this header is its reader and writer.
 *
 * Exports: arc_open/arc_close (the reader: header, section table and index
 * read and checked, log data left on disk and read with pread), arc_str,
 * arc_find, arc_get (one log, decompressing only its block), arc_verify;
 * and the writer: arc_writer_new (a new archive, or appending to one),
 * arc_writer_add (one log: its bytes and its events), arc_writer_finish.
 *
 * Ownership: a struct arc owns its file descriptor, its decoded index and
 * its dictionary; pointers arc_str returns live until arc_close.  A writer
 * owns copies of every log and string it is given.  Errors are reported as
 * "PROG: FILE: why" through warnx_ and returned as -1 (or ARC_CORRUPT);
 * only allocation failure dies (util.c).
 */
#ifndef GOERRFILT_ARCHIVE_H
#define GOERRFILT_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define ARC_MAJOR 1
#define ARC_MINOR 0
#define ARC_NOSTR 0xffffffffu

/* Return values of the reader besides 0: trouble outside the archive
 * (a write failed) is -1, a corrupt or unreadable archive ARC_CORRUPT. */
#define ARC_CORRUPT (-2)

/* An event's indexed strings, in their on-disk order. */
enum arc_field {
	AF_CLASS, AF_KIND, AF_PHASE, AF_PKG, AF_TEST, AF_FINGERPRINT, AF_FILE,
	AF_MSG, AF_NFIELDS
};
extern const char *const arc_field_names[AF_NFIELDS];

struct arc_block {
	uint64_t off, csize, usize;
	uint32_t flags;                 /* ARC_BLK_DICT */
};
#define ARC_BLK_DICT 1u

struct arc_log {
	uint32_t block, name;           /* name: a string reference */
	uint64_t off, size, hash;       /* within the block's decoded bytes */
	uint32_t ev0, nev;              /* its events: ev[ev0 .. ev0+nev) */
};

struct arc_ev {
	uint32_t s[AF_NFIELDS];         /* string references or ARC_NOSTR */
	uint32_t line;                  /* 0: none */
};

struct arc {
	int fd;
	char *path;
	uint64_t fsize;
	unsigned major, minor;
	void *dict;
	size_t dictlen;
	struct arc_block *blk;
	uint32_t nblk;
	struct arc_log *log;
	uint32_t nlog;
	struct arc_ev *ev;
	uint32_t nev;
	char *str;
	size_t strlen;
	/* Where the dictionary section is, so that an append points to it
	 * again instead of writing it twice. */
	uint64_t dict_off, dict_stored, dict_hash;
	unsigned dict_flags;
	/* The decoder and its buffers, made by the first block read and
	 * kept for the others. */
	struct ZSTD_DCtx_s *dctx;
	char *zin, *zout;
};

/* Opens and checks path; NULL after a message (the archive is corrupt,
 * newer or unreadable). */
struct arc *arc_open(const char *path);
void arc_close(struct arc *a);
/* The string at ref, or NULL (ARC_NOSTR); *len its length. */
const char *arc_str(const struct arc *a, uint32_t ref, size_t *len);
/* The index of the log called name (the last added of that name), or -1. */
long arc_find(const struct arc *a, const char *name);
/* Writes log i's bytes to fd; 0, -1 (writing), ARC_CORRUPT. */
int arc_get(struct arc *a, uint32_t i, int fd);
/* Reads log i into b (appended); 0 or ARC_CORRUPT. */
int arc_read(struct arc *a, uint32_t i, struct buf *b);
/* Decodes every block and checks every log's hash; 0 or ARC_CORRUPT. */
int arc_verify(struct arc *a);

/* 64-bit content hash of logs and sections (FNV-1a 64). */
uint64_t arc_hash(const void *p, size_t n);

/* --- writing ------------------------------------------------------------- */

struct arc_wopts {
	int level;                      /* zstd level of blocks and sections */
	size_t block_size;              /* decoded bytes a block aims at */
	size_t dict_size;               /* 0: chosen from the corpus */
};

struct arc_writer;
struct arc_wevent {
	const char *s[AF_NFIELDS];      /* NULL: absent */
	uint32_t line;
};

/*
 * A writer for path: a new archive (old == NULL), or one that appends to
 * the open archive old (whose dictionary the new blocks use); NULL after a
 * message.
 */
struct arc_writer *arc_writer_new(const char *path, struct arc *old,
    const struct arc_wopts *o);
/* One log: name, its bytes (copied) and its events (copied). */
void arc_writer_add(struct arc_writer *w, const char *name, const char *p,
    size_t n, const struct arc_wevent *ev, size_t nev);
/*
 * Clusters, trains the dictionary (a new archive), compresses and writes;
 * frees w.  0, or -1 after a message.  st receives what was done.
 */
struct arc_wstats {
	uint64_t logs, unique, bytes, blocks, dict, file;
};
int arc_writer_finish(struct arc_writer *w, struct arc_wstats *st);
/* Frees w without writing anything. */
void arc_writer_free(struct arc_writer *w);

#endif
