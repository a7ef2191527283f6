"""cnn.py — PyTorch (Python) peer of bench/tg_cnn.cpp, line for line the libtorch peer bench/peers/cnn.cpp:
conv 1→32 3x3 p1, ReLU, maxpool 2; conv 32→64 3x3 p1, ReLU, maxpool 2; flatten 3136 → 128, ReLU,
dropout 0.5 → 10; cross-entropy on the logits (mean over the batch), Adam 1e-3, batch 128, shuffled each
epoch. The convolutions go through oneDNN when torch.backends.mkldnn is available and on ("mkldnn 1").
One line per epoch: the training loop's seconds and mean training loss.
"""
import torch
import torch.nn.functional as F
from torch import nn

import peer


def main():
    batch = 128
    f = peer.parse_flags("cnn.py: PyTorch CNN classifier 1x28x28-c32-c64-128-10 on Fashion-MNIST (bench)")
    x, y = peer.load_train(f.data, f.batches * batch)
    N = x.size(0)

    net = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),    # (B, 32, 14, 14)
                        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # (B, 64, 7, 7)
                        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(0.5),
                        nn.Linear(128, 10))
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(1, f.epochs + 1):
        meter = peer.EpochMeter()  # the loop's seconds and minor page faults
        total = 0.0
        perm = torch.randperm(N)
        for s in range(0, N, batch):
            idx = perm[s:s + batch]
            xb, yb = x.index_select(0, idx).view(-1, 1, 28, 28), y.index_select(0, idx)
            opt.zero_grad()
            loss = F.cross_entropy(net(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.size(0)
        meter.stop()
        peer.print_epoch(epoch, meter, total / N)
    peer.report_threads()
    print("mkldnn", int(torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled), flush=True)


if __name__ == "__main__":
    main()
