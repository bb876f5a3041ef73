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
	n=$((n + 1))
	if [ -n "$GENERATE" ]; then
		cp "$tmp/out" "$dir/$name.trace"
		echo "ok $n - $name: trace saved # SKIP regenerated"
	elif [ ! -f "$dir/$name.trace" ]; then
		echo "not ok $n - $name: no saved trace (run with GENERATE=1)"
	elif diff -u "$dir/$name.trace" "$tmp/out" >"$tmp/diff"; then
		echo "ok $n - $name: trace as saved"
	else
		echo "not ok $n - $name: trace differs from $name.trace"
		head -60 "$tmp/diff" | sed 's/^/# /'
	fi
done
echo "1..$n"
