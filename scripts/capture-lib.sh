# capture-lib.sh - sourced by the capture-*-fixtures.sh scripts (bash).
#
# shell_quote WORD...: the words as one line a shell reads back as those
# words (a .meta file's env= and command= fields).
shell_quote() {
	local out='' w
	for w in "$@"; do
		case $w in
		*[!A-Za-z0-9_./=:,+-]*) out="$out '${w//\'/\'\\\'\'}'" ;;
		*) out="$out $w" ;;
		esac
	done
	printf '%s' "${out# }"
}

