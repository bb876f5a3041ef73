#!/bin/sh
# make fuzz: each target (tests/fuzz/*.c but driver.c) built with clang's
# libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer, and run for
# FUZZ_SECONDS (60 unless set) on its corpus: the inputs kept in
# tests/fuzz/TARGET/ (and, for scripts, the scenarios and the lessons),
# grown in a working copy.  A crash, a leak, a broken invariant or a hang
# (an input taking over 10 s) fails it; the input is left in the build's
# fuzz/ directory.  Copy it into tests/fuzz/TARGET/ to keep it: make
# check runs every input there through the target (tests/fuzz.sh).
#
#	run.sh SRCDIR BUILDDIR SOURCE...	the libraries' sources
set -u
srcdir=$1
builddir=$2
shift 2
secs=${FUZZ_SECONDS:-60}
cc=${FUZZ_CC:-clang}
out="$builddir/fuzz"
status=0
mkdir -p "$out"

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz: $cc is not installed (Debian: clang, libclang-rt-dev)"
	exit 1
fi
sources=""
for f in "$@"; do
	case "$f" in *.c) sources="$sources $srcdir/$f" ;; esac
done
flags="-g -O1 -std=c11 -fsanitize=fuzzer,address,undefined
    -fno-sanitize-recover=all -I$builddir -I$srcdir/src/core
    -I$srcdir/src/view -I$builddir/src/view -I$srcdir/src/export
    -I$srcdir/tests/fuzz"

for t in script segment progress view capture; do
	echo "=== fuzz $t: building"
	# shellcheck disable=SC2086
	if ! $cc $flags -o "$out/$t" "$srcdir/tests/fuzz/$t.c" $sources \
	    -lm -lpcap 2>"$out/$t.build"; then
		cat "$out/$t.build"
		status=1
		continue
	fi
	corpus="$out/corpus-$t"
	mkdir -p "$corpus"
	seeds="$srcdir/tests/fuzz/$t"
	[ $t = script ] && seeds="$seeds $srcdir/tests/scenarios $srcdir/lessons"
	echo "=== fuzz $t: $secs s"
	# shellcheck disable=SC2086
	if "$out/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix="$out/$t-" "$corpus" $seeds \
	    >"$out/$t.log" 2>&1; then
		grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' \
		    "$out/$t.log" | tail -2
		echo "ok - fuzz $t: nothing found"
	else
		tail -40 "$out/$t.log"
		echo "not ok - fuzz $t: see $out/$t.log; the input is" \
		    "$(ls "$out/$t-"* 2>/dev/null | head -1)"
		status=1
	fi
done
exit $status
