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
#include "fwd.h"
#include "json.h"
#include "mpk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct buf out, ent;

static void
on_event(void *arg, struct event *ev)
{
	uint64_t sec;
	uint32_t nsec;

	(void)arg;
	out.len = 0;
	json_event(&out, ev);
	out.len = 0;
	mpk_event(&out, ev);
	/* The forward writer parses the event's time text. */
	ent.len = 0;
	if (fwd_parse_time(ev->f[F_TIME], &sec, &nsec) != 0)
		sec = nsec = 0;
	fwd_entry(&ent, sec, nsec, out.p, out.len);
}

static void
on_raw(void *arg, const struct rawline *rl)
{
	(void)arg;
	out.len = 0;
	json_rawline(&out, 1, rl);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	const struct emit em = { on_event, on_raw, NULL, NULL };

	if (!init) {
		/* Decode errors go to /dev/null; fd 2 stays for the sanitizers. */
		FILE *null = fopen("/dev/null", "w");
		if (null != NULL)
			stderr = null;
		init = 1;
	}
	dec_mem("fuzz", data, size, &em);
	return 0;
}
