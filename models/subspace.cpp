// subspace.cpp — principal angles (subspace.h) over LAPACK's QR and SVD in double precision, whatever `real` is.
// A row-major (p, D) array of basis rows is, read column-major, the D x p matrix whose columns are that
// basis: LAPACK takes it as it is. D = ambient dimension, p <= q the two subspaces' dimensions.
#include "models/subspace.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include "autograd/fast/threads.h"  // LapackThreads

extern "C" {
void dgeqrf_(const int* m, const int* n, double* a, const int* lda, double* tau, double* work, const int* lwork, int* info);
void dorgqr_(const int* m, const int* n, const int* k, double* a, const int* lda, const double* tau, double* work,
             const int* lwork, int* info);
void dgesvd_(const char* jobu, const char* jobvt, const int* m, const int* n, double* a, const int* lda, double* s, double* u,
             const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork, int* info, size_t, size_t);
}

namespace tg {

namespace {

void check_info(const char* routine, int info, const std::string& what) {
    if (info != 0)
        throw Error(std::string("principal_angles: LAPACK ") + routine + " failed with info = " + std::to_string(info) + " on " + what +
                    (info < 0 ? " (a bad argument: a bug here)" : " (no convergence)"));
}

// The rows of `rows` (p, D) orthonormalised: Q (D x p, column-major, p * D doubles) with span Q = span of the
// rows, by Householder QR (dgeqrf) and then the explicit Q (dorgqr). Rank-deficient input: an Error.
std::vector<double> orthonormal_basis(const Tensor& rows, const char* which) {
    const int p = rows.rows(), D = rows.cols();
    std::vector<double> q(rows.data.begin(), rows.data.end()), tau(p), work(1);
    double largest = 0;  // the longest basis vector, for the rank tolerance
    for (int j = 0; j < p; j++) {
        double n2 = 0;
        for (int i = 0; i < D; i++) n2 += q[(size_t)j * D + i] * q[(size_t)j * D + i];
        largest = std::max(largest, std::sqrt(n2));
    }
    LapackThreads threads;
    int lwork = -1, info = 0;
    dgeqrf_(&D, &p, q.data(), &D, tau.data(), work.data(), &lwork, &info);
    work.resize((size_t)work[0] + 1), lwork = (int)work.size();
    if (info == 0) dgeqrf_(&D, &p, q.data(), &D, tau.data(), work.data(), &lwork, &info);
    check_info("dgeqrf_", info, std::string("basis ") + which);
    // R's diagonal: |R_jj| = the length of row j's component orthogonal to the rows before it
    for (int j = 0; j < p; j++)
        if (!(std::fabs(q[(size_t)j * D + j]) > 1e-9 * largest))
            throw Error(std::string("principal_angles: basis ") + which + " is rank-deficient: its row " + std::to_string(j) +
                        " is (nearly) a combination of the rows before it, so its " + std::to_string(p) +
                        " rows span fewer dimensions; pass independent rows");
    lwork = -1;
    dorgqr_(&D, &p, &p, q.data(), &D, tau.data(), work.data(), &lwork, &info);
    work.resize(std::max(work.size(), (size_t)work[0] + 1)), lwork = (int)work.size();
    if (info == 0) dorgqr_(&D, &p, &p, q.data(), &D, tau.data(), work.data(), &lwork, &info);
    check_info("dorgqr_", info, std::string("basis ") + which);
    return q;
}

// The singular values, descending, of the m x n column-major matrix a (overwritten). (LAPACK dgesvd)
std::vector<double> singular_values(std::vector<double>& a, int m, int n) {
    const char none = 'N';
    std::vector<double> s(std::min(m, n)), work(1);
    double unused = 0;
    int lwork = -1, info = 0, one = 1;
    LapackThreads threads;
    dgesvd_(&none, &none, &m, &n, a.data(), &m, s.data(), &unused, &one, &unused, &one, work.data(), &lwork, &info, 1, 1);
    work.resize((size_t)work[0] + 1), lwork = (int)work.size();
    if (info == 0) dgesvd_(&none, &none, &m, &n, a.data(), &m, s.data(), &unused, &one, &unused, &one, work.data(), &lwork, &info, 1, 1);
    check_info("dgesvd_", info, "a " + std::to_string(m) + " x " + std::to_string(n) + " matrix");
    return s;
}

}  // namespace

std::vector<double> principal_angles(const Tensor& A, const Tensor& B) {
    if (A.ndim() != 2 || B.ndim() != 2 || A.rows() < 1 || B.rows() < 1 || A.cols() != B.cols())
        throw Error("principal_angles: two bases as rows of the same width, got " + A.shape.str() + " and " + B.shape.str());
    if (A.rows() > A.cols() || B.rows() > B.cols())
        throw Error("principal_angles: more basis rows than dimensions in " + A.shape.str() + " or " + B.shape.str() + ": they cannot be independent");
    for (const Tensor* t : {&A, &B})
        for (size_t i = 0; i < t->size(); i++)
            if (!std::isfinite((*t)[i])) throw Error("principal_angles: a NaN or Inf in the basis " + t->shape.str() + " at entry " + std::to_string(i));
    // S, the smaller subspace (p dimensions), and L, the larger (q >= p)
    const bool a_small = A.rows() <= B.rows();
    const int D = A.cols(), p = std::min(A.rows(), B.rows()), q = std::max(A.rows(), B.rows());
    const std::vector<double> S = orthonormal_basis(a_small ? A : B, a_small ? "A" : "B");
    const std::vector<double> L = orthonormal_basis(a_small ? B : A, a_small ? "B" : "A");

    // M = L^T S (q x p): its singular values are cos θ_1 >= ... >= cos θ_p
    std::vector<double> M((size_t)q * p), P = S;  // P = S - L M = (I - L L^T) S (D x p)
    for (int j = 0; j < p; j++)
        for (int i = 0; i < q; i++) {
            double d = 0;
            for (int r = 0; r < D; r++) d += L[(size_t)i * D + r] * S[(size_t)j * D + r];
            M[(size_t)j * q + i] = d;
            for (int r = 0; r < D; r++) P[(size_t)j * D + r] -= d * L[(size_t)i * D + r];
        }
    const std::vector<double> cosines = singular_values(M, q, p);
    std::vector<double> sines = singular_values(P, D, p);  // sin θ_p >= ... >= sin θ_1
    std::reverse(sines.begin(), sines.end());
    std::vector<double> theta(p);
    for (int i = 0; i < p; i++)  // below 45°, the sine has the digits; above, the cosine
        theta[i] = cosines[i] * cosines[i] >= 0.5 ? std::asin(std::min(1.0, sines[i])) : std::acos(std::min(1.0, cosines[i]));
    return theta;
}

}  // namespace tg
