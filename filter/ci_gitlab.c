/*
 * ci_gitlab.c - placeholder, being written (see report.h).
 */
#include "report.h"

void
ci_gitlab(struct buf *out, const struct evlist *l, const struct ci_env *env)
{
	(void)out;
	(void)l;
	(void)env;
	die("-f gitlab: not written yet");
}
