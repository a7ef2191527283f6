// isomap.h — Isomap (Tenenbaum, de Silva & Langford 2000): distances measured along the data, not through
// space. Build the kNN graph of the training points, take shortest-path (geodesic) distances in it, and
// place the points in K dimensions by classical MDS so that Euclidean distances match the geodesics.
// New points are mapped by landmark MDS (de Silva & Tenenbaum 2004) with every training point a landmark.
// n = fitted points (<= max_fit), D = input dimension, K = code dimension. Math and cost: docs/manifold-methods.md
#pragma once
#include "models/reducer.h"

namespace tg {

struct Isomap : Reducer {
    int k = 10;          // neighbours per point in the graph; fit raises it (with a note) until the graph is connected
    int max_fit = 2000;  // fit uses the first max_fit training points: memory is O(n^2), time O(n^2 log n + n^3)

    Tensor train;        // (n, D) the fitted points
    Tensor geodesic;     // (n, n) shortest-path distances in the kNN graph
    Tensor sq_mean;      // (n) mean over i of geodesic[i][j]^2, for each j (landmark MDS needs it)
    Tensor embedding;    // (n, K) MDS coordinates of the fitted points; column j has squared norm λ_j
    Tensor eigenvalues;  // (K) λ_j of the double-centred matrix B = -1/2 J G^2 J, descending

    std::string name() const override { return "isomap"; }
    void fit(const Dataset& train, int dim, Rng& rng) override;  // rng unused
    Tensor encode(const Tensor& x) override;                     // (N, D) -> (N, K), landmark MDS
    void save(Checkpoint& ck) const override;                    // meta model, dim, input_dim, points, k
    void load(const Checkpoint& ck) override;
};

}  // namespace tg
