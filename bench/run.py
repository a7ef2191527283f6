#!/usr/bin/env python3
"""run.py — `make bench`: tapegrad against libtorch 1.13 on the same four models (bench/README.md).

For each model and thread count, runs bench/tg_<model> and bench/peer_<model> alternately, BENCH_REPS
times each, BENCH_EPOCHS epochs per run; the first epoch of every run is warm-up and is dropped. Prints
the markdown table and writes it to bench/results.md. Standard library only.

  python3 bench/run.py [--build build] [--out bench/results.md]
  environment: BENCH_EPOCHS (3; the GAN 2)  BENCH_REPS (2)  BENCH_MODELS (vae,mlp,gan,rbm)  BENCH_THREADS (1,2)
               BENCH_RUN_LIMIT (300: a run past this many seconds stops after its next epoch, once it has a
               measured one, and is not repeated for that side and thread count)
               BENCH_BATCHES (0 = whole epochs; N = only the first N batches of the training set: a smoke
               run, and the table says so)
"""
import argparse
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


MODELS = {  # name: (batch, multiply-adds per full step, what the loss check compares)
    "vae": (128, vae_macs, "mean negative ELBO per image (nats), last epoch"),
    "mlp": (128, mlp_macs, "mean training cross-entropy, last epoch"),
    "gan": (64, gan_macs, "mean D loss and mean G loss, last epoch"),
    "rbm": (64, rbm_macs, "mean CD-1 reconstruction error per image, last epoch"),
}
# Epochs per run unless BENCH_EPOCHS says otherwise: one warm-up + two measured; one measured for the GAN,
# whose epochs take ten times longer (libtorch's at 2 threads longer still), to keep `make bench` short.
DEFAULT_EPOCHS = {"vae": 3, "mlp": 3, "gan": 2, "rbm": 3}
# Relative tolerances for the loss check (bench/README.md, "Do they learn the same thing?").
TOLERANCE = {"vae": 0.03, "mlp": 0.03, "gan": 0.25, "rbm": 0.05}


# ---------------------------------------------------------------------------------------------------
# Running one program

def run_one(binary, epochs, threads, batches, seed, limit):
    """Runs a bench program; returns its epoch lines, gemm_* values, peak RSS (MB), CPU and wall seconds.
    A run still going after `limit` seconds is stopped once it has printed two epochs (one measured)."""
    cmd = [binary, "--epochs", str(epochs), "--threads", str(threads), "--seed", str(seed)]
    if batches:
        cmd += ["--batches", str(batches)]
    run = {"epochs": [], "stopped": False}
    start = time.monotonic()
    with tempfile.TemporaryFile(mode="w+") as errfile:  # a file, not a pipe: a chatty stderr cannot block
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errfile, text=True)
        for line in proc.stdout:
            words = line.split()
            if words and words[0] == "epoch":  # epoch N seconds S loss L [key value]...
                fields = dict(zip(words[2::2], map(float, words[3::2])))
                fields["epoch"] = int(words[1])
                run["epochs"].append(fields)
                if len(run["epochs"]) >= 2 and len(run["epochs"]) < epochs and time.monotonic() - start > limit:
                    proc.terminate()  # SIGTERM to this child only
                    run["stopped"] = True
                    break
            elif len(words) == 2 and words[0].startswith("gemm_"):
                run[words[0]] = float(words[1])
            elif len(words) == 2 and words[0] == "openblas_core":
                run["openblas_core"] = words[1]
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own resource usage: peak RSS, CPU time
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        errfile.seek(0)
        err = errfile.read()
    run.update(rss_mb=usage.ru_maxrss / 1024, cpu=usage.ru_utime + usage.ru_stime, wall=time.monotonic() - start)
    if proc.returncode != 0 and not run["stopped"]:
        sys.exit(f"bench: {' '.join(cmd)} failed (exit {proc.returncode}):\n{err}")
    if len(run["epochs"]) != epochs and not run["stopped"]:
        sys.exit(f"bench: {' '.join(cmd)} printed {len(run['epochs'])} epoch lines, expected {epochs}")
    return run


# ---------------------------------------------------------------------------------------------------
# Summaries

def median(xs):
    return statistics.median(xs) if xs else float("nan")


def measured_seconds(runs):
    """every epoch after the first of every run"""
    return [e["seconds"] for r in runs for e in r["epochs"][1:]]


