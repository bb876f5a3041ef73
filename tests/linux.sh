#!/bin/sh
# synfin against Linux, from recordings.  Each tests/linux/NAME.syn was
# replayed by tests/kreplay on the kernel's own sockets on 127.0.0.1,
# and what the kernel sent saved in NAME.linux.  synfin run must send the
# same segments: direction, flags, relative seq and ack, length, in order.
#
# Nothing here touches the live kernel, so nothing here can flake: the
# live replays are tests/linux-live.sh (make check-live).  As root,
# RECORD=1 rewrites every recording (slow ones included: a few minutes).
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
kreplay=${KREPLAY:-$(pwd)/tests/kreplay}
dir="$srcdir/tests/linux"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
. "$srcdir/tests/segs.sh"

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
done
echo "1..$n"
