/*
 * fuzz_decode.c - libFuzzer target for --decode: arbitrary bytes are read
 * as a msgpack / Fluent Forward stream, and every event decoded from them
 * goes through the JSON, msgpack and forward writers.  Errors are the
 * expected outcome; crashes, leaks and unbounded allocation are not.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode.h"

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	const struct emit em = { fz_on_event, fz_on_raw, NULL, NULL };

	if (!init) {
		fz_quiet();
		init = 1;
	}
	dec_mem("fuzz", data, size, &em);
	return 0;
}
