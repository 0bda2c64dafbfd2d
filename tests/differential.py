#!/usr/bin/python3
"""differential.py - differential checks for tests/differential.sh.

Each command runs goerrfilt (and goerrfilt-archive) several ways on the real
fixture logs and compares what comes out, value for value, with typed
equality (an int is not a float, 0.0 is not 0, -0.0 is not 0.0, key order
counts).  Nothing is compared against a stored answer: each side is
goerrfilt's own output by another path.

  differential.py formats  --bin B --results R [FIXTURE...]
      -f json, -f msgpack (decoded by the pure-Python decoder below and by
      `goerrfilt --decode`) and -f forward (decoded here and by --decode)
      carry the same records, without and with -p
  differential.py inputs   --bin B --results R [FIXTURE...]
      a file operand, a pipe, a regular file on stdin, a zstd file and zstd
      through a pipe give the same events
  differential.py envelopes --bin B --results R --every N [--min M] [FIXTURE...]
      every envelope goerrfilt recognises (README "Recognised envelopes"),
      generated here around the bare lines, gives the bare events
  differential.py archive  --bin B --arc A --results R [--every N] [FIXTURE...]
      goerrfilt-archive pack/get/list/query give back what went in

--all prints every difference instead of the first four; --only NAME,...
runs only those envelopes; -j the worker processes (2).

Without FIXTURE operands every log under fixtures/ is used.  --results R
gets one line per check group: PASS|FAIL <TAB> summary <TAB> first
differences (up to four, ' | '-separated); the known-difference list below
(KNOWN) turns an exactly named, explained disagreement into a counted note
instead of a failure.  Exit 0 when every group passes, 1 when one fails,
2 on trouble.

Everything that is wrapped, compressed or packed here is SYNTHETIC: written
by this script into a temporary directory from the real fixture bytes and
deleted after use.
"""
import argparse
import datetime
import glob
import gzip
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NDIFF = 4
ALL = False             # --all: every difference on stdout, not the first four
BIN = None
ARC = None
TMP = None

# ---------------------------------------------------------------------------
# Known differences.  Each is a disagreement that tests/differential.sh
# found, that was investigated, and that is not a small fix (the ones that
# were are fixed in filter/, each in a commit of its own): a reason, the
# envelopes it applies to and the exact fixtures.  A listed fixture passes
# only when its difference is the one the reason describes (REASONS'
# pattern, which for joined-lines is a second comparison that numbers a
# joined line by its first record), and fails as stale when it agrees
# again, so the list cannot outlive the bug.  The lists cover every fixture
# (`differential.py envelopes --every 1` passes too), the sample that
# `make check` runs (every third) uses the entries it meets.
REASONS = {
    # cri-partial, gitlab: a line that the envelope split over records (CRI
    # P...F, GitLab '+' continuations) is joined and classified as one, but
    # goerrfilt numbers it by its first record alone (filter/unwrap.c
    # partial_add / batch_extend keep one line number; the engine, gotest.c
    # and every writer's rawline carry one number per line), so an event
    # ending on such a line ends at its first record, and the records after
    # it are in no event and, with -p, in no passthrough record: README
    # "-p ... accounts for every input line exactly once" does not hold for
    # split records.  Every other field is equal.
    "joined-lines": (r"^\[joined-lines\] ",
                     "a joined CRI/GitLab line is numbered by its first record only"),
    # unknown-bracket, unknown-pipe: a prefix that no rule knows is learned
    # only before a strong anchor (panic:, goroutine N [, a file position,
    # --- FAIL:, ...), never before go:, link:, package, cgo:, runtime:,
    # FAIL<TAB>, an -x command line or a JSON record (filter/anchors.h
    # A_WEAK, A_CMD, A_JSON: "behind known prefixes only"), so logs whose Go
    # text starts only with those are read with the prefix on and their
    # events are lost or lack pkg.
    "unknown-weak": (r"\d+ events bare, \d+ wrapped|keys \[\"pkg\"\] missing",
                     "an unknown prefix is never learned before go:/link:/cgo:/package/-x/JSON anchors"),
    # unknown-bracket, unknown-pipe: an unknown prefix must be confirmed by
    # the next line (README "Recognised envelopes"), and these logs' only
    # strong anchor is their last line (a build's one compile error, a vet
    # finding): nothing confirms it (with one more line of the same prefix
    # after it they give the bare events).
    "unknown-last": (r"\d+ events bare, \d+ wrapped|keys \[\"pkg\"\] missing",
                     "an unknown prefix before the log's last line only is never confirmed"),
    # go-log: the fixture's first line already has Go's log prefix
    # (`2026/12/02 12:21:53 http: panic serving ...`); behind a second log
    # prefix on every line the headline is not found and the event is lost
    # (two stacked go_log layers; one go_log layer behind compose, CRI or
    # any other known prefix works).
    "golog-twice": (r"\d+ events bare, 0 wrapped",
                    "Go's log prefix twice on the headline: the http: panic serving event is lost"),
}

