#!/bin/sh
# Regenerates tests/golden/*.jsonl from tests/golden/list with the current
# ./goerrfilt.  Run it after a deliberate change, then read the diff
# (git diff tests/golden) line by line before committing: the goldens are
# the reviewed record of what each real log must give.
set -eu
cd "$(dirname "$0")/.."
# -f junit's timestamp for a log without times, as tests/run.sh sets it.
export SOURCE_DATE_EPOCH=0
while IFS='|' read -r name input want args; do
	case "$name" in ''|'#'*) continue ;; esac
	set +e
	# shellcheck disable=SC2086
	./goerrfilt $args "$input" > "tests/golden/$name.jsonl"
	got=$?
	set -e
	[ "$got" -eq "$want" ] || echo "warning: $name exits $got, list says $want" >&2
done < tests/golden/list
