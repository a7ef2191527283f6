// conv.h — the convolutional layers: Conv2d, ConvTranspose2d, pooling, Upsample2d, Flatten/Unflatten and
// BatchNorm2d, as Modules over NCHW tensors (N = batch, C = in channels, O = out channels, H, W = height,
// width, k = kernel size). Each wraps one op of autograd/ops_conv.h (BatchNorm2d: BatchNorm1d on the
// pixels as rows), so their gradients need no new backward code; tests/test_conv.cpp gradchecks each.
// Weights in PyTorch's layouts and default initialisation.  docs/conv.md
#pragma once
#include "autograd/ops_conv.h"
#include "nn/layers.h"

namespace tg {

// y = conv2d(x, W, b);  W (O, C, k, k), b (O).  (N, C, H, W) -> (N, O, Ho, Wo), Ho = (H + 2p - k) / s + 1.
// Init: fan_in = C·k·k (PyTorch default: W, b ~ U(±1/√fan_in); Kaiming: gain √2).
struct Conv2d : Module {
    Param weight, bias;
    bool has_bias;
    int stride, pad;
    Conv2d(const std::string& name, int in, int out, int k, int stride, int pad, Rng& rng,
           Init init = Init::PyTorchDefault, bool bias = true);
    Var forward(Var x) override;
    void collect_params(std::vector<Param*>& out) override;
};

// y = conv_transpose2d(x, W, b);  W (C, O, k, k) (PyTorch's layout), b (O).
// (N, C, H, W) -> (N, O, Ho, Wo), Ho = (H - 1) s - 2p + k + output_padding.
// Init as PyTorch: fan_in = W.size(1)·k·k = O·k·k.
struct ConvTranspose2d : Module {
    Param weight, bias;
    bool has_bias;
    int stride, pad, output_padding;
    ConvTranspose2d(const std::string& name, int in, int out, int k, int stride, int pad, int output_padding,
                    Rng& rng, Init init = Init::PyTorchDefault, bool bias = true);
    Var forward(Var x) override;
    void collect_params(std::vector<Param*>& out) override;
};

// Max over k×k windows every `stride` pixels (0 = k); no padding.
struct MaxPool2d : Module {
    int k, stride;
    MaxPool2d(const std::string& name, int k, int stride = 0) : Module(name), k(k), stride(stride) {}
    Var forward(Var x) override { Scope s(*x.tape, name); return max_pool2d(x, k, stride); }
};

// Mean over k×k windows every `stride` pixels (0 = k); no padding.
struct AvgPool2d : Module {
    int k, stride;
    AvgPool2d(const std::string& name, int k, int stride = 0) : Module(name), k(k), stride(stride) {}
    Var forward(Var x) override { Scope s(*x.tape, name); return avg_pool2d(x, k, stride); }
};

// Nearest-neighbour upsampling by an integer factor: (N, C, H, W) -> (N, C, H·scale, W·scale).
struct Upsample2d : Module {
    int scale;
    Upsample2d(const std::string& name, int scale) : Module(name), scale(scale) {}
    Var forward(Var x) override { Scope s(*x.tape, name); return upsample2d(x, scale); }
};

// (N, C, H, W) -> (N, C·H·W), for a Linear after the convolutions.
struct Flatten : Module {
    explicit Flatten(const std::string& name) : Module(name) {}
    Var forward(Var x) override { Scope s(*x.tape, name); return flatten(x); }
};

// (N, C·H·W) -> (N, C, H, W), for convolutions after a Linear (a decoder, a generator).
struct Unflatten : Module {
    int C, H, W;
    Unflatten(const std::string& name, int C, int H, int W) : Module(name), C(C), H(H), W(W) {}
    Var forward(Var x) override { Scope s(*x.tape, name); return unflatten(x, C, H, W); }
};

// Batch normalisation per channel, statistics over N·H·W values (Ioffe & Szegedy 2015, PyTorch's
// BatchNorm2d): exactly BatchNorm1d applied to channels_last(x), the (N·H·W, C) matrix with one row per
// pixel, then channels_first back. Same parameter and buffer names as BatchNorm1d ("name.weight",
// "name.running_mean", ...), so checkpoints save the running averages; the unbiased running variance
// divides by N·H·W - 1, as PyTorch's does.
struct BatchNorm2d : Module {
    BatchNorm1d bn;  // γ, β (C) and the running statistics (C)
    BatchNorm2d(const std::string& name, int channels, real momentum = 0.1, real eps = 1e-5)
        : Module(name), bn(name, channels, momentum, eps) {}
    Var forward(Var x) override;
    void collect_params(std::vector<Param*>& out) override { bn.collect_params(out); }
    void collect_buffers(std::vector<NamedTensor>& out) override { bn.collect_buffers(out); }
    void set_training(bool on) override { training = on; bn.set_training(on); }
};

}  // namespace tg
