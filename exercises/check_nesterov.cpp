// check_nesterov.cpp — exercise 3 (docs/exercises.md): one step of SGD with Nesterov momentum, as
// PyTorch writes it (docs/optimizers.md): buf = μ·buf + g;  w −= lr·(g + μ·buf). Checked, over 6 steps
// of changing gradients, against tapegrad's SGD(params, lr, μ, nesterov = true).
#include "exercises/check.h"
#include "nn/optim.h"

namespace tg {
// yours: exercises/nesterov.cpp. w, g, buf have the same size; buf starts at 0.
void nesterov_step(Tensor& w, const Tensor& g, Tensor& buf, real lr, real mu);
}
using namespace tg;

int main() {
    Rng rng(11);
    Param p("w", Tensor::normal(Shape{5}, 0, 1, rng));
    Tensor mine = p.value, buf(Shape{5});
    SGD opt({&p}, 0.1, 0.9, true);
    for (int step = 1; step <= 6; step++) {
        Tensor g = Tensor::normal(Shape{5}, 0, 1, rng);
        p.grad = g;
        opt.step();
        nesterov_step(mine, g, buf, 0.1, 0.9);
        for (int i = 0; i < 5; i++) ex::near("step " + std::to_string(step) + ", w[" + std::to_string(i) + "]", mine[i], p.value[i], 1e-12);
    }
    return ex::verdict("exercise nesterov");
}
