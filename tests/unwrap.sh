# Sourced by tests/run.sh: Go output as it arrives in real logs, beyond
# tests/envelopes.sh's every-fixture-behind-every-envelope runs: pods,
# application logs, records, split lines.  The wrapped copies and the
# application-log lines below are synthetic, made here.


# Two pods, each with its own crash, interleaved line by line.
$PY - "$T/two.log" <<'PYEOF'
import sys
a = open("fixtures/crash/nil-deref.log").read().splitlines()
b = open("fixtures/crash/race.log").read().splitlines()
with open(sys.argv[1], "w") as o:
    for i in range(max(len(a), len(b))):
        if i < len(a): o.write("[pod/api-5d9f7-abcde/app] " + a[i] + "\n")
        if i < len(b): o.write("[pod/worker-0/main] " + b[i] + "\n")
PYEOF
$BIN "$T/two.log" > "$T/two.jsonl"
$BIN fixtures/crash/nil-deref.log > "$T/a.jsonl"
$BIN fixtures/crash/race.log > "$T/b.jsonl"
check "unwrap: two interleaved pods give both crashes, each with its stream" $PY -c "
import json, sys
got = {e['stream']: e for e in map(json.loads, open(sys.argv[1]))}
a = json.loads(open(sys.argv[2]).readline()); b = json.loads(open(sys.argv[3]).readline())
assert len(got) == 2, got.keys()
for s, want in (('pod/api-5d9f7-abcde/app', a), ('pod/worker-0/main', b)):
    e = got[s]
    for k in ('class', 'kind', 'fingerprint', 'func'):
        assert e.get(k) == want.get(k), (s, k, e.get(k), want.get(k))
    assert [f['func'] for f in e['stack']] == [f['func'] for f in want['stack']], s
" "$T/two.jsonl" "$T/a.jsonl" "$T/b.jsonl"

# Ordinary application log lines that mention panics and errors.
cat > "$T/app.log" <<'LOGEOF'
2026/12/02 07:34:20 panic: this is only a log message
2026/12/02 07:34:20 main.go:42: connection refused
time=2026-12-02T07:34:20.123Z level=ERROR msg="recovered from panic" err="runtime error: index out of range [3] with length 3"
time=2026-12-02T07:34:21.123Z level=ERROR msg=request err="http: panic serving 10.0.0.1:5555: boom"
{"time":"2026-12-02T07:34:22Z","level":"ERROR","msg":"panic"}
{"level":"error","ts":1733125460.123,"caller":"api/handler.go:88","msg":"fatal error: upstream gone","error":"EOF"}
[12:00:01] INFO panic: test mode enabled
2026-12-02T07:34:23.000Z stderr F level=warn msg="goroutine 12 [running] took 5s"
api-1  | ERROR main.go:12:34: not a compiler
LOGEOF
status "unwrap: application log lines that mention panics are no events" 1 $BIN "$T/app.log"

# A service's own `file.go:L: msg` log lines long after a vet failure (the
# real fixture; the log lines below it are synthetic) are not vet findings:
# the `# pkg` header's tool lasts as long as its package, to the first gap.
{
	cat fixtures/build/vet-buildtag.log
	printf 'ok  \texample.com/m\t0.01s\n'
	for i in 1 2 3; do
		echo "2024/05/01 12:00:0$i main.go:42: request $i served"
		echo "main.go:57: cache warm"
	done
} > "$T/vetlog.log"
$BIN < fixtures/build/vet-buildtag.log > "$T/vet.jsonl"
$BIN < "$T/vetlog.log" > "$T/vetlog.jsonl"
check "unwrap: service log lines after a vet failure give only the vet failure's events" \
	cmp "$T/vet.jsonl" "$T/vetlog.jsonl"

