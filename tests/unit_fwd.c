/*
 * unit_fwd.c - the Forward encoder and the msgpack cursor: RFC 3339 times
 * to EventTime, the exact bytes of an entry and a message, chunk ids, and
 * the cursor's integers, bounds and sticky errors.
 */
#include <stdio.h>
#include <string.h>

#include "fwd.h"
#include "mrd.h"
#include "util.h"

static int pass, fail;

#define CHECK(cond, ...) do { \
	if (cond) { pass++; } else { fail++; printf("unit_fwd.c:%d: FAIL ", __LINE__); \
	    printf(__VA_ARGS__); printf("\n"); } } while (0)

static void
times(void)
{
	static const struct { const char *s; long long sec; unsigned ns; } ok[] = {
		{ "2026-12-02T12:21:57.224378421Z", 1796214117, 224378421 },
		{ "1970-01-01T00:00:00Z", 0, 0 },
		{ "2026-12-02T14:21:57+02:00", 1796214117, 0 },
		{ "2026-12-02T10:21:57.1-02:00", 1796214117, 100000000 },
		{ "2026-12-02 12:21:57.5", 1796214117, 500000000 },
		{ "2024-02-29T00:00:00z", 1709164800, 0 },
		/* Digits past nanoseconds are cut, not rounded. */
		{ "2026-12-02T12:21:57.1234567899Z", 1796214117, 123456789 },
		/* journalctl -o short-iso's zone, which the event's time keeps */
		{ "2026-12-02T14:21:57+0200", 1796214117, 0 },
		{ "2026-12-02T12:21:57+0000", 1796214117, 0 },
	};
	static const char *const bad[] = {
		"2026-13-01T00:00:00Z", "garbage", "2026-12-02T12:21:57.Z",
		"1969-12-31T23:59:59Z", "2026-12-02T12:21:57Zjunk", "", "2026-12-02",
		"2026-12-02T12:21:57+02", "2026-12-02T12:21:57+02:0", "2026-12-02T12:21:57+020",
		"2026-12-02T12:21:57+2:00", "2026-12-02T12:21:57+24:00", "2026-12-02T12:21:57+02:00x",
	};
	uint64_t sec;
	uint32_t ns;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int rc = fwd_parse_time(ok[i].s, &sec, &ns);
		CHECK(rc == 0 && sec == (uint64_t)ok[i].sec && ns == ok[i].ns,
		    "%s: rc %d, %llu.%09u", ok[i].s, rc, (unsigned long long)sec, ns);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(fwd_parse_time(bad[i], &sec, &ns) != 0, "%s parsed", bad[i]);
}

