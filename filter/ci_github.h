/*
 * ci_github.h - the ranked view of a report's events that -f github
 * annotates and -f markdown tabulates: one group per fingerprint, in the
 * order a reader fixes things (build and vet errors first, then crashes and
 * races, then test failures), input order within a rank.  Implemented in
 * ci_github.c.
 */
#ifndef GOERRFILT_CI_GITHUB_H
#define GOERRFILT_CI_GITHUB_H

#include <stddef.h>

#include "report.h"

enum gh_rankno { GH_BUILD, GH_CRASH, GH_TEST, GH_OTHER, GH_NRANK };

struct gh_group {
	const struct event *ev;     /* the first occurrence */
	size_t count;               /* events with its fingerprint */
	enum gh_rankno rank;
};

/* The classes in rank order, NULL-terminated. */
extern const char *const gh_classes[];

/* The list's events as ranked groups, *n of them; the caller frees them. */
struct gh_group *gh_rank(const struct evlist *l, size_t *n);
enum gh_rankno gh_rank_of(const char *cls);

#endif
