# Sourced by tests/run.sh: goerrfilt-repro.  Uses check/status/ok/nok, $T,
# $PY and $BUILD from run.sh.
#
# Part one needs no Go: stand-in toolchains (shell scripts that answer
# `go env -json` and replay a captured compiler crash) drive the report,
# the -d=panic re-run, the versions summary, --baseline and --bug-report,
# and shell cases check the sandbox (timeout, process limit, network).
# Part two runs every case under cases/ with Go 1.24 when it is installed
# (CI installs it), and a Go program that allocates without bound.

GO124=/usr/lib/go-1.24/bin/go
if make -s ASAN="$ASAN" "$BUILD/goerrfilt-repro" >"$T/log" 2>&1; then
	REPRO=$BUILD/goerrfilt-repro
else
	REPRO=
	nok "repro: build goerrfilt-repro"; tail -20 "$T/log" | sed 's/^/     /'
fi

# rq NAME FILE EXPR: EXPR (Python, over L = the report's records) holds.
rq() {
	name=$1; file=$2; expr=$3
	if $PY - "$file" "$expr" >"$T/log" 2>&1 <<'EOF'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ok = eval("(" + sys.argv[2] + "\n)")
if not ok:
    for r in L:
        print({k: r.get(k) for k in ("case", "go_version", "status", "reproduce_rate",
              "reproduces", "as_promised", "error_kind", "phase", "exit_codes",
              "problems", "baseline_diff", "versions", "known_issue")})
sys.exit(0 if ok else 1)
EOF
	then ok "$name"; else nok "$name"; head -20 "$T/log" | sed 's/^/     /'; fi
}

# mkcase DIR KEY=VALUE...: a case folder with a go.mod and a manifest.
mkcase() {
	d=$1; shift
	mkdir -p "$d"
	printf 'module example.com/t\n\ngo 1.24\n' >"$d/go.mod"
	: >"$d/case.conf"
	for kv in "$@"; do
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$d/case.conf"
	done
}

if [ -n "$REPRO" ]; then
# The cases run as nobody when the suite runs as root: it must reach them.
chmod 711 "$T"
R=$T/repro
mkdir -p "$R"
chmod 755 "$R"

status "repro: no case folder is a usage error" 2 $REPRO
status "repro: --runs 0 is refused" 2 $REPRO --runs 0 cases/01-ice-generic-alias-73309/
mkcase "$R/bad" mode=build "build=true" expect_class=ice expect_kind=ice "colour=blue"
$REPRO --go /bin/true "$R/bad/" >/dev/null 2>"$T/err"
rc=$?
check "repro: a bad manifest is trouble (exit 2, file:line: message)" \
	sh -c "[ $rc -eq 2 ] && grep -q '^goerrfilt-repro: $R/bad/case.conf:5: unknown key .colour.' '$T/err'"

# --- stand-in toolchains -----------------------------------------------------
# go1.24.9 replays the go1.24.4 crash of golang/go#73309 (stackless, and with
# its stack under -d=panic); go1.25.0 builds the case.
for v in go1.24.9 go1.25.0; do
	mkdir -p "$R/$v/bin"
	echo "$v" >"$R/$v/VERSION"
	cat >"$R/$v/bin/go" <<'EOF'
#!/bin/sh
# A stand-in go command: `go env` answers with ../VERSION; `go build`
# replays ../ice.log (../ice-dpanic.log under -d=panic) and fails, or
# succeeds when there is no ../ice.log.
root=${0%/bin/go}
v=$(cat "$root/VERSION")
case $1 in
env)
	if [ "${2:-}" = -json ]; then
		printf '{\n\t"GOVERSION": "%s",\n\t"GOOS": "linux",\n\t"GOARCH": "amd64",\n\t"GOROOT": "%s",\n\t"GOPATH": "%s",\n\t"GOMODCACHE": "%s/pkg/mod",\n\t"GOCACHE": "%s",\n\t"GOFLAGS": "%s",\n\t"GOTOOLCHAIN": "%s",\n\t"GOPROXY": "%s",\n\t"CC": "gcc",\n\t"CGO_ENABLED": "0",\n\t"GOAMD64": "v1",\n\t"GOWORK": "",\n\t"GOEXPERIMENT": "",\n\t"GO111MODULE": "",\n\t"GOINSECURE": "",\n\t"GONOSUMDB": "",\n\t"GOBIN": "",\n\t"GOVCS": "\\u0041\\"q\\""\n}\n' \
		    "$v" "$root" "$GOPATH" "$GOPATH" "$GOCACHE" "$GOFLAGS" "$GOTOOLCHAIN" "$GOPROXY"
	else
		printf "GOARCH='amd64'\nGOOS='linux'\nGOVERSION='%s'\n" "$v"
	fi ;;
build)
	[ -f "$root/ice.log" ] || exit 0
	case $GOFLAGS in
	*-d=panic*) cat "$root/ice-dpanic.log" ;;
	*) cat "$root/ice.log" ;;
	esac
	exit 1 ;;
*)
	echo "stand-in go: $1: not supported" >&2
	exit 2 ;;
esac
EOF
	chmod 755 "$R/$v" "$R/$v/bin" "$R/$v/bin/go"
