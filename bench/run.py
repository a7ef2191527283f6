#!/usr/bin/env python3
"""run.py — `make bench`: tapegrad against libtorch 1.13 (C++) and PyTorch 1.13 (Python) on the same six
models (four MLP-based, two convolutional), each peer in its strongest ordinary configuration (bench/README.md).

Per model: a short calibration times each peer under every allocator, OpenBLAS build and split of threads
between ATen and OpenBLAS, and keeps the fastest; then, per thread count, tapegrad, libtorch and PyTorch
(each in its winning configuration) and libtorch as it comes (glibc's default malloc: a labelled column of
its own) run in turn, BENCH_REPS times, BENCH_EPOCHS epochs each, the first epoch of every run dropped.
Prints the markdown tables and writes them to bench/results.md. Standard library only.

  python3 bench/run.py [--build build] [--out bench/results.md]
  environment: BENCH_EPOCHS (3; the GAN 2)  BENCH_REPS (2)  BENCH_MODELS (vae,mlp,gan,rbm,cnn,cae)  BENCH_THREADS (1,2)
               BENCH_RUN_LIMIT (300)  BENCH_BATCHES (0 = whole epochs; N: a smoke run on N batches)
               BENCH_PEERS (libtorch,pytorch,default)  BENCH_CALIB_BATCHES (50)  BENCH_CALIB_EPOCHS (3)
               BENCH_DEFAULT_REPS (1)  BENCH_DEFAULT_BATCHES (300)  BENCH_CONV_BATCHES (60)  BENCH_PYTHON (/usr/bin/python3)
  (each explained in bench/README.md)
"""
import argparse
import collections
import datetime
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

N_TRAIN = 60000  # Fashion-MNIST's training images
BENCH_DIR = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------------------
# The models: batch size, and GEMM flops per training step counted by hand (2 flops per multiply-add).
# A chain of Linear layers of sizes n0 → n1 → ... over R rows costs R·Σ n_i·n_(i+1) multiply-adds forward,
# the same again for dW = dYᵀX, and the same for dX = dY W except where the chain's input needs no
# gradient (data), where its first layer's dX is skipped. tg_* programs print the recorder's own count
# (gemm_gflop_per_epoch); the table warns when the two disagree.

def chain(sizes):
    """multiply-adds per row of one forward pass, and of its first layer alone"""
    return sum(a * b for a, b in zip(sizes, sizes[1:])), sizes[0] * sizes[1]


def vae_macs(B):
    enc, enc_first = chain([784, 400, 40])
    dec, _ = chain([20, 400, 784])
    return B * (enc * 2 + (enc - enc_first)) + B * dec * 3  # z needs its gradient: decoder dX all the way


def mlp_macs(B):
    net, first = chain([784, 256, 128, 10])
    return B * (net * 2 + (net - first))


def gan_macs(B):
    g, g_first = chain([100, 128, 256, 512, 1024, 784])
    d, d_first = chain([784, 1024, 512, 256, 128, 1])
    d_step = 2 * B * (d * 2 + (d - d_first))  # D over B real + B fake rows: forward, dW, dX (not into data)
    g_step = B * d * 3 + B * (g * 2 + (g - g_first))  # D forward, dW, dX into the fakes; G forward, dW, dX
    return d_step + g_step  # G's forward once per batch, shared by both steps


def rbm_macs(B):
    return 5 * B * 500 * 784  # v0 Wᵀ, h0 W, v1 Wᵀ, ph0ᵀ v0, ph1ᵀ v1


# A convolution through im2col is one product per image: conv2d C → O, k×k, P = Ho·Wo output pixels costs
# O·P·C·k² multiply-adds forward, the same for dW and the same for dX (skipped when its input is data); a
# transposed convolution C → O over an H×W input costs C·H·W·O·k² for each of the three.

def conv(c, o, k, p):
    """multiply-adds per image of one product of a convolution c → o, k×k kernel, p output pixels"""
    return o * p * c * k * k


def cnn_macs(B):
    conv1, conv2 = conv(1, 32, 3, 28 * 28), conv(32, 64, 3, 14 * 14)  # both padded, stride 1
    fc, _ = chain([3136, 128, 10])
    return B * (conv1 * 2 + conv2 * 3 + fc * 3)  # conv1's input is data: no dX


def cae_macs(B):
    enc = conv(1, 32, 3, 14 * 14) * 2 + conv(32, 64, 3, 7 * 7) * 3  # stride 2; conv1's input is data
    fcs = 3136 * 30 * 3 * 2  # encoder 3136 → 30 and decoder 30 → 3136, each forward, dW, dX
    dec = conv(32, 64, 3, 7 * 7) * 3 + conv(1, 32, 3, 14 * 14) * 3  # the two transposed convolutions
    return B * (enc + fcs + dec)


MODELS = {  # name: (batch, multiply-adds per full step, what the loss check compares)
    "vae": (128, vae_macs, "mean negative ELBO per image (nats), last epoch"),
    "mlp": (128, mlp_macs, "mean training cross-entropy, last epoch"),
    "gan": (64, gan_macs, "mean D loss and mean G loss, last epoch"),
    "rbm": (64, rbm_macs, "mean CD-1 reconstruction error per image, last epoch"),
    "cnn": (128, cnn_macs, "mean training cross-entropy, last epoch"),
    "cae": (128, cae_macs, "mean BCE per image (nats), last epoch"),
}
CONV_MODELS = ("cnn", "cae")  # their peers print whether oneDNN (mkldnn) was on; their epochs are cut short
# Epochs per run unless BENCH_EPOCHS says otherwise: one warm-up + two measured; one measured for the GAN,
# whose epochs take ten times longer, to keep `make bench` short.
DEFAULT_EPOCHS = {"vae": 3, "mlp": 3, "gan": 2, "rbm": 3, "cnn": 3, "cae": 3}
# The conv rows' epochs are the first BENCH_CONV_BATCHES batches (60 of 469), their seconds and faults scaled
# to a whole epoch, and their calibration runs CONV_CALIB_BATCHES batches per epoch (unless
# BENCH_CALIB_BATCHES is set): a whole CNN epoch takes tens of seconds on every side, and at whole epochs
# the two rows would add ~40 minutes to `make bench`; so sized, ~4 minutes each.
CONV_BATCHES = 60
CONV_CALIB_BATCHES = 20
# Relative tolerances for the loss check (bench/README.md, "Do they learn the same thing?").
TOLERANCE = {"vae": 0.03, "mlp": 0.03, "gan": 0.25, "rbm": 0.05, "cnn": 0.05, "cae": 0.03}
# The targets (bench/README.md, "Targets"): against the strongest peer, best vs best at least this, and
# never slower at equal threads; the RBM is reported only.
TARGET_BEST = {"vae": 2.0, "mlp": 2.0, "gan": 2.0, "cnn": 1.0, "cae": 1.0}  # the conv rows (issue 17): not slower
# A peer in its strongest configuration keeps its memory: ~0 minor faults per step after the first epoch.
# More than this many per step in a measured run is flagged in the results as a possible handicap.
FAULTS_PER_STEP = 10


