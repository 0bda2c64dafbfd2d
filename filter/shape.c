/*
 * shape.c - line prefix shapes (see shape.h).
 */
#include <string.h>

#include "shape.h"

/* Element codes; the bytes 0x01 and 0x02 never occur in a prefix we keep. */
#define SH_DIGITS 0x01  /* one or more ASCII digits */
#define SH_FRAC 0x02    /* an optional [.,] and one or more digits */

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

int
shape_make(struct shape *sh, const char *p, size_t n, long keep_a,
    long keep_b, long time_a, long time_b)
{
	size_t i = 0;

	memset(sh, 0, sizeof(*sh));
	sh->time_a = sh->time_b = -1;
	while (i < n) {
		const unsigned char c = (unsigned char)p[i];
		const int keep = keep_a >= 0 && (long)i >= keep_a && (long)i < keep_b;
		const int in_time = time_a >= 0 && (long)i >= time_a && (long)i < time_b;

		if (sh->n >= SHAPE_MAX - 1 || c < 0x03 || c == '\n')
			return -1;
		if (in_time && sh->time_a < 0)
			sh->time_a = sh->n;
		/* Fractions of seconds come and go: docker trims zeros, Go's log
		 * package has them only with Lmicroseconds. */
		if (!keep && (c == '.' || c == ',') && i > 0 &&
		    is_digit((unsigned char)p[i - 1]) && i + 1 < n &&
		    is_digit((unsigned char)p[i + 1])) {
			sh->el[sh->n++] = SH_FRAC;
			i++;
			while (i < n && is_digit((unsigned char)p[i]))
				i++;
		} else if (!keep && is_digit(c)) {
			sh->el[sh->n++] = SH_DIGITS;
			while (i < n && is_digit((unsigned char)p[i]))
				i++;
			/* A time's last field may gain a fraction on other lines. */
			if (i < n && (p[i] == ' ' || p[i] == 'Z' || p[i] == ']') &&
			    sh->n < SHAPE_MAX - 1)
				sh->el[sh->n++] = SH_FRAC;
		} else {
			sh->el[sh->n++] = c;
			i++;
		}
		if (in_time && time_b >= 0 && (long)i >= time_b)
			sh->time_b = sh->n;
	}
	if (sh->time_a >= 0 && sh->time_b < 0)
		sh->time_b = sh->n;
	return sh->n > 0 ? 0 : -1;
}

size_t
shape_match(const struct shape *sh, const char *s, size_t n, size_t *tb,
    size_t *te)
{
	size_t i = 0;

	for (int k = 0; k < sh->n; k++) {
		if (k == sh->time_a && tb != NULL)
			*tb = i;
		const unsigned char e = sh->el[k];
		if (e == SH_DIGITS) {
			if (i >= n || !is_digit((unsigned char)s[i]))
				return 0;
			while (i < n && is_digit((unsigned char)s[i]))
				i++;
		} else if (e == SH_FRAC) {
			if (i + 1 < n && (s[i] == '.' || s[i] == ',') &&
			    is_digit((unsigned char)s[i + 1])) {
				i++;
				while (i < n && is_digit((unsigned char)s[i]))
					i++;
			}
		} else if (i >= n && e == ' ' && i > 0) {
			/*
			 * A blank line whose trailing blanks an editor or a
			 * quoting tool stripped ("> " is ">" there): the shape
			 * ends in blanks only.
			 */
			while (k < sh->n && sh->el[k] == ' ')
				k++;
			return k == sh->n ? i : 0;
		} else if (i >= n || (unsigned char)s[i] != e) {
			return 0;
		} else {
			i++;
		}
		if (k + 1 == sh->time_b && te != NULL)
			*te = i;
	}
	return i;
}

int
shape_eq(const struct shape *a, const struct shape *b)
{
	return a->n == b->n && a->partial == b->partial &&
	    memcmp(a->el, b->el, (size_t)a->n) == 0;
}
