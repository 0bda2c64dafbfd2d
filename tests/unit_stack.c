/*
 * unit_stack.c - unit tests of the traceback parser (filter/stack.h:
 * stack.c and the stack files beside it).
 *
 * The inputs are real outputs of Go 1.24.4 (linux/amd64), captured from
 * small programs (named above each literal) and cut to excerpts where
 * long; a few synthetic lines cover forms that other Go versions print.
 * Prints one line per failed check and "N passed, M failed" last; exits 1
 * when a check failed.
 *
 * "unit_stack --bench FILE [REPEAT [split]]" instead feeds FILE through
 * stk_begin/stk_feed/stk_finish (a new block at every STK_END) and prints
 * the throughput; with "split" it only reads and splits lines (the
 * baseline to subtract).  "unit_stack --trace FILE" prints each line with
 * B (a block begins) or T (taken) and what each block gave.
 */
#define _POSIX_C_SOURCE 200809L	/* getline, clock_gettime */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../filter/event.h"
#include "../filter/stack.h"
#include "../filter/util.h"

static int npass, nfail;
static struct stk *S;
static struct arena A;

static void
check(int ok, int line, const char *what)
{
	if (ok) {
		npass++;
		return;
	}
	nfail++;
	printf("unit_stack.c:%d: FAIL %s\n", line, what);
}

static void
check_str(const char *got, const char *want, int line, const char *what)
{
	int ok = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	if (ok) {
		npass++;
		return;
	}
	nfail++;
	printf("unit_stack.c:%d: FAIL %s: got %s%s%s, want %s%s%s\n", line,
	    what, got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
	    want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
}

static void
check_long(long got, long want, int line, const char *what)
{
	if (got == want) {
		npass++;
		return;
	}
	nfail++;
	printf("unit_stack.c:%d: FAIL %s: got %ld, want %ld\n", line, what,
	    got, want);
}

#define CHECK(c)		check((c), __LINE__, #c)
#define CHECK_STR(got, want)	check_str((got), (want), __LINE__, #got)
#define CHECK_INT(got, want)	check_long((long)(got), (long)(want), \
				    __LINE__, #got)

struct run {
	struct event ev;
	int nlines;	/* lines in the input */
	int taken;	/* lines in the block, headline included */
};

/*
 * Feeds text as the engine does: the first line to stk_begin, the next
 * ones to stk_feed until STK_END, then stk_finish.  class and kind stand
 * for what the headline rule would have set.
 */
static void
run_ck(struct run *r, const char *text, const char *class, const char *kind)
{
	const char *p = text, *e = text + strlen(text);
	int ended = 0;

	arena_reset(&A);
	memset(&r->ev, 0, sizeof(r->ev));
	r->ev.recovered = -1;
	r->ev.f[F_CLASS] = class;
	r->ev.f[F_KIND] = kind;
	r->nlines = r->taken = 0;
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(e - p);
		if (r->nlines++ == 0) {
			stk_begin(S, p, n);
			r->taken = 1;
		} else if (!ended) {
			if (stk_feed(S, p, n) == STK_TAKE)
				r->taken++;
			else
				ended = 1;
		}
		p = nl != NULL ? nl + 1 : e;
	}
	stk_finish(S, &r->ev, &A);
}

static void
run(struct run *r, const char *text)
{
	run_ck(r, text, "panic", "x");
}

/* The fingerprint of a text, copied out of the arena. */
static const char *
fp_of(const char *text, const char *class, const char *kind, char out[17])
{
	struct run r;

	run_ck(&r, text, class, kind);
	snprintf(out, 17, "%s", r.ev.f[F_FINGERPRINT] ?
	    r.ev.f[F_FINGERPRINT] : "");
	return out;
}

static const struct bucket *
bucket_with(const struct event *ev, const char *state)
{
	for (int i = 0; i < ev->ngr; i++)
		if (strcmp(ev->gr[i].state, state) == 0)
			return &ev->gr[i];
	return NULL;
}

static long
sum_counts(const struct event *ev)
{
	long n = 0;

	for (int i = 0; i < ev->ngr; i++)
		n += ev->gr[i].count;
	return n;
}

/* text with every "old" replaced by "new", malloc'ed. */
static char *
replace(const char *text, const char *old, const char *new)
{
	size_t n = strlen(text), no = strlen(old), nn = strlen(new);
	char *o = xmalloc(n * (nn > no ? nn / no + 2 : 1) + 1), *q = o;

	for (const char *p = text; *p != '\0';) {
		if (strncmp(p, old, no) == 0) {
			memcpy(q, new, nn);
			q += nn;
			p += no;
		} else
			*q++ = *p++;
	}
	*q = '\0';
	return o;
}

/* go run ./nilderef (go1.24.4): method on a nil *T, inlined */
static const char nilderef_out[] =
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x468f61]\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.(*T).get(...)\n"
    "\t/tmp/stk/nilderef/main.go:5\n"
    "main.load(0x46f9a0?)\n"
    "\t/tmp/stk/nilderef/main.go:8 +0x1\n"
    "main.main()\n"
    "\t/tmp/stk/nilderef/main.go:12 +0x15\n"
    "exit status 2\n";

/* go run ./idx: index out of range in a generic function */
static const char idx_out[] =
    "panic: runtime error: index out of range [5] with length 3\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.at[...](...)\n"
    "\t/tmp/stk/idx/main.go:5\n"
    "main.main()\n"
    "\t/tmp/stk/idx/main.go:9 +0x18\n"
    "exit status 2\n";

/* go run -gcflags=all=-l ./idx: same crash, no inlining: args shown */
static const char idx_l_out[] =
    "panic: runtime error: index out of range [5] with length 3\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.at[...]({0xc000084f40?, 0xc000084f68?, 0x40dd14?}, 0xc00007e050?)\n"
    "\t/tmp/stk/idx/main.go:5 +0x25\n"
    "main.main()\n"
    "\t/tmp/stk/idx/main.go:9 +0x47\n"
    "exit status 2\n";

/* go run ./multi: panic(errors.New("...\\n...")), a multi-line value */
static const char multi_out[] =
    "panic: config invalid:\n"
    "\t  field name: empty\n"
    "\t  field port: 0\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.check(...)\n"
    "\t/tmp/stk/multi/main.go:8\n"
    "main.main()\n"
    "\t/tmp/stk/multi/main.go:11 +0x3f\n"
    "exit status 2\n";

/* go run ./repanic: nil map write recovered and re-panicked */
static const char repanic_out[] =
    "panic: assignment to entry in nil map [recovered]\n"
    "\tpanic: wrapped: assignment to entry in nil map\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.work.func1()\n"
    "\t/tmp/stk/repanic/main.go:8 +0x5f\n"
    "panic({0x4a0940?, 0x5590e0?})\n"
    "\t/usr/lib/go-1.24/src/runtime/panic.go:792 +0x132\n"
    "main.work()\n"
    "\t/tmp/stk/repanic/main.go:12 +0x45\n"
    "main.main()\n"
    "\t/tmp/stk/repanic/main.go:15 +0xf\n"
    "exit status 2\n";

/* go run ./deadlock: main blocked on a channel, a goroutine on a mutex */
static const char deadlock_out[] =
    "fatal error: all goroutines are asleep - deadlock!\n"
    "\n"
    "goroutine 1 [chan receive]:\n"
    "main.main()\n"
    "\t/tmp/stk/deadlock/main.go:9 +0x7a\n"
    "\n"
    "goroutine 17 [sync.Mutex.Lock]:\n"
    "internal/sync.runtime_SemacquireMutex(0x0?, 0x0?, 0x0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/sema.go:95 +0x25\n"
    "internal/sync.(*Mutex).lockSlow(0xc000082000)\n"
    "\t/usr/lib/go-1.24/src/internal/sync/mutex.go:149 +0x15d\n"
    "internal/sync.(*Mutex).Lock(...)\n"
    "\t/usr/lib/go-1.24/src/internal/sync/mutex.go:70\n"
    "sync.(*Mutex).Lock(...)\n"
    "\t/usr/lib/go-1.24/src/sync/mutex.go:46\n"
    "main.main.func1()\n"
    "\t/tmp/stk/deadlock/main.go:8 +0x51\n"
    "created by main.main in goroutine 1\n"
    "\t/tmp/stk/deadlock/main.go:8 +0x6e\n"
    "exit status 2\n";

/* go run ./cmw (excerpt): concurrent map writes, 8 writers */
static const char cmw_out[] =
    "fatal error: concurrent map writes\n"
    "\n"
    "goroutine 20 [running]:\n"
    "internal/runtime/maps.fatal({0x47ebd9?, 0x0?})\n"
    "\t/usr/lib/go-1.24/src/runtime/panic.go:1058 +0x18\n"
    "main.main.func1(0x3)\n"
    "\t/tmp/stk/cmw/main.go:13 +0x65\n"
    "created by main.main in goroutine 1\n"
    "\t/tmp/stk/cmw/main.go:10 +0x45\n"
    "\n"
    "goroutine 1 [sync.WaitGroup.Wait]:\n"
    "sync.runtime_SemacquireWaitGroup(0xc000086168?)\n"
    "\t/usr/lib/go-1.24/src/runtime/sema.go:110 +0x25\n"
    "sync.(*WaitGroup).Wait(0x68?)\n"
    "\t/usr/lib/go-1.24/src/sync/waitgroup.go:118 +0x48\n"
    "main.main()\n"
    "\t/tmp/stk/cmw/main.go:17 +0xfc\n"
    "\n"
    "goroutine 17 [runnable]:\n"
    "main.main.gowrap1()\n"
    "\t/tmp/stk/cmw/main.go:10\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1\n"
    "created by main.main in goroutine 1\n"
    "\t/tmp/stk/cmw/main.go:10 +0x45\n"
    "\n"
    "goroutine 18 [runnable]:\n"
    "main.main.gowrap1()\n"
    "\t/tmp/stk/cmw/main.go:10\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1\n"
    "created by main.main in goroutine 1\n"
    "\t/tmp/stk/cmw/main.go:10 +0x45\n"
    "\n"
    "goroutine 19 [runnable]:\n"
    "main.main.gowrap1()\n"
    "\t/tmp/stk/cmw/main.go:10\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1\n"
    "created by main.main in goroutine 1\n"
    "\t/tmp/stk/cmw/main.go:10 +0x45\n";

/* go run -race ./race: the report, then the program's own output */
static const char race_out[] =
    "==================\n"
    "WARNING: DATA RACE\n"
    "Read at 0x0000005ff690 by goroutine 7:\n"
    "  main.inc()\n"
    "      /tmp/stk/race/main.go:7 +0x35\n"
    "  main.main.gowrap1()\n"
    "      /tmp/stk/race/main.go:11 +0x17\n"
    "\n"
    "Previous write at 0x0000005ff690 by main goroutine:\n"
    "  main.main()\n"
    "      /tmp/stk/race/main.go:12 +0xbc\n"
    "\n"
    "Goroutine 7 (running) created at:\n"
    "  main.main()\n"
    "      /tmp/stk/race/main.go:11 +0x94\n"
    "==================\n"
    "2\n"
    "Found 1 data race(s)\n"
    "exit status 66\n";

/* go test -race ./racetest: two reports back to back, then test output */
static const char racetest_out[] =
    "==================\n"
    "WARNING: DATA RACE\n"
    "Read at 0x00c00007a000 by goroutine 8:\n"
    "  runtime.mapaccess1_faststr()\n"
    "      /usr/lib/go-1.24/src/internal/runtime/maps/runtime_faststr_swiss.go:103 +0x0\n"
    "  example.com/r.(*store).put()\n"
    "      /tmp/stk/racetest/r_test.go:10 +0xbe\n"
    "  example.com/r.TestRace.func1()\n"
    "      /tmp/stk/racetest/r_test.go:17 +0x1a\n"
    "\n"
    "Previous write at 0x00c00007a000 by goroutine 9:\n"
    "  runtime.mapassign_faststr()\n"
    "      /usr/lib/go-1.24/src/internal/runtime/maps/runtime_faststr_swiss.go:263 +0x0\n"
    "  example.com/r.(*store).put()\n"
    "      /tmp/stk/racetest/r_test.go:10 +0xf2\n"
    "  example.com/r.TestRace.func1()\n"
    "      /tmp/stk/racetest/r_test.go:17 +0x1a\n"
    "\n"
    "Goroutine 8 (running) created at:\n"
    "  example.com/r.TestRace()\n"
    "      /tmp/stk/racetest/r_test.go:17 +0xb3\n"
    "  testing.tRunner()\n"
    "      /usr/lib/go-1.24/src/testing/testing.go:1792 +0x225\n"
    "  testing.(*T).Run.gowrap1()\n"
    "      /usr/lib/go-1.24/src/testing/testing.go:1851 +0x44\n"
    "\n"
    "Goroutine 9 (finished) created at:\n"
    "  example.com/r.TestRace()\n"
    "      /tmp/stk/racetest/r_test.go:17 +0xb3\n"
    "  testing.tRunner()\n"
    "      /usr/lib/go-1.24/src/testing/testing.go:1792 +0x225\n"
    "  testing.(*T).Run.gowrap1()\n"
    "      /usr/lib/go-1.24/src/testing/testing.go:1851 +0x44\n"
    "==================\n"
    "==================\n"
    "WARNING: DATA RACE\n"
    "Read at 0x00c0000a2428 by goroutine 8:\n"
    "  example.com/r.(*store).put()\n"
    "      /tmp/stk/racetest/r_test.go:10 +0xc8\n"
    "  example.com/r.TestRace.func1()\n"
    "      /tmp/stk/racetest/r_test.go:17 +0x1a\n"
    "\n"
    "Previous write at 0x00c0000a2428 by goroutine 9:\n"
    "  example.com/r.(*store).put()\n"
    "      /tmp/stk/racetest/r_test.go:10 +0xfe\n"
    "  example.com/r.TestRace.func1()\n"
    "      /tmp/stk/racetest/r_test.go:17 +0x1a\n"
    "\n"
    "Goroutine 8 (running) created at:\n"
    "  example.com/r.TestRace()\n"
    "      /tmp/stk/racetest/r_test.go:17 +0xb3\n"
    "  testing.tRunner()\n"
    "      /usr/lib/go-1.24/src/testing/testing.go:1792 +0x225\n"
    "  testing.(*T).Run.gowrap1()\n"
    "      /usr/lib/go-1.24/src/testing/testing.go:1851 +0x44\n"
    "\n"
    "Goroutine 9 (finished) created at:\n"
    "  example.com/r.TestRace()\n"
    "      /tmp/stk/racetest/r_test.go:17 +0xb3\n"
    "  testing.tRunner()\n"
    "      /usr/lib/go-1.24/src/testing/testing.go:1792 +0x225\n"
    "  testing.(*T).Run.gowrap1()\n"
    "      /usr/lib/go-1.24/src/testing/testing.go:1851 +0x44\n"
    "==================\n"
    "--- FAIL: TestRace (0.01s)\n"
    "    testing.go:1490: race detected during execution of test\n"
    "FAIL\n"
    "FAIL\texample.com/r\t0.049s\n"
    "FAIL\n";