# ---------------------------------------------------------------------------------------------------
# The peers' configurations: an allocator, an OpenBLAS build, and ATen's and OpenBLAS's thread counts.

LIB = "/usr/lib/x86_64-linux-gnu"
KEEP = "glibc.malloc.mmap_threshold=1073741824:glibc.malloc.trim_threshold=1073741824"
ALLOCATORS = {  # name: (environment it adds, the library it needs or None)
    "glibc": ({}, None),  # glibc's malloc as it comes: returns freed blocks to the kernel
    "glibc-keep": ({"GLIBC_TUNABLES": KEEP}, None),  # ... told not to (no mmap, no trim below 1 GiB)
    "glibc-keep+pad": ({"GLIBC_TUNABLES": KEEP + ":glibc.malloc.top_pad=67108864"}, None),  # ... and grow by 64 MB
    "jemalloc": ({"LD_PRELOAD": f"{LIB}/libjemalloc.so.2"}, f"{LIB}/libjemalloc.so.2"),  # purges unused pages after 10 s
    "jemalloc-keep": ({"LD_PRELOAD": f"{LIB}/libjemalloc.so.2", "MALLOC_CONF": "dirty_decay_ms:-1,muzzy_decay_ms:-1"},
                      f"{LIB}/libjemalloc.so.2"),  # ... told never to purge them
    "tcmalloc": ({"LD_PRELOAD": f"{LIB}/libtcmalloc_minimal.so.4"}, f"{LIB}/libtcmalloc_minimal.so.4"),  # releases pages as it frees
    "tcmalloc-keep": ({"LD_PRELOAD": f"{LIB}/libtcmalloc_minimal.so.4", "TCMALLOC_RELEASE_RATE": "0"},
                      f"{LIB}/libtcmalloc_minimal.so.4"),  # ... told never to release them
}
# The allocators calibration tries: those that keep what they were given. jemalloc and tcmalloc as they come
# give pages back on a timer or a count that a 50-batch calibration run never reaches, so they can win the
# calibration and then page-fault through the measured run (2026-12-04: the C++ RBM peer with jemalloc took
# 0 faults in calibration and 2.1 M per epoch measured, 29 s against ~3 s).
CANDIDATES = ("glibc-keep", "glibc-keep+pad", "jemalloc-keep", "tcmalloc-keep")
BLAS_BUILDS = {  # name: (directory put first on LD_LIBRARY_PATH or None, the library it needs or None)
    "pthread": (None, None),  # Debian's default libblas.so.3 / libopenblas.so.0: OpenBLAS's own threads
    "openmp": (f"{LIB}/openblas-openmp", f"{LIB}/openblas-openmp/libopenblas.so.0"),  # shares libgomp's pool with ATen
}
CLEARED = ("LD_PRELOAD", "GLIBC_TUNABLES", "MALLOC_CONF", "TCMALLOC_RELEASE_RATE")  # never inherited: every run's allocator is the one its name says

Config = collections.namedtuple("Config", "alloc blas torch blas_threads")


def config_name(c):
    split = f"torch {c.torch}/BLAS {c.blas_threads}"
    return f"{c.alloc}, {c.blas} BLAS, {split}"


def config_missing(c):
    """the library a configuration needs that this machine lacks, or None"""
    for need in (ALLOCATORS[c.alloc][1], BLAS_BUILDS[c.blas][1]):
        if need and not os.path.exists(need):
            return need
    return None


def config_env(c):
    """the environment a run in configuration c gets (None: tapegrad's, the bench's own less CLEARED)"""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    if c is None:
        return env
    env.update(ALLOCATORS[c.alloc][0])
    libdir = BLAS_BUILDS[c.blas][0]
    if libdir:
        env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    return env


def allocator_stage():
    """calibration stage 1, at 1 thread: every allocator that keeps its memory, with the pthread OpenBLAS"""
    return [Config(a, "pthread", 1, 1) for a in CANDIDATES]


def blas_stage(alloc):
    """then, at 1 thread, stage 1's allocator with the OpenMP OpenBLAS"""
    return [Config(alloc, "openmp", 1, 1)]


def split_stage(alloc, t):
    """calibration stage 2, at t > 1 threads, with stage 1's allocator: ATen t / OpenBLAS t, t / 1 and 1 / t
    with the pthread OpenBLAS; t / t only with the OpenMP build, which follows OpenMP's (ATen's) count"""
    return [Config(alloc, "pthread", t, t), Config(alloc, "pthread", t, 1), Config(alloc, "pthread", 1, t),
            Config(alloc, "openmp", t, t)]


def default_config(t):
    """what `make bench` ran before as "libtorch": default malloc, pthread OpenBLAS, t and t threads"""
    return Config("glibc", "pthread", t, t)


# ---------------------------------------------------------------------------------------------------
# The sides

SIDE_NAMES = {"tg": "tapegrad", "lt": "libtorch", "py": "PyTorch", "ltd": "libtorch, default malloc"}
PEER_KNOB_NAMES = {"libtorch": "lt", "pytorch": "py", "default": "ltd"}


