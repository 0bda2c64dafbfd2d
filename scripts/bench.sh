#!/bin/sh
# make bench: goerrfilt against grep -E -c on a >= 100 MB corpus made from
# real `go build -a -x -v` output with real failures spread through it, and
# against panicparse on a real dump of >= 100,000 goroutines; the build-log
# corpus again inside CRI and docker json-file envelopes (synthetic
# wrappings of the real corpus), and a synthetic application-log corpus
# with real crashes in it (tests/gen/applog.py).  Nothing here is
# committed; the corpora are cached under build/bench.
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-/usr/lib/go-1.24/bin/go}
B=build/bench
MB=${BENCH_MB:-110}
NGOR=${BENCH_GOROUTINES:-100000}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
mkdir -p "$B"
export LC_ALL=C

# best-of-3 wall time of a command, in seconds.  Output goes to a file, not
# /dev/null: GNU grep notices /dev/null and stops at the first match.
timeit() {
	best=
	for i in 1 2 3; do
		t0=$(date +%s.%N)
		"$@" >"$B/timeit.out" 2>&1 || true
		t1=$(date +%s.%N)
		best=$(echo "$t0 $t1 ${best:-999999}" | awk '{d=$2-$1; print (d<$3)?d:$3}')
	done
	echo "$best"
}

peak_rss() {
	$PY tests/rss.py 100000000 600 "$@" 2>&1 >/dev/null | sed -n 's/.*peak RSS \([0-9]*\) KB.*/\1/p'
}

# --- 1. build-log corpus -----------------------------------------------------
if [ ! -s "$B/build-x.log" ]; then
	echo "bench: capturing a real cold go build -a -x -v log" >&2
	rm -rf "$B/mod" "$B/cache"
	mkdir -p "$B/mod"
	# outside this git checkout's influence: no VCS stamping in the log
	cat > "$B/mod/go.mod" <<'GOMOD'
module example.com/benchmod

go 1.24
GOMOD
	cat > "$B/mod/main.go" <<'GOSRC'
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"text/template"
)

func main() {
	_ = json.Marshal
	_ = http.ListenAndServe
	_ = regexp.MustCompile
	_ = template.New
	fmt.Fprintln(os.Stderr, "ok")
}
GOSRC
	( cd "$B/mod" && env -i PATH="$(dirname "$GO"):/usr/bin:/bin" HOME="$PWD" \
		GOCACHE="$PWD/../cache" GOPATH="$PWD/../gopath" GOTOOLCHAIN=local \
		GOFLAGS=-buildvcs=false GOPROXY=off "$GO" build -a -x -v -o /dev/null . ) \
		> "$B/build-x.log" 2>&1
