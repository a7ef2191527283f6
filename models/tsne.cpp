// tsne.cpp — t-SNE fitting, exact and Barnes-Hut (see tsne.h). The steps follow scikit-learn's TSNE
// (sklearn/manifold/_t_sne.py, _barnes_hut_tsne.pyx) so that the two give pictures of the same quality:
//   1. squared distances d_ij (all pairs, or the k = 3·perplexity nearest); for each row i, the precision
//      β_i of exp(-β_i d_ij) found by bisection so that the entropy of P_·|i is log(perplexity) nats;
//   2. P = (P_j|i + P_i|j) / Σ, exaggerated 12x for the first 250 steps;
//   3. steps: grad_i = 4 Σ_j (p_ij - q_ij) w_ij (y_i - y_j),  w_ij = 1 / (1 + |y_i - y_j|²),  q_ij = w_ij / Z,
//      Z = Σ_{k≠l} w_kl; Barnes-Hut splits it into the attraction Σ_j p_ij w_ij (y_i - y_j) over the sparse P
//      and the repulsion Σ_j w_ij² (y_i - y_j) / Z, where a far quadtree cell stands for all its points;
//   4. update = momentum · update - lr · gains ⊙ grad, gains + 0.2 where the step changed sign, ×0.8 elsewhere.
// N = rows, D = input dimension, K = code dimension, k = neighbours per row.
#include "models/tsne.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "autograd/blas.h"
#include "models/linalg.h"
#include "models/pca.h"

