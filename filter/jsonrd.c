/*
 * jsonrd.c - the small JSON reader (see jsonrd.h).
 */
#include <stdint.h>
#include <string.h>

#include "jsonrd.h"


void
jr_ws(struct jr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
	    *r->p == '\r' || *r->p == '\n'))
		r->p++;
}

int
jr_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
hex4(struct jr *r, unsigned *u)
{
	if (r->end - r->p < 4)
		return -1;
	*u = 0;
	for (int i = 0; i < 4; i++) {
		int h = jr_hexval((unsigned char)r->p[i]);
		if (h < 0)
			return -1;
		*u = *u << 4 | (unsigned)h;
	}
	r->p += 4;
	return 0;
}

/* Writes c UTF-8 encoded at w; returns the byte after it. */
static char *
utf8_at(char *w, unsigned c)
{
	if (c < 0x80) {
		*w++ = (char)c;
	} else if (c < 0x800) {
		*w++ = (char)(0xc0 | c >> 6);
		*w++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*w++ = (char)(0xe0 | c >> 12);
		*w++ = (char)(0x80 | (c >> 6 & 0x3f));
		*w++ = (char)(0x80 | (c & 0x3f));
	} else {
		*w++ = (char)(0xf0 | c >> 18);
		*w++ = (char)(0x80 | (c >> 12 & 0x3f));
		*w++ = (char)(0x80 | (c >> 6 & 0x3f));
		*w++ = (char)(0x80 | (c & 0x3f));
	}
	return w;
}

void
jr_put_utf8(struct buf *b, unsigned c)
{
	char t[4];

	buf_add(b, t, (size_t)(utf8_at(t, c) - t));
}

/*
 * The first '"' or '\\' in [p, end), or end: eight bytes at a time, a
 * docker record's log is mostly plain text.
 */
const char *
jr_span_plain(const char *p, const char *end)
{
	for (; end - p >= 8; p += 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		if (bytes_eq(w, '"') | bytes_eq(w, '\\'))
			break;
	}
	while (p < end && *p != '"' && *p != '\\')
		p++;
	return p;
}

/*
 * A decoded string is never longer than its JSON text (an escape of six
 * bytes gives at most three, a pair of twelve four): out is made room for
 * once and written straight.  Without out the string is only skipped.
 */
int
jr_str(struct jr *r, struct buf *out)
{
	char scratch[4], *w = scratch;

	if (r->p >= r->end || *r->p != '"')
		return -1;
	r->p++;
	if (out != NULL) {
		buf_reserve(out, (size_t)(r->end - r->p));
		w = out->p + out->len;
	}
	while (r->p < r->end) {
		const char *q = jr_span_plain(r->p, r->end);
		if (out != NULL) {
			memcpy(w, r->p, (size_t)(q - r->p));
			w += q - r->p;
		}
		r->p = q;
		if (q >= r->end)
			break;
		if (*q == '"') {
			r->p++;
			if (out != NULL) {
				out->len = (size_t)(w - out->p);
				out->p[out->len] = '\0';
			}
			return 0;
		}
		r->p++;
		if (r->p >= r->end)
			break;
		char c = *r->p++;
		unsigned u;
		switch (c) {
		case 'n': c = '\n'; break;
		case 't': c = '\t'; break;
		case 'r': c = '\r'; break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case '"': case '\\': case '/': break;
		case 'u':
			if (hex4(r, &u) != 0)
				goto bad;
			if (u >= 0xd800 && u < 0xdc00 && r->end - r->p >= 6 &&
			    r->p[0] == '\\' && r->p[1] == 'u') {
				unsigned lo;
				r->p += 2;
				if (hex4(r, &lo) != 0)
					goto bad;
				if (lo >= 0xdc00 && lo < 0xe000)
					u = 0x10000 + ((u - 0xd800) << 10) +
					    (lo - 0xdc00);
				else
					u = 0xfffd;
			} else if (u >= 0xd800 && u < 0xe000) {
				u = 0xfffd;
			}
			if (out != NULL)
				w = utf8_at(w, u);
			continue;
		default:
			goto bad;
		}
		if (out != NULL)
			*w++ = c;
	}
bad:
	if (out != NULL) {
		out->len = (size_t)(w - out->p);
		out->p[out->len] = '\0';
	}
	return -1;
}

int
jr_skip(struct jr *r)
{
	int depth = 0;

	jr_ws(r);
	do {
		if (r->p >= r->end)
			return -1;
		char c = *r->p;
		if (c == '"') {
			if (jr_str(r, NULL) != 0)
				return -1;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
			depth--;
		else if (depth == 0 && (c == ',' || c == ' '))
			return 0;
		r->p++;
	} while (depth > 0 || (r->p < r->end && *r->p != ',' && *r->p != '}'));
	return depth == 0 ? 0 : -1;
}

int
jr_object(struct jr *r, struct buf *key, jr_member_fn *fn, void *arg)
{
	jr_ws(r);
	if (r->p >= r->end || *r->p != '{')
		return -1;
	r->p++;
	jr_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		jr_ws(r);
		key->len = 0;
		if (jr_str(r, key) != 0)
			return -1;
		jr_ws(r);
		if (r->p >= r->end || *r->p != ':')
			return -1;
		r->p++;
		jr_ws(r);
		if (fn(arg, key->p, key->len, r) != 0)
			return -1;
		jr_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == '}') {
			r->p++;
			return 0;
		}
		return -1;
	}
}
