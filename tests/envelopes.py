#!/usr/bin/python3
"""envelopes.py [--bin ./goerrfilt] [--results FILE] [--only NAME,...] [-j 2]
envelopes.py --wrap ENVELOPE IN OUT   (a file in one per-line envelope)

The contract: real Go output wrapped in a log collector's envelope gives the
same events as the bare output.  For every real fixture log this runs
goerrfilt on the bare file, then on each wrapped copy, and compares, per
event in order: class, kind, phase, fingerprint, stack (frame func names),
file, line, msg, pkg (not lines, seq or the other fields).  Separately it
checks the `stream` and `time` fields where the envelope gives them
(`time` only where a full date is written: the collector's own string for
the event's first line), and that they are absent where it gives none.

The wrapped copies are SYNTHETIC: written by this script into a temporary
directory as synthetic-ENVELOPE--FIXTURE.log, deleted after use.  The Go
output inside them is the real fixture, byte for byte, except for the
envelope's own escaping (docker json-file) and line splitting (CRI partial
lines, docker 16 KiB records, GitLab continuation records), which a decoder
has to undo.

Output: per envelope and check one line
    envelope NAME: P/N fixtures give the bare events
    envelope NAME stream: P/N fixtures ...
    envelope NAME time: P/N fixtures ...
each followed by the first few differences.  --results FILE gets the same
lines as PASS|FAIL<TAB>line<TAB>first difference, for tests/envelopes.sh.
Exit 0 when every check passes, 1 otherwise, 2 on trouble.
"""
import argparse
import codecs
import datetime
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELDS = ("class", "kind", "phase", "fingerprint", "stack", "file", "line",
          "msg", "pkg")
ANY = object()          # stream/time not asserted for this envelope
NDIFF = 4               # differences shown per check

# ---------------------------------------------------------------------------
# Clock: every written record gets its own instant, 1.25 ms apart, so that
# RFC3339Nano (which drops trailing zeros, down to no fraction at all on a
# whole second) is exercised as collectors really write it.
BASE = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
BASE_NS = int(BASE.timestamp()) * 10**9
STEP_NS = 1_250_000     # from .1 s: .1, .10125, .1025, ..., 12:00:01Z (line 721)


class Clock:
    def __init__(self, start_ns=BASE_NS + 100_000_000):
        self.ns = start_ns

    def tick(self):
        t = self.ns
        self.ns += STEP_NS
        return t


def utc_split(ns):
    s, frac = divmod(ns, 10**9)
    return datetime.datetime.fromtimestamp(s, datetime.timezone.utc), frac


def rfc3339nano(ns):
    """Go's time.RFC3339Nano in UTC: trailing zeros of the fraction dropped,
    no fraction on a whole second (docker json-file, containerd CRI)."""
    d, frac = utc_split(ns)
    f = ("%09d" % frac).rstrip("0")
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ("." + f if f else "") + "Z"


def fixed(ns, digits, zone="Z"):
    """A fixed-width fraction: 9 digits (kubelet's RFC3339NanoFixed for
    kubectl --timestamps, compose --timestamps, CRI-O), 7 (GitHub Actions),
    6 (GitLab runner)."""
    d, frac = utc_split(ns)
    return (d.strftime("%Y-%m-%dT%H:%M:%S") + "." +
            ("%09d" % frac)[:digits] + zone)


def journal_time(ns):
    """journalctl -o short-precise: 'May 01 12:00:00.123456' (no year)."""
    d, frac = utc_split(ns)
    return d.strftime("%b %d %H:%M:%S") + ".%06d" % (frac // 1000)


# ---------------------------------------------------------------------------
# docker json-file encoding.  The daemon (daemon/logger/jsonfilelog/jsonlog,
# MarshalJSONBuf) writes {"log":...,"stream":...,"time":...} with the string
# escaper copied from Go's encoding/json: \" \\ \n \r \t, other bytes < 0x20
# as \u00XX, < > & as \u003c \u003e \u0026, U+2028/2029 escaped, every byte
# of invalid UTF-8 as \ufffd; time is time.RFC3339Nano in UTC.
def _per_byte_fffd(exc):
    return ("\ufffd" * (exc.end - exc.start), exc.end)


codecs.register_error("go_fffd", _per_byte_fffd)
_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
        "\u2028": "\\u2028", "\u2029": "\\u2029"}
_ESC_RE = re.compile('[\x00-\x1f"\\\\<>&\u2028\u2029]')


