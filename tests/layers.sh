#!/bin/sh
# The layers of src/ (README, "Hacking") hold: a file includes only
# headers of its own layer or of a layer under it, and only the terminal
# layer may include curses or libevent.
#
#	src/core	the model, the journal and its readers: nothing above
#	src/view	draws on a canvas: core and view headers, no curses
#	src/export	files other tools read: core, view and export headers
#	src/term	curses and libevent, around the view
#	src/kernel	the kernel engine (Linux): core and kernel headers
#	src/synfin.c	main: anything
#
# The compiler enforces the first rule too (each layer's include path
# holds only what it may see); this says which line broke it, and checks
# what the include path cannot: system headers and the wall clock.
srcdir=${SRCDIR:-.}
src="$srcdir/src"
. "$srcdir/tests/tap.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
show="$tmp/bad"

# Lines of files in $1 that include a quoted header not found in any of
# the folders that follow (config.h is the build's own).
foreign() {
	layer=$1
	shift
	for f in "$src/$layer"/*.[ch]; do
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		while IFS= read -r line; do
			h=$(echo "$line" | sed 's/.*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/')
			[ "$h" = config.h ] && continue
			found=no
			for d in "$@"; do
				[ -f "$src/$d/$h" ] && found=yes
			done
			# Built headers: the state diagram's art.
			[ "$h" = diagram-art.h ] && [ "$layer" = view ] && found=yes
			[ $found = no ] && echo "$f:${line%%:*}: includes \"$h\""
		done
	done
}

foreign core core >"$tmp/bad"
[ ! -s "$tmp/bad" ]
check $? "src/core includes only core headers"
foreign view core view >"$tmp/bad"
[ ! -s "$tmp/bad" ]
check $? "src/view includes only core and view headers"
foreign export core view export >"$tmp/bad"
[ ! -s "$tmp/bad" ]
check $? "src/export includes only core, view and export headers"
foreign term core view export term >"$tmp/bad"
[ ! -s "$tmp/bad" ]
check $? "src/term includes only core, view, export and term headers"
foreign kernel core kernel >"$tmp/bad"
[ ! -s "$tmp/bad" ]
check $? "src/kernel includes only core and kernel headers"

grep -n '#[[:space:]]*include[[:space:]]*<\(n\?curses\|term\|event2/\|event\)' \
    "$src"/core/*.[ch] "$src"/view/*.[ch] "$src"/export/*.[ch] \
    "$src"/kernel/*.[ch] >"$tmp/bad"
[ ! -s "$tmp/bad" ]
check $? "no layer but the terminal (core, view, export, kernel) includes curses or libevent"

# Virtual time only: the core never reads a clock of the machine.
grep -n '\(clock_gettime\|gettimeofday\|[^_a-z]time([^)]\|localtime\)' \
    "$src"/core/*.[ch] "$src"/view/*.[ch] "$src"/export/*.[ch] >"$tmp/bad"
[ ! -s "$tmp/bad" ]
check $? "neither core, view nor export reads the wall clock"

# The check itself: a core file including a view header is caught.
mkdir -p "$tmp/src/core" "$tmp/src/view"
printf '#include "config.h"\n#include "ui.h"\n' >"$tmp/src/core/x.c"
: >"$tmp/src/view/ui.h"
real=$src
src="$tmp/src"
foreign core core >"$tmp/bad"
src=$real
grep -q 'x.c:2: includes "ui.h"' "$tmp/bad"
check $? "and a core file that includes a view header is caught"
echo "1..$n"
