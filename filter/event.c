/*
 * event.c - field names and types of the event model.
 */
#include <string.h>

#include "event.h"

const char *const field_names[F_NFIELDS] = {
	"class", "kind", "phase", "rule", "msg",
	"pkg", "file", "line", "col", "tool", "go_version",
	"pass", "func", "signal", "addr", "goroutine",
	"fingerprint", "cmd", "hint", "known_issue", "fixed_in",
	"stream", "time",
};

int
field_is_int(int f)
{
	return f == F_LINE || f == F_COL || f == F_GOROUTINE;
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
