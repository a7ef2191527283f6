"""cae.py — PyTorch (Python) peer of bench/tg_cae.cpp, line for line the libtorch peer bench/peers/cae.cpp:
  encoder  conv 1→32 3x3 s2 p1, ReLU → (B, 32, 14, 14); conv 32→64 s2, ReLU → (B, 64, 7, 7); 3136 → 30
  decoder  30 → 3136, ReLU → (B, 64, 7, 7); conv-transpose 64→32 3x3 s2 p1 op1, ReLU → (B, 32, 14, 14);
           conv-transpose 32→1 s2 p1 op1 → (B, 1, 28, 28) logits
  loss = Σ_pixels BCE-with-logits / B.  Adam 1e-3, batch 128, shuffled each epoch.
The convolutions go through oneDNN when torch.backends.mkldnn is available and on ("mkldnn 1").
One line per epoch: the training loop's seconds and mean loss per image.
"""
import torch
import torch.nn.functional as F
from torch import nn

import peer


def main():
    batch, K = 128, 30
    f = peer.parse_flags("cae.py: PyTorch conv autoencoder 1x28x28-c32-c64-30 on Fashion-MNIST (bench)")
    x, _ = peer.load_train(f.data, f.batches * batch)
    N = x.size(0)

    encoder = nn.Sequential(nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(),     # (B, 32, 14, 14)
                            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),    # (B, 64, 7, 7)
                            nn.Flatten(), nn.Linear(3136, K))                        # (B, K)
    decoder = nn.Sequential(nn.Linear(K, 3136), nn.ReLU(), nn.Unflatten(1, (64, 7, 7)),
                            nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
                            nn.ConvTranspose2d(32, 1, 3, stride=2, padding=1, output_padding=1),  # (B, 1, 28, 28)
                            nn.Flatten())                                            # (B, 784) logits
    opt = torch.optim.Adam(list(encoder.parameters()) + list(decoder.parameters()), lr=1e-3)
    for epoch in range(1, f.epochs + 1):
        meter = peer.EpochMeter()  # the loop's seconds and minor page faults
        total = 0.0
        perm = torch.randperm(N)
        for s in range(0, N, batch):
            xb = x.index_select(0, perm[s:s + batch])  # (B, 784)
            opt.zero_grad()
            logits = decoder(encoder(xb.view(-1, 1, 28, 28)))
            loss = F.binary_cross_entropy_with_logits(logits, xb, reduction="sum") / xb.size(0)
            loss.backward()
            opt.step()
            total += loss.item() * xb.size(0)
        meter.stop()
        peer.print_epoch(epoch, meter, total / N)
    peer.report_threads()
    print("mkldnn", int(torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled), flush=True)


if __name__ == "__main__":
    main()
