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
"ops_elementwise.cpp|unary_backward(t, n, [](real, real y, real dy) { return dy * y; });|unary_backward(t, n, [](real, real y, real dy) { return 1.01 * dy * y; });|exp backward x1.01"
"ops_elementwise.cpp|unary_backward(t, n, [](real x, real, real dy) { return dy / x; });|unary_backward(t, n, [](real x, real, real dy) { return -dy / x; });|log backward sign flip"
"ops_elementwise.cpp|unary_backward(t, n, [](real, real y, real dy) { return dy * y * (1 - y); });|unary_backward(t, n, [](real, real y, real dy) { return 1.01 * dy * y * (1 - y); });|sigmoid backward x1.01"
"ops_elementwise.cpp|dB[j] -= dY[o] * A[i] / (B[j] * B[j]);|dB[j] -= 1.01 * dY[o] * A[i] / (B[j] * B[j]);|div backward (divisor) x1.01"
"ops_matmul.cpp|gemm(!ta, false, K, N, M, 1, A.ptr(), lda, dY.ptr(), N, 1, dB->ptr(), ldb);|gemm(!ta, false, K, N, M, 1.01, A.ptr(), lda, dY.ptr(), N, 1, dB->ptr(), ldb);|matmul backward dB x1.01"
"ops_matmul.cpp|for (size_t j = j0; j < j1; j++) d[j] += dy[(size_t)i * O + j];|for (size_t j = j0; j < j1; j++) d[j] -= dy[(size_t)i * O + j];|linear bias backward sign flip"
"ops_nn.cpp|d[j] += dy[j] - std::exp(y[j]) * g;|d[j] += dy[j] - 1.01 * std::exp(y[j]) * g;|log_softmax backward x1.01 (softmax term)"
"ops_loss.cpp|for_each_index(N, [=](size_t i) { d[i] += g * G[i]; });|for_each_index(N, [=](size_t i) { d[i] += 1.01 * g * G[i]; });|bce_with_logits backward x1.01"
"ops_loss.cpp|dZ.at(i, j) += g * (p[j] - (j == y ? 1 : 0));|dZ.at(i, j) -= g * (p[j] - (j == y ? 1 : 0));|cross_entropy backward sign flip"
"ops_reduce.cpp|dx.at(i, j) += n.grad[n.axis == 0 ? j : i] * n.scale;|dx.at(i, j) += 1.01 * n.grad[n.axis == 0 ? j : i] * n.scale;|sum/mean along axis backward x1.01"
"ops_elementwise.cpp|unary_backward(t, n, [](real, real y, real dy) { return y > 0 ? dy : 0; });|unary_backward(t, n, [](real, real y, real dy) { return y > 0 ? 1.01 * dy : 0; });|relu backward x1.01"
"ops_shape.cpp|dx.at(i, n.first_col + j) += n.grad.at(i, j);|dx.at(i, n.first_col + j) -= n.grad.at(i, j);|slice_cols backward sign flip"
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
    if ! g++ -std=c++17 -O1 -DTAPEGRAD_DOUBLE -I"$work" -I. tests/main.cpp tests/test_ops.cpp "$work"/autograd/*.cpp "$work"/autograd/fast/*.cpp \
            -lopenblas -lpthread -o "$work/t" 2>"$work/err"; then
        echo "BUILD-FAILED  $what"; missed=1; continue
    fi
    if "$work/t" "[gradcheck]" >"$work/out" 2>&1; then echo "MISSED  $what"; missed=1
    else echo "CAUGHT  $what  ($(grep -c 'FAILED' "$work/out") failing checks)"; fi
done
exit $missed