KNOWN_LISTS = [
    ('joined-lines', ('cri-partial',), """
        fixtures/app/printstack-recovered-go1.24.log
        fixtures/app/printstack-recovered-go1.27.log
        fixtures/app/slog-json-recover-go1.24.log
        fixtures/app/slog-json-recover-go1.27.log
        fixtures/app/slog-text-recover-go1.24.log
        fixtures/app/slog-text-recover-go1.27.log
        fixtures/build/build-constraints.log
        fixtures/build/cannot-infer.log
        fixtures/build/cgo-no-compiler.log
        fixtures/build/embed-irregular.log
        fixtures/build/gomod-newer-go.log
        fixtures/build/import-cycle.log
        fixtures/build/json-build.log
        fixtures/build/json-test.log
        fixtures/build/link-duplicate.log
        fixtures/build/malformed-module-path-tidy.log
        fixtures/build/malformed-module-path.log
        fixtures/build/multi-pkg-errors.log
        fixtures/build/package-not-found.log
        fixtures/build/stack-frame-too-large.log
        fixtures/build/syntax-error.log
        fixtures/build/type-mismatch.log
        fixtures/build/vet-copylocks.log
        fixtures/build/vet-printf.log
        fixtures/build/vet-x.log
        fixtures/build/x-cold-typeerror.log
        fixtures/cases/03-syntax-missing-comma.log
        fixtures/cases/04-cannot-infer-alias.log
        fixtures/cases/05-stack-frame-too-large.log
        fixtures/cases/08-embed-symlink.log
        fixtures/cases/17-gomod-newer-go.log
        fixtures/cases/18-build-constraints.log
        fixtures/crash-go1.26/index-out-of-range.log
        fixtures/crash-go1.26/test-timeout.log
        fixtures/crash-go1.27/index-out-of-range.log
        fixtures/crash-go1.27/test-timeout.log
        fixtures/crash/close-closed-channel.log
        fixtures/crash/concurrent-map-writes.log
        fixtures/crash/custom-error-panic.log
        fixtures/crash/gotraceback-system.log
        fixtures/crash/index-out-of-range.log
        fixtures/crash/test-timeout.log
        fixtures/crash/user-panic-multiline.log
        fixtures/test/assert-fail-json-go1.24.log
        fixtures/test/assert-fail-json-go1.27.log
        fixtures/test/attr-fail-json-go1.25.log
        fixtures/test/attr-fail-json-go1.27.log
        fixtures/test/bench-fail-json-go1.24.log
        fixtures/test/bench-fail-json-go1.27.log
        fixtures/test/bench-fail-plain-go1.24.log
        fixtures/test/bench-fail-plain-go1.27.log
        fixtures/test/build-fail-json-go1.24.log
        fixtures/test/build-fail-json-go1.27.log
        fixtures/test/build-fail-plain-go1.24.log
        fixtures/test/build-fail-plain-go1.27.log
        fixtures/test/build-fail-verbose-go1.24.log
        fixtures/test/build-fail-verbose-go1.27.log
        fixtures/test/cleanup-fail-json-go1.24.log
        fixtures/test/cleanup-fail-json-go1.27.log
        fixtures/test/cleanup-fail-plain-go1.24.log
        fixtures/test/cleanup-fail-plain-go1.27.log
        fixtures/test/example-fail-json-go1.24.log
        fixtures/test/example-fail-json-go1.27.log
        fixtures/test/failfast-json-go1.24.log
        fixtures/test/failfast-json-go1.27.log
        fixtures/test/failfast-plain-go1.24.log
        fixtures/test/failfast-plain-go1.27.log
        fixtures/test/fatal-goroutine-json-go1.24.log
        fixtures/test/fatal-goroutine-json-go1.27.log
        fixtures/test/fatal-goroutine-plain-go1.24.log
        fixtures/test/fatal-goroutine-plain-go1.27.log
        fixtures/test/fatal-goroutine-verbose-go1.24.log
        fixtures/test/fatal-goroutine-verbose-go1.27.log
        fixtures/test/fuzz-fail-json-go1.24.log
        fixtures/test/fuzz-fail-json-go1.27.log
        fixtures/test/panic-nil-json-go1.24.log
        fixtures/test/panic-nil-json-go1.27.log
        fixtures/test/parallel-json-go1.24.log
        fixtures/test/parallel-json-go1.27.log
        fixtures/test/parallel-plain-go1.24.log
        fixtures/test/parallel-plain-go1.27.log
        fixtures/test/race-json-go1.24.log
        fixtures/test/race-json-go1.27.log
        fixtures/test/setup-fail-json-go1.24.log
        fixtures/test/setup-fail-json-go1.27.log
        fixtures/test/setup-fail-plain-go1.24.log
        fixtures/test/setup-fail-plain-go1.27.log
        fixtures/test/setup-fail-verbose-go1.24.log
        fixtures/test/setup-fail-verbose-go1.27.log
        fixtures/test/skip-pass-json-go1.24.log
        fixtures/test/skip-pass-json-go1.27.log
        fixtures/test/testmain-exit-json-go1.24.log
        fixtures/test/testmain-exit-json-go1.27.log
        fixtures/test/timeout-json-go1.24.log
        fixtures/test/timeout-json-go1.27.log
        fixtures/test/usage-c-o-plain-go1.24.log
        fixtures/test/usage-c-o-plain-go1.27.log
        fixtures/test/vet-fail-json-go1.24.log
        fixtures/test/vet-fail-json-go1.27.log
        fixtures/test/vet-fail-plain-go1.24.log
        fixtures/test/vet-fail-plain-go1.27.log
        fixtures/test/vet-fail-verbose-go1.24.log
        fixtures/test/vet-fail-verbose-go1.27.log
    """),
    ('joined-lines', ('gitlab',), """
        fixtures/app/slog-json-recover-go1.24.log
        fixtures/app/slog-json-recover-go1.27.log
        fixtures/app/slog-text-recover-go1.24.log
        fixtures/app/slog-text-recover-go1.27.log
        fixtures/build/build-constraints.log
        fixtures/build/cgo-no-compiler.log
        fixtures/build/json-build.log
        fixtures/build/json-test.log
        fixtures/build/link-duplicate.log
        fixtures/build/multi-pkg-errors.log
        fixtures/build/package-not-found.log
        fixtures/build/syntax-error.log
        fixtures/build/vet-copylocks.log
        fixtures/build/x-cold-typeerror.log
        fixtures/cases/03-syntax-missing-comma.log
        fixtures/cases/04-cannot-infer-alias.log
        fixtures/cases/18-build-constraints.log
        fixtures/test/assert-fail-json-go1.24.log
        fixtures/test/assert-fail-json-go1.27.log
        fixtures/test/attr-fail-json-go1.25.log
        fixtures/test/attr-fail-json-go1.27.log
        fixtures/test/bench-fail-json-go1.24.log
        fixtures/test/bench-fail-json-go1.27.log
        fixtures/test/bench-fail-plain-go1.24.log
        fixtures/test/bench-fail-plain-go1.27.log
        fixtures/test/build-fail-json-go1.24.log
        fixtures/test/build-fail-json-go1.27.log
        fixtures/test/build-fail-plain-go1.24.log
        fixtures/test/build-fail-plain-go1.27.log
        fixtures/test/build-fail-verbose-go1.24.log
        fixtures/test/build-fail-verbose-go1.27.log
        fixtures/test/cleanup-fail-json-go1.24.log
        fixtures/test/cleanup-fail-json-go1.27.log
        fixtures/test/cleanup-fail-plain-go1.24.log
        fixtures/test/cleanup-fail-plain-go1.27.log
        fixtures/test/example-fail-json-go1.24.log
        fixtures/test/example-fail-json-go1.27.log
        fixtures/test/failfast-json-go1.24.log
        fixtures/test/failfast-json-go1.27.log
        fixtures/test/fatal-goroutine-json-go1.24.log
        fixtures/test/fatal-goroutine-json-go1.27.log
        fixtures/test/fuzz-fail-json-go1.24.log
        fixtures/test/fuzz-fail-json-go1.27.log
        fixtures/test/panic-nil-json-go1.24.log
        fixtures/test/panic-nil-json-go1.27.log
        fixtures/test/parallel-json-go1.24.log
        fixtures/test/parallel-json-go1.27.log
        fixtures/test/race-json-go1.24.log
        fixtures/test/race-json-go1.27.log
        fixtures/test/setup-fail-json-go1.24.log
        fixtures/test/setup-fail-json-go1.27.log
        fixtures/test/skip-pass-json-go1.24.log
        fixtures/test/skip-pass-json-go1.27.log
        fixtures/test/testmain-exit-json-go1.24.log
        fixtures/test/testmain-exit-json-go1.27.log
        fixtures/test/timeout-json-go1.24.log
        fixtures/test/timeout-json-go1.27.log
        fixtures/test/vet-fail-json-go1.24.log
        fixtures/test/vet-fail-json-go1.27.log
        fixtures/test/vet-fail-plain-go1.24.log
        fixtures/test/vet-fail-plain-go1.27.log
        fixtures/test/vet-fail-verbose-go1.24.log
        fixtures/test/vet-fail-verbose-go1.27.log
    """),
    ('unknown-weak', ('unknown-bracket', 'unknown-pipe'), """
        fixtures/app/slog-json-recover-go1.24.log
        fixtures/app/slog-json-recover-go1.27.log
        fixtures/app/slog-text-recover-go1.24.log
        fixtures/app/slog-text-recover-go1.27.log
        fixtures/build/build-constraints.log
        fixtures/build/cgo-no-compiler.log
        fixtures/build/checksum-mismatch-gomod.log
        fixtures/build/checksum-mismatch.log
        fixtures/build/gomod-newer-go.log
        fixtures/build/gomod-updates-needed.log
        fixtures/build/import-cycle.log
        fixtures/build/inconsistent-vendoring.log
        fixtures/build/json-test.log
        fixtures/build/link-duplicate.log
        fixtures/build/link-external-x.log
        fixtures/build/link-external.log
        fixtures/build/link-linkname-restricted.log
        fixtures/build/malformed-module-path-tidy.log
        fixtures/build/no-required-module.log
        fixtures/build/toolchain-unavailable.log
        fixtures/cases/06-linkname-restricted.log
        fixtures/cases/17-gomod-newer-go.log
        fixtures/cases/18-build-constraints.log
        fixtures/cases/19-cgo-undefined-c-func.log
        fixtures/test/assert-fail-json-go1.24.log
        fixtures/test/assert-fail-json-go1.27.log
        fixtures/test/attr-fail-json-go1.25.log
        fixtures/test/attr-fail-json-go1.27.log
        fixtures/test/bench-fail-json-go1.24.log
        fixtures/test/bench-fail-json-go1.27.log
        fixtures/test/build-fail-json-go1.24.log
        fixtures/test/build-fail-json-go1.27.log
        fixtures/test/cleanup-fail-json-go1.24.log
        fixtures/test/cleanup-fail-json-go1.27.log
        fixtures/test/example-fail-json-go1.24.log
        fixtures/test/example-fail-json-go1.27.log
        fixtures/test/failfast-json-go1.24.log
        fixtures/test/failfast-json-go1.27.log
        fixtures/test/fatal-goroutine-json-go1.24.log
        fixtures/test/fatal-goroutine-json-go1.27.log
        fixtures/test/fuzz-fail-json-go1.24.log
        fixtures/test/fuzz-fail-json-go1.27.log
        fixtures/test/panic-nil-json-go1.24.log
        fixtures/test/panic-nil-json-go1.27.log
        fixtures/test/parallel-json-go1.24.log
        fixtures/test/parallel-json-go1.27.log
        fixtures/test/race-json-go1.24.log
        fixtures/test/race-json-go1.27.log
        fixtures/test/skip-pass-json-go1.24.log
        fixtures/test/skip-pass-json-go1.27.log
        fixtures/test/testmain-exit-json-go1.24.log
        fixtures/test/testmain-exit-json-go1.27.log
        fixtures/test/testmain-exit-plain-go1.24.log
        fixtures/test/testmain-exit-plain-go1.27.log
        fixtures/test/testmain-exit-verbose-go1.24.log
        fixtures/test/testmain-exit-verbose-go1.27.log
        fixtures/test/timeout-json-go1.24.log
        fixtures/test/timeout-json-go1.27.log
        fixtures/test/vet-fail-json-go1.24.log
        fixtures/test/vet-fail-json-go1.27.log
    """),
    ('unknown-last', ('unknown-bracket', 'unknown-pipe'), """
        fixtures/build/cannot-infer.log
        fixtures/build/cgo-unknown-name.log
        fixtures/build/embed-irregular.log
        fixtures/build/embed-no-match.log
        fixtures/build/link-undefined.log
        fixtures/build/malformed-module-path.log
        fixtures/build/package-not-found.log
        fixtures/build/syntax-error.log
        fixtures/build/type-mismatch.log
        fixtures/build/undefined.log
        fixtures/build/unused-import.log
        fixtures/build/unused-variable.log
        fixtures/build/vet-buildtag.log
        fixtures/build/vet-printf.log
        fixtures/build/vet-x.log
        fixtures/build/x-cold-typeerror.log
        fixtures/cases/03-syntax-missing-comma.log
        fixtures/cases/04-cannot-infer-alias.log
        fixtures/cases/08-embed-symlink.log
        fixtures/cases/09-vet-buildtag.log
        fixtures/test/usage-c-o-plain-go1.24.log
        fixtures/test/usage-c-o-plain-go1.27.log
    """),
    ('golog-twice', ('go-log',), """
        fixtures/app/http-panic-error-go1.24.log
        fixtures/app/http-panic-error-go1.27.log
        fixtures/app/http-panic-nil-go1.24.log
        fixtures/app/http-panic-nil-go1.27.log
        fixtures/app/http-panic-then-log-go1.24.log
        fixtures/app/http-panic-then-log-go1.27.log
    """),
]

