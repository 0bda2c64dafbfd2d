/*
 * fwdnet.h - -f forward's output: batches of records framed as Fluent
 * Forward messages (fwd.c), written to the output sink, or sent to a
 * collector (--forward unix:PATH, tcp:HOST:PORT) by a sender thread that
 * reconnects with exponential backoff, holds what it cannot send yet in
 * a bounded buffer (new events are dropped and counted when it is full)
 * and, with acks, keeps a batch until the collector has acknowledged its
 * chunk id.
 *
 * The caller adds encoded records; struct fwdnet owns copies of them, its
 * thread and its socket until fwdnet_close.  The sink stays the caller's.
 */
#ifndef GOERRFILT_FWDNET_H
#define GOERRFILT_FWDNET_H

#include <stddef.h>

struct sink;

struct fwdnet_opts {
	const char *tag;      /* FWD_DEFAULT_TAG */
	const char *target;   /* unix:PATH or tcp:HOST:PORT; NULL: the sink */
	int batch;            /* events per message (FWDNET_BATCH) */
	int flush_ms;         /* send a partial batch after this idle time */
	int buffer;           /* events held while undelivered */
	int ack;              /* --forward-ack */
	int timeout_s;        /* delivery wait after the input ends */
	int stats;            /* --stats: a summary line at close */
};

#define FWDNET_BATCH 100
#define FWDNET_FLUSH_MS 1000
#define FWDNET_BUFFER 10000
#define FWDNET_BUFFER_BYTES (64u << 20)
#define FWDNET_TIMEOUT_S 10
#define FWDNET_ACK_MS 5000
#define FWDNET_BACKOFF_MIN_MS 100
#define FWDNET_BACKOFF_MAX_MS 5000

struct fwdnet;

/* Returns NULL after a message when the target is not an address. */
struct fwdnet *fwdnet_open(const struct fwdnet_opts *o, struct sink *sink);
/* Adds one record (an encoded msgpack map) with its event's time text. */
void fwdnet_add(struct fwdnet *f, const void *rec, size_t len,
    const char *time_text);
/* The input fell silent: a partial batch goes out now (sink mode). */
void fwdnet_idle(struct fwdnet *f);
/* Non-zero when a partial batch waits for fwdnet_idle (sink mode). */
int fwdnet_waiting(const struct fwdnet *f);
/*
 * Sends what is left (waiting up to timeout_s), stops the thread, reports
 * dropped and undelivered events.  Returns 0, or -1 when any event was
 * not delivered.
 */
int fwdnet_close(struct fwdnet *f);

#endif
