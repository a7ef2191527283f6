// rbm.cpp — libtorch peer of bench/tg_rbm.cpp: models/rbm.cpp's Bernoulli RBM 784-500 and its CD-1 update
// in plain libtorch 1.13 tensor ops under NoGradGuard (CD is not the gradient of a loss: no autograd).
//   ph0 = σ(v0 Wᵀ + c), h0 ~ Bernoulli(ph0), pv = σ(h0 W + b), v1 ~ Bernoulli(pv), ph1 = σ(v1 Wᵀ + c)
//   gW = (ph1ᵀ v1 - ph0ᵀ v0) / B + λ W,  gb = mean(v1 - v0),  gc = mean(ph1 - ph0)
//   SGD with momentum as torch.optim.SGD: buf = μ buf + g;  θ -= lr buf
// W ~ N(0, 0.01²), c = 0, b = log-odds of each pixel's mean (clamped to [0.001, 0.999]); lr 0.05,
// μ 0.5 for epochs 1-5 then 0.9, λ 2e-4, batch 64. One line per epoch: seconds and the mean
// reconstruction error Σ (v0 - pv)² per image.
#include "fmnist.h"
#include "peer.h"

int main(int argc, char** argv) try {
    const int64_t kBatch = 64, H = 500;
    const double kLr = 0.05, kDecay = 2e-4;
    peer::Flags f = peer::parse_flags(argc, argv, "peer_rbm: libtorch Bernoulli RBM 784-500, CD-1, on Fashion-MNIST (bench)");
    fmnist::Train data = fmnist::load_train(f.data, (int64_t)f.batches * kBatch);
    const int64_t N = data.x.size(0), D = data.x.size(1);

    torch::NoGradGuard no_grad;
    torch::Tensor W = torch::randn({H, D}) * 0.01, c = torch::zeros({H});
    torch::Tensor p = data.x.mean(0).clamp(0.001, 0.999), b = torch::log(p / (1 - p));
    torch::Tensor bufW = torch::zeros_like(W), bufb = torch::zeros_like(b), bufc = torch::zeros_like(c);
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        const double momentum = epoch <= 5 ? 0.5 : 0.9;
        peer::EpochMeter meter;  // the loop's seconds and minor page faults
        double total = 0;
        torch::Tensor perm = torch::randperm(N, torch::kInt64);
        for (int64_t s = 0; s < N; s += kBatch) {
            torch::Tensor v0 = data.x.index_select(0, perm.slice(0, s, std::min(s + kBatch, N)));
            const double B = (double)v0.size(0);
            torch::Tensor ph0 = torch::sigmoid(torch::addmm(c, v0, W.t()));
            torch::Tensor pv = torch::sigmoid(torch::addmm(b, torch::bernoulli(ph0), W));
            torch::Tensor v1 = torch::bernoulli(pv);
            torch::Tensor ph1 = torch::sigmoid(torch::addmm(c, v1, W.t()));
            total += (v0 - pv).pow(2).sum().item<double>();

            torch::Tensor gW = (ph1.t().mm(v1) - ph0.t().mm(v0)) / B + kDecay * W;
            torch::Tensor gb = (v1 - v0).mean(0), gc = (ph1 - ph0).mean(0);
            bufW.mul_(momentum).add_(gW);
            bufb.mul_(momentum).add_(gb);
            bufc.mul_(momentum).add_(gc);
            W.add_(bufW, -kLr);
            b.add_(bufb, -kLr);
            c.add_(bufc, -kLr);
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
