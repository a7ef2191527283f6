// init.cpp — the initialiser formulas of init.h.
#include "nn/init.h"

#include <cmath>

namespace tg {

void init_weight(Tensor& w, int fan_in, int fan_out, Init kind, Rng& rng, double gain) {
    double a = 0, std = 0;
    switch (kind) {
        case Init::PyTorchDefault: a = 1 / std::sqrt((double)fan_in); break;
        case Init::XavierUniform: a = gain * std::sqrt(6.0 / (fan_in + fan_out)); break;
        case Init::XavierNormal: std = gain * std::sqrt(2.0 / (fan_in + fan_out)); break;
        case Init::KaimingUniform: a = gain * std::sqrt(3.0 / fan_in); break;
        case Init::KaimingNormal: std = gain / std::sqrt((double)fan_in); break;
    }
    if (kind == Init::XavierNormal || kind == Init::KaimingNormal)
        for (real& v : w.data) v = (real)rng.normal(0, std);
    else
        for (real& v : w.data) v = (real)rng.uniform(-a, a);
}

static const char* kNames[] = {"default", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal"};

const char* init_name(Init kind) { return kNames[(int)kind]; }

Init parse_init(const std::string& name) {
    for (int i = 0; i < 5; i++)
        if (name == kNames[i]) return (Init)i;
    throw input_error("--init: unknown initialiser '" + name + "'; use one of default, xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal");
}

}  // namespace tg
