# tests/contrib.sh - sourced by tests/run.sh: the contrib/ pieces.
# syslog-ng and rsyslog are real daemons (the bookworm packages that
# scripts/setup.sh unpacks under /opt/goerrfilt-contrib), run in the
# foreground with every file under a temp dir; the CI templates' scripts are
# extracted from their YAML and run with bash against real fixtures.

CONTRIB_ROOT=${GOERRFILT_CONTRIB_ROOT:-/opt/goerrfilt-contrib}
CT="$T/contrib"
mkdir -p "$CT"
CPIDS=
ABSBIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
# Stops the daemons still running (a test that failed half-way) and cleans up.
contrib_cleanup() {
	for p in $CPIDS; do kill -TERM "$p" 2>/dev/null; done
	sleep 0.5
	for p in $CPIDS; do kill -KILL "$p" 2>/dev/null; done
	CPIDS=
}
trap 'contrib_cleanup; rm -rf "$T"' EXIT
trap 'contrib_cleanup; rm -rf "$T"; exit 130' INT TERM

# contrib_stop PID SECS: TERM, then wait at most SECS for it to exit.
contrib_stop() {
	kill -TERM "$1" 2>/dev/null || return 1
	i=0
	while kill -0 "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($2 * 10)) ] || { kill -KILL "$1" 2>/dev/null; return 1; }
		sleep 0.1
	done
	CPIDS=$(echo "$CPIDS" | sed "s/\\b$1\\b//")
}

# A goerrfilt behind the daemon that keeps its stderr and exit status, so a
# sanitizer report or an unclean exit fails the test.
contrib_wrapper() {
	cat >"$1/goerrfilt" <<WRAP
#!/bin/sh
"$ABSBIN" "\$@" 2>>"$1/goerrfilt.err"
echo \$? >>"$1/goerrfilt.status"
WRAP
	chmod +x "$1/goerrfilt"
}

# contrib_daemon NAME DIR PID: the daemon was started (PID) to tail
# DIR/app.log.  Two phases, each appended line by line as a program writes
# its log, each with a bounded wait for its events: a crash that ends the
# log (held open until goerrfilt's --idle-ms), then a build error followed
# by an ordinary line (ended at once; reaches the events file when the
# input falls silent).  The events must be the ones goerrfilt gives for the
# whole log as a file.  Then the daemon is stopped and goerrfilt must have
# exited 0 with an empty stderr.
contrib_daemon() {
	cname=$1; d=$2; dpid=$3
	sleep 1
	if ! kill -0 "$dpid" 2>/dev/null; then
		nok "contrib: $cname did not start"; sed 's/^/     /' "$d/daemon.out" | head -20
		return
	fi
	: >"$d/whole.log"
	n=0
	for ph in $CONTRIB_PHASES; do
		cat "$ph" >>"$d/whole.log"
		$BIN "$d/whole.log" >"$d/want.jsonl" 2>/dev/null
		n=$(wc -l <"$d/want.jsonl")
		$PY tests/contrib_check.py feed "$ph" "$d/app.log"
		if ! $PY tests/contrib_check.py wait "$d/events.jsonl" "$n" 15 >"$d/wait" 2>&1; then
			nok "contrib: $cname: $n events after $(basename "$ph") within 15 s"
			sed 's/^/     /' "$d/wait" "$d/daemon.out" | head -20
			n=-1; break
		fi
	done
	if [ "$n" -lt 0 ]; then
		:
	elif $PY tests/contrib_check.py same "$d/want.jsonl" "$d/events.jsonl" >"$d/same" 2>&1; then
		ok "contrib: $cname tails a live log (sigquit.log, 279 lines, 112 tab-indented; then type-mismatch.log and a line) into $n events, each written while the log is live, the same as goerrfilt on the file (class, kind, fingerprint, msg, stack)"
	else
		nok "contrib: $cname: events differ from goerrfilt on the log"; sed 's/^/     /' "$d/same" | head -20
	fi
	# syslog-ng does not wait for its program to exit: goerrfilt (slower
	# under ASan) may still be writing when the daemon is gone.
	stopped=0
	contrib_stop "$dpid" 15 && $PY tests/contrib_check.py wait "$d/goerrfilt.status" 1 15 >/dev/null 2>&1 && stopped=1
	if [ $stopped = 1 ] && [ "$(cat "$d/goerrfilt.status" 2>/dev/null)" = 0 ] && [ ! -s "$d/goerrfilt.err" ]; then
		ok "contrib: $cname stops on TERM within 15 s, goerrfilt exits 0 (within 15 s more) with nothing on stderr"
	else
		nok "contrib: $cname stop (goerrfilt status '$(cat "$d/goerrfilt.status" 2>/dev/null)')"
		sed 's/^/     /' "$d/goerrfilt.err" "$d/daemon.out" 2>/dev/null | head -20
	fi
}