def command(side, model, knobs, build, threads, blas_threads=None):
    """the argv of one side's program, without --epochs/--batches/--seed"""
    if side == "tg":
        return [os.path.join(build, "bench", f"tg_{model}"), "--threads", str(threads)]
    if side == "py":
        argv = [knobs.python, os.path.join(BENCH_DIR, "peers", f"{model}.py")]
    else:
        argv = [os.path.join(build, "bench", f"peer_{model}")]
    return argv + ["--threads", str(threads), "--blas-threads", str(blas_threads or threads)]


# ---------------------------------------------------------------------------------------------------
# Running one program

def run_one(cmd, env, epochs, batches, seed, limit=math.inf, fail_ok=False, losing=None):
    """Runs a bench program; returns its epoch lines, the key-value lines it prints at the end (gemm_*,
    openblas_core, blas_build, torch_threads, blas_threads), peak RSS (MB), CPU and wall seconds.
    A run still going after `limit` seconds, or whose epoch lines make losing(epochs) true, is stopped
    once it has printed two epochs (one measured).
    A failed run exits the bench, or with fail_ok returns {"error": its last line of stderr}."""
    cmd = cmd + ["--epochs", str(epochs), "--seed", str(seed)] + (["--batches", str(batches)] if batches else [])
    run = {"epochs": [], "stopped": False, "cmd": cmd}
    start = time.monotonic()
    with tempfile.TemporaryFile(mode="w+") as errfile:  # a file, not a pipe: a chatty stderr cannot block
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errfile, text=True, env=env)
        for line in proc.stdout:
            words = line.split()
            if words and words[0] == "epoch":  # epoch N seconds S loss L minflt F [key value]...
                fields = dict(zip(words[2::2], map(float, words[3::2])))
                fields["epoch"] = int(words[1])
                run["epochs"].append(fields)
                if 2 <= len(run["epochs"]) < epochs and (time.monotonic() - start > limit or (losing and losing(run["epochs"]))):
                    proc.terminate()  # SIGTERM to this child only
                    run["stopped"] = True
                    break
            elif len(words) == 2:  # gemm_gflop_per_epoch 196.8, openblas_core Haswell, blas_build openmp, ...
                run[words[0]] = words[1]
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own resource usage: peak RSS, CPU time
        proc.stdout.close()
        errfile.seek(0)
        err = errfile.read()
    code = os.waitstatus_to_exitcode(status)
    run.update(rss_mb=usage.ru_maxrss / 1024, cpu=usage.ru_utime + usage.ru_stime, wall=time.monotonic() - start)
    problem = None
    if code != 0 and not run["stopped"]:
        problem = f"exit {code}"
    elif len(run["epochs"]) != epochs and not run["stopped"]:
        problem = f"printed {len(run['epochs'])} epoch lines, expected {epochs}"
    if problem and fail_ok:
        return {"error": f"{problem}: {(err.strip().splitlines() or ['no message'])[-1][:200]}"}
    if problem:
        sys.exit(f"bench: {' '.join(cmd)} {problem}:\n{err}")
    return run


def model_batches(knobs, model):
    """batches per epoch of a model's measured runs: BENCH_BATCHES in a smoke run, BENCH_CONV_BATCHES for the conv
    rows, else 0 (whole epochs)"""
    return knobs.batches or (knobs.conv_batches if model in CONV_MODELS else 0)


def calib_batches(knobs, model):
    """batches per epoch of a model's calibration runs (never more than its measured runs train on)"""
    n = knobs.conv_calib_batches if model in CONV_MODELS else knobs.calib_batches
    return min(n, model_batches(knobs, model)) if model_batches(knobs, model) else n


def effective(run):
    """the configuration's OpenBLAS build and thread split as the peer reported them after training"""
    return (run.get("blas_build"), int(run.get("torch_threads", 0)), int(run.get("blas_threads", 0)))


# ---------------------------------------------------------------------------------------------------
# Summaries

def median(xs):
    return statistics.median(xs) if xs else float("nan")


def measured(runs, key):
    """the key over every epoch after the first of every run, scaled to a whole epoch for capped runs"""
    return [e[key] * r.get("scale", 1) for r in runs for e in r["epochs"][1:] if key in e]


def seconds_of(runs):
    return median(measured(runs, "seconds"))


def gemm_fractions(runs):
    """per measured epoch: the replay right after it (scaled to an epoch) over the epoch's seconds"""
    return [e["gemm_seconds"] / e["seconds"] for r in runs for e in r["epochs"][1:] if not math.isnan(e.get("gemm_seconds", math.nan))]


def in_training_fractions(runs):
    """per measured epoch: the seconds spent inside gemm() during it (bench/gemm_probe.h's timer) over the epoch's seconds"""
    return [e["gemm_in_training_seconds"] / e["seconds"] for r in runs for e in r["epochs"][1:] if "gemm_in_training_seconds" in e]


def at_epoch(runs, key, epoch):
    """the key's value in the given epoch (from 1) of each run (one per seed)"""
    return [r["epochs"][epoch - 1][key] for r in runs]


def fmt(x, digits=3):
    return "–" if x != x else f"{x:.{digits}f}"


def fmt_count(x):
    return "–" if x != x else f"{x:,.0f}"


def threads_text(t):
    return f"{t} thread{'s' if t != 1 else ''}"


def fmt_ratio(x):
    return "–" if x != x else f"{x:.2f}x"


def ratio(a, b):
    return a / b if a == a and b == b and b > 0 else float("nan")


# ---------------------------------------------------------------------------------------------------
# Knobs

