/*
 * fuzz_rules.c - libFuzzer target for the rule compiler: the input is read
 * as a rule file and as a bundle; errors are expected, crashes are not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "match.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;

	if (!init) {
		match_init();
		/*
		 * Rule errors are the expected outcome: the program's messages go
		 * to /dev/null, while file descriptor 2 stays for the sanitizers'
		 * and libFuzzer's reports.
		 */
		FILE *null = fopen("/dev/null", "w");
		if (null != NULL)
			stderr = null;
		init = 1;
	}
	struct ruleset *rs = rules_new();
	rules_add_text(rs, "fuzz.rules", (const char *)data, size);
	rules_compile(rs, rs->n);
	rules_free(rs);

	rs = rules_new();
	rules_add_bundle(rs, "fuzz.bundle", data, size);
	rules_compile(rs, rs->n);
	rules_free(rs);
	return 0;
}
