# Sourced by the golden tests: compare what a run printed with what was
# saved, or save it when GENERATE is set.  golden NAME SAVED OUT WHAT
# prints one TAP line, numbered by $n, which it advances.
golden() {
	n=$((n + 1))
	if [ -n "$GENERATE" ]; then
		cp "$3" "$2"
		echo "ok $n - $1: $4 saved # SKIP regenerated"
	elif [ ! -f "$2" ]; then
		echo "not ok $n - $1: nothing saved (run with GENERATE=1)"
	elif diff -u "$2" "$3" >"$3.diff"; then
		echo "ok $n - $1: $4 as saved"
	else
		echo "not ok $n - $1: $4 not as saved in $(basename "$2")"
		head -80 "$3.diff" | sed 's/^/# /'
	fi
}
