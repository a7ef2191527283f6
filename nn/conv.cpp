// conv.cpp — Conv2d and ConvTranspose2d (parameters and initialisation), BatchNorm2d's forward; the
// pooling, upsampling and reshape layers are inline in conv.h.
#include "nn/conv.h"

#include <cmath>

namespace tg {

// PyTorch's rule for every layer: weight from `init` with fan_in (Kaiming gets gain √2, for ReLU), bias
// from U(±1/√fan_in) whatever the weight's initialiser.
static void init_conv(Param& weight, Param& bias, int fan_in, int fan_out, Init init, Rng& rng) {
    bool kaiming = init == Init::KaimingUniform || init == Init::KaimingNormal;
    init_weight(weight.value, fan_in, fan_out, init, rng, kaiming ? std::sqrt(2.0) : 1.0);
    real a = (real)(1 / std::sqrt((double)fan_in));
    for (real& v : bias.value.data) v = (real)rng.uniform(-a, a);
}

static void check_sizes(const std::string& name, const char* layer, int in, int out, int k, int stride, int pad) {
    if (in <= 0 || out <= 0 || k <= 0 || stride <= 0 || pad < 0)
        throw input_error(name + ": " + layer + " needs positive channels, kernel and stride and padding >= 0, got in=" + std::to_string(in) +
                          " out=" + std::to_string(out) + " k=" + std::to_string(k) + " stride=" + std::to_string(stride) + " pad=" + std::to_string(pad));
}

// ----------------------------------------------------------------------------------------------
// Conv2d

Conv2d::Conv2d(const std::string& name, int in, int out, int k, int stride, int pad, Rng& rng, Init init, bool bias)
    : Module(name), weight(name + ".weight", Tensor(Shape{out, in, k, k})), bias(name + ".bias", Tensor(Shape{out})),
      has_bias(bias), stride(stride), pad(pad) {
    check_sizes(name, "Conv2d", in, out, k, stride, pad);
    init_conv(weight, this->bias, in * k * k, out * k * k, init, rng);
}

Var Conv2d::forward(Var x) {
    Tape& t = *x.tape;
    Scope s(t, name);
    return conv2d(x, t.param(weight), has_bias ? t.param(bias) : Var(), stride, pad);
}

void Conv2d::collect_params(std::vector<Param*>& out) {
    out.push_back(&weight);
    if (has_bias) out.push_back(&bias);
}

// ----------------------------------------------------------------------------------------------
// ConvTranspose2d

ConvTranspose2d::ConvTranspose2d(const std::string& name, int in, int out, int k, int stride, int pad, int output_padding,
                                 Rng& rng, Init init, bool bias)
    : Module(name), weight(name + ".weight", Tensor(Shape{in, out, k, k})), bias(name + ".bias", Tensor(Shape{out})),
      has_bias(bias), stride(stride), pad(pad), output_padding(output_padding) {
    check_sizes(name, "ConvTranspose2d", in, out, k, stride, pad);
    if (output_padding < 0 || output_padding >= stride)
        throw input_error(name + ": ConvTranspose2d needs 0 <= output_padding < stride, got output_padding=" + std::to_string(output_padding) +
                          " stride=" + std::to_string(stride));
    init_conv(weight, this->bias, out * k * k, in * k * k, init, rng);  // PyTorch: fan_in from W's dim 1
}

Var ConvTranspose2d::forward(Var x) {
    Tape& t = *x.tape;
    Scope s(t, name);
    return conv_transpose2d(x, t.param(weight), has_bias ? t.param(bias) : Var(), stride, pad, output_padding);
}

void ConvTranspose2d::collect_params(std::vector<Param*>& out) {
    out.push_back(&weight);
    if (has_bias) out.push_back(&bias);
}

// ----------------------------------------------------------------------------------------------
// BatchNorm2d: (N, C, H, W) -> rows (N·H·W, C) -> BatchNorm1d -> (N, C, H, W)

Var BatchNorm2d::forward(Var x) {
    const Shape& s = x.shape();
    if (s.ndim != 4 || s[1] != bn.running_mean.dim(0))
        throw shape_error(name.c_str(), s, bn.running_mean.shape, "BatchNorm2d expects (N, C, H, W) with C = its channels");
    const int N = s[0], H = s[2], W = s[3];
    Var rows;
    {
        Scope sc(*x.tape, name);
        rows = channels_last(x);
    }
    Var y = bn.forward(rows);  // labels its own nodes with the same name
    Scope sc(*x.tape, name);
    return channels_first(y, N, H, W);
}

}  // namespace tg
