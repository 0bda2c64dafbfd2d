/*
 * fwdnet.c - batching and delivery of Forward messages (see fwdnet.h).
 *
 * The input thread only appends to the open batch under the lock; the
 * sender thread seals batches (full, idle or at the end), connects, writes
 * and waits for acks with poll and bounded timeouts, so a collector that
 * is down or never answers does not hold up the input, and the end of the
 * run waits at most timeout_s for it.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "fwd.h"
#include "fwdnet.h"
#include "mrd.h"
#include "output.h"
#include "util.h"

#define CONNECT_MS 2000
#define SEND_MS 5000

struct batch {
	struct buf ent;             /* the entries, concatenated */
	uint32_t n;
	int tries;                  /* times it was written */
	char chunk[FWD_CHUNK_LEN + 1];
	struct batch *next;
};

struct fwdnet {
	struct fwdnet_opts o;
	struct sink *sink;
	struct buf entry, msg;      /* scratch: one entry; one message */
	struct batch *open;         /* being filled by the input thread */
	/* network mode */
	int unix_;
	char *path, *host, *port;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *head, *tail;  /* sealed, oldest first */
	uint64_t held;              /* events in open and sealed batches */
	size_t held_bytes;
	int64_t last_add, eof_at;
	int eof;
	int fd;
	int backoff_ms, failing;
	/* counts */
	uint64_t events, dropped, delivered, lost, messages, acked, resent;
	uint64_t connects;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct batch *
batch_new(void)
{
	return xcalloc(1, sizeof(struct batch));
}

static void
batch_free(struct batch *b)
{
	if (b == NULL)
		return;
	buf_free(&b->ent);
	free(b);
}

/* Splits unix:PATH or tcp:HOST:PORT (HOST may be [v6]). */
static int
parse_target(struct fwdnet *f, const char *t)
{
	if (strncmp(t, "unix:", 5) == 0 && t[5] != '\0') {
		if (strlen(t + 5) >= sizeof(((struct sockaddr_un *)0)->sun_path))
			return -1;
		f->unix_ = 1;
		f->path = xstrdup(t + 5);
		return 0;
	}
	if (strncmp(t, "tcp:", 4) != 0)
		return -1;
	const char *h = t + 4, *colon = strrchr(h, ':');
	if (colon == NULL || colon == h || colon[1] == '\0')
		return -1;
	size_t hl = (size_t)(colon - h);
	if (h[0] == '[' && hl > 2 && h[hl - 1] == ']') {
		h++;
		hl -= 2;
	}
	f->host = xmemdup(h, hl);
	f->port = xstrdup(colon + 1);
	return 0;
}

/* Waits for fd to be ready for events within ms; 1 ready, 0 timeout, -1. */
static int
wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { fd, events, 0 };

	for (;;) {
		int rc = poll(&p, 1, ms < 0 ? 0 : ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return rc;
		return 1;
	}
}

/* How long an I/O step may take: its own bound, within the end deadline. */
static int
step_ms(struct fwdnet *f, int own)
{
	pthread_mutex_lock(&f->mu);
	const int eof = f->eof;
	const int64_t end = f->eof_at + (int64_t)f->o.timeout_s * 1000;
	pthread_mutex_unlock(&f->mu);
	if (!eof)
		return own;
	int64_t left = end - now_ms();
	if (left < 0)
		left = 0;
	return left < own ? (int)left : own;
}

static int
try_connect(struct fwdnet *f, const struct sockaddr *sa, socklen_t len,
    int family, int *err)
{
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		*err = errno;
		return -1;
	}
	if (connect(fd, sa, len) == 0)
		return fd;
	if (errno == EINPROGRESS) {
		int rc = wait_fd(fd, POLLOUT, step_ms(f, CONNECT_MS));
		int soerr = 0;
		socklen_t sl = sizeof(soerr);
		if (rc == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 &&
		    soerr == 0)
			return fd;
		*err = rc == 0 ? ETIMEDOUT : soerr != 0 ? soerr : errno;
	} else {
		*err = errno;
	}
	close(fd);
	return -1;
}

