"""peer.py — what the Python peers (bench/peers/{vae,mlp,gan,rbm}.py) share, the Python twin of peer.h and
fmnist.h: the flags (--epochs --threads --blas-threads --batches --seed --data), the thread settings
(ATen's through torch, OpenBLAS's through ctypes on the libopenblas this process loaded), Fashion-MNIST
read as fmnist.h reads it (gzip, bytes / 255 in float32), the line per epoch bench/run.py reads and the
lines at the end naming the OpenBLAS build and thread counts. Needs Debian's python3-torch and python3-numpy.
"""
import argparse
import ctypes
import gzip
import os
import resource
import sys
import time

import numpy as np
import torch


def positive(text):
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number >= 1")
    return n


def non_negative(text):
    n = int(text)
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number >= 0")
    return n


def openblas():
    """The libopenblas this process loaded (through torch's libblas.so.3): pthread or OpenMP build, as
    LD_LIBRARY_PATH chose. Found in /proc/self/maps, so ctypes reaches the very copy torch calls."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "libopenblas" in line}
    if len(paths) != 1:
        sys.exit(f"error: expected one libopenblas in this process, found {sorted(paths) or 'none'}")
    lib = ctypes.CDLL(paths.pop())
    lib.openblas_get_config.restype = ctypes.c_char_p
    return lib


def parse_flags(about):
    """Parses the flags (exit 2 on a bad one) and sets the threads: OpenBLAS first, ATen second, as
    peer.h does (the OpenMP build of OpenBLAS sets OpenMP's thread count when told its own)."""
    ap = argparse.ArgumentParser(description=about)
    ap.add_argument("--epochs", type=positive, default=5)
    ap.add_argument("--threads", type=positive, default=1, help="ATen's threads")
    ap.add_argument("--blas-threads", type=positive, default=0, help="OpenBLAS's threads (default: --threads)")
    ap.add_argument("--batches", type=non_negative, default=0, help="0 = all; else the first N*batch images")
    ap.add_argument("--seed", type=non_negative, default=1)
    ap.add_argument("--data", default="", help="$TAPEGRAD_DATA or /usr/share/datasets/fashion-mnist")
    f = ap.parse_args()
    f.blas_threads = f.blas_threads or f.threads
    torch.set_num_interop_threads(1)  # before any parallel work, or ATen refuses
    openblas().openblas_set_num_threads(f.blas_threads)
    torch.set_num_threads(f.threads)
    torch.manual_seed(f.seed)
    return f


def report_threads():
    """After training: the OpenBLAS build and the thread counts in force (peer.h's report_threads)."""
    lib = openblas()
    is_openmp = b"USE_OPENMP" in lib.openblas_get_config()
    print("blas_build", "openmp" if is_openmp else "pthread")
    print("torch_threads", torch.get_num_threads())
    print("blas_threads", torch.get_num_threads() if is_openmp else lib.openblas_get_num_threads(), flush=True)


# ---------------------------------------------------------------------------------------------------
# Fashion-MNIST, as fmnist.h reads it

def data_dir(flag):
    return flag or os.environ.get("TAPEGRAD_DATA") or "/usr/share/datasets/fashion-mnist"


def read_idx(directory, name, ndims):
    """The bytes of directory/name(.gz), checked against the idx magic, and its sizes."""
    path = os.path.join(directory, name)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            raw = f.read()
    elif os.path.exists(path):
        with open(path, "rb") as f:
            raw = f.read()
    else:
        sys.exit(f"error: cannot open {path}(.gz); pass --data DIR")
    if int.from_bytes(raw[0:4], "big") != 0x0800 | ndims:
        sys.exit(f"error: {path}: not an idx file of unsigned bytes with {ndims} dims")
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndims)]
    body = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndims)
    if body.size < np.prod(dims):
        sys.exit(f"error: {path}: shorter than its header says")
    return body[:np.prod(dims)].reshape(dims)


def load_train(flag, limit):
    """(x, y): x (N, 784) float32 in [0, 1], y (N) int64; with limit > 0 only the first `limit` images."""
    directory = data_dir(flag)
    img = read_idx(directory, "train-images-idx3-ubyte", 3)
    lab = read_idx(directory, "train-labels-idx1-ubyte", 1)
    x = torch.from_numpy(img.reshape(img.shape[0], -1).astype(np.float32) / np.float32(255))
    y = torch.from_numpy(lab.astype(np.int64))
    if 0 < limit < x.shape[0]:
        x, y = x[:limit].clone(), y[:limit].clone()
    return x, y


# ---------------------------------------------------------------------------------------------------
# The line per epoch (bench/epoch_line.h)

def minor_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


class EpochMeter:
    """Start right before an epoch's training loop, stop() right after: its seconds and minor page faults."""

    def __init__(self):
        self.t0, self.faults0 = time.monotonic(), minor_faults()

    def stop(self):
        self.seconds, self.faults = time.monotonic() - self.t0, minor_faults() - self.faults0


def print_epoch(epoch, meter, loss, **extra):
    words = [f"epoch {epoch} seconds {meter.seconds:.6f} loss {loss:.6f} minflt {meter.faults}"]
    words += [f"{k} {v:.6f}" for k, v in extra.items()]
    print(" ".join(words), flush=True)
