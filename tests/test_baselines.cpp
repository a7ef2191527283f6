// test_baselines.cpp — the classical baselines on data whose answer is known: the LAPACK wrappers on
// matrices with hand-computed eigenpairs; PCA on a planted subspace; LDA on Gaussian classes (with a
// constant feature); the DCT against its formula, zig-zag tables and Parseval; Isomap and LLE unrolling
// a swiss roll (neighbourhoods and a linear fit against the true unrolled coordinates); save/load round
// trips and bad input for every method. Checkpoints go to a fresh mkdtemp folder that is removed.
#include <catch2/catch.hpp>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "data/synthetic.h"
#include "models/dct.h"
#include "models/isomap.h"
#include "models/lda.h"
#include "models/linalg.h"
#include "models/lle.h"
#include "models/manifold.h"
#include "models/pca.h"
#include "tests/helpers.h"

using namespace tg;
using namespace tg_test;
using Catch::Matchers::Contains;

namespace {

// ----------------------------------------------------------------------------------------------
// Helpers



double dot_rows(const Tensor& a, int i, const Tensor& b, int j) {
    double s = 0;
    for (int c = 0; c < a.cols(); c++) s += (double)a.at(i, c) * b.at(j, c);
    return s;
}

double max_abs_diff(const Tensor& a, const Tensor& b) {
    REQUIRE(a.shape == b.shape);
    double m = 0;
    for (size_t i = 0; i < a.size(); i++) m = std::max(m, std::fabs((double)a[i] - b[i]));
    return m;
}

// The rows of a, then the rows of b (same width)
Tensor stacked(const Tensor& a, const Tensor& b) {
    Tensor out(Shape{a.rows() + b.rows(), a.cols()});
    std::copy(a.data.begin(), a.data.end(), out.data.begin());
    std::copy(b.data.begin(), b.data.end(), out.data.begin() + (ptrdiff_t)a.size());
    return out;
}

// K random orthonormal rows in R^D (Gram-Schmidt on Gaussian rows): (K, D)
Tensor random_orthonormal(int K, int D, Rng& rng) {
    Tensor U = Tensor::normal(Shape{K, D}, 0, 1, rng);
    for (int i = 0; i < K; i++) {
        for (int j = 0; j < i; j++) {
            const double p = dot_rows(U, i, U, j);
            for (int c = 0; c < D; c++) U.at(i, c) -= (real)(p * U.at(j, c));
        }
        const double norm = std::sqrt(dot_rows(U, i, U, i));
        for (int c = 0; c < D; c++) U.at(i, c) /= (real)norm;
    }
    return U;
}

// R² of the least-squares fit target ≈ a + features · b (features (n, F), target column `col` of t)
double r2_linear_fit(const Tensor& features, const Tensor& t, int col) {
    const int n = features.rows(), F = features.cols() + 1;
    Tensor A(Shape{n, F}), AtA(Shape{F, F}), Aty(Shape{F, 1});
    for (int i = 0; i < n; i++) {
        A.at(i, 0) = 1;
        for (int f = 1; f < F; f++) A.at(i, f) = features.at(i, f - 1);
    }
    for (int f = 0; f < F; f++) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double)A.at(i, f) * t.at(i, col);
        Aty.at(f, 0) = (real)s;
        for (int g = 0; g < F; g++) {
            double s2 = 0;
            for (int i = 0; i < n; i++) s2 += (double)A.at(i, f) * A.at(i, g);
            AtA.at(f, g) = (real)s2;
        }
    }
    const Tensor b = spd_solve(AtA, Aty);
    double mean = 0, ss_tot = 0, ss_res = 0;
    for (int i = 0; i < n; i++) mean += t.at(i, col) / n;
    for (int i = 0; i < n; i++) {
        double pred = 0;
        for (int f = 0; f < F; f++) pred += (double)b[f] * A.at(i, f);
        ss_res += (t.at(i, col) - pred) * (t.at(i, col) - pred);
        ss_tot += (t.at(i, col) - mean) * (t.at(i, col) - mean);
    }
    return 1 - ss_res / ss_tot;
}

// The swiss roll's true flat coordinates: arc length along the spiral r = t, s(t) = ∫ sqrt(1 + t²) dt,
// and the height h. Isomap should recover these up to rotation, not (t, h): s is nonlinear in t.
Tensor unrolled(const Tensor& th) {
    Tensor u(Shape{th.rows(), 2});
    for (int i = 0; i < th.rows(); i++) {
        const double t = th.at(i, 0);
        u.at(i, 0) = (real)(0.5 * (t * std::sqrt(1 + t * t) + std::asinh(t)));
        u.at(i, 1) = th.at(i, 1);
    }
    return u;
}

