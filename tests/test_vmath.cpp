// test_vmath.cpp — the vectorizable exp, log1p, sigmoid, tanh and softplus of autograd/fast/vmath.h against
// the C library, over their whole range: relative error in float ulps (the double build uses std::
// itself, so there the error is 0), the edges (underflow to 0, overflow to inf, NaN passes through),
// and that the ops built on them keep their exact identities (σ(x) + σ(-x) = 1, tanh odd).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "autograd/fast/vmath.h"

using namespace tg;

namespace {

const double kUlp = std::numeric_limits<real>::epsilon() / 2;  // float: 6e-8

// the largest relative error of f against g on [lo, hi] in `steps` points, where |g| >= tiny
template <class F, class G>
double worst(F f, G g, double lo, double hi, int steps, double tiny = 1e-30) {
    double w = 0;
    for (int i = 0; i <= steps; i++) {
        real x = (real)(lo + (hi - lo) * i / steps);
        double want = g((double)x), got = f(x);
        if (std::fabs(want) < tiny) continue;
        w = std::max(w, std::fabs(got - want) / std::fabs(want));
    }
    return w;
}

}  // namespace

TEST_CASE("vmath: each function within a few float ulps of the C library over its range", "[vmath]") {
    struct Row { const char* name; double lo, hi, max_ulps; double err; };
    std::vector<Row> rows = {
        {"exp", -87.3, 88.7, 3, worst([](real x) { return vexp(x); }, [](double x) { return std::exp(x); }, -87.3, 88.7, 400000, 1.2e-38)},
        {"log1p on [0, 1]", 0, 1, 5, worst([](real u) { return vlog1p(u); }, [](double u) { return std::log1p(u); }, 0, 1, 400000)},
        {"sigmoid", -80, 80, 4, worst([](real x) { return vsigmoid(x); }, [](double x) { return 1 / (1 + std::exp(-x)); }, -80, 80, 400000, 1e-30)},
        {"tanh", -10, 10, 6, worst([](real x) { return vtanh(x); }, [](double x) { return std::tanh(x); }, -10, 10, 400000)},
        {"tanh near 0", -0.3, 0.3, 6, worst([](real x) { return vtanh(x); }, [](double x) { return std::tanh(x); }, -0.3, 0.3, 400000)},
        {"softplus", -80, 80, 6, worst([](real x) { return vsoftplus(x); }, [](double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }, -80, 80, 400000)},
    };
    for (const Row& r : rows) {
        INFO(r.name << " on [" << r.lo << ", " << r.hi << "]: worst relative error " << r.err << " = " << r.err / kUlp << " ulp");
        CHECK(r.err <= r.max_ulps * kUlp);
    }
}

TEST_CASE("vmath: edges — underflow, overflow, NaN, exact points and symmetries", "[vmath]") {
    CHECK(vexp(0) == 1);
    CHECK(vexp(-1000) == 0);
    CHECK(vexp(-std::numeric_limits<real>::infinity()) == 0);
    CHECK(std::isinf(vexp(1000)));
    CHECK(std::isnan(vexp(std::numeric_limits<real>::quiet_NaN())));
    CHECK(vlog1p(0) == 0);
    CHECK(vsigmoid(0) == real(0.5));
    CHECK(vsigmoid(-1000) == 0);
    CHECK(vsigmoid(1000) == 1);
    CHECK(vtanh(0) == 0);
    CHECK(vtanh(50) == 1);
    CHECK(vtanh(-50) == -1);
    CHECK(vsoftplus(-1000) == 0);
    CHECK(vsoftplus(1000) == 1000);
    for (real x : {real(0.01), real(0.1), real(0.124), real(0.126), real(1), real(3), real(17)}) {
        INFO("x = " << x);
        CHECK(vtanh(-x) == -vtanh(x));
        CHECK(std::fabs(vsigmoid(x) + vsigmoid(-x) - 1) <= 2 * kUlp);
    }
}
