# Sourced by tests/run.sh: fingerprints name the bug, not the run.  The same
# crash captured from two directories (fixtures/crash/nil-deref and
# nil-deref-otherdir) and under two Go releases (fixtures/crash-go1.26, Go
# 1.26.11, against Go 1.24.4) gets one fingerprint; different crashes get
# different ones.

fp() { $BIN "$1" 2>/dev/null | $PY -c 'import json,sys; print(" ".join(json.loads(l)["fingerprint"] for l in sys.stdin))'; }

a=$(fp fixtures/crash/nil-deref.log)
b=$(fp fixtures/crash/nil-deref-otherdir.log)
check "fingerprint: the same crash from two directories ($a)" test -n "$a" -a "$a" = "$b"
for f in fixtures/crash-go1.26/*.log; do
	[ -e "$f" ] || continue
	n=$(basename "$f")
	x=$(fp "fixtures/crash/$n")
	y=$(fp "$f")
	check "fingerprint: $n under go1.24.4 and go1.26.11 ($x)" test -n "$x" -a "$x" = "$y"
done
# Every crash fixture but the deliberate twins is a different bug.
for f in fixtures/crash/*.log; do
	case $f in *nil-deref-otherdir*) continue ;; esac
	echo "$(fp "$f" | cut -d' ' -f1) $f"
done | sort > "$T/fps"
dups=$(cut -d' ' -f1 "$T/fps" | uniq -d)
check "fingerprint: $(wc -l < "$T/fps") different crashes, $(cut -d' ' -f1 "$T/fps" | sort -u | wc -l) different fingerprints" test -z "$dups"
[ -z "$dups" ] || grep -F "$dups" "$T/fps" | sed 's/^/     /'
