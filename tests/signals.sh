#!/bin/sh
# Every way a signal can end synfin gives the terminal back (main screen,
# cursor shown) and ends with the status a shell expects: 128 + the
# signal.  Ctrl-C and Ctrl-\ are keys; the others are sent with kill; the
# crash signals end synfin as they would have, after the terminal is
# restored.  Ctrl-Z stops it with the terminal given back, and fg brings
# it back, repainted, where it was.  Skipped without tmux.
synfin=${SYNFIN:-$(pwd)/src/synfin}
lesson="${SRCDIR:-.}/lessons/handshake.syn"
case "$lesson" in /*) ;; *) lesson="$(pwd)/$lesson" ;; esac
. "${SRCDIR:-.}/tests/tap.sh"
. "${SRCDIR:-.}/tests/term.sh"

# A signal's number from its name, in any shell ("kill -l N" names N).
signum() {
	i=1
	while [ $i -lt 65 ]; do
		[ "$(kill -l $i 2>/dev/null)" = "$1" ] && { echo $i; return 0; }
		i=$((i + 1))
	done
	return 1
}
# Ends with 128 + the signal, the terminal given back.
ended() {
	shows "EXIT=$((128 + $(signum "$1")))" && given_back
}

start "TERM=tmux-256color" "$lesson"
keys n n
keys C-c
ended INT
check $? "Ctrl-C: status 130, the terminal given back"

start "TERM=tmux-256color" "$lesson"
keys 'C-\'
ended QUIT
check $? "Ctrl-\\: status 131, the terminal given back"

for sig in TERM HUP USR1 USR2 ALRM VTALRM PROF XCPU XFSZ IO PWR; do
	signum "$sig" >/dev/null || continue
	start "TERM=tmux-256color" "$lesson"
	kill -"$sig" "$(synfin_pid)"
	ended "$sig"
	check $? "SIG$sig: status $((128 + $(signum "$sig"))), the terminal given back"
done

# A crash: the terminal first, then the signal's own end.
for sig in SEGV BUS FPE ILL ABRT TRAP SYS; do
	signum "$sig" >/dev/null || continue
	start "TERM=tmux-256color" "$lesson"
	kill -"$sig" "$(synfin_pid)"
	ended "$sig"
	check $? "SIG$sig (a crash): status $((128 + $(signum "$sig"))), the terminal given back"
done

# Ctrl-Z needs job control: an interactive shell in the window.
if command -v bash >/dev/null 2>&1; then
	t kill-server 2>/dev/null
	runs=$((runs + 1))
	t new-session -d -s w -x 80 -y 24 \
	    "env PS1='$ ' TERM=tmux-256color bash --norc --noprofile -i"
	sleep 0.5
	t send-keys -t w "'$synfin' '$lesson'" Enter
	shows CLIENT && keys n n n
	keys C-z
	shows Stopped && given_back
	check $? "Ctrl-Z: stopped, the terminal given back"
	keys fg Enter
	shows "step 3/" && shows CLIENT &&
	    [ "$(t display -p -t w '#{alternate_on}')" = 1 ]
	check $? "fg: back where it was, repainted"
	keys q
	keys 'echo STATUS=$?' Enter
	shows "STATUS=0" && given_back
	check $? "and q then quits with status 0"
else
	n=$((n + 1))
	echo "ok $n - Ctrl-Z # SKIP bash is not installed"
fi
echo "1..$n"
