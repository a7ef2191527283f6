// test_subspace.cpp — principal angles (models/subspace.h) on subspaces whose angles are known by
// construction: span{e1, e2} against span{e1, cos t e2 + sin t e3} (angles 0 and t, down to t = 1e-8, where
// acos alone would say 0), three planted angles either side of 45° (the sine and the cosine branch),
// subspaces of different dimensions, the same subspace in two bases that are not orthonormal (angles 0),
// orthogonal subspaces (90°), and bad input (widths, NaN, a rank-deficient basis).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "models/subspace.h"

using namespace tg;
using Catch::Matchers::Contains;

namespace {
// rows (n, D) from a list of rows
Tensor rows_of(const std::vector<std::vector<double>>& r) {
    Tensor t(Shape{(int)r.size(), (int)r[0].size()});
    for (size_t i = 0; i < r.size(); i++)
        for (size_t j = 0; j < r[i].size(); j++) t.at((int)i, (int)j) = (real)r[i][j];
    return t;
}
}  // namespace

TEST_CASE("principal angles: span{e1, e2} vs span{e1, cos t e2 + sin t e3} are 0 and t", "[subspace]") {
    for (double t : {1e-8, 1e-4, 0.3, 0.785, 1.0, 1.5, 1.5707963}) {
        INFO("t = " << t);
        const real c = (real)std::cos(t), s = (real)std::sin(t);
        const double exact = std::atan2((double)s, (double)c);  // t as the stored `real`s carry it
        Tensor A = rows_of({{1, 0, 0, 0, 0}, {0, 1, 0, 0, 0}});
        Tensor B = rows_of({{1, 0, 0, 0, 0}, {0, c, s, 0, 0}});
        std::vector<double> th = principal_angles(A, B);
        REQUIRE(th.size() == 2);
        CHECK(th[0] == Approx(0).margin(1e-12));
        CHECK(th[1] == Approx(exact).epsilon(1e-9).margin(1e-15));
        std::vector<double> back = principal_angles(B, A);  // symmetric
        CHECK(back[1] == Approx(th[1]).epsilon(1e-9).margin(1e-15));
    }
}

TEST_CASE("principal angles: three planted angles, either side of 45 degrees, in a rotated frame", "[subspace]") {
    const std::vector<double> t = {0.05, 0.7, 1.3};  // ascending, as returned
    const int D = 7;
    // an orthonormal frame f_0..f_6 of R^7 (Gram-Schmidt of a fixed full-rank matrix), so no angle sits on an axis
    std::vector<std::vector<double>> f(D, std::vector<double>(D));
    for (int i = 0; i < D; i++)
        for (int j = 0; j < D; j++) f[i][j] = (i == j ? 3.0 : 0.0) + std::sin(1.0 + 7 * i + 3 * j);
    for (int i = 0; i < D; i++) {
        for (int k = 0; k < i; k++) {
            double d = 0;
            for (int j = 0; j < D; j++) d += f[i][j] * f[k][j];
            for (int j = 0; j < D; j++) f[i][j] -= d * f[k][j];
        }
        double n = 0;
        for (int j = 0; j < D; j++) n += f[i][j] * f[i][j];
        for (int j = 0; j < D; j++) f[i][j] /= std::sqrt(n);
    }
    // A = span{f0, f1, f2}; B = span{cos t_i f_i + sin t_i f_(i+3)}, its rows scaled and mixed (not orthonormal)
    std::vector<std::vector<double>> a(3, std::vector<double>(D)), b(3, std::vector<double>(D));
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < D; j++) {
            a[i][j] = f[i][j] + 0.5 * f[(i + 1) % 3][j];
            b[i][j] = 2.0 * (std::cos(t[i]) * f[i][j] + std::sin(t[i]) * f[i + 3][j]);
        }
    for (int j = 0; j < D; j++) b[2][j] += b[0][j];
    std::vector<double> th = principal_angles(rows_of(a), rows_of(b));
    REQUIRE(th.size() == 3);
    const double tol = sizeof(real) == sizeof(double) ? 1e-10 : 2e-6;  // the entries are rounded to `real`
    for (int i = 0; i < 3; i++) CHECK(th[i] == Approx(t[i]).margin(tol));
}

TEST_CASE("principal angles: the same subspace in two bases is 0; orthogonal subspaces are 90 degrees", "[subspace]") {
    // B's rows are combinations of A's: rows 1.5 a0 - a2, a1 + 2 a2, -0.7 a0 + a1 + 0.3 a2
    Tensor A = rows_of({{1, 2, 0, -1, 3, 0.5}, {0, 1, 1, 2, -1, 0}, {2, 0, -1, 0, 1, 1}});
    const std::vector<std::vector<double>> mix = {{1.5, 0, -1}, {0, 1, 2}, {-0.7, 1, 0.3}};
    Tensor B(Shape{3, 6});
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 6; j++)
            for (int k = 0; k < 3; k++) B.at(i, j) += (real)mix[i][k] * A.at(k, j);
    const double tol = sizeof(real) == sizeof(double) ? 1e-12 : 1e-5;
    for (double th : principal_angles(A, B)) CHECK(th == Approx(0).margin(tol));
    // a subspace inside a larger one: every angle 0
    std::vector<double> in = principal_angles(A.first_slice(0, 2), B);
    REQUIRE(in.size() == 2);
    for (double th : in) CHECK(th == Approx(0).margin(tol));

    std::vector<double> orth = principal_angles(rows_of({{1, 0, 0, 0}, {0, 1, 0, 0}}), rows_of({{0, 0, 1, 1}, {0, 0, 1, -2}}));
    REQUIRE(orth.size() == 2);
    for (double th : orth) CHECK(th == Approx(M_PI / 2).epsilon(1e-12));
    // a line against a plane at 45 degrees: e1 against span{e1 + e2, e3}
    std::vector<double> line = principal_angles(rows_of({{1, 0, 0}}), rows_of({{1, 1, 0}, {0, 0, 1}}));
    REQUIRE(line.size() == 1);
    CHECK(degrees(line[0]) == Approx(45).epsilon(1e-6));
}

TEST_CASE("principal angles: bad bases are refused by name", "[subspace][errors]") {
    Tensor A = rows_of({{1, 0, 0}, {0, 1, 0}});
    CHECK_THROWS_WITH(principal_angles(A, rows_of({{1, 0, 0, 0}})), Contains("same width"));
    Tensor nan = A;
    nan.at(1, 2) = NAN;
    CHECK_THROWS_WITH(principal_angles(A, nan), Contains("NaN"));
    CHECK_THROWS_WITH(principal_angles(A, rows_of({{1, 2, 3}, {2, 4, 6}})), Contains("rank-deficient"));
    CHECK_THROWS_WITH(principal_angles(rows_of({{1, 0}, {0, 1}, {1, 1}}), rows_of({{1, 0}})), Contains("more basis rows"));
}
