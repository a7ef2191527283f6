#!/usr/bin/env bash
# pictures.sh BUILD_DIR — regenerate the pictures the docs embed, from fixed seeds, into docs/img/
# (`make pictures`): the VAE's tape of one step (docs/one-step.md), drawn by Graphviz's dot (installed
# here, as root, if it is missing: only this target needs it), and the pictures the model pages show,
# from the short seed-1 runs those pages quote (3 epochs each; several minutes on one core).
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
if ! command -v dot >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends graphviz
    else echo "pictures: Graphviz's dot is missing; install it with: sudo apt-get install -y graphviz" >&2; exit 1; fi
fi
mkdir -p docs/img
"$B/tape_step" --dump-tape docs/img/vae-step-tape.dot >/dev/null
dot -Tpng docs/img/vae-step-tape.dot -o docs/img/vae-step-tape.png
echo "pictures: wrote docs/img/vae-step-tape.{dot,png}"
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
"$B/autoencoder" --epochs 3 --out "$w/ae" >/dev/null                                   # docs/autoencoder.md
cp "$w/ae/reconstructions.png" docs/img/ae-reconstructions.png
"$B/autoencoder" --epochs 3 --noise 0.3 --noise-kind mask --out "$w/ae-mask" >/dev/null
cp "$w/ae-mask/reconstructions.png" docs/img/ae-denoising-mask.png
"$B/vae" --epochs 3 --latent 2 --out "$w/vae2d" >/dev/null                              # docs/vae.md
cp "$w/vae2d/manifold.png" docs/img/vae2d-manifold.png
cp "$w/vae2d/latent_scatter.png" docs/img/vae2d-latent-scatter.png
echo "pictures: wrote docs/img/{ae-reconstructions,ae-denoising-mask,vae2d-manifold,vae2d-latent-scatter}.png"
