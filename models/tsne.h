// tsne.h — t-SNE (van der Maaten & Hinton 2008), the method people expect for a 2-D picture of their data.
// Input affinities: a Gaussian around each row whose width gives it `perplexity` effective neighbours,
// symmetrised, P = (P_j|i + P_i|j) / 2N. Output affinities: a Student-t kernel q_ij ∝ 1 / (1 + |y_i - y_j|²).
// The codes Y minimise KL(P || Q) by gradient descent with momentum and per-coordinate gains, the first 250
// steps with P exaggerated 12x, from the PCA projection scaled to std 1e-4 (sklearn's init="pca").
// Exact O(N²) gradient up to `exact_below` rows; above it, P on the 3·perplexity nearest neighbours and the
// repulsion summarised by a Barnes-Hut quadtree (van der Maaten 2014), O(N log N) per step, K = 2 only.
// t-SNE places the rows it is fitted on and has no map for new ones: encode accepts only those rows.
// N = rows, D = input dimension, K = code dimension (2 or 3). Docs: docs/manifold-methods.md ("t-SNE")
#pragma once
#include <cstdint>
#include <unordered_map>

#include "models/reducer.h"

namespace tg {

struct TSNE : Reducer {
    double perplexity = 30;     // effective neighbours per row; must be < N
    int iterations = 1000;      // gradient steps in all (250 of them exaggerated)
    int exact_below = 1000;     // N <= this: the exact gradient; above: Barnes-Hut (theta below)
    double theta = 0.5;         // Barnes-Hut: a cell of width w at distance d is one point when w / d < theta
    double early_exaggeration = 12;
    double learning_rate = 0;   // 0 = sklearn's "auto": max(N / early_exaggeration / 4, 50)

    Tensor embedding;           // (N, K) the codes of the fitted rows
    std::string method_used;    // "exact" or "barnes-hut", after fit
    double kl = 0;              // KL(P || Q) at the end (exact: exactly; Barnes-Hut: not computed, NaN)

    std::string name() const override { return "tsne"; }
    void fit(const Dataset& train, int dim, Rng& rng) override;  // rng unused: PCA init, deterministic
    // The codes of x's rows, each of which must be one of the fitted rows (looked up by its values);
    // any other row is an input_error saying that t-SNE has no out-of-sample map (no --apply).
    Tensor encode(const Tensor& x) override;
    void save(Checkpoint& ck) const override;  // meta model, dim, input_dim, perplexity; tensor tsne.embedding
    void load(const Checkpoint& ck) override;  // the codes only: a loaded t-SNE encodes nothing new

  private:
    std::unordered_map<uint64_t, int> row_of;  // hash of a fitted row's values -> its index
    int input_dim = 0;
};

// sklearn.manifold.trustworthiness: how far the k nearest neighbours of each row in the codes are from
// being its neighbours in the input, 1 = all of them are. x (N, D), codes (N, K); k < N / 2.
double trustworthiness(const Tensor& x, const Tensor& codes, int k);

}  // namespace tg
