// ops_loss.cpp — losses fused into one op each, where composing primitives would be unstable or slow:
// mean squared error, binary cross-entropy on logits, and cross-entropy on logits with integer labels.
// Each returns one value (Reduce picks mean, sum, or sum per row); backward multiplies by dy.
// Names: ops_impl.h's legend.  derivations: docs/ops.md
#include "autograd/ops_impl.h"

namespace tg {

static void same_shape(const char* op, Var a, Var b) {
    if (a.shape().numel() != b.shape().numel() || a.shape().rows() != b.shape().rows())
        throw shape_error(op, a.shape(), b.shape(), "prediction and target must have the same shape");
}

// l = (p - t)^2
Var mse(Var pred, Var target, Reduce r) {
    same_shape("mse", pred, target);
    Var out = tape_of(pred, "mse").push("mse", Shape{}, {pred, target});
    Node& n = out.node();
    n.scale = reduce_scale(r, pred.shape());
    const Tensor &P = pred.value(), &T = target.value();
    double acc = 0;
    for (size_t i = 0; i < P.size(); i++) acc += (double)(P[i] - T[i]) * (P[i] - T[i]);
    out.value()[0] = (real)(acc * n.scale);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dp += dy 2 (p - t) scale;  dt -= the same
        const Tensor &P = t.val(n.in[0]), &T = t.val(n.in[1]);
        real g = n.grad[0] * n.scale * 2;
        if (Tensor* dP = t.grad_of(n.in[0])) for (size_t i = 0; i < P.size(); i++) (*dP)[i] += g * (P[i] - T[i]);
        if (Tensor* dT = t.grad_of(n.in[1])) for (size_t i = 0; i < P.size(); i++) (*dT)[i] -= g * (P[i] - T[i]);
    });
}

// l = -t ln σ(z) - (1 - t) ln(1 - σ(z)) = max(z, 0) - z t + ln(1 + e^-|z|)
// NOTE: the right-hand form never takes log(0) or exp of a large number; on probabilities instead of
// logits, σ(z) rounds to 0 or 1 and the left-hand form gives inf (the NaN trap of VAE tutorials: docs/vae.md).
// Fused: the forward pass also computes dl/dz = σ(z) - t (both need e^-|z|), so backward is one multiply.
// saved = [ (σ(z) - t) · scale | the per-element loss ], two rows of the input's size.
Var bce_with_logits(Var logits, Var target, Reduce r) {
    same_shape("bce_with_logits", logits, target);
    Var out = tape_of(logits, "bce_with_logits").push("bce_with_logits", Shape{}, {logits, target});
    Node& n = out.node();
    n.scale = reduce_scale(r, logits.shape());
    const size_t N = logits.value().size();
    n.saved.resize(Shape{2, (int)N});
    const real *Z = logits.value().ptr(), *T = target.value().ptr();
    real *G = n.saved.ptr(), *L = G + N;
    const real scale = n.scale;
    for_each_index(N, [=](size_t i) {  // vexp, vlog1p: autograd/fast/vmath.h
        real e = vexp(-std::fabs(Z[i]));            // e^-|z| in (0, 1]
        real s = 1 / (1 + e);
        real sig = Z[i] >= 0 ? s : e * s;           // σ(z) without overflow
        L[i] = (Z[i] > 0 ? Z[i] : 0) - Z[i] * T[i] + vlog1p(e);
        G[i] = (sig - T[i]) * scale;
    }, kMinPerThreadMath);
    out.value()[0] = (real)(sum_double(L, N) * scale);  // Σ L in double (fast/vmath.h)
    return out.tape->record(out, [](Tape& t, Node& n) {  // dz += dy (σ(z) - t) scale;  dt -= dy z scale
        const size_t N = n.saved.size() / 2;
        const real g = n.grad[0];
        if (Tensor* dZ = t.grad_of(n.in[0])) {
            real* d = dZ->ptr();
            const real* G = n.saved.ptr();
            for_each_index(N, [=](size_t i) { d[i] += g * G[i]; });
        }
        if (Tensor* dT = t.grad_of(n.in[1])) {
            real* d = dT->ptr();
            const real* Z = t.val(n.in[0]).ptr();
            const real gs = g * n.scale;
            for (size_t i = 0; i < N; i++) d[i] -= gs * Z[i];
        }
    });
}

// l_i = ln Σ_j e^z_ij - z_i,y_i : log-softmax and the negative log-likelihood in one pass.
// Saves the softmax (for backward) and the labels.
Var cross_entropy(Var logits, const std::vector<int>& labels, Reduce r) {
    const Shape& s = logits.shape();
    if (s.ndim != 2) throw Error("cross_entropy: logits must be (batch, classes), got " + s.str());
    int R = s[0], C = s[1];
    if ((int)labels.size() != R)
        throw Error("cross_entropy: " + std::to_string(labels.size()) + " labels for " + std::to_string(R) + " rows of logits " + s.str());
    for (int i = 0; i < R; i++)
        if (labels[i] < 0 || labels[i] >= C)
            throw input_error("cross_entropy: label " + std::to_string(labels[i]) + " in row " + std::to_string(i) + " is outside [0, " + std::to_string(C) + ")");
    Var out = tape_of(logits, "cross_entropy").push("cross_entropy", Shape{}, {logits});
    Node& n = out.node();
    n.scale = r == Reduce::Sum ? real(1) : real(1) / (real)R;  // Mean and BatchMean: average over rows
    n.saved.resize(Shape{R, C + 1});                      // softmax, then the label in the last column
    const Tensor& Z = logits.value();
    double acc = 0;
    for (int i = 0; i < R; i++) {
        int y = labels[i];
        const real* z = Z.ptr() + (size_t)i * C;
        real m = z[0];
        for (int j = 1; j < C; j++) m = std::max(m, z[j]);
        double se = 0;
        for (int j = 0; j < C; j++) se += std::exp(z[j] - m);
        real* p = n.saved.ptr() + (size_t)i * (C + 1);
        for (int j = 0; j < C; j++) p[j] = (real)(std::exp(z[j] - m) / se);
        p[C] = (real)y;
        acc += m + std::log(se) - z[y];
    }
    out.value()[0] = (real)(acc * n.scale);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dz_ij += dy (softmax_ij - [j = y_i]) scale
        Tensor& dZ = *t.grad_of(n.in[0]);
        int R = dZ.dim(0), C = dZ.dim(1);
        real g = n.grad[0] * n.scale;
        for (int i = 0; i < R; i++) {
            const real* p = n.saved.ptr() + (size_t)i * (C + 1);
            int y = (int)p[C];
            for (int j = 0; j < C; j++) dZ.at(i, j) += g * (p[j] - (j == y ? 1 : 0));
        }
    });
}

}  // namespace tg
