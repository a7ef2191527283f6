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

// Threading policy (docs/performance.md): OpenBLAS's own threads do the GEMMs; the optimizers' loops
// split over as many threads (autograd/parallel.h), the rest of tapegrad's loops run on the calling
// thread. `--threads N` in every example calls set_threads(N), which sets both.
void set_threads(int n);
int get_threads();

// ---- The GEMM recorder, for bench/ ("how long do this step's GEMMs take alone?"). Off by default:
// while gemm_recorder.on, gemm() appends each call's flags, sizes and scalars to `calls` (the only time
// it allocates); bench/tg_common.h replays one recorded training step on buffers of the same sizes.
struct GemmCall {
    bool transA, transB;
    int M, N, K;
    real alpha, beta;
    int lda, ldb, ldc;
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
