# Sourced by tests/run.sh: -f github (workflow commands GitHub turns into
# annotations) and -f markdown (the step summary) on real fixture logs,
# against the limits and escaping GitHub applies.

CG="$PY tests/ci_github.py"
# The runner's own values would move paths and append to its summary.
unset GITHUB_WORKSPACE GITHUB_STEP_SUMMARY

# Many distinct failures: every build and crash fixture and the plain test
# logs, tests first so that ranking has to move the build errors ahead, and
# for more than 10 warnings the vet-printf log 12 times over, each with
# another argument name (the message, and so the fingerprint, differs).
cat fixtures/test/*-plain-go1.24.log fixtures/crash/*.log fixtures/build/*.log > "$T/gh-big.log"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	sed "s/arg name/arg name$i/" fixtures/build/vet-printf.log
done >> "$T/gh-big.log"
$BIN -f github --events "$T/gh-big.jsonl" "$T/gh-big.log" > "$T/gh-big.out" 2>"$T/gh-big.err"
check "github: a big real log: one annotation per fingerprint, ranked, <= 10 per severity, one notice with the rest" \
	$CG annotations "$T/gh-big.jsonl" "$T/gh-big.out" "$PWD" "$T/gh-big.jsonl"
check "github: exactly one ::notice, and it is the last line" \
	sh -c "[ \$(grep -c '^::notice' '$T/gh-big.out') -eq 1 ] && tail -1 '$T/gh-big.out' | grep -q '^::notice title=goerrfilt::[0-9]* more errors ([0-9]* events) and [0-9]* more warnings'"
check "github: every output line is one workflow command (no raw newline)" \
	sh -c "! grep -v '^::\(error\|warning\|notice\) ' '$T/gh-big.out'"
$BIN -f github "$T/gh-big.log" > "$T/gh-big2.out" 2>/dev/null
check "github: without --events the notice tells how to keep every event" \
	sh -c "tail -1 '$T/gh-big2.out' | grep -q 'keep every event with --events FILE\$'"
$BIN "$T/gh-big.log" > "$T/gh-big-plain.jsonl" 2>/dev/null
check "github: --events holds the same events as the default JSON Lines output" \
	cmp "$T/gh-big.jsonl" "$T/gh-big-plain.jsonl"

# Ranking: a test log (a test failure, then the panic inside a test) ahead
# of a build log; the annotations come build, crash, test.
cat fixtures/crash/test-panic.log fixtures/build/multi-pkg-errors.log > "$T/gh-rank.log"
$BIN -f github "$T/gh-rank.log" | sed 's/.*title=\([a-z_]*\).*/\1/' | tr '\n' ' ' > "$T/gh-rank.out"
check "github: ranked build errors, crashes, test failures ($(cat "$T/gh-rank.out"))" \
	test "$(cat "$T/gh-rank.out")" = "undefined type_mismatch nil_map_write test_failure "
$BIN --events "$T/gh-rank.jsonl" -f github "$T/gh-rank.log" > "$T/gh-rank2.out"
check "github: the ranked annotations match their events" \
	$CG annotations "$T/gh-rank.jsonl" "$T/gh-rank2.out" "$PWD"

# One annotation per fingerprint with its count, at the first occurrence:
# the same crash from two directories, the first inside the workspace.
WS=/tmp/goerrfilt-fixtures/crash/nil-deref
cat fixtures/crash/nil-deref.log fixtures/crash/nil-deref-otherdir.log > "$T/gh-twice.log"
GITHUB_WORKSPACE=$WS $BIN -f github "$T/gh-twice.log" > "$T/gh-twice.out"
check "github: one crash twice is one annotation, (2 times), at the first's workspace-relative file" \
	sh -c "[ \$(wc -l < '$T/gh-twice.out') -eq 1 ] && grep -q '^::error file=main.go,line=29,title=nil_deref (2 times)::panic: runtime error' '$T/gh-twice.out'"
cat fixtures/crash/nil-deref-otherdir.log fixtures/crash/nil-deref.log > "$T/gh-twice2.log"
GITHUB_WORKSPACE=$WS/ $BIN -f github "$T/gh-twice2.log" > "$T/gh-twice2.out"
check "github: ... and no file when the first occurrence lies outside the workspace" \
	grep -q '^::error title=nil_deref (2 times)::' "$T/gh-twice2.out"
cat fixtures/build/multi-pkg-errors.log fixtures/build/multi-pkg-errors.log fixtures/build/multi-pkg-errors.log > "$T/gh-three.log"
$BIN -f github "$T/gh-three.log" > "$T/gh-three.out"
check "github: a build log three times: two annotations, (3 times) each" \
	sh -c "[ \$(grep -c ' (3 times)::' '$T/gh-three.out') -eq 2 ] && [ \$(wc -l < '$T/gh-three.out') -eq 2 ]"

# Paths: workspace-relative for a crash in the workspace, none outside it
# (the repository is the workspace here) or in the standard library.
GITHUB_WORKSPACE=/tmp/goerrfilt-fixtures/crash/index-out-of-range $BIN -f github fixtures/crash/index-out-of-range.log > "$T/gh-ws.out"
check "github: GITHUB_WORKSPACE makes a crash's file relative (main.go:19)" \
	grep -q '^::error file=main.go,line=19,title=index_out_of_range::' "$T/gh-ws.out"
