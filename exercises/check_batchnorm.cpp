// check_batchnorm.cpp — exercise 2 (docs/exercises.md): BatchNorm's backward in closed form, checked
// against the tape's gradient through BatchNorm1d (nn/layers.cpp builds it from mean, sub, div, sqrt:
// the tape differentiates the composition; you derive the same thing on paper, as llm.c's layernorm.md).
#include "autograd/ops.h"
#include "exercises/check.h"
#include "nn/layers.h"

namespace tg {
// x (B, F), gamma (F), dy (B, F) -> dx (B, F), dgamma (F), dbeta (F); training mode (batch statistics,
// biased variance), y = (x − μ) / √(σ² + eps) · γ + β.   yours: exercises/batchnorm.cpp
void batchnorm_backward(const Tensor& x, const Tensor& gamma, const Tensor& dy, real eps, Tensor& dx, Tensor& dgamma, Tensor& dbeta);
}
using namespace tg;

int main() {
    const int B = 6, F = 4;
    Rng rng(3);
    Tensor x = Tensor::normal(Shape{B, F}, 1, 2, rng), dy = Tensor::normal(Shape{B, F}, 0, 1, rng);
    BatchNorm1d bn("bn", F, 0.1, 1e-5);
    bn.weight.value = Tensor::uniform(Shape{F}, 0.5, 1.5, rng);
    bn.bias.value = Tensor::uniform(Shape{F}, -1, 1, rng);
    // the tape's answer: L = Σ dy ⊙ y, so dL/dy = dy
    Tape t;
    Var xv = t.input(x, true);
    Var L = sum(bn.forward(xv) * t.input(dy));
    bn.weight.zero_grad();
    bn.bias.zero_grad();
    t.backward(L);
    Tensor dx, dgamma, dbeta;
    batchnorm_backward(x, bn.weight.value, dy, 1e-5, dx, dgamma, dbeta);
    ex::truth("dx is (B, F)", dx.shape == x.shape);
    ex::truth("dgamma and dbeta have F values", dgamma.size() == (size_t)F && dbeta.size() == (size_t)F);
    if (ex::failures) return ex::verdict("exercise batchnorm");
    for (int i = 0; i < B * F; i++) ex::near("dx[" + std::to_string(i) + "]", dx[i], xv.grad()[i], 1e-9);
    for (int j = 0; j < F; j++) {
        ex::near("dgamma[" + std::to_string(j) + "]", dgamma[j], bn.weight.grad[j], 1e-9);
        ex::near("dbeta[" + std::to_string(j) + "]", dbeta[j], bn.bias.grad[j], 1e-9);
    }
    // a property the closed form makes plain: each column of dx sums to 0 (shifting x does not change y)
    for (int j = 0; j < F; j++) {
        double s = 0;
        for (int b = 0; b < B; b++) s += dx.at(b, j);
        ex::near("column " + std::to_string(j) + " of dx sums to 0", s, 0, 1e-9);
    }
    return ex::verdict("exercise batchnorm");
}
