#!/usr/bin/env bash
# test-resume.sh BUILD_DIR — kill a training run with SIGKILL in the middle of an epoch, resume it from
# its checkpoint, and check that it ends exactly where an uninterrupted run ends: every metric of every
# epoch identical (one thread, fixed seed: the RNG state, Adam's moments and the data order are restored).
set -euo pipefail
B=${1:-build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { "$B/mlp_classifier" --train-limit 3000 --epochs 4 --threads 1 --seed 3 "$@" >/dev/null; }
metrics() { cut -d, -f1,3- "$1/metrics.csv"; }  # every column but the wall-clock seconds

run --out "$work/whole"

# start the same run, wait until epoch 2's checkpoint exists, then kill it with SIGKILL mid-epoch 3
"$B/mlp_classifier" --train-limit 3000 --epochs 4 --threads 1 --seed 3 --out "$work/cut" >/dev/null &
pid=$!
for _ in $(seq 600); do
    [ -f "$work/cut/metrics.csv" ] && [ "$(wc -l < "$work/cut/metrics.csv")" -ge 3 ] && break
    sleep 0.05
done
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
done_epochs=$(($(wc -l < "$work/cut/metrics.csv") - 1))
echo "killed after $done_epochs complete epoch(s); resuming"
run --out "$work/cut" --resume "$work/cut/model.ckpt"

if diff <(metrics "$work/whole") <(metrics "$work/cut"); then
    echo "resumed run matches the uninterrupted run exactly (4 epochs of metrics)"
else
    echo "resumed run differs from the uninterrupted run"; exit 1
fi