// Two or three Gaussian classes in D dims: class c has mean means[c], per-feature std `stds`; the last
// feature is the constant 0.5 (zero variance, like a border pixel) when `constant_feature`.
Dataset gaussian_classes(int n, const std::vector<std::vector<double>>& means, const std::vector<double>& stds,
                         bool constant_feature, Rng& rng) {
    const int C = (int)means.size(), D0 = (int)stds.size(), D = D0 + (constant_feature ? 1 : 0);
    Dataset d;
    d.x = Tensor(Shape{n, D});
    for (int i = 0; i < n; i++) {
        const int c = i % C;
        d.y.push_back(c);
        for (int j = 0; j < D0; j++) d.x.at(i, j) = (real)(means[c][j] + stds[j] * rng.normal());
        if (constant_feature) d.x.at(i, D0) = 0.5;
    }
    d.classes = C;
    d.source = "gaussian_classes";
    return d;
}

}  // namespace

// ----------------------------------------------------------------------------------------------
// linalg

TEST_CASE("sym_eig matches hand-computed eigenpairs, descending, eigenvectors as rows", "[baselines][linalg]") {
    struct Case {
        const char* what;
        int n;
        std::vector<real> A, values, vectors;  // vectors: expected unit rows (up to sign)
    };
    const double r2 = 1 / std::sqrt(2.0), r5 = 1 / std::sqrt(5.0);
    const std::vector<Case> cases = {
        {"2x2 [[2,1],[1,2]]", 2, {2, 1, 1, 2}, {3, 1}, {(real)r2, (real)r2, (real)r2, (real)-r2}},
        {"3x3 block [[2,0,0],[0,3,4],[0,4,9]]", 3, {2, 0, 0, 0, 3, 4, 0, 4, 9}, {11, 2, 1},
         {0, (real)r5, (real)(2 * r5), 1, 0, 0, 0, (real)(2 * r5), (real)-r5}},
        {"diagonal, unsorted", 3, {1, 0, 0, 0, 5, 0, 0, 0, -2}, {5, 1, -2}, {0, 1, 0, 1, 0, 0, 0, 0, 1}},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        Tensor values, V;
        sym_eig(Tensor(Shape{c.n, c.n}, c.A), &values, &V);
        const Tensor want(Shape{c.n, c.n}, c.vectors);
        for (int i = 0; i < c.n; i++) {
            CHECK(values[i] == Approx(c.values[i]).margin(1e-5));
            CHECK(std::fabs(dot_rows(V, i, want, i)) == Approx(1).margin(1e-5));  // same line, either sign
        }
    }
}

TEST_CASE("sym_eig on a random symmetric matrix: V^T diag(λ) V = A, V orthonormal", "[baselines][linalg]") {
    Rng rng(7);
    const int n = 6;
    Tensor R = Tensor::normal(Shape{n, n}, 0, 1, rng), A(Shape{n, n});
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) A.at(i, j) = R.at(i, j) + R.at(j, i);
    Tensor values, V;
    sym_eig(A, &values, &V);
    for (int i = 0; i + 1 < n; i++) CHECK(values[i] >= values[i + 1]);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            CHECK(dot_rows(V, i, V, j) == Approx(i == j ? 1 : 0).margin(1e-5));
            double a = 0;
            for (int k = 0; k < n; k++) a += (double)V.at(k, i) * values[k] * V.at(k, j);
            CHECK(a == Approx(A.at(i, j)).margin(1e-4));
        }
    Tensor only_values;
    sym_eig(A, &only_values, nullptr);
    CHECK(max_abs_diff(only_values, values) < 1e-4);
}