# Phase 2 is a real build log and one synthetic ordinary log line.
{ cat fixtures/build/type-mismatch.log; echo "2026/12/03 12:00:00 server listening on :8080 (synthetic)"; } >"$CT/phase2.log"
CONTRIB_PHASES="fixtures/crash/sigquit.log $CT/phase2.log"

# --- syslog-ng -------------------------------------------------------------
SNG=$CONTRIB_ROOT/syslog-ng-core
if [ ! -x "$SNG/usr/sbin/syslog-ng" ]; then
	nok "contrib: syslog-ng: $SNG/usr/sbin/syslog-ng missing (run scripts/setup.sh)"
else
	d="$CT/syslog-ng"; mkdir -p "$d"; : >"$d/app.log"
	contrib_wrapper "$d"
	sed -e "s|^@define goerrfilt .*|@define goerrfilt \"$d/goerrfilt\"|" \
	    -e "s|^@define go_log .*|@define go_log \"$d/app.log\"|" \
	    -e "s|^@define events .*|@define events \"$d/events.jsonl\"|" \
	    contrib/syslog-ng/goerrfilt.conf >"$d/syslog-ng.conf"
	sng() {
		LD_LIBRARY_PATH=$SNG/usr/lib/syslog-ng "$SNG/usr/sbin/syslog-ng" \
			--no-caps --module-path="$SNG/usr/lib/syslog-ng/3.38" \
			-f "$d/syslog-ng.conf" -R "$d/persist" -p "$d/pid" -c "$d/ctl" "$@"
	}
	check "contrib: syslog-ng $(cat "$SNG/VERSION") accepts contrib/syslog-ng/goerrfilt.conf (--syntax-only)" \
		sng --syntax-only
	LD_LIBRARY_PATH=$SNG/usr/lib/syslog-ng "$SNG/usr/sbin/syslog-ng" -F \
		--no-caps --module-path="$SNG/usr/lib/syslog-ng/3.38" \
		-f "$d/syslog-ng.conf" -R "$d/persist" -p "$d/pid" -c "$d/ctl" \
		>"$d/daemon.out" 2>&1 &
	p=$!; CPIDS="$CPIDS $p"
	contrib_daemon "syslog-ng" "$d" "$p"
fi

# --- rsyslog ---------------------------------------------------------------
RSL=$CONTRIB_ROOT/rsyslog
RSLMOD=$RSL/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/rsyslog
if [ ! -x "$RSL/usr/sbin/rsyslogd" ]; then
	nok "contrib: rsyslog: $RSL/usr/sbin/rsyslogd missing (run scripts/setup.sh)"
else
	d="$CT/rsyslog"; mkdir -p "$d/work"; : >"$d/app.log"
	contrib_wrapper "$d"
	sed -e "s|/var/spool/rsyslog|$d/work|" \
	    -e "s|/usr/local/bin/goerrfilt|$d/goerrfilt|" \
	    -e "s|/var/log/myapp/goerrfilt-events.jsonl|$d/events.jsonl|" \
	    -e "s|/var/log/myapp/app.log|$d/app.log|" \
	    contrib/rsyslog/goerrfilt.conf >"$d/rsyslog.conf"
	check "contrib: rsyslog $(cat "$RSL/VERSION") accepts contrib/rsyslog/goerrfilt.conf (-N1)" \
		"$RSL/usr/sbin/rsyslogd" -N1 -f "$d/rsyslog.conf" -M "$RSLMOD"
	"$RSL/usr/sbin/rsyslogd" -n -f "$d/rsyslog.conf" -i "$d/pid" -M "$RSLMOD" >"$d/daemon.out" 2>&1 &
	p=$!; CPIDS="$CPIDS $p"
	contrib_daemon "rsyslog" "$d" "$p"
fi

# --- GitHub Actions composite action ----------------------------------------
# The run step's bash, with the inputs the action maps to its env, run in a
# temp dir with GitHub's step files faked.
contrib_action() {
	d=$1; shift
	rm -rf "$d"; mkdir -p "$d/bin"; ln -s "$ABSBIN" "$d/bin/goerrfilt"
	: >"$d/summary.md"; : >"$d/output"
	env "$@" $PY tests/contrib_check.py action-script contrib/github-action/action.yml >"$d/step.sh" || return 2
	(cd "$d" && PATH="$d/bin:$PATH" GITHUB_STEP_SUMMARY="$d/summary.md" GITHUB_OUTPUT="$d/output" \
		bash -e "$d/step.sh" >"$d/stdout" 2>"$d/stderr")
}
GA="$CT/action"
FAILLOG=$(pwd)/fixtures/test/assert-fail-plain-go1.27.log
contrib_action "$GA/fail" INPUT_RUN="cat '$FAILLOG'; exit 1"
rc=$?
$BIN "$FAILLOG" >"$GA/want.jsonl" 2>/dev/null
nann=$(grep -c '^::error ' "$GA/fail/stdout" 2>/dev/null)
if [ $rc -eq 1 ] && [ "$nann" -gt 0 ] && [ -s "$GA/fail/summary.md" ] &&
    grep -qx 'status=1' "$GA/fail/output" &&
    $PY tests/contrib_check.py same "$GA/want.jsonl" "$GA/fail/goerrfilt-events.jsonl" >"$GA/same" 2>&1; then
	ok "contrib: github-action: a failing command (assert-fail-plain-go1.27.log; exit 1) exits 1 with $nann ::error annotations, a step summary, status=1 and its $(wc -l <"$GA/want.jsonl") events in goerrfilt-events.jsonl"
