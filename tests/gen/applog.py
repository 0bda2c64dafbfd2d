#!/usr/bin/python3
"""applog.py: the application-log false-positive corpus.

  applog.py gen [--mb 50] [--seed 1] [--crashes 40] [--bin ./goerrfilt]
                -o OUT.log -m MANIFEST.json
  applog.py check MANIFEST.json EVENTS.jsonl

gen writes a deterministic (seeded) SYNTHETIC log of ordinary application
output -- Go's log package (with and without microseconds, with Lshortfile),
log/slog text and JSON, zap production JSON, logrus text and JSON, nginx and
Apache combined access logs -- full of lines that mention panics, fatal
errors, goroutines, file:line:col positions, --- FAIL and races inside
quoted fields, JSON strings and prose: none of them is Go failure output.
Into it go K REAL crashes, each a fixture of fixtures/crash/ or
fixtures/crash-go1.2*/ copied bare (as a crashing program's stderr lands in
its log), at known lines.  The manifest lists, per expected event, the line
where it starts in OUT.log and the class, kind and fingerprint that
goerrfilt gives on the bare fixture (run with --bin).

check compares goerrfilt's events on OUT.log with the manifest: as many
events as expected, each starting on its crash's first line with the same
class, kind and fingerprint, and none anywhere else (the false ones are
printed).  Exit 0 when all hold.
"""
import argparse
import glob
import json
import os
import random
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EPOCH = 1796196860  # 2026-12-02T07:34:20Z

WORDS = ("user order invoice session cart payment token upstream cache queue "
         "worker shard lease replica tenant webhook batch export report "
         "profile search index message topic partition").split()
PATHS = ["/api/v1/orders", "/api/v1/users/42", "/healthz", "/metrics", "/login",
         "/api/v1/cart/items", "/static/app.3f9a1c.js", "/debug/pprof/goroutine?debug=2",
         "/api/v1/panic-test", "/admin/fatal-errors", "/api/v1/search?q=goroutine+12",
         "/favicon.ico", "/api/v2/reports/export.csv"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
          "curl/8.5.0", "Go-http-client/1.1", "kube-probe/1.30",
          "Prometheus/2.53.0", "python-requests/2.32.3"]
FILES = ["main.go", "handler.go", "server.go", "store.go", "worker.go", "client.go"]
PKGS = ["api", "store", "worker", "internal/auth", "cmd/server"]
ERRS = ["context deadline exceeded", "connection reset by peer",
        "dial tcp 10.0.3.7:5432: connect: connection refused", "EOF",
        "sql: no rows in result set", "unexpected status 503",
        "x509: certificate has expired or is not yet valid",
        "invalid character '<' looking for beginning of value"]

