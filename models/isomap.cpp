// isomap.cpp — Isomap: kNN graph, Dijkstra from every point, classical MDS (see isomap.h).
// n = fitted points, m = points being encoded, D = input dimension, K = code dimension.
// Cost: distances O(n^2 D) (one gemm), geodesics O(n^2 k log n) (n Dijkstras), MDS O(n^3) (one dense
// eigendecomposition), memory O(n^2). Encoding one point costs O(n (D + k)).
#include "models/isomap.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "autograd/blas.h"
#include "models/linalg.h"
#include "models/manifold.h"

namespace tg {

namespace {

struct Edge {
    int to;
    double length;
};

// Shortest-path lengths from every node (Dijkstra with a binary heap), written to G (n, n).
void all_shortest_paths(const std::vector<std::vector<Edge>>& graph, Tensor& G) {
    const int n = (int)graph.size();
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> dist(n);
    using Item = std::pair<double, int>;  // (distance so far, node), smallest first
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
    for (int s = 0; s < n; s++) {
        std::fill(dist.begin(), dist.end(), inf);
        dist[s] = 0;
        heap.push({0.0, s});
        while (!heap.empty()) {
            const auto [d, u] = heap.top();
            heap.pop();
            if (d > dist[u]) continue;  // a stale entry: u was reached more cheaply already
            for (const Edge& e : graph[u])
                if (d + e.length < dist[e.to]) {
                    dist[e.to] = d + e.length;
                    heap.push({dist[e.to], e.to});
                }
        }
        for (int j = 0; j < n; j++) G.at(s, j) = (real)dist[j];  // connected graph: all finite
    }
}

}  // namespace

void Isomap::fit(const Dataset& data, int dim, Rng&) {
    const Tensor X = fit_points(name(), data, dim, k, max_fit);  // (n, D)
    const int n = X.rows();

    // the kNN graph, undirected (i - j if either lists the other), edges weighted by Euclidean length
    std::vector<int> nbrs;
    k = connected_neighbours(name(), sq_distances(X, X), k, &nbrs);
    std::vector<std::vector<Edge>> graph(n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++) {
            const int t = nbrs[(size_t)i * k + j];
            const double len = exact_distance(X, i, X, t);
            graph[i].push_back({t, len});
            graph[t].push_back({i, len});
        }
    Tensor G(Shape{n, n});
    all_shortest_paths(graph, G);

    // classical MDS: B = -1/2 J G² J, J = I - 11^T/n, i.e. B_ij = -1/2 (G²_ij - μ_i - μ_j + μ̄)
    // with μ_j the mean of column j of G² (= of row j: G is symmetric) and μ̄ the mean of all of G²
    std::vector<double> mu(n, 0.0);
    double grand = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) mu[j] += (double)G.at(i, j) * G.at(i, j) / n;
    for (int j = 0; j < n; j++) grand += mu[j] / n;
    Tensor B(Shape{n, n});
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) B.at(i, j) = (real)(-0.5 * ((double)G.at(i, j) * G.at(i, j) - mu[i] - mu[j] + grand));

    // B = V^T diag(λ) V: coordinates y_i = (sqrt(λ_1) V_1i, ..., sqrt(λ_K) V_Ki) reproduce B = Y Y^T best in rank K
    Tensor lambda, V;
    sym_eig(B, &lambda, &V);
    Tensor top = V.first_slice(0, dim);  // (K, n)
    fix_signs(top);
    embedding = Tensor(Shape{n, dim});
    eigenvalues = Tensor(Shape{dim});
    for (int j = 0; j < dim; j++) {
        eigenvalues[j] = lambda[j];
        const double s = std::sqrt(std::max((double)lambda[j], 0.0));  // λ <= 0: that axis carries nothing
        for (int i = 0; i < n; i++) embedding.at(i, j) = (real)(s * top.at(j, i));
    }
    sq_mean = Tensor(Shape{n});
    for (int j = 0; j < n; j++) sq_mean[j] = (real)mu[j];
    train = X;
    geodesic = G;
}

