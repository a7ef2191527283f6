// blas.h — the one place tapegrad calls BLAS, and the naive loop it is tested against.
// Row-major C = alpha * op(A) * op(B) + beta * C with op(X) = X or X^T chosen by a flag: transposes
// are never materialized, in forward or backward (docs/ops.md, "the matmul transpose rule").
// M, N, K are the sizes after op: op(A) is (M, K), op(B) is (K, N), C is (M, N).
#pragma once
#include "tensor.h"

namespace tg {

void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
          const real* B, int ldb, real beta, real* C, int ldc);

// The same contract as three plain loops; the tests compare gemm against it.
void gemm_reference(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                    const real* B, int ldb, real beta, real* C, int ldc);

// Threading policy (docs/performance.md): OpenBLAS's own threads do the GEMMs; tapegrad's elementwise
// loops run on the calling thread. `--threads N` in every example calls set_threads(N).
void set_threads(int n);
int get_threads();

}  // namespace tg
