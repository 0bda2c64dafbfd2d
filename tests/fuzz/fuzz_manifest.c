/*
 * fuzz_manifest.c - libFuzzer target for the case manifest (case.conf):
 * arbitrary bytes are parsed as a manifest and every value it keeps is
 * read back.  goerrfilt-repro runs case folders other people wrote, so
 * whatever the bytes the parser must answer with a manifest or its
 * messages, without crashing or leaking.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct case_manifest m;
	size_t total = 0;

	manifest_parse("case.conf", (const char *)data, size, &m);
	for (int k = 0; k < MF_NKEYS; k++) {
		const char *v = manifest_val(&m, (enum mf_key)k);
		if (v != NULL)
			total += strlen(v);
		if (m.v[k] != NULL)
			total += strlen(m.v[k]);
	}
	for (int i = 0; i < m.errors && m.msg != NULL; i++)
		total += strlen(m.msg[i]);
	if (m.mode != MODE_BUILD && m.mode != MODE_RUN)
		__builtin_trap();
	manifest_free(&m);
	if (total == (size_t)-1)
		__builtin_trap();
	return 0;
}
