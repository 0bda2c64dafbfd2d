/*
 * decode.c - msgpack and Fluent Forward streams back into events (see
 * decode.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "event.h"
#include "input.h"
#include "mrd.h"
#include "util.h"

#define BLOCK (1024 * 1024)
/* The bounds goerrfilt's own writers keep (stack.c keeps 128 frames). */
#define DEC_MAX_FRAMES 1024
#define DEC_MAX_ITEMS 100000

/* The key just read (key, kl) is the literal s. */
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(key, s, kl) == 0)

struct dec {
	const char *name;
	const struct emit *em;
	struct arena arena;
	uint64_t groups;            /* --group summaries seen (not events) */
};

/* Shortest decimal text that reads back as the same double. */
static const char *
num_text(struct dec *d, double v)
{
	char tmp[40];

	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	/* It was a float: it stays one in JSON (0.00 comes back as 0.0). */
	if (strpbrk(tmp, ".e") == NULL)
		strcat(tmp, ".0");
	return arena_strndup(&d->arena, tmp, strlen(tmp));
}

static const char *
str_val(struct dec *d, struct mrd *m)
{
	const char *s;
	size_t n;

	if (mrd_str(m, &s, &n) != 0)
		return NULL;
	return arena_strndup(&d->arena, s, n);
}

/* An array header whose items are at least min bytes each, at most max. */
static int
bounded_array(struct mrd *m, uint32_t *n, size_t min, uint32_t max,
    const char *what)
{
	size_t at = m->pos;

	if (mrd_array(m, n) != 0)
		return -1;
	if (*n > max || (uint64_t)*n * min > m->len - m->pos) {
		m->pos = at;
		mrd_fail(m, "%s: %u items do not fit (at most %u, %zu bytes left)",
		    what, *n, max, m->len - m->pos);
		return -1;
	}
	return 0;
}

static int
frames(struct dec *d, struct mrd *m, struct frame **out, int *nout)
{
	uint32_t n;

	/* A frame holds func and origin at least: 15 bytes. */
	if (bounded_array(m, &n, 15, DEC_MAX_FRAMES, "stack") != 0)
		return -1;
	struct frame *fr = arena_alloc(&d->arena, (n ? n : 1) * sizeof(*fr));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k;
		memset(&fr[i], 0, sizeof(fr[i]));
		if (mrd_map(m, &k) != 0)
			return -1;
		for (uint32_t j = 0; j < k; j++) {
			const char *key;
			size_t kl;
			int64_t line;
			if (mrd_str(m, &key, &kl) != 0)
				return -1;
			if (KEY("func"))
				fr[i].func = str_val(d, m);
			else if (KEY("file"))
				fr[i].file = str_val(d, m);
			else if (KEY("origin"))
				fr[i].origin = str_val(d, m);
			else if (KEY("module"))
				fr[i].module = str_val(d, m);
			else if (KEY("line") && mrd_int(m, &line) == 0)
				fr[i].line = line;
			else if (!KEY("line"))
				mrd_skip(m);
			if (m->err != MRD_OK)
				return -1;
		}
		if (fr[i].func == NULL || fr[i].origin == NULL) {
			mrd_fail(m, "a stack frame without func or origin");
			return -1;
		}
	}
	*out = fr;
	*nout = (int)n;
	return 0;
}

static int
buckets(struct dec *d, struct mrd *m, struct event *ev)
{
	uint32_t n;

	if (bounded_array(m, &n, 22, DEC_MAX_ITEMS, "goroutines") != 0)
		return -1;
	struct bucket *b = arena_alloc(&d->arena, (n ? n : 1) * sizeof(*b));
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k;
		memset(&b[i], 0, sizeof(b[i]));
		b[i].wait_min = -1;
		if (mrd_map(m, &k) != 0)
			return -1;
		for (uint32_t j = 0; j < k; j++) {
			const char *key;
			size_t kl;
			int64_t v;
			if (mrd_str(m, &key, &kl) != 0)
				return -1;
			if (KEY("count") && mrd_int(m, &v) == 0)
				b[i].count = v;
			else if (KEY("wait_min") && mrd_int(m, &v) == 0)
				b[i].wait_min = v;
			else if (KEY("state"))
				b[i].state = str_val(d, m);
			else if (KEY("stack"))
				frames(d, m, &b[i].stack, &b[i].nstack);
			else if (!KEY("count") && !KEY("wait_min"))
				mrd_skip(m);
			if (m->err != MRD_OK)
				return -1;
		}
		if (b[i].state == NULL) {
			mrd_fail(m, "a goroutine bucket without state");
			return -1;
		}
	}
	ev->gr = b;
	ev->ngr = (int)n;
	return 0;
}