TEST_CASE("sym_gen_eig solves A v = λ B v with B-orthonormal v", "[baselines][linalg]") {
    // A = diag(2, 12), B = diag(1, 4): λ = 12/4 = 3 with v = (0, 1/2) (v^T B v = 1), λ = 2 with v = (1, 0)
    Tensor values, V;
    sym_gen_eig(Tensor(Shape{2, 2}, {2, 0, 0, 12}), Tensor(Shape{2, 2}, {1, 0, 0, 4}), &values, &V);
    CHECK(values[0] == Approx(3));
    CHECK(values[1] == Approx(2));
    CHECK(std::fabs(V.at(0, 1)) == Approx(0.5));
    CHECK(V.at(0, 0) == Approx(0).margin(1e-6));
    CHECK(std::fabs(V.at(1, 0)) == Approx(1));

    // a full A with a diagonal B: check the residual A v - λ B v and v_i^T B v_j = δ_ij
    const Tensor A(Shape{3, 3}, {4, 1, 0, 1, 3, 1, 0, 1, 2}), B(Shape{3, 3}, {1, 0, 0, 0, 2, 0, 0, 0, 3});
    sym_gen_eig(A, B, &values, &V);
    for (int i = 0; i < 3; i++) {
        if (i + 1 < 3) CHECK(values[i] > values[i + 1]);
        for (int r = 0; r < 3; r++) {
            double Av = 0, Bv = B.at(r, r) * V.at(i, r);
            for (int c = 0; c < 3; c++) Av += A.at(r, c) * V.at(i, c);
            CHECK(Av == Approx(values[i] * Bv).margin(1e-5));
        }
        for (int j = 0; j < 3; j++) {
            double vBv = 0;
            for (int r = 0; r < 3; r++) vBv += V.at(i, r) * B.at(r, r) * V.at(j, r);
            CHECK(vBv == Approx(i == j ? 1 : 0).margin(1e-5));
        }
    }
    // B not positive definite: LAPACK's info names the failing minor
    const Thrown t = error_of([&] { sym_gen_eig(A, Tensor(Shape{3, 3}, {1, 0, 0, 0, -1, 0, 0, 0, 1}), &values, &V); });
    CHECK(t.threw);
    CHECK_THAT(t.msg, Contains("sygv_") && Contains("info = 5") && Contains("not positive definite"));
}

TEST_CASE("sym_sqrt and spd_solve on known matrices", "[baselines][linalg]") {
    const Tensor S = sym_sqrt(Tensor(Shape{2, 2}, {4, 0, 0, 9}));
    CHECK(max_abs_diff(S, Tensor(Shape{2, 2}, {2, 0, 0, 3})) < 1e-5);
    // [[2,1],[1,2]] = V diag(3, 1) V^T; its root has entries (sqrt3 ± 1)/2
    const Tensor S2 = sym_sqrt(Tensor(Shape{2, 2}, {2, 1, 1, 2}));
    CHECK(S2.at(0, 0) == Approx((std::sqrt(3.0) + 1) / 2));
    CHECK(S2.at(0, 1) == Approx((std::sqrt(3.0) - 1) / 2));
    // a rank-1 PSD matrix u u^T (eigenvalues 5, 0, 0 up to round-off): sqrt = u u^T / |u|
    const Tensor P(Shape{3, 3}, {1, 2, 0, 2, 4, 0, 0, 0, 0});
    const Tensor SP = sym_sqrt(P);
    for (size_t i = 0; i < P.size(); i++) CHECK(SP[i] == Approx(P[i] / std::sqrt(5.0)).margin(1e-3));

    // [[4,1],[1,3]] x = [[1, 2],[2, 0]] column by column: x = A^{-1} b
    const Tensor X = spd_solve(Tensor(Shape{2, 2}, {4, 1, 1, 3}), Tensor(Shape{2, 2}, {1, 2, 2, 0}));
    CHECK(max_abs_diff(X, Tensor(Shape{2, 2}, {1.0f / 11, 6.0f / 11, 7.0f / 11, -2.0f / 11})) < 1e-6);
    CHECK(error_of([] { sym_eig(Tensor(Shape{2, 2}, {1, NAN, NAN, 1}), nullptr, nullptr); }).threw);
}

// ----------------------------------------------------------------------------------------------
// PCA

TEST_CASE("PCA recovers a planted subspace", "[baselines][pca]") {
    Rng rng(11);
    const int N = 600, D = 20, K = 3;
    const double noise = 1e-3, stds[K] = {5, 3, 2};
    const Tensor U = random_orthonormal(K, D, rng);  // (K, D) the planted subspace
    Dataset d;
    d.x = Tensor(Shape{N, D});
    for (int i = 0; i < N; i++) {
        double z[K];
        for (int k = 0; k < K; k++) z[k] = stds[k] * rng.normal();
        for (int j = 0; j < D; j++) {
            double v = 1.0 + 0.1 * j + noise * rng.normal();  // a non-zero mean, to test centring
            for (int k = 0; k < K; k++) v += z[k] * U.at(k, j);
            d.x.at(i, j) = (real)v;
        }
    }
    d.source = "planted";
    PCA pca;
    pca.fit(d, K, rng);

    // same subspace: the rows of W expressed in U's basis keep their full length, |U W^T|_F² = K
    double overlap = 0;
    for (int a = 0; a < K; a++)
        for (int b = 0; b < K; b++) overlap += std::pow(dot_rows(U, a, pca.components, b), 2);
    CHECK(overlap == Approx(K).margin(1e-4));
    for (int a = 0; a < K; a++)
        for (int b = 0; b < K; b++) CHECK(dot_rows(pca.components, a, pca.components, b) == Approx(a == b).margin(1e-5));
    double ratio = 0;
    for (int k = 0; k < K; k++) ratio += pca.explained_variance_ratio[k];
    CHECK(ratio > 0.9999);
    for (int k = 0; k + 1 < K; k++) CHECK(pca.explained_variance[k] > pca.explained_variance[k + 1]);
    for (int k = 0; k < K; k++) CHECK(pca.explained_variance[k] == Approx(stds[k] * stds[k]).epsilon(0.15));

    // reconstruction error per value ≈ the noise left outside the subspace: (D - K)/D · noise²
    const Tensor rec = pca.decode(pca.encode(d.x));
    double mse = 0;
    for (size_t i = 0; i < rec.size(); i++) mse += std::pow((double)rec[i] - d.x[i], 2) / rec.size();
    const double expected = (double)(D - K) / D * noise * noise;
    INFO("reconstruction mse " << mse << ", expected about " << expected);
    CHECK(mse > 0.7 * expected);
    CHECK(mse < 1.3 * expected);
    // the codes' variances are the eigenvalues
    const Tensor z = pca.encode(d.x);
    double var0 = 0;
    for (int i = 0; i < N; i++) var0 += (double)z.at(i, 0) * z.at(i, 0) / (N - 1);
    CHECK(var0 == Approx(pca.explained_variance[0]).epsilon(1e-3));
}

