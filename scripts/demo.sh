#!/usr/bin/env bash
# demo.sh BUILD_DIR — the tour that `make demo` runs: each example briefly, on real data, writing its
# pictures and metrics under out/. Pass DEMO_FULL=1 for full-size runs.
set -euo pipefail
B=${1:-build}
OUT=${OUT:-out}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "1. the engine alone: gradcheck a 2-layer MLP, then fit a noisy sine with hand-written SGD"
"$B/regression" --steps 1000
