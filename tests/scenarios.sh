#!/bin/sh
# Scenario tests: every tests/scenarios/*.syn runs headless.  It must exit
# 0 (each of its expects held) and print exactly the trace saved beside it
# in NAME.trace.  After a deliberate change in behaviour, regenerate the
# saved traces with
#	GENERATE=1 make check TESTS=tests/scenarios.sh
# and read the diff before committing it.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
dir="$srcdir/tests/scenarios"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
. "$srcdir/tests/golden.sh"

for f in "$dir"/*.syn; do
	name=$(basename "$f" .syn)
	(cd "$dir" && "$synfin" run --lang en "$name.syn") >"$tmp/out" 2>"$tmp/err"
	status=$?
	n=$((n + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $n - $name: exits 0, every expect holds"
	else
		echo "not ok $n - $name: exit status $status"
		sed 's/^/# /' "$tmp/err"
	fi
	golden "$name" "$dir/$name.trace" "$tmp/out" trace
done
echo "1..$n"
