#!/bin/sh
# The differential measure (issue 15): random scripts, not in the
# repository, run by synfin run --engine kernel on this machine's kernel,
# which prints a DIFF line wherever the linux profile sends otherwise.
# Calls, a lost segment now and then, writes of 100 B to 256 KiB, and
# the two closes.  A figure, not a verdict, until the model matches:
# "differ: A of N scripts agree with the kernel, R more differ where the
# kernel's own runs do (L of them as one of its runs)": a differing
# script is run up to ten times more on the kernel, and if its segments
# change from run to run, that is a race of the kernel's timers or of
# its clock; L counts those where synfin sends what one of the later
# runs sent.  Then "T more where its calls ran late" (synfin, given the
# kernel's own call times, sends what it sent: see retimed below), "P
# more where its clock stood elsewhere in its tick" (see other_phase),
# "G more where its runs differ with the machine loaded (H of them as
# one of those runs)" (see load_race), with
# each differing script and its DIFF lines as comments, and the scripts
# kept in $DIFFER_KEEP (if set) to record with tests/kreplay.
# DIFFER_N scripts (30), DIFFER_SEED (the date), DIFFER_MAX the largest
# write (262144: the sizes above it are left out, so 10000 measures loss
# and recovery inside one window); DIFFER_DRY=1 prints the scripts and
# runs nothing.  Needs root; part of make
# check-live.
synfin=${SYNFIN:-$(pwd)/src/synfin}
N=${DIFFER_N:-30}
SEED=${DIFFER_SEED:-$(date +%Y%m%d)}
tmp=$(mktemp -d) || exit 1
hog=
trap 'rm -rf "$tmp"; [ -z "$hog" ] || kill "$hog" 2>/dev/null' EXIT INT TERM

# The scripts: one awk program makes all N from the seed.
MAX=${DIFFER_MAX:-262144}
awk -v n="$N" -v seed="$SEED" -v max="$MAX" -v dir="$tmp" \
    -v base=$((21000 + $$ % 9000 * 2)) '
function pick(a, k) { return a[int(rand() * k) + 1] }
BEGIN {
	srand(seed)
	k = split("100 536 1000 4096 10000 40000 65483 70000 131072 200000 " \
	    "262144", all, " ")
	nsize = 0
	for (i = 1; i <= k; i++)
		if (all[i] + 0 <= max + 0)
			size[++nsize] = all[i]
	split("client server", side, " ")
	for (i = 1; i <= n; i++) {
		f = sprintf("%s/d%03d.syn", dir, i)
		port = base + 2 * i
		printf "# differ %d (seed %s)\n", i, seed > f
		printf "set addr client 127.0.0.1:%d\n", port > f
		printf "set addr server 127.0.0.1:%d\n", port + 1 > f
		print "server listen\nclient connect\nserver accept\nwait 50ms" > f
		ops = 2 + int(rand() * 4)
		for (k = 0; k < ops; k++) {
			s = pick(side, 2)
			if (rand() < 0.3)
				printf "drop next %s ACK\n", s == "client" ? \
				    "c2s" : "s2c" > f
			printf "%s send %d\n", s, pick(size, nsize) > f
			r = rand()
			if (r < 0.5)
				printf "%s read\n", s == "client" ? \
				    "server" : "client" > f
			printf "wait %dms\n", r < 0.25 ? 1 : 50 > f
		}
		print "server read\nclient read" > f
		first = pick(side, 2)
		if (rand() < 0.2)
			printf "drop next %s ACK\n", first == "client" ? \
			    "c2s" : "s2c" > f
		printf "%s close\nwait %dms\n", first, rand() < 0.5 ? 1 : 50 > f
		printf "%s close\nwait 1500ms\n", \
		    first == "client" ? "server" : "client" > f
		close(f)
	}
}'

if [ -n "$DIFFER_DRY" ]; then
	cat "$tmp"/d*.syn
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "differ: skipped: needs root (the kernel on lo, nft for drops)"
	exit 0
fi
if ! command -v nft >/dev/null 2>&1; then
	echo "differ: skipped: needs nft (Debian's nftables) for drops"
	exit 0
fi

# A script that differs runs up to ten times more on the kernel, on
# other ports (its own are in TIME_WAIT): if the kernel's own segments
# are not the same each time, the difference is a race, counted apart and
# said so: of the kernel's timers (a delayed ACK against a probe, a few
# ms either way), or of its clock (a reader's copy against the receive
# RTT, which decides whether the buffer grows during one read; some of
# those come out one way in eight runs of ten, so five more runs were
# too few to see it).
. "${SRCDIR:-$(dirname "$0")/..}/tests/segs.sh"

