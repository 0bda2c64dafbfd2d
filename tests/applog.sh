# Sourced by tests/run.sh: the application-log false-positive corpus.
# tests/gen/applog.py writes >= 50 MB of SYNTHETIC application logs (Go log,
# slog text/JSON, zap, logrus, nginx/Apache access logs, many lines that
# only mention panics and errors) with real crash fixtures inserted bare at
# known lines; goerrfilt must report exactly those crashes, each from its
# first line with the bare fixture's class, kind and fingerprint, and
# nothing else.  APPLOG_MB overrides the size.
if $PY tests/gen/applog.py gen --mb "${APPLOG_MB:-50}" --seed 1 --bin "$BIN" \
	-o "$T/applog.log" -m "$T/applog.json" > "$T/applog.gen" 2>&1; then
	$BIN "$T/applog.log" > "$T/applog.jsonl" 2> "$T/applog.err"
	app_rc=$?
	if [ $app_rc -gt 1 ]; then
		nok "applog: goerrfilt on the app-log corpus (exit $app_rc)"; head -5 "$T/applog.err" | sed 's/^/     /'
	elif $PY tests/gen/applog.py check "$T/applog.json" "$T/applog.jsonl" > "$T/applog.chk" 2>&1; then
		ok "applog: $(sed -n 's/^applog check: //p' "$T/applog.chk") ($(sed 's/^applog.py: [^:]*: //' "$T/applog.gen"))"
	else
		nok "applog: only the inserted real crashes are events: $(sed -n 's/^applog check: //p' "$T/applog.chk")"
		grep -v '^applog check: ' "$T/applog.chk" | head -25 | cut -c1-300 | sed 's/^/     /'
	fi
	rm -f "$T/applog.log"
else
	nok "applog: generating the corpus"; head -10 "$T/applog.gen" | sed 's/^/     /'
fi
