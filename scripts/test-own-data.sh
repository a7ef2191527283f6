#!/usr/bin/env bash
# test-own-data.sh BUILD_DIR — your own data, end to end, as a new user would meet it:
#   1. a small "own" data set made from Fashion-MNIST (scripts/make-own-data.py): 300 PNGs in class folders
#      and a 64-feature CSV with a label column;
#   2. docs/own-data.md followed as written: install, export PKG_CONFIG_PATH, build the page's program against
#      the installed library, run it on the CSV and on the image folder (test accuracy printed and checked);
#   3. a training example on the image folder (--data DIR), a reduce fit on the CSV, and tapegrad_export of its
#      model to .npz, which python3-numpy loads and checks against the data (the PCA mean, orthonormal
#      components, and the codes = (x - mean) W^T that reduce wrote);
#   4. reduce --apply's train_error_percentile on a class held out of the fit, and --format npy;
#   5. README.md's "Your own data" commands as written (compare on the image folder, t-SNE, npy, export);
#   6. the generative models on your data: gan and sample_quality on the image folder (a judge trained on its
#      labels, keyed to the data) and on an unlabelled CSV (the measures step aside, the samples are drawn),
#      the Fashion-sized judge refused on the CSV, rbm on a CSV (no image grids), cnn_classifier on RGB rows.
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/install-deps.sh "scripts/test-own-data.sh" python3-numpy
for p in reduce compare tapegrad_export mlp_classifier gan sample_quality rbm cnn_classifier; do [ -x "$B/$p" ] || { echo "test-own-data: $B/$p is not built"; exit 1; }; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
data=${TAPEGRAD_DATA:-/usr/share/datasets/fashion-mnist}
$PY scripts/make-own-data.py "$data" "$tmp/own" 30

# 2. the page, as written: its sh block with HOME pointing into the scratch folder
awk '/^## The program/{f=1;next} f&&/^```cpp/{g=1;next} g&&/^```/{exit} g{print}' docs/own-data.md > "$tmp/my_classifier.cpp"
awk '/^## Build and run it/{f=1;next} f&&/^```sh/{g=1;next} g&&/^```/{exit} g{print}' docs/own-data.md > "$tmp/steps.sh"
grep -q "make install" "$tmp/steps.sh" && grep -q "export PKG_CONFIG_PATH" "$tmp/steps.sh"
mkdir -p "$tmp/home"
cp "$tmp/own/table.csv" "$tmp/my.csv"
# the page's commands run where the user's program is; make install runs in the tapegrad checkout
sed -e "s|^make install|make --no-print-directory -s -C \"$root\" B=\"$root/$B\" install|" "$tmp/steps.sh" > "$tmp/steps_here.sh"
out=$(cd "$tmp" && HOME="$tmp/home" bash -euo pipefail steps_here.sh 2>&1)
echo "$out" | tail -n 3
acc=$(echo "$out" | sed -nE 's/^test accuracy: ([0-9.]+)%.*/\1/p')
[ -n "$acc" ] && $PY -c "import sys; sys.exit(0 if $acc >= 70 else 1)" || { echo "FAILED: CSV test accuracy '$acc' (want >= 70%)"; exit 1; }
out=$("$tmp/my_classifier" "$tmp/own/images")
echo "$out" | tail -n 1
acc=$(echo "$out" | sed -nE 's/^test accuracy: ([0-9.]+)%.*/\1/p')
[ -n "$acc" ] && $PY -c "import sys; sys.exit(0 if $acc >= 50 else 1)" || { echo "FAILED: image-folder test accuracy '$acc' (want >= 50%)"; exit 1; }
[ ! -e "$tmp/home/.local/include/tapegrad/autograd/ops_impl.h" ] || { echo "FAILED: the private ops_impl.h was installed"; exit 1; }

# 3. a training example on the folder; a bad image is named, then skipped with --skip-bad
"$B/mlp_classifier" --data "$tmp/own/images" --epochs 1 --out "$tmp/mlp" | grep -E "^data: " 
echo "not a png" > "$tmp/own/images/Bag/broken.png"
if "$B/reduce" --train "$tmp/own/images" --dim 2 --out "$tmp/x.csv" 2> "$tmp/err.txt"; then echo "FAILED: a broken PNG was accepted"; exit 1; fi
grep -q "broken.png cannot be read as an image" "$tmp/err.txt" || { cat "$tmp/err.txt"; echo "FAILED: the message does not name broken.png"; exit 1; }
rm "$tmp/own/images/Bag/broken.png"

