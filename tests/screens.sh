#!/bin/sh
# Screen tests: the view drawn without a terminal.  Each
# tests/screens/NAME.frames holds the arguments of one 'synfin frames'
# run (keys pressed, 'dump' where a frame is printed); the frames must be
# exactly those saved in NAME.screen.  After a deliberate change to the
# screen, regenerate them with
#	GENERATE=1 make check TESTS=tests/screens.sh
# and read the diff before committing it.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
dir="$srcdir/tests/screens"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
. "$srcdir/tests/golden.sh"

# Chinese is laid out by display width, which needs a UTF-8 locale.
if ! locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$'; then
	echo "1..0 # SKIP no C.UTF-8 locale"
	exit 0
fi
for f in "$dir"/*.frames; do
	name=$(basename "$f" .frames)
	eval "set -- $(cat "$f")"
	# Progress goes to a place of its own: the menu starts fresh.
	(cd "$srcdir" && XDG_STATE_HOME="$tmp/$name.state" LESSONS_DIR=lessons \
	    LC_ALL=C.UTF-8 \
	    "$synfin" frames "$@") \
	    >"$tmp/out" 2>"$tmp/err"
	status=$?
	n=$((n + 1))
	if [ "$status" -eq 0 ] && [ ! -s "$tmp/err" ]; then
		echo "ok $n - $name: drawn"
	else
		echo "not ok $n - $name: exit status $status"
		sed 's/^/# /' "$tmp/err"
	fi
	golden "$name" "$dir/$name.screen" "$tmp/out" frames
done
echo "1..$n"
