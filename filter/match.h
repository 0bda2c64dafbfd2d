/*
 * match.h - the regex engine behind the rules.  This module is the only one
 * that includes oniguruma.h; the rest of the program sees struct re as an
 * opaque compiled pattern and struct re_caps as a list of (start, end)
 * offsets per capture group.
 *
 * Patterns use Oniguruma's Ruby syntax over bytes (ASCII encoding), so any
 * input, invalid UTF-8 and NUL bytes included, is safe to search.  Every
 * search is bounded by a retry limit: a pattern that backtracks
 * catastrophically fails with RE_LIMIT instead of hanging.
 */
#ifndef GOERRFILT_MATCH_H
#define GOERRFILT_MATCH_H

#include <stddef.h>

struct re;

#define RE_MAXCAP 32

struct re_caps {
	int n;                      /* groups + 1 (group 0 is the whole match) */
	long beg[RE_MAXCAP], end[RE_MAXCAP]; /* -1 when the group did not take part */
};

enum { RE_NOMATCH = 0, RE_MATCH = 1, RE_LIMIT = -1 };

void match_init(void);
void match_done(void);

/* Compiles pat; on error returns NULL and writes Oniguruma's message to err. */
struct re *re_compile(const char *pat, size_t len, char *err, size_t errlen);
void re_free(struct re *r);

/* Calls fn for every named group: its name and group number. */
int re_names(const struct re *r,
    int (*fn)(const char *name, size_t len, int group, void *arg), void *arg);

/*
 * Whether the pattern text starts with ^ that binds all of it (no |
 * outside a group): read from the text, not the compiled pattern.
 */
int re_line_anchored(const char *p, size_t len);

/* Searches s[0..len); fills caps when non-NULL. */
int re_search(struct re *r, const char *s, size_t len, struct re_caps *caps);

#endif