"$B/reduce" --method pca --dim 5 --train "$tmp/own/table.csv" --out "$tmp/codes.csv" > /dev/null
"$B/tapegrad_export" "$tmp/codes.ckpt" "$tmp/pca.npz"
$PY - "$tmp" <<'PYEOF'
import sys, numpy as np
tmp = sys.argv[1]
X = np.loadtxt(tmp + "/own/table.csv", delimiter=",", skiprows=1)[:, :64]
z = np.loadtxt(tmp + "/codes.csv", delimiter=",", skiprows=1)[:, :5]
m = np.load(tmp + "/pca.npz")
W, mean = m["pca.components"], m["pca.mean"]
assert W.dtype == np.float32 and W.shape == (5, 64) and mean.shape == (64,), (W.dtype, W.shape, mean.shape)
assert np.abs(mean - X.mean(0)).max() < 1e-5, "the exported mean is not the data's mean"
assert np.abs(W @ W.T - np.eye(5)).max() < 1e-4, "the exported components are not orthonormal"
assert np.abs((X - mean) @ W.T - z).max() < 1e-3, "codes != (x - mean) W^T"
print(f"npz: {sorted(m.files)} loaded by numpy; mean, components and codes check out")
PYEOF
# 4. "how far from the training data": PCA fitted on 9 of the 10 class folders; new images of those 9 classes
#    against the held-out class (Bag). The held-out rows must sit far higher among the training rows' errors.
#    Then --format npy: the same codes as the CSV, and the percentiles beside them, loaded by numpy.
$PY scripts/make-own-data.py "$data" "$tmp/more" 40 > /dev/null   # the same first 30 per class, then 10 new ones
mkdir -p "$tmp/fit" "$tmp/new_seen"
for c in "$tmp/own/images"/*; do
    n=$(basename "$c"); [ "$n" = Bag ] && continue
    cp -r "$c" "$tmp/fit/$n"
    for f in "$tmp/more/images/$n"/*.png; do [ -e "$c/$(basename "$f")" ] || cp "$f" "$tmp/new_seen/"; done
done
"$B/reduce" --method pca --dim 10 --train "$tmp/fit" --out "$tmp/fit.csv" > /dev/null
"$B/reduce" --model "$tmp/fit.ckpt" --apply "$tmp/new_seen" --out "$tmp/seen.csv" | grep "how far"
"$B/reduce" --model "$tmp/fit.ckpt" --apply "$tmp/own/images/Bag" --out "$tmp/bag.csv" | grep "how far"
"$B/reduce" --model "$tmp/fit.ckpt" --apply "$tmp/own/images/Bag" --out "$tmp/bag.npy" --format npy > /dev/null
$PY - "$tmp" <<'PYEOF'
import sys, numpy as np
tmp = sys.argv[1]
seen = np.loadtxt(tmp + "/seen.csv", delimiter=",", skiprows=1)
bag = np.loadtxt(tmp + "/bag.csv", delimiter=",", skiprows=1)
head = open(tmp + "/bag.csv").readline().strip().split(",")
assert head[-1] == "train_error_percentile" and len(head) == 11, head
s, b = np.median(seen[:, 10]), np.median(bag[:, 10])
print(f"held-out class: median percentile {b:.0f} (Bag, never seen) vs {s:.0f} (new images of the 9 fitted classes)")
assert b >= s + 15 and b >= 80, "the held-out class should stand out"
codes, pct = np.load(tmp + "/bag.npy"), np.load(tmp + "/bag_percentiles.npy")
assert codes.dtype == np.float32 and codes.shape == (30, 10), (codes.dtype, codes.shape)
assert np.abs(codes - bag[:, :10]).max() < 1e-5 and np.abs(pct - bag[:, 10]).max() < 0.051, "npy and csv differ"
print("npy: codes (30, 10) float32 and percentiles equal the CSV's")
PYEOF
# t-SNE has no --apply, and says so
if "$B/reduce" --method tsne --train "$tmp/own/table.csv" --apply "$tmp/own/table.csv" --out "$tmp/t.csv" 2> "$tmp/err.txt"; then echo "FAILED: tsne --apply ran"; exit 1; fi
grep -q "no map for new rows" "$tmp/err.txt" || { cat "$tmp/err.txt"; exit 1; }
# 5. README.md's "Your own data" block, end to end, in a scratch folder (build/ and scripts/ pointed at this checkout)
mkdir -p "$tmp/readme"
awk '/^## Your own data/{f=1;next} f&&/^```sh/{g=1;next} g&&/^```/{exit} g{print}' README.md \
    | sed -e "s|build/|$root/$B/|g" -e "s|scripts/|$root/scripts/|g" -e "s|/usr/share/datasets/fashion-mnist|$data|g" > "$tmp/readme/steps.sh"
grep -q "compare --train" "$tmp/readme/steps.sh"
(cd "$tmp/readme" && bash -euo pipefail steps.sh > log.txt 2>&1) || { tail -n 30 "$tmp/readme/log.txt"; echo "FAILED: README's Your own data block"; exit 1; }
grep -E "^(compare took|report:)" "$tmp/readme/log.txt"
r=$tmp/readme
for f in out/own/index.html out/own/results.csv out/own/scatter_all.png out/own/scatter_tsne.png out/own/recon_k10.png own_tsne.csv codes.npy codes_labels.npy pca.npz; do
    [ -s "$r/$f" ] || { echo "FAILED: the README block did not write $f"; exit 1; }
done
$PY - "$r" <<'PYEOF'
import csv, sys, numpy as np
r = sys.argv[1]
rows = list(csv.DictReader(open(r + "/out/own/results.csv")))
methods = {row["method"] for row in rows}
assert {"pca", "lda", "dct", "isomap", "lle", "ae", "vae", "dbn", "tsne"} <= methods, methods
pca10 = [row for row in rows if row["method"] == "pca" and row["K"] == "10"][0]
assert float(pca10["knn5_accuracy"]) > 0.5 and float(pca10["squared_error_per_image"]) > 0, pca10
ts = [row for row in rows if row["method"] == "tsne"][0]
assert ts["K"] == "2" and ts["encode_seconds"] == "" and 0 <= float(ts["knn5_accuracy"]) <= 1, ts  # 60 test rows: 3 per class to vote with
again = open(r + "/again.csv").readline().strip().split(",")
assert again[10:] == ["train_error_percentile", "label"], again
z, y = np.load(r + "/codes.npy"), np.load(r + "/codes_labels.npy")
assert z.shape == (1000, 10) and y.shape == (1000,) and set(np.unique(y)) <= set(range(10)), (z.shape, y.shape)
print(f"README block: {len(methods)} methods in results.csv (pca K=10 5-NN {float(pca10['knn5_accuracy']):.2f}, "
      f"t-SNE 5-NN {float(ts['knn5_accuracy']):.2f}), the pictures, codes.npy {z.shape}, again.csv with percentiles")
PYEOF
# 6. generators on your data, in a scratch folder (the judge's default path, out/judges/..., is relative)
g=$tmp/gen
bin=$(cd "$B" && pwd)
mkdir -p "$g"
cut -d, -f1-64 "$tmp/own/table.csv" > "$g/unlabelled.csv"
quick=(--epochs 1 --train-limit 100 --judge-epochs 1 --eval-samples 200)
(cd "$g" && "$bin/gan" --data "$tmp/own/images" "${quick[@]}" --out gan_img > log_img.txt) || { cat "$g/log_img.txt"; echo "FAILED: gan on the image folder"; exit 1; }
judge=$(ls "$g"/out/judges/images-*/model.ckpt) || { echo "FAILED: gan did not train a judge keyed to the image folder"; exit 1; }
[ ! -e "$g/out/classifier/model.ckpt" ] || { echo "FAILED: the folder's judge took the Fashion judge's path"; exit 1; }
(cd "$g" && "$bin/sample_quality" --data "$tmp/own/images" --checkpoint gan_img/model.ckpt --samples 200 --out q_img > log_q.txt)
grep -q "judge: 784-256-128-10 (mlp_classifier) from out/judges/images-" "$g/log_q.txt" || { cat "$g/log_q.txt"; echo "FAILED: sample_quality did not reuse the folder's judge"; exit 1; }
(cd "$g" && "$bin/gan" --data unlabelled.csv "${quick[@]}" --out gan_csv > log_csv.txt)
grep -q "has no labels, so there is no classifier to judge the samples with" "$g/log_csv.txt" || { cat "$g/log_csv.txt"; echo "FAILED: gan on unlabelled rows did not say why it is not judged"; exit 1; }
(cd "$g" && "$bin/sample_quality" --data unlabelled.csv --checkpoint gan_csv/model.ckpt --samples 200 --out q_csv > log_qc.txt)
grep -q "no quality.csv: the data has no labels" "$g/log_qc.txt" || { cat "$g/log_qc.txt"; exit 1; }
if (cd "$g" && "$bin/sample_quality" --data "$tmp/own/table.csv" --classifier "$judge" --checkpoint gan_csv/model.ckpt --out q_bad 2> err.txt > /dev/null); then
    echo "FAILED: a judge of 784-value images judged 64-value rows"; exit 1; fi
