#!/usr/bin/env bash
# Re-captures the real Go build-failure fixtures under fixtures/build/.
#
#   scripts/capture-build-fixtures.sh [NAME...]      (no NAME = all fixtures)
#   GO=/path/to/go scripts/capture-build-fixtures.sh  (default /usr/lib/go-1.24/bin/go)
#
# For each NAME the module fixtures/build/src/SRC/ (SRC is NAME unless the
# table says otherwise) is copied to the fixed path /tmp/goerrfilt-fixtures/NAME
# so that paths printed in the logs are the same at every capture. The
# fixture's command runs there under `env -i` with a controlled environment
# and a cold cache (GOCACHE, GOPATH, GOMODCACHE under
# /tmp/goerrfilt-fixtures/NAME.cache, emptied first). Combined stdout+stderr
# is saved verbatim as fixtures/build/NAME.log, and fixtures/build/NAME.meta
# records the Go version, command, extra environment, exit status and date.
# Nothing here needs the network (GOPROXY=off).  Fixtures that need modules
# to download get a local file:// GOPROXY built from fixtures/build/src/goproxy
# into /tmp/goerrfilt-fixtures/NAME.cache/goproxy: `@CACHE@` in a table row's
# environment stands for /tmp/goerrfilt-fixtures/NAME.cache.
set -eu
set -f  # the table's commands hold patterns like ./... that must not glob

GO=${GO:-/usr/lib/go-1.24/bin/go}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FIX=$ROOT/fixtures/build
SRC=$FIX/src
BASE=/tmp/goerrfilt-fixtures

# The table: NAME|SRC|EXTRA ENV (space-separated VAR=value)|COMMAND
# (The module fixtures from checksum-mismatch to inconsistent-vendoring were
# also captured with GO=/usr/lib/go-1.27/bin/go, Go 1.27.4: the same text
# byte for byte, so only the Go 1.24 captures are kept.)
# SRC empty = NAME. The command runs in /tmp/goerrfilt-fixtures/NAME.
TABLE='
x-cold-typeerror|||go build -x -v ./...
syntax-error|||go build ./...
undefined|||go build ./...
type-mismatch|||go build ./...
cannot-infer|||go build ./...
unused-import|||go build ./...
unused-variable|||go build ./...
import-cycle|||go build ./...
invalid-recursive-type|||go build ./...
too-many-errors|||go build ./...
multi-pkg-errors|||go build -x -v ./...
ice-73309|||go build ./...
ice-73309-dpanic|ice-73309||go build -gcflags=-d=panic ./...
ice-73309-xpkg|||go build ./...
ice-74181|||go build ./...
ice-74181-dpanic|ice-74181||go build -gcflags=-d=panic ./...
stack-frame-too-large|||go build ./...
link-undefined|||go build ./...
link-duplicate|||go build ./...
link-linkname-restricted|||go build ./...
link-external|||go build ./...
link-external-x|link-external||go build -x ./...
cgo-c-error|||go build ./...
cgo-bool-clash|||go build ./...
cgo-missing-header|||go build ./...
cgo-no-compiler||CC=/nonexistent/gcc CGO_ENABLED=1|go build ./...
cgo-unknown-name|||go build ./...
gomod-newer-go|||go build ./...
toolchain-unavailable||GOTOOLCHAIN=auto|go build ./...
module-not-found|||go build ./...
missing-go-sum|||go build ./...
embed-no-match|||go build ./...
embed-irregular|||go build ./...
build-constraints|||go build .
package-not-found|||go build ./...
checksum-mismatch||GOPROXY=file://@CACHE@/goproxy|go build ./...
checksum-mismatch-gomod||GOPROXY=file://@CACHE@/goproxy|go build ./...
malformed-module-path||GOFLAGS=-mod=mod|go build ./...
malformed-module-path-tidy|malformed-module-path||go mod tidy
no-required-module|||go build example.com/y/z
gomod-updates-needed||GOPROXY=file://@CACHE@/goproxy|go build ./...
inconsistent-vendoring|||go build ./...
vet-printf|||go vet ./...
vet-copylocks|||go vet ./...
vet-buildtag|||go vet ./...
vet-x|vet-printf||go vet -x ./...
json-build|undefined||go build -json ./...
json-test|||go test -json ./...
test-fail|json-test||go test ./...
'

# Per-fixture preparation of the copied module (things git cannot hold).
# $1 = NAME, $2 = its cache directory; runs in the copied module.
prepare() {
	case $1 in
	embed-irregular) ln -s real.txt config.txt ;;
	checksum-mismatch*|gomod-updates-needed) build_goproxy "$2/goproxy" ;;
	esac
}

