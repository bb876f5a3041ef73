#!/bin/sh
# The documents say true things: the README's example lesson runs with
# every expect holding, in both languages; the man page renders without a
# warning and names every command of the script language.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$srcdir/tests/tap.sh"
show="$tmp/err"

# The README's example lesson is the block fenced as ```synfin.
sed -n '/^```synfin$/,/^```$/p' "$srcdir/README.md" | sed '1d;$d' \
    >"$tmp/example.syn"
[ -s "$tmp/example.syn" ]
check $? "the README has an example lesson"
for lang in en zh; do
	"$synfin" run --lang "$lang" "$tmp/example.syn" >/dev/null 2>"$tmp/err"
	check $? "the README's example lesson runs, every expect holding ($lang)"
done
for kw in title say ask; do
	[ "$(grep -c "^$kw en " "$tmp/example.syn")" = \
	    "$(grep -c "^$kw zh " "$tmp/example.syn")" ]
	check $? "the example's $kw lines come in en/zh pairs"
done

if command -v man >/dev/null 2>&1; then
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$srcdir/synfin.1" \
	    >"$tmp/man" 2>"$tmp/err"
	[ $? = 0 ] && [ ! -s "$tmp/err" ] && grep -q "SCRIPT LANGUAGE" "$tmp/man"
	check $? "man -l synfin.1 renders without a warning"
else
	n=$((n + 1))
	echo "ok $n - man -l synfin.1 # SKIP man is not installed"
fi
missing=""
for kw in title group profile set listen accept connect send read \
    shutdown close abort keepalive exit crash reboot drop dup delay reorder \
    hold release wait say pause ask expect inject; do
	grep -q "\\(Ic\\|Cm\\) $kw\\b" "$srcdir/synfin.1" ||
	    missing="$missing $kw"
done
echo "missing:$missing" >"$tmp/err"
[ -z "$missing" ]
check $? "the man page names every command of the script language"
echo "1..$n"
