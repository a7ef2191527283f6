// my_op_check.cpp — a user's own op, gradchecked against an installed tapegrad's *double* build:
//   g++ my_op_check.cpp $(pkg-config --cflags --libs tapegrad-double) -o my_op_check
// cube(x) = x³ is written outside the library, as docs/ops.md's checklist says (push, compute, record);
// the check passes at the double build's tolerance, and a backward that is 1% off fails it (the float
// build cannot tell that 1% from rounding: docs/gradcheck.md).
#include <cstdio>

#include "autograd/gradcheck.h"
#include "autograd/ops.h"

using namespace tg;

static_assert(sizeof(real) == sizeof(double), "build this with pkg-config tapegrad-double");

// y = x³;  dx += dy · 3x² · n.scale   (scale 1 is the right derivative; 1.01 a wrong one)
static Var cube(Var x, real scale) {
    Var out = x.tape->push("cube", x.shape(), {x});
    out.node().scale = scale;
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = X[i] * X[i] * X[i];
    return x.tape->record(out, [](Tape& t, Node& n) {
        const Tensor& X = t.val(n.in[0]);
        Tensor& dX = *t.grad_of(n.in[0]);
        for (size_t i = 0; i < X.size(); i++) dX[i] += n.grad[i] * 3 * X[i] * X[i] * n.scale;
    });
}

int main() {
    Rng rng(1);
    Tensor x = Tensor::uniform(Shape{3, 4}, -2, 2, rng);
    GradcheckResult right = gradcheck("cube", [](Tape&, const std::vector<Var>& v) { return cube(v[0], 1); }, {x});
    GradcheckResult wrong = gradcheck("cube 1% off", [](Tape&, const std::vector<Var>& v) { return cube(v[0], 1.01); }, {x});
    printf("cube: %s (worst relative error %.1e); 1%% off: %s\n", right.ok ? "passes" : "FAILS", right.worst,
           wrong.ok ? "passes" : "fails");
    return right.ok && !wrong.ok ? 0 : 1;
}
