#!/usr/bin/env bash
# capture-corpus.sh - builds the archive benchmark's corpus of real failure
# logs (make bench, section "archive"): the programs under fixtures/*/src
# built and run under every installed Go (/usr/lib/go-1.*/bin/go) with
# varied flags: go build/vet (plain, -v, -x, -json), go test (plain, -v,
# -json, -race, -count=2), crash programs with GOTRACEBACK=single/all/
# system/crash, with and without -race.  Each log is the combined output of
# one real run; MANIFEST.tsv records its Go version and command.
#
# Usage: scripts/capture-corpus.sh [OUT]   (default /tmp/goerrfilt-corpus)
# Nothing is committed.  A corpus that is already there is kept: delete it
# to capture again.  No network is used (GOPROXY=off).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
OUT=${1:-/tmp/goerrfilt-corpus}
WORK=${CORPUS_WORK:-/tmp/goerrfilt-corpus-work}
JOBS=${JOBS:-2}

if [ -s "$OUT/MANIFEST.tsv" ]; then
	echo "capture-corpus: $OUT is there ($(wc -l < "$OUT/MANIFEST.tsv") logs)" >&2
	exit 0
fi
mkdir -p "$OUT" "$WORK"

# one Go version: every module, every variant
capture_go() {
	local go=$1 v gr gobin w o m n t mf
	v=$("$go" env GOVERSION)
	gobin=$(dirname "$go")
	w=$WORK/$v
	o=$OUT/$v
	mf=$o/MANIFEST.part
	rm -rf "$w" "$o"
	mkdir -p "$w/home" "$w/cache" "$w/gopath" "$o"
	: > "$mf"
	E=(env -i "PATH=$gobin:/usr/bin:/bin" "HOME=$w/home" GOTOOLCHAIN=local
	    GOFLAGS= GOPROXY=off GOENV=off "GOCACHE=$w/cache" "GOPATH=$w/gopath"
	    LANG=C)
	# run NAME DIR CMD...: one log
	run() {
		local name=$1 dir=$2; shift 2
		( cd "$dir" && ulimit -c 0 && timeout -k 2 20 "$@" ) > "$o/$name.log" 2>&1
		printf '%s/%s.log\t%s\t%s\n' "$v" "$name" "$v" "$*" >> "$mf"
	}
	for m in "$root"/fixtures/build/src/* "$root"/fixtures/test/src/* \
	    "$root"/fixtures/crash/src/* "$root"/fixtures/app/src/*; do
		[ -f "$m/go.mod" ] || continue
		n=$(basename "$(dirname "$(dirname "$m")")")-$(basename "$m")
		case $n in crash-oom) continue ;; esac
		rm -rf "${w:?}/$n"
		cp -r "$m" "$w/$n"
		if ls "$m"/*_test.go >/dev/null 2>&1; then
			for t in plain -v -json -race -count=2; do
				case $t in plain) f= ;; *) f=$t ;; esac
				# shellcheck disable=SC2086
				run "$n-test$f" "$w/$n" "${E[@]}" go test -count=1 -timeout 5s $f ./...
			done
		fi
		if ! ls "$m"/*.go 2>/dev/null | grep -qv _test.go; then
			continue
		fi
		run "$n-vet" "$w/$n" "${E[@]}" go vet ./...
		run "$n-build-v" "$w/$n" "${E[@]}" go build -v -o "$w/$n.bin" .
		run "$n-build-x" "$w/$n" "${E[@]}" go build -x -o "$w/$n.x" .
		run "$n-build-json" "$w/$n" "${E[@]}" go build -json -o "$w/$n.j" .
		run "$n-build-race" "$w/$n" "${E[@]}" go build -race -o "$w/$n.race" .
		[ -x "$w/$n.bin" ] || continue
		case $n in build-*) continue ;; esac
		for gr in single all system crash; do
			# 10 MB a dump: one of them per Go keeps the corpus varied
			# rather than large
			case $n/$gr in crash-goroutines-10k/single) ;; crash-goroutines-10k/*) continue ;; esac
			run "$n-run-$gr" "$w/$n" "${E[@]}" "GOTRACEBACK=$gr" "$w/$n.bin"
			if [ -x "$w/$n.race" ] && [ "$n" != crash-goroutines-10k ]; then
				run "$n-race-$gr" "$w/$n" "${E[@]}" "GOTRACEBACK=$gr" "$w/$n.race"
			fi
		done
		[ "$n" = crash-goroutines-10k ] || run "$n-gorun" "$w/$n" "${E[@]}" go run .
	done
	rm -rf "$w"
}

export -f capture_go
export OUT WORK root
ls /usr/lib/go-1.*/bin/go | xargs -P "$JOBS" -I{} bash -c 'capture_go "$1"' _ {}
cat "$OUT"/*/MANIFEST.part > "$OUT/MANIFEST.tsv"
rm -f "$OUT"/*/MANIFEST.part
echo "capture-corpus: $(wc -l < "$OUT/MANIFEST.tsv") logs, $(du -sh "$OUT" | cut -f1) in $OUT" >&2
