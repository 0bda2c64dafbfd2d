/*
 * fuzz_rules.c - libFuzzer target for the rule compiler: the input is read
 * as a rule file and as a bundle; errors are expected, crashes are not.
 * The prefilter uses its portable scanner: Hyperscan's compiler is not
 * ours to fuzz and would be nine tenths of every run; and a rule set that
 * compiles scans the input itself with it, so that the scanner meets
 * fuzzed literals and fuzzed text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "prefilter.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;

	if (!init) {
		setenv("GOERRFILT_PREFILTER", "bigram", 1);
		fz_quiet();
		match_init();
		init = 1;
	}
	struct ruleset *rs = rules_new();
	rules_add_text(rs, "fuzz.rules", (const char *)data, size);
	if (rules_compile(rs, rs->n) == 0 && rs->pf != NULL) {
		size_t words = pf_words(rs->pf);
		uint64_t *hits = calloc(words ? words : 1, sizeof(*hits));
		struct pf_matches ms = { 0 };
		if (hits != NULL) {
			pf_hits(rs->pf, (const char *)data, size, hits, &ms);
			pf_scan(rs->pf, (const char *)data, size, &ms);
		}
		pf_matches_free(&ms);
		free(hits);
	}
	rules_free(rs);

	rs = rules_new();
	rules_add_bundle(rs, "fuzz.bundle", data, size);
	rules_compile(rs, rs->n);
	rules_free(rs);
	return 0;
}
