# Sourced by tests/run.sh: the command-line contract, exact where it can be.

FX=fixtures/build/undefined.log

status "cli: exit 1 when the input holds no failure" 1 sh -c "printf 'hello\nworld\n' | $BIN"
status "cli: exit 0 when it holds one" 0 $BIN "$FX"
status "cli: exit 2 on a missing file" 2 $BIN "$T/nonexistent"
$BIN "$T/nonexistent" 2>"$T/err"
check "cli: trouble is one line starting goerrfilt:" \
	sh -c "[ \$(wc -l < '$T/err') -eq 1 ] && grep -q '^goerrfilt: ' '$T/err'"
status "cli: exit 2 on an unknown option" 2 $BIN --no-such-option
status "cli: exit 2 when stdout cannot be written" 2 sh -c "$BIN $FX > /dev/full"

# zstd in and out (also an input larger than the first read)
zstd -q -c fixtures/crash/goroutines-10k.log > "$T/big.log.zst"
# (read from stdin: a file's events carry its name as src)
$BIN < fixtures/crash/goroutines-10k.log > "$T/big.plain.jsonl"
$BIN < "$T/big.log.zst" > "$T/big.zst.jsonl"
check "cli: a large zstd input gives the same events as the plain file" cmp "$T/big.plain.jsonl" "$T/big.zst.jsonl"
zstd -q -c "$FX" > "$T/in.log.zst"
$BIN "$FX" > "$T/plain.jsonl"
$BIN < "$FX" > "$T/plainstdin.jsonl"
$BIN < "$T/in.log.zst" > "$T/fromzst.jsonl"
check "cli: zstd input is recognised by its magic number" cmp "$T/plainstdin.jsonl" "$T/fromzst.jsonl"
$BIN "$FX" -o "$T/out.jsonl.zst"
check "cli: output to a .zst path is zstd-compressed" \
	sh -c "zstd -q -dc '$T/out.jsonl.zst' | cmp - '$T/plain.jsonl'"
$BIN -f msgpack "$FX" -o "$T/out.msgpack.zst"
zstd -q -dc "$T/out.msgpack.zst" > "$T/out.msgpack"
check "cli: msgpack to .zst decodes to the json records" \
	$PY tests/check_output.py msgpack "$T/plain.jsonl" "$T/out.msgpack"
zstd -q -c fixtures/build/x-cold-typeerror.log | head -c 20000 > "$T/trunc.zst"
status "cli: truncated zstd input is trouble" 2 $BIN "$T/trunc.zst"
status "cli: stdin and a file name give the same output but src" 0 sh -c "sed 's/,\"src\":\"[^\"]*\"//' $T/plain.jsonl | cmp - $T/plainstdin.jsonl"

# msgpack is not written to a terminal unless forced
if command -v script >/dev/null 2>&1; then
	script -qec "$BIN -f msgpack $FX" /dev/null > "$T/tty.out" 2>&1
	check "cli: msgpack to a terminal is refused" grep -q "refusing to write msgpack" "$T/tty.out"
	script -qec "$BIN -f msgpack --force $FX" /dev/null > "$T/tty.out" 2>&1
	check "cli: --force writes msgpack to a terminal" sh -c "! grep -q refusing '$T/tty.out'"
fi

# --tee copies the input unchanged to stderr
$BIN --tee "$FX" 2>"$T/tee" >/dev/null
check "cli: --tee copies the input to stderr" cmp "$FX" "$T/tee"

# user rules come before the defaults
cat > "$T/user.rules" <<'RULES'
rule my.undefined
  context line
  literal undefined:
  match ^(?<file>\S+\.go):(?<line>\d+):(?<col>\d+): undefined: (?<func>\S+)
  set class=compile_error kind=undefined phase=typecheck tool=compile
  hint  run go generate first
  sample ./main.go:7:2: undefined: Foo
  expect func=Foo
RULES
$BIN -r "$T/user.rules" "$FX" > "$T/user.jsonl"
check "cli: -r rules take priority over the defaults" grep -q '"rule":"my.undefined".*"hint":"run go generate first"' "$T/user.jsonl"
$BIN --compile-rules -o "$T/user.bundle" "$T/user.rules" 2>/dev/null
$BIN -r "$T/user.bundle" "$FX" > "$T/userb.jsonl"
check "cli: a compiled bundle acts like its rule file" cmp "$T/user.jsonl" "$T/userb.jsonl"
printf 'x' | cat - "$T/user.bundle" > "$T/broken.bundle"
status "cli: a corrupt bundle is trouble" 2 $BIN -r "$T/broken.bundle" "$FX"

# A user rule with a literal the built-in rules lack: the built-in prefilter
# database still serves (start-up does not compile it again), the new
# literal gets a database of its own, and the portable backend agrees.
cat > "$T/new.rules" <<'RULES'
rule my.deploy
  context line
  literal "deploy failed: "
  match   ^deploy failed: (?<msg>.+)$
  set     class=panic kind=user_panic phase=runtime
  sample  deploy failed: no quota
  expect  msg=no quota
RULES
CR=fixtures/crash/nil-map-write.log
{ echo 'deploy failed: no quota'; cat "$CR"; echo 'deploy failed: again'; } > "$T/new.log"
$BIN -r "$T/new.rules" < "$T/new.log" > "$T/new.jsonl"
check "cli: -r with a new literal finds its lines" \
	sh -c "[ \$(grep -c '\"rule\":\"my.deploy\"' '$T/new.jsonl') -eq 2 ]"
