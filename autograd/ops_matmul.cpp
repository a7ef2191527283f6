// ops_matmul.cpp — matrix products through the one GEMM call site (blas.h), transposes as flags.
// The transpose rule (docs/ops.md): for Y = op(A) op(B),
//   d op(A) = dY op(B)^T   and   d op(B) = op(A)^T dY,
// and when A itself was transposed, dA is the transpose of d op(A): swap the factors and flags.
#include "autograd/blas.h"
#include "autograd/ops_impl.h"

namespace tg {

// Rows and columns of op(X) for a 2-D X.
static int rows_of(const Shape& s, bool t) { return t ? s[1] : s[0]; }
static int cols_of(const Shape& s, bool t) { return t ? s[0] : s[1]; }

Var matmul(Var a, Var b, bool trans_a, bool trans_b) {
    const Shape &sa = a.shape(), &sb = b.shape();
    if (sa.ndim != 2 || sb.ndim != 2) throw shape_error("matmul", sa, sb, "takes 2-D tensors");
    int M = rows_of(sa, trans_a), K = cols_of(sa, trans_a), N = cols_of(sb, trans_b);
    if (rows_of(sb, trans_b) != K) throw shape_error("matmul", sa, sb, trans_a || trans_b ? "inner dims differ (after the transposes asked for)" : "inner dims differ");
    Var out = tape_of(a, "matmul").push("matmul", Shape{M, N}, {a, b});
    Node& n = out.node();
    n.trans_a = trans_a;
    n.trans_b = trans_b;
    gemm(trans_a, trans_b, M, N, K, 1, a.value().ptr(), sa[1], b.value().ptr(), sb[1], 0, out.value().ptr(), N);
    return out.tape->record(out, [](Tape& t, Node& n) {
        const bool ta = n.trans_a, tb = n.trans_b;
        const Tensor &A = t.val(n.in[0]), &B = t.val(n.in[1]), &dY = n.grad;
        int M = dY.dim(0), N = dY.dim(1), K = cols_of(A.shape, ta);
        int lda = A.dim(1), ldb = B.dim(1);
        if (Tensor* dA = t.grad_of(n.in[0])) {
            if (!ta) gemm(false, !tb, M, K, N, 1, dY.ptr(), N, B.ptr(), ldb, 1, dA->ptr(), lda);  // dA += dY op(B)^T
            else     gemm(tb, true, K, M, N, 1, B.ptr(), ldb, dY.ptr(), N, 1, dA->ptr(), lda);    // dA += op(B) dY^T
        }
        if (Tensor* dB = t.grad_of(n.in[1])) {
            if (!tb) gemm(!ta, false, K, N, M, 1, A.ptr(), lda, dY.ptr(), N, 1, dB->ptr(), ldb);  // dB += op(A)^T dY
            else     gemm(true, ta, N, K, M, 1, dY.ptr(), N, A.ptr(), lda, 1, dB->ptr(), ldb);    // dB += dY^T op(A)
        }
    });
}

// y = x W^T + b, the unfused form being add(matmul(x, W, false, true), b); tests check they agree.
Var linear(Var x, Var W, Var b) {
    const Shape &sx = x.shape(), &sw = W.shape();
    if (sx.ndim != 2 || sw.ndim != 2) throw shape_error("linear", sx, sw, "takes x (B, in) and W (out, in)");
    if (sx[1] != sw[1]) throw shape_error("linear", sx, sw, "x's columns must equal W's columns (in features)");
    int B = sx[0], I = sx[1], O = sw[0];
    if (b.valid() && b.shape().numel() != (size_t)O)
        throw shape_error("linear", sw, b.shape(), "the bias needs one value per output (W's rows)");
    Var out = b.valid() ? tape_of(x, "linear").push("linear", Shape{B, O}, {x, W, b})
                        : tape_of(x, "linear").push("linear", Shape{B, O}, {x, W});
    Tensor& Y = out.value();
    if (b.valid()) {  // each row of y starts as the bias
        const real* bias = b.value().ptr();
        real* y = Y.ptr();
        for_each_index(B, [=](size_t i) { std::copy_n(bias, O, y + i * O); }, kMinPerThread / O + 1);
    }
    // fused bias: the GEMM adds x W^T onto the rows of bias already in y (beta = 1)
    gemm(false, true, B, O, I, 1, x.value().ptr(), I, W.value().ptr(), I, b.valid() ? 1 : 0, Y.ptr(), O);
    return out.tape->record(out, [](Tape& t, Node& n) {
        const Tensor &X = t.val(n.in[0]), &Wt = t.val(n.in[1]), &dY = n.grad;
        int B = X.dim(0), I = X.dim(1), O = Wt.dim(0);
        if (Tensor* dX = t.grad_of(n.in[0])) gemm(false, false, B, I, O, 1, dY.ptr(), O, Wt.ptr(), I, 1, dX->ptr(), I);  // dx += dy W
        if (Tensor* dW = t.grad_of(n.in[1])) gemm(true, false, O, I, B, 1, dY.ptr(), O, X.ptr(), I, 1, dW->ptr(), I);   // dW += dy^T x
        if (n.n_in == 3)
            if (Tensor* db = t.grad_of(n.in[2])) {  // db += Σ_rows dy: each thread sums its own columns
                real* d = db->ptr();
                const real* dy = dY.ptr();
                for_each_range(O, [=](size_t j0, size_t j1) {
                    for (int i = 0; i < B; i++)
                        for (size_t j = j0; j < j1; j++) d[j] += dy[(size_t)i * O + j];
                }, kMinPerThread / B + 1);
            }
    });
}

}  // namespace tg
