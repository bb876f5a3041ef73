#!/bin/sh
# synfin against the live kernel of this machine: each tests/linux/*.syn
# without a "# slow" or "# racy" line is replayed by tests/kreplay on the
# kernel's own sockets on 127.0.0.1, and what the kernel sends must be
# what synfin run sends.
#
# The kernel's timing is not synfin's to control (a busy machine, a timer
# tick), so this is not part of make check: make check-live runs it.  A
# script whose replay differs is replayed four times more (a race seen
# in one replay of five on a quiet machine, bulk-loss-read's, then fails
# once in thousands, not once in a hundred); it fails only when every
# replay differs, and a difference that does not repeat is
# reported (the diff as comments), not failed.  Needs root, nft (Debian's nftables) and tests/kreplay; without
# them every test is skipped.  SLOW=1 replays the slow ones too.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
kreplay=${KREPLAY:-$(pwd)/tests/kreplay}
dir="$srcdir/tests/linux"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
. "$srcdir/tests/segs.sh"

why=""
if [ "$(id -u)" != 0 ]; then
	why="needs root"
elif [ ! -x "$kreplay" ]; then
	why="no $kreplay (make check builds it on Linux)"
elif ! command -v nft >/dev/null 2>&1; then
	why="needs nft (Debian's nftables)"
fi

# Replay once; 0 if the kernel sent what synfin sends, else the diff is
# in $tmp/diff.
replay() {
	"$kreplay" "$1" >"$tmp/live.trace" 2>"$tmp/err" || {
		sed 's/^/kreplay: /' "$tmp/err" >"$tmp/diff"
		return 1
	}
	segs <"$tmp/live.trace" >"$tmp/live"
	diff -u "$tmp/live" "$tmp/model" >"$tmp/diff"
}

for f in "$dir"/*.syn; do
	name=$(basename "$f" .syn)
	n=$((n + 1))
	if [ -n "$why" ]; then
		echo "ok $n - $name: live # SKIP $why"
		continue
	elif grep -q '^# slow' "$f" && [ -z "$SLOW" ]; then
		echo "ok $n - $name: live # SKIP slow (SLOW=1 replays it)"
		continue
	elif grep -q '^# racy' "$f"; then
		echo "ok $n - $name: live # SKIP racy: its timing decides (its comment says how)"
		continue
	fi
	"$synfin" run "$f" 2>/dev/null | segs >"$tmp/model"
	if replay "$f"; then
		echo "ok $n - $name: the kernel here sends the same"
		continue
	fi
	cp "$tmp/diff" "$tmp/first"
	again=0
	for i in 2 3 4 5; do
		replay "$f" || again=$((again + 1))
	done
	if [ $again -eq 4 ]; then
		echo "not ok $n - $name: this kernel differs from synfin, every time"
		sed 's/^/# /' "$tmp/first"
	else
		echo "ok $n - $name: differed in $((again + 1)) of 5 replays, not every time: reported, not failed"
		sed 's/^/# /' "$tmp/first"
	fi
done

# A capture of the kernel itself on lo (Ethernet) and on any (Linux
# cooked), read by synfin: each side goes through its real states.
for dev in lo any; do
	n=$((n + 1))
	if [ -n "$why" ] || ! command -v tcpdump >/dev/null 2>&1; then
		echo "ok $n - a capture on $dev: # SKIP ${why:-no tcpdump}"
		continue
	fi
	tcpdump -i $dev -U -w "$tmp/$dev.pcap" tcp >/dev/null 2>&1 &
	dump=$!
	sleep 1
	"$kreplay" "$dir/close-client-first.syn" >/dev/null 2>&1
	sleep 1
	kill $dump
	wait $dump 2>/dev/null
	"$synfin" run "$tmp/$dev.pcap" 2>/dev/null | awk '$1 == "STATE" {
	    s[$3] = s[$3] " " $5 } END { print "client" s["client"];
	    print "server" s["server"] }' >"$tmp/got"
	printf '%s\n' "client SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT" \
	    "server LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED" \
	    >"$tmp/want"
	if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		echo "ok $n - a capture of the kernel on $dev: its real states"
	else
		echo "not ok $n - a capture of the kernel on $dev: its real states"
		sed 's/^/# /' "$tmp/diff"
	fi
done
echo "1..$n"
