/*
 * event.c - field names and types of the event model.
 */
#include <string.h>

#include "event.h"
#include "util.h"

const char *const field_names[F_NFIELDS] = {
	"class", "kind", "phase", "rule", "msg",
	"pkg", "test", "file", "line", "col", "elapsed", "input", "tool",
	"go_version",
	"pass", "func", "signal", "addr", "goroutine",
	"fingerprint", "cmd", "hint", "known_issue", "fixed_in",
	"stream", "time", "src",
};

int
field_is_int(int f)
{
	return f == F_LINE || f == F_COL || f == F_GOROUTINE;
}

int
field_is_num(int f)
{
	return f == F_ELAPSED;
}

int
field_lookup(const char *name, size_t len)
{
	for (int i = 0; i < F_NFIELDS; i++)
		if (strlen(field_names[i]) == len &&
		    memcmp(field_names[i], name, len) == 0)
			return i;
	return -1;
}

static const char *
copy_str(struct arena *a, const char *s)
{
	return s != NULL ? arena_strndup(a, s, strlen(s)) : NULL;
}

static struct frame *
copy_frames(const struct frame *src, int n, struct arena *a)
{
	if (n <= 0)
		return NULL;
	struct frame *fr = arena_alloc(a, (size_t)n * sizeof(*fr));
	for (int i = 0; i < n; i++) {
		fr[i].func = copy_str(a, src[i].func);
		fr[i].file = copy_str(a, src[i].file);
		fr[i].line = src[i].line;
		/* Origins are the stack parser's constants, not arena text. */
		fr[i].origin = src[i].origin;
		fr[i].module = copy_str(a, src[i].module);
	}
	return fr;
}

void
ev_copy(struct event *dst, const struct event *src, struct arena *a)
{
	*dst = *src;
	for (int f = 0; f < F_NFIELDS; f++)
		dst->f[f] = copy_str(a, src->f[f]);
	dst->stack = copy_frames(src->stack, src->nstack, a);
	if (src->ngr > 0) {
		dst->gr = arena_alloc(a, (size_t)src->ngr * sizeof(*dst->gr));
		for (int i = 0; i < src->ngr; i++) {
			dst->gr[i] = src->gr[i];
			dst->gr[i].state = copy_str(a, src->gr[i].state);
			dst->gr[i].stack = copy_frames(src->gr[i].stack,
			    src->gr[i].nstack, a);
		}
	}
	if (src->noutput > 0) {
		dst->output = arena_alloc(a, (size_t)src->noutput * sizeof(char *));
		for (int i = 0; i < src->noutput; i++)
			dst->output[i] = copy_str(a, src->output[i]);
	}
	if (src->nattr > 0) {
		dst->attr_k = arena_alloc(a, (size_t)src->nattr * sizeof(char *));
		dst->attr_v = arena_alloc(a, (size_t)src->nattr * sizeof(char *));
		for (int i = 0; i < src->nattr; i++) {
			dst->attr_k[i] = copy_str(a, src->attr_k[i]);
			dst->attr_v[i] = copy_str(a, src->attr_v[i]);
		}
	}
}

size_t
ev_bytes(const struct event *ev)
{
	size_t n = sizeof(*ev);

	for (int f = 0; f < F_NFIELDS; f++)
		n += ev->f[f] ? strlen(ev->f[f]) + 1 : 0;
	for (int i = 0; i < ev->nstack; i++)
		n += sizeof(struct frame) + strlen(ev->stack[i].func) + 1 +
		    (ev->stack[i].file ? strlen(ev->stack[i].file) + 1 : 0);
	for (int i = 0; i < ev->ngr; i++) {
		n += sizeof(struct bucket);
		for (int k = 0; k < ev->gr[i].nstack; k++)
			n += sizeof(struct frame) +
			    strlen(ev->gr[i].stack[k].func) + 1 +
			    (ev->gr[i].stack[k].file ?
			    strlen(ev->gr[i].stack[k].file) + 1 : 0);
	}
	for (int i = 0; i < ev->noutput; i++)
		n += sizeof(char *) + strlen(ev->output[i]) + 1;
	for (int i = 0; i < ev->nattr; i++)
		n += 2 * sizeof(char *) + strlen(ev->attr_k[i]) +
		    strlen(ev->attr_v[i]) + 2;
	return n;
}
