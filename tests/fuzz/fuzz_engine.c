/*
 * fuzz_engine.c - libFuzzer target for the input + matcher path: arbitrary
 * bytes go through the engine with the default rules, in two chunkings,
 * into both writers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine.h"
#include "input.h"
#include "json.h"
#include "match.h"
#include "mpk.h"
#include "rules.h"

extern const unsigned char default_rules[];
extern const unsigned long default_rules_len;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ruleset *rs;
static struct buf out;

static void
on_event(void *arg, struct event *ev)
{
	(void)arg;
	out.len = 0;
	json_event(&out, ev);
	out.len = 0;
	mpk_event(&out, ev);
}

static void
on_raw(void *arg, const struct rawline *rl)
{
	(void)arg;
	out.len = 0;
	json_rawline(&out, 1, rl);
}

static void
cleanup(void)
{
	rules_free(rs);
	buf_free(&out);
	match_done();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (rs == NULL) {
		match_init();
		rs = rules_new();
		if (rules_add_bundle(rs, "default", default_rules,
		    default_rules_len) != 0 || rules_compile(rs, 0) != 0)
			__builtin_trap();
		atexit(cleanup);
	}
	for (int pass = 0; pass < 2; pass++) {
		struct emit em = { on_event, pass ? on_raw : NULL, NULL, NULL };
		struct eng *e = eng_new(rs, &em);
		const char *p = (const char *)data, *end = p + size;
		/* Pass 0 feeds whole lines; pass 1 single lines via eng_line. */
		if (pass == 0) {
			eng_chunk(e, p, size);
		} else {
			while (p < end) {
				const char *nl = memchr(p, '\n', (size_t)(end - p));
				const char *le = nl ? nl : end;
				eng_line(e, p, (size_t)(le - p));
				p = nl ? nl + 1 : end;
			}
		}
		eng_flush(e);
		eng_free(e);
	}
	/*
	 * And through the input layer, as goerrfilt reads a file: line
	 * splitting, long lines, and zstd (a seed starts with its magic).
	 */
	int fd = memfd_create("fuzz", 0);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size) {
			char path[64];
			struct emit em = { on_event, on_raw, NULL, NULL };
			struct in_opts io = { -1, 0, NULL, NULL, NULL };
			struct uw *e = uw_new(rs, &em);
			snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
			in_run(path, e, &io);
			uw_flush(e);
			uw_free(e);
		}
		close(fd);
	}
	return 0;
}
