// subspace.h — principal angles between two subspaces of R^D, each given by a basis (any basis: the rows need
// not be orthonormal), e.g. a linear autoencoder's decoder columns against PCA's top-K components
// (models/experiments/linear.cpp). Björck & Golub (1973): orthonormalise both bases by QR (LAPACK dgeqrf,
// dorgqr), cos θ_i = the singular values of Q1^T Q2 (dgesvd), and for the small angles, where acos loses
// digits (cos 1e-8 rounds to 1), sin θ_i = the singular values of (I - Q2 Q2^T) Q1. All in double.
// D = the ambient dimension, p, q = the two subspaces' dimensions. Use and results: docs/experiments.md, section 8b
#pragma once
#include <vector>

#include "autograd/tensor.h"

namespace tg {

// The min(p, q) principal angles, in radians, ascending (θ_1 <= ... <= θ_min(p,q), each in [0, π/2]), between
// the span of the rows of A (p, D) and the span of the rows of B (q, D). θ = 0: a shared direction; all
// zero with p = q: the same subspace. Throws tg::Error when the widths differ, a value is not finite,
// or a basis is rank-deficient (a row nearly a combination of the others: its span has fewer dimensions).
std::vector<double> principal_angles(const Tensor& A, const Tensor& B);

// degrees of an angle in radians
inline double degrees(double radians) { return radians * 57.29577951308232; }

}  // namespace tg
