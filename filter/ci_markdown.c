/*
 * ci_markdown.c - placeholder, being written (see report.h).
 */
#include "report.h"

void
ci_markdown(struct buf *out, const struct evlist *l, const struct ci_env *env)
{
	(void)out;
	(void)l;
	(void)env;
	die("-f markdown: not written yet");
}
