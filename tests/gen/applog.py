#!/usr/bin/python3
"""A synthetic application log with real Go crashes inserted.

  applog.py OUT.log MANIFEST.json [MB]

Writes MB megabytes (50 by default) of ordinary service logs, seeded so
every run writes the same bytes: Go's log package (with and without
microseconds and Lshortfile), slog text and JSON, zap production JSON,
logrus text and JSON, and combined access logs.  Many lines mention panics,
errors, goroutines and file positions the way services write them, and are
no crashes.  Every few megabytes a real crash from fixtures/crash or a
service's real output from fixtures/app (bare, as a program's stderr lands
in its log) is inserted; MANIFEST lists each one's
first line and fixture.  The log lines are synthetic; the crashes are real.
"""
import glob
import json
import random
import sys

MSGS = [
    "request served", "cache miss", "retrying upstream", "user logged in",
    "job finished", "connection reset by peer", "config reloaded",
]
NEG = [
    'level=ERROR msg="recovered from panic" err="runtime error: index out of range [3] with length 3"',
    'level=ERROR msg=request err="http: panic serving 10.0.0.1:5555: boom"',
    'level=WARN msg="goroutine 12 [running] is slow" took=5s',
    'level=INFO msg="fatal error: none, all good"',
    'level=ERROR msg="compile failed" out="main.go:12:34: undefined: x"',
    'level=INFO msg="test summary" line="--- FAIL: TestX (0.00s)"',
    'level=ERROR msg="panic: is only a word here"',
]


def std_log(r, t):
    ts = f"2026/12/02 07:{t // 60 % 60:02d}:{t % 60:02d}"
    if r.random() < 0.3:
        ts += f".{r.randrange(1000000):06d}"
    m = r.choice(MSGS)
    if r.random() < 0.3:
        m = f"{r.choice(['main.go', 'server.go', 'db.go'])}:{r.randrange(1, 400)}: {m}"
    if r.random() < 0.05:
        m = "panic: " + r.choice(["handler failed", "retry budget exhausted"])
    return f"{ts} {m}"


def slog_text(r, t):
    lv = r.choice(["INFO", "INFO", "WARN", "ERROR"])
    if r.random() < 0.1:
        return f"time=2026-12-02T07:34:{t % 60:02d}.{r.randrange(1000):03d}Z " + r.choice(NEG)
    return (f'time=2026-12-02T07:34:{t % 60:02d}.{r.randrange(1000):03d}Z level={lv} '
            f'msg="{r.choice(MSGS)}" id={r.randrange(10**6)} path=/api/v1/orders')


def slog_json(r, t):
    d = {"time": f"2026-12-02T07:34:{t % 60:02d}.{r.randrange(1000):03d}Z",
         "level": r.choice(["INFO", "ERROR"]), "msg": r.choice(MSGS + ["panic", "fatal error"])}
    if r.random() < 0.1:
        d["err"] = "runtime error: invalid memory address or nil pointer dereference"
    return json.dumps(d)


def zap(r, t):
    return json.dumps({"level": r.choice(["info", "error"]), "ts": 1733125460.123 + t,
                       "caller": f"api/handler.go:{r.randrange(1, 300)}",
                       "msg": r.choice(MSGS), "error": r.choice(["EOF", "panic: boom", "context canceled"])})


def logrus(r, t):
    if r.random() < 0.5:
        return (f'time="2026-12-02T07:34:{t % 60:02d}Z" level={r.choice(["info", "error"])} '
                f'msg="{r.choice(MSGS)}" component=worker')
    return json.dumps({"level": "error", "msg": "goroutine 7 [running]: worker stuck",
                       "time": f"2026-12-02T07:34:{t % 60:02d}Z"})


def access(r, t):
    return (f'10.0.{r.randrange(256)}.{r.randrange(256)} - - [02/Dec/2026:07:34:{t % 60:02d} +0000] '
            f'"GET /api/v1/orders/{r.randrange(10**5)} HTTP/1.1" {r.choice([200, 200, 404, 500])} '
            f'{r.randrange(10**4)} "-" "Go-http-client/1.1"')


GENS = [std_log, slog_text, slog_json, zap, logrus, access]


def main(argv):
    out, manifest = argv[1], argv[2]
    mb = int(argv[3]) if len(argv) > 3 else 50
    r = random.Random(1202)
    # Go 1.27 captures of services: net/http's recovered panics, recovery
    # handlers logging debug.Stack() in slog records, a plain PrintStack
    # that is no failure.
    crashes = sorted(f for f in glob.glob("fixtures/crash/*.log")
                     if "goroutines-10k" not in f) + \
        sorted(glob.glob("fixtures/app/*-go1.27.log"))
    target = mb * 1000 * 1000
    every = target // (len(crashes) + 1)
    size = line = t = 0
    inserted = []
    ci = 0
    with open(out, "w", encoding="utf-8", errors="surrogateescape") as o:
        while size < target:
            l = r.choice(GENS)(r, t) + "\n"
            t += 1
            o.write(l)
            size += len(l)
            line += 1
            if ci < len(crashes) and size >= every * (ci + 1):
                text = open(crashes[ci], encoding="utf-8", errors="surrogateescape").read()
                if not text.endswith("\n"):
                    text += "\n"
                inserted.append({"fixture": crashes[ci], "line": line + 1})
                o.write(text)
                size += len(text)
                line += text.count("\n")
                ci += 1
    with open(manifest, "w") as m:
        json.dump(inserted, m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
