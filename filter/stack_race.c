/*
 * stack_race.c - the race detector's reports ("WARNING: DATA RACE" up to
 * the closing "=================="): sections headed "Read at 0x... by
 * goroutine 7:", two-space frames, six-space files.  Each section's stack
 * becomes a goroutine (stack.c's stk_gor_*) whose state is the section's
 * name; after the closing line only the test harness's lines ("Found N
 * data race(s)", "exit status", FAIL) belong to the block.  Exports
 * stk_race_line, which stk_feed calls for every line of a race block; the
 * state is struct stk's (stack_int.h).
 */
#include <string.h>

#include "event.h"
#include "stack.h"
#include "stack_int.h"
#include "util.h"

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

	if ((p = stk_find(l, n, " by goroutine ")) != NULL)
		id = stk_getnum(p + 14, e, NULL);
	else if (stk_find(l, n, " by main goroutine") != NULL)
		id = 1;
	if (stk_find(l, n, " created at:") != NULL) {
		if (PFX(l, n, "Goroutine "))
			id = stk_getnum(l + 10, e, NULL);
		memcpy(st, "created", 8);
		k = 7;
	} else if (stk_find(l, n, " allocated by ") != NULL) {
		memcpy(st, "allocated", 10);
		k = 9;
	} else {
		/* "Previous write at 0x00c000012345 by goroutine 6:" */
		const char *cut = stk_find(l, n, " at 0x");
		if (cut == NULL)
			cut = stk_find(l, n, " by ");
		if (cut == NULL)
			cut = e - 1;
		for (p = l; p < cut && k < sizeof(st) - 1; p++)
			st[k++] = (char)(*p >= 'A' && *p <= 'Z' ?
			    *p - 'A' + 'a' : *p);
		st[k] = '\0';
		if (s->addr[0] == '\0' && !s->have_fail && !s->in_gor &&
		    (p = stk_find(l, n, " at 0x")) != NULL) {
			const char *q = p + 4;
			while (q < e && *q != ' ')
				q++;
			stk_setstr(s->addr, sizeof(s->addr), p + 4,
			    (size_t)(q - p - 4));
		}
	}
	stk_gor_end(s);
	stk_gor_start(s, id, st, k);
}

enum stk_rc
stk_race_line(struct stk *s, const char *l, size_t n)
{
	size_t k = 0, fl;
	long line;

	if (s->where >= W_TAIL) {
		/* After the closing line: the test harness's lines only. */
		if (s->where == W_DONE)
			return EQ(l, n, "FAIL") ? STK_TAKE : STK_END;
		if ((PFX(l, n, "Found ") &&
		    stk_find(l, n, " data race") != NULL) ||
		    (PFX(l, n, "exit status ") && n > 12) || EQ(l, n, "FAIL"))
			return STK_TAKE;
		if (PFX(l, n, "FAIL\t")) {
			s->where = W_DONE;
			return STK_TAKE;
		}
		return STK_END;
	}
	if (n == 0) {
		stk_gor_end(s);
		return STK_TAKE;
	}
	if (n >= 10 && l[0] == '=' && l[n - 1] == '=' &&
	    memchr(l, ' ', n) == NULL) {
		if (s->race_warned) {
			stk_gor_end(s);
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
		if ((fl = stk_parse_file(l + k, n - k, &line)) > 0)
			stk_gor_file(s, l + k, fl, line);
		goto known;
	}
	if (k > 0) {
		/* "  main.f()"; else "  [failed to restore the stack]" */
		if ((fl = stk_parse_func(l + k, n - k)) > 0)
			stk_gor_func(s, l + k, fl);
		goto known;
	}
	if (l[n - 1] == ':' && s->race_warned && !stk_is_terminator(l, n)) {
		race_section(s, l, n);
		goto known;
	}
	if (PFX(l, n, "Location is "))
		goto known;
	/* The program's own output, printed while the report was written. */
	if (stk_is_terminator(l, n) || PFX(l, n, "panic: ") ||
	    PFX(l, n, "fatal error: ") || s->foreign >= STK_MAXFOREIGN)
		return STK_END;
	s->foreign++;
	return STK_TAKE;
known:
	s->foreign = 0;
	return STK_TAKE;
}