static int
do_connect(struct fwdnet *f)
{
	int err = 0, fd = -1;

	if (f->unix_) {
		struct sockaddr_un sun = { 0 };
		sun.sun_family = AF_UNIX;
		memcpy(sun.sun_path, f->path, strlen(f->path));
		fd = try_connect(f, (struct sockaddr *)&sun, sizeof(sun), AF_UNIX,
		    &err);
	} else {
		struct addrinfo hints = { 0 }, *res = NULL;
		hints.ai_socktype = SOCK_STREAM;
		int gai = getaddrinfo(f->host, f->port, &hints, &res);
		if (gai != 0) {
			if (!f->failing)
				warnx_("--forward %s: %s (retrying)", f->o.target,
				    gai_strerror(gai));
			f->failing = 1;
			return -1;
		}
		for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next)
			fd = try_connect(f, a->ai_addr, a->ai_addrlen, a->ai_family,
			    &err);
		freeaddrinfo(res);
	}
	if (fd < 0) {
		/* One message per outage, not one per retry. */
		if (!f->failing)
			warnx_("--forward %s: %s (retrying)", f->o.target,
			    strerror(err));
		f->failing = 1;
		return -1;
	}
	f->connects++;
	return fd;
}

static void
drop_conn(struct fwdnet *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* A peer that closed (a collector restarting) is noticed before writing. */
static int
peer_closed(int fd)
{
	char tmp[256];

	while (wait_fd(fd, POLLIN, 0) == 1) {
		ssize_t r = recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
			return 1;
		if (r < 0)
			return 0;
	}
	return 0;
}

static int
send_all(struct fwdnet *f, const char *p, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t w = send(f->fd, p + off, n - off, MSG_NOSIGNAL);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(f->fd, POLLOUT, step_ms(f, SEND_MS)) == 1)
				continue;
			return -1;
		}
		return -1;
	}
	return 0;
}

/*
 * Reads the collector's {"ack": ID} for chunk; 0 when it came, -1 on a
 * timeout, a closed connection or a reply that is not one.
 */
static int
wait_ack(struct fwdnet *f, const char *chunk)
{
	char rb[4096];
	size_t have = 0;
	const int64_t until = now_ms() + step_ms(f, FWDNET_ACK_MS);

	for (;;) {
		int64_t left = until - now_ms();
		if (left <= 0 || wait_fd(f->fd, POLLIN, (int)left) != 1)
			return -1;
		ssize_t r = recv(f->fd, rb + have, sizeof(rb) - have, MSG_DONTWAIT);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0)
			return -1;
		have += (size_t)r;
		/* Replies are whole maps; one for an older chunk is skipped. */
		for (;;) {
			struct mrd m;
			uint32_t n;
			int match = 0;
			mrd_init(&m, rb, have, 0);
			if (mrd_map(&m, &n) == 0) {
				for (uint32_t i = 0; i < n && m.err == MRD_OK; i++) {
					const char *k, *v;
					size_t kl, vl;
					if (mrd_str(&m, &k, &kl) != 0)
						break;
					if (kl == 3 && memcmp(k, "ack", 3) == 0 &&
					    mrd_peek(&m) == MRD_STR) {
						mrd_str(&m, &v, &vl);
						match |= vl == strlen(chunk) &&
						    memcmp(v, chunk, vl) == 0;
					} else {
						mrd_skip(&m);
					}
				}
			}
			if (m.err == MRD_SHORT && have < sizeof(rb))
				break;
			if (m.err != MRD_OK)
				return -1;
			if (match)
				return 0;
			memmove(rb, rb + m.pos, have - m.pos);
			have -= m.pos;
			if (have == 0)
				break;
		}
	}
}

/* Moves the open batch to the queue (lock held). */
static void
seal(struct fwdnet *f)
{
	struct batch *b = f->open;

	if (b == NULL || b->n == 0)
		return;
	f->open = NULL;
	if (f->o.ack)
		fwd_new_chunk(b->chunk);
	if (f->tail != NULL)
		f->tail->next = b;
	else
		f->head = b;
	f->tail = b;
}

