#!/usr/bin/env bash
# capture-test-fixtures.sh — re-capture the real `go test` fixtures: failing
# assertions, subtests, parallel tests, panics inside tests, t.Fatal from a
# goroutine, panic(nil)/runtime.Goexit, failing cleanups, data races,
# timeouts, fuzz targets, examples, benchmarks, TestMain exits, build, setup
# and vet failures, -failfast and a go command usage error.
#
# Usage: scripts/capture-test-fixtures.sh [NAME...]
#        (no NAME: every fixture; NAME is a directory under fixtures/test/src)
#
# Environment:
#   GOS  the go commands to capture with, space-separated (default
#        /usr/lib/go-1.24/bin/go /usr/lib/go-1.27/bin/go)
#   OUT  where NAME-MODE-goX.Y.log and NAME-MODE-goX.Y.meta are written
#        (default fixtures/test of this repository; a relative OUT is taken
#        from the current directory)
#
# Each fixture is captured in up to four modes:
#   plain    go test -count=1 ARGS PKGS
#   verbose  go test -count=1 -v ARGS PKGS
#   json     go test -count=1 -json ARGS PKGS
#   fuzz     go test -count=1 ARGS PKGS, with ARGS naming -fuzz (fuzz-fail)
# (most fixtures: plain, verbose and json; a fixture says which it has).
#
# For each fixture, mode and go command, the module fixtures/test/src/NAME is
# copied to the fixed path /tmp/goerrfilt-fixtures/test/NAME (made fresh each
# time, so that the file paths in the output are the same on every machine
# and for every Go version) and `go test` is run there under a controlled
# environment (env -i; GOTOOLCHAIN=local, GOPROXY=off, GOFLAGS= empty,
# GOENV=off, GOCACHE/GOPATH under /tmp/goerrfilt-fixtures/test/cache).  The
# combined stdout and stderr of the go command is saved byte for byte as
# OUT/NAME-MODE-goX.Y.log (X.Y from the toolchain's GOVERSION) and the
# circumstances as OUT/NAME-MODE-goX.Y.meta.  No network is used.  Core
# dumps are disabled (ulimit -c 0).  Anything a run writes (the fuzzer's
# testdata/fuzz/FuzzX/HASH, out.bin) stays in the /tmp copy.
#
# Each fixture declares the text its log must contain (per mode where the
# JSON encoding changes it) and the exit status the go command must end
# with; a capture that does not match is reported and the script exits 1.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/capture-lib.sh
. "$here/capture-lib.sh"
src_root=$root/fixtures/test/src

GOS=${GOS:-/usr/lib/go-1.24/bin/go /usr/lib/go-1.27/bin/go}
OUT=${OUT:-$root/fixtures/test}
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac

base=/tmp/goerrfilt-fixtures/test
cache=$base/cache
mkdir -p "$OUT" "$cache/home" "$cache/go-build" "$cache/gopath"

all_fixtures="assert-fail parallel fatal-goroutine panic-nil cleanup-fail race
timeout fuzz-fail example-fail bench-fail testmain-exit build-fail setup-fail
failfast usage-c-o vet-fail attr-fail skip-pass"