done
cp fixtures/build/ice-73309.log "$R/go1.24.9/ice.log"
cp fixtures/build/ice-73309-dpanic.log "$R/go1.24.9/ice-dpanic.log"
chmod 644 "$R"/go1.24.9/*.log
G1=$R/go1.24.9/bin/go
G2=$R/go1.25.0/bin/go

status "repro: an ICE fixed in go1.25 reproduces as promised on go1.24.9 and go1.25.0" 0 \
	$REPRO --runs 2 --go "$G1" --go "$G2" -o "$R/ice.jsonl" cases/01-ice-generic-alias-73309/
check "repro: report lines validate against schema/report.schema.json" \
	$PY tests/check_output.py schema schema/report.schema.json "$R/ice.jsonl"
rq "repro: a stackless ICE is re-run with -d=panic: phase, known_issue and fixed_in from the frames" "$R/ice.jsonl" \
	'L[0]["go_version"] == "go1.24.9" and L[0]["reproduces"] and L[0]["reproduce_rate"] == 1
	 and L[0]["phase"] == "typecheck" and L[0]["known_issue"] == "golang/go#73309"
	 and L[0]["fixed_in"] == "go1.25" and "-d=panic" in L[0]["ice_rerun"]["goflags"]
	 and L[0]["ice_rerun"]["frames"] > 0 and len(L[0]["stack"]) > 0
	 and [e["exit"] for e in L[0]["exit_codes"]] == [1, 1]
	 and L[0]["exit_codes"][0]["meaning"] == "build failure"'
rq "repro: the fixed version does not reproduce, as its manifest promises" "$R/ice.jsonl" \
	'L[1]["go_version"] == "go1.25.0" and not L[1]["reproduces"]
	 and L[1]["expected_to_reproduce"] is False and L[1]["as_promised"] is True'
rq "repro: versions tried, where it reproduces and where it stops" "$R/ice.jsonl" \
	'all(r["versions"]["tried"] == ["go1.24.9", "go1.25.0"]
	     and r["versions"]["reproduces_on"] == ["go1.24.9"]
	     and r["versions"]["stops_at"] == "go1.25.0" for r in L)'
rq "repro: go env holds the 17 variables, per-case paths as \$REPRO_TMP, pins applied" "$R/ice.jsonl" \
	'len(L[0]["go_env"]) == 17 and L[0]["go_env"]["GOCACHE"] == "$REPRO_TMP/gocache"
	 and L[0]["go_env"]["GOTOOLCHAIN"] == "local" and L[0]["go_env"]["GOPROXY"] == "off"
	 and L[0]["go_env"]["GOFLAGS"] == ""'

# A case the manifest says reproduces on go1.25 but does not: exit 1.
cp -r cases/01-ice-generic-alias-73309 "$R/wrong"
sed -i 's/^reproduces = .*/reproduces = go1.24 go1.25/; s/^fixed_in = .*/fixed_in = go1.26/' "$R/wrong/case.conf"
status "repro: exit 1 when a case does not reproduce as its manifest promises" 1 \
	$REPRO --runs 1 --go "$G2" -o "$R/wrong.jsonl" "$R/wrong/"
rq "repro: ... and the report says why" "$R/wrong.jsonl" \
	'L[0]["as_promised"] is False and L[0]["problems"]'

# --baseline: a report line, or a go env -json object.
head -1 "$R/ice.jsonl" >"$R/base.jsonl"
$REPRO --runs 1 --go "$G1" --baseline "$R/base.jsonl" -o "$R/b1.jsonl" cases/01-ice-generic-alias-73309/ 2>"$T/err"
rq "repro: --baseline with the same environment: no difference" "$R/b1.jsonl" \
	'L[0]["baseline_diff"] == []'
$PY -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); e=r["go_env"]; e["GOOS"]="darwin"; del e["CC"]; e["GOTOOLCHAIN"]=None; print(json.dumps(e, indent=1))' \
	"$R/base.jsonl" >"$R/base-env.json"
$REPRO --runs 1 --go "$G1" --baseline "$R/base-env.json" -o "$R/b2.jsonl" cases/01-ice-generic-alias-73309/ 2>"$T/err"
rq "repro: --baseline reports every difference (go env -json form)" "$R/b2.jsonl" \
	'sorted((d["var"], d["baseline"], d["current"]) for d in L[0]["baseline_diff"]) ==
	 [("CC", None, "gcc"), ("GOOS", "darwin", "linux"), ("GOTOOLCHAIN", None, "local")]'
echo '{"nothing": 1}' >"$R/base-bad.json"
status "repro: an unusable baseline is trouble" 2 \
	$REPRO --go "$G1" --baseline "$R/base-bad.json" cases/01-ice-generic-alias-73309/

# --bug-report: Markdown in the Go issue template's form, for the version
# where it reproduces only.
$REPRO --runs 1 --go "$G1" --go "$G2" --bug-report cases/01-ice-generic-alias-73309/ >"$R/bug.md" 2>"$T/err"
check "repro: --bug-report follows the issue template" sh -c "
	grep -q '^### Go version' '$R/bug.md' &&
	grep -q '^go version go1.24.9 linux/amd64' '$R/bug.md' &&
	grep -q '^### Output of .go env. in your module/workspace:' '$R/bug.md' &&
	grep -q '^### What did you do?' '$R/bug.md' &&
	grep -q '^### What did you see happen?' '$R/bug.md' &&
	grep -q '^### What did you expect to see?' '$R/bug.md' &&
	grep -q '^type NumericRule' '$R/bug.md' &&
	grep -q 'noder.(\*pkgReader).objIdxMayFail' '$R/bug.md' &&
	grep -q 'golang/go#73309, fixed in go1.25' '$R/bug.md' &&
	grep -q 'First version without it: go1.25.0' '$R/bug.md' &&
	[ \$(grep -c '^### Go version' '$R/bug.md') -eq 1 ]"

