// blas.h — the one place tapegrad calls BLAS, and the naive loop it is tested against.
// Row-major C = alpha * op(A) * op(B) + beta * C with op(X) = X or X^T chosen by a flag: transposes
// are never materialized, in forward or backward (docs/ops.md, "the matmul transpose rule").
// M, N, K are the sizes after op: op(A) is (M, K), op(B) is (K, N), C is (M, N).
#pragma once
#include "autograd/tensor.h"

namespace tg {

// One product. With --threads N it is spread over tapegrad's threads (autograd/fast/gemm_blocks.h).
void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
          const real* B, int ldb, real beta, real* C, int ldc);

// The same contract as three plain loops; the tests compare gemm against it.
void gemm_reference(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                    const real* B, int ldb, real beta, real* C, int ldc);

// For bench/ only (bench/gemm_probe.h records one training step's products and times them): when set,
// gemm() reports each call to it, before and after. Null everywhere else, where it costs one test.
struct GemmProbe {
    virtual void before(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                        const real* B, int ldb, real beta, const real* C, int ldc) = 0;
    virtual void after() = 0;
    virtual ~GemmProbe() = default;
};
extern GemmProbe* gemm_probe;

}  // namespace tg
