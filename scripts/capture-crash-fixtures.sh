#!/usr/bin/env bash
# capture-crash-fixtures.sh — re-capture the real Go crash fixtures.
#
# Usage: scripts/capture-crash-fixtures.sh [NAME...]
#        (no NAME: every fixture; NAME is a directory under fixtures/crash/src,
#         or nil-deref-otherdir)
#
# Environment:
#   GO   the go command to use (default /usr/lib/go-1.24/bin/go)
#   OUT  where NAME.log and NAME.meta are written (default fixtures/crash of
#        this repository; a relative OUT is taken from the current directory)
#
# For each fixture the Go module fixtures/crash/src/NAME is copied to the fixed
# path /tmp/goerrfilt-fixtures/crash/NAME (made fresh each time, so that the
# file paths in the stacks are the same on every machine), built with a
# controlled environment (env -i; GOTOOLCHAIN=local, GOPROXY=off, GOFLAGS=
# empty, GOCACHE/GOPATH under /tmp/goerrfilt-fixtures/crash/cache) and run
# with the fixture's own environment, flags and resource limits. The combined
# stdout+stderr of the run is saved byte for byte as OUT/NAME.log and the
# circumstances as OUT/NAME.meta. No network is used. Core dumps are disabled
# (ulimit -c 0) for every run.
#
# nil-deref-otherdir is the nil-deref module built and run from another fixed
# path (/tmp/goerrfilt-fixtures/crash-alt/nil-deref), for fingerprint
# path-independence tests.
#
# Each fixture declares the text its log must contain and the exit status it
# must end with; a capture that does not match is reported and the script
# exits 1 (concurrent-map-writes is re-run until the race is caught).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=scripts/capture-lib.sh
. "$here/capture-lib.sh"
src_root=$root/fixtures/crash/src