/* go test -timeout 2s ./tmo: TestHang/sub blocks forever */
static const char tmo_out[] =
    "panic: test timed out after 2s\n"
    "\trunning tests:\n"
    "\t\tTestHang (2s)\n"
    "\t\tTestHang/sub (2s)\n"
    "\n"
    "goroutine 2 [running]:\n"
    "testing.(*M).startAlarm.func1()\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:2484 +0x394\n"
    "created by time.goFunc\n"
    "\t/usr/lib/go-1.24/src/time/sleep.go:215 +0x2d\n"
    "\n"
    "goroutine 1 [chan receive]:\n"
    "testing.(*T).Run(0xc000080700, {0x57781a?, 0xc000094b30?}, 0x5842b0)\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:1859 +0x431\n"
    "testing.runTests.func1(0xc000080700)\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:2279 +0x37\n"
    "testing.tRunner(0xc000080700, 0xc000094c70)\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:1792 +0xf4\n"
    "testing.runTests(0xc0000d0000, {0x6a1f60, 0x2, 0x2}, {0x6abd40?, 0x7?, 0x6aabc0?})\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:2277 +0x4b4\n"
    "testing.(*M).Run(0xc000098140)\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:2142 +0x64a\n"
    "main.main()\n"
    "\t_testmain.go:47 +0x9b\n"
    "\n"
    "goroutine 21 [chan receive]:\n"
    "testing.(*T).Run(0xc0000808c0, {0x576e47?, 0x4da2f3?}, 0x5843a0)\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:1859 +0x431\n"
    "example.com/tmo.TestHang(0xc0000808c0?)\n"
    "\t/tmp/stk/tmo/tmo_test.go:11 +0x26\n"
    "testing.tRunner(0xc0000808c0, 0x5842b0)\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:1792 +0xf4\n"
    "created by testing.(*T).Run in goroutine 1\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:1851 +0x413\n"
    "\n"
    "goroutine 22 [chan receive]:\n"
    "example.com/tmo.waitForever(...)\n"
    "\t/tmp/stk/tmo/tmo_test.go:8\n"
    "example.com/tmo.TestHang.func1(0xc000080c40?)\n"
    "\t/tmp/stk/tmo/tmo_test.go:11 +0x25\n"
    "testing.tRunner(0xc000080c40, 0x5843a0)\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:1792 +0xf4\n"
    "created by testing.(*T).Run in goroutine 21\n"
    "\t/usr/lib/go-1.24/src/testing/testing.go:1851 +0x413\n"
    "FAIL\texample.com/tmo\t2.053s\n"
    "FAIL\n";

/* GOTRACEBACK=crash ./crash: panic, then every goroutine with fp/sp/pc */
static const char crash_out[] =
    "panic: boom 3\n"
    "\n"
    "goroutine 1 gp=0xc000002380 m=0 mp=0x55c3e0 [running]:\n"
    "panic({0x49a480?, 0xc000094040?})\n"
    "\t/usr/lib/go-1.24/src/runtime/panic.go:811 +0x168 fp=0xc00008af08 sp=0xc00008ae58 pc=0x467528\n"
    "main.boom(...)\n"
    "\t/tmp/stk/crash/main.go:5\n"
    "main.main()\n"
    "\t/tmp/stk/crash/main.go:7 +0x79 fp=0xc00008af50 sp=0xc00008af08 pc=0x490999\n"
    "runtime.main()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:283 +0x28b fp=0xc00008afe0 sp=0xc00008af50 pc=0x43926b\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc00008afe8 sp=0xc00008afe0 pc=0x46daa1\n"
    "\n"
    "goroutine 2 gp=0xc0000028c0 m=nil [force gc (idle)]:\n"
    "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc00003efa8 sp=0xc00003ef88 pc=0x46790e\n"
    "runtime.goparkunlock(...)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:441\n"
    "runtime.forcegchelper()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:348 +0xb3 fp=0xc00003efe0 sp=0xc00003efa8 pc=0x4395b3\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc00003efe8 sp=0xc00003efe0 pc=0x46daa1\n"
    "created by runtime.init.7 in goroutine 1\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:336 +0x1a\n"
    "\n"
    "goroutine 3 gp=0xc000002e00 m=nil [GC sweep wait]:\n"
    "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc00003f780 sp=0xc00003f760 pc=0x46790e\n"
    "runtime.goparkunlock(...)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:441\n"
    "runtime.bgsweep(0xc00005e000)\n"
    "\t/usr/lib/go-1.24/src/runtime/mgcsweep.go:276 +0x94 fp=0xc00003f7c8 sp=0xc00003f780 pc=0x425134\n"
    "runtime.gcenable.gowrap1()\n"
    "\t/usr/lib/go-1.24/src/runtime/mgc.go:204 +0x25 fp=0xc00003f7e0 sp=0xc00003f7c8 pc=0x419865\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc00003f7e8 sp=0xc00003f7e0 pc=0x46daa1\n"
    "created by runtime.gcenable in goroutine 1\n"
    "\t/usr/lib/go-1.24/src/runtime/mgc.go:204 +0x66\n"
    "\n"
    "goroutine 4 gp=0xc000002fc0 m=nil [GC scavenge wait]:\n"
    "runtime.gopark(0xc00005e000?, 0x4d7d60?, 0x1?, 0x0?, 0xc000002fc0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc00003ff78 sp=0xc00003ff58 pc=0x46790e\n"
    "runtime.goparkunlock(...)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:441\n"
    "runtime.(*scavengerState).park(0x55b600)\n"
    "\t/usr/lib/go-1.24/src/runtime/mgcscavenge.go:425 +0x49 fp=0xc00003ffa8 sp=0xc00003ff78 pc=0x422be9\n"
    "runtime.bgscavenge(0xc00005e000)\n"
    "\t/usr/lib/go-1.24/src/runtime/mgcscavenge.go:653 +0x3c fp=0xc00003ffc8 sp=0xc00003ffa8 pc=0x42315c\n"
    "runtime.gcenable.gowrap2()\n"
    "\t/usr/lib/go-1.24/src/runtime/mgc.go:205 +0x25 fp=0xc00003ffe0 sp=0xc00003ffc8 pc=0x419805\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc00003ffe8 sp=0xc00003ffe0 pc=0x46daa1\n"
    "created by runtime.gcenable in goroutine 1\n"
    "\t/usr/lib/go-1.24/src/runtime/mgc.go:205 +0xa5\n"
    "\n"
    "goroutine 17 gp=0xc00009a000 m=nil [finalizer wait]:\n"
    "runtime.gopark(0x57bba0?, 0x490013?, 0x78?, 0xe6?, 0x411b3e?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc00003e630 sp=0xc00003e610 pc=0x46790e\n"
    "runtime.runfinq()\n"
    "\t/usr/lib/go-1.24/src/runtime/mfinal.go:196 +0x107 fp=0xc00003e7e0 sp=0xc00003e630 pc=0x418827\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc00003e7e8 sp=0xc00003e7e0 pc=0x46daa1\n"
    "created by runtime.createfing in goroutine 1\n"
    "\t/usr/lib/go-1.24/src/runtime/mfinal.go:166 +0x3d\n";

/* GOTRACEBACK=crash ./abrt killed with SIGABRT (excerpt): g0 first, registers, the other Ms */
static const char abrt_out[] =
    "SIGABRT: abort\n"
    "PC=0x46c463 m=0 sigcode=0\n"
    "\n"
    "goroutine 0 gp=0x516580 m=0 mp=0x517220 [idle]:\n"
    "runtime.futex(0x517360, 0x80, 0x0, 0x0, 0x0, 0x0)\n"
    "\t/usr/lib/go-1.24/src/runtime/sys_linux_amd64.s:558 +0x23 fp=0x7ffe8f120308 sp=0x7ffe8f120300 pc=0x46c463\n"
    "runtime.futexsleep(0x7ffe8f120380?, 0x40ecf1?, 0x7f018f1203b0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/os_linux.go:75 +0x30 fp=0x7ffe8f120358 sp=0x7ffe8f120308 pc=0x430cd0\n"
    "runtime.notesleep(0x517360)\n"
    "\t/usr/lib/go-1.24/src/runtime/lock_futex.go:47 +0x87 fp=0x7ffe8f120390 sp=0x7ffe8f120358 pc=0x40e407\n"
    "runtime.mPark(...)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:1887\n"
    "runtime.stopm()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:2910 +0x8c fp=0x7ffe8f1203c0 sp=0x7ffe8f120390 pc=0x43b84c\n"
    "runtime.findRunnable()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:3647 +0xd9c fp=0x7ffe8f120538 sp=0x7ffe8f1203c0 pc=0x43d31c\n"
    "runtime.schedule()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:4020 +0xb1 fp=0x7ffe8f120570 sp=0x7ffe8f120538 pc=0x43e411\n"
    "runtime.park_m(0xc000003180)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:4144 +0x285 fp=0x7ffe8f1205d0 sp=0x7ffe8f120570 pc=0x43e8c5\n"
    "runtime.mcall()\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:459 +0x4e fp=0x7ffe8f1205e8 sp=0x7ffe8f1205d0 pc=0x46880e\n"
    "\n"
    "goroutine 1 gp=0xc000002380 m=nil [sleep]:\n"
    "runtime.gopark(0x8ea93e069f?, 0x468872?, 0x28?, 0xf?, 0x44085f?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc000070ee0 sp=0xc000070ec0 pc=0x46476e\n"
    "time.Sleep(0x34630b8a000)\n"
    "\t/usr/lib/go-1.24/src/runtime/time.go:338 +0x165 fp=0xc000070f38 sp=0xc000070ee0 pc=0x466e65\n"
    "main.main()\n"
    "\t/tmp/stk/abrt/main.go:7 +0x29 fp=0xc000070f50 sp=0xc000070f38 pc=0x472fa9\n"
    "runtime.main()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:283 +0x28b fp=0xc000070fe0 sp=0xc000070f50 pc=0x436e0b\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc000070fe8 sp=0xc000070fe0 pc=0x46a6a1\n"
    "\n"
    "goroutine 3 gp=0xc000003180 m=nil [sleep]:\n"
    "runtime.gopark(0x8ebb757ccc?, 0x7?, 0x2?, 0x0?, 0x511a20?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc00003e770 sp=0xc00003e750 pc=0x46476e\n"
    "time.Sleep(0xf4240)\n"
    "\t/usr/lib/go-1.24/src/runtime/time.go:338 +0x165 fp=0xc00003e7c8 sp=0xc00003e770 pc=0x466e65\n"
    "main.spin()\n"
    "\t/tmp/stk/abrt/main.go:5 +0x18 fp=0xc00003e7e0 sp=0xc00003e7c8 pc=0x472f58\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc00003e7e8 sp=0xc00003e7e0 pc=0x46a6a1\n"
    "created by main.main in goroutine 1\n"
    "\t/tmp/stk/abrt/main.go:7 +0x1a\n"
    "\n"
    "rax    0x0\n"
    "rbx    0x0\n"
    "rcx    0x46c463\n"
    "rdx    0x0\n"
    "rdi    0x517360\n"
    "rsi    0x80\n"
    "rbp    0x7ffe8f120348\n"
    "rsp    0x7ffe8f120300\n"
    "r8     0x0\n"
    "r9     0x0\n"
    "r10    0x0\n"
    "r11    0x286\n"
    "r12    0xc00002c008\n"
    "r13    0x1\n"
    "r14    0x516580\n"
    "r15    0x1\n"
    "rip    0x46c463\n"
    "rflags 0x286\n"
    "cs     0x33\n"
    "fs     0x0\n"
    "gs     0x0\n"
    "\n"
    "-----\n"
    "\n"
    "SIGQUIT: quit\n"
    "PC=0x46be97 m=1 sigcode=0\n"
    "\n"
    "goroutine 0 gp=0xc000002700 m=1 mp=0xc000044008 [idle]:\n"
    "runtime.usleep(0x2710)\n"
    "\t/usr/lib/go-1.24/src/runtime/sys_linux_amd64.s:135 +0x37 fp=0xc000025f38 sp=0xc000025f18 pc=0x46be97\n"
    "runtime.sysmon()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:6111 +0xa5 fp=0xc000025fa0 sp=0xc000025f38 pc=0x443505\n"
    "runtime.mstart1()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:1855 +0x93 fp=0xc000025fc8 sp=0xc000025fa0 pc=0x439ff3\n"
    "runtime.mstart0()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:1808 +0x75 fp=0xc000025ff8 sp=0xc000025fc8 pc=0x439f35\n"
    "runtime.mstart()\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:395 +0x5 fp=0xc000026000 sp=0xc000025ff8 pc=0x468785\n"
    "rax    0xfffffffffffffffc\n"
    "rbx    0x2710\n"
    "rcx    0x46be97\n"
    "rdx    0x0\n"
    "rdi    0xc000025f18\n"
    "rsi    0x0\n"
    "rbp    0xc000025f28\n"
    "rsp    0xc000025f18\n"
    "r8     0x0\n"
    "r9     0x0\n"
    "r10    0x0\n"
    "r11    0x212\n"
    "r12    0xc000025f18\n"
    "r13    0xc000044008\n"
    "r14    0xc000002700\n"
    "r15    0xc000002700\n"
    "rip    0x46be97\n"
    "rflags 0x212\n"
    "cs     0x33\n"
    "fs     0x0\n"
    "gs     0x0\n";

/* go run ./so (excerpt): stack overflow, runtime stack, 100 frames and an elision */
static const char so_out[] =
    "runtime: goroutine stack exceeds 1000000000-byte limit\n"
    "runtime: sp=0xc0200f8390 stack=[0xc0200f8000, 0xc0400f8000]\n"
    "fatal error: stack overflow\n"
    "\n"
    "runtime stack:\n"
    "runtime.throw({0x47d1c2?, 0x40d971?})\n"
    "\t/usr/lib/go-1.24/src/runtime/panic.go:1101 +0x48 fp=0x7fff6b7d00f0 sp=0x7fff6b7d00c0 pc=0x4602c8\n"
    "runtime.newstack()\n"
    "\t/usr/lib/go-1.24/src/runtime/stack.go:1107 +0x5bb fp=0x7fff6b7d0228 sp=0x7fff6b7d00f0 pc=0x44aadb\n"
    "runtime.morestack()\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:621 +0x7a fp=0x7fff6b7d0230 sp=0x7fff6b7d0228 pc=0x463f7a\n"
    "\n"
    "goroutine 1 gp=0xc000002380 m=0 mp=0x4f6d40 [running]:\n"
    "main.rec(0x2aaaa4d?)\n"
    "\t/tmp/stk/so/main.go:3 +0x2b fp=0xc0200f83a0 sp=0xc0200f8398 pc=0x468f8b\n"
    "main.rec(...)\n"
    "\t/tmp/stk/so/main.go:3\n"
    "main.rec(0x0?)\n"
    "\t/tmp/stk/so/main.go:3 +0x17 fp=0xc0200f85e0 sp=0xc0200f85c8 pc=0x468f77\n"
    "main.rec(...)\n"
    "\t/tmp/stk/so/main.go:3\n"
    "...44739053 frames elided...\n"
    "main.rec(...)\n"
    "\t/tmp/stk/so/main.go:3\n"
    "main.rec(0x423cc0?)\n"
    "\t/tmp/stk/so/main.go:3 +0x17 fp=0xc0400f7d20 sp=0xc0400f7d08 pc=0x468f77\n"
    "main.rec(...)\n"
    "\t/tmp/stk/so/main.go:3\n"
    "main.rec(0x46f9a0?)\n"
    "\t/tmp/stk/so/main.go:3 +0x17 fp=0xc0400f7f30 sp=0xc0400f7f18 pc=0x468f77\n"
    "main.rec(...)\n"
    "\t/tmp/stk/so/main.go:3\n"
    "main.main()\n"
    "\t/tmp/stk/so/main.go:5 +0x18 fp=0xc0400f7f50 sp=0xc0400f7f30 pc=0x468fb8\n"
    "runtime.main()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:283 +0x28b fp=0xc0400f7fe0 sp=0xc0400f7f50 pc=0x43420b\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc0400f7fe8 sp=0xc0400f7fe0 pc=0x465c41\n"
    "\n"
    "goroutine 17 gp=0xc000080000 m=nil [force gc (idle)]:\n"
    "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc00003a7a8 sp=0xc00003a788 pc=0x4603ae\n"
    "runtime.goparkunlock(...)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:441\n"
    "runtime.forcegchelper()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:348 +0xb3 fp=0xc00003a7e0 sp=0xc00003a7a8 pc=0x434553\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc00003a7e8 sp=0xc00003a7e0 pc=0x465c41\n"
    "created by runtime.init.7 in goroutine 1\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:336 +0x1a\n";