# --- the sandbox, with shell cases ---------------------------------------------
mkcase "$R/slow" mode=build "build=sleep 67.25" expect_class=fatal expect_kind=deadlock timeout=2
$REPRO --runs 1 --go "$G1" -o "$R/slow.jsonl" "$R/slow/" 2>"$T/err"
rq "repro: a run past its timeout is killed: exit 137, timed_out" "$R/slow.jsonl" \
	'L[0]["exit_codes"][0]["exit"] == 137 and L[0]["exit_codes"][0]["timed_out"]
	 and "timeout" in L[0]["exit_codes"][0]["meaning"] and L[0]["duration_ms"] < 15000'
check "repro: ... and nothing of it is left running" sh -c "! ps -eo args | grep -qx 'sleep 67.25'"

# Forks until fork fails; says so as a Go panic would.  Held by RLIMIT_NPROC.
mkcase "$R/forks" mode=build "build=sh ./bomb.sh && exit 0; echo 'panic: fork bomb held by the process limit'; exit 2" \
	expect_class=panic expect_kind=user_panic expect_exit=2 timeout=60
cat >"$R/forks/bomb.sh" <<'EOF'
n=0
while [ $n -lt 1500 ]; do
	sleep 29.75 &
	n=$((n + 1))
done
echo "started $n processes: the process limit did not hold"
EOF
status "repro: a fork bomb is held by the process limit" 0 \
	$REPRO --runs 1 --max-procs 200 --go "$G1" -o "$R/forks.jsonl" "$R/forks/"
rq "repro: ... which the report says is enforced" "$R/forks.jsonl" \
	'L[0]["sandbox"]["nproc_enforced"] and L[0]["sandbox"]["nproc"] == 200'
check "repro: ... and its processes are gone" sh -c "! ps -eo args | grep -qx 'sleep 29.75'"

# Without network: the namespace has a loopback and nothing else.
mkcase "$R/net" mode=build "build=if [ \$(grep -c : /proc/net/dev) -eq 1 ]; then echo 'panic: no network'; exit 2; fi" \
	expect_class=panic expect_kind=user_panic expect_exit=2
$REPRO --runs 1 --go "$G1" -o "$R/net.jsonl" "$R/net/" 2>"$T/err"
rq "repro: network_isolated says whether the run saw only a loopback" "$R/net.jsonl" \
	'L[0]["network_isolated"] == L[0]["reproduces"]'

# min_cpus beyond this machine: skipped with a reason, not a failure.
cp -r cases/01-ice-generic-alias-73309 "$R/cpus"
echo 'min_cpus = 4096' >>"$R/cpus/case.conf"
status "repro: a case needing more CPUs is skipped, not failed" 0 \
	$REPRO --runs 1 --go "$G1" -o "$R/cpus.jsonl" "$R/cpus/"
rq "repro: ... with the reason in the report" "$R/cpus.jsonl" \
	'L[0]["status"] == "skipped" and "CPUs" in L[0]["skip_reason"] and L[0]["as_promised"] is None'

# --- the sandbox audit ----------------------------------------------------------
# Each point of docs/repro.md's "What the sandbox does and does not protect
# against", run for real.  Where this system cannot give an isolation, the
# report must say so (fs_isolation, fs_note, pid_namespace): the checks
# follow what the report claims, never pass on a claim they did not test.
M=goerrfilt-audit-$$
export M
# no_marker MARK...: no process on the host has any MARK in its command line
# (the marks come through the environment, not our own command line).
no_marker() {
	MARKS="$*" $PY - <<'EOF'
import glob, os, sys
marks = [m.encode() for m in os.environ["MARKS"].split()]
left = []
for p in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        c = open(p, "rb").read()
    except OSError:
        continue
    if any(m in c for m in marks):
        left.append((p, c.replace(b"\0", b" ")))
print(left)
sys.exit(1 if left else 0)
EOF
}
# as_nobody CMD...: CMD as uid/gid 65534 (the uid the cases run as).
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# 1. The file system.  The case tries /tmp, /var/tmp, /dev/shm, the folder
# above its HOME (the run's own directory) and a file of its own copy.
mkcase "$R/fs" mode=build "build=sh ./w.sh" expect_class=panic expect_kind=user_panic expect_exit=2
cat >"$R/fs/w.sh" <<'EOF'
for f in /tmp/$MARK /var/tmp/$MARK /dev/shm/$MARK "$HOME/../$MARK" ./own-$MARK; do
	if echo x 2>/dev/null >"$f"; then echo "wrote $f"; else echo "denied $f"; fi
