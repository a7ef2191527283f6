"""dcgan_reference.py — examples/dcgan's DCGAN written in PyTorch, for telling a tapegrad defect from the
recipe's limits: same nets (G z(100) → 7x7x128 → ConvT 4x4 s2 → 14x14x64 → ConvT 4x4 s2 → 28x28 tanh, BatchNorm
and ReLU between; D conv 4x4 s2 → 64 → conv 4x4 s2 → 128, LeakyReLU 0.2, → one logit; --d-norm batch adds
BatchNorm after D's second conv), same init (N(0, 0.02²)), same steps (fake = G(z) once; D step on real and
fake.detach(); G step, non-saturating), Adam 2e-4 β1 0.5. After each epoch it writes 10,000 samples of G in
evaluation mode, as bytes, to OUT/samples_epochN-idx3-ubyte: judge them with tapegrad's judge,
  build/sample_quality --images OUT/samples_epoch1-idx3-ubyte,...
Not part of `make bench` (a quality reference, not a speed one). Needs python3-torch and python3-numpy;
run it with /usr/bin/python3. An epoch takes about 250 s at one thread on the 2-core development machine.
  /usr/bin/python3 bench/peers/dcgan_reference.py [--epochs 2] [--batch 128] [--d-norm none] [--train-limit N] [--out out/dcgan-torch]
"""
import argparse
import os
import time

import numpy as np
import torch
from torch import nn

import peer


def nets(d_norm):
    g = nn.Sequential(nn.Linear(100, 128 * 7 * 7, bias=False), nn.Unflatten(1, (128, 7, 7)), nn.BatchNorm2d(128), nn.ReLU(),
                      nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
                      nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    d = [nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1, bias=d_norm == "none")]
    if d_norm == "batch":
        d.append(nn.BatchNorm2d(128))
    d += [nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(128 * 7 * 7, 1)]
    return g, nn.Sequential(*d)


def dcgan_init(m):  # the DCGAN paper's: weights N(0, 0.02²), BatchNorm scales N(1, 0.02²), biases 0
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
    elif isinstance(m, nn.BatchNorm2d):
        nn.init.normal_(m.weight, 1.0, 0.02)
    if getattr(m, "bias", None) is not None:
        nn.init.zeros_(m.bias)


def write_idx3(path, images):  # (N, 28, 28) uint8, as an idx3 file, atomically
    header = (0x0803).to_bytes(4, "big") + b"".join(int(n).to_bytes(4, "big") for n in images.shape)
    with open(path + ".part", "wb") as f:
        f.write(header + images.tobytes())
    os.replace(path + ".part", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=peer.positive, default=2)
    ap.add_argument("--batch", type=peer.positive, default=128)
    ap.add_argument("--threads", type=peer.positive, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--d-norm", choices=["none", "batch"], default="none")
    ap.add_argument("--data", default="")
    ap.add_argument("--train-limit", type=peer.non_negative, default=0, help="the first N training images (0 = all)")
    ap.add_argument("--out", default="out/dcgan-torch")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    x, _ = peer.load_train(a.data, a.train_limit)
    x = (x * 2 - 1).reshape(-1, 1, 28, 28)  # [0, 1] -> [-1, 1], the range of G's tanh
    g, d = nets(a.d_norm)
    g.apply(dcgan_init)
    d.apply(dcgan_init)
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    judged_z = torch.randn(10000, 100, generator=torch.Generator().manual_seed(1234))
    for epoch in range(1, a.epochs + 1):
        start = time.time()
        for batch in torch.randperm(x.shape[0]).split(a.batch):
            real = x[batch]
            ones, zeros = torch.ones(len(batch), 1), torch.zeros(len(batch), 1)
            fake = g(torch.randn(len(batch), 100))
            opt_d.zero_grad()
            d_loss = bce(d(real), ones) + bce(d(fake.detach()), zeros)
            d_loss.backward()
            opt_d.step()
            opt_g.zero_grad()
            g_loss = bce(d(fake), ones)
            g_loss.backward()
            opt_g.step()
        g.eval()  # BatchNorm's running statistics, as tapegrad samples
        with torch.no_grad():
            s = (g(judged_z) + 1) / 2
        g.train()
        path = os.path.join(a.out, f"samples_epoch{epoch}-idx3-ubyte")
        write_idx3(path, (s.clamp(0, 1) * 255 + 0.5).to(torch.uint8).reshape(-1, 28, 28).numpy())
        print(f"epoch {epoch}/{a.epochs}  {time.time() - start:.1f} s  last batch: d_loss {d_loss.item():.3f} "
              f"g_loss {g_loss.item():.3f}  wrote {path}", flush=True)


if __name__ == "__main__":
    main()
