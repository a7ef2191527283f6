// manifold.cpp — kNN graphs for Isomap and LLE (see manifold.h). n = points, m = queries, D = input dim.
// Distances are brute force: one (m, n) gemm, O(m n D) time and O(m n) memory, which is why the methods
// fit at most a few thousand points and callers encode new points in blocks.
#include "models/manifold.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <utility>

#include "autograd/blas.h"
#include "models/linalg.h"

namespace tg {

Tensor sq_distances(const Tensor& A, const Tensor& B) {
    const int m = A.rows(), n = B.rows(), D = A.cols();
    if (B.cols() != D) throw shape_error("sq_distances", A.shape, B.shape, "rows must have the same length");
    std::vector<double> a2(m, 0.0), b2(n, 0.0);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < D; j++) a2[i] += (double)A.at(i, j) * A.at(i, j);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < D; j++) b2[i] += (double)B.at(i, j) * B.at(i, j);
    Tensor d2(Shape{m, n});
    gemm(false, true, m, n, D, -2, A.ptr(), D, B.ptr(), D, 0, d2.ptr(), n);  // -2 a.b
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) d2.at(i, j) = (real)std::max(0.0, a2[i] + b2[j] + d2.at(i, j));
    return d2;
}

double exact_distance(const Tensor& A, int a, const Tensor& B, int b) {
    double s = 0;
    for (int j = 0; j < A.cols(); j++) {
        const double d = (double)A.at(a, j) - B.at(b, j);
        s += d * d;
    }
    return std::sqrt(s);
}

std::vector<int> nearest(const Tensor& d2, int k, bool exclude_self) {
    const int m = d2.rows(), n = d2.cols();
    if (k < 1 || k > n - (exclude_self ? 1 : 0))
        throw Error("nearest: k = " + std::to_string(k) + " neighbours among " + std::to_string(n) + " points");
    std::vector<int> out((size_t)m * k), idx;
    for (int i = 0; i < m; i++) {
        idx.clear();
        for (int j = 0; j < n; j++)
            if (!(exclude_self && j == i)) idx.push_back(j);
        const real* row = d2.ptr() + (size_t)i * n;
        std::partial_sort(idx.begin(), idx.begin() + k, idx.end(),
                          [row](int a, int b) { return row[a] < row[b] || (row[a] == row[b] && a < b); });
        std::copy(idx.begin(), idx.begin() + k, out.begin() + (size_t)i * k);
    }
    return out;
}

int count_pieces(const std::vector<int>& nbrs, int n, int k, int* largest) {
    std::vector<int> parent(n);  // union-find over the edges i - nbrs[i][*]
    std::iota(parent.begin(), parent.end(), 0);
    auto root = [&parent](int i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++) parent[root(i)] = root(nbrs[(size_t)i * k + j]);
    std::vector<int> size(n, 0);
    int pieces = 0;
    for (int i = 0; i < n; i++)
        if (size[root(i)]++ == 0) pieces++;
    if (largest) *largest = *std::max_element(size.begin(), size.end());
    return pieces;
}

int connected_neighbours(const std::string& who, const Tensor& d2, int k, std::vector<int>* nbrs) {
    const int n = d2.rows();
    for (;;) {
        *nbrs = nearest(d2, k, true);
        int largest = 0;
        const int pieces = count_pieces(*nbrs, n, k, &largest);
        if (pieces == 1) return k;
        const int next = std::min(2 * k, n - 1);
        std::fprintf(stderr, "note: %s: the %d-nearest-neighbour graph of %d points falls into %d pieces (largest %d); "
                     "raising k to %d so that it is connected\n", who.c_str(), k, n, pieces, largest, next);
        k = next;
    }
}

Tensor fit_points(const std::string& who, const Dataset& train, int dim, int k, int max_fit) {
    if (max_fit < 2)
        throw input_error(who + ": max_fit = " + std::to_string(max_fit) + "; fit needs at least 2 points (pass >= 2)");
    const int N = train.size(), n = std::min(N, max_fit), D = train.dim();
    if (n < 3)
        throw input_error(who + ": the training set " + train.source + " has " + std::to_string(N) +
                          " rows; a neighbour graph needs at least 3 (raise --train-limit)");
    if (k < 1 || k > n - 1)
        throw input_error(who + ": --k " + std::to_string(k) + " is out of range; pass 1 <= --k <= " +
                          std::to_string(n - 1) + " (the other fitted points)");
    check_dim(who, dim, std::min(D, n - 1), "at most the input dimension and the fitted points - 1");
    if (n < N)
        std::fprintf(stderr, "note: %s: fitting on the first %d of %d points (max_fit); the other %d are ignored\n",
                     who.c_str(), n, N, N - n);
    Tensor X = train.x.first_slice(0, n);  // (n, D)
    check_finite(who, X, "the training set " + train.source);
    return X;
}

double neighbourhood_overlap(const Tensor& a, const Tensor& b, int k) {
    const int n = a.rows();
    if (b.rows() != n) throw shape_error("neighbourhood_overlap", a.shape, b.shape, "both views need the same points");
    const std::vector<int> na = nearest(sq_distances(a, a), k, true), nb = nearest(sq_distances(b, b), k, true);
    double total = 0;
    for (int i = 0; i < n; i++) {
        std::vector<int> x(na.begin() + (size_t)i * k, na.begin() + (size_t)(i + 1) * k);
        std::vector<int> y(nb.begin() + (size_t)i * k, nb.begin() + (size_t)(i + 1) * k);
        std::sort(x.begin(), x.end());
        std::sort(y.begin(), y.end());
        std::vector<int> both;
        std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(both));
        total += (double)both.size() / k;
    }
    return total / n;
}

}  // namespace tg
