#!/usr/bin/env bash
# test-experiments.sh BUILD_DIR — build/experiments (docs/experiments.md) runs one experiment at a tiny size
# (novelty: every class held out once, 3 seeds) and its results.csv has the expected columns, one row per
# class, and a finite AUROC in [0, 1] in every cell; linear's principal angles lie in [0, 90] degrees; an
# unknown name is refused with exit code 2.
set -uo pipefail
B=$(cd "${1:-build}" && pwd)
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
if ! "$B/experiments" novelty --quick --train-limit 600 --test-limit 300 --epochs 1 --out "$out" > "$out/log" 2>&1; then
    echo "FAILED: experiments novelty --quick exits non-zero:"; tail -5 "$out/log"; exit 1
fi
csv="$out/novelty/results.csv"
want="held_out,class,pca_residual_auroc,ae_error_auroc_mean,ae_error_auroc_sd,vae_nelbo_auroc_mean,vae_nelbo_auroc_sd,ae_vs_pca,vae_vs_pca"
[ "$(head -1 "$csv")" = "$want" ] || { echo "FAILED: $csv header is '$(head -1 "$csv")', expected '$want'"; status=1; }
rows=$(($(wc -l < "$csv") - 1))
[ "$rows" = 10 ] || { echo "FAILED: $csv has $rows rows, expected one per class (10)"; status=1; }
bad=$(awk -F, 'NR > 1 { for (i = 3; i <= 7; i++) if (!($i + 0 == $i && $i >= 0 && $i <= 1)) print NR": "$i;
                         for (i = 8; i <= 9; i++) if ($i != "better" && $i != "worse" && $i != "tie") print NR": "$i }' "$csv")
[ -z "$bad" ] || { echo "FAILED: cells that are not an AUROC in [0, 1] or a verdict:"; echo "$bad" | head -5; status=1; }
[ -s "$out/novelty/novelty.png" ] || { echo "FAILED: no novelty.png"; status=1; }
# linear (8b): one row per K with angles in [0, 90] degrees and a bar verdict; the ladder's five rows
if "$B/experiments" linear --quick --train-limit 600 --test-limit 300 --epochs 1 --out "$out" > "$out/log" 2>&1; then
    bad=$(awk -F, 'NR > 1 { if (!($9 >= 0 && $9 <= 90 && $11 >= 0 && $11 <= $9 && ($15 == "met" || $15 == "missed"))) print NR": "$0 }' "$out/linear/results.csv")
    [ "$(($(wc -l < "$out/linear/results.csv") - 1))" = 3 ] && [ -z "$bad" ] || { echo "FAILED: linear's results.csv: $bad"; status=1; }
    [ "$(($(wc -l < "$out/linear/ladder.csv") - 1))" = 5 ] || { echo "FAILED: linear's ladder.csv has not 5 rows"; status=1; }
    [ -s "$out/linear/angles.png" ] && [ -s "$out/linear/ladder.png" ] || { echo "FAILED: linear wrote no angles.png or ladder.png"; status=1; }
else
    echo "FAILED: experiments linear --quick exits non-zero:"; tail -5 "$out/log"; status=1
fi
"$B/experiments" no-such-experiment > /dev/null 2>&1
code=$?
[ $code = 2 ] || { echo "FAILED: an unknown experiment exits $code, expected 2"; status=1; }
"$B/experiments" augment --train-limit 300 --out "$out" > /dev/null 2>&1  # 60 labelled per class cannot be drawn from 300
code=$?
[ $code = 2 ] || { echo "FAILED: augment with too few images per class exits $code, expected 2"; status=1; }
[ $status -eq 0 ] && echo "test-experiments: novelty's results.csv has its columns, 10 rows, AUROCs in [0, 1]; linear's angles in [0, 90]; augment refuses too few images per class"
exit $status
