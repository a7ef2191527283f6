#!/usr/bin/env bash
# valgrind-check.sh [BUILD_DIR] — one short VAE training (500 images, 1 epoch, 1 thread: data loading, the
# training steps, evaluation, the PNGs and the checkpoint) under valgrind's memcheck. Exits 1 on any
# invalid read or write, use of an uninitialised value, or definitely lost memory. The examples evaluate
# on the whole test set, which under valgrind's ~50x slowdown took half an hour, so the run reads a copy
# of the first 500 training and 500 test images (idx files cut here from the real ones). valgrind is a
# tool for this check only: installed with apt-get when missing and run as root.
# valgrind does not emulate AVX-512: the program is built here in BUILD_DIR-valgrind with ARCH=-mavx2 (the
# Makefile picks AVX-512 where the CPU has it), and OpenBLAS, which chooses its kernels for the CPU when it
# starts, is asked for its AVX2 (Haswell) ones: the same code paths, minus the instructions valgrind cannot run.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${1:-build}-valgrind
make --no-print-directory -j2 B="$B" ARCH=-mavx2 "$B/vae" >/dev/null || { echo "valgrind-check: the AVX2 build in $B failed" >&2; exit 1; }
B=$(cd "$B" && pwd)
if ! command -v valgrind >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then echo "valgrind-check needs valgrind: sudo apt-get install -y valgrind" >&2; exit 1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind || exit 1
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
N=500
data=${TAPEGRAD_DATA:-/usr/share/datasets/fashion-mnist}
mkdir -p "$w/data"
be32() { printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"; }
# cut FILE HEADER_BYTES RECORD_BYTES: the file's header with the count set to N, then its first N records
cut_idx() {
    local src
    src=$(ls "$data/$1.gz" "$data/$1" 2>/dev/null | head -n1)
    [ -n "$src" ] || { echo "valgrind-check: no $1 in $data (set TAPEGRAD_DATA)" >&2; exit 1; }
    { zcat -f "$src" | head -c 4; be32 $N; zcat -f "$src" | tail -c +9 | head -c $(($2 - 8 + N * $3)); } >"$w/data/$1"
}
for split in train t10k; do
    cut_idx $split-images-idx3-ubyte 16 784
    cut_idx $split-labels-idx1-ubyte 8 1
done
start=$SECONDS
OPENBLAS_CORETYPE=Haswell valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --log-file="$w/valgrind.log" \
    "$B/vae" --data "$w/data" --epochs 1 --threads 1 --out "$w/vae" >"$w/vae.log" 2>&1
rc=$?
grep -E "ERROR SUMMARY|in use at exit|All heap blocks|definitely lost" "$w/valgrind.log" | sed 's/^==[0-9]*== */  /'
tail -n 2 "$w/vae.log" | sed 's/^/  vae: /'
if [ $rc -eq 0 ]; then
    echo "valgrind-check: clean ($((SECONDS - start)) s)"
else
    echo "valgrind-check: FAILED (exit $rc); the report:"; sed 's/^/  /' "$w/valgrind.log" | head -n 60
fi
exit $rc
