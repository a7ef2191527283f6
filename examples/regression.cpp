// regression.cpp — the engine alone, end to end: fit y = sin(x) + noise with a 2-layer MLP.
// First it gradchecks the model (the tape's gradients against finite differences), then trains it with
// SGD written out by hand — w -= lr * dL/dw — printing the loss as it falls.
//   build/regression [--steps N] [--hidden H] [--lr X] [--seed N]
// Writes nothing; prints the gradcheck report and one loss line every few hundred steps.
#include <cmath>
#include <cstdio>

#include "autograd/gradcheck.h"
#include "autograd/ops.h"
#include "run/flags.h"

using namespace tg;

int main(int argc, char** argv) try {
    int steps = 2000;       // full-batch gradient steps
    int hidden = 32;        // units in the hidden layer
    double lr = 0.05;       // SGD step size
    int64_t seed = 1;
    const int N = 256;      // training points on [-π, π]
    const double noise = 0.1;
    Cli cli("regression", "Fit a noisy sine with a 2-layer tanh MLP and hand-written SGD.");
    cli.add("steps", &steps, "gradient steps", 1, 1000000);
    cli.add("hidden", &hidden, "hidden units", 1, 4096);
    cli.add("lr", &lr, "learning rate", 0, 10);
    cli.add("seed", &seed, "random seed", 0, (int64_t)1 << 53);
    if (!cli.parse(argc, argv)) return 0;

    // ---- data: x (N, 1) on a grid, y = sin(x) + noise
    Rng rng((uint64_t)seed);
    Tensor X(Shape{N, 1}), Y(Shape{N, 1});
    for (int i = 0; i < N; i++) {
        X[i] = (real)(-M_PI + 2 * M_PI * i / (N - 1));
        Y[i] = (real)(std::sin(X[i]) + noise * rng.normal());
    }

    // ---- model: y_hat = W2 tanh(W1 x + b1) + b2, PyTorch's default init U(±1/√fan_in)
    Param W1("W1", Tensor::uniform(Shape{hidden, 1}, -1, 1, rng)), b1("b1", Tensor::uniform(Shape{hidden}, -1, 1, rng));
    real a2 = (real)(1 / std::sqrt((double)hidden));
    Param W2("W2", Tensor::uniform(Shape{1, hidden}, -a2, a2, rng)), b2("b2", Tensor::uniform(Shape{1}, -a2, a2, rng));
    std::vector<Param*> params = {&W1, &b1, &W2, &b2};
    auto model = [&](Tape& t, Var x) { return linear(tanh(linear(x, t.param(W1), t.param(b1))), t.param(W2), t.param(b2)); };

    // ---- 1. check the gradients on 8 points: every entry of every parameter
    GradcheckResult gc = gradcheck("mlp mse", [&](Tape& t, const std::vector<Var>& in) {
        return mse(model(t, in[0]), t.input(Y.first_slice(0, 8)));
    }, {X.first_slice(0, 8)}, params);
    printf("gradcheck (float: tolerance %.0e relative):\n%s", GradcheckOptions().tol, gc.report().c_str());
    if (!gc.ok) { fprintf(stderr, "error: gradient check failed\n"); return 1; }

    // ---- 2. train: full-batch gradient descent, the update written out by hand
    Tape tape;
    for (int step = 0; step <= steps; step++) {
        tape.reset();
        Var loss = mse(model(tape, tape.input(X)), tape.input(Y));
        for (Param* p : params) p->zero_grad();
        tape.backward(loss);
        for (Param* p : params)
            for (size_t i = 0; i < p->value.size(); i++) p->value[i] -= (real)lr * p->grad[i];  // w -= lr dL/dw
        if (step % (steps / 10 > 0 ? steps / 10 : 1) == 0) printf("step %5d  mse %.5f\n", step, loss.item());
        if (!std::isfinite(loss.item())) { fprintf(stderr, "error: the loss diverged (NaN/Inf) at step %d; lower --lr\n", step); return 3; }
    }
    printf("noise floor: mse ≈ %.4f (the noise variance); a fit near it has learned sin(x)\n", noise * noise);
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