grep -q "this judge reads rows of 784 values, the data has 64" "$g/err.txt" || { cat "$g/err.txt"; exit 1; }
"$bin/rbm" --data "$tmp/own/table.csv" --epochs 1 --hidden 32 --out "$g/rbm" > "$g/log_rbm.txt"
grep -q "not images: reconstructions.png draws them feature by feature" "$g/log_rbm.txt" || { cat "$g/log_rbm.txt"; exit 1; }
"$bin/cnn_classifier" --data "$tmp/own/images" --channels 3 --epochs 1 --train-limit 100 --out "$g/cnn_rgb" > "$g/log_cnn.txt"
grep -q "images of 28x28 RGB" "$g/log_cnn.txt" && grep -q "model: CNN 3x28x28-" "$g/log_cnn.txt" || { cat "$g/log_cnn.txt"; echo "FAILED: the CNN on RGB rows"; exit 1; }
$PY - "$g" <<'PYEOF'
import csv, os, struct, sys
g = sys.argv[1]
def png_size(path):  # width, height from the IHDR chunk
    head = open(path, "rb").read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])
w, h = png_size(g + "/gan_img/samples.png")
assert (w, h) == (8 * 56 + 9 * 2, 8 * 56 + 9 * 2), (w, h)   # an 8 x 8 grid of 28x28 images at scale 2, 2-pixel padding
row = list(csv.DictReader(open(g + "/gan_img/metrics.csv")))[-1]
assert 1 <= float(row["classifier_score"]) <= 10 and float(row["frechet_distance"]) >= 0, row
q = list(csv.DictReader(open(g + "/q_img/quality.csv")))
assert [r["set"] for r in q] == ["real test set", "test half vs other half", "gan, epoch 1"] and float(q[2]["classifier_score"]) >= 1, q
row = list(csv.DictReader(open(g + "/gan_csv/metrics.csv")))[-1]
assert row["classifier_score"] in ("", "nan") and float(row["d_loss"]) > 0, row
for f in ("gan_csv/samples.png", "q_csv/samples_gan1.png", "rbm/reconstructions.png"):
    w, h = png_size(g + "/" + f)
    assert w > 1000 and h > 500, (f, w, h)   # figures of feature panels, not a grid of 8x8 "images"
