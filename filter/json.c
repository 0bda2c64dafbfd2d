/*
 * json.c - JSON Lines output (see json.h).
 */
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"

size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;
		if (c == 0xed && s[1] >= 0xa0)
			return 0; /* surrogates */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

void
utf8_sanitize(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	buf_reserve(out, len);
	while (i < len) {
		size_t k = utf8_len(p + i, len - i);
		if (k > 0) {
			i += k;
			continue;
		}
		buf_add(out, s + run, i - run);
		buf_add(out, "\xef\xbf\xbd", 3);
		i++;
		run = i;
	}
	buf_add(out, s + run, i - run);
}

/* 1 for the bytes plain_run stops at. */
static const unsigned char json_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/*
 * The index of the first byte from i that json_str must look at: a control
 * byte, '"', '\\' or a byte of a multi-byte sequence.  Most of what events
 * hold is printable ASCII, skipped sixteen bytes at a time (SSE2, which
 * every x86-64 has) or eight (elsewhere).
 */
static size_t
plain_run(const unsigned char *p, size_t i, size_t len)
{
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(0x20), qu = _mm_set1_epi8('"'),
	    bs = _mm_set1_epi8('\\');

	for (; len - i >= 16; i += 16) {
		const __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
		/* Signed: bytes from 0x80 count as below 0x20 too. */
		const unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmplt_epi8(v, sp), _mm_or_si128(_mm_cmpeq_epi8(v, qu),
		    _mm_cmpeq_epi8(v, bs))));
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;

	for (; len - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		const uint64_t ctl = (w - ones * 0x20) & ~w;
		if (((ctl | w | bytes_eq(w, '"') | bytes_eq(w, '\\')) & high) != 0)
			break;
	}
#endif
	for (; i < len; i++)
		if (json_special[p[i]])
			break;
	return i;
}

void
json_str(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;

	buf_reserve(out, len + 2);
	buf_addc(out, '"');
	for (;;) {
		i = plain_run(p, i, len);
		if (i >= len)
			break;
		const unsigned c = p[i];
		if (c >= 0x80) {
			size_t k = utf8_len(p + i, len - i);
			if (k > 0) {
				i += k;
				continue;
			}
		}
		buf_add(out, s + run, i - run);
		switch (c) {
		case '"': buf_add(out, "\\\"", 2); break;
		case '\\': buf_add(out, "\\\\", 2); break;
		case '\n': buf_add(out, "\\n", 2); break;
		case '\t': buf_add(out, "\\t", 2); break;
		case '\r': buf_add(out, "\\r", 2); break;
		default:
			if (c < 0x20) {
				char esc[8];
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				buf_add(out, esc, 6);
			} else {
				buf_add(out, "\xef\xbf\xbd", 3);
			}
		}
		i++;
		run = i;
	}
	buf_add(out, s + run, i - run);
	buf_addc(out, '"');
}

static void
put_u64(struct buf *out, uint64_t v)
{
	char tmp[24];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	buf_add(out, tmp + n, sizeof(tmp) - n);
}

/* ,"k": for a key known when compiling, with its length from sizeof. */
#define put_ckey(out, k) buf_add((out), ",\"" k "\":", sizeof(k) + 3)

static void
put_key(struct buf *out, const char *k)
{
	buf_add(out, ",\"", 2);
	buf_adds(out, k);
	buf_add(out, "\":", 2);
}

/* What every record starts with: {"v":1,"seq":N,"lines":[a,b] */
static void
put_head(struct buf *out, uint64_t seq, uint64_t first, uint64_t last)
{
	buf_add(out, "{\"v\":", 5);
	put_u64(out, EV_SCHEMA_VERSION);
	put_ckey(out, "seq");
	put_u64(out, seq);
	put_ckey(out, "lines");
	buf_addc(out, '[');
	put_u64(out, first);
	buf_addc(out, ',');
	put_u64(out, last);
	buf_addc(out, ']');
}

