#!/bin/sh
# Installs the C libraries the xnnpack package links against when built with
# -tags xnnpack (Debian/Ubuntu: XNNPACK, pthreadpool, cpuinfo), and the C
# compiler cgo needs. Idempotent: does nothing when the headers, libraries
# and compiler are already there.
set -eu
pkgs="libxnnpack-dev libpthreadpool-dev libcpuinfo-dev gcc libc6-dev"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "xnnpack deps already installed:$(printf ' %s' $pkgs)"
	exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
fi
$sudo apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
