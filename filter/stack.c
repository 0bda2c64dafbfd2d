/*
 * stack.c - the traceback parser and normaliser (SPEC section 3: stack,
 * goroutines, fingerprint; section 2: the phase of an ICE).
 *
 * Reading.  A block is read line by line by a small state machine whose
 * states follow the shape of what the runtime prints (runtime/traceback.go,
 * panic.go, proc.go, signal_unix.go; the race detector's report):
 *
 *   W_HEAD     the headline and what follows it up to the first blank line:
 *              panic chains ("\tpanic: ..."), multi-line panic values,
 *              "[signal ...]", "runtime: ..." and "fatal error: ..." lines,
 *              "SIGQUIT: quit" + "PC=..." headers, hex dumps.
 *   W_STACK    inside one goroutine (or "runtime stack:"): "f(args)" lines,
 *              their "\tfile:line +0x.." lines, "created by", elisions.
 *   W_BETWEEN  after a blank line inside the dump.
 *   W_REGS     a GOTRACEBACK=crash register dump.
 *   W_TAIL     "exit status N", "FAIL" and friends after the dump (a
 *              test's "--- FAIL:" report ends it: the test tracker's).
 *   W_DONE     after "FAIL\tpkg\t0.1s": only a final bare "FAIL" belongs.
 *
 * Race reports have their own reader (race_line): sections headed
 * "Read at 0x... by goroutine 7:", two-space frames, six-space files, up to
 * the closing "==================".
 *
 * Where a block ends.  Explicit terminators always end it: "# pkg",
 * compiler diagnostics "file.go:1:2: ...", "=== RUN", "--- PASS", "ok  \t",
 * a top-level "panic:" once the chain header is over, a new race report.
 * Other unknown lines are taken as interleaved output (another process or
 * goroutine writing to the same stream), at most STK_MAXFOREIGN in a row,
 * but only where the runtime is certain to print more of the block: right
 * after a goroutine header, after a function line whose file line is
 * due, after a blank line inside a dump (the runtime never ends a dump with
 * a blank line), or after a blank line that follows the headline.
 * Anywhere else (after a file line, after "exit status") an unknown line
 * ends the block, so that ordinary output after a crash is not swallowed.
 *
 * Bucketing.  Goroutines are not stored: each one's frames are kept in a
 * reused buffer while it is read and hashed on the fly (function and line
 * of every frame, plus the cleaned state: no ids, no waits, no args); at
 * its end the 64-bit hash finds its bucket in an open-addressing table (a
 * collision would merge two stacks; at 2^-64 per pair it is not checked).
 * A bucket's wait_min is the longest wait of its goroutines.  At most
 * STK_MAXBUCKETS distinct buckets are kept; goroutines that would need
 * more are counted in overflow (reported as a last bucket with state
 * "(other)" and no stack).  Memory is thus bounded by STK_MAXBUCKETS *
 * STK_MAXFRAMES frames whatever the dump.
 * The failing goroutine is the best scored one (see gor_score): the first
 * goroutine printed, except that g0 stacks and "runtime stack:" yield to a
 * real goroutine and, after "panic: test timed out", a goroutine running
 * one of the listed tests wins.
 *
 * Fingerprint (also docs/fingerprint.md).  16 lowercase hex digits of
 * FNV-1a 64 (hash_fnv1a64, FNV64_INIT) over
 *     class "\0" kind "\0" f1 "\0" f2 "\0" f3 "\0"
 * where f1..f3 are the function names of the top three frames of the
 * failing stack, chosen from the first non-empty tier: (1) in-app frames,
 * origin main, app or module; (2) frames that are neither runtime nor
 * noise (runtime/debug, cmd/compile/internal/base, Fatalf/Assert wrappers,
 * the testing harness); (3) any frame.  Names are as normalised in the
 * stack: no arguments, no offsets, no goroutine ids, no file or line;
 * closure and wrapper suffixes (.func1, .gowrap1) kept, and any [...]
 * group collapsed to "[...]" so the race detector's full instantiation
 * names match the runtime's.  For a race report the "Previous ..."
 * access's three frames (same tiers) are hashed as well, after a "\0",
 * the two groups in lexical order of their names: which access the race
 * detector reports first varies from run to run.  A recovered panic's
 * stack (net/http's "http: panic serving", runtime/debug.Stack on top) is
 * hashed from below its topmost "panic" frame (recovery_frames), so that
 * it hashes as the same crash unrecovered.  A block with no frame falls
 * back to stk_fingerprint_msg.
 *
 * Bare goroutines.  A block opened by a goroutine header without a
 * headline is a failure only when it is a recovered panic's debug.Stack
 * print (bare_frame, stk_verdict).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "stack.h"
#include "util.h"

#define STK_MAXFRAMES	128	/* kept per goroutine; Go prints <= 100 */
#define STK_MAXBUCKETS	1000
#define STK_SLOTS	2048	/* hash table slots, a power of two */
#define STK_MAXTEXT	512	/* bytes kept of one name or path */
#define STK_MAXFOREIGN	2	/* interleaved lines tolerated in a row */
#define STK_MAXTESTS	8
#define STK_TESTNAME	128
#define STK_ICELINES	200	/* message lines of an ICE before its stack */

#define PFX(l, n, lit) \
	((n) >= sizeof(lit) - 1 && memcmp((l), (lit), sizeof(lit) - 1) == 0)
#define EQ(l, n, lit) \
	((n) == sizeof(lit) - 1 && memcmp((l), (lit), sizeof(lit) - 1) == 0)

/* One frame as printed; text lives in the owner's buffer. */
struct sframe {
	uint32_t func, flen;
	uint32_t file, filelen;	/* filelen 0: no file line */
	long line;
};

/* The goroutine being read, or the failing one kept aside. */
struct gor {
	struct sframe *f;
	int nf;
	int pend;		/* frame awaiting its file line; -1 none, -2 not kept */
	struct buf text;	/* the state, then names and paths */
	uint32_t slen;		/* state is text.p[0..slen) */
	long id;		/* -1: "runtime stack:" */
	long wait;
	uint64_t h;
	int score;
};

struct sbucket {
	uint64_t h;
	long count, wait;
	uint32_t state, slen;	/* in btext */
	uint32_t f0;		/* first frame in bf */
	int nf;
};

enum mode { MD_OTHER, MD_PANIC, MD_FATAL, MD_RACE, MD_SIGNAL, MD_ICE };
enum where { W_HEAD, W_STACK, W_BETWEEN, W_REGS, W_TAIL, W_DONE };

struct stk {
	enum mode mode;
	enum where where;
	int head_blank;		/* W_HEAD: a blank line was seen */
	int head_lines;
	int foreign;		/* tolerated unknown lines in a row */
	int seen_gor;
	int in_gor;
	int created;		/* "created by" read, its file line is due */
	int ancestor;		/* in a tracebackancestors section */
	int race_warned;
	int tmo, in_running;
	int npanic;
	int recovered;
	int http;		/* "http: panic serving ...": net/http recovered it */
	int bare;		/* opened by a goroutine header, no headline */
	int verdict;		/* stk_verdict */
	char signal[16];
	char addr[40];
	struct buf lastp;
	char tests[STK_MAXTESTS][STK_TESTNAME];
	int ntests;
	struct gor cur, fail;
	int have_fail;
	struct sbucket *b;
	int nb;
	uint32_t slot[STK_SLOTS];
	struct buf btext;
	struct sframe *bf;
	size_t nbf, capbf;
	long ngor, overflow;
};

/*
 * The bucket key hash: two lanes of 8 bytes, since it runs over every
 * function name of a dump (FNV-1a, a byte at a time, would cost more than
 * the parsing).  Not the fingerprint, which is documented as FNV-1a.
 */
static uint64_t
khash(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	/*
	 * h2 must not be h plus a constant: for n < 8 the last step XORs
	 * h and h2 together, which would cancel the seed (the state and the
	 * frames before) and merge "select" with "chan receive".
	 */
	uint64_t a, b, h2 = (h + 0x2545f4914f6cdd1dULL) * 0xff51afd7ed558ccdULL;

	h ^= n;
	while (n >= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + 8, 8);
		h = (h ^ a) * 0x9e3779b97f4a7c15ULL;
		h2 = (h2 ^ b) * 0xc2b2ae3d27d4eb4fULL;
		h ^= h >> 31;
		h2 ^= h2 >> 29;
		s += 16;
		n -= 16;
	}
	if (n >= 8) {
		memcpy(&a, s, 8);
		h = (h ^ a) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	a = 0;
	for (size_t i = 0; i < n; i++)
		a |= (uint64_t)s[i] << (8 * i);
	h = (h ^ a ^ h2) * 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 29);
}

static size_t
rtrim(const char *l, size_t n)
{
	while (n > 0 && (l[n - 1] == '\r' || l[n - 1] == '\n' ||
	    l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	return n;
}

static int
isdig(int c)
{
	return c >= '0' && c <= '9';
}

static int
isident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    isdig(c) || c == '_';
}

static const char *
find(const char *l, size_t n, const char *lit)
{
	size_t m = strlen(lit);

	if (m == 0 || n < m)
		return NULL;
	for (const char *p = l, *e = l + n - m; p <= e; p++) {
		p = memchr(p, lit[0], (size_t)(e - p) + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, lit, m) == 0)
			return p;
	}
	return NULL;
}

static long
getnum(const char *p, const char *e, const char **end)
{
	long v = 0;

	while (p < e && isdig(*p) && v <= (LONG_MAX - 9) / 10)
		v = v * 10 + (*p++ - '0');
	if (end != NULL)
		*end = p;
	return v;
}

