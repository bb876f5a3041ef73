#!/bin/sh
# synfin export: what other tools read.  For each scenario (those with
# refused datagrams aside) and a script written here, not in the
# repository:
#   --pcap: tcpdump reads it; one packet per segment sent, in order, with
#     the trace's flags and (after the handshake) its seq and ack, every
#     IP and TCP checksum correct; --no-dropped leaves the lost ones out;
#   --ladder: one arrow per segment, each with its time in the margin;
#   --narration: Markdown, a heading per step that says something.
# And a file that cannot be written is said, with nothing left behind.
srcdir=${SRCDIR:-.}
synfin=${SYNFIN:-$(pwd)/src/synfin}
. "$srcdir/tests/tap.sh"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
show="$tmp/why"

cat >"$tmp/mine.syn" <<'SYN'
# Not in the repository: data both ways, a lost FIN, a copy, a delay.
set latency 15ms
server listen
client connect
wait 100ms
server accept
client send 1000
server send 300
wait 100ms
server read
client read
drop next s2c
dup next c2s .
server close
wait 2s
client close
wait 3s
SYN

# The trace's segments: "[flags] seq ack", the seq of a bare ACK as "-".
trace_segs() {
	"$synfin" run "$1" 2>/dev/null | awk '
	    $1 == "SEG" && $NF == "sent" { n++; flags[n] = $4; seq[n] = "";
		ack[n] = ""; len = 0; for (i = 5; i <= NF; i++) {
		    if ($i ~ /^seq=/) seq[n] = substr($i, 5);
		    if ($i ~ /^ack=/) ack[n] = substr($i, 5);
		    if ($i ~ /^len=/) len = substr($i, 5) + 0 }
		if (flags[n] == "." && len == 0) seq[n] = "-" }
	    END { for (i = 1; i <= n; i++)
		printf "[%s] %s%s\n", flags[i], seq[i],
		    ack[i] == "" ? "" : " " ack[i] }'
}

# What tcpdump read, numbered as the trace numbers: each direction's
# numbers less its base (its first segment's seq, or its latest SYN's;
# the base before that for a number nearer it), from tcpdump -S's
# absolute ones; a bare ACK's seq, which tcpdump leaves out, as "-"; a
# RST+ACK's seq 0, no place in any stream, as 0.
pcap_segs() {
	tcpdump -S -nn -r "$1" 2>/dev/null | awk '
	    function dist(v, b,   d) {
		d = (v - b + 4294967296) % 4294967296
		return d > 2147483648 ? 4294967296 - d : d }
	    function rel(v, d,   b) {
		if (d in base) {
		    b = base[d]
		    if ((d in prev) && dist(v, prev[d]) < dist(v, b))
			b = prev[d]
		    v = (v - b + 4294967296) % 4294967296 }
		return sprintf("%.0f", v) }
	    {
	    f = ""; s = ""; a = ""
	    src = $3; dst = $5; sub(/:$/, "", dst)
	    dir = src ">" dst; back = dst ">" src
	    for (i = 1; i <= NF; i++) {
		if ($i == "Flags") f = $(i + 1)
		if ($i == "seq") { s = $(i + 1); sub(/,$/, "", s); sub(/:.*/, "", s) }
		if ($i == "ack") { a = $(i + 1); sub(/,$/, "", a) } }
	    sub(/,$/, "", f)
	    if (s != "" && (!(dir in base) || (f ~ /S/ && s != base[dir]))) {
		if (dir in base) prev[dir] = base[dir]
		base[dir] = s }
	    # A reset with SEQ=0 (RFC 9293 3.10.7.1) is shown as 0.
	    if (s == "") out = f " -"
	    else if (f ~ /R/ && f ~ /\./ && s == "0") out = f " 0"
	    else out = f " " rel(s, dir)
	    if (a != "") out = out " " rel(a, back)
	    print out }'
}

if ! command -v tcpdump >/dev/null 2>&1; then
	n=$((n + 1))
	echo "ok $n - pcap exports # SKIP tcpdump is not installed"
