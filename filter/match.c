/*
 * match.c - Oniguruma behind a small interface (see match.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <oniguruma.h>

#include "match.h"
#include "util.h"

/*
 * A few hundred thousand backtracking steps are far more than any sane rule
 * needs on one line and still stop a runaway pattern within milliseconds.
 */
#define RETRY_LIMIT_MATCH  200000UL
#define RETRY_LIMIT_SEARCH 2000000UL

struct re {
	regex_t *rx;
	OnigRegion *region;
	OnigMatchParam *mp;
	int anchored;       /* every match starts at a line start */
};

/*
 * Whether a pattern starts with ^ that binds all of it (no | outside a
 * group).  Such a pattern can only match at the start of a one-line
 * subject, where onig_match tries one position; onig_search would walk
 * the whole line looking for line starts.
 */
int
re_line_anchored(const char *p, size_t len)
{
	int depth = 0;

	if (len == 0 || p[0] != '^')
		return 0;
	for (size_t i = 1; i < len; i++) {
		switch (p[i]) {
		case '\\':
			i++;
			break;
		case '[': {
			/* A class: ] right after [ or [^ is a member; classes nest. */
			int cd = 1;
			i++;
			if (i < len && p[i] == '^')
				i++;
			if (i < len && p[i] == ']')
				i++;
			for (; i < len && cd > 0; i++) {
				if (p[i] == '\\')
					i++;
				else if (p[i] == '[')
					cd++;
				else if (p[i] == ']')
					cd--;
			}
			i--;
			break;
		}
		case '(':
			depth++;
			break;
		case ')':
			depth--;
			break;
		case '|':
			if (depth == 0)
				return 0;
			break;
		}
	}
	return 1;
}

static OnigEncoding enc_list[1];

void
match_init(void)
{
	enc_list[0] = ONIG_ENCODING_ASCII;
	onig_initialize(enc_list, 1);
}

void
match_done(void)
{
	onig_end();
}

struct re *
re_compile(const char *pat, size_t len, char *err, size_t errlen)
{
	OnigErrorInfo einfo;
	regex_t *rx;
	int rc;

	rc = onig_new(&rx, (const OnigUChar *)pat, (const OnigUChar *)pat + len,
	    ONIG_OPTION_NONE, ONIG_ENCODING_ASCII,
	    ONIG_SYNTAX_RUBY, &einfo);
	if (rc != ONIG_NORMAL) {
		OnigUChar msg[ONIG_MAX_ERROR_MESSAGE_LEN];
		onig_error_code_to_str(msg, rc, &einfo);
		snprintf(err, errlen, "%s", (const char *)msg);
		return NULL;
	}
	if (onig_number_of_captures(rx) + 1 > RE_MAXCAP) {
		snprintf(err, errlen, "too many capture groups (at most %d)",
		    RE_MAXCAP - 1);
		onig_free(rx);
		return NULL;
	}
	struct re *r = xcalloc(1, sizeof(*r));
	r->rx = rx;
	r->anchored = re_line_anchored(pat, len);
	r->region = onig_region_new();
	r->mp = onig_new_match_param();
	if (r->region == NULL || r->mp == NULL)
		die("out of memory");
	onig_initialize_match_param(r->mp);
	onig_set_retry_limit_in_match_of_match_param(r->mp, RETRY_LIMIT_MATCH);
	onig_set_retry_limit_in_search_of_match_param(r->mp, RETRY_LIMIT_SEARCH);
	return r;
}

void
re_free(struct re *r)
{
	if (r == NULL)
		return;
	onig_region_free(r->region, 1);
	onig_free_match_param(r->mp);
	onig_free(r->rx);
	free(r);
}

struct names_ctx {
	int (*fn)(const char *, size_t, int, void *);
	void *arg;
};

static int
names_cb(const OnigUChar *name, const OnigUChar *end, int ngroups,
    int *groups, regex_t *rx, void *arg)
{
	struct names_ctx *c = arg;

	(void)rx;
	for (int i = 0; i < ngroups; i++) {
		int rc = c->fn((const char *)name, (size_t)(end - name),
		    groups[i], c->arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
re_names(const struct re *r,
    int (*fn)(const char *, size_t, int, void *), void *arg)
{
	struct names_ctx c = { fn, arg };

	return onig_foreach_name(r->rx, names_cb, &c);
}

int
re_search(struct re *r, const char *s, size_t len, struct re_caps *caps)
{
	const OnigUChar *str = (const OnigUChar *)s;
	int rc;

	if (r->anchored && memchr(s, '\n', len) == NULL)
		rc = onig_match_with_param(r->rx, str, str + len, str, r->region,
		    ONIG_OPTION_NONE, r->mp);
	else
		rc = onig_search_with_param(r->rx, str, str + len, str, str + len,
		    r->region, ONIG_OPTION_NONE, r->mp);
	if (rc == ONIG_MISMATCH)
		return RE_NOMATCH;
	if (rc < 0)
		return RE_LIMIT;
	if (caps != NULL) {
		int n = r->region->num_regs;
		if (n > RE_MAXCAP)
			n = RE_MAXCAP;
		caps->n = n;
		for (int i = 0; i < n; i++) {
			caps->beg[i] = r->region->beg[i];
			caps->end[i] = r->region->end[i];
		}
	}
	return RE_MATCH;
}
