// linalg.cpp — the LAPACK wrappers and shared baseline checks declared in linalg.h.
// Fortran calling convention: every argument by pointer, and one hidden length per character argument
// at the end (gfortran expects them; LAPACK routines that OpenBLAS rewrote in C simply ignore them).
// Each wrapper asks LAPACK for its workspace size first (lwork = -1), then makes the real call.
#include "models/linalg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstddef>
#include <vector>

#include "autograd/blas.h"
#include "autograd/fast/threads.h"  // LapackThreads

extern "C" {
void ssyevd_(const char* jobz, const char* uplo, const int* n, float* a, const int* lda, float* w, float* work,
             const int* lwork, int* iwork, const int* liwork, int* info, size_t, size_t);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w, double* work,
             const int* lwork, int* iwork, const int* liwork, int* info, size_t, size_t);
void ssygv_(const int* itype, const char* jobz, const char* uplo, const int* n, float* a, const int* lda, float* b,
            const int* ldb, float* w, float* work, const int* lwork, int* info, size_t, size_t);
void dsygv_(const int* itype, const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* b,
            const int* ldb, double* w, double* work, const int* lwork, int* info, size_t, size_t);
void sposv_(const char* uplo, const int* n, const int* nrhs, float* a, const int* lda, float* b, const int* ldb,
            int* info, size_t);
void dposv_(const char* uplo, const int* n, const int* nrhs, double* a, const int* lda, double* b, const int* ldb,
            int* info, size_t);
}

