#!/bin/sh
# The fuzz targets without libFuzzer: every input kept in tests/fuzz/
# TARGET/ (what make fuzz found, and the seeds), and every scenario and
# lesson for the script target, goes through its target once; none may
# crash or break the invariants it checks.  (make fuzz explores.)
srcdir=${SRCDIR:-.}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
for t in script segment progress view capture; do
	prog="$(pwd)/tests/fuzz-$t"
	dirs="$srcdir/tests/fuzz/$t"
	[ $t = script ] && dirs="$dirs $srcdir/tests/scenarios $srcdir/lessons"
	# shellcheck disable=SC2086
	"$prog" $dirs >"$tmp/$t.out" 2>"$tmp/$t.err"
	status=$?
	n=$((n + 1))
	if [ $status -eq 0 ] && ! grep -q '^not ok' "$tmp/$t.out"; then
		echo "ok $n - fuzz target $t: $(grep -o '[0-9]* inputs' \
		    "$tmp/$t.out" | awk '{ s += $1 } END { print s }') inputs" \
		    "kept, none broke it"
	else
		echo "not ok $n - fuzz target $t: status $status"
		sed 's/^/# /' "$tmp/$t.err" | tail -20
	fi
done
echo "1..$n"