def read_knobs():
    """the BENCH_* environment, checked; a bad value exits naming the knob and the fix"""
    def env_int(name, default, lo):
        v = os.environ.get(name, str(default))
        if not v.isdigit() or int(v) < lo:
            sys.exit(f"bench: {name}={v!r}: must be an integer >= {lo} (unset it for the default, {default})")
        return int(v)

    def env_list(name, default, choices):
        items = [x for x in os.environ.get(name, default).split(",") if x]
        bad = [x for x in items if x not in choices]
        if bad or not items:
            sys.exit(f"bench: {name}={os.environ.get(name)!r}: choose a comma-separated list from {','.join(choices)} "
                     f"(unset it for {default})")
        return items

    k = argparse.Namespace()
    if "BENCH_EPOCHS" in os.environ:
        k.epochs = {m: env_int("BENCH_EPOCHS", 3, 2) for m in MODELS}  # the first is warm-up, so at least 2
    else:
        k.epochs = dict(DEFAULT_EPOCHS)
    k.reps = env_int("BENCH_REPS", 2, 1)
    k.limit = env_int("BENCH_RUN_LIMIT", 300, 1)
    k.batches = env_int("BENCH_BATCHES", 0, 0)
    if 0 < k.batches < 3:
        sys.exit("bench: BENCH_BATCHES must be 0 (whole epochs) or at least 3")
    k.models = env_list("BENCH_MODELS", ",".join(MODELS), list(MODELS))
    try:
        k.threads = [int(t) for t in os.environ.get("BENCH_THREADS", "1,2").split(",") if t]
        assert k.threads and min(k.threads) >= 1
    except (ValueError, AssertionError):
        sys.exit(f"bench: BENCH_THREADS={os.environ.get('BENCH_THREADS')!r}: write thread counts like 1,2")
    k.peers = [PEER_KNOB_NAMES[p] for p in env_list("BENCH_PEERS", "libtorch,pytorch,default", list(PEER_KNOB_NAMES))]
    k.calib_batches = env_int("BENCH_CALIB_BATCHES", 50, 3)
    k.conv_calib_batches = k.calib_batches if "BENCH_CALIB_BATCHES" in os.environ else CONV_CALIB_BATCHES
    k.conv_batches = env_int("BENCH_CONV_BATCHES", CONV_BATCHES, 0)
    if 0 < k.conv_batches < 3:
        sys.exit("bench: BENCH_CONV_BATCHES must be 0 (whole epochs) or at least 3")
    k.calib_epochs = env_int("BENCH_CALIB_EPOCHS", 3, 2)
    k.default_reps = env_int("BENCH_DEFAULT_REPS", 1, 1)
    k.default_batches = env_int("BENCH_DEFAULT_BATCHES", 300, 0)
    if 0 < k.default_batches < 3:
        sys.exit("bench: BENCH_DEFAULT_BATCHES must be 0 (whole epochs) or at least 3")
    k.python = os.environ.get("BENCH_PYTHON", "/usr/bin/python3")
    return k


def check_programs(knobs, build):
    """exits when a compiled program is missing; drops the PyTorch side (with a note) when BENCH_PYTHON
    cannot import torch and numpy. Returns the notes."""
    notes = []
    for m in knobs.models:
        for side in ["tg"] + [s for s in knobs.peers if s != "py"]:
            path = command(side, m, knobs, build, 1)[0]
            if not os.access(path, os.X_OK):
                sys.exit(f"bench: {path} is missing; build it with `make bench-build B={build}` (or run `make bench`)")
    if "py" in knobs.peers:
        probe = subprocess.run([knobs.python, "-c", "import torch, numpy"], capture_output=True, text=True) \
            if os.access(knobs.python, os.X_OK) else None
        if probe is None or probe.returncode != 0:
            knobs.peers.remove("py")
            notes.append(f"PyTorch side skipped: {knobs.python} cannot import torch and numpy (install python3-torch "
                         "and python3-numpy, or point BENCH_PYTHON at a python3 that has them)")
            print(f"bench: note: {notes[-1]}", flush=True)
    return notes


# ---------------------------------------------------------------------------------------------------
# Calibration: per model and peer (libtorch, PyTorch), short runs of every configuration; the fastest wins.

def calibration_run(side, model, config, knobs, build, reference):
    """one short run; returns a record {config, seconds (best measured epoch), minflt, note}. A run whose
    first measured epoch is over 3x `reference` (the side's best score so far) stops there: it has lost."""
    rec = {"config": config, "seconds": math.nan, "minflt": math.nan, "epochs": [], "note": "", "wall": 0.0}
    missing = config_missing(config)
    if missing:
        rec["note"] = f"skipped: {missing} is not installed"
        return rec
    batches = calib_batches(knobs, model)
    r = run_one(command(side, model, knobs, build, config.torch, config.blas_threads), config_env(config),
                knobs.calib_epochs, batches, 1, fail_ok=True, losing=lambda eps: eps[1]["seconds"] > 3 * reference)
    if "error" in r:
        rec["note"] = f"failed: {r['error']}"
        return rec
    got = effective(r)
    if not r["stopped"] and got != (config.blas, config.torch, config.blas_threads):  # a stopped run printed no end lines
        rec["note"] = f"not as asked: ran {got[0]} BLAS, torch {got[1]}/BLAS {got[2]}"
        return rec
    rec["wall"] = r["wall"]
    rec["note"] = "stopped after one measured epoch: over 3x the best so far" if r["stopped"] else ""
    rec["epochs"] = [e["seconds"] for e in r["epochs"]]
    rec["seconds"] = min(rec["epochs"][1:])
    rec["minflt"] = median([e["minflt"] for e in r["epochs"][1:]])
    return rec


def calibrate_stage(model, sides, configs_of, knobs, build, log, earlier):
    """runs each side's configurations, interleaving the sides; returns {side: [records]}. earlier: the
    records of the stages before, whose best score also counts as the best so far."""
    records = {s: [] for s in sides}
    lists = {s: configs_of(s) for s in sides}
    for i in range(max(len(v) for v in lists.values())):
        for s in sides if i % 2 == 0 else sides[::-1]:
            if i < len(lists[s]):
                best = fastest(earlier.get(s, []) + records[s])
                rec = calibration_run(s, model, lists[s][i], knobs, build, best["seconds"] if best else math.inf)
                records[s].append(rec)
                log(f"  calibrate {model} {SIDE_NAMES[s]}: {config_name(rec['config'])}: "
                    f"{fmt(rec['seconds'])} s{(' (' + rec['note'] + ')') if rec['note'] else ''}")
    return records


