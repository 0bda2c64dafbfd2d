# Sourced by tests/run.sh: the JUnit, rdjsonl and GitLab Code Quality
# reports of real fixtures, each checked against the JSON Lines events of
# the same input (tests/ci_reports.py) and the JUnit XML against
# schema/junit.xsd with xmllint.

# The fixtures were captured under /tmp/goerrfilt-fixtures: as the workspace
# it makes their absolute paths relative, as a CI checkout would.
WS=/tmp/goerrfilt-fixtures
cat fixtures/build/*.log fixtures/crash/*.log fixtures/test/*.log > "$T/ci-all.log"
GITHUB_WORKSPACE=$WS $BIN "$T/ci-all.log" > "$T/ci-all.jsonl" 2>/dev/null
nev=$(wc -l < "$T/ci-all.jsonl")

# --- JUnit XML ----------------------------------------------------------------
if command -v xmllint >/dev/null 2>&1; then
	GITHUB_WORKSPACE=$WS $BIN -f junit "$T/ci-all.log" > "$T/ci-all.xml" 2>/dev/null
	check "junit: $nev events of every fixture validate against schema/junit.xsd" \
		xmllint --noout --schema schema/junit.xsd "$T/ci-all.xml"
	for f in fixtures/build/multi-pkg-errors.log fixtures/build/vet-printf.log \
	    fixtures/crash/race.log fixtures/test/assert-fail-json-go1.24.log; do
		$BIN -f junit "$f" > "$T/one.xml" 2>/dev/null
		check "junit: $f validates" xmllint --noout --schema schema/junit.xsd "$T/one.xml"
	done
	# Control characters, invalid UTF-8, U+FFFE and the five XML specials in
	# a message and a file name.
	printf '# example.com/x\n./a<&>"'"'"'.go:3:5: undefined: a\001b\033[0m\377c<&>"'"'"'\357\277\276\r\n' > "$T/ci-hostile.log"
	$BIN -f junit "$T/ci-hostile.log" > "$T/ci-hostile.xml" 2>/dev/null
	check "junit: control characters, bad UTF-8 and XML specials are escaped or replaced" \
		xmllint --noout --schema schema/junit.xsd "$T/ci-hostile.xml"
	# Events with test, elapsed and output, a crash inside a named test.
	check "junit: tests/unit_ci.c's events validate" \
		sh -c "$BUILD/unit_ci --junit | xmllint --noout --schema schema/junit.xsd -"
	printf 'nothing failed\n' | $BIN -f junit > "$T/ci-empty.xml" 2>/dev/null
	check "junit: a report without failures validates" \
		sh -c "xmllint --noout --schema schema/junit.xsd '$T/ci-empty.xml' && grep -q 'tests=\"0\"' '$T/ci-empty.xml'"
else
	nok "junit: xmllint is not installed (sh scripts/setup.sh installs libxml2-utils)"
fi
check "junit: one suite per package, counts add up, every event in its package's suite" \
	$PY tests/ci_reports.py junit "$T/ci-all.xml" "$T/ci-all.jsonl"
check "junit: build errors are <error> testcases" \
	sh -c "grep -q '<testcase name=\"build: undefined at alpha/alpha.go:7\"' '$T/ci-all.xml' &&
	    grep -q '<error message=\"undefined: missing\" type=\"undefined\">' '$T/ci-all.xml'"
SOURCE_DATE_EPOCH=86400 $BIN -f junit fixtures/build/undefined.log > "$T/ci-sde.xml" 2>/dev/null
check "junit: SOURCE_DATE_EPOCH sets the timestamp of a log without times" \
	grep -q 'timestamp="1970-01-02T00:00:00"' "$T/ci-sde.xml"

# --- reviewdog rdjsonl ----------------------------------------------------------
GITHUB_WORKSPACE=$WS $BIN -f rdjsonl "$T/ci-all.log" > "$T/ci-all.rdjsonl" 2>/dev/null
check "rdjsonl: $(wc -l < "$T/ci-all.rdjsonl") diagnostics for $nev events, reviewdog's fields, workspace-relative paths" \
	$PY tests/ci_reports.py rdjsonl "$T/ci-all.rdjsonl" "$T/ci-all.jsonl" "$WS"
# Streamed: a diagnostic is out while the input is still open (waited for
# up to 8 s, which a loaded machine under the sanitizers may need).
rm -f "$T/ci-fifo"
if mkfifo "$T/ci-fifo" 2>/dev/null; then
	{ cat fixtures/build/undefined.log; sleep 10; } > "$T/ci-fifo" &
	wrpid=$!
	$BIN -f rdjsonl --idle-ms 100 < "$T/ci-fifo" > "$T/ci-stream.rdjsonl" 2>/dev/null &
	rdpid=$!
	await_output "$T/ci-stream.rdjsonl"
	check "rdjsonl: diagnostics are written before the input ends" \
		sh -c "test -s '$T/ci-stream.rdjsonl' && kill -0 $wrpid"
	wait "$wrpid" "$rdpid"
fi

# --- GitLab Code Quality ---------------------------------------------------------
GITHUB_WORKSPACE=$WS $BIN -f gitlab "$T/ci-all.log" > "$T/ci-all.gl.json" 2>/dev/null
check "gitlab: one JSON array, unique fingerprints, the required keys, every event counted" \
	$PY tests/ci_reports.py gitlab "$T/ci-all.gl.json" "$T/ci-all.jsonl" "$WS"
check "gitlab: a report without failures is []" \
	test "$(printf 'nothing failed\n' | $BIN -f gitlab 2>/dev/null)" = "[]"
# Synthetic: the same logs from another checkout directory, with every line
# number moved; the issues must keep their fingerprints.
for f in fixtures/build/multi-pkg-errors.log fixtures/crash/nil-deref.log \
    fixtures/crash/race.log fixtures/test/assert-fail-json-go1.24.log; do
	sed -e 's,/tmp/goerrfilt-fixtures,/home/runner/work/other/checkout,g' \
	    -e 's/\.go:\([0-9][0-9]*\)/.go:1\1/g' "$f" > "$T/ci-moved.log"
	$BIN -f gitlab "$f" > "$T/ci-a.json" 2>/dev/null
	$BIN -f gitlab "$T/ci-moved.log" > "$T/ci-b.json" 2>/dev/null
	check "gitlab: $f moved to another checkout and other lines keeps its fingerprints" \
		$PY tests/ci_reports.py samefp "$T/ci-a.json" "$T/ci-b.json"
done

# --- repository-relative paths -----------------------------------------------------
# go test names a failing line by its base name; a report puts it in its
# package's directory through the go.mod or go.work found from the current
# directory.  Synthetic module trees around a real capture.
mkdir -p "$T/ws/mod/calc" "$T/ws/work/a" "$T/ws/work/b"
printf 'module example.com/assert-fail // a comment\n\ngo 1.24\n' > "$T/ws/mod/go.mod"
printf 'module "example.com/assert-fail"\n' > "$T/ws/work/a/go.mod"
printf 'module example.com/other\n' > "$T/ws/work/b/go.mod"
printf 'go 1.24\n\nuse (\n\t./b\n\t./a // the one\n)\n' > "$T/ws/work/go.work"
AF=$PWD/fixtures/test/assert-fail-plain-go1.27.log
ci_paths() { # DIR WORKSPACE FORMAT: the report's paths, one per line
	(cd "$1" && GITHUB_WORKSPACE=$2 "$OLDPWD/$BIN" -f "$3" "$AF" 2>/dev/null) |
	    grep -o '"path":"[^"]*"\|file=[^,]*' | sort -u | tr '\n' ' '
}
check "paths: a test's file is under its package's directory (go.mod here)" \
	test "$(ci_paths "$T/ws/mod" '' rdjsonl)" = '"path":"/tmp/goerrfilt-fixtures/test/assert-fail/index/index.go" "path":"calc/calc_test.go" '
check "paths: go.mod found upwards, relative to \$GITHUB_WORKSPACE (github)" \
	test "$(ci_paths "$T/ws/mod/calc" "$T/ws" github)" = 'file=mod/calc/calc_test.go '
check "paths: a go.work's use block names the module's directory (gitlab)" \
	test "$(ci_paths "$T/ws/work" "$T/ws/" gitlab)" = '"path":"/tmp/goerrfilt-fixtures/test/assert-fail/index/index.go" "path":"work/a/calc/calc_test.go" '
printf '# example.com/elsewhere\n./a.go:3:5: undefined: b\n' > "$T/ci-rel.log"
check "paths: a compile error's relative path is taken from the current directory" \
	sh -c "cd '$T/ws/mod/calc' && GITHUB_WORKSPACE='$T/ws' '$PWD/$BIN' -f rdjsonl '$T/ci-rel.log' | grep -q '\"path\":\"mod/calc/a.go\"'"
check "paths: without a module the base name stays as go test printed it" \
	test "$(ci_paths "$T" '' rdjsonl)" = '"path":"/tmp/goerrfilt-fixtures/test/assert-fail/index/index.go" "path":"calc_test.go" '

# --- passed and skipped tests in JUnit ------------------------------------------------
# Real captures of a package with a failing, two passing and two skipped
# tests (one a subtest): -v and -json report all five, plain text only the
# failure.
for f in fixtures/test/skip-pass-verbose-go1.24.log fixtures/test/skip-pass-json-go1.27.log; do
	$BIN -f junit "$f" > "$T/ci-sp.xml" 2>/dev/null
	check "junit: $f lists the passed and skipped tests" sh -c "
	    xmllint --noout --schema schema/junit.xsd '$T/ci-sp.xml' &&
	    grep -q 'tests=\"6\" failures=\"1\" errors=\"0\" skipped=\"2\"' '$T/ci-sp.xml' &&
	    grep -q '<testcase name=\"TestSquare\" classname=\"example.com/skip-pass/shapes\" time=\"0.00\"/>' '$T/ci-sp.xml' &&
	    grep -q '<testcase name=\"TestOnDisk/small\" classname=\"example.com/skip-pass/shapes\" time=\"0.00\"/>' '$T/ci-sp.xml' &&
	    grep -q '<skipped message=\"set SHAPES_HUGE to run the huge case\"/>' '$T/ci-sp.xml' &&
	    grep -q '<skipped message=\"circle area not implemented yet\"/>' '$T/ci-sp.xml' &&
	    test \$(grep -c '<testcase' '$T/ci-sp.xml') -eq 6"
done
$BIN -f junit fixtures/test/skip-pass-plain-go1.27.log > "$T/ci-sp.xml" 2>/dev/null
check "junit: plain go test output names only the failure" \
	sh -c "test \$(grep -c '<testcase' '$T/ci-sp.xml') -eq 1 && grep -q 'tests=\"1\" failures=\"1\"' '$T/ci-sp.xml'"
check "junit: a passed test is not an event (json and the exit status see failures only)" \
	test "$($BIN fixtures/test/skip-pass-verbose-go1.27.log | wc -l)" -eq 1
