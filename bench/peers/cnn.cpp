// cnn.cpp — libtorch peer of bench/tg_cnn.cpp: models/cnn.h's classifier written against libtorch 1.13's
// C++ API: conv 1→32 3x3 p1, ReLU, maxpool 2; conv 32→64 3x3 p1, ReLU, maxpool 2; flatten 3136 → 128,
// ReLU, dropout 0.5 → 10; cross-entropy on the logits (mean over the batch), Adam 1e-3, batch 128, shuffled
// each epoch; PyTorch's default initialisation, as models/cnn.cpp's layers. The convolutions go through
// oneDNN (mkldnn) when this libtorch has it: the line "mkldnn 1" at the end says it was available and on.
// One line per epoch: the training loop's seconds, mean training loss and minor page faults.
#include "fmnist.h"
#include "peer.h"

namespace nn = torch::nn;

int main(int argc, char** argv) try {
    const int64_t kBatch = 128;
    peer::Flags f = peer::parse_flags(argc, argv, "peer_cnn: libtorch CNN classifier 1x28x28-c32-c64-128-10 on Fashion-MNIST (bench)");
    fmnist::Train data = fmnist::load_train(f.data, (int64_t)f.batches * kBatch);
    const int64_t N = data.x.size(0);

    nn::Sequential net(nn::Conv2d(nn::Conv2dOptions(1, 32, 3).padding(1)), nn::ReLU(), nn::MaxPool2d(2),   // (B, 32, 14, 14)
                       nn::Conv2d(nn::Conv2dOptions(32, 64, 3).padding(1)), nn::ReLU(), nn::MaxPool2d(2),  // (B, 64, 7, 7)
                       nn::Flatten(), nn::Linear(3136, 128), nn::ReLU(), nn::Dropout(0.5),
                       nn::Linear(128, 10));
    net->train();
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(1e-3));
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        peer::EpochMeter meter;  // the loop's seconds and minor page faults
        double total = 0;
        torch::Tensor perm = torch::randperm(N, torch::kInt64);
        for (int64_t s = 0; s < N; s += kBatch) {
            torch::Tensor idx = perm.slice(0, s, std::min(s + kBatch, N));
            torch::Tensor xb = data.x.index_select(0, idx).view({-1, 1, 28, 28}), yb = data.y.index_select(0, idx);
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
    printf("mkldnn %d\n", at::hasMKLDNN() && at::globalContext().userEnabledMkldnn() ? 1 : 0);  // oneDNN convolutions
    return 0;
} catch (const std::exception& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
