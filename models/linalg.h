// linalg.h — dense symmetric eigensolvers and an SPD solve over the LAPACK bundled in OpenBLAS, and the
// few checks every classical baseline (PCA, LDA, DCT, Isomap, LLE) shares. n = matrix size.
// Conventions: matrices are row-major Tensors; eigenvalues come back in DESCENDING order and eigenvectors
// as ROWS (vectors.at(i, :) belongs to values[i]). LAPACK is column-major: a symmetric matrix is its own
// transpose, so it goes in unchanged, and LAPACK's column j of eigenvectors is exactly our row j.
// Calls ssyevd_/ssygv_/sposv_ (float) or the d* ones (-DTAPEGRAD_DOUBLE). Math: docs/linear-methods.md
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.h"
#include "io/checkpoint.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// Linear algebra. All throw tg::Error naming the routine and LAPACK's `info` when LAPACK fails, and
// reject a NaN/Inf entry before calling it. Only the upper triangle (row-major) of A and B is read.

// A = V^T diag(values) V. A (n, n) symmetric. values (n) descending; vectors (n, n), row i = unit
// eigenvector of values[i]; pass vectors = nullptr to compute eigenvalues only. (LAPACK ?syevd)
void sym_eig(const Tensor& A, Tensor* values, Tensor* vectors);

// sym_eig always in double precision, whatever `real` is, on a plain row-major array: for problems whose
// answer sits among eigenvalues near 0 (LLE's bottom eigenvectors), where float's relative rounding of
// ~1e-7 is as large as the gaps between them. A (n*n) in; out: values (n) descending, and A's rows
// replaced by the unit eigenvectors. (LAPACK dsyevd)
void sym_eig_double(int n, std::vector<double>& A, std::vector<double>& values);

// The generalized problem A v = λ B v, A (n, n) symmetric, B (n, n) symmetric positive definite.
// values (n) descending; vectors (n, n), row i = v_i, scaled so that v_i^T B v_j = δ_ij. (LAPACK ?sygv)
void sym_gen_eig(const Tensor& A, const Tensor& B, Tensor* values, Tensor* vectors);

// The PSD square root S (n, n) with S S = A: S = V^T diag(sqrt(max(λ, 0))) V. Tiny negative eigenvalues
// (round-off in a PSD matrix, e.g. a covariance) are clamped to 0.
Tensor sym_sqrt(const Tensor& A);

// X = A^{-1} B for A (n, n) symmetric positive definite and B (n, m). (LAPACK ?posv, a Cholesky solve)
Tensor spd_solve(const Tensor& A, const Tensor& B);

// ----------------------------------------------------------------------------------------------
// Checks and small helpers shared by the baselines. `who` is the method ("pca"); messages name the
// flag and the fix.

// dim must be in [1, max_dim]: otherwise input_error naming --dim, the range and `why` the limit
// ("the input dimension", "classes - 1 = 9: the rank of the between-class scatter").
void check_dim(const std::string& who, int dim, int max_dim, const std::string& why);

// A double as text that reads back to the same value ("%.17g"), for meta entries such as LLE's reg.
std::string exact_str(double v);

// Every value of x finite: otherwise input_error naming `what`, the row and the column.
void check_finite(const std::string& who, const Tensor& x, const std::string& what);

// Rows to encode: x must be (N, D) with finite values, and the method must have been fitted (D > 0).
void check_rows(const std::string& who, const Tensor& x, int D, const char* what = "encode input");

// A checkpoint's meta "model" must be `who`: otherwise input_error naming both methods.
void check_model(const Checkpoint& ck, const std::string& who);

// An integer meta entry ("dim", "k") >= lo: input_error naming the key and the file otherwise.
int meta_int(const Checkpoint& ck, const std::string& who, const std::string& key, int lo);

// Flip the sign of each row so that its largest-magnitude entry is positive. Eigenvectors are only
// defined up to sign; this makes a fit's output the same from one LAPACK build to the next.
void fix_signs(Tensor& rows);

// The transpose of a matrix (rows, cols) -> (cols, rows), for the few places a copy is clearer.
Tensor transposed(const Tensor& m);

// The mean of each column of x (N, D): (D), accumulated in double.
Tensor column_means(const Tensor& x);

// x (N, D) minus the row vector mean (D), as a new (N, D) tensor.
Tensor centred(const Tensor& x, const Tensor& mean);

}  // namespace tg
