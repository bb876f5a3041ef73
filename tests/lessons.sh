#!/bin/sh
# Every lesson is a test: it must run with every expect holding, in both
# languages, with a title and each say and ask in zh and in en.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
n=0

for f in "$srcdir"/lessons/*.syn; do
	name=$(basename "$f" .syn)
	for lang in en zh; do
		n=$((n + 1))
		if "$synfin" run --lang "$lang" "$f" >/dev/null 2>&1; then
			echo "ok $n - $name ($lang): every expect holds"
		else
			echo "not ok $n - $name ($lang): exit status $?"
		fi
	done
	n=$((n + 1))
	missing=""
	for kw in title say ask; do
		en=$(grep -c "^$kw en " "$f")
		zh=$(grep -c "^$kw zh " "$f")
		[ "$en" = "$zh" ] || missing="$missing $kw (en $en, zh $zh)"
	done
	[ "$(grep -c '^title ' "$f")" -ge 2 ] || missing="$missing title"
	if [ -z "$missing" ]; then
		echo "ok $n - $name: narration in both languages"
	else
		echo "not ok $n - $name: unpaired:$missing"
	fi
done
echo "1..$n"