# Hard negatives: ordinary log messages about failures.  Each is a message
# text; the writers below put it into their own format (quoted, escaped).
HARD = [
    ("recovered from panic", {"err": "runtime error: index out of range [5] with length 3"}),
    ("request failed", {"err": "http: panic serving 10.0.0.1:5555: boom"}),
    ("panic", {"error": "runtime error: invalid memory address or nil pointer dereference"}),
    ("worker restarted after a fatal error in the upstream service", {}),
    ("lint output: main.go:12:34: undefined: handlerFunc", {"source": "ci"}),
    ("job output: --- FAIL: TestLogin (0.01s)", {"job": "nightly"}),
    ("dump requested: goroutine 12 [running] was holding the lock", {}),
    ("child exited", {"err": "exit status 2"}),
    ("received signal SIGSEGV from plugin, restarting it", {"plugin": "resize"}),
    ("race detector report attached: WARNING: DATA RACE", {"ticket": "OPS-1182"}),
    ("test summary: FAIL\texample.com/api\t0.012s", {}),
    ("panic: runtime error: slice bounds out of range [:7] with capacity 4 [recovered]", {"handler": "/api/v1/orders"}),
    ("fatal error: all goroutines are asleep - deadlock! (seen in canary, ticket OPS-77)", {}),
    ("stack", {"stack": "goroutine 7 [running]:\nmain.handler(0xc000010000)\n\t/app/main.go:42 +0x1d\ncreated by main.main in goroutine 1\n\t/app/main.go:20 +0x4f"}),
    ("build step failed", {"output": "./main.go:7:2: undefined: Foo"}),
    ("compile warning forwarded", {"msg2": "# example.com/api\n./api.go:3:8: \"os\" imported and not used"}),
]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t = float(EPOCH)

    def tick(self):
        self.t += self.r.random() * 0.05
        return self.t

    def kv_quote(self, v):
        # slog / logfmt quoting: quote when a space, '=' or '"' is inside
        if v and not any(c in v for c in ' ="\n\t\\'):
            return v
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'

    def message(self):
        r = self.r
        if r.random() < 0.3:
            return HARD[r.randrange(len(HARD))]
        k = r.randrange(6)
        w = r.choice(WORDS)
        if k == 0:
            return ("%s %d processed" % (w, r.randrange(1, 99999)), {"duration": "%dms" % r.randrange(1, 900)})
        if k == 1:
            return ("failed to load %s" % w, {"err": r.choice(ERRS), "attempt": str(r.randrange(1, 6))})
        if k == 2:
            return ("listening", {"addr": ":%d" % r.choice((8080, 9090, 443))})
        if k == 3:
            return ("cache miss", {"key": "%s:%x" % (w, r.getrandbits(40))})
        if k == 4:
            return ("retrying %s" % w, {"backoff": "%.1fs" % (r.random() * 5), "err": r.choice(ERRS)})
        return ("%s updated" % w, {"id": str(r.randrange(10**6)), "tenant": "t-%d" % r.randrange(40)})

    # --- formats ---------------------------------------------------------
    def stdlog(self, micro, short):
        # log.LstdFlags [| log.Lmicroseconds] [| log.Lshortfile]
        t = self.tick()
        s = self._strftime(t, "%Y/%m/%d %H:%M:%S")
        if micro:
            s += ".%06d" % int((t % 1) * 1e6)
        msg, kv = self.message()
        extra = "".join(" %s=%s" % (k, v) for k, v in kv.items())
        pre = " %s:%d: " % (self.r.choice(FILES), self.r.randrange(10, 400)) if short else " "
        return s + pre + (msg + extra).replace("\n", " | ")

    def _strftime(self, t, fmt):
        import time as _t
        return _t.strftime(fmt, _t.gmtime(t))

    def _rfc3339_ms(self, t):
        return self._strftime(t, "%Y-%m-%dT%H:%M:%S") + ".%03d+00:00" % int((t % 1) * 1000)

    def slog_text(self):
        t = self.tick()
        lvl = self.r.choice(("INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"))
        msg, kv = self.message()
        s = "time=%s level=%s msg=%s" % (self._rfc3339_ms(t), lvl, self.kv_quote(msg))
        for k, v in kv.items():
            s += " %s=%s" % (k, self.kv_quote(v))
        return s

    def slog_json(self):
        t = self.tick()
        lvl = self.r.choice(("INFO", "INFO", "WARN", "ERROR"))
        msg, kv = self.message()
        d = {"time": self._rfc3339_ms(t).replace("+00:00", "Z"), "level": lvl, "msg": msg}
        if self.r.random() < 0.3:
            d["source"] = {"function": "main.(*server).handle", "file": "/app/%s" % self.r.choice(FILES),
                           "line": self.r.randrange(10, 400)}
        d.update(kv)
        return json.dumps(d, separators=(",", ":"))

    def zap_json(self):
        t = self.tick()
        lvl = self.r.choice(("info", "info", "warn", "error"))
        msg, kv = self.message()
        d = {"level": lvl, "ts": round(t, 3),
             "caller": "%s/%s:%d" % (self.r.choice(PKGS), self.r.choice(FILES), self.r.randrange(10, 400)),
             "msg": msg}
        d.update(kv)
        if lvl == "error":
            d["error"] = d.get("error", self.r.choice(ERRS))
            d["stacktrace"] = ("main.(*handler).ServeHTTP\n\t/app/api/handler.go:88\n"
                               "net/http.serverHandler.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:3210\n"
                               "net/http.(*conn).serve\n\t/usr/local/go/src/net/http/server.go:2092")
        return json.dumps(d, separators=(",", ":"))

    def logrus_text(self):
        t = self.tick()
        lvl = self.r.choice(("info", "info", "warning", "error", "debug"))
        msg, kv = self.message()
        s = 'time="%s" level=%s msg=%s' % (self._strftime(t, "%Y-%m-%dT%H:%M:%SZ"), lvl, self.kv_quote(msg) if " " in msg or '"' in msg else msg)
        for k, v in sorted(kv.items()):
            s += " %s=%s" % (k, self.kv_quote(v))
        return s

    def logrus_json(self):
        t = self.tick()
        lvl = self.r.choice(("info", "warning", "error", "fatal"))
        msg, kv = self.message()
        d = dict(kv)
        d.update({"level": lvl, "msg": msg, "time": self._strftime(t, "%Y-%m-%dT%H:%M:%SZ")})
        return json.dumps(dict(sorted(d.items())), separators=(",", ":"))

    def access(self, apache):
        t = self.tick()
        r = self.r
        ip = "10.%d.%d.%d" % (r.randrange(256), r.randrange(256), r.randrange(1, 255))
        meth = r.choice(("GET", "GET", "GET", "POST", "PUT", "DELETE"))
        st = r.choice((200, 200, 200, 201, 204, 301, 304, 400, 404, 500, 502))
        ref = r.choice(('"-"', '"https://shop.example.com/cart"'))
        user = "-" if not apache else r.choice(("-", "alice"))
        return '%s - %s [%s] "%s %s HTTP/1.1" %d %d %s "%s"' % (
            ip, user, self._strftime(t, "%d/%b/%Y:%H:%M:%S +0000"), meth, r.choice(PATHS), st,
            r.randrange(0, 90000), ref, r.choice(AGENTS))

    def line(self, style):
        return {0: lambda: self.stdlog(False, False), 1: lambda: self.stdlog(True, False),
                2: lambda: self.stdlog(True, True), 3: lambda: self.stdlog(False, True),
                4: self.slog_text, 5: self.slog_json, 6: self.zap_json, 7: self.logrus_text,
                8: self.logrus_json, 9: lambda: self.access(False), 10: lambda: self.access(True)}[style]()