def _esc1(m):
    c = m.group(0)
    return _ESC.get(c) or "\\u%04x" % ord(c)


def docker_json_string(b):
    return '"' + _ESC_RE.sub(_esc1, b.decode("utf-8", "go_fffd")) + '"'


DOCKER_BUF = 16 * 1024  # daemon/logger/copier.go bufSize: longer lines are
                        # written as several records, all but the last
                        # without the trailing \n, sharing one timestamp


# ---------------------------------------------------------------------------
# Envelope writers.  Each takes the fixture's lines (bytes, no \n) and a
# Clock, and returns (records: list[bytes] without \n, times: list) where
# times[i] is the time string the collector wrote for bare line i+1 (its
# first record), or None.  Given a list as spans, a writer appends to it
# (first, last) for each bare line: the numbers (from 1) of the first and
# the last record that hold it, which tests/differential.py checks the
# events' `lines` against.
def _span(spans, first, out):
    if spans is not None:
        spans.append((first + 1, len(out)))


def prefixed(fn, with_time=None):
    """One record per line: fn(ts_string_or_None) gives the prefix."""
    def wrap(lines, clock, spans=None):
        out, times = [], []
        for l in lines:
            ts = with_time(clock.tick()) if with_time else None
            out.append(fn(ts) + l)
            times.append(ts)
            _span(spans, len(out) - 1, out)
        return out, times
    return wrap


def const(p):
    pb = p.encode()
    return prefixed(lambda ts: pb)


def blank_stripped(p):
    """A prefix that ends in spaces, as an editor leaves it on an empty
    line: trailing blanks stripped (`> `, `| `, indentation)."""
    pb, empty = p.encode(), p.rstrip().encode()

    def wrap(lines, clock, spans=None):
        if spans is not None:
            spans += [(i + 1, i + 1) for i in range(len(lines))]
        return [(pb + l) if l else empty for l in lines], [None] * len(lines)
    return wrap


def docker_json_file(stream="stderr", buf=DOCKER_BUF):
    def wrap(lines, clock, spans=None):
        out, times = [], []
        tail = ',"stream":"%s","time":"' % stream
        for l in lines:
            ts = rfc3339nano(clock.tick())
            times.append(ts)
            first = len(out)
            parts = [l[i:i + buf] for i in range(0, len(l), buf)] or [b""]
            for k, p in enumerate(parts):
                last = k == len(parts) - 1
                out.append(('{"log":' + docker_json_string(p + (b"\n" if last else b"")) +
                            tail + ts + '"}').encode())
            _span(spans, first, out)
        return out, times
    return wrap


def cri(stream="stderr", split=None, timefmt=rfc3339nano):
    """Kubernetes CRI log file (kubelet reads, containerd/CRI-O write):
    TIMESTAMP STREAM TAG CONTENT, TAG F (full) or P (partial: the line goes
    on in the next record).  containerd: RFC3339Nano; CRI-O: 9 fixed digits
    and a numeric zone.  Each record has its own timestamp; a line's time is
    that of its first record."""
    sb = stream.encode()

    def wrap(lines, clock, spans=None):
        out, times = [], []
        for l in lines:
            parts = [l]
            if split and len(l) > split:
                parts = [l[i:i + split] for i in range(0, len(l), split)]
            first, n0 = None, len(out)
            for k, p in enumerate(parts):
                ts = timefmt(clock.tick())
                first = first or ts
                tag = b"F" if k == len(parts) - 1 else b"P"
                out.append(ts.encode() + b" " + sb + b" " + tag + b" " + p)
            times.append(first)
            _span(spans, n0, out)
        return out, times
    return wrap


