// test_blas.cpp — the one GEMM call site against its naive reference: all four transpose combinations,
// odd sizes, alpha/beta, and leading dimensions larger than the logical width.
#include <catch2/catch.hpp>

#include "autograd/blas.h"
#include "autograd/fast/threads.h"

using namespace tg;

TEST_CASE("gemm matches the naive reference for every transpose combination", "[blas]") {
    struct Dims { int M, N, K; };
    const Dims sizes[] = {{1, 1, 1}, {3, 5, 7}, {17, 9, 33}, {64, 31, 130}, {1, 40, 3}};
    Rng rng(1);
    for (const Dims& d : sizes)
        for (int ta = 0; ta < 2; ta++)
            for (int tb = 0; tb < 2; tb++)
                for (real beta : {real(0), real(0.5)}) {
                    int pad = 3;  // leading dimensions wider than the matrices
                    int lda = (ta ? d.M : d.K) + pad, ldb = (tb ? d.K : d.N) + pad, ldc = d.N + pad;
                    Tensor A = Tensor::uniform(Shape{ta ? d.K : d.M, lda}, -1, 1, rng);
                    Tensor B = Tensor::uniform(Shape{tb ? d.N : d.K, ldb}, -1, 1, rng);
                    Tensor C = Tensor::uniform(Shape{d.M, ldc}, -1, 1, rng), Cref = C;
                    gemm(ta, tb, d.M, d.N, d.K, 1.5, A.ptr(), lda, B.ptr(), ldb, beta, C.ptr(), ldc);
                    gemm_reference(ta, tb, d.M, d.N, d.K, 1.5, A.ptr(), lda, B.ptr(), ldb, beta, Cref.ptr(), ldc);
                    INFO("M=" << d.M << " N=" << d.N << " K=" << d.K << " transA=" << ta << " transB=" << tb << " beta=" << beta);
                    double worst = 0;
                    for (size_t i = 0; i < C.size(); i++) worst = std::max(worst, (double)std::fabs(C[i] - Cref[i]));
                    CHECK(worst < (sizeof(real) == 8 ? 1e-12 : 2e-5) * (d.K + 1));
                }
}

TEST_CASE("the reference itself is right on a hand-computed product", "[blas]") {
    real A[] = {1, 2, 3, 4, 5, 6};  // (2, 3)
    real B[] = {1, 0, 0, 1, 1, 1};  // (3, 2)
    real C[4] = {0};
    gemm_reference(false, false, 2, 2, 3, 1, A, 3, B, 2, 0, C, 2);
    CHECK(C[0] == 4);  // 1 + 3
    CHECK(C[1] == 5);  // 2 + 3
    CHECK(C[2] == 10); // 4 + 6
    CHECK(C[3] == 11); // 5 + 6
}

TEST_CASE("set_threads sets the threads gemm() uses", "[blas]") {
    int before = get_threads();
    set_threads(1);
    CHECK(get_threads() == 1);
    set_threads(2);
    CHECK(get_threads() == 2);
    set_threads(before);
}