static int
strings(struct dec *d, struct mrd *m, const char ***out, int *nout,
    uint32_t max, const char *what)
{
	uint32_t n;

	if (bounded_array(m, &n, 1, max, what) != 0)
		return -1;
	const char **v = arena_alloc(&d->arena, (n ? n : 1) * sizeof(*v));
	for (uint32_t i = 0; i < n; i++)
		if ((v[i] = str_val(d, m)) == NULL)
			return -1;
	*out = v;
	*nout = (int)n;
	return 0;
}

/* A map of strings to strings (attrs, labels) as key and value arrays. */
static int
pairs(struct dec *d, struct mrd *m, const char ***kp, const char ***vp,
    int *np, const char *what)
{
	uint32_t n;
	size_t at = m->pos;

	if (mrd_map(m, &n) != 0)
		return -1;
	if (n > DEC_MAX_ITEMS) {
		m->pos = at;
		mrd_fail(m, "%s: %u entries, at most %u", what, n, DEC_MAX_ITEMS);
		return -1;
	}
	const char **k = arena_alloc(&d->arena, (n ? n : 1) * sizeof(char *));
	const char **v = arena_alloc(&d->arena, (n ? n : 1) * sizeof(char *));
	for (uint32_t i = 0; i < n; i++)
		if ((k[i] = str_val(d, m)) == NULL || (v[i] = str_val(d, m)) == NULL)
			return -1;
	*kp = k;
	*vp = v;
	*np = (int)n;
	return 0;
}

/* One record: an event, a passthrough line, or a --group summary. */
static int
record(struct dec *d, struct mrd *m)
{
	struct event ev;
	struct rawline rl = { 0 };
	uint32_t n;
	int64_t v = -1, x = 0;
	int have_text = 0, group = 0, b;

	memset(&ev, 0, sizeof(ev));
	ev.recovered = -1;
	if (mrd_map(m, &n) != 0)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		const char *key, *s;
		size_t kl, sl;
		uint32_t k;
		if (mrd_str(m, &key, &kl) != 0)
			return -1;
		const int f = field_lookup(key, kl);
		if (KEY("v")) {
			mrd_int(m, &v);
		} else if (KEY("seq")) {
			mrd_int(m, &x);
			ev.seq = (uint64_t)x;
		} else if (KEY("lines")) {
			int64_t a = 0, z = 0;
			if (mrd_array(m, &k) == 0 && k != 2)
				mrd_fail(m, "lines has %u items, not 2", k);
			else if (mrd_int(m, &a) == 0 && mrd_int(m, &z) == 0) {
				ev.first = (uint64_t)a;
				ev.last = (uint64_t)z;
			}
		} else if (KEY("text")) {
			if (mrd_str(m, &s, &sl) == 0) {
				rl.text = s;
				rl.len = sl;
				have_text = 1;
			}
		} else if (KEY("group") || KEY("count") || KEY("first_line") ||
		    KEY("last_line")) {
			group = 1;
			mrd_skip(m);
		} else if (f >= 0 && (field_is_int(f) || field_is_num(f))) {
			double dv;
			if (field_is_int(f) && mrd_int(m, &x) == 0) {
				char tmp[24];
				snprintf(tmp, sizeof(tmp), "%lld", (long long)x);
				ev.f[f] = arena_strndup(&d->arena, tmp, strlen(tmp));
			} else if (!field_is_int(f) && mrd_num(m, &dv) == 0) {
				if (dv != dv || dv - dv != 0)
					mrd_fail(m, "%s is not a finite number",
					    field_names[f]);
				else
					ev.f[f] = num_text(d, dv);
			}
		} else if (f >= 0) {
			ev.f[f] = str_val(d, m);
		} else if (KEY("output")) {
			strings(d, m, &ev.output, &ev.noutput, EV_OUTPUT_MAX, "output");
		} else if (KEY("output_omitted")) {
			if (mrd_int(m, &x) == 0)
				ev.output_omitted = x;
		} else if (KEY("attrs")) {
			pairs(d, m, &ev.attr_k, &ev.attr_v, &ev.nattr, "attrs");
		} else if (KEY("labels")) {
			const char **lk = NULL, **lv = NULL;
			if (pairs(d, m, &lk, &lv, &ev.nlabel, "labels") == 0) {
				ev.label_k = lk;
				ev.label_v = lv;
			}
		} else if (KEY("recovered")) {
			if (mrd_bool(m, &b) == 0)
				ev.recovered = b;
		} else if (KEY("stack")) {
			frames(d, m, &ev.stack, &ev.nstack);
		} else if (KEY("goroutine_count")) {
			if (mrd_int(m, &x) == 0)
				ev.ngoroutines = x > 0 && x < 1 << 30 ? (int)x : 0;
		} else if (KEY("goroutines")) {
			buckets(d, m, &ev);
		} else {
			/* Keys a later version may add are skipped. */
			mrd_skip(m);
		}
		if (m->err != MRD_OK)
			return -1;
	}
	if (v != EV_SCHEMA_VERSION) {
		mrd_fail(m, v < 0 ? "a record without v (not a goerrfilt event)" :
		    "schema version %lld, not %d", (long long)v, EV_SCHEMA_VERSION);
		return -1;
	}
	if (group) {
		d->groups++;
	} else if (have_text) {
		rl.lineno = ev.first;
		if (d->em->raw != NULL)
			d->em->raw(d->em->arg, &rl);
	} else {
		d->em->event(d->em->arg, &ev);
	}
	arena_reset(&d->arena);
	return 0;
}

