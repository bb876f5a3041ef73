#!/bin/sh
# Generated narration: "synfin run --narrate" of every scenario, in
# English and in Chinese, must be exactly what is saved in
# tests/narrate/NAME.en and NAME.zh.  After a deliberate change to the
# words, regenerate them with
#	GENERATE=1 make check TESTS=tests/narrate.sh
# and read the diff before committing it.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
dir="$srcdir/tests/scenarios"
saved="$srcdir/tests/narrate"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
. "$srcdir/tests/golden.sh"

# garbage-flood is left out: thousands of refused datagrams, said alike.
for f in "$dir"/*.syn; do
	case $f in */garbage-flood.syn) continue ;; esac
	name=$(basename "$f" .syn)
	for lang in en zh; do
		(cd "$dir" && "$synfin" run --narrate --lang $lang "$name.syn") \
		    >"$tmp/out" 2>"$tmp/err"
		status=$?
		n=$((n + 1))
		# The trace is in it, line for line, with the words under.
		(cd "$dir" && "$synfin" run --lang $lang "$name.syn") \
		    >"$tmp/trace" 2>/dev/null
		if [ "$status" -eq 0 ] && [ ! -s "$tmp/err" ] &&
		    grep -v '^    ' "$tmp/out" | cmp -s - "$tmp/trace"; then
			echo "ok $n - $name ($lang): the trace, each event said"
		else
			echo "not ok $n - $name ($lang): exit $status, or not the trace"
			sed 's/^/# /' "$tmp/err"
		fi
		golden "$name ($lang)" "$saved/$name.$lang" "$tmp/out" narration
	done
done
echo "1..$n"
