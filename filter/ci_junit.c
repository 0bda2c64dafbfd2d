/*
 * ci_junit.c - placeholder, being written (see report.h).
 */
#include "report.h"

void
ci_junit(struct buf *out, const struct evlist *l, const struct ci_env *env)
{
	(void)out;
	(void)l;
	(void)env;
	die("-f junit: not written yet");
}