# Some races an idle machine does not show: how long a copy or a round
# trip on lo takes against a receive RTT the kernel measured on lo (tens
# of microseconds) decides, for one, whether it measures a reader's pace
# again within one read and grows the buffer (tcp_rcv_space_adjust, after
# each buffer copied, by the clock).  The same read goes both ways on one
# machine (79 us against 67 grew, 39 against 92 did not), and a script
# that always grows on one machine is a race on another.  So a script
# still unexplained runs up to eight times more with the machine loaded
# beside it: a busy loop, then a memory copy (dd from /dev/zero), each on
# the CPU the kernel runs on and on another.  The first run that ran to
# its end and sent other segments than the first ($tmp/k0) counts it as
# a race of the clock: which run, and what ran beside it, with "; synfin
# sends what that run sent" if it did (the kernel engine then agrees,
# status 0); or nothing and false.
load_race() {
	cpus=$(nproc 2>/dev/null || echo 1)
	pin=
	command -v taskset >/dev/null 2>&1 && pin="taskset -c 0" || cpus=1
	n=0
	for what in busy mem; do
		for cpu in 0 1; do
			[ "$cpu" -lt "$cpus" ] || continue
			for r in 1 2; do
				n=$((n + 1))
				moved "$f" $((6500 + 2000 * n))
				case $what in
				busy)	beside="a busy loop"
					${pin:+taskset -c $cpu} timeout 60 \
					    sh -c 'while :; do :; done' & ;;
				mem)	beside="a memory copy"
					${pin:+taskset -c $cpu} timeout 60 \
					    dd if=/dev/zero of=/dev/null bs=4M \
					    2>/dev/null & ;;
				esac
				hog=$!
				$pin "$synfin" run --engine kernel \
				    "$tmp/again.syn" >"$tmp/l" 2>/dev/null
				st=$?
				kill "$hog" 2>/dev/null
				wait "$hog" 2>/dev/null
				hog=
				said="run $n, $beside on CPU $cpu beside it"
				if [ $st -eq 0 ]; then
					echo "$said; synfin sends what that" \
					    "run sent"
					return 0
				fi
				segs <"$tmp/l" >"$tmp/ls"
				if [ $st -eq 1 ] && ! cmp -s "$tmp/k0" "$tmp/ls"
				then
					echo "$said"
					return 0
				fi
			done
		done
	done
	return 1
}

# Where in its 4 ms tick the kernel's clock stands as a script begins is
# chance, and it decides which of two timers due close together fires
# first (a delayed ACK owed with nothing learned goes on the next tick,
# 0 to 5 ms on).  synfin's ticks fall 0.5 ms past each 4 ms unless a
# script sets tick-phase: the first other phase at which the model sends
# what the kernel sent ($tmp/k0) for script $1, in microseconds, or
# nothing.
other_phase() {
	for ph in 0 1000 1500 2000 2500 3000 3500; do
		{ echo "set tick-phase ${ph}us"; cat "$1"; } >"$tmp/phase.syn"
		"$synfin" run "$tmp/phase.syn" 2>/dev/null | segs >"$tmp/pk"
		if cmp -s "$tmp/k0" "$tmp/pk"; then
			echo "$ph"
			return
		fi
	done
}

