// cae.cpp — libtorch peer of bench/tg_cae.cpp: models/conv_autoencoder.h's autoencoder written against
// libtorch 1.13's C++ API:
//   encoder  conv 1→32 3x3 s2 p1, ReLU → (B, 32, 14, 14); conv 32→64 s2, ReLU → (B, 64, 7, 7); 3136 → 30
//   decoder  30 → 3136, ReLU → (B, 64, 7, 7); conv-transpose 64→32 3x3 s2 p1 op1, ReLU → (B, 32, 14, 14);
//            conv-transpose 32→1 s2 p1 op1 → (B, 1, 28, 28) logits
//   loss = Σ_pixels BCE-with-logits / B.  Adam 1e-3, batch 128, shuffled each epoch; default initialisation.
// The convolutions go through oneDNN (mkldnn) when this libtorch has it ("mkldnn 1" at the end).
// One line per epoch: the training loop's seconds, mean loss per image and minor page faults.
#include "fmnist.h"
#include "peer.h"

namespace nn = torch::nn;
namespace F = torch::nn::functional;

int main(int argc, char** argv) try {
    const int64_t kBatch = 128, K = 30;
    peer::Flags f = peer::parse_flags(argc, argv, "peer_cae: libtorch conv autoencoder 1x28x28-c32-c64-30 on Fashion-MNIST (bench)");
    fmnist::Train data = fmnist::load_train(f.data, (int64_t)f.batches * kBatch);
    const int64_t N = data.x.size(0);

    nn::Sequential encoder(nn::Conv2d(nn::Conv2dOptions(1, 32, 3).stride(2).padding(1)), nn::ReLU(),    // (B, 32, 14, 14)
                           nn::Conv2d(nn::Conv2dOptions(32, 64, 3).stride(2).padding(1)), nn::ReLU(),   // (B, 64, 7, 7)
                           nn::Flatten(), nn::Linear(3136, K));                                         // (B, K)
    nn::Sequential decoder(nn::Linear(K, 3136), nn::ReLU(), nn::Unflatten(nn::UnflattenOptions(1, {64, 7, 7})),
                           nn::ConvTranspose2d(nn::ConvTranspose2dOptions(64, 32, 3).stride(2).padding(1).output_padding(1)), nn::ReLU(),
                           nn::ConvTranspose2d(nn::ConvTranspose2dOptions(32, 1, 3).stride(2).padding(1).output_padding(1)),  // (B, 1, 28, 28)
                           nn::Flatten());                                                              // (B, 784) logits
    std::vector<torch::Tensor> params = encoder->parameters();
    for (const torch::Tensor& p : decoder->parameters()) params.push_back(p);
    torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        peer::EpochMeter meter;  // the loop's seconds and minor page faults
        double total = 0;
        torch::Tensor perm = torch::randperm(N, torch::kInt64);
        for (int64_t s = 0; s < N; s += kBatch) {
            torch::Tensor xb = data.x.index_select(0, perm.slice(0, s, std::min(s + kBatch, N)));  // (B, 784)
            opt.zero_grad();
            torch::Tensor logits = decoder->forward(encoder->forward(xb.view({-1, 1, 28, 28})));
            torch::Tensor loss = F::binary_cross_entropy_with_logits(logits, xb, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kSum)) /
                                 (double)xb.size(0);
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