def crash_fixtures():
    fs = sorted(glob.glob(os.path.join(ROOT, "fixtures/crash/*.log")))
    fs += sorted(glob.glob(os.path.join(ROOT, "fixtures/crash-go1.2*/*.log")))
    # the 3.4 MB dump would be most of a crash budget on its own
    return [f for f in fs if os.path.basename(f) != "goroutines-10k.log"]


def bare_events(binary, path):
    p = subprocess.run([binary, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 1):
        raise SystemExit("applog.py: %s %s: exit %d %s" % (binary, path, p.returncode, p.stderr.decode(errors="replace")))
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]


def cmd_gen(a):
    g = Gen(a.seed)
    fixtures = crash_fixtures()
    binary = os.path.abspath(a.bin)
    bare = {f: bare_events(binary, f) for f in fixtures}
    target = int(a.mb * 1e6)
    # crash k goes in after roughly (k+1)/(K+1) of the bytes
    marks = [int(target * (k + 1) / (a.crashes + 1)) for k in range(a.crashes)]
    # a service's logging style holds for a stretch, then another service's
    # output follows: one style per block of 200-2000 lines
    manifest = {"synthetic": True, "seed": a.seed, "mb": a.mb, "crashes": [], "events": []}
    size = 0
    lineno = 0
    k = 0
    style = 0
    left = 0
    with open(a.o, "wb", buffering=1 << 20) as out:
        while size < target or k < len(marks):
            if k < len(marks) and size >= marks[k]:
                f = fixtures[k % len(fixtures)]
                data = open(f, "rb").read()
                if not data.endswith(b"\n"):
                    data += b"\n"
                start = lineno + 1
                rel = os.path.relpath(f, ROOT)
                manifest["crashes"].append({"fixture": rel, "line": start, "lines": data.count(b"\n")})
                for e in bare[f]:
                    manifest["events"].append({"fixture": rel, "line": start + e["lines"][0] - 1,
                                               "class": e.get("class"), "kind": e.get("kind"),
                                               "fingerprint": e.get("fingerprint")})
                out.write(data)
                size += len(data)
                lineno += data.count(b"\n")
                k += 1
                continue
            if left == 0:
                style = g.r.randrange(11)
                left = g.r.randrange(200, 2000)
            left -= 1
            b = g.line(style).encode() + b"\n"
            out.write(b)
            size += len(b)
            lineno += 1
    manifest["lines"] = lineno
    manifest["bytes"] = size
    with open(a.m, "w") as f:
        json.dump(manifest, f, indent=1)
    print("applog.py: %s: %.1f MB, %d lines, %d crashes (%d expected events)" % (
        a.o, size / 1e6, lineno, len(manifest["crashes"]), len(manifest["events"])))
    return 0


