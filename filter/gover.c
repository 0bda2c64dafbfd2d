/*
 * gover.c - Go versions: parsing and comparison (see gover.h).
 */
#include <stdlib.h>
#include <string.h>

#include "gover.h"

struct gover
gover_parse(const char *s)
{
	struct gover v = { 0, 0, 0, -1 };
	char *e;

	if (s == NULL || strncmp(s, "go", 2) != 0)
		return v;
	v.major = (int)strtol(s + 2, &e, 10);
	if (e == s + 2 || *e != '.')
		return v;
	const char *p = e + 1;
	v.minor = (int)strtol(p, &e, 10);
	if (e == p)
		return v;
	if (*e == '.' && e[1] >= '0' && e[1] <= '9')
		v.patch = (int)strtol(e + 1, &e, 10);
	else if (strncmp(e, "rc", 2) == 0 || strncmp(e, "beta", 4) == 0)
		v.patch = -2;
	v.ok = 1;
	return v;
}

int
gover_cmp(struct gover a, struct gover b)
{
	if (a.major != b.major)
		return a.major < b.major ? -1 : 1;
	if (a.minor != b.minor)
		return a.minor < b.minor ? -1 : 1;
	int pa = a.patch == -1 ? 0 : a.patch == -2 ? -1 : a.patch;
	int pb = b.patch == -1 ? 0 : b.patch == -2 ? -1 : b.patch;
	return pa < pb ? -1 : pa > pb;
}

int
gover_token_matches(const char *tok, struct gover v)
{
	struct gover t = gover_parse(tok);

	if (!t.ok || !v.ok || t.major != v.major || t.minor != v.minor)
		return 0;
	return t.patch == -1 || t.patch == v.patch;
}

int
gover_at_or_after(const char *tok, struct gover v)
{
	struct gover t = gover_parse(tok);

	if (!t.ok || !v.ok)
		return 0;
	if (t.patch == -1) {
		if (v.major != t.major)
			return v.major > t.major;
		return v.minor >= t.minor;
	}
	return gover_cmp(v, t) >= 0;
}