namespace tg {

namespace {

#ifdef TAPEGRAD_DOUBLE
const char* const SYEVD = "dsyevd_";
const char* const SYGV = "dsygv_";
const char* const POSV = "dposv_";
#else
const char* const SYEVD = "ssyevd_";
const char* const SYGV = "ssygv_";
const char* const POSV = "sposv_";
#endif

// 'L' is the lower triangle of the column-major matrix LAPACK sees, i.e. our row-major upper triangle.
const char UPLO = 'L';

void syevd(char jobz, int n, real* a, real* w, real* work, int lwork, int* iwork, int liwork, int* info) {
    LapackThreads threads;
#ifdef TAPEGRAD_DOUBLE
    dsyevd_(&jobz, &UPLO, &n, a, &n, w, work, &lwork, iwork, &liwork, info, 1, 1);
#else
    ssyevd_(&jobz, &UPLO, &n, a, &n, w, work, &lwork, iwork, &liwork, info, 1, 1);
#endif
}

void sygv(char jobz, int n, real* a, real* b, real* w, real* work, int lwork, int* info) {
    const int itype = 1;  // A v = λ B v
    LapackThreads threads;
#ifdef TAPEGRAD_DOUBLE
    dsygv_(&itype, &jobz, &UPLO, &n, a, &n, b, &n, w, work, &lwork, info, 1, 1);
#else
    ssygv_(&itype, &jobz, &UPLO, &n, a, &n, b, &n, w, work, &lwork, info, 1, 1);
#endif
}

void check_square(const char* fn, const char* name, const Tensor& A) {
    if (A.ndim() != 2 || A.dim(0) != A.dim(1) || A.dim(0) == 0)
        throw Error(std::string(fn) + ": " + name + " is " + A.shape.str() + "; pass a non-empty square (n, n) matrix");
    for (size_t i = 0; i < A.size(); i++)
        if (!std::isfinite(A[i]))
            throw Error(std::string(fn) + ": " + name + " has a NaN or Inf at (" + std::to_string(i / A.cols()) + ", " +
                        std::to_string(i % A.cols()) + "); LAPACK would return garbage; find where it came from");
}

// LAPACK returns eigenvalues ascending and eigenvector j as row j (see linalg.h): reverse both.
void to_descending(int n, const std::vector<real>& w, Tensor* a, Tensor* values, Tensor* vectors) {
    if (values) {
        *values = Tensor(Shape{n});
        for (int i = 0; i < n; i++) (*values)[i] = w[n - 1 - i];
    }
    if (vectors) {
        *vectors = Tensor(Shape{n, n});
        for (int i = 0; i < n; i++)
            std::copy(a->ptr() + (size_t)(n - 1 - i) * n, a->ptr() + (size_t)(n - i) * n, vectors->ptr() + (size_t)i * n);
    }
}

}  // namespace

// ----------------------------------------------------------------------------------------------
void sym_eig(const Tensor& A, Tensor* values, Tensor* vectors) {
    check_square("sym_eig", "A", A);
    const int n = A.dim(0);
    const char jobz = vectors ? 'V' : 'N';
    Tensor a = A;  // LAPACK overwrites its input with the eigenvectors
    std::vector<real> w(n);
    real work_size = 0;
    int iwork_size = 0, info = 0;
    syevd(jobz, n, a.ptr(), w.data(), &work_size, -1, &iwork_size, -1, &info);  // workspace query
    std::vector<real> work((size_t)work_size + 1);
    std::vector<int> iwork(std::max(iwork_size, 1));
    if (info == 0) syevd(jobz, n, a.ptr(), w.data(), work.data(), (int)work.size(), iwork.data(), (int)iwork.size(), &info);
    if (info != 0)
        throw Error(std::string("sym_eig: LAPACK ") + SYEVD + " failed with info = " + std::to_string(info) + " on a " +
                    A.shape.str() + " matrix (" + (info < 0 ? "a bad argument: a bug here" : "no convergence") + ")");
    to_descending(n, w, &a, values, vectors);
}

void sym_eig_double(int n, std::vector<double>& A, std::vector<double>& values) {
    if (n <= 0 || A.size() != (size_t)n * n)
        throw Error("sym_eig_double: " + std::to_string(A.size()) + " values for an n = " + std::to_string(n) + " matrix");
    for (size_t i = 0; i < A.size(); i++)
        if (!std::isfinite(A[i])) throw Error("sym_eig_double: a NaN or Inf at entry " + std::to_string(i));
    const char jobz = 'V';
    std::vector<double> w(n), work(1);
    std::vector<int> iwork(1);
    int lwork = -1, liwork = -1, info = 0;
    dsyevd_(&jobz, &UPLO, &n, A.data(), &n, w.data(), work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
    lwork = (int)work[0] + 1, liwork = std::max(iwork[0], 1);
    work.resize(lwork), iwork.resize(liwork);
    LapackThreads threads;
    if (info == 0) dsyevd_(&jobz, &UPLO, &n, A.data(), &n, w.data(), work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
    if (info != 0)
        throw Error("sym_eig_double: LAPACK dsyevd_ failed with info = " + std::to_string(info) + " on an n = " +
                    std::to_string(n) + " matrix (" + (info < 0 ? "a bad argument: a bug here" : "no convergence") + ")");
    std::vector<double> rows((size_t)n * n);  // ascending -> descending, as sym_eig
    values.resize(n);
    for (int i = 0; i < n; i++) {
        values[i] = w[n - 1 - i];
        std::copy(A.begin() + (size_t)(n - 1 - i) * n, A.begin() + (size_t)(n - i) * n, rows.begin() + (size_t)i * n);
    }
    A.swap(rows);
}

void sym_gen_eig(const Tensor& A, const Tensor& B, Tensor* values, Tensor* vectors) {
    check_square("sym_gen_eig", "A", A);
    check_square("sym_gen_eig", "B", B);
    if (A.shape != B.shape) throw shape_error("sym_gen_eig", A.shape, B.shape, "A and B must have the same size");
    const int n = A.dim(0);
    const char jobz = vectors ? 'V' : 'N';
    Tensor a = A, b = B;  // a becomes the eigenvectors, b its Cholesky factor
    std::vector<real> w(n);
    real work_size = 0;
    int info = 0;
    sygv(jobz, n, a.ptr(), b.ptr(), w.data(), &work_size, -1, &info);
    std::vector<real> work((size_t)work_size + 1);
    if (info == 0) sygv(jobz, n, a.ptr(), b.ptr(), w.data(), work.data(), (int)work.size(), &info);
    if (info > n)
        throw Error(std::string("sym_gen_eig: LAPACK ") + SYGV + " failed with info = " + std::to_string(info) +
                    ": B is not positive definite (its leading minor of order " + std::to_string(info - n) +
                    " is not positive); add a ridge to B (e.g. more shrinkage)");
    if (info != 0)
        throw Error(std::string("sym_gen_eig: LAPACK ") + SYGV + " failed with info = " + std::to_string(info) + " on " +
                    A.shape.str() + " matrices (" + (info < 0 ? "a bad argument: a bug here" : "no convergence") + ")");
    to_descending(n, w, &a, values, vectors);
}

// S = V^T diag(sqrt λ) V = (diag(λ^¼) V)^T (diag(λ^¼) V): one gemm of a scaled copy with itself.
Tensor sym_sqrt(const Tensor& A) {
    Tensor lambda, V;
    sym_eig(A, &lambda, &V);
    const int n = A.dim(0);
    for (int i = 0; i < n; i++) {
        const real s = (real)std::sqrt(std::sqrt(std::max((double)lambda[i], 0.0)));
        for (int j = 0; j < n; j++) V.at(i, j) *= s;
    }
    Tensor S(Shape{n, n});
    gemm(true, false, n, n, n, 1, V.ptr(), n, V.ptr(), n, 0, S.ptr(), n);
    return S;
}

Tensor spd_solve(const Tensor& A, const Tensor& B) {
    check_square("spd_solve", "A", A);
    const int n = A.dim(0), m = B.cols();
    if (B.ndim() != 2 || B.dim(0) != n) throw shape_error("spd_solve", A.shape, B.shape, "B must be (n, m) for A (n, n)");
    Tensor a = A, x = transposed(B);  // LAPACK wants B's columns contiguous: our rows of B^T
    int info = 0;
    const char uplo = UPLO;
    LapackThreads threads;
#ifdef TAPEGRAD_DOUBLE
    dposv_(&uplo, &n, &m, a.ptr(), &n, x.ptr(), &n, &info, 1);
#else
    sposv_(&uplo, &n, &m, a.ptr(), &n, x.ptr(), &n, &info, 1);
#endif
    if (info != 0)
        throw Error(std::string("spd_solve: LAPACK ") + POSV + " failed with info = " + std::to_string(info) + " on a " +
                    A.shape.str() + " matrix" + (info > 0 ? ": it is not positive definite; add a ridge to it" : ""));
    return transposed(x);
}

// ----------------------------------------------------------------------------------------------
void check_dim(const std::string& who, int dim, int max_dim, const std::string& why) {
    if (dim < 1 || dim > max_dim)
        throw input_error(who + ": --dim " + std::to_string(dim) + " is out of range; pass 1 <= --dim <= " +
                          std::to_string(max_dim) + " (" + why + ")");
}

std::string exact_str(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

void check_finite(const std::string& who, const Tensor& x, const std::string& what) {
    for (size_t i = 0; i < x.size(); i++)
        if (!std::isfinite(x[i]))
            throw input_error(who + ": " + what + " has a " + (std::isnan(x[i]) ? "NaN" : "infinite value") +
                              " at row " + std::to_string(i / x.cols()) + ", column " + std::to_string(i % x.cols()) +
                              "; clean or drop that row before fitting or encoding");
}

void check_rows(const std::string& who, const Tensor& x, int D, const char* what) {
    if (D <= 0) throw Error(who + ": " + what + " before fit() or load(); fit the method or load a checkpoint first");
    if (x.ndim() != 2 || x.cols() != D)
        throw input_error(who + ": " + what + " is " + x.shape.str() + " but the method was fitted on rows of " +
                          std::to_string(D) + " values; pass an (N, " + std::to_string(D) + ") matrix");
    check_finite(who, x, what);
}

void check_model(const Checkpoint& ck, const std::string& who) {
    const std::string model = ck.get("model");
    if (model != who)
        throw input_error(who + ": checkpoint " + (ck.path.empty() ? "(in memory)" : ck.path) + " holds a '" + model +
                          "' model, not '" + who + "'; load it as " + model + ", or pass a checkpoint written by " + who);
}

int meta_int(const Checkpoint& ck, const std::string& who, const std::string& key, int lo) {
    const std::string s = ck.get(key);
    size_t used = 0;
    long v = -1;
    try {
        v = std::stol(s, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != s.size() || s.empty() || v < lo || v > 1000000000)
        throw input_error(who + ": checkpoint " + ck.path + ": meta '" + key + "' = '" + s + "' is not an integer >= " +
                          std::to_string(lo) + "; the file is damaged or not a " + who + " checkpoint");
    return (int)v;
}

void fix_signs(Tensor& rows) {
    const int n = rows.rows(), d = rows.cols();
    for (int i = 0; i < n; i++) {
        real* r = rows.ptr() + (size_t)i * d;
        int big = 0;
        for (int j = 1; j < d; j++)
            if (std::fabs(r[j]) > std::fabs(r[big])) big = j;
        if (r[big] < 0)
            for (int j = 0; j < d; j++) r[j] = -r[j];
    }
}

Tensor transposed(const Tensor& m) {
    const int r = m.rows(), c = m.cols();
    Tensor t(Shape{c, r});
    for (int i = 0; i < r; i++)
        for (int j = 0; j < c; j++) t.at(j, i) = m.at(i, j);
    return t;
}

Tensor column_means(const Tensor& x) {
    const int N = x.rows(), D = x.cols();
    std::vector<double> sum(D, 0.0);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) sum[j] += x.at(i, j);
    Tensor mean(Shape{D});
    for (int j = 0; j < D; j++) mean[j] = (real)(sum[j] / std::max(N, 1));
    return mean;
}

Tensor centred(const Tensor& x, const Tensor& mean) {
    Tensor xc = x;
    const int N = x.rows(), D = x.cols();
    for (int i = 0; i < N; i++)
        for (int j = 0; j < D; j++) xc.at(i, j) -= mean[j];
    return xc;
}

}  // namespace tg
