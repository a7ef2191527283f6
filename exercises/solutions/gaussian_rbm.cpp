// gaussian_rbm.cpp — reference solution of exercise 6. The hidden units are independent given v, so the
// sum over h factorises: Σ_h e^(cᵀh + hᵀWv) = Π_j (1 + e^(c_j + W_j·v)), and
//   F(v) = ½‖v − b‖² − Σ_j softplus(c_j + W_j·v).
// Completing the square in v: p(v | h) = N(b + Wᵀh, I), so E[v | h] = b + Wᵀh.
#include <cmath>

#include "autograd/tensor.h"

namespace tg {

double gaussian_free_energy(const Tensor& W, const Tensor& b, const Tensor& c, const Tensor& v) {
    const int H = W.rows(), D = W.cols();
    double f = 0;
    for (int i = 0; i < D; i++) f += 0.5 * (v[i] - b[i]) * (v[i] - b[i]);
    for (int j = 0; j < H; j++) {
        double x = c[j];
        for (int i = 0; i < D; i++) x += W.at(j, i) * v[i];
        f -= std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x)));  // softplus, stable
    }
    return f;
}

Tensor gaussian_visible_mean(const Tensor& W, const Tensor& b, const Tensor& h) {
    const int H = W.rows(), D = W.cols();
    Tensor m(Shape{D});
    for (int i = 0; i < D; i++) {
        double s = b[i];
        for (int j = 0; j < H; j++) s += W.at(j, i) * h[j];
        m[i] = (real)s;
    }
    return m;
}

}  // namespace tg
