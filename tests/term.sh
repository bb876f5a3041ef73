# Sourced by the tests that run synfin in a terminal, as a person does:
# each run in a tmux window of its own server, keys sent with send-keys,
# the screen read with capture-pane.  Needs $synfin and tap.sh; skips the
# whole test without tmux.
if ! command -v tmux >/dev/null 2>&1; then
	echo "1..0 # SKIP tmux is not installed"
	exit 0
fi
tmp=$(mktemp -d) || exit 1
# Each run gets its own server: a server being killed cannot take the
# next run with it.
runs=0
t() { tmux -S "$tmp/s$runs" -f /dev/null "$@"; }
trap 't kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
show="$tmp/screen"

screen() { t capture-pane -p -t w >"$tmp/screen"; }
# Wait (up to 5 s) until the screen shows a pattern.
shows() {
	i=0
	while [ $i -lt 50 ]; do
		screen
		grep -q -e "$1" "$tmp/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# Send keys and let a step's animation (at most 0.35 s) end.
keys() { t send-keys -t w "$@"; sleep 0.5; }
# Start "synfin ARGS" in a fresh window with environment ENV ($1) and
# arguments ARGS ($2); what follows it reports how it ended (EXIT=N).
# The shell around it ignores SIGINT and SIGQUIT, so that it lives to say
# how synfin ended; synfin sets its own handlers.  Waits for WAIT ($3,
# else CLIENT) on the screen.
start() {
	t kill-server 2>/dev/null
	runs=$((runs + 1))
	rm -f "$tmp/pid"
	t new-session -d -s w -x 80 -y 24 "trap '' INT QUIT; sh -c 'echo \$\$ \
	    >\"$tmp/pid\"; exec env $1 \"$synfin\" $2'; \
	    echo EXIT=\$?; sleep 30"
	shows "${3:-CLIENT}"
}
# The pid of the synfin that start() ran.
synfin_pid() { cat "$tmp/pid" 2>/dev/null; }
# The terminal as synfin left it: main screen, cursor shown.
given_back() {
	[ "$(t display -p -t w '#{alternate_on}#{cursor_flag}')" = 01 ]
}
