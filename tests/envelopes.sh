# Sourced by tests/run.sh: real Go output wrapped in real log envelopes
# (compose, kubectl, stern, docker json-file, CRI with partial lines,
# BuildKit, GitHub Actions, GitLab, journalctl, quoting, interleaved and
# mid-stream) gives the bare fixture's events, with `stream` and `time`
# where the envelope gives them.  tests/envelopes.py writes the wrapped
# copies (synthetic, named so, in its own temporary directory) and
# compares; one ok/FAIL here per envelope and check, the first difference
# under a failure.
# ENVELOPES_ONLY=name,name runs only those envelopes (see tests/envelopes.py).
# The sanitizer build runs every envelope on every fourth fixture: its
# errors are in the code paths, which those reach; the release build runs
# them all.
$PY tests/envelopes.py ${ENVELOPES_ONLY:+--only "$ENVELOPES_ONLY"} ${ASAN:+--every 4} --bin "$BIN" --results "$T/envelopes.res" > "$T/envelopes.out" 2>&1
env_rc=$?
if [ ! -s "$T/envelopes.res" ]; then
	nok "envelopes: tests/envelopes.py gave no results (exit $env_rc)"
	head -20 "$T/envelopes.out" | sed 's/^/     /'
else
	while IFS='	' read -r env_st env_line env_diff; do
		if [ "$env_st" = PASS ]; then
			ok "$env_line"
		else
			nok "$env_line"
			[ -z "$env_diff" ] || echo "     $env_diff" | cut -c1-300
		fi
	done < "$T/envelopes.res"
	tail -1 "$T/envelopes.out" | sed 's/^/     /'
fi