/* go run ./cgoseg (excerpt): SIGSEGV in C code called through cgo */
static const char cgoseg_out[] =
    "SIGSEGV: segmentation violation\n"
    "PC=0x46be80 m=0 sigcode=1 addr=0x0\n"
    "signal arrived during cgo execution\n"
    "\n"
    "goroutine 1 gp=0xc000002380 m=0 mp=0x5008c0 [syscall]:\n"
    "runtime.cgocall(0x46be80, 0xc00004ef40)\n"
    "\t/usr/lib/go-1.24/src/runtime/cgocall.go:167 +0x4b fp=0xc00004ef18 sp=0xc00004eee0 pc=0x460ecb\n"
    "main._Cfunc_crash()\n"
    "\t_cgo_gotypes.go:46 +0x3a fp=0xc00004ef40 sp=0xc00004ef18 pc=0x46bdda\n"
    "main.main()\n"
    "\t/tmp/stk/cgoseg/main.go:8 +0xf fp=0xc00004ef50 sp=0xc00004ef40 pc=0x46be0f\n"
    "runtime.main()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:283 +0x28b fp=0xc00004efe0 sp=0xc00004ef50 pc=0x435cab\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc00004efe8 sp=0xc00004efe0 pc=0x467c81\n"
    "\n"
    "rax    0x46be80\n"
    "rbx    0xc00004ef40\n"
    "rcx    0x5008c0\n"
    "rdx    0xc00004eed0\n"
    "rdi    0xc00004ef40\n"
    "rsi    0x4ffc20\n"
    "rbp    0xc00004eed0\n"
    "rsp    0x7ffcaea2e298\n"
    "r8     0x5008c0\n"
    "r9     0x0\n"
    "r10    0xc0000a0000\n"
    "r11    0x202\n"
    "r12    0xc0000a0000\n"
    "r13    0x40\n"
    "r14    0xc000002380\n"
    "r15    0xc00009e000\n"
    "rip    0x46be80\n"
    "rflags 0x10206\n"
    "cs     0x33\n"
    "fs     0x0\n"
    "gs     0x0\n"
    "exit status 2\n";

/* go build -gcflags=-d=panic, cases/01-ice-generic-alias-73309 (excerpt), then a plain go build */
static const char ice01_out[] =
    "# example.com/01-ice-generic-alias-73309\n"
    "./main.go:26:6: internal compiler error: assertion failed\n"
    "\n"
    "goroutine 1 [running]:\n"
    "runtime/debug.Stack()\n"
    "\truntime/debug/stack.go:26 +0x5e\n"
    "cmd/compile/internal/base.FatalfAt({0x434f00?, 0xc0?}, {0xec5ea5, 0x10}, {0x0, 0x0, 0x0})\n"
    "\tcmd/compile/internal/base/print.go:230 +0x1ea\n"
    "cmd/compile/internal/base.Fatalf(...)\n"
    "\tcmd/compile/internal/base/print.go:195\n"
    "cmd/compile/internal/base.Assert(...)\n"
    "\tcmd/compile/internal/base/print.go:242\n"
    "cmd/compile/internal/noder.assert(...)\n"
    "\tcmd/compile/internal/noder/writer.go:63\n"
    "cmd/compile/internal/noder.(*pkgReader).objIdxMayFail(0xc0000001c0, 0x2, {0xc000052998, 0x1, 0x1}, {0xc0000529a0, 0x1, 0x1}, 0x0)\n"
    "\tcmd/compile/internal/noder/reader.go:765 +0xfa5\n"
    "cmd/compile/internal/noder.(*pkgReader).objIdx(0xc0000001c0?, 0x115d0?, {0xc000052998?, 0xd00000000405d01?, 0xc00040fd40?}, {0xc0000529a0?, 0x2000001c0?, 0x0?}, 0x1?)\n"
    "\tcmd/compile/internal/noder/reader.go:674 +0x25\n"
    "cmd/compile/internal/noder.(*pkgReader).objInstIdx(0xc0000001c0, {0xffffffff?, {0xc0000115d0?, 0xc0000001c0?, 0x1?}}, 0xc00040fd40, 0x0)\n"
    "\tcmd/compile/internal/noder/reader.go:666 +0x93\n"
    "cmd/compile/internal/noder.(*reader).obj(0xc000434b40)\n"
    "\tcmd/compile/internal/noder/reader.go:636 +0x46\n"
    "cmd/compile/internal/noder.(*reader).doTyp(0xc000434b40)\n"
    "\tcmd/compile/internal/noder/reader.go:502 +0x72\n"
    "cmd/compile/internal/noder.readBodies(0xc00007e000, 0x0)\n"
    "\tcmd/compile/internal/noder/unified.go:265 +0x16a\n"
    "cmd/compile/internal/noder.unified({0x0?, {0x0?, 0x0?}}, {0xc000052418?, 0xde5e40?, 0x0?})\n"
    "\tcmd/compile/internal/noder/unified.go:205 +0x1ab\n"
    "cmd/compile/internal/noder.LoadPackage({0xc0000bc130, 0x1, 0x1})\n"
    "\tcmd/compile/internal/noder/noder.go:77 +0x43a\n"
    "cmd/compile/internal/gc.Main(0xef8ea0)\n"
    "\tcmd/compile/internal/gc/main.go:208 +0xcc5\n"
    "main.main()\n"
    "\tcmd/compile/main.go:57 +0xf9\n"
    "\n"
    "# example.com/01-ice-generic-alias-73309\n"
    "./main.go:26:6: internal compiler error: assertion failed\n"
    "\n"
    "Please file a bug report including a short program that triggers the error.\n"
    "https://go.dev/issue/new\n";

/* go build -gcflags=-d=panic, cases/02-ice-recursive-alias-74181 (excerpt) */
static const char ice02_out[] =
    "# example.com/02-ice-recursive-alias-74181\n"
    "<unknown line number>: internal compiler error: unexpected types2.Invalid\n"
    "\n"
    "goroutine 1 [running]:\n"
    "runtime/debug.Stack()\n"
    "\truntime/debug/stack.go:26 +0x5e\n"
    "cmd/compile/internal/base.FatalfAt({0x33eea0?, 0xc0?}, {0xed089e, 0x19}, {0x0, 0x0, 0x0})\n"
    "\tcmd/compile/internal/base/print.go:230 +0x1ea\n"
    "cmd/compile/internal/base.Fatalf(...)\n"
    "\tcmd/compile/internal/base/print.go:195\n"
    "cmd/compile/internal/noder.(*pkgWriter).typIdx(0xc00033eea0, {0x1038690, 0x15e98a0}, 0xc00034c320)\n"
    "\tcmd/compile/internal/noder/writer.go:533 +0x597\n"
    "cmd/compile/internal/noder.(*writer).typ(0xc000410b00, {0x1038690?, 0x15e98a0?})\n"
    "\tcmd/compile/internal/noder/writer.go:481 +0x2f\n"
    "cmd/compile/internal/noder.(*writer).structType(0xc000410b00, 0xc000317380)\n"
    "\tcmd/compile/internal/noder/writer.go:640 +0xc9\n"
    "cmd/compile/internal/noder.(*writer).obj(0xc0003edc30, {0x10411c0?, 0xc0003fca80?}, 0x0?)\n"
    "\tcmd/compile/internal/noder/writer.go:730 +0x33\n"
    "cmd/compile/internal/noder.writePkgStub({0x0?, {0x0?, 0x0?}}, {0xc0002fa490, 0x1, 0x1})\n"
    "\tcmd/compile/internal/noder/unified.go:343 +0x6fa\n"
    "cmd/compile/internal/noder.unified({0x0?, {0x0?, 0x0?}}, {0xc0002fa490?, 0xde5e40?, 0x0?})\n"
    "\tcmd/compile/internal/noder/unified.go:195 +0xb3\n"
    "cmd/compile/internal/noder.LoadPackage({0xc000020270, 0x1, 0x1})\n"
    "\tcmd/compile/internal/noder/noder.go:77 +0x43a\n"
    "cmd/compile/internal/gc.Main(0xef8ea0)\n"
    "\tcmd/compile/internal/gc/main.go:208 +0xcc5\n"
    "main.main()\n"
    "\tcmd/compile/main.go:57 +0xf9\n"
    "\n";

/* go run ./modapp: a panic inside a module from the module cache */
static const char mod_out[] =
    "panic: runtime error: index out of range [2] with length 0\n"
    "\n"
    "goroutine 1 [running]:\n"
    "github.com/acme/widget.(*Gadget).Part(...)\n"
    "\t/root/go/pkg/mod/github.com/acme/widget@v1.2.3/widget.go:7\n"
    "main.main.(*server).handle.func1(...)\n"
    "\t/tmp/stk/modapp/main.go:8\n"
    "github.com/acme/widget.Run[...](...)\n"
    "\t/root/go/pkg/mod/github.com/acme/widget@v1.2.3/widget.go:10\n"
    "main.(*server).handle(...)\n"
    "\t/tmp/stk/modapp/main.go:8\n"
    "main.main()\n"
    "\t/tmp/stk/modapp/main.go:13 +0x6d\n";

/* go run -trimpath ./modapp: the same crash, trimpath paths */
static const char modtrim_out[] =
    "panic: runtime error: index out of range [2] with length 0\n"
    "\n"
    "goroutine 1 [running]:\n"
    "github.com/acme/widget.(*Gadget).Part(...)\n"
    "\tgithub.com/acme/widget@v1.2.3/widget.go:7\n"
    "main.main.(*server).handle.func1(...)\n"
    "\texample.com/app/main.go:8\n"
    "github.com/acme/widget.Run[...](...)\n"
    "\tgithub.com/acme/widget@v1.2.3/widget.go:10\n"
    "main.(*server).handle(...)\n"
    "\texample.com/app/main.go:8\n"
    "main.main()\n"
    "\texample.com/app/main.go:13 +0x6d\n"
    "exit status 2\n";

/* go run ./quit (excerpts): SIGQUIT dump; %ld is the goroutine id */
static const char quit_head[] =
    "SIGQUIT: quit\n"
    "PC=0x40696e m=0 sigcode=0\n"
    "\n"
    "goroutine 1 gp=0xc000002380 m=0 mp=0x527580 [running]:\n"
    "internal/runtime/syscall.Syscall6()\n"
    "\t/usr/lib/go-1.24/src/internal/runtime/syscall/asm_linux_amd64.s:36 +0xe fp=0xc000084e30 sp=0xc000084e28 pc=0x40696e\n"
    "syscall.RawSyscall6(0x0?, 0x0?, 0xc000084ee0?, 0x4680c5?, 0x8a10af8691?, 0x469ad2?, 0xc000084ee0?)\n"
    "\t/usr/lib/go-1.24/src/syscall/syscall_linux.go:64 +0xd fp=0xc000084e78 sp=0xc000084e30 pc=0x47536d\n"
    "syscall.RawSyscall(0x4412e0?, 0x49dc78?, 0xc00006c1e0?, 0xc000002380?)\n"
    "\t/usr/lib/go-1.24/src/syscall/syscall_linux.go:55 +0x15 fp=0xc000084ec0 sp=0xc000084e78 pc=0x475355\n"
    "syscall.Kill(0x27?, 0x0?)\n"
    "\t/usr/lib/go-1.24/src/syscall/zsyscall_linux_amd64.go:611 +0x25 fp=0xc000084ef0 sp=0xc000084ec0 pc=0x474ce5\n"
    "main.main()\n"
    "\t/tmp/stk/quit/main.go:26 +0x14b fp=0xc000084f50 sp=0xc000084ef0 pc=0x4784ab\n"
    "runtime.main()\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:283 +0x28b fp=0xc000084fe0 sp=0xc000084f50 pc=0x43748b\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc000084fe8 sp=0xc000084fe0 pc=0x46b901\n"
    "\n";
static const char quit_worker[] =
    "goroutine %ld gp=0xc000003a40 m=nil [chan receive]:\n"
    "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc000040720 sp=0xc000040700 pc=0x4657ce\n"
    "runtime.chanrecv(0xc00007e070, 0x0, 0x1)\n"
    "\t/usr/lib/go-1.24/src/runtime/chan.go:664 +0x445 fp=0xc000040798 sp=0xc000040720 pc=0x409d25\n"
    "runtime.chanrecv1(0x0?, 0x0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/chan.go:506 +0x12 fp=0xc0000407c0 sp=0xc000040798 pc=0x4098d2\n"
    "main.worker(...)\n"
    "\t/tmp/stk/quit/main.go:10\n"
    "main.main.gowrap1()\n"
    "\t/tmp/stk/quit/main.go:18 +0x25 fp=0xc0000407e0 sp=0xc0000407c0 pc=0x478565\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc0000407e8 sp=0xc0000407e0 pc=0x46b901\n"
    "created by main.main in goroutine 1\n"
    "\t/tmp/stk/quit/main.go:18 +0x48\n"
    "\n";
static const char quit_sleeper[] =
    "goroutine %ld gp=0xc0000a9340 m=nil [sleep]:\n"
    "runtime.gopark(0x8a10adb91f?, 0x0?, 0x0?, 0x0?, 0x0?)\n"
    "\t/usr/lib/go-1.24/src/runtime/proc.go:435 +0xce fp=0xc0000b1738 sp=0xc0000b1718 pc=0x4657ce\n"
    "time.Sleep(0x34630b8a000)\n"
    "\t/usr/lib/go-1.24/src/runtime/time.go:338 +0x165 fp=0xc0000b1790 sp=0xc0000b1738 pc=0x4680c5\n"
    "main.sleeper(0x0?)\n"
    "\t/tmp/stk/quit/main.go:12 +0x49 fp=0xc0000b17c8 sp=0xc0000b1790 pc=0x4782c9\n"
    "main.main.gowrap2()\n"
    "\t/tmp/stk/quit/main.go:22 +0x25 fp=0xc0000b17e0 sp=0xc0000b17c8 pc=0x478505\n"
    "runtime.goexit({})\n"
    "\t/usr/lib/go-1.24/src/runtime/asm_amd64.s:1700 +0x1 fp=0xc0000b17e8 sp=0xc0000b17e0 pc=0x46b901\n"
    "created by main.main in goroutine 1\n"
    "\t/tmp/stk/quit/main.go:22 +0xa5\n"
    "\n";
static const char quit_tail[] =
    "\n"
    "rax    0x0\n"
    "rbx    0x2155\n"
    "rcx    0x40696e\n"
    "rdx    0x0\n"
    "rdi    0x2155\n"
    "rsi    0x3\n"
    "rbp    0xc000084e68\n"
    "rsp    0xc000084e28\n"
    "r8     0x0\n"
    "r9     0x0\n"
    "r10    0x0\n"
    "r11    0x206\n"
    "r12    0x7ffe3d500568\n"
    "r13    0xc000092190\n"
    "r14    0xc000002380\n"
    "r15    0x1\n"
    "rip    0x40696e\n"
    "rflags 0x206\n"
    "cs     0x33\n"
    "fs     0x0\n"
    "gs     0x0\n"
    "exit status 2\n";

/*
 * Recovered panics.  Real outputs of Go 1.23.5 and 1.27.4 (linux/amd64)
 * from /tmp programs named above each literal: a handler whose nil
 * dereference net/http recovers (the log package's date and time removed,
 * as the prefix stage does), the same call path crashing unrecovered, and
 * debug.PrintStack in a deferred recover.
 */

