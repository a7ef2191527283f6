// lle.h — locally linear embedding (Roweis & Saul 2000): each point is rebuilt as a weighted sum of its
// k nearest neighbours; the embedding keeps those same weights in K dimensions, found as the bottom
// eigenvectors of M = (I - W)^T (I - W) (skipping the constant one). New points are mapped the same way:
// weights from their k nearest training points, code = Σ w_j y_j. No decoder.
// n = fitted points (<= max_fit), D = input dimension, K = code dimension. Math and cost: docs/manifold-methods.md
#pragma once
#include <vector>

#include "models/reducer.h"

namespace tg {

struct LLE : Reducer {
    int k = 10;          // neighbours per point; fit raises it (with a note) until the kNN graph is connected
    int max_fit = 2000;  // fit uses the first max_fit training points: memory O(n^2), time O(n^3)
    double reg = 1e-3;   // the local Gram matrix C gets reg * tr(C) added on its diagonal (needed when k > D)

    Tensor train;        // (n, D) the fitted points
    Tensor embedding;    // (n, K) the codes of the fitted points: each column has mean 0 and mean square 1
    Tensor eigenvalues;  // (K) the eigenvalues of M kept (the reconstruction cost of each axis), ascending

    std::string name() const override { return "lle"; }
    void fit(const Dataset& train, int dim, Rng& rng) override;  // rng unused
    Tensor encode(const Tensor& x) override;                     // (N, D) -> (N, K)
    void save(Checkpoint& ck) const override;                    // meta model, dim, input_dim, points, k, reg
    void load(const Checkpoint& ck) override;
};

// Reconstruction weights (m, k): row i minimizes |q_i - Σ_j w_j x_{nbrs[i][j]}|^2 subject to Σ_j w_j = 1,
// with the local Gram matrix regularized by reg * tr(C). q (m, D), points (n, D), nbrs m*k indices.
Tensor lle_weights(const Tensor& q, const Tensor& points, const std::vector<int>& nbrs, int k, double reg);

}  // namespace tg
