#!/usr/bin/python3
"""Fluent Forward test helper for tests/forward.sh (python3-msgpack).

  fwd_server.py serve (--unix PATH | --tcp PORTFILE) --out FILE [--ack]
                [--mute] [--exit-after N [--swallow]] [--raw FILE] [--ready FILE]
                [--timeout S]
      A forward server: accepts connections one after another, decodes
      Forward-mode messages and appends one JSON line per entry to --out
      ({"tag", "time": [sec, nsec], "option", "record"}) before it acks
      the message's chunk (so what it recorded is what it acknowledged).
      --mute reads but never acks; --exit-after N stops after N messages
      (with --swallow: after reading one more, which it neither records nor
      acks, like a collector that dies with a message in hand);
      --tcp binds 127.0.0.1 on a free port and writes the port to PORTFILE;
      --raw keeps every received byte; --timeout bounds its life (20 s).
  fwd_server.py check-file FILE WANT.jsonl TAG BATCH
      -f forward output: framing, tag, size option, EventTime for every
      entry (the record's time when it has one), records equal to WANT.
  fwd_server.py check-got GOT.jsonl... --want WANT.jsonl [--tag TAG]
      What servers recorded: every WANT record exactly once, in order
      within each server's log, nothing else.
  fwd_server.py same A.jsonl B.jsonl
      The same records (parsed JSON, canonical form).
  fwd_server.py has-bytes FILE HEX
  fwd_server.py modes IN.msgpack OUT.message OUT.packed OUT.gzip
      Rewrites a msgpack record stream as Message-mode and PackedForward
      messages (and one with "compressed": "gzip", which must be refused).
"""
import calendar
import json
import os
import re
import socket
import struct
import sys
import time

import msgpack


def canon(rec):
    """A record as compared: without src, which names the input file and so
    differs between a fixture read by name and the same bytes on a pipe
    (tests/cli.sh checks src through forward and --decode)."""
    if isinstance(rec, dict) and "src" in rec:
        rec = {k: v for k, v in rec.items() if k != "src"}
    return json.dumps(rec, sort_keys=True, ensure_ascii=False)


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def rfc3339(text):
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?"
                 r"(Z|z|[+-]\d\d:\d\d)?$", text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    sec = calendar.timegm((y, mo, d, h, mi, s))
    ns = int((m.group(7) or "0")[:9].ljust(9, "0"))
    z = m.group(8)
    if z and z not in "Zz":
        off = int(z[1:3]) * 3600 + int(z[4:6]) * 60
        sec -= off if z[0] == "+" else -off
    return sec, ns


def event_time(t):
    if not isinstance(t, msgpack.ExtType) or t.code != 0 or len(t.data) != 8:
        raise ValueError(f"time {t!r} is not EventTime (ext 0, 8 bytes)")
    return list(struct.unpack(">II", t.data))


def check_message(m):
    """Returns (tag, entries, option) of a Forward-mode message."""
    if not isinstance(m, list) or len(m) != 3:
        raise ValueError(f"not a 3-item array: {m!r:.80}")
    tag, entries, opt = m
    if not isinstance(tag, str) or not isinstance(entries, list) or \
            not isinstance(opt, dict):
        raise ValueError("not [tag, [entries], {option}]")
    if opt.get("size") != len(entries):
        raise ValueError(f"size {opt.get('size')} for {len(entries)} entries")
    out = []
    for e in entries:
        if not isinstance(e, list) or len(e) != 2 or not isinstance(e[1], dict):
            raise ValueError(f"entry is not [time, record]: {e!r:.80}")
        out.append((event_time(e[0]), e[1]))
    return tag, out, opt


def serve(args):
    opts = {"--out": None, "--unix": None, "--tcp": None, "--raw": None,
            "--ready": None, "--exit-after": "0", "--timeout": "20"}
    flags = set()
    i = 0
    while i < len(args):
        if args[i] in ("--ack", "--mute", "--swallow"):
            flags.add(args[i])
            i += 1
        else:
            opts[args[i]] = args[i + 1]
            i += 2
    deadline = time.monotonic() + float(opts["--timeout"])
    exit_after = int(opts["--exit-after"])
    if opts["--unix"]:
        if os.path.exists(opts["--unix"]):
            os.unlink(opts["--unix"])
        ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        ls.bind(opts["--unix"])
    else:
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", 0))
        with open(opts["--tcp"] + ".tmp", "w") as f:
            f.write(str(ls.getsockname()[1]))
        os.rename(opts["--tcp"] + ".tmp", opts["--tcp"])
    ls.listen(8)
    if opts["--ready"]:
        open(opts["--ready"], "w").close()
    out = open(opts["--out"], "a", encoding="utf-8")
    raw = open(opts["--raw"], "ab") if opts["--raw"] else None
    n = 0
    swallowing = False
    try:
        while time.monotonic() < deadline:
            ls.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                c, _ = ls.accept()
            except socket.timeout:
                break
            up = msgpack.Unpacker(raw=False)
            with c:
                while time.monotonic() < deadline:
                    c.settimeout(max(0.05, deadline - time.monotonic()))
                    try:
                        b = c.recv(65536)
                    except socket.timeout:
                        break
                    except ConnectionError:
                        break
                    if not b:
                        break
                    if raw:
                        raw.write(b)
                        raw.flush()
                    up.feed(b)
                    for m in up:
                        tag, entries, opt = check_message(m)
                        if swallowing:
                            return 0
                        if "--mute" in flags:
                            continue
                        for t, rec in entries:
                            out.write(json.dumps({"tag": tag, "time": t,
                                                  "option": opt,
                                                  "record": rec}) + "\n")
                        out.flush()
                        if "--ack" in flags and "chunk" in opt:
                            c.sendall(msgpack.packb({"ack": opt["chunk"]}))
                        n += 1
                        if exit_after and n >= exit_after:
                            if "--swallow" not in flags:
                                return 0
                            swallowing = True
    finally:
        out.close()
        ls.close()
        if opts["--unix"] and os.path.exists(opts["--unix"]):
            os.unlink(opts["--unix"])
    return 0


