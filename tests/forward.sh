# tests/forward.sh - -f forward, --forward and --decode (sourced by
# tests/run.sh: uses BIN, PY, T, ok, nok, check, status).  Servers are
# tests/fwd_server.py on a unix socket and on 127.0.0.1; every wait is
# bounded (timeout(1), the server's own --timeout, wait_for's 10 s).

FS=tests/fwd_server.py
# `timeout` ends a goerrfilt that hangs; 40 s leaves room for ASan.
TO="timeout 40"

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_for() {
	wf_n=$(($1 * 10)); shift
	while [ "$wf_n" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.1
		wf_n=$((wf_n - 1))
	done
	return 1
}
# lines_at_least FILE N
lines_at_least() { [ -e "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
# stop PID: ends a server this script started, and reaps it.
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

FWD_FIXTURES="fixtures/crash/*.log fixtures/build/multi-pkg-errors.log
fixtures/test/assert-fail-json-go1.27.log fixtures/app/slog-json-recover-go1.24.log"

# --- -f forward to a file: framing, tag, size, EventTime, records ---------------
for f in fixtures/build/multi-pkg-errors.log fixtures/crash/nil-deref.log \
    fixtures/test/assert-fail-json-go1.27.log fixtures/app/slog-json-recover-go1.24.log; do
	$BIN -p "$f" >"$T/fw.json" 2>/dev/null
	$BIN -p -f forward --tag ci.go --forward-batch 7 -o "$T/fw.fwd" "$f" 2>/dev/null
	check "forward: framing, tag, size, EventTime, records = -f json: $f" \
		$PY $FS check-file "$T/fw.fwd" "$T/fw.json" ci.go 7
done
# 2026-12-02T12:21:57.224378421Z: fixext 8 (d7), type 0, seconds, nanoseconds.
$BIN -f forward -o "$T/fw.fwd" fixtures/app/slog-json-recover-go1.24.log
check "forward: EventTime bytes d7 00 6b100d65 0d5fbe35 for the event's time" \
	$PY $FS has-bytes "$T/fw.fwd" d7006b100d650d5fbe35
$BIN -f forward fixtures/crash/nil-deref.log >"$T/fw.fwd"
check "forward: the default tag is goerrfilt and one message holds the event" \
	$PY $FS check-file "$T/fw.fwd" tests/golden/crash-nil-deref.jsonl goerrfilt 100
# A partial batch is written when the input falls silent, not at the end.
rm -f "$T/idle.fwd"
( cat fixtures/crash/nil-deref.log; sleep 4 ) | $TO $BIN -f forward -o "$T/idle.fwd" &
ipid=$!
if wait_for 3 test -s "$T/idle.fwd" && kill -0 $ipid 2>/dev/null &&
    $PY $FS check-file "$T/idle.fwd" tests/golden/crash-nil-deref.jsonl goerrfilt 100 >"$T/log" 2>&1; then
	ok "forward: a partial batch goes out when the input falls silent ($(cat "$T/log"))"
else
	nok "forward: idle flush"; sed 's/^/     /' "$T/log" | head -5
fi
wait $ipid
status "forward: exit status 1 when nothing is found" 1 \
	$BIN -f forward -o "$T/fw.fwd" tests/fwd_server.py
status "forward: a bad --forward address is trouble" 2 \
	$BIN --forward udp:1.2.3.4 fixtures/crash/nil-deref.log
status "forward: --forward with -o is refused" 2 \
	$BIN --forward unix:$T/x.sock -o "$T/x" fixtures/crash/nil-deref.log

# --- to a server on a unix socket and on TCP --------------------------------
: >"$T/want.jsonl"
for f in $FWD_FIXTURES; do $BIN "$f" >>"$T/want.jsonl" 2>/dev/null; done
nwant=$(wc -l <"$T/want.jsonl")

rm -f "$T/got-u.jsonl" "$T/ready"
$PY $FS serve --unix "$T/fwd.sock" --out "$T/got-u.jsonl" --ready "$T/ready" \
	--timeout 60 &
spid=$!
wait_for 10 test -e "$T/ready"
rc=0
for f in $FWD_FIXTURES; do
	$TO $BIN --forward "unix:$T/fwd.sock" --tag unix.test --forward-batch 3 "$f" \
		>/dev/null 2>"$T/fwd.err" || rc=$?
	[ "$rc" -le 1 ] || break
done
wait_for 10 lines_at_least "$T/got-u.jsonl" "$nwant"
stop $spid
if [ "$rc" -le 1 ] && $PY $FS check-got "$T/got-u.jsonl" --want "$T/want.jsonl" \
    --tag unix.test >"$T/log" 2>&1; then
	ok "forward: unix socket, $nwant events of $(echo $FWD_FIXTURES | wc -w) fixtures ($(cat "$T/log"))"
else
	nok "forward: unix socket (exit $rc)"; cat "$T/fwd.err" "$T/log" | head -10 | sed 's/^/     /'
fi

rm -f "$T/got-t.jsonl" "$T/port"
$PY $FS serve --tcp "$T/port" --out "$T/got-t.jsonl" --ack --timeout 60 &
spid=$!
wait_for 10 test -e "$T/port"
port=$(cat "$T/port" 2>/dev/null)
rc=0
for f in $FWD_FIXTURES; do
	$TO $BIN --forward "tcp:127.0.0.1:$port" --forward-ack "$f" \
		>/dev/null 2>"$T/fwd.err" || rc=$?
	[ "$rc" -le 1 ] || break
done
stop $spid
if [ "$rc" -le 1 ] && $PY $FS check-got "$T/got-t.jsonl" --want "$T/want.jsonl" \
    --tag goerrfilt >"$T/log" 2>&1; then
	ok "forward: TCP 127.0.0.1 with acks ($(cat "$T/log"))"
else
	nok "forward: TCP (exit $rc)"; cat "$T/fwd.err" "$T/log" | head -10 | sed 's/^/     /'
fi

# --- a collector that stops and restarts mid-stream, with acks ---------------
# The input comes through a FIFO in three parts; server A acks two messages,
# reads a third and exits without acking it (which must be resent), part two arrives while nothing listens, server B takes the
# rest.  --idle-ms 0 keeps the events independent of the pauses.
RF=fixtures/build/multi-pkg-errors.log
$BIN -p --idle-ms 0 "$RF" >"$T/want-r.jsonl"
nr=$(wc -l <"$T/want-r.jsonl")
rm -f "$T/a.jsonl" "$T/b.jsonl" "$T/ready" "$T/in.fifo"
mkfifo "$T/in.fifo"
$PY $FS serve --unix "$T/r.sock" --out "$T/a.jsonl" --ack --exit-after 2 --swallow \
	--ready "$T/ready" --timeout 30 &
apid=$!
wait_for 10 test -e "$T/ready"
$TO $BIN -p --idle-ms 0 --forward "unix:$T/r.sock" --forward-ack \
	--forward-batch 50 --forward-flush-ms 100 --stats <"$T/in.fifo" \
	>/dev/null 2>"$T/r.err" &
gpid=$!
exec 3>"$T/in.fifo"
sed -n '1,300p' "$RF" >&3
# Server A goes away after its second ack (bounded by its --timeout).
wait $apid
sed -n '301,500p' "$RF" >&3
sleep 1
rm -f "$T/ready"
# 3>&-: the server must not hold the FIFO open, or the input never ends.
$PY $FS serve --unix "$T/r.sock" --out "$T/b.jsonl" --ack --ready "$T/ready" \
	--timeout 30 3>&- &
bpid=$!
wait_for 10 test -e "$T/ready"
sed -n '501,$p' "$RF" >&3
exec 3>&-
wait $gpid
rc=$?
stop $bpid
resent=$(sed -n 's/.* \([0-9]*\) resent.*/\1/p' "$T/r.err")
if [ "$rc" -eq 0 ] && [ "${resent:-0}" -ge 1 ] && $PY $FS check-got "$T/a.jsonl" "$T/b.jsonl" \
    --want "$T/want-r.jsonl" >"$T/log" 2>&1; then
	ok "forward: collector restarted mid-stream, acks: $(cat "$T/log"); $(grep -o '[0-9]* acked, [0-9]* resent' "$T/r.err")"
else
	nok "forward: collector restart (exit $rc, resent '$resent')"; cat "$T/r.err" "$T/log" | head -10 | sed 's/^/     /'
fi

# --- no collector at all: the bound, the drop count, exit 2 -----------------
start=$(date +%s)
$TO $BIN -p --forward "unix:$T/nobody.sock" --forward-buffer 5 --forward-timeout 1 \
	--stats "$RF" >/dev/null 2>"$T/d.err"
rc=$?
took=$(($(date +%s) - start))
dropped=$(sed -n 's/.* \([0-9]*\) events dropped.*/\1/p' "$T/d.err")
undeliv=$(sed -n 's/.* \([0-9]*\) events undelivered.*/\1/p' "$T/d.err")
if [ "$rc" -eq 2 ] && [ "$dropped" = $((nr - 5)) ] && [ "$undeliv" = 5 ] && [ "$took" -le 5 ]; then
	ok "forward: no collector, buffer of 5: $dropped dropped and $undeliv undelivered reported, exit 2 after ${took} s"
else
	nok "forward: no collector (exit $rc, dropped '$dropped', undelivered '$undeliv', ${took} s)"
	sed 's/^/     /' "$T/d.err" | head -5
fi

# A collector that takes the data and never acks: bounded, exit 2.
rm -f "$T/ready"
$PY $FS serve --unix "$T/m.sock" --out "$T/m.jsonl" --mute --ready "$T/ready" \
	--timeout 30 &
spid=$!
wait_for 10 test -e "$T/ready"
start=$(date +%s)
$TO $BIN --forward "unix:$T/m.sock" --forward-ack --forward-timeout 2 \
	fixtures/crash/nil-deref.log >/dev/null 2>"$T/m.err"
rc=$?
took=$(($(date +%s) - start))
stop $spid
if [ "$rc" -eq 2 ] && grep -q '1 events undelivered: not acknowledged' "$T/m.err" && \
    [ "$took" -le 6 ]; then
	ok "forward: a collector that never acks: exit 2 after ${took} s, reported"
else
	nok "forward: never-acking collector (exit $rc, ${took} s)"; sed 's/^/     /' "$T/m.err" | head -5
fi

# --- --decode round trips -------------------------------------------------------
for f in fixtures/build/multi-pkg-errors.log fixtures/crash/goroutines-10k.log \
    fixtures/test/assert-fail-json-go1.27.log fixtures/app/slog-json-recover-go1.24.log; do
	$BIN -p "$f" >"$T/d.json"
	$BIN -p -f msgpack -o "$T/d.mp" "$f"
	$BIN -p -f msgpack -o "$T/d.mp.zst" "$f"
	$BIN -p -f forward --forward-batch 9 -o "$T/d.fwd" "$f"
	$BIN -p -f forward -o "$T/d.fwd.zst" "$f"
	for x in d.mp d.mp.zst d.fwd d.fwd.zst; do
		$BIN --decode "$T/$x" >"$T/dd.json" 2>"$T/dd.err"
		check "decode: json -> ${x#d.} -> --decode = json: $f" \
			$PY $FS same "$T/d.json" "$T/dd.json"
	done
done
f=fixtures/test/assert-fail-json-go1.27.log
$BIN -p -f msgpack "$f" | $BIN --decode - -f text >"$T/dt.txt"
$BIN -p -f text "$f" >"$T/t.txt"
check "decode: -f text from stdin equals -f text of the log" diff -u "$T/t.txt" "$T/dt.txt"
$BIN -p -f msgpack -o "$T/d.mp" "$f"
$BIN -p "$f" >"$T/d.json"
$PY $FS modes "$T/d.mp" "$T/d.msg" "$T/d.packed" "$T/d.gzip"
for x in msg packed; do
	$BIN --decode "$T/d.$x" >"$T/dd.json"
	check "decode: ${x} mode equals json" $PY $FS same "$T/d.json" "$T/dd.json"
done
$BIN --decode "$T/d.mp" -f forward -o "$T/d2.fwd"
$BIN --decode "$T/d2.fwd" >"$T/dd.json"
check "decode: msgpack -> --decode -f forward -> --decode equals json" \
	$PY $FS same "$T/d.json" "$T/dd.json"
status "decode: compressed gzip is refused" 2 $BIN --decode "$T/d.gzip"
grep -q 'offset [0-9]*: .*compressed "gzip" is not supported' "$T/log" && \
	ok "decode: ... with an offset and a reason" || nok "decode: gzip message: $(cat "$T/log")"

# Garbage: every case exits 2 with FILE: offset N and writes what came before.
sz=$(wc -c <"$T/d.fwd")
head -c $((sz - 3)) "$T/d.fwd" >"$T/g1"
printf '\333\377\377\377\377' >"$T/g2"                    # a 4 GiB string
printf '\223\241t\335\377\377\377\377\001' >"$T/g3"       # 4G entries
printf '\202\241v\001\243seq\241x' >"$T/g4"               # seq is a string
printf '\222\241t\221\222\307\010\005AAAAAAAA\200' >"$T/g5"  # ext 5, not EventTime
# Ten 0xff bytes (negative integers) over a record's keys.
{ head -c 40 "$T/d.fwd"; printf '\377\377\377\377\377\377\377\377\377\377'; tail -c +51 "$T/d.fwd"; } >"$T/g6"
awk 'BEGIN { for (i = 0; i < 200; i++) printf "\221"; }' >"$T/g7"  # deep nesting
printf '\301' >"$T/g8"
for g in g1 g2 g3 g4 g5 g6 g7 g8; do
	$TO $BIN --decode "$T/$g" >/dev/null 2>"$T/g.err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "^goerrfilt: $T/$g: offset [0-9]*: " "$T/g.err"; then
		ok "decode: garbage $g: exit 2, $(sed "s,^goerrfilt: $T/,," "$T/g.err" | head -1)"
	else
		nok "decode: garbage $g (exit $rc)"; sed 's/^/     /' "$T/g.err" | head -3
	fi
done
