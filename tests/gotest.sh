# Sourced by tests/run.sh: go test output as a first-class input
# (filter/gotest.c).  The real captures under fixtures/test give the same
# failures in plain, -v and -json form and under go1.24 and go1.27; the
# bounds are checked on synthetic input (named so) built from real lines.

# NAME: kind test pkg file:line per event, sorted, for comparing modes.
gt_sig() {
	$BIN "$1" 2>/dev/null | $PY -c '
import json, sys
rows = []
for l in sys.stdin:
    e = json.loads(l)
    rows.append("%s %s %s %s:%s" % (e["kind"], e.get("test", "-"), e.get("pkg", "-"),
        e.get("file", "-").rsplit("/", 1)[-1], e.get("line", "-")))
print("|".join(sorted(rows)))'
}

# Every case gives the same events in its three modes (the location line
# may differ where go1.27 -json marks t.Error apart from t.Log).
for f in fixtures/test/*-plain-go1.2[47].log; do
	b=${f%-plain-*}; v=${f#"$b"-plain-}
	[ -e "$b-verbose-$v" ] || continue
	p=$(gt_sig "$f")
	check "go test: $(basename "$b") $v: plain and -v give the same events" \
		test -n "$p" -a "$p" = "$(gt_sig "$b-verbose-$v")"
	case $v in
	go1.24*) check "go test: $(basename "$b") $v: plain and -json give the same events" \
		test "$p" = "$(gt_sig "$b-json-$v")" ;;
	esac
done

# What the issue asks of each shape, on the real captures.
gt_has() {
	name=$1 f=$2 expr=$3
	check "go test: $name" $PY -c '
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
ok = eval(sys.argv[2], {"evs": evs})
if not ok:
    for e in evs: print({k: e[k] for k in e if k not in ("stack", "goroutines", "hint")})
sys.exit(0 if ok else 1)' "$T/gt.jsonl" "$expr"
}
gt_run() { $BIN "$1" >"$T/gt.jsonl" 2>/dev/null; }

for v in go1.24 go1.27; do
	for m in plain verbose json; do
		gt_run fixtures/test/assert-fail-$m-$v.log
		gt_has "assert-fail $m $v: TestAdd, TestTable/one (not TestTable) and TestIndex's panic, three events" x \
			'sorted(e.get("test") for e in evs) == ["TestAdd", "TestIndex", "TestTable/one"] and all(e.get("pkg") for e in evs)'
		gt_has "assert-fail $m $v: the message is the assertion, with file, line, elapsed and output" x \
			'any(e.get("test") == "TestAdd" and e["msg"] == "Add(2, 2) = 5, want 4" and e["file"] == "calc_test.go" and e["line"] == 8 and isinstance(e["elapsed"], float) and e["output"] == ["calc_test.go:8: Add(2, 2) = 5, want 4"] for e in evs)'
		gt_has "assert-fail $m $v: the panic carries its test and package" x \
			'any(e["class"] == "panic" and e["kind"] == "index_out_of_range" and e["test"] == "TestIndex" and e["pkg"] == "example.com/assert-fail/index" for e in evs)'
		gt_run fixtures/test/parallel-$m-$v.log
		gt_has "parallel $m $v: each interleaved line goes to its own test" x \
			'sorted(e["test"] for e in evs) == ["TestAlpha", "TestGamma"] and all(all(l.split(": ", 1)[-1].startswith(e["test"][4:].lower()) for l in e["output"]) and len(e["output"]) == 4 for e in evs)'
		gt_run fixtures/test/timeout-$m-$v.log
		gt_has "timeout $m $v: one test_timeout naming the running test, its goroutine as stack" x \
			'len(evs) == 1 and evs[0]["kind"] == "test_timeout" and evs[0]["test"] == "TestWaitForever" and evs[0]["stack"][0]["func"] == "example.com/timeout.TestWaitForever" and evs[0]["pkg"] == "example.com/timeout"'
		gt_run fixtures/test/race-$m-$v.log
		gt_has "race $m $v: the race is the test's one event" x \
			'len(evs) == 1 and evs[0]["class"] == "race" and evs[0]["test"] == "TestCounter" and evs[0]["pkg"] == "example.com/race"'
		gt_run fixtures/test/panic-nil-$m-$v.log
		gt_has "panic-nil $m $v: panic(nil) and Goexit, one event each with its test" x \
			'sorted((e["class"], e["test"]) for e in evs) == [("panic", "TestGoexit"), ("panic", "TestPanicNil")]'
		gt_run fixtures/test/fatal-goroutine-$m-$v.log
		gt_has "fatal-goroutine $m $v: t.Fatal in a goroutine, and a late t.Error naming its test" x \
			'sorted(e.get("test") for e in evs) == ["TestFatalInGoroutine", "TestLateError"] and any(e["msg"] == "worker: connection refused" for e in evs)'
		gt_run fixtures/test/cleanup-fail-$m-$v.log
		gt_has "cleanup-fail $m $v: the cleanups' failures, the subtest's as a leaf" x \
			'sorted(e["test"] for e in evs) == ["TestTempServer", "TestWithSub/db"]'
		gt_run fixtures/test/example-fail-$m-$v.log
		gt_has "example-fail $m $v: example_failure with got and want" x \
			'len(evs) == 1 and evs[0]["kind"] == "example_failure" and evs[0]["msg"] == "got: Hello, Ada; want: Hello, Ada!"'
		gt_run fixtures/test/bench-fail-$m-$v.log
		gt_has "bench-fail $m $v: benchmark_failure with b.Fatal's message" x \
			'len(evs) == 1 and evs[0]["kind"] == "benchmark_failure" and evs[0]["test"] == "BenchmarkDecode" and evs[0]["line"] == 20'
		gt_run fixtures/test/testmain-exit-$m-$v.log
		gt_has "testmain-exit $m $v: test_exit with TestMain's last line" x \
			'len(evs) == 1 and evs[0]["kind"] == "test_exit" and evs[0]["msg"].startswith("leak check:") and evs[0]["pkg"] == "example.com/testmain-exit"'
		gt_run fixtures/test/build-fail-$m-$v.log
		gt_has "build-fail $m $v: the compile errors, with their package, and no [build failed] event" x \
			'len(evs) == 3 and all(e["class"] == "compile_error" and e["pkg"] == "example.com/build-fail/broken" and e["rule"] != "runtime.test_build_failed" for e in evs)'
		gt_run fixtures/test/setup-fail-$m-$v.log
		gt_has "setup-fail $m $v: both setup failures carry their package" x \
			'sorted(e["pkg"] for e in evs) == ["example.com/setup-fail/a", "example.com/setup-fail/c"]'
		gt_run fixtures/test/fuzz-fail-$m-$v.log
		gt_has "fuzz-fail $m $v: the failing seed corpus entry as input" x \
			'len(evs) == 1 and evs[0]["kind"] == "fuzz_failure" and evs[0]["input"] == "testdata/fuzz/FuzzParse/long-header"'
	done
	gt_run fixtures/test/fuzz-fail-fuzz-$v.log
	gt_has "fuzz-fail -fuzz $v: one fuzz_failure with the written input and the re-run command" x \
		'len(evs) == 1 and evs[0]["input"].startswith("testdata/fuzz/FuzzParse/") and evs[0]["cmd"].startswith("go test -run=FuzzParse/")'
done
gt_run fixtures/test/attr-fail-json-go1.27.log
gt_has "attr-fail -json go1.27: attrs, and the error-typed line as the message" x \
	'len(evs) == 1 and evs[0]["attrs"] == {"issue": "ISSUE-1234", "owner": "storage-team"} and evs[0]["msg"] == "decoded record differs:" and evs[0]["line"] == 13'

# A panic inside a test hashes as the same panic outside one: the testing
# package's frames are left out (fixtures/crash/test-panic vs assert-fail's
# index panic under both Go versions).
a=$($BIN fixtures/test/assert-fail-plain-go1.24.log | $PY -c 'import json,sys; print([json.loads(l)["fingerprint"] for l in sys.stdin if "panic" in l][-1])')
b=$($BIN fixtures/test/assert-fail-json-go1.27.log | $PY -c 'import json,sys; print([json.loads(l)["fingerprint"] for l in sys.stdin if "panic" in l][-1])')
check "go test: a test's panic has one fingerprint across modes and Go versions ($a)" test -n "$a" -a "$a" = "$b"

# Bounds (synthetic input from real lines): 3,000 failing tests in one
# package, one test with 10,000 log lines, a run cut before its summary.
$PY - "$T" <<'EOF'
import sys
t = sys.argv[1]
with open(t + "/many.log", "w") as f:
    for i in range(3000):
        f.write("--- FAIL: TestN%d (0.00s)\n    n_test.go:%d: case %d failed\n" % (i, i + 1, i))
    f.write("FAIL\nFAIL\texample.com/many\t0.500s\nFAIL\n")
with open(t + "/long.log", "w") as f:
    f.write("--- FAIL: TestLong (1.25s)\n")
    for i in range(10000):
        f.write("    long_test.go:%d: line %d\n" % (i + 1, i))
    f.write("FAIL\nFAIL\texample.com/long\t1.300s\nFAIL\n")
with open(t + "/cut.log", "w") as f:
    f.write("=== RUN   TestCut\n    cut_test.go:3: boom\n--- FAIL: TestCut (0.01s)\n")
EOF
$BIN "$T/many.log" >"$T/gt.jsonl" 2>/dev/null
gt_has "bounds (synthetic): 3,000 failing tests in one package, 3,000 events, in order" x \
	'len(evs) == 3000 and [e["test"] for e in evs] == ["TestN%d" % i for i in range(3000)] and sum(1 for e in evs if e.get("pkg") == "example.com/many") >= 2048'
$BIN "$T/long.log" >"$T/gt.jsonl" 2>/dev/null
gt_has "bounds (synthetic): 10,000 output lines give 50 and output_omitted 9,950" x \
	'len(evs) == 1 and len(evs[0]["output"]) == 50 and evs[0]["output_omitted"] == 9950 and evs[0]["pkg"] == "example.com/long" and evs[0]["elapsed"] == 1.25'
$BIN "$T/cut.log" >"$T/gt.jsonl" 2>/dev/null
gt_has "a run cut before its summary: the held event is written at the end, without pkg" x \
	'len(evs) == 1 and evs[0]["test"] == "TestCut" and "pkg" not in evs[0] and evs[0]["msg"] == "boom"'
status "bounds (synthetic): 3,000 held tests stay within $RSS_KB KB" 0 \
	$PY tests/rss.py "$RSS_KB" 60 $BIN -o /dev/null "$T/many.log"
