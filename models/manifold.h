// manifold.h — the neighbour-graph machinery Isomap (isomap.h) and LLE (lle.h) share: squared distances
// by one gemm, k nearest neighbours, connecting the kNN graph, choosing the training subsample, and a
// neighbourhood-preservation score for judging any embedding against true coordinates.
// n = training points, m = query points, D = input dimension, k = neighbours per point. docs/manifold-methods.md
#pragma once
#include <string>
#include <vector>

#include "data/dataset.h"

namespace tg {

// d2[i][j] = |a_i - b_j|^2 for the rows of A (m, D) and B (n, D): (m, n), by one gemm as
// |a|^2 + |b|^2 - 2 a.b, clamped at 0 (round-off can push it just below). Good for ranking; when an exact
// small distance matters, recompute it from the coordinates (exact_distance).
Tensor sq_distances(const Tensor& A, const Tensor& B);

// |a - b| for rows a of A and b of B, summed directly (no cancellation).
double exact_distance(const Tensor& A, int a, const Tensor& B, int b);

// For each row i of d2 (m, n): the column indices of its k smallest entries, nearest first (ties by index),
// as m*k ints, row after row. exclude_self: d2 compares a set with itself, and row i never lists i.
std::vector<int> nearest(const Tensor& d2, int k, bool exclude_self);

// The number of connected pieces of the undirected graph with an edge i - j whenever j is one of i's
// k nearest (nbrs from nearest(..., k, true), n*k ints). *largest (if given) gets the biggest piece's size.
int count_pieces(const std::vector<int>& nbrs, int n, int k, int* largest);

// The k nearest neighbours of each of the n points (d2 = sq_distances(X, X), (n, n)), with k doubled
// (up to n - 1) until the kNN graph is connected: geodesics (Isomap) and a single embedding (LLE) need
// one piece. Prints a note to stderr when it raises k. Returns the k used; *nbrs gets n*k indices.
int connected_neighbours(const std::string& who, const Tensor& d2, int k, std::vector<int>* nbrs);

// The points a manifold method fits on: the first max_fit rows of train (a note on stderr says how many
// are ignored). Checks, naming the method and flag: max_fit >= 2, k in [1, n - 1], dim in
// [1, min(D, n - 1)], and no NaN/Inf.
Tensor fit_points(const std::string& who, const Dataset& train, int dim, int k, int max_fit);

// Neighbourhood preservation of a map between two views of the same n points, a (n, Da) and b (n, Db):
// the mean over points i of |kNN_a(i) ∩ kNN_b(i)| / k. 1 = identical neighbourhoods; an unrelated
// embedding scores about k / (n - 1).
double neighbourhood_overlap(const Tensor& a, const Tensor& b, int k);

}  // namespace tg
