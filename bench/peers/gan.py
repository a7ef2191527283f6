"""gan.py — PyTorch (Python) peer of bench/tg_gan.cpp, line for line the libtorch peer bench/peers/gan.cpp:
  G  z (100) → 128 → 256 → 512 → 1024 → 784, LeakyReLU 0.2, tanh
  D  784 → 1024 → 512 → 256 → 128 → 1 logit, LeakyReLU 0.2 and Dropout 0.3 after each hidden layer
  per batch (images scaled to [-1, 1]): fake = G(z) once; D step BCE(D(real), 1) + BCE(D(fake.detach()), 0);
  G step BCE(D(fake), 1) (non-saturating). Adam 2e-4, β1 0.5, each net; batch 64.
One line per epoch: seconds, mean D loss, mean G loss, D's accuracy on real and on fake images.
"""
import torch
import torch.nn.functional as F
from torch import nn

import peer


def main():
    batch, latent = 64, 100
    f = peer.parse_flags("gan.py: PyTorch classic MLP GAN on Fashion-MNIST (bench)")
    x, _ = peer.load_train(f.data, f.batches * batch)
    N = x.size(0)

    def leaky():
        return nn.LeakyReLU(0.2)
    G = nn.Sequential(nn.Linear(latent, 128), leaky(), nn.Linear(128, 256), leaky(), nn.Linear(256, 512), leaky(),
                      nn.Linear(512, 1024), leaky(), nn.Linear(1024, 784), nn.Tanh())
    D = nn.Sequential(nn.Linear(784, 1024), leaky(), nn.Dropout(0.3), nn.Linear(1024, 512), leaky(), nn.Dropout(0.3),
                      nn.Linear(512, 256), leaky(), nn.Dropout(0.3), nn.Linear(256, 128), leaky(), nn.Dropout(0.3),
                      nn.Linear(128, 1))
    G.train()
    D.train()
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    for epoch in range(1, f.epochs + 1):
        meter = peer.EpochMeter()  # the loop's seconds and minor page faults
        d_total = g_total = real_right = fake_right = 0.0
        batches = 0
        perm = torch.randperm(N)
        for s in range(0, N, batch):
            real = x.index_select(0, perm[s:s + batch]) * 2 - 1
            B = real.size(0)
            ones, zeros = torch.ones(B, 1), torch.zeros(B, 1)
            fake = G(torch.randn(B, latent))

            opt_d.zero_grad()
            real_logits = D(real)
            fake_logits = D(fake.detach())
            d_loss = F.binary_cross_entropy_with_logits(real_logits, ones) + \
                F.binary_cross_entropy_with_logits(fake_logits, zeros)
            d_loss.backward()
            opt_d.step()

            opt_g.zero_grad()
            g_loss = F.binary_cross_entropy_with_logits(D(fake), ones)
            g_loss.backward()
            opt_g.step()

            d_total += d_loss.item()
            g_total += g_loss.item()
            real_right += (real_logits > 0).sum().item()
            fake_right += (fake_logits < 0).sum().item()
            batches += 1
        meter.stop()
        peer.print_epoch(epoch, meter, d_total / batches,
                         g_loss=g_total / batches, d_real_acc=real_right / N, d_fake_acc=fake_right / N)
    peer.report_threads()


if __name__ == "__main__":
    main()
