#!/usr/bin/env bash
# test-errors.sh BUILD_DIR — the bad-input table of docs/errors.md through the built programs: each row runs
# an example with a bad flag, data folder, output folder or checkpoint, and checks its exit code (2 bad
# input, 3 numeric trouble) and that stderr is exactly one line, "error: ...", naming the flag or file and
# the fix. The readers' own tables are in tests/test_io_*.cpp and tests/test_errors.cpp.
set -uo pipefail
B=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
bad="$root/tests/data/bad"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
passed=0 failed=0

# check CODE TEXT PROGRAM ARGS...: exit code CODE, one stderr line starting "error: " and containing TEXT
check() {
    local code=$1 text=$2 prog=$3
    shift 3
    "$B/$prog" "$@" >"$w/stdout" 2>"$w/stderr"
    local rc=$? lines
    lines=$(wc -l <"$w/stderr")
    if [ $rc -eq "$code" ] && [ "$lines" -eq 1 ] && grep -q '^error: ' "$w/stderr" && grep -qF -- "$text" "$w/stderr"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $prog $* -> exit $rc (want $code), $lines stderr line(s), want one containing: $text"
        sed 's/^/    /' "$w/stderr" | head -n 5
    fi
}

# ---- flags with bad values, in every model example
for prog in mlp_classifier autoencoder vae gan rbm dbn; do
    check 2 "--epochs: -1 is out of range; expected a number in [0, 100000]" $prog --epochs -1
    check 2 "--batch: 0 is out of range; expected a number in [1," $prog --batch 0
    check 2 "unknown flag --epoch; did you mean --epochs? (see $prog --help)" $prog --epoch 3
    check 2 "--lr: 'abc' is not a number" $prog --lr abc
    check 2 "--threads: '2.5' is not a whole number" $prog --threads 2.5
    check 2 "--gradcheck is a switch and takes no value" $prog --gradcheck=1
    "$B/$prog" --help >"$w/help" 2>&1 && grep -q -- "--detect-anomaly" "$w/help" && grep -q -- "--resume" "$w/help" ||
        { failed=$((failed + 1)); echo "FAILED: $prog --help: exit 0 listing --detect-anomaly and --resume"; }
done
for prog in autoencoder vae gan; do
    check 2 "--latent: 0 is out of range; expected a number in [1, 4096]" $prog --latent 0
done
check 2 "--hidden: '0' is not a positive layer size; write sizes like 256,128" mlp_classifier --hidden 0,128 --out "$w/o"

# ---- data: missing or broken (the data is read after --out is made)
mkdir -p "$w/empty" "$w/broken"
touch "$w/a-data-file"
check 2 "data: $w/nope does not exist; install the Fashion-MNIST files with \`apt-get install dataset-fashion-mnist\`" \
    mlp_classifier --data "$w/nope" --out "$w/o"
TAPEGRAD_DATA="$w/nope" check 2 "data: $w/nope does not exist" vae --out "$w/o"
check 2 "data: $w/a-data-file is not a directory; install the Fashion-MNIST files" vae --data "$w/a-data-file" --out "$w/o"
check 2 "data: $w/empty has no training images (looked for train-images-idx3-ubyte.gz" vae --data "$w/empty" --out "$w/o"
cp "$bad/idx-wrong-magic.idx" "$w/broken/train-images-idx3-ubyte"
printf '\0\0\10\1\0\0\0\1\0' >"$w/broken/train-labels-idx1-ubyte"
check 2 "idx: $w/broken/train-images-idx3-ubyte: wrong magic number 0x3C68746D, expected 0x00000803 (an idx3 image file); is it an idx file at all?" \
    autoencoder --data "$w/broken" --out "$w/o"
cp "$bad/idx-truncated-body.idx.gz" "$w/broken/train-images-idx3-ubyte"
check 2 "truncated body: the header declares 3 x 2 x 2 = 12 data bytes, but the data ends after 7; re-download it" \
    mlp_classifier --data "$w/broken" --out "$w/o"

# ---- output folder: under a regular file (fails even for root), a file, empty
touch "$w/a-file"
check 2 "--out $w/a-file/run: cannot create directory $w/a-file/run: Not a directory; choose a writable place with --out DIR" \
    vae --out "$w/a-file/run"
check 2 "--out $w/a-file: exists but is not a directory; choose another --out DIR" gan --out "$w/a-file"
check 2 "--out: the output directory name is empty; pass --out DIR" rbm --out ""
if [ "$(id -u)" -ne 0 ]; then  # permissions do not stop root
    mkdir -p "$w/ro" && chmod 555 "$w/ro"
    check 2 "--out $w/ro: directory is not writable (Permission denied)" mlp_classifier --out "$w/ro"
fi

# ---- --resume: short real runs to resume from
"$B/mlp_classifier" --train-limit 300 --epochs 1 --out "$w/mlp" >/dev/null 2>&1 || { echo "FAILED: the mlp_classifier run to resume from"; exit 1; }
"$B/vae" --train-limit 300 --epochs 1 --out "$w/vae" >/dev/null 2>&1 || { echo "FAILED: the vae run to resume from"; exit 1; }
head -c 1000 "$w/mlp/model.ckpt" >"$w/cut.ckpt"
check 2 "checkpoint $w/missing.ckpt: cannot open (No such file or directory); check the path given to --resume" \
    mlp_classifier --train-limit 300 --out "$w/mlp" --resume "$w/missing.ckpt"
check 2 "checkpoint $w/cut.ckpt: truncated at byte" mlp_classifier --train-limit 300 --out "$w/mlp" --resume "$w/cut.ckpt"
check 2 "written by a newer tapegrad (format 2); this build reads format 1: upgrade tapegrad" \
    mlp_classifier --train-limit 300 --out "$w/mlp" --resume "$bad/ckpt-newer-version.ckpt"
check 2 "not a tapegrad checkpoint" vae --train-limit 300 --out "$w/vae" --resume "$bad/ckpt-wrong-magic.ckpt"
check 2 "--resume $w/vae/model.ckpt: this checkpoint is of a 'vae' model, not 'mlp_classifier'; resume it with that example" \
    mlp_classifier --train-limit 300 --out "$w/mlp" --resume "$w/vae/model.ckpt"
check 2 "the checkpoint's architecture is 784-256-128-10 but the flags build 784-64-10; pass the flags it was trained with" \
    mlp_classifier --train-limit 300 --out "$w/mlp" --resume "$w/mlp/model.ckpt" --hidden 64
check 2 "the checkpoint's architecture is 784-400-20 but the flags build 784-400-8" \
    vae --train-limit 300 --out "$w/vae" --resume "$w/vae/model.ckpt" --latent 8

# ---- numeric trouble: a diverging run stops with exit code 3
check 3 "the loss diverged (NaN/Inf) at step" regression --lr 10 --steps 100

echo "test-errors: $passed passed, $failed failed"
[ $failed -eq 0 ]
