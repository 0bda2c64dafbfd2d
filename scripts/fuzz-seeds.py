#!/usr/bin/env python3
"""fuzz-seeds.py OUTDIR: seed inputs for the fuzz targets, made from the
real fixtures (every log under fixtures/ is output a real Go toolchain or
program printed).

For each target, OUTDIR/NAME/ gets files named by their SHA-1:
  engine   pieces of the logs (cut at line boundaries, some cut mid-line),
           their lines shuffled, and pieces compressed with zstd
  unwrap   pieces wrapped in every envelope tests/envelopes.py writes
           (docker json-file, CRI with partial lines, compose, kubectl,
           stern, BuildKit, GitHub Actions, GitLab, journald, indentation,
           quotes, mid-stream), syslog, Go's log package and JSON log
           records, and two streams interleaved; the wrapping is synthetic,
           the text inside is real
  gojson   the go -json fixtures, and pieces turned into go test -json
           events (synthetic framing around real output)
  decode   goerrfilt's msgpack and forward output for logs (when
           ./goerrfilt is built), cut
  archive  tests/archive/v1.gfa, cut and with bytes flipped
  rules    the rule files, a few rules at a time, and the built bundle cut
  manifest every case.conf under cases/
Deterministic: the same fixtures give the same seeds, but for the forward
streams' EventTime of events without a time of their own (the wall clock).
"""
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
import envelopes  # noqa: E402  (tests/envelopes.py: the envelope writers)

MAXLEN = 8192


def logs():
    out = []
    for root, _, files in os.walk("fixtures"):
        for f in sorted(files):
            if f.endswith(".log"):
                out.append(os.path.join(root, f))
    return sorted(out)


def put(d, data):
    if not data:
        return
    data = data[:65536]
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def pieces(rng, text, n):
    """n pieces of up to MAXLEN bytes, mostly cut at line boundaries."""
    lines = text.split(b"\n")
    out = []
    for _ in range(n):
        if len(lines) <= 1:
            out.append(text[:MAXLEN])
            continue
        a = rng.randrange(len(lines))
        b = min(len(lines), a + rng.randrange(1, 80))
        p = b"\n".join(lines[a:b]) + b"\n"
        if rng.random() < 0.2:
            p = p[: rng.randrange(1, len(p) + 1)]
        out.append(p[:MAXLEN])
    return out


def js(s):
    return json.dumps(s.decode("utf-8", "replace"))


# The envelopes come from tests/envelopes.py's writers (the ones its tests
# check goerrfilt against); these three it has no writer for.
def _record(lines, clock):
    return [('{"level":"error","ts":"%s","caller":"api/main.go:42","msg":%s}'
             % (envelopes.rfc3339nano(clock.tick()), js(l))).encode() for l in lines], None


EXTRA = {
    "syslog": envelopes.const("Dec  4 01:02:03 host api[4242]: "),
    "golog": envelopes.const("2026/12/04 01:02:03 "),
    "record": _record,
}
WRITERS = dict(EXTRA, **{n: e[0] for n, e in envelopes.ENVELOPES.items()})
KINDS = sorted(WRITERS)


def wrap(kind, p):
    ls = p.split(b"\n")
    if ls and ls[-1] == b"":
        ls.pop()
    out, _ = WRITERS[kind](ls, envelopes.Clock())
    return b"\n".join(out) + b"\n"


def interleave(rng, a, b):
    la = [b"web-1  | " + l for l in a.split(b"\n") if l]
    lb = [b"db-1   | " + l for l in b.split(b"\n") if l]
    o = []
    while la or lb:
        src = la if (la and (not lb or rng.random() < 0.5)) else lb
        o.append(src.pop(0))
    return b"\n".join(o) + b"\n"


def gotest_json(p, pkg):
    o = []
    for i, l in enumerate(p.split(b"\n")):
        o.append(json.dumps({"Time": "2026-12-04T01:02:03.%06dZ" % i, "Action": "output",
                             "Package": pkg, "Test": "TestX", "Output": l.decode("utf-8", "replace") + "\n"}).encode())
    o.append(json.dumps({"Action": "fail", "Package": pkg, "Test": "TestX", "Elapsed": 0.01}).encode())
    return b"\n".join(o) + b"\n"


def main():
    out = sys.argv[1]
    rng = random.Random(12)
    shutil.rmtree(out, ignore_errors=True)
    d = {}
    for n in ["engine", "unwrap", "gojson", "decode", "archive", "rules", "manifest"]:
        d[n] = os.path.join(out, n)
        os.makedirs(d[n])
    texts = [(f, open(f, "rb").read()) for f in logs()]
    zstd = shutil.which("zstd")
    for f, t in texts:
        ps = pieces(rng, t, 2)
        for p in ps:
            put(d["engine"], p)
        ls = t.split(b"\n")[:300]
        rng.shuffle(ls)
        put(d["engine"], b"\n".join(ls)[:MAXLEN])
        if zstd and rng.random() < 0.1:
            put(d["engine"], subprocess.run([zstd, "-q", "-c"], input=ps[0], stdout=subprocess.PIPE, check=True).stdout)
        put(d["unwrap"], wrap(rng.choice(KINDS), ps[0]))
        if b'"Action"' in t:
            for p in pieces(rng, t, 3):
                put(d["gojson"], p)
        elif rng.random() < 0.3:
            put(d["gojson"], gotest_json(ps[0][:4096], "example.com/m/p%d" % rng.randrange(3)))
    for k in KINDS:
        for _ in range(4):
            f, t = rng.choice(texts)
            put(d["unwrap"], wrap(k, pieces(rng, t, 1)[0]))
    for _ in range(20):
        (_, a), (_, b) = rng.sample(texts, 2)
        put(d["unwrap"], interleave(rng, pieces(rng, a, 1)[0], pieces(rng, b, 1)[0]))
    if os.access("./goerrfilt", os.X_OK):
        for f, _ in rng.sample(texts, min(40, len(texts))):
            for fmt in ["msgpack", "forward"]:
                r = subprocess.run(["./goerrfilt", "-f", fmt, f], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
                if r.stdout:
                    put(d["decode"], r.stdout)
                    put(d["decode"], r.stdout[: rng.randrange(1, len(r.stdout) + 1)])
    if os.path.exists("tests/archive/v1.gfa"):
        a = open("tests/archive/v1.gfa", "rb").read()
        put(d["archive"], a)
        for _ in range(20):
            b = bytearray(a[: rng.randrange(1, len(a) + 1)])
            for _ in range(rng.randrange(0, 4)):
                if b:
                    b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
            put(d["archive"], bytes(b))
    for f in sorted(os.listdir("rules")):
        if not f.endswith(".rules"):
            continue
        t = open(os.path.join("rules", f), "rb").read()
        parts = t.split(b"\nrule ")
        for i in range(0, len(parts), 4):
            put(d["rules"], b"\nrule ".join(parts[i:i + 4])[:MAXLEN])
    for b in ["build/rel/rules.bundle"]:
        if os.path.exists(b):
            data = open(b, "rb").read()
            put(d["rules"], data[:65536])
    for root, _, files in os.walk("cases"):
        for f in files:
            if f == "case.conf":
                put(d["manifest"], open(os.path.join(root, f), "rb").read())
    for n in sorted(d):
        print("%s: %d seeds" % (n, len(os.listdir(d[n]))))


main()
