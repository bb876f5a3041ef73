#!/bin/sh
# make check-abuse: synfin used as nobody should, but somebody will.
# Storms of resizes while a lesson plays and while a question waits,
# floods of keys through a terminal, several synfins saving progress at
# once, a full disk and a read-only directory for the progress file.
# Nothing may crash or hang, the terminal is given back, no progress is
# lost, and a save that cannot be made is said on screen.  (Floods of
# datagrams are t-flood's, signals signals.sh's, killed saves
# t-catalog's: make check runs those.)  The disk tests need root (they
# mount a tmpfs); the terminal tests need tmux.
synfin=${SYNFIN:-$(pwd)/src/synfin}
srcdir=${SRCDIR:-.}
case "$srcdir" in /*) ;; *) srcdir="$(pwd)/$srcdir" ;; esac
lessons="$srcdir/lessons"
. "$srcdir/tests/tap.sh"
. "$srcdir/tests/term.sh"

# Random sizes, 1x1 to 200x70, one "WxH" a line.
sizes() {
	awk -v n="$1" -v seed="$2" 'BEGIN { srand(seed)
		for (i = 0; i < n; i++)
			printf "%d %d\n", 1 + int(rand() * 200), 1 + int(rand() * 70) }'
}
storm() {
	sizes "$1" "$2" | while read -r w h; do
		t resize-window -t w -x "$w" -y "$h" 2>/dev/null
	done
	t resize-window -t w -x 80 -y 24
}
# Alive and answering: a key that redraws, and the screen whole at 80x24.
alive() {
	keys Escape
	shows "$1" && [ "$(wc -L <"$tmp/screen")" -le 80 ]
}

start "TERM=tmux-256color" "$lessons/time-wait.syn"
keys space
storm 150 1
alive "CLIENT"
check $? "150 resizes while the lesson plays: it goes on, whole at 80x24"

# On to the first question, and a storm while it waits.
i=0
while [ $i -lt 40 ] && ! grep -q "Press 1-" "$tmp/screen"; do
	keys n
	screen
	i=$((i + 1))
done
storm 150 2
shows "Press 1-" && [ "$(wc -L <"$tmp/screen")" -le 80 ]
check $? "150 resizes while a question waits: the question is still there"
keys q
shows "EXIT=0" && given_back
check $? "and q quits with status 0, the terminal given back"

# A flood of keys: everything but q and Ctrl-C, 3000 of them.
flood=$(awk 'BEGIN { srand(3); k = "nbdDcrsil?+-_=123456789 hjkxaZ"
	for (i = 0; i < 3000; i++) printf "%s", substr(k, 1 + int(rand() * length(k)), 1) }')
start "TERM=tmux-256color" "$lessons/lost-syn.syn"
t send-keys -t w -l "$flood"
sleep 2
alive "synfin"
check $? "3000 keys at once in a lesson: still answering"
keys q
shows "EXIT=0" && given_back
check $? "and q quits with status 0"

start "TERM=tmux-256color" "--sandbox" "sandbox"
t send-keys -t w -l "$(echo "$flood" | cut -c1-400)"
sleep 2
alive "synfin"
check $? "400 keys at once in the sandbox: still answering"
keys q
shows "EXIT=0" && given_back
check $? "and q quits with status 0"

# Finishing a lesson: every question answered (1, where one waits; n
# does not pass it), then to the end.
finish=$(i=0; while [ $i -lt 150 ]; do printf '1 n '; i=$((i + 1)); \
    done; echo end)

# Several synfins finishing lessons at once: none of it is lost.
state="$tmp/state"
names="handshake abort half-close lost-syn time-wait keepalive header"
for name in $names; do
	# shellcheck disable=SC2086
	XDG_STATE_HOME="$state" LESSONS_DIR="$lessons" \
	    "$synfin" frames "$name" $finish >/dev/null 2>&1 &
done
wait
lost=""
for name in $names; do
	grep -q "^$name 1 " "$state/synfin/progress" 2>/dev/null ||
	    lost="$lost $name"
done
echo "lost:$lost" >"$tmp/err"
show="$tmp/err"
[ -z "$lost" ]
check $? "seven synfins finishing seven lessons at once: all seven kept"

# A full disk, and a read-only directory (root: a tmpfs of our own).
if [ "$(id -u)" = 0 ] && mkdir -p "$tmp/disk" &&
    mount -t tmpfs -o size=256k tmpfs "$tmp/disk" 2>/dev/null; then
	mkdir -p "$tmp/disk/synfin"
	printf 'handshake 1 1\n# mine\n' >"$tmp/disk/synfin/progress"
	dd if=/dev/zero of="$tmp/disk/fill" bs=4k 2>/dev/null
	# shellcheck disable=SC2086
	XDG_STATE_HOME="$tmp/disk" LESSONS_DIR="$lessons" LC_ALL=C.UTF-8 \
	    "$synfin" frames abort $finish dump >"$tmp/out" 2>&1
	status=$?
	show="$tmp/out"
	[ $status -eq 0 ] && grep -q "Progress not saved" "$tmp/out" &&
	    [ "$(cat "$tmp/disk/synfin/progress")" = "$(printf 'handshake 1 1\n# mine')" ] &&
	    [ ! -e "$tmp/disk/synfin/progress.new" ]
	check $? "a full disk: 'Progress not saved' on screen, the file as it was"
	rm -f "$tmp/disk/fill"
	mount -o remount,ro "$tmp/disk"
	# shellcheck disable=SC2086
	XDG_STATE_HOME="$tmp/disk" LESSONS_DIR="$lessons" LC_ALL=C.UTF-8 \
	    "$synfin" frames abort $finish dump >"$tmp/out" 2>&1
	status=$?
	[ $status -eq 0 ] && grep -q "Progress not saved.*Read-only" "$tmp/out"
	check $? "a read-only directory: said on screen, status 0"
	umount "$tmp/disk"
else
	n=$((n + 1))
	echo "ok $n - a full disk # SKIP needs root to mount a tmpfs"
	n=$((n + 1))
	echo "ok $n - a read-only directory # SKIP needs root to mount a tmpfs"
fi
echo "1..$n"