def gitlab(stream_id="01", kind="E", split=80):
    """GitLab runner >= 17.0 with FF_TIMESTAMPS (raw job log): a 32-byte
    prefix `<RFC 3339 UTC, 6 digits>Z <2 hex digits stream><O|E><' '|'+'>`,
    '+' when the record continues the previous record's line.  Lines longer
    than `split` bytes are written as two records here, as the runner does
    when a line reaches it in several writes.  The job preamble is the
    runner's own (stream 00, stdout), with its ANSI colours and section
    markers."""
    def wrap(lines, clock, spans=None):
        out, times = [], []

        def rec(sid, k, cont, text):
            ts = fixed(clock.tick(), 6)
            out.append(("%s %s%s%s" % (ts, sid, k, "+" if cont else " ")).encode() + text)
            return ts
        pre = [b"\x1b[0KRunning with gitlab-runner 17.5.2 (c6eae8d7)\x1b[0;m",
               b"\x1b[0K  on docker-autoscaler-1 t3_Xk9pQ, system ID: s_8f2e1c0d9a7b\x1b[0;m",
               b"section_start:1714564800:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing the \"docker\" executor\x1b[0;m\x1b[0;m",
               b"\x1b[0KUsing Docker executor with image golang:1.24 ...\x1b[0;m",
               b"section_end:1714564801:prepare_executor\r\x1b[0K",
               b"section_start:1714564801:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting \"step_script\" stage of the job script\x1b[0;m\x1b[0;m",
               b"\x1b[32;1m$ go build -x -v ./...\x1b[0;m"]
        for p in pre:
            rec("00", "O", False, p)
        for l in lines:
            n0 = len(out)
            if len(l) > split:
                times.append(rec(stream_id, kind, False, l[:split]))
                rec(stream_id, kind, True, l[split:])
            else:
                times.append(rec(stream_id, kind, False, l))
            _span(spans, n0, out)
        rec("00", "O", False, b"section_end:1714564830:step_script\r\x1b[0K")
        rec("00", "O", False, b"\x1b[31;1mERROR: Job failed: exit code 1\x1b[0;m")
        return out, times
    return wrap


def github_actions():
    """GitHub Actions raw job log: every line prefixed by its UTC time with
    7 fractional digits; the step's ##[group] header before, the runner's
    ##[error] line after."""
    def wrap(lines, clock, spans=None):
        out, times = [], []

        def rec(text):
            ts = fixed(clock.tick(), 7)
            out.append(ts.encode() + b" " + text)
            return ts
        rec(b"##[group]Run go build -x -v ./...")
        rec(b"\x1b[36;1mgo build -x -v ./...\x1b[0m")
        rec(b"shell: /usr/bin/bash -e {0}")
        rec(b"##[endgroup]")
        for l in lines:
            times.append(rec(l))
            _span(spans, len(out) - 1, out)
        rec(b"##[error]Process completed with exit code 1.")
        return out, times
    return wrap


def _bk_elapsed(sec):
    # BuildKit's plain printer keeps about 4 significant digits of the
    # seconds since the step started: 0.345, 12.34, 246.4
    if sec < 10:
        return "%.3f" % sec
    if sec < 100:
        return "%.2f" % sec
    return "%.1f" % sec


def buildkit(summary=False):
    """docker build --progress=plain (BuildKit): steps `#N [stage k/n] CMD`,
    each output line `#N SECONDS LINE` (seconds since the step started),
    `#N DONE 0.4s` or `#N ERROR: process "..." did not complete
    successfully: exit code: 1`.  With summary, what follows in real
    output: the box repeating the failed step's last lines (`SECONDS LINE`,
    no step number), the Dockerfile excerpt and `ERROR: failed to solve`."""
    def wrap(lines, clock, spans=None):
        out = [b'#0 building with "default" instance using docker driver', b"",
               b"#1 [internal] load build definition from Dockerfile",
               b"#1 transferring dockerfile: 312B done", b"#1 DONE 0.0s", b"",
               b"#2 [internal] load metadata for docker.io/library/golang:1.24",
               b"#2 DONE 0.9s", b"",
               b"#3 [internal] load .dockerignore", b"#3 transferring context: 2B done",
               b"#3 DONE 0.0s", b"",
               b"#4 [builder 1/6] FROM docker.io/library/golang:1.24@sha256:db5d0afbfb4ab648af2393b92e87eaae9ad5e01132803d80caef91b5752d289c",
               b"#4 DONE 0.0s", b"",
               b"#5 [internal] load build context", b"#5 transferring context: 48.21kB 0.0s done",
               b"#5 DONE 0.0s", b"",
               b"#6 [builder 2/6] WORKDIR /src", b"#6 CACHED", b"",
               b"#7 [builder 3/6] COPY go.mod go.sum ./", b"#7 CACHED", b"",
               b"#8 [builder 4/6] RUN go mod download", b"#8 CACHED", b"",
               b"#9 [builder 5/6] COPY . .", b"#9 DONE 0.1s", b"",
               b"#10 [builder 6/6] RUN go build -x -v ./..."]
        times, shown = [], []
        for i, l in enumerate(lines):
            clock.tick()
            el = _bk_elapsed(0.112 + i * 0.0137)
            out.append(b"#10 " + el.encode() + b" " + l)
            shown.append(el.encode() + b" " + l)
            times.append(None)
            _span(spans, len(out) - 1, out)
        out.append(b'#10 ERROR: process "/bin/sh -c go build -x -v ./..." did not complete successfully: exit code: 1')
        if summary:
            out += [b"------", b" > [builder 6/6] RUN go build -x -v ./...:"]
            out += shown[-10:]
            out += [b"------", b"Dockerfile:9", b"--------------------",
                    b"   7 |     RUN go mod download",
                    b"   8 |     COPY . .",
                    b"   9 | >>> RUN go build -x -v ./...",
                    b"  10 |",
                    b"  11 |     FROM gcr.io/distroless/static-debian12",
                    b"--------------------",
                    b'ERROR: failed to solve: process "/bin/sh -c go build -x -v ./..." did not complete successfully: exit code: 1']
        return out, times
    return wrap


