#!/usr/bin/env bash
# pictures.sh BUILD_DIR — regenerate the pictures the docs embed, from fixed seeds, into docs/img/
# (`make pictures`). Today: the VAE's tape of one step (docs/one-step.md), drawn by Graphviz's dot,
# which is installed here (as root) if it is missing: only this target needs it.
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
