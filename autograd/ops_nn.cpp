// ops_nn.cpp — ops that belong to neural nets rather than to algebra: dropout and log-softmax.
// Names: ops_impl.h's legend.  derivations: docs/ops.md
#include "autograd/ops_impl.h"

namespace tg {

Var dropout(Var x, real p, Rng& rng, bool training) {
    if (!(p >= 0 && p < 1)) throw Error("dropout: p must be in [0, 1), got " + std::to_string(p));
    if (!training || p == 0) return x;  // identity in evaluation
    Var out = tape_of(x, "dropout").push("dropout", x.shape(), {x});
    Node& n = out.node();
    n.saved.resize(x.shape());  // the mask, already scaled: m / (1 - p), so E[y] = x
    const real keep_scale = 1 / (1 - p);
    const real* X = x.value().ptr();
    real *Y = out.value().ptr(), *M = n.saved.ptr();
    const Rng r = rng;  // the i-th draw by position (rng.h): the serial loop's numbers, on every thread
    for_each_index(x.value().size(), [=](size_t i) {
        M[i] = r.uniform_at(i) < p ? 0 : keep_scale;
        Y[i] = X[i] * M[i];
    }, kMinPerThreadMath);
    rng.skip(x.value().size());
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * m / (1 - p)
        Tensor& dx = *t.grad_of(n.in[0]);
        for (size_t i = 0; i < dx.size(); i++) dx[i] += n.grad[i] * n.saved[i];
    });
}

// Each row: y = x - m - ln Σ e^(x - m) with m = the row's max (so no e^x overflows).
Var log_softmax(Var x) {
    int R = x.shape().rows(), C = x.shape().cols();
    Var out = tape_of(x, "log_softmax").push("log_softmax", x.shape(), {x});
    const real* X = x.value().ptr();
    real* Y = out.value().ptr();
    for (int i = 0; i < R; i++) {
        const real* xr = X + (size_t)i * C;
        real m = xr[0];
        for (int j = 1; j < C; j++) m = std::max(m, xr[j]);
        double s = 0;
        for (int j = 0; j < C; j++) s += std::exp(xr[j] - m);
        real lse = m + (real)std::log(s);
        for (int j = 0; j < C; j++) Y[(size_t)i * C + j] = xr[j] - lse;
    }
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy - softmax(x) Σ_row dy,  softmax = e^y
        Tensor& dx = *t.grad_of(n.in[0]);
        int R = n.value.rows(), C = n.value.cols();
        for (int i = 0; i < R; i++) {
            const real *y = n.value.ptr() + (size_t)i * C, *dy = n.grad.ptr() + (size_t)i * C;
            real* d = dx.ptr() + (size_t)i * C;
            real g = 0;
            for (int j = 0; j < C; j++) g += dy[j];
            for (int j = 0; j < C; j++) d[j] += dy[j] - std::exp(y[j]) * g;
        }
    });
}

Var softmax(Var x) { return exp(log_softmax(x)); }

}  // namespace tg
