// sparsity.cpp — reference solution of exercise 5: the KL sparsity penalty from tape ops. The constant
// part ρ log ρ + (1 − ρ) log(1 − ρ) per unit is added as a number: it has no gradient.
#include <cmath>

#include "autograd/ops.h"

namespace tg {

Var kl_sparsity(Var h, real rho) {
    const int H = h.shape().cols();
    Var rho_hat = mean(h, 0);                                            // (1, H)
    Var terms = log(rho_hat) * (-rho) + log(1.0 - rho_hat) * (-(1 - rho));  // −ρ log ρ̂ − (1 − ρ) log(1 − ρ̂)
    const real constant = H * (rho * std::log(rho) + (1 - rho) * std::log(1 - rho));
    return sum(terms) + constant;
}

}  // namespace tg