static void
put_frames(struct buf *out, const struct frame *fr, int n)
{
	buf_addc(out, '[');
	for (int i = 0; i < n; i++) {
		if (i)
			buf_addc(out, ',');
		buf_add(out, "{\"func\":", 8);
		json_str(out, fr[i].func, strlen(fr[i].func));
		if (fr[i].file != NULL) {
			put_ckey(out, "file");
			json_str(out, fr[i].file, strlen(fr[i].file));
		}
		if (fr[i].line > 0) {
			put_ckey(out, "line");
			put_u64(out, (uint64_t)fr[i].line);
		}
		put_ckey(out, "origin");
		json_str(out, fr[i].origin, strlen(fr[i].origin));
		if (fr[i].module != NULL) {
			put_ckey(out, "module");
			json_str(out, fr[i].module, strlen(fr[i].module));
		}
		buf_addc(out, '}');
	}
	buf_addc(out, ']');
}

/* An object of n string pairs (attrs, labels) under key; none: no key. */
static void
put_pairs(struct buf *out, const char *key, const char *const *k,
    const char *const *v, int n)
{
	if (n <= 0)
		return;
	put_key(out, key);
	buf_addc(out, '{');
	for (int i = 0; i < n; i++) {
		if (i)
			buf_addc(out, ',');
		json_str(out, k[i], strlen(k[i]));
		buf_addc(out, ':');
		json_str(out, v[i], strlen(v[i]));
	}
	buf_addc(out, '}');
}

void
json_event(struct buf *out, const struct event *ev)
{
	put_head(out, ev->seq, ev->first, ev->last);
	for (int i = 0; i < F_NFIELDS; i++) {
		const char *s = ev->f[i];
		if (s == NULL)
			continue;
		put_key(out, field_names[i]);
		if (field_is_int(i) || field_is_num(i))
			buf_adds(out, s);
		else
			json_str(out, s, strlen(s));
	}
	if (ev->noutput > 0) {
		put_ckey(out, "output");
		buf_addc(out, '[');
		for (int i = 0; i < ev->noutput; i++) {
			if (i)
				buf_addc(out, ',');
			json_str(out, ev->output[i], strlen(ev->output[i]));
		}
		buf_addc(out, ']');
	}
	if (ev->output_omitted > 0) {
		put_ckey(out, "output_omitted");
		put_u64(out, (uint64_t)ev->output_omitted);
	}
	put_pairs(out, "attrs", ev->attr_k, ev->attr_v, ev->nattr);
	put_pairs(out, "labels", ev->label_k, ev->label_v, ev->nlabel);
	if (ev->recovered >= 0) {
		put_ckey(out, "recovered");
		buf_adds(out, ev->recovered ? "true" : "false");
	}
	if (ev->nstack > 0) {
		put_ckey(out, "stack");
		put_frames(out, ev->stack, ev->nstack);
	}
	if (ev->ngoroutines > 0) {
		put_ckey(out, "goroutine_count");
		put_u64(out, (uint64_t)ev->ngoroutines);
	}
	if (ev->ngr > 0) {
		put_ckey(out, "goroutines");
		buf_addc(out, '[');
		for (int i = 0; i < ev->ngr; i++) {
			const struct bucket *b = &ev->gr[i];
			if (i)
				buf_addc(out, ',');
			buf_add(out, "{\"count\":", 9);
			put_u64(out, (uint64_t)b->count);
			put_ckey(out, "state");
			json_str(out, b->state, strlen(b->state));
			if (b->wait_min >= 0) {
				put_ckey(out, "wait_min");
				put_u64(out, (uint64_t)b->wait_min);
			}
			put_ckey(out, "stack");
			put_frames(out, b->stack, b->nstack);
			buf_addc(out, '}');
		}
		buf_addc(out, ']');
	}
	buf_add(out, "}\n", 2);
}

void
json_rawline(struct buf *out, uint64_t seq, const struct rawline *rl)
{
	put_head(out, seq, rl->lineno, rl->lineno);
	put_ckey(out, "text");
	json_str(out, rl->text, rl->len);
	buf_add(out, "}\n", 2);
}
