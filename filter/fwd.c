/*
 * fwd.c - Fluent Forward message encoding (see fwd.h).
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "fwd.h"
#include "mpk.h"

static int
digits(const char *s, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int
fwd_parse_time(const char *s, uint64_t *sec, uint32_t *nsec)
{
	int y, mo, d, h, mi, se;

	if (s == NULL || strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	const char *p = s + 19;
	uint32_t ns = 0;
	if (*p == '.' || *p == ',') {
		int k = 0;
		for (p++; *p >= '0' && *p <= '9'; p++, k++)
			if (k < 9)
				ns = ns * 10 + (uint32_t)(*p - '0');
		if (k == 0)
			return -1;
		for (; k < 9; k++)
			ns *= 10;
	}
	int64_t off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		/* +hh:mm, or +hhmm as journalctl -o short-iso writes it */
		int oh, om;
		const int colon = p[1] != '\0' && p[2] != '\0' && p[3] == ':';
		if (digits(p + 1, 2, &oh) || digits(p + 3 + colon, 2, &om) ||
		    oh > 23 || om > 59)
			return -1;
		off = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 5 + colon;
	}
	if (*p != '\0')
		return -1;
	int64_t t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + se - off;
	if (t < 0 || t > 0xffffffffLL)
		return -1;
	*sec = (uint64_t)t;
	*nsec = ns;
	return 0;
}

void
fwd_time_for(const char *time_text, uint64_t *sec, uint32_t *nsec)
{
	struct timespec ts;

	if (time_text != NULL && fwd_parse_time(time_text, sec, nsec) == 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	*sec = (uint64_t)ts.tv_sec;
	*nsec = (uint32_t)ts.tv_nsec;
}

void
fwd_entry(struct buf *out, uint64_t sec, uint32_t nsec, const void *rec,
    size_t len)
{
	unsigned char t[8];

	for (int i = 0; i < 4; i++) {
		t[i] = (unsigned char)(sec >> (24 - 8 * i));
		t[4 + i] = (unsigned char)(nsec >> (24 - 8 * i));
	}
	mpk_put_array(out, 2);
	mpk_put_ext(out, 0, t, sizeof(t));
	buf_add(out, rec, len);
}

void
fwd_message(struct buf *out, const char *tag, const void *entries,
    size_t len, uint32_t n, const char *chunk)
{
	mpk_put_array(out, 3);
	mpk_put_str(out, tag, strlen(tag));
	mpk_put_array(out, n);
	buf_add(out, entries, len);
	mpk_put_map(out, chunk != NULL ? 2 : 1);
	mpk_put_str(out, "size", 4);
	mpk_put_uint(out, n);
	if (chunk != NULL) {
		mpk_put_str(out, "chunk", 5);
		mpk_put_str(out, chunk, strlen(chunk));
	}
}

void
fwd_new_chunk(char *id)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static uint64_t counter;
	unsigned char r[18];

	/*
	 * Random bytes make ids unique across runs; without getrandom the
	 * time, the pid and a counter still make them unique in this one.
	 */
	if (getrandom(r, 16, GRND_NONBLOCK) != 16) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t a = (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 32);
		uint64_t b = (uint64_t)ts.tv_nsec ^ ++counter;
		memcpy(r, &a, 8);
		memcpy(r + 8, &b, 8);
	}
	r[16] = r[17] = 0;
	/* 16 bytes are five 3-byte groups and one byte: 22 digits, "==". */
	int k = 0;
	for (int i = 0; i < 18; i += 3) {
		uint32_t v = (uint32_t)r[i] << 16 | (uint32_t)r[i + 1] << 8 | r[i + 2];
		for (int j = 3; j >= 0; j--)
			id[k++] = b64[(v >> (6 * j)) & 63];
	}
	id[22] = id[23] = '=';
	id[FWD_CHUNK_LEN] = '\0';
}