KNOWN = {("envelope", e, n): r for r, envs, names in KNOWN_LISTS
         for e in envs for n in names.split()}


# ---------------------------------------------------------------------------
# Typed values.  JSON objects and msgpack maps both become Map (ordered
# pairs, duplicates kept), so that key order and duplicate keys are compared
# too; norm() turns a value into a tuple that only equals a value of the
# same type: ints exactly, floats bit for bit.
class Map:
    __slots__ = ("pairs",)

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def get(self, k, default=None):
        for a, b in self.pairs:
            if a == k:
                return b
        return default

    def keys(self):
        return [a for a, _ in self.pairs]


class Ext:
    __slots__ = ("type", "data")

    def __init__(self, t, d):
        self.type, self.data = t, d


def norm(v):
    if v is None:
        return ("nil",)
    if v is True or v is False:
        return ("bool", v)
    if isinstance(v, int):
        return ("int", v)
    if isinstance(v, float):
        return ("float", struct.pack(">d", v))
    if isinstance(v, str):
        return ("str", v)
    if isinstance(v, (bytes, bytearray)):
        return ("bin", bytes(v))
    if isinstance(v, Ext):
        return ("ext", v.type, v.data)
    if isinstance(v, list):
        return ("arr", tuple(norm(x) for x in v))
    if isinstance(v, Map):
        return ("map", tuple((norm(a), norm(b)) for a, b in v.pairs))
    raise TypeError("unexpected value %r" % (v,))


def show(v, n=100):
    """A short readable form of a (typed) value for a difference line."""
    def plain(x):
        if isinstance(x, Map):
            return {str(a): plain(b) for a, b in x.pairs}
        if isinstance(x, list):
            return [plain(y) for y in x]
        if isinstance(x, float):
            return "float(%r)" % x
        if isinstance(x, (bytes, Ext)):
            return repr(x)
        return x
    s = json.dumps(plain(v), ensure_ascii=False)
    return s if len(s) <= n else s[:n] + "..."


def first_diff(a, b, path=""):
    """The path and the two sides of the first typed difference, or None."""
    if norm(a) == norm(b):
        return None
    if isinstance(a, Map) and isinstance(b, Map):
        ka, kb = a.keys(), b.keys()
        if ka != kb:
            miss = [k for k in ka if k not in kb]
            extra = [k for k in kb if k not in ka]
            if not miss and not extra:
                return "%s: keys in another order: %s vs %s" % (path or "record", show(ka, 200), show(kb, 200))
            return "%s: keys %s missing, %s extra (first: %s)" % (
                path or "record", show(miss), show(extra),
                "; ".join("%s=%s" % (k, show(a.get(k), 60)) for k in miss[:2]) or
                "; ".join("%s=%s" % (k, show(b.get(k), 60)) for k in extra[:2]))
        for (k, x), (_, y) in zip(a.pairs, b.pairs):
            d = first_diff(x, y, "%s.%s" % (path, k) if path else k)
            if d:
                return d
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, "%s[%d]" % (path, i))
            if d:
                return d
    return "%s: %s vs %s" % (path or "value", show(a), show(b))


def diff_records(want, got, what):
    """None when the two record lists are equal (typed); else the first
    difference, naming the record."""
    if len(want) != len(got):
        return "%s: %d records vs %d" % (what, len(want), len(got))
    for i, (a, b) in enumerate(zip(want, got)):
        d = first_diff(a, b)
        if d:
            return "%s: record %d: %s" % (what, i + 1, d)
    return None


# ---------------------------------------------------------------------------
# JSON Lines, strictly: UTF-8, one object per line, no NaN/Infinity, ints
# and floats kept apart as Python's json module does (a number with '.' or
# an exponent is a float, correctly rounded).
def _no_constant(c):
    raise ValueError("non-JSON constant %s" % c)


def parse_jsonl(data, what):
    recs = []
    text = data.decode("utf-8")          # strict: invalid UTF-8 is an error
    if text and not text.endswith("\n"):
        raise ValueError("%s: output does not end in a newline" % what)
    for n, line in enumerate(text.split("\n")[:-1], 1):
        try:
            r = json.loads(line, object_pairs_hook=Map, parse_constant=_no_constant)
        except ValueError as e:
            raise ValueError("%s: line %d: %s" % (what, n, e))
        if not isinstance(r, Map):
            raise ValueError("%s: line %d is not an object" % (what, n))
        recs.append(r)
    return recs


# ---------------------------------------------------------------------------
# A small msgpack decoder, independent of goerrfilt's (msgpack-c and
# filter/mrd.c) and of the msgpack Python package: the whole format
# (https://github.com/msgpack/msgpack/blob/master/spec.md) but timestamps,
# which stay Ext.  Strings must be UTF-8.
class MsgpackError(ValueError):
    pass