done
if echo x >/dev/null; then echo "wrote /dev/null"; fi
echo 'panic: the writes were tried'
exit 2
EOF
sed -i "1i MARK=$M" "$R/fs/w.sh"
# fs_try NAME PREFIX OPTIONS: runs the case (as PREFIX $REPRO OPTIONS ...)
# into $R/fs-NAME: the report, the case's output as fs.log, and the name
# of the kept temporary directory in kept.
fs_try() {
	n=$1; pre=$2; opts=$3
	rm -rf "$R/fs-$n"; mkdir -p "$R/fs-$n"; chmod 777 "$R/fs-$n"
	# shellcheck disable=SC2086
	$pre $REPRO --runs 1 --keep --go "$G1" $opts --save-output "$R/fs-$n" \
		-o "$R/fs-$n/r.jsonl" "$R/fs/" 2>"$R/fs-$n/err"
	sed -n 's/.*: kept //p' "$R/fs-$n/err" >"$R/fs-$n/kept"
}
# fs_check NAME WANT: the report names an isolation in WANT (or "none" with
# a note saying why), and, unless none, each write outside failed, nothing
# of them is on the host, and the case's own file was written.
fs_check() {
	FS_DIR="$R/fs-$1" FS_WANT="$2" $PY - <<'EOF'
import json, os, sys
d, want, m = os.environ["FS_DIR"], os.environ["FS_WANT"].split(), os.environ["M"]
r = json.loads(open(d + "/r.jsonl").readline())
kept = open(d + "/kept").read().strip()
log = open(d + "/fs.log").read() if os.path.exists(d + "/fs.log") else ""
iso, note = r["fs_isolation"], r["sandbox"].get("fs_note")
bad = []
if r["status"] != "ran" or not r["reproduces"]:
    bad.append("the case did not run as it should: %s" % r.get("error"))
if iso not in want and not (iso == "none" and note):
    bad.append("fs_isolation %r (note %r), want %s" % (iso, note, want))
if iso != "none":
    for f in ("/tmp/", "/var/tmp/", "/dev/shm/"):
        if "denied " + f + m not in log:
            bad.append("the write to %s%s was not refused" % (f, m))
        if os.path.exists(f + m):
            bad.append(f + m + " is on the host")
    if "/home/../" + m not in log or "wrote " + kept + "/home/../" + m in log:
        bad.append("the write to $HOME/.. was not refused")
    if os.path.exists(kept + "/" + m):
        bad.append("$HOME/../%s is on the host" % m)
if "wrote ./own-" + m not in log or not os.path.exists(kept + "/case/own-" + m):
    bad.append("the case could not write its own file")
if "wrote /dev/null" not in log:
    bad.append("/dev/null could not be written")
print(iso, note, bad, log)
sys.exit(1 if bad else 0)
EOF
}
fs_try auto "" ""
check "repro: sandbox: writes to /tmp, /var/tmp, /dev/shm and \$HOME/.. fail, nothing reaches the host; the case's own folder and /dev/null are writable" \
	fs_check auto mount-namespace
rq "repro: sandbox: as root the report says fs_isolation mount-namespace, with a fresh read-only /tmp" "$R/fs-auto/r.jsonl" \
	'L[0]["fs_isolation"] == "mount-namespace" or L[0]["sandbox"].get("fs_note")'
fs_try landlock "" "--fs-isolation landlock"
check "repro: sandbox: --fs-isolation landlock refuses the same writes (fs_isolation landlock)" \
	fs_check landlock landlock
fs_try none "" "--fs-isolation none"
# Without isolation the report must say so, and the writes do reach the
# host (which shows the checks above would have seen them).
check "repro: sandbox: --fs-isolation none is reported as none, and then the writes get through" \
	sh -c "grep -q '\"fs_isolation\":\"none\"' '$R/fs-none/r.jsonl' && grep -q 'wrote /tmp/$M' '$R/fs-none/fs.log' && [ -e /tmp/$M ]"
rm -f /tmp/$M /var/tmp/$M /dev/shm/$M
for k in auto landlock none; do [ -s "$R/fs-$k/kept" ] && rm -rf "$(cat "$R/fs-$k/kept")"; done
# Not root: the sandbox makes a user namespace for the others.
fs_try nobody as_nobody ""
check "repro: sandbox: run by an unprivileged user, a user namespace gives the same view (or the report says why not)" \
	fs_check nobody "mount-namespace landlock"
[ -s "$R/fs-nobody/kept" ] && rm -rf "$(cat "$R/fs-nobody/kept")"

# 2. No orphan: a process that leaves the group with setsid is gone after
# the run, whether the case exits or hangs past its timeout.
mkcase "$R/orphan" mode=build \
	"build=setsid sh -c 'sleep 3$$.125; :' $M-orphan </dev/null >/dev/null 2>&1 & sleep 0.5; echo 'panic: a daemon was left behind'; exit 2" \
	expect_class=panic expect_kind=user_panic expect_exit=2
mkcase "$R/orphan-hang" mode=build \
	"build=setsid sh -c 'sleep 3$$.125; :' $M-orphan </dev/null >/dev/null 2>&1 & sleep 0.5; echo 'panic: then it hangs'; sleep 61.25" \
	expect_class=panic expect_kind=user_panic timeout=3
$REPRO --runs 1 --go "$G1" -o "$R/orphan.jsonl" "$R/orphan/" "$R/orphan-hang/" 2>"$T/err"
rq "repro: sandbox: a case that leaves a setsid daemon is reported as run (exit 2), one that then hangs as timed out (137)" "$R/orphan.jsonl" \
	'[(r["exit_codes"][0]["exit"], r["exit_codes"][0]["timed_out"], r["reproduces"]) for r in L]
	 == [(2, False, True), (137, True, True)] and all(r["sandbox"]["pid_namespace"] for r in L)'
