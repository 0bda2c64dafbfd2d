# Sourced by tests/run.sh: goerrfilt-archive.  The fixtures packed, every
# log back byte for byte, duplicates stored once, the index equal to what
# goerrfilt finds in each log (events, queries, --group), add, verify on
# good and corrupt archives, and the committed format 1.0 archive
# tests/archive/v1.gfa still read as it was written.  Under ASan an eighth
# of the fixtures keeps the run to seconds.

ARC=./goerrfilt-archive
AC="$PY tests/archive_check.py"
if [ -n "$ASAN" ]; then
	# shellcheck disable=SC2046
	set -- $(ls fixtures/*/*.log | awk 'NR % 8 == 1')
else
	set -- fixtures/*/*.log
fi
A=$T/fx.gfa
status "archive: pack $# fixture logs" 0 $ARC pack -o "$A" "$@"
bad=0
for f in "$@"; do
	$ARC get "$A" "$f" >"$T/got" 2>"$T/err" && cmp -s "$T/got" "$f" || { bad=$((bad + 1)); echo "     $f"; }
done
check "archive: get gives every one of $# logs back byte for byte ($bad differ)" test "$bad" -eq 0
check "archive: identical logs are stored once" $AC dups "$A" "$@"
check "archive: the index holds goerrfilt's events; --class/--kind/--fingerprint give goerrfilt's logs" \
	$AC index "$A" "$@"
check "archive: query --group counts equal goerrfilt --group's" $AC group "$A" "$@"
status "archive: verify a good archive" 0 $ARC verify "$A"
status "archive: get of a log not there exits 1" 1 $ARC get "$A" no/such.log
status "archive: query matching nothing exits 1" 1 $ARC query "$A" --class no_such_class

# add: a first half packed, the second half (and one duplicate) added.
n=$(($# / 2))
first=$(for f in "$@"; do echo "$f"; done | head -n "$n")
second=$(for f in "$@"; do echo "$f"; done | tail -n +"$((n + 1))")
# shellcheck disable=SC2086
status "archive: pack $n logs" 0 $ARC pack -o "$T/add.gfa" $first
cp "$T/add.gfa" "$T/add0.gfa"
mkdir -p "$T/dup"
cp "$1" "$T/dup/copy.log"
# shellcheck disable=SC2086
status "archive: add $(($# - n)) logs and a duplicate" 0 $ARC add "$T/add.gfa" $second "$T/dup/copy.log"
bad=0
for f in "$@" "$T/dup/copy.log"; do
	$ARC get "$T/add.gfa" "$f" 2>/dev/null | cmp -s - "$f" || { bad=$((bad + 1)); echo "     $f"; }
done
check "archive: after add, old and new logs come back byte for byte ($bad differ)" test "$bad" -eq 0
status "archive: verify after add" 0 $ARC verify "$T/add.gfa"
# shellcheck disable=SC2086
check "archive: after add, the index still holds goerrfilt's events" $AC group "$T/add.gfa" "$@" "$T/dup/copy.log"
check "archive: add appended (the old archive is a prefix of the new one past its header)" \
	cmp -s -i 64 -n "$(($(stat -c %s "$T/add0.gfa") - 64))" "$T/add0.gfa" "$T/add.gfa"
d1=$(./goerrfilt-archive list "$T/add.gfa" | grep -F "\"$1\"" | sed 's/.*"block":\([0-9]*\),"offset":\([0-9]*\).*/\1 \2/')
d2=$(./goerrfilt-archive list "$T/add.gfa" | grep -F "dup/copy.log" | sed 's/.*"block":\([0-9]*\),"offset":\([0-9]*\).*/\1 \2/')
check "archive: an added duplicate points to the stored copy ($d1 / $d2)" test -n "$d1" -a "$d1" = "$d2"

# corrupt and truncated archives: exit 2 and a message naming the file
corrupt() {
	name=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq 2 ] && grep -q "^goerrfilt-archive: $T/bad.gfa: " "$T/err"; then
		ok "archive: $name: exit 2, $(head -1 "$T/err" | sed "s,^goerrfilt-archive: $T/,,")"
	else
		nok "archive: $name (exit $rc)"; head -5 "$T/err" | sed 's/^/     /'
	fi
}
cp "$A" "$T/bad.gfa"; $AC flip "$T/bad.gfa" 300
corrupt "verify, a byte flipped in a block" $ARC verify "$T/bad.gfa"
# get of each log of that block: its bytes exactly, or exit 2 and a message
nfail=0; wrong=0
for f in $($ARC list "$A" | awk -F'"' '/"block":0,/ {print $4}'); do
	$ARC get "$T/bad.gfa" "$f" >"$T/got" 2>"$T/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q "^goerrfilt-archive: $T/bad.gfa: " "$T/err"; then
		nfail=$((nfail + 1))
	elif [ $rc -ne 0 ] || ! cmp -s "$T/got" "$f"; then
		wrong=$((wrong + 1)); echo "     $f: exit $rc"
	fi
done
check "archive: get from the flipped block: $nfail logs refused with exit 2, none wrong" \
	test "$nfail" -gt 0 -a "$wrong" -eq 0
size=$(stat -c %s "$A")
cp "$A" "$T/bad.gfa"; $AC flip "$T/bad.gfa" $((size - 50))
corrupt "list, a byte flipped in the section table" $ARC list "$T/bad.gfa"
cp "$A" "$T/bad.gfa"; $AC flip "$T/bad.gfa" 20
corrupt "list, a byte flipped in the header" $ARC list "$T/bad.gfa"
for cut in $((size - 1)) $((size / 2)) 100 10 0; do
	head -c "$cut" "$A" > "$T/bad.gfa"
	corrupt "verify, truncated to $cut bytes" $ARC verify "$T/bad.gfa"
done
# a cut inside the blocks that leaves the index readable: only the
# logs' data is gone
$PY - "$A" "$T/bad.gfa" <<'PYEOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[200:400] = bytes(200)
open(sys.argv[2], "wb").write(d)
PYEOF
corrupt "verify, 200 bytes of a block zeroed" $ARC verify "$T/bad.gfa"

# forward compatibility: a newer minor's unknown section is ignored, a
# newer major refused
$AC newer "$A" "$T/minor.gfa" "$T/bad.gfa"
status "archive: a newer minor version with an unknown section is read" 0 $ARC verify "$T/minor.gfa"
$ARC list "$A" > "$T/l1"; $ARC list "$T/minor.gfa" > "$T/l2"
check "archive: ... and lists the same logs" cmp "$T/l1" "$T/l2"
corrupt "a newer major version is refused" $ARC list "$T/bad.gfa"

# the committed archive of format 1.0
V=tests/archive/v1.gfa
status "archive: $V (format 1.0) verifies" 0 $ARC verify $V
$ARC list $V > "$T/v1.list" 2>&1
check "archive: $V lists as it did" diff -u tests/archive/v1.list "$T/v1.list"
$ARC query $V > "$T/v1.query" 2>&1
check "archive: $V's index queries as it did" diff -u tests/archive/v1.query "$T/v1.query"
$ARC query $V --group > "$T/v1.group" 2>&1
check "archive: $V groups as it did" diff -u tests/archive/v1.group "$T/v1.group"
bad=0
while read -r sum name; do
	got=$($ARC get $V "$name" | sha256sum | cut -d' ' -f1)
	[ "$got" = "$sum" ] || { bad=$((bad + 1)); echo "     $name"; }
done < tests/archive/v1.sha256
check "archive: every log of $V comes back with its sha256 ($bad differ)" test "$bad" -eq 0
set --
