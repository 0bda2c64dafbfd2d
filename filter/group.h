/*
 * group.h - --group: one summary record per fingerprint instead of one
 * event per failure, for triaging a stream of many crashes.  The set owns
 * copies of what it keeps; memory grows with the number of distinct
 * fingerprints (at most GROUP_MAX; later new ones are counted as dropped),
 * not with the input.
 */
#ifndef GOERRFILT_GROUP_H
#define GOERRFILT_GROUP_H

#include <stdint.h>

#include "event.h"
#include "util.h"

#define GROUP_MAX 100000

struct group {
	const char *fingerprint, *class_, *kind, *phase, *rule, *msg;
	const char *pkg, *file, *func;
	uint64_t count;
	uint64_t first_line, last_line;     /* of the first and the last event */
	uint64_t order;                     /* first seen */
};

struct group_set;

struct group_set *group_new(void);
void group_add(struct group_set *g, const struct event *ev);
/* The groups, most frequent first (ties: first seen first). */
const struct group *group_sorted(struct group_set *g, size_t *n,
    uint64_t *dropped);
void group_free(struct group_set *g);

void group_json(struct buf *out, uint64_t seq, const struct group *gr);
void group_text(struct buf *out, const struct group *gr, int colour);

#endif
