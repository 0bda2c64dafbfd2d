/*
 * fuzz_engine.c - libFuzzer target for the input layer and the engine
 * behind it: arbitrary bytes are read as goerrfilt reads a file (line
 * splitting, lines past IN_MAXLINE, zstd when a seed starts with its
 * magic) through the unwrap stage into the engine; every event goes
 * through the JSON, msgpack and forward writers.  The fuzz build makes
 * IN_MAXLINE and the engine's line limit 2 KB, so that inputs reach them.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "input.h"
#include "unwrap.h"

#include "fuzz.h"

static int fz_fd = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ruleset *rs = fz_rules(NULL);
	const struct emit em = { fz_on_event, fz_on_raw, NULL, NULL };

	/* One memory file for the whole run: in_run reads it by name. */
	if (fz_fd < 0 && (fz_fd = memfd_create("fuzz", 0)) < 0)
		__builtin_trap();
	if (ftruncate(fz_fd, 0) != 0 || pwrite(fz_fd, data, size, 0) !=
	    (ssize_t)size)
		__builtin_trap();
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fz_fd);
	struct in_opts io = { -1, 0, NULL, NULL, NULL };
	struct uw *u = uw_new(rs, &em);
	in_run(path, u, &io);
	uw_end(u);
	uw_free(u);

	return 0;
}
