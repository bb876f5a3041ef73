#!/bin/sh
# Generate ./configure from configure.ac and Makefile.am.
#
#   ./autogen.sh                  generate only
#   ./autogen.sh --install-deps   first install what the build needs
#                                 (Debian/Ubuntu packages, through apt-get)
set -e
cd "$(dirname "$0")"

# What the build needs, as Debian packages; the command each one provides,
# so that nothing is installed when it is already there.
# tmux runs the end-to-end test of the screen (make check); tcpdump reads
# the pcap exports back and asciinema replays the casts in make check.
deps="autoconf:autoconf automake:automake pkg-config:pkg-config tmux:tmux
    tcpdump:tcpdump asciinema:asciinema"
libs="libevent-dev:libevent_core libncurses-dev:ncursesw libpcap-dev:libpcap"

install_deps() {
	missing=""
	for d in $deps; do
		command -v "${d#*:}" >/dev/null 2>&1 || missing="$missing ${d%%:*}"
	done
	for d in $libs; do
		if ! command -v pkg-config >/dev/null 2>&1 ||
		   ! pkg-config --exists "${d#*:}"; then
			missing="$missing ${d%%:*}"
		fi
	done
	[ -n "$missing" ] || return 0
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "autogen.sh: please install:$missing" >&2
		exit 1
	fi
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	echo "autogen.sh: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	# A fresh machine may have no package lists yet: update only when an
	# install fails for want of them.
	$sudo apt-get install -y -q $missing >/dev/null 2>&1 ||
		{ $sudo apt-get update -q >/dev/null &&
		  $sudo apt-get install -y -q $missing >/dev/null; }
}

[ "$1" = "--install-deps" ] && install_deps
autoreconf --install --force >/dev/null 2>&1 || autoreconf --install --force
echo "autogen.sh: now run ./configure"
