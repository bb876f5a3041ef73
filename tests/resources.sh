#!/bin/sh
# Out of file descriptors (ulimit -n), synfin says why and exits 2 with
# nothing leaked, whether it was to run a script, show one, or open a
# lesson from the menu; under the sanitizer build (--enable-debug) a
# leak fails these.
synfin=${SYNFIN:-$(pwd)/src/synfin}
srcdir=${SRCDIR:-.}
. "$srcdir/tests/tap.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
show="$tmp/err"
lesson="$srcdir/lessons/handshake.syn"

(ulimit -n 5; "$synfin" run "$lesson") >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && [ ! -s "$tmp/out" ] &&
    grep -q 'synfin: the loopback socket pair: socket: Too many open files' \
    "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]
check $? "synfin run: the socket pair cannot be opened, said in one line, exit 2"

(ulimit -n 5; "$synfin" frames "$lesson" dump) >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'the loopback socket pair' "$tmp/err" &&
    [ "$(wc -l <"$tmp/err")" -eq 1 ]
check $? "opening a lesson: the same, exit 2"

# Room for the menu to read its lessons (a directory and a file at a
# time), none for the socket pair; what the test harness left open is
# closed first.
(exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; ulimit -n 6;
    XDG_STATE_HOME="$tmp/state" LESSONS_DIR="$srcdir/lessons" \
    LC_ALL=C.UTF-8 "$synfin" frames --menu enter dump enter dump) \
    >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] && [ ! -s "$tmp/err" ] &&
    grep -q 'Cannot open the lesson: the loopback socket pair' "$tmp/out" &&
    grep -q 'synfin · Lessons' "$tmp/out"
check $? "from the menu: the lesson cannot open, the menu says why and stays"
echo "1..$n"
