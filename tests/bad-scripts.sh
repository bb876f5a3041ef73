#!/bin/sh
# Malformed scripts: each tests/bad/*.syn begins with a line
#	# error: FILE:LINE:COL: message
# naming exactly what synfin run must print on stderr after "synfin: "
# (every error synfin prints begins so); it must exit 2,
# print nothing on stdout, and not crash.  A script whose first line is
#	# fails: FILE:LINE:COL: expectation failed: ...
# runs but one expect does not hold: exit 1, that on stderr, the trace
# on stdout.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
dir="$srcdir/tests/bad"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0

for f in "$dir"/*.syn; do
	name=$(basename "$f")
	want=$(head -n 1 "$f" | sed -n 's/^# error: //p')
	if [ -n "$want" ]; then
		code=2
	else
		# "# fails: MESSAGE": a script that runs, with an expect that
		# does not hold: exit 1, the message, and still its trace.
		want=$(head -n 1 "$f" | sed -n 's/^# fails: //p')
		code=1
	fi
	want="synfin: $want"
	(cd "$dir" && "$synfin" run "$name") >"$tmp/out" 2>"$tmp/err"
	status=$?
	got=$(cat "$tmp/err")
	n=$((n + 1))
	if [ $code -eq 2 ]; then
		[ ! -s "$tmp/out" ]		# no trace
	else
		grep -q '^EXPECT .* FAIL' "$tmp/out"	# the trace says so too
	fi
	trace_ok=$?
	if [ "$status" -eq "$code" ] && [ "$got" = "$want" ] &&
	    [ $trace_ok -eq 0 ]; then
		printf 'ok %d - %s: exit %d, %s\n' "$n" "$name" "$code" "$want"
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
if [ "$status" -eq 2 ] && grep -q '^synfin: ' "$tmp/err"; then
	echo "ok $n - a directory: exit 2 ($(cat "$tmp/err"))"
else
	echo "not ok $n - a directory: exit $status"
fi

# synfin run NAME finds a lesson as synfin NAME does.
lessons=$(cd "$srcdir/lessons" && pwd)
n=$((n + 1))
(cd "$tmp" && LESSONS_DIR="$lessons" "$synfin" run handshake) \
    >"$tmp/by-name" 2>"$tmp/err"
status=$?
"$synfin" run "$lessons/handshake.syn" >"$tmp/by-file" 2>/dev/null
if [ "$status" -eq 0 ] && [ -s "$tmp/by-name" ] &&
    cmp -s "$tmp/by-name" "$tmp/by-file"; then
	echo "ok $n - synfin run handshake: the lesson's trace"
else
	echo "not ok $n - synfin run handshake: exit $status, $(cat "$tmp/err")"
fi
n=$((n + 1))
(cd "$tmp" && LESSONS_DIR="$lessons" "$synfin" run no-such-lesson) \
    >/dev/null 2>"$tmp/err"
status=$?
if [ "$status" -eq 2 ] &&
    grep -q "^synfin: no lesson or file named 'no-such-lesson'" "$tmp/err"; then
	echo "ok $n - synfin run no-such-lesson: said so, exit 2"
else
	echo "not ok $n - synfin run no-such-lesson: exit $status, $(cat "$tmp/err")"
fi

# Every error synfin prints begins with "synfin:", whatever went wrong.
for args in "--bogus" "a b c" "run" "run --lang xx f" "--lang xx" \
    "frames" "frames --size 0x0 x" "frames --sandbox nokey" \
    "no-such-lesson"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	(cd "$tmp" && LESSONS_DIR="$lessons" "$synfin" $args) \
	    </dev/null >/dev/null 2>"$tmp/err"
	status=$?
	if [ "$status" -eq 2 ] && head -n 1 "$tmp/err" | grep -q '^synfin: '; then
		echo "ok $n - synfin $args: $(head -n 1 "$tmp/err")"
	else
		echo "not ok $n - synfin $args: exit $status, $(cat "$tmp/err")"
	fi
done
echo "1..$n"
