#!/usr/bin/env python3
"""archive_check.py - cross-checks goerrfilt-archive's index against
goerrfilt itself (tests/archive.sh).

  archive_check.py index ARCHIVE LOG...   every event of `query ARCHIVE`
      equals the events `goerrfilt LOG` prints, field for field, per log;
      and --class/--kind/--fingerprint queries (every value seen) give
      exactly the logs whose goerrfilt events have that value
  archive_check.py group ARCHIVE LOG...   query --group counts equal
      `goerrfilt --group LOG...` counts per fingerprint
  archive_check.py dups ARCHIVE LOG...    logs with equal bytes share one
      stored copy (block, offset), different ones do not
Prints a one-line summary; exits 1 on a mismatch.
"""
import hashlib
import json
import subprocess
import sys

ARC = "./goerrfilt-archive"
FIELDS = ["class", "kind", "phase", "pkg", "test", "fingerprint", "file", "msg"]


def jl(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE)
    if r.returncode not in (0, 1):
        sys.exit("%s: exit %d" % (" ".join(cmd), r.returncode))
    return [json.loads(l) for l in r.stdout.splitlines()]


def goerrfilt_events(log):
    out = []
    for e in jl(["./goerrfilt", log]):
        if "class" not in e:
            continue
        out.append(tuple([e.get(f) for f in FIELDS] + [e.get("line")]))
    return out


def fail(msg):
    print(msg)
    sys.exit(1)


def index(arc, logs):
    want = {l: goerrfilt_events(l) for l in logs}
    got = {l: [] for l in logs}
    for e in jl([ARC, "query", arc]):
        got.setdefault(e["log"], []).append(
            tuple([e.get(f) for f in FIELDS] + [e.get("line")]))
    for l in logs:
        if got[l] != want[l]:
            fail("index: %s: archive %r, goerrfilt %r" % (l, got[l][:3], want[l][:3]))
    nq = 0
    for opt, fi in (("--class", 0), ("--kind", 1), ("--fingerprint", 5)):
        vals = sorted({e[fi] for l in logs for e in want[l] if e[fi] is not None})
        for v in vals:
            exp = sorted(l for l in logs if any(e[fi] == v for e in want[l]))
            res = sorted(r["log"] for r in jl([ARC, "query", arc, opt, v, "--logs"]))
            if res != exp:
                fail("index: %s %s: archive %d logs, goerrfilt %d" % (opt, v, len(res), len(exp)))
            nq += 1
    n = sum(len(v) for v in want.values())
    print("%d logs, %d events equal; %d queries give goerrfilt's logs" % (len(logs), n, nq))


def group(arc, logs):
    want = {}
    for g in jl(["./goerrfilt", "--group"] + logs):
        want[g["group"]] = g["count"]
    got = {g["group"]: g["count"] for g in jl([ARC, "query", arc, "--group"])}
    if got != want:
        diff = [k for k in set(got) | set(want) if got.get(k) != want.get(k)]
        fail("group: %d fingerprints differ, e.g. %s: archive %s, goerrfilt %s" % (
            len(diff), diff[0], got.get(diff[0]), want.get(diff[0])))
    print("%d groups, %d events, counts equal" % (len(got), sum(got.values())))


def dups(arc, logs):
    place = {r["log"]: (r["block"], r["offset"]) for r in jl([ARC, "list", arc])}
    by = {}
    for l in logs:
        by.setdefault(hashlib.sha256(open(l, "rb").read()).hexdigest(), set()).add(place[l])
    if any(len(p) != 1 for p in by.values()):
        fail("dups: identical logs stored more than once")
    if len(set(place.values())) != len(by):
        fail("dups: %d stored copies for %d distinct logs" % (len(set(place.values())), len(by)))
    print("%d logs, %d distinct, each stored once" % (len(logs), len(by)))


def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def newer(arc, args):
    """Writes a copy of arc as a newer minor version with an unknown
    section (readers must read it) and one as a newer major (refused)."""
    import struct
    d = bytearray(open(arc, "rb").read())
    toc_off, nsec = struct.unpack_from("<QI", d, 16)
    toc = d[toc_off:toc_off + 40 * nsec]
    extra = b"a section of a newer minor version"
    off = len(d)
    d += extra
    toc += struct.pack("<IHHQQQQ", 99, 0, 0, off, len(extra), len(extra), fnv(extra))
    toc_off = len(d)
    d += toc
    struct.pack_into("<HHIQIIQ", d, 8, 1, 7, 64, toc_off, nsec + 1, 0, fnv(toc))
    struct.pack_into("<Q", d, 56, fnv(d[:56]))
    open(args[0], "wb").write(d)
    struct.pack_into("<H", d, 8, 2)
    struct.pack_into("<Q", d, 56, fnv(d[:56]))
    open(args[1], "wb").write(d)


def flip(path, args):
    """Flips the bits of the byte at offset args[0]."""
    d = bytearray(open(path, "rb").read())
    d[int(args[0])] ^= 0xff
    open(path, "wb").write(d)


if __name__ == "__main__":
    {"index": index, "group": group, "dups": dups, "newer": newer,
     "flip": flip}[sys.argv[1]](sys.argv[2], sys.argv[3:])