TEST_CASE("PCA at full rank: decode(encode(x)) == x", "[baselines][pca]") {
    Rng rng(3);
    Dataset d;
    d.x = Tensor::normal(Shape{50, 8}, 2, 3, rng);
    d.source = "gaussian";
    PCA pca;
    pca.fit(d, 8, rng);
    CHECK(max_abs_diff(pca.decode(pca.encode(d.x)), d.x) < 1e-4);
    double total = 0;
    for (int k = 0; k < 8; k++) total += pca.explained_variance_ratio[k];
    CHECK(total == Approx(1).epsilon(1e-4));
}

// ----------------------------------------------------------------------------------------------
// LDA

TEST_CASE("LDA separates two and three Gaussian classes, with a constant feature", "[baselines][lda]") {
    struct Case {
        const char* what;
        std::vector<std::vector<double>> means;
        int dim;
    };
    const std::vector<Case> cases = {
        {"two classes", {{0, 0, 0, 0}, {1, 2, 0, 0}}, 1},
        {"three classes", {{0, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}}, 2},
    };
    // anisotropic noise: the best direction is S_w^{-1} Δμ, not Δμ (feature 0 is noisy, feature 1 quiet);
    // the class means are 6.7 to 12 within-class standard deviations apart (Mahalanobis distance)
    const std::vector<double> stds = {1.0, 0.2, 0.3, 1.0};
    for (const Case& c : cases) {
        INFO(c.what);
        Rng rng(5);
        const Dataset d = gaussian_classes(900, c.means, stds, true, rng);
        LDA lda;
        lda.fit(d, c.dim, rng);
        const Tensor z = lda.encode(d.x);  // (N, K)
        const int C = (int)c.means.size(), N = d.size();

        // nearest projected class mean classifies (almost) every training point right
        std::vector<double> cm((size_t)C * c.dim, 0.0);
        std::vector<int> cnt(C, 0);
        for (int i = 0; i < N; i++) {
            cnt[d.y[i]]++;
            for (int k = 0; k < c.dim; k++) cm[(size_t)d.y[i] * c.dim + k] += z.at(i, k);
        }
        for (int cl = 0; cl < C; cl++)
            for (int k = 0; k < c.dim; k++) cm[(size_t)cl * c.dim + k] /= cnt[cl];
        int right = 0;
        double within = 0;  // mean squared distance to the own class mean, per code dimension
        for (int i = 0; i < N; i++) {
            int best = 0;
            double best_d = 1e300;
            for (int cl = 0; cl < C; cl++) {
                double dd = 0;
                for (int k = 0; k < c.dim; k++) dd += std::pow(z.at(i, k) - cm[(size_t)cl * c.dim + k], 2);
                if (dd < best_d) best_d = dd, best = cl;
                if (cl == d.y[i]) within += dd / (N * c.dim);
            }
            right += best == d.y[i];
        }
        double min_gap = 1e300;
        for (int a = 0; a < C; a++)
            for (int b = a + 1; b < C; b++) {
                double g = 0;
                for (int k = 0; k < c.dim; k++) g += std::pow(cm[(size_t)a * c.dim + k] - cm[(size_t)b * c.dim + k], 2);
                min_gap = std::min(min_gap, std::sqrt(g));
            }
        INFO("accuracy " << (double)right / N << ", class-mean gap " << min_gap << ", within std " << std::sqrt(within));
        CHECK((double)right / N > 0.99);
        CHECK(min_gap > 5 * std::sqrt(within));
        // components are scaled to unit within-class variance (a little less: shrinkage enlarges S_w)
        CHECK(within == Approx(1).epsilon(0.02));
        for (int k = 0; k + 1 < c.dim; k++) CHECK(lda.eigenvalues[k] >= lda.eigenvalues[k + 1]);
        // the constant feature's weight does not matter; it must not be NaN
        for (size_t i = 0; i < lda.components.size(); i++) CHECK(std::isfinite(lda.components[i]));
    }
    // two classes: the direction is Fisher's S_w^{-1} Δμ = (1/1², 2/0.2², 0, 0) = (1, 50, 0, 0)
    Rng rng(5);
    LDA lda;
    lda.fit(gaussian_classes(3000, cases[0].means, stds, true, rng), 1, rng);
    const Tensor want(Shape{1, 5}, {1 / std::sqrt(2501.0f), 50 / std::sqrt(2501.0f), 0, 0, 0});
    Tensor got = lda.components;
    const double norm = std::sqrt(dot_rows(got, 0, got, 0) - std::pow(got.at(0, 4), 2));  // ignore the constant one
    CHECK(std::fabs(dot_rows(got, 0, want, 0) - got.at(0, 4) * want.at(0, 4)) / norm > 0.995);
}

