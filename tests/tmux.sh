#!/bin/sh
# The interactive view end to end, as a person uses it: synfin runs in a
# tmux window, keys are sent, and the screen is read with capture-pane.
# It steps through a handshake and a close, steps back, drops a segment,
# is resized down to a tiny window and back, switches language, runs
# without colours, sits paused for five seconds using no CPU, and quits
# (q, and SIGTERM) with the terminal given back.  Skipped without tmux.
synfin=${SYNFIN:-$(pwd)/src/synfin}
. "${SRCDIR:-.}/tests/tap.sh"
. "${SRCDIR:-.}/tests/term.sh"
step() { sed -n 's/.*step \([0-9]*\)\/.*/\1/p' "$tmp/screen" | head -1; }

# A scenario written here, so no saved screen knows it.
cat >"$tmp/lesson.syn" <<'SYN'
title en "Data, then the server closes first"
title zh "先传数据，再由服务器先关闭"
set latency 10ms
server listen
client connect
wait 10ms
say en "The server answers the SYN."
say zh "服务器回应 SYN。"
wait 20ms
server accept
client send 300
wait 50ms
server close
wait 50ms
client close
wait 50ms
SYN

start "TERM=tmux-256color" "$tmp/lesson.syn"
check $? "it starts and shows the client"
grep -q SERVER "$tmp/screen" && grep -q "step 0/" "$tmp/screen"
check $? "both sides, paused at the beginning"

for i in 1 2 3 4 5 6 7 8; do
	keys n
	screen
	[ "$(grep -c '| ESTABLISHED  |' "$tmp/screen")" -eq 1 ] &&
	    grep -q '| ESTABLISHED  |.*| ESTABLISHED  |' "$tmp/screen" && break
done
grep -q '| ESTABLISHED  |.*| ESTABLISHED  |' "$tmp/screen"
check $? "stepping reaches ESTABLISHED on both sides"
at=$(step)
keys b
screen
[ "$(step)" -eq $((at - 1)) ] &&
    ! grep -q '| ESTABLISHED  |.*| ESTABLISHED  |' "$tmp/screen"
check $? "b steps back to step $((at - 1)), before the handshake ended"

keys n n n n
keys d
shows "will be dropped"
check $? "d drops the segment in flight and says so"
keys n n n
shows "X dropped"
check $? "the next steps show it lost"

t resize-window -t w -x 30 -y 8
shows "too small"
check $? "a tiny window says the terminal is too small"
t resize-window -t w -x 132 -y 40
shows "-- narration" && grep -q "CLIENT.*SERVER" "$tmp/screen"
check $? "back to a large window, the view is whole again"
t resize-window -t w -x 80 -y 24
shows "step" && [ "$(wc -L <"$tmp/screen")" -le 80 ]
check $? "and at 80x24 it fits"

keys l
shows "客户端" && grep -q "服务器" "$tmp/screen"
check $? "l switches to Chinese"
keys l

# Paused and idle: no timer may wake it.
pid=$(synfin_pid)
if [ -n "$pid" ] && [ -r "/proc/$pid/stat" ]; then
	a=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	sleep 5
	b=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	[ $((b - a)) -le 2 ]
	check $? "paused for 5 s it used $((b - a)) clock ticks of CPU"
else
	n=$((n + 1))
	echo "ok $n - CPU while paused # SKIP no /proc for the process"
fi

keys space
sleep 1
keys space
t capture-pane -e -p -t w >"$tmp/colour"
grep -q "$(printf '\033')\[[0-9;]*3[1-6]m" "$tmp/colour" ||
    grep -q "$(printf '\033')\[[0-9;]*38;5;[1-6]m" "$tmp/colour"
check $? "with colours, colours are used"
keys q
shows "EXIT=0"
check $? "q quits with status 0"
given_back
check $? "the terminal is given back: main screen, cursor shown"

