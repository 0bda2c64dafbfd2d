#!/usr/bin/python3
"""Wrapped Go output gives the bare output's events.

  unwrap.py BIN OUTFILE

Every real fixture (fixtures/build, crash, crash-go1.2*, cases, app) is run
bare, then wrapped by this script in each envelope below (the wrapped copies
are synthetic: the envelope is added here, the Go output inside is the real
capture) and run again.  The events must agree on class, kind, phase, rule,
msg, pkg, file, line, col, fingerprint, func and the stack's functions;
enveloped events carry `stream` and `time` where the envelope has them.
Writes one line per check to OUTFILE: "ok NAME" or "FAIL NAME: why".

The envelope formats follow each tool's documentation:
  docker json-file   {"log","stream","time"}, lines over 16 KiB split into
                     records without the trailing newline (moby's jsonfile
                     driver); Go's encoding/json escapes <, >, & as \\u003c...
  CRI                "TIME STREAM F|P LINE" (kubelet's CRI logging format:
                     P = partial, the line goes on in the next record)
  compose v1 / v2    "svc_1  | ", "svc-1  | " (name padded to the longest)
  kubectl --prefix   "[pod/NAME/CONTAINER] "
  stern              "POD CONTAINER "
  BuildKit plain     "#N SECONDS " with the step's header and ERROR lines
  GitHub Actions     RFC 3339 with 7 fractional digits
  GitLab             "TIME NNS " (stream number and O/E), "+" continuations
  journald           short-precise "Mon DD HH:MM:SS.UUUUUU host unit[pid]: "
"""
import glob
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

KEYS = ("class", "kind", "phase", "rule", "msg", "pkg", "file", "line", "col",
        "fingerprint", "func")


def events(bin_, path):
    out = subprocess.run([bin_, path], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    return [json.loads(l) for l in out.decode().splitlines()]


def essence(e):
    d = {k: e.get(k) for k in KEYS}
    d["stack"] = [f.get("func") for f in e.get("stack", [])]
    return d


T0 = "2024-05-01T12:00:00.123456789Z"


def prefixed(p):
    return lambda lines: [p + l for l in lines]


def docker(lines):
    out = []
    for l in lines:
        while len(l.encode()) > 16384:
            out.append(json.dumps({"log": l[:16384], "stream": "stderr", "time": T0}))
            l = l[16384:]
        rec = json.dumps({"log": l + "\n", "stream": "stderr", "time": T0})
        out.append(rec.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
    return out


def cri_partial(lines):
    out = []
    for l in lines:
        while len(l) > 40:
            out.append(f"{T0} stderr P {l[:40]}")
            l = l[40:]
        out.append(f"{T0} stderr F {l}")
    return out


def buildkit(lines):
    return (["#12 [builder 4/6] RUN go build ./..."] +
            [f"#12 {1 + i / 1000:.3f} {l}" for i, l in enumerate(lines)] +
            ['#12 ERROR: process "/bin/sh -c go build ./..." did not complete successfully: exit code: 1'])


def gitlab(lines):
    return [f"2024-05-01T12:00:00.{i % 1000000:06d}Z 01E {l}" for i, l in enumerate(lines)]


def midstream(lines):
    noise = [f"{T0} stdout F npm WARN deprecated pkg-{i}@1.0.{i}: use something else"
             for i in range(800)]
    return noise + [f"{T0} stderr F {l}" for l in lines]


def compose_interleaved(lines):
    out = []
    for i, l in enumerate(lines):
        out.append("api-1  | " + l)
        out.append(f"db-1   | 2024-05-01 12:00:{i % 60:02d}.000 UTC [1] LOG:  checkpoint starting: time")
    return out


ENVELOPES = [
    # name, wrapper, stream, has time
    ("docker-json-file", docker, "stderr", True),
    ("cri", prefixed(T0 + " stderr F "), "stderr", True),
    ("cri-partial", cri_partial, "stderr", True),
    ("compose-v1", prefixed("api_1  | "), "api_1", False),
    ("compose-v2", prefixed("api-1  | "), "api-1", False),
    ("kubectl-prefix", prefixed("[pod/web-7d4b9c-xk2p/app] "), "pod/web-7d4b9c-xk2p/app", False),
    ("kubectl-timestamps", prefixed(T0 + " "), None, True),
    ("stern", prefixed("web-7d4b9c-xk2p app "), "web-7d4b9c-xk2p app", False),
    ("buildkit-plain", buildkit, "#12", False),
    ("github-actions", prefixed("2024-05-01T12:00:00.1234567Z "), None, True),
    ("gitlab", gitlab, None, True),
    ("journald-short-precise", prefixed("May 01 12:00:00.123456 web-1 myapp[4242]: "), "myapp", False),
    ("clock", prefixed("[12:00:01] "), None, False),
    ("indent-2", prefixed("  "), None, False),
    ("indent-4", prefixed("    "), None, False),
    ("quote-pipe", prefixed("| "), None, False),
    ("quote-gt", prefixed("> "), None, False),
    ("mid-stream", midstream, "stderr", True),
    ("compose-interleaved", compose_interleaved, "api-1", False),
]


def fixtures():
    pats = ["fixtures/build/*.log", "fixtures/crash/*.log", "fixtures/crash-go1.2*/*.log",
            "fixtures/cases/*.log", "fixtures/app/*.log"]
    return sorted(f for p in pats for f in glob.glob(p))


def one(bin_, tmp, f, env):
    name, wrap, stream, has_time = env
    bare = events(bin_, f)
    with open(f, encoding="utf-8", errors="surrogateescape") as fh:
        lines = fh.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    w = os.path.join(tmp, f"{name}-{os.path.basename(f)}.synthetic.log")
    with open(w, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write("\n".join(wrap(lines)) + "\n")
    got = events(bin_, w)
    os.unlink(w)
    if [essence(e) for e in bare] != [essence(e) for e in got]:
        for a, b in zip(bare + [{}] * len(got), got + [{}] * len(bare)):
            ea, eb = essence(a), essence(b)
            if ea != eb:
                k = next(k for k in ea if ea[k] != eb.get(k))
                return (False, f"{f}: {len(bare)} bare events, {len(got)} wrapped; "
                        f"{k}: {str(ea[k])[:80]!r} != {str(eb.get(k))[:80]!r}")
    for e in got:
        if stream is not None and e.get("stream") != stream:
            return (False, f"{f}: stream {e.get('stream')!r}, want {stream!r}")
        if has_time and not e.get("time", "").startswith("2024-05-01T12:00:00"):
            return (False, f"{f}: time {e.get('time')!r}")
    return (True, "")


def main(argv):
    bin_, outpath = argv[1], argv[2]
    fx = fixtures()
    with tempfile.TemporaryDirectory(prefix="goerrfilt-unwrap.") as tmp, \
            ThreadPoolExecutor(max_workers=2) as pool:
        results = {env[0]: pool.map(lambda f, env=env: one(bin_, tmp, f, env), fx)
                   for env in ENVELOPES}
        with open(outpath, "w") as out:
            for name, rs in results.items():
                rs = list(rs)
                bad = [why for good, why in rs if not good]
                n = len(rs)
                if bad:
                    out.write(f"FAIL envelope {name}: {n - len(bad)}/{n} fixtures give "
                              f"the bare events; {bad[0]}\n")
                else:
                    out.write(f"ok envelope {name}: {n}/{n} fixtures give the bare events\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
