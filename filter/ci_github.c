/*
 * ci_github.c - placeholder, being written (see report.h).
 */
#include "report.h"

void
ci_github(struct buf *out, const struct evlist *l, const struct ci_env *env)
{
	(void)out;
	(void)l;
	(void)env;
	die("-f github: not written yet");
}