namespace tg {

namespace {

const double kEps = 2.220446049250313e-16;  // numpy's float64 machine epsilon, the floor sklearn uses

uint64_t row_hash(const real* r, int D) {  // FNV-1a over the bytes of the row's values
    uint64_t h = 1469598103934665603ull;
    const unsigned char* b = (const unsigned char*)r;
    for (size_t i = 0; i < (size_t)D * sizeof(real); i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

// Squared distances from rows [i0, i1) of x to every row: (i1 - i0, N), by one gemm, |a|² + |b|² - 2 a·b
void sq_dist_block(const Tensor& x, const std::vector<double>& norms, int i0, int i1, std::vector<real>& out) {
    const int N = x.rows(), D = x.cols(), m = i1 - i0;
    out.assign((size_t)m * N, 0);
    gemm(false, true, m, N, D, real(-2), x.ptr() + (size_t)i0 * D, D, x.ptr(), D, 0, out.data(), N);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < N; j++) {
            real& v = out[(size_t)i * N + j];
            v = (real)std::max(0.0, v + norms[(size_t)(i0 + i)] + norms[(size_t)j]);
        }
}

// Row i's conditional P_j|i over its candidates d (squared distances), in place: the β whose entropy is
// log(perplexity), by bisection on β as sklearn's _binary_search_perplexity (100 steps, tolerance 1e-5).
void conditional_row(std::vector<double>& d, double perplexity) {
    const double target = std::log(perplexity);
    double beta = 1, lo = -INFINITY, hi = INFINITY;
    std::vector<double> p(d.size());
    for (int step = 0; step < 100; step++) {
        double sum = 0, sum_dp = 0;
        for (size_t j = 0; j < d.size(); j++) p[j] = std::exp(-d[j] * beta), sum += p[j];
        if (sum == 0) sum = kEps;
        for (size_t j = 0; j < d.size(); j++) p[j] /= sum, sum_dp += d[j] * p[j];
        const double entropy = std::log(sum) + beta * sum_dp;  // H = log Σ e^{-βd} + β E[d]
        if (std::fabs(entropy - target) <= 1e-5) break;
        if (entropy > target) {  // too flat: narrower Gaussian, larger β
            lo = beta;
            beta = hi == INFINITY ? beta * 2 : (beta + hi) / 2;
        } else {
            hi = beta;
            beta = lo == -INFINITY ? beta / 2 : (beta + lo) / 2;
        }
    }
    d = p;
}

// ---- the Barnes-Hut quadtree over the current codes ------------------------------------------
struct Quad {
    double cx, cy, half;     // the cell's centre and half-width
    double mx = 0, my = 0;   // centre of mass of its points
    int count = 0;
    int child = -1;          // index of the first of 4 children, -1 for a leaf
    int begin = 0, end = 0;  // a leaf's points: order[begin, end)
};

struct QuadTree {
    std::vector<Quad> cells;
    std::vector<int> order;  // point indices, grouped by leaf
    const double* y = nullptr;

    void build(const std::vector<double>& Y, int N) {
        y = Y.data();
        order.resize((size_t)N);
        std::iota(order.begin(), order.end(), 0);
        double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
        for (int i = 0; i < N; i++)
            x0 = std::min(x0, y[2 * i]), x1 = std::max(x1, y[2 * i]), y0 = std::min(y0, y[2 * i + 1]), y1 = std::max(y1, y[2 * i + 1]);
        cells.clear();
        cells.push_back(Quad{(x0 + x1) / 2, (y0 + y1) / 2, std::max(x1 - x0, y1 - y0) / 2 * (1 + 1e-6) + 1e-12});
        split(0, 0, N, 0);
    }
    // Cell c holds order[b, e): its mass, then its four quadrants (x >= cx: bit 0, y >= cy: bit 1)
    void split(int c, int b, int e, int depth) {
        double mx = 0, my = 0;
        for (int t = b; t < e; t++) mx += y[2 * order[(size_t)t]], my += y[2 * order[(size_t)t] + 1];
        cells[(size_t)c].count = e - b, cells[(size_t)c].mx = mx / (e - b), cells[(size_t)c].my = my / (e - b);
        cells[(size_t)c].begin = b, cells[(size_t)c].end = e;
        if (e - b <= 1 || depth >= 48) return;  // one point, or coincident points: a leaf
        const Quad q = cells[(size_t)c];
        auto quadrant = [&](int i) { return (y[2 * i] >= q.cx ? 1 : 0) + (y[2 * i + 1] >= q.cy ? 2 : 0); };
        int bounds[5] = {b, b, b, b, e};
        std::vector<int> tmp(order.begin() + b, order.begin() + e);
        int at = b;
        for (int k = 0; k < 4; k++) {
            bounds[k] = at;
            for (int i : tmp)
                if (quadrant(i) == k) order[(size_t)at++] = i;
        }
        const int first = (int)cells.size();
        cells[(size_t)c].child = first;
        for (int k = 0; k < 4; k++)
            cells.push_back(Quad{q.cx + (k & 1 ? 0.5 : -0.5) * q.half, q.cy + (k & 2 ? 0.5 : -0.5) * q.half, q.half / 2});
        for (int k = 0; k < 4; k++)
            if (bounds[k + 1] > bounds[k]) split(first + k, bounds[k], bounds[k + 1], depth + 1);
    }
    // Repulsion on point i: neg += Σ_j w_ij² (y_i - y_j), z += Σ_j w_ij over j ≠ i, far cells summarised
    void repulse(int i, int c, double theta2, double& fx, double& fy, double& z) const {
        const Quad& q = cells[(size_t)c];
        if (q.count == 0) return;
        const double dx = y[2 * i] - q.mx, dy = y[2 * i + 1] - q.my, d2 = dx * dx + dy * dy;
        if (q.child < 0 || 4 * q.half * q.half < theta2 * d2) {
            int n = q.count;
            if (q.child < 0)
                for (int t = q.begin; t < q.end; t++) n -= order[(size_t)t] == i;  // not itself
            const double w = 1 / (1 + d2);
            z += n * w;
            fx += n * w * w * dx, fy += n * w * w * dy;
            return;
        }
        for (int k = 0; k < 4; k++) repulse(i, q.child + k, theta2, fx, fy, z);
    }
};

}  // namespace

// ----------------------------------------------------------------------------------------------
void TSNE::fit(const Dataset& train, int dim, Rng& rng) {
    const Tensor& X = train.x;  // (N, D)
    const int N = train.size(), D = train.dim(), K = dim;
    check_finite("tsne", X, "the training set " + train.source);
    if (K < 1 || K > 3 || K > D) check_dim("tsne", dim, std::min(3, D), "t-SNE draws pictures: K = 2 (or 3, exact method only)");
    if (!(perplexity > 0) || N - 1 < perplexity)
        throw input_error("tsne: --perplexity " + exact_str(perplexity) + " needs more rows than that (the set has " + std::to_string(N) +
                          "); pass a smaller --perplexity (5-50 is usual) or more rows");
    const bool exact = N <= exact_below;
    if (!exact && K != 2)
        throw input_error("tsne: Barnes-Hut (used above " + std::to_string(exact_below) + " rows) is 2-D here; pass --dim 2, or at most " +
                          std::to_string(exact_below) + " rows (--train-limit) for the exact K = 3 fit");
    if (!exact && exact_below < 0) throw input_error("tsne: exact_below must be >= 0");
    method_used = exact ? "exact" : "barnes-hut";
    input_dim = D;

    // 1-2. P: for each row its candidates (all others, or the k nearest) and P_j|i, then symmetrised
    std::vector<double> norms((size_t)N);
    for (int i = 0; i < N; i++) {
        double s = 0;
        for (int j = 0; j < D; j++) s += (double)X.at(i, j) * X.at(i, j);
        norms[(size_t)i] = s;
    }
    const int k = exact ? N - 1 : std::min(N - 1, (int)(3 * perplexity + 1));
    std::vector<int> nbr((size_t)N * k);       // (N, k) candidate j of row i
    std::vector<double> cond((size_t)N * k);   // (N, k) P_j|i
    std::vector<real> block;
    std::vector<int> idx((size_t)N);
    std::vector<double> d((size_t)k);
    const int B = 256;
    for (int i0 = 0; i0 < N; i0 += B) {
        const int i1 = std::min(N, i0 + B);
        sq_dist_block(X, norms, i0, i1, block);
        for (int i = i0; i < i1; i++) {
            const real* row = block.data() + (size_t)(i - i0) * N;
            int m = 0;
            for (int j = 0; j < N; j++)
                if (j != i) idx[(size_t)m++] = j;
            if (!exact)  // the k nearest, ties by index
                std::partial_sort(idx.begin(), idx.begin() + k, idx.begin() + m,
                                  [row](int a, int b) { return row[a] < row[b] || (row[a] == row[b] && a < b); });
            for (int t = 0; t < k; t++) d[(size_t)t] = row[idx[(size_t)t]], nbr[(size_t)i * k + t] = idx[(size_t)t];
            conditional_row(d, perplexity);
            std::copy(d.begin(), d.end(), cond.begin() + (size_t)i * k);
        }
    }
    // sparse symmetric P as rows of (j, p_ij): P = (C + C^T) / Σ(C + C^T)
    std::vector<std::vector<std::pair<int, double>>> P((size_t)N);
    for (int i = 0; i < N; i++)
        for (int t = 0; t < k; t++) {
            const int j = nbr[(size_t)i * k + t];
            const double c = cond[(size_t)i * k + t];
            P[(size_t)i].push_back({j, c});
            P[(size_t)j].push_back({i, c});
        }
    double total = 0;
    for (auto& r : P) {  // merge the two entries of each pair (i, j)
        std::sort(r.begin(), r.end());
        size_t w = 0;
        for (size_t t = 0; t < r.size(); t++) {
            if (w > 0 && r[w - 1].first == r[t].first) r[w - 1].second += r[t].second;
            else r[w++] = r[t];
        }
        r.resize(w);
        for (auto& e : r) total += e.second;
    }
    for (auto& r : P)
        for (auto& e : r) e.second = std::max(e.second / std::max(total, kEps), exact ? kEps : 0.0);

    // init: the PCA projection, scaled so that its first coordinate has standard deviation 1e-4
    PCA pca;
    pca.fit(train, K, rng);
    const Tensor z0 = pca.encode(X);  // (N, K)
    double m0 = 0, s0 = 0;
    for (int i = 0; i < N; i++) m0 += z0.at(i, 0);
    m0 /= N;
    for (int i = 0; i < N; i++) s0 += (z0.at(i, 0) - m0) * (z0.at(i, 0) - m0);
    s0 = std::sqrt(s0 / N);
    std::vector<double> Y((size_t)N * K), grad((size_t)N * K), update((size_t)N * K, 0), gains((size_t)N * K, 1);
    for (int i = 0; i < N; i++)
        for (int c = 0; c < K; c++) Y[(size_t)i * K + c] = s0 > 0 ? z0.at(i, c) / s0 * 1e-4 : 0;

    // 3-4. gradient descent
    const double lr = learning_rate > 0 ? learning_rate : std::max(N / early_exaggeration / 4, 50.0);
    const double dof = std::max(K - 1, 1);  // sklearn's degrees of freedom of the Student-t: 1 for K = 2
    const int explore = std::min(250, iterations);
    QuadTree tree;
    std::vector<double> w;  // exact: (N, N) kernel values
    if (exact) w.resize((size_t)N * N);
    for (int it = 0; it < iterations; it++) {
        const double ex = it < explore ? early_exaggeration : 1, momentum = it < explore ? 0.5 : 0.8;
        std::fill(grad.begin(), grad.end(), 0);
        if (exact) {  // w_ij = (1 + d²/dof)^(-(dof+1)/2), Z = Σ w; grad_i = 2(dof+1)/dof Σ_j (p_ij - w_ij / Z) w_ij (y_i - y_j)
            double Z = 0;
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double d2 = 0;
                    for (int c = 0; c < K; c++) d2 += (Y[(size_t)i * K + c] - Y[(size_t)j * K + c]) * (Y[(size_t)i * K + c] - Y[(size_t)j * K + c]);
                    const double v = i == j ? 0 : dof == 1 ? 1 / (1 + d2) : std::pow(1 + d2 / dof, -(dof + 1) / 2);
                    w[(size_t)i * N + j] = v, Z += v;
                }
            std::vector<double> pi((size_t)N);
            kl = 0;
            for (int i = 0; i < N; i++) {
                std::fill(pi.begin(), pi.end(), kEps);
                for (const auto& e : P[(size_t)i]) pi[(size_t)e.first] = e.second;
                for (int j = 0; j < N; j++) {
                    if (j == i) continue;
                    const double wij = w[(size_t)i * N + j], q = std::max(wij / Z, kEps), p = ex * pi[(size_t)j];
                    if (it == iterations - 1) kl += pi[(size_t)j] * std::log(std::max(pi[(size_t)j], kEps) / q);
                    const double f = (p - q) * wij;  // sklearn's _kl_divergence
                    for (int c = 0; c < K; c++) grad[(size_t)i * K + c] += f * (Y[(size_t)i * K + c] - Y[(size_t)j * K + c]);
                }
            }
            const double scale = 2 * (dof + 1) / dof;
            for (double& g : grad) g *= scale;
        } else {  // K = 2: attraction over the sparse P, repulsion from the quadtree
            tree.build(Y, N);
            double Z = 0;
            std::vector<double> neg((size_t)N * 2, 0);
            for (int i = 0; i < N; i++) tree.repulse(i, 0, theta * theta, neg[(size_t)2 * i], neg[(size_t)2 * i + 1], Z);
            for (int i = 0; i < N; i++) {
                double ax = 0, ay = 0;
                for (const auto& e : P[(size_t)i]) {
                    const double dx = Y[(size_t)2 * i] - Y[(size_t)2 * e.first], dy = Y[(size_t)2 * i + 1] - Y[(size_t)2 * e.first + 1];
                    const double f = ex * e.second / (1 + dx * dx + dy * dy);
                    ax += f * dx, ay += f * dy;
                }
                grad[(size_t)2 * i] = 4 * (ax - neg[(size_t)2 * i] / Z);
                grad[(size_t)2 * i + 1] = 4 * (ay - neg[(size_t)2 * i + 1] / Z);
            }
            kl = NAN;
        }
        double gnorm = 0;
        for (size_t t = 0; t < Y.size(); t++) {
            gains[t] = update[t] * grad[t] < 0 ? gains[t] + 0.2 : std::max(gains[t] * 0.8, 0.01);
            update[t] = momentum * update[t] - lr * gains[t] * grad[t];
            Y[t] += update[t];
            gnorm += grad[t] * grad[t];
        }
        if (!std::isfinite(gnorm))
            throw Error("tsne: the optimisation diverged (a non-finite gradient at step " + std::to_string(it) + "); try a smaller --perplexity", EXIT_NUMERIC);
        if (it >= explore && std::sqrt(gnorm) < 1e-7) break;  // sklearn's min_grad_norm
    }

