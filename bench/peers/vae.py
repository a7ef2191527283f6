"""vae.py — PyTorch (Python) peer of bench/tg_vae.cpp, line for line the libtorch peer bench/peers/vae.cpp:
  encoder 784 → 400 (ReLU) → 40 = [mu | logvar] (one layer, split; logvar clamped to [-30, 20])
  z = mu + exp(logvar / 2) · ε;  decoder 20 → 400 (ReLU) → 784 logits
  loss = Σ_pixels BCE-with-logits / B + KL / B,  KL = -½ Σ (1 + logvar - mu² - e^logvar)
Adam 1e-3, batch 128, shuffled each epoch. One line per epoch: the training loop's seconds, mean loss.
"""
import torch
import torch.nn.functional as F
from torch import nn

import peer


class VAE(nn.Module):
    D, H, K = 784, 400, 20

    def __init__(self):
        super().__init__()
        self.enc1, self.enc2 = nn.Linear(self.D, self.H), nn.Linear(self.H, 2 * self.K)
        self.dec1, self.dec2 = nn.Linear(self.K, self.H), nn.Linear(self.H, self.D)

    def loss(self, x, eps):
        """negative ELBO per image for the batch x (B, D), with noise eps (B, K)"""
        h = self.enc2(torch.relu(self.enc1(x)))                        # (B, 2K)
        mu, logvar = h[:, :self.K], h[:, self.K:].clamp(-30, 20)
        z = mu + torch.exp(0.5 * logvar) * eps                         # (B, K)
        logits = self.dec2(torch.relu(self.dec1(z)))                   # (B, D)
        B = x.size(0)
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / B
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / B
        return recon + kl


def main():
    batch = 128
    f = peer.parse_flags("vae.py: PyTorch VAE 784-400-20 on Fashion-MNIST (bench)")
    x, _ = peer.load_train(f.data, f.batches * batch)
    N = x.size(0)

    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, f.epochs + 1):
        meter = peer.EpochMeter()  # the loop's seconds and minor page faults
        total = 0.0
        perm = torch.randperm(N)
        for s in range(0, N, batch):
            xb = x.index_select(0, perm[s:s + batch])
            eps = torch.randn(xb.size(0), VAE.K)
            opt.zero_grad()
            loss = model.loss(xb, eps)
            loss.backward()
            opt.step()
            total += loss.item() * xb.size(0)
        meter.stop()
        peer.print_epoch(epoch, meter, total / N)
    peer.report_threads()


if __name__ == "__main__":
    main()