start "NO_COLOR=1 TERM=tmux-256color" "$tmp/lesson.syn"
keys n n n
t capture-pane -e -p -t w >"$tmp/screen"
! grep -q "$(printf '\033')\[[0-9;]*3[0-7]m" "$tmp/screen" &&
    ! grep -q "$(printf '\033')\[[0-9;]*38;" "$tmp/screen"
check $? "NO_COLOR=1: no colour at all"
grep -q "$(printf '\033')\[[0-9;]*7m" "$tmp/screen"
check $? "and the selection and keys still stand out (reverse video)"
keys q

start "TERM=tmux-256color" "--lang zh $tmp/lesson.syn"
shows "客户端" && keys n n n n && shows "服务器回应 SYN"
check $? "--lang zh: Chinese interface and narration"
pid=$(synfin_pid)
kill -TERM "$pid" 2>/dev/null
shows "EXIT=143"
check $? "SIGTERM ends it with status 143"
given_back
check $? "and the terminal is given back"

start "TERM=tmux-256color" "$tmp/lesson.syn"
keys C-c
shows "EXIT=130"
check $? "Ctrl-C ends it with status 130, terminal given back"

# The menu, 160x60, with the lessons of the source tree and no progress.
lessons=${LESSONS_DIR:-${SRCDIR:-.}/lessons}
menu() {
	t kill-server 2>/dev/null
	runs=$((runs + 1))
	t new-session -d -s w -x 160 -y 60 "trap '' INT; env \
	    TERM=tmux-256color XDG_STATE_HOME='$tmp/state' \
	    LESSONS_DIR='$lessons' '$synfin' $1; echo EXIT=\$?; sleep 30"
	shows "synfin"
}
# Every lesson's title in a language is on the screen.
titles() {
	missing=0
	for f in "$lessons"/*.syn; do
		want=$(sed -n "s/^title $1 \"\(.*\)\"\$/\1/p" "$f" |
		    sed 's/\\"/"/g')
		if ! grep -qF -- "$want" "$tmp/screen"; then
			echo "# $1 title not shown: $want ($f)"
			missing=$((missing + 1))
		fi
	done
	return $missing
}
menu "--lang en"
shows "Opening a connection" && titles en
check $? "the menu at 160x60 shows every lesson's English title"
menu "--lang zh"
shows "建立连接" && titles zh
check $? "with --lang zh, every Chinese title"
keys l
shows "Opening a connection" && titles en
check $? "l switches the menu to English"
keys Enter
shows "CLIENT" && grep -q "q lessons" "$tmp/screen"
check $? "Enter opens the first lesson, and q will go back"
keys End
shows "question(s) skipped"
check $? "End passes over the question: the lesson says it was skipped"
keys q
shows "0 of [0-9]* finished" && ! grep -q "✓" "$tmp/screen"
check $? "back in the menu, a lesson with a question skipped is not finished"
keys Enter
i=0
while [ $i -lt 30 ] && ! grep -q "Press 1-" "$tmp/screen"; do
	keys n
	screen
	i=$((i + 1))
done
keys 2
keys End
keys q
shows "1 of [0-9]* finished" && grep -q "✓" "$tmp/screen"
check $? "answered, then to the end: the lesson is marked finished"
keys q
shows "EXIT=0" && grep -q "^handshake 1 " "$tmp/state/synfin/progress"
check $? "q quits; the progress file says it was finished"

for term in dumb no-such-terminal; do
	start "TERM=$term" "$tmp/lesson.syn" "EXIT="
	grep -q "EXIT=2" "$tmp/screen" &&
	    grep -q "^synfin: the terminal '$term' \(cannot move\|is not known\)" \
	    "$tmp/screen"
	check $? "TERM=$term: a clear message and status 2, not a blank screen"
done

out=$(timeout 5 "$synfin" "$tmp/lesson.syn" </dev/null 2>&1)
[ $? -eq 2 ] && echo "$out" | grep -q "needs a terminal"
check $? "stdin not a terminal: a clear message, status 2, no hang"

echo "1..$n"