TEST_CASE("LDA refuses too many components and unlabeled data", "[baselines][lda]") {
    Rng rng(1);
    const Dataset d = gaussian_classes(90, {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}}, {1, 1, 1}, false, rng);
    LDA lda;
    Thrown t = error_of([&] { lda.fit(d, 3, rng); });
    CHECK(t.code == EXIT_BAD_INPUT);
    CHECK_THAT(t.msg, Contains("--dim 3") && Contains("1 <= --dim <= 2") && Contains("classes - 1 = 2"));
    Dataset unlabeled = d;
    unlabeled.y.clear();
    t = error_of([&] { lda.fit(unlabeled, 1, rng); });
    CHECK(t.code == EXIT_BAD_INPUT);
    CHECK_THAT(t.msg, Contains("LDA is supervised: the training set") && Contains("needs labels"));
    Dataset one_class = d;
    std::fill(one_class.y.begin(), one_class.y.end(), 0);
    CHECK(error_of([&] { lda.fit(one_class, 1, rng); }).code == EXIT_BAD_INPUT);
}

// ----------------------------------------------------------------------------------------------
// DCT

TEST_CASE("DCT basis is orthonormal", "[baselines][dct]") {
    for (int n : {1, 2, 4, 7, 28}) {
        INFO("n = " << n);
        const Tensor C = dct_basis(n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) CHECK(dot_rows(C, i, C, j) == Approx(i == j).margin(1e-5));
    }
}

TEST_CASE("zig-zag order matches JPEG's tables", "[baselines][dct]") {
    CHECK(zigzag_order(4, 4) == std::vector<int>{0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15});
    const std::vector<int> z8 = zigzag_order(8, 8);  // the JPEG standard's first 15 entries
    CHECK(std::vector<int>(z8.begin(), z8.begin() + 15) == std::vector<int>{0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4});
    CHECK(zigzag_order(2, 3) == std::vector<int>{0, 1, 3, 4, 2, 5});
    CHECK(zigzag_order(1, 5) == std::vector<int>{0, 1, 2, 3, 4});
    std::vector<int> z = zigzag_order(5, 9);
    std::sort(z.begin(), z.end());
    std::vector<int> all(45);
    std::iota(all.begin(), all.end(), 0);
    CHECK(z == all);  // a permutation
}

TEST_CASE("DCT encode matches the formula on non-square images; round trip and Parseval", "[baselines][dct]") {
    Rng rng(9);
    const int H = 3, W = 5, D = H * W, N = 4;
    Dataset d;
    d.x = Tensor::uniform(Shape{N, D}, 0, 1, rng);
    d.height = H, d.width = W, d.source = "random 3x5";
    DCT full;
    full.fit(d, D, rng);
    const Tensor y = full.encode(d.x);
    const Tensor Ch = dct_basis(H), Cw = dct_basis(W);
    const std::vector<int> order = zigzag_order(H, W);
    for (int m = 0; m < N; m++)
        for (int j = 0; j < D; j++) {
            const int u = order[j] / W, v = order[j] % W;  // Y[u][v] = Σ_rc C_H[u][r] X[r][c] C_W[v][c]
            double want = 0;
            for (int r = 0; r < H; r++)
                for (int c = 0; c < W; c++) want += Ch.at(u, r) * d.x.at(m, r * W + c) * Cw.at(v, c);
            CHECK(y.at(m, j) == Approx(want).margin(1e-5));
        }
    CHECK(max_abs_diff(full.decode(y), d.x) < 1e-5);

    // 2100 images go through encode's blocks of 1024: each row's code is the same as encoded alone
    const Tensor many = Tensor::uniform(Shape{2100, D}, 0, 1, rng), zm = full.encode(many);
    for (int i : {0, 1023, 1024, 2047, 2048, 2099})
        CHECK(max_abs_diff(zm.first_slice(i, i + 1), full.encode(many.first_slice(i, i + 1))) < 1e-6);
    CHECK(max_abs_diff(full.decode(zm), many) < 1e-5);

    // keeping K coefficients: the squared error is the energy of the dropped ones (orthonormal basis)
    DCT part;
    part.fit(d, 6, rng);
    const Tensor rec = part.decode(part.encode(d.x));
    for (int m = 0; m < N; m++) {
        double err = 0, dropped = 0;
        for (int j = 0; j < D; j++) err += std::pow((double)rec.at(m, j) - d.x.at(m, j), 2);
        for (int j = 6; j < D; j++) dropped += std::pow((double)y.at(m, j), 2);
        CHECK(err == Approx(dropped).epsilon(1e-4));
    }
}

