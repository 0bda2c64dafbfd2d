# Sourced by tests/run.sh: differential checks (uses BIN, PY, T, ASAN, ok,
# nok).  goerrfilt run several ways on the real fixtures, the outputs
# compared with each other value for value (tests/differential.py says
# what may differ and why):
#  1. formats: -f json = -f msgpack = -f forward, each binary stream decoded
#     both by `goerrfilt --decode` and by the pure-Python msgpack decoder in
#     differential.py, on every fixture, with and without -p;
#  2. inputs: a file operand = a pipe = a file on stdin = a zstd file = zstd
#     through a pipe, on every fixture; and every envelope goerrfilt
#     recognises (SYNTHETIC copies made by differential.py from the bare
#     lines) on every third fixture;
#  3. archive: goerrfilt-archive pack / get / list / query give back what
#     went in.
# One ok/FAIL line per check group, with counts; under a FAIL the first
# differences.  The sanitizer build samples every ninth fixture (its errors
# are in the code paths, which those reach).
DIFF_EVERY=${ASAN:+9}
dsel=
if [ -n "$ASAN" ]; then
	# shellcheck disable=SC2012
	dsel=$(ls fixtures/*/*.log | awk 'NR % 9 == 1')
fi
for dgroup in formats inputs envelopes archive; do
	# shellcheck disable=SC2086
	$PY tests/differential.py "$dgroup" --bin "$BIN" --arc ./goerrfilt-archive \
		${DIFF_EVERY:+--every 1 --min 1} --results "$T/diff-$dgroup.res" $dsel \
		>"$T/diff-$dgroup.out" 2>&1
	drc=$?
	if [ ! -s "$T/diff-$dgroup.res" ]; then
		nok "differential: $dgroup: tests/differential.py gave no results (exit $drc)"
		head -20 "$T/diff-$dgroup.out" | sed 's/^/     /'
		continue
	fi
	while IFS='	' read -r dst dline ddiff; do
		if [ "$dst" = PASS ]; then
			ok "$dline"
		else
			nok "$dline"
			[ -z "$ddiff" ] || printf '%s\n' "$ddiff" | tr '|' '\n' | cut -c1-300 | sed 's/^ */     /'
		fi
	done < "$T/diff-$dgroup.res"
done
