// cnn.h — a small convolutional classifier (LeNet's shape, PyTorch's MNIST example's sizes):
//   x (B, D) → (B, 1, 28, 28) → conv 1→32 3x3 pad 1, ReLU, maxpool 2 → (B, 32, 14, 14)
//            → conv 32→64 3x3 pad 1, ReLU, maxpool 2 → (B, 64, 7, 7) → flatten (B, 3136)
//            → 3136→128, ReLU, dropout → 128→10 class logits;  loss: cross-entropy.
// The convolutions share one 3x3 filter across the image: 320 + 18,496 weights where a dense first layer
// of the MLP has 200,960. Ops and their gradients: docs/conv.md. B = batch, D = C·H·W pixels.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "nn/layers.h"
#include "nn/optim.h"

namespace tg {

struct CNNConfig {
    int channels = 1, height = 28, width = 28;  // the input image (rows of the Dataset are C·H·W pixels)
    int conv1 = 32, conv2 = 64;                 // filters of the two conv layers
    int hidden = 128, classes = 10;
    real dropout = 0.5;                         // after the hidden layer
};

struct CNN {
    CNNConfig cfg;
    Rng rng;  // initialisation, then dropout masks
    Sequential net;

    CNN(const CNNConfig& cfg, uint64_t seed);
    std::string arch() const;  // "1x28x28-c32-c64-128-10"
    std::vector<Param*> params() { return net.params(); }
    Var logits(Var x) { return net(x); }  // (B, D) -> (B, classes)
    Var loss(Tape& t, const Tensor& x, const std::vector<int>& y) { return cross_entropy(logits(t.input(x)), y); }
    const Tensor& first_filters();        // conv1's weight (conv1, channels, 3, 3)
};

// The CNNConfig an arch() string describes (input_error naming `where` if it is malformed).
CNNConfig parse_cnn_arch(const std::string& arch, const std::string& where);

// One epoch of training; returns the mean cross-entropy. on_batch(b, loss) after each batch.
double train_epoch(CNN& cnn, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch = nullptr);

// Mean cross-entropy and accuracy on a set, in evaluation mode (no dropout, no graph); `predicted` (if
// given) gets every row's class.
struct CNNEval { double loss, accuracy; };
CNNEval evaluate(CNN& cnn, const Dataset& d, std::vector<int>* predicted = nullptr);

}  // namespace tg