# A JSON log record holding Go output: debug.Stack() in a recovery handler.
$PY - "$T/rec.log" <<'PYEOF'
import json, sys
lines = open("fixtures/crash/nil-deref.log").read().splitlines()
with open(sys.argv[1], "w") as o:
    o.write(json.dumps({"time": "2026-12-02T07:34:20.5Z", "level": "INFO", "msg": "started"}) + "\n")
    o.write(json.dumps({"time": "2026-12-02T07:34:21.5Z", "level": "ERROR", "msg": "crash",
                        "out": "\n".join(lines[1:]) + "\n"}) + "\n")
PYEOF
$BIN "$T/rec.log" > "$T/rec.jsonl"
check "unwrap: a JSON record holding a crash is the crash, at the record's line and time" $PY -c "
import json, sys
e = [json.loads(l) for l in open(sys.argv[1])]
b = json.loads(open(sys.argv[2]).readline())
assert len(e) == 1, e
assert e[0]['lines'] == [2, 2] and e[0]['time'] == '2026-12-02T07:34:21.5Z', e[0]
for k in ('class', 'kind', 'fingerprint'):
    assert e[0].get(k) == b.get(k), k
" "$T/rec.jsonl" "$T/a.jsonl"

# A docker record split at 16 KiB: one line, its first record's number.
$PY - "$T/split.log" <<'PYEOF'
import json, sys
line = "./main.go:3:4: undefined: " + "x" * 20000
with open(sys.argv[1], "w") as o:
    o.write(json.dumps({"log": "# example.com/m\n", "stream": "stderr", "time": "2024-05-01T12:00:00.1Z"}) + "\n")
    o.write(json.dumps({"log": line[:16384], "stream": "stderr", "time": "2024-05-01T12:00:00.2Z"}) + "\n")
    o.write(json.dumps({"log": line[16384:] + "\n", "stream": "stderr", "time": "2024-05-01T12:00:00.3Z"}) + "\n")
PYEOF
$BIN "$T/split.log" > "$T/split.jsonl"
check "unwrap: a docker line split into records is one line" $PY -c "
import json, sys
e = [json.loads(l) for l in open(sys.argv[1])]
assert len(e) == 1 and e[0]['kind'] == 'undefined' and e[0]['pkg'] == 'example.com/m', e
assert e[0]['lines'][0] == 2 and e[0]['time'] == '2024-05-01T12:00:00.2Z', e[0]
" "$T/split.jsonl"

# msgpack carries stream and time like JSON.
sed 's/^/2024-05-01T12:00:00.123456789Z stderr F /' fixtures/crash/nil-deref.log > "$T/cri.log"
$BIN -p "$T/cri.log" > "$T/cri.jsonl"
$BIN -p -f msgpack "$T/cri.log" > "$T/cri.msgpack"
check "unwrap: msgpack carries stream and time as JSON does" \
	$PY tests/check_output.py msgpack "$T/cri.jsonl" "$T/cri.msgpack"
check "schema: events with stream and time validate" \
	$PY tests/check_output.py schema schema/event.schema.json "$T/cri.jsonl" "$T/two.jsonl" "$T/rec.jsonl"

# net/http's recovered panic, real captures from Go 1.24 and Go 1.27: the
# same bug gives the same fingerprint.
check "unwrap: http: panic serving is one recovered panic, same fingerprint on go1.24 and go1.27" $PY -c "
import json, subprocess, sys
fp = set()
for v in ('1.24', '1.27'):
    out = subprocess.run([sys.argv[1], 'fixtures/app/http-panic-nil-go%s.log' % v], stdout=subprocess.PIPE).stdout
    e = [json.loads(l) for l in out.decode().splitlines()]
    assert len(e) == 1 and e[0]['kind'] == 'nil_deref' and e[0]['recovered'] is True, e
    assert e[0]['func'] == 'main.whoami' and e[0]['lines'] == [1, 18], e[0]
    fp.add(e[0]['fingerprint'])
assert len(fp) == 1, fp
" "$BIN"