# ---------------------------------------------------------------------------
# Other tools' output, for the mid-stream cases: 800 deterministic lines of
# apt and npm as they print in a CI job before the Go step.
def other_tools(n=800, seed=7):
    r = random.Random(seed)
    pk = ["libc6", "libssl3", "ca-certificates", "git", "curl", "libcurl4",
          "openssh-client", "make", "gcc-12", "binutils", "libgcc-s1", "tzdata",
          "perl-base", "libpcre2-8-0", "zlib1g", "liblzma5", "xz-utils"]
    npm = ["inflight@1.0.6: This module is not supported, and leaks memory.",
           "glob@7.2.3: Glob versions prior to v9 are no longer supported",
           "rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported",
           "@humanwhocodes/config-array@0.11.14: Use @eslint/config-array instead"]
    out = []
    for i in range(n):
        k = r.randrange(7)
        p = r.choice(pk)
        v = "%d.%d.%d-%d" % (r.randrange(1, 4), r.randrange(40), r.randrange(20), r.randrange(1, 9))
        if k == 0:
            out.append("Get:%d http://deb.debian.org/debian bookworm/main amd64 %s amd64 %s [%d kB]" % (i + 1, p, v, r.randrange(20, 4000)))
        elif k == 1:
            out.append("Unpacking %s:amd64 (%s) ..." % (p, v))
        elif k == 2:
            out.append("Setting up %s:amd64 (%s) ..." % (p, v))
        elif k == 3:
            out.append("npm warn deprecated " + r.choice(npm))
        elif k == 4:
            out.append("Selecting previously unselected package %s:amd64." % p)
        elif k == 5:
            out.append("added %d packages, and audited %d packages in %ds" % (r.randrange(50, 900), r.randrange(900, 1000), r.randrange(2, 40)))
        else:
            out.append("Processing triggers for %s (%s) ..." % (p, v))
    return [l.encode() for l in out]


def midstream(inner):
    noise = other_tools()

    def wrap(lines, clock, spans=None):
        sp = [] if spans is not None else None
        out, times = inner(noise + lines, clock, sp)
        if spans is not None:
            spans += sp[len(noise):]
        return out, times[len(noise):]
    return wrap