TEST_CASE("DCT: a constant image is all DC; rows that are not images get a 1-D DCT", "[baselines][dct]") {
    Rng rng(2);
    Dataset img;
    img.x = Tensor::full(Shape{2, 16}, 0.25f);
    img.height = 4, img.width = 4, img.source = "constant";
    DCT dct;
    dct.fit(img, 16, rng);
    const Tensor y = dct.encode(img.x);
    CHECK(y.at(0, 0) == Approx(0.25 * 4));  // Σ x / sqrt(HW) = 0.25 · 16 / 4
    for (int j = 1; j < 16; j++) CHECK(y.at(1, j) == Approx(0).margin(1e-6));

    Dataset rows;  // height = width = 0: a 1-D DCT of length 7, coefficients in frequency order
    rows.x = Tensor::normal(Shape{3, 7}, 0, 1, rng);
    rows.source = "rows";
    DCT dct1;
    dct1.fit(rows, 7, rng);
    CHECK(dct1.height == 1);
    CHECK(dct1.width == 7);
    const Tensor c = dct_basis(7), y1 = dct1.encode(rows.x);
    for (int k = 0; k < 7; k++) CHECK(y1.at(2, k) == Approx(dot_rows(rows.x, 2, c, k)).margin(1e-5));
    CHECK(max_abs_diff(dct1.decode(y1), rows.x) < 1e-5);

    rows.height = 2, rows.width = 4;  // 8 != 7
    CHECK_THAT(error_of([&] { dct1.fit(rows, 3, rng); }).msg, Contains("2 x 4") && Contains("7 values"));
}

// ----------------------------------------------------------------------------------------------
// Isomap and LLE on a swiss roll (n = 1000 points, k = 10). With fewer points (800) the 10-NN graph
// sometimes links two turns of the roll ("short circuits") and Isomap folds the sheet: see the doc.

TEST_CASE("Isomap unrolls a swiss roll", "[baselines][isomap]") {
    Rng rng(1);
    Tensor th;
    const Dataset roll = swiss_roll(1000, 0.0, rng, &th);
    const Tensor truth = unrolled(th);
    Isomap iso;
    iso.fit(roll, 2, rng);
    const double overlap = neighbourhood_overlap(truth, iso.embedding, 10);
    const double r2_s = r2_linear_fit(iso.embedding, truth, 0), r2_h = r2_linear_fit(iso.embedding, truth, 1);
    INFO("overlap " << overlap << ", R² arc length " << r2_s << ", R² height " << r2_h);
    CHECK(overlap > 0.75);
    CHECK(r2_s > 0.95);
    CHECK(r2_h > 0.9);
    CHECK(iso.eigenvalues[0] >= iso.eigenvalues[1]);

    // out-of-sample, 1300 rows in one call (two blocks of encode's 1024): a training point maps to its own
    // embedding (landmark MDS is exact there), and fresh points land where their true coordinates say
    Tensor th2;
    const Dataset fresh = swiss_roll(300, 0.0, rng, &th2);
    const Tensor z = iso.encode(stacked(roll.x, fresh.x)), truth2 = unrolled(th2);
    CHECK(max_abs_diff(z.first_slice(0, 1000), iso.embedding) < 1e-3 * std::sqrt(iso.eigenvalues[0] / 1000));
    CHECK(r2_linear_fit(z.first_slice(1000, 1300), truth2, 0) > 0.95);
    CHECK(r2_linear_fit(z.first_slice(1000, 1300), truth2, 1) > 0.9);
}