fi
if [ ! -s "$B/corpus.log" ] || [ "$(stat -c %s "$B/corpus.log")" -lt $((MB * 1000000)) ]; then
	echo "bench: generating a ${MB} MB corpus" >&2
	: > "$B/corpus.log"
	set -- fixtures/build/*.log
	while [ "$(stat -c %s "$B/corpus.log")" -lt $((MB * 1000000)) ]; do
		cat "$B/build-x.log" >> "$B/corpus.log"
		# one real failure log after every copy, in turn
		cat "$1" >> "$B/corpus.log"
		f=$1; shift; set -- "$@" "$f"
	done
fi
size=$(stat -c %s "$B/corpus.log")
./goerrfilt --print-literals > "$B/literals.txt"
# The alternation of the rule set's literals as an ERE, one alternative per
# line of a -f file; anchored literals keep their ^.
$PY - "$B/literals.txt" > "$B/literals.ere" <<'PYEOF'
import re, sys
for l in open(sys.argv[1], "rb").read().split(b"\n"):
    if not l:
        continue
    anch = l.startswith(b"^")
    l = l[1:] if anch else l
    sys.stdout.buffer.write((b"^" if anch else b"") + re.sub(rb"([.\[\]()*+?{}|^$\\])", rb"\\\1", l) + b"\n")
PYEOF
cat "$B/corpus.log" > /dev/null  # page cache

tg=$(timeit ./goerrfilt "$B/corpus.log")
tr=$(timeit grep -E -c -f "$B/literals.ere" "$B/corpus.log")
rss=$(peak_rss ./goerrfilt "$B/corpus.log")
events=$(./goerrfilt "$B/corpus.log" | wc -l)
nlit=$(wc -l < "$B/literals.txt")
awk -v s="$size" -v tg="$tg" -v tr="$tr" -v rss="$rss" -v ev="$events" -v nl="$nlit" 'BEGIN {
	printf "build log corpus: %.1f MB, %d events\n", s/1e6, ev
	printf "  goerrfilt            %8.1f MB/s  (%.3f s, peak RSS %.1f MB)\n", s/1e6/tg, tg, rss/1024
	printf "  grep -E -c (%d lits) %8.1f MB/s  (%.3f s)\n", nl, s/1e6/tr, tr
	printf "  ratio goerrfilt time / grep time: %.2f (target <= 1.0)\n", tg/tr
}'

# --- 1b. the same corpus in container log envelopes -----------------------
# Same Go text, so the ratio to the bare corpus is what unwrapping costs.
for env in cri docker-json-file; do
	w="$B/corpus.$env.log"
	if [ ! -s "$w" ] || [ "$w" -ot "$B/corpus.log" ]; then
		echo "bench: wrapping the corpus in $env" >&2
		$PY - "$env" "$B/corpus.log" "$w" <<'PYEOF'
import json, sys
env, src, dst = sys.argv[1:]
T = "2026-12-02T07:34:20.123456789Z"
with open(src, encoding="utf-8", errors="surrogateescape") as f, \
        open(dst, "w", encoding="utf-8", errors="surrogateescape") as o:
    for l in f:
        l = l.rstrip("\n")
        if env == "cri":
            o.write(f"{T} stderr F {l}\n")
        else:
            # as docker writes it: no blanks, <, > and & escaped
            r = json.dumps({"log": l + "\n", "stream": "stderr", "time": T},
                           separators=(",", ":"))
            o.write(r.replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("&", "\\u0026") + "\n")
PYEOF
	fi
	cat "$w" > /dev/null
	wsize=$(stat -c %s "$w")
	tw=$(timeit ./goerrfilt "$w")
	wrss=$(peak_rss ./goerrfilt "$w")
	wev=$(./goerrfilt "$w" | wc -l)
	awk -v env="$env" -v s="$wsize" -v bs="$size" -v tw="$tw" -v tg="$tg" -v rss="$wrss" -v ev="$wev" -v bev="$events" 'BEGIN {
		printf "build log corpus in %s: %.1f MB, %d events (bare: %d)\n", env, s/1e6, ev, bev
		printf "  goerrfilt            %8.1f MB/s  (%.3f s, peak RSS %.1f MB)\n", s/1e6/tw, tw, rss/1024
		printf "  wrapped MB/s / bare MB/s: %.2f (target >= 0.50)\n", (s/tw)/(bs/tg)
	}'
done

# --- 1c. application-log corpus ---------------------------------------------
AMB=${BENCH_APPLOG_MB:-50}
if [ ! -s "$B/applog.log" ]; then
	echo "bench: generating a ${AMB} MB application-log corpus" >&2
	$PY tests/gen/applog.py "$B/applog.log" "$B/applog.json" "$AMB"
fi
cat "$B/applog.log" > /dev/null
asize=$(stat -c %s "$B/applog.log")
ta=$(timeit ./goerrfilt "$B/applog.log")
arss=$(peak_rss ./goerrfilt "$B/applog.log")
aev=$(./goerrfilt "$B/applog.log" | wc -l)
# what the inserted captures give bare (a race gives two, a plain
# PrintStack none); tests/unwrap.sh checks them one by one
acr=$($PY -c '
import json, subprocess, sys
m = json.load(open(sys.argv[1]))
n = sum(len(subprocess.run(["./goerrfilt", c["fixture"]], stdout=subprocess.PIPE).stdout.splitlines()) for c in m)
print(len(m), n)' "$B/applog.json")
awk -v s="$asize" -v ta="$ta" -v rss="$arss" -v ev="$aev" -v cr="$acr" 'BEGIN {
	split(cr, c, " ")
	printf "application-log corpus: %.1f MB, %d events; %d captures inserted, %d events bare\n", s/1e6, ev, c[1], c[2]
	printf "  goerrfilt            %8.1f MB/s  (%.3f s, peak RSS %.1f MB)\n", s/1e6/ta, ta, rss/1024
}'

# --- 2. goroutine dump -------------------------------------------------------
if [ ! -s "$B/dump.log" ]; then
	echo "bench: generating a real dump of $NGOR goroutines" >&2
	( cd tests/gen/goroutines && env -i PATH="$(dirname "$GO"):/usr/bin:/bin" \
		HOME="$PWD/../../../$B" GOCACHE="$PWD/../../../$B/cache" GOTOOLCHAIN=local \
		GOFLAGS= GOPROXY=off "$GO" build -o "../../../$B/gen-goroutines" . )
	"$B/gen-goroutines" -n "$NGOR" > "$B/dump.log" 2>&1 || true
fi
dsize=$(stat -c %s "$B/dump.log")
ngo=$(grep -c '^goroutine ' "$B/dump.log" || true)
td=$(timeit ./goerrfilt "$B/dump.log")
drss=$(peak_rss ./goerrfilt "$B/dump.log")
if command -v panicparse >/dev/null 2>&1; then
	# One run: panicparse takes minutes on this dump.  -parse=false keeps it
	# from reading Go sources that are not there; its RSS is measured in
	# the same run.
	t0=$(date +%s.%N)
	prss=$($PY tests/rss.py 100000000 1800 sh -c "panicparse -parse=false < $B/dump.log > $B/panicparse.out 2>&1" 2>&1 | sed -n 's/.*peak RSS \([0-9]*\) KB.*/\1/p')
	t1=$(date +%s.%N)
	tp=$(echo "$t0 $t1" | awk '{print $2-$1}')