GO=${GO:-/usr/lib/go-1.24/bin/go}
OUT=${OUT:-$root/fixtures/crash}
case $OUT in /*) ;; *) OUT=$(pwd)/$OUT ;; esac

base=/tmp/goerrfilt-fixtures
cache=$base/crash/cache

[ -x "$GO" ] || { echo "capture: $GO: not an executable go command" >&2; exit 2; }
goroot=$("$GO" env GOROOT)
gobin=$goroot/bin
mkdir -p "$OUT" "$cache/home" "$cache/go-build" "$cache/gopath"

# The controlled environment for the go command and for the programs.
base_env=(
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

all_fixtures="nil-deref nil-deref-otherdir index-out-of-range slice-bounds
type-assertion close-closed-channel nil-map-write user-panic-multiline
recovered-repanic custom-error-panic concurrent-map-writes deadlock
stack-overflow oom race checkptr unexpected-return-pc sigquit
gotraceback-system gotraceback-crash gotraceback-crash-sigabrt test-timeout test-panic ice-dpanic
goroutines-10k sigsegv-cgo"

# configure NAME: sets the fixture's recipe.
#   src        module directory under fixtures/crash/src
#   work       fixed directory it is built and run in
#   mode       run (build, then run the binary) | signal (run, wait for the
#              line "ready", send it $sig) | test (go test) | build (the log
#              is the go build output)
#   sig        the signal for mode=signal (QUIT, ABRT)
#   bflags     extra go build / go test flags (word-split)
#   targs      arguments after the package for go test (word-split)
#   renv       extra environment for the logged command (word-split)
#   limits     shell commands run before it (rlimits)
#   expect     text the log must contain
#   want_exit  exit status it must end with
#   tries      how many runs before giving up on expect
configure() {
	src=$1 work=$base/crash/$1 mode=run sig=QUIT bflags='' targs='' renv='' limits=''
	expect='' want_exit=2 tries=1
	case $1 in
	nil-deref) expect='invalid memory address or nil pointer dereference' ;;
	nil-deref-otherdir)
		src=nil-deref work=$base/crash-alt/nil-deref
		expect='invalid memory address or nil pointer dereference' ;;
	index-out-of-range) expect='panic: runtime error: index out of range [4] with length 4' ;;
	slice-bounds) expect='panic: runtime error: slice bounds out of range' ;;
	type-assertion) expect='panic: interface conversion: main.Event is *main.Click, not *main.KeyPress' ;;
	close-closed-channel) expect='panic: close of closed channel' ;;
	nil-map-write) expect='panic: assignment to entry in nil map' ;;
	user-panic-multiline) expect='panic: config validation failed:' ;;
	recovered-repanic) expect='[recovered' ;;  # 1.25+ prints [recovered, repanicked]
	custom-error-panic) expect='panic: migrate users: open schema v3: file does not exist' ;;
	concurrent-map-writes) expect='fatal error: concurrent map writes' tries=50 ;;
	deadlock) expect='fatal error: all goroutines are asleep - deadlock!' ;;
	stack-overflow) expect='fatal error: stack overflow' ;;
	oom) expect='fatal error: out of memory' limits='ulimit -v 1048576' ;;
	race) expect='WARNING: DATA RACE' bflags='-race' want_exit=66 ;;
	checkptr) expect='fatal error: checkptr:' bflags='-gcflags=all=-d=checkptr' ;;
	unexpected-return-pc) expect='unexpected return pc for main.trampoline' ;;
	sigquit) expect='SIGQUIT: quit' mode=signal ;;
	gotraceback-system) expect='panic: runtime error: integer divide by zero' renv='GOTRACEBACK=system' ;;
	# A Go panic under GOTRACEBACK=crash: system-level dump of every
	# goroutine, then the runtime re-raises SIGABRT with the default action
	# (Go 1.24 prints no "SIGABRT: abort" nor registers for this path).
	gotraceback-crash) expect='panic: send on closed channel' renv='GOTRACEBACK=crash' want_exit=134 ;;
	# The hung sigquit server killed with SIGABRT under GOTRACEBACK=crash:
	# "SIGABRT: abort", PC=, all goroutines, the register dump, death by
	# SIGABRT.
	gotraceback-crash-sigabrt)
		src=sigquit expect='SIGABRT: abort' mode=signal sig=ABRT
		renv='GOTRACEBACK=crash' want_exit=134 ;;
	test-timeout)
		expect='panic: test timed out after 2s' mode=test
		targs='-count=1 -timeout 2s' want_exit=1 ;;
	test-panic)
		expect='--- FAIL: TestParseRequest' mode=test targs='-count=1' want_exit=1 ;;
	ice-dpanic)
		expect='internal compiler error: unexpected types2.Invalid' mode=build
		bflags='-gcflags=-d=panic' want_exit=1 ;;
	goroutines-10k) expect='panic: assignment to entry in nil map' renv='GOTRACEBACK=all' ;;
	sigsegv-cgo) expect='signal arrived during cgo execution' ;;
	*) echo "capture: unknown fixture $1" >&2; return 1 ;;
	esac
	[ -d "$src_root/$src" ] || { echo "capture: missing module $src_root/$src" >&2; return 1; }
}

# run_logged LOG CMD...: runs CMD in $work under the controlled environment
# plus $renv and $limits, stdout and stderr both into LOG; sets rc.
run_logged() {
	local log=$1
	shift
	set +e
	# (the outer 2>/dev/null only silences bash's own "Aborted" job notice)
	{
		# shellcheck disable=SC2086
		(
			cd "$work" || exit 125
			ulimit -c 0
			eval "$limits"
			exec env -i "${base_env[@]}" $renv "$@"
		) >"$log" 2>&1
	} 2>/dev/null
	rc=$?
	set -e
}

# run_signalled LOG CMD...: like run_logged, but the program runs in the
# background; once its output has the line "ready" it gets SIG$sig.
run_signalled() {
	local log=$1 pid
	shift
	(
		cd "$work" || exit 125
		ulimit -c 0
		eval "$limits"
		exec env -i "${base_env[@]}" $renv "$@"
	) >"$log" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		grep -qx ready "$log" 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.2
	kill -"$sig" "$pid" 2>/dev/null || true
	set +e
	wait "$pid" 2>/dev/null
	rc=$?
	set -e
}

capture() {
	local name=$1 bin cmd attempt log tmp
	configure "$name" || return 1
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$src_root/$src/." "$work/"
	bin=$src
	log=$OUT/$name.log
	tmp=$OUT/.$name.log.tmp

	local build=()
	case $mode in
	run | signal)
		# shellcheck disable=SC2206
		build=(go build $bflags -o "$bin" .)
		set +e
		(cd "$work" && env -i "${base_env[@]}" "$gobin/go" build $bflags -o "$bin" .) >"$tmp" 2>&1
		rc=$?
		set -e
		if [ $rc -ne 0 ]; then
			echo "capture: $name: build failed:" >&2
			cat "$tmp" >&2
			rm -f "$tmp"
			return 1
		fi
		cmd=("./$bin")
		;;
	test)
		# shellcheck disable=SC2206
		cmd=(go test $bflags $targs .)
		;;
	build)
		# shellcheck disable=SC2206
		cmd=(go build $bflags -o "$bin" .)
		;;
	esac

	attempt=0
	while :; do
		attempt=$((attempt + 1))
		if [ "$mode" = signal ]; then
			run_signalled "$tmp" "${cmd[@]}"
		else
			run_logged "$tmp" "${cmd[@]}"
		fi
		if grep -qF -- "$expect" "$tmp"; then break; fi
		if [ $attempt -ge $tries ]; then break; fi
	done

	local ok=yes
	if ! grep -qF -- "$expect" "$tmp"; then
		echo "capture: $name: log lacks \"$expect\" after $attempt run(s)" >&2
		ok=no
	fi
	if [ "$rc" -ne "$want_exit" ]; then
		echo "capture: $name: exit $rc, expected $want_exit" >&2
		ok=no
	fi
	mv -f "$tmp" "$log"
	{
		echo "name=$name"
		echo "go_version=$go_version"
		echo "goos_goarch=$(env -i "${base_env[@]}" "$GO" env GOOS)/$(env -i "${base_env[@]}" "$GO" env GOARCH)"
		echo "dir=$work"
		if [ ${#build[@]} -gt 0 ]; then echo "build=$(shell_quote "${build[@]}")"; fi
		echo "command=$(shell_quote "${cmd[@]}")"
		# shellcheck disable=SC2086
		echo "env=$(shell_quote "${base_env[@]}" $renv)"
		echo "limits=ulimit -c 0${limits:+; $limits}"
		if [ "$mode" = signal ]; then echo "signal=SIG$sig sent by the capture script (kill -$sig pid) after the program printed \"ready\""; fi
		echo "attempts=$attempt"
		echo "exit=$rc"
		echo "captured=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "synthetic=no"
	} >"$OUT/$name.meta"
	printf '%-24s exit=%-4s %s  (%s)\n' "$name" "$rc" \
		"$(grep -m1 -F -- "$expect" "$log" | cut -c1-100)" \
		"$(wc -c <"$log" | tr -d ' ') bytes"
	[ $ok = yes ]
}

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2086
	set -- $all_fixtures
fi
failed=
for name in "$@"; do
	capture "$name" || failed="$failed $name"
done
if [ -n "$failed" ]; then
	echo "capture: FAILED:$failed" >&2
	exit 1
fi