/* go1.23.5: http3/main.go, Server.handle -> Store.load -> DB.get on nil. */
static const char http23_out[] =
	    "http: panic serving 127.0.0.1:39918: runtime error: invalid memory"
	    " address or nil pointer dereference\n"
	    "goroutine 3 [running]:\n"
	    "net/http.(*conn).serve.func1()\n"
	    "\t/usr/lib/go-1.23/src/net/http/server.go:1947 +0xbe\n"
	    "panic({0x6b0020?, 0x942260?})\n"
	    "\t/usr/lib/go-1.23/src/runtime/panic.go:785 +0x132\n"
	    "main.(*DB).get(...)\n"
	    "\t/tmp/d/app/http3/main.go:17\n"
	    "main.(*Store).load(...)\n"
	    "\t/tmp/d/app/http3/main.go:18\n"
	    "main.(*Server).handle(...)\n"
	    "\t/tmp/d/app/http3/main.go:20\n"
	    "net/http.HandlerFunc.ServeHTTP(0x466dd9?, {0x7858b0?, 0xc00011e000"
	    "?}, 0xc0000f1b70?)\n"
	    "\t/usr/lib/go-1.23/src/net/http/server.go:2220 +0x29\n"
	    "net/http.serverHandler.ServeHTTP({0xc00007e1e0?}, {0x7858b0?, 0xc0"
	    "0011e000?}, 0x6?)\n"
	    "\t/usr/lib/go-1.23/src/net/http/server.go:3210 +0x8e\n"
	    "net/http.(*conn).serve(0xc000106000, {0x785cf0, 0xc00007e0f0})\n"
	    "\t/usr/lib/go-1.23/src/net/http/server.go:2092 +0x5d0\n"
	    "created by net/http.(*Server).Serve in goroutine 22\n"
	    "\t/usr/lib/go-1.23/src/net/http/server.go:3360 +0x485\n";

/* go1.27.4: the same handler called from main, unrecovered. */
static const char http27_crash_out[] =
	    "panic: runtime error: invalid memory address or nil pointer derefe"
	    "rence\n"
	    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x661"
	    "4ad]\n"
	    "\n"
	    "goroutine 1 [running]:\n"
	    "main.(*DB).get(...)\n"
	    "\t/tmp/d/app/http3/main.go:17\n"
	    "main.(*Store).load(...)\n"
	    "\t/tmp/d/app/http3/main.go:18\n"
	    "main.(*Server).handle(...)\n"
	    "\t/tmp/d/app/http3/main.go:20\n"
	    "main.main()\n"
	    "\t/tmp/d/app/http3/main.go:27 +0x1ed\n";

/* go1.27.4: ps/main.go, "defer func() { recover(); debug.PrintStack() }". */
static const char printstack27_out[] =
	    "goroutine 1 [running]:\n"
	    "runtime/debug.Stack()\n"
	    "\t/usr/lib/go-1.27/src/runtime/debug/stack.go:26 +0x5e\n"
	    "runtime/debug.PrintStack()\n"
	    "\t/usr/lib/go-1.27/src/runtime/debug/stack.go:18 +0x13\n"
	    "main.safe.func1()\n"
	    "\t/tmp/d/app/ps/main.go:22 +0x8c\n"
	    "panic({0x560a68?, 0x573330?})\n"
	    "\t/usr/lib/go-1.27/src/runtime/panic.go:859 +0x125\n"
	    "main.work(...)\n"
	    "\t/tmp/d/app/ps/main.go:11\n"
	    "main.main.func1()\n"
	    "\t/tmp/d/app/ps/main.go:32 +0x3\n"
	    "main.safe(0x3a15b83d41e0?)\n"
	    "\t/tmp/d/app/ps/main.go:26 +0x33\n"
	    "main.main()\n"
	    "\t/tmp/d/app/ps/main.go:32 +0x74\n";

/* go1.27.4: ps/main.go, debug.PrintStack() in main, no panic. */
static const char plainstack27_out[] =
	    "goroutine 1 [running]:\n"
	    "runtime/debug.Stack()\n"
	    "\t/usr/lib/go-1.27/src/runtime/debug/stack.go:26 +0x5e\n"
	    "runtime/debug.PrintStack()\n"
	    "\t/usr/lib/go-1.27/src/runtime/debug/stack.go:18 +0x13\n"
	    "main.main()\n"
	    "\t/tmp/d/app/ps/main.go:38 +0xad\n";

static void
test_nilderef(void)
{
	struct run r;
	char *t = replace(nilderef_out, "exit status 2\n",
	    "exit status 2\n2024/05/01 12:00:00 next run\n");

	run(&r, t);
	CHECK_INT(r.taken, 11);		/* up to exit status */
	CHECK_STR(r.ev.f[F_SIGNAL], "SIGSEGV");
	CHECK_STR(r.ev.f[F_ADDR], "0x0");
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	CHECK_INT(r.ev.recovered, 0);
	CHECK_INT(r.ev.nstack, 3);
	CHECK_INT(r.ev.ngoroutines, 1);
	CHECK_INT(r.ev.ngr, 0);
	if (r.ev.nstack == 3) {
		CHECK_STR(r.ev.stack[0].func, "main.(*T).get");
		CHECK_STR(r.ev.stack[0].file, "/tmp/stk/nilderef/main.go");
		CHECK_INT(r.ev.stack[0].line, 5);
		CHECK_STR(r.ev.stack[0].origin, "main");
		CHECK_STR(r.ev.stack[1].func, "main.load");
		CHECK_INT(r.ev.stack[1].line, 8);
		CHECK_STR(r.ev.stack[2].func, "main.main");
	}
	CHECK_STR(r.ev.f[F_FUNC], "main.(*T).get");
	CHECK_STR(r.ev.f[F_FILE], "/tmp/stk/nilderef/main.go");
	CHECK_STR(r.ev.f[F_LINE], "5");
	CHECK(r.ev.f[F_FINGERPRINT] != NULL &&
	    strlen(r.ev.f[F_FINGERPRINT]) == 16);
	free(t);
}

static void
test_generic_and_stability(void)
{
	struct run r;
	char a[17], b[17], c[17], d[17], e[17];

	run(&r, idx_out);
	CHECK_INT(r.taken, 8);
	CHECK_INT(r.ev.nstack, 2);
	if (r.ev.nstack == 2) {
		CHECK_STR(r.ev.stack[0].func, "main.at[...]");
		CHECK_INT(r.ev.stack[0].line, 5);
	}
	CHECK_STR(r.ev.f[F_FUNC], "main.at[...]");
	CHECK_INT(r.ev.recovered, 0);

	/* Same crash: other args/offsets, other paths, other GOROOT. */
	fp_of(idx_out, "panic", "index_out_of_range", a);
	fp_of(idx_l_out, "panic", "index_out_of_range", b);
	char *t1 = replace(idx_out, "/tmp/stk/idx/", "/home/ci/work/idx/");
	fp_of(t1, "panic", "index_out_of_range", c);
	char *t2 = replace(crash_out, "/usr/lib/go-1.24/src/",
	    "/opt/hostedtoolcache/go/1.24.1/x64/src/");
	char *t3 = replace(t2, "goroutine 1 gp=0xc000002380 m=0 mp=0x55c3e0",
	    "goroutine 7 gp=0xc000012380 m=2 mp=0x66c3e0");
	fp_of(crash_out, "panic", "user_panic", d);
	fp_of(t3, "panic", "user_panic", e);
	CHECK_STR(b, a);
	CHECK_STR(c, a);
	CHECK_STR(e, d);
	/* Different crash, or other kind: different value. */
	CHECK(strcmp(a, d) != 0);
	fp_of(idx_out, "panic", "slice_bounds", e);
	CHECK(strcmp(a, e) != 0);
	run(&r, t3);
	CHECK_STR(r.ev.f[F_GOROUTINE], "7");
	CHECK(r.ev.nstack > 0 && strcmp(r.ev.stack[0].file,
	    "$GOROOT/src/runtime/panic.go") == 0);
	free(t1);
	free(t2);
	free(t3);
}

static void
test_multiline_value(void)
{
	struct run r;
	size_t n;

	run(&r, multi_out);
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.nstack, 2);
	CHECK_STR(r.ev.f[F_FUNC], "main.check");
	CHECK_STR(r.ev.f[F_LINE], "8");
	CHECK(stk_last_panic(S, &n) == NULL);
	CHECK_INT(r.ev.recovered, 0);

	/* An untabbed value line (older Go, or a custom printer). */
	run(&r, "panic: bad config:\nport missing\n\ngoroutine 1 [running]:\n"
	    "main.main()\n\t/x/main.go:3 +0x1d\nexit status 2\nnext\n");
	CHECK_INT(r.taken, 7);
	CHECK_STR(r.ev.f[F_FUNC], "main.main");
}

static void
test_repanic(void)
{
	struct run r;
	size_t n = 0;
	const char *lp;

	run(&r, repanic_out);
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.recovered, 1);
	lp = stk_last_panic(S, &n);
	CHECK(lp != NULL && n == 39 &&
	    memcmp(lp, "wrapped: assignment to entry in nil map", n) == 0);
	CHECK_INT(r.ev.nstack, 4);
	if (r.ev.nstack == 4) {
		CHECK_STR(r.ev.stack[0].func, "main.work.func1");
		CHECK_STR(r.ev.stack[1].func, "panic");
		CHECK_STR(r.ev.stack[1].origin, "runtime");
		CHECK_STR(r.ev.stack[1].file, "$GOROOT/src/runtime/panic.go");
		CHECK_INT(r.ev.stack[1].line, 792);
		CHECK_STR(r.ev.stack[2].func, "main.work");
	}

	/* Go 1.25+: one line "[recovered, repanicked]". */
	run(&r, "panic: boom [recovered, repanicked]\n\ngoroutine 1 [running]:\n"
	    "main.main.func1()\n\t/x/main.go:5 +0x5f\npanic({0x1?, 0x2?})\n"
	    "\t/usr/local/go/src/runtime/panic.go:792 +0x132\nmain.main()\n"
	    "\t/x/main.go:9 +0x45\n");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.recovered, 1);
	CHECK(stk_last_panic(S, &n) == NULL);

	/* A later link recovered, not the headline's. */
	run(&r, "panic: first\n\tpanic: second [recovered]\n\tpanic: third\n\n"
	    "goroutine 1 [running]:\nmain.main()\n\t/x/main.go:9 +0x45\n");
	CHECK_INT(r.ev.recovered, 0);
	lp = stk_last_panic(S, &n);
	CHECK(lp != NULL && n == 5 && memcmp(lp, "third", 5) == 0);
}

static void
test_deadlock(void)
{
	struct run r;
	const struct bucket *b;

	run_ck(&r, deadlock_out, "fatal", "deadlock");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.ngoroutines, 2);
	CHECK_INT(r.ev.ngr, 2);
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	CHECK_STR(r.ev.f[F_FUNC], "main.main");
	CHECK_INT(r.ev.recovered, -1);
	b = bucket_with(&r.ev, "sync.Mutex.Lock");
	CHECK(b != NULL);
	if (b != NULL) {
		CHECK_INT(b->count, 1);
		CHECK_INT(b->wait_min, -1);
		CHECK_INT(b->nstack, 5);
		/* linknamed into runtime/sema.go */
		CHECK_STR(b->stack[0].func,
		    "internal/sync.runtime_SemacquireMutex");
		CHECK_STR(b->stack[0].file, "$GOROOT/src/runtime/sema.go");
		CHECK_STR(b->stack[0].origin, "stdlib");
		CHECK_STR(b->stack[3].file, "$GOROOT/src/sync/mutex.go");
		CHECK_STR(b->stack[4].func, "main.main.func1");
		CHECK_STR(b->stack[4].origin, "main");
	}
	CHECK(bucket_with(&r.ev, "chan receive") != NULL);
}

static void
test_concurrent_map_writes(void)
{
	struct run r;
	const struct bucket *b;

	run_ck(&r, cmw_out, "fatal", "concurrent_map_writes");
	CHECK_INT(r.taken, r.nlines);
	CHECK_STR(r.ev.f[F_GOROUTINE], "20");
	CHECK_INT(r.ev.ngoroutines, 5);
	CHECK(r.ev.nstack == 2 && strcmp(r.ev.stack[0].origin,
	    "runtime") == 0);
	CHECK_STR(r.ev.f[F_FUNC], "main.main.func1");
	CHECK_STR(r.ev.f[F_LINE], "13");
	/* 17, 18 and the truncated 19: identical stacks, one bucket. */
	b = bucket_with(&r.ev, "runnable");
	CHECK(b != NULL && b->count == 3);
	CHECK(r.ev.ngr == 3 && r.ev.gr[0].count == 3);
	if (b != NULL && b->nstack == 2) {
		CHECK_STR(b->stack[0].func, "main.main.gowrap1");
		CHECK_STR(b->stack[1].file, "$GOROOT/src/runtime/asm_amd64.s");
	}
}

static void
test_race(void)
{
	struct run r;
	const struct bucket *b;

	run_ck(&r, race_out, "race", "data_race");
	CHECK_INT(r.taken, 16);		/* the closing ===, not "2" */
	CHECK_STR(r.ev.f[F_GOROUTINE], "7");
	CHECK_STR(r.ev.f[F_ADDR], "0x0000005ff690");
	CHECK_INT(r.ev.nstack, 2);
	if (r.ev.nstack == 2) {
		CHECK_STR(r.ev.stack[0].func, "main.inc");
		CHECK_INT(r.ev.stack[0].line, 7);
		CHECK_STR(r.ev.stack[1].func, "main.main.gowrap1");
	}
	CHECK_STR(r.ev.f[F_FUNC], "main.inc");
	CHECK_INT(r.ev.ngr, 3);
	b = bucket_with(&r.ev, "previous write");
	CHECK(b != NULL && b->nstack == 1 &&
	    strcmp(b->stack[0].func, "main.main") == 0);
	b = bucket_with(&r.ev, "created");
	CHECK(b != NULL && b->nstack == 1 && b->stack[0].line == 11);
	CHECK(bucket_with(&r.ev, "read") != NULL);

	/* The same race, accesses reported the other way round. */
	static const char swapped[] =
	    "==================\nWARNING: DATA RACE\n"
	    "Write at 0x0000005ff690 by main goroutine:\n"
	    "  main.main()\n      /home/b/race/main.go:12 +0xbc\n\n"
	    "Previous read at 0x0000005ff690 by goroutine 7:\n"
	    "  main.inc()\n      /home/b/race/main.go:7 +0x35\n"
	    "  main.main.gowrap1()\n      /home/b/race/main.go:11 +0x17\n\n"
	    "Goroutine 7 (running) created at:\n"
	    "  main.main()\n      /home/b/race/main.go:11 +0x94\n"
	    "==================\n";
	char f1[17], f2[17];
	fp_of(race_out, "race", "data_race", f1);
	fp_of(swapped, "race", "data_race", f2);
	CHECK_STR(f2, f1);
	fp_of(racetest_out, "race", "data_race", f2);
	CHECK(strcmp(f1, f2) != 0);

	/* Headline "WARNING: DATA RACE" (the engine's choice) works too. */
	run_ck(&r, race_out + strlen("==================\n"), "race",
	    "data_race");
	CHECK_INT(r.taken, 15);
	CHECK_INT(r.ev.nstack, 2);

	/* Two reports: the first block ends before the second one. */
	run_ck(&r, racetest_out, "race", "data_race");
	CHECK_INT(r.taken, 34);
	CHECK_STR(r.ev.f[F_GOROUTINE], "8");
	CHECK(r.ev.nstack == 3 && strcmp(r.ev.stack[0].origin,
	    "runtime") == 0 && strcmp(r.ev.stack[0].file,
	    "$GOROOT/src/internal/runtime/maps/runtime_faststr_swiss.go") == 0);
	CHECK_STR(r.ev.f[F_FUNC], "example.com/r.(*store).put");
	CHECK_INT(r.ev.ngr, 3);
	b = bucket_with(&r.ev, "created");
	CHECK(b != NULL && b->count == 2);

	/*
	 * The second report ends where the test's report begins: the
	 * "--- FAIL:" line and its log lines are the test tracker's.
	 */
	const char *second = strstr(racetest_out + 20, "==================\n"
	    "==================\n");
	CHECK(second != NULL);
	if (second != NULL) {
		const char *rep = strstr(second, "\n--- FAIL: ");
		int before = 0;
		for (const char *q = second + 19; rep != NULL && q <= rep; q++)
			before += *q == '\n';
		run_ck(&r, second + 19, "race", "data_race");
		CHECK(rep != NULL);
		CHECK_INT(r.taken, before);
		CHECK_INT(r.ev.nstack, 2);
	}
}

