// layers.cpp — Linear, Activation, BatchNorm1d (Dropout is inline in layers.h).
#include "nn/layers.h"

#include <cmath>

namespace tg {

// ----------------------------------------------------------------------------------------------
// Linear

Linear::Linear(const std::string& name, int in, int out, Rng& rng, Init init, bool bias)
    : Module(name), weight(name + ".weight", Tensor(Shape{out, in})), bias(name + ".bias", Tensor(Shape{out})), has_bias(bias) {
    if (in <= 0 || out <= 0) throw input_error(name + ": Linear needs positive sizes, got in=" + std::to_string(in) + " out=" + std::to_string(out));
    init_weight(weight.value, in, out, init, rng, init == Init::KaimingUniform || init == Init::KaimingNormal ? std::sqrt(2.0) : 1.0);
    // PyTorch draws the bias from U(±1/√fan_in) whatever the weight's initialiser; we follow it
    real a = (real)(1 / std::sqrt((double)in));
    for (real& v : this->bias.value.data) v = (real)rng.uniform(-a, a);
}

Var Linear::forward(Var x) {
    Tape& t = *x.tape;
    Scope s(t, name);
    return linear(x, t.param(weight), has_bias ? t.param(bias) : Var());
}

void Linear::collect_params(std::vector<Param*>& out) {
    out.push_back(&weight);
    if (has_bias) out.push_back(&bias);
}

// ----------------------------------------------------------------------------------------------
// activations

Var activate(Var x, Act kind, real slope) {
    switch (kind) {
        case Act::ReLU: return relu(x);
        case Act::LeakyReLU: return leaky_relu(x, slope);
        case Act::Sigmoid: return sigmoid(x);
        case Act::Tanh: return tanh(x);
        case Act::Softplus: return softplus(x);
        case Act::Identity: return x;
    }
    return x;
}

Var Activation::forward(Var x) {
    Scope s(*x.tape, name);
    return activate(x, kind, slope);
}

Act parse_act(const std::string& n) {
    if (n == "relu") return Act::ReLU;
    if (n == "leaky_relu") return Act::LeakyReLU;
    if (n == "sigmoid") return Act::Sigmoid;
    if (n == "tanh") return Act::Tanh;
    if (n == "softplus") return Act::Softplus;
    if (n == "identity") return Act::Identity;
    throw input_error("unknown activation '" + n + "'; use relu, leaky_relu, sigmoid, tanh, softplus or identity");
}

// ----------------------------------------------------------------------------------------------
// BatchNorm1d

BatchNorm1d::BatchNorm1d(const std::string& name, int features, real momentum, real eps)
    : Module(name), weight(name + ".weight", Tensor::ones(Shape{features})), bias(name + ".bias", Tensor(Shape{features})),
      running_mean(Shape{features}), running_var(Tensor::ones(Shape{features})), momentum(momentum), eps(eps),
      mean_name(name + ".running_mean"), var_name(name + ".running_var") {}

Var BatchNorm1d::forward(Var x) {
    Tape& t = *x.tape;
    Scope s(t, name);
    const Shape& sx = x.shape();
    int F = running_mean.dim(0);
    if (sx.ndim != 2 || sx[1] != F) throw shape_error(name.c_str(), sx, running_mean.shape, "BatchNorm1d expects (batch, features)");
    Var gamma = t.param(weight), beta = t.param(bias);
    if (!training) {  // y = (x - running_mean) / √(running_var + ε) · γ + β
        scratch.resize(Shape{F});
        for (int j = 0; j < F; j++) scratch[j] = 1 / std::sqrt(running_var[j] + eps);
        return (x - t.input(running_mean)) * t.input(scratch) * gamma + beta;
    }
    int B = sx[0];
    if (B < 2) throw input_error(name + ": BatchNorm1d needs at least 2 rows per batch in training to estimate a variance, got 1; use a larger --batch or drop the last partial batch");
    Var mu = mean(x, 0);                 // (1, F)
    Var xc = x - mu;                     // (B, F)
    Var var = mean(xc * xc, 0);          // (1, F): the biased variance normalises, as in the paper
    Var y = xc / sqrt(var + eps) * gamma + beta;
    for (int j = 0; j < F; j++) {        // running statistics: not part of the graph
        running_mean[j] = (1 - momentum) * running_mean[j] + momentum * mu.value()[j];
        running_var[j] = (1 - momentum) * running_var[j] + momentum * var.value()[j] * B / (B - 1);
    }
    return y;
}

void BatchNorm1d::collect_params(std::vector<Param*>& out) {
    out.push_back(&weight);
    out.push_back(&bias);
}

void BatchNorm1d::collect_buffers(std::vector<NamedTensor>& out) {
    out.push_back({mean_name, &running_mean});
    out.push_back({var_name, &running_var});
}

}  // namespace tg
