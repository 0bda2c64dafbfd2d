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
	python3 python3-jsonschema python3-msgpack libxml2-utils \
	panicparse ripgrep
# Hyperscan (the fast prefilter backend) is built for amd64 only.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
	$SUDO apt-get install -y --no-install-recommends libhyperscan-dev
fi

# Log daemons for the contrib/ tests (tests/contrib.sh runs real ones in the
# foreground under a temp dir).  syslog-ng-core and rsyslog Conflict with each
# other (both Provide system-log-daemon), and installing either would replace
# the machine's own logger and register a system service, so neither is
# installed with dpkg: the bookworm packages are fetched with apt-get download
# and unpacked under /opt/goerrfilt-contrib/NAME (no service, no conffiles in
# /etc, nothing registered); their shared libraries come from bookworm.
CONTRIB_ROOT=${GOERRFILT_CONTRIB_ROOT:-/opt/goerrfilt-contrib}
$SUDO apt-get install -y --no-install-recommends \
	libivykis0 libnet1 libwrap0 libjson-c5 libpcre3 libcap2 libglib2.0-0 \
	libestr0 libfastjson4 liblognorm5 libuuid1 python3-yaml
for pkg in syslog-ng-core:3.38.1- rsyslog:8.2302.0-; do
	name=${pkg%%:*}
	want=${pkg#*:}
	have=$(cat "$CONTRIB_ROOT/$name/VERSION" 2>/dev/null || true)
	case "$have" in "$want"*) continue ;; esac
	ver=$(apt-cache policy "$name" | sed -n 's/^ *Candidate: //p')
	case "$ver" in "$want"*) ;; *)
		echo "setup.sh: $name candidate is '$ver', want $want* from bookworm" >&2
		exit 1 ;;
	esac
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download "$name=$ver")
	$SUDO rm -rf "$CONTRIB_ROOT/$name"
	$SUDO mkdir -p "$CONTRIB_ROOT/$name"
	$SUDO dpkg-deb -x "$tmp"/*.deb "$CONTRIB_ROOT/$name"
	echo "$ver" | $SUDO tee "$CONTRIB_ROOT/$name/VERSION" >/dev/null
	rm -rf "$tmp"
done

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
# Other Go releases, for goerrfilt-repro's --go and for captures where the
# output format changed: 1.23 from bookworm-backports, 1.25, 1.26 and 1.27 from
# trixie-backports (1.27 is the current release), each pinned low so nothing
# else comes from there.
# GOERRFILT_ONLY_GO124=1 skips them.
if [ "${GOERRFILT_ONLY_GO124:-}" != 1 ]; then
	need_update=
	if [ ! -f /etc/apt/sources.list.d/bookworm-backports.list ]; then
		echo 'deb http://deb.debian.org/debian bookworm-backports main' |
			$SUDO tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
		need_update=1
	fi
	if [ ! -f /etc/apt/sources.list.d/trixie-backports.list ]; then
		echo 'deb http://deb.debian.org/debian trixie-backports main' |
			$SUDO tee /etc/apt/sources.list.d/trixie-backports.list >/dev/null
		printf 'Package: *\nPin: release n=trixie-backports\nPin-Priority: 100\n' |
			$SUDO tee /etc/apt/preferences.d/trixie-backports >/dev/null
		need_update=1
	fi
	[ -z "$need_update" ] || $SUDO apt-get update
	for v in 1.23/bookworm-backports 1.25/trixie-backports 1.26/trixie-backports 1.27/trixie-backports; do
		ver=${v%/*}
		rel=${v#*/}
		[ -x /usr/lib/go-$ver/bin/go ] && continue
		$SUDO apt-get install -y --no-install-recommends \
			golang-$ver-go/$rel golang-$ver-src/$rel
	done
fi
for g in /usr/lib/go-1.2[0-9]/bin/go; do "$g" version; done
