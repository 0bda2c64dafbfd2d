# Sourced by tests/run.sh: the same real output behind the line prefixes
# of common log collectors gives the same events (but for the stream and
# time the envelope adds), found without options.
# The prefixed copies are synthetic (the prefix is added here); the Go
# output inside them is the real fixture.

# The sanitizer build takes each fixture behind two of the six prefixes,
# in turn, so that each prefix still meets a third of the fixtures.
n=0
k=0
bad=
for f in fixtures/build/*.log fixtures/crash/*.log; do
	$BIN "$f" > "$T/plain.jsonl" 2>/dev/null
	k=$((k + 1))
	i=0
	for p in '2024-05-01T12:00:00.123456789Z stderr F ' \
	    '05-01 12:00:00.123  4242  4260 E GoLog   : ' \
	    'May  1 12:00:00 web-1 myapp[4242]: ' \
	    '2024-05-01T12:00:00.1234567Z ' \
	    '2024-05-01T12:00:00+0000 web-1 myapp[4242]: ' \
	    'E/GoLog ( 4242): '; do
		i=$((i + 1))
		[ -z "$ASAN" ] || [ $(((i + k) % 3)) -eq 0 ] || continue
		awk -v p="$p" '{print p $0}' "$f" > "$T/pfx.log"
		$BIN "$T/pfx.log" > "$T/pfx.jsonl" 2>/dev/null
		n=$((n + 1))
		$PY tests/check_output.py same-events "$T/plain.jsonl" "$T/pfx.jsonl" >/dev/null 2>&1 ||
			bad="$bad $(basename "$f")[$p]"
	done
done
check "prefix: $n prefixed copies of the fixtures give each fixture's events" test -z "$bad"
[ -z "$bad" ] || echo "     differ:$bad" | head -c 2000

# A container log: the crash between ordinary log lines of the same prefix.
{
	for i in 1 2 3; do echo "2024-05-01T12:00:0${i}.000000000Z stdout F level=info msg=\"request $i served\""; done
	sed 's/^/2024-05-01T12:00:05.000000000Z stderr F /' fixtures/crash/nil-deref.log
	for i in 4 5; do echo "2024-05-01T12:00:0${i}.000000000Z stdout F level=info msg=\"shutting down $i\""; done
} > "$T/k8s.log"
$BIN "$T/k8s.log" > "$T/k8s.jsonl"
$BIN < fixtures/crash/nil-deref.log > "$T/nd.jsonl"
check "prefix: a crash among ordinary container log lines keeps its fingerprint and stack" \
	$PY -c "
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
assert len(a) == 1 and len(b) == 1, (len(a), len(b))
for k in ('class', 'kind', 'fingerprint', 'stack', 'signal', 'func'):
    assert a[0].get(k) == b[0].get(k), k
assert a[0]['lines'] == [b[0]['lines'][0] + 3, b[0]['lines'][1] + 3], (a[0]['lines'], b[0]['lines'])
" "$T/k8s.jsonl" "$T/nd.jsonl"

# --prefix names a prefix the defaults do not know.
sed 's/^/[web-1] /' fixtures/crash/nil-deref.log > "$T/custom.log"
$BIN --prefix '^\[[^]]*\] ' < "$T/custom.log" > "$T/custom.jsonl"
check "prefix: --prefix REGEX strips a prefix of the user's" cmp "$T/nd.jsonl" "$T/custom.jsonl"
$BIN "$T/k8s.log" | $PY -c "
import json, sys
e = [json.loads(l) for l in sys.stdin]
assert len(e) == 1 and e[0]['stream'] == 'stderr' and e[0]['time'] == '2024-05-01T12:00:05.000000000Z', e
" >"$T/log" 2>&1
check "prefix: a CRI record's stream and time reach the event" test ! -s "$T/log"
status "prefix: a bad --prefix regex is trouble" 2 $BIN --prefix '(' fixtures/crash/nil-deref.log
