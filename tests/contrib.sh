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

# contrib_daemon NAME DIR FIXTURE: after the daemon was started in DIR
# (pid in DIR/daemon.pid of the shell), feed FIXTURE into DIR/app.log line
# by line and check the events, then stop the daemon and check goerrfilt's
# clean exit.
contrib_daemon() {
	cname=$1; d=$2; fx=$3; dpid=$4
	$BIN "$fx" >"$d/want.jsonl" 2>/dev/null
	nwant=$(wc -l <"$d/want.jsonl")
	sleep 1
	if ! kill -0 "$dpid" 2>/dev/null; then
		nok "contrib: $cname did not start"; sed 's/^/     /' "$d/daemon.out" | head -20
		return
	fi
	$PY tests/contrib_check.py feed "$fx" "$d/app.log"
	if ! $PY tests/contrib_check.py wait "$d/events.jsonl" "$nwant" 15 >"$d/wait" 2>&1; then
		nok "contrib: $cname: events of $fx within 15 s"; sed 's/^/     /' "$d/wait" "$d/daemon.out" | head -20
	elif $PY tests/contrib_check.py same "$d/want.jsonl" "$d/events.jsonl" >"$d/same" 2>&1; then
		ok "contrib: $cname tails $(basename "$fx") into $nwant event(s), the same as goerrfilt on the file (class, kind, fingerprint, msg, stack)"
	else
		nok "contrib: $cname: events differ from goerrfilt $fx"; sed 's/^/     /' "$d/same" | head -20
	fi
	if contrib_stop "$dpid" 15 && [ "$(cat "$d/goerrfilt.status" 2>/dev/null)" = 0 ] && [ ! -s "$d/goerrfilt.err" ]; then
		ok "contrib: $cname stops on TERM within 15 s, goerrfilt exits 0 with nothing on stderr"
	else
		nok "contrib: $cname stop (goerrfilt status '$(cat "$d/goerrfilt.status" 2>/dev/null)')"
		sed 's/^/     /' "$d/goerrfilt.err" "$d/daemon.out" 2>/dev/null | head -20
	fi
}

CONTRIB_FIXTURE=fixtures/crash/sigquit.log

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
	contrib_daemon "syslog-ng" "$d" "$CONTRIB_FIXTURE" "$p"
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
	contrib_daemon "rsyslog" "$d" "$CONTRIB_FIXTURE" "$p"
fi
