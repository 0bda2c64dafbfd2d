#!/bin/sh
# Installs everything goerrfilt needs to build and test on Debian 12 (bookworm):
# the C libraries from bookworm, and Go 1.24 from Debian 13 through a pinned
# apt source so that nothing else is taken from trixie.
set -eu
export DEBIAN_FRONTEND=noninteractive
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
	build-essential pkg-config make git ca-certificates \
	libonig-dev libmsgpack-dev libzstd-dev zstd \
	clang libclang-rt-14-dev \
	python3 python3-jsonschema python3-msgpack \
	panicparse
# Hyperscan (the fast prefilter backend) is built for amd64 only.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
	$SUDO apt-get install -y --no-install-recommends libhyperscan-dev
fi

if [ ! -x /usr/lib/go-1.24/bin/go ]; then
	if ! apt-cache policy golang-1.24-go 2>/dev/null | grep -q 'Candidate: 1.24'; then
		echo 'deb http://deb.debian.org/debian trixie main' |
			$SUDO tee /etc/apt/sources.list.d/trixie.list >/dev/null
		printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' |
			$SUDO tee /etc/apt/preferences.d/trixie >/dev/null
		$SUDO apt-get update
	fi
	$SUDO apt-get install -y --no-install-recommends \
		golang-1.24-go/trixie golang-1.24-src/trixie
fi
/usr/lib/go-1.24/bin/go version
