#!/bin/sh
# synfin against Linux.  Each tests/linux/NAME.syn was replayed by
# tests/kreplay on the kernel's own sockets on 127.0.0.1, and what the
# kernel sent saved in NAME.linux.  synfin run must send the same
# segments: direction, flags, relative seq and ack, length, in order.
#
# As root with nft (LIVE=0 turns this off), each script without a
# "# slow" or "# racy" line is also replayed now on this machine's kernel
# and compared the same way.  As root, RECORD=1 rewrites every recording
# (slow ones included: a few minutes).
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
kreplay=${KREPLAY:-$(pwd)/tests/kreplay}
dir="$srcdir/tests/linux"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0

# The sent segments of a trace, without their times.
segs() {
	awk '$1 == "SEG" && $NF == "sent" {
		line = $3; for (i = 4; i < NF; i++) line = line " " $i; print line }'
}

live=no
if [ "${LIVE:-1}" != 0 ] && [ "$(id -u)" = 0 ] && [ -x "$kreplay" ] &&
    command -v nft >/dev/null 2>&1; then
	live=yes
fi

for f in "$dir"/*.syn; do
	name=$(basename "$f" .syn)
	if [ -n "$RECORD" ]; then
		"$kreplay" "$f" >"$tmp/rec" 2>"$tmp/err" || {
			echo "Bail out! kreplay failed on $name: $(cat "$tmp/err")"
			exit 1
		}
		{ echo "# $name.syn as Linux $(uname -r) ran it on 127.0.0.1"
		  cat "$tmp/rec"; } >"$dir/$name.linux"
	fi
	"$synfin" run "$f" 2>"$tmp/err" | segs >"$tmp/model"
	segs <"$dir/$name.linux" >"$tmp/kernel"
	n=$((n + 1))
	if [ ! -s "$tmp/kernel" ]; then
		echo "not ok $n - $name: no recording"
	elif diff -u "$tmp/kernel" "$tmp/model" >"$tmp/diff"; then
		echo "ok $n - $name: the segments Linux sent ($(wc -l <"$tmp/model"))"
	else
		echo "not ok $n - $name: synfin differs from the recording"
		sed 's/^/# /' "$tmp/diff"
	fi
	n=$((n + 1))
	if grep -q '^# slow' "$f"; then
		echo "ok $n - $name: live # SKIP slow"
	elif grep -q '^# racy' "$f"; then
		echo "ok $n - $name: live # SKIP the kernel's tick decides"
	elif [ $live = no ]; then
		echo "ok $n - $name: live # SKIP needs root, nft and kreplay"
	elif ! "$kreplay" "$f" >"$tmp/live.trace" 2>"$tmp/err"; then
		echo "not ok $n - $name: kreplay failed"
		sed 's/^/# /' "$tmp/err" | head -20
	elif segs <"$tmp/live.trace" >"$tmp/live" &&
	    diff -u "$tmp/live" "$tmp/model" >"$tmp/diff"; then
		echo "ok $n - $name: the kernel here sends them too"
	else
		echo "not ok $n - $name: this kernel differs from synfin"
		sed 's/^/# /' "$tmp/diff"
	fi
done
echo "1..$n"
