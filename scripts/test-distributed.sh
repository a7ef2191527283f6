#!/usr/bin/env bash
# test-distributed.sh BUILD_DIR — data-parallel training over Open MPI (docs/distributed.md), on loopback:
#   1. 2 ranks x batch 64 track 1 process x batch 128: autoencoder test loss within 0.5% after 2 epochs
#   2. two 2-rank VAE runs are bit-identical (metrics but the seconds, and model.ckpt)
#   3. ranks whose parameters differ (another --seed on one rank) stop after epoch 1 with a clear error
#   4. a rank killed with SIGKILL stops the job; --resume then completes, and ends exactly where the
#      uninterrupted run of 2. ended, though this run reads its images with --stream (a mapped uint8
#      cache, data/stream.h); the checkpoint also resumes in one process (another rank count)
#   5. the conv programs on 256 training, 128 test images: cnn_classifier 2 x 64 tracks 1 x 128 (0.5%),
#      two 2-rank runs are bit-identical; the DCGAN (BatchNorm in G: local batch statistics, rank 0's running ones, so
#      2 x 64 is not 1 x 128) bit-identical twice, its parameters and BatchNorm buffers equal on both ranks,
#      resumed in one process; conv_autoencoder --stream gives the in-memory run; conv_vae completes
# Runs on a small subset of Fashion-MNIST (256/1024/2048 training, 128/500 test images) to stay well under 90 s.
# Skipped, with a message, when mpirun or BUILD_DIR/mpi/* is missing (scripts/install-deps.sh installs MPI).
set -euo pipefail
B=${1:-build}
if ! command -v mpirun >/dev/null; then echo "test-distributed: SKIPPED: mpirun is not installed (scripts/install-deps.sh installs openmpi-bin)"; exit 0; fi
for p in vae autoencoder cnn_classifier conv_autoencoder conv_vae dcgan cvae; do
    [ -x "$B/mpi/$p" ] || { echo "test-distributed: $B/mpi/$p is missing; build it with make (needs mpicxx: libopenmpi-dev)"; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
MPIRUN=(mpirun --allow-run-as-root --oversubscribe)
export TAPEGRAD_CACHE="$work/cache"  # --stream's image cache

# a small copy of the data set: the first N images and labels of each split, in uncompressed idx files
src=${TAPEGRAD_DATA:-/usr/share/datasets/fashion-mnist}
be32() { printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"; }
subset() {  # [to=DIR] subset SPLIT KIND HEADER ITEM_BYTES N: into $work/data, or $work/DIR
    local f="$src/$1-$2"; [ -f "$f" ] || f="$f.gz"
    { zcat -f "$f" 2>/dev/null || true; } | head -c $(($3 + $4 * $5)) > "$work/part"
    { head -c 4 "$work/part"; be32 "$5"; tail -c +9 "$work/part"; } > "$work/${to:-data}/$1-$2"
}
mkdir -p "$work/data"
subset train images-idx3-ubyte 16 784 2048; subset train labels-idx1-ubyte 8 1 2048
subset t10k images-idx3-ubyte 16 784 500;  subset t10k labels-idx1-ubyte 8 1 500
mkdir -p "$work/small" && cp "$work"/data/train-* "$work/small/"  # for the conv programs (5.): 128 test images
to=small subset t10k images-idx3-ubyte 16 784 128; to=small subset t10k labels-idx1-ubyte 8 1 128
common=(--data "$work/data" --threads 1 --seed 5)
metrics() { cut -d, -f1,3- "$1/metrics.csv"; }  # every column but the wall-clock seconds
col() { awk -F, -v e="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i } NR > 1 && $1 == e { print $k }' "$1/metrics.csv"; }
track() {  # track ONE TWO: epoch 2's test_loss of 1 process x 128 (ONE) and 2 ranks x 64 (TWO) within 0.5%
    local a b; a=$(col "$1" 2 test_loss); b=$(col "$2" 2 test_loss)
    awk -v a="$a" -v b="$b" 'BEGIN { d = (a > b ? a - b : b - a) / a; printf "1 process x 128: test_loss %s; 2 ranks x 64: %s (%.4f%% apart)\n", a, b, 100 * d; exit !(d < 0.005) }' ||
        { echo "FAILED: 2 ranks x 64 do not track 1 process x 128 within 0.5%"; exit 1; }
}
same() { diff <(metrics "$1") <(metrics "$2") >/dev/null && cmp -s "$1/model.ckpt" "$2/model.ckpt"; }  # bit-identical runs

# 1. equivalence: the ranks' shards of a step are exactly the one process's batch; only the sums' order differs
"$B/autoencoder" "${common[@]}" --epochs 2 --batch 128 --out "$work/one" >/dev/null
"${MPIRUN[@]}" -np 2 "$B/mpi/autoencoder" --distributed "${common[@]}" --epochs 2 --batch 64 --out "$work/two" >/dev/null
track "$work/one" "$work/two"

# 2. two 2-rank VAE runs (noise drawn on every rank) are bit-identical
vae() { "${MPIRUN[@]}" -np 2 "$B/mpi/vae" --distributed "${common[@]}" --train-limit 1024 --epochs 3 --batch 64 "$@"; }
vae --out "$work/v/run" >/dev/null && mv "$work/v" "$work/v1"  # the same --out: the checkpoint records the flags
vae --out "$work/v/run" > "$work/v2.log" && mv "$work/v" "$work/v2"
if same "$work/v1/run" "$work/v2/run"; then
    echo "two 2-rank runs: metrics.csv and model.ckpt bit-identical"
else
    echo "FAILED: two 2-rank runs differ"; diff <(metrics "$work/v1/run") <(metrics "$work/v2/run") || true; exit 1
fi
grep -q "^distributed: 2 ranks, 24 optimizer steps" "$work/v2.log" || { echo "FAILED: no communication summary"; cat "$work/v2.log"; exit 1; }

# 3. parameters that differ between ranks are caught at the end of the epoch
set +e
"${MPIRUN[@]}" -np 1 "$B/mpi/vae" --distributed "${common[@]}" --train-limit 256 --epochs 1 --out "$work/h" : \
               -np 1 "$B/mpi/vae" --distributed "${common[@]}" --train-limit 256 --epochs 1 --out "$work/h" --seed 6 > "$work/h.log" 2>&1
rc=$?
set -e
if [ $rc -ne 0 ] && grep -q "the parameters of rank 1 (hash [0-9a-f]*) differ from rank 0's" "$work/h.log"; then
    echo "ranks with different parameters: stopped (exit $rc) with: $(grep -m1 -o 'after training epoch 1 the parameters of rank 1' "$work/h.log")"
else
    echo "FAILED: different parameters on two ranks were not reported (exit $rc)"; cat "$work/h.log"; exit 1
fi

# 4. SIGKILL one rank after epoch 1's checkpoint: the job stops; --resume completes and matches v1
"${MPIRUN[@]}" -np 2 "$B/mpi/vae" --distributed "${common[@]}" --train-limit 1024 --epochs 3 --batch 64 --stream --out "$work/cut" > "$work/cut.log" 2>&1 &
job=$!  # mpirun; the ranks are its children
for _ in $(seq 1200); do
    [ -f "$work/cut/metrics.csv" ] && [ "$(wc -l < "$work/cut/metrics.csv")" -ge 2 ] && break
    sleep 0.05
done
victim=$(ps -o pid= --ppid $job | tr -d ' ' | tail -n1)
[ -n "$victim" ] || { echo "FAILED: no rank process found under mpirun"; exit 1; }
kill -9 "$victim"
set +e; wait $job; rc=$?; set -e
if [ $rc -eq 0 ]; then echo "FAILED: the job went on after a rank was killed"; cat "$work/cut.log"; exit 1; fi
echo "killed one rank (pid $victim) after $(($(wc -l < "$work/cut/metrics.csv") - 1)) epoch(s): mpirun stopped with exit $rc:"
grep -i -E "signal 9|killed" "$work/cut.log" | sed 's/^/    /' || { echo "FAILED: mpirun did not say why it stopped"; cat "$work/cut.log"; exit 1; }
vae --out "$work/cut" --stream --resume "$work/cut/model.ckpt" >/dev/null
if diff <(metrics "$work/v1/run") <(metrics "$work/cut") >/dev/null; then
    echo "--resume completed: 3 epochs of metrics identical to the uninterrupted in-memory run (this one --stream)"
else
    echo "FAILED: the resumed run differs from the uninterrupted run"; diff <(metrics "$work/v1/run") <(metrics "$work/cut") || true; exit 1
fi
# the 2-rank checkpoint continues in one process (global batch 64 instead of 128 from here on)
"$B/vae" "${common[@]}" --train-limit 1024 --epochs 4 --batch 64 --out "$work/cut" --resume "$work/cut/model.ckpt" >/dev/null
[ "$(wc -l < "$work/cut/metrics.csv")" -eq 5 ] || { echo "FAILED: resuming with 1 process"; exit 1; }
echo "the 2-rank checkpoint resumed in 1 process for epoch 4"

# 5. the conv programs, 256 training and 128 test images. Runs compared bit for bit share --out: the checkpoint records the flags.
conv=(--data "$work/small" --threads 1 --seed 5 --train-limit 256 --epochs 2)
two() {  # two PROGRAM FLAGS...: a 2-rank run, which ends with the hash check of its last epoch
    "${MPIRUN[@]}" -np 2 "$B/mpi/$1" --distributed "${conv[@]}" --batch 64 "${@:2}" > "$work/two.log" 2>&1 ||
        { echo "FAILED: 2-rank $1 ${*:2}"; cat "$work/two.log"; exit 1; }
}
# cnn_classifier, no BatchNorm: --dropout 0, since each rank draws its own dropout masks (with 0.5 a 2-rank run
# is another draw of the masks, 1.8% apart on 512 images); then only the order of the sums differs
"$B/cnn_classifier" "${conv[@]}" --batch 128 --dropout 0 --out "$work/c1" >/dev/null
two cnn_classifier --dropout 0 --out "$work/c/run" && mv "$work/c" "$work/c2"
two cnn_classifier --dropout 0 --out "$work/c/run" && mv "$work/c" "$work/c3"
track "$work/c1" "$work/c2/run"
same "$work/c2/run" "$work/c3/run" || { echo "FAILED: two 2-rank cnn_classifier runs differ"; exit 1; }
# dcgan: G's BatchNorm normalises by each rank's 64 images; the hash of end_epoch covers parameters and the
# running statistics (rank 0's, broadcast): a 2-rank run completing means both ranks held the same of both
two dcgan --eval-every 0 --epochs 1 --out "$work/g/run" && mv "$work/g" "$work/g1"
two dcgan --eval-every 0 --epochs 1 --out "$work/g/run" && mv "$work/g" "$work/g2"
same "$work/g1/run" "$work/g2/run" || { echo "FAILED: two 2-rank dcgan runs differ"; exit 1; }
"$B/dcgan" "${conv[@]}" --eval-every 0 --batch 128 --out "$work/g1/run" --resume "$work/g1/run/model.ckpt" >/dev/null
[ "$(wc -l < "$work/g1/run/metrics.csv")" -eq 3 ] || { echo "FAILED: resuming the 2-rank dcgan in 1 process"; exit 1; }
echo "conv: cnn_classifier and dcgan 2-rank runs bit-identical; the 2-rank dcgan checkpoint (BatchNorm statistics included) resumed in 1 process"
# conv_autoencoder: --stream (a mapped uint8 cache) gives the in-memory run; conv_vae (noise on each rank) completes
two conv_autoencoder --epochs 1 --stream --out "$work/a/run" && mv "$work/a" "$work/a1"
two conv_autoencoder --epochs 1 --out "$work/a/run" && mv "$work/a" "$work/a2"
diff <(metrics "$work/a1/run") <(metrics "$work/a2/run") >/dev/null || { echo "FAILED: conv_autoencoder --stream differs from in memory"; exit 1; }
two conv_vae --epochs 1 --out "$work/v3"
[ "$(wc -l < "$work/v3/metrics.csv")" -eq 2 ] || { echo "FAILED: conv_vae 2-rank run"; exit 1; }
two cvae --epochs 1 --out "$work/cv"  # the conditional VAE: the VAE's epoch with labels beside the images
[ "$(wc -l < "$work/cv/metrics.csv")" -eq 2 ] || { echo "FAILED: cvae 2-rank run"; exit 1; }
echo "conv: conv_autoencoder --stream identical to in memory (2 ranks); conv_vae and cvae 2 ranks completed, parameters equal on both"
