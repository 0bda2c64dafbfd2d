/*
 * fuzz.h - what the fuzz targets share: the default rule set, compiled
 * once per process (libFuzzer calls a target millions of times, and
 * compiling 899 rules per input would be all it measured), and event
 * sinks that run every writer over each event so that the writers are
 * fuzzed with whatever the parsers produce.
 *
 * Each target includes this file once; everything here is static.
 */
#ifndef GOERRFILT_FUZZ_H
#define GOERRFILT_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"
#include "fwd.h"
#include "json.h"
#include "match.h"
#include "mpk.h"
#include "rules.h"

extern const unsigned char default_rules[];
extern const unsigned long default_rules_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ruleset *fz_rs;
static struct buf fz_out, fz_ent;

static inline void
fz_cleanup(void)
{
	rules_free(fz_rs);
	buf_free(&fz_out);
	buf_free(&fz_ent);
	match_done();
}

/*
 * The program's own messages (a malformed record, a rule error) are an
 * expected outcome: they go to /dev/null, while file descriptor 2 stays
 * for the sanitizers' and libFuzzer's reports.
 */
static inline void
fz_quiet(void)
{
	FILE *null = fopen("/dev/null", "w");

	if (null != NULL)
		stderr = null;
}

/* The default rules, once; backend "bigram" or NULL for the default. */
static inline const struct ruleset *
fz_rules(const char *backend)
{
	if (fz_rs != NULL)
		return fz_rs;
	if (backend != NULL)
		setenv("GOERRFILT_PREFILTER", backend, 1);
	fz_quiet();
	match_init();
	fz_rs = rules_new();
	if (rules_add_builtin(fz_rs, default_rules, default_rules_len) != 0 ||
	    rules_compile(fz_rs, 0) != 0)
		__builtin_trap();
	atexit(fz_cleanup);
	return fz_rs;
}

static inline void
fz_on_event(void *arg, struct event *ev)
{
	uint64_t sec;
	uint32_t nsec;

	(void)arg;
	fz_out.len = 0;
	json_event(&fz_out, ev);
	fz_out.len = 0;
	mpk_event(&fz_out, ev);
	/* The forward writer parses the event's time text. */
	fz_ent.len = 0;
	if (fwd_parse_time(ev->f[F_TIME], &sec, &nsec) != 0)
		sec = nsec = 0;
	fwd_entry(&fz_ent, sec, nsec, fz_out.p, fz_out.len);
}

static inline void
fz_on_raw(void *arg, const struct rawline *rl)
{
	(void)arg;
	fz_out.len = 0;
	json_rawline(&fz_out, 1, rl);
}

#endif
