// blas.cpp — gemm over OpenBLAS (sgemm, or dgemm in the double build), its naive reference, and the
// bench's GEMM recorder and timer (blas.h).
#include "blas.h"

#include <cblas.h>

#include <chrono>

#include "parallel.h"

namespace tg {

GemmRecorder gemm_recorder;
GemmTimer gemm_timer;

void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
          const real* B, int ldb, real beta, real* C, int ldc) {
    if (M == 0 || N == 0) return;
    if (gemm_recorder.on) gemm_recorder.calls.push_back({transA, transB, M, N, K, alpha, beta, lda, ldb, ldc});
    const bool timed = gemm_timer.on;
    const auto t0 = timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    CBLAS_TRANSPOSE ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
#ifdef TAPEGRAD_DOUBLE
    cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#else
    cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
    if (timed) gemm_timer.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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

void set_threads(int n) {
    set_worker_threads(n);  // tapegrad's own loops (parallel.h): the same count; throws for n < 1
    openblas_set_num_threads(n);
}
int get_threads() { return openblas_get_num_threads(); }

}  // namespace tg