$BIN < "$CR" | sed 's/"seq":[0-9]*,"lines":\[[0-9]*,[0-9]*\],//' > "$T/new.want"
grep -v my.deploy "$T/new.jsonl" | sed 's/"seq":[0-9]*,"lines":\[[0-9]*,[0-9]*\],//' > "$T/new.got"
check "cli: ... and the built-in rules find the same events beside it" cmp "$T/new.want" "$T/new.got"
GOERRFILT_PREFILTER=bigram $BIN -r "$T/new.rules" < "$T/new.log" > "$T/new.bigram"
check "cli: ... as the portable prefilter does" cmp "$T/new.jsonl" "$T/new.bigram"
# (under ASan resident size says nothing: the bound is run.sh's then)
lim=20480; [ -n "$ASAN" ] && lim=$RSS_KB
check "cli: -r starts within 20 MB (the built-in database is not compiled again)" \
	$PY tests/rss.py $lim 10 $BIN -r "$T/new.rules" "$T/new.log"

# text and github views
$BIN -f text "$FX" > "$T/text.out"
check "cli: text view names class, kind, phase and position" \
	grep -q '^compile_error undefined \[typecheck\] .*main.go:[0-9]*:[0-9]*' "$T/text.out"
check "cli: no colour codes when stdout is not a terminal" sh -c "! grep -q \"\$(printf '\\033')\" '$T/text.out'"
$BIN -f github "$FX" > "$T/gh.out"
check "cli: github annotations" grep -q '^::error file=.*,line=[0-9]*,col=[0-9]*,title=undefined (' "$T/gh.out"

# streaming: an event is written when its block ends, not at end of input
# (waited for up to 8 s, which a loaded machine under the sanitizers may need)
( cat "$FX"; sleep 10 ) | $BIN > "$T/stream.out" &
check "cli: an event is written before the input ends (tail -f)" \
	await_output "$T/stream.out"
wait

# src and --label: where an event came from, and the run's own fields
$BIN fixtures/crash/nil-deref.log fixtures/build/undefined.log > "$T/src.jsonl"
check "cli: each event of a named file carries src, the path as given" $PY -c "
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
srcs = [e.get('src') for e in evs]
assert srcs[0] == 'fixtures/crash/nil-deref.log' and srcs[-1] == 'fixtures/build/undefined.log', srcs
assert all(s in ('fixtures/crash/nil-deref.log', 'fixtures/build/undefined.log') for s in srcs), srcs
" "$T/src.jsonl"
check "cli: events read from stdin carry no src" \
	sh -c "$BIN < fixtures/crash/nil-deref.log | grep -qv '\"src\"'"
$BIN --label host=ci-7 --label job=unit --label host=ci-8 fixtures/crash/nil-deref.log > "$T/lab.jsonl"
check "cli: --label adds labels to every event; a repeated key keeps the last value" \
	grep -q '"labels":{"host":"ci-8","job":"unit"}' "$T/lab.jsonl"
$BIN -f msgpack --label host=ci-7 --label job=unit --label host=ci-8 fixtures/crash/nil-deref.log > "$T/lab.msgpack"
check "cli: msgpack events carry the same labels and src" \
	$PY tests/check_output.py msgpack "$T/lab.jsonl" "$T/lab.msgpack"
check "cli: labelled events validate against the schema" \
	$PY tests/check_output.py schema schema/event.schema.json "$T/lab.jsonl"
status "cli: --label without KEY= is a usage error" 2 $BIN --label novalue "$FX"
status "cli: --label with a space in KEY is a usage error" 2 $BIN --label 'a b=c' "$FX"
$BIN -f forward --label host=ci-8 --label job=unit fixtures/crash/nil-deref.log > "$T/lab.fwd"
$BIN --decode "$T/lab.fwd" > "$T/lab-dec.jsonl"
check "cli: labels and src survive -f forward and --decode" \
	sh -c "sed 's/,\"seq\":[0-9]*//' '$T/lab.jsonl' > '$T/a' && sed 's/,\"seq\":[0-9]*//' '$T/lab-dec.jsonl' > '$T/b' && cmp '$T/a' '$T/b'"

# Gates (filter/gate.c): a structured log line that names its caller holds
# ".go:" and "undefined: " but does not start with a file position, so no
# file-position rule's regex runs on it; the same text as a compiler line
# still makes its event.
printf '%s\n' '{"level": "info", "caller": "api/handler.go:231", "msg": "served", "error": "undefined: x"}' \
	'2026/12/02 07:15:25 handler.go:231: cache miss: undefined: x' > "$T/gate.log"
$BIN --stats "$T/gate.log" > "$T/gate.out" 2> "$T/gate.err"
check "cli: log lines naming their caller (handler.go:231) cost no regex call and make no event" \
	sh -c "grep -q ' 0 regex calls, 0 events' '$T/gate.err' && [ ! -s '$T/gate.out' ]"
printf '%s\n' './main.go:7:2: undefined: Foo' 'C:\w\a.go:2:8: undefined: x' '<autogenerated>:1: undefined: y' > "$T/gate2.log"
$BIN "$T/gate2.log" > "$T/gate2.out"
check "cli: file positions (relative, a drive letter, <autogenerated>) still pass the gate" \
	sh -c "[ \$(grep -c '\"kind\":\"undefined\"' '$T/gate2.out') -eq 3 ] && grep -q '\"file\":\"C:' '$T/gate2.out'"
