/*
 * gover.h - Go toolchain versions as `go env GOVERSION` prints them and
 * as case manifests name them (go1.24, go1.24.4, go1.25rc1), parsed and
 * ordered.
 *
 * Exports struct gover (a value: nothing to free), gover_parse,
 * gover_cmp, and the two tests a case manifest's reproduces and fixed_in
 * tokens need.  No state, no allocation.
 */
#ifndef GOERRFILT_GOVER_H
#define GOERRFILT_GOVER_H

struct gover {
	int ok, major, minor, patch;    /* patch -1: none given; -2: rc/beta */
};

/* "go1.24.4", "go1.25", "go1.25rc1"; .ok is 0 for anything else or NULL. */
struct gover gover_parse(const char *s);

/* Orders toolchain versions; a release candidate precedes its .0. */
int gover_cmp(struct gover a, struct gover b);

/* A manifest token names v: go1.24 stands for every go1.24.x. */
int gover_token_matches(const char *tok, struct gover v);

/* v is at or after the fix named by tok (go1.25: any go1.25 release). */
int gover_at_or_after(const char *tok, struct gover v);

#endif