static void
test_timeout(void)
{
	struct run r;

	run_ck(&r, tmo_out, "panic", "test_timeout");
	CHECK_INT(r.taken, r.nlines);
	CHECK_STR(r.ev.f[F_GOROUTINE], "22");
	CHECK_STR(r.ev.f[F_FUNC], "example.com/tmo.waitForever");
	CHECK_STR(r.ev.f[F_FILE], "/tmp/stk/tmo/tmo_test.go");
	CHECK_INT(r.ev.ngoroutines, 4);
	CHECK(r.ev.nstack == 3 && strcmp(r.ev.stack[2].func,
	    "testing.tRunner") == 0 && strcmp(r.ev.stack[2].origin,
	    "stdlib") == 0);
	/* main.main in _testmain.go: kept as printed. */
	const struct bucket *b = NULL;
	for (int i = 0; i < r.ev.ngr; i++)
		if (r.ev.gr[i].nstack == 6)
			b = &r.ev.gr[i];
	CHECK(b != NULL && strcmp(b->stack[5].file, "_testmain.go") == 0 &&
	    strcmp(b->stack[5].origin, "main") == 0);
}

static void
test_gotraceback_crash(void)
{
	struct run r;

	run(&r, crash_out);
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.ngoroutines, 5);
	CHECK_INT(r.ev.ngr, 5);
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	CHECK_INT(r.ev.nstack, 5);
	if (r.ev.nstack == 5) {
		CHECK_STR(r.ev.stack[0].func, "panic");
		CHECK_STR(r.ev.stack[1].func, "main.boom");
		CHECK_INT(r.ev.stack[2].line, 7);
		CHECK_STR(r.ev.stack[4].func, "runtime.goexit");
		CHECK_STR(r.ev.stack[4].file,
		    "$GOROOT/src/runtime/asm_amd64.s");
	}
	CHECK(bucket_with(&r.ev, "GC sweep wait") != NULL);
	CHECK(bucket_with(&r.ev, "force gc (idle)") != NULL);
}

static void
test_sigabrt(void)
{
	struct run r;
	char *t = replace(abrt_out, "-----\n", "------\n");

	t = xrealloc(t, strlen(t) + 8);
	strcat(t, "READY\n");

	run_ck(&r, t, "signal", "unexpected_signal");
	/* Everything up to the last register line; "READY" ends it. */
	CHECK_INT(r.taken, r.nlines - 1);
	CHECK_STR(r.ev.f[F_SIGNAL], "SIGABRT");
	/* goroutine 0 (g0, printed first) yields to goroutine 1. */
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	CHECK_STR(r.ev.f[F_FUNC], "main.main");
	CHECK(r.ev.nstack == 5 && strcmp(r.ev.stack[1].func,
	    "time.Sleep") == 0);
	/* Two g0 stacks (m=0, m=1), different: two buckets. */
	int idle = 0;
	for (int i = 0; i < r.ev.ngr; i++)
		idle += strcmp(r.ev.gr[i].state, "idle") == 0;
	CHECK_INT(idle, 2);
	CHECK(bucket_with(&r.ev, "sleep") != NULL);
	free(t);
}

static void
test_sigquit_dump(void)
{
	struct buf b = { 0 };
	char tmp[8192];
	struct run r;
	const struct bucket *bk;
	long id = 6;

	buf_adds(&b, quit_head);
	for (int i = 0; i < 50; i++) {
		snprintf(tmp, sizeof(tmp), quit_worker, id++);
		buf_adds(&b, tmp);
		buf_adds(&b, "\n");
	}
	for (int i = 0; i < 20; i++) {
		snprintf(tmp, sizeof(tmp), quit_sleeper, id++);
		buf_adds(&b, tmp);
		if (i < 19)
			buf_adds(&b, "\n");
	}
	buf_adds(&b, quit_tail);
	buf_adds(&b, "$ \n");
	run_ck(&r, b.p, "signal", "sigquit");
	CHECK_INT(r.taken, r.nlines - 1);
	CHECK_STR(r.ev.f[F_SIGNAL], "SIGQUIT");
	CHECK_INT(r.ev.ngoroutines, 71);
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	CHECK_INT(r.ev.ngr, 3);
	CHECK_INT(sum_counts(&r.ev), 71);
	bk = bucket_with(&r.ev, "chan receive");
	CHECK(bk != NULL && bk->count == 50 && bk == &r.ev.gr[0]);
	if (bk != NULL && bk->nstack == 5) {
		CHECK_STR(bk->stack[3].func, "main.worker");
		CHECK_INT(bk->stack[3].line, 10);
		CHECK_STR(bk->stack[1].file, "$GOROOT/src/runtime/chan.go");
	}
	bk = bucket_with(&r.ev, "sleep");
	CHECK(bk != NULL && bk->count == 20 && bk == &r.ev.gr[1]);
	buf_free(&b);
}

static void
test_stack_overflow(void)
{
	struct run r;

	run_ck(&r, so_out, "fatal", "stack_overflow");
	CHECK_INT(r.taken, r.nlines);
	/* The goroutine, not the runtime stack, is the failing one. */
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	CHECK_INT(r.ev.nstack, 12);	/* 2 + 5 around the elision + 5 */
	CHECK_STR(r.ev.f[F_FUNC], "main.rec");
	CHECK_INT(r.ev.ngoroutines, 2);
	CHECK(bucket_with(&r.ev, "runtime stack") != NULL);
}

static void
test_cgo_sigsegv(void)
{
	struct run r;

	run_ck(&r, cgoseg_out, "signal", "signal_in_cgo");
	CHECK_INT(r.taken, r.nlines);
	CHECK_STR(r.ev.f[F_SIGNAL], "SIGSEGV");
	CHECK_STR(r.ev.f[F_ADDR], "0x0");
	CHECK_STR(r.ev.f[F_FUNC], "main._Cfunc_crash");
	CHECK_STR(r.ev.f[F_FILE], "_cgo_gotypes.go");
	CHECK_INT(r.ev.ngoroutines, 1);
	CHECK_INT(r.ev.ngr, 0);
}

static void
test_ice(void)
{
	struct run r;
	char a[17], b[17];

	/* The headline is the line after "# pkg". */
	const char *ice01 = strchr(ice01_out, '\n') + 1;
	const char *ice02 = strchr(ice02_out, '\n') + 1;
	run_ck(&r, ice01, "ice", "ice");
	CHECK_INT(r.taken, 34);		/* up to the next "# example.com/..." */
	CHECK_STR(r.ev.f[F_CLASS], "ice");
	CHECK_STR(r.ev.f[F_PHASE], "typecheck");
	CHECK(r.ev.f[F_FILE] == NULL && r.ev.f[F_FUNC] == NULL);
	CHECK(r.ev.nstack == 15 && strcmp(r.ev.stack[0].file,
	    "$GOROOT/src/runtime/debug/stack.go") == 0);
	CHECK(r.ev.nstack == 15 && strcmp(r.ev.stack[5].file,
	    "$GOROOT/src/cmd/compile/internal/noder/reader.go") == 0 &&
	    strcmp(r.ev.stack[5].origin, "stdlib") == 0);
	CHECK(r.ev.nstack == 15 && strcmp(r.ev.stack[14].origin,
	    "stdlib") == 0 && strcmp(r.ev.stack[14].file,
	    "$GOROOT/src/cmd/compile/main.go") == 0);

	/* A compiler panic read as a runtime panic becomes an ICE. */
	run_ck(&r, ice02, "panic", "user_panic");
	CHECK_STR(r.ev.f[F_CLASS], "ice");
	CHECK_STR(r.ev.f[F_KIND], "ice");
	CHECK_STR(r.ev.f[F_PHASE], "typecheck");

	fp_of(ice01, "ice", "ice", a);
	fp_of(ice02, "ice", "ice", b);
	CHECK(strcmp(a, b) != 0);

	/*
	 * ir.IntVal called from ssagen is ssa; with a stack the frames decide
	 * the phase over one a message rule set (SPEC section 2).
	 */
	static const char ssa_ice[] =
	    "./x.go:3:6: internal compiler error: 'f': panic during lower "
	    "while compiling f:\n\nruntime error: index out of range [1] "
	    "with length 1\n\ngoroutine 9 [running]:\n"
	    "cmd/compile/internal/base.Fatalf(...)\n"
	    "\t/usr/local/go/src/cmd/compile/internal/base/print.go:195\n"
	    "cmd/compile/internal/ir.IntVal(0xc0001, 0xc0002)\n"
	    "\t/usr/local/go/src/cmd/compile/internal/ir/const.go:70 +0x3c\n"
	    "cmd/compile/internal/ssagen.(*state).expr(0xc0003)\n"
	    "\t/usr/local/go/src/cmd/compile/internal/ssagen/ssa.go:2800 +0x5\n"
	    "cmd/compile/internal/walk.Walk(0xc0004)\n"
	    "\t/usr/local/go/src/cmd/compile/internal/walk/walk.go:40 +0x5\n"
	    "\n\n\nPlease file a bug report including a short program that "
	    "triggers the error.\nhttps://go.dev/issue/new\n"
	    "./y.go:1:1: undefined: z\n";
	run_ck(&r, ssa_ice, "ice", "ice");
	CHECK_INT(r.taken, r.nlines - 1);
	CHECK_STR(r.ev.f[F_PHASE], "ssa");
	r.ev.f[F_PHASE] = NULL;
	arena_reset(&A);
	memset(&r.ev, 0, sizeof(r.ev));
	r.ev.f[F_CLASS] = "ice";
	r.ev.f[F_PHASE] = "midend";
	stk_begin(S, "x.go:1:1: internal compiler error: x", 36);
	stk_feed(S, "", 0);
	stk_feed(S, "goroutine 1 [running]:", 22);
	stk_feed(S, "cmd/compile/internal/ssa.Compile(0x1)", 37);
	stk_finish(S, &r.ev, &A);
	CHECK_STR(r.ev.f[F_PHASE], "ssa");

	/* The linker and cgo own their phases. */
	run_ck(&r, "panic: boom\n\ngoroutine 1 [running]:\n"
	    "cmd/link/internal/ld.(*Link).loadlib(0x1)\n"
	    "\tcmd/link/internal/ld/lib.go:600 +0x1\n", "panic", "user_panic");
	CHECK_STR(r.ev.f[F_PHASE], "link");
	run_ck(&r, "panic: boom\n\ngoroutine 1 [running]:\n"
	    "main.(*Package).rewriteCall(0x1)\n"
	    "\t/usr/lib/go-1.24/src/cmd/cgo/gcc.go:900 +0x1\n", "panic",
	    "user_panic");
	CHECK_STR(r.ev.f[F_CLASS], "ice");
	CHECK_STR(r.ev.f[F_PHASE], "cgo");
	/* Not a toolchain: cmd/go panics stay what they were. */
	run_ck(&r, "panic: boom\n\ngoroutine 1 [running]:\n"
	    "cmd/go/internal/load.f(0x1)\n"
	    "\tcmd/go/internal/load/pkg.go:1 +0x1\n", "panic", "user_panic");
	CHECK_STR(r.ev.f[F_CLASS], "panic");
}

static void
test_modules(void)
{
	struct run r;
	char a[17], b[17];

	run(&r, mod_out);
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.nstack, 5);
	if (r.ev.nstack == 5) {
		CHECK_STR(r.ev.stack[0].func,
		    "github.com/acme/widget.(*Gadget).Part");
		CHECK_STR(r.ev.stack[0].file,
		    "github.com/acme/widget@v1.2.3/widget.go");
		CHECK_STR(r.ev.stack[0].origin, "module");
		CHECK_STR(r.ev.stack[0].module,
		    "github.com/acme/widget@v1.2.3");
		CHECK_STR(r.ev.stack[2].func, "github.com/acme/widget.Run[...]");
		CHECK_STR(r.ev.stack[1].origin, "main");
		CHECK(r.ev.stack[1].module == NULL);
	}
	CHECK_STR(r.ev.f[F_FUNC], "github.com/acme/widget.(*Gadget).Part");
	CHECK_STR(r.ev.f[F_FILE], "github.com/acme/widget@v1.2.3/widget.go");
	fp_of(mod_out, "panic", "index_out_of_range", a);
	fp_of(modtrim_out, "panic", "index_out_of_range", b);
	CHECK_STR(a, b);
	run(&r, modtrim_out);
	CHECK(r.ev.nstack == 5 && strcmp(r.ev.stack[1].file,
	    "example.com/app/main.go") == 0 && strcmp(r.ev.stack[0].module,
	    "github.com/acme/widget@v1.2.3") == 0);
}

static void
test_norm_path(void)
{
	static const struct {
		const char *func, *path, *file, *origin, *module;
	} t[] = {
		{ "runtime.gopanic", "/usr/lib/go-1.24/src/runtime/panic.go",
		  "$GOROOT/src/runtime/panic.go", "runtime", NULL },
		{ "runtime.gopanic", "/usr/local/go/src/runtime/panic.go",
		  "$GOROOT/src/runtime/panic.go", "runtime", NULL },
		{ "runtime.gopanic",
		  "/opt/hostedtoolcache/go/1.22.1/x64/src/runtime/panic.go",
		  "$GOROOT/src/runtime/panic.go", "runtime", NULL },
		{ "runtime.gopanic", "C:/Program Files/Go/src/runtime/panic.go",
		  "$GOROOT/src/runtime/panic.go", "runtime", NULL },
		{ "runtime.gopanic", "C:\\Go\\src\\runtime\\panic.go",
		  "$GOROOT/src/runtime/panic.go", "runtime", NULL },
		{ "runtime.gopanic", "runtime/panic.go",
		  "$GOROOT/src/runtime/panic.go", "runtime", NULL },
		{ "internal/runtime/maps.fatal",
		  "/usr/lib/go-1.24/src/runtime/panic.go",
		  "$GOROOT/src/runtime/panic.go", "runtime", NULL },
		{ "runtime/internal/atomic.Load", "/g/src/runtime/internal/"
		  "atomic/atomic_amd64.go", "$GOROOT/src/runtime/internal/"
		  "atomic/atomic_amd64.go", "runtime", NULL },
		{ "net/http.(*conn).serve",
		  "/home/u/sdk/go1.22.1/src/net/http/server.go",
		  "$GOROOT/src/net/http/server.go", "stdlib", NULL },
		{ "net/http.(*conn).serve", "/root/go/pkg/mod/golang.org/"
		  "toolchain@v0.0.1-go1.22.1.linux-amd64/src/net/http/server.go",
		  "$GOROOT/src/net/http/server.go", "stdlib", NULL },
		{ "github.com/x/y.F",
		  "/home/u/go/pkg/mod/github.com/x/y@v1.2.3/z.go",
		  "github.com/x/y@v1.2.3/z.go", "module", "github.com/x/y@v1.2.3" },
		{ "gopkg.in/yaml%2ev3.Unmarshal",
		  "/cache/mod/gopkg.in/yaml.v3@v3.0.1/yaml.go",
		  "gopkg.in/yaml.v3@v3.0.1/yaml.go", "module",
		  "gopkg.in/yaml.v3@v3.0.1" },
		{ "example.com/a%2eb.F", "/src/a.b/f.go", "/src/a.b/f.go",
		  "app", NULL },
		{ "main.main", "/tmp/go-build123456/b001/main.go",
		  "$WORK/b001/main.go", "main", NULL },
		{ "main.main", "/home/u/src/net/main.go",
		  "/home/u/src/net/main.go", "main", NULL },
		{ "myapp/db.Open", "/home/u/myapp/db/db.go",
		  "/home/u/myapp/db/db.go", "app", NULL },
		{ "myapp/db.Open", "/home/u/src/myapp/db/db.go",
		  "/home/u/src/myapp/db/db.go", "app", NULL },
		{ "main.main", "cmd/compile/main.go",
		  "$GOROOT/src/cmd/compile/main.go", "stdlib", NULL },
		{ "type:.eq.main.T", "<autogenerated>", "<autogenerated>",
		  "app", NULL },
		{ "sync.(*Once).Do", NULL, NULL, "stdlib", NULL },
		{ "$GOROOT/x", "$GOROOT/src/fmt/print.go",
		  "$GOROOT/src/fmt/print.go", "stdlib", NULL },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct frame fr;
		arena_reset(&A);
		stk_norm_frame(&fr, t[i].func, strlen(t[i].func), t[i].path,
		    t[i].path ? strlen(t[i].path) : 0, 12, &A);
		CHECK_STR(fr.file, t[i].file);
		CHECK_STR(fr.origin, t[i].origin);
		CHECK_STR(fr.module, t[i].module);
		CHECK_INT(fr.line, 12);
	}
	arena_reset(&A);
	CHECK_STR(stk_norm_path("/usr/local/go/src/runtime/proc.go", 33, &A),
	    "$GOROOT/src/runtime/proc.go");
	CHECK_STR(stk_norm_path("/tmp/go-build1/b001/_testmain.go", 32, &A),
	    "$WORK/b001/_testmain.go");
}

