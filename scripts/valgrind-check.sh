#!/usr/bin/env bash
# valgrind-check.sh BUILD_DIR — one short VAE training (500 images, 1 epoch, 1 thread: data loading, the
# training steps, evaluation, the PNGs and the checkpoint) under valgrind's memcheck. Exits 1 on any
# invalid read or write, use of an uninitialised value, or definitely lost memory. valgrind is a tool for
# this check only: installed with apt-get when missing and run as root, otherwise the command is printed.
# OpenBLAS chooses its kernels for the CPU when it starts, and valgrind does not emulate AVX-512, so the
# AVX2 (Haswell) kernels are asked for: the same code paths, minus the instructions valgrind cannot run.
set -uo pipefail
B=$(cd "${1:-build}" && pwd)
if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then echo "valgrind-check needs valgrind: sudo apt-get install -y valgrind" >&2; exit 1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind || exit 1
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
start=$SECONDS
OPENBLAS_CORETYPE=Haswell valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --log-file="$w/valgrind.log" \
    "$B/vae" --train-limit 500 --epochs 1 --threads 1 --out "$w/vae" >"$w/vae.log" 2>&1
rc=$?
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable" "$w/valgrind.log" | sed 's/^==[0-9]*== */  /'
tail -n 2 "$w/vae.log" | sed 's/^/  vae: /'
if [ $rc -eq 0 ]; then
    echo "valgrind-check: clean ($((SECONDS - start)) s)"
else
    echo "valgrind-check: FAILED (exit $rc); the report:"; sed 's/^/  /' "$w/valgrind.log" | head -n 60
fi
exit $rc
