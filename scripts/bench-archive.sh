#!/bin/sh
# bench-archive.sh - the log archive section of `make bench` (run alone
# with `sh scripts/bench-archive.sh`).
#
# A corpus of >= 2,000 real failure logs (scripts/capture-corpus.sh: the
# fixtures' programs under every installed Go, with varied flags), kept
# outside git and captured when missing.  goerrfilt-archive against
# tar | zstd -19 and zstd -19 per file; pack throughput, get latency (one
# process per call, as a user runs it) and query time.
set -eu
cd "$(dirname "$0")/.."
R=$(pwd)
B=$R/build/bench
mkdir -p "$B"
export LC_ALL=C
C=${BENCH_CORPUS:-/tmp/goerrfilt-corpus}
[ -s "$C/MANIFEST.tsv" ] || bash scripts/capture-corpus.sh "$C"
( cd "$C" && find . -name '*.log' | sed 's,^\./,,' | sort ) > "$B/corpus.files"
nlogs=$(wc -l < "$B/corpus.files")
cbytes=$(cd "$C" && xargs cat < "$B/corpus.files" | wc -c)
ntar=$(cd "$C" && tar c -T "$B/corpus.files" | zstd -19 -q -c | wc -c)
rm -rf "$B/perfile"
( cd "$C" && xargs zstd -19 -q --output-dir-mirror "$B/perfile" < "$B/corpus.files" 2>/dev/null ) ||
	( cd "$C" && while read -r f; do mkdir -p "$B/perfile/$(dirname "$f")"; zstd -19 -q -c "$f" > "$B/perfile/$f.zst"; done < "$B/corpus.files" )
nper=$(find "$B/perfile" -type f -exec cat {} + | wc -c)
t0=$(date +%s.%N)
# one pack of the corpus's directories (names: go1.24.4/NAME.log)
( cd "$C" && "$R/goerrfilt-archive" pack -o "$B/corpus.gfa" go1.* ) 2> "$B/pack.err"
t1=$(date +%s.%N)
narc=$(stat -c %s "$B/corpus.gfa")
tpack=$(echo "$t0 $t1" | awk '{print $2-$1}')
one=$(sed -n "$((nlogs / 2))p" "$B/corpus.files")
fp=$(./goerrfilt-archive query "$B/corpus.gfa" | sed -n 's/.*"fingerprint":"\([0-9a-f]*\)".*/\1/p' | head -1)
# mean wall time of N runs of a command, in milliseconds
mean_ms() {
	n=$1; shift
	t0=$(date +%s.%N)
	i=0
	while [ $i -lt "$n" ]; do "$@" > "$B/timeit.out" 2>&1 || true; i=$((i + 1)); done
	t1=$(date +%s.%N)
	echo "$t0 $t1 $n" | awk '{printf "%.2f", ($2-$1)*1000/$3}'
}
# and the CPU time (user + system) per run, which a loaded machine inflates
# less than wall time
cpu_ms() {
	/usr/bin/python3 - "$@" <<'PYEOF'
import resource, subprocess, sys
n = int(sys.argv[1])
for _ in range(n):
    subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f" % ((r.ru_utime + r.ru_stime) * 1000 / n))
PYEOF
}
tget=$(mean_ms 50 ./goerrfilt-archive get "$B/corpus.gfa" "$one")
cget=$(cpu_ms 50 ./goerrfilt-archive get "$B/corpus.gfa" "$one")
cstart=$(cpu_ms 50 ./goerrfilt-archive --help)
cq=$(cpu_ms 20 ./goerrfilt-archive query "$B/corpus.gfa" --fingerprint "$fp")
# what starting the process costs (dynamic libraries, rule bundle symbols):
# the same binary printing its usage
tstart=$(mean_ms 50 ./goerrfilt-archive --help)
./goerrfilt-archive get "$B/corpus.gfa" "$one" | cmp -s - "$C/$one" && getok=yes || getok=no
tq=$(mean_ms 20 ./goerrfilt-archive query "$B/corpus.gfa" --fingerprint "$fp")
tg=$(mean_ms 20 ./goerrfilt-archive query "$B/corpus.gfa" --group)
tv=$(mean_ms 1 ./goerrfilt-archive verify "$B/corpus.gfa")
awk -v n="$nlogs" -v b="$cbytes" -v tar="$ntar" -v per="$nper" -v arc="$narc" \
    -v tp="$tpack" -v tget="$tget" -v ts="$tstart" -v cget="$cget" -v cs="$cstart" -v cq="$cq" -v tq="$tq" -v tg="$tg" -v tv="$tv" -v ok="$getok" 'BEGIN {
	printf "log archive: %d real failure logs, %.1f MB\n", n, b/1e6
	printf "  goerrfilt-archive   %9d bytes  (%.1fx smaller than the logs)\n", arc, b/arc
	printf "  tar c | zstd -19    %9d bytes  archive / tar+zstd: %.2f (target <= 1.5)\n", tar, arc/tar
	printf "  zstd -19 per file   %9d bytes  per file / archive: %.1fx (target >= 3)\n", per, per/arc
	printf "  pack                %9.2f MB/s  (%.2f s)\n", b/1e6/tp, tp
	printf "  get one log         %9.2f ms    (target < 10 ms; byte for byte: %s)\n", tget, ok
	printf "    of which process start %.2f ms (--help), the get itself %.2f ms\n", ts, tget - ts
	printf "    CPU time: %.2f ms a get, %.2f ms a --help\n", cget, cs
	printf "  query --fingerprint %9.2f ms    (CPU %.2f ms)\n", tq, cq
	printf "  query --group       %9.2f ms\n", tg
	printf "  verify              %9.2f ms\n", tv
}'