static void
test_headers(void)
{
	struct run r;

	/*
	 * Every header form; "3 minutes" is the wait, not the state.  A dump
	 * has a headline: a bare goroutine is no failure (test_bare).
	 */
	run(&r, "SIGQUIT: quit\nPC=0x1 m=0 sigcode=0\n\n"
	    "goroutine 1 [running]:\nmain.main()\n\t/x/m.go:1 +0x1\n\n"
	    "goroutine 7 [chan receive, 3 minutes]:\nmain.w()\n\t/x/m.go:2\n\n"
	    "goroutine 8 [chan receive, 5 minutes]:\nmain.w()\n\t/x/m.go:2\n\n"
	    "goroutine 9 gp=0xc000007 m=3 mp=0xc0008 [running, locked to "
	    "thread]:\nmain.l()\n\t/x/m.go:3 +0x1 fp=0x1 sp=0x2 pc=0x3\n\n"
	    "goroutine 10 [select (no cases)]:\nmain.s()\n\t/x/m.go:4\n\n"
	    "goroutine 11 [semacquire (scan), 5 minutes]:\nmain.q()\n"
	    "\t/x/m.go:5\n\n"
	    "goroutine 12 [sync.WaitGroup.Wait, 2 minutes, synctest bubble "
	    "4]:\nmain.q()\n\t/x/m.go:6\n\n"
	    "goroutine 13 [syscall]:\n\tgoroutine running on other thread; "
	    "stack unavailable\n\n"
	    "goroutine 14 gp=0x1 m=nil [chan send (durable), synctest "
	    "bubble 3]:\n"
	    "main.d({0x4b2c80?, 0xc00001c030}, ...)\n\t/x/m.go:7 +0x2\n"
	    "created by main.main in goroutine 1\n\t/x/m.go:8 +0x3\n");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.ngoroutines, 9);
	const struct bucket *b = bucket_with(&r.ev, "chan receive");
	CHECK(b != NULL && b->count == 2 && b->wait_min == 5);
	CHECK(bucket_with(&r.ev, "running, locked to thread") != NULL);
	CHECK(bucket_with(&r.ev, "select (no cases)") != NULL);
	b = bucket_with(&r.ev, "semacquire");
	CHECK(b != NULL && b->wait_min == 5);
	CHECK(bucket_with(&r.ev, "sync.WaitGroup.Wait") != NULL);
	b = bucket_with(&r.ev, "syscall");
	CHECK(b != NULL && b->nstack == 0);
	b = bucket_with(&r.ev, "chan send (durable)");
	CHECK(b != NULL && b->nstack == 1 && b->stack[0].line == 7 &&
	    strcmp(b->stack[0].func, "main.d") == 0);
}

static void
test_frames_syntax(void)
{
	struct run r;

	run(&r, "panic: x\n\ngoroutine 1 [running]:\n"
	    "example.com/a%2eb.(*T[...]).M(...)\n\t/x/a.go:1\n"
	    "main.main.func1.gowrap1()\n\t/x/m.go:2 +0x10\n"
	    "type:.eq.struct { a int }(0x1?, 0x2?)\n\t<autogenerated>:1 +0x3\n"
	    "main.(*T).M({0x4b2c80?, 0xc00001c030}, 0x2?, {0xc0, 0x1, 0x1})\n"
	    "\t/x/m.go:3 +0x4\n"
	    "non-Go function at pc=0x45e2e1\n"
	    "...additional frames elided...\n"
	    "main.z()\n\t/x/m.go:4 +0x4\n"
	    "[originating from goroutine 3]:\nmain.anc(...)\n\t/x/m.go:9 +0x1\n");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.nstack, 5);
	if (r.ev.nstack == 5) {
		CHECK_STR(r.ev.stack[0].func, "example.com/a%2eb.(*T[...]).M");
		CHECK_STR(r.ev.stack[0].origin, "app");
		CHECK_STR(r.ev.stack[1].func, "main.main.func1.gowrap1");
		CHECK_STR(r.ev.stack[2].func, "type:.eq.struct { a int }");
		CHECK_STR(r.ev.stack[3].func, "main.(*T).M");
		CHECK_INT(r.ev.stack[3].line, 3);
		CHECK_STR(r.ev.stack[4].func, "main.z");
	}
}

static void
test_endings(void)
{
	struct run r;
	static const char head[] = "panic: x\n\ngoroutine 1 [running]:\n"
	    "main.main()\n\t/x/main.go:3 +0x1d\n";
	static const char *const after[] = {
		"# example.com/foo\n",
		"./a.go:1:2: undefined: y\n",
		"a.go:12: vet: something\n",
		"panic: another\n",
		"=== RUN   TestX\n",
		"ok  \texample.com/m\t0.01s\n",
		"2024/05/01 12:00:00 listening on :8080\n",
		"WARNING: DATA RACE\n",
		"fatal error: all goroutines are asleep - deadlock!\n",
	};
	char tmp[512];

	for (size_t i = 0; i < sizeof(after) / sizeof(after[0]); i++) {
		snprintf(tmp, sizeof(tmp), "%s%s", head, after[i]);
		run(&r, tmp);
		check_long(r.taken, 5, __LINE__, after[i]);
	}
	/* After exit status, a blank line ends it. */
	run(&r, "panic: x\n\ngoroutine 1 [running]:\nmain.main()\n"
	    "\t/x/main.go:3 +0x1d\nexit status 2\n\nnext\n");
	CHECK_INT(r.taken, 6);
	/* Test output after a test binary's panic. */
	run(&r, "panic: x\n\ngoroutine 1 [running]:\nmain.main()\n"
	    "\t/x/main.go:3 +0x1d\nexit status 2\nFAIL\texample.com/m\t0.01s\n"
	    "FAIL\nok  \texample.com/n\t0.1s\n");
	CHECK_INT(r.taken, 8);
	/* A dump that ends without a blank line, other output right after. */
	run(&r, "fatal error: x\n\ngoroutine 1 [running]:\nmain.main()\n"
	    "\t/x/main.go:3 +0x1d\nserver restarted\nmore\n");
	CHECK_INT(r.taken, 5);
	/* A panic printed without its stack (cut off), then logs. */
	run(&r, "panic: x\n\nlog one\nlog two\nlog three\n");
	CHECK_INT(r.taken, 4);
}

static void
test_interleaved(void)
{
	struct run r;

	/* Unrelated lines between goroutines and inside one. */
	run_ck(&r, "fatal error: all goroutines are asleep - deadlock!\n\n"
	    "goroutine 1 [chan receive]:\nmain.main()\n\t/x/m.go:9 +0x7a\n\n"
	    "2024/05/01 12:00:00 worker 3 stopping\n"
	    "goroutine 17 [sync.Mutex.Lock]:\n"
	    "sync.(*Mutex).Lock(...)\n"
	    "INFO another process\n"
	    "\t/usr/local/go/src/sync/mutex.go:46\n"
	    "main.main.func1()\n\t/x/m.go:8 +0x51\n\n"
	    "goroutine 18 [sync.Mutex.Lock]:\n"
	    "sync.(*Mutex).Lock(...)\n\t/usr/local/go/src/sync/mutex.go:46\n"
	    "main.main.func1()\n\t/x/m.go:8 +0x51\n", "fatal", "deadlock");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.ngoroutines, 3);
	const struct bucket *b = bucket_with(&r.ev, "sync.Mutex.Lock");
	CHECK(b != NULL && b->count == 2 && b->nstack == 2 &&
	    b->stack[0].line == 46);
}

static void
test_spaces_for_tabs(void)
{
	struct run r;
	char *t = replace(deadlock_out, "\t", "        ");

	/* A log shipper turned tabs into spaces: same result. */
	run_ck(&r, t, "fatal", "deadlock");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.ngoroutines, 2);
	CHECK(r.ev.nstack == 1 && r.ev.stack[0].line == 9 &&
	    strcmp(r.ev.stack[0].file, "/tmp/stk/deadlock/main.go") == 0);
	free(t);
}

static void
test_ancestors(void)
{
	struct run r;

	/* GODEBUG=tracebackancestors=1: ancestors are not the stack. */
	run(&r, "panic: x\n\ngoroutine 7 [running]:\nmain.f()\n"
	    "\t/x/m.go:5 +0x1\ncreated by main.g in goroutine 6\n"
	    "\t/x/m.go:9 +0x2\n[originating from goroutine 6]:\n"
	    "main.g(...)\n\t/x/m.go:9 +0x3\ncreated by main.main\n"
	    "\t/x/m.go:12 +0x4\n");
	CHECK_INT(r.taken, r.nlines);
	CHECK(r.ev.nstack == 1 && r.ev.stack[0].line == 5);
	CHECK_STR(r.ev.f[F_GOROUTINE], "7");
}

static void
test_truncated(void)
{
	struct run r;

	/* Input ends after a function line: the frame is kept. */
	run(&r, "panic: runtime error: x\n\ngoroutine 1 [running]:\n"
	    "main.f(0x1)\n\t/x/m.go:3 +0x1\nmain.g(...)");
	CHECK_INT(r.taken, r.nlines);
	CHECK(r.ev.nstack == 2 && r.ev.stack[1].file == NULL &&
	    r.ev.stack[1].line == 0);
	CHECK_STR(r.ev.f[F_FUNC], "main.f");
	/* Only the headline. */
	run(&r, "panic: runtime error: x");
	CHECK_INT(r.ev.nstack, 0);
	CHECK(r.ev.f[F_FINGERPRINT] != NULL);
	/* CRLF line ends. */
	run(&r, "panic: x\r\n\r\ngoroutine 1 [running]:\r\nmain.main()\r\n"
	    "\t/x/main.go:3 +0x1d\r\n");
	CHECK(r.ev.nstack == 1 && r.ev.stack[0].line == 3 &&
	    strcmp(r.ev.stack[0].file, "/x/main.go") == 0);
}

static void
test_unexpected_return_pc(void)
{
	/* fixtures/crash/unexpected-return-pc.log (go1.24.4), excerpt */
	static const char t[] =
	    "runtime: g 1: unexpected return pc for main.trampoline called "
	    "from 0xdeadbeef\n"
	    "stack: frame={sp:0xc00008af00, fp:0xc00008af08} "
	    "stack=[0xc00008a000,0xc00008b000)\n"
	    "0x000000c00008ae00:  0x00000000004675a8 <runtime.gopanic+0x00000"
	    "00000000128>  0x0000000000000011 \n"
	    "0x000000c00008af00: <0x00000000deadbeef >0x0100000000000000 \n"
	    "fatal error: unknown caller pc\n\n"
	    "runtime stack:\n"
	    "runtime.throw({0x4b5c07?, 0x553300?})\n"
	    "\t/usr/lib/go-1.24/src/runtime/panic.go:1101 +0x48 fp=0x7ffd767ed"
	    "e08 sp=0x7ffd767eddd8 pc=0x4678e8\n\n"
	    "goroutine 1 gp=0xc000002380 m=0 mp=0x55f4c0 [running]:\n"
	    "panic({0x49b5a0?, 0xc000094040?})\n"
	    "\t/usr/lib/go-1.24/src/runtime/panic.go:786 +0x128 fp=0xc00008ae"
	    "b8 sp=0xc00008ae08 pc=0x4675a8\n"
	    "main.(*Plugin).init(...)\n"
	    "\t/tmp/goerrfilt-fixtures/crash/unexpected-return-pc/main.go:26\n"
	    "main.enterPlugin()\n";
	struct run r;

	run_ck(&r, t, "fatal", "unexpected_return_pc");
	CHECK_INT(r.taken, r.nlines);
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	CHECK_STR(r.ev.f[F_FUNC], "main.(*Plugin).init");
	CHECK_INT(r.ev.nstack, 3);
}

static void
test_buckets_bounded(void)
{
	struct buf b = { 0 };
	char tmp[256];
	struct run r;

	/* 100000 goroutines in 1500 distinct stacks: 1000 kept. */
	buf_adds(&b, "SIGQUIT: quit\nPC=0x1 m=0 sigcode=0\n");
	for (long i = 0; i < 100000; i++) {
		snprintf(tmp, sizeof(tmp), "\ngoroutine %ld [chan receive]:\n"
		    "main.worker%ld(0xc000%lx?)\n\t/srv/app/w.go:%ld +0x1d\n"
		    "created by main.main in goroutine 1\n\t/srv/app/m.go:9 "
		    "+0x2\n", i + 2, i % 1500, i, i % 1500 + 1);
		buf_adds(&b, tmp);
	}
	run_ck(&r, b.p, "signal", "sigquit");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.ngoroutines, 100000);
	CHECK_INT(r.ev.ngr, 1001);
	CHECK_INT(sum_counts(&r.ev), 100000);
	/* Stacks 1000..1499 come 66 times each. */
	CHECK_INT(stk_overflow(S), 500 * 66);
	CHECK(r.ev.ngr == 1001 && strcmp(r.ev.gr[1000].state,
	    "(other)") == 0);
	buf_free(&b);
}

static void
test_http_recovered(void)
{
	struct run r;
	char crash[17], fp[17];

	run_ck(&r, http23_out, "panic", "nil_deref");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.recovered, 1);
	CHECK_STR(r.ev.f[F_GOROUTINE], "3");
	CHECK_INT(r.ev.nstack, 8);
	/* The top app frame is the panic's, not net/http's recovery. */
	CHECK_STR(r.ev.f[F_FUNC], "main.(*DB).get");
	CHECK_STR(r.ev.f[F_FILE], "/tmp/d/app/http3/main.go");
	CHECK_STR(r.ev.f[F_LINE], "17");
	if (r.ev.nstack == 8) {
		CHECK_STR(r.ev.stack[0].func, "net/http.(*conn).serve.func1");
		CHECK_STR(r.ev.stack[0].file, "$GOROOT/src/net/http/server.go");
		CHECK_STR(r.ev.stack[1].func, "panic");
	}
	snprintf(fp, sizeof(fp), "%s", r.ev.f[F_FINGERPRINT]);
	/* The same call path unrecovered (go1.27) hashes the same. */
	fp_of(http27_crash_out, "panic", "nil_deref", crash);
	CHECK_STR(fp, crash);
	/* Go 1.27's conn.serve line and its HTTP/2 server: the same. */
	char *t = replace(http23_out, "server.go:1947 +0xbe", "server.go:1963 +0xbb");
	char *t2 = replace(t, "http: panic serving 127.0.0.1:39918:",
	    "http2: panic serving [::1]:443:");
	run_ck(&r, t2, "panic", "nil_deref");
	CHECK_INT(r.ev.recovered, 1);
	CHECK_STR(r.ev.f[F_FINGERPRINT], crash);
	free(t);
	free(t2);
	/* The next log line ends the block: runtime.Stack has no blank. */
	t = replace(http23_out, "server.go:3360 +0x485\n",
	    "server.go:3360 +0x485\nhttp: panic serving 127.0.0.1:1: x\n");
	run_ck(&r, t, "panic", "nil_deref");
	CHECK_INT(r.taken, r.nlines - 1);
	free(t);
	/* A panic value with ": " in it: the address ends at the first. */
	run_ck(&r, "http: panic serving 10.0.0.1:80: db: closed\n"
	    "goroutine 9 [running]:\nnet/http.(*conn).serve.func1()\n"
	    "\t/go/src/net/http/server.go:1947 +0xbe\npanic({0x1?, 0x2?})\n"
	    "\t/go/src/runtime/panic.go:785 +0x132\nmain.h({0x1, 0x2}, 0x3)\n"
	    "\t/app/main.go:9 +0x25\n", "panic", "user_panic");
	CHECK_INT(r.ev.recovered, 1);
	CHECK_STR(r.ev.f[F_FUNC], "main.h");
	CHECK(stk_last_panic(S, &(size_t){ 0 }) == NULL);
}