// ----------------------------------------------------------------------------------------------
// Landmark MDS for a new point x: its geodesic to training point j goes through one of its k nearest
// training points t, δ_j = min_t (|x - x_t| + G[t][j]); then y_c = -1/2 Σ_j (E[j][c] / λ_c) (δ_j² - μ_j),
// which gives back exactly E[i] when x is training point i (docs/manifold-methods.md).
Tensor Isomap::encode(const Tensor& x) {
    const int n = train.rows(), D = train.size() ? train.cols() : 0, K = embedding.cols();
    check_rows(name(), x, D);
    const int N = x.rows(), block = 1024;
    Tensor z(Shape{N, K}), delta;  // delta (m, n): δ² - μ for one block of points
    for (int r0 = 0; r0 < N; r0 += block) {
        const int m = std::min(block, N - r0);
        const Tensor q = x.first_slice(r0, r0 + m);  // (m, D)
        const std::vector<int> nbrs = nearest(sq_distances(q, train), k, false);
        delta.resize(Shape{m, n});
        std::vector<double> hop(k);  // |x - x_t| for the k nearest training points t
        for (int i = 0; i < m; i++) {
            const int* t = &nbrs[(size_t)i * k];
            for (int a = 0; a < k; a++) hop[a] = exact_distance(q, i, train, t[a]);
            for (int j = 0; j < n; j++) {
                double best = std::numeric_limits<double>::infinity();
                for (int a = 0; a < k; a++) best = std::min(best, hop[a] + geodesic.at(t[a], j));
                delta.at(i, j) = (real)(best * best - sq_mean[j]);
            }
        }
        gemm(false, false, m, K, n, real(-0.5), delta.ptr(), n, embedding.ptr(), K, 0, z.ptr() + (size_t)r0 * K, K);
    }
    for (int i = 0; i < N; i++)
        for (int c = 0; c < K; c++) z.at(i, c) = eigenvalues[c] > 0 ? z.at(i, c) / eigenvalues[c] : 0;
    return z;
}

// ----------------------------------------------------------------------------------------------
void Isomap::save(Checkpoint& ck) const {
    if (train.size() == 0) throw Error("isomap: save() before fit() or load(); fit the method first");
    ck.set("model", name());
    ck.set("dim", std::to_string(embedding.cols()));
    ck.set("input_dim", std::to_string(train.cols()));
    ck.set("points", std::to_string(train.rows()));
    ck.set("k", std::to_string(k));
    ck.put("isomap.train", train);
    ck.put("isomap.geodesic", geodesic);
    ck.put("isomap.sq_mean", sq_mean);
    ck.put("isomap.embedding", embedding);
    ck.put("isomap.eigenvalues", eigenvalues);
}

void Isomap::load(const Checkpoint& ck) {
    check_model(ck, name());
    const int K = meta_int(ck, name(), "dim", 1), D = meta_int(ck, name(), "input_dim", 1);
    const int n = meta_int(ck, name(), "points", 2), kk = meta_int(ck, name(), "k", 1);
    if (kk > n - 1) throw input_error("isomap: checkpoint " + ck.path + ": k = " + std::to_string(kk) + " for " +
                                      std::to_string(n) + " points; the file is damaged, refit");
    Tensor X(Shape{n, D}), G(Shape{n, n}), mu(Shape{n}), E(Shape{n, K}), ev(Shape{K});  // all checked first
    restore_tensor(ck, "isomap.train", X);
    restore_tensor(ck, "isomap.geodesic", G);
    restore_tensor(ck, "isomap.sq_mean", mu);
    restore_tensor(ck, "isomap.embedding", E);
    restore_tensor(ck, "isomap.eigenvalues", ev);
    train = X, geodesic = G, sq_mean = mu, embedding = E, eigenvalues = ev, k = kk;
}

}  // namespace tg
