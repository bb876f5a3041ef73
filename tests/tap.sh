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
