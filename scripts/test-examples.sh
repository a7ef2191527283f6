#!/usr/bin/env bash
# test-examples.sh BUILD_DIR — one short training run of each model example (200 images, 1 epoch, anomaly
# mode on), then one more epoch resumed from its checkpoint, and a few sample_quality judgements. Each run
# must exit 0 and leave metrics.csv with its epochs and a model.ckpt. Its point is the code paths, not the
# numbers: `make sanitize` runs it on the ASan + UBSan build, so every example's training loop, evaluation,
# pictures and checkpoint save/load run under the sanitizers (and LeakSanitizer at exit).
set -uo pipefail
B=$(cd "${1:-build}" && pwd)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
status=0
short=(--train-limit 200 --epochs 1 --detect-anomaly)

# run NAME PROGRAM ARGS...: run it, show its last line, check its outputs
run() {
    local name=$1 prog=$2 start=$SECONDS
    shift 2
    if "$B/$prog" "$@" >"$w/$name.log" 2>&1; then
        printf '%-28s ok (%3d s): %s\n' "$name" $((SECONDS - start)) "$(grep -E '^epoch|^step' "$w/$name.log" | tail -n1 | cut -c1-90)"
    else
        echo "FAILED: $prog $*"; tail -n 15 "$w/$name.log" | sed 's/^/    /'; status=1
    fi
}
rows() { echo $(($(wc -l <"$1/metrics.csv") - 1)); }

for prog in mlp_classifier autoencoder vae rbm; do
    run $prog $prog "${short[@]}" --out "$w/$prog"
    run "$prog --resume" $prog "${short[@]}" --epochs 2 --out "$w/$prog" --resume "$w/$prog/model.ckpt"
    [ -f "$w/$prog/model.ckpt" ] && [ "$(rows "$w/$prog")" -eq 2 ] || { echo "FAILED: $prog: no model.ckpt or not 2 epochs in metrics.csv"; status=1; }
done
# the convolutional models (docs/conv-models.md): the same short run and resume
for prog in cnn_classifier conv_autoencoder conv_vae; do
    run $prog $prog "${short[@]}" --out "$w/$prog"
    run "$prog --resume" $prog "${short[@]}" --epochs 2 --out "$w/$prog" --resume "$w/$prog/model.ckpt"
    [ -f "$w/$prog/model.ckpt" ] && [ "$(rows "$w/$prog")" -eq 2 ] || { echo "FAILED: $prog: no model.ckpt or not 2 epochs in metrics.csv"; status=1; }
done
run dcgan dcgan "${short[@]}" --eval-every 0 --out "$w/dcgan"
run "dcgan --resume" dcgan "${short[@]}" --eval-every 0 --epochs 2 --out "$w/dcgan" --resume "$w/dcgan/model.ckpt"
[ "$(rows "$w/dcgan")" -eq 2 ] || { echo "FAILED: dcgan: not 2 epochs in metrics.csv"; status=1; }
run gan gan "${short[@]}" --eval-every 0 --out "$w/gan"
run "gan --resume" gan "${short[@]}" --eval-every 0 --epochs 2 --out "$w/gan" --resume "$w/gan/model.ckpt"
run dbn dbn "${short[@]}" --pretrain-epochs 1 --layers 64,32 --out "$w/dbn"
run "dbn autoencoder" dbn "${short[@]}" --task autoencoder --pretrain-epochs 1 --layers 64,32,8 --out "$w/dbn-ae"
run regression regression --steps 50
# the judge: the mlp_classifier checkpoint above, on 500 samples of the VAE and the GAN
run sample_quality sample_quality --checkpoint "$w/vae/model.ckpt,$w/gan/model.ckpt" --samples 500 \
    --classifier "$w/mlp_classifier/model.ckpt" --out "$w/quality"
# --images: the test set's own idx3 file, judged as samples made elsewhere, is the real test set: 100% of its
# score, Frechet distance 0 (a sign lost in the last digit is allowed)
data=${TAPEGRAD_DATA:-/usr/share/datasets/fashion-mnist}
t10k=$(ls "$data"/t10k-images*idx3-ubyte* 2>/dev/null | head -n1)
run "sample_quality --images" sample_quality --images "$t10k" --classifier "$w/mlp_classifier/model.ckpt" --out "$w/quality-images"
grep -qE '^images, 10000 +10000 +[0-9.]+ +100\.0% +-?0\.000 ' "$w/sample_quality --images.log" ||
    { echo "FAILED: sample_quality --images on the test set's file is not the real test set's row"; grep '^images' "$w/sample_quality --images.log"; status=1; }
exit $status
