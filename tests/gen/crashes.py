#!/usr/bin/python3
"""Real Go crashes back to back.

  crashes.py OUT.log MANIFEST.tsv MB [CORPUS]

Writes at least MB megabytes of real crash logs, one after another with
nothing in between, as a supervisor's log of a program that keeps
crashing holds them: every log of fixtures/crash, fixtures/crash-go1.26 and
fixtures/crash-go1.27, and, when CORPUS (scripts/capture-corpus.sh's
output) is given and there, its crash runs (the logs of a program run
under GOTRACEBACK=single/all/system/crash, with and without -race), cycled
in a fixed order until the size is reached.  The 10,000-goroutine dumps are
left out: one of them would be a third of a cycle, and `make bench` times a
goroutine dump on its own.  MANIFEST lists, per source, how many times it
was written.  Every byte is real output; only the order is chosen.
"""
import glob
import os
import re
import sys

CRASH_RUN = re.compile(r"-(run|race)-(single|all|system|crash)\.log$")


def corpus_logs(corpus):
    # MANIFEST.tsv is written when the capture has finished; while it runs,
    # each Go's MANIFEST.part lists the logs already complete.
    rows = []
    full = os.path.join(corpus, "MANIFEST.tsv")
    parts = [full] if os.path.isfile(full) else sorted(glob.glob(os.path.join(corpus, "go1.*", "MANIFEST.part")))
    for p in parts:
        with open(p, encoding="utf-8", errors="replace") as f:
            rows += [l.split("\t", 1)[0] for l in f if l.strip()]
    return sorted(os.path.join(corpus, r) for r in rows
                  if CRASH_RUN.search(r) and "goroutines-10k" not in r)


def main(argv):
    out, manifest, mb = argv[1], argv[2], int(argv[3])
    corpus = argv[4] if len(argv) > 4 else ""
    srcs = []
    for d in ("fixtures/crash", "fixtures/crash-go1.26", "fixtures/crash-go1.27"):
        srcs += sorted(f for f in glob.glob(d + "/*.log") if "goroutines-10k" not in f)
    if corpus and os.path.isdir(corpus):
        srcs += corpus_logs(corpus)
    texts = []
    for s in srcs:
        with open(s, "rb") as f:
            t = f.read()
        if t:
            texts.append((s, t if t.endswith(b"\n") else t + b"\n"))
    target = mb * 1000 * 1000
    size = 0
    count = [0] * len(texts)
    with open(out, "wb") as o:
        while size < target:
            for i, (_, t) in enumerate(texts):
                o.write(t)
                size += len(t)
                count[i] += 1
                if size >= target:
                    break
    with open(manifest, "w") as m:
        for (s, _), n in zip(texts, count):
            m.write(f"{s}\t{n}\n")
    print(f"crashes.py: {sum(count)} crashes from {len(texts)} logs, {size} bytes",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
