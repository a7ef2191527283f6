#!/usr/bin/env bash
# test-errors.sh BUILD_DIR — the bad-input table of docs/errors.md through the built programs: each row runs
# an example with a bad flag, data folder, output folder or checkpoint, and checks its exit code (2 bad
# input, 3 numeric trouble) and that stderr is exactly one line, "error: ...", naming the flag or file and
# the fix. Also: a read-only --out run as the user nobody when the script runs as root (CI), a patched
# label byte in a copy of the idx files (every program that reads labels refuses it), and a full disk
# (a 200 kB tmpfs, or a file-size limit where mounting is not allowed) that must leave only whole files.
# The readers' own tables are in tests/test_io_*.cpp and tests/test_errors.cpp.
set -uo pipefail
B=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
bad="$root/tests/data/bad"
w=$(mktemp -d)
chmod 755 "$w"  # the user nobody must reach $w/ro below
mounted=""
trap '[ -z "$mounted" ] || umount "$mounted"; rm -rf "$w"' EXIT
passed=0 failed=0
as_user=()  # a command prefix for check(): set to run a case as the user nobody

# check CODE TEXT PROGRAM ARGS...: exit code CODE, one stderr line starting "error: " and containing TEXT
check() {
    local code=$1 text=$2 prog=$3
    shift 3
    "${as_user[@]}" "$B/$prog" "$@" >"$w/stdout" 2>"$w/stderr"
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
check 2 "--data: $w/nope does not exist; pass an idx directory (like /usr/share/datasets/fashion-mnist), an image folder (DIR/<class>/*.png) or a CSV file" \
    mlp_classifier --data "$w/nope" --out "$w/o"
TAPEGRAD_DATA="$w/nope" check 2 "data: $w/nope does not exist" vae --out "$w/o"
check 2 "csv: $w/a-data-file: the file is empty (no rows); pass a CSV with one row of numbers per item" vae --data "$w/a-data-file" --out "$w/o"
check 2 "--data: $w/empty is a directory with neither idx files (train-images-idx3-ubyte...) nor images" vae --data "$w/empty" --out "$w/o"
cp "$bad/idx-wrong-magic.idx" "$w/broken/train-images-idx3-ubyte"
printf '\0\0\10\1\0\0\0\1\0' >"$w/broken/train-labels-idx1-ubyte"
check 2 "idx: $w/broken/train-images-idx3-ubyte: wrong magic number 0x3C68746D, expected 0x00000803 (an idx3 image file); is it an idx file at all?" \
    autoencoder --data "$w/broken" --out "$w/o"
cp "$bad/idx-truncated-body.idx.gz" "$w/broken/train-images-idx3-ubyte"
check 2 "truncated body: the header declares 3 x 2 x 2 = 12 data bytes, but the data ends after 7; re-download it" \
    mlp_classifier --data "$w/broken" --out "$w/o"

# ---- labels checked, not trusted: a copy of Fashion-MNIST with one label byte set to 99 (data/labels.h)
fm=$(cd "${TAPEGRAD_DATA:-/usr/share/datasets/fashion-mnist}" 2>/dev/null && pwd)
if [ -n "$fm" ] && [ -f "$fm/t10k-labels-idx1-ubyte.gz" ]; then
    # patch DIR SPLIT INDEX: byte INDEX of DIR's SPLIT-labels set to 99 (after the 8-byte idx1 header), stored raw
    patch_label() {
        gunzip -c "$fm/$2-labels-idx1-ubyte.gz" >"$1/$2-labels-idx1-ubyte" && rm "$1/$2-labels-idx1-ubyte.gz" &&
            printf '\143' | dd of="$1/$2-labels-idx1-ubyte" bs=1 seek=$((8 + $3)) conv=notrunc status=none
    }
    mkdir -p "$w/lab-test" "$w/lab-train"
    cp "$fm"/*-idx?-ubyte.gz "$w/lab-test/" && cp "$fm"/*-idx?-ubyte.gz "$w/lab-train/"
    patch_label "$w/lab-test" t10k 17
    patch_label "$w/lab-train" train 5
    unseen="labels: $w/lab-test/t10k-labels-idx1-ubyte: label 99 at index 17 does not occur among the training labels (0..9 in $w/lab-test/train-labels-idx1-ubyte.gz)"
    for prog in mlp_classifier cnn_classifier vae autoencoder gan rbm dbn; do
        check 2 "$unseen" $prog --data "$w/lab-test" --out "$w/o"
    done
    check 2 "$unseen" sample_quality --data "$w/lab-test" --out "$w/o" --checkpoint "$w/none.ckpt"
    check 2 "$unseen" compare --data "$w/lab-test" --out "$w/o"
    check 2 "$unseen" reduce --train "$w/lab-test" --train-limit 300 --apply "$w/lab-test" --out "$w/codes.csv"
    stray="labels: $w/lab-train/train-labels-idx1-ubyte: label 99 at index 5 leaves a gap: the labels seen are 0..9 and 99 (10..98 never occur), so the class count would be 100 with 89 classes never seen"
    check 2 "$stray" mlp_classifier --data "$w/lab-train" --out "$w/o"
    check 2 "$stray" reduce --train "$w/lab-train" --out "$w/codes.csv"
    # the DCGAN's convolutions: grayscale images with H and W divisible by 4; other sizes and RGB refused by name
    python3 "$root/scripts/make-own-data.py" "$fm" "$w/own" 2 >/dev/null
    check 2 "dcgan: --data $w/own/images holds 30x30 images; the DCGAN's two stride-2 steps need a height and width divisible by 4 (Fashion-MNIST's 28x28): pass --size 28x28 (and --channels 1 for grey, 3 for colour)" \
        dcgan --data "$w/own/images" --size 30x30 --out "$w/o"
else
    echo "note: no Fashion-MNIST at ${TAPEGRAD_DATA:-/usr/share/datasets/fashion-mnist}: the patched-label cases need it"
    failed=$((failed + 1))
fi
printf 'a,b,label\n0,1,0\n1,0,1\n1,1,2\n0,0,0\n' >"$w/fit.csv"
printf 'a,b,label\n0,1,1\n1,1,7\n' >"$w/apply.csv"
check 2 "labels: $w/apply.csv: label 7 at index 1 does not occur among the training labels (0..2 in $w/fit.csv)" \
    reduce --train "$w/fit.csv" --apply "$w/apply.csv" --out "$w/codes.csv"
printf 'a,b,label\n0,1,0\n1,0,1\n1,1,9\n' >"$w/gap.csv"
check 2 "labels: $w/gap.csv: label 9 at index 2 leaves a gap: the labels seen are 0..1 and 9 (2..8 never occur)" \
    reduce --train "$w/gap.csv" --out "$w/codes.csv"
# generators on rows that do not fit them: a DCGAN on a CSV, a GAN on values outside [0, 1]
check 2 "dcgan: --data $w/fit.csv holds rows of 2 values, not images; the DCGAN's convolutions need images" dcgan --data "$w/fit.csv" --out "$w/o"
printf 'a,b\n0,1\n1,0\n1,3\n0,0\n0,1\n' >"$w/wide.csv"
check 2 "gan: --data $w/wide.csv has the value 3.000000 in a row of its" gan --data "$w/wide.csv" --out "$w/o"
check 2 "labels: $w/gap.csv: label 9 at index 2 leaves a gap" mlp_classifier --data "$w/gap.csv" --out "$w/o"
check 2 "labels: $w/gap.csv: label 9 at index 2 leaves a gap" compare --train "$w/gap.csv" --out "$w/o"
check 2 "labels: $w/apply.csv: label 7 at index 1 does not occur among the training labels (0..2 in $w/fit.csv)" \
    compare --train "$w/fit.csv" --test "$w/apply.csv" --out "$w/o"

# ---- output folder: under a regular file (fails even for root), a file, empty
touch "$w/a-file"
check 2 "--out $w/a-file/run: cannot create directory $w/a-file/run: Not a directory; choose a writable place with --out DIR" \
    vae --out "$w/a-file/run"
check 2 "--out $w/a-file: exists but is not a directory; choose another --out DIR" gan --out "$w/a-file"
check 2 "--out: the output directory name is empty; pass --out DIR" rbm --out ""
# a read-only folder: permissions do not stop root, so as root (CI) these cases run as nobody (setpriv,
# util-linux), with the programs copied where nobody can run them if the build folder is closed to it
mkdir -p "$w/ro" && chmod 555 "$w/ro"
if [ "$(id -u)" -eq 0 ]; then
    command -v setpriv >/dev/null || { echo "FAILED: running as root needs setpriv (util-linux) for the read-only cases"; exit 1; }
    as_user=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups)
    if ! "${as_user[@]}" test -x "$B/mlp_classifier"; then
        mkdir -p "$w/bin" && cp "$B/mlp_classifier" "$B/vae" "$w/bin/" && chmod 755 "$w/bin" "$w/bin/"*
        B_saved=$B B="$w/bin"
    fi
fi
check 2 "--out $w/ro: directory is not writable (Permission denied); choose a writable place with --out DIR" mlp_classifier --out "$w/ro"
check 2 "--out $w/ro/run: cannot create directory $w/ro/run: Permission denied" vae --out "$w/ro/run"
[ ! -e "$w/ro/run" ] || { failed=$((failed + 1)); echo "FAILED: $w/ro/run was created in a read-only folder"; }
as_user=()
B=${B_saved:-$B}

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

# ---- a full disk: every file is written whole or not at all (io/atomic_file.h). vae on a 200 kB tmpfs (as
# root), or under a 200 kB file-size limit where mounting is not allowed, must stop with exit code 1 naming
# the file it could not write, and leave only whole files: no temporary, nothing empty, no cut PNG or CSV.
mkdir -p "$w/full"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=200k tmpfs "$w/full" 2>/dev/null; then
    mounted="$w/full" why="No space left on device"
    "$B/vae" --train-limit 300 --epochs 1 --out "$w/full" >"$w/stdout" 2>"$w/stderr"
    rc=$?
else
    why="File too large"  # SIGXFSZ ignored: write() fails with EFBIG, as on a full disk
    (trap '' XFSZ; ulimit -f 200; exec "$B/vae" --train-limit 300 --epochs 1 --out "$w/full") >"$w/stdout" 2>"$w/stderr"
    rc=$?
fi
named=$(sed -n 's/^error: [a-z]*: cannot write \([^:]*\): .*/\1/p' "$w/stderr")
if [ $rc -eq 1 ] && [ "$(wc -l <"$w/stderr")" -eq 1 ] && [ -n "$named" ] && [ "$(dirname "$named")" = "$w/full" ] &&
    grep -qF "writing failed ($why); free some disk space or choose another --out" "$w/stderr" && [ ! -e "$named" ]; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "FAILED: vae on a full disk -> exit $rc (want 1), want one line naming the file not written ($why), and no such file"
    sed 's/^/    /' "$w/stderr" | head -n 5
fi
whole=0
for f in "$w/full"/*; do
    [ -e "$f" ] || continue
    case "$f" in
    *.tmp.*) bad="a temporary left behind" ;;
    *.png) [ "$(tail -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = 49454e44ae426082 ] && bad="" || bad="a PNG without its IEND chunk (cut)" ;;
    *.csv) [ "$(tail -c 1 "$f" | od -An -tx1 | tr -d ' \n')" = 0a ] && bad="" || bad="a CSV cut mid-line" ;;
    *) bad="" ;;
    esac
    [ -s "$f" ] || bad="an empty file"
    if [ -n "$bad" ]; then
        failed=$((failed + 1))
        echo "FAILED: vae on a full disk left $f: $bad ($(stat -c %s "$f") bytes)"
    else
        whole=$((whole + 1))
    fi
done
echo "full disk ($why): vae stopped at $(basename "${named:-?}"); $whole whole file(s) left: $(cd "$w/full" && echo *)"

# ---- numeric trouble: a diverging run stops with exit code 3
check 3 "the loss diverged (NaN/Inf) at step" regression --lr 10 --steps 100

echo "test-errors: $passed passed, $failed failed"
[ $failed -eq 0 ]