TEST_CASE("Isomap of points on a straight line is exactly their centred coordinate", "[baselines][isomap]") {
    // collinear points: every graph path runs along the line, so geodesics are Euclidean and classical MDS
    // must return t - mean(t) times the line's length scale 5 (direction (3, 4)), and nothing on axis 2
    Rng rng(6);
    const int n = 30;
    Dataset line;
    line.x = Tensor(Shape{n, 2});
    std::vector<double> t(n);
    double mean = 0;
    for (int i = 0; i < n; i++) {
        t[i] = rng.uniform(0, 10);
        mean += t[i] / n;
        line.x.at(i, 0) = (real)(3 * t[i]), line.x.at(i, 1) = (real)(4 * t[i]);
    }
    line.source = "line";
    Isomap iso;
    iso.k = 3;
    iso.fit(line, 2, rng);
    const double sign = iso.embedding.at(0, 0) * (t[0] - mean) > 0 ? 1 : -1;
    const double tol = 1e-3 * std::sqrt(iso.eigenvalues[0]);  // float round-off in B is ~1e-7 |B|
    for (int i = 0; i < n; i++) {
        CHECK(iso.embedding.at(i, 0) == Approx(sign * 5 * (t[i] - mean)).margin(tol));
        CHECK(iso.embedding.at(i, 1) == Approx(0).margin(tol));
    }
}

TEST_CASE("Isomap raises k until the neighbour graph is connected", "[baselines][isomap]") {
    Rng rng(4);
    Dataset two;  // two tight blobs 100 apart: the 3-NN graph has two pieces
    two.x = Tensor::normal(Shape{40, 2}, 0, 1, rng);
    for (int i = 0; i < 40; i += 2) two.x.at(i, 0) += 100;
    two.source = "two blobs";
    Isomap iso;
    iso.k = 3;
    iso.fit(two, 1, rng);
    CHECK(iso.k > 3);
    for (size_t i = 0; i < iso.geodesic.size(); i++) CHECK(std::isfinite(iso.geodesic[i]));
    // the blobs end up on opposite sides of the 1-D embedding
    for (int i = 0; i < 40; i++) {
        const bool same_side = (iso.embedding.at(i, 0) > 0) == (iso.embedding.at(0, 0) > 0);
        CHECK(same_side == (i % 2 == 0));
    }
}

TEST_CASE("LLE keeps swiss-roll neighbourhoods far better than chance", "[baselines][lle]") {
    Rng rng(1);
    Tensor th;
    const int n = 1000;
    const Dataset roll = swiss_roll(n, 0.0, rng, &th);
    const Tensor truth = unrolled(th);
    LLE lle;
    lle.fit(roll, 2, rng);
    Tensor shuffled = lle.embedding;  // a random embedding: the rows permuted
    for (int i = n - 1; i > 0; i--) {
        const int j = (int)rng.below(i + 1);
        for (int c = 0; c < 2; c++) std::swap(shuffled.at(i, c), shuffled.at(j, c));
    }
    const double overlap = neighbourhood_overlap(truth, lle.embedding, 10);
    const double chance = neighbourhood_overlap(truth, shuffled, 10);
    INFO("overlap " << overlap << ", shuffled " << chance);
    CHECK(overlap > 0.5);
    CHECK(chance < 0.05);
    // Roweis & Saul's normalization: each coordinate has mean 0 and mean square 1
    for (int c = 0; c < 2; c++) {
        double mean = 0, sq = 0;
        for (int i = 0; i < n; i++) mean += lle.embedding.at(i, c) / n, sq += std::pow(lle.embedding.at(i, c), 2) / n;
        CHECK(mean == Approx(0).margin(1e-3));
        CHECK(sq == Approx(1).epsilon(1e-3));
    }
    CHECK(lle.eigenvalues[0] <= lle.eigenvalues[1]);
    // out-of-sample map of the training points: close to their embedding (not exact: the point itself is
    // one of its k neighbours, and the ridge spreads some weight over the others)
    const Tensor again = lle.encode(stacked(roll.x, roll.x.first_slice(0, 100)));  // 1100 rows: two blocks
    double err = 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < 2; c++) err += std::pow((double)again.at(i, c) - lle.embedding.at(i, c), 2) / (2 * n);
    INFO("out-of-sample rms error " << std::sqrt(err));
    CHECK(std::sqrt(err) < 0.02);
    CHECK(max_abs_diff(again.first_slice(n, n + 100), again.first_slice(0, 100)) == 0);
}

TEST_CASE("neighbourhood_overlap: 1 for the same points, k/(n-1) when every point is a neighbour", "[baselines][manifold]") {
    Rng rng(8);
    const Tensor a = Tensor::normal(Shape{30, 3}, 0, 1, rng);
    CHECK(neighbourhood_overlap(a, a, 5) == Approx(1));
    Tensor scaled = a;  // a similarity map keeps every neighbourhood
    for (size_t i = 0; i < scaled.size(); i++) scaled[i] = 3 * scaled[i] + 1;
    CHECK(neighbourhood_overlap(a, scaled, 5) == Approx(1));
    CHECK(neighbourhood_overlap(a, Tensor::normal(Shape{30, 2}, 0, 1, rng), 29) == Approx(1));
}

