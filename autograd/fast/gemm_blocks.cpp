// gemm_blocks.cpp — gemm() over tapegrad's threads: one block of C per thread (gemm_blocks.h).
// The rows i0..i1 of C need only those rows of op(A) (and all of op(B)); the columns j0..j1 only those
// columns of op(B). Every element of C is still one dot product over the whole of K: no partial sums meet
// across threads. The blocks are fixed by the thread count, so the same --threads gives the same bits on
// every run; another count may differ in the last bit where OpenBLAS's kernel for a block's edge sums in
// another order (as it did with OpenBLAS's own threads).
#include "autograd/fast/gemm_blocks.h"

#include <algorithm>

#include "autograd/fast/threads.h"

namespace tg {

void gemm_in_blocks(GemmFn call, bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                    const real* B, int ldb, real beta, real* C, int ldc) {
    const bool by_rows = M >= N;  // cut the longer side
    const size_t along = by_rows ? M : N, macs_per_line = (size_t)(by_rows ? N : M) * (size_t)std::max(K, 1);
    parallel_for(along, kMinParallelMacs / macs_per_line + 1, [&](size_t i0, size_t i1) {
        const int n = (int)(i1 - i0);
        if (by_rows) call(transA, transB, n, N, K, alpha, A + (transA ? i0 : i0 * lda), lda, B, ldb, beta, C + i0 * ldc, ldc);
        else call(transA, transB, M, n, K, alpha, A, lda, B + (transB ? i0 * ldb : i0), ldb, beta, C + i0, ldc);
    });
}

}  // namespace tg