def gemm_fractions(runs):
    """per measured epoch: the replay right after it (scaled to an epoch) over the epoch's seconds"""
    return [e["gemm_seconds"] / e["seconds"] for r in runs for e in r["epochs"][1:] if not math.isnan(e.get("gemm_seconds", math.nan))]


def in_training_fractions(runs):
    """per measured epoch: the seconds spent inside gemm() during it (gemm_timer) over the epoch's seconds"""
    return [e["gemm_in_training_seconds"] / e["seconds"] for r in runs for e in r["epochs"][1:] if "gemm_in_training_seconds" in e]


def at_epoch(runs, key, epoch):
    """the key's value in the given epoch (from 1) of each run (one per seed)"""
    return [r["epochs"][epoch - 1][key] for r in runs]


def fmt(x, digits=3):
    return "–" if x != x else f"{x:.{digits}f}"


def loss_rows(model, tg_runs, pt_runs, epoch):
    """(what, tapegrad, libtorch, tolerance, agree) per compared quantity, at the given epoch"""
    keys = ["loss", "g_loss"] if model == "gan" else ["loss"]
    names = {"loss": "D loss" if model == "gan" else "loss", "g_loss": "G loss"}
    rows = []
    for k in keys:
        va, vb = at_epoch(tg_runs, k, epoch), at_epoch(pt_runs, k, epoch)
        a, b = statistics.mean(va), statistics.mean(vb)
        spread = lambda v: f" ({min(v):.4g}–{max(v):.4g})" if len(v) > 1 else ""
        rel = abs(a - b) / abs(b) if b else float("inf")
        rows.append((names[k], f"{a:.4f}{spread(va)}", f"{b:.4f}{spread(vb)}",
                     f"{rel:.1%} (≤ {TOLERANCE[model]:.0%})", "yes" if rel <= TOLERANCE[model] else "**NO**"))
    return rows


