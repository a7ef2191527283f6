// check_sparsity.cpp — exercise 5 (docs/exercises.md): the sparse autoencoder's penalty (Ng's notes),
//   ρ̂_j = mean over the batch of h_bj,   penalty = Σ_j ρ log(ρ / ρ̂_j) + (1 − ρ) log((1 − ρ) / (1 − ρ̂_j))
// built from tape ops, so its gradient comes for free: checked for its value and its gradient.
#include "autograd/gradcheck.h"
#include "autograd/ops.h"
#include "exercises/check.h"

namespace tg {
// h (B, H): sigmoid activations in (0, 1); rho: the target mean activation. yours: exercises/sparsity.cpp
Var kl_sparsity(Var h, real rho);
}
using namespace tg;

int main() {
    Tensor h(Shape{4, 3}, {0.1, 0.5, 0.9, 0.2, 0.5, 0.8, 0.3, 0.5, 0.7, 0.2, 0.5, 0.6});
    Tape t;
    Var p = kl_sparsity(t.input(h), 0.05);
    ex::truth("the penalty is one value", p.value().size() == 1);
    double want = 0;
    for (double mean : {0.2, 0.5, 0.75})  // the column means of h
        want += 0.05 * std::log(0.05 / mean) + 0.95 * std::log(0.95 / (1 - mean));
    ex::near("penalty at rho = 0.05", p.item(), want);
    ex::near("penalty value", p.item(), 1.721423, 1e-6);
    Tape t0;
    ex::near("no penalty when every unit's mean is rho", kl_sparsity(t0.input(Tensor::full(Shape{5, 2}, 0.05)), 0.05).item(), 0, 1e-12);
    Rng rng(4);
    Tensor in = Tensor::uniform(Shape{5, 4}, 0.1, 0.9, rng);
    GradcheckResult g = gradcheck("kl_sparsity", [](Tape&, const std::vector<Var>& v) { return kl_sparsity(v[0], 0.1); }, {in});
    if (!g.ok) printf("%s", g.report().c_str());
    ex::truth("the gradient matches central differences", g.ok);
    return ex::verdict("exercise sparsity");
}
