/*
 * stack_head.c - the lines of a non-race block other than a goroutine's
 * frames: the headline (stk_begin: what mode it opens, the first panic,
 * signal or fault address), the panic chain and its [recovered] marks
 * (stk_take_panic, stk_mark_recovered, stk_last_panic), and the runtime's
 * lines around the goroutines that any part of the block may hold
 * (stk_common_line: goroutine headers and "runtime stack:", [signal ...],
 * SIGQUIT and PC= headers, register and hex dumps, fatal error:, the
 * "exit status" and FAIL tail).  What they find goes into struct stk
 * (stack_int.h); stack.c's reader calls them.
 */
#include <string.h>

#include "event.h"
#include "stack.h"
#include "stack_int.h"
#include "util.h"

/* "rax    0x0", "r10    0x...", "rflags 0x246", "fault  0x0", "lr 0x.." */
static int
is_register(const char *l, size_t n)
{
	size_t i = 0;

	while (i < n && ((l[i] >= 'a' && l[i] <= 'z') || stk_isdig(l[i])))
		i++;
	if (i < 1 || i > 8 || i == n || l[i] != ' ' || !(l[0] >= 'a' &&
	    l[0] <= 'z'))
		return 0;
	while (i < n && l[i] == ' ')
		i++;
	if (!PFX(l + i, n - i, "0x") || i + 2 >= n)
		return 0;
	for (i += 2; i < n; i++)
		if (!stk_isdig(l[i]) && !(l[i] >= 'a' && l[i] <= 'f'))
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
	while (i < n && ((l[i] >= 'A' && l[i] <= 'Z') || stk_isdig(l[i])))
		i++;
	if (i == 3 || i + 1 >= n || l[i] != ':' || l[i + 1] != ' ')
		return 0;
	return i;
}

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
		stk_setstr(s->signal, sizeof(s->signal), p, (size_t)(q - p));
		for (size_t i = 0; i < sizeof(signum_tab) /
		    sizeof(signum_tab[0]); i++)
			if (strcmp(s->signal, signum_tab[i].num) == 0)
				stk_setstr(s->signal, sizeof(s->signal),
				    signum_tab[i].name,
				    strlen(signum_tab[i].name));
	}
	if (s->addr[0] == '\0' && (p = stk_find(l, n, " addr=")) != NULL) {
		p += 6;
		for (q = p; q < e && *q != ' ' && *q != ']'; q++)
			;
		stk_setstr(s->addr, sizeof(s->addr), p, (size_t)(q - p));
	}
}

void
stk_take_panic(struct stk *s, const char *v, size_t n)
{
	const char *r = stk_find(v, n, " [recovered");

	s->npanic++;
	s->lastp.len = 0;
	buf_add(&s->lastp, v, r != NULL && v[n - 1] == ']' ?
	    (size_t)(r - v) : n);
}

/* A headline, or a line of the panic value: "[recovered]" at its end. */
void
stk_mark_recovered(struct stk *s, const char *l, size_t n)
{
	if (s->npanic == 1 && n > 0 && l[n - 1] == ']' &&
	    (stk_find(l, n, " [recovered]") != NULL ||
	    stk_find(l, n, " [recovered, ") != NULL))
		s->recovered = 1;
}

/*
 * Lines any part of a non-race block may hold.  Returns 1 taken, 0 not
 * recognised, -1 the block ends.
 */