static void
setstr(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/*
 * Packages.
 */

/* Top-level directories of $GOROOT/src that hold packages, sorted. */
static const char *const std_dirs[] = {
	"archive", "arena", "bufio", "builtin", "bytes", "cmd", "cmp",
	"compress", "container", "context", "crypto", "database", "debug",
	"embed", "encoding", "errors", "expvar", "flag", "fmt", "go", "hash",
	"html", "image", "index", "internal", "io", "iter", "log", "maps",
	"math", "mime", "net", "os", "path", "plugin", "reflect", "regexp",
	"runtime", "simd", "slices", "sort", "strconv", "strings", "structs",
	"sync", "syscall", "testing", "text", "time", "unicode", "unique",
	"unsafe", "vendor", "weak",
};

/*
 * Whether p..p+n starts with a std top-level directory: followed by '/'
 * for a path ("runtime/panic.go"), or by '/' or the end for a package.
 */
static int
std_elem(const char *p, size_t n, int need_slash)
{
	const char *sl = memchr(p, '/', n);
	size_t lo = 0, hi = sizeof(std_dirs) / sizeof(std_dirs[0]);

	if (sl == NULL && need_slash)
		return 0;
	if (sl != NULL)
		n = (size_t)(sl - p);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		size_t m = strlen(std_dirs[mid]);
		int c = memcmp(p, std_dirs[mid], n < m ? n : m);
		if (c == 0)
			c = n < m ? -1 : n > m;
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * Length of the package path that starts a function name: up to the first
 * '.' after the last '/' (generic brackets excluded, so a '/' inside a type
 * argument does not count).  "example.com/a%2eb.F" gives
 * "example.com/a%2eb": the runtime escapes dots of the last element.
 */
static size_t
func_pkg(const char *f, size_t n)
{
	const char *br = memchr(f, '[', n);
	size_t lim = br != NULL ? (size_t)(br - f) : n, start = 0;

	for (size_t i = 0; i < lim; i++)
		if (f[i] == '/')
			start = i + 1;
	for (size_t i = start; i < lim; i++)
		if (f[i] == '.')
			return i;
	return 0;
}

static int
is_runtime_pkg(const char *p, size_t n)
{
	return EQ(p, n, "runtime") || PFX(p, n, "runtime/internal/") ||
	    PFX(p, n, "internal/runtime/");
}

/* Whether the package's first path element has no dot (std-like). */
static int
first_nodot(const char *p, size_t n)
{
	for (size_t i = 0; i < n && p[i] != '/'; i++)
		if (p[i] == '.')
			return 0;
	return 1;
}

/*
 * Paths.
 */

enum pkind { PK_OTHER, PK_GOROOT, PK_MODULE, PK_WORK };

/* Builds "$GOROOT" + tail (tail starts with "/src/") in the arena. */
static char *
goroot_path(const char *tail, size_t n, struct arena *a)
{
	char *o = arena_alloc(a, n + 8);

	memcpy(o, "$GOROOT", 7);
	memcpy(o + 7, tail, n);
	o[7 + n] = '\0';
	return o;
}

/*
 * The module of a path holding an "@v" element: from the nearest element
 * before it that contains a dot (the module path's host) to the end of
 * the "@version" element.  Returns the start, sets *mend.
 */
static const char *
module_span(const char *p, size_t n, const char **mend)
{
	const char *at = find(p, n, "@v"), *e = p + n, *s, *q;

	if (at == NULL)
		return NULL;
	q = memchr(at, '/', (size_t)(e - at));
	*mend = q != NULL ? q : e;
	s = at;
	while (s > p && s[-1] != '/')
		s--;
	/* Walk back element by element to the nearest dotted one. */
	for (const char *el = s; el > p;) {
		const char *end = el - 1, *b = end;
		while (b > p && b[-1] != '/')
			b--;
		if (memchr(b, '.', (size_t)(end - b)) != NULL)
			return b;
		el = b;
	}
	return s;
}

static const char *
norm_path_raw(const char *path, size_t n, const char *pkg, size_t pkn,
    struct arena *a, enum pkind *kind, const char **module)
{
	char *t = arena_strndup(a, path, n);
	const char *q, *mend;

	*kind = PK_OTHER;
	if (module != NULL)
		*module = NULL;
	for (size_t i = 0; i < n; i++)
		if (t[i] == '\\')
			t[i] = '/';
	if (PFX(t, n, "$GOROOT/")) {
		*kind = PK_GOROOT;
		return t;
	}
	if (PFX(t, n, "$WORK/")) {
		*kind = PK_WORK;
		return t;
	}

	/*
	 * GOROOT, by the package: a std package's file sits in
	 * ".../src/<pkg>/" whatever the installation prefix; trimpath
	 * builds print it as "<pkg>/file.go".
	 */
	if (pkn > 0 && std_elem(pkg, pkn, 0)) {
		char pat[STK_MAXTEXT + 8];
		if (pkn + 6 < sizeof(pat)) {
			memcpy(pat, "/src/", 5);
			memcpy(pat + 5, pkg, pkn);
			pat[5 + pkn] = '/';
			pat[6 + pkn] = '\0';
			if ((q = find(t, n, pat)) != NULL) {
				*kind = PK_GOROOT;
				return goroot_path(q, n - (size_t)(q - t), a);
			}
			if (n > pkn && memcmp(t, pkg, pkn) == 0 &&
			    t[pkn] == '/') {
				*kind = PK_GOROOT;
				q = arena_alloc(a, n + 14);
				snprintf((char *)q, n + 14, "$GOROOT/src/%s", t);
				return q;
			}
		}
	}

	/* A toolchain downloaded by GOTOOLCHAIN lives in the module cache. */
	if ((q = find(t, n, "golang.org/toolchain@")) != NULL &&
	    (q = find(q, n - (size_t)(q - t), "/src/")) != NULL) {
		*kind = PK_GOROOT;
		return goroot_path(q, n - (size_t)(q - t), a);
	}

	/* Module cache. */
	if ((q = find(t, n, "/pkg/mod/")) != NULL) {
		const char *r = q + 9, *e = t + n;
		const char *at = memchr(r, '@', (size_t)(e - r));
		*kind = PK_MODULE;
		if (at != NULL && module != NULL) {
			const char *sl = memchr(at, '/', (size_t)(e - at));
			*module = arena_strndup(a, r,
			    (size_t)((sl != NULL ? sl : e) - r));
		}
		return r;
	}

	/*
	 * GOROOT, by the path: ".../src/<std dir>/..." for frames whose
	 * package did not decide (linknamed functions such as
	 * internal/sync.runtime_SemacquireMutex in runtime/sema.go, "panic",
	 * cmd/... tools whose package is main).  Not for other packages,
	 * whose trees may well have a "src/net/" of their own.
	 */
	if (pkn == 0 || std_elem(pkg, pkn, 0) || EQ(pkg, pkn, "main")) {
		int ismain = EQ(pkg, pkn, "main");
		for (q = t; (q = find(q, n - (size_t)(q - t), "/src/")) != NULL;
		    q++) {
			size_t rest = n - (size_t)(q - t) - 5;
			if (std_elem(q + 5, rest, 1) &&
			    (!ismain || PFX(q + 5, rest, "cmd/"))) {
				*kind = PK_GOROOT;
				return goroot_path(q, n - (size_t)(q - t), a);
			}
		}
		if (t[0] != '/' && !(n > 2 && t[1] == ':') &&
		    std_elem(t, n, 1) && (!ismain || PFX(t, n, "cmd/")) &&
		    memchr(t, '@', n) == NULL) {
			*kind = PK_GOROOT;
			q = arena_alloc(a, n + 14);
			snprintf((char *)q, n + 14, "$GOROOT/src/%s", t);
			return q;
		}
	}

	/* Module paths outside a "pkg/mod" cache, and trimpath's form. */
	if ((q = module_span(t, n, &mend)) != NULL) {
		*kind = PK_MODULE;
		if (module != NULL)
			*module = arena_strndup(a, q, (size_t)(mend - q));
		return q;
	}

	/* Build directories: /tmp/go-build123/b001/x.go. */
	for (q = t; (q = find(q, n - (size_t)(q - t), "go-build")) != NULL;
	    q++) {
		const char *d = q + 8, *e = t + n;
		while (d < e && isdig(*d))
			d++;
		if (d > q + 8 && d < e && *d == '/') {
			char *o = arena_alloc(a, (size_t)(e - d) + 6);
			memcpy(o, "$WORK", 5);
			memcpy(o + 5, d, (size_t)(e - d));
			o[5 + (e - d)] = '\0';
			*kind = PK_WORK;
			return o;
		}
	}
	return t;
}

/*
 * norm_path_raw's answers for the paths seen last: a program's frames name
 * the same few hundred files in every crash and every goroutine, and the
 * answer depends on the path and the package alone.  Direct-mapped; an
 * entry holds copies, and paths too long for one are not kept.
 */
#define NPC_SLOTS 512
#define NPC_TEXT 384
struct npc_slot {
	uint64_t h;
	unsigned short n, pkn, rn, mn;      /* rn 0: no entry */
	unsigned char kind, has_mod;
	char text[NPC_TEXT];                /* path, pkg, result, module */
};
static struct npc_slot *npc;

static const char *
norm_path_k(const char *path, size_t n, const char *pkg, size_t pkn,
    struct arena *a, enum pkind *kind, const char **module)
{
	if (npc == NULL)
		npc = xcalloc(NPC_SLOTS, sizeof(*npc));
	/* khash, not FNV-1a: this runs for every frame of every event. */
	const uint64_t h = khash(khash(0x6e7063, path, n), pkg != NULL ? pkg : "",
	    pkn);
	struct npc_slot *sl = &npc[h & (NPC_SLOTS - 1)];
	if (sl->rn > 0 && sl->h == h && sl->n == n && sl->pkn == pkn &&
	    memcmp(sl->text, path, n) == 0 &&
	    (pkn == 0 || memcmp(sl->text + n, pkg, pkn) == 0)) {
		const char *r = sl->text + n + pkn;
		*kind = (enum pkind)sl->kind;
		if (module != NULL)
			*module = sl->has_mod ? arena_strndup(a, r + sl->rn,
			    sl->mn) : NULL;
		return arena_strndup(a, r, sl->rn - 1);
	}
	const char *mod = NULL;
	const char *r = norm_path_raw(path, n, pkg, pkn, a, kind, &mod);
	if (module != NULL)
		*module = mod;
	const size_t rn = strlen(r), mn = mod != NULL ? strlen(mod) : 0;
	if (n + pkn + rn + 1 + mn <= NPC_TEXT) {
		sl->h = h;
		sl->n = (unsigned short)n;
		sl->pkn = (unsigned short)pkn;
		sl->rn = (unsigned short)(rn + 1);
		sl->mn = (unsigned short)mn;
		sl->kind = (unsigned char)*kind;
		sl->has_mod = mod != NULL;
		memcpy(sl->text, path, n);
		if (pkn > 0)
			memcpy(sl->text + n, pkg, pkn);
		memcpy(sl->text + n + pkn, r, rn);
		sl->text[n + pkn + rn] = '\0';
		if (mn > 0)
			memcpy(sl->text + n + pkn + rn + 1, mod, mn);
	}
	return r;
}

const char *
stk_norm_path(const char *path, size_t len, struct arena *a)
{
	enum pkind k;

	return norm_path_k(path, len, NULL, 0, a, &k, NULL);
}

void
stk_norm_frame(struct frame *fr, const char *func, size_t flen,
    const char *path, size_t plen, long line, struct arena *a)
{
	size_t pk = func_pkg(func, flen);
	enum pkind k = PK_OTHER;

	fr->func = arena_strndup(a, func, flen);
	fr->line = line;
	fr->module = NULL;
	fr->file = NULL;
	if (path != NULL && plen > 0)
		fr->file = norm_path_k(path, plen, func, pk, a, &k,
		    &fr->module);

	if (pk == 0)
		fr->origin = EQ(func, flen, "panic") ? "runtime" :
		    k == PK_GOROOT ? "stdlib" : k == PK_MODULE ? "module" :
		    "app";
	else if (is_runtime_pkg(func, pk))
		fr->origin = "runtime";
	else if (k == PK_MODULE)
		fr->origin = "module";
	else if (EQ(func, pk, "main"))
		fr->origin = k == PK_GOROOT ? "stdlib" : "main";
	else if (k == PK_GOROOT)
		fr->origin = "stdlib";
	else if (first_nodot(func, pk))
		/* "myapp/db.Open" in /home/u/myapp/db: a dotless module. */
		fr->origin = std_elem(func, pk, 0) || fr->file == NULL ?
		    "stdlib" : "app";
	else
		fr->origin = "app";
	if (k != PK_MODULE)
		fr->module = NULL;
}

/*
 * Line parsers.
 */

/*
 * Whether l[0..n) can be a function name as the runtime prints it: a '.'
 * somewhere (or the runtime's "panic"), no blank outside brackets and
 * braces but the one before a brace ("type:.eq.struct { a int }" keeps
 * its blanks), so that a log line is not taken for a frame.
 */
static int
name_ok(const char *l, size_t n)
{
	int depth = 0;

	if (memchr(l, '.', n) == NULL && !EQ(l, n, "panic"))
		return 0;
	if (memchr(l, ' ', n) == NULL && memchr(l, '\t', n) == NULL)
		return 1;
	for (size_t j = 0; j < n; j++) {
		switch (l[j]) {
		case '[': case '{':
			depth++;
			break;
		case ']': case '}':
			depth--;
			break;
		case ' ': case '\t':
			/* "struct { a int }", "interface {}" */
			if (depth <= 0 && (j + 1 >= n || l[j + 1] != '{'))
				return 0;
			break;
		}
	}
	return 1;
}

/*
 * "name(args)": returns the name's length, 0 if the line is not a frame.
 * The argument list is the last parenthesised group (arguments hold no
 * parentheses, names may: "main.(*T).M"), in any of the runtime's forms:
 * words before Go 1.17 ("main.f(0x1, 0x2)"), the register ABI's "{0x4b3f20,
 * 0xc000010000}, 0x1?" since, "..." for inlined frames.
 */
static size_t
parse_func(const char *l, size_t n)
{
	size_t i = n - 1;
	int depth = 1;

	if (n < 3 || l[n - 1] != ')')
		return 0;
	while (i > 0) {
		i--;
		if (l[i] == ')')
			depth++;
		else if (l[i] == '(' && --depth == 0)
			break;
	}
	if (depth != 0 || i == 0)
		return 0;
	return name_ok(l, i) ? i : 0;
}

/*
 * A frame line cut before its closing parenthesis: the end of a log that
 * was cut off, or a collector that split a long line ("main.(*S).h(0xc0"
 * then other text).  The argument list opens at the first '(' that does
 * not follow a '.' (receivers do: "main.(*T).M"), and Go prints arguments
 * starting with "0x", "{", "..." or nothing at all; other text is no
 * frame.  Returns the name's length or 0.
 */
static size_t
parse_cut_func(const char *l, size_t n)
{
	size_t i;
	int depth = 0;

	for (i = 0; i < n; i++) {
		if (l[i] == '[')
			depth++;
		else if (l[i] == ']')
			depth--;
		else if (l[i] == '(' && depth == 0 && i > 0 && l[i - 1] != '.')
			break;
	}
	if (i == 0 || i >= n || memchr(l + i, ')', n - i) != NULL)
		return 0;
	if (i + 1 < n && !PFX(l + i + 1, n - i - 1, "0x") &&
	    l[i + 1] != '{' && l[i + 1] != '.' && !(i + 2 == n &&
	    l[i + 1] == '0'))
		return 0;
	return name_ok(l, i) ? i : 0;
}

/*
 * "path:123 +0x1d fp=... sp=... pc=..." (leading blanks already skipped):
 * the line number's ':' is the first one followed by a digit (offsets and
 * fp/sp/pc hold none, a Windows drive's is followed by '/').  Returns the
 * path length.
 */
static size_t
parse_file(const char *l, size_t n, long *line)
{
	const char *c = memchr(l, ':', n), *e = l + n, *d;

	/* The first ':' followed by digits: "C:/..." has a '/' after it. */
	while (c != NULL && c + 1 < e && !isdig(c[1]))
		c = memchr(c + 1, ':', (size_t)(e - c - 1));
	if (c == NULL || c == l || c + 1 >= e)
		return 0;
	*line = getnum(c + 1, e, &d);
	if (d < e && *d != ' ')
		return 0;
	return (size_t)(c - l);
}

/*
 * A file line cut before its line number ("/home/u/app/main.go" or
 * "/home/u/app/main.go:" at the end of a cut log): the path, when it is
 * whole, that is when it ends in a source file's suffix.  A path cut
 * inside gives nothing: a wrong file is worse than none.
 */
static size_t
parse_cut_file(const char *l, size_t n)
{
	if (n > 0 && l[n - 1] == ':')
		n--;
	if (n < 4)
		return 0;
	if ((n > 3 && memcmp(l + n - 3, ".go", 3) == 0) ||
	    (n > 2 && (memcmp(l + n - 2, ".s", 2) == 0 ||
	    memcmp(l + n - 2, ".c", 2) == 0)))
		return n;
	return 0;
}

/*
 * "goroutine 7 gp=0x... m=3 mp=0x... [chan receive, 3 minutes]:"; sets id
 * and the bracket's contents.  Whatever stands between the id and the
 * bracket (gp=, m=, or fields a later Go adds) is skipped.  Goroutine
 * labels (GODEBUG=tracebacklabels=1) are no part of the state: Go 1.26
 * prints them inside the bracket, "[running labels:{"k": "v"}]:", Go 1.27
 * after it, "[running] {k: v}:" (and by default).  No status or wait
 * reason holds a ']', but a label's quoted key or value may: the state
 * ends at the first ']' or at " labels:{", whichever comes first.
 */
static int
parse_header(const char *l, size_t n, long *id, const char **st, size_t *stn)
{
	const char *e = l + n, *p, *ob, *cb, *lab;

	if (!PFX(l, n, "goroutine ") || n < 14 || !isdig(l[10]) ||
	    l[n - 1] != ':')
		return 0;
	*id = getnum(l + 10, e, &p);
	if (p >= e || *p != ' ')
		return 0;
	ob = memchr(p, '[', (size_t)(e - p));
	if (ob == NULL)
		return 0;
	cb = memchr(ob, ']', (size_t)(e - ob));
	lab = find(ob, (size_t)(e - ob), " labels:{");
	if (lab != NULL && (cb == NULL || lab < cb)) {
		if (n < 3 || e[-2] != ']' || e[-3] != '}')
			return 0;
		cb = lab;
	} else if (cb == NULL || !(cb + 2 == e ||
	    (cb + 4 < e && cb[1] == ' ' && cb[2] == '{' && e[-2] == '}')))
		return 0;
	if (cb <= ob + 1)
		return 0;
	*st = ob + 1;
	*stn = (size_t)(cb - (ob + 1));
	return 1;
}

/* "rax    0x0", "r10    0x...", "rflags 0x246", "fault  0x0", "lr 0x.." */
static int
is_register(const char *l, size_t n)
{
	size_t i = 0;

	while (i < n && ((l[i] >= 'a' && l[i] <= 'z') || isdig(l[i])))
		i++;
	if (i < 1 || i > 8 || i == n || l[i] != ' ' || !(l[0] >= 'a' &&
	    l[0] <= 'z'))
		return 0;
	while (i < n && l[i] == ' ')
		i++;
	if (!PFX(l + i, n - i, "0x") || i + 2 >= n)
		return 0;
	for (i += 2; i < n; i++)
		if (!isdig(l[i]) && !(l[i] >= 'a' && l[i] <= 'f'))
			return 0;
	return 1;
}

/* "SIGQUIT: quit", "SIGSEGV: segmentation violation"; returns name len. */
static size_t
sig_headline(const char *l, size_t n)
{
	size_t i = 3;

	if (!PFX(l, n, "SIG"))
		return 0;
	while (i < n && ((l[i] >= 'A' && l[i] <= 'Z') || isdig(l[i])))
		i++;
	if (i == 3 || i + 1 >= n || l[i] != ':' || l[i + 1] != ' ')
		return 0;
	return i;
}

/* Lines that start something else: the block must end before them. */
static int
is_terminator(const char *l, size_t n)
{
	if (PFX(l, n, "# ") || PFX(l, n, "=== ") || PFX(l, n, "--- PASS") ||
	    PFX(l, n, "--- SKIP") || PFX(l, n, "ok  ") || EQ(l, n, "PASS") ||
	    PFX(l, n, "?   \t") || PFX(l, n, "go: ") ||
	    PFX(l, n, "go build ") || PFX(l, n, "WARNING: DATA RACE"))
		return 1;
	/* A compiler or vet diagnostic: "file.go:12:3: msg", "x.go:12: msg". */
	const char *c = memchr(l, ':', n);
	if (c != NULL && c > l + 3 && c + 1 < l + n && isdig(c[1]) &&
	    l[0] != ' ' && l[0] != '\t') {
		const char *e = l + n, *p = c + 1;
		if (memchr(l, ' ', (size_t)(c - l)) != NULL)
			return 0;
		getnum(p, e, &p);
		if (p < e && *p == ':' && p + 1 < e && isdig(p[1]))
			getnum(p + 1, e, &p);
		return p + 1 < e && p[0] == ':' && p[1] == ' ';
	}
	return 0;
}

/*
 * Goroutines and buckets.
 */

static void
gor_init(struct gor *g)
{
	memset(g, 0, sizeof(*g));
	g->f = xmalloc(STK_MAXFRAMES * sizeof(*g->f));
	g->pend = -1;
}

static void
gor_free(struct gor *g)
{
	free(g->f);
	buf_free(&g->text);
}

/*
 * Cleans a header's bracket into the state kept for bucketing: the wait
 * ("3 minutes") goes to wait, " (scan)" (a GC moment) and "synctest
 * group N" / "synctest bubble N" (ids) are dropped, the rest
 * ("chan receive", "running, locked to thread") kept.
 */
static void
gor_start(struct stk *s, long id, const char *st, size_t n)
{
	struct gor *g = &s->cur;
	const char *p = st, *e = st + n;

	g->nf = 0;
	g->pend = -1;
	g->text.len = 0;
	g->id = id;
	g->wait = -1;
	g->score = 0;
	while (p < e) {
		const char *c = find(p, (size_t)(e - p), ", ");
		const char *pe = c != NULL ? c : e, *q;
		size_t m = (size_t)(pe - p);
		long v = getnum(p, pe, &q);
		if (q > p && EQ(q, (size_t)(pe - q), " minutes"))
			g->wait = v;
		else if (!PFX(p, m, "synctest group ") &&
		    !PFX(p, m, "synctest bubble ")) {
			if (m >= 7 && memcmp(pe - 7, " (scan)", 7) == 0)
				m -= 7;
			if (g->text.len > 0)
				buf_add(&g->text, ", ", 2);
			buf_add(&g->text, p, m);
		}
		p = c != NULL ? c + 2 : e;
	}
	if (g->text.len == 0)
		buf_add(&g->text, "unknown", 7);
	g->slen = (uint32_t)g->text.len;
	g->h = khash(0x51ab1e, g->text.p, g->text.len);
	s->in_gor = 1;
	s->seen_gor = 1;
	s->created = 0;
	s->ancestor = 0;
	s->where = W_STACK;
}

static void
gor_func(struct stk *s, const char *fn, size_t n)
{
	struct gor *g = &s->cur;

	if (s->ancestor || !s->in_gor)
		return;
	g->h = khash(g->h, fn, n);
	if (g->nf >= STK_MAXFRAMES) {
		g->pend = -2;
		return;
	}
	struct sframe *f = &g->f[g->nf];
	if (n > STK_MAXTEXT)
		n = STK_MAXTEXT;
	f->func = (uint32_t)g->text.len;
	f->flen = (uint32_t)n;
	f->file = 0;
	f->filelen = 0;
	f->line = 0;
	buf_add(&g->text, fn, n);
	g->pend = g->nf++;
}

static void
gor_file(struct stk *s, const char *p, size_t n, long line)
{
	struct gor *g = &s->cur;

	if (s->created) {
		s->created = 0;
		return;
	}
	if (s->ancestor || !s->in_gor || g->pend == -1)
		return;
	/*
	 * The line, not the path: within one dump a function's file is
	 * always the same, and hashing paths would double the cost.
	 */
	g->h = (g->h ^ (uint64_t)line) * 0x9e3779b97f4a7c15ULL;
	g->h ^= g->h >> 32;
	if (g->pend >= 0) {
		struct sframe *f = &g->f[g->pend];
		if (n > STK_MAXTEXT)
			n = STK_MAXTEXT;
		f->file = (uint32_t)g->text.len;
		f->filelen = (uint32_t)n;
		f->line = line;
		buf_add(&g->text, p, n);
	}
	g->pend = -1;
}

static void
bucket_add(struct stk *s)
{
	const struct gor *g = &s->cur;
	size_t i = g->h & (STK_SLOTS - 1);
	struct sbucket *b;

	for (; s->slot[i] != 0; i = (i + 1) & (STK_SLOTS - 1)) {
		b = &s->b[s->slot[i] - 1];
		if (b->h == g->h) {
			b->count++;
			if (g->wait > b->wait)
				b->wait = g->wait;
			return;
		}
	}
	if (s->nb >= STK_MAXBUCKETS) {
		s->overflow++;
		return;
	}
	b = &s->b[s->nb];
	s->slot[i] = (uint32_t)++s->nb;
	b->h = g->h;
	b->count = 1;
	b->wait = g->wait;
	b->state = (uint32_t)s->btext.len;
	b->slen = g->slen;
	buf_add(&s->btext, g->text.p, g->slen);
	if (s->nbf + (size_t)g->nf > s->capbf) {
		s->capbf = (s->nbf + (size_t)g->nf) * 2;
		s->bf = xrealloc(s->bf, s->capbf * sizeof(*s->bf));
	}
	b->f0 = (uint32_t)s->nbf;
	b->nf = g->nf;
	for (int k = 0; k < g->nf; k++) {
		struct sframe *d = &s->bf[s->nbf++];
		const struct sframe *f = &g->f[k];
		*d = *f;
		d->func = (uint32_t)s->btext.len;
		buf_add(&s->btext, g->text.p + f->func, f->flen);
		d->file = (uint32_t)s->btext.len;
		buf_add(&s->btext, g->text.p + f->file, f->filelen);
	}
}

/* Whether a frame is one of the tests listed under "running tests:". */
static int
runs_test(const struct stk *s, const struct gor *g)
{
	for (int i = 0; i < g->nf; i++) {
		const char *fn = g->text.p + g->f[i].func;
		size_t n = g->f[i].flen, pk = func_pkg(fn, n);
		if (pk == 0)
			continue;
		fn += pk + 1;
		n -= pk + 1;
		for (int t = 0; t < s->ntests; t++) {
			/* The frame is the top-level test's: "TestX/sub" runs in TestX. */
			size_t m = strcspn(s->tests[t], "/");
			if (n >= m && memcmp(fn, s->tests[t], m) == 0 &&
			    (n == m || fn[m] == '.'))
				return 1;
		}
	}
	return 0;
}

/*
 * Which goroutine is "the failing one": the first goroutine printed (the
 * panicking or throwing one), except that g0 stacks (goroutine 0 in
 * signal dumps) and "runtime stack:" yield to any real goroutine, and in a
 * test timeout a goroutine running a listed test, best one not blocked in
 * testing itself (t.Run waiting for a subtest), wins over the alarm.
 */
static int
gor_score(const struct stk *s, const struct gor *g)
{
	if (s->mode == MD_RACE)
		return s->have_fail ? 0 : 10;
	if (g->id <= 0)
		return 1;
	if (s->tmo && s->ntests > 0 && runs_test(s, g))
		return g->nf > 0 && PFX(g->text.p + g->f[0].func,
		    g->f[0].flen, "testing.") ? 3 : 4;
	return 2;
}

static void
gor_end(struct stk *s)
{
	if (!s->in_gor)
		return;
	if (s->verdict < 0)
		s->verdict = 0;
	s->in_gor = 0;
	s->created = 0;
	s->ancestor = 0;
	if (s->cur.id != -1)
		s->ngor++;
	bucket_add(s);
	s->cur.score = gor_score(s, &s->cur);
	if (!s->have_fail || s->cur.score > s->fail.score) {
		struct gor t = s->fail;
		s->fail = s->cur;
		s->cur = t;
		s->have_fail = 1;
	}
}

/*
 * A goroutine printed without a headline is a failure only when it is a
 * recovered panic's stack that the program logged: runtime/debug.Stack
 * (or debug.PrintStack) on top and the panic machinery ("panic", the
 * runtime's name for gopanic) below the deferred function that called it.
 * runtime.Stack forces traceback level 1 whatever GOTRACEBACK says, so the
 * runtime frames between that "panic" and the faulting frame never show:
 * the panic's kind comes from the frame rules when they do, else from the
 * logged value when a "panic: VALUE" headline came first.
 * A PrintStack without a panic is a program looking at its own stack on
 * purpose (a debug aid, a "how did we get here" log): no failure, so no
 * event; nor is any other bare goroutine (runtime.Stack(buf, true) served
 * by a debug endpoint), which is what the filter always did with them.
 * Decides stk_verdict for the first goroutine's frame fn[0..n); returns 0
 * when the block is no failure and must end before this line.
 */
static int
bare_frame(struct stk *s, const char *fn, size_t n)
{
	if (s->have_fail || s->ngor > 0 || s->cur.id < 0)
		return 1;
	if (s->cur.nf == 0 && !EQ(fn, n, "runtime/debug.Stack")) {
		s->verdict = 0;
		return 0;
	}
	if (EQ(fn, n, "panic"))
		s->verdict = 1;
	return 1;
}

/*
 * The block's lines.
 */

/*
 * Signal numbers as older runtimes printed them, before signal names (
 * "[signal 0xb code=0x1 addr=0x0 pc=0x401036]"), where every Unix agrees
 * on the number; SIGBUS (7 on Linux, 10 on the BSDs) and the rest stay
 * as printed, as do Windows exception codes (0xc0000005).
 */
static const struct {
	const char *num, *name;
} signum_tab[] = {
	{ "0x4", "SIGILL" }, { "0x5", "SIGTRAP" }, { "0x6", "SIGABRT" },
	{ "0x8", "SIGFPE" }, { "0xb", "SIGSEGV" },
};

static void
take_signal(struct stk *s, const char *l, size_t n)
{
	/* "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=..]" */
	const char *e = l + n, *p = l + 8, *q = p;

	while (q < e && *q != ':' && *q != ' ' && *q != ']')
		q++;
	if (s->signal[0] == '\0' && q > p) {
		setstr(s->signal, sizeof(s->signal), p, (size_t)(q - p));
		for (size_t i = 0; i < sizeof(signum_tab) /
		    sizeof(signum_tab[0]); i++)
			if (strcmp(s->signal, signum_tab[i].num) == 0)
				setstr(s->signal, sizeof(s->signal),
				    signum_tab[i].name,
				    strlen(signum_tab[i].name));
	}
	if (s->addr[0] == '\0' && (p = find(l, n, " addr=")) != NULL) {
		p += 6;
		for (q = p; q < e && *q != ' ' && *q != ']'; q++)
			;
		setstr(s->addr, sizeof(s->addr), p, (size_t)(q - p));
	}
}

static void
take_panic(struct stk *s, const char *v, size_t n)
{
	const char *r = find(v, n, " [recovered");

	s->npanic++;
	s->lastp.len = 0;
	buf_add(&s->lastp, v, r != NULL && v[n - 1] == ']' ?
	    (size_t)(r - v) : n);
}

/* A headline, or a line of the panic value: "[recovered]" at its end. */
static void
mark_recovered(struct stk *s, const char *l, size_t n)
{
	if (s->npanic == 1 && n > 0 && l[n - 1] == ']' &&
	    (find(l, n, " [recovered]") != NULL ||
	    find(l, n, " [recovered, ") != NULL))
		s->recovered = 1;
}

static enum stk_rc
foreign(struct stk *s)
{
	int ok = 0;

	switch (s->where) {
	case W_HEAD:
		ok = s->head_blank;
		break;
	case W_STACK:
		ok = s->cur.pend != -1 || s->created || s->cur.nf == 0;
		break;
	case W_BETWEEN:
		/*
		 * The runtime never ends a dump with a blank line; the
		 * compiler's ICE does (FatalfAt prints one after debug.Stack),
		 * and prints one goroutine only.
		 */
		ok = s->seen_gor && s->mode != MD_ICE;
		break;
	default:
		break;
	}
	if (!ok || s->foreign >= STK_MAXFOREIGN)
		return STK_END;
	s->foreign++;
	return STK_TAKE;
}

/*
 * Lines any part of a non-race block may hold.  Returns 1 taken, 0 not
 * recognised, -1 the block ends.
 */
static int
common_line(struct stk *s, const char *l, size_t n)
{
	long id;
	const char *st, *p;
	size_t stn, sn;

	switch (l[0]) {
	case 'g':
		if (parse_header(l, n, &id, &st, &stn)) {
			if (s->where >= W_TAIL)
				return -1;
			gor_end(s);
			gor_start(s, id, st, stn);
			return 1;
		}
		break;
	case 'r':
		if (EQ(l, n, "runtime stack:")) {
			if (s->where >= W_TAIL)
				return -1;
			gor_end(s);
			gor_start(s, -1, "runtime stack", 13);
			return 1;
		}
		if (PFX(l, n, "runtime: "))
			return 1;
		break;
	case '[':
		if (PFX(l, n, "[signal ")) {
			take_signal(s, l, n);
			return 1;
		}
		return PFX(l, n, "[originating from goroutine ") ||
		    PFX(l, n, "[failed to ");
	case 'S':
		if ((sn = sig_headline(l, n)) == 0)
			return 0;
		if (s->where >= W_TAIL)
			return -1;
		gor_end(s);
		if (!s->seen_gor && s->signal[0] == '\0')
			setstr(s->signal, sizeof(s->signal), l, sn);
		/* Its "PC=..." and "signal arrived..." lines, a blank line. */
		s->where = W_HEAD;
		s->head_blank = 0;
		return 1;
	case 'P':
		if (PFX(l, n, "PC=0x")) {
			p = find(l, n, " addr=");
			if (p != NULL && s->addr[0] == '\0' && !s->seen_gor)
				setstr(s->addr, sizeof(s->addr), p + 6,
				    n - (size_t)(p + 6 - l));
			return 1;
		}
		return PFX(l, n, "Please file a bug report");
	case '-':
		if (PFX(l, n, "-----") && l[n - 1] == '-' &&
		    memchr(l, ' ', n) == NULL) {
			gor_end(s);
			s->where = W_BETWEEN;
			return 1;
		}
		/*
		 * A test's report ends the block: its lines are the test's,
		 * which the test tracker (gotest.c) reads.
		 */
		if (PFX(l, n, "--- FAIL: "))
			return -1;
		return 0;
	case 'e':
		if (PFX(l, n, "exit status ") && n > 12 && isdig(l[12])) {
			gor_end(s);
			s->where = W_TAIL;
			return 1;
		}
		break;
	case 'F':
		/* The binary's "FAIL", go test's "FAIL\tpkg\t0.1s", a last "FAIL". */
		if (EQ(l, n, "FAIL")) {
			gor_end(s);
			s->where = W_TAIL;
			return 1;
		}
		if (PFX(l, n, "FAIL\t")) {
			gor_end(s);
			s->where = W_DONE;
			return 1;
		}
		return 0;
	case 'f':
		/* A throw prints it before the stacks, never after. */
		if (PFX(l, n, "fatal error: "))
			return s->seen_gor ? -1 : 1;
		break;
	case 'p':
		if (PFX(l, n, "panic: ")) {
			/* Chain links after a Goexit print no tab. */
			if (s->where != W_HEAD || s->seen_gor)
				return -1;
			take_panic(s, l + 7, n - 7);
			return 1;
		}
		break;
	case 's':
		if (PFX(l, n, "signal arrived during ") ||
		    PFX(l, n, "stack: frame="))
			return 1;
		break;
	case 'u':
		if (PFX(l, n, "unexpected fault address ")) {
			if (s->addr[0] == '\0')
				setstr(s->addr, sizeof(s->addr), l + 25,
				    n - 25);
			return 1;
		}
		return 0;
	case 'n':
		return PFX(l, n, "non-Go function at pc=");
	case 'h':
		if (!PFX(l, n, "https://go.dev/issue/new"))
			return 0;
		/*
		 * The compiler's last line of an internal compiler error
		 * (base.FatalfAt): nothing after it belongs to the crash.
		 */
		if (s->mode == MD_ICE) {
			gor_end(s);
			s->where = W_TAIL;
		}
		return 1;
	case '0':
		/*
		 * Stack hex dump: "0x000000c00008ae00:  0x... <runtime.f+0x..>";
		 * older releases printed the words without 0x: "000000c4205b4268:  ...".
		 */
		if (PFX(l, n, "0x"))
			return memchr(l, ':', n) != NULL;
		for (sn = 0; sn < n && (isdig(l[sn]) ||
		    (l[sn] >= 'a' && l[sn] <= 'f')); sn++)
			;
		return sn >= 8 && sn < n && l[sn] == ':';
	default:
		break;
	}
	/* GOTRACEBACK=crash registers: "rax    0x0", "fs     0x0". */
	if (l[0] >= 'a' && l[0] <= 'z' && is_register(l, n)) {
		gor_end(s);
		if (s->where >= W_TAIL)
			return -1;
		s->where = W_REGS;
		return 1;
	}
	return 0;
}

static enum stk_rc
tab_line(struct stk *s, const char *l, size_t n)
{
	const char *p = l + 1;
	size_t m = n - 1, pl;
	long line;

	switch (s->where) {
	case W_HEAD:
		if (s->head_blank && s->mode != MD_ICE)
			return foreign(s);
		if (PFX(p, m, "panic: ")) {
			take_panic(s, p + 7, m - 7);
			break;
		}
		mark_recovered(s, l, n);
		if (s->tmo && EQ(p, m, "running tests:")) {
			s->in_running = 1;
		} else if (s->in_running && p[0] == '\t' &&
		    s->ntests < STK_MAXTESTS) {
			/* "\t\tTestX/sub (2s)". */
			size_t k = 1;
			while (k < m && p[k] != ' ')
				k++;
			setstr(s->tests[s->ntests++], STK_TESTNAME, p + 1,
			    k - 1);
		}
		break;
	case W_STACK:
		if ((pl = parse_file(p, m, &line)) > 0)
			gor_file(s, p, pl, line);
		else if (s->cur.pend != -1 && (pl = parse_cut_file(p, m)) > 0)
			gor_file(s, p, pl, 0);
		/* Else "goroutine running on other thread", "stack=[..". */
		break;
	default:
		return foreign(s);
	}
	s->foreign = 0;
	return STK_TAKE;
}

static enum stk_rc
on_blank(struct stk *s)
{
	switch (s->where) {
	case W_HEAD:
		s->head_blank = 1;
		return STK_TAKE;
	case W_STACK:
		gor_end(s);
		s->where = W_BETWEEN;
		return STK_TAKE;
	case W_BETWEEN:
	case W_REGS:
		s->where = W_BETWEEN;
		return STK_TAKE;
	default:
		return STK_END;
	}
}

/*
 * Race reports.  Section headers are unindented lines ending with ':';
 * each section's stack becomes a goroutine with the section's state.
 */
static void
race_section(struct stk *s, const char *l, size_t n)
{
	const char *p, *e = l + n;
	char st[48];
	size_t k = 0;
	long id = 0;

	if ((p = find(l, n, " by goroutine ")) != NULL)
		id = getnum(p + 14, e, NULL);
	else if (find(l, n, " by main goroutine") != NULL)
		id = 1;
	if (find(l, n, " created at:") != NULL) {
		if (PFX(l, n, "Goroutine "))
			id = getnum(l + 10, e, NULL);
		memcpy(st, "created", 8);
		k = 7;
	} else if (find(l, n, " allocated by ") != NULL) {
		memcpy(st, "allocated", 10);
		k = 9;
	} else {
		/* "Previous write at 0x00c000012345 by goroutine 6:" */
		const char *cut = find(l, n, " at 0x");
		if (cut == NULL)
			cut = find(l, n, " by ");
		if (cut == NULL)
			cut = e - 1;
		for (p = l; p < cut && k < sizeof(st) - 1; p++)
			st[k++] = (char)(*p >= 'A' && *p <= 'Z' ?
			    *p - 'A' + 'a' : *p);
		st[k] = '\0';
		if (s->addr[0] == '\0' && !s->have_fail && !s->in_gor &&
		    (p = find(l, n, " at 0x")) != NULL) {
			const char *q = p + 4;
			while (q < e && *q != ' ')
				q++;
			setstr(s->addr, sizeof(s->addr), p + 4,
			    (size_t)(q - p - 4));
		}
	}
	gor_end(s);
	gor_start(s, id, st, k);
}

static enum stk_rc
race_line(struct stk *s, const char *l, size_t n)
{
	size_t k = 0, fl;
	long line;

	if (s->where >= W_TAIL) {
		/* After the closing line: the test harness's lines only. */
		if (s->where == W_DONE)
			return EQ(l, n, "FAIL") ? STK_TAKE : STK_END;
		if ((PFX(l, n, "Found ") && find(l, n, " data race") != NULL) ||
		    (PFX(l, n, "exit status ") && n > 12) || EQ(l, n, "FAIL"))
			return STK_TAKE;
		if (PFX(l, n, "FAIL\t")) {
			s->where = W_DONE;
			return STK_TAKE;
		}
		return STK_END;
	}
	if (n == 0) {
		gor_end(s);
		return STK_TAKE;
	}
	if (n >= 10 && l[0] == '=' && l[n - 1] == '=' &&
	    memchr(l, ' ', n) == NULL) {
		if (s->race_warned) {
			gor_end(s);
			s->where = W_TAIL;
		}
		goto known;
	}
	if (EQ(l, n, "WARNING: DATA RACE")) {
		/* A second report whose first was cut before its end. */
		if (s->race_warned)
			return STK_END;
		s->race_warned = 1;
		goto known;
	}
	while (k < n && l[k] == ' ')
		k++;
	if (k >= 4) {
		if ((fl = parse_file(l + k, n - k, &line)) > 0)
			gor_file(s, l + k, fl, line);
		goto known;
	}
	if (k > 0) {
		/* "  main.f()"; else "  [failed to restore the stack]" */
		if ((fl = parse_func(l + k, n - k)) > 0)
			gor_func(s, l + k, fl);
		goto known;
	}
	if (l[n - 1] == ':' && s->race_warned && !is_terminator(l, n)) {
		race_section(s, l, n);
		goto known;
	}
	if (PFX(l, n, "Location is "))
		goto known;
	/* The program's own output, printed while the report was written. */
	if (is_terminator(l, n) || PFX(l, n, "panic: ") ||
	    PFX(l, n, "fatal error: ") || s->foreign >= STK_MAXFOREIGN)
		return STK_END;
	s->foreign++;
	return STK_TAKE;
known:
	s->foreign = 0;
	return STK_TAKE;
}

enum stk_rc
stk_feed(struct stk *s, const char *l, size_t n)
{
	size_t fl, k;
	long line;
	int r;

	n = rtrim(l, n);
	if (s->verdict == 0)
		return STK_END;
	if (s->mode == MD_RACE)
		return race_line(s, l, n);
	if (n == 0)
		return on_blank(s);
	if (s->where == W_DONE)
		return EQ(l, n, "FAIL") ? STK_TAKE : STK_END;

	/* The hot path of a dump: function lines and file lines. */
	if (l[0] == '\t')
		return tab_line(s, l, n);
	if (s->where == W_STACK) {
		if ((l[n - 1] == ')' && (fl = parse_func(l, n)) > 0) ||
		    (s->cur.pend == -1 && (fl = parse_cut_func(l, n)) > 0)) {
			if (s->verdict < 0 && !bare_frame(s, l, fl))
				return STK_END;
			gor_func(s, l, fl);
			goto known;
		}
		if (PFX(l, n, "created by ")) {
			s->created = 1;
			goto known;
		}
		if (PFX(l, n, "...") && n > 3)
			/* "...additional frames elided...", "...N frames elided..." */
			goto known;
		if (PFX(l, n, "[originating from goroutine ")) {
			s->ancestor = 1;
			goto known;
		}
		if (l[0] == ' ') {
			/* A log shipper that turned the tab into spaces. */
			for (k = 0; k < n && l[k] == ' '; k++)
				;
			if ((fl = parse_file(l + k, n - k, &line)) > 0) {
				gor_file(s, l + k, fl, line);
				goto known;
			}
			if (s->cur.pend != -1 &&
			    (fl = parse_cut_file(l + k, n - k)) > 0) {
				gor_file(s, l + k, fl, 0);
				goto known;
			}
		}
	}
	r = common_line(s, l, n);
	if (r > 0)
		goto known;
	if (r < 0 || is_terminator(l, n))
		return STK_END;
	if (s->where == W_HEAD && (!s->head_blank ||
	    (s->mode == MD_ICE && s->head_lines < STK_ICELINES))) {
		/*
		 * The panic value's lines, a hex dump; for an ICE the
		 * message paragraphs ("panic during ... while compiling").
		 */
		s->head_lines++;
		mark_recovered(s, l, n);
		return STK_TAKE;
	}
	return foreign(s);
known:
	s->foreign = 0;
	return STK_TAKE;
}

/*
 * stk_feed for the lines a goroutine dump is made of, taken only where
 * stk_feed is sure to take them, in the order it tests them: a frame's
 * file line, its function line, "created by", a goroutine header, the
 * blank line between goroutines.  Anything else is left untouched.
 */
int
stk_feed_hot(struct stk *s, const char *l, size_t n)
{
	size_t fl, stn;
	long id;
	const char *st;

	n = rtrim(l, n);
	if (s->verdict == 0 || s->mode == MD_RACE || s->where == W_DONE)
		return 0;
	if (n == 0) {
		if (s->where != W_STACK && s->where != W_BETWEEN &&
		    s->where != W_REGS)
			return 0;
		return on_blank(s) == STK_TAKE;
	}
	if (l[0] == '\t')
		return s->where == W_STACK && tab_line(s, l, n) == STK_TAKE;
	if (s->where == W_STACK) {
		if ((l[n - 1] == ')' && (fl = parse_func(l, n)) > 0) ||
		    (s->cur.pend == -1 && (fl = parse_cut_func(l, n)) > 0)) {
			/* An undecided bare header's first frame decides: not here. */
			if (s->verdict < 0)
				return 0;
			gor_func(s, l, fl);
			s->foreign = 0;
			return 1;
		}
		if (PFX(l, n, "created by ")) {
			s->created = 1;
			s->foreign = 0;
			return 1;
		}
		if (PFX(l, n, "...") || PFX(l, n, "[originating from goroutine ") ||
		    l[0] == ' ')
			return 0;
	} else if (s->where != W_BETWEEN) {
		return 0;
	}
	/* common_line's goroutine header, below W_TAIL. */
	if (l[0] == 'g' && parse_header(l, n, &id, &st, &stn)) {
		gor_end(s);
		gor_start(s, id, st, stn);
		s->foreign = 0;
		return 1;
	}
	return 0;
}

/*
 * API.
 */

struct stk *
stk_new(void)
{
	struct stk *s = xcalloc(1, sizeof(*s));

	gor_init(&s->cur);
	gor_init(&s->fail);
	s->b = xmalloc(STK_MAXBUCKETS * sizeof(*s->b));
	s->recovered = -1;
	return s;
}

void
stk_free(struct stk *s)
{
	if (s == NULL)
		return;
	gor_free(&s->cur);
	gor_free(&s->fail);
	free(s->b);
	free(s->bf);
	buf_free(&s->btext);
	buf_free(&s->lastp);
	free(s);
}

void
stk_begin(struct stk *s, const char *line, size_t len)
{
	size_t n = rtrim(line, len), sn;
	long id;
	const char *st, *p;
	size_t stn;

	s->mode = MD_OTHER;
	s->where = W_HEAD;
	s->head_blank = s->head_lines = s->foreign = 0;
	s->seen_gor = s->in_gor = s->created = s->ancestor = 0;
	s->race_warned = s->tmo = s->in_running = 0;
	s->npanic = 0;
	s->recovered = -1;
	s->http = s->bare = 0;
	s->verdict = 1;
	s->signal[0] = s->addr[0] = '\0';
	s->lastp.len = 0;
	s->ntests = 0;
	s->have_fail = 0;
	s->fail.score = 0;
	if (s->nb > 0)
		memset(s->slot, 0, sizeof(s->slot));
	s->nb = 0;
	s->btext.len = 0;
	s->nbf = 0;
	s->ngor = s->overflow = 0;

	if (PFX(line, n, "panic: ")) {
		s->mode = MD_PANIC;
		s->recovered = 0;
		take_panic(s, line + 7, n - 7);
		mark_recovered(s, line, n);
		s->tmo = PFX(line, n, "panic: test timed out after ");
	} else if (PFX(line, n, "http: panic serving ") &&
	    (st = memmem(line + 20, n - 20, ": ", 2)) != NULL) {
		/* net/http recovered it (conn.serve) and logged the stack. */
		s->mode = MD_PANIC;
		s->recovered = 1;
		take_panic(s, st + 2, n - (size_t)(st + 2 - line));
	} else if (PFX(line, n, "fatal error: ")) {
		s->mode = MD_FATAL;
	} else if (EQ(line, n, "WARNING: DATA RACE")) {
		s->mode = MD_RACE;
		s->race_warned = 1;
	} else if (n >= 10 && line[0] == '=' && line[n - 1] == '=' &&
	    memchr(line, ' ', n) == NULL) {
		s->mode = MD_RACE;
	} else if ((sn = sig_headline(line, n)) > 0) {
		s->mode = MD_SIGNAL;
		setstr(s->signal, sizeof(s->signal), line, sn);
	} else if ((PFX(line, n, "http: panic serving ") ||
	    PFX(line, n, "http2: panic serving ")) &&
	    (p = find(line + 19, n - 19, ": ")) != NULL) {
		/*
		 * net/http's conn.serve (and the HTTP/2 server's runHandler)
		 * recovered a handler's panic and logged "http: panic serving
		 * ADDR: VALUE" and runtime.Stack of the handler's goroutine.
		 * ADDR is host:port, so the value starts after the first ": ".
		 */
		s->mode = MD_PANIC;
		s->recovered = 1;
		s->http = 1;
		p += 2;
		take_panic(s, p, n - (size_t)(p - line));
	} else if (parse_header(line, n, &id, &st, &stn)) {
		gor_start(s, id, st, stn);
		s->bare = 1;
		s->verdict = -1;
	} else if (find(line, n, "internal compiler error") != NULL) {
		s->mode = MD_ICE;
	} else if (PFX(line, n, "[signal ")) {
		take_signal(s, line, n);
	} else if (PFX(line, n, "unexpected fault address ")) {
		setstr(s->addr, sizeof(s->addr), line + 25, n - 25);
	}
}

const char *
stk_last_panic(const struct stk *s, size_t *len)
{
	if (s->npanic < 2)
		return NULL;
	*len = s->lastp.len;
	return s->lastp.p;
}

int
stk_verdict(const struct stk *s)
{
	return s->verdict;
}

long
stk_overflow(const struct stk *s)
{
	return s->overflow;
}

/*
 * Finishing: normalised frames, buckets, fields, ICE, fingerprint.
 */

static struct frame *
norm_frames(const char *text, const struct sframe *sf, int n,
    struct arena *a)
{
	struct frame *fr;

	if (n == 0)
		return NULL;
	fr = arena_alloc(a, (size_t)n * sizeof(*fr));
	for (int i = 0; i < n; i++)
		stk_norm_frame(&fr[i], text + sf[i].func, sf[i].flen,
		    sf[i].filelen ? text + sf[i].file : NULL, sf[i].filelen,
		    sf[i].line, a);
	return fr;
}

static char *
arena_num(struct arena *a, long v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%ld", v);

	return arena_strndup(a, tmp, (size_t)n);
}

/* qsort has no context argument; the filter is single-threaded. */
static const struct sbucket *sort_base;

static int
bucket_cmp(const void *x, const void *y)
{
	const struct sbucket *a = &sort_base[*(const int *)x];
	const struct sbucket *b = &sort_base[*(const int *)y];

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return *(const int *)x - *(const int *)y;	/* first seen first */
}

static void
put_buckets(struct stk *s, struct event *ev, struct arena *a)
{
	int *ord = xmalloc((size_t)(s->nb ? s->nb : 1) * sizeof(*ord));
	int n = s->nb + (s->overflow > 0);

	for (int i = 0; i < s->nb; i++)
		ord[i] = i;
	sort_base = s->b;
	qsort(ord, (size_t)s->nb, sizeof(*ord), bucket_cmp);
	ev->gr = arena_alloc(a, (size_t)n * sizeof(*ev->gr));
	for (int i = 0; i < s->nb; i++) {
		const struct sbucket *b = &s->b[ord[i]];
		struct bucket *o = &ev->gr[i];
		o->count = b->count;
		o->wait_min = b->wait;
		o->state = b->slen ? arena_strndup(a, s->btext.p + b->state, b->slen) :
		    arena_strndup(a, "", 0);
		o->nstack = b->nf;
		/* A bucket may hold no frames (a header cut off): no pointer math. */
		o->stack = b->nf ? norm_frames(s->btext.p, s->bf + b->f0, b->nf, a) :
		    NULL;
	}
	if (s->overflow > 0) {
		struct bucket *o = &ev->gr[s->nb];
		o->count = s->overflow;
		o->wait_min = -1;
		o->state = "(other)";
		o->nstack = 0;
		o->stack = NULL;
	}
	ev->ngr = n;
	free(ord);
}

/* Phases of the compiler's packages (SPEC section 2). */
static const struct {
	const char *pkg, *phase;
} phase_tab[] = {
	{ "syntax", "parser" },
	{ "types2", "typecheck" }, { "noder", "typecheck" },
	{ "typecheck", "typecheck" }, { "importer", "typecheck" },
	{ "pkginit", "typecheck" }, { "rangefunc", "typecheck" },
	{ "loopvar", "typecheck" },
	{ "inline", "midend" }, { "escape", "midend" },
	{ "devirtualize", "midend" }, { "walk", "midend" },
	{ "deadlocals", "midend" }, { "staticinit", "midend" },
	{ "reflectdata", "midend" }, { "compare", "midend" },
	{ "coverage", "midend" }, { "staticdata", "midend" },
	{ "ssa", "ssa" }, { "ssagen", "ssa" }, { "liveness", "ssa" },
	{ "abi", "ssa" },
	{ "amd64", "codegen" }, { "arm", "codegen" }, { "arm64", "codegen" },
	{ "loong64", "codegen" }, { "mips", "codegen" },
	{ "mips64", "codegen" }, { "ppc64", "codegen" },
	{ "riscv64", "codegen" }, { "s390x", "codegen" },
	{ "wasm", "codegen" }, { "x86", "codegen" }, { "objw", "codegen" },
	{ "dwarfgen", "codegen" },
};

/*
 * Whether a frame belongs to a toolchain program, and the phase its
 * package owns (NULL for shared helpers: base, ir, types, gc, ...).
 */
static int
tool_frame(const struct frame *fr, const char **phase)
{
	const char *f = fr->func, *file = fr->file != NULL ? fr->file : "";
	size_t n = strlen(f), pk = func_pkg(f, n), fn = strlen(file);

	*phase = NULL;
	if (PFX(f, pk, "cmd/compile/internal/")) {
		const char *sub = f + 21, *e = f + pk;
		const char *sl = memchr(sub, '/', (size_t)(e - sub));
		size_t m = (size_t)((sl != NULL ? sl : e) - sub);
		for (size_t i = 0; i < sizeof(phase_tab) / sizeof(phase_tab[0]);
		    i++)
			if (strlen(phase_tab[i].pkg) == m &&
			    memcmp(phase_tab[i].pkg, sub, m) == 0)
				*phase = phase_tab[i].phase;
		return 1;
	}
	if (EQ(f, pk, "cmd/internal/obj") || PFX(f, pk, "cmd/internal/obj/") ||
	    PFX(f, pk, "cmd/asm/")) {
		*phase = "codegen";
		return 1;
	}
	if (PFX(f, pk, "cmd/link/")) {
		*phase = "link";
		return 1;
	}
	if (PFX(f, pk, "cmd/cgo")) {
		*phase = "cgo";
		return 1;
	}
	if (PFX(file, fn, "$GOROOT/src/cmd/compile/"))
		return 1;
	if (PFX(file, fn, "$GOROOT/src/cmd/asm/")) {
		*phase = "codegen";
		return 1;
	}
	if (PFX(file, fn, "$GOROOT/src/cmd/link/")) {
		*phase = "link";
		return 1;
	}
	if (PFX(file, fn, "$GOROOT/src/cmd/cgo/")) {
		*phase = "cgo";
		return 1;
	}
	return 0;
}

/* The name after the package and receiver: "Fatalf" of "(*Func).Fatalf". */
static const char *
last_elem(const char *f, size_t *len)
{
	size_t n = strlen(f);
	const char *br = memchr(f, '[', n);
	const char *e = br != NULL ? br : f + n, *p = e;

	while (p > f && p[-1] != '.')
		p--;
	*len = (size_t)(e - p);
	return p;
}

static int
is_wrapper(const char *f)
{
	size_t n;
	const char *p = last_elem(f, &n);

	return EQ(p, n, "Fatalf") || EQ(p, n, "FatalfAt") ||
	    EQ(p, n, "Fatal") || EQ(p, n, "Assert") || EQ(p, n, "Assertf") ||
	    EQ(p, n, "AssertfAt") || EQ(p, n, "assert") ||
	    EQ(p, n, "Panicf") || EQ(p, n, "handlePanic");
}

/* Frames the fingerprint's second tier skips: shared by unrelated bugs. */
static int
is_noise(const struct frame *fr)
{
	const char *f = fr->func;
	size_t n = strlen(f);

	return strcmp(fr->origin, "runtime") == 0 ||
	    PFX(f, n, "runtime/debug.") || PFX(f, n, "testing.") ||
	    PFX(f, n, "cmd/compile/internal/base.") || is_wrapper(f);
}

static void
set_ice(struct event *ev)
{
	const char *phase = NULL, *ph;
	int tool = 0;

	for (int i = 0; i < ev->nstack; i++) {
		const struct frame *fr = &ev->stack[i];
		if (strcmp(fr->origin, "runtime") == 0 || !tool_frame(fr, &ph))
			continue;
		tool = 1;
		if (phase == NULL && ph != NULL && !is_wrapper(fr->func))
			phase = ph;
	}
	if (!tool)
		return;
	/*
	 * SPEC section 2: with a stack, the frames decide the phase, over what
	 * the message said; a runtime headline's phase (a compiler that
	 * deadlocked) is no compiler phase at all.
	 */
	const int was_ice = ev->f[F_CLASS] != NULL &&
	    strcmp(ev->f[F_CLASS], "ice") == 0;
	ev->f[F_CLASS] = "ice";
	ev->f[F_KIND] = "ice";
	if (phase != NULL)
		ev->f[F_PHASE] = phase;
	else if (!was_ice || ev->f[F_PHASE] == NULL)
		ev->f[F_PHASE] = "unknown";
}

static char *
hex64(struct arena *a, uint64_t h)
{
	char *o = arena_alloc(a, 17);

	snprintf(o, 17, "%016llx", (unsigned long long)h);
	return o;
}

static uint64_t
hash_str0(uint64_t h, const char *s)
{
	if (s != NULL)
		h = hash_fnv1a64(h, s, strlen(s));
	return hash_fnv1a64(h, "", 1);
}

/* A function name with every bracketed group hashed as "[...]". */
static uint64_t
hash_func(uint64_t h, const char *f)
{
	const char *p = f;

	while (*p != '\0') {
		const char *br = strchr(p, '[');
		if (br == NULL) {
			h = hash_fnv1a64(h, p, strlen(p));
			break;
		}
		h = hash_fnv1a64(h, p, (size_t)(br - p));
		h = hash_fnv1a64(h, "[...]", 5);
		int depth = 0;
		for (p = br; *p != '\0'; p++) {
			if (*p == '[')
				depth++;
			else if (*p == ']' && --depth == 0) {
				p++;
				break;
			}
		}
	}
	return hash_fnv1a64(h, "", 1);
}

/* The frames a fingerprint hashes: see the comment at the top. */
static int
pick_frames(const struct frame *st, int n, const struct frame *sel[3])
{
	int ns = 0;

	for (int i = 0; i < n && ns < 3; i++) {
		const char *o = st[i].origin;
		if (strcmp(o, "main") == 0 || strcmp(o, "app") == 0 ||
		    strcmp(o, "module") == 0)
			sel[ns++] = &st[i];
	}
	for (int i = 0; ns == 0 && i < n; i++)
		if (!is_noise(&st[i]))
			for (; i < n && ns < 3; i++)
				if (!is_noise(&st[i]))
					sel[ns++] = &st[i];
	for (int i = 0; ns == 0 && i < n && i < 3; i++)
		sel[ns++] = &st[i];
	return ns;
}

static int
group_cmp(const struct frame *const *a, int na, const struct frame *const *b,
    int nb)
{
	for (int i = 0; i < na && i < nb; i++) {
		int c = strcmp(a[i]->func, b[i]->func);
		if (c != 0)
			return c;
	}
	return na - nb;
}

/*
 * The frames of a recovered panic's stack that are the recovery, not the
 * bug: net/http's conn.serve.func1 (or the program's deferred function,
 * runtime/debug.Stack and PrintStack above it) and "panic", which is
 * gopanic.  The recovered panic is the latest one, so its gopanic is the
 * topmost "panic" frame.  Returns the index of the first frame below it
 * (0 when the stack is no such stack), and sets ev->recovered for a
 * debug.Stack print.  An unrecovered crash prints no gopanic frame above
 * the faulting one, so the frames from there hash as that crash's do.
 */
static int
recovery_frames(const struct stk *s, struct event *ev)
{
	int dbg = ev->nstack > 0 &&
	    strcmp(ev->stack[0].func, "runtime/debug.Stack") == 0;

	if ((!s->http && !dbg) || (ev->f[F_CLASS] != NULL &&
	    strcmp(ev->f[F_CLASS], "ice") == 0))
		return 0;
	for (int i = 0; i < ev->nstack; i++) {
		if (strcmp(ev->stack[i].func, "panic") != 0)
			continue;
		if (i + 1 == ev->nstack)
			return 0;
		ev->recovered = 1;
		return i + 1;
	}
	return 0;
}

static void
fingerprint(struct event *ev, struct arena *a, int race, int top)
{
	const struct frame *s1[3], *s2[3], *const *g1 = s1, *const *g2 = s2;
	/* A block may hold no frame at all: no arithmetic on a NULL stack. */
	int n1 = ev->stack != NULL ? pick_frames(ev->stack + top,
	    ev->nstack - top, s1) : 0, n2 = 0;

	if (n1 == 0) {
		stk_fingerprint_msg(ev, a);
		return;
	}
	/*
	 * A race's two accesses come in either order from run to run: the
	 * previous access's frames are hashed too, the two groups in
	 * lexical order.
	 */
	for (int i = 0; race && i < ev->ngr && n2 == 0; i++)
		if (PFX(ev->gr[i].state, strlen(ev->gr[i].state), "previous "))
			n2 = pick_frames(ev->gr[i].stack, ev->gr[i].nstack, s2);
	if (n2 > 0 && group_cmp(s1, n1, s2, n2) > 0) {
		int t = n1;
		g1 = s2;
		g2 = s1;
		n1 = n2;
		n2 = t;
	}
	uint64_t h = hash_str0(FNV64_INIT, ev->f[F_CLASS]);
	h = hash_str0(h, ev->f[F_KIND]);
	/*
	 * For a bare signal the signal is what happened: SIGQUIT (a dump on
	 * request) and SIGSEGV at the same place are different failures.
	 */
	if (ev->f[F_CLASS] != NULL && strcmp(ev->f[F_CLASS], "signal") == 0 &&
	    ev->f[F_SIGNAL] != NULL)
		h = hash_str0(h, ev->f[F_SIGNAL]);
	for (int i = 0; i < n1; i++)
		h = hash_func(h, g1[i]->func);
	if (n2 > 0) {
		h = hash_fnv1a64(h, "", 1);
		for (int i = 0; i < n2; i++)
			h = hash_func(h, g2[i]->func);
	}
	ev->f[F_FINGERPRINT] = hex64(a, h);
}

void
stk_fingerprint_msg(struct event *ev, struct arena *a)
{
	const char *m = ev->f[F_MSG] != NULL ? ev->f[F_MSG] : "";
	uint64_t h = hash_str0(FNV64_INIT, ev->f[F_CLASS]);
	const char *p = m;
	int prev = ' ';

	h = hash_str0(h, ev->f[F_KIND]);
	/*
	 * A failed test is told by its name: two tests' assertion messages
	 * often differ only in their numbers.
	 */
	if (strcmp(ev->f[F_CLASS], "test_failure") == 0 && ev->f[F_TESTNAME] != NULL)
		h = hash_str0(h, ev->f[F_TESTNAME]);
	while (*p != '\0') {
		const char *q;
		int c = (unsigned char)*p;
		if (c == '"' || c == '`') {
			/* A quoted string: its contents vary, its place not. */
			q = strchr(p + 1, c);
			if (q != NULL) {
				h = hash_fnv1a64(h, "\"_\"", 3);
				p = q + 1;
				prev = '"';
				continue;
			}
		}
		if (isdig(c) && !isident(prev) && prev != '.') {
			/*
			 * A number: line, count, address (0x...), version
			 * (1.22.1); all read as "N".
			 */
			q = p;
			while (isident((unsigned char)*q) ||
			    (*q == '.' && isdig((unsigned char)q[1])))
				q++;
			h = hash_fnv1a64(h, "N", 1);
			prev = 'N';
			p = q;
			continue;
		}
		if ((c == '/' || c == '.' || (c == '$' && p[1] != '\0') ||
		    (isident(c) && p[1] == ':' && p[2] == '/')) &&
		    (prev == ' ' || prev == '(' || prev == '\'' ||
		    prev == '"')) {
			/* A path token: only its last element counts. */
			const char *e = p, *last = NULL;
			while (*e != '\0' && *e != ' ' && *e != ':' &&
			    *e != ')' && *e != ',' && *e != '\'') {
				if (*e == '/')
					last = e + 1;
				e++;
			}
			if (last != NULL && (c != '.' || p[1] == '/' ||
			    p[1] == '.')) {
				p = last;
				prev = '/';
				continue;
			}
		}
		h = hash_fnv1a64(h, p, 1);
		prev = c;
		p++;
	}
	h = hash_fnv1a64(h, "", 1);
	ev->f[F_FINGERPRINT] = hex64(a, h);
}

void
stk_finish(struct stk *s, struct event *ev, struct arena *a)
{
	gor_end(s);
	if (s->have_fail) {
		ev->stack = norm_frames(s->fail.text.p, s->fail.f, s->fail.nf,
		    a);
		ev->nstack = s->fail.nf;
	}
	ev->ngoroutines = (int)s->ngor;
	if (s->ngor > 1 || s->nb > 1 || (s->mode == MD_RACE && s->nb > 0))
		put_buckets(s, ev, a);

	if (s->recovered >= 0)
		ev->recovered = s->recovered;
	if (s->signal[0] != '\0' && ev->f[F_SIGNAL] == NULL)
		ev->f[F_SIGNAL] = arena_strndup(a, s->signal,
		    strlen(s->signal));
	if (s->addr[0] != '\0' && ev->f[F_ADDR] == NULL)
		ev->f[F_ADDR] = arena_strndup(a, s->addr, strlen(s->addr));
	if (s->have_fail && s->fail.id >= 0 && ev->f[F_GOROUTINE] == NULL)
		ev->f[F_GOROUTINE] = arena_num(a, s->fail.id);
	/* A timeout's tests are the ones it lists as still running. */
	if (s->tmo && s->ntests > 0) {
		size_t len = 0;
		for (int t = 0; t < s->ntests; t++)
			len += strlen(s->tests[t]) + 1;
		char *names = arena_alloc(a, len), *q = names;
		for (int t = 0; t < s->ntests; t++) {
			if (t > 0)
				*q++ = ' ';
			size_t m = strlen(s->tests[t]);
			memcpy(q, s->tests[t], m);
			q += m;
		}
		*q = '\0';
		ev->f[F_TESTNAME] = names;
	}

	set_ice(ev);
	int top = recovery_frames(s, ev);
	/* The top in-app frame; an ICE's func/file/line are the user's. */
	if (ev->f[F_CLASS] == NULL || strcmp(ev->f[F_CLASS], "ice") != 0) {
		for (int i = top; i < ev->nstack; i++) {
			const struct frame *fr = &ev->stack[i];
			if (strcmp(fr->origin, "main") != 0 &&
			    strcmp(fr->origin, "app") != 0 &&
			    strcmp(fr->origin, "module") != 0)
				continue;
			if (ev->f[F_FUNC] == NULL)
				ev->f[F_FUNC] = fr->func;
			if (ev->f[F_FILE] == NULL && fr->file != NULL) {
				ev->f[F_FILE] = fr->file;
				if (ev->f[F_LINE] == NULL && fr->line > 0)
					ev->f[F_LINE] = arena_num(a, fr->line);
			}
			break;
		}
	}
	if (ev->f[F_FINGERPRINT] == NULL)
		fingerprint(ev, a, s->mode == MD_RACE, top);
}