else
	for f in "$srcdir"/tests/scenarios/*.syn "$tmp/mine.syn"; do
		name=$(basename "$f" .syn)
		"$synfin" run "$f" 2>/dev/null | grep -q ' ignored' && continue
		"$synfin" export "$f" --pcap "$tmp/$name.pcap" 2>"$tmp/why"
		trace_segs "$f" >"$tmp/want"
		pcap_segs "$tmp/$name.pcap" >"$tmp/got"
		# A segment the script injects does not set a direction's
		# base in the trace, and tcpdump cannot tell it from the
		# rest: there, the flags alone.
		if grep -q '^inject' "$f"; then
			cut -d ' ' -f 1 "$tmp/want" >"$tmp/w" && mv "$tmp/w" "$tmp/want"
			cut -d ' ' -f 1 "$tmp/got" >"$tmp/g" && mv "$tmp/g" "$tmp/got"
		fi
		tcpdump -nn -vv -r "$tmp/$name.pcap" >"$tmp/vv" 2>/dev/null
		good=$(grep -c '(correct)' "$tmp/vv")
		diff -u "$tmp/want" "$tmp/got" >"$tmp/why" 2>&1 &&
		    [ -s "$tmp/want" ] &&
		    [ "$good" = "$(wc -l <"$tmp/want" | tr -d ' ')" ] &&
		    ! grep -q 'bad cksum\|incorrect' "$tmp/vv"
		check $? "$name: tcpdump reads the pcap: $good segments as the trace has them, checksums correct"
	done
	"$synfin" export "$tmp/mine.syn" --no-dropped --pcap "$tmp/kept.pcap"
	all=$(tcpdump -nn -r "$tmp/mine.pcap" 2>/dev/null | wc -l)
	kept=$(tcpdump -nn -r "$tmp/kept.pcap" 2>/dev/null | wc -l)
	lost=$("$synfin" run "$tmp/mine.syn" | grep -c ' dropped$')
	[ "$lost" -gt 0 ] && [ "$kept" -eq $((all - lost)) ]
	check $? "--no-dropped leaves out the $lost lost segment(s): $kept of $all"
fi

# The ladder: every segment's label, each on a line with its time.
"$synfin" export "$tmp/mine.syn" --ladder "$tmp/ladder.txt" 2>"$tmp/why"
"$synfin" run "$tmp/mine.syn" | awk '$1 == "SEG" && $NF == "sent" {
    n++; t = $2; sub(/0+$/, "", t); sub(/\.$/, "", t)
    print "#" n " " t "ms" }' >"$tmp/arrows"
: >"$tmp/why"
while read -r id t; do
	grep -q "^ *$t .*$id " "$tmp/ladder.txt" ||
	    echo "no line with $t and $id" >>"$tmp/why"
done <"$tmp/arrows"
[ -s "$tmp/arrows" ] && [ ! -s "$tmp/why" ] &&
    [ "$(grep -c '#[0-9]* ' "$tmp/ladder.txt")" -ge "$(wc -l <"$tmp/arrows")" ]
check $? "the ladder: $(wc -l <"$tmp/arrows" | tr -d ' ') arrows, each with its time"
"$synfin" export "$tmp/mine.syn" --ascii --ladder "$tmp/ascii.txt" &&
    ! LC_ALL=C grep -q '[^ -~]' "$tmp/ascii.txt"
check $? "--ascii: the ladder in ASCII only"
"$synfin" export --lang zh "$srcdir/lessons/handshake.syn" \
    --ladder "$tmp/zh.txt" && grep -q '重传\|SYN_SENT' "$tmp/zh.txt"
check $? "--lang zh: the ladder of a lesson in Chinese"

# The narration as Markdown.
"$synfin" export "$srcdir/lessons/lost-syn.syn" --narration "$tmp/n.md" &&
    head -n 1 "$tmp/n.md" | grep -q '^# A lost SYN$' &&
    grep -q '^## Step [0-9]* · [0-9.]* s$' "$tmp/n.md" &&
    grep -q 'is lost on the way' "$tmp/n.md" &&
    grep -q '^> \*\*Question:\*\*' "$tmp/n.md"
check $? "the narration: a title, a heading per step, the questions"
"$synfin" export --lang zh "$srcdir/lessons/lost-syn.syn" \
    --narration "$tmp/zh.md" && grep -q '^## 第 [0-9]* 步' "$tmp/zh.md" &&
    grep -q '在途中丢失' "$tmp/zh.md"
check $? "and in Chinese"

# Nothing half-written: a directory that cannot be written.
read_only_dir "$tmp"
$run_as "$synfin" export "$tmp/mine.syn" --pcap "$tmp/ro/x.pcap" \
    --narration "$tmp/ro/x.md" >/dev/null 2>"$tmp/why"
status=$?
[ $status -eq 2 ] && grep -q '^synfin: export: .*ro/x' "$tmp/why" &&
    [ -z "$(ls "$tmp/ro")" ]
check $? "a directory that cannot be written: said, status 2, no file left"
echo "1..$n"