static void
test_debug_stack(void)
{
	struct run r;
	char a[17], b[17];

	/* A recovered panic's PrintStack: a failure, recovered. */
	run_ck(&r, printstack27_out, "panic", "user_panic");
	CHECK_INT(stk_verdict(S), 1);
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.recovered, 1);
	CHECK_STR(r.ev.f[F_FUNC], "main.work");
	CHECK_STR(r.ev.f[F_LINE], "11");
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	CHECK_INT(r.ev.nstack, 8);
	/*
	 * Its fingerprint is the unrecovered crash's of the same path
	 * (synthetic: the frames below the panic, as Go prints a crash).
	 */
	fp_of(printstack27_out, "panic", "user_panic", a);
	fp_of("panic: x\n\ngoroutine 1 [running]:\nmain.work(...)\n"
	    "\t/tmp/d/app/ps/main.go:11\nmain.main.func1()\n"
	    "\t/tmp/d/app/ps/main.go:32 +0x3\nmain.safe(0x1?)\n"
	    "\t/tmp/d/app/ps/main.go:26 +0x33\nmain.main()\n"
	    "\t/tmp/d/app/ps/main.go:32 +0x74\n", "panic", "user_panic", b);
	CHECK_STR(a, b);
	/* debug.Stack without PrintStack (go1.25.x prints the same). */
	char *t = replace(printstack27_out, "runtime/debug.PrintStack()\n"
	    "\t/usr/lib/go-1.27/src/runtime/debug/stack.go:18 +0x13\n", "");
	fp_of(t, "panic", "user_panic", b);
	CHECK_STR(a, b);
	free(t);
	/* The program logged "panic: VALUE" and the stack: one event. */
	t = replace(printstack27_out, "goroutine 1 [running]:\n",
	    "panic: runtime error: index out of range [5] with length 1\n"
	    "goroutine 1 [running]:\n");
	run_ck(&r, t, "panic", "index_out_of_range");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.recovered, 1);
	CHECK_STR(r.ev.f[F_FUNC], "main.work");
	free(t);
	/* PrintStack without a panic: no failure. */
	run_ck(&r, plainstack27_out, "panic", "user_panic");
	CHECK_INT(stk_verdict(S), 0);
	/* Nor is a bare goroutine; the block ends at its first frame. */
	run_ck(&r, "goroutine 1 [running]:\nmain.main()\n\t/x/m.go:3 +0x1\n",
	    "panic", "user_panic");
	CHECK_INT(stk_verdict(S), 0);
	CHECK_INT(r.taken, 1);
	/* Blocks with a headline are failures from their start. */
	run(&r, "panic: x\n");
	CHECK_INT(stk_verdict(S), 1);
	/* Undecided until the panic frame (synthetic, 1.26 labels). */
	{ static const char h[] = "goroutine 5 [running labels:{\"rq\": \"7\"}]:";
	stk_begin(S, h, sizeof(h) - 1); }
	CHECK_INT(stk_verdict(S), -1);
	CHECK_INT(stk_feed(S, "runtime/debug.Stack()", 21), STK_TAKE);
	CHECK_INT(stk_verdict(S), -1);
	CHECK_INT(stk_feed(S, "main.h.func1()", 14), STK_TAKE);
	CHECK_INT(stk_feed(S, "panic({0x1?, 0x2?})", 19), STK_TAKE);
	CHECK_INT(stk_verdict(S), 1);
	/* An ICE's debug.Stack is the compiler's: not a recovered panic. */
	run_ck(&r, "./a.go:1:2: internal compiler error: x\n\n"
	    "goroutine 1 [running]:\nruntime/debug.Stack()\n"
	    "\truntime/debug/stack.go:26 +0x5e\n"
	    "cmd/compile/internal/base.FatalfAt({0x1?, 0x2?}, {0x3, 0x4})\n"
	    "\tcmd/compile/internal/base/print.go:230 +0x1ea\n"
	    "panic({0x1?, 0x2?})\n\truntime/panic.go:785 +0x132\n"
	    "cmd/compile/internal/ssa.(*Func).f(0x1)\n"
	    "\tcmd/compile/internal/ssa/func.go:9 +0x1\n", "ice", "ice");
	CHECK_INT(r.ev.recovered, -1);
}

/* A runtime: headline whose fatal error: line never came (a cut log). */
static void
test_cut_runtime_headline(void)
{
	/* go1.27.4: so/main.go, (*L).Len recursing; lines 1-2 and 11-16. */
	static const char so27[] =
	    "runtime: goroutine stack exceeds 1000000000-byte limit\n"
	    "runtime: sp=0x13ad8a9e0398 stack=[0x13ad8a9e0000, 0x13adaa9e0000]\n"
	    "goroutine 1 gp=0x13ad6a9681e0 m=0 mp=0x52a980 [running]:\n"
	    "main.(*L).Len(0x13adaa9dfea0?)\n"
	    "\t/tmp/d/app/so/main.go:5 +0x27 fp=0x13ad8a9e03a8 sp=0x13ad8a9e03a0"
	    " pc=0x47db87\n"
	    "main.(*L).Len(...)\n"
	    "\t/tmp/d/app/so/main.go:5\n"
	    "main.(*L).Len(0x0?)\n";
	struct run r;
	char a[17], b[17];

	run_ck(&r, so27, "fatal", "stack_overflow");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.nstack, 3);
	CHECK_STR(r.ev.f[F_FUNC], "main.(*L).Len");
	CHECK_STR(r.ev.f[F_GOROUTINE], "1");
	fp_of(so27, "fatal", "stack_overflow", a);
	/* The whole crash (its fatal error: and runtime stack) hashes so. */
	char *t = replace(so27, "pc=0x47db87\n", "pc=0x47db87\n"
	    "main.(*L).Len(...)\n\t/tmp/d/app/so/main.go:5\n");
	char *t2 = replace(t, "0x13adaa9e0000]\n", "0x13adaa9e0000]\n"
	    "fatal error: stack overflow\n\nruntime stack:\n"
	    "runtime.throw({0x47f5ed?, 0x417a01?})\n"
	    "\t/usr/lib/go-1.27/src/runtime/panic.go:1245 +0x48\n\n");
	fp_of(t2, "fatal", "stack_overflow", b);
	CHECK_STR(a, b);
	free(t);
	free(t2);
	/* OOM, then EOF; then with a stack and no fatal error: line. */
	run_ck(&r, "runtime: out of memory: cannot allocate 268435456-byte "
	    "block (272302080 in use)", "fatal", "oom");
	CHECK(r.ev.f[F_FINGERPRINT] != NULL);
	run_ck(&r, "runtime: out of memory: cannot allocate 268435456-byte "
	    "block (272302080 in use)\n\ngoroutine 1 [running]:\n"
	    "main.grow(...)\n\t/x/m.go:7\nmain.main()\n\t/x/m.go:3 +0x1\n",
	    "fatal", "oom");
	CHECK_INT(r.taken, r.nlines);
	CHECK_STR(r.ev.f[F_FUNC], "main.grow");
}

static void
test_cut_lines(void)
{
	struct run r;
	static const char head[] = "panic: x\n\ngoroutine 1 [running]:\n"
	    "main.main()\n\t/home/u/app/main.go:3 +0x1d\n";
	char tmp[512];

	/* A frame line cut in its arguments, at EOF. */
	snprintf(tmp, sizeof(tmp), "%smain.(*Server).handle(0xc000123", head);
	run(&r, tmp);
	CHECK_INT(r.taken, r.nlines);
	CHECK(r.ev.nstack == 2 &&
	    strcmp(r.ev.stack[1].func, "main.(*Server).handle") == 0);
	/* ... then junk; the junk is foreign, then the block goes on. */
	snprintf(tmp, sizeof(tmp), "%smain.(*Server).handle({0x4b3f20, 0xc0"
	    "\n\\x1b[0mINFO ok\nmain.run()\n\t/home/u/app/run.go:9 +0x1\n", head);
	run(&r, tmp);
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.nstack, 3);
	/* Cut right after "(": still the function. */
	snprintf(tmp, sizeof(tmp), "%smain.f(", head);
	run(&r, tmp);
	CHECK(r.ev.nstack == 2 && strcmp(r.ev.stack[1].func, "main.f") == 0);
	/* Log text with a parenthesis is no frame. */
	snprintf(tmp, sizeof(tmp), "%sretrying (attempt 3\n", head);
	run(&r, tmp);
	CHECK_INT(r.taken, 5);
	snprintf(tmp, sizeof(tmp), "%sfmt.Println(x\n", head);
	run(&r, tmp);
	CHECK_INT(r.taken, 5);
	/* File lines cut before +0x, before the number, inside the path. */
	snprintf(tmp, sizeof(tmp), "%smain.g(...)\n\t/home/u/app/main.go:4",
	    head);
	run(&r, tmp);
	CHECK(r.ev.nstack == 2 && r.ev.stack[1].line == 4 &&
	    strcmp(r.ev.stack[1].file, "/home/u/app/main.go") == 0);
	snprintf(tmp, sizeof(tmp), "%smain.g(...)\n\t/home/u/app/main.go:",
	    head);
	run(&r, tmp);
	CHECK(r.ev.nstack == 2 && r.ev.stack[1].line == 0 &&
	    r.ev.stack[1].file != NULL &&
	    strcmp(r.ev.stack[1].file, "/home/u/app/main.go") == 0);
	snprintf(tmp, sizeof(tmp), "%smain.g(...)\n\t/home/u/app/ma", head);
	run(&r, tmp);
	CHECK_INT(r.taken, r.nlines);
	CHECK(r.ev.nstack == 2 && r.ev.stack[1].file == NULL &&
	    strcmp(r.ev.stack[1].func, "main.g") == 0);
	/* A module cache path cut before its number: normalised all the same. */
	snprintf(tmp, sizeof(tmp), "%sexample.com/m.F(0x1)\n"
	    "\tC:/Users/u/go/pkg/mod/example.com/m@v1.2.3/x.go", head);
	run(&r, tmp);
	CHECK(r.ev.nstack == 2 && r.ev.stack[1].file != NULL &&
	    strcmp(r.ev.stack[1].file, "example.com/m@v1.2.3/x.go") == 0);
}

/*
 * Traceback forms from Go 1.8 to 1.27, synthetic: written from each
 * release's runtime/traceback.go and panic.go, and from real 1.8-1.16
 * traces quoted in public issues.  The same crash in every form gives
 * the same frames and fingerprint.
 */
static const char form_new[] =	/* 1.17+: register ABI arguments */
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f3a2]\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.(*Server).handle(0xc000010000, {0x4b3f20, 0xc000010018}, 0x1?)\n"
    "\t/home/u/app/main.go:14 +0x22\n"
    "main.serve(...)\n"
    "\t/home/u/app/main.go:20\n"
    "main.main()\n"
    "\t/home/u/app/main.go:25 +0x1d\n"
    "exit status 2\n";
static const char form_old[] =	/* 1.8-1.16: argument words */
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f3a2]\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.(*Server).handle(0xc42000e1e0, 0x4b3f20, 0xc420010018, 0x1)\n"
    "\t/home/u/app/main.go:14 +0x22\n"
    "main.serve(0xc42000e1e0)\n"
    "\t/home/u/app/main.go:20 +0x3a\n"
    "main.main()\n"
    "\t/home/u/app/main.go:25 +0x1d\n"
    "exit status 2\n";
static const char form_numsig[] =	/* before signal names */
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal 0xb code=0x1 addr=0x0 pc=0x401036]\n"
    "\n"
    "goroutine 1 [running]:\n"
    "main.(*Server).handle(0xc82000e1e0, 0x4b3f20, 0xc820010018, 0x1)\n"
    "\t/home/u/app/main.go:14 +0x22\n"
    "main.serve(0xc82000e1e0)\n"
    "\t/home/u/app/main.go:20 +0x3a\n"
    "main.main()\n"
    "\t/home/u/app/main.go:25 +0x1d\n";
static const char form_win[] =	/* Windows, GOTRACEBACK=system */
    "panic: runtime error: invalid memory address or nil pointer dereference\n"
    "[signal 0xc0000005 code=0x0 addr=0x0 pc=0x7ff6d1a2f3a2]\n"
    "\n"
    "goroutine 1 gp=0xc000002380 m=0 mp=0x7ff6d1b4a5c0 [running]:\n"
    "panic({0x7ff6d1a6c8a0?, 0x7ff6d1b3e2a0?})\n"
    "\tC:/Program Files/Go/src/runtime/panic.go:770 +0x132 fp=0xc0000a7e"
    "b8 sp=0xc0000a7e08 pc=0x7ff6d19e75a8\n"
    "runtime.panicmem(...)\n"
    "\tC:/Program Files/Go/src/runtime/panic.go:261\n"
    "runtime.sigpanic()\n"
    "\tC:/Program Files/Go/src/runtime/signal_windows.go:402 +0x2e5 fp="
    "0xc0000a7f00 sp=0xc0000a7eb8 pc=0x7ff6d19fd2e5\n"
    "main.(*Server).handle(0xc000010000, {0x4b3f20, 0xc000010018}, 0x1?)\n"
    "\tC:/Users/u/src/app/main.go:14 +0x22 fp=0xc0000a7f40 sp=0xc0000a7f"
    "00 pc=0x7ff6d1a2f3a2\n"
    "main.serve(...)\n"
    "\tC:/Users/u/src/app/main.go:20\n"
    "main.main()\n"
    "\tC:/Users/u/src/app/main.go:25 +0x1d fp=0xc0000a7f50 sp=0xc0000a7"
    "f40 pc=0x7ff6d1a2f3bd\n"
    "runtime.main()\n"
    "\tC:/Program Files/Go/src/runtime/proc.go:271 +0x28b fp=0xc0000a7fe"
    "0 sp=0xc0000a7f50 pc=0x7ff6d19b926b\n"
    "runtime.goexit({})\n"
    "\tC:/Program Files/Go/src/runtime/asm_amd64.s:1695 +0x1 fp=0xc0000a"
    "7fe8 sp=0xc0000a7fe0 pc=0x7ff6d19eaaa1\n";

