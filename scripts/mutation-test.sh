#!/usr/bin/env bash
# mutation-test.sh — does the gradient-check table catch a wrong backward?
# For each mutation below: copy autograd/ to a scratch dir, break ONE op's backward (scale it by 1.01,
# or flip its sign), build the double-precision op tests against the broken copy, and expect failure.
# Prints one line per mutation: CAUGHT or MISSED. Exit 1 if any mutation is missed.
# Usage: bash scripts/mutation-test.sh        (takes a few minutes: one build per mutation)
set -uo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# file | exact text in the backward | replacement | description
mutations=(
"ops_elementwise.cpp|dx[i] += n.grad[i] * n.value[i];|dx[i] += 1.01 * n.grad[i] * n.value[i];|exp backward x1.01"
"ops_elementwise.cpp|dx[i] += n.grad[i] / X[i];|dx[i] -= n.grad[i] / X[i];|log backward sign flip"
"ops_elementwise.cpp|dx[i] += n.grad[i] * n.value[i] * (1 - n.value[i]);|dx[i] += 1.01 * n.grad[i] * n.value[i] * (1 - n.value[i]);|sigmoid backward x1.01"
"ops_elementwise.cpp|d[j] -= dY[o] * A[i] / (B[j] * B[j]);|d[j] -= 1.01 * dY[o] * A[i] / (B[j] * B[j]);|div backward (divisor) x1.01"
"ops_matmul.cpp|gemm(!ta, false, K, N, M, 1, A.ptr(), lda, dY.ptr(), N, 1, dB->ptr(), ldb);|gemm(!ta, false, K, N, M, 1.01, A.ptr(), lda, dY.ptr(), N, 1, dB->ptr(), ldb);|matmul backward dB x1.01"
"ops_matmul.cpp|(*db)[j] += dY.at(i, j);|(*db)[j] -= dY.at(i, j);|linear bias backward sign flip"
"ops_nn.cpp|d[j] += dy[j] - std::exp(y[j]) * g;|d[j] += dy[j] - 1.01 * std::exp(y[j]) * g;|log_softmax backward x1.01 (softmax term)"
"ops_loss.cpp|(*dZ)[i] += g * (1 / (1 + std::exp(-Z[i])) - T[i]);|(*dZ)[i] += 1.01 * g * (1 / (1 + std::exp(-Z[i])) - T[i]);|bce_with_logits backward x1.01"
"ops_loss.cpp|dZ.at(i, j) += g * (p[j] - (j == y ? 1 : 0));|dZ.at(i, j) -= g * (p[j] - (j == y ? 1 : 0));|cross_entropy backward sign flip"
"ops_reduce.cpp|for (int j = 0; j < C; j++) dx.at(i, j) += n.grad[n.k == 0 ? j : i] * n.a;|for (int j = 0; j < C; j++) dx.at(i, j) += 1.01 * n.grad[n.k == 0 ? j : i] * n.a;|sum/mean along axis backward x1.01"
)

missed=0
for m in "${mutations[@]}"; do
    IFS='|' read -r file from to what <<<"$m"
    rm -rf "$work/autograd" && cp -r autograd "$work/autograd"
    python3 - "$work/autograd/$file" "$from" "$to" <<'PY' || { echo "SKIPPED  $what (pattern not found)"; missed=1; continue; }
import sys
p, a, b = sys.argv[1:]
s = open(p).read()
if s.count(a) != 1: sys.exit(1)
open(p, "w").write(s.replace(a, b))
PY
    if ! g++ -std=c++17 -O1 -DTAPEGRAD_DOUBLE -I"$work" -I. tests/main.cpp tests/test_ops.cpp "$work"/autograd/*.cpp \
            -lopenblas -lpthread -o "$work/t" 2>"$work/err"; then
        echo "BUILD-FAILED  $what"; missed=1; continue
    fi
    if "$work/t" "[gradcheck]" >"$work/out" 2>&1; then echo "MISSED  $what"; missed=1
    else echo "CAUGHT  $what  ($(grep -c 'FAILED' "$work/out") failing checks)"; fi
done
exit $missed
