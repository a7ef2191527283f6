// mlp.cpp — libtorch peer of bench/tg_mlp.cpp: examples/mlp_classifier.cpp's network written against
// libtorch 1.13's C++ API: 784 → 256 → 128 → 10, Linear-ReLU-Dropout(0.2) per hidden layer, cross-entropy
// on the logits (mean over the batch), Adam 1e-3, batch 128, shuffled each epoch.
// One line per epoch: the training loop's seconds, mean training loss and minor page faults.
#include "fmnist.h"
#include "peer.h"

namespace nn = torch::nn;

int main(int argc, char** argv) try {
    const int64_t kBatch = 128;
    peer::Flags f = peer::parse_flags(argc, argv, "peer_mlp: libtorch MLP classifier 784-256-128-10 on Fashion-MNIST (bench)");
    fmnist::Train data = fmnist::load_train(f.data, (int64_t)f.batches * kBatch);
    const int64_t N = data.x.size(0);

    nn::Sequential net(nn::Linear(784, 256), nn::ReLU(), nn::Dropout(0.2),
                       nn::Linear(256, 128), nn::ReLU(), nn::Dropout(0.2),
                       nn::Linear(128, 10));
    net->train();
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3));
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        peer::EpochMeter meter;  // the loop's seconds and minor page faults
        double total = 0;
        torch::Tensor perm = torch::randperm(N, torch::kInt64);
        for (int64_t s = 0; s < N; s += kBatch) {
            torch::Tensor idx = perm.slice(0, s, std::min(s + kBatch, N));
            torch::Tensor xb = data.x.index_select(0, idx), yb = data.y.index_select(0, idx);
            opt.zero_grad();
            torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(xb), yb);
            loss.backward();
            opt.step();
            total += loss.item<double>() * xb.size(0);
        }
        meter.stop();
        peer::print_epoch(epoch, meter, total / N);
    }
    peer::report_threads();
    return 0;
} catch (const std::exception& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
