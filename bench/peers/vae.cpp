// vae.cpp — libtorch peer of bench/tg_vae.cpp: models/vae.cpp's VAE written against libtorch 1.13's C++ API.
//   encoder 784 → 400 (ReLU) → 40 = [mu | logvar] (one layer, split; logvar clamped to [-30, 20])
//   z = mu + exp(logvar / 2) · ε;  decoder 20 → 400 (ReLU) → 784 logits
//   loss = Σ_pixels BCE-with-logits / B + KL / B,  KL = -½ Σ (1 + logvar - mu² - e^logvar)
// Adam 1e-3, batch 128, shuffled each epoch. One line per epoch: the training loop's seconds, mean loss.
#include "fmnist.h"
#include "peer.h"

namespace F = torch::nn::functional;

struct VAEImpl : torch::nn::Module {
    static constexpr int64_t D = 784, H = 400, K = 20;
    torch::nn::Linear enc1{nullptr}, enc2{nullptr}, dec1{nullptr}, dec2{nullptr};
    VAEImpl()
        : enc1(register_module("enc1", torch::nn::Linear(D, H))), enc2(register_module("enc2", torch::nn::Linear(H, 2 * K))),
          dec1(register_module("dec1", torch::nn::Linear(K, H))), dec2(register_module("dec2", torch::nn::Linear(H, D))) {}

    // negative ELBO per image for the batch x (B, D), with noise eps (B, K)
    torch::Tensor loss(const torch::Tensor& x, const torch::Tensor& eps) {
        torch::Tensor h = enc2(torch::relu(enc1(x)));                  // (B, 2K)
        torch::Tensor mu = h.slice(1, 0, K), logvar = h.slice(1, K, 2 * K).clamp(-30, 20);
        torch::Tensor z = mu + torch::exp(0.5 * logvar) * eps;         // (B, K)
        torch::Tensor logits = dec2(torch::relu(dec1(z)));             // (B, D)
        const double B = (double)x.size(0);
        torch::Tensor recon = F::binary_cross_entropy_with_logits(logits, x, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kSum)) / B;
        torch::Tensor kl = -0.5 * torch::sum(1 + logvar - mu.pow(2) - logvar.exp()) / B;
        return recon + kl;
    }
};
TORCH_MODULE(VAE);

int main(int argc, char** argv) try {
    const int64_t kBatch = 128;
    peer::Flags f = peer::parse_flags(argc, argv, "peer_vae: libtorch VAE 784-400-20 on Fashion-MNIST (bench)");
    fmnist::Train data = fmnist::load_train(f.data, (int64_t)f.batches * kBatch);
    const int64_t N = data.x.size(0);

    VAE model;
    torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(1e-3));
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        peer::EpochMeter meter;  // the loop's seconds and minor page faults
        double total = 0;
        torch::Tensor perm = torch::randperm(N, torch::kInt64);
        for (int64_t s = 0; s < N; s += kBatch) {
            torch::Tensor xb = data.x.index_select(0, perm.slice(0, s, std::min(s + kBatch, N)));
            torch::Tensor eps = torch::randn({xb.size(0), VAEImpl::K});
            opt.zero_grad();
            torch::Tensor loss = model->loss(xb, eps);
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