# A call on the kernel takes time (a read of 256 KiB with what its ACKs
# bring meanwhile, about a millisecond; an nft rule for a drop, most of
# one) where synfin's take none, so the kernel's calls can fall behind
# the script's clock until its next wait catches up, and a timer due in
# that gap fires on the other side of a call.  The script $1 with each
# call where the kernel's run ($tmp/out) made it, a wait in microseconds
# before it and a drop rule just before the call after it, with the
# tick phase $2 (microseconds) if given, as $tmp/retimed.syn.
retimed() {
	{ [ -z "$2" ] || echo "set tick-phase ${2}us"
	awk '
	FNR == NR { if ($1 == "CALL") t[++nt] = $2 * 1000; next }
	/^(client|server) / {
		at = t[++nc]
		if (nc <= nt && at > now) {
			printf "wait %dus\n", at - now
			now = at
		}
		printf "%s", rules
		rules = ""
		print
		next
	}
	/^wait / { if (nc >= nt) print; next }
	/^(drop|dup|delay|clear) / { rules = rules $0 "\n"; next }
	{ print }
	END { printf "%s", rules }' "$tmp/out" "$1"; } >"$tmp/retimed.syn"
}

# Whether synfin, run with the kernel's call times, sends what the
# kernel sent ($tmp/k0) for script $1: "" (at synfin's own tick phase)
# or the phase in microseconds at which it does, or nothing and false.
kernel_times() {
	for ph in "" 0 1000 1500 2000 2500 3000 3500; do
		retimed "$1" "$ph"
		"$synfin" run "$tmp/retimed.syn" 2>/dev/null | segs >"$tmp/pk"
		if cmp -s "$tmp/k0" "$tmp/pk"; then
			echo "$ph"
			return 0
		fi
	done
	return 1
}

# The script $1 again as $tmp/again.syn, its ports moved on by $2.
moved() {
	awk -v by="$2" '/^set addr/ { split($4, a, ":");
	    $4 = a[1] ":" a[2] + by } { print }' "$1" >"$tmp/again.syn"
	chmod 644 "$tmp/again.syn"
}
agree=0
races=0
alike=0
late=0
phases=0
loaded=0
loadlike=0
i=0
for f in "$tmp"/d*.syn; do
	i=$((i + 1))
	chmod 644 "$f"
	ran=$f
	"$synfin" run --engine kernel "$f" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ $status -eq 2 ] && grep -q 'run again' "$tmp/err"; then
		# The capture fell behind (lo busy): once more, other ports.
		moved "$f" 5000
		cp "$tmp/again.syn" "$tmp/ran.syn"
		ran=$tmp/ran.syn
		"$synfin" run --engine kernel "$ran" >"$tmp/out" \
		    2>"$tmp/err"
		status=$?
	fi
	if [ $status -eq 0 ]; then
		agree=$((agree + 1))
		continue
	fi
	race=
	like=
	if [ $status -eq 1 ]; then
		segs <"$tmp/out" >"$tmp/k0"
		"$synfin" run "$ran" 2>/dev/null | segs >"$tmp/m"
		for r in 1 2 3 4 5 6 7 8 9 10; do
			moved "$f" $((5000 + 2000 * r))
			"$synfin" run --engine kernel "$tmp/again.syn" \
			    2>/dev/null | segs >"$tmp/k$r"
			cmp -s "$tmp/m" "$tmp/k$r" && like=$((r + 1))
			cmp -s "$tmp/k0" "$tmp/k$r" || { race=yes; break; }
		done
	fi
	if [ -n "$race" ]; then
		races=$((races + 1))
		[ -n "$like" ] && alike=$((alike + 1))
		echo "# differ $i: differs, and the kernel's own runs differ" \
		    "among themselves (run $((r + 1))): a timing race$(
		    [ -z "$like" ] || echo "; synfin sends what run $like sent")"
	elif [ $status -eq 1 ] && ph=$(kernel_times "$ran"); then
		late=$((late + 1))
		echo "# differ $i: differs, where the kernel's calls ran" \
		    "late: with the kernel's own call times$(
		    [ -z "$ph" ] || echo " and set tick-phase ${ph}us")" \
		    "synfin sends what it sent"
	elif [ $status -eq 1 ] && ph=$(other_phase "$ran") && [ -n "$ph" ]; then
		phases=$((phases + 1))
		echo "# differ $i: differs, where the kernel's clock stood" \
		    "elsewhere in its tick: with set tick-phase ${ph}us" \
		    "synfin sends what it sent"
	elif [ $status -eq 1 ] && load=$(load_race); then
		loaded=$((loaded + 1))
		case $load in *synfin*) loadlike=$((loadlike + 1)) ;; esac
		echo "# differ $i: differs, and the kernel's runs differ with" \
		    "the machine loaded (${load%%;*}): a race of its clock$(
		    case $load in *synfin*) echo "; ${load#*; }" ;; esac)"
	else
		echo "# differ $i: $(if [ $status -eq 1 ]; then echo differs;
		    else echo "could not run: $(head -1 "$tmp/err")"; fi)"
	fi
	grep -v '^#' "$f" | sed 's/^/#   | /'
	grep '^DIFF' "$tmp/out" | head -8 | sed 's/^/#   /'
	[ -n "$DIFFER_KEEP" ] && mkdir -p "$DIFFER_KEEP" &&
	    cp "$f" "$DIFFER_KEEP/differ-$SEED-$i.syn"
done
echo "differ: $agree of $i scripts agree with the kernel, $races more" \
    "differ where the kernel's own runs do ($alike of them as one of its" \
    "runs), $late more where its calls ran late, $phases more where its" \
    "clock stood elsewhere in its tick, $loaded more where its runs differ" \
    "with the machine loaded ($loadlike of them as one of those runs)" \
    "(seed $SEED, writes up to $MAX)"
exit 0
