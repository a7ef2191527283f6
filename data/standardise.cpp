// standardise.cpp — per-column standardisation (data/standardise.h).
#include "data/standardise.h"

#include <algorithm>
#include <cmath>

namespace tg {

void Standardiser::fit(const Tensor& x, double min_scale) {
    const int N = x.rows(), D = x.cols();
    mean = Tensor(Shape{D});
    scale = Tensor(Shape{D});
    for (int i = 0; i < D; i++) {
        double s = 0, s2 = 0;
        for (int n = 0; n < N; n++) { s += x.at(n, i); s2 += (double)x.at(n, i) * x.at(n, i); }
        double m = s / N;
        mean[i] = (real)m;
        scale[i] = (real)std::max(min_scale, std::sqrt(std::max(0.0, s2 / N - m * m)));
    }
}

void Standardiser::apply(Tensor& x) const {
    for (int n = 0; n < x.rows(); n++)
        for (int i = 0; i < x.cols(); i++) x.at(n, i) = (x.at(n, i) - mean[i]) / scale[i];
}

Tensor Standardiser::undo(Tensor x) const {
    if (mean.size() == 0) return x;
    for (int n = 0; n < x.rows(); n++)
        for (int i = 0; i < x.cols(); i++) x.at(n, i) = x.at(n, i) * scale[i] + mean[i];
    return x;
}

}  // namespace tg
