#!/usr/bin/env bash
# test-determinism.sh BUILD_DIR — same seed, same thread count: bit-identical runs (docs/errors.md,
# "Determinism"). Each case trains twice, in two fresh folders with the same relative --out, and the two
# metrics.csv must be identical in every column but the wall-clock `seconds`, and the two model.ckpt
# files identical byte for byte. Cases: mlp_classifier (dropout masks, shuffled batches, Adam) with 1 and
# with 2 OpenBLAS threads, and vae (sampling noise). A run with another seed must differ, so the
# comparison can fail.
set -uo pipefail
B=$(cd "${1:-build}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
metrics() { cut -d, -f1,3- "$1/run/metrics.csv"; }  # every column but the wall-clock seconds
status=0

# run NAME PROGRAM FLAGS...: train in $work/NAME with --out run
run() {
    local name=$1 prog=$2
    shift 2
    mkdir -p "$work/$name"
    (cd "$work/$name" && "$B/$prog" "$@" --out run >log 2>&1) || { echo "FAILED to run: $prog $*"; cat "$work/$name/log"; status=1; }
}

same() {  # same A B WHAT: A and B trained the same
    local what=$3
    if ! diff <(metrics "$work/$1") <(metrics "$work/$2") >/dev/null; then
        echo "FAILED: $what: metrics.csv differs between two identical runs:"; diff <(metrics "$work/$1") <(metrics "$work/$2") | head; status=1
    elif ! cmp -s "$work/$1/run/model.ckpt" "$work/$2/run/model.ckpt"; then
        echo "FAILED: $what: model.ckpt differs between two identical runs"; status=1
    else
        echo "ok: $what: metrics.csv ($(($(wc -l <"$work/$1/run/metrics.csv") - 1)) epochs, seconds aside) and model.ckpt bit-identical"
    fi
}

mlp=(--train-limit 2000 --epochs 2 --seed 5)
run mlp1a mlp_classifier "${mlp[@]}" --threads 1
run mlp1b mlp_classifier "${mlp[@]}" --threads 1
run mlp2a mlp_classifier "${mlp[@]}" --threads 2
run mlp2b mlp_classifier "${mlp[@]}" --threads 2
run mlp_seed6 mlp_classifier --train-limit 2000 --epochs 2 --seed 6 --threads 1
vae=(--train-limit 1000 --epochs 2 --seed 5 --threads 1)
run vae_a vae "${vae[@]}"
run vae_b vae "${vae[@]}"
[ $status -ne 0 ] && exit 1

same mlp1a mlp1b "mlp_classifier, seed 5, 1 thread"
same mlp2a mlp2b "mlp_classifier, seed 5, 2 threads"
same vae_a vae_b "vae, seed 5, 1 thread"
if diff -q <(metrics "$work/mlp1a") <(metrics "$work/mlp_seed6") >/dev/null; then
    echo "FAILED: seeds 5 and 6 gave the same metrics: the comparison above cannot tell runs apart"; status=1
else
    echo "ok: another seed gives other metrics"
fi
exit $status
