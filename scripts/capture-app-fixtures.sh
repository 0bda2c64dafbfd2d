#!/usr/bin/env bash
# capture-app-fixtures.sh — re-capture the real Go application-logging
# fixtures: crashes that a Go program logs itself (net/http's "http: panic
# serving", slog records carrying debug.Stack(), debug.PrintStack(), a
# service log that ends in a crash) and a few go1.27 traceback changes.
#
# Usage: scripts/capture-app-fixtures.sh [NAME...]
#        (no NAME: every fixture; NAME is a directory under fixtures/app/src)
#
# Environment:
#   GOS  the go commands to capture with, space-separated (default
#        /usr/lib/go-1.24/bin/go /usr/lib/go-1.27/bin/go)
#   OUT  where NAME-goX.Y.log and NAME-goX.Y.meta are written (default
#        fixtures/app of this repository; a relative OUT is taken from the
#        current directory)
#
# For each fixture and each go command, the module fixtures/app/src/NAME is
# copied to the fixed path /tmp/goerrfilt-fixtures/app/NAME (made fresh each
# time, so that the file paths in the stacks are the same on every machine
# and for every Go version), built under a controlled environment (env -i;
# GOTOOLCHAIN=local, GOPROXY=off, GOFLAGS= empty, GOCACHE/GOPATH under
# /tmp/goerrfilt-fixtures/app/cache) and run there with the fixture's own
# environment.  The programs write only to stderr; the combined stdout and
# stderr of the run is saved byte for byte as OUT/NAME-goX.Y.log (X.Y from
# the toolchain's GOVERSION) and the circumstances as OUT/NAME-goX.Y.meta.
# No network is used but 127.0.0.1 (the net/http fixtures request their own
# server).  Core dumps are disabled (ulimit -c 0).
#
# Each fixture declares the text its log must contain and the exit status it
# must end with; a capture that does not match is reported and the script
# exits 1.  A fixture may need a minimum Go version (generic-method needs
# go1.27); it is skipped, with a note, for an older go command.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/capture-lib.sh
. "$here/capture-lib.sh"
src_root=$root/fixtures/app/src

GOS=${GOS:-/usr/lib/go-1.24/bin/go /usr/lib/go-1.27/bin/go}
OUT=${OUT:-$root/fixtures/app}
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac

base=/tmp/goerrfilt-fixtures/app
cache=$base/cache
mkdir -p "$OUT" "$cache/home" "$cache/go-build" "$cache/gopath"

all_fixtures="http-panic-nil http-panic-error http-panic-then-log
slog-json-recover slog-text-recover printstack-recovered printstack-plain
service-log-crash panic-nil goroutine-labels generic-method"

# configure NAME: sets the fixture's recipe.
#   expect     text the log must contain
#   want_exit  exit status it must end with
#   renv       extra environment for the program (word-split)
#   min_minor  the lowest Go 1.x minor version that can build it
#   desc       one line for the .meta
configure() {
	expect='' want_exit=0 renv='' min_minor=0 desc=''
	case $1 in
	http-panic-nil)
		expect='http: panic serving 127.0.0.1:'
		desc='net/http server (ErrorLog nil: default log package) recovers a handler nil pointer dereference and logs "http: panic serving ADDR: ..." plus the stack; one request to itself on 127.0.0.1, exit 0' ;;
	http-panic-error)
		expect='http: panic serving 127.0.0.1:'
		desc='net/http server (default log package) recovers a handler panic(fmt.Errorf(...)) and logs "http: panic serving ADDR: load order 42: order not found" plus the stack; exit 0' ;;
	http-panic-then-log)
		expect='http: panic serving 127.0.0.1:'
		desc='a service logging each request with log.Printf; the third request panics (index out of range), net/http logs "http: panic serving", and ordinary log lines follow; exit 0' ;;
	slog-json-recover)
		expect='"msg":"panic recovered"'
		desc='recovery middleware: recover() then slog.Error("panic recovered", "err", r, "stack", string(debug.Stack())) through slog.NewJSONHandler(os.Stderr, nil); nil map write in the handler; exit 0' ;;
	slog-text-recover)
		expect='msg="panic recovered"'
		desc='recovery middleware: recover() then slog.Error("panic recovered", "err", r, "stack", string(debug.Stack())) through slog.NewTextHandler(os.Stderr, nil) (the stack is a quoted value); nil map write in the handler; exit 0' ;;
	printstack-recovered)
		expect='runtime/debug.PrintStack()'
		desc='a worker recovers a failed type assertion, prints the value and calls debug.PrintStack(), then goes on; exit 0' ;;
	printstack-plain)
		expect='runtime/debug.PrintStack()'
		desc='debug.PrintStack() called without any panic, to show the caller; exit 0' ;;
	service-log-crash)
		expect='panic: assignment to entry in nil map' want_exit=2
		desc='202 ordinary log.Printf lines (std log prefix) from a job loop, then an unrecovered nil map write; exit 2' ;;
	panic-nil)
		expect='panic called with nil argument' want_exit=2
		desc='panic(nil) through an error variable never set: PanicNilError (go1.27 prefixes "runtime error: "); exit 2' ;;
	goroutine-labels)
		expect='panic: close of closed channel' want_exit=2 renv='GODEBUG=tracebacklabels=1'
		desc='close of a closed channel in a goroutine running under pprof.Do labels, GODEBUG=tracebacklabels=1 (go1.27 prints the labels in the goroutine header; go1.24 has no such setting); exit 2' ;;
	generic-method)
		expect='panic: runtime error: index out of range [2] with length 2' want_exit=2 min_minor=27
		desc='index out of range in a generic method of a generic type (go1.27 language feature; the frame is printed with two [...] lists); exit 2' ;;
	*) echo "capture: unknown fixture $1" >&2; return 1 ;;
	esac
	[ -d "$src_root/$1" ] || { echo "capture: missing module $src_root/$1" >&2; return 1; }
}

