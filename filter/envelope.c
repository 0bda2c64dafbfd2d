/*
 * envelope.c - docker json-file records and JSON log records (see
 * envelope.h).
 */
#include <string.h>

#include "envelope.h"
#include "jsonrd.h"

/* A record's key, where it stands in the line or decoded into env.key. */
struct key {
	const char *p;
	size_t n;
};

static int
key_is(const struct key *k, const char *name)
{
	return k->n == strlen(name) && memcmp(k->p, name, k->n) == 0;
}

/* An RFC 3339 time: "2024-05-01T12:00:00" at least. */
static int
rfc3339(const char *p, size_t n)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";

	if (n < sizeof(form) - 1)
		return 0;
	for (size_t i = 0; i < sizeof(form) - 1; i++) {
		const char c = p[i];
		if (form[i] == 'd' ? !(c >= '0' && c <= '9') :
		    form[i] == 'T' ? !(c == 'T' || c == ' ') : c != form[i])
			return 0;
	}
	return 1;
}

/*
 * A string value holds Go output when it starts with a panic or a
 * goroutine header, or carries a goroutine header on a line of its own: a
 * record whose message merely says "panic" is an ordinary log line.
 */
static int
holds_go(const char *p, size_t n)
{
	/* Every form below has a newline: most values are one line. */
	if (memchr(p, '\n', n) == NULL)
		return 0;
	if (n >= 7 && memcmp(p, "panic: ", 7) == 0 && memmem(p, n, "\ngoroutine ", 11))
		return 1;
	if (n >= 13 && memcmp(p, "fatal error: ", 13) == 0 &&
	    memmem(p, n, "\ngoroutine ", 11))
		return 1;
	if (n >= 12 && memcmp(p, "goroutine ", 10) == 0 && p[10] >= '0' &&
	    p[10] <= '9' && memmem(p, n, "]:\n", 3) != NULL)
		return 1;
	const char *g = memmem(p, n, "\ngoroutine ", 11);
	return g != NULL && memmem(g, n - (size_t)(g - p), "]:\n", 3) != NULL;
}

/* A record's value that holds Go output joins the record's Go text. */
static void
add_go(struct env *v, const char *p, size_t n)
{
	if (!holds_go(p, n))
		return;
	if (v->go.len > 0 && v->go.p[v->go.len - 1] != '\n')
		buf_addc(&v->go, '\n');
	buf_add(&v->go, p, n);
}

enum env_kind
env_decode(struct env *v, const char *s, size_t n)
{
	struct jr r = { s, s + n };
	int has_log = 0, has_docker = 0;

	v->log.len = v->stream.len = v->time.len = v->go.len = 0;
	/*
	 * Only a docker record (a "log" key) or a value with a newline (an
	 * escape: a line holds no raw newline) can be anything but ENV_NONE,
	 * and "log" written with escapes needs a backslash too.  Most log
	 * records have neither and cost two scans instead of a decode.
	 */
	if (memchr(s, '\\', n) == NULL &&
	    mem_find_by(s, n, "\"log\"", 5, 3) == NULL)
		return ENV_NONE;
	jr_ws(&r);
	if (r.p >= r.end || *r.p++ != '{')
		return ENV_NONE;
	for (;;) {
		jr_ws(&r);
		if (r.p < r.end && *r.p == '}')
			break;
		/* A key without escapes is compared where it stands. */
		const char *kq = r.p + 1, *ke = NULL;
		if (r.p < r.end && *r.p == '"')
			ke = memchr(kq, '"', (size_t)(r.end - kq));
		struct key key = { kq, ke != NULL ? (size_t)(ke - kq) : 0 };
		if (ke != NULL && memchr(kq, '\\', key.n) == NULL) {
			r.p = ke + 1;
		} else {
			v->key.len = 0;
			if (jr_str(&r, &v->key) != 0)
				return ENV_NONE;
			key.p = v->key.p ? v->key.p : "";
			key.n = v->key.len;
		}
		jr_ws(&r);
		if (r.p >= r.end || *r.p++ != ':')
			return ENV_NONE;
		jr_ws(&r);
		if (r.p < r.end && *r.p == '"' && key_is(&key, "log")) {
			/* docker's text: decoded in place, it is most of the record */
			v->log.len = 0;
			if (jr_str(&r, &v->log) != 0)
				return ENV_NONE;
			if (v->log.p == NULL)
				buf_reset_to(&v->log, "", 0);
			has_log = 1;
		} else if (r.p < r.end && *r.p == '"' && key_is(&key, "stream")) {
			v->stream.len = 0;
			if (jr_str(&r, &v->stream) != 0)
				return ENV_NONE;
			has_docker = 1;
		} else if (r.p < r.end && *r.p == '"') {
			v->val.len = 0;
			if (jr_str(&r, &v->val) != 0)
				return ENV_NONE;
			const char *p = v->val.p ? v->val.p : "";
			if ((key_is(&key, "time") || key_is(&key, "ts") ||
			    key_is(&key, "timestamp") ||
			    key_is(&key, "@timestamp")) && rfc3339(p, v->val.len)) {
				if (key_is(&key, "time"))
					has_docker = 1;
				buf_reset_to(&v->time, p, v->val.len);
			} else {
				add_go(v, p, v->val.len);
			}
		} else if (jr_skip(&r) != 0) {
			return ENV_NONE;
		}
		jr_ws(&r);
		if (r.p < r.end && *r.p == ',') {
			r.p++;
			continue;
		}
		if (r.p < r.end && *r.p == '}')
			break;
		return ENV_NONE;
	}
	if (has_log && has_docker)
		return ENV_DOCKER;
	if (has_log && holds_go(v->log.p, v->log.len))
		buf_reset_to(&v->go, v->log.p, v->log.len);
	return v->go.len > 0 ? ENV_RECORD : ENV_NONE;
}

