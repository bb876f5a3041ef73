#!/bin/sh
# The kernel's sandbox as a learner uses it, in tmux: synfin --engine
# kernel --sandbox, each key a real call, each real segment held in
# synfin's hands until a key lets it go.  The learner sees the client in
# SYN_SENT with its SYN held, drops that SYN and sees the kernel send it
# again after its own timeout (about a second), lets the handshake
# finish, closes, loses the client's last ACK, and sees the client's
# TIME_WAIT answer the server's retransmitted FIN with an ACK.  As an
# ordinary user where /dev/net/tun is root's, it says why it cannot.
# Needs root and tmux; part of make check-live: the kernels' timers are
# their own.
synfin=${SYNFIN:-$(pwd)/src/synfin}
. "${SRCDIR:-.}/tests/tap.sh"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (the relay's TUN devices)"
	exit 0
fi
. "${SRCDIR:-.}/tests/term.sh"

# Wait up to 8 s: the kernels' timers, not synfin's.
slow_shows() { shows "$1" || shows "$1"; }
# The time in the ladder's margin of the row that shows segment #N FLAGS,
# in ms ("1323.4ms" or "10345ms").
row_ms() {
	sed -n "s/^>\{0,1\} *\([0-9.]*\)ms  *#$1 $2 .*/\1/p" "$tmp/screen" |
	    head -1
}

start "" "--engine kernel --sandbox" "kernel sandbox"
t resize-window -t w -x 100 -y 44 2>/dev/null
keys 2 l
# d at once after c: the SYN is the segment held (or, not read yet, the
# next sent), whatever the machine's speed.
keys 1 c d
slow_shows '#1 SYN (seq=0) is lost'
check $? "the client's real SYN dropped"
slow_shows '#2 S is held'
grep -q '|   SYN_SENT   |' "$show"
check $? "the client in SYN_SENT, its kernel's resent SYN held"
a=$(row_ms 1 S)
b=$(row_ms 2 S)
gap=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a == "" || b == "") print -1;
    else printf "%d\n", b - a }')
[ "$gap" -ge 900 ] && [ "$gap" -le 1600 ]
check $? "... sent again after its real timeout, about a second (${gap} ms)"

for try in 1 2 3; do
	keys R
	shows 'ESTABLISHED *|.*| *ESTABLISHED' && break
done
check $? "R lets the held segments go: the handshake completes"

keys 2 a
keys 1 x
# R lets go what is held now; an ACK the server's kernel sends a few ms
# later (a delayed ACK) is held in its turn.
for try in 1 2 3; do
	keys R
	shows 'FIN_WAIT_2 *|.*| *CLOSE_WAIT' && break
done
check $? "the client closes: FIN_WAIT_2 and CLOSE_WAIT"

# The server's FIN let through, and the ACK the client answers with
# dropped (held, or the next sent).
keys 2 x n d
slow_shows 'ACK (seq=2 ack=2) is lost'
lost=$(sed -n 's/.*#\([0-9]*\) ACK (seq=2 ack=2) is lost.*/\1/p' "$show" |
    head -1)
grep -q '|  TIME_WAIT   |' "$show"
check $? "the client in TIME_WAIT, its last ACK (#$lost) lost"
slow_shows 'FIN+ACK (seq=1 ack=2) again: a retransmission'
check $? "the server's kernel sends its FIN again"
keys n
# An ACK the client sends after the one lost: up to 8 s.
i=0
reack=
while [ $i -lt 80 ]; do
	screen
	reack=$(sed -n 's/.*The client sends #\([0-9]*\) ACK (seq=2 ack=2).*/\1/p' \
	    "$show" | tail -1)
	[ -n "$lost" ] && [ -n "$reack" ] && [ "$reack" -gt "$lost" ] && break
	sleep 0.1
	i=$((i + 1))
done
[ -n "$lost" ] && [ -n "$reack" ] && [ "$reack" -gt "$lost" ] &&
    grep -q '|  TIME_WAIT   |' "$show"
check $? "the client's TIME_WAIT answers the resent FIN with an ACK (#$reack)"

keys q
shows 'EXIT=0'
check $? "q ends it, status 0"
given_back
check $? "the terminal is given back"

# Not root: the relay's TUN device is root's here, and synfin says so.
if command -v setpriv >/dev/null 2>&1 &&
    [ "$(stat -c %a /dev/net/tun 2>/dev/null)" = 600 ]; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$synfin" --engine kernel --sandbox </dev/null >/dev/null \
	    2>"$tmp/err"
	st=$?
	[ $st = 2 ] && grep -q 'TUN device' "$tmp/err"
	check $? "as nobody: refused with the reason (status $st)"
else
	n=$((n + 1))
	echo "ok $n - as nobody # SKIP /dev/net/tun is open to all here"
fi
echo "1..$n"
