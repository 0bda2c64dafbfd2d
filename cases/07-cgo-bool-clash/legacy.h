/*
 * Case 07 — a pre-C99 "legacy" header that defines its own boolean type.
 * Included after <stdbool.h>, where bool is a macro for _Bool, the typedef
 * below expands to "typedef int _Bool;", which the C compiler rejects.
 */
#ifndef LEGACY_H
#define LEGACY_H

typedef int bool;
#define TRUE 1
#define FALSE 0

static int legacy_is_set(bool flag) { return flag ? 1 : 0; }

#endif