def fastest(records):
    ok = [r for r in records if r["seconds"] == r["seconds"]]
    return min(ok, key=lambda r: r["seconds"]) if ok else None


def calibrate(model, knobs, build, log):
    """{side: {threads: (chosen Config or None, [records of its stage])}} for libtorch and PyTorch.
    Stage 1 at 1 thread picks the allocator with the pthread OpenBLAS, then tries it with the OpenMP one:
    the faster is the 1-thread configuration; stage 2 at each thread count above 1 tries the splits of
    threads with that allocator and both builds."""
    sides = [s for s in ("lt", "py") if s in knobs.peers]
    if not sides:
        return {}
    chosen = {s: {} for s in sides}
    stage1 = calibrate_stage(model, sides, lambda s: allocator_stage(), knobs, build, log, {})
    alloc = {}
    for s in sides:
        win = fastest(stage1[s])
        alloc[s] = win["config"].alloc if win else "glibc-keep"
    stage1b = calibrate_stage(model, sides, lambda s: blas_stage(alloc[s]), knobs, build, log, stage1)
    for s in sides:
        stage1[s] += stage1b[s]
        win = fastest(stage1[s])
        # the 1-thread configuration; without 1 in BENCH_THREADS, stage 1 only picked the allocator
        chosen[s][1 if 1 in knobs.threads else "allocators"] = (win["config"] if win else None, stage1[s])
    for t in [t for t in knobs.threads if t > 1]:
        stage2 = calibrate_stage(model, sides, lambda s: split_stage(alloc[s], t), knobs, build, log, stage1)
        for s in sides:
            win = fastest(stage2[s])
            chosen[s][t] = (win["config"] if win else None, stage2[s])
    return chosen


# ---------------------------------------------------------------------------------------------------
# The measured runs

def measure(model, knobs, build, chosen, log):
    """{threads: {side: [runs]}}: per thread count BENCH_REPS reps, the sides in turn (who goes first
    rotates with the rep, so slow spells hit all); the default-malloc peer only in its first reps."""
    results = {}
    full_steps = N_TRAIN / MODELS[model][0]
    for t in knobs.threads:
        res = results[t] = {s: [] for s in ["tg"] + knobs.peers}
        configs = {"tg": None, "ltd": default_config(t)}
        for s in ("lt", "py"):
            if s in knobs.peers:
                configs[s] = chosen[s][t][0]
                if configs[s] is None:
                    log(f"  {model} {t}T {SIDE_NAMES[s]}: no configuration ran in calibration; side skipped")
        for rep in range(knobs.reps):
            order = ["tg"] + [s for s in knobs.peers if s != "ltd" or rep < knobs.default_reps]
            order = order[rep % len(order):] + order[:rep % len(order)]
            for side in order:
                name = f"{model} {t}T rep {rep + 1}/{knobs.reps} {SIDE_NAMES[side]}"
                if side != "tg" and configs[side] is None:
                    continue
                if res[side] and res[side][-1]["wall"] > knobs.limit:  # one run past the limit is enough
                    log(f"  {name}: skipped (its last run passed BENCH_RUN_LIMIT)")
                    continue
                batches = model_batches(knobs, model)
                if side == "ltd" and knobs.default_batches and (not batches or batches > knobs.default_batches) \
                        and knobs.default_batches < full_steps:
                    batches = knobs.default_batches
                # seconds and faults per whole (or smoke) epoch: the conv rows' short epochs and the default-malloc
                # peer's are scaled up
                scale = (knobs.batches or full_steps) / batches if batches else 1
                c = configs[side]
                cmd = command(side, model, knobs, build, c.torch if c else t, c.blas_threads if c else None)
                r = run_one(cmd, config_env(c), knobs.epochs[model], batches, rep + 1, knobs.limit)
                r.update(config=c, scale=scale)
                if c is not None and not r["stopped"] and effective(r) != (c.blas, c.torch, c.blas_threads):
                    r["mismatch"] = "ran {} BLAS, torch {}/BLAS {}".format(*effective(r))
                res[side].append(r)
                note = f", stopped after {len(r['epochs'])} epochs (BENCH_RUN_LIMIT={knobs.limit} s)" if r["stopped"] else ""
                note += f", {batches}-batch epochs scaled ×{scale:.2f}" if scale != 1 else ""
                note += f", NOT AS ASKED: {r['mismatch']}" if "mismatch" in r else ""
                log(f"  {name}: {seconds_of([r]):.3f} s/epoch, loss {r['epochs'][-1]['loss']:.4f}, "
                    f"minflt/epoch {fmt_count(median(measured([r], 'minflt')))}, {r['rss_mb']:.0f} MB, "
                    f"{r['cpu'] / r['wall']:.2f} cores busy{note}")
    return results


# ---------------------------------------------------------------------------------------------------
# The report

def side_summary(res, side):
    """(s/epoch, minflt/epoch, peak RSS MB, config) of one side at one thread count; NaNs when it did not run"""
    runs = res.get(side, [])
    if not runs:
        return math.nan, math.nan, math.nan, None
    return seconds_of(runs), median(measured(runs, "minflt")), max(r["rss_mb"] for r in runs), runs[0].get("config")


def strongest_peer(res):
    """(seconds, side) of the faster of libtorch and PyTorch at one thread count"""
    cands = [(side_summary(res, s)[0], s) for s in ("lt", "py") if res.get(s)]
    cands = [c for c in cands if c[0] == c[0]]
    return min(cands) if cands else (math.nan, None)