/* An entry's time: an integer or EventTime (ext 0, 8 bytes). */
static int
entry_time(struct mrd *m)
{
	int64_t t;
	int8_t type;
	const unsigned char *p;
	size_t n;

	if (mrd_peek(m) == MRD_INT)
		return mrd_int(m, &t);
	if (mrd_peek(m) != MRD_EXT) {
		mrd_fail(m, "an entry's time is neither an integer nor EventTime");
		return -1;
	}
	size_t at = m->pos;
	if (mrd_ext(m, &type, &p, &n) != 0)
		return -1;
	if (type != 0 || n != 8) {
		m->pos = at;
		mrd_fail(m, "ext type %d of %zu bytes is not EventTime", type, n);
		return -1;
	}
	return 0;
}

static int
entry(struct dec *d, struct mrd *m)
{
	uint32_t n;
	size_t at = m->pos;

	if (mrd_array(m, &n) != 0)
		return -1;
	if (n != 2) {
		m->pos = at;
		mrd_fail(m, "an entry has %u items, not [time, record]", n);
		return -1;
	}
	return entry_time(m) == 0 ? record(d, m) : -1;
}

/* The option map: anything but "compressed": "gzip" is fine. */
static int
option(struct mrd *m)
{
	uint32_t n;

	if (mrd_peek(m) == MRD_NIL)
		return mrd_skip(m);
	if (mrd_map(m, &n) != 0)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		const char *key, *s;
		size_t kl, sl;
		if (mrd_str(m, &key, &kl) != 0)
			return -1;
		size_t at = m->pos;
		if (KEY("compressed") && mrd_peek(m) == MRD_STR) {
			mrd_str(m, &s, &sl);
			if (!(sl == 4 && memcmp(s, "text", 4) == 0)) {
				m->pos = at;
				mrd_fail(m, "PackedForward compressed \"%.*s\" is not "
				    "supported", (int)(sl > 20 ? 20 : sl), s);
				return -1;
			}
		} else if (mrd_skip(m) != 0) {
			return -1;
		}
	}
	return 0;
}

/* [tag, entries | time record | packed, option?] */
static int
message(struct dec *d, struct mrd *m)
{
	uint32_t n, k;
	const char *tag, *packed;
	size_t tl, pl;

	if (mrd_array(m, &n) != 0)
		return -1;
	if (n < 2 || n > 4) {
		mrd_fail(m, "a Forward message with %u items", n);
		return -1;
	}
	if (mrd_str(m, &tag, &tl) != 0)
		return -1;
	switch (mrd_peek(m)) {
	case MRD_ARRAY: /* Forward mode */
		if (n > 3) {
			mrd_fail(m, "a Forward-mode message with %u items", n);
			return -1;
		}
		if (mrd_array(m, &k) != 0)
			return -1;
		for (uint32_t i = 0; i < k; i++)
			if (entry(d, m) != 0)
				return -1;
		return n == 3 ? option(m) : 0;
	case MRD_INT:
	case MRD_EXT: /* Message mode */
		if (n < 3) {
			mrd_fail(m, "a Message-mode message without a record");
			return -1;
		}
		if (entry_time(m) != 0 || record(d, m) != 0)
			return -1;
		return n == 4 ? option(m) : 0;
	case MRD_STR:
	case MRD_BIN: { /* PackedForward: the option says how it is packed */
		if (n > 3) {
			mrd_fail(m, "a PackedForward message with %u items", n);
			return -1;
		}
		const size_t at = m->pos;
		if (mrd_raw(m, &packed, &pl) != 0 || (n == 3 && option(m) != 0))
			return -1;
		struct mrd in;
		const size_t body = (size_t)(packed - (const char *)m->p);
		mrd_init(&in, packed, pl, m->base + body);
		while (in.pos < in.len)
			if (entry(d, &in) != 0) {
				/* The offset is the inner error's, in the stream. */
				m->pos = at;
				mrd_fail(m, "in packed entries: %.130s", in.msg);
				m->err_off = in.err_off;
				return -1;
			}
		return 0;
	}
	default:
		mrd_fail(m, "a Forward message's second item is neither entries, "
		    "a time nor packed entries");
		return -1;
	}
}