/*
 * A Go-quoted string (strconv.Quote, which slog's TextHandler and fmt's %q
 * use) from p, the byte after its opening quote, into out; returns the
 * byte after the closing quote, or NULL when the line ends first.
 */
static const char *
unquote(const char *p, const char *end, struct buf *out)
{
	static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";

	while (p < end && *p != '"') {
		const char *q = jr_span_plain(p, end);
		buf_add(out, p, (size_t)(q - p));
		p = q;
		if (p >= end || *p == '"')
			break;
		if (++p >= end)
			return NULL;
		const char *m = memchr(from, *p, sizeof(from) - 1);
		if (m != NULL) {
			buf_addc(out, to[m - from]);
			p++;
			continue;
		}
		const int w = *p == 'x' ? 2 : *p == 'u' ? 4 : *p == 'U' ? 8 : 0;
		unsigned c = 0;
		if (w == 0 || end - p <= w)
			return NULL;
		for (int i = 1; i <= w; i++) {
			const int h = jr_hexval((unsigned char)p[i]);
			if (h < 0)
				return NULL;
			c = c << 4 | (unsigned)h;
		}
		if (w == 2)
			buf_addc(out, (char)c);
		else
			jr_put_utf8(out, c > 0x10ffff ? 0xfffd : c);
		p += w + 1;
	}
	return p < end ? p + 1 : NULL;
}

enum env_kind
env_logfmt(struct env *v, const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	v->time.len = v->go.len = 0;
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		const char *k = p;
		while (p < end && *p != '=' && *p != ' ' && *p != '"')
			p++;
		if (p >= end || *p != '=' || p == k)
			return ENV_NONE;
		const size_t kn = (size_t)(p - k);
		const char *val;
		size_t vn;
		if (++p < end && *p == '"') {
			v->val.len = 0;
			p = unquote(p + 1, end, &v->val);
			if (p == NULL)
				return ENV_NONE;
			val = v->val.p ? v->val.p : "";
			vn = v->val.len;
		} else {
			val = p;
			while (p < end && *p != ' ')
				p++;
			vn = (size_t)(p - val);
		}
		const struct key key = { k, kn };
		if ((key_is(&key, "time") || key_is(&key, "ts")) &&
		    rfc3339(val, vn))
			buf_reset_to(&v->time, val, vn);
		else
			add_go(v, val, vn);
	}
	return v->go.len > 0 ? ENV_RECORD : ENV_NONE;
}

void
env_free(struct env *v)
{
	buf_free(&v->log);
	buf_free(&v->stream);
	buf_free(&v->time);
	buf_free(&v->go);
	buf_free(&v->key);
	buf_free(&v->val);
}