# configure NAME [MODE]: sets the fixture's recipe (for MODE, when given).
#   modes      the modes it is captured in
#   args       extra go test arguments, before the packages (word-split)
#   pkgs       the package patterns (word-split; default ./...)
#   prep       a shell command run in the /tmp copy before go test
#   expect     text the log must contain
#   want_exit  exit status the go command must end with
#   needs      a command that must work for the capture to be made
#              (race: cgo); when it fails the capture is skipped with a note
#   desc       one line for the .meta
configure() {
	local mode=${2:-}
	modes='plain verbose json' args='' pkgs='./...' prep='' expect=''
	want_exit=1 needs='' desc=''
	case $1 in
	assert-fail)
		expect='--- FAIL: TestAdd'
		desc='package calc: TestAdd fails a t.Errorf assertion, TestTable has subtests one (fails) and two (passes), TestSub passes; package index (same module): TestIndex panics with index out of range; exit 1' ;;
	parallel)
		expect='--- FAIL: TestAlpha'
		desc='three t.Parallel tests (TestAlpha, TestBeta, TestGamma) logging three steps each at different intervals, so their output interleaves; TestAlpha and TestGamma fail with t.Errorf; -v shows === PAUSE, === CONT and === NAME; exit 1' ;;
	fatal-goroutine)
		expect='Fail in goroutine after TestLateError has completed'
		desc='TestFatalInGoroutine: t.Fatal in a goroutine the test waits for (the test fails, ends only that goroutine and goes on); TestLateError: a goroutine calls t.Error after the test returned, panic "Fail in goroutine after TestLateError has completed" ends the binary during TestSlow; exit 1' ;;
	panic-nil)
		expect='test executed panic(nil) or runtime.Goexit'
		desc='package panicnil: TestPanicNil calls panic(nil) (a nil error variable): a PanicNilError panic in the test; package goexit: TestGoexit calls runtime.Goexit: the testing package panics "test executed panic(nil) or runtime.Goexit" (TestAfter never runs); exit 1' ;;
	cleanup-fail)
		expect='cleanup: server did not shut down'
		desc='TestTempServer passes its body but its t.Cleanup calls t.Error; TestWithSub/db is failed by its own t.Cleanup (t.Errorf); exit 1' ;;
	race)
		args='-race' expect='WARNING: DATA RACE'
		needs='test "$(go env CGO_ENABLED)" = 1 && gcc --version'
		desc='go test -race: two goroutines increment an int without a lock; the race detector prints WARNING: DATA RACE with both stacks and TestCounter fails with "race detected during execution of test"; exit 1' ;;
	timeout)
		args='-timeout=2s' expect='panic: test timed out after 2s'
		desc='go test -timeout=2s: TestWaitForever blocks on a channel; the test binary panics "test timed out after 2s", "running tests:" lists TestWaitForever, then all goroutines; exit 1' ;;
	fuzz-fail)
		modes='plain verbose json fuzz'
		expect='FuzzParse/long-header'
		desc='FuzzParse: Header rejects any input longer than three bytes; the committed seed corpus entry testdata/fuzz/FuzzParse/long-header ("GET /") fails it, so go test without -fuzz fails deterministically on that entry; exit 1'
		if [ "$mode" = fuzz ]; then
			args='-fuzz=FuzzParse -fuzztime=20s'
			prep="rm -r testdata/fuzz && rm -rf $cache/go-build/fuzz/example.com/fuzz-fail"
			expect='Failing input written to testdata/fuzz/FuzzParse/'
			desc='go test -fuzz=FuzzParse -fuzztime=20s in the /tmp copy, with the committed failing seed file and the fuzz cache removed first: the fuzzer mutates the f.Add seeds "" and "ab" into an input longer than three bytes within a second, prints the failure, "Failing input written to testdata/fuzz/FuzzParse/HASH" (in the /tmp copy) and "To re-run:"; exit 1'
		fi ;;
	example-fail)
		expect='--- FAIL: ExampleGreet'
		desc='ExampleGreet prints "Hello, Ada" and "Hello, Grace" but its // Output: says "Hello, Ada!" and "Hello, Grace!": got: and want: blocks; ExampleGreet_one passes; exit 1' ;;
	bench-fail)
		args='-run=^$ -bench=.' expect='--- FAIL: BenchmarkDecode'
		desc='go test -run=^$ -bench=.: BenchmarkJoin passes (a result line), BenchmarkDecode calls b.Fatal on a missing fixture file; exit 1' ;;
	testmain-exit)
		expect='leak check: 1 goroutine still running'
		desc='TestMain runs m.Run (TestOne and TestTwo pass), prints a leak-check message to stdout and calls os.Exit(1): the package fails with no failing test (plain shows PASS then FAIL pkg); exit 1' ;;
	build-fail)
		expect='/broken [build failed]'
		desc='package broken: its _test.go does not compile (a string variable assigned an int, an undefined function): "FAIL example.com/build-fail/broken [build failed]"; package ok, in the same module, builds and passes; exit 1' ;;
	setup-fail)
		expect='/a [setup failed]'
		desc='package a: its internal test imports b, which imports a: "import cycle not allowed in test", "FAIL example.com/setup-fail/a [setup failed]"; package c: its test imports example.com/setup-fail/testutil, which does not exist (setup failed as well); package ok passes; exit 1' ;;
	failfast)
		args='-failfast' expect='--- FAIL: TestParse'
		desc='go test -failfast: TestOpen passes, TestParse fails (t.Errorf) and the run stops there: TestEval (t.Fatal) and TestPrint (t.Error) never run; exit 1' ;;
	usage-c-o)
		modes=plain want_exit=1 args="-c -o out.bin"
		expect='with multiple packages, -o must refer to a directory'
		desc='go test -c -o out.bin ./... on a module with two test packages (x, y): the go command refuses ("with multiple packages, -o must refer to a directory or /dev/null") before building; no test runs; exit 1' ;;
	vet-fail)
		expect='format %d has arg name of wrong type string'
		desc='rate_test.go calls t.Errorf("Limit(%d) = %d, want 3", name, got) with a string name: the printf check of the vet run go test makes reports it and package rate fails without running its tests; package ok passes; exit 1' ;;
	attr-fail)
		expect='--- FAIL: TestDecode'
		needs='go version | grep -qE "go1\.(2[5-9]|[3-9][0-9])"'
		desc='TestDecode logs a line, records t.Attr("issue", "ISSUE-1234") and t.Attr("owner", "storage-team") (Go 1.25+: "=== ATTR" under -v, an attr action under -json) and fails with a three-line t.Errorf message (go1.27 -json: OutputType error, then error-continue); TestEncode passes with an attribute; exit 1' ;;
	skip-pass)
		expect='--- FAIL: TestTriangle'
		desc='TestSquare passes, TestTriangle fails a t.Errorf assertion, TestCircle calls t.Skip, TestOnDisk has subtests small (passes) and huge (t.Skipf); for the passed and skipped testcases of -f junit; exit 1' ;;
	*) echo "capture: unknown fixture $1" >&2; return 1 ;;
	esac
	[ -d "$src_root/$1" ] || { echo "capture: missing module $src_root/$1" >&2; return 1; }
}

