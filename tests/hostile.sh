# Sourced by tests/run.sh: hostile input never crashes, hangs or grows memory.
# Every input here is synthetic: the test makes it (random bytes, a long
# line, NULs, cut copies of real fixtures, a runaway rule).
# rss.py fails a run killed by a signal, slower than its bound, or above
# its memory bound.

$PY -c "
import random
r = random.Random(7)
open('$T/random.bin', 'wb').write(bytes(r.getrandbits(8) for _ in range(4 << 20)))
" 
check "hostile: 4 MiB of random bytes" sh -c "$PY tests/rss.py $RSS_KB 60 $BIN $T/random.bin >/dev/null; test \$? -le 1"

$PY -c "
import sys
with open('$T/longline.log', 'wb') as f:
    f.write(b'./main.go:1:2: undefined: ' + b'x' * (64 << 20) + b'\n')
    f.write(b'./main.go:3:4: undefined: y\n')
"
$PY tests/rss.py $RSS_KB 60 $BIN "$T/longline.log" > "$T/long.jsonl" 2>"$T/long.err"
rc=$?
check "hostile: a 64 MiB line in bounded memory (exit $rc)" test $rc -eq 0
check "hostile: the line after a 64 MiB line is still seen as line 2" grep -q '"lines":\[2,2\]' "$T/long.jsonl"

printf './main.go:1:2: undefined: a\0b\n\0\0\0\npanic: bo\0om\n\ngoroutine 1 [running]:\nmain.main()\n\t/x/main.go:3 +0x1\n' > "$T/nul.log"
$BIN -p "$T/nul.log" > "$T/nul.jsonl"
check "hostile: NUL bytes survive as \\u0000 in valid JSON" \
	$PY -c "import json,sys; d=[json.loads(l) for l in open(sys.argv[1])]; assert any(r.get('text') == '\0\0\0' for r in d), d" "$T/nul.jsonl"

printf './m\377\376.go:1:2: undefined: \303(\n' > "$T/utf8.log"
$BIN "$T/utf8.log" > "$T/utf8.jsonl"
check "hostile: invalid UTF-8 becomes U+FFFD, output stays valid UTF-8" \
	$PY -c "import json,sys; d=[json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]; assert '\ufffd' in d[0]['file'], d" "$T/utf8.jsonl"

for b in /usr/lib/go-1.24/pkg/tool/linux_amd64/compile /bin/ls; do
	[ -f "$b" ] || continue
	check "hostile: binary file $b" sh -c "$PY tests/rss.py $RSS_KB 60 $BIN $b >/dev/null; test \$? -le 1"
done

for f in fixtures/crash/*.log; do
	[ -e "$f" ] || continue
	n=$(wc -l < "$f")
	for cut in 2 5 $((n / 2)); do
		head -n "$cut" "$f" > "$T/cut.log"
		head -c -7 "$T/cut.log" > "$T/cut2.log"
		check "hostile: $(basename "$f") cut at line $cut (and mid-line)" \
			sh -c "$PY tests/rss.py $RSS_KB 20 $BIN $T/cut.log >/dev/null && $PY tests/rss.py $RSS_KB 20 $BIN $T/cut2.log >/dev/null; test \$? -le 1"
	done
	break
done

printf 'CRLF and colour:\r\n\033[1;31m./main.go:9:3: undefined: z\033[0m\r\n' > "$T/crlf.log"
$BIN "$T/crlf.log" > "$T/crlf.jsonl"
check "hostile: CR and ANSI colour codes are removed before matching" \
	grep -q '"file":"./main.go","line":9,"col":3' "$T/crlf.jsonl"

# A rule that backtracks catastrophically is stopped, reported, not hung on.
cat > "$T/evil.rules" <<'RULES'
rule evil.backtrack
  context line
  literal aaaa
  match ^(a|aa)+$
  set class=compile_error kind=compile_error
  sample aaaa
RULES
$PY -c "open('$T/evil.log','w').write('a' * 5000 + 'b\n')"
# (With -r the prefilter is compiled at start-up instead of loaded from the
# bundle, which takes Hyperscan some 25 MB for a moment: hence 64 MB here.)
$PY tests/rss.py $((RSS_KB * 2)) 30 $BIN -r "$T/evil.rules" "$T/evil.log" >/dev/null 2>"$T/evil.err"
rc=$?
check "hostile: a runaway regex is stopped by the retry limit (exit $rc)" test $rc -eq 1
check "hostile: ... and reported" grep -q "retry limit exceeded" "$T/evil.err"
