// layers.h — the layers: Linear, activations, Dropout and BatchNorm1d.
// Dimension legend: B = batch, I = in features, O = out features, F = features.
// Each is a composite of autograd ops (autograd/ops.h), so its gradient needs no new backward code;
// tests/test_nn.cpp gradchecks Linear, BatchNorm1d and a Sequential with activations as wholes (dropout's
// op is in the op table, tests/test_ops.cpp). derivations: docs/nn.md
#pragma once
#include "nn/init.h"
#include "nn/module.h"

namespace tg {

// y = x W^T + b;  W (O, I), b (O): PyTorch's layout and default initialisation.
struct Linear : Module {
    Param weight, bias;
    bool has_bias;
    Linear(const std::string& name, int in, int out, Rng& rng, Init init = Init::PyTorchDefault, bool bias = true);
    Var forward(Var x) override;  // x (B, I) -> (B, O)
    void collect_params(std::vector<Param*>& out) override;
    int in() const { return weight.value.dim(1); }
    int out() const { return weight.value.dim(0); }
};

enum class Act { ReLU, LeakyReLU, Sigmoid, Tanh, Softplus, Identity };

// An elementwise nonlinearity as a module (slope is LeakyReLU's negative slope).
struct Activation : Module {
    Act kind;
    real slope;
    Activation(const std::string& name, Act kind, real slope = 0.01) : Module(name), kind(kind), slope(slope) {}
    Var forward(Var x) override;
};
Var activate(Var x, Act kind, real slope = 0.01);  // the same as a free function
Act parse_act(const std::string& name);            // "relu", "leaky_relu", "sigmoid", "tanh", "softplus", "identity"

// Inverted dropout: zeroes each value with probability p in training and scales the rest by 1/(1-p);
// the identity in evaluation. Draws from the Rng it was given (the model's), so runs are reproducible.
struct Dropout : Module {
    real p;
    Rng* rng;
    Dropout(const std::string& name, real p, Rng& rng) : Module(name), p(p), rng(&rng) {}
    Var forward(Var x) override {
        Scope s(*x.tape, name);
        return dropout(x, p, *rng, training);
    }
};

// Batch normalisation over the batch dimension (Ioffe & Szegedy 2015), x (B, F):
//   training: y = γ (x - mean_B) / √(var_B + ε) + β, and running stats ← (1 - m) running + m batch
//             (the running variance uses the unbiased batch variance, as PyTorch does);
//   evaluation: the same with the running statistics.
struct BatchNorm1d : Module {
    Param weight, bias;             // γ, β (F)
    Tensor running_mean, running_var;
    real momentum, eps;
    BatchNorm1d(const std::string& name, int features, real momentum = 0.1, real eps = 1e-5);
    Var forward(Var x) override;
    void collect_params(std::vector<Param*>& out) override;
    void collect_buffers(std::vector<NamedTensor>& out) override;
  private:
    std::string mean_name, var_name;
    Tensor scratch;                 // the normaliser as a constant in evaluation, reused
};

}  // namespace tg