# 50 MB of ordinary service logs (synthetic: std log, slog, zap, logrus,
# access logs, many lines that mention panics) with the real crashes of
# fixtures/crash inserted: exactly the crashes' events, no others.
$PY tests/gen/applog.py "$T/applog.log" "$T/applog.json" 50
$BIN "$T/applog.log" > "$T/applog.jsonl"
check "unwrap: 50 MB of application logs give exactly the inserted crashes' events" $PY -c "
import json, subprocess, sys
m = json.load(open(sys.argv[2]))
exp = set()
for c in m:
    out = subprocess.run([sys.argv[3], c['fixture']], stdout=subprocess.PIPE).stdout
    for l in out.decode().splitlines():
        b = json.loads(l)
        exp.add((c['line'] + b['lines'][0] - 1, b['class'], b['kind'], b['fingerprint']))
got = set()
for l in open(sys.argv[1]):
    e = json.loads(l)
    got.add((e['lines'][0], e['class'], e['kind'], e['fingerprint']))
assert got == exp, ('false', sorted(got - exp)[:5], 'missed', sorted(exp - got)[:5])
print(len(m), 'crashes,', len(got), 'events')
" "$T/applog.jsonl" "$T/applog.json" "$BIN"
rm -f "$T/applog.log"

# A pipe that delivers a CRI-wrapped log in two reads, split after each of
# the first lines (synthetic CRI records of a real crash, behind 30 lines
# of -x output): the same events as in one read.  A read that ended after
# the blank line below "fatal error: ..." used to send that blank line on
# before the headline held for the next read, and lose the crash.
$PY - "$BIN" <<'PYEOF' > "$T/split-reads.out" 2>&1
import os, subprocess, sys, time
T = "2026-12-02T07:34:20.123456789Z stderr F "
pre = [l for l in open("fixtures/build/" + sorted(os.listdir("fixtures/build"))[0]).read().splitlines()][:30]
crash = open("fixtures/crash/deadlock.log").read().splitlines()
lines = [T + l for l in pre + crash]
data = ("\n".join(lines) + "\n").encode()
def run(cut):
    p = subprocess.Popen([sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    if cut is None:
        out = p.communicate(data)[0]
    else:
        k = len(("\n".join(lines[:cut]) + "\n").encode())
        p.stdin.write(data[:k]); p.stdin.flush(); time.sleep(0.05)
        p.stdin.write(data[k:]); p.stdin.close()
        out = p.stdout.read(); p.wait()
    return out
want = run(None)
assert b"deadlock" in want, want
bad = [c for c in range(len(pre), len(pre) + 8) if run(c) != want]
assert not bad, "cuts after lines %s give other events" % bad
print("8 cuts, same events")
PYEOF
if grep -q '^8 cuts, same events' "$T/split-reads.out"; then
	ok "unwrap: a CRI log read in two pieces, cut after any of the crash's first lines, gives the events of one read"
else
	nok "unwrap: a CRI log read in two pieces gives other events"; sed 's/^/     /' "$T/split-reads.out" | head
fi

# Tracebacks are read past their first 64 KiB window without a literal
# scan (eng_block_run); -p takes the usual way for every line.  Both must
# give the same events on every real crash, service and go test log.
n=0; bad=
for f in fixtures/crash*/*.log fixtures/app/*.log fixtures/test/*.log; do
	n=$((n + 1))
	$BIN "$f" | sed 's/"seq":[0-9]*,//' > "$T/fast.jsonl"
	$BIN -p "$f" | grep -v '^{"v":1,"seq":[0-9]*,"lines":\[[0-9]*,[0-9]*\],"text":' |
		sed 's/"seq":[0-9]*,//' > "$T/usual.jsonl"
	cmp -s "$T/fast.jsonl" "$T/usual.jsonl" || bad="$bad $f"
done
if [ -z "$bad" ]; then
	ok "unwrap: the traceback fast path gives the usual path's events on $n real logs (a 10,000-goroutine dump among them)"
else
	nok "unwrap: the traceback fast path differs on:$bad"
fi
