// blas.h — the one place tapegrad calls BLAS, and the naive loop it is tested against.
// Row-major C = alpha * op(A) * op(B) + beta * C with op(X) = X or X^T chosen by a flag: transposes
// are never materialized, in forward or backward (docs/ops.md, "the matmul transpose rule").
// M, N, K are the sizes after op: op(A) is (M, K), op(B) is (K, N), C is (M, N).
#pragma once
#include <vector>

#include "tensor.h"

namespace tg {

void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
          const real* B, int ldb, real beta, real* C, int ldc);

// The same contract as three plain loops; the tests compare gemm against it.
void gemm_reference(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                    const real* B, int ldb, real beta, real* C, int ldc);

// Threading policy (docs/performance.md): tapegrad's own threads (autograd/parallel.h) do everything
// parallel: gemm() gives each one a block of C and calls OpenBLAS single-threaded on it; the optimizers and
// the largest elementwise loops split over the same threads. `--threads N` in every example calls
// set_threads(N), which sizes that pool and keeps OpenBLAS's own at one thread.
void set_threads(int n);
int get_threads();

// LAPACK (models/linalg.cpp) does its own products inside OpenBLAS: while a LapackThreads lives, OpenBLAS
// runs with as many threads as set_threads asked for (tapegrad's workers are idle then); outside, one.
struct LapackThreads {
    LapackThreads();
    ~LapackThreads();
};

// A product smaller than this many multiply-adds per thread stays on the calling thread.
constexpr size_t kMinParallelMacs = size_t(1) << 18;

// ---- The GEMM recorder, for bench/ ("how long do this step's GEMMs take alone?"). Off by default:
// while gemm_recorder.on, gemm() appends each call's flags, sizes, scalars and operand addresses to
// `calls` (the only time it allocates); bench/tg_common.h replays one recorded training step on buffers
// laid out as training's arrays are: one buffer per array, shared where training shares it.
struct GemmCall {
    bool transA, transB;
    int M, N, K;
    real alpha, beta;
    int lda, ldb, ldc;
    const void *A, *B, *C;  // which arrays: compared as addresses, never read through
};
struct GemmRecorder {
    bool on = false;
    std::vector<GemmCall> calls;
};
extern GemmRecorder gemm_recorder;

// ---- The GEMM timer, for bench/ ("how much of a training epoch is spent inside gemm()?"). Off by
// default; while gemm_timer.on, each gemm() call adds its wall-clock seconds to `seconds` (two clock
// reads per call). The recorder's replay gives the GEMMs' time alone; this gives their time in place.
struct GemmTimer {
    bool on = false;
    double seconds = 0;
};
extern GemmTimer gemm_timer;

}  // namespace tg