int
stk_common_line(struct stk *s, const char *l, size_t n)
{
	long id;
	const char *st, *p;
	size_t stn, sn;

	switch (l[0]) {
	case 'g':
		if (stk_parse_header(l, n, &id, &st, &stn)) {
			if (s->where >= W_TAIL)
				return -1;
			stk_gor_end(s);
			stk_gor_start(s, id, st, stn);
			return 1;
		}
		break;
	case 'r':
		if (EQ(l, n, "runtime stack:")) {
			if (s->where >= W_TAIL)
				return -1;
			stk_gor_end(s);
			stk_gor_start(s, -1, "runtime stack", 13);
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
		stk_gor_end(s);
		if (!s->seen_gor && s->signal[0] == '\0')
			stk_setstr(s->signal, sizeof(s->signal), l, sn);
		/* Its "PC=..." and "signal arrived..." lines, a blank line. */
		s->where = W_HEAD;
		s->head_blank = 0;
		return 1;
	case 'P':
		if (PFX(l, n, "PC=0x")) {
			p = stk_find(l, n, " addr=");
			if (p != NULL && s->addr[0] == '\0' && !s->seen_gor)
				stk_setstr(s->addr, sizeof(s->addr), p + 6,
				    n - (size_t)(p + 6 - l));
			return 1;
		}
		return PFX(l, n, "Please file a bug report");
	case '-':
		if (PFX(l, n, "-----") && l[n - 1] == '-' &&
		    memchr(l, ' ', n) == NULL) {
			stk_gor_end(s);
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
		if (PFX(l, n, "exit status ") && n > 12 && stk_isdig(l[12])) {
			stk_gor_end(s);
			s->where = W_TAIL;
			return 1;
		}
		break;
	case 'F':
		/* The binary's "FAIL", go test's "FAIL\tpkg\t0.1s", a last "FAIL". */
		if (EQ(l, n, "FAIL")) {
			stk_gor_end(s);
			s->where = W_TAIL;
			return 1;
		}
		if (PFX(l, n, "FAIL\t")) {
			stk_gor_end(s);
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
			stk_take_panic(s, l + 7, n - 7);
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
				stk_setstr(s->addr, sizeof(s->addr), l + 25,
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
			stk_gor_end(s);
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
		for (sn = 0; sn < n && (stk_isdig(l[sn]) ||
		    (l[sn] >= 'a' && l[sn] <= 'f')); sn++)
			;
		return sn >= 8 && sn < n && l[sn] == ':';
	default:
		break;
	}
	/* GOTRACEBACK=crash registers: "rax    0x0", "fs     0x0". */
	if (l[0] >= 'a' && l[0] <= 'z' && is_register(l, n)) {
		stk_gor_end(s);
		if (s->where >= W_TAIL)
			return -1;
		s->where = W_REGS;
		return 1;
	}
	return 0;
}

void
stk_begin(struct stk *s, const char *line, size_t len)
{
	size_t n = stk_rtrim(line, len), sn;
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
		stk_take_panic(s, line + 7, n - 7);
		stk_mark_recovered(s, line, n);
		s->tmo = PFX(line, n, "panic: test timed out after ");
	} else if (PFX(line, n, "http: panic serving ") &&
	    (st = memmem(line + 20, n - 20, ": ", 2)) != NULL) {
		/* net/http recovered it (conn.serve) and logged the stack. */
		s->mode = MD_PANIC;
		s->recovered = 1;
		stk_take_panic(s, st + 2, n - (size_t)(st + 2 - line));
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
		stk_setstr(s->signal, sizeof(s->signal), line, sn);
	} else if ((PFX(line, n, "http: panic serving ") ||
	    PFX(line, n, "http2: panic serving ")) &&
	    (p = stk_find(line + 19, n - 19, ": ")) != NULL) {
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
		stk_take_panic(s, p, n - (size_t)(p - line));
	} else if (stk_parse_header(line, n, &id, &st, &stn)) {
		stk_gor_start(s, id, st, stn);
		s->bare = 1;
		s->verdict = -1;
	} else if (stk_find(line, n, "internal compiler error") != NULL) {
		s->mode = MD_ICE;
	} else if (PFX(line, n, "[signal ")) {
		take_signal(s, line, n);
	} else if (PFX(line, n, "unexpected fault address ")) {
		stk_setstr(s->addr, sizeof(s->addr), line + 25, n - 25);
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