// ----------------------------------------------------------------------------------------------
// Every method: save/load round trips, a checkpoint of another method, bad input

namespace {

struct Method {
    const char* name;
    std::function<std::unique_ptr<Reducer>()> make;
};

const std::vector<Method> METHODS = {
    {"pca", [] { return std::unique_ptr<Reducer>(new PCA); }},
    {"lda", [] { return std::unique_ptr<Reducer>(new LDA); }},
    {"dct", [] { return std::unique_ptr<Reducer>(new DCT); }},
    {"isomap", [] { return std::unique_ptr<Reducer>(new Isomap); }},
    {"lle", [] { return std::unique_ptr<Reducer>(new LLE); }},
};

// 120 labelled 3 x 4 "images" in 3 classes, each a Gaussian blob: every method can fit it
Dataset small_images(Rng& rng) {
    std::vector<std::vector<double>> means(3, std::vector<double>(12, 0.0));
    for (int j = 0; j < 12; j++) means[1][j] = j % 2, means[2][j] = j < 6;
    Dataset d = gaussian_classes(120, means, std::vector<double>(12, 0.3), false, rng);
    d.height = 3, d.width = 4;
    return d;
}

}  // namespace

TEST_CASE("save/load gives identical encodings for every method", "[baselines][checkpoint]") {
    TempDir dir("baselines");
    Rng rng(12);
    const Dataset d = small_images(rng);
    for (size_t i = 0; i < METHODS.size(); i++) {
        const Method& m = METHODS[i];
        INFO(m.name);
        auto a = m.make();
        a->fit(d, 2, rng);
        Checkpoint ck;
        a->save(ck);
        CHECK(ck.get("model") == m.name);
        CHECK(ck.get("dim") == "2");
        save_checkpoint(dir / m.name, ck);
        auto b = m.make();
        b->load(load_checkpoint(dir / m.name));
        CHECK(max_abs_diff(a->encode(d.x), b->encode(d.x)) == 0);
        if (a->has_decoder())
            CHECK(max_abs_diff(a->decode(a->encode(d.x)), b->decode(b->encode(d.x))) == 0);
        else
            CHECK_THAT(error_of([&] { b->decode(Tensor(Shape{1, 2})); }).msg, Contains("no decoder"));

        const Method& other = METHODS[(i + 1) % METHODS.size()];  // its checkpoint loaded as another method
        const Thrown t = error_of([&] { other.make()->load(load_checkpoint(dir / m.name)); });
        CHECK(t.code == EXIT_BAD_INPUT);
        CHECK_THAT(t.msg, Contains(std::string(other.name) + ": checkpoint") &&
                              Contains(std::string("holds a '") + m.name + "' model"));
    }
}

TEST_CASE("bad input: --dim out of range, NaN, wrong width, use before fit", "[baselines][errors]") {
    Rng rng(13);
    const Dataset d = small_images(rng);
    for (const Method& m : METHODS) {
        INFO(m.name);
        auto r = m.make();
        CHECK(error_of([&] { r->encode(d.x); }).threw);  // not fitted
        for (int dim : {0, -1, 13}) {
            const Thrown t = error_of([&] { r->fit(d, dim, rng); });
            CHECK(t.code == EXIT_BAD_INPUT);
            CHECK_THAT(t.msg, Contains(std::string(m.name) + ": --dim " + std::to_string(dim)) && Contains("1 <= --dim <= "));
        }
        Dataset bad = d;
        bad.x.at(7, 3) = NAN;
        Thrown t = error_of([&] { r->fit(bad, 2, rng); });
        CHECK(t.code == EXIT_BAD_INPUT);
        CHECK_THAT(t.msg, Contains("NaN at row 7, column 3"));

        r->fit(d, 2, rng);
        t = error_of([&] { r->encode(bad.x); });
        CHECK(t.code == EXIT_BAD_INPUT);
        CHECK_THAT(t.msg, Contains("NaN"));
        t = error_of([&] { r->encode(Tensor(Shape{3, 11})); });
        CHECK(t.code == EXIT_BAD_INPUT);
        CHECK_THAT(t.msg, Contains("(3, 11)") && Contains("(N, 12)"));
    }
    Isomap iso;
    iso.k = 200;
    CHECK_THAT(error_of([&] { iso.fit(d, 2, rng); }).msg, Contains("--k 200") && Contains("1 <= --k <= 119"));
}
