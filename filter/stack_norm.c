/*
 * stack_norm.c - frames and paths normalised: a frame's package
 * (stk_func_pkg), its file with GOROOT, the module cache and go-build
 * directories replaced (stk_norm_path), its origin (runtime, stdlib,
 * module, main, app) and module@version (stk_norm_frame), and a
 * goroutine's frames as the event holds them (stk_norm_frames).  Results
 * are allocated from the arena given; the cache of recent path answers
 * (npc) is this file's own, allocated on first use and kept for the
 * process's life.
 */
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "stack.h"
#include "stack_int.h"
#include "util.h"

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
size_t
stk_func_pkg(const char *f, size_t n)
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
	const char *at = stk_find(p, n, "@v"), *e = p + n, *s, *q;

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
			if ((q = stk_find(t, n, pat)) != NULL) {
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
	if ((q = stk_find(t, n, "golang.org/toolchain@")) != NULL &&
	    (q = stk_find(q, n - (size_t)(q - t), "/src/")) != NULL) {
		*kind = PK_GOROOT;
		return goroot_path(q, n - (size_t)(q - t), a);
	}

	/* Module cache. */
	if ((q = stk_find(t, n, "/pkg/mod/")) != NULL) {
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
		for (q = t; (q = stk_find(q, n - (size_t)(q - t),
		    "/src/")) != NULL; q++) {
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
	for (q = t; (q = stk_find(q, n - (size_t)(q - t), "go-build")) != NULL;
	    q++) {
		const char *d = q + 8, *e = t + n;
		while (d < e && stk_isdig(*d))
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
	/* stk_khash, not FNV-1a: this runs for every frame of every event. */
	const uint64_t h = stk_khash(stk_khash(0x6e7063, path, n), pkg != NULL ? pkg : "",
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
	size_t pk = stk_func_pkg(func, flen);
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

/* A goroutine's frames as read (names and paths in text) for the event. */
struct frame *
stk_norm_frames(const char *text, const struct sframe *sf, int n,
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