def mp_decode(data, pos=0, depth=0):
    """One value at data[pos:]: (value, next position)."""
    if depth > 64:
        raise MsgpackError("offset %d: nested deeper than 64" % pos)
    if pos >= len(data):
        raise MsgpackError("offset %d: truncated" % pos)
    b = data[pos]
    pos += 1

    def take(n):
        if pos + n > len(data):
            raise MsgpackError("offset %d: truncated: %d bytes wanted, %d left"
                               % (pos, n, len(data) - pos))
        return data[pos:pos + n]

    def seq(n, p, pairs):
        out = []
        for _ in range(n * (2 if pairs else 1)):
            v, p = mp_decode(data, p, depth + 1)
            out.append(v)
        if pairs:
            for k in out[0::2]:
                if isinstance(k, (list, Map)):
                    raise MsgpackError("offset %d: a map key that is a container" % p)
            return Map(zip(out[0::2], out[1::2])), p
        return out, p

    def text(n, p):
        if p + n > len(data):
            raise MsgpackError("offset %d: truncated string" % p)
        try:
            return data[p:p + n].decode("utf-8"), p + n
        except UnicodeDecodeError as e:
            raise MsgpackError("offset %d: string is not UTF-8: %s" % (p, e))

    if b <= 0x7f:
        return b, pos
    if b >= 0xe0:
        return b - 0x100, pos
    if 0x80 <= b <= 0x8f:
        return seq(b & 0x0f, pos, True)
    if 0x90 <= b <= 0x9f:
        return seq(b & 0x0f, pos, False)
    if 0xa0 <= b <= 0xbf:
        return text(b & 0x1f, pos)
    if b == 0xc0:
        return None, pos
    if b == 0xc2:
        return False, pos
    if b == 0xc3:
        return True, pos
    if b in (0xc4, 0xc5, 0xc6):
        w = {0xc4: 1, 0xc5: 2, 0xc6: 4}[b]
        n = int.from_bytes(take(w), "big")
        pos += w
        if pos + n > len(data):
            raise MsgpackError("offset %d: truncated bin" % pos)
        return bytes(data[pos:pos + n]), pos + n
    if b in (0xc7, 0xc8, 0xc9):
        w = {0xc7: 1, 0xc8: 2, 0xc9: 4}[b]
        n = int.from_bytes(take(w), "big")
        pos += w
        hdr = take(1 + n)
        return Ext(struct.unpack(">b", hdr[:1])[0], bytes(hdr[1:])), pos + 1 + n
    if b == 0xca:
        return struct.unpack(">f", take(4))[0], pos + 4
    if b == 0xcb:
        return struct.unpack(">d", take(8))[0], pos + 8
    if 0xcc <= b <= 0xcf:
        w = 1 << (b - 0xcc)
        return int.from_bytes(take(w), "big"), pos + w
    if 0xd0 <= b <= 0xd3:
        w = 1 << (b - 0xd0)
        return int.from_bytes(take(w), "big", signed=True), pos + w
    if 0xd4 <= b <= 0xd8:
        n = 1 << (b - 0xd4)
        hdr = take(1 + n)
        return Ext(struct.unpack(">b", hdr[:1])[0], bytes(hdr[1:])), pos + 1 + n
    if b in (0xd9, 0xda, 0xdb):
        w = {0xd9: 1, 0xda: 2, 0xdb: 4}[b]
        n = int.from_bytes(take(w), "big")
        return text(n, pos + w)
    if b in (0xdc, 0xdd):
        w = 2 if b == 0xdc else 4
        return seq(int.from_bytes(take(w), "big"), pos + w, False)
    if b in (0xde, 0xdf):
        w = 2 if b == 0xde else 4
        return seq(int.from_bytes(take(w), "big"), pos + w, True)
    raise MsgpackError("offset %d: byte 0xc1 is never used" % (pos - 1))


def mp_stream(data):
    """Every top-level value of a msgpack stream, with its byte span."""
    out, pos = [], 0
    while pos < len(data):
        v, end = mp_decode(data, pos)
        out.append((v, data[pos:end]))
        pos = end
    return out


# ---------------------------------------------------------------------------
# Fluent Forward protocol v1: Message [tag, time, record, option?],
# Forward [tag, [[time, record], ...], option?] and PackedForward
# [tag, bin|str of concatenated [time, record] entries, option?], the last
# possibly "compressed": "gzip".  Returns the entries with the form of
# each message; the caller asserts which form goerrfilt writes.
def fwd_time(t):
    """EventTime (ext 0, 8 bytes) or an integer: (seconds, nanoseconds)."""
    if isinstance(t, Ext):
        if t.type != 0 or len(t.data) != 8:
            raise ValueError("time is ext %d of %d bytes, not EventTime" % (t.type, len(t.data)))
        s, ns = struct.unpack(">II", t.data)
        if ns >= 10**9:
            raise ValueError("EventTime nanoseconds %d" % ns)
        return s, ns
    if isinstance(t, int) and not isinstance(t, bool) and t >= 0:
        return t, 0
    raise ValueError("time %s is neither EventTime nor an integer" % show(t))


def fwd_messages(data):
    """[(form, tag, [(time, record, record bytes)], option)]"""
    msgs = []
    for m, raw in mp_stream(data):
        if not isinstance(m, list) or len(m) < 2 or not isinstance(m[0], str):
            raise ValueError("a message that is not [tag, ...]: %s" % show(m))
        tag, body = m[0], m[1]
        if isinstance(body, list):
            if len(m) not in (2, 3):
                raise ValueError("Forward message of %d items" % len(m))
            opt = m[2] if len(m) == 3 else None
            ents = []
            for e in body:
                if not isinstance(e, list) or len(e) != 2 or not isinstance(e[1], Map):
                    raise ValueError("a Forward entry that is not [time, record]")
                ents.append((fwd_time(e[0]), e[1], None))
            # the records' own bytes, for the byte-for-byte check: decode
            # the entries again with spans
            ents = _with_spans(raw, ents)
            msgs.append(("Forward", tag, ents, opt))
        elif isinstance(body, (bytes, str)):
            if len(m) not in (2, 3):
                raise ValueError("PackedForward message of %d items" % len(m))
            opt = m[2] if len(m) == 3 else None
            blob = body.encode("utf-8") if isinstance(body, str) else body
            if isinstance(opt, Map) and opt.get("compressed") == "gzip":
                blob = gzip.decompress(blob)
            ents = []
            for e, eraw in mp_stream(blob):
                if not isinstance(e, list) or len(e) != 2 or not isinstance(e[1], Map):
                    raise ValueError("a PackedForward entry that is not [time, record]")
                ents.append((fwd_time(e[0]), e[1], None))
            msgs.append(("PackedForward", tag, ents, opt))
        else:
            if len(m) not in (3, 4) or not isinstance(m[2], Map):
                raise ValueError("Message-mode message that is not [tag, time, record]")
            msgs.append(("Message", tag, [(fwd_time(body), m[2], None)],
                         m[3] if len(m) == 4 else None))
    return msgs


def _with_spans(raw, ents):
    """raw is one Forward message; walks its header to the entries array
    and returns ents with each record's own bytes."""
    def hdr_len(p):
        b = raw[p]
        if 0x90 <= b <= 0x9f:
            return 1
        return {0xdc: 3, 0xdd: 5}[b]
    p = hdr_len(0)
    _, p = mp_decode(raw, p)                     # tag
    p += hdr_len(p)                              # entries array
    out = []
    for t, rec, _ in ents:
        p += hdr_len(p)                          # [time, record]
        _, p = mp_decode(raw, p)                 # time
        q = p
        _, p = mp_decode(raw, p)                 # record
        out.append((t, rec, raw[q:p]))
    return out


# The event schema's time: RFC 3339, and the zone without its colon as
# journalctl -o short-iso writes it (schema/event.schema.json).
RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?"
                     r"(Z|z|[+-]\d\d:?\d\d)$")


