// tg_common.h — what the four tapegrad bench programs share: their flags, the training set, the one
// machine-readable line per epoch that bench/run.py reads, and the GEMM-only measurement: record one
// training step's gemm() calls (autograd/blas.h), then replay exactly those calls alone; and the gemm() calls timed in place (gemm_probe.h).
// Output lines, each "key value ...":   epoch 2 seconds 1.234 loss 245.6 minflt 812 [more keys] gemm_seconds 0.812
//                                       gemm_in_training_seconds 1.1; gemm_calls_per_step 11, gemm_gflop_per_epoch 196.8 (at the end)
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <cblas.h>

#include "autograd/blas.h"
#include "autograd/fast/gemm_blocks.h"
#include "autograd/loops.h"
#include "bench/gemm_probe.h"
#include "bench/epoch_line.h"
#include "run/flags.h"
#include "data/dataset.h"
#include "io/idx.h"
#include "run/training.h"

namespace tgbench {

using namespace tg;

struct Flags {
    int epochs = 5, threads = 1, batches = 0;  // batches: 0 = the whole training set each epoch
    int64_t seed = 1;
    std::string data;                          // "" = $TAPEGRAD_DATA or the Debian path
};

// Parses --epochs --threads --batches --seed --data (and --help); false when --help was printed.
inline bool parse_flags(int argc, char** argv, const char* program, const char* about, Flags& f) {
    Cli cli(program, about);
    cli.add("epochs", &f.epochs, "training epochs (bench/run.py drops the first as warm-up)", 1, 100000);
    cli.add("threads", &f.threads, "threads: the matrix products, the optimizer and the largest elementwise loops are split over them (tg::start_run)", 1, 256);
    cli.add("batches", &f.batches, "train on the first N*batch images only, N batches per epoch (0 = all; >= 3: a step is recorded at batch 3)", 0, 1 << 24);
    cli.add("seed", &f.seed, "initialisation, shuffling and noise", 0, INT64_MAX);
    cli.add("data", &f.data, "directory of the idx files (default $TAPEGRAD_DATA or " + std::string(DEFAULT_DATA_DIR) + ")");
    if (!cli.parse(argc, argv)) return false;
    if (f.batches > 0 && f.batches < 3) throw input_error("--batches: at least 3 (batch 3 is the recorded step), got " + std::to_string(f.batches));
    start_run(f.threads);  // as the examples do: tapegrad's threads, denormals flushed
    gemm_probe = &gemm_bench_probe();  // the recorder and timer below (gemm_probe.h)
    return true;
}

// The Fashion-MNIST training split (pixels / 255), cut to `batches` * `batch` images when asked.
inline Dataset load_train(const Flags& f, int batch) {
    Dataset d = load_idx_split(resolve_data_dir(f.data), true);
    if (f.batches > 0) d = d.subset(f.batches * batch);
    return d;
}

using bench::now;          // the epoch line both sides print (bench/epoch_line.h)
using bench::print_epoch;

// ----------------------------------------------------------------------------------------------
// GEMM-only time. Call after_batch(epoch, b) after every batch: it records the gemm() calls of batch 3
// of epoch 1 (past the first steps, which size the tape's buffers), one whole training step. After each
// epoch, outside its timing, epoch_gemm_seconds(steps_per_epoch) replays those calls alone and returns
//   (median time of one step's GEMMs alone) × steps_per_epoch
// printed in the epoch's line as gemm_seconds: measured right after the epoch it is compared with, so a
// changing load on a shared machine shifts both alike. steps_per_epoch is N / B (a fraction when the
// last batch is partial: it does that share of the work).

// Two calls of the same product shape (flags, sizes, scalars, leading dimensions): a loop over images.
inline bool same_shape(const GemmCall& a, const GemmCall& b) {
    return a.transA == b.transA && a.transB == b.transB && a.M == b.M && a.N == b.N && a.K == b.K && a.alpha == b.alpha &&
           a.beta == b.beta && a.lda == b.lda && a.ldb == b.ldb && a.ldc == b.ldc;
}

struct StepRecorder {
    std::vector<GemmCall> step;  // the recorded step's calls, in order

    void after_batch(int epoch, int b) {
        if (epoch != 1) return;
        GemmBenchProbe& probe = gemm_bench_probe();
        if (b == 2) { probe.calls.clear(); probe.recording = true; }
        if (b == 3) { probe.recording = false; step = probe.calls; }
    }

    // Σ 2·M·N·K over the step: multiply-adds count as two flops
    double flops() const {
        double f = 0;
        for (const GemmCall& c : step) f += 2.0 * c.M * c.N * c.K;
        return f;
    }

