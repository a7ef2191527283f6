// cnn.cpp — building the convolutional classifier, its training epoch and its evaluation.
// The layers (nn/conv.h) and their ops (autograd/ops_conv.h): docs/conv.md
#include "models/cnn.h"

#include <cstdio>

#include "autograd/ops.h"
#include "models/image_rows.h"
#include "nn/conv.h"
#include "nn/train.h"

namespace tg {

CNN::CNN(const CNNConfig& c, uint64_t seed) : cfg(c), rng(seed), net("cnn") {
    if (c.channels <= 0 || c.height < 4 || c.width < 4)
        throw input_error("cnn: images must have at least 1 channel and be at least 4x4 (two 2x2 poolings), got " +
                          std::to_string(c.channels) + "x" + std::to_string(c.height) + "x" + std::to_string(c.width));
    if (c.conv1 <= 0 || c.conv2 <= 0 || c.hidden <= 0 || c.classes < 2)
        throw input_error("cnn: layer sizes must be positive and classes at least 2");
    if (!(c.dropout >= 0 && c.dropout < 1)) throw input_error("--dropout: must be in [0, 1), got " + std::to_string(c.dropout));
    const int h = c.height / 2 / 2, w = c.width / 2 / 2;  // after two 2x2 poolings (floor, as PyTorch)
    add_rows_to_images(net, "cnn.unflatten", c.channels, c.height, c.width);  // (B, D) -> (B, C, H, W); RGB rows are (H, W, C)
    net.add<Conv2d>("cnn.conv1", c.channels, c.conv1, 3, 1, 1, rng);        // (B, 32, H, W)
    net.add<Activation>("cnn.relu1", Act::ReLU);
    net.add<MaxPool2d>("cnn.pool1", 2);                                      // (B, 32, H/2, W/2)
    net.add<Conv2d>("cnn.conv2", c.conv1, c.conv2, 3, 1, 1, rng);           // (B, 64, H/2, W/2)
    net.add<Activation>("cnn.relu2", Act::ReLU);
    net.add<MaxPool2d>("cnn.pool2", 2);                                      // (B, 64, H/4, W/4)
    net.add<Flatten>("cnn.flatten");                                         // (B, 64·h·w) = (B, 3136)
    net.add<Linear>("cnn.fc1", c.conv2 * h * w, c.hidden, rng);             // (B, 128)
    net.add<Activation>("cnn.relu3", Act::ReLU);
    if (c.dropout > 0) net.add<Dropout>("cnn.drop", c.dropout, rng);
    net.add<Linear>("cnn.fc2", c.hidden, c.classes, rng);                   // (B, 10) logits
}

std::string CNN::arch() const {
    char s[160];
    snprintf(s, sizeof s, "%dx%dx%d-c%d-c%d-%d-%d", cfg.channels, cfg.height, cfg.width, cfg.conv1, cfg.conv2, cfg.hidden, cfg.classes);
    return s;
}

CNNConfig parse_cnn_arch(const std::string& arch, const std::string& where) {
    CNNConfig c;
    if (sscanf(arch.c_str(), "%dx%dx%d-c%d-c%d-%d-%d", &c.channels, &c.height, &c.width, &c.conv1, &c.conv2, &c.hidden, &c.classes) != 7)
        throw input_error(where + ": malformed CNN architecture '" + arch + "'; expected CxHxW-cA-cB-H-K like 1x28x28-c32-c64-128-10");
    return c;
}

const Tensor& CNN::first_filters() { return static_cast<Conv2d&>(*net.layers[1]).weight.value; }

double train_epoch(CNN& cnn, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch) {
    return optimize_epoch("cnn_classifier", batches, opt, tape, [&cnn](Tape& t, const Tensor& xb, const std::vector<int>& yb) {
        return cnn.loss(t, xb, yb);
    }, on_batch);
}

CNNEval evaluate(CNN& cnn, const Dataset& d, std::vector<int>* predicted) {
    cnn.net.set_training(false);
    Batcher it(d, 500, 0, false);
    Tape tape;
    Tensor xb;
    std::vector<int> yb;
    double total = 0;
    long correct = 0;
    if (predicted) predicted->clear();
    while (it.next(xb, yb)) {
        tape.reset();
        NoGrad ng(tape);
        Var logits = cnn.logits(tape.input(xb));  // (b, classes)
        total += cross_entropy(logits, yb, Reduce::Sum).item();
        const Tensor& l = logits.value();
        for (int i = 0; i < xb.dim(0); i++) {
            int best = 0;
            for (int j = 1; j < l.dim(1); j++) best = l.at(i, j) > l.at(i, best) ? j : best;
            correct += best == yb[(size_t)i];
            if (predicted) predicted->push_back(best);
        }
    }
    cnn.net.set_training(true);
    return {total / d.size(), (double)correct / d.size()};
}

}  // namespace tg