# capture NAME GO: one fixture with one go command.
capture() {
	local name=$1 GO=$2 goroot gobin go_version minor tag work log tmp rc ok
	configure "$name" || return 1
	[ -x "$GO" ] || { echo "capture: $GO: not an executable go command" >&2; return 1; }
	goroot=$(env -i PATH=/usr/bin:/bin GOTOOLCHAIN=local GOENV=off "$GO" env GOROOT)
	gobin=$goroot/bin
	# The controlled environment for the go command and for the programs.
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
	# go1.27.4 -> tag go1.27, minor 27.
	tag=${go_version%.*}
	minor=${tag#go1.}
	if [ "$minor" -lt "$min_minor" ]; then
		echo "capture: $name: skipped for $go_version (needs go1.$min_minor)"
		return 0
	fi
	work=$base/$name
	log=$OUT/$name-$tag.log
	tmp=$OUT/.$name-$tag.log.tmp
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$src_root/$name/." "$work/"

	set +e
	(cd "$work" && env -i "${base_env[@]}" "$gobin/go" build -o "$name" .) >"$tmp" 2>&1
	rc=$?
	set -e
	if [ $rc -ne 0 ]; then
		echo "capture: $name: build with $go_version failed:" >&2
		cat "$tmp" >&2
		rm -f "$tmp"
		return 1
	fi
	set +e
	# shellcheck disable=SC2086
	(
		cd "$work" || exit 125
		ulimit -c 0
		exec env -i "${base_env[@]}" $renv "./$name"
	) >"$tmp" 2>&1 </dev/null
	rc=$?
	set -e

	ok=yes
	if ! grep -qF -- "$expect" "$tmp"; then
		echo "capture: $name ($go_version): log lacks \"$expect\"" >&2
		ok=no
	fi
	if [ "$rc" -ne "$want_exit" ]; then
		echo "capture: $name ($go_version): exit $rc, expected $want_exit" >&2
		ok=no
	fi
	mv -f "$tmp" "$log"
	{
		echo "name=$name-$tag"
		echo "description=$desc"
		echo "go_version=$go_version"
		echo "goos_goarch=$(env -i "${base_env[@]}" "$GO" env GOOS)/$(env -i "${base_env[@]}" "$GO" env GOARCH)"
		echo "dir=$work"
		echo "build=go build -o $name ."
		echo "command=./$name"
		# shellcheck disable=SC2086
		echo "env=$(shell_quote "${base_env[@]}" $renv)"
		echo "limits=ulimit -c 0"
		echo "output=stdout+stderr (the program writes only to stderr)"
		echo "exit=$rc"
		echo "captured=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "synthetic=no"
	} >"$OUT/$name-$tag.meta"
	printf '%-32s exit=%-3s %s  (%s)\n' "$name-$tag" "$rc" \
		"$(grep -m1 -F -- "$expect" "$log" | cut -c1-90)" \
		"$(wc -c <"$log" | tr -d ' ') bytes"
	[ $ok = yes ]
}

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2086
	set -- $all_fixtures
fi
failed=
for name in "$@"; do
	for go in $GOS; do
		capture "$name" "$go" || failed="$failed $name($go)"
	done
done
if [ -n "$failed" ]; then
	echo "capture: FAILED:$failed" >&2
	exit 1
fi
