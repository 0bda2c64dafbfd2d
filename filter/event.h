/*
 * event.h - the event model (SPEC section 3).
 *
 * An event and everything it points to lives in the engine's arena and is
 * valid until the engine resets the arena after the event is written; the
 * writers (json.c, mpk.c, text.c) only read it.
 */
#ifndef GOERRFILT_EVENT_H
#define GOERRFILT_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EV_SCHEMA_VERSION 1

/* String fields, in output order after v, seq and lines. */
enum field {
	F_CLASS, F_KIND, F_PHASE, F_RULE, F_MSG,
	F_PKG, F_TESTNAME, F_FILE, F_LINE, F_COL, F_ELAPSED, F_INPUT, F_TOOL,
	F_GO_VERSION,
	F_PASS, F_FUNC, F_SIGNAL, F_ADDR, F_GOROUTINE,
	F_FINGERPRINT, F_CMD, F_HINT, F_KNOWN_ISSUE, F_FIXED_IN,
	F_STREAM, F_TIME, F_SRC,
	F_NFIELDS
};

extern const char *const field_names[F_NFIELDS];

/*
 * Fields written as JSON integers (their text is decimal digits) and as
 * JSON numbers (digits with an optional fraction, elapsed seconds).
 */
int field_is_int(int f);
int field_is_num(int f);
/* Returns the field id for a name, or -1. */
int field_lookup(const char *name, size_t len);

struct frame {
	const char *func;
	const char *file;   /* may be NULL */
	long line;          /* 0 when unknown */
	const char *origin; /* stdlib, runtime, module, main, app */
	const char *module; /* module@version for origin module, else NULL */
};

struct bucket {
	long count;
	const char *state;
	long wait_min;      /* -1 when the header gave no wait */
	struct frame *stack;
	int nstack;
};

struct event {
	uint64_t seq;
	uint64_t first, last;           /* input line numbers, 1-based */
	const char *f[F_NFIELDS];
	int recovered;                  /* -1 unknown */
	struct frame *stack;
	int nstack;
	struct bucket *gr;
	int ngr;
	int ngoroutines;                /* goroutines seen in a dump */
	/* a failed test's output lines, at most EV_OUTPUT_MAX of them */
	const char **output;
	int noutput;
	long output_omitted;            /* lines left out past the bound */
	/* a test's attributes (t.Attr, go1.25): keys and values */
	const char **attr_k, **attr_v;
	int nattr;
	/*
	 * --label k=v: the run's fixed fields, the same for every event; the
	 * command line owns them, the event only points at them.
	 */
	const char *const *label_k, *const *label_v;
	int nlabel;
};

/* The bound of an event's output field: lines, and bytes in all. */
#define EV_OUTPUT_MAX 50
#define EV_OUTPUT_BYTES 8192

struct arena;
/*
 * Copies src and everything it points to into the arena, so the event
 * outlives the one the engine reuses (held until a test package ends, kept
 * by a report writer).
 */
void ev_copy(struct event *dst, const struct event *src, struct arena *a);
/* About how many bytes such a copy takes, for holders' bounds. */
size_t ev_bytes(const struct event *ev);

/* A run of input lines that belongs to no event (the passthrough record). */
struct rawline {
	uint64_t lineno;
	const char *text;
	size_t len;
};

#endif
