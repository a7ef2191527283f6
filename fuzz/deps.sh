#!/usr/bin/env bash
# deps.sh — make sure clang++ and libFuzzer's runtime (Debian: clang, libclang-rt-14-dev) are there for
# `make fuzz`. A tool for fuzzing only, never a build dependency: installed with apt-get when run as root,
# otherwise the apt command is printed and the script exits 1. Prints nothing when all is there.
set -euo pipefail
have_fuzzer() {
    command -v clang++ >/dev/null 2>&1 || return 1
    local dir
    dir=$(clang++ -print-resource-dir 2>/dev/null)/lib/linux
    ls "$dir"/libclang_rt.fuzzer-*.a >/dev/null 2>&1
}
have_fuzzer && exit 0

bash "$(dirname "$0")/../scripts/install-deps.sh" "make fuzz" clang libclang-rt-14-dev
have_fuzzer || { echo "libFuzzer's runtime is still missing after installing clang libclang-rt-14-dev" >&2; exit 1; }
