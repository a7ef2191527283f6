// lle.cpp — LLE: reconstruction weights, the sparse-built matrix M, its bottom eigenvectors (see lle.h).
// n = fitted points, m = points being encoded, D = input dimension, K = code dimension, k = neighbours.
// Cost: distances O(n^2 D), weights O(n k^2 D + n k^3), M built in O(n k^2), then one dense
// eigendecomposition O(n^3) with memory O(n^2). Encoding one point costs O(n D + k^2 D).
#include "models/lle.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "autograd/blas.h"
#include "models/linalg.h"
#include "models/manifold.h"

namespace tg {

// For each query: Z = neighbours - q (k, D); C = Z Z^T (k, k) by gemm; solve (C + reg tr(C) I) w = 1;
// w /= Σ w. The constraint Σ w = 1 makes the weights invariant to translating q and its neighbours.
Tensor lle_weights(const Tensor& q, const Tensor& points, const std::vector<int>& nbrs, int k, double reg) {
    const int m = q.rows(), D = q.cols();
    Tensor W(Shape{m, k}), Z(Shape{k, D}), C(Shape{k, k});
    const Tensor ones = Tensor::ones(Shape{k, 1});
    for (int i = 0; i < m; i++) {
        for (int a = 0; a < k; a++)
            for (int j = 0; j < D; j++) Z.at(a, j) = points.at(nbrs[(size_t)i * k + a], j) - q.at(i, j);
        gemm(false, true, k, k, D, 1, Z.ptr(), D, Z.ptr(), D, 0, C.ptr(), k);
        double trace = 0;
        for (int a = 0; a < k; a++) trace += C.at(a, a);
        const double ridge = trace > 0 ? reg * trace : reg;  // tr = 0: all neighbours coincide with q
        for (int a = 0; a < k; a++) C.at(a, a) += (real)ridge;
        const Tensor w = spd_solve(C, ones);  // (k, 1)
        double sum = 0;
        for (int a = 0; a < k; a++) sum += w[a];
        for (int a = 0; a < k; a++) W.at(i, a) = (real)(w[a] / sum);
    }
    return W;
}

void LLE::fit(const Dataset& data, int dim, Rng&) {
    const Tensor X = fit_points(name(), data, dim, k, max_fit);  // (n, D)
    const int n = X.rows();
    if (!(reg > 0)) throw input_error("lle: reg = " + std::to_string(reg) + "; pass a small positive value such as 1e-3");
    std::vector<int> nbrs;
    k = connected_neighbours(name(), sq_distances(X, X), k, &nbrs);
    const Tensor W = lle_weights(X, X, nbrs, k, reg);  // (n, k): row i's weights on its neighbours

    // M = (I - W)^T (I - W) = I - W - W^T + W^T W, with W sparse (k entries per row): O(n k^2). In double:
    // the eigenvalues we need are ~1e-7 and below, under float's rounding (sym_eig_double).
    std::vector<double> M((size_t)n * n, 0.0);
    for (int i = 0; i < n; i++) {
        M[(size_t)i * n + i] += 1;
        const int* t = &nbrs[(size_t)i * k];
        for (int a = 0; a < k; a++) {
            M[(size_t)i * n + t[a]] -= W.at(i, a);
            M[(size_t)t[a] * n + i] -= W.at(i, a);
            for (int b = 0; b < k; b++) M[(size_t)t[a] * n + t[b]] += (double)W.at(i, a) * W.at(i, b);
        }
    }

    // M's smallest eigenvalue is 0 with the constant vector (rows of I - W sum to 0): skip it and keep the
    // next K. sym_eig_double sorts descending, so they are rows n-2, n-3, ..., n-1-K. Scaled by sqrt(n),
    // each column of Y satisfies Roweis & Saul's constraint (1/n) Y^T Y = I.
    std::vector<double> lambda;
    sym_eig_double(n, M, lambda);  // M's rows are now its eigenvectors
    Tensor bottom(Shape{dim, n});
    const double scale = std::sqrt((double)n);
    for (int c = 0; c < dim; c++)
        for (int i = 0; i < n; i++) bottom.at(c, i) = (real)(scale * M[(size_t)(n - 2 - c) * n + i]);
    fix_signs(bottom);
    embedding = transposed(bottom);  // (n, K)
    eigenvalues = Tensor(Shape{dim});
    for (int c = 0; c < dim; c++) eigenvalues[c] = (real)lambda[n - 2 - c];
    train = X;
}

// y = Σ_j w_j y_j over the k nearest training points, weights as in fit (lle_weights)
Tensor LLE::encode(const Tensor& x) {
    const int D = train.size() ? train.cols() : 0, K = embedding.cols();
    check_rows(name(), x, D);
    const int N = x.rows(), block = 1024;
    Tensor z(Shape{N, K});
    for (int r0 = 0; r0 < N; r0 += block) {
        const Tensor q = x.first_slice(r0, std::min(N, r0 + block));  // (m, D)
        const std::vector<int> nbrs = nearest(sq_distances(q, train), k, false);
        const Tensor W = lle_weights(q, train, nbrs, k, reg);  // (m, k)
        for (int i = 0; i < q.rows(); i++)
            for (int a = 0; a < k; a++) {
                const real w = W.at(i, a);
                const real* y = &embedding.at(nbrs[(size_t)i * k + a], 0);
                for (int c = 0; c < K; c++) z.at(r0 + i, c) += w * y[c];
            }
    }
    return z;
}

// ----------------------------------------------------------------------------------------------
void LLE::save(Checkpoint& ck) const {
    if (train.size() == 0) throw Error("lle: save() before fit() or load(); fit the method first");
    ck.set("model", name());
    ck.set("dim", std::to_string(embedding.cols()));
    ck.set("input_dim", std::to_string(train.cols()));
    ck.set("points", std::to_string(train.rows()));
    ck.set("k", std::to_string(k));
    ck.set("reg", exact_str(reg));
    ck.put("lle.train", train);
    ck.put("lle.embedding", embedding);
    ck.put("lle.eigenvalues", eigenvalues);
}

void LLE::load(const Checkpoint& ck) {
    check_model(ck, name());
    const int K = meta_int(ck, name(), "dim", 1), D = meta_int(ck, name(), "input_dim", 1);
    const int n = meta_int(ck, name(), "points", 2), kk = meta_int(ck, name(), "k", 1);
    if (kk > n - 1) throw input_error("lle: checkpoint " + ck.path + ": k = " + std::to_string(kk) + " for " +
                                      std::to_string(n) + " points; the file is damaged, refit");
    double r = 0;
    try {
        r = std::stod(ck.get("reg"));
    } catch (const std::logic_error&) {
        r = 0;
    }
    if (!(r > 0)) throw input_error("lle: checkpoint " + ck.path + ": meta 'reg' = '" + ck.get("reg") +
                                    "' is not a positive number; the file is damaged, refit");
    Tensor X(Shape{n, D}), E(Shape{n, K}), ev(Shape{K});  // all checked before any is kept
    restore_tensor(ck, "lle.train", X);
    restore_tensor(ck, "lle.embedding", E);
    restore_tensor(ck, "lle.eigenvalues", ev);
    train = X, embedding = E, eigenvalues = ev, k = kk, reg = r;
}

}  // namespace tg
