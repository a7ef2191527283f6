#!/usr/bin/env bash
# demo.sh BUILD_DIR — the tour that `make demo` runs: each model briefly on real data (Fashion-MNIST), then
# the comparison of every dimensionality-reduction method (build/compare), whose report is the tour's main
# output. Pictures and metrics go under out/ (OUT=dir to change). `make demo DEMO_FULL=1` runs everything at
# full size (each example's defaults and `compare --full`: the better part of an hour on 2 cores).
set -euo pipefail
B=${1:-build}
OUT=${OUT:-out}
FULL=${DEMO_FULL:-0}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
start=$SECONDS
if [ "$FULL" = 1 ]; then
    SHORT=(); GAN=(); DBN=(); RBM=(); COMPARE=(--full); EXPERIMENTS=()
else
    SHORT=(--epochs 2 --train-limit 20000)
    GAN=(--epochs 2 --train-limit 20000 --eval-samples 2000)  # 600 steps: blobs turning into garments, one or two kinds
    DBN=(--pretrain-epochs 1 --epochs 2 --train-limit 20000)
    RBM=(--epochs 2 --train-limit 20000 --gibbs-steps 100)
    COMPARE=()
    EXPERIMENTS=(--quick)  # about a minute each on 2 cores
fi

say "1. the engine alone: gradcheck a 2-layer MLP, then fit a noisy sine with hand-written SGD"
"$B/regression" --steps 1000

say "2. an MLP classifier on Fashion-MNIST (784-256-128-10, dropout, Adam)"
"$B/mlp_classifier" --gradcheck "${SHORT[@]}" --out "$OUT/classifier"

say "3. a VAE (784-400-20): negative ELBO in nats per image, samples and interpolations"
"$B/vae" --gradcheck "${SHORT[@]}" --out "$OUT/vae"

say "4. a VAE with a 2-D latent space: the latent scatter and the manifold picture"
"$B/vae" --latent 2 "${SHORT[@]}" --out "$OUT/vae2d"

say "4b. a class-conditional VAE: one row of samples per class, each column one z"
"$B/cvae" --gradcheck "${SHORT[@]}" --out "$OUT/cvae"

say "5. a denoising autoencoder (30-D code): half the pixels masked, clean images reconstructed"
"$B/autoencoder" --gradcheck --noise 0.5 --noise-kind mask "${SHORT[@]}" --out "$OUT/denoising"

say "6. a GAN (MLP generator and discriminator), its samples judged by the classifier of step 2 (a short run draws blobs; DEMO_FULL=1 for garments)"
"$B/gan" "${GAN[@]}" --classifier "$OUT/classifier/model.ckpt" --out "$OUT/gan"

say "7. an RBM (784-500, CD-1): filters, reconstructions and Gibbs samples"
"$B/rbm" "${RBM[@]}" --out "$OUT/rbm"

say "8. a DBN: RBMs pretrained greedily, then fine-tuned as a classifier"
"$B/dbn" "${DBN[@]}" --out "$OUT/dbn"

say "8b. a CNN classifier (conv 32, conv 64, max pooling, 128, 10): first-layer filters and the confusions"
"$B/cnn_classifier" "${SHORT[@]}" --out "$OUT/cnn"

say "8c. a convolutional autoencoder (30-D code): stride-2 convolutions and their transposed mirror"
"$B/conv_autoencoder" "${SHORT[@]}" --out "$OUT/conv_autoencoder"

say "9. the comparison: PCA, LDA, DCT, Isomap, LLE, autoencoder, VAE, DBN, conv autoencoder at K = 2, 10, 30 on the test set"
"$B/compare" "${COMPARE[@]}" --out "$OUT/compare"

say "10. the experiments (docs/experiments.md): eight claims, each measured over 3 seeds (augment 5), a difference inside the spread a tie"
for x in beta optimizers sparsity robustness novelty augment compression linear; do "$B/experiments" "$x" "${EXPERIMENTS[@]}" --out "$OUT/experiments"; done
# 8a, the comparison over 3 seeds (mean ± sd in every cell), briefly: three methods on 2,000 images
"$B/compare" --seeds 3 --methods pca,ae,vae --train-limit 2000 --epochs 2 --out "$OUT/experiments/compare-seeds" > "$OUT/experiments/compare-seeds.log"
echo "  8a. compare --seeds 3 (pca, ae, vae; 2,000 images, 2 epochs): $OUT/experiments/compare-seeds/index.html"

say "done in $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s: pictures and metrics are under $OUT/"
for d in classifier vae vae2d cvae denoising gan rbm dbn cnn conv_autoencoder; do echo "  $OUT/$d: $(cd "$OUT/$d" && ls *.png | tr '\n' ' ')"; done
echo "  $OUT/compare: results.csv $(cd "$OUT/compare" && ls *.png | tr '\n' ' ')"
if [ "$FULL" != 1 ]; then echo "(this was the short tour; 'make demo DEMO_FULL=1' runs everything at full size)"; fi
echo
echo "The report: $OUT/compare/index.html   (open it in a browser)"