def header(knobs, elapsed, load, commit, cxxflags, cores, notes):
    blas_env = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith(("OPENBLAS_", "OMP_", "GOTO"))) or "none set"
    cleared = [k for k in CLEARED if k in os.environ]
    epochs_text = os.environ.get("BENCH_EPOCHS", "unset: " + ", ".join(f"{m} {knobs.epochs[m]}" for m in knobs.models))
    peers = ",".join(k for k, v in PEER_KNOB_NAMES.items() if v in knobs.peers)
    lines = [
        f"# tapegrad vs libtorch 1.13 and PyTorch 1.13 — {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load average "
        f"{load[0][0]:.1f} before, {load[1][0]:.1f} after (other work on the machine slows every side). "
        f"Git {commit or '?'} (plus uncommitted changes, if any).",
        f"OpenBLAS kernels: {', '.join(cores) or '?'} (every side loads the same OpenBLAS 0.3.21, pthread or OpenMP build; "
        f"environment: {blas_env}). tapegrad built with: {cxxflags}."
        + (f" Not passed to any run: {', '.join(cleared)} (each run's allocator is the one its name says)." if cleared else ""),
        f"Settings: BENCH_EPOCHS={epochs_text} BENCH_REPS={knobs.reps} BENCH_MODELS={','.join(knobs.models)} "
        f"BENCH_THREADS={','.join(map(str, knobs.threads))} BENCH_BATCHES={knobs.batches} BENCH_RUN_LIMIT={knobs.limit} "
        f"BENCH_PEERS={peers} BENCH_CALIB_BATCHES={knobs.calib_batches} BENCH_CALIB_EPOCHS={knobs.calib_epochs} "
        f"BENCH_DEFAULT_REPS={knobs.default_reps} BENCH_DEFAULT_BATCHES={knobs.default_batches} BENCH_CONV_BATCHES={knobs.conv_batches} "
        f"BENCH_PYTHON={knobs.python}; {elapsed / 60:.1f} minutes.",
    ]
    if knobs.batches:
        lines.append(f"**Smoke run: each epoch is only the first {knobs.batches} batches**, so seconds are per short epoch "
                     "and losses are early-training values.")
    conv = [m for m in knobs.models if m in CONV_MODELS]
    if conv and not knobs.batches and knobs.conv_batches:
        lines.append(f"The conv rows ({', '.join(conv)}) train on epochs of the first {knobs.conv_batches} batches "
                     f"(BENCH_CONV_BATCHES; calibration {calib_batches(knobs, conv[0])}): every side's seconds and faults are "
                     f"scaled ×{N_TRAIN / MODELS[conv[0]][0] / knobs.conv_batches:.2f} to a whole epoch, and their losses are "
                     "early-training values.")
    lines.append("Seconds per epoch are medians over every epoch after the first of every run (the training loop only). "
                 "libtorch and PyTorch ran in the configuration their calibration found fastest (named in each cell; every "
                 "calibration time is below); \"libtorch, default malloc\" is libtorch as it comes, what this bench "
                 "reported as \"libtorch\" before. Method and how to read this: bench/README.md.")
    lines += [f"Note: {n}" for n in notes]
    return lines


def speed_table(knobs, results, flops):
    """the seconds per epoch per side and thread count, the ratio at equal threads and best vs best"""
    peers = [s for s in ("lt", "py", "ltd") if s in knobs.peers]
    lines = ["| model | threads | tapegrad s/epoch | " + " | ".join(f"{SIDE_NAMES[s]} s/epoch" for s in peers)
             + " | strongest peer / tapegrad | GFLOP/s tapegrad / strongest peer |",
             "|---|---|---|" + "---|" * len(peers) + "---|---|"]
    ratios = {}
    for m in knobs.models:
        best = {}
        for t in knobs.threads:
            res = results[m][t]
            s_tg = side_summary(res, "tg")[0]
            cells = []
            for s in peers:
                sec, _, _, c = side_summary(res, s)
                scaled = " scaled" if any(r["scale"] != 1 for r in res.get(s, [])) else ""
                cells.append(f"{fmt(sec)}" + (f" ({config_name(c)}{scaled})" if c and s != "ltd" else scaled))
            s_peer, who = strongest_peer(res)
            r = ratio(s_peer, s_tg)
            ratios[(m, t)] = (r, who)
            lines.append(f"| {m} | {t} | {fmt(s_tg)} | " + " | ".join(cells)
                         + f" | {fmt_ratio(r)}{(' (' + SIDE_NAMES[who] + ')') if who else ''} "
                         f"| {fmt(flops[m] / s_tg, 1)} / {fmt(flops[m] / s_peer, 1)} |")
            for s in ["tg"] + peers:
                sec = side_summary(res, s)[0]
                if sec == sec and (s not in best or sec < best[s][0]):
                    best[s] = (sec, t)
        bt = best.get("tg", (math.nan, "–"))
        bp = min([(best[s][0], best[s][1], s) for s in ("lt", "py") if s in best], default=(math.nan, "–", None))
        r = ratio(bp[0], bt[0])
        ratios[(m, "best")] = (r, bp[2], bt[1], bp[1])
        cells = [f"**{fmt(best[s][0])}** at {best[s][1]}" if s in best else "–" for s in peers]
        lines.append(f"| **{m} best** | | **{fmt(bt[0])}** at {bt[1]} | " + " | ".join(cells)
                     + f" | **{fmt_ratio(r)}**{(' (' + SIDE_NAMES[bp[2]] + f' at {bp[1]})') if bp[2] else ''} "
                     f"| {fmt(flops[m] / bt[0], 1)} / {fmt(flops[m] / bp[0], 1)} |")
    return lines, ratios


def work_table(knobs, results):
    """the GEMM-only fraction, the GEMM share in training, peak RSS and minor page faults per epoch"""
    sides = ["tg"] + [s for s in ("lt", "py", "ltd") if s in knobs.peers]
    names = " / ".join(SIDE_NAMES[s] for s in sides)
    lines = [f"| model | threads | GEMM-only fraction | GEMM share in training | peak RSS MB ({names}) "
             f"| minor page faults per epoch ({names}) |", "|---|---|---|---|---|---|"]
    for m in knobs.models:
        for t in knobs.threads:
            res = results[m][t]
            summ = {s: side_summary(res, s) for s in sides}
            lines.append(f"| {m} | {t} | {fmt(median(gemm_fractions(res['tg'])), 2)} | {fmt(median(in_training_fractions(res['tg'])), 2)} "
                         f"| {' / '.join(fmt(summ[s][2], 0) for s in sides)} | {' / '.join(fmt_count(summ[s][1]) for s in sides)} |")
    return lines


