/*
 * fuzz_unwrap.c - libFuzzer target for the envelope stage: line prefixes
 * (time stamps, compose services, kubectl tags, CI runners, syslog, Go's
 * log package), learned prefixes, JSON envelopes (docker json-file, log
 * records), CRI partial lines, go -json demultiplexing and interleaved
 * streams.  The input goes through uw_chunk in chunks of as many whole
 * lines as its first byte says, then line by line through uw_line with a
 * new input file half-way; and each line through the envelope decoders
 * themselves.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "envelope.h"
#include "unwrap.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ruleset *rs = fz_rules(NULL);
	const struct emit em = { fz_on_event, fz_on_raw, NULL, NULL };
	const char *p = (const char *)data, *end = p + size;

	/* Whole lines in chunks of up to 1 + (first byte & 15) lines. */
	struct uw *u = uw_new(rs, &em);
	size_t per = size > 0 ? 1 + (data[0] & 15) : 1;
	while (p < end) {
		const char *q = p;
		for (size_t k = 0; k < per && q < end; k++) {
			const char *nl = memchr(q, '\n', (size_t)(end - q));
			q = nl ? nl + 1 : end;
		}
		uw_chunk(u, p, (size_t)(q - p));
		p = q;
	}
	uw_end(u);
	uw_free(u);

	/* Line by line, with a second input file half-way. */
	u = uw_new(rs, &em);
	struct env v = { 0 };
	const char *mid = (const char *)data + size / 2;
	int switched = 0;
	for (p = (const char *)data; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (!switched && p >= mid) {
			uw_flush(u);
			uw_new_input(u);
			switched = 1;
		}
		uw_line(u, p, (size_t)(le - p));
		env_decode(&v, p, (size_t)(le - p));
		env_logfmt(&v, p, (size_t)(le - p));
		p = nl ? nl + 1 : end;
	}
	uw_end(u);
	uw_free(u);
	env_free(&v);
	return 0;
}