def main():
    ap = argparse.ArgumentParser(description="tapegrad vs libtorch on the same models (bench/README.md)")
    ap.add_argument("--build", default="build", help="the build directory holding bench/tg_* and bench/peer_* (make bench B=...)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.md"))
    args = ap.parse_args()

    def env_int(name, default, lo):
        v = os.environ.get(name, str(default))
        if not v.isdigit() or int(v) < lo:
            sys.exit(f"bench: {name}={v!r}: must be an integer >= {lo}")
        return int(v)

    if "BENCH_EPOCHS" in os.environ:
        epochs = {m: env_int("BENCH_EPOCHS", 3, 2) for m in MODELS}  # the first is warm-up, so at least 2
    else:
        epochs = dict(DEFAULT_EPOCHS)
    reps = env_int("BENCH_REPS", 2, 1)
    limit = env_int("BENCH_RUN_LIMIT", 300, 1)
    batches = env_int("BENCH_BATCHES", 0, 0)
    if 0 < batches < 3:
        sys.exit("bench: BENCH_BATCHES must be 0 (whole epochs) or at least 3")
    models = [m for m in os.environ.get("BENCH_MODELS", "vae,mlp,gan,rbm").split(",") if m]
    for m in models:
        if m not in MODELS:
            sys.exit(f"bench: BENCH_MODELS: unknown model {m!r}; choose from {','.join(MODELS)}")
    try:
        threads = [int(t) for t in os.environ.get("BENCH_THREADS", "1,2").split(",") if t]
        assert threads and min(threads) >= 1
    except (ValueError, AssertionError):
        sys.exit(f"bench: BENCH_THREADS={os.environ.get('BENCH_THREADS')!r}: write thread counts like 1,2")
    for m in models:
        for side in ("tg", "peer"):
            path = os.path.join(args.build, "bench", f"{side}_{m}")
            if not os.access(path, os.X_OK):
                sys.exit(f"bench: {path} is missing; build it with `make bench-build B={args.build}` (or run `make bench`)")

    load_before = os.getloadavg()
    started = time.monotonic()
    results = {}  # (model, threads) -> {"tg": [runs], "pt": [runs]}
    print(f"bench: models {','.join(models)}, threads {','.join(map(str, threads))}, {reps} reps x "
          f"{', '.join(f'{epochs[m]} epochs ({m})' for m in models)} "
          f"(first dropped){f', first {batches} batches only' if batches else ''}", flush=True)
    for m in models:
        for t in threads:
            res = results[(m, t)] = {"tg": [], "pt": []}
            for rep in range(reps):
                order = ["tg", "pt"] if rep % 2 == 0 else ["pt", "tg"]  # alternate who goes first
                for side in order:
                    name = "tapegrad" if side == "tg" else "libtorch"
                    if res[side] and res[side][-1]["wall"] > limit:  # one run past the limit is enough
                        print(f"  {m} {t}T rep {rep + 1}/{reps} {name}: skipped (its last run passed BENCH_RUN_LIMIT)")
                        continue
                    binary = os.path.join(args.build, "bench", ("tg_" if side == "tg" else "peer_") + m)
                    r = run_one(binary, epochs[m], t, batches, rep + 1, limit)
                    res[side].append(r)
                    note = f", stopped after {len(r['epochs'])} epochs (BENCH_RUN_LIMIT={limit} s)" if r["stopped"] else ""
                    print(f"  {m} {t}T rep {rep + 1}/{reps} {name}: {median(measured_seconds([r])):.3f} s/epoch, "
                          f"loss {r['epochs'][-1]['loss']:.4f}, {r['rss_mb']:.0f} MB, {r['cpu'] / r['wall']:.2f} cores busy{note}",
                          flush=True)
    elapsed = time.monotonic() - started
    load_after = os.getloadavg()

    # ---- the tables
    lines = []
    out = lines.append
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = "?"
    out(f"# tapegrad vs libtorch 1.13 — {when}")
    out("")
    out(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after (other work on the machine slows both sides). "
        f"Git {commit or '?'} (plus uncommitted changes, if any).")
    cores = sorted({r["openblas_core"] for res in results.values() for r in res["tg"] if "openblas_core" in r})
    blas_env = " ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith(("OPENBLAS_", "OMP_", "GOTO"))) or "none set"
    try:
        with open(os.path.join(args.build, ".cxxflags")) as f:
            cxxflags = f.read().strip()
    except OSError:
        cxxflags = "?"
    out(f"OpenBLAS kernels: {', '.join(cores) or '?'} (both sides load the same libopenblas; environment: {blas_env}). "
        f"tapegrad built with: {cxxflags}.")
    epochs_text = os.environ.get("BENCH_EPOCHS", "unset: " + ", ".join(f"{m} {epochs[m]}" for m in models))
    out(f"Settings: BENCH_EPOCHS={epochs_text} BENCH_REPS={reps} BENCH_MODELS={','.join(models)} "
        f"BENCH_THREADS={','.join(map(str, threads))} BENCH_BATCHES={batches} BENCH_RUN_LIMIT={limit}; {elapsed / 60:.1f} minutes.")
    if batches:
        out(f"**Smoke run: each epoch is only the first {batches} batches**, so seconds are per short epoch and "
            f"losses are early-training values.")
    out("Seconds per epoch are medians over every epoch after the first of every run (the training loop only). "
        "Method and how to read this: bench/README.md.")
    slow = [f"{m} {t}T {name}" for (m, t), res in results.items() for side, name in (("tg", "tapegrad"), ("pt", "libtorch"))
            if any(r["wall"] > limit for r in res[side])]
    if slow:
        out(f"Runs past BENCH_RUN_LIMIT ({limit} s: stopped once they had a measured epoch, not repeated): {', '.join(slow)}.")
    out("")
    out("| model | threads | tapegrad s/epoch | libtorch s/epoch | libtorch / tapegrad | GFLOP/s tapegrad / libtorch "
        "| GEMM-only fraction | GEMM share in training | peak RSS MB tapegrad / libtorch |")
    out("|---|---|---|---|---|---|---|---|---|")
    bars, warnings, gflops = [], [], {}
    for m in models:
        batch, macs, _ = MODELS[m]
        n = batches * batch if batches else N_TRAIN
        gflop = gflops[m] = 2 * macs(batch) * (n / batch) / 1e9  # per epoch; a partial last batch counts for its share
        best = {}
        for t in threads:
            res = results[(m, t)]
            s_tg, s_pt = median(measured_seconds(res["tg"])), median(measured_seconds(res["pt"]))
            frac = median(gemm_fractions(res["tg"]))
            share = median(in_training_fractions(res["tg"]))
            rec = median([r["gemm_gflop_per_epoch"] for r in res["tg"] if "gemm_gflop_per_epoch" in r])
            if rec == rec and abs(rec - gflop) > 1e-3 * gflop:
                warnings.append(f"{m}: the recorder counted {rec:.3f} GFLOP per epoch, the hand count in run.py {gflop:.3f}: "
                                "one of them is out of date with the model")
            rss_tg, rss_pt = max(r["rss_mb"] for r in res["tg"]), max(r["rss_mb"] for r in res["pt"])
            out(f"| {m} | {t} | {fmt(s_tg)} | {fmt(s_pt)} | {fmt(s_pt / s_tg, 2)}x | {gflop / s_tg:.1f} / {gflop / s_pt:.1f} "
                f"| {fmt(frac, 2)} | {fmt(share, 2)} | {rss_tg:.0f} / {rss_pt:.0f} |")
            for side, s in (("tg", s_tg), ("pt", s_pt)):
                if side not in best or s < best[side][0]:
                    best[side] = (s, t, (frac, share) if side == "tg" else None)
        (s_tg, t_tg, (frac, share)), (s_pt, t_pt, _) = best["tg"], best["pt"]
        out(f"| **{m} best** | {t_tg} / {t_pt} | **{fmt(s_tg)}** | **{fmt(s_pt)}** | **{fmt(s_pt / s_tg, 2)}x** "
            f"| {gflop / s_tg:.1f} / {gflop / s_pt:.1f} | {fmt(frac, 2)} | {fmt(share, 2)} | |")
        bars.append((m, s_pt / s_tg, frac, share))
    out("")
    out("GEMM flops per epoch (hand count, the same for both sides): " + ", ".join(f"{m} {gflops[m]:.1f} GFLOP" for m in models) + ".")
    out("")
    out("## Do they learn the same thing?")
    out("")
    out("Different RNGs (initialisation, shuffling, noise), so equal only within a tolerance; seeds 1.."
        f"{reps}, the same on both sides, every thread count; the mean over runs of the epoch's mean training loss "
        "at the last epoch every run reached (range over runs in brackets).")
    out("")
    out("| model | compared | tapegrad | libtorch | difference | agree |")
    out("|---|---|---|---|---|---|")
    for m in models:
        tg_runs = [r for t in threads for r in results[(m, t)]["tg"]]
        pt_runs = [r for t in threads for r in results[(m, t)]["pt"]]
        common = min(len(r["epochs"]) for r in tg_runs + pt_runs)
        for what, a, b, rel, ok in loss_rows(m, tg_runs, pt_runs, common):
            out(f"| {m} | {what} after {common} epochs | {a} | {b} | {rel} | {ok} |")
    out("")
    out("## The bar of issue 7")
    out("")
    for m, ratio, frac, share in bars:
        if m == "vae":
            out(f"- VAE: libtorch/tapegrad at each side's best = {ratio:.2f}x (bar: ≥ 2x) — {'met' if ratio >= 2 else 'not met'}; "
                f"GEMM-only fraction {fmt(frac, 2)} (bar: ≥ 0.60) — {'met' if frac >= 0.6 else 'not met'} "
                f"(for reading it: the GEMMs' own share of the training epoch, timed in place, was {fmt(share, 2)}).")
        elif m in ("gan", "mlp"):
            out(f"- {m.upper()}: libtorch/tapegrad at each side's best = {ratio:.2f}x (bar: > 1x) — {'met' if ratio > 1 else 'not met'}.")
        else:
            out(f"- RBM (report only): libtorch/tapegrad at each side's best = {ratio:.2f}x.")
    for w in warnings:
        out(f"- WARNING: {w}")
    out("")
    out("<details><summary>Every run</summary>")
    out("")
    out("| model | threads | side | seed | seconds per epoch (first = warm-up) | last loss | peak RSS MB | cores busy | GEMM-only s/epoch (after each epoch) |")
    out("|---|---|---|---|---|---|---|---|---|")
    for m in models:
        for t in threads:
            for side, name in (("tg", "tapegrad"), ("pt", "libtorch")):
                for i, r in enumerate(results[(m, t)][side]):
                    secs = " ".join(f"{e['seconds']:.3f}" for e in r["epochs"])
                    gemm = " ".join(f"{e['gemm_seconds']:.3f}" for e in r["epochs"] if "gemm_seconds" in e) or "–"
                    secs += " (stopped)" if r["stopped"] else ""
                    out(f"| {m} | {t} | {name} | {i + 1} | {secs} | {r['epochs'][-1]['loss']:.4f} | {r['rss_mb']:.0f} "
                        f"| {r['cpu'] / r['wall']:.2f} | {gemm} |")
    out("")
    out("</details>")
    text = "\n".join(lines) + "\n"
    print()
    print(text, end="")
    with open(args.out, "w") as f:
        f.write(text)
    print(f"bench: wrote {args.out}")


if __name__ == "__main__":
    main()
