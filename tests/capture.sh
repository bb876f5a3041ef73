#!/bin/sh
# Real captures: synfin reads a pcap (here the ones synfin export writes
# of scenarios without a loss, raw IP) and infers both sides' states as
# an observer on the wire would: each side goes through the states the
# model went through, the end of TIME_WAIT aside (nothing shows it, and
# the narration says so).  The view animates it; it cannot be changed;
# a truncated or foreign file is a clear error.  make check-live does
# the same with captures of the live kernel on lo.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
. "$srcdir/tests/tap.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
show="$tmp/why"

# Each side's states in order, from a trace: "client SYN_SENT ..." lines.
states() {
	awk '$1 == "STATE" { s[$3] = s[$3] " " $5 }
	    END { print "client" s["client"]; print "server" s["server"] }'
}

for name in handshake close-client-first close-server-first \
    simultaneous-close half-close abort close-three-segments; do
	f="$srcdir/tests/scenarios/$name.syn"
	[ -f "$f" ] || continue
	"$synfin" export "$f" --pcap "$tmp/$name.pcap" 2>"$tmp/why"
	"$synfin" run "$f" | states | sed 's/ TIME_WAIT CLOSED$/ TIME_WAIT/' \
	    >"$tmp/want"
	"$synfin" run "$tmp/$name.pcap" 2>"$tmp/why" | states >"$tmp/got"
	diff -u "$tmp/want" "$tmp/got" >"$tmp/why"
	check $? "$name: read back from a capture, each side's states as the model's"
done

# TIME_WAIT's end is not on the wire: said, not invented.
"$synfin" run "$tmp/close-client-first.pcap" >"$tmp/t" 2>&1
grep -q "^SAY .* en The capture ends with this side in TIME_WAIT" "$tmp/t" &&
    ! grep -q 'TIME_WAIT CLOSED' "$tmp/t"
check $? "a capture ending in TIME_WAIT says an observer cannot see its end"

# The view: animated with its states, and not changed by d.
"$synfin" frames "$tmp/close-client-first.pcap" end dump b b b b d dump \
    >"$tmp/screen" 2>&1
show="$tmp/screen"
grep -q 'FIN_WAIT_2' "$tmp/screen" && grep -q 'LAST_ACK' "$tmp/screen" &&
    grep -q 'cannot be changed' "$tmp/screen"
check $? "the view animates a capture, and d says it cannot be changed"

# Bad files: truncated, and not a capture at all.
head -c 40 "$tmp/handshake.pcap" >"$tmp/short.pcap"
"$synfin" run "$tmp/short.pcap" >/dev/null 2>"$tmp/why"
status=$?
show="$tmp/why"
[ $status -eq 2 ] && grep -q '^synfin: .*short.pcap' "$tmp/why"
check $? "a truncated capture: a clear error, status 2"
printf '\324\303\262\241garbage' >"$tmp/bad.pcap"
"$synfin" run "$tmp/bad.pcap" >/dev/null 2>"$tmp/why"
status=$?
[ $status -eq 2 ] && grep -q '^synfin: .*bad.pcap' "$tmp/why"
check $? "a broken capture header: a clear error, status 2"
echo "1..$n"
