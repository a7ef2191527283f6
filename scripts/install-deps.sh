#!/usr/bin/env bash
# install-deps.sh — make sure Debian packages are installed.
#   install-deps.sh                  the packages tapegrad builds, tests and demos with
#   install-deps.sh WHAT PACKAGE...  packages a tool needs that tapegrad itself does not (WHAT, e.g.
#                                    "make bench", names it in the messages): bench/, fuzz/ use this
# Idempotent: installs exactly what is missing, with apt-get, when run as root; otherwise prints the
# apt command to run and exits 1. Prints nothing when everything is already there.
set -euo pipefail
if [ $# -gt 0 ]; then
    WHAT=$1; shift
    PACKAGES=("$@")
else
    WHAT=tapegrad
    PACKAGES=(g++ make pkg-config libopenblas-dev catch2 libstb-dev zlib1g-dev dataset-fashion-mnist libopenmpi-dev openmpi-bin)
fi

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "$WHAT needs these Debian packages: ${missing[*]}" >&2
    echo "install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "installing for $WHAT: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
