// pca.h — principal component analysis, the linear baseline every learned code is compared with.
// fit: centre the rows, covariance C = Xc^T Xc / (N - 1) by one gemm, eigendecomposition of C, keep the
// K eigenvectors with the largest eigenvalues. encode z = (x - mean) W^T, decode x̂ = z W + mean.
// N = rows, D = input dimension, K = code dimension (--dim). Derivation: docs/linear-methods.md
#pragma once
#include "models/reducer.h"

namespace tg {

struct PCA : Reducer {
    Tensor mean;                      // (D) the training mean
    Tensor components;                // (K, D) orthonormal rows, by decreasing variance (the matrix W)
    Tensor explained_variance;        // (K) eigenvalues of C: the variance of each code coordinate
    Tensor explained_variance_ratio;  // (K) each eigenvalue over the total variance tr(C)

    std::string name() const override { return "pca"; }
    void fit(const Dataset& train, int dim, Rng& rng) override;  // needs N >= 2; rng unused (exact method)
    Tensor encode(const Tensor& x) override;                     // (N, D) -> (N, K)
    bool has_decoder() const override { return true; }
    Tensor decode(const Tensor& z) override;                     // (N, K) -> (N, D)
    void save(Checkpoint& ck) const override;                    // meta model, dim; tensors pca.*
    void load(const Checkpoint& ck) override;
};

// Fit `pca` with K components on train, and return its squared reconstruction error per image on test,
// Σ_pixels (x - decode(encode(x)))² / N: the linear bar a deep autoencoder's code is held against.
double pca_test_error(PCA& pca, const Dataset& train, const Dataset& test, int K);

}  // namespace tg
