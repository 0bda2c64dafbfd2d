#!/bin/sh
# fuzz.sh - drives the libFuzzer builds of tests/fuzz/fuzz_*.c (make
# fuzz-build puts them in build/fuzz/lf_NAME).
#
#   fuzz.sh run NAME SECONDS    one target for SECONDS
#   fuzz.sh long RUNS NAME...   each target to RUNS executions, two at a time,
#                               then a table: executions, exec/s, edges,
#                               features, corpus, and any crash, leak or
#                               timeout (exit 1 if there was one)
#   fuzz.sh merge NAME...       minimises tests/fuzz/corpus/NAME with what the
#                               runs found (build/fuzz/found/NAME) and the seeds
#
# Every run reads the committed corpus and the seeds that
# scripts/fuzz-seeds.py makes from the real fixtures (build/fuzz/seeds),
# with the target's dictionary (tests/fuzz/NAME.dict, else go.dict), and
# writes what it finds to build/fuzz/found/NAME, never to the committed
# corpus: `merge` is the one step that changes it.
set -eu

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
F=build/fuzz
# A timeout is a finding: no input may take a second.  Leaks are found at
# exit of each run (libFuzzer's -detect_leaks).
# The entropic scheduler's bookkeeping was more than half of every run with
# the engine's 50,000 features.
OPTS="-timeout=5 -rss_limit_mb=2048 -entropic=0 -print_final_stats=1"
# A smaller quarantine than ASan's 256 MB keeps freed memory resident (page
# faults are dear on this machine) and still outlives any one input's
# allocations; shorter allocation stacks make malloc cheaper.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=32:malloc_context_size=8}"

# Text targets get inputs of up to 8 KB (their line limits are 2 KB in the
# fuzz build), a rule file 16 KB, a manifest 4 KB; the binary formats up to
# 64 KB (the test archive is 19 KB).
maxlen() {
	case $1 in
	engine|unwrap|gojson) echo 8192 ;;
	rules) echo 16384 ;;
	manifest) echo 4096 ;;
	*) echo 65536 ;;
	esac
}

seeds() {
	[ -d "$F/seeds" ] || $PY scripts/fuzz-seeds.py "$F/seeds"
}

dict() {
	if [ -f "tests/fuzz/$1.dict" ]; then
		echo "-dict=tests/fuzz/$1.dict"
	elif [ -f tests/fuzz/go.dict ]; then
		echo "-dict=tests/fuzz/go.dict"
	fi
}

dirs() {
	mkdir -p "$F/found/$1" "tests/fuzz/corpus/$1" "$F/seeds/$1"
	echo "$F/found/$1 tests/fuzz/corpus/$1 $F/seeds/$1"
}

# one NAME LOG ARGS...: a run of NAME whose libFuzzer output goes to LOG.
one() {
	n=$1 log=$2
	shift 2
	mkdir -p "$F/artifacts/$n"
	# shellcheck disable=SC2046 # word lists on purpose
	"$F/lf_$n" $OPTS -max_len="$(maxlen "$n")" $(dict "$n") -artifact_prefix="$F/artifacts/$n/" \
	    "$@" $(dirs "$n") >"$log" 2>&1
}

summary() {
	n=$1 log=$2 rc=$3
	awk -v n="$n" -v rc="$rc" '
	/^stat::number_of_executed_units:/ { ex = $2 }
	/^stat::average_exec_per_sec:/ { eps = $2 }
	/^stat::peak_rss_mb:/ { rss = $2 }
	/DONE +cov:/ { for (i = 1; i < NF; i++) { if ($i == "cov:") cov = $(i+1);
	    if ($i == "ft:") ft = $(i+1); if ($i == "corp:") corp = $(i+1) } }
	/ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY: UndefinedBehaviorSanitizer|ALARM: working on the last Unit/ { bad = bad ? bad : $0 }
	END { printf "%-9s %12s %8s %7s %8s %12s %6s  %s\n", n, ex, eps, cov, ft, corp, rss,
	    (bad != "" ? bad : (rc == 0 ? "ok" : "exit " rc)) }' "$log"
}

case ${1:-} in
run)
	seeds
	one "$2" "$F/run-$2.log" -max_total_time="$3" || rc=$?
	summary "$2" "$F/run-$2.log" "${rc:-0}"
	;;
long)
	runs=$2
	shift 2
	seeds
	printf "%-9s %12s %8s %7s %8s %12s %6s  %s\n" target executions exec/s edges features corpus rss_mb result
	status=0
	# Two at a time: this is a two-core machine.
	while [ $# -gt 0 ]; do
		a=$1; shift
		( one "$a" "$F/long-$a.log" -runs="$runs"; echo $? >"$F/long-$a.rc" ) &
		if [ $# -gt 0 ]; then
			b=$1; shift
			( one "$b" "$F/long-$b.log" -runs="$runs"; echo $? >"$F/long-$b.rc" ) &
		else
			b=
		fi
		wait
		for n in $a $b; do
			rc=$(cat "$F/long-$n.rc")
			summary "$n" "$F/long-$n.log" "$rc"
			[ "$rc" -eq 0 ] || status=1
		done
	done
	exit $status
	;;
merge)
	shift
	seeds
	for n in "$@"; do
		rm -rf "$F/merged/$n"
		mkdir -p "$F/merged/$n"
		# shellcheck disable=SC2046
		# Edges only: counting hits too keeps four times the inputs
		# for the same edges, and make check replays every one.
		"$F/lf_$n" -merge=1 -use_counters=0 $OPTS -max_len="$(maxlen "$n")" "$F/merged/$n" $(dirs "$n") \
		    >"$F/merge-$n.log" 2>&1
		rm -rf "tests/fuzz/corpus/$n"
		mv "$F/merged/$n" "tests/fuzz/corpus/$n"
		echo "$n: $(ls "tests/fuzz/corpus/$n" | wc -l) inputs, $(du -sk "tests/fuzz/corpus/$n" | cut -f1) KB"
	done
	;;
*)
	sed -n '2,20s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