def loss_table(knobs, results):
    """each quantity compared at the last epoch every run reached, for tapegrad, libtorch and PyTorch"""
    peers = [s for s in ("lt", "py") if s in knobs.peers]
    head = ["model", "compared", "tapegrad"] + [SIDE_NAMES[s] for s in peers] + [f"{SIDE_NAMES[s]} vs tapegrad" for s in peers] + ["agree"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in knobs.models:
        runs = {s: [r for t in knobs.threads for r in results[m][t].get(s, [])] for s in ["tg"] + peers}
        runs = {s: v for s, v in runs.items() if v}
        common = min(len(r["epochs"]) for v in runs.values() for r in v)
        keys = [("loss", "D loss"), ("g_loss", "G loss")] if m == "gan" else [("loss", "loss")]
        for key, what in keys:
            vals = {s: at_epoch(v, key, common) for s, v in runs.items()}
            cell = lambda v: f"{statistics.mean(v):.4f}" + (f" ({min(v):.4g}–{max(v):.4g})" if len(v) > 1 else "")
            a = statistics.mean(vals["tg"])
            rels = {s: abs(a - statistics.mean(vals[s])) / abs(statistics.mean(vals[s])) for s in peers if s in vals}
            ok = all(r <= TOLERANCE[m] for r in rels.values())
            row = [m, f"{what} after {common} epochs", cell(vals["tg"])] + [cell(vals[s]) if s in vals else "–" for s in peers]
            row += [f"{rels[s]:.1%} (≤ {TOLERANCE[m]:.0%})" if s in rels else "–" for s in peers]
            row += ["yes" if ok else "**NO**"] if rels else ["no peer ran"]
            lines.append("| " + " | ".join(row) + " |")
    return lines


def targets(knobs, ratios):
    """met / not met against the strongest peer, with the numbers"""
    lines = []
    for m in knobs.models:
        r, who, t_tg, t_peer = ratios[(m, "best")]
        best_text = (f"best vs best {fmt_ratio(r)} (tapegrad at {threads_text(t_tg)} against {SIDE_NAMES[who]} at "
                     f"{threads_text(t_peer)})" if who else "best vs best: no peer ran")
        equal = [(t, ratios[(m, t)]) for t in knobs.threads]
        equal_text = ", ".join(f"{threads_text(t)} {fmt_ratio(rt)} ({SIDE_NAMES[w] if w else 'no peer'})" for t, (rt, w) in equal)
        if m not in TARGET_BEST:
            lines.append(f"- {m.upper()} (reported only): {best_text}; at equal threads {equal_text}.")
            continue
        met_best = r == r and r >= TARGET_BEST[m]
        met_equal = all(rt == rt and rt >= 1 for _, (rt, _) in equal)
        lines.append(f"- {m.upper()}: {best_text} (target ≥ {TARGET_BEST[m]:.1f}x) — {'met' if met_best else 'not met'}; "
                     f"at equal threads {equal_text} (target: never slower, ≥ 1.00x) — {'met' if met_equal else 'not met'}.")
    return lines


def calibration_details(knobs, calibrations):
    lines = ["<details><summary>Calibration: every configuration tried</summary>", "",
             f"Each row is one run of {knobs.calib_epochs} epochs of the first "
             f"{', '.join(sorted({f'{calib_batches(knobs, m)} ({m})' for m in knobs.models}))} batches; the score is the "
             "fastest epoch after the first, or its only measured epoch when it was stopped as lost. Stage 1 (1 thread) "
             "picks the allocator with the pthread OpenBLAS, and its last row tries the winner with the OpenMP one; "
             "stage 2 (more threads) tries the splits of threads between ATen and OpenBLAS with that allocator. "
             "✔ = chosen for the measured runs.", "",
             "| model | side | threads | configuration | seconds per epoch (first = warm-up) | score s | minor faults per epoch | note |",
             "|---|---|---|---|---|---|---|---|"]
    for m in knobs.models:
        for s, per_t in calibrations[m].items():
            for t, (win, recs) in per_t.items():
                for rec in recs:
                    mark = " ✔" if rec["config"] == win and t != "allocators" else ""
                    lines.append(f"| {m} | {SIDE_NAMES[s]} | {t} | {config_name(rec['config'])}{mark} "
                                 f"| {' '.join(f'{x:.3f}' for x in rec['epochs']) or '–'} | {fmt(rec['seconds'])} "
                                 f"| {fmt_count(rec['minflt'])} | {rec['note']} |")
    lines += ["", "</details>"]
    return lines


def run_details(knobs, results):
    lines = ["<details><summary>Every measured run</summary>", "",
             "| model | threads | side | configuration | seed | seconds per epoch (first = warm-up) | minor faults per epoch "
             "| last loss | peak RSS MB | cores busy | GEMM-only s/epoch (after each epoch) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for m in knobs.models:
        for t in knobs.threads:
            for side, runs in results[m][t].items():
                for i, r in enumerate(runs):
                    secs = " ".join(f"{e['seconds']:.3f}" for e in r["epochs"])
                    secs += " (stopped)" if r["stopped"] else ""
                    secs += f" ({len(r['epochs'])} × {r['cmd'][r['cmd'].index('--batches') + 1]} batches, ×{r['scale']:.2f} in the tables)" \
                        if r["scale"] != 1 else ""
                    faults = " ".join(f"{e['minflt']:.0f}" for e in r["epochs"])
                    gemm = " ".join(f"{e['gemm_seconds']:.3f}" for e in r["epochs"] if "gemm_seconds" in e) or "–"
                    conf = config_name(r["config"]) if r.get("config") else "its own"
                    conf += f" (NOT AS ASKED: {r['mismatch']})" if "mismatch" in r else ""
                    lines.append(f"| {m} | {t} | {SIDE_NAMES[side]} | {conf} | {i + 1} | {secs} | {faults} "
                                 f"| {r['epochs'][-1]['loss']:.4f} | {r['rss_mb']:.0f} | {r['cpu'] / r['wall']:.2f} | {gemm} |")
    lines += ["", "</details>"]
    return lines


def report(knobs, results, calibrations, elapsed, load, build, notes):
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    try:
        with open(os.path.join(build, ".cxxflags")) as f:
            cxxflags = f.read().strip()
    except OSError:
        cxxflags = "?"
    tg_runs = [r for m in knobs.models for t in knobs.threads for r in results[m][t]["tg"]]
    cores = sorted({r["openblas_core"] for r in tg_runs if "openblas_core" in r})
    flops, warnings = {}, []
    for m in knobs.models:
        batch, macs, _ = MODELS[m]
        n = knobs.batches * batch if knobs.batches else N_TRAIN
        flops[m] = 2 * macs(batch) * (n / batch) / 1e9  # per epoch; a partial last batch counts for its share
        rec = median([float(r["gemm_gflop_per_epoch"]) * r["scale"] for t in knobs.threads for r in results[m][t]["tg"]
                      if "gemm_gflop_per_epoch" in r])  # a short epoch's count, scaled as its seconds are
        if rec == rec and abs(rec - flops[m]) > 1e-3 * flops[m]:
            warnings.append(f"{m}: the recorder counted {rec:.3f} GFLOP per epoch, the hand count in run.py {flops[m]:.3f}: "
                            "one of them is out of date with the model")
    slow = [f"{m} {t}T {SIDE_NAMES[s]}" for m in knobs.models for t in knobs.threads
            for s, runs in results[m][t].items() if any(r["wall"] > knobs.limit for r in runs)]
    if slow:
        notes = notes + [f"runs past BENCH_RUN_LIMIT ({knobs.limit} s: stopped once they had a measured epoch, "
                         f"not repeated): {', '.join(slow)}"]
    faulting = [f"{m} {t}T {SIDE_NAMES[s]} ({fmt_count(side_summary(results[m][t], s)[1])} per epoch)"
                for m in knobs.models for t in knobs.threads for s in ("lt", "py")
                if side_summary(results[m][t], s)[1] > FAULTS_PER_STEP * (knobs.batches or N_TRAIN / MODELS[m][0])]
    if faulting:
        warnings.append(f"peers that page-faulted more than {FAULTS_PER_STEP} times per step in their measured runs, "
                        "so their figure may be handicapped (rerun, or look at the calibration): " + ", ".join(faulting))
    no_dnn = [f"{m} {t}T {SIDE_NAMES[s]}" for m in knobs.models if m in CONV_MODELS for t in knobs.threads
              for s, runs in results[m][t].items() if s != "tg" and any(r.get("mkldnn") == "0" for r in runs)]
    if no_dnn:
        warnings.append("peers whose convolutions ran without oneDNN (mkldnn unavailable or off): " + ", ".join(no_dnn))
    mismatched = [f"{m} {t}T {SIDE_NAMES[s]}" for m in knobs.models for t in knobs.threads
                  for s, runs in results[m][t].items() if any("mismatch" in r for r in runs)]
    if mismatched:
        warnings.append("runs whose peer reported another OpenBLAS build or thread split than asked: " + ", ".join(mismatched))

    speed, ratios = speed_table(knobs, results, flops)
    work = work_table(knobs, results)
    out = header(knobs, elapsed, load, commit, cxxflags, cores, notes)
    out += ["", "## Speed", ""] + speed
    out += ["", "GEMM flops per epoch (hand count, the same for every side): "
            + ", ".join(f"{m} {flops[m]:.1f} GFLOP" for m in knobs.models) + "."]
    out += ["", "## Work, memory and page faults", ""] + work
    out += ["", "## Do they learn the same thing?", "",
            "Different RNGs (initialisation, shuffling, noise), so equal only within a tolerance; seeds 1.."
            f"{knobs.reps}, the same on every side, every thread count; the mean over runs of the epoch's mean training "
            "loss at the last epoch every run reached (range over runs in brackets). The default-malloc runs are the "
            "libtorch program again and are left out.", ""] + loss_table(knobs, results)
    out += ["", "## Targets: against the strongest peer", ""] + targets(knobs, ratios)
    out += [f"- WARNING: {w}" for w in warnings]
    out += [""] + calibration_details(knobs, calibrations)
    out += [""] + run_details(knobs, results)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description="tapegrad vs libtorch and PyTorch on the same models (bench/README.md)")
    ap.add_argument("--build", default="build", help="the build directory holding bench/tg_* and bench/peer_* (make bench B=...)")
    ap.add_argument("--out", default=os.path.join(BENCH_DIR, "results.md"))
    args = ap.parse_args()
    knobs = read_knobs()
    notes = check_programs(knobs, args.build)

    def log(text):
        print(text, flush=True)

    load_before = os.getloadavg()
    started = time.monotonic()
    log(f"bench: models {','.join(knobs.models)}, threads {','.join(map(str, knobs.threads))}, {knobs.reps} reps x "
        f"{', '.join(f'{knobs.epochs[m]} epochs ({m})' for m in knobs.models)} "
        f"(first dropped){f', first {knobs.batches} batches only' if knobs.batches else ''}; "
        f"sides tapegrad,{','.join(SIDE_NAMES[s] for s in knobs.peers)}")
    calibrations, results, timings = {}, {}, {}
    for m in knobs.models:
        t0 = time.monotonic()
        calibrations[m] = calibrate(m, knobs, args.build, log)
        t1 = time.monotonic()
        results[m] = measure(m, knobs, args.build, calibrations[m], log)
        timings[m] = (t1 - t0, time.monotonic() - t1)
        log(f"bench: {m}: calibration {timings[m][0] / 60:.1f} min, measured runs {timings[m][1] / 60:.1f} min")
    elapsed = time.monotonic() - started
    notes.append("minutes per model, calibration + measured runs: "
                 + ", ".join(f"{m} {a / 60:.1f} + {b / 60:.1f}" for m, (a, b) in timings.items()))
    text = report(knobs, results, calibrations, elapsed, (load_before, os.getloadavg()), args.build, notes)
    print()
    print(text, end="")
    with open(args.out, "w") as f:
        f.write(text)
    print(f"bench: wrote {args.out}")


if __name__ == "__main__":
    main()
