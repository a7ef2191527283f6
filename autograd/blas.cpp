// blas.cpp — gemm over OpenBLAS (sgemm, or dgemm in the double build), its naive reference, and the
// bench's GEMM recorder and timer (blas.h).
#include "blas.h"

#include <cblas.h>

#include <chrono>

#include "parallel.h"

namespace tg {

GemmRecorder gemm_recorder;
GemmTimer gemm_timer;

// One BLAS call, on this thread (OpenBLAS's own threads are kept at one: set_threads below).
static void blas_gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
                      const real* B, int ldb, real beta, real* C, int ldc) {
    CBLAS_TRANSPOSE ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
#ifdef TAPEGRAD_DOUBLE
    cblas_dgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#else
    cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
#endif
}

// With several threads, C is cut into one block of rows or of columns per thread (whichever side is
// longer) and each thread multiplies its block: the rows i0..i1 of C need only those rows of op(A) (and all
// of op(B)); the columns j0..j1 only those columns of op(B). Every element of C is still one dot product
// over the whole of K: no partial sums meet across threads. The blocks are fixed by the thread count, so
// the same --threads gives the same bits on every run; another count may differ in the last bit where
// OpenBLAS's kernel for a block's edge sums in another order (as it did with OpenBLAS's own threads).
void gemm(bool transA, bool transB, int M, int N, int K, real alpha, const real* A, int lda,
          const real* B, int ldb, real beta, real* C, int ldc) {
    if (M == 0 || N == 0) return;
    if (gemm_recorder.on) gemm_recorder.calls.push_back({transA, transB, M, N, K, alpha, beta, lda, ldb, ldc, A, B, C});
    const bool timed = gemm_timer.on;
    const auto t0 = timed ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    const bool by_rows = M >= N;
    const size_t along = by_rows ? M : N, macs_per_line = (size_t)(by_rows ? N : M) * (size_t)std::max(K, 1);
    parallel_for(along, kMinParallelMacs / macs_per_line + 1, [&](size_t i0, size_t i1) {
        const int n = (int)(i1 - i0);
        if (by_rows) blas_gemm(transA, transB, n, N, K, alpha, A + (transA ? i0 : i0 * lda), lda, B, ldb, beta, C + i0 * ldc, ldc);
        else blas_gemm(transA, transB, M, n, K, alpha, A, lda, B + (transB ? i0 * ldb : i0), ldb, beta, C + i0, ldc);
    });
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
    set_worker_threads(n);  // tapegrad's threads (parallel.h): they run the GEMMs' blocks too; throws for n < 1
    openblas_set_num_threads(1);  // one pool only: OpenBLAS's idle threads would spin on the cores ours need
}
int get_threads() { return worker_threads(); }

LapackThreads::LapackThreads() { openblas_set_num_threads(worker_threads()); }
LapackThreads::~LapackThreads() { openblas_set_num_threads(1); }

}  // namespace tg
