#!/usr/bin/env bash
# test-tsne.sh BUILD_DIR — tapegrad's t-SNE against scikit-learn's on the same data (sklearn's digits, 1797 x 64):
# trustworthiness at k = 10 of both pictures (tapegrad's must be within 0.01 of sklearn's or better) and the
# time of each, side by side; Barnes-Hut on all 1797 rows, the exact method on the first 500. Uses Debian's
# python3-sklearn through /usr/bin/python3 (installed when missing, as root); never a build dependency.
set -euo pipefail
B=${1:-build}
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh "scripts/test-tsne.sh" python3-sklearn python3-numpy
[ -x "$B/reduce" ] || { echo "test-tsne: $B/reduce is not built (make $B/reduce)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1   # one thread each side, as tapegrad runs by default
$PY - "$tmp" <<'PYEOF'
import sys, numpy as np
from sklearn.datasets import load_digits
X, y = load_digits(return_X_y=True)
np.savetxt(sys.argv[1] + "/digits.csv", np.column_stack([X, y]), delimiter=",", fmt="%g",
           header=",".join([f"p{i}" for i in range(64)] + ["label"]), comments="")
PYEOF
fail=0
for rows in 1797 500; do
    start=$EPOCHREALTIME
    "$B/reduce" --method tsne --dim 2 --train "$tmp/digits.csv" --train-limit "$rows" --out "$tmp/codes_$rows.csv" > "$tmp/log_$rows.txt"
    ours_s=$($PY -c "print($EPOCHREALTIME - $start)")
    $PY - "$tmp" "$rows" "$ours_s" <<'PYEOF' || fail=1
import sys, time, numpy as np
from sklearn.manifold import TSNE, trustworthiness
tmp, rows, ours_s = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
X = np.loadtxt(tmp + "/digits.csv", delimiter=",", skiprows=1)[:rows, :64]
ours = np.loadtxt(f"{tmp}/codes_{rows}.csv", delimiter=",", skiprows=1)[:, :2]
method = "exact" if rows <= 1000 else "barnes_hut"   # tapegrad's rule: exact up to 1000 rows
t0 = time.time()
ref = TSNE(n_components=2, perplexity=30, init="pca", learning_rate="auto", method=method, random_state=0).fit_transform(X)
sk_s = time.time() - t0
t_ours, t_sk = trustworthiness(X, ours, n_neighbors=10), trustworthiness(X, ref, n_neighbors=10)
ok = t_ours >= t_sk - 0.01
print(f"t-SNE {method:10s} N={rows}: trustworthiness(k=10) tapegrad {t_ours:.4f} sklearn {t_sk:.4f} "
      f"(difference {t_ours - t_sk:+.4f}, must be >= -0.01); time tapegrad {ours_s:.2f} s (whole reduce run) "
      f"sklearn {sk_s:.2f} s: {'ok' if ok else 'FAILED'}")
sys.exit(0 if ok else 1)
PYEOF
done
[ $fail -eq 0 ] && echo "test-tsne: tapegrad's t-SNE matches sklearn's trustworthiness"
exit $fail
