"""mlp.py — PyTorch (Python) peer of bench/tg_mlp.cpp, line for line the libtorch peer bench/peers/mlp.cpp:
784 → 256 → 128 → 10, Linear-ReLU-Dropout(0.2) per hidden layer, cross-entropy on the logits (mean over
the batch), Adam 1e-3, batch 128, shuffled each epoch.
One line per epoch: the training loop's seconds and mean training loss.
"""
import torch
import torch.nn.functional as F
from torch import nn

import peer


def main():
    batch = 128
    f = peer.parse_flags("mlp.py: PyTorch MLP classifier 784-256-128-10 on Fashion-MNIST (bench)")
    x, y = peer.load_train(f.data, f.batches * batch)
    N = x.size(0)

    net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2),
                        nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.2),
                        nn.Linear(128, 10))
    net.train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    for epoch in range(1, f.epochs + 1):
        meter = peer.EpochMeter()  # the loop's seconds and minor page faults
        total = 0.0
        perm = torch.randperm(N)
        for s in range(0, N, batch):
            idx = perm[s:s + batch]
            xb, yb = x.index_select(0, idx), y.index_select(0, idx)
            opt.zero_grad()
            loss = F.cross_entropy(net(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * xb.size(0)
        meter.stop()
        peer.print_epoch(epoch, meter, total / N)
    peer.report_threads()


if __name__ == "__main__":
    main()