# capture NAME MODE GO: one fixture in one mode with one go command.
capture() {
	local name=$1 mode=$2 GO=$3 goroot gobin go_version tag work log tmp rc ok
	local modeflag cmd note=''
	configure "$name" "$mode" || return 1
	[ -x "$GO" ] || { echo "capture: $GO: not an executable go command" >&2; return 1; }
	goroot=$(env -i PATH=/usr/bin:/bin GOTOOLCHAIN=local GOENV=off "$GO" env GOROOT)
	gobin=$goroot/bin
	# The controlled environment for the go command and the test binaries.
	local base_env=(
		"PATH=$gobin:/usr/local/bin:/usr/bin:/bin"
		"HOME=$cache/home"
		"GOTOOLCHAIN=local"
		"GOFLAGS="
		"GOPROXY=off"
		"GOENV=off"
		"GOCACHE=$cache/go-build"
		"GOPATH=$cache/gopath"
		"LANG=C"
	)
	go_version=$(env -i "${base_env[@]}" "$GO" env GOVERSION)
	# go1.27.4 -> tag go1.27.
	tag=${go_version%.*}
	work=$base/$name
	log=$OUT/$name-$mode-$tag.log
	tmp=$OUT/.$name-$mode-$tag.log.tmp
	case $mode in
	plain|fuzz) modeflag='' ;;
	verbose) modeflag='-v' ;;
	json) modeflag='-json' ;;
	*) echo "capture: $name: unknown mode $mode" >&2; return 1 ;;
	esac
	if [ -n "$needs" ] && ! (cd /tmp && env -i "${base_env[@]}" sh -c "$needs") >/dev/null 2>&1; then
		echo "capture: $name-$mode-$tag: skipped ($needs fails)"
		return 0
	fi
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$src_root/$name/." "$work/"
	if [ -n "$prep" ]; then
		(cd "$work" && sh -c "$prep")
	fi

	cmd="go test -count=1${modeflag:+ $modeflag}${args:+ $args} $pkgs"
	set +e
	# shellcheck disable=SC2086
	(
		cd "$work" || exit 125
		ulimit -c 0
		exec env -i "${base_env[@]}" "$gobin/go" test -count=1 $modeflag $args $pkgs
	) >"$tmp" 2>&1 </dev/null
	rc=$?
	set -e

	ok=yes
	if ! grep -qF -- "$expect" "$tmp"; then
		echo "capture: $name-$mode ($go_version): log lacks \"$expect\"" >&2
		ok=no
	fi
	if [ "$rc" -ne "$want_exit" ]; then
		echo "capture: $name-$mode ($go_version): exit $rc, expected $want_exit" >&2
		ok=no
	fi
	mv -f "$tmp" "$log"
	{
		echo "name=$name-$mode-$tag"
		echo "description=$desc"
		echo "mode=$mode"
		echo "go_version=$go_version"
		echo "goos_goarch=$(env -i "${base_env[@]}" "$GO" env GOOS)/$(env -i "${base_env[@]}" "$GO" env GOARCH)"
		echo "dir=$work"
		[ -z "$needs" ] || echo "requires=$needs"
		[ -z "$prep" ] || echo "prepare=$prep"
		echo "command=$cmd"
		echo "env=$(shell_quote "${base_env[@]}")"
		echo "limits=ulimit -c 0"
		echo "output=stdout+stderr of the go command, combined in one file"
		echo "exit=$rc"
		echo "captured=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "synthetic=no"
	} >"$OUT/$name-$mode-$tag.meta"
	printf '%-36s exit=%-3s %s  (%s)\n' "$name-$mode-$tag" "$rc" \
		"$(grep -m1 -F -- "$expect" "$log" | cut -c1-80)" \
		"$(wc -c <"$log" | tr -d ' ') bytes"
	[ $ok = yes ]
}

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2086
	set -- $all_fixtures
fi
failed=
for name in "$@"; do
	configure "$name" || { failed="$failed $name"; continue; }
	for mode in $modes; do
		for go in $GOS; do
			capture "$name" "$mode" "$go" || failed="$failed $name-$mode($go)"
		done
	done
done
if [ -n "$failed" ]; then
	echo "capture: FAILED:$failed" >&2
	exit 1
fi