    // Median seconds of one pass over the recorded calls. As laid out (the default): one buffer per array
    // that training multiplied (its weights, activations, gradients: told apart by address), each as large
    // as the calls reach into it, so the replay touches the same amount of memory in the same pattern as
    // the training step's GEMMs. Hot: three buffers A, B, C shared by every call, which stay in cache —
    // the figure this bench reported before (docs/performance.md). Values in [-0.5, 0.5]. One warm-up
    // pass, then passes until `budget` seconds have gone (at least 5).
    double replay_seconds(double budget, bool hot = false) const {
        std::map<const void*, size_t> extent;  // array -> floats the calls reach (hot: three keys)
        auto reach = [&](const void* p, size_t n) { size_t& e = extent[p]; e = std::max(e, n); };
        for (const GemmCall& c : step) {
            reach(hot ? (const void*)1 : c.A, (size_t)(c.transA ? c.K : c.M) * c.lda);  // A is stored (K, M) when transposed
            reach(hot ? (const void*)2 : c.B, (size_t)(c.transB ? c.N : c.K) * c.ldb);
            reach(hot ? (const void*)3 : c.C, (size_t)c.M * c.ldc);
        }
        Rng rng(5);
        std::map<const void*, std::vector<real>> buffers;
        for (const auto& e : extent) {
            std::vector<real>& v = buffers[e.first];
            v.resize(e.second);
            for (real& x : v) x = (real)rng.uniform(-0.5, 0.5);
        }
        auto buf = [&](const void* p, const void* key) { return buffers.at(hot ? key : p).data(); };
        auto call = [&](const GemmCall& c) {
            gemm(c.transA, c.transB, c.M, c.N, c.K, c.alpha, buf(c.A, (const void*)1), c.lda, buf(c.B, (const void*)2), c.ldb, c.beta,
                 buf(c.C, (const void*)3), c.ldc);
        };
        // Runs of calls that training made from a parallel loop over images (the convolutions' per-image
        // products, autograd/ops_conv.cpp: one of them on a worker thread) are replayed the same way, one
        // call per index of a for_each_index with the ops' own threshold; every other call alone, in order.
        std::vector<std::pair<size_t, size_t>> runs;  // [begin, end) of `step`, each replayed in parallel or alone
        for (size_t i = 0; i < step.size();) {
            size_t j = i + 1;
            while (j < step.size() && same_shape(step[j], step[i])) j++;
            bool parallel = std::any_of(step.begin() + (long)i, step.begin() + (long)j, [](const GemmCall& c) { return c.worker; });
            if (parallel) runs.push_back({i, j});
            else for (size_t q = i; q < j; q++) runs.push_back({q, q + 1});
            i = j;
        }
        auto pass = [&]() {
            for (const auto& r : runs) {
                if (r.second - r.first == 1) { call(step[r.first]); continue; }
                const GemmCall& c0 = step[r.first];
                const size_t first = r.first;
                for_each_index(r.second - r.first, [&, first](size_t i) { call(step[first + i]); },
                               kMinParallelMacs / ((size_t)c0.M * c0.N * c0.K) + 1);
            }
        };
        pass();
        std::vector<double> times;
        double start = now();
        while (times.size() < 5 || now() - start < budget) {
            double t0 = now();
            pass();
            times.push_back(now() - t0);
        }
        std::sort(times.begin(), times.end());
        return times[times.size() / 2];
    }

    // NaN until a step has been recorded (fewer than 3 batches so far)
    double epoch_gemm_seconds(double steps_per_epoch, bool hot = false) const {
        return step.empty() ? NAN : replay_seconds(0.5, hot) * steps_per_epoch;
    }

    void report(double steps_per_epoch) const {
        printf("openblas_core %s\n", openblas_get_corename());  // the kernels OpenBLAS picked for this CPU (or OPENBLAS_CORETYPE)
        printf("gemm_calls_per_step %zu\n", step.size());
        printf("gemm_gflop_per_epoch %.4f\n", flops() * steps_per_epoch / 1e9);
        fflush(stdout);
    }
};

// ----------------------------------------------------------------------------------------------
// The loop every bench program runs. train_one(epoch, on_batch) trains one epoch (starting the batcher's
// epoch itself), calls on_batch(b) after each batch and returns the epoch's mean loss and any further keys
// for its line. Each epoch's loop is timed alone and its minor page faults counted (bench::EpochMeter),
// then printed with the GEMM-only seconds of the step recorded in epoch 1 (StepRecorder above) and the
// seconds gemm() itself took during the epoch (gemm_probe.h); at the end, the recorder's totals.
// steps_per_epoch = N / B.
struct EpochResult {
    double loss;
    std::vector<std::pair<const char*, double>> extra = {};
};

template <class TrainOne>
void run_epochs(const Flags& f, double steps_per_epoch, TrainOne train_one) {
    StepRecorder rec;
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        GemmBenchProbe& probe = gemm_bench_probe();
        probe.seconds = 0;
        probe.timing = true;  // the GEMMs' own time inside this epoch (gemm_probe.h)
        bench::EpochMeter meter;  // seconds and minor page faults of the training loop alone
        EpochResult r = train_one(epoch, [&rec, epoch](int b) { rec.after_batch(epoch, b); });
        meter.stop();
        probe.timing = false;
        r.extra.push_back({"gemm_seconds", rec.epoch_gemm_seconds(steps_per_epoch)});
        r.extra.push_back({"gemm_in_training_seconds", probe.seconds});
        print_epoch(epoch, meter, r.loss, r.extra);
    }
    rec.report(steps_per_epoch);
}

}  // namespace tgbench