    embedding = Tensor(Shape{N, K});
    for (size_t t = 0; t < Y.size(); t++) embedding[t] = (real)Y[t];
    row_of.clear();
    for (int i = N - 1; i >= 0; i--) row_of[row_hash(X.ptr() + (size_t)i * D, D)] = i;  // duplicates: the first
}

Tensor TSNE::encode(const Tensor& x) {
    const int K = embedding.cols();
    if (!embedding.size()) throw Error("tsne: encode before fit");
    const std::string why =
        "; t-SNE places only the rows it was fitted on and has no map for new rows (no --apply): fit it on all the rows you "
        "want to see together, or use pca, ae or vae to encode new rows";
    if (row_of.empty()) throw input_error("tsne: this model was loaded from a file, which holds only the codes of its fitted rows" + why);
    check_rows("tsne", x, input_dim);
    Tensor out(Shape{x.rows(), K});
    for (int i = 0; i < x.rows(); i++) {
        auto it = row_of.find(row_hash(x.ptr() + (size_t)i * input_dim, input_dim));
        if (it == row_of.end()) throw input_error("tsne: row " + std::to_string(i + 1) + " is not one of the fitted rows" + why);
        std::copy(embedding.ptr() + (size_t)it->second * K, embedding.ptr() + (size_t)(it->second + 1) * K, out.ptr() + (size_t)i * K);
    }
    return out;
}

void TSNE::save(Checkpoint& ck) const {
    ck.set("model", "tsne");
    ck.set("dim", std::to_string(embedding.cols()));
    ck.set("input_dim", std::to_string(input_dim));
    ck.set("perplexity", exact_str(perplexity));
    ck.set("tsne.method", method_used);
    ck.put("tsne.embedding", embedding);
}

void TSNE::load(const Checkpoint& ck) {
    check_model(ck, "tsne");
    input_dim = meta_int(ck, "tsne", "input_dim", 1);
    embedding = ck.tensor("tsne.embedding");
    row_of.clear();
}

// ----------------------------------------------------------------------------------------------
// T(k) = 1 - 2 / (N k (2N - 3k - 1)) Σ_i Σ_{j ∈ U_k(i)} (r(i, j) - k), U_k(i) = the k nearest codes of i that
// are not among its k nearest inputs, r(i, j) = j's rank among i's input neighbours (1 = the nearest).
double trustworthiness(const Tensor& x, const Tensor& codes, int k) {
    const int N = x.rows();
    if (codes.rows() != N || k < 1 || 2 * k >= N) throw input_error("trustworthiness: needs as many codes as rows and 1 <= k < N / 2");
    auto sq = [](const Tensor& t, int i, int j) {
        double s = 0;
        for (int c = 0; c < t.cols(); c++) s += ((double)t.at(i, c) - t.at(j, c)) * ((double)t.at(i, c) - t.at(j, c));
        return s;
    };
    std::vector<int> order((size_t)N), rank((size_t)N), near((size_t)N);
    std::vector<double> dx((size_t)N), dz((size_t)N);
    double t = 0;
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < N; j++) dx[(size_t)j] = sq(x, i, j), dz[(size_t)j] = sq(codes, i, j);
        dx[(size_t)i] = dz[(size_t)i] = -1;  // i itself first, rank 0
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return dx[(size_t)a] < dx[(size_t)b]; });
        for (int r = 0; r < N; r++) rank[(size_t)order[(size_t)r]] = r;
        std::iota(near.begin(), near.end(), 0);
        std::stable_sort(near.begin(), near.end(), [&](int a, int b) { return dz[(size_t)a] < dz[(size_t)b]; });
        for (int r = 1; r <= k; r++) t += std::max(0, rank[(size_t)near[(size_t)r]] - k);
    }
    return 1 - t * 2.0 / (N * k * (2.0 * N - 3.0 * k - 1.0));
}

}  // namespace tg
