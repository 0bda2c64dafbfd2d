#!/usr/bin/env python3
"""Checks of -f github and -f markdown output for tests/ci_github.sh.

  annotations EVENTS OUT WORKSPACE [EVENTS_PATH]
      OUT (-f github) against what the events (--events JSON Lines of the
      same run) call for: one annotation per fingerprint, ranked, at most
      10 per severity, the title, the file relative to WORKSPACE (none
      outside it), and one final notice with the right counts.
  rows EVENTS MD
      the table has one row per fingerprint of the events, in rank order,
      with its kind and count.
  table MD
      every row of the Markdown table has as many unescaped | as the
      header, and nothing outside the table looks like a row.
"""
import json
import re
import sys

RANK = {c: 0 for c in ("compile_error", "ice", "link_error", "cgo_error",
                       "gocmd_error", "vet")}
RANK.update({c: 1 for c in ("panic", "fatal", "signal", "race")})
RANK["test_failure"] = 2
CAP = 10


def unescape(s):
    for a, b in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","),
                 ("%25", "%")):
        s = s.replace(a, b)
    return s


def parse(line):
    m = re.fullmatch(r"::(error|warning|notice)(?: ([^:]*))?::(.*)", line)
    if m is None:
        raise SystemExit("not a workflow command: %r" % line)
    props = {}
    if m.group(2):
        for kv in m.group(2).split(","):
            k, _, v = kv.partition("=")
            props[k] = unescape(v)
    return m.group(1), props, unescape(m.group(3))


def relpath(f, ws):
    if f is None:
        return None
    ws = ws.rstrip("/")
    if f.startswith(ws + "/"):
        f = f[len(ws) + 1:]
    while f.startswith("./"):
        f = f[2:]
    if f == "" or f[0] in "/$<":
        return None
    return f


def expected(events, ws):
    groups_ = groups(events)
    shown, more, moreev, out = {}, {}, {}, []
    for g in groups_:
        e = g["ev"]
        sev = "warning" if e.get("class") == "vet" else "error"
        if shown.get(sev, 0) == CAP:
            more[sev] = more.get(sev, 0) + 1
            moreev[sev] = moreev.get(sev, 0) + g["count"]
            continue
        shown[sev] = shown.get(sev, 0) + 1
        title = e.get("kind") or e.get("class")
        if e.get("test"):
            title += (" " if e.get("class") == "test_failure" else " in ") + e["test"]
        if e.get("pkg"):
            title += " (%s)" % e["pkg"]
        if g["count"] > 1:
            title += " (%d times)" % g["count"]
        props = {"title": title}
        f = relpath(e.get("file"), ws)
        if f is not None:
            props["file"] = f
            for k in ("line", "col"):
                if k in e:
                    props[k] = str(e[k])
        out.append((sev, props, e.get("msg", "")))
    return out, more, moreev


def annotations(evpath, outpath, ws, where=None):
    events = [json.loads(l) for l in open(evpath, encoding="utf-8")]
    lines = open(outpath, encoding="utf-8").read().split("\n")
    if lines[-1] != "":
        raise SystemExit("output does not end with a newline")
    got = [parse(l) for l in lines[:-1]]
    want, more, moreev = expected(events, ws)
    notices = [g for g in got if g[0] == "notice"]
    body = [g for g in got if g[0] != "notice"]
    if len(body) != len(want):
        raise SystemExit("%d annotations, want %d" % (len(body), len(want)))
    for (gs, gp, gm), (ws_, wp, wm) in zip(body, want):
        if gs != ws_ or gp != wp or not gm.startswith(wm):
            raise SystemExit("got  %s %s %r\nwant %s %s %r" % (gs, gp, gm[:80], ws_, wp, wm[:80]))
    for sev in ("error", "warning"):
        n = sum(1 for g in body if g[0] == sev)
        if n > CAP:
            raise SystemExit("%d %s annotations" % (n, sev))
    if not more:
        if notices:
            raise SystemExit("a notice without anything left out")
        print("%d annotations, nothing left out" % len(body))
        return
    if len(notices) != 1 or got[-1][0] != "notice":
        raise SystemExit("want exactly one notice, last; got %d" % len(notices))
    msg = notices[0][2]
    for sev, n in more.items():
        s = "%d more %s%s (%d event%s)" % (n, sev, "" if n == 1 else "s",
                                         moreev[sev], "" if moreev[sev] == 1 else "s")
        if s not in msg:
            raise SystemExit("notice %r lacks %r" % (msg, s))
    tail = ("full list: " + where) if where else "--events FILE"
    if tail not in msg:
        raise SystemExit("notice %r lacks %r" % (msg, tail))
    print("%d annotations; notice: %s" % (len(body), msg))


def groups(events):
    out, byfp = [], {}
    for e in events:
        fp = e.get("fingerprint")
        if fp is not None and fp in byfp:
            byfp[fp]["count"] += 1
            continue
        g = {"ev": e, "count": 1}
        out.append(g)
        if fp is not None:
            byfp[fp] = g
    out.sort(key=lambda g: RANK.get(g["ev"].get("class"), 3))
    return out


def rows(evpath, mdpath):
    events = [json.loads(l) for l in open(evpath, encoding="utf-8")]
    want = [(g["ev"].get("kind", ""), str(g["count"])) for g in groups(events)]
    got = []
    for l in open(mdpath, encoding="utf-8").read().split("\n")[4:]:
        if not l.startswith("| "):
            break
        cells = l.split(" | ")
        got.append((cells[0][2:].replace("\\_", "_"), cells[1]))
    if got != want:
        raise SystemExit("rows %s\nwant %s" % (got[:5], want[:5]))
    print("%d rows for %d events" % (len(got), len(events)))


def unescaped_pipes(row):
    n, i = 0, 0
    while i < len(row):
        if row[i] == "\\":
            i += 2
            continue
        n += row[i] == "|"
        i += 1
    return n


def table(mdpath):
    rows = [l for l in open(mdpath, encoding="utf-8").read().split("\n")
            if l.startswith("|")]
    if len(rows) < 3:
        raise SystemExit("no table")
    want = unescaped_pipes(rows[0])
    for r in rows:
        if unescaped_pipes(r) != want or not r.endswith(" |"):
            raise SystemExit("row breaks the table: %r" % r)
    print("%d rows of %d cells" % (len(rows) - 2, want - 1))


if __name__ == "__main__":
    if sys.argv[1] == "annotations":
        annotations(*sys.argv[2:])
    elif sys.argv[1] == "rows":
        rows(*sys.argv[2:])
    elif sys.argv[1] == "table":
        table(sys.argv[2])
    else:
        raise SystemExit("usage: ci_github.py annotations|table ...")
