// init.h — weight initialisers, each drawing from an explicit Rng.
// fan_in / fan_out of a Linear weight (out, in) are in / out. The default for Linear is PyTorch's:
// weight and bias ~ U(-1/√fan_in, 1/√fan_in) (kaiming_uniform with a = √5 works out to exactly that).
// Glorot & Bengio 2010 (Xavier) keeps activation variance for tanh/linear nets; He et al. 2015 (Kaiming)
// doubles it to make up for ReLU zeroing half the units. docs/nn.md derives both.
#pragma once
#include "autograd/tensor.h"

namespace tg {

enum class Init {
    PyTorchDefault,  // U(±1/√fan_in)
    XavierUniform,   // U(±gain·√(6 / (fan_in + fan_out)))
    XavierNormal,    // N(0, gain²·2 / (fan_in + fan_out))
    KaimingUniform,  // U(±gain·√(3 / fan_in)), gain = √2 for ReLU
    KaimingNormal,   // N(0, gain² / fan_in)
};

void init_weight(Tensor& w, int fan_in, int fan_out, Init kind, Rng& rng, double gain = 1.0);
const char* init_name(Init kind);
Init parse_init(const std::string& name);  // "default", "xavier_uniform", ... (input_error if unknown)

}  // namespace tg