static void
wait_until(struct fwdnet *f, int64_t t)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t ms = t - now_ms();
	if (ms <= 0)
		return;
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&f->cv, &f->mu, &ts);
}

/* Delivers one batch; 0 when it is done with (sent, or acked). */
static int
deliver(struct fwdnet *f, struct batch *b)
{
	if (f->fd >= 0 && peer_closed(f->fd))
		drop_conn(f);
	if (f->fd < 0 && (f->fd = do_connect(f)) < 0)
		return -1;
	f->msg.len = 0;
	fwd_message(&f->msg, f->o.tag, b->ent.p, b->ent.len, b->n,
	    f->o.ack ? b->chunk : NULL);
	if (b->tries++ > 0)
		f->resent++;
	f->messages++;
	if (send_all(f, f->msg.p, f->msg.len) != 0 ||
	    (f->o.ack && wait_ack(f, b->chunk) != 0)) {
		drop_conn(f);
		return -1;
	}
	if (f->o.ack)
		f->acked++;
	return 0;
}

static void *
sender(void *arg)
{
	struct fwdnet *f = arg;
	int64_t next_try = 0;

	pthread_mutex_lock(&f->mu);
	for (;;) {
		const int64_t now = now_ms();
		const int64_t end = f->eof_at + (int64_t)f->o.timeout_s * 1000;
		if (f->open != NULL && f->open->n > 0 &&
		    (f->eof || now - f->last_add >= f->o.flush_ms))
			seal(f);
		if (f->head == NULL) {
			if (f->eof)
				break;
			if (f->open != NULL && f->open->n > 0)
				wait_until(f, f->last_add + f->o.flush_ms);
			else
				wait_until(f, now + 1000);
			continue;
		}
		if (f->eof && now >= end) {
			/* Out of time: what is left is undelivered, and counted. */
			while (f->head != NULL) {
				struct batch *b = f->head;
				f->head = b->next;
				f->lost += b->n;
				f->held -= b->n;
				batch_free(b);
			}
			f->tail = NULL;
			break;
		}
		if (f->fd < 0 && now < next_try) {
			wait_until(f, f->eof && end < next_try ? end : next_try);
			continue;
		}
		struct batch *b = f->head;
		pthread_mutex_unlock(&f->mu);
		const int rc = deliver(f, b);
		pthread_mutex_lock(&f->mu);
		if (rc != 0) {
			next_try = now_ms() + f->backoff_ms;
			f->backoff_ms *= 2;
			if (f->backoff_ms > FWDNET_BACKOFF_MAX_MS)
				f->backoff_ms = FWDNET_BACKOFF_MAX_MS;
			continue;
		}
		f->backoff_ms = FWDNET_BACKOFF_MIN_MS;
		if (f->failing)
			f->failing = 0;
		f->head = b->next;
		if (f->head == NULL)
			f->tail = NULL;
		f->delivered += b->n;
		f->held -= b->n;
		f->held_bytes -= b->ent.len;
		batch_free(b);
	}
	pthread_mutex_unlock(&f->mu);
	drop_conn(f);
	return NULL;
}

struct fwdnet *
fwdnet_open(const struct fwdnet_opts *o, struct sink *sink)
{
	struct fwdnet *f = xcalloc(1, sizeof(*f));

	f->o = *o;
	if (f->o.tag == NULL)
		f->o.tag = FWD_DEFAULT_TAG;
	if (f->o.batch < 1)
		f->o.batch = 1;
	if (f->o.buffer < 1)
		f->o.buffer = 1;
	f->sink = sink;
	f->fd = -1;
	f->backoff_ms = FWDNET_BACKOFF_MIN_MS;
	if (o->target == NULL)
		return f;
	if (parse_target(f, o->target) != 0) {
		warnx_("--forward %s: not unix:PATH or tcp:HOST:PORT", o->target);
		free(f);
		return NULL;
	}
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&f->mu, NULL);
	if (pthread_create(&f->th, NULL, sender, f) != 0)
		die("--forward: cannot start the sender thread");
	return f;
}