# Envelope table: name -> (writer, expected stream or None or ANY,
# whether time is expected, basis).  Prefix formats are quoted from the
# tools' sources and documentation (see each comment).
COMPOSE_V2 = "api-1  | "
ENVELOPES = {
    # compose v1 (log_printer.py): name.ljust(longest name) + ' | '
    "compose-v1": (const("api_1 | "), "api_1", False),
    "compose-v1-padded": (const("api_1    | "), "api_1", False),  # beside worker_1
    # compose v2 (cmd/formatter/logs.go): "%-{longest+1}s | "; the only
    # service api-1 gives `api-1  | `; the brief also names `api-1 | `
    "compose-v2": (const(COMPOSE_V2), "api-1", False),
    "compose-v2-narrow": (const("api-1 | "), "api-1", False),
    # compose v2 --timestamps: prefix, RFC3339NanoFixed, space
    "compose-v2-timestamps": (prefixed(lambda ts: (COMPOSE_V2 + ts + " ").encode(),
                                       lambda ns: fixed(ns, 9)), "api-1", True),
    # kubectl logs --prefix: "[pod/NAME/CONTAINER] "
    "kubectl-prefix": (const("[pod/web-7d4b9c-xk2p/app] "), "pod/web-7d4b9c-xk2p/app", False),
    # kubectl logs --timestamps: kubelet writes RFC3339NanoFixed + ' '
    "kubectl-timestamps": (prefixed(lambda ts: ts.encode() + b" ", lambda ns: fixed(ns, 9)), None, True),
    "kubectl-prefix-timestamps": (prefixed(lambda ts: b"[pod/web-7d4b9c-xk2p/app] " + ts.encode() + b" ",
                                           lambda ns: fixed(ns, 9)), "pod/web-7d4b9c-xk2p/app", True),
    # stern's default template `{{color .PodColor .PodName}} {{color
    # .ContainerColor .ContainerName}} {{.Message}}`, --color never
    "stern": (const("web-7d4b9c-xk2p app "), "web-7d4b9c-xk2p app", False),
    "docker-json-file": (docker_json_file(), "stderr", True),
    "docker-json-file-stdout": (docker_json_file("stdout"), "stdout", True),
    "cri-containerd": (cri(), "stderr", True),
    "cri-partial-40": (cri(split=40), "stderr", True),
    "cri-o": (cri(timefmt=lambda ns: fixed(ns, 9, "+00:00")), "stderr", True),
    "buildkit-plain": (buildkit(), ANY, False),
    "buildkit-plain-summary": (buildkit(summary=True), ANY, False),
    "github-actions": (github_actions(), None, True),
    "gitlab-timestamps": (gitlab(), ANY, True),
    # journalctl -o short-precise: no year, so no time
    "journalctl-short-precise": (prefixed(lambda ts: (ts + " web-1 myapp[4242]: ").encode(),
                                          journal_time), ANY, False),
    "runner-time": (prefixed(lambda ts: ("[" + ts[11:19] + "] ").encode(),
                             lambda ns: fixed(ns, 0, "")), None, False),
    "indent-2": (blank_stripped("  "), None, False),
    "indent-4": (blank_stripped("    "), None, False),
    "pipe-quote": (blank_stripped("| "), None, False),
    "markdown-quote": (blank_stripped("> "), None, False),
}
for _n in ("compose-v2", "docker-json-file", "cri-partial-40", "github-actions",
           "gitlab-timestamps"):
    _w, _s, _t = ENVELOPES[_n]
    ENVELOPES["midstream-" + _n] = (midstream(_w), _s, _t)

# Two streams, line by line (handled by their own tasks below)
INTERLEAVED = ("interleaved-compose", "interleaved-kubectl-2pods")
LONG_LINE = ("docker-json-file-16k", "cri-containerd-16k")


def postgres_lines(n, clock):
    r = random.Random(11)
    msgs = ["LOG:  checkpoint starting: time",
            "LOG:  checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 0 recycled; write=0.302 s, sync=0.004 s, total=0.318 s; sync files=2, longest=0.003 s, average=0.002 s; distance=9 kB, estimate=9 kB; lsn=0/1A2B3C8, redo lsn=0/1A2B390",
            "LOG:  database system is ready to accept connections",
            "LOG:  automatic vacuum of table \"app.public.sessions\": index scans: 1",
            "LOG:  connection received: host=172.18.0.3 port=51234",
            "LOG:  connection authorized: user=app database=app application_name=api"]
    out = []
    for i in range(n):
        d, frac = utc_split(clock.tick())
        out.append(("%s.%03d UTC [%d] %s" % (d.strftime("%Y-%m-%d %H:%M:%S"), frac // 10**6,
                                             r.choice((1, 27, 64, 65)), r.choice(msgs))).encode())
    return out


# ---------------------------------------------------------------------------
def read_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    return lines


RUNS = [0, 0.0]         # goerrfilt runs and their wall time, per worker