else
	nok "contrib: github-action failing command (exit $rc, $nann annotations)"
	sed 's/^/     /' "$GA/same" "$GA/fail/stdout" "$GA/fail/stderr" 2>/dev/null | head -20
fi
contrib_action "$GA/pass" INPUT_RUN="echo ok; go_test_passed=1; exit 0" INPUT_EVENTS=out/ev.jsonl
rc=$?
if [ $rc -eq 0 ] && ! grep -q '^::' "$GA/pass/stdout" && [ ! -s "$GA/pass/summary.md" ] &&
    grep -qx 'status=0' "$GA/pass/output" && grep -qx 'events=out/ev.jsonl' "$GA/pass/output"; then
	ok "contrib: github-action: a passing command exits 0, no annotations, no summary, events input honoured"
else
	nok "contrib: github-action passing command (exit $rc)"; sed 's/^/     /' "$GA/pass/stdout" "$GA/pass/stderr" | head -10
fi
contrib_action "$GA/trouble" INPUT_RUN="exit 0" INPUT_FORMAT=nosuchformat
rc=$?
if [ $rc -eq 2 ] && grep -q '^::error title=goerrfilt::' "$GA/trouble/stdout"; then
	ok "contrib: github-action: goerrfilt's own trouble (exit 2) fails a passing command's step"
else
	nok "contrib: github-action goerrfilt trouble (exit $rc, want 2)"; sed 's/^/     /' "$GA/trouble/stdout" "$GA/trouble/stderr" | head -10
fi
if $PY - contrib/github-action/action.yml >"$GA/shape" 2>&1 <<'PYEOF'
import sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
for i in ("run", "events", "format", "artifact-name"):
    assert i in a["inputs"], i
