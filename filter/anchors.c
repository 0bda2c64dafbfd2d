/*
 * anchors.c - the Go anchors (see anchors.h).
 */
#include <stddef.h>

#include "anchors.h"

const struct anchor_lit anchor_lits[NANCHORS] = {
	{ "panic: ", A_PANIC, 0 },
	{ "fatal error: ", A_PANIC, 0 },
	{ "goroutine ", A_GOROUTINE, 0 },
	{ "WARNING: DATA RACE", A_STRONG, 0 },
	{ "SIGQUIT: quit", A_STRONG, 0 },
	{ "SIGSEGV: segmentation", A_STRONG, 0 },
	{ "SIGABRT: abort", A_STRONG, 0 },
	{ "SIGBUS: bus error", A_STRONG, 0 },
	{ "unexpected fault address", A_STRONG, 0 },
	{ "internal compiler error", A_STRONG, 0 },
	{ "http: panic serving ", A_STRONG, 0 },
	{ "--- FAIL: ", A_TEST, 0 },
	{ ".go:", A_POS, 0 },
	{ "runtime: ", A_WEAK, 0 },
	{ "link: ", A_WEAK, 0 },
	{ "go: ", A_WEAK, 0 },
	{ "package ", A_WEAK, 0 },
	{ "cgo: ", A_WEAK, 0 },
	/*
	 * go test's package summary: in a log that holds no other Go text
	 * (a TestMain's os.Exit(1) after its tests passed) the only anchor.
	 */
	{ "FAIL\t", A_WEAK, 0 },
	/* go test's usage errors, the only line of their log */
	{ "with multiple packages, -o must refer to ", A_STRONG, 0 },
	{ "cannot write test binary ", A_STRONG, 0 },
	{ "In file included from ", A_STRONG, 0 },
	{ ": relocation target ", A_TOKEN, 0 },
	/* -x command lines: the build's context (go_version, cmd) */
	{ "/pkg/tool/", A_CMD, 0 },
	{ "<unknown line number>: ", A_STRONG, 0 },
	/* JSON records behind a prefix: go test -json, go build -json, docker */
	{ "{\"Time\":\"", A_JSON, 0 },
	{ "{\"ImportPath\":\"", A_JSON, 0 },
	{ "{\"log\":\"", A_JSON, 0 },
	/*
	 * A CRI record's piece of a line that goes on (tag P) may show no Go
	 * text yet, and one holding a JSON log record only a {: both teach
	 * the CRI shape (the text starts after the literal, or at its {).
	 */
	{ " stdout P ", A_JSON, 0 },
	{ " stderr P ", A_JSON, 0 },
	{ " stdout F {\"", A_JSON, 0 },
	{ " stderr F {\"", A_JSON, 0 },
	/*
	 * A GitLab record of a new line (streams 00 and 01, O or E): the
	 * runner may split a line over records flagged '+', and the first
	 * piece of a log record need show no Go text yet.
	 */
	{ "Z 00O ", A_JSON, 0 },
	{ "Z 00E ", A_JSON, 0 },
	{ "Z 01O ", A_JSON, 0 },
	{ "Z 01E ", A_JSON, 0 },
	/* a JSON record at a line's start */
	{ "{\"", A_JSON, 1 },
};

_Static_assert(sizeof(anchor_lits) / sizeof(anchor_lits[0]) == NANCHORS,
    "NANCHORS is the table's size");
