#!/usr/bin/env bash
# demo.sh BUILD_DIR — the tour that `make demo` runs: each example briefly, on real data (Fashion-MNIST),
# writing its metrics and pictures under out/ (OUT=dir to change). DEMO_FULL=1 runs the full-size defaults.
set -euo pipefail
B=${1:-build}
OUT=${OUT:-out}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
if [ "${DEMO_FULL:-0}" = 1 ]; then SHORT=(); else SHORT=(--epochs 2 --train-limit 20000); fi

say "1. the engine alone: gradcheck a 2-layer MLP, then fit a noisy sine with hand-written SGD"
"$B/regression" --steps 1000

say "2. an MLP classifier on Fashion-MNIST (784-256-128-10, dropout, Adam)"
"$B/mlp_classifier" --gradcheck "${SHORT[@]}" --out "$OUT/classifier"

say "3. a VAE (784-400-20): negative ELBO in nats per image, samples and interpolations"
"$B/vae" --gradcheck "${SHORT[@]}" --out "$OUT/vae"

say "4. a VAE with a 2-D latent space: the latent scatter and the manifold picture"
"$B/vae" --latent 2 "${SHORT[@]}" --out "$OUT/vae2d"

say "5. a denoising autoencoder (30-D code): half the pixels masked, clean images reconstructed"
"$B/autoencoder" --gradcheck --noise 0.5 --noise-kind mask "${SHORT[@]}" --out "$OUT/denoising"

say "done: pictures and metrics are under $OUT/"
for d in classifier vae vae2d denoising; do echo "  $OUT/$d: $(cd "$OUT/$d" && ls *.png | tr '\n' ' ')"; done
