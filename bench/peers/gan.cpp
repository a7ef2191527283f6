// gan.cpp — libtorch peer of bench/tg_gan.cpp: models/gan.cpp's classic MLP GAN written against libtorch
// 1.13's C++ API, the idiomatic PyTorch way (the DCGAN example's loop):
//   G  z (100) → 128 → 256 → 512 → 1024 → 784, LeakyReLU 0.2, tanh
//   D  784 → 1024 → 512 → 256 → 128 → 1 logit, LeakyReLU 0.2 and Dropout 0.3 after each hidden layer
//   per batch (images scaled to [-1, 1]): fake = G(z) once;
//     D step  BCE(D(real), 1) + BCE(D(fake.detach()), 0)
//     G step  BCE(D(fake), 1)   (non-saturating; reuses `fake` and its graph, D already updated)
// models/gan.cpp's train_epoch does the same work: G forward once, D over the real and fake rows (stacked
// there, two calls here: the same GEMM flops), see bench/README.md. Adam 2e-4, β1 0.5, each net; batch 64.
// One line per epoch: seconds, mean D loss, mean G loss, D's accuracy on real and on fake images.
#include "fmnist.h"
#include "peer.h"

namespace nn = torch::nn;
namespace F = torch::nn::functional;

int main(int argc, char** argv) try {
    const int64_t kBatch = 64, kLatent = 100;
    peer::Flags f = peer::parse_flags(argc, argv, "peer_gan: libtorch classic MLP GAN on Fashion-MNIST (bench)");
    fmnist::Train data = fmnist::load_train(f.data, (int64_t)f.batches * kBatch);
    const int64_t N = data.x.size(0);

    auto leaky = [] { return nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2)); };
    nn::Sequential G(nn::Linear(kLatent, 128), leaky(), nn::Linear(128, 256), leaky(), nn::Linear(256, 512), leaky(),
                     nn::Linear(512, 1024), leaky(), nn::Linear(1024, 784), nn::Tanh());
    nn::Sequential D(nn::Linear(784, 1024), leaky(), nn::Dropout(0.3), nn::Linear(1024, 512), leaky(), nn::Dropout(0.3),
                     nn::Linear(512, 256), leaky(), nn::Dropout(0.3), nn::Linear(256, 128), leaky(), nn::Dropout(0.3),
                     nn::Linear(128, 1));
    G->train();
    D->train();
    auto adam = torch::optim::AdamOptions(2e-4).betas(std::make_tuple(0.5, 0.999));
    torch::optim::Adam opt_g(G->parameters(), adam), opt_d(D->parameters(), adam);
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        peer::EpochMeter meter;  // the loop's seconds and minor page faults
        double d_total = 0, g_total = 0, real_right = 0, fake_right = 0;
        int batches = 0;
        torch::Tensor perm = torch::randperm(N, torch::kInt64);
        for (int64_t s = 0; s < N; s += kBatch, batches++) {
            torch::Tensor real = data.x.index_select(0, perm.slice(0, s, std::min(s + kBatch, N))) * 2 - 1;
            const int64_t B = real.size(0);
            torch::Tensor ones = torch::ones({B, 1}), zeros = torch::zeros({B, 1});
            torch::Tensor fake = G->forward(torch::randn({B, kLatent}));

            opt_d.zero_grad();
            torch::Tensor real_logits = D->forward(real), fake_logits = D->forward(fake.detach());
            torch::Tensor d_loss = F::binary_cross_entropy_with_logits(real_logits, ones) +
                                   F::binary_cross_entropy_with_logits(fake_logits, zeros);
            d_loss.backward();
            opt_d.step();

            opt_g.zero_grad();
            torch::Tensor g_loss = F::binary_cross_entropy_with_logits(D->forward(fake), ones);
            g_loss.backward();
            opt_g.step();

            d_total += d_loss.item<double>();
            g_total += g_loss.item<double>();
            real_right += (real_logits > 0).sum().item<double>();
            fake_right += (fake_logits < 0).sum().item<double>();
        }
        meter.stop();
        peer::print_epoch(epoch, meter, d_total / batches,
                          {{"g_loss", g_total / batches}, {"d_real_acc", real_right / N}, {"d_fake_acc", fake_right / N}});
    }
    peer::report_threads();
    return 0;
} catch (const std::exception& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return 1;
}