assert a["inputs"]["events"]["default"] == "goerrfilt-events.jsonl"
assert a["inputs"]["format"]["default"] == "github"
up = [s for s in a["runs"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@v4")]
assert len(up) == 1 and up[0]["if"] == "always()", up
assert up[0]["with"]["path"] == "${{ inputs.events }}"
assert up[0]["with"]["name"] == "${{ inputs.artifact-name }}"
PYEOF
then
	ok "contrib: github-action: inputs run/events/format/artifact-name, upload-artifact@v4 if: always() of the events file"
else
	nok "contrib: github-action shape"; sed 's/^/     /' "$GA/shape" | head -10
fi

# --- GitLab CI job template --------------------------------------------------
# The job's variables and script, with a real go test -json capture in place
# of go test.
GL="$CT/gitlab"
contrib_gitlab() {
	d=$1; shift
	rm -rf "$d"; mkdir -p "$d/bin"; ln -s "$ABSBIN" "$d/bin/goerrfilt"
	$PY tests/contrib_check.py gitlab-script contrib/gitlab-ci/goerrfilt.gitlab-ci.yml .goerrfilt-test >"$d/job.sh" || return 2
	(cd "$d" && env PATH="$d/bin:$PATH" "$@" bash -eo pipefail "$d/job.sh" >"$d/stdout" 2>"$d/stderr")
}
JLOG=$(pwd)/fixtures/test/assert-fail-json-go1.27.log
contrib_gitlab "$GL/fail" GOERRFILT_GO_TEST="cat '$JLOG'; exit 1"
rc=$?
if [ $rc -eq 1 ] && $PY - "$GL/fail" "$JLOG" "$ABSBIN" >"$GL/check" 2>&1 <<'PYEOF'
import json, subprocess, sys, xml.etree.ElementTree as ET
d, log, bin = sys.argv[1:]
want = [json.loads(l) for l in subprocess.run([bin, log], capture_output=True, text=True).stdout.splitlines()]
cq = json.load(open(d + "/gl-code-quality-report.json"))
assert len(cq) == len(want) > 0, (len(cq), len(want))
assert {c["fingerprint"] for c in cq} and all(c["check_name"] == w["kind"] for c, w in zip(cq, want))
r = ET.parse(d + "/junit.xml").getroot()
assert r.tag == "testsuites" and int(r.get("failures")) + int(r.get("errors")) == len(want), r.attrib
assert open(d + "/go-test.jsonl").read() == open(log).read()
print(len(want))
PYEOF
then
	ok "contrib: gitlab-ci: a failing go test -json (assert-fail-json-go1.27.log; exit 1) keeps exit 1, gl-code-quality-report.json and junit.xml hold its $(tail -1 "$GL/check") failures"
else
	nok "contrib: gitlab-ci failing go test (exit $rc)"; sed 's/^/     /' "$GL/check" "$GL/fail/stderr" 2>/dev/null | head -20
fi
contrib_gitlab "$GL/pass" GOERRFILT_GO_TEST="exit 0"
rc=$?
if [ $rc -eq 0 ] && [ "$(cat "$GL/pass/gl-code-quality-report.json")" = "[]" ] && grep -q '<testsuites' "$GL/pass/junit.xml"; then
	ok "contrib: gitlab-ci: a passing go test exits 0 with an empty Code Quality report and a JUnit document"
else
	nok "contrib: gitlab-ci passing go test (exit $rc)"; sed 's/^/     /' "$GL/pass/stdout" "$GL/pass/stderr" | head -10
fi
if $PY - contrib/gitlab-ci/goerrfilt.gitlab-ci.yml >"$GL/shape" 2>&1 <<'PYEOF'
import sys, yaml
j = yaml.safe_load(open(sys.argv[1]))[".goerrfilt-test"]
a = j["artifacts"]
assert a["when"] == "always"
assert a["reports"] == {"codequality": "gl-code-quality-report.json", "junit": "junit.xml"}, a
assert j["variables"]["GOERRFILT_GO_TEST"].startswith("go test -json")
PYEOF
then
	ok "contrib: gitlab-ci: .goerrfilt-test declares reports codequality/junit, when: always, runs go test -json"
else
	nok "contrib: gitlab-ci shape"; sed 's/^/     /' "$GL/shape" | head -10
fi

# --- Fluent Bit, Fluentd, Vector, Docker: presence checks --------------------
# These engines are not in Debian 12 and there is no container engine here,
# so their configs are not run: these checks only say each file is there,
# runs goerrfilt, and listens on the port its README names (and, for the
# YAML one, that it parses).  The forward protocol itself is tested where
# goerrfilt's -f forward is.
for c in fluent-bit/fluent-bit.conf fluentd/fluentd.conf vector/vector.yaml; do
	f=contrib/$c
	r=$(dirname "$f")/README.md
	if [ -f "$f" ] && [ -f "$r" ] && grep -q 'goerrfilt --idle-ms' "$f" && grep -q '24224' "$f" && grep -q '24224' "$r" &&
	    grep -q 'goerrfilt --forward tcp:127.0.0.1:24224' "$f"; then
		ok "contrib: presence check (not a run): $c runs goerrfilt --idle-ms and listens on 24224 as its README says"
	else
		nok "contrib: presence check: $c (missing, or no goerrfilt --idle-ms / port 24224 in it or its README)"
	fi
done
check "contrib: presence check (not a run): vector/vector.yaml parses as YAML with the exec and fluent sources and a file sink" \
	$PY -c 'import sys, yaml
v = yaml.safe_load(open("contrib/vector/vector.yaml"))
s = v["sources"]
assert s["goerrfilt_exec"]["type"] == "exec" and s["goerrfilt_exec"]["mode"] == "streaming"
assert s["goerrfilt_forward"] == {"type": "fluent", "address": "127.0.0.1:24224"}
k = v["sinks"]["goerrfilt_file"]
assert k["type"] == "file" and set(k["inputs"]) == {"goerrfilt_exec", "goerrfilt_forward"}'
check "contrib: presence check (not a run): fluentd.conf's <source>/<match> sections and their subsections are balanced" \
	$PY -c 'import re, sys
stack = []
for n, l in enumerate(open("contrib/fluentd/fluentd.conf"), 1):
    l = l.strip()
    m = re.match(r"<(/?)(\w+)[^>]*>$", l)
    if not m:
        continue
    if m.group(1):
        assert stack and stack.pop() == m.group(2), (n, l)
    else:
        stack.append(m.group(2))
assert not stack, stack'
check "contrib: presence check (not a run): docker/Dockerfile builds with scripts/setup.sh and make on bookworm, goerrfilt as ENTRYPOINT" \
	sh -c 'f=contrib/docker/Dockerfile; grep -q "^FROM debian:bookworm" $f && grep -q "sh scripts/setup.sh && make" $f && grep -q "^ENTRYPOINT \[\"/usr/local/bin/goerrfilt\"\]" $f && [ -f contrib/docker/README.md ]'
