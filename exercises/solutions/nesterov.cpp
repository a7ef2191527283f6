// nesterov.cpp — reference solution of exercise 3: SGD with Nesterov momentum, PyTorch's form.
// The velocity is updated first, then the step looks ahead along it: g + μ·buf, not buf.
#include "autograd/tensor.h"

namespace tg {

void nesterov_step(Tensor& w, const Tensor& g, Tensor& buf, real lr, real mu) {
    for (size_t i = 0; i < w.size(); i++) {
        buf[i] = mu * buf[i] + g[i];
        w[i] -= lr * (g[i] + mu * buf[i]);
    }
}

}  // namespace tg
