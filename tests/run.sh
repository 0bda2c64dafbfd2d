#!/bin/sh
# goerrfilt's test suite: `make check` (and `make asan check`) run it from
# the repository root.  Prints one line per test and, last,
# "N passed, M failed"; exits non-zero when anything failed.
set -u

BUILD=${BUILD:-build/rel}
ASAN=${ASAN:-}
# Sanitizer shadow memory makes resident size meaningless; bounds stay on
# time and on not crashing there.
if [ -n "$ASAN" ]; then RSS_KB=4000000; else RSS_KB=32768; fi
BIN=./goerrfilt
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
# -f junit's timestamp for a log without times: fixed, for the goldens.
export SOURCE_DATE_EPOCH=0
# A CI runner's own variables would change the reports' paths and files.
unset GITHUB_WORKSPACE GITHUB_STEP_SUMMARY
T=$(mktemp -d /tmp/goerrfilt-test.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
nok() { fail=$((fail + 1)); echo "FAIL $*"; }
# check NAME CMD...: the command must exit 0
check() {
	name=$1; shift
	if "$@" >"$T/log" 2>&1; then ok "$name"; else nok "$name"; sed 's/^/     /' "$T/log" | head -20; fi
}
# status NAME WANT CMD...: the command must exit WANT
status() {
	name=$1; want=$2; shift 2
	"$@" >"$T/log" 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$name"; else nok "$name (exit $got, want $want)"; sed 's/^/     /' "$T/log" | head -10; fi
}

# await_output FILE: waits up to 8 s (what a loaded machine under the
# sanitizers may need) for FILE to hold something; false when it does not.
await_output() {
	n=0
	while [ ! -s "$1" ] && [ "$n" -lt 16 ]; do
		sleep 0.5
		n=$((n + 1))
	done
	[ -s "$1" ]
}

RULES=$(sed 's,^,rules/,' rules/ORDER)

# --- rules -----------------------------------------------------------------
check "rules: every regex compiles, every sample yields its fields, none stolen" \
	$BIN --check-rules $RULES
for t in tests/rules-bad/*.rules; do
	[ -e "$t" ] || continue
	$BIN --check-rules --no-default-rules "$t" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc -eq 2 ] && diff -u "${t%.rules}.err" "$T/err" >"$T/diff"; then
		ok "rules: $t reports every error as file:line:col"
	else
		nok "rules: $t (exit $rc)"; sed 's/^/     /' "$T/diff" | head -20
	fi
done

# --- unit tests --------------------------------------------------------------
for u in tests/unit_*.c; do
	[ -e "$u" ] || continue
	n=$(basename "$u" .c)
	if make -s ASAN="$ASAN" "$BUILD/$n" >"$T/log" 2>&1 && "$BUILD/$n" >"$T/log" 2>&1; then
		ok "unit: $n ($(tail -1 "$T/log"))"
	else
		nok "unit: $n"; tail -20 "$T/log" | sed 's/^/     /'
	fi
done

# --- golden fixture runs -----------------------------------------------------
# tests/golden/list: name|input|exit|extra args; expected tests/golden/NAME.jsonl
while IFS='|' read -r name input want args; do
	case "$name" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	$BIN $args "$input" >"$T/$name.jsonl" 2>"$T/$name.err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		nok "golden: $name (exit $got, want $want)"; head -5 "$T/$name.err" | sed 's/^/     /'
	elif ! diff -u "tests/golden/$name.jsonl" "$T/$name.jsonl" >"$T/diff"; then
		nok "golden: $name"; head -30 "$T/diff" | sed 's/^/     /'
	else
		ok "golden: $name"
	fi
done < tests/golden/list

# Text and GitHub views are not JSON; every other golden is schema-checked.
jsonl=$(grep -v '^#' tests/golden/list | grep -v -- '-f ' | cut -d'|' -f1 | sed 's,.*,tests/golden/&.jsonl,')
# shellcheck disable=SC2086
check "schema: every golden output validates (draft 2020-12)" \
	$PY tests/check_output.py schema schema/event.schema.json $jsonl

# --- nothing lost: every input line is in an event or passed through ----------
for f in fixtures/*/*.log tests/inputs/*.log; do
	[ -e "$f" ] || continue
	$BIN -p "$f" >"$T/acc.jsonl" 2>/dev/null
	check "accounting: $f" $PY tests/check_output.py accounting "$f" "$T/acc.jsonl"
done
$BIN -p fixtures/build/x-cold-typeerror.log >"$T/p.jsonl" 2>/dev/null
check "schema: passthrough records validate" \
	$PY tests/check_output.py schema schema/event.schema.json "$T/p.jsonl"

# --- msgpack carries the same records as JSON -------------------------------
for f in fixtures/build/x-cold-typeerror.log fixtures/crash/nil-deref.log fixtures/build/json-test.log \
    fixtures/test/attr-fail-json-go1.27.log fixtures/test/fuzz-fail-fuzz-go1.27.log; do
	[ -e "$f" ] || continue
	$BIN -p "$f" >"$T/a.jsonl" 2>/dev/null
	$BIN -p -f msgpack "$f" >"$T/a.msgpack" 2>/dev/null
	check "msgpack: same keys, types and values as json: $f" \
		$PY tests/check_output.py msgpack "$T/a.jsonl" "$T/a.msgpack"
done

. tests/cli.sh
. tests/hostile.sh
. tests/prefix.sh
. tests/unwrap.sh
. tests/envelopes.sh
. tests/fingerprint.sh
. tests/gotest.sh
. tests/applelink.sh
. tests/ci_reports.sh
. tests/ci_github.sh
. tests/forward.sh
. tests/archive.sh
. tests/differential.sh
. tests/contrib.sh

# --- fuzz corpus replay --------------------------------------------------------
for fz in tests/fuzz/fuzz_*.c; do
	[ -e "$fz" ] || continue
	n=$(basename "$fz" .c)
	if make -s ASAN="$ASAN" "$BUILD/$n" >"$T/log" 2>&1 && "$BUILD/$n" tests/fuzz/corpus/"${n#fuzz_}"/* >"$T/log" 2>&1; then
		ok "fuzz replay: $n ($(tail -1 "$T/log"))"
	else
		nok "fuzz replay: $n"; tail -20 "$T/log" | sed 's/^/     /'
	fi
done

[ -f tests/repro.sh ] && . tests/repro.sh

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