def cmd_check(a):
    man = json.load(open(a.manifest))
    want = man["events"]
    got = [json.loads(l) for l in open(a.events, encoding="utf-8") if l.strip()]
    bad = 0
    ranges = [(c["line"], c["line"] + c["lines"] - 1, c["fixture"]) for c in man["crashes"]]
    by_line = {}
    for w in want:
        by_line.setdefault(w["line"], []).append(w)
    false = []
    matched = 0
    for e in got:
        l0 = e.get("lines", [0])[0]
        ws = by_line.get(l0)
        if not ws:
            inside = [r for r in ranges if r[0] <= l0 <= r[1]]
            false.append((e, inside[0][2] if inside else None))
            continue
        w = ws.pop(0)
        if not ws:
            del by_line[l0]
        diffs = ["%s: want %s, got %s" % (k, w[k], e.get(k)) for k in ("class", "kind", "fingerprint")
                 if e.get(k) != w[k]]
        if diffs:
            bad += 1
            print("line %d (%s): %s" % (l0, w["fixture"], "; ".join(diffs)))
        else:
            matched += 1
    missing = [w for ws in by_line.values() for w in ws]
    print("applog check: %d events, %d expected, %d match, %d differ, %d missing, %d false"
          % (len(got), len(want), matched, bad, len(missing), len(false)))
    for w in sorted(missing, key=lambda w: w["line"])[:10]:
        print("missing: line %d: %s %s/%s" % (w["line"], w["fixture"], w["class"], w["kind"]))
    if false:
        rules = {}
        for e, _ in false:
            rules[e.get("rule")] = rules.get(e.get("rule"), 0) + 1
        print("false events by rule: " + ", ".join("%s %d" % kv for kv in sorted(rules.items(), key=lambda kv: -kv[1])))
    shown, per_rule = 0, {}
    for e, inside in false:
        n = per_rule.get(e.get("rule"), 0)
        if n >= 3 or shown >= 20:
            continue
        per_rule[e.get("rule")] = n + 1
        shown += 1
        where = ("inside crash %s" % inside) if inside else "in application log lines"
        print("false event (%s): lines %s %s/%s rule %s msg %s" % (
            where, e.get("lines"), e.get("class"), e.get("kind"), e.get("rule"), json.dumps(e.get("msg"))[:160]))
    return 0 if (len(got) == len(want) and matched == len(want)) else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--mb", type=float, default=50)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--crashes", type=int, default=40)
    g.add_argument("--bin", default=os.path.join(ROOT, "goerrfilt"))
    g.add_argument("-o", required=True)
    g.add_argument("-m", required=True)
    c = sub.add_parser("check")
    c.add_argument("manifest")
    c.add_argument("events")
    a = ap.parse_args()
    return cmd_gen(a) if a.cmd == "gen" else cmd_check(a)


if __name__ == "__main__":
    sys.exit(main())