def rfc3339_time(text):
    """(seconds, nanoseconds) of an RFC 3339 time, or None if it is not one."""
    m = RFC3339.match(text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    frac = (m.group(7) or "")[:9].ljust(9, "0")
    z = m.group(8)
    off = 0 if z in ("Z", "z") else (int(z[1:3]) * 3600 + int(z[-2:]) * 60) * (1 if z[0] == "+" else -1)
    t = datetime.datetime(y, mo, d, h, mi, min(s, 59), tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) + (s - min(s, 59)) - off, int(frac)


# ---------------------------------------------------------------------------
def run(argv, stdin_data=None, stdin_file=None):
    """goerrfilt's stdout; exit 0 (found) and 1 (nothing found) are both
    answers, anything else is trouble."""
    if stdin_file is not None:
        with open(stdin_file, "rb") as f:
            p = subprocess.run(argv, stdin=f, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    else:
        p = subprocess.run(argv, input=stdin_data if stdin_data is not None else b"",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s: exit %d: %s" % (" ".join(os.path.relpath(a, ROOT) if a.startswith("/") else a for a in argv),
                                                p.returncode, p.stderr.decode(errors="replace").strip()[:200]))
    return p.stdout, p.returncode


def rel(p):
    return os.path.relpath(p, ROOT)


def fixture_list(args):
    if args:
        return [os.path.abspath(a) for a in args]
    fs = [f for f in glob.glob(os.path.join(ROOT, "fixtures", "**", "*.log"), recursive=True)
          if "/src/" not in f]
    return sorted(fs)


def fixture_arg(f):
    """The fixture as an operand: relative to the repository, as the other
    tests name it (and as `src` then says)."""
    return rel(f)


def init(binary, arc, tmp):
    global BIN, ARC, TMP
    BIN, ARC, TMP = binary, arc, tmp


# ---------------------------------------------------------------------------
# 1. Output formats.
#
# Which fields each format lacks or adds (none of a record's fields is
# excluded from the comparison):
#  - -f msgpack: one map per record, the JSON object's keys in the same
#    order with the same types (README "Event schema": "msgpack carries one
#    map per event with the same keys and types").  Only the text of a
#    number can differ: `"elapsed":0.00` is the float 0.0 in msgpack and
#    `0.0` in --decode's JSON; compared as values, bit for bit, that is no
#    difference.
#  - -f forward adds, per message, the tag (--tag, default goerrfilt) and
#    the option map {"size": N}, and per entry the EventTime; these are
#    checked on their own below, not compared with the JSON, which has no
#    such thing.  Its records are exactly -f msgpack's, byte for byte
#    (README: "record is exactly the map -f msgpack writes").  The
#    EventTime is the event's `time` when the event has one, else the
#    wall clock when the event was written: so it must equal `time` where
#    there is one and lie within the run's wall-clock interval where not.
#  - --decode of either writes JSON Lines again: the same records.
def task_formats(args):
    fixture, passthrough = args
    f = fixture_arg(fixture)
    opts = ["-p"] if passthrough else []
    base = os.path.join(TMP, "fmt-%d-%s" % (os.getpid(), os.path.basename(fixture)))
    try:
        js_out, rc_json = run([BIN] + opts + [f])
        js = parse_jsonl(js_out, "-f json")
        mp_out, rc_mp = run([BIN] + opts + ["-f", "msgpack", f])
        with open(base + ".msgpack", "wb") as o:
            o.write(mp_out)
        mp = mp_stream(mp_out)
        for v, _ in mp:
            if not isinstance(v, Map):
                raise ValueError("-f msgpack: a top-level value that is not a map: %s" % show(v))
        dec_mp = parse_jsonl(run([BIN, "--decode", base + ".msgpack"])[0], "--decode msgpack")
        t0 = time.time()
        fw_out, rc_fw = run([BIN] + opts + ["-f", "forward", f])
        t1 = time.time()
        msgs = fwd_messages(fw_out)
        dec_fw = parse_jsonl(run([BIN, "--decode", "-"], stdin_data=fw_out)[0], "--decode forward")
    except (RuntimeError, ValueError) as e:
        return fixture, passthrough, (0, 0), "%s: %s" % (f, e), None
    d = []
    if rc_json != rc_mp or rc_json != rc_fw:
        d.append("exit status: json %d, msgpack %d, forward %d" % (rc_json, rc_mp, rc_fw))
    mp_recs = [v for v, _ in mp]
    d.append(diff_records(js, mp_recs, "json vs msgpack (Python)"))
    d.append(diff_records(js, dec_mp, "json vs msgpack (--decode)"))
    ents = [e for m in msgs for e in m[2]]
    d.append(diff_records(js, [e[1] for e in ents], "json vs forward (Python)"))
    d.append(diff_records(js, dec_fw, "json vs forward (--decode)"))
    if len(ents) == len(mp):
        for i, (e, (_, raw)) in enumerate(zip(ents, mp)):
            if e[2] != raw:
                d.append("forward record %d is not -f msgpack's bytes" % (i + 1))
                break
    # the framing: Forward mode, tag goerrfilt, {"size": N} = entries,
    # batches of 100 (the last one the rest), no chunk without --forward-ack
    forms = sorted({m[0] for m in msgs})
    if msgs and forms != ["Forward"]:
        d.append("forward: message forms %s, want Forward mode" % forms)
    for k, (form, tag, es, opt) in enumerate(msgs):
        if tag != "goerrfilt":
            d.append("forward: message %d tag %r" % (k + 1, tag))
        if not isinstance(opt, Map) or norm(opt) != norm(Map([("size", len(es))])):
            d.append("forward: message %d option %s for %d entries" % (k + 1, show(opt), len(es)))
        if len(es) > 100 or (k < len(msgs) - 1 and len(es) != 100) or not es:
            d.append("forward: message %d holds %d entries (batches of 100)" % (k + 1, len(es)))
    for i, (tm, rec, _) in enumerate(ents):
        t = rec.get("time")
        if isinstance(t, str) and rfc3339_time(t) is not None:
            if tm != rfc3339_time(t):
                d.append("forward: entry %d EventTime %s for time %s (want %s)" % (i + 1, tm, t, rfc3339_time(t)))
        elif not (int(t0) <= tm[0] <= int(t1) + 1):
            d.append("forward: entry %d EventTime %s outside the run's wall clock %d..%d (time %s)"
                     % (i + 1, tm, int(t0), int(t1) + 1, show(t)))
    d = [x for x in d if x]
    nev = sum(1 for r in js if r.get("class") is not None)
    return fixture, passthrough, (nev, len(js)), ("%s: %s" % (f, d[0]) if d else None), forms


# ---------------------------------------------------------------------------
# 2a. Input paths.  What legitimately differs: `src`, which names the
# input file as given on the command line and is absent for standard input
# (README "Event schema").  So the file operand's src must be the fixture
# as named, the zstd file's the .zst name, stdin's absent; every other field
# (seq and lines included) must be equal.
def strip_src(recs):
    return [Map((k, v) for k, v in r.pairs if k != "src") for r in recs]


def src_diff(recs, want, what):
    for i, r in enumerate(recs):
        if r.get("src") != want:
            return "%s: record %d src %s, want %s" % (what, i + 1, show(r.get("src")), show(want))
    return None


def task_inputs(fixture):
    f = fixture_arg(fixture)
    zst = os.path.join(TMP, "synthetic-zstd-%d--%s.zst" % (os.getpid(), os.path.basename(fixture)))
    d = []
    try:
        with open(fixture, "rb") as fh:
            data = fh.read()
        with open(zst, "wb") as o:
            # zstd -q -c f > f.zst: the real zstd tool
            subprocess.run(["zstd", "-q", "-c", fixture], stdout=o, check=True)
        with open(zst, "rb") as fh:
            zdata = fh.read()
        if zdata[:4] != b"\x28\xb5\x2f\xfd":
            raise ValueError("zstd wrote no zstd frame")
        a = parse_jsonl(run([BIN, f])[0], "file")
        ways = [
            ("stdin (pipe)", parse_jsonl(run([BIN], stdin_data=data)[0], "pipe"), None),
            ("stdin (a file)", parse_jsonl(run([BIN], stdin_file=fixture)[0], "stdin file"), None),
            ("- (pipe)", parse_jsonl(run([BIN, "-"], stdin_data=data)[0], "-"), None),
            ("zstd file", parse_jsonl(run([BIN, zst])[0], "zstd"), zst),
            ("zstd pipe", parse_jsonl(run([BIN], stdin_data=zdata)[0], "zstd pipe"), None),
        ]
        ap = parse_jsonl(run([BIN, "-p", f])[0], "file -p")
        bp = parse_jsonl(run([BIN, "-p"], stdin_data=data)[0], "pipe -p")
    except (RuntimeError, ValueError, subprocess.CalledProcessError) as e:
        return fixture, 0, "%s: %s" % (f, e)
    finally:
        if os.path.exists(zst):
            os.unlink(zst)
    d.append(src_diff(a, f, "file"))
    for name, recs, src in ways:
        d.append(diff_records(strip_src(a), strip_src(recs), "file vs " + name))
        d.append(src_diff(recs, src, name))
    d.append(diff_records(strip_src(ap), strip_src(bp), "-p file vs -p pipe"))
    d.append(src_diff(bp, None, "-p pipe"))
    d = [x for x in d if x]
    return fixture, len(a), ("%s: %s" % (f, d[0]) if d else None)


# ---------------------------------------------------------------------------
# 2b. Envelopes.  The writers are tests/envelopes.py's: each takes the bare
# lines (bytes, no newline) and a clock and returns the SYNTHETIC records
# and, for each bare line, the time string the collector wrote for it
# (None when it writes no full date); given a list, it appends for each
# bare line the first and last record (from 1) that hold it.  The formats
# are the tools' own, as README "Recognised envelopes" and
# rules/prefix.rules list them; the few that envelopes.py has no use for
# (syslog, logcat, Go's log package, ...) are built here from its
# prefixed().
sys.path.insert(0, os.path.join(ROOT, "tests"))
import envelopes as env  # noqa: E402


def _clock(ns):
    return "[" + env.utc_split(ns)[0].strftime("%H:%M:%S") + "] "


def _datetime(ns):
    d, frac = env.utc_split(ns)
    return d.strftime("%Y-%m-%d %H:%M:%S") + ",%03d " % (frac // 10**6)


def _logcat(ns):
    d, frac = env.utc_split(ns)
    return d.strftime("%m-%d %H:%M:%S") + ".%03d  4242  4260 E GoLog   : " % (frac // 10**6)


# name -> (writer, stream the events must carry (None: none), whether the
# events' time is the collector's (else: the bare event's own, if any))
ENVELOPES = {
    # docker json-file, both streams
    "docker-json-file": (env.docker_json_file("stdout"), "stdout", True),
    "docker-json-file-stderr": (env.docker_json_file("stderr"), "stderr", True),
    # Kubernetes CRI files: containerd (RFC3339Nano), CRI-O (9 digits and
    # a numeric zone), and partial records joined back
    "cri": (env.cri("stdout"), "stdout", True),
    "cri-o": (env.cri("stderr", timefmt=lambda ns: env.fixed(ns, 9, "+00:00")), "stderr", True),
    "cri-partial": (env.cri("stdout", split=64), "stdout", True),
    # docker compose v1 and v2, v2 with --timestamps
    "compose-v1": (env.const("api_1 | "), "api_1", False),
    "compose-v2": (env.const("svc-1  | "), "svc-1", False),
    "compose-v2-timestamps": (env.prefixed(lambda ts: ("svc-1  | " + ts + " ").encode(),
                                           lambda ns: env.fixed(ns, 9)), "svc-1", True),
    # kubectl logs --prefix, --timestamps, both
    "kubectl-prefix": (env.const("[pod/web-7d4b9c-xk2p/app] "), "pod/web-7d4b9c-xk2p/app", False),
    "kubectl-timestamps": (env.prefixed(lambda ts: (ts + " ").encode(), lambda ns: env.fixed(ns, 9)), None, True),
    "kubectl-prefix-timestamps": (env.prefixed(lambda ts: ("[pod/web-7d4b9c-xk2p/app] " + ts + " ").encode(),
                                               lambda ns: env.fixed(ns, 9)), "pod/web-7d4b9c-xk2p/app", True),
    # stern's default template, colours off
    "stern": (env.const("web-7d4b9c-xk2p app "), "web-7d4b9c-xk2p app", False),
    # BuildKit plain progress
    "buildkit": (env.buildkit(), "#10", False),
    # GitHub Actions and GitLab job logs
    "github-actions": (env.github_actions(), None, True),
    "gitlab": (env.gitlab(), None, True),
    # docker logs -t (RFC3339Nano)
    "docker-logs-t": (env.prefixed(lambda ts: (ts + " ").encode(), env.rfc3339nano), None, True),
    # journald: short-precise (no year: no time), short-iso (with time)
    "journald-short-precise": (env.prefixed(lambda ts: (ts + " web-1 myapp[4242]: ").encode(),
                                            env.journal_time), "myapp", False),
    "journald-short-iso": (env.prefixed(lambda ts: (ts + " web-1 myapp[4242]: ").encode(),
                                        lambda ns: env.fixed(ns, 0)[:19] + "+0000"), "myapp", True),
    # syslog (RFC 3164: the day of the month padded with a space)
    "syslog": (env.prefixed(lambda ts: (ts[:15].replace(" 0", "  ", 1) + " web-1 myapp[4242]: ").encode(),
                            env.journal_time), "myapp", False),
    # Go's log package with its default flags
    "go-log": (env.prefixed(lambda ts: (ts + " ").encode(),
                            lambda ns: env.utc_split(ns)[0].strftime("%Y/%m/%d %H:%M:%S")), None, False),
    # Android logcat, threadtime and brief
    "logcat-threadtime": (env.prefixed(lambda ts: ts.encode(), _logcat), None, False),
    "logcat-brief": (env.const("E/GoLog ( 4242): "), None, False),
    # a CI tool's clock, another date-time form
    "clock": (env.prefixed(lambda ts: ts.encode(), _clock), None, False),
    "datetime": (env.prefixed(lambda ts: ts.encode(), _datetime), None, False),
    # prefixes no rule knows, learned
    "unknown-bracket": (env.const("[web-1] "), None, False),
    "unknown-pipe": (env.const("app | "), None, False),
    # indentation and quotes (a log pasted into an issue)
    "indent-2": (env.blank_stripped("  "), None, False),
    "indent-4": (env.blank_stripped("    "), None, False),
    "quote-pipe": (env.blank_stripped("| "), None, False),
    "quote-markdown": (env.blank_stripped("> "), None, False),
}


def task_envelope(args):
    name, fixture, bare = args
    f = fixture_arg(fixture)
    writer, want_stream, want_time = ENVELOPES[name]
    with open(fixture, "rb") as fh:
        data = fh.read()
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    spans = []
    recs, times = writer(lines, env.Clock(), spans)
    path = os.path.join(TMP, "synthetic-%s--%s" % (name, f.replace("/", "_")))
    with open(path, "wb") as o:
        o.write(b"\n".join(recs) + b"\n")
    try:
        got = parse_jsonl(run([BIN, path])[0], name)
        # Where the envelope gives the time, -f forward must carry it as
        # each entry's EventTime, and the same records as -f json.
        fw = fwd_messages(run([BIN, "-f", "forward", path])[0]) if want_time else None
    except (RuntimeError, ValueError) as e:
        return name, fixture, len(bare), "%s: %s" % (f, e)
    finally:
        os.unlink(path)
    d = envelope_diff(f, bare, got, spans, times, want_stream, want_time, path)
    if d and KNOWN.get(("envelope", name, f)) == "joined-lines":
        # the known numbering: each line's records end where they start
        spans = [(a, a) for a, _ in spans]
        d2 = envelope_diff(f, bare, got, spans, times, want_stream, want_time, path)
        d = d2 or "[joined-lines] " + d
    if d is None and fw is not None:
        ents = [e for m in fw for e in m[2]]
        d = diff_records(got, [e[1] for e in ents], "%s: json vs forward" % f)
        for i, (tm, rec, _) in enumerate(ents):
            t = rec.get("time")
            if d is None and (not isinstance(t, str) or tm != rfc3339_time(t)):
                d = "%s: forward entry %d EventTime %s for time %s (want %s)" % (
                    f, i + 1, tm, show(t), rfc3339_time(t) if isinstance(t, str) else None)
    return name, fixture, len(bare), d


# What differs legitimately between a bare fixture's events and its
# wrapped copy's, and is checked against what the envelope says instead of
# being compared:
#  - src: the file's name (the synthetic copy's);
#  - lines: the wrapped file's record numbers; an envelope that adds its
#    own lines (GitHub, GitLab, BuildKit) or splits one (CRI P, GitLab '+')
#    moves them, so [first, last] must be the first record of the bare
#    first line and the last record of the bare last line;
#  - stream: the envelope's stream where it names one, absent where not;
#  - time: the collector's time string for the event's first line where the
#    envelope writes a full date, else the bare event's own (a JSON
#    record's time) or none.
# Every other field (seq, class, kind, msg, pkg, test, file, line, cmd,
# output, stack, goroutines, fingerprint, hint, ...) must be equal.
ENV_FIELDS = ("src", "lines", "stream", "time")


def envelope_diff(f, bare, got, spans, times, want_stream, want_time, path):
    if len(bare) != len(got):
        return "%s: %d events bare, %d wrapped%s" % (
            f, len(bare), len(got),
            (" (first extra: %s)" % show(got[len(bare)].get("msg")) if len(got) > len(bare) else
             " (first missing: %s)" % show(bare[len(got)].get("msg"))))
    rest = lambda r: Map((k, v) for k, v in r.pairs if k not in ENV_FIELDS)
    for i, (a, b) in enumerate(zip(bare, got)):
        d = first_diff(rest(a), rest(b))
        if d:
            return "%s: event %d: %s" % (f, i + 1, d)
        la = a.get("lines")
        try:
            want_lines = [spans[la[0] - 1][0], spans[la[1] - 1][1]]
        except (IndexError, TypeError):
            return "%s: event %d: bare lines %s outside the log" % (f, i + 1, show(la))
        checks = [("lines", want_lines),
                  ("src", path),
                  ("stream", want_stream),
                  ("time", times[la[0] - 1] if want_time else a.get("time"))]
        for k, want in checks:
            if norm(b.get(k)) != norm(want):
                return "%s: event %d %s: %s, want %s" % (f, i + 1, k, show(b.get(k)), show(want))
        # the keys in the same order, an envelope's ones where the bare
        # event would have them
        ka = [k for k in a.keys() if k not in ("stream", "time")]
        kb = [k for k in b.keys() if k not in ("stream", "time")]
        if ka != kb:
            return "%s: event %d keys %s vs %s" % (f, i + 1, ka, kb)
    return None


def task_bare(fixture):
    try:
        return fixture, parse_jsonl(run([BIN, fixture_arg(fixture)])[0], "bare"), None
    except (RuntimeError, ValueError) as e:
        return fixture, None, str(e)


# ---------------------------------------------------------------------------
def known_split(group, key, fixture, diff):
    """A difference that KNOWN names exactly, and that is the difference
    its reason describes (the reason's pattern finds it in the difference
    text), is a note, not a failure; a listed fixture that agrees now is
    stale, which fails too."""
    k = (group, key, rel(fixture))
    if k not in KNOWN:
        return "fail" if diff else "ok"
    if not diff:
        return "stale"
    return "known" if re.search(REASONS[KNOWN[k]][0], diff) else "fail"


def write_results(path, rows):
    failed = False
    with open(path, "w") as o:
        for st, line, diffs in rows:
            failed |= st != "PASS"
            o.write("%s\t%s\t%s\n" % (st, line, " | ".join(diffs[:NDIFF]).replace("\t", " ").replace("\n", " ")))
            print(line)
            for d in diffs[:None if ALL else NDIFF]:
                print("    " + d)
    return 1 if failed else 0


def verdict(group, key, results, what, count_note):
    """results: [(fixture, diff)]; one result row."""
    fails, known, stale = [], [], []
    for fx, diff in results:
        s = known_split(group, key, fx, diff)
        if s == "fail":
            fails.append(diff)
        elif s == "known":
            known.append("%s (known, %s)" % (rel(fx), KNOWN[(group, key, rel(fx))]))
        elif s == "stale":
            stale.append("%s is listed as a known difference but agrees now" % rel(fx))
    n = len(results)
    line = "differential: %s on %d fixtures (%s)" % (what, n, count_note)
    if known:
        line += "; %d known differences, listed in tests/differential.py" % len(known)
    bad = fails + stale
    if bad or n == 0:
        return ("FAIL", line + ": %d disagree" % len(bad), bad)
    return ("PASS", line, known)


def fmt_n(n):
    return "{:,}".format(n)


def cmd_formats(a, fixtures, pool):
    rows = []
    for pt in (False, True):
        res = []
        nev = nrec = 0
        forms = set()
        for fx, _, (ne, nr), diff, fm in pool.imap_unordered(task_formats, [(f, pt) for f in fixtures]):
            res.append((fx, diff))
            nev, nrec = nev + ne, nrec + nr
            forms |= set(fm or ())
        res.sort()
        if pt:
            what = "-p: json = msgpack = forward (records decoded by goerrfilt --decode and in Python)"
            note = "%s records, %s of them passthrough" % (fmt_n(nrec), fmt_n(nrec - nev))
        else:
            what = "json = msgpack = forward (decoded by goerrfilt --decode and in Python; forward in %s mode)" % (
                "/".join(sorted(forms)) or "no")
            note = "%s events" % fmt_n(nev)
        rows.append(verdict("formats-p" if pt else "formats", None, res, what, note))
    return rows


def cmd_inputs(a, fixtures, pool):
    res, nev = [], 0
    for fx, n, diff in pool.imap_unordered(task_inputs, fixtures):
        res.append((fx, diff))
        nev += n
    res.sort()
    return [verdict("inputs", None, res, "file = pipe = stdin file = zstd file = zstd pipe", "%s events" % fmt_n(nev))]


def envelope_sample(fixtures, every, minimum):
    s = fixtures[::every]
    if len(s) < minimum:
        s = fixtures[::max(1, len(fixtures) // minimum)]
    return s


def cmd_envelopes(a, fixtures, pool):
    sample = envelope_sample(fixtures, a.every, a.min)
    bare = {}
    for fx, evs, err in pool.imap_unordered(task_bare, sample):
        if err:
            raise RuntimeError("bare %s: %s" % (rel(fx), err))
        bare[fx] = evs
    names = a.only.split(",") if a.only else list(ENVELOPES)
    tasks = [(n, fx, bare[fx]) for n in names for fx in sample]
    tasks.sort(key=lambda t: -os.path.getsize(t[1]))
    res = {n: [] for n in names}
    nev = {n: 0 for n in names}
    for name, fx, ne, diff in pool.imap_unordered(task_envelope, tasks, chunksize=4):
        res[name].append((fx, diff))
        nev[name] += ne
    rows = []
    for n in names:
        rs = sorted(res[n])
        _, st, tm = ENVELOPES[n]
        what = "envelope %s (synthetic): events = the bare fixture's%s%s" % (
            n, ", stream %s" % st if st else "", ", time from the envelope" if tm else "")
        every = "every fixture" if a.every == 1 and len(sample) == len(fixtures) else "every %d%s" % (
            len(fixtures) // max(len(sample), 1) if a.every == 1 else a.every,
            {2: "nd", 3: "rd"}.get(a.every, "th"))
        rows.append(verdict("envelope", n, rs, what, "%s, %s events" % (every, fmt_n(nev[n]))))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=("formats", "inputs", "envelopes", "archive"))
    ap.add_argument("fixtures", nargs="*")
    ap.add_argument("--bin", default=os.path.join(ROOT, "goerrfilt"))
    ap.add_argument("--arc", default=os.path.join(ROOT, "goerrfilt-archive"))
    ap.add_argument("--results", required=True)
    ap.add_argument("--every", type=int, default=3)
    ap.add_argument("--min", type=int, default=30)
    ap.add_argument("--only")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--all", action="store_true", help="print every difference")
    a = ap.parse_intermixed_args()
    global ALL
    ALL = a.all
    binary, arc = os.path.abspath(a.bin), os.path.abspath(a.arc)
    os.chdir(ROOT)
    fixtures = fixture_list(a.fixtures)
    tmp = tempfile.mkdtemp(prefix="goerrfilt-differential.")
    t0 = time.monotonic()
    try:
        with Pool(a.j, initializer=init, initargs=(binary, arc, tmp)) as pool:
            init(binary, arc, tmp)
            if a.cmd == "formats":
                rows = cmd_formats(a, fixtures, pool)
            elif a.cmd == "inputs":
                rows = cmd_inputs(a, fixtures, pool)
            elif a.cmd == "envelopes":
                rows = cmd_envelopes(a, fixtures, pool)
            else:
                rows = cmd_archive(a, fixtures, pool)
        rc = write_results(a.results, rows)
        print("differential.py %s: %.1f s" % (a.cmd, time.monotonic() - t0))
        return rc
    except RuntimeError as e:
        print("differential.py: %s" % e, file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------
# 3. Archive round trip.  What goes in: every fixture log, and for every
# third one (SYNTHETIC, made here) its zstd copy, its -f msgpack events and
# its -f json events.  docs/archive.md: `get` gives a log back byte for
# byte, `list` gives its size and the number of events goerrfilt finds in
# it, `query` the index (class, kind, phase, pkg, test, fingerprint, file,
# msg, line of each of those events).  So: every input comes back byte for
# byte; the events goerrfilt reads from what came back are the original's,
# every field (both read through a pipe, as src names no file then); the
# msgpack that came back --decodes to the fixture's -f json events; list's
# sizes and counts and query's events are goerrfilt's on the original
# (a zstd copy's are the fixture's own: the archive reads it through the
# same input layer).
INDEX_FIELDS = ("class", "kind", "phase", "pkg", "test", "fingerprint", "file", "msg", "line")


def task_arc_input(fixture):
    """Makes the synthetic inputs of one sampled fixture."""
    f = fixture_arg(fixture)
    base = os.path.join(TMP, "arc", "synthetic--" + f.replace("/", "_"))
    with open(base + ".zst", "wb") as o:
        subprocess.run(["zstd", "-q", "-c", fixture], stdout=o, check=True)
    for ext, opts in ((".msgpack", ["-f", "msgpack"]), (".jsonl", [])):
        with open(base + ext, "wb") as o:
            o.write(run([BIN] + opts + [f])[0])
    return fixture, [base + ".zst", base + ".msgpack", base + ".jsonl"]


def task_arc_check(args):
    name, fixture = args
    try:
        with open(name, "rb") as fh:
            want = fh.read()
        p = subprocess.run([ARC, "get", os.path.join(TMP, "fx.gfa"), name],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            return name, None, "%s: get exit %d: %s" % (rel(name), p.returncode, p.stderr.decode(errors="replace")[:200])
        got = p.stdout
        if got != want:
            return name, None, "%s: get gave %d bytes, %s" % (
                rel(name), len(got), "not the %d that went in" % len(want) if len(got) != len(want)
                else "first difference at byte %d" % next(i for i in range(len(got)) if got[i] != want[i]))
        # the original as a file operand, what came back through a pipe
        # (src, the file's name, is all that may differ: inputs check)
        ev_want = parse_jsonl(run([BIN, rel(name) if name.startswith(ROOT) else name])[0], "original")
        ev_got = parse_jsonl(run([BIN], stdin_data=got)[0], "read back")
        d = diff_records(strip_src(ev_want), strip_src(ev_got), "%s: events of the original vs read back" % rel(name))
        if d:
            return name, None, d
        if name.endswith(".msgpack"):
            dec = parse_jsonl(run([BIN, "--decode", "-"], stdin_data=got)[0], "--decode")
            js = parse_jsonl(run([BIN, fixture_arg(fixture)])[0], "-f json")
            d = diff_records(js, dec, "%s: -f json vs the msgpack read back, --decoded" % rel(name))
            if d:
                return name, None, d
        # the index's view of the events: of the fixture itself for its
        # zstd copy, of the file for everything else
        if name.endswith(".zst"):
            ev_want = parse_jsonl(run([BIN, fixture_arg(fixture)])[0], "fixture")
        idx = [tuple(norm(e.get(k)) for k in INDEX_FIELDS) for e in ev_want
               if e.get("class") is not None]
        return name, (len(want), idx), None
    except (RuntimeError, ValueError) as e:
        return name, None, "%s: %s" % (rel(name), e)


def cmd_archive(a, fixtures, pool):
    os.makedirs(os.path.join(TMP, "arc"))
    sample = fixtures[::a.every]
    synth = {}
    for fx, names in pool.imap_unordered(task_arc_input, sample):
        synth[fx] = names
    inputs = [(fixture_arg(f), f) for f in fixtures]
    for fx in sample:
        inputs += [(n, fx) for n in synth[fx]]
    arcf = os.path.join(TMP, "fx.gfa")
    p = subprocess.run([ARC, "pack", "-o", arcf] + [n for n, _ in inputs],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    what = ("archive: pack, then get gives back %d inputs byte for byte (%d fixtures; synthetic: %d zstd "
            "copies, %d -f msgpack and %d -f json event streams) and goerrfilt reads the same events from them"
            % (len(inputs), len(fixtures), len(sample), len(sample), len(sample)))
    if p.returncode != 0:
        return [("FAIL", "differential: " + what + ": pack exit %d" % p.returncode,
                 [p.stderr.decode(errors="replace")[:300]])]
    wants, bad = {}, []
    nev = 0
    for name, r, diff in pool.imap_unordered(task_arc_check, inputs, chunksize=4):
        if diff:
            bad.append(diff)
        else:
            wants[name] = r
            nev += len(r[1])
    rows = [("FAIL" if bad else "PASS", "differential: %s (%s events)%s" % (
        what, fmt_n(nev), ": %d disagree" % len(bad) if bad else ""), sorted(bad))]
    # list and query against what goerrfilt found in each input
    lst = parse_jsonl(run([ARC, "list", arcf])[0], "list")
    qry = parse_jsonl(run([ARC, "query", arcf])[0], "query")
    bad = []
    seen = {}
    for r in lst:
        seen.setdefault(r.get("log"), []).append(r)
    got_idx = {}
    for e in qry:
        got_idx.setdefault(e.get("log"), []).append(tuple(norm(e.get(k)) for k in INDEX_FIELDS))
    for name, _ in inputs:
        if name not in wants:
            continue
        size, idx = wants[name]
        rs = seen.get(name, [])
        if len(rs) != 1:
            bad.append("%s: %d list rows" % (rel(name), len(rs)))
            continue
        if norm(rs[0].get("size")) != norm(size) or norm(rs[0].get("events")) != norm(len(idx)):
            bad.append("%s: list size %s events %s, want %d and %d" % (
                rel(name), show(rs[0].get("size")), show(rs[0].get("events")), size, len(idx)))
        elif got_idx.get(name, []) != idx:
            g = got_idx.get(name, [])
            bad.append("%s: query gives %d events, goerrfilt %d%s" % (
                rel(name), len(g), len(idx), "" if len(g) != len(idx) else
                " (first difference: event %d)" % next(i + 1 for i in range(len(g)) if g[i] != idx[i])))
    extra = sorted(set(seen) - set(n for n, _ in inputs))
    if extra:
        bad.append("list names %d logs that were not packed: %s" % (len(extra), show(extra)))
    nidx = sum(len(v) for v in got_idx.values())
    rows.append(("FAIL" if bad else "PASS", "differential: archive: list (size, events) and query (%s index events) "
                 "equal goerrfilt's on each of the %d inputs%s" % (fmt_n(nidx), len(inputs),
                                                                  ": %d disagree" % len(bad) if bad else ""), bad))
    return rows


if __name__ == "__main__":
    sys.exit(main())