def run_filter(binary, path):
    t0 = time.monotonic()
    p = subprocess.run([binary, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    RUNS[0] += 1
    RUNS[1] += time.monotonic() - t0
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr.decode(errors="replace").strip()[:200])
    evs = []
    for l in p.stdout.splitlines():
        if l.strip():
            try:
                evs.append(json.loads(l))
            except ValueError as e:
                return None, "bad JSON output: %s" % e
    return evs, None


def key(ev):
    d = {f: ev.get(f) for f in FIELDS}
    if isinstance(d["stack"], list):
        d["stack"] = [fr.get("func") if isinstance(fr, dict) else fr for fr in d["stack"]]
    return d


def short(v, n=90):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[:n] + "..."


def compare(fixture, bare, got):
    """The first difference between the bare and the wrapped events, or
    None."""
    if len(bare) != len(got):
        return "%s: %d events bare, %d wrapped (first wrapped: %s)" % (
            fixture, len(bare), len(got), short(key(got[0]) if got else None, 160))
    for i, (a, b) in enumerate(zip(bare, got)):
        ka, kb = key(a), key(b)
        for f in FIELDS:
            if ka[f] != kb[f]:
                return "%s: event %d %s: bare %s, wrapped %s" % (fixture, i + 1, f, short(ka[f]), short(kb[f]))
    return None


def check_meta(fixture, bare, got, field, want_of):
    """stream/time: want_of(bare_event) gives the wanted value, None for
    absent.  Fails when there is no wrapped event to carry it; a fixture
    that gives no event bare (a PrintStack that is no failure) has nothing
    to carry, and the event comparison says whether wrapped gave none."""
    if not bare:
        return None
    if not got:
        return "%s: no wrapped event to carry %s" % (fixture, field)
    for i, (a, b) in enumerate(zip(bare, got)):
        w = want_of(a)
        if b.get(field) != w:
            return "%s: event %d %s: want %s, got %s" % (fixture, i + 1, field, short(w), short(b.get(field)))
    return None


# ---------------------------------------------------------------------------
TMP = None
BIN = None
LABELS = {}


def write_synthetic(name, fixture, records):
    path = os.path.join(TMP, "synthetic-%s--%s" % (name, re.sub(r"[^A-Za-z0-9.+-]+", "_", fixture)[:150]))
    with open(path, "wb") as f:
        f.write(b"\n".join(records) + b"\n")
    return path


def wrapped_events(name, label, recs):
    """The events of the synthetic wrapped copy recs, and an error text."""
    path = write_synthetic(name, label, recs)
    got, err = run_filter(BIN, path)
    os.unlink(path)
    return got, err


def task_bare(path):
    r = path, run_filter(BIN, path)
    return r, runs_taken()


def runs_taken():
    r = tuple(RUNS)
    RUNS[0], RUNS[1] = 0, 0.0
    return r


def task_wrap(args):
    """One envelope on one fixture (or a pair for the 2-pod case): returns
    (name, label, events diff, stream diff, time diff); a diff is None when
    that check passes, ANY when it is not asserted."""
    name, fixtures, bare = args
    label = " + ".join(LABELS.get(f) or os.path.relpath(f, ROOT) for f in fixtures)
    clock = Clock()
    if name == "interleaved-compose":
        lines = read_lines(fixtures[0])
        db = postgres_lines(len(lines), Clock(BASE_NS + 7))
        recs = []
        for a, b in zip(lines, db):
            recs.append(b"api-1  | " + a)
            recs.append(b"db-1   | " + b)
        got, err = wrapped_events(name, label, recs)
        if err:
            return name, label, "%s: %s" % (label, err), ANY, ANY
        ev = compare(label, bare[0], got)
        st = check_meta(label, bare[0], got, "stream", lambda e: "api-1")
        tm = check_meta(label, bare[0], got, "time", lambda e: e.get("time"))
        return name, label, ev, st, tm
    if name == "interleaved-kubectl-2pods":
        pods = ("pod/web-7d4b9c-xk2p/app", "pod/web-7d4b9c-m4n8w/app")
        la, lb = read_lines(fixtures[0]), read_lines(fixtures[1])
        recs = []
        for i in range(max(len(la), len(lb))):
            if i < len(la):
                recs.append(("[%s] " % pods[0]).encode() + la[i])
            if i < len(lb):
                recs.append(("[%s] " % pods[1]).encode() + lb[i])
        got, err = wrapped_events(name, label, recs)
        if err:
            return name, label, "%s: %s" % (label, err), ANY, ANY
        by = {}
        for e in got:
            by.setdefault(e.get("stream"), []).append(e)
        evd = std = tmd = None
        for k, pod in enumerate(pods):
            mine = by.get(pod, [])
            lab = "%s [%s]" % (os.path.relpath(fixtures[k], ROOT), pod)
            evd = evd or compare(lab, bare[k], mine)
            std = std or check_meta(lab, bare[k], mine, "stream", lambda e, p=pod: p)
            tmd = tmd or check_meta(lab, bare[k], mine, "time", lambda e: e.get("time"))
        if evd and None in by:
            evd += " (%d events without stream)" % len(by[None])
        return name, label, evd, std, tmd
    if name in LONG_LINE:
        writer = docker_json_file() if name.startswith("docker") else cri(split=DOCKER_BUF)
        want_stream, want_time = "stderr", True
    else:
        writer, want_stream, want_time = ENVELOPES[name]
    lines = read_lines(fixtures[0])
    recs, times = writer(lines, clock)
    got, err = wrapped_events(name, label, recs)
    if err:
        return name, label, "%s: %s" % (label, err), ANY, ANY
    ev = compare(label, bare[0], got)
    st = ANY if want_stream is ANY else check_meta(label, bare[0], got, "stream", lambda e: want_stream)

    def want_t(e):
        # Without the envelope's time, a JSON log record's own time.
        if not want_time:
            return e.get("time")
        ln = e.get("lines", [0])[0]
        return times[ln - 1] if 1 <= ln <= len(times) else "(bare line %s)" % ln
    tm = check_meta(label, bare[0], got, "time", want_t)
    return name, label, ev, st, tm


def task_wrap_timed(args):
    return task_wrap(args), runs_taken()


def long_line_sample(tmp):
    """Real Go output with a line over 16 KiB: a program that panics with a
    40,000-byte message, built and run here with a local Go toolchain.
    Returns the log's path, or None and why not."""
    gos = sorted(glob.glob("/usr/lib/go-1.2*/bin/go"))
    go = os.environ.get("GO") or (gos[0] if gos else shutil.which("go"))
    if not go:
        return None, "no Go toolchain (set GO=)"
    d = os.path.join(tmp, "longline")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "go.mod"), "w") as f:
        f.write("module example.com/longline\n\ngo 1.23\n")
    with open(os.path.join(d, "main.go"), "w") as f:
        f.write('package main\n\nimport "strings"\n\n'
                'type batch struct{ ids []string }\n\n'
                'func (b *batch) flush() {\n'
                '\tpanic("batch rejected: ids=" + strings.Join(b.ids, ","))\n}\n\n'
                'func main() {\n\tb := &batch{}\n'
                '\tfor i := 0; i < 5000; i++ {\n\t\tb.ids = append(b.ids, "id-"+strings.Repeat("x", 3))\n\t}\n'
                '\tb.flush()\n}\n')
    env = dict(PATH="%s:/usr/bin:/bin" % os.path.dirname(go), HOME=d,
               GOCACHE=os.path.join(tmp, "gocache"), GOPATH=os.path.join(tmp, "gopath"),
               GOTOOLCHAIN="local", GOFLAGS="", GOPROXY="off", GOENV="off")
    b = subprocess.run([go, "build", "-o", "longline", "."], cwd=d, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if b.returncode != 0:
        return None, "go build failed: " + b.stdout.decode(errors="replace")[:300]
    log = os.path.join(tmp, "longline.log")
    with open(log, "wb") as f:
        subprocess.run(["./longline"], cwd=d, env=env, stdout=f, stderr=subprocess.STDOUT)
    if max(len(l) for l in read_lines(log)) <= DOCKER_BUF:
        return None, "the long-line program's output has no line over 16 KiB"
    return log, None


def expectations(name):
    """(stream: a value, True for 'its own per pod', None for absent, or
    ANY; time expected?)"""
    if name in ENVELOPES:
        return ENVELOPES[name][1], ENVELOPES[name][2]
    if name == "interleaved-compose":
        return "api-1", False
    if name == "interleaved-kubectl-2pods":
        return True, False
    return "stderr", True  # LONG_LINE


def fixture_list():
    pats = ["fixtures/build/*.log", "fixtures/crash/*.log", "fixtures/crash-go1.26/*.log",
            "fixtures/crash-go1.27/*.log", "fixtures/cases/*.log"]
    fs = []
    for p in pats:
        fs += sorted(glob.glob(os.path.join(ROOT, p)))
    fs += sorted(glob.glob(os.path.join(ROOT, "fixtures/app/**/*.log"), recursive=True))
    return fs


def init(binary, tmp, labels):
    global BIN, TMP
    BIN, TMP = binary, tmp
    LABELS.update(labels)


def wrap_file(name, src, dst):
    """--wrap NAME IN OUT: IN wrapped in a per-line envelope (the bench's
    corpora), streamed in batches of lines with one clock."""
    writer = ENVELOPES[name][0]
    clock = Clock()
    with open(src, "rb") as f, open(dst, "wb") as out:
        rest = b""
        while True:
            chunk = f.read(8 << 20)
            if not chunk:
                break
            lines = (rest + chunk).split(b"\n")
            rest = lines.pop()
            recs, _ = writer(lines, clock)
            out.write(b"\n".join(recs) + b"\n")
        if rest:
            recs, _ = writer([rest], clock)
            out.write(b"\n".join(recs) + b"\n")
    return 0


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--wrap":
        if sys.argv[2] not in ENVELOPES or sys.argv[2].startswith(("midstream-", "github", "gitlab", "buildkit")):
            print("envelopes.py: --wrap takes a per-line envelope", file=sys.stderr)
            return 2
        return wrap_file(*sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "goerrfilt"))
    ap.add_argument("--results")
    ap.add_argument("--only", help="comma-separated envelope names")
    ap.add_argument("-j", type=int, default=2)
    ap.add_argument("--every", type=int, default=1,
                    help="only every Nth fixture (the sanitizer build's run)")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        print("envelopes.py: no binary %s" % binary, file=sys.stderr)
        return 2
    names = list(ENVELOPES) + list(INTERLEAVED) + list(LONG_LINE)
    if a.only:
        want = a.only.split(",")
        bad = [n for n in want if n not in names]
        if bad:
            print("envelopes.py: unknown envelope %s" % ",".join(bad), file=sys.stderr)
            return 2
        names = [n for n in names if n in want]
    tmp = tempfile.mkdtemp(prefix="goerrfilt-envelopes.")
    t_start = time.monotonic()
    try:
        fixtures = fixture_list()[::max(a.every, 1)]
        long_note = None
        if any(n in LONG_LINE for n in names):
            ll, long_note = long_line_sample(tmp)
        else:
            ll = None
        labels = {ll: "longline.log (real Go output of a program built here)"} if ll else {}
        with Pool(a.j, initializer=init, initargs=(binary, tmp, labels)) as pool:
            bare = {}
            inputs = fixtures + ([ll] if ll else [])
            nrun, trun = 0, 0.0
            for (path, (evs, err)), (k, t) in pool.imap_unordered(task_bare, inputs):
                nrun, trun = nrun + k, trun + t
                if err:
                    print("envelopes.py: bare %s: %s" % (path, err), file=sys.stderr)
                    return 2
                bare[path] = evs
            tasks = []
            for n in names:
                if n in LONG_LINE:
                    if ll:
                        tasks.append((n, (ll,), (bare[ll],)))
                elif n == "interleaved-kubectl-2pods":
                    for i, f in enumerate(fixtures):
                        g = fixtures[(i + 1) % len(fixtures)]
                        tasks.append((n, (f, g), (bare[f], bare[g])))
                else:
                    tasks.extend((n, (f,), (bare[f],)) for f in fixtures)
            # big inputs first, so the pool's two workers finish together
            tasks.sort(key=lambda t: -sum(os.path.getsize(f) for f in t[1]))
            res = {n: [] for n in names}
            for r, (k, t) in pool.imap_unordered(task_wrap_timed, tasks, chunksize=4):
                nrun, trun = nrun + k, trun + t
                res[r[0]].append(r)
        failed = False
        out = []
        for n in names:
            rs = sorted(res[n], key=lambda r: r[1])
            if n in LONG_LINE and not rs:
                out.append(("FAIL", "envelope %s: 0/1 fixtures give the bare events" % n,
                            [long_note or "no long-line sample"]))
                failed = True
                continue
            st, tm = expectations(n)
            checks = [("", 2, "give the bare events")]
            if st is not ANY:
                checks.append((" stream", 3, "carry the envelope's stream" if st
                               else "carry no stream (the envelope names none)"))
            checks.append((" time", 4, "carry the collector's time of the event's first line" if tm
                           else "carry no time but a log record's own (the envelope writes no full date)"))
            for suffix, idx, what in checks:
                diffs = [r[idx] for r in rs if r[idx] is not None and r[idx] is not ANY]
                nn = len([r for r in rs if r[idx] is not ANY])
                p = nn - len(diffs)
                line = "envelope %s%s: %d/%d fixtures %s" % (n, suffix, p, nn, what)
                ok = p == nn and nn > 0
                failed |= not ok
                out.append(("PASS" if ok else "FAIL", line, diffs[:NDIFF]))
        for status, line, diffs in out:
            print(line)
            for d in diffs:
                print("    " + d)
        print("envelopes.py: %d goerrfilt runs, %.1f s of them, %.1f s wall with %d workers"
              % (nrun, trun, time.monotonic() - t_start, a.j))
        if a.results:
            with open(a.results, "w") as f:
                for status, line, diffs in out:
                    f.write("%s\t%s\t%s\n" % (status, line, (diffs[0] if diffs else "").replace("\t", " ").replace("\n", " ")))
        return 1 if failed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
