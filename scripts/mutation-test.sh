#!/usr/bin/env bash
# mutation-test.sh — does the gradient-check table catch a wrong backward?
# For each mutation below: copy autograd/ to a scratch dir, break ONE op's backward (scale it by 1.01,
# or flip its sign), build the double-precision op tests against the broken copy, and expect failure.
# Prints one line per mutation: CAUGHT or MISSED. Exit 1 if any mutation is missed.
# Usage: bash scripts/mutation-test.sh [WORD]  (a few minutes: the tests are compiled once, autograd/ once
#        per mutation; WORD runs only the mutations whose line mentions it, e.g. ops_conv.cpp)
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
"ops_conv.cpp|if (dW) gemm(false, true, O, (int)CKK, (int)P, 1, dy_i,|if (dW) gemm(false, true, O, (int)CKK, (int)P, 1.01, dy_i,|conv2d backward dw x1.01"
"ops_conv.cpp|if (dX) gemm(true, false, (int)CKK, (int)P, O, 1, Wt.ptr(),|if (dX) gemm(true, false, (int)CKK, (int)P, O, -1, Wt.ptr(),|conv2d backward dx (dcols) sign flip"
"ops_conv.cpp|for (int j = j0; j < j1; j++) xr[j * s - p + e] += in[j];|for (int j = j0; j < j1; j++) xr[j * s - p + e] += 1.01 * in[j];|col2im accumulation x1.01 (conv2d's dx, conv_transpose2d's y)"
"ops_conv.cpp|db[o] += (real)acc;|db[o] -= (real)acc;|conv bias backward sign flip"
"ops_conv.cpp|if (dX) gemm(false, false, C, (int)HW, (int)OKK, 1, Wt.ptr(),|if (dX) gemm(false, false, C, (int)HW, (int)OKK, 1.01, Wt.ptr(),|conv_transpose2d backward dx x1.01"
"ops_conv.cpp|if (dW) gemm(false, true, C, (int)OKK, (int)HW, 1, X.ptr()|if (dW) gemm(false, true, C, (int)OKK, (int)HW, -1, X.ptr()|conv_transpose2d backward dw sign flip"
"ops_conv.cpp|dX[q * plane + (size_t)arg[q * P + o]] += dY[q * P + o];|dX[q * plane + (size_t)arg[q * P + o]] += 1.01 * dY[q * P + o];|max_pool2d backward x1.01"
"ops_conv.cpp|const real g = dY[q * P + (size_t)i * Wo + j] * scale;|const real g = -dY[q * P + (size_t)i * Wo + j] * scale;|avg_pool2d backward sign flip"
"ops_conv.cpp|dX[q * plane + (size_t)(i / s) * W + j / s] += dY[q * P + (size_t)i * Wo + j];|dX[q * plane + (size_t)(i / s) * W + j / s] += 1.01 * dY[q * P + (size_t)i * Wo + j];|upsample2d backward x1.01"
"ops_conv.cpp|to_pixels(n.grad.ptr(), dx.ptr(), dx.dim(0), dx.dim(1), (size_t)dx.dim(2) * dx.dim(3), true);|to_pixels(n.grad.ptr(), dx.ptr(), dx.dim(0), dx.dim(1), (size_t)dx.dim(2) * dx.dim(3), true); dx[0] *= 1.01;|channels_last backward first entry x1.01"
"ops_conv.cpp|to_rows(n.grad.ptr(), dx.ptr(), n.grad.dim(0), n.grad.dim(1), (size_t)n.grad.dim(2) * n.grad.dim(3), true);|to_rows(n.grad.ptr(), dx.ptr(), n.grad.dim(0), n.grad.dim(1), (size_t)n.grad.dim(2) * n.grad.dim(3), true); dx[1] = -dx[1];|channels_first backward one entry sign flip"
)

# The test files and nn/ (which the conv tests use) do not change between mutations: compile them once.
# Mutations touch autograd/*.cpp only, never a header, so these objects stay valid against every copy.
flags=(-std=c++17 -O1 -DTAPEGRAD_DOUBLE)
mkdir -p "$work/obj"
for src in tests/main.cpp tests/test_ops.cpp tests/test_conv.cpp nn/*.cpp; do
    g++ "${flags[@]}" -I. -c "$src" -o "$work/obj/$(echo "$src" | tr / _).o" || { echo "cannot build $src"; exit 1; }
done

missed=0
for m in "${mutations[@]}"; do
    [ -n "${1:-}" ] && [[ "$m" != *"$1"* ]] && continue
    IFS='|' read -r file from to what <<<"$m"
    rm -rf "$work/autograd" && cp -r autograd "$work/autograd"
    python3 - "$work/autograd/$file" "$from" "$to" <<'PY' || { echo "SKIPPED  $what (pattern not found)"; missed=1; continue; }
import sys
p, a, b = sys.argv[1:]
s = open(p).read()
if s.count(a) != 1: sys.exit(1)
open(p, "w").write(s.replace(a, b))
PY
    if ! g++ "${flags[@]}" -I"$work" -I. "$work"/obj/*.o "$work"/autograd/*.cpp "$work"/autograd/fast/*.cpp \
            -lopenblas -lpthread -o "$work/t" 2>"$work/err"; then
        echo "BUILD-FAILED  $what"; missed=1; continue
    fi
    if "$work/t" "[gradcheck]" >"$work/out" 2>&1; then echo "MISSED  $what"; missed=1
    else echo "CAUGHT  $what  ($(grep -c 'FAILED' "$work/out") failing checks)"; fi
done
exit $missed
