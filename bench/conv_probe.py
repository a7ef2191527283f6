# conv_probe.py — the PyTorch side of bench/conv_probe.cpp: forward + backward (loss = sum(y)) of conv
# 1->32 3x3 p1 on (128, 1, 28, 28) and conv 32->64 3x3 p1 on (128, 32, 14, 14), one thread, median of reps.
# Run:  /usr/bin/python3 bench/conv_probe.py [reps]
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10


def median_ms(f):
    f()
    f()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t.append((time.perf_counter() - t0) * 1000)
    return sorted(t)[len(t) // 2]


torch.manual_seed(1)
for name, N, C, H, O, x_grad in [("conv 1->32 3x3 p1 on (128,1,28,28)", 128, 1, 28, 32, False),
                                 ("conv 32->64 3x3 p1 on (128,32,14,14)", 128, 32, 14, 64, True)]:
    x = torch.rand(N, C, H, H) * 2 - 1
    x.requires_grad_(x_grad)
    conv = torch.nn.Conv2d(C, O, 3, padding=1)

    def step():
        conv.zero_grad(set_to_none=False)
        if x.grad is not None:
            x.grad.zero_()
        conv(x).sum().backward()

    def fwd():
        with torch.no_grad():
            conv(x)

    print(f"{name:40s} forward+backward {median_ms(step):7.2f} ms  (forward {median_ms(fwd):6.2f})  "
          f"torch {torch.__version__}, mkldnn {torch.backends.mkldnn.is_available()}")