def check_file(path, want_path, tag, batch):
    want = load_jsonl(want_path)
    got, sizes = [], []
    with open(path, "rb") as f:
        for m in msgpack.Unpacker(f, raw=False):
            t, entries, opt = check_message(m)
            if t != tag:
                raise SystemExit(f"tag {t!r}, want {tag!r}")
            if "chunk" in opt:
                raise SystemExit("a chunk option without acks")
            sizes.append(len(entries))
            for et, rec in entries:
                if isinstance(rec.get("time"), str):
                    want_t = rfc3339(rec["time"])
                    if want_t is not None and et != list(want_t):
                        raise SystemExit(f"EventTime {et} for {rec['time']}")
                got.append(rec)
    batch = int(batch)
    if any(s != batch for s in sizes[:-1]) or (sizes and not 0 < sizes[-1] <= batch):
        raise SystemExit(f"message sizes {sizes}, batch {batch}")
    if [canon(r) for r in got] != [canon(r) for r in want]:
        raise SystemExit(f"{len(got)} forward records differ from {len(want)} json")
    print(f"{len(sizes)} messages, {len(got)} records equal to json")
    return 0


def check_got(args):
    want_path = args[args.index("--want") + 1]
    tag = args[args.index("--tag") + 1] if "--tag" in args else None
    files = [a for i, a in enumerate(args)
             if a not in ("--want", "--tag") and args[i - 1] not in ("--want", "--tag")]
    want = [canon(r) for r in load_jsonl(want_path)]
    got = []
    for p in files:
        for e in load_jsonl(p):
            if tag is not None and e["tag"] != tag:
                raise SystemExit(f"tag {e['tag']!r}, want {tag!r}")
            got.append(canon(e["record"]))
    counts = {}
    for g in got:
        counts[g] = counts.get(g, 0) + 1
    wanted = set(want)
    dup = sum(c - 1 for c in counts.values() if c > 1)
    lost = sum(1 for w in want if w not in counts)
    extra = sum(1 for g in counts if g not in wanted)
    print(f"sent {len(want)}, received {len(got)}, lost {lost}, "
          f"duplicated {dup}, unexpected {extra}")
    if dup or lost or extra or len(got) != len(want):
        return 1
    # Order is kept: the records arrive in the order they were written.
    return 0 if got == want else 1


def same(a, b):
    x = [canon(r) for r in load_jsonl(a)]
    y = [canon(r) for r in load_jsonl(b)]
    if x != y:
        for i, (p, q) in enumerate(zip(x, y)):
            if p != q:
                print(f"record {i + 1} differs:\n  {p[:300]}\n  {q[:300]}")
                break
        print(f"{len(x)} and {len(y)} records")
        return 1
    print(f"{len(x)} records equal")
    return 0


def modes(src, message, packed, gzip_):
    with open(src, "rb") as f:
        recs = list(msgpack.Unpacker(f, raw=False))
    t = msgpack.ExtType(0, struct.pack(">II", 1764000000, 5))
    with open(message, "wb") as f:
        for i, r in enumerate(recs):
            # Message mode, with an integer time for every other record.
            f.write(msgpack.packb(["goerrfilt", t if i % 2 else 1764000000, r]))
    body = b"".join(msgpack.packb([t, r]) for r in recs)
    with open(packed, "wb") as f:
        half = len(recs) // 2
        f.write(msgpack.packb(["goerrfilt",
                               b"".join(msgpack.packb([t, r]) for r in recs[:half]),
                               {"size": half}], use_bin_type=True))
        f.write(msgpack.packb(["goerrfilt",
                               b"".join(msgpack.packb([t, r]) for r in recs[half:]),
                               {"size": len(recs) - half, "compressed": "text"}],
                              use_bin_type=True))
    with open(gzip_, "wb") as f:
        f.write(msgpack.packb(["goerrfilt", body, {"compressed": "gzip"}],
                              use_bin_type=True))
    return 0


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "serve":
        return serve(argv[2:])
    if cmd == "check-file" and len(argv) == 6:
        return check_file(*argv[2:])
    if cmd == "check-got":
        return check_got(argv[2:])
    if cmd == "same" and len(argv) == 4:
        return same(argv[2], argv[3])
    if cmd == "has-bytes" and len(argv) == 4:
        with open(argv[2], "rb") as f:
            ok = bytes.fromhex(argv[3]) in f.read()
        print("found" if ok else "not found", argv[3])
        return 0 if ok else 1
    if cmd == "modes" and len(argv) == 6:
        return modes(*argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
