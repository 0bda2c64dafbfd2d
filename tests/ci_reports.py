#!/usr/bin/env python3
"""Checks of the CI report formats against the JSON Lines events of the same
input (tests/ci_reports.sh runs them; stdlib only).

    ci_reports.py junit REPORT.xml EVENTS.jsonl
    ci_reports.py rdjsonl REPORT.rdjsonl EVENTS.jsonl WORKSPACE
    ci_reports.py gitlab REPORT.json EVENTS.jsonl WORKSPACE
    ci_reports.py samefp A.json B.json

Exits 1 with one line per problem (the first 20) when a check fails.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

problems = []


def bad(msg):
    problems.append(msg)


def events(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_name(e):
    # The writers' rule: the test field; a test failure written before the
    # field existed names its test in func.
    if "test" in e:
        return e["test"]
    if e.get("class") == "test_failure":
        return e.get("func")
    return None


def rel(path, ws):
    ws = ws.rstrip("/")
    if path.startswith(ws + "/"):
        path = path[len(ws) + 1:]
    while path.startswith("./"):
        path = path[2:]
    return path


def junit(report, evpath):
    evs = events(evpath)
    root = ET.parse(report).getroot()
    if root.tag != "testsuites":
        bad("root is <%s>, not <testsuites>" % root.tag)
        return
    pkgs = []
    for e in evs:
        p = e.get("pkg") or "(no package)"
        if p not in pkgs:
            pkgs.append(p)
    suites = root.findall("testsuite")
    names = [s.get("name") for s in suites]
    # The packages of events first, then those where tests only passed.
    if names[:len(pkgs)] != pkgs or len(set(names)) != len(names):
        bad("suites %r, want one per package %r" % (names, pkgs))
    tot = {"tests": 0, "failures": 0, "errors": 0}
    by_pkg = {}
    for i, s in enumerate(suites):
        name = s.get("name")
        if s.get("id") != str(i) or s.get("package") != name:
            bad("suite %s: id %s package %s" % (name, s.get("id"), s.get("package")))
        cases = s.findall("testcase")
        nf = ne = ns = 0
        t = 0.0
        for c in cases:
            kids = [k.tag for k in c]
            if c.get("classname") != name:
                bad("%s/%s: classname %s" % (name, c.get("name"), c.get("classname")))
            if kids in ([], ["skipped"]):
                # A passed or skipped test, which no event is.
                ns += kids == ["skipped"]
                t += float(c.get("time"))
                continue
            if len(kids) != 1 or kids[0] not in ("failure", "error"):
                bad("%s/%s: %r, want one failure or error" % (name, c.get("name"), kids))
                continue
            if c.get("classname") != name:
                bad("%s/%s: classname %s" % (name, c.get("name"), c.get("classname")))
            el = c.find(kids[0])
            if not el.get("type"):
                bad("%s/%s: no type" % (name, c.get("name")))
            nf += kids[0] == "failure"
            ne += kids[0] == "error"
            t += float(c.get("time"))
        want = {"tests": len(cases), "failures": nf, "errors": ne, "skipped": ns}
        got = {k: int(s.get(k)) for k in want}
        if got != want:
            bad("suite %s: counts %r, its cases say %r" % (name, got, want))
        if abs(float(s.get("time")) - t) > 0.0005 * (len(cases) + 1):
            bad("suite %s: time %s, its cases sum to %.3f" % (name, s.get("time"), t))
        for k in tot:
            tot[k] += got[k]
        # A test is one testcase: failed, passed or skipped.
        tests = [c.get("name") for c in cases]
        if len(set(tests)) != len(tests):
            bad("suite %s: a testcase twice in %r" % (name, tests))
        by_pkg[name] = cases
    got = {k: int(root.get(k)) for k in tot}
    if got != tot:
        bad("testsuites counts %r, the suites sum to %r" % (got, tot))
    # Every event is in its package's suite: a test's as a failure of that
    # test, every other as an error of its kind.
    for e in evs:
        cases = by_pkg.get(e.get("pkg") or "(no package)", [])
        tn = test_name(e)
        if tn is not None:
            hit = [c for c in cases if c.get("name") == tn and c.find("failure") is not None]
            if not hit or e.get("msg", "") not in (hit[0].find("failure").text or ""):
                bad("event %d: no failure of %s holding its message" % (e["seq"], tn))
        else:
            hit = [c for c in cases if c.find("error") is not None and
                   c.find("error").get("type") == e["kind"] and
                   e.get("msg", "") in (c.find("error").text or "")]
            if not hit:
                bad("event %d (%s): no error case of its kind" % (e["seq"], e["kind"]))
            elif e["class"] == "compile_error" and not hit[0].get("name").startswith("build: "):
                bad("event %d: build error named %s" % (e["seq"], hit[0].get("name")))


RD_KEYS = {"message", "location", "severity", "source", "code", "suggestions",
           "original_output"}


def rdjsonl(report, evpath, ws):
    evs = events(evpath)
    with open(report, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines[-1] != "":
        bad("the last line has no newline")
    lines = lines[:-1]
    if len(lines) != len(evs):
        bad("%d diagnostics for %d events" % (len(lines), len(evs)))
    for n, (line, e) in enumerate(zip(lines, evs), 1):
        try:
            d = json.loads(line)
        except ValueError as x:
            bad("line %d: %s" % (n, x))
            continue
        if not isinstance(d, dict):
            bad("line %d: not an object" % n)
            continue
        if set(d) - RD_KEYS:
            bad("line %d: keys %r are not reviewdog's" % (n, sorted(set(d) - RD_KEYS)))
        if not isinstance(d.get("message"), str) or e.get("msg", "") not in d["message"]:
            bad("line %d: message %r" % (n, d.get("message")))
        if d.get("severity") not in ("ERROR", "WARNING", "INFO"):
            bad("line %d: severity %r" % (n, d.get("severity")))
        if d.get("source") != {"name": "goerrfilt"}:
            bad("line %d: source %r" % (n, d.get("source")))
        if d.get("code", {}).get("value") != e["kind"]:
            bad("line %d: code %r, kind %s" % (n, d.get("code"), e["kind"]))
        if e.get("msg", "") not in d.get("original_output", ""):
            bad("line %d: original_output lacks the message" % n)
        if "file" not in e:
            if "location" in d:
                bad("line %d: a location for an event without a file" % n)
            continue
        loc = d.get("location", {})
        if loc.get("path") != rel(e["file"], ws) or loc["path"].startswith(ws + "/"):
            bad("line %d: path %r for %s" % (n, loc.get("path"), e["file"]))
        start = loc.get("range", {}).get("start", {})
        if start.get("line") != e.get("line") or start.get("column") != e.get("col"):
            bad("line %d: start %r for line %s col %s" % (n, start, e.get("line"), e.get("col")))


GL_SEVERITY = {"info", "minor", "major", "critical", "blocker"}


def gitlab(report, evpath, ws):
    evs = events(evpath)
    with open(report, encoding="utf-8") as f:
        a = json.load(f)
    if not isinstance(a, list):
        bad("not a JSON array")
        return
    fps = [x.get("fingerprint") for x in a]
    if len(set(fps)) != len(fps):
        bad("fingerprints repeat: %r" % sorted(f for f in set(fps) if fps.count(f) > 1))
    count = 0
    for i, x in enumerate(a):
        for k, t in (("description", str), ("check_name", str), ("fingerprint", str),
                     ("severity", str), ("location", dict)):
            if not isinstance(x.get(k), t) or not x.get(k):
                bad("issue %d: %s is %r" % (i, k, x.get(k)))
        if x.get("severity") not in GL_SEVERITY:
            bad("issue %d: severity %r" % (i, x.get("severity")))
        loc = x.get("location", {})
        path = loc.get("path")
        if not isinstance(path, str) or not path or path.startswith(ws.rstrip("/") + "/"):
            bad("issue %d: path %r" % (i, path))
        begin = loc.get("lines", {}).get("begin")
        if not isinstance(begin, int) or begin < 1:
            bad("issue %d: lines.begin %r" % (i, begin))
        m = re.search(r" \((\d+) times[;)]", x.get("description", ""))
        count += int(m.group(1)) if m else 1
    if count != len(evs):
        bad("the issues count %d events, the input has %d" % (count, len(evs)))


def samefp(a_path, b_path):
    with open(a_path, encoding="utf-8") as f:
        a = json.load(f)
    with open(b_path, encoding="utf-8") as f:
        b = json.load(f)
    fa = [x["fingerprint"] for x in a]
    fb = [x["fingerprint"] for x in b]
    if not fa or fa != fb:
        bad("fingerprints differ:\n  %r\n  %r" % (fa, fb))
    la = [(x["location"]["path"], x["location"]["lines"]["begin"]) for x in a]
    lb = [(x["location"]["path"], x["location"]["lines"]["begin"]) for x in b]
    if la == lb:
        bad("the copy changed no location; the check proves nothing")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"junit": junit, "rdjsonl": rdjsonl, "gitlab": gitlab, "samefp": samefp}[cmd](*args)
    for p in problems[:20]:
        print(p)
    if len(problems) > 20:
        print("... %d more" % (len(problems) - 20))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