$BIN -f github fixtures/crash/index-out-of-range.log > "$T/gh-nows.out"
check "github: a crash outside the workspace names no file" \
	grep -q '^::error title=index_out_of_range::' "$T/gh-nows.out"
printf '# runtime\n$GOROOT/src/runtime/y.go:4:1: undefined: y\n' > "$T/gh-goroot.log"
GITHUB_WORKSPACE=/ $BIN -f github "$T/gh-goroot.log" > "$T/gh-goroot.out"
check "github: a \$GOROOT path is no annotation file (synthetic)" \
	grep -q '^::error title=undefined (runtime)::undefined: y' "$T/gh-goroot.out"

# Escaping as @actions/core does (synthetic: a path with : % and , in a
# package with , and :, a message with % and CR; the hint joins with LF).
printf '# example.com/s,y:n\na:b%%c,d.go:3:1: undefined: x%%y\rz\n' > "$T/gh-esc.log"
$BIN -f github "$T/gh-esc.log" > "$T/gh-esc.out"
check "github: %, CR, LF escaped in the message, and : , in properties (synthetic)" \
	grep -qF '::error file=a%3Ab%25c%2Cd.go,line=3,col=1,title=undefined (example.com/s%2Cy%3An)::undefined: x%25y%0Dz%0Ahint: ' "$T/gh-esc.out"

# No failures: no annotation, nothing appended to the step summary.
rm -f "$T/gh-sum.md"
printf 'ok  \texample.com/m\t0.01s\n' | GITHUB_STEP_SUMMARY="$T/gh-sum.md" $BIN -f github > "$T/gh-none.out"
rc=$?
check "github: no failures: exit 1, no output, no step summary" \
	sh -c "[ $rc -eq 1 ] && [ ! -s '$T/gh-none.out' ] && [ ! -e '$T/gh-sum.md' ]"
printf 'ok  \texample.com/m\t0.01s\n' | $BIN -f markdown > "$T/md-none.out"
check "markdown: no failures: one line that says so" \
	sh -c "[ \$(wc -l < '$T/md-none.out') -eq 1 ] && grep -q 'no failures' '$T/md-none.out'"

# $GITHUB_STEP_SUMMARY: the Markdown summary is appended, run after run.
GITHUB_STEP_SUMMARY="$T/gh-sum.md" $BIN -f github fixtures/build/multi-pkg-errors.log > /dev/null
GITHUB_STEP_SUMMARY="$T/gh-sum.md" $BIN -f github fixtures/crash/race.log > /dev/null
$BIN -f markdown fixtures/build/multi-pkg-errors.log > "$T/md-a.md"
$BIN -f markdown fixtures/crash/race.log > "$T/md-b.md"
cat "$T/md-a.md" "$T/md-b.md" > "$T/md-ab.md"
check "github: GITHUB_STEP_SUMMARY gets the -f markdown summary appended, twice" \
	cmp "$T/gh-sum.md" "$T/md-ab.md"
status "github: a GITHUB_STEP_SUMMARY that cannot be written is exit 2" 2 \
	sh -c "GITHUB_STEP_SUMMARY=$T/no/such/dir/sum.md $BIN -f github fixtures/build/multi-pkg-errors.log"

# Markdown table integrity on the big log and on hostile text.
$BIN -f markdown "$T/gh-big.log" > "$T/md-big.md"
check "markdown: the big log's table: every row has the header's cells" $CG table "$T/md-big.md"
check "markdown: one row per fingerprint, in rank order, with its count" \
	$CG rows "$T/gh-big.jsonl" "$T/md-big.md"
printf '# example.com/p|q\n./a|b`c.go:3:1: undefined: x|y `z` <b>&amp; \\|*w*\n' > "$T/md-esc.log"
$BIN -f markdown "$T/md-esc.log" > "$T/md-esc.md"
check "markdown: | \` < > & \\ in a cell do not break the table (synthetic)" $CG table "$T/md-esc.md"
check "markdown: the heading counts failures per class" \
	grep -q '^### goerrfilt: 2 failures (2 compile_error)$' "$T/md-a.md"
# A summary that would pass GitHub's 1 MiB: the table stops at 512 KiB and
# says how many rows are left out (synthetic: 3000 distinct long errors).
awk 'BEGIN { x = sprintf("%250s", ""); gsub(/ /, "x", x); print "# example.com/big"
	for (i = 1; i <= 3000; i++) printf "./main.go:%d:2: undefined: name%05d_%s\n", i, i, x }' > "$T/md-many.log"
$BIN -f markdown --events "$T/md-many.jsonl" "$T/md-many.log" > "$T/md-many.md"
check "markdown: a table past 512 KiB stops within 1 MiB and counts the rest (synthetic)" \
	sh -c "[ \$(wc -c < '$T/md-many.md') -lt 1048576 ] && grep -q '^[0-9]* more failures ([0-9]* events) not listed: .*; full list: $T/md-many.jsonl\$' '$T/md-many.md' && $CG table '$T/md-many.md'"