# build_goproxy DIR: a GOPROXY directory (the protocol's file layout, as
# `go help goproxy` describes it) serving every MODULE@VERSION directory under
# fixtures/build/src/goproxy: MODULE/@v/list, VERSION.info, VERSION.mod
# (the module's go.mod) and VERSION.zip (every file under MODULE@VERSION/;
# fixed timestamps, sorted names, so that the zip is the same at every run).
build_goproxy() {
	python3 - "$SRC/goproxy" "$1" <<'PY'
import json, os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
mods = []
for root, dirs, files in os.walk(src):
    dirs.sort()
    for d in list(dirs):
        if "@" in d:
            dirs.remove(d)
            mods.append(os.path.join(root, d))
for mdir in sorted(mods):
    rel = os.path.relpath(mdir, src)
    mod, ver = rel.rsplit("@", 1)
    # module paths here are lower case: no !-escaping needed
    at = os.path.join(dst, mod, "@v")
    os.makedirs(at, exist_ok=True)
    with open(os.path.join(at, "list"), "a") as f:
        f.write(ver + "\n")
    with open(os.path.join(at, ver + ".info"), "w") as f:
        json.dump({"Version": ver, "Time": "2024-01-01T00:00:00Z"}, f)
    with open(os.path.join(mdir, "go.mod"), "rb") as f:
        gomod = f.read()
    with open(os.path.join(at, ver + ".mod"), "wb") as f:
        f.write(gomod)
    names = []
    for root, dirs, files in os.walk(mdir):
        for fn in files:
            names.append(os.path.relpath(os.path.join(root, fn), mdir))
    with zipfile.ZipFile(os.path.join(at, ver + ".zip"), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for n in sorted(names):
            zi = zipfile.ZipInfo(mod + "@" + ver + "/" + n.replace(os.sep, "/"),
                                 (2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            with open(os.path.join(mdir, n), "rb") as f:
                z.writestr(zi, f.read())
PY
}

lookup() { # NAME -> prints the table row, or fails
	printf '%s\n' "$TABLE" | awk -F'|' -v n="$1" '$1 == n { print; found = 1 } END { exit !found }'
}

[ -x "$GO" ] || { echo "capture-build-fixtures: $GO: not executable" >&2; exit 2; }
GOBINDIR=$(cd "$(dirname "$GO")" && pwd)
GOVERSION=$("$GO" env GOVERSION)

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046  # fixture names hold no blanks
	set -- $(printf '%s\n' "$TABLE" | awk -F'|' 'NF >= 4 { print $1 }')
fi
for name; do
	lookup "$name" >/dev/null || { echo "capture-build-fixtures: unknown fixture $name" >&2; exit 2; }
done

mkdir -p "$BASE"
for name; do
	row=$(lookup "$name")
	IFS='|' read -r _ src extra cmd <<<"$row"
	src=${src:-$name}
	[ -d "$SRC/$src" ] || { echo "capture-build-fixtures: missing $SRC/$src" >&2; exit 2; }

	work=$BASE/$name
	cache=$BASE/$name.cache
	# the module cache is read-only by design; make it removable first
	[ ! -d "$cache" ] || chmod -R u+w "$cache"
	rm -rf "$work" "$cache"
	mkdir -p "$cache/gocache" "$cache/gopath" "$cache/gopath/pkg/mod" "$BASE/home"
	cp -R "$SRC/$src" "$work"
	(cd "$work" && prepare "$name" "$cache")
	extra=$(printf '%s' "$extra" | sed "s|@CACHE@|$cache|g")

	# $extra and $cmd are split on blanks on purpose (no quoting in the table).
	rc=0
	# shellcheck disable=SC2086
	(cd "$work" && env -i \
		PATH="$GOBINDIR:/usr/local/bin:/usr/bin:/bin" \
		HOME="$BASE/home" \
		GOTOOLCHAIN=local GOFLAGS= GOPROXY=off GOSUMDB=off \
		GOCACHE="$cache/gocache" GOPATH="$cache/gopath" \
		GOMODCACHE="$cache/gopath/pkg/mod" \
		$extra $cmd) >"$FIX/$name.log" 2>&1 || rc=$?

	{
		echo "go_version=$GOVERSION"
		echo "command=$cmd"
		echo "env=$extra"
		echo "exit=$rc"
		echo "captured=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "synthetic=no"
	} >"$FIX/$name.meta"
	printf '%-26s exit=%-3s %6s lines\n' "$name" "$rc" "$(wc -l <"$FIX/$name.log")"
done
