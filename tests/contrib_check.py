#!/usr/bin/env python3
"""Helpers for tests/contrib.sh.

  feed SRC DST              append SRC to DST line by line, flushing each
  wait FILE N SECONDS       wait until FILE holds N lines (exit 1 on timeout)
  same EXPECTED GOT         the same events: count, and per event class,
                            kind, fingerprint, msg, stack, goroutine_count
  action-script YML         the bash of action.yml's run step, its env and
                            inputs (defaults, overridden by INPUT_X) exported
  gitlab-script YML JOB     the job's variables (overridden by the
                            environment) exported, then its script lines
"""
import json
import os
import re
import sys
import time

import yaml


def feed(src, dst):
    with open(src, "rb") as f, open(dst, "ab", buffering=0) as out:
        for line in f:
            out.write(line)


def wait(path, n, secs):
    end = time.monotonic() + float(secs)
    got = 0
    while time.monotonic() < end:
        try:
            with open(path, "rb") as f:
                got = sum(1 for _ in f)
        except FileNotFoundError:
            got = 0
        if got >= int(n):
            return 0
        time.sleep(0.1)
    print(f"{path}: {got} lines after {secs} s, want {n}", file=sys.stderr)
    return 1


KEYS = ("class", "kind", "fingerprint", "msg", "stack", "goroutine_count")


def load(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def same(exp, got):
    a, b = load(exp), load(got)
    bad = 0
    if not a:
        print(f"{exp}: no expected events", file=sys.stderr)
        return 1
    if len(a) != len(b):
        print(f"{len(b)} events, want {len(a)}", file=sys.stderr)
        bad = 1
    for i, (x, y) in enumerate(zip(a, b)):
        for k in KEYS:
            if x.get(k) != y.get(k):
                print(f"event {i + 1}: {k} = {str(y.get(k))[:200]!r}, "
                      f"want {str(x.get(k))[:200]!r}", file=sys.stderr)
                bad = 1
    return bad


def sh_quote(s):
    return "'" + str(s).replace("'", "'\\''") + "'"


def expr(s, ctx):
    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}",
                  lambda m: str(ctx[m.group(1)]), str(s))


def action_script(path):
    with open(path) as f:
        act = yaml.safe_load(f)
    ctx = {}
    for name, spec in act["inputs"].items():
        env = "INPUT_" + name.upper().replace("-", "_")
        ctx[name] = os.environ.get(env, spec.get("default", ""))
    steps = [s for s in act["runs"]["steps"] if "run" in s]
    assert act["runs"]["using"] == "composite" and len(steps) == 1
    step = steps[0]
    assert step["shell"] == "bash"
    out = []
    for k, v in step.get("env", {}).items():
        out.append(f"export {k}={sh_quote(expr(v, ctx))}")
    out.append(expr(step["run"], ctx))
    print("\n".join(out))


def gitlab_script(path, job):
    with open(path) as f:
        doc = yaml.safe_load(f)
    j = doc[job]
    out = []
    for k, v in j.get("variables", {}).items():
        out.append(f"export {k}=${{{k}-{sh_quote(v)}}}")
    out.append("\n".join(j["script"]))
    print("\n".join(out))


def main(argv):
    cmd = argv[1]
    if cmd == "feed":
        feed(argv[2], argv[3])
        return 0
    if cmd == "wait":
        return wait(argv[2], argv[3], argv[4])
    if cmd == "same":
        return same(argv[2], argv[3])
    if cmd == "action-script":
        action_script(argv[2])
        return 0
    if cmd == "gitlab-script":
        gitlab_script(argv[2], argv[3])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
