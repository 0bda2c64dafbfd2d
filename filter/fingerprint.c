/*
 * fingerprint.c - fingerprints and the frames they are taken from (SPEC
 * section 3: fingerprint; section 2: the phase of an ICE).  Exports
 * stk_fingerprint_msg of stack.h (events without a stack) and
 * stk_finish_frames (stack_int.h), stk_finish's last part: once the
 * failing stack's frames are in the event it sets an ICE's class and
 * phase from the toolchain frames (set_ice), skips a recovered panic's
 * recovery frames (recovery_frames), fills F_FUNC, F_FILE and F_LINE from
 * the top app frame and F_FINGERPRINT.  It reads the event and the block's
 * struct stk (stack_int.h) and allocates only from the arena given.
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
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "stack.h"
#include "stack_int.h"
#include "util.h"

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
	size_t n = strlen(f), pk = stk_func_pkg(f, n), fn = strlen(file);

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

static int
isident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    stk_isdig(c) || c == '_';
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
		if (stk_isdig(c) && !isident(prev) && prev != '.') {
			/*
			 * A number: line, count, address (0x...), version
			 * (1.22.1); all read as "N".
			 */
			q = p;
			while (isident((unsigned char)*q) ||
			    (*q == '.' && stk_isdig((unsigned char)q[1])))
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

/*
 * The part of stk_finish that reads the failing stack's frames, once
 * ev->stack and ev->gr are filled.
 */
void
stk_finish_frames(const struct stk *s, struct event *ev, struct arena *a)
{
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
					ev->f[F_LINE] = stk_arena_num(a,
					    fr->line);
			}
			break;
		}
	}
	if (ev->f[F_FINGERPRINT] == NULL)
		fingerprint(ev, a, s->mode == MD_RACE, top);
}
