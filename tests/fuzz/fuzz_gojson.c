/*
 * fuzz_gojson.c - libFuzzer target for go build -json / go test -json
 * streams: each line goes to the demultiplexer (Output reassembly per
 * package and test, sub-engines, test trackers); lines it declines go to
 * a plain engine as the unwrap stage would hand them on.  The envelope
 * context changes with the line number so streams and times are fuzzed.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gojson.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const streams[] = { "", "stdout", "stderr" };
	static const char *const times[] = { "", "2026-12-04T01:02:03.456Z",
	    "garbage" };
	const struct ruleset *rs = fz_rules(NULL);
	const struct emit em = { fz_on_event, fz_on_raw, NULL, NULL };
	const char *p = (const char *)data, *end = p + size;
	struct gojson *g = gojson_new(rs, &em);
	struct eng *e = eng_new(rs, &em);
	uint64_t lineno = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t k = (size_t)(lineno % 3);
		lineno++;
		gojson_context(g, streams[k], strlen(streams[k]), times[k],
		    strlen(times[k]));
		if (!gojson_line(g, p, (size_t)(le - p), lineno))
			eng_line(e, p, (size_t)(le - p));
		if (lineno % 64 == 0)
			gojson_flush(g);
		p = nl ? nl + 1 : end;
	}
	gojson_end(g);
	eng_flush(e);
	gojson_free(g);
	eng_free(e);
	return 0;
}