/* Sink mode: the open batch becomes one message on the output. */
static void
write_open(struct fwdnet *f)
{
	struct batch *b = f->open;

	if (b == NULL || b->n == 0)
		return;
	f->msg.len = 0;
	fwd_message(&f->msg, f->o.tag, b->ent.p, b->ent.len, b->n, NULL);
	sink_write(f->sink, f->msg.p, f->msg.len);
	sink_event_done(f->sink);
	f->messages++;
	f->delivered += b->n;
	b->ent.len = 0;
	b->n = 0;
}

void
fwdnet_add(struct fwdnet *f, const void *rec, size_t len,
    const char *time_text)
{
	uint64_t sec;
	uint32_t nsec;

	fwd_time_for(time_text, &sec, &nsec);
	f->entry.len = 0;
	fwd_entry(&f->entry, sec, nsec, rec, len);
	f->events++;
	if (f->o.target == NULL) {
		if (f->open == NULL)
			f->open = batch_new();
		buf_add(&f->open->ent, f->entry.p, f->entry.len);
		if (++f->open->n >= (uint32_t)f->o.batch)
			write_open(f);
		return;
	}
	pthread_mutex_lock(&f->mu);
	if (f->held >= (uint64_t)f->o.buffer ||
	    f->held_bytes + f->entry.len > FWDNET_BUFFER_BYTES) {
		/* The newest is dropped: the first failures are usually the cause. */
		f->dropped++;
		pthread_mutex_unlock(&f->mu);
		return;
	}
	if (f->open == NULL)
		f->open = batch_new();
	buf_add(&f->open->ent, f->entry.p, f->entry.len);
	f->held++;
	f->held_bytes += f->entry.len;
	f->last_add = now_ms();
	if (++f->open->n >= (uint32_t)f->o.batch) {
		seal(f);
		pthread_cond_signal(&f->cv);
	}
	pthread_mutex_unlock(&f->mu);
}

void
fwdnet_idle(struct fwdnet *f)
{
	if (f->o.target == NULL)
		write_open(f);
}

int
fwdnet_waiting(const struct fwdnet *f)
{
	return f->o.target == NULL && f->open != NULL && f->open->n > 0;
}

int
fwdnet_close(struct fwdnet *f)
{
	int rc = 0;

	if (f->o.target == NULL) {
		write_open(f);
	} else {
		pthread_mutex_lock(&f->mu);
		f->eof = 1;
		f->eof_at = now_ms();
		pthread_cond_signal(&f->cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->th, NULL);
		pthread_mutex_destroy(&f->mu);
		pthread_cond_destroy(&f->cv);
		if (f->dropped > 0)
			warnx_("--forward %s: %llu events dropped: the buffer of %d "
			    "events was full while the collector was unreachable",
			    f->o.target, (unsigned long long)f->dropped, f->o.buffer);
		if (f->lost > 0)
			warnx_("--forward %s: %llu events undelivered: not %s "
			    "within %d s after the input ended", f->o.target,
			    (unsigned long long)f->lost,
			    f->o.ack ? "acknowledged" : "sent", f->o.timeout_s);
		rc = f->dropped + f->lost > 0 ? -1 : 0;
	}
	if (f->o.stats)
		fprintf(stderr, "goerrfilt: forward: %llu events, %llu delivered, "
		    "%llu dropped, %llu undelivered; %llu messages written, "
		    "%llu acked, %llu resent; %llu connects\n",
		    (unsigned long long)f->events, (unsigned long long)f->delivered,
		    (unsigned long long)f->dropped, (unsigned long long)f->lost,
		    (unsigned long long)f->messages, (unsigned long long)f->acked,
		    (unsigned long long)f->resent, (unsigned long long)f->connects);
	batch_free(f->open);
	buf_free(&f->entry);
	buf_free(&f->msg);
	free(f->path);
	free(f->host);
	free(f->port);
	free(f);
	return rc;
}
