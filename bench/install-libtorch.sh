#!/usr/bin/env bash
# install-libtorch.sh — make sure Debian's libtorch-dev (libtorch 1.13, the bench's peer) is installed.
# Used by `make bench` only: it is never a build dependency of tapegrad. Installs it with apt-get when run
# as root; otherwise prints the apt command and exits 1. Prints nothing when it is already there.
set -euo pipefail
dpkg-query -W -f='${Status}' libtorch-dev 2>/dev/null | grep -q "install ok installed" && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "make bench compares against libtorch; install it with:  sudo apt-get update && sudo apt-get install -y libtorch-dev" >&2
    exit 1
fi
echo "installing libtorch-dev (the bench's libtorch peer)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends libtorch-dev
