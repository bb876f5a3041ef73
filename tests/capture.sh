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
	# What an observer cannot see: TIME_WAIT's end, and that the
	# server's listener is still open once its connection closed.
	"$synfin" run "$f" | states | sed -e 's/ TIME_WAIT CLOSED$/ TIME_WAIT/' \
	    -e 's/ CLOSED LISTEN$/ CLOSED/' >"$tmp/want"
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

# pcapng, as Wireshark writes it (made here from the pcap, with python3
# where there is one): read through libpcap alike.
n=$((n + 1))
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/close-client-first.pcap" "$tmp/ng.pcapng" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
link = struct.unpack('<I', d[20:24])[0]
def block(kind, body):
    body += b'\0' * (-len(body) % 4)
    n = len(body) + 12
    return struct.pack('<II', kind, n) + body + struct.pack('<I', n)
out = block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))
out += block(1, struct.pack('<HHI', link, 0, 65535))
i = 24
while i < len(d):
    sec, usec, cap, orig = struct.unpack('<IIII', d[i:i + 16])
    ts = sec * 1000000 + usec
    out += block(6, struct.pack('<IIIII', 0, ts >> 32, ts & 0xffffffff,
        cap, orig) + d[i + 16:i + 16 + cap])
    i += 16 + cap
open(sys.argv[2], 'wb').write(out)
PY
	"$synfin" run "$tmp/ng.pcapng" 2>"$tmp/why" | states >"$tmp/ng"
	"$synfin" run "$tmp/close-client-first.pcap" | states >"$tmp/classic"
	if diff -u "$tmp/classic" "$tmp/ng" >"$tmp/why" && [ -s "$tmp/ng" ]
	then
		echo "ok $n - pcapng: read as the pcap it was made from"
	else
		echo "not ok $n - pcapng: read as the pcap it was made from"
		sed 's/^/# /' "$tmp/why"
	fi
else
	echo "ok $n - pcapng # SKIP no python3 to make one"
fi

# Two connections in one capture: listed, the first shown, --conn picks.
n=$((n + 1))
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/handshake.pcap" "$tmp/two.pcap" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
out, i, later = bytearray(d[:24]), 24, []
while i < len(d):
    sec, usec, cap, orig = struct.unpack('<IIII', d[i:i + 16])
    p = d[i + 16:i + 16 + cap]
    out += d[i:i + 16 + cap]
    q = bytearray(p)
    q[20] ^= 1          # another client port, another server port
    q[22] ^= 1
    later.append(struct.pack('<IIII', sec + 1, usec, cap, orig) + bytes(q))
    i += 16 + cap
open(sys.argv[2], 'wb').write(bytes(out) + b''.join(later))
PY
	"$synfin" run --conn 2 "$tmp/two.pcap" >"$tmp/t2" 2>"$tmp/why"
	"$synfin" frames "$tmp/two.pcap" dump >"$tmp/screen" 2>&1
	if grep -q '^2 127.0.0.1:' "$tmp/why" && grep -q '^STATE' "$tmp/t2" &&
	    grep -q 'Connection 1 of 2 in this capture' "$tmp/screen"; then
		echo "ok $n - two connections: listed, the first shown, --conn picks"
	else
		echo "not ok $n - two connections: listed, the first shown, --conn picks"
		sed 's/^/# /' "$tmp/why" "$tmp/screen" | head -20
	fi
else
	echo "ok $n - two connections # SKIP no python3 to make a capture"
fi

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