static void
test_forms(void)
{
	struct run r;
	char fnew[17], f[17];
	static const char *const forms[] = { form_old, form_numsig, form_win };

	run_ck(&r, form_new, "panic", "nil_deref");
	CHECK_STR(r.ev.f[F_SIGNAL], "SIGSEGV");
	fp_of(form_new, "panic", "nil_deref", fnew);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		run_ck(&r, forms[i], "panic", "nil_deref");
		check_long(r.taken, r.nlines, __LINE__, forms[i] + 60);
		CHECK_STR(r.ev.f[F_FUNC], "main.(*Server).handle");
		CHECK_STR(r.ev.f[F_LINE], "14");
		CHECK_STR(r.ev.f[F_GOROUTINE], "1");
		CHECK_STR(r.ev.f[F_ADDR], "0x0");
		fp_of(forms[i], "panic", "nil_deref", f);
		check_str(f, fnew, __LINE__, forms[i] + 60);
	}
	run_ck(&r, form_numsig, "panic", "nil_deref");
	CHECK_STR(r.ev.f[F_SIGNAL], "SIGSEGV");
	run_ck(&r, form_win, "panic", "nil_deref");
	/* Windows exception codes are no Unix signal: kept as printed. */
	CHECK_STR(r.ev.f[F_SIGNAL], "0xc0000005");
	CHECK_INT(r.ev.nstack, 8);
	if (r.ev.nstack == 8) {
		CHECK_STR(r.ev.stack[0].file, "$GOROOT/src/runtime/panic.go");
		CHECK_INT(r.ev.stack[0].line, 770);
		CHECK_STR(r.ev.stack[2].file,
		    "$GOROOT/src/runtime/signal_windows.go");
		CHECK_STR(r.ev.stack[3].file, "C:/Users/u/src/app/main.go");
		CHECK_STR(r.ev.stack[3].origin, "main");
		CHECK_STR(r.ev.stack[7].file, "$GOROOT/src/runtime/asm_amd64.s");
	}
	/* Backslashes (a log that rewrote them): the same paths. */
	char *t = replace(form_win, "/", "\\");
	run_ck(&r, t, "panic", "nil_deref");
	CHECK(r.ev.nstack == 8 && strcmp(r.ev.stack[0].file,
	    "$GOROOT/src/runtime/panic.go") == 0);
	fp_of(t, "panic", "nil_deref", f);
	CHECK_STR(f, fnew);
	free(t);
	/* Windows module cache and GOROOT against Linux's. */
	run(&r, "panic: x\n\ngoroutine 1 [running]:\n"
	    "example.com/m.(*C).Get(0xc000010000)\n"
	    "\tC:/Users/u/go/pkg/mod/example.com/m@v1.2.3/x.go:12 +0x1d\n"
	    "main.main()\n\tC:/Users/u/src/app/main.go:5 +0x1\n");
	CHECK(r.ev.nstack == 2 && strcmp(r.ev.stack[0].file,
	    "example.com/m@v1.2.3/x.go") == 0 &&
	    strcmp(r.ev.stack[0].module, "example.com/m@v1.2.3") == 0 &&
	    strcmp(r.ev.stack[0].origin, "module") == 0);
	fp_of("panic: x\n\ngoroutine 1 [running]:\n"
	    "example.com/m.(*C).Get(0xc000010000)\n"
	    "\t/home/u/go/pkg/mod/example.com/m@v1.2.3/x.go:12 +0x1d\n"
	    "main.main()\n\t/home/u/src/app/main.go:5 +0x1\n", "panic", "x",
	    fnew);
	fp_of("panic: x\n\ngoroutine 1 [running]:\n"
	    "example.com/m.(*C).Get(0xc000010000)\n"
	    "\tC:/Users/u/go/pkg/mod/example.com/m@v1.2.3/x.go:12 +0x1d\n"
	    "main.main()\n\tC:/Users/u/src/app/main.go:5 +0x1\n", "panic", "x",
	    f);
	CHECK_STR(f, fnew);
	/* Old: "created by main.main" without "in goroutine N". */
	run(&r, "panic: x\n\ngoroutine 6 [running]:\nmain.w(0xc42001a0c0)\n"
	    "\t/home/u/app/main.go:9 +0x3c\ncreated by main.main\n"
	    "\t/home/u/app/main.go:15 +0x7b\n\ngoroutine 1 [chan receive]:\n"
	    "main.main()\n\t/home/u/app/main.go:17 +0x9d\nexit status 2\n");
	CHECK_INT(r.taken, r.nlines);
	CHECK(r.ev.nstack == 1 && r.ev.stack[0].line == 9);
	CHECK_INT(r.ev.ngoroutines, 2);
	/* Old hex dumps had no 0x (1.10, issue golang/go#35005 style). */
	run_ck(&r, "fatal error: unknown caller pc\n\nruntime stack:\n"
	    "runtime: unexpected return pc for runtime.sigtramp called from "
	    "0x7f9bd7e20307\nstack: frame={sp:0xc4205b4368, fp:0xc4205b43c0} "
	    "stack=[0xc4205ac2b8,0xc4205b46b8)\n"
	    "000000c4205b4268:  000000c4205b4288  0000000000431521 "
	    "<runtime.throw+129> \n"
	    "000000c4205b4278:  0000000000000000  0000000000000039 \n"
	    "runtime.throw(0x1, 0x2)\n\t/usr/local/go/src/runtime/panic.go:616"
	    " +0x81\n", "fatal", "unexpected_return_pc");
	CHECK_INT(r.taken, r.nlines);
}

static void
test_header_forms(void)
{
	struct run r;

	run(&r, "SIGQUIT: quit\nPC=0x1 m=0 sigcode=0\n\n"
	    /* 1.26, GODEBUG=tracebacklabels=1: labels in the bracket */
	    "goroutine 7 [chan receive, synctest bubble 3 labels:{\"rq\": "
	    "\"a]:b\", \"user\": \"x\"}]:\nmain.w()\n\t/x/m.go:2 +0x1\n\n"
	    /* 1.27: after it, quoted only when needed */
	    "goroutine 8 [chan receive, 2 minutes] {rq: 42, \"a b\": "
	    "\"c}\"}:\nmain.w()\n\t/x/m.go:2 +0x1\n\n"
	    /* 1.26+: a leaked goroutine (goroutine leak profile) */
	    "goroutine 9 [chan send (leaked)]:\nmain.l()\n\t/x/m.go:3 +0x1\n\n"
	    /* 1.25+: synctest (durable) and bubble; 1.24: group */
	    "goroutine 10 [select (durable), synctest bubble 4]:\nmain.s()\n"
	    "\t/x/m.go:4 +0x1\n\n"
	    "goroutine 11 [select, synctest group 4]:\nmain.s()\n"
	    "\t/x/m.go:4 +0x1\n\n"
	    /* GOTRACEBACK=system: gp=, m=nil */
	    "goroutine 12 gp=0xc000003500 m=nil [GC scavenge wait]:\n"
	    "runtime.gopark(0x10000?, 0x164a04?, 0x0?, 0x0?, 0x0?)\n"
	    "\t/usr/local/go/src/runtime/proc.go:460 +0xce fp=0xc00005bf78 "
	    "sp=0xc00005bf58 pc=0x48032e\n"
	    "created by runtime.gcenable in goroutine 1\n"
	    "\t/usr/local/go/src/runtime/mgc.go:212 +0x66\n\n"
	    "goroutine 13 [running]:\n"
	    "\tgoroutine running on other thread; stack unavailable\n"
	    "created by main.main in goroutine 1\n\t/x/m.go:8 +0x3\n\n"
	    "goroutine 14 [running]:\nmain.deep()\n\t/x/m.go:9 +0x1\n"
	    "...additional frames elided...\n"
	    "created by main.main in goroutine 1\n\t/x/m.go:8 +0x3\n");
	CHECK_INT(r.taken, r.nlines);
	CHECK_INT(r.ev.ngoroutines, 8);
	const struct bucket *b = bucket_with(&r.ev, "chan receive");
	CHECK(b != NULL && b->count == 2 && b->wait_min == 2);
	CHECK(bucket_with(&r.ev, "chan send (leaked)") != NULL);
	CHECK(bucket_with(&r.ev, "select (durable)") != NULL);
	CHECK(bucket_with(&r.ev, "select") != NULL);
	CHECK(bucket_with(&r.ev, "GC scavenge wait") != NULL);
	b = bucket_with(&r.ev, "running");
	CHECK(b != NULL && b->count == 1 && b->nstack == 0);
	/* Not headers (no colon at the end, no bracket): no bare block. */
	stk_begin(S, "goroutine 1 [running]: x", 24);
	CHECK_INT(stk_verdict(S), 1);
	stk_begin(S, "goroutine 1 [running", 20);
	CHECK_INT(stk_verdict(S), 1);
	stk_begin(S, "goroutine 1 [running] {a: b}:", 29);
	CHECK_INT(stk_verdict(S), -1);
}

static void
test_fingerprint_msg(void)
{
	struct event a, b;
	const char *fa;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	arena_reset(&A);
	a.f[F_CLASS] = b.f[F_CLASS] = "compile_error";
	a.f[F_KIND] = b.f[F_KIND] = "undefined";
	a.f[F_MSG] = "./main.go:7:2: undefined: Foo2";
	b.f[F_MSG] = "/home/ci/src/app/main.go:19:12: undefined: Foo2";
	stk_fingerprint_msg(&a, &A);
	stk_fingerprint_msg(&b, &A);
	CHECK_STR(a.f[F_FINGERPRINT], b.f[F_FINGERPRINT]);
	fa = a.f[F_FINGERPRINT];
	b.f[F_MSG] = "./main.go:7:2: undefined: Foo3";
	stk_fingerprint_msg(&b, &A);
	CHECK(strcmp(fa, b.f[F_FINGERPRINT]) != 0);
	a.f[F_MSG] = "cannot use \"abc\" (untyped string constant) as int "
	    "value in argument to f";
	b.f[F_MSG] = "cannot use \"xyz\" (untyped string constant) as int "
	    "value in argument to f";
	stk_fingerprint_msg(&a, &A);
	stk_fingerprint_msg(&b, &A);
	CHECK_STR(a.f[F_FINGERPRINT], b.f[F_FINGERPRINT]);
	a.f[F_MSG] = "relocation target main.f not defined";
	b.f[F_MSG] = "relocation target main.g not defined";
	stk_fingerprint_msg(&a, &A);
	stk_fingerprint_msg(&b, &A);
	CHECK(strcmp(a.f[F_FINGERPRINT], b.f[F_FINGERPRINT]) != 0);
	a.f[F_MSG] = "go.mod requires go >= 1.23.4 (running go 1.22.1; "
	    "GOTOOLCHAIN=local)";
	b.f[F_MSG] = "go.mod requires go >= 1.24 (running go 1.23.0; "
	    "GOTOOLCHAIN=local)";
	stk_fingerprint_msg(&a, &A);
	stk_fingerprint_msg(&b, &A);
	CHECK_STR(a.f[F_FINGERPRINT], b.f[F_FINGERPRINT]);
	a.f[F_KIND] = "other";
	fa = a.f[F_FINGERPRINT];
	stk_fingerprint_msg(&a, &A);
	CHECK(strcmp(fa, a.f[F_FINGERPRINT]) != 0);
	/* Documented value: FNV-1a 64 of "panic\0x\0main.main\0". */
	char f[17];
	fp_of("panic: x\n\ngoroutine 1 [running]:\nmain.main()\n"
	    "\t/x/main.go:3 +0x1d\n", "panic", "x", f);
	CHECK_STR(f, "332d262afc28aa10");
}

/*
 * Feeds a file as the engine would: a block starts at the first line and
 * again at every line that ended one.  The file is read in 1 MiB chunks so
 * that the peak RSS shows the parser's memory, not the input's.
 */
static int
bench(const char *path, int reps, int split_only)
{
	enum { CHUNK = 1 << 20 };
	char *buf = xmalloc(2 * CHUNK);
	size_t lines = 0, blocks = 0, bytes = 0;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int rep = 0; rep < reps; rep++) {
		FILE *fp = fopen(path, "rb");
		size_t have = 0, n;
		int open = 0, eof = 0;
		if (fp == NULL) {
			perror(path);
			free(buf);
			return 2;
		}
		while (!eof) {
			n = fread(buf + have, 1, CHUNK, fp);
			bytes += n;
			have += n;
			eof = n == 0;
			const char *p = buf, *e = buf + have;
			for (;;) {
				const char *nl = memchr(p, '\n', (size_t)(e - p));
				if (nl == NULL && !(eof && p < e))
					break;
				size_t len = nl != NULL ? (size_t)(nl - p) :
				    (size_t)(e - p);
				lines++;
				if (split_only) {
					p = nl != NULL ? nl + 1 : e;
					continue;
				}
				if (open && stk_feed(S, p, len) == STK_END) {
					struct event ev = { .recovered = -1 };
					stk_finish(S, &ev, &A);
					arena_reset(&A);
					blocks++;
					open = 0;
				}
				if (!open) {
					stk_begin(S, p, len);
					open = 1;
				}
				p = nl != NULL ? nl + 1 : e;
			}
			have = (size_t)(e - p);
			memmove(buf, p, have);
			if (have > CHUNK)
				die("bench: line longer than %d bytes", CHUNK);
		}
		fclose(fp);
		struct event ev = { .recovered = -1 };
		stk_finish(S, &ev, &A);
		if (rep == 0)
			printf("goroutines %d, buckets %d, overflow %ld, "
			    "stack %d frames, fingerprint %s\n",
			    ev.ngoroutines, ev.ngr, stk_overflow(S),
			    ev.nstack, ev.f[F_FINGERPRINT]);
		arena_reset(&A);
		blocks++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	double mb = (double)bytes / 1e6;
	printf("%.1f MB, %zu lines, %zu blocks in %.3f s: %.0f MB/s, "
	    "%.1f Mlines/s\n", mb, lines, blocks, s, mb / s,
	    (double)lines / s / 1e6);
	free(buf);
	return 0;
}

/* What a finished block gave, for --trace. */
static void
summary(const struct event *ev)
{
	printf("  = goroutines %d, buckets %d", ev->ngoroutines, ev->ngr);
	for (int i = 0; i < F_NFIELDS; i++)
		if (ev->f[i] != NULL)
			printf(", %s=%s", field_names[i], ev->f[i]);
	if (ev->recovered >= 0)
		printf(", recovered=%d", ev->recovered);
	printf("\n");
	for (int i = 0; i < ev->nstack && i < 6; i++)
		printf("  = %s %s:%ld %s%s%s\n", ev->stack[i].func,
		    ev->stack[i].file ? ev->stack[i].file : "-",
		    ev->stack[i].line, ev->stack[i].origin,
		    ev->stack[i].module ? " " : "",
		    ev->stack[i].module ? ev->stack[i].module : "");
	for (int i = 0; i < ev->ngr && i < 8; i++)
		printf("  = [%ld x %s, wait %ld] %s\n", ev->gr[i].count,
		    ev->gr[i].state, ev->gr[i].wait_min, ev->gr[i].nstack > 0 ?
		    ev->gr[i].stack[ev->gr[i].nstack > 3 ? 3 : 0].func : "");
}

/* Prints every line of a file with B (begins a block) or T (taken). */
static int
trace(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int open = 0;

	if (fp == NULL) {
		perror(path);
		return 2;
	}
	while ((n = getline(&line, &cap, fp)) > 0) {
		size_t len = (size_t)n - (line[n - 1] == '\n');
		char c = 'T';
		if (open && stk_feed(S, line, len) == STK_END) {
			struct event ev = { .recovered = -1 };
			stk_finish(S, &ev, &A);
			summary(&ev);
			arena_reset(&A);
			open = 0;
		}
		if (!open) {
			stk_begin(S, line, len);
			open = 1;
			c = 'B';
		}
		printf("%c %.*s\n", c, (int)len, line);
	}
	if (open) {
		struct event ev = { .recovered = -1 };
		stk_finish(S, &ev, &A);
		summary(&ev);
		arena_reset(&A);
	}
	free(line);
	fclose(fp);
	return 0;
}

int
main(int argc, char **argv)
{
	int rc;

	S = stk_new();
	if (argc >= 3 && strcmp(argv[1], "--trace") == 0) {
		rc = trace(argv[2]);
		stk_free(S);
		arena_free(&A);
		return rc;
	}
	if (argc >= 3 && strcmp(argv[1], "--bench") == 0) {
		rc = bench(argv[2], argc > 3 ? atoi(argv[3]) : 1,
		    argc > 4 && strcmp(argv[4], "split") == 0);
		stk_free(S);
		arena_free(&A);
		return rc;
	}
	test_nilderef();
	test_generic_and_stability();
	test_multiline_value();
	test_repanic();
	test_deadlock();
	test_concurrent_map_writes();
	test_race();
	test_timeout();
	test_gotraceback_crash();
	test_sigabrt();
	test_sigquit_dump();
	test_stack_overflow();
	test_cgo_sigsegv();
	test_ice();
	test_modules();
	test_norm_path();
	test_headers();
	test_frames_syntax();
	test_endings();
	test_interleaved();
	test_spaces_for_tabs();
	test_ancestors();
	test_truncated();
	test_unexpected_return_pc();
	test_buckets_bounded();
	test_fingerprint_msg();
	test_http_recovered();
	test_debug_stack();
	test_cut_runtime_headline();
	test_cut_lines();
	test_forms();
	test_header_forms();
	stk_free(S);
	arena_free(&A);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail > 0;
}
