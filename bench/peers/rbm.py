"""rbm.py — PyTorch (Python) peer of bench/tg_rbm.cpp, line for line the libtorch peer bench/peers/rbm.cpp:
a Bernoulli RBM 784-500 and its CD-1 update in plain tensor ops under no_grad (no autograd):
  ph0 = σ(v0 Wᵀ + c), h0 ~ Bernoulli(ph0), pv = σ(h0 W + b), v1 ~ Bernoulli(pv), ph1 = σ(v1 Wᵀ + c)
  gW = (ph1ᵀ v1 - ph0ᵀ v0) / B + λ W, gb = mean(v1 - v0), gc = mean(ph1 - ph0); SGD, momentum buffers
W ~ N(0, 0.01²), c = 0, b = log-odds of each pixel's mean; lr 0.05, μ 0.5 for epochs 1-5 then 0.9, λ 2e-4,
batch 64. One line per epoch: seconds and the mean reconstruction error Σ (v0 - pv)² per image.
"""
import torch

import peer


def main():
    batch, hidden, lr, decay = 64, 500, 0.05, 2e-4
    f = peer.parse_flags("rbm.py: PyTorch Bernoulli RBM 784-500, CD-1, on Fashion-MNIST (bench)")
    x, _ = peer.load_train(f.data, f.batches * batch)
    N, D = x.shape

    torch.set_grad_enabled(False)
    W, c = torch.randn(hidden, D) * 0.01, torch.zeros(hidden)
    p = x.mean(0).clamp(0.001, 0.999)
    b = torch.log(p / (1 - p))
    bufW, bufb, bufc = torch.zeros_like(W), torch.zeros_like(b), torch.zeros_like(c)
    for epoch in range(1, f.epochs + 1):
        momentum = 0.5 if epoch <= 5 else 0.9
        meter = peer.EpochMeter()  # the loop's seconds and minor page faults
        total = 0.0
        perm = torch.randperm(N)
        for s in range(0, N, batch):
            v0 = x.index_select(0, perm[s:s + batch])
            B = float(v0.size(0))
            ph0 = torch.sigmoid(torch.addmm(c, v0, W.t()))
            pv = torch.sigmoid(torch.addmm(b, torch.bernoulli(ph0), W))
            v1 = torch.bernoulli(pv)
            ph1 = torch.sigmoid(torch.addmm(c, v1, W.t()))
            total += (v0 - pv).pow(2).sum().item()

            gW = (ph1.t().mm(v1) - ph0.t().mm(v0)) / B + decay * W
            gb, gc = (v1 - v0).mean(0), (ph1 - ph0).mean(0)
            bufW.mul_(momentum).add_(gW)
            bufb.mul_(momentum).add_(gb)
            bufc.mul_(momentum).add_(gc)
            W.add_(bufW, alpha=-lr)
            b.add_(bufb, alpha=-lr)
            c.add_(bufc, alpha=-lr)
        meter.stop()
        peer.print_epoch(epoch, meter, total / N)
    peer.report_threads()


if __name__ == "__main__":
    main()
