// blas.cpp — gemm over OpenBLAS (sgemm, or dgemm in the double build) and its naive reference.
#include "autograd/blas.h"

#include <cblas.h>

#include "autograd/fast/gemm_blocks.h"

namespace tg {

GemmProbe* gemm_probe = nullptr;

// The one BLAS call, on the calling thread (OpenBLAS's own threads are kept at one: fast/threads.h).
static void blas_gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                      const real* B, int ldb, real beta, real* C, int ldc) {
    CBLAS_TRANSPOSE ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
#ifdef TAPEGRAD_DOUBLE
    cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#else
    cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
}

void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
          const real* B, int ldb, real beta, real* C, int ldc) {
    if (M == 0 || N == 0) return;
    if (gemm_probe) gemm_probe->before(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    gemm_in_blocks(blas_gemm, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);  // blas_gemm per thread's block
    if (gemm_probe) gemm_probe->after();
}

void gemm_reference(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                    const real* B, int ldb, real beta, real* C, int ldc) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            double acc = 0;  // op(A)[i,k] is A[k,i] when transposed; likewise B
            for (int k = 0; k < K; k++) {
                real a = transA ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
                real b = transB ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
                acc += (double)a * b;
            }
            real& c = C[(size_t)i * ldc + j];
            c = (real)(alpha * acc + (beta == 0 ? 0.0 : (double)beta * c));  // beta = 0 ignores C, as BLAS does
        }
}

}  // namespace tg
