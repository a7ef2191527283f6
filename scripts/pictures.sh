#!/usr/bin/env bash
# pictures.sh BUILD_DIR — regenerate the pictures the docs embed into docs/img/ (`make pictures`; the ones in
# docs/img/experiments/ are build/experiments', see docs/experiments.md), each from
# the one command named beside it (every program's defaults include --seed 1 and --threads 1, so a rerun
# draws the same pixels): the VAE's tape (docs/one-step.md, drawn by Graphviz's dot) and the pictures of
# the model pages. Each is shrunk to a few tens of kB (pngquant: 16 greys for image grids, 32 colours for
# plots, 64 for scatters by class; GraphicsMagick shrinks the big ones). About 10 min of CPU on one core
# (measured: 9 min), plus the default GAN run (~16 min) and DCGAN run (~13 min or more); PICTURES_QUICK=1
# skips those two and leaves their pictures as committed. GAN_RUN=DIR / DCGAN_RUN=DIR take them from a
# finished run of `build/gan` / `build/dcgan` with the defaults instead of training again;
# PICTURES_ONLY="rbm gan" redraws only the sections named (tape ae vae mlp rbm dbn compare conv cvae gan dcgan).
# The tools are installed here, as root, if missing: only this target needs them.
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
missing=()
for tool in dot:graphviz pngquant:pngquant gm:graphicsmagick; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else echo "pictures: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2; exit 1; fi
fi
mkdir -p docs/img
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT

# fit SRC NAME COLOURS [PERCENT]: SRC, scaled to PERCENT and quantized to COLOURS, as docs/img/NAME
# (no dithering, metadata stripped: the same input gives the same bytes)
fit() {
    local src=$1 name=$2 colours=$3 percent=${4:-100}
    if [ "$percent" = 100 ]; then cp "$src" "$w/fit.png"; else gm convert "$src" -resize "$percent%" "$w/fit.png"; fi
    pngquant --force --nofs --strip --output "docs/img/$name" "$colours" -- "$w/fit.png"
    echo "pictures: docs/img/$name ($(stat -c%s "docs/img/$name") bytes)"
}
grey() { fit "$1" "$2" 16 "${3:-100}"; }
plot() { fit "$1" "$2" 32 "${3:-100}"; }
scatter() { fit "$1" "$2" 64 "${3:-100}"; }   # ten class colours and their blends: 32 would merge two of them
finished() { [ -f "$1/samples_epoch$(printf %03d "$2").png" ] || { echo "pictures: $1 is not a finished default run (no samples_epoch$(printf %03d "$2").png)" >&2; exit 1; }; }
want() { [ -z "${PICTURES_ONLY:-}" ] || [[ " $PICTURES_ONLY " == *" $1 "* ]]; }
run() { echo "pictures: $*"; "$@" >"$w/log" 2>&1 || { cat "$w/log" >&2; exit 1; }; }

if want tape; then                                                                    # docs/one-step.md
    "$B/tape_step" --dump-tape docs/img/vae-step-tape.dot >/dev/null
    dot -Tpng docs/img/vae-step-tape.dot -o "$w/tape.png"
    plot "$w/tape.png" vae-step-tape.png
fi
if want ae; then                                                                      # docs/autoencoder.md
    run "$B/autoencoder" --epochs 3 --out "$w/ae"
    grey "$w/ae/reconstructions.png" ae-reconstructions.png
    plot "$w/ae/curves.png" ae-curves.png 50
    run "$B/autoencoder" --epochs 3 --noise 0.3 --noise-kind mask --out "$w/ae-mask"
    grey "$w/ae-mask/reconstructions.png" ae-denoising-mask.png
fi
if want vae; then                                                                     # docs/vae.md
    run "$B/vae" --epochs 3 --latent 2 --out "$w/vae2d"
    grey "$w/vae2d/manifold.png" vae2d-manifold.png
    plot "$w/vae2d/latent_scatter.png" vae2d-latent-scatter.png
    run "$B/vae" --epochs 3 --out "$w/vae"
    grey "$w/vae/samples.png" vae-samples.png
    grey "$w/vae/reconstructions.png" vae-reconstructions.png
    plot "$w/vae/curves.png" vae-curves.png 50