assert not os.path.exists(g + "/q_csv/quality.csv")
assert not os.path.exists(g + "/rbm/filters.png") and not os.path.exists(g + "/rbm/gibbs_samples.png")
print(f"generators: gan on the folder judged by its own judge (score {float(q[2]['classifier_score']):.2f}), "
      "on the unlabelled CSV drawn feature by feature and not judged; rbm on the CSV wrote no image grids; the CNN read RGB rows")
PYEOF
# 7. a test set smaller than the pictures' rows (a small folder's 20% split can be): 10 test images, where
#    reconstructions.png shows 12-16 and the interpolation 12; each program draws what there is
tiny="$tmp/tiny"; mkdir -p "$tiny"
src=${TAPEGRAD_DATA:-/usr/share/datasets/fashion-mnist}
for part in "train-images-idx3-ubyte 16 784 200" "train-labels-idx1-ubyte 8 1 200" "t10k-images-idx3-ubyte 16 784 10" "t10k-labels-idx1-ubyte 8 1 10"; do
    set -- $part
    f="$src/$1"; [ -f "$f" ] || f="$f.gz"
    n=$(printf '%08x' "$4")
    { zcat -f "$f" 2>/dev/null || true; } | head -c $(($2 + $3 * $4)) > "$tmp/part"
    { head -c 4 "$tmp/part"; printf "\\x${n:0:2}\\x${n:2:2}\\x${n:4:2}\\x${n:6:2}"; tail -c +9 "$tmp/part"; } > "$tiny/$1"
done
for p in vae autoencoder conv_autoencoder conv_vae cvae rbm; do
    "$B/$p" --data "$tiny" --epochs 1 --out "$tmp/tiny-$p" > "$tmp/tiny.log" 2>&1 ||
        { echo "FAILED: $p with 10 test images"; cat "$tmp/tiny.log"; exit 1; }
done
echo "small test set: vae, autoencoder, conv_autoencoder, conv_vae, cvae and rbm ran on 10 test images"
echo "test-own-data: the page's program, a training example on an image folder, the numpy export, the percentiles, the README block and the generators all work"
