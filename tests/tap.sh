# Sourced by the shell tests: "check STATUS WHAT" prints a TAP line, and
# on failure the file named by $show (a screen, an error), as comments.
n=0
show=
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		if [ -n "$show" ] && [ -f "$show" ]; then
			sed 's/^/# /' "$show"
		fi
	fi
}

# A directory "$1/ro" that cannot be written, and in $run_as how to run a
# command that respects that: as root, which writes anywhere, by dropping
# to nobody (the parent "$1" is opened up for it).
read_only_dir() {
	mkdir "$1/ro"
	chmod 555 "$1/ro"
	if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
		run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		chmod 755 "$1"
	else
		run_as=""
	fi
}
