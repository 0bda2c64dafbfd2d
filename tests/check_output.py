#!/usr/bin/python3
"""Output checks for goerrfilt's tests.

  check_output.py schema SCHEMA FILE.jsonl...   every line validates
  check_output.py accounting INPUT OUTPUT.jsonl every input line is covered
                                                exactly once (run with -p)
  check_output.py msgpack OUT.jsonl OUT.msgpack  same records, keys and types
  check_output.py same-events BARE WRAPPED       same events but stream, time, src
"""
import json
import sys


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cmd_schema(schema_path, files):
    import jsonschema
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    v = cls(schema)
    bad = 0
    n = 0
    for path in files:
        for i, rec in enumerate(load_jsonl(path), 1):
            n += 1
            errs = list(v.iter_errors(rec))
            if errs:
                bad += 1
                print(f"{path}:{i}: {errs[0].message}", file=sys.stderr)
    print(f"schema: {n} records, {bad} invalid")
    return 1 if bad else 0


def count_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    n = data.count(b"\n")
    if data and not data.endswith(b"\n"):
        n += 1
    return n


def cmd_accounting(input_path, out_path):
    total = count_lines(input_path)
    seen = [0] * (total + 2)
    for rec in load_jsonl(out_path):
        a, b = rec["lines"]
        if "text" in rec and a != b:
            print(f"passthrough record spans {a}-{b}", file=sys.stderr)
            return 1
        for ln in range(a, b + 1):
            if ln < 1 or ln > total:
                print(f"line {ln} out of range 1-{total}", file=sys.stderr)
                return 1
            seen[ln] += 1
    missing = [i for i in range(1, total + 1) if seen[i] == 0]
    double = [i for i in range(1, total + 1) if seen[i] > 1]
    if missing or double:
        print(f"{input_path}: {len(missing)} lines unaccounted "
              f"(first {missing[:5]}), {len(double)} counted twice "
              f"(first {double[:5]})", file=sys.stderr)
        return 1
    print(f"accounting: {total} lines, each exactly once")
    return 0


def cmd_msgpack(jsonl_path, mp_path):
    import msgpack
    want = load_jsonl(jsonl_path)
    with open(mp_path, "rb") as f:
        got = list(msgpack.Unpacker(f, raw=False))
    if want != got:
        for i, (a, b) in enumerate(zip(want, got)):
            if a != b:
                print(f"record {i + 1} differs:\n json {a}\n mpk  {b}",
                      file=sys.stderr)
                break
        else:
            print(f"{len(want)} json records, {len(got)} msgpack",
                  file=sys.stderr)
        return 1
    print(f"msgpack: {len(got)} records equal to json")
    return 0


def cmd_same_events(bare_path, wrapped_path):
    """The wrapped log's events are the bare log's, but for what the
    envelope adds (stream, time), the file they came from (src) and the
    record numbering."""
    def strip(e):
        return {k: v for k, v in e.items() if k not in ("seq", "stream", "time", "src")}
    a = [strip(e) for e in load_jsonl(bare_path)]
    b = [strip(e) for e in load_jsonl(wrapped_path)]
    if a != b:
        print(f"same-events: {len(a)} bare events, {len(b)} wrapped", file=sys.stderr)
        for x, y in zip(a, b):
            for k in sorted(set(x) | set(y)):
                if x.get(k) != y.get(k):
                    print(f"  {k}: {x.get(k)!r:.120} != {y.get(k)!r:.120}", file=sys.stderr)
            if x != y:
                break
        return 1
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "schema":
        return cmd_schema(argv[2], argv[3:])
    if len(argv) == 4 and argv[1] == "accounting":
        return cmd_accounting(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "same-events":
        return cmd_same_events(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "msgpack":
        return cmd_msgpack(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