static int
one(struct dec *d, const unsigned char *p, size_t n, uint64_t base)
{
	struct mrd m;

	mrd_init(&m, p, n, base);
	switch (mrd_peek(&m)) {
	case MRD_MAP: record(d, &m); break;
	case MRD_ARRAY: message(d, &m); break;
	default:
		mrd_fail(&m, "neither a record (a map) nor a Forward message "
		    "(an array)");
	}
	arena_reset(&d->arena);
	if (m.err != MRD_OK) {
		warnx_("%s: offset %llu: %s", d->name,
		    (unsigned long long)m.err_off, m.msg);
		return -1;
	}
	return 0;
}

/*
 * Finds where the next value ends without decoding it: MRD_SHORT asks for
 * more input, an error ends the stream.
 */
static int
extent(struct dec *d, const unsigned char *p, size_t n, uint64_t base,
    int eof, size_t *len)
{
	struct mrd m;

	mrd_init(&m, p, n, base);
	if (mrd_skip(&m) == 0) {
		*len = m.pos;
		return 1;
	}
	if (m.err == MRD_SHORT && !eof) {
		if (n >= DEC_MAX_MSG) {
			warnx_("%s: offset %llu: a message larger than %u MiB",
			    d->name, (unsigned long long)base, DEC_MAX_MSG >> 20);
			return -1;
		}
		return 0;
	}
	warnx_("%s: offset %llu: %s", d->name, (unsigned long long)m.err_off,
	    m.msg);
	return -1;
}

static void
done(struct dec *d)
{
	if (d->groups > 0)
		warnx_("%s: %llu --group summaries skipped: they are counts, not "
		    "events", d->name, (unsigned long long)d->groups);
	arena_free(&d->arena);
}

int
dec_mem(const char *name, const void *p, size_t n, const struct emit *em)
{
	struct dec d = { name, em, { 0 }, 0 };
	const unsigned char *b = p;
	size_t pos = 0, len;
	int rc = 0;

	while (pos < n) {
		if (extent(&d, b + pos, n - pos, pos, 1, &len) != 1 ||
		    one(&d, b + pos, len, pos) != 0) {
			rc = -1;
			break;
		}
		pos += len;
	}
	done(&d);
	return rc;
}

int
dec_run(const char *path, const struct emit *em)
{
	struct in_src *src = in_open(path);
	struct buf w = { 0 };
	uint64_t base = 0;
	size_t pos = 0, len;
	int eof = 0, rc = 0;

	if (src == NULL)
		return -1;
	struct dec d = { in_name(src), em, { 0 }, 0 };
	for (;;) {
		if (pos < w.len) {
			int x = extent(&d, (unsigned char *)w.p + pos, w.len - pos,
			    base + pos, eof, &len);
			if (x < 0 || (x == 1 && one(&d, (unsigned char *)w.p + pos, len,
			    base + pos) != 0)) {
				rc = -1;
				break;
			}
			if (x == 1) {
				pos += len;
				continue;
			}
		}
		if (eof)
			break;
		if (pos > 0) {
			memmove(w.p, w.p + pos, w.len - pos);
			w.len -= pos;
			base += pos;
			pos = 0;
		}
		buf_reserve(&w, BLOCK);
		ssize_t r = in_read(src, w.p + w.len, BLOCK);
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0)
			eof = 1;
		else
			w.len += (size_t)r;
	}
	done(&d);
	buf_free(&w);
	in_close(src);
	return rc;
}
