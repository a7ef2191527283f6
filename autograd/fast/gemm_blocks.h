// gemm_blocks.h — how gemm() (autograd/blas.h) uses several threads: C is cut into one block of rows or
// of columns per thread and each thread makes one single-threaded BLAS call on its block. The engine's
// gemm() is one BLAS call in meaning; this is only how that call is spread over the cores.
// M, N, K as in blas.h: op(A) is (M, K), op(B) is (K, N), C is (M, N).
#pragma once
#include <cstddef>

#include "autograd/tensor.h"

namespace tg {

// One BLAS call on the calling thread, C = alpha op(A) op(B) + beta C (blas.cpp's blas_gemm).
using GemmFn = void (*)(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                        const real* B, int ldb, real beta, real* C, int ldc);

// A product smaller than this many multiply-adds per thread stays on the calling thread.
constexpr size_t kMinParallelMacs = size_t(1) << 18;

// The product `call` would make in one go, made as one call per block of C on tapegrad's threads.
void gemm_in_blocks(GemmFn call, bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                    const real* B, int ldb, real beta, real* C, int ldc);

}  // namespace tg
