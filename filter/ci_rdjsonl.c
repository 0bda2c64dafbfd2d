/*
 * ci_rdjsonl.c - placeholder, being written (see report.h).
 */
#include "report.h"

void
ci_rdjsonl(struct buf *out, const struct event *ev, const struct ci_env *env)
{
	(void)out;
	(void)ev;
	(void)env;
	die("-f rdjsonl: not written yet");
}
