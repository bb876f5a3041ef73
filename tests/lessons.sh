#!/bin/sh
# Every lesson is a test: it must run with every expect holding, in both
# languages, with a title, a menu group, and each say and ask in zh and
# in en.  Then the course as a whole: what the lesson library promises.
srcdir=${SRCDIR:-.}
. "$srcdir/tests/tap.sh"
synfin=${SYNFIN:-$(pwd)/src/synfin}
lessons=0
asking=0
dropping=0


for f in "$srcdir"/lessons/*.syn; do
	name=$(basename "$f" .syn)
	lessons=$((lessons + 1))
	for lang in en zh; do
		"$synfin" run --lang "$lang" "$f" >/dev/null 2>&1
		rc=$?
		check $rc "$name ($lang): every expect holds (exit $rc)"
	done
	missing=""
	for kw in title say ask; do
		en=$(grep -c "^$kw en " "$f")
		zh=$(grep -c "^$kw zh " "$f")
		[ "$en" = "$zh" ] || missing="$missing $kw (en $en, zh $zh)"
	done
	[ "$(grep -c '^title ' "$f")" -ge 2 ] || missing="$missing title"
	[ -z "$missing" ]
	check $? "$name: narration in both languages${missing:+, unpaired:$missing}"
	grep -q '^group \(opening\|closing\|failures\|details\)' "$f"
	check $? "$name: a group in the menu"
	grep -q "lessons/$name\.syn" "$srcdir/Makefile.am"
	check $? "$name: listed in Makefile.am, so it is installed"
	grep -q '^ask en ' "$f" && asking=$((asking + 1))
	grep -q '^drop ' "$f" && dropping=$((dropping + 1))
done

# The whole course at once, as the issue asks: synfin run lessons/*.
"$synfin" run "$srcdir"/lessons/*.syn >/dev/null 2>&1
check $? "synfin run lessons/*: every lesson's expectations hold"
[ "$lessons" -ge 18 ]
check $? "at least 18 lessons ($lessons)"
[ "$asking" -ge 12 ]
check $? "at least 12 lessons ask a question ($asking)"
[ "$dropping" -ge 5 ]
check $? "at least 5 lessons drop a segment ($dropping)"
echo "1..$n"