check "repro: sandbox: ... and no process with the marker is left on the host (PID namespace)" \
	no_marker "$M-orphan" "3$$.125"

# Where no namespace may be made at all (a user namespace whose
# max_*_namespaces are 0: what a locked-down container gives), the same
# cases fall back to Landlock and to killing the subreaper's orphans, and
# the report says so.
nons() {
	unshare -U --map-root-user sh -c 'for n in user pid mnt net; do
		echo 0 >/proc/sys/user/max_${n}_namespaces || exit 1; done; exec "$@"' nons "$@"
}
nons $REPRO --runs 1 --go "$G1" -o "$R/orphan-nons.jsonl" "$R/orphan/" "$R/orphan-hang/" 2>"$T/err"
rq "repro: sandbox: without namespaces the report says pid_namespace false, fs_isolation landlock, and why" "$R/orphan-nons.jsonl" \
	'len(L) == 2 and all(not r["sandbox"]["pid_namespace"] and not r["network_isolated"]
	    and r["fs_isolation"] in ("landlock", "none") and "mount namespace" in r["sandbox"]["fs_note"] for r in L)
	 and [(r["exit_codes"][0]["exit"], r["exit_codes"][0]["timed_out"]) for r in L] == [(2, False), (137, True)]'
check "repro: sandbox: ... and the setsid daemons are still killed (as orphans of the subreaper)" \
	no_marker "$M-orphan" "3$$.125"
fs_try nons nons ""
check "repro: sandbox: ... and Landlock refuses the writes outside" fs_check nons landlock
[ -s "$R/fs-nons/kept" ] && rm -rf "$(cat "$R/fs-nons/kept")"

# 3. Symbolic links in a case are copied as links, and nothing is written
# through them: a link out of the case is read-only or missing inside.
# The folders outside are writable by the cases' user on the host, one
# under /tmp and, where there is one, one elsewhere.
mkdir -p "$R/outside"; chmod 777 "$R/outside"
OUT2=
for base in "$PWD/$BUILD" /run/lock /var/lib/misc; do
	d=$(mktemp -d "$base/goerrfilt-outside.XXXXXX" 2>/dev/null) || continue
	chmod 777 "$d"
	if as_nobody sh -c "echo probe >'$d/probe'" 2>/dev/null; then rm -f "$d/probe"; OUT2=$d; break; fi
	rm -rf "$d"
done
mkcase "$R/links" mode=build "build=sh ./w.sh" expect_class=panic expect_kind=user_panic expect_exit=2
ln -s /etc/passwd "$R/links/passwd"
ln -s "../../$M-up" "$R/links/up"
ln -s "/nonexistent-$M/file" "$R/links/dangling"
ln -s "$R/outside" "$R/links/outdir"
ln -s "${OUT2:-$R/outside}" "$R/links/outdir2"
echo 'package main' >"$R/links/main.go"
ln -s main.go "$R/links/inner"
mkfifo "$R/links/fifo"
cat >"$R/links/w.sh" <<EOF
for f in passwd up dangling outdir/$M outdir2/$M; do
	if echo x 2>/dev/null >>"\$f"; then echo "wrote \$f"; else echo "denied \$f"; fi