else
	tp=0; prss=0
fi
./goerrfilt "$B/dump.log" > "$B/dump.file.jsonl" || true
./goerrfilt < "$B/dump.log" > "$B/dump.pipe.jsonl" || true
zstd -q -f -o "$B/dump.log.zst" "$B/dump.log"
./goerrfilt "$B/dump.log.zst" > "$B/dump.zst.jsonl" || true
same=no
cmp -s "$B/dump.file.jsonl" "$B/dump.pipe.jsonl" && cmp -s "$B/dump.file.jsonl" "$B/dump.zst.jsonl" && same=yes
awk -v s="$dsize" -v n="$ngo" -v td="$td" -v rss="$drss" -v tp="$tp" -v prss="$prss" -v same="$same" 'BEGIN {
	printf "goroutine dump: %.1f MB, %d goroutines\n", s/1e6, n
	printf "  goerrfilt   %8.1f MB/s  (%.3f s, peak RSS %.1f MB)\n", s/1e6/td, td, rss/1024
	if (tp > 0) {
		printf "  panicparse  %8.1f MB/s  (%.3f s, peak RSS %.1f MB)\n", s/1e6/tp, tp, prss/1024
		printf "  speed-up over panicparse: %.0fx (target >= 100x)\n", tp/td
	}
	printf "  events identical from file, pipe and zstd: %s\n", same
}'


# --- 3. log archive (scripts/bench-archive.sh) ---------------------------------
sh scripts/bench-archive.sh
