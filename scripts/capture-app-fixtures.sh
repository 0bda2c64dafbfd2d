#!/usr/bin/env bash
# capture-app-fixtures.sh - re-capture the real output of Go programs that
# log their own crashes: net/http's "http: panic serving" (a real server and
# a real request on 127.0.0.1), a slog JSON record carrying debug.Stack()
# from a recovery function, and debug.PrintStack() after a recover.
#
# Usage: scripts/capture-app-fixtures.sh        (GO=... for another toolchain)
#
# Each module fixtures/app/src/NAME is copied to the fixed path
# /tmp/goerrfilt-fixtures/app/NAME (so the paths in the stacks are the same
# on every machine), built with a controlled environment (env -i,
# GOTOOLCHAIN=local, GOPROXY=off) and run; its stderr is saved byte for byte
# as fixtures/app/NAME-goVERSION.log with a .meta beside it.  The programs
# exit 0: they recover the panic themselves.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
GO=${GO:-/usr/lib/go-1.24/bin/go}
OUT=$root/fixtures/app
base=/tmp/goerrfilt-fixtures/app
cache=$base/cache
[ -x "$GO" ] || { echo "capture: $GO: not an executable go command" >&2; exit 2; }
goroot=$("$GO" env GOROOT)
mkdir -p "$OUT" "$cache/home" "$cache/go-build" "$cache/gopath"
env_=(
	"PATH=$goroot/bin:/usr/bin:/bin" "HOME=$cache/home" "GOTOOLCHAIN=local"
	"GOFLAGS=" "GOPROXY=off" "GOENV=off" "GOCACHE=$cache/go-build"
	"GOPATH=$cache/gopath" "LANG=C"
)
ver=$(env -i "${env_[@]}" "$GO" env GOVERSION)
minor=${ver#go}; minor=${minor%.*}

for name in httppanic slogstack printstack; do
	dir=$base/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$root/fixtures/app/src/$name/"* "$dir/"
	( cd "$dir" && env -i "${env_[@]}" "$GO" build -o prog . )
	log=$OUT/$name-go$minor.log
	set +e
	( cd "$dir" && env -i "${env_[@]}" ./prog ) 2> "$log" > /dev/null
	rc=$?
	set -e
	[ "$rc" -eq 0 ] || { echo "capture: $name exited $rc" >&2; exit 1; }
	cat > "${log%.log}.meta" <<META
name=$name
go_version=$ver
command=cd $dir && go build -o prog . && ./prog 2>$name-go$minor.log
exit=$rc
synthetic=no
captured=$(date -u +%Y-%m-%dT%H:%M:%SZ)
META
	echo "capture: $log ($(wc -l < "$log") lines)"
done