fi
if want mlp; then                                                                     # docs/nn.md
    run "$B/mlp_classifier" --out "$w/mlp"
    plot "$w/mlp/curves.png" mlp-curves.png 50
fi
if want rbm; then                                                                     # docs/rbm.md
    run "$B/rbm" --out "$w/rbm"
    grey "$w/rbm/filters.png" rbm-filters.png
    grey "$w/rbm/gibbs_samples.png" rbm-gibbs-samples.png
    plot "$w/rbm/curves.png" rbm-curves.png 50
fi
if want dbn; then                                                                     # docs/dbn.md
    run "$B/dbn" --task autoencoder --epochs 1 --out "$w/dbn"
    grey "$w/dbn/filters.png" dbn-filters.png
    grey "$w/dbn/reconstructions.png" dbn-reconstructions.png
fi
if want compare; then                          # docs/compare.md, linear-methods.md, manifold-methods.md
    run "$B/compare" --out "$w/compare"
    scatter "$w/compare/scatter_all.png" compare-scatter-all.png 50
    grey "$w/compare/recon_k30.png" compare-recon-k30.png
    for m in pca lda isomap lle; do scatter "$w/compare/scatter_$m.png" "compare-scatter-$m.png" 67; done
fi
if want conv; then                                                                    # docs/conv-models.md
    # one epoch on 10000 images (the default is 10 on 60000): enough for the confusions, not for the conv
    # VAE's samples (grey noise after such a run); the conv autoencoder is the CAE row of compare-recon-k30.png
    run "$B/cnn_classifier" --epochs 1 --train-limit 10000 --out "$w/cnn"
    grey "$w/cnn/misclassified.png" cnn-misclassified.png
    # the conv VAE for 3 epochs, as the VAE's pictures (its default is 10)
    run "$B/conv_vae" --epochs 3 --out "$w/conv_vae"
    grey "$w/conv_vae/samples.png" conv-vae-samples.png
    grey "$w/conv_vae/reconstructions.png" conv-vae-reconstructions.png
fi
if want cvae; then                                                                    # docs/cvae.md
    run "$B/cvae" --out "$w/cvae"
    mkdir -p docs/img/cvae
    grey "$w/cvae/samples_by_class.png" cvae/samples_by_class.png
    grey "$w/cvae/reconstructions.png" cvae/reconstructions.png
fi

if [ "${PICTURES_QUICK:-0}" = 1 ]; then
    echo "pictures: PICTURES_QUICK=1: the GAN's and DCGAN's pictures stay as committed"; exit 0
fi
# the default runs (GAN 15 epochs, DCGAN 4); each judge's checkpoint goes to the scratch folder, so it
# is trained here (5 epochs, as by default when out/classifier/model.ckpt is missing)
if want gan; then                                                                     # docs/gan.md
    gan=${GAN_RUN:-$w/gan}
    [ -n "${GAN_RUN:-}" ] || run "$B/gan" --out "$gan" --classifier "$w/judge/model.ckpt"
    finished "$gan" 15
    grey "$gan/samples_epoch001.png" gan-samples-epoch001.png
    grey "$gan/samples.png" gan-samples.png
    plot "$gan/curves.png" gan-curves.png 50
fi
if want dcgan; then                                                                   # docs/conv-models.md
    dcgan=${DCGAN_RUN:-$w/dcgan}
    [ -n "${DCGAN_RUN:-}" ] || run "$B/dcgan" --out "$dcgan" --classifier "$w/judge-dcgan/model.ckpt"
    finished "$dcgan" 4
    grey "$dcgan/samples.png" dcgan-samples.png
    plot "$dcgan/curves.png" dcgan-curves.png 50
fi