done
echo 'panic: the links were tried'
exit 2
EOF
sum0=$(cksum </etc/passwd)
$REPRO --runs 1 --keep --go "$G1" --save-output "$R" -o "$R/links.jsonl" "$R/links/" 2>"$T/err"
kept=$(sed -n 's/.*: kept //p' "$T/err")
check "repro: sandbox: links in a case (absolute, ../.., dangling, to folders outside) are copied as links; a FIFO is skipped" sh -c "
	cd '$kept/case' && [ -L passwd ] && [ \"\$(readlink passwd)\" = /etc/passwd ] &&
	[ \"\$(readlink up)\" = '../../$M-up' ] && [ \"\$(readlink dangling)\" = '/nonexistent-$M/file' ] &&
	[ \"\$(readlink outdir)\" = '$R/outside' ] && [ -L outdir2 ] && [ \"\$(readlink inner)\" = main.go ] &&
	[ -f main.go ] && [ ! -e fifo ] && [ ! -L fifo ]"
check "repro: sandbox: ... a write through each fails inside the sandbox and nothing reaches the host" sh -c "
	grep -q '^denied passwd' '$R/links.log' && grep -q '^denied up' '$R/links.log' &&
	grep -q '^denied dangling' '$R/links.log' && grep -q '^denied outdir/$M' '$R/links.log' &&
	grep -q '^denied outdir2/$M' '$R/links.log' && ! grep -q '^wrote' '$R/links.log' &&
	[ \"\$(cksum </etc/passwd)\" = '$sum0' ] && [ ! -e '$(dirname "$kept")/$M-up' ] &&
	[ -z \"\$(ls -A '$R/outside')\" ] && [ -z \"\$(ls -A '${OUT2:-$R/outside}')\" ]"
rm -rf "$kept"
[ -n "$OUT2" ] && rm -rf "$OUT2"
# --bug-report lists the case's files: not one a link points at.
cp -r cases/01-ice-generic-alias-73309 "$R/bug-links"
echo "secret-$M" >"$R/secret.txt"; chmod 600 "$R/secret.txt"
ln -s "$R/secret.txt" "$R/bug-links/secret.go"
$REPRO --runs 1 --go "$G1" --bug-report "$R/bug-links/" >"$R/bug-links.md" 2>"$T/err"
check "repro: sandbox: --bug-report does not show what a link in the case points to" sh -c "
	grep -q '^type NumericRule' '$R/bug-links.md' && ! grep -q 'secret-$M' '$R/bug-links.md'"

# 4. Hostile case.conf values.  Each manifest's build would leave a file if
# it ran; none may run, and each is refused with FILE:LINE: what.
# bad NAME WHAT 'MESSAGE-REGEX' printf-FORMAT ARGS: a manifest from the
# format (its lines 1-4 mode, build, expect_class, expect_kind).
bad() {
	n=$1; what=$2; want=$3; shift 3
	mkdir -p "$R/bad-$n"
	printf 'module example.com/t\n\ngo 1.24\n' >"$R/bad-$n/go.mod"
	# shellcheck disable=SC2059
	printf "$@" >"$R/bad-$n/case.conf"
	$REPRO --runs 1 --go "$G1" -o "$R/bad-$n.jsonl" "$R/bad-$n/" >/dev/null 2>"$R/bad-$n.err"
	rc=$?
	if [ $rc -eq 2 ] && grep -Eq "^goerrfilt-repro: $R/bad-$n/case.conf:$want" "$R/bad-$n.err" &&
	    [ ! -s "$R/bad-$n.jsonl" ] && [ ! -e "$R/ran-$n" ] && ! ls "$R"/pwned* >/dev/null 2>&1; then
		ok "repro: hostile case.conf: $what: refused, case.conf:$(echo "$want" | sed 's/\\//g; s/\$$//')"
	else
		nok "repro: hostile case.conf: $n (exit $rc)"; head -5 "$R/bad-$n.err" | cut -c1-200 | sed 's/^/     /'
	fi
}
HEAD="mode = build\nbuild = touch $R/ran-%s\nexpect_class = panic\nexpect_kind = user_panic\n"
{ printf 'description = '; head -c 1000000 /dev/zero | tr '\0' x; echo; } >"$R/huge-line"
bad huge-line 'a 1 MB line' '5: the line is 1000014 bytes long; the limit is 4096$' "$HEAD%s" huge-line "$(cat "$R/huge-line")"
bad huge-file 'a 1.1 MB file' ' larger than 1048576 bytes' "$HEAD%s" huge-file "$(head -c 1100000 /dev/zero | tr '\0' '#')"
bad nul 'a NUL byte' '5: a NUL byte; case.conf is text$' "${HEAD}description = a\\0b\nbuild = x\n" nul
bad cr 'a bare CR' '5: control character 0x0d at column 16$' "${HEAD}description = a\rb\n" cr
bad escape 'a terminal escape' '5: control character 0x1b at column 15$' "${HEAD}description = \033]0;title\007\n" escape
bad duplicate 'a key given twice' "5: 'build' given twice$" "${HEAD}build = touch $R/pwned-dup\n" duplicate
bad issue '$(...) in issue' "5: issue '\\\$\\(touch .*' is not owner/repo#N" "${HEAD}issue = \$(touch $R/pwned-issue)\n" issue
bad fixed-in '; in fixed_in' "5: fixed_in 'go1.25;touch .*' is not a Go version" "${HEAD}fixed_in = go1.25;touch $R/pwned-fixed\n" fixed-in
bad reproduces 'a backquote in reproduces' "5: reproduces: '\`touch' is not a Go version" "${HEAD}reproduces = go1.24 \`touch $R/pwned-repro\`\n" reproduces
bad arch '|| in arch' "5: arch 'amd64\\|\\|touch' is not a GOARCH" "${HEAD}arch = amd64||touch\n" arch
bad expect-kind '; in expect_kind' "4: 'user_panic;touch .*' is not a SPEC kind" "mode = build\nbuild = touch $R/ran-%s\nexpect_class = panic\nexpect_kind = user_panic;touch $R/pwned-kind\n" expect-kind
bad env-name '$(...) in an env name' "5: env: 'X\\\$\\(touch' is not a variable name" "${HEAD}env = A=1 X\$(touch=$R/pwned-env)\n" env-name
bad env-pinned 'env overriding GOPROXY' "5: env: GOPROXY is fixed to 'off'; a case cannot set it$" "${HEAD}env = GOPROXY=https://proxy.golang.org\n" env-pinned
bad env-path 'env overriding HOME' "5: env: HOME is set by the run" "${HEAD}env = HOME=/root\n" env-path
bad env-loader 'env setting LD_PRELOAD' "5: env: LD_PRELOAD would run code before every command" "${HEAD}env = LD_PRELOAD=./x.so\n" env-loader
# Free text is kept as it is, never run; CRLF lines read as LF ones.
mkcase "$R/meta" mode=build "build=echo 'panic: meta'; exit 2" expect_class=panic expect_kind=user_panic \
	"description=\$(touch $R/pwned-desc); \`touch $R/pwned-desc\` | rm -rf / && echo \"'" issue=golang/go#1
cp -r "$R/meta" "$R/meta-crlf"
sed -i 's/$/\r/' "$R/meta-crlf/case.conf"
$REPRO --runs 1 --go "$G1" -o "$R/meta.jsonl" "$R/meta/" "$R/meta-crlf/" 2>"$T/err"
rq "repro: hostile case.conf: shell text in a description is kept as text and never run; CRLF reads as LF" "$R/meta.jsonl" \
	'len(L) == 2 and L[0]["description"] == L[1]["description"] == "$(touch '"$R"'/pwned-desc); `touch '"$R"'/pwned-desc` | rm -rf / && echo \"'"'"'"
	 and all(r["reproduces"] and r["issue"] == "golang/go#1" and r["command"] == "echo '"'"'panic: meta'"'"'; exit 2" for r in L)
	 and not __import__("glob").glob("'"$R"'/pwned*")'

# 5. The environment is built from nothing: the caller's secrets and Go
# settings stay out; the case's env may add GOFLAGS and the like, and
# repeat a pin, but not change one (refused above).
mkcase "$R/env" mode=build "build=env; echo 'panic: env shown'; exit 2" expect_class=panic expect_kind=user_panic \
	"env=GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0"
HOME=/root/leak-home SSH_AUTH_SOCK=/tmp/leak-ssh GITHUB_TOKEN=ghp_leak AWS_SECRET_ACCESS_KEY=leak-aws \
AWS_PROFILE=leak-aws GOFLAGS=-leak-goflags GOPROXY=https://leak.example GOTOOLCHAIN=go1.99 GOPATH=/leak \
GOCACHE=/leak GONOSUMDB=leak LD_LIBRARY_PATH=/leak-lib \
	$REPRO --runs 1 --go "$G1" --save-output "$R" -o "$R/env.jsonl" "$R/env/" 2>"$T/err"
check "repro: sandbox: none of the caller's HOME, SSH_AUTH_SOCK, GITHUB_TOKEN, AWS_*, GO* reaches a case; the pins hold" \
	$PY - "$R/env.log" <<'EOF'
import sys
env = dict(l.split("=", 1) for l in open(sys.argv[1]).read().splitlines() if "=" in l and not l.startswith("panic"))
bad = [k for k, v in env.items() if "leak" in v or k.startswith("AWS_") or k in ("SSH_AUTH_SOCK", "GITHUB_TOKEN", "LD_LIBRARY_PATH")]
want = {"GOTOOLCHAIN": "local", "GOPROXY": "off", "GOFLAGS": "-mod=mod", "CGO_ENABLED": "0", "GOENV": "off",
        "GONOSUMDB": "", "LANG": "C", "LC_ALL": "C"}
bad += ["%s=%r" % (k, env.get(k)) for k, v in want.items() if env.get(k) != v]
bad += [k for k in ("HOME", "TMPDIR", "GOCACHE", "GOPATH") if "/goerrfilt-repro." not in env.get(k, "")]
extra = set(env) - set(want) - {"PATH", "HOME", "TMPDIR", "GOCACHE", "GOPATH", "GOINSECURE", "TERM", "PWD"}
print(bad, extra, env)
sys.exit(1 if bad or extra else 0)
EOF

# 6. --save-output writes in its folder only, whatever the names.
SO=$R/saved
mkdir -p "$SO" "$R/so/a"
mkcase "$R/so/case" mode=build "build=echo 'panic: saved'; exit 2" expect_class=panic expect_kind=user_panic
mkdir -p "$R/so/case/sub"
ln -s "$R/so/case" "$R/so/link"
ln -s "$R/so-target" "$SO/case.log"      # planted: must be replaced, not followed
echo keep >"$R/so-hard"; ln "$R/so-hard" "$SO/case.meta"
$REPRO --runs 1 --go "$G1" --save-output "$SO/" -o /dev/null "$R/so/a/../case/" "$R/so/case/sub/.." "$R/so/link" 2>"$T/err"
check "repro: --save-output: case folders with .. or through a link save as DIR/NAME.log; planted links and hard links are replaced, not written through" sh -c "
	[ -f '$SO/case.log' ] && [ ! -L '$SO/case.log' ] && [ -f '$SO/link.log' ] && [ -f '$SO/case.meta' ] &&
	[ ! -e '$R/so-target' ] && [ \"\$(cat '$R/so-hard')\" = keep ] && grep -q '^case=cases/case$' '$SO/case.meta' &&
	[ \"\$(ls -A '$SO' | sort | tr '\n' ' ')\" = 'case.log case.meta link.log link.meta ' ] &&
	[ -z \"\$(find '$R/so' -name '*.log' -o -name '*.meta')\" ]"
ln -s "$SO" "$R/saved-link"
status "repro: --save-output: a folder that is a symbolic link is refused before any run" 2 \
	$REPRO --runs 1 --go "$G1" --save-output "$R/saved-link" -o /dev/null "$R/so/case/"
check "repro: ... with a message naming it" sh -c "
	$REPRO --runs 1 --go '$G1' --save-output '$R/saved-link/' -o /dev/null '$R/so/case/' 2>&1 |
	grep -q '^goerrfilt-repro: --save-output $R/saved-link/: a symbolic link'"
# A toolchain whose version holds a / or a newline names no file.
# (The stand-in writes VERSION into its JSON as it is: \n is a newline.)
: >"$T/err2"
for v in "go1.24.9/../../../$M-out" 'go1.24.9\nsynthetic=yes'; do
	rm -rf "$R/gobad"; cp -r "$R/go1.25.0" "$R/gobad"
	printf '%s\n' "$v" >"$R/gobad/VERSION"
	$REPRO --runs 1 --go "$R/gobad/bin/go" --go "$G2" --save-output "$SO" -o /dev/null "$R/so/case/" 2>>"$T/err2"
done
check "repro: --save-output: a go version with / or a newline is refused with a message; nothing written outside" sh -c "
	[ \$(grep -c 'is not a file name' '$T/err2') -eq 2 ] && [ -z \"\$(find '$R' /tmp -maxdepth 2 -name '*$M-out*')\" ] &&
	! grep -rq 'synthetic=yes' '$SO' && [ \$(ls '$SO' | grep -c go1.24.9) -eq 0 ]"

# --- with Go 1.24: every case, and a program that eats memory ----------------
# (Not again under the sanitizers: part one already ran their code there,
# and the Go builds are the same.)
if [ -x "$GO124" ] && [ -z "$ASAN" ]; then
	status "repro: every case reproduces with go1.24 (--runs 3)" 0 \
		$REPRO --runs 3 --go "$GO124" -o "$R/all.jsonl" cases/*/
	check "repro: the case report validates against schema/report.schema.json" \
		$PY tests/check_output.py schema schema/report.schema.json "$R/all.jsonl"
	rq "repro: one line per case; each reproduce_rate meets its manifest's min_rate" "$R/all.jsonl" \
	'len(L) == len(__import__("glob").glob("cases/*/case.conf")) and all(
	    r["status"] == "skipped" or (r["reproduce_rate"] >= r["min_rate"] and r["as_promised"])
	    for r in L)'
	# The builds above ran in the sandbox: read-only system, the Go
	# toolchain and its build cache working all the same.
	rq "repro: sandbox: every real go1.24 build and run above had the isolation the report states (mount-namespace as root, a PID namespace)" "$R/all.jsonl" \
	'all(r["fs_isolation"] == "mount-namespace" or (r["fs_isolation"] and r["sandbox"].get("fs_note"))
	     for r in L) and all(r["sandbox"]["pid_namespace"] for r in L)'
	rq "repro: the ICE cases carry their upstream issue" "$R/all.jsonl" \
	'{r["case"][:2]: r.get("known_issue") for r in L if r["class"] == "ice"} ==
	 {"01": "golang/go#73309", "02": "golang/go#74181"}'

	mkcase "$R/hog" mode=run "build=go build -o prog ." run=./prog expect_class=fatal expect_kind=oom expect_exit=2 timeout=60
	cat >"$R/hog/main.go" <<'EOF'
// Allocates and touches 2 GiB unless an address-space limit stops it.
package main

func main() {
	var keep [][]byte
	for i := 0; i < 2048; i++ {
		b := make([]byte, 1<<20)
		for j := range b {
			b[j] = byte(j)
		}
		keep = append(keep, b)
	}
	println("allocated", len(keep), "MiB: the memory limit did not hold")
}
EOF
	status "repro: a program that eats memory fails under the address-space limit" 0 \
		$REPRO --runs 1 --mem 1536 --go "$GO124" -o "$R/hog.jsonl" "$R/hog/"
	rq "repro: ... reported as fatal/oom, exit 2" "$R/hog.jsonl" \
		'L[0]["error_kind"] == "oom" and L[0]["exit_codes"][0]["exit"] == 2
		 and L[0]["sandbox"]["as_mb"] == 1536'
	# Across releases: the ICEs stop where upstream fixed them (and stay
	# fixed on go1.27, when it is installed).
	if [ -z "$ASAN" ] && [ -x /usr/lib/go-1.25/bin/go ] && [ -x /usr/lib/go-1.26/bin/go ]; then
		GO127=
		want127=
		if [ -x /usr/lib/go-1.27/bin/go ]; then
			GO127="--go /usr/lib/go-1.27/bin/go"
			want127='("01", "go1.27"): 0, ("02", "go1.27"): 0,'
		fi
		# shellcheck disable=SC2086
		$REPRO --runs 1 --go "$GO124" --go /usr/lib/go-1.25/bin/go \
			--go /usr/lib/go-1.26/bin/go $GO127 -o "$R/versions.jsonl" \
			cases/01-*/ cases/02-*/ >/dev/null 2>&1
		rq "repro: #73309 reproduces on go1.24 only and stops at go1.25; #74181 stops at go1.26${GO127:+; neither on go1.27}" "$R/versions.jsonl" \
		'{(r["case"][:2], r["go_version"][:6]): r["reproduce_rate"] for r in L} ==
		 {("01", "go1.24"): 1, ("01", "go1.25"): 0, ("01", "go1.26"): 0,
		  ("02", "go1.24"): 1, ("02", "go1.25"): 1, ("02", "go1.26"): 0,
		  '"$want127"'}
		 and all(r["versions"]["stops_at"].startswith(
		     {"01": "go1.25", "02": "go1.26"}[r["case"][:2]]) for r in L)
		 and all(r["as_promised"] for r in L)'
	fi
elif [ -z "$ASAN" ]; then
	echo "skip repro: $GO124 not installed (the case runs need Go 1.24)"
fi
fi