static void
framing(void)
{
	struct buf b = { 0 }, m = { 0 };
	/* A record {"v":1}. */
	static const unsigned char rec[] = { 0x81, 0xa1, 'v', 0x01 };
	static const unsigned char want_entry[] = {
		0x92, 0xd7, 0x00, 0x6b, 0x10, 0x0d, 0x65, 0x0d, 0x5f, 0xbe, 0x35,
		0x81, 0xa1, 'v', 0x01,
	};

	fwd_entry(&b, 1796214117, 224378421, rec, sizeof(rec));
	CHECK(b.len == sizeof(want_entry) && memcmp(b.p, want_entry, b.len) == 0,
	    "entry bytes");
	fwd_message(&m, "t", b.p, b.len, 1, NULL);
	static const unsigned char head[] = { 0x93, 0xa1, 't', 0x91 };
	static const unsigned char tail[] = { 0x81, 0xa4, 's', 'i', 'z', 'e', 0x01 };
	CHECK(m.len == sizeof(head) + b.len + sizeof(tail) &&
	    memcmp(m.p, head, sizeof(head)) == 0 &&
	    memcmp(m.p + sizeof(head) + b.len, tail, sizeof(tail)) == 0,
	    "message bytes");

	char c1[FWD_CHUNK_LEN + 1], c2[FWD_CHUNK_LEN + 1];
	fwd_new_chunk(c1);
	fwd_new_chunk(c2);
	CHECK(strlen(c1) == FWD_CHUNK_LEN && strcmp(c1, c2) != 0 &&
	    strspn(c1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/") == 22 && strcmp(c1 + 22, "==") == 0,
	    "chunk ids %s %s", c1, c2);
	m.len = 0;
	fwd_message(&m, "t", b.p, b.len, 1, c1);
	CHECK(m.len > 0 && memchr(m.p, 'k', m.len) != NULL &&
	    memcmp(m.p + m.len - FWD_CHUNK_LEN, c1, FWD_CHUNK_LEN) == 0,
	    "chunk option last");
	buf_free(&b);
	buf_free(&m);
}

static void
cursor(void)
{
	struct mrd r;
	int64_t v;
	const char *s;
	size_t n;
	uint32_t k;

	static const unsigned char ints[] = {
		0x7f, 0xe0, 0xd0, 0x80, 0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0,
		0xcd, 0xff, 0xff, 0xcf, 0x80, 0, 0, 0, 0, 0, 0, 0,
	};
	mrd_init(&r, ints, sizeof(ints), 100);
	CHECK(mrd_int(&r, &v) == 0 && v == 127, "fixint %lld", (long long)v);
	CHECK(mrd_int(&r, &v) == 0 && v == -32, "negative fixint %lld", (long long)v);
	CHECK(mrd_int(&r, &v) == 0 && v == -128, "int8 %lld", (long long)v);
	CHECK(mrd_int(&r, &v) == 0 && v == INT64_MIN, "int64 %lld", (long long)v);
	CHECK(mrd_int(&r, &v) == 0 && v == 65535, "uint16 %lld", (long long)v);
	CHECK(mrd_int(&r, &v) != 0 && r.err == MRD_WRONG && r.err_off == 116,
	    "uint64 past INT64_MAX: err %d at %llu", r.err,
	    (unsigned long long)r.err_off);
	/* The error sticks. */
	CHECK(mrd_skip(&r) != 0 && r.err_off == 116, "sticky error");

	/* A 4 GiB string header in 5 bytes is short, not an allocation. */
	static const unsigned char big[] = { 0xdb, 0xff, 0xff, 0xff, 0xff, 'x' };
	mrd_init(&r, big, sizeof(big), 0);
	CHECK(mrd_str(&r, &s, &n) != 0 && r.err == MRD_SHORT, "huge string");
	static const unsigned char arr[] = { 0xdd, 0xff, 0xff, 0xff, 0xff, 0x01 };
	mrd_init(&r, arr, sizeof(arr), 0);
	CHECK(mrd_array(&r, &k) != 0 && r.err == MRD_SHORT, "huge array");
	static const unsigned char str[] = { 0xa3, 'a', 'b', 'c', 0xc0 };
	mrd_init(&r, str, sizeof(str), 0);
	CHECK(mrd_str(&r, &s, &n) == 0 && n == 3 && memcmp(s, "abc", 3) == 0 &&
	    mrd_peek(&r) == MRD_NIL && mrd_skip(&r) == 0 &&
	    mrd_peek(&r) == MRD_END, "fixstr then nil");
	static const unsigned char ext[] = { 0xd7, 0x00, 1, 2, 3, 4, 5, 6, 7, 8 };
	int8_t t;
	const unsigned char *p;
	mrd_init(&r, ext, sizeof(ext), 0);
	CHECK(mrd_ext(&r, &t, &p, &n) == 0 && t == 0 && n == 8 && p[7] == 8,
	    "fixext 8");
	unsigned char deep[100];
	memset(deep, 0x91, sizeof(deep));
	mrd_init(&r, deep, sizeof(deep), 0);
	CHECK(mrd_skip(&r) != 0 && r.err == MRD_WRONG, "nesting bound");
}

int
main(void)
{
	times();
	framing();
	cursor();
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
