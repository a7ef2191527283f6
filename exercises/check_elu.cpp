// check_elu.cpp — exercise 1 (docs/exercises.md): the ELU op, y = x for x > 0, α(eˣ − 1) otherwise.
// Checks forward values, the gradient against central differences (double build, tolerance 1e-5, inputs
// kept 0.05 from the kink at 0), and that the backward adds (elu(x) + elu(x) must give twice the gradient).
#include "autograd/gradcheck.h"
#include "autograd/ops.h"
#include "exercises/check.h"

namespace tg {
Var elu(Var x, real alpha);  // yours: in autograd/ops_elementwise.cpp, or exercises/elu.cpp
}
using namespace tg;

int main() {
    Tape t;
    Var x = t.input(Tensor(Shape{4}, {-2, -1, 0.5, 3}));
    Var y = elu(x, 1), y2 = elu(x, 0.5);
    ex::near("elu(-2)", y.value()[0], std::exp(-2.0) - 1);
    ex::near("elu(-1)", y.value()[1], -0.6321205588285577);
    ex::near("elu(0.5)", y.value()[2], 0.5);
    ex::near("elu(3)", y.value()[3], 3);
    ex::near("elu(-2, alpha 0.5)", y2.value()[0], 0.5 * (std::exp(-2.0) - 1));
    ex::truth("elu keeps the shape", y.shape() == x.shape());

    Rng rng(7);
    Tensor in = Tensor::uniform(Shape{3, 5}, -2, 2, rng);
    for (real& v : in.data)
        if (std::fabs(v) < 0.05) v = v < 0 ? -0.1 : 0.1;  // away from the kink
    GradcheckResult g = gradcheck("elu", [](Tape&, const std::vector<Var>& v) { return elu(v[0], 0.7); }, {in});
    if (!g.ok) printf("%s", g.report().c_str());
    ex::truth("the gradient of elu matches central differences", g.ok);
    GradcheckResult twice = gradcheck("elu + elu", [](Tape&, const std::vector<Var>& v) { return elu(v[0], 0.7) + elu(v[0], 0.7); }, {in});
    ex::truth("elu's backward adds into dx (+=), it does not assign", !g.ok || twice.ok);  // reported once the gradient is right
    return ex::verdict("exercise elu");
}
