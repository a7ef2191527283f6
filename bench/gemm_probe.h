// gemm_probe.h — bench-only instrumentation of gemm() (autograd/blas.h's GemmProbe hook): a recorder that
// keeps one training step's calls (flags, sizes, scalars, which arrays, whether a worker thread made it)
// so tg_common.h can replay them alone, and a timer that adds up the seconds gemm() takes inside a training
// epoch. Nothing in the library installs a probe: only the bench programs do, so training elsewhere pays
// one null test per product. Thread-safe: the convolutions call gemm() from every tapegrad thread at once
// (one image per call, autograd/ops_conv.cpp); the timer then counts the wall-clock time during which at
// least one gemm() runs, so two products side by side count once.
#pragma once
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "autograd/blas.h"

namespace tgbench {

using tg::real;

struct GemmCall {
    bool transA, transB;
    int M, N, K;
    real alpha, beta;
    int lda, ldb, ldc;
    const void *A, *B, *C;  // which arrays: compared as addresses, never read through
    bool worker;            // made on one of tapegrad's worker threads: inside a parallel loop over images
};

struct GemmBenchProbe : tg::GemmProbe {
    std::thread::id main_thread = std::this_thread::get_id();  // the thread that installed the probe
    std::mutex mu;                 // guards everything below: gemm() may run on several threads at once
    bool recording = false;        // append each call to `calls` (the only time it allocates)
    std::vector<GemmCall> calls;
    bool timing = false;           // add the wall-clock seconds during which some gemm() runs to `seconds`
    double seconds = 0;
    int active = 0;                // gemm() calls running now
    std::chrono::steady_clock::time_point t0;  // when `active` last went from 0 to 1

    void before(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda, const real* B, int ldb,
                real beta, const real* C, int ldc) override {
        std::lock_guard<std::mutex> lock(mu);
        if (recording)
            calls.push_back({transA, transB, M, N, K, alpha, beta, lda, ldb, ldc, A, B, C, std::this_thread::get_id() != main_thread});
        if (timing && active++ == 0) t0 = std::chrono::steady_clock::now();
    }
    void after() override {
        std::lock_guard<std::mutex> lock(mu);
        if (timing && active > 0 && --active == 0) seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
};

// The bench programs' one probe, installed by parse_flags (tg_common.h).
inline GemmBenchProbe& gemm_bench_probe() {
    static GemmBenchProbe probe;
    return probe;
}

}  // namespace tgbench
