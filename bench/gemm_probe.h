// gemm_probe.h — bench-only instrumentation of gemm() (autograd/blas.h's GemmProbe hook): a recorder that
// keeps one training step's calls (flags, sizes, scalars, which arrays) so tg_common.h can replay them
// alone, and a timer that adds up the seconds gemm() takes inside a training epoch. Nothing in the library
// installs a probe: only the bench programs do, so training elsewhere pays one null test per product.
#pragma once
#include <chrono>
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
};

struct GemmBenchProbe : tg::GemmProbe {
    bool recording = false;        // append each call to `calls` (the only time it allocates)
    std::vector<GemmCall> calls;
    bool timing = false;           // add each call's wall-clock seconds to `seconds` (two clock reads)
    double seconds = 0;
    std::chrono::steady_clock::time_point t0;

    void before(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda, const real* B, int ldb,
                real beta, const real* C, int ldc) override {
        if (recording) calls.push_back({transA, transB, M, N, K, alpha, beta, lda, ldb, ldc, A, B, C});
        if (timing) t0 = std::chrono::steady_clock::now();
    }
    void after() override {
        if (timing) seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
};

// The bench programs' one probe, installed by parse_flags (tg_common.h).
inline GemmBenchProbe& gemm_bench_probe() {
    static GemmBenchProbe probe;
    return probe;
}

}  // namespace tgbench
