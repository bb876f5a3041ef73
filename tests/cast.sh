#!/bin/sh
# synfin export --cast: an asciicast v2 file of the screen while a script
# plays.  Its header and events are well formed, its times never go
# back, and asciinema cat, replaying it in a terminal of its size, leaves
# the screen synfin frames shows at the same point (the lesson's end,
# every question answered right).  Skipped without tmux or asciinema.
synfin=${SYNFIN:-$(pwd)/src/synfin}
srcdir=${SRCDIR:-.}
lessons=$(cd "$srcdir/lessons" && pwd)
. "$srcdir/tests/tap.sh"
. "$srcdir/tests/term.sh"
if ! command -v asciinema >/dev/null 2>&1; then
	echo "1..0 # SKIP asciinema is not installed"
	exit 0
fi
export LC_ALL=C.UTF-8 LESSONS_DIR="$lessons"

cat >"$tmp/mine.syn" <<'SYN'
title en "Not in the repository"
set latency 30ms
say en "A handshake, then the server closes first."
say zh "先握手，然后服务器先关闭。"
server listen
client connect
wait 100ms
pause
server accept
server close
wait 100ms
client close
wait 100ms
SYN

for f in "$lessons/handshake.syn" "$tmp/mine.syn"; do
	name=$(basename "$f" .syn)
	"$synfin" export "$f" --cast "$tmp/$name.cast" 2>"$tmp/why"
	show="$tmp/why"
	head -n 1 "$tmp/$name.cast" |
	    grep -q '^{"version": 2, "width": 80, "height": 24, ' &&
	    tail -n +2 "$tmp/$name.cast" | awk '
		!/^\[[0-9]+\.[0-9]+, "o", ".*"\]$/ { bad = 1 }
		{ t = substr($1, 2) + 0; if (t < last) bad = 1; last = t; n++ }
		END { exit bad || n < 2 }'
	check $? "$name: asciicast v2, a header and events in time order"

	# Replayed without its last event (the terminal given back), the
	# screen is the one synfin frames shows at the end.
	head -n -1 "$tmp/$name.cast" >"$tmp/play.cast"
	t kill-server 2>/dev/null
	runs=$((runs + 1))
	t new-session -d -s w -x 80 -y 24 \
	    "asciinema cat $tmp/play.cast; sleep 30"
	sleep 2
	screen
	answer=$(grep '^ask en' "$f" | head -n 1)
	if [ -n "$answer" ]; then
		# The right choice's number, for synfin frames.
		right=$(echo "$answer" | awk '{
		    for (i = 1; i <= NF; i++) if ($i == "answer") a = $(i + 1)
		    for (i = 1; i <= NF; i++) if ($i == "choices") c = i
		    for (i = c + 1; i <= NF; i++) if ($i == a) { print i - c; exit } }')
		keys=$(i=0; while [ $i -lt 40 ]; do printf '%s n ' "$right"; \
		    i=$((i + 1)); done)
	else
		keys=$(i=0; while [ $i -lt 40 ]; do printf 'n '; \
		    i=$((i + 1)); done)
	fi
	# shellcheck disable=SC2086
	"$synfin" frames "$f" $keys dump | tail -n 24 >"$tmp/want"
	show="$tmp/diff"
	diff "$tmp/want" "$tmp/screen" >"$tmp/diff"
	check $? "$name: asciinema cat replays it to the screen synfin showed"
done
echo "1..$n"
