#!/bin/sh
# Malformed scripts: each tests/bad/*.syn begins with a line
#	# error: FILE:LINE:COL: message
# naming exactly what synfin run must print on stderr; it must exit 2,
# print nothing on stdout, and not crash.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
dir="$srcdir/tests/bad"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0

for f in "$dir"/*.syn; do
	name=$(basename "$f")
	want=$(head -n 1 "$f" | sed -n 's/^# error: //p')
	(cd "$dir" && "$synfin" run "$name") >"$tmp/out" 2>"$tmp/err"
	status=$?
	got=$(cat "$tmp/err")
	n=$((n + 1))
	if [ "$status" -eq 2 ] && [ "$got" = "$want" ] && [ ! -s "$tmp/out" ]; then
		printf 'ok %d - %s: exit 2, %s\n' "$n" "$name" "$want"
	else
		printf 'not ok %d - %s: exit %d\n' "$n" "$name" "$status"
		printf '#  want: %s\n#   got: %s\n' "$want" "$got"
	fi
done

# Files that cannot be read at all.
n=$((n + 1))
"$synfin" run "$tmp/no-such-file.syn" >/dev/null 2>"$tmp/err"
status=$?
if [ "$status" -eq 2 ] && grep -q 'no-such-file.syn: No such file' "$tmp/err"; then
	echo "ok $n - a missing file: exit 2 and its name"
else
	echo "not ok $n - a missing file: exit $status, $(cat "$tmp/err")"
fi
n=$((n + 1))
"$synfin" run "$dir" >/dev/null 2>"$tmp/err"
status=$?
if [ "$status" -eq 2 ] && [ -s "$tmp/err" ]; then
	echo "ok $n - a directory: exit 2 ($(cat "$tmp/err"))"
else
	echo "not ok $n - a directory: exit $status"
fi
echo "1..$n"
