// batchnorm.cpp — reference solution of exercise 2: BatchNorm's backward in closed form.
// With x̂ = (x − μ)/s, s = √(σ² + ε), y = γ x̂ + β, and g = dy·γ per element, per column:
//   dβ = Σ_b dy      dγ = Σ_b dy x̂      dx = (1/s) (g − mean_b(g) − x̂ · mean_b(g x̂))
// (the two means are the paths through μ and through σ², which every x_b feeds).
#include <cmath>

#include "autograd/tensor.h"

namespace tg {

void batchnorm_backward(const Tensor& x, const Tensor& gamma, const Tensor& dy, real eps, Tensor& dx, Tensor& dgamma, Tensor& dbeta) {
    const int B = x.rows(), F = x.cols();
    dx = Tensor(x.shape);
    dgamma = Tensor(Shape{F});
    dbeta = Tensor(Shape{F});
    for (int j = 0; j < F; j++) {
        double mu = 0, var = 0;
        for (int b = 0; b < B; b++) mu += x.at(b, j);
        mu /= B;
        for (int b = 0; b < B; b++) var += (x.at(b, j) - mu) * (x.at(b, j) - mu);
        var /= B;  // biased, as in the forward
        const double s = std::sqrt(var + eps);
        double mean_g = 0, mean_gx = 0;
        for (int b = 0; b < B; b++) {
            double xhat = (x.at(b, j) - mu) / s, g = dy.at(b, j) * gamma[j];
            dbeta[j] += dy.at(b, j);
            dgamma[j] += dy.at(b, j) * xhat;
            mean_g += g / B;
            mean_gx += g * xhat / B;
        }
        for (int b = 0; b < B; b++) {
            double xhat = (x.at(b, j) - mu) / s, g = dy.at(b, j) * gamma[j];
            dx.at(b, j) = (real)((g - mean_g - xhat * mean_gx) / s);
        }
    }
}

}  // namespace tg
