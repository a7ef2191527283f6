// test_ops.cpp — the gradient-check table: every op in autograd/ops.h, several shapes, broadcasting.
// Each row: a name, input shapes, the range inputs are drawn from (away from kinks and singularities),
// and the function. gradcheck (autograd/gradcheck.h) compares every entry of every input's gradient
// with central differences on L = Σ R ⊙ f(x). Tight in the double build; loose in float (docs/gradcheck.md).
#include <catch2/catch.hpp>

#include "autograd/gradcheck.h"
#include "autograd/ops.h"

using namespace tg;

namespace {
struct OpCase {
    const char* name;
    std::vector<Shape> shapes;
    double lo, hi;  // inputs drawn uniformly from [lo, hi]
    std::function<Var(Tape&, const std::vector<Var>&)> f;
    std::vector<double> kinks = {};  // inputs are kept at least 0.05 from these (float's ε is 0.01)
};
using V = const std::vector<Var>&;

const std::vector<int> kLabels = {2, 0, 3, 1, 3};

std::vector<OpCase> op_table() {
    return {
        // ---- elementwise, two inputs: same shape, row broadcast (bias), column broadcast, scalar, outer
        {"add", {{3, 4}, {3, 4}}, -2, 2, [](Tape&, V x) { return add(x[0], x[1]); }},
        {"add row-broadcast", {{3, 4}, {4}}, -2, 2, [](Tape&, V x) { return add(x[0], x[1]); }},
        {"add col-broadcast", {{3, 4}, {3, 1}}, -2, 2, [](Tape&, V x) { return add(x[0], x[1]); }},
        {"add scalar-tensor", {{3, 4}, {}}, -2, 2, [](Tape&, V x) { return add(x[0], x[1]); }},
        {"add outer (3,1)+(1,4)", {{3, 1}, {1, 4}}, -2, 2, [](Tape&, V x) { return add(x[0], x[1]); }},
        {"sub", {{2, 5}, {2, 5}}, -2, 2, [](Tape&, V x) { return sub(x[0], x[1]); }},
        {"sub broadcast-left", {{1, 5}, {3, 5}}, -2, 2, [](Tape&, V x) { return sub(x[0], x[1]); }},
        {"mul", {{3, 4}, {3, 4}}, -2, 2, [](Tape&, V x) { return mul(x[0], x[1]); }},
        {"mul row-broadcast", {{3, 4}, {1, 4}}, -2, 2, [](Tape&, V x) { return mul(x[0], x[1]); }},
        {"mul 3-d by last dim", {{2, 3, 4}, {4}}, -2, 2, [](Tape&, V x) { return mul(x[0], x[1]); }},
        {"div", {{3, 4}, {3, 4}}, 0.5, 2, [](Tape&, V x) { return div(x[0], x[1]); }},
        {"div col-broadcast", {{3, 4}, {3, 1}}, 0.5, 2, [](Tape&, V x) { return div(x[0], x[1]); }},
        {"add_scalar", {{3, 4}}, -2, 2, [](Tape&, V x) { return add(x[0], 1.5); }},
        {"mul_scalar", {{3, 4}}, -2, 2, [](Tape&, V x) { return mul(x[0], -0.7); }},
        {"operators", {{2, 3}, {2, 3}}, 0.5, 2, [](Tape&, V x) { return (x[0] - x[1]) / (x[1] + 1.0) * 3.0 - x[0]; }},
        // ---- elementwise, one input
        {"neg", {{3, 4}}, -2, 2, [](Tape&, V x) { return neg(x[0]); }},
        {"exp", {{3, 4}}, -2, 2, [](Tape&, V x) { return exp(x[0]); }},
        {"log", {{3, 4}}, 0.5, 3, [](Tape&, V x) { return log(x[0]); }},
        {"sqrt", {{3, 4}}, 0.5, 3, [](Tape&, V x) { return sqrt(x[0]); }},
        {"pow 3", {{3, 4}}, -2, 2, [](Tape&, V x) { return pow(x[0], 3); }},
        {"pow -1.5", {{3, 4}}, 0.5, 2, [](Tape&, V x) { return pow(x[0], -1.5); }},
        {"abs", {{3, 4}}, -2, 2, [](Tape&, V x) { return abs(x[0]); }, {0}},
        {"relu", {{4, 5}}, -2, 2, [](Tape&, V x) { return relu(x[0]); }, {0}},
        {"leaky_relu", {{4, 5}}, -2, 2, [](Tape&, V x) { return leaky_relu(x[0], 0.2); }, {0}},
        {"sigmoid", {{3, 4}}, -4, 4, [](Tape&, V x) { return sigmoid(x[0]); }},
        {"tanh", {{3, 4}}, -3, 3, [](Tape&, V x) { return tanh(x[0]); }},
        {"softplus", {{3, 4}}, -5, 5, [](Tape&, V x) { return softplus(x[0]); }},
        {"clamp", {{4, 5}}, -3, 3, [](Tape&, V x) { return clamp(x[0], -1.5, 1.0); }, {-1.5, 1.0}},
        // ---- reductions
        {"sum", {{3, 4}}, -2, 2, [](Tape&, V x) { return sum(x[0]); }},
        {"mean", {{3, 4}}, -2, 2, [](Tape&, V x) { return mean(x[0]); }},
        {"sum axis 0", {{3, 4}}, -2, 2, [](Tape&, V x) { return sum(x[0], 0); }},
        {"sum axis 1", {{3, 4}}, -2, 2, [](Tape&, V x) { return sum(x[0], 1); }},
        {"mean axis 0", {{3, 4}}, -2, 2, [](Tape&, V x) { return mean(x[0], 0); }},
        {"mean axis 1", {{3, 4}}, -2, 2, [](Tape&, V x) { return mean(x[0], 1); }},
        {"max axis 0", {{4, 3}}, -2, 2, [](Tape&, V x) { return max(x[0], 0); }},
        {"max axis 1", {{4, 3}}, -2, 2, [](Tape&, V x) { return max(x[0], 1); }},
        {"x - max(x, 1)", {{3, 5}}, -2, 2, [](Tape&, V x) { return x[0] - max(x[0], 1); }},
        // ---- shape
        {"reshape", {{3, 4}}, -2, 2, [](Tape&, V x) { return reshape(x[0], Shape{2, 6}); }},
        {"reshape 4-d", {{2, 3, 2, 2}}, -2, 2, [](Tape&, V x) { return reshape(x[0], Shape{6, 4}); }},
        {"transpose", {{3, 5}}, -2, 2, [](Tape&, V x) { return transpose(x[0]); }},
        {"slice_cols", {{3, 6}}, -2, 2, [](Tape&, V x) { return slice_cols(x[0], 1, 4); }},
        {"slice_cols split", {{3, 6}}, -2, 2, [](Tape&, V x) { return mul(slice_cols(x[0], 0, 3), slice_cols(x[0], 3, 6)); }},
        {"concat axis 0", {{2, 3}, {4, 3}}, -2, 2, [](Tape&, V x) { return concat(x[0], x[1], 0); }},
        {"concat axis 1", {{3, 2}, {3, 4}}, -2, 2, [](Tape&, V x) { return concat(x[0], x[1], 1); }},
        // ---- matrix products, all four transpose combinations, odd sizes
        {"matmul", {{3, 5}, {5, 4}}, -1, 1, [](Tape&, V x) { return matmul(x[0], x[1]); }},
        {"matmul A^T", {{5, 3}, {5, 4}}, -1, 1, [](Tape&, V x) { return matmul(x[0], x[1], true, false); }},
        {"matmul B^T", {{3, 5}, {4, 5}}, -1, 1, [](Tape&, V x) { return matmul(x[0], x[1], false, true); }},
        {"matmul A^T B^T", {{5, 3}, {4, 5}}, -1, 1, [](Tape&, V x) { return matmul(x[0], x[1], true, true); }},
        {"linear", {{4, 5}, {3, 5}, {3}}, -1, 1, [](Tape&, V x) { return linear(x[0], x[1], x[2]); }},
        {"linear no bias", {{4, 5}, {3, 5}}, -1, 1, [](Tape&, V x) { return linear(x[0], x[1], Var()); }},
        // ---- neural-net ops
        {"dropout", {{4, 6}}, -2, 2, [](Tape&, V x) { Rng r(7); return dropout(x[0], 0.3, r); }},
        {"log_softmax", {{3, 5}}, -3, 3, [](Tape&, V x) { return log_softmax(x[0]); }},
        {"softmax", {{3, 5}}, -3, 3, [](Tape&, V x) { return softmax(x[0]); }},
        // ---- losses, each reduction
        {"mse mean", {{3, 4}, {3, 4}}, -2, 2, [](Tape&, V x) { return mse(x[0], x[1]); }},
        {"mse sum", {{3, 4}, {3, 4}}, -2, 2, [](Tape&, V x) { return mse(x[0], x[1], Reduce::Sum); }},
        {"bce_with_logits mean", {{3, 4}, {3, 4}}, -4, 4, [](Tape&, V x) { return bce_with_logits(x[0], sigmoid(x[1])); }},
        {"bce_with_logits batchmean", {{3, 4}, {3, 4}}, -4, 4, [](Tape&, V x) { return bce_with_logits(x[0], sigmoid(x[1]), Reduce::BatchMean); }},
        {"cross_entropy mean", {{5, 4}}, -3, 3, [](Tape&, V x) { return cross_entropy(x[0], kLabels); }},
        {"cross_entropy sum", {{5, 4}}, -3, 3, [](Tape&, V x) { return cross_entropy(x[0], kLabels, Reduce::Sum); }},
        // ---- fan-out: a value used twice gets both contributions
        {"x * x", {{3, 3}}, -2, 2, [](Tape&, V x) { return mul(x[0], x[0]); }},
        {"diamond", {{2, 3}}, -1, 1, [](Tape&, V x) { Var h = tanh(x[0]); return exp(h) + h * x[0]; }},
    };
}

std::vector<Tensor> draw_inputs(const OpCase& c, uint64_t seed) {
    Rng rng(seed);
    std::vector<Tensor> xs;
    for (const Shape& s : c.shapes) {
        Tensor x = Tensor::uniform(s, (real)c.lo, (real)c.hi, rng);
        for (real& v : x.data)
            for (double k : c.kinks)
                if (std::fabs(v - k) < 0.05) v = (real)(v < k ? k - 0.05 : k + 0.05);
        xs.push_back(x);
    }
    return xs;
}
}  // namespace

TEST_CASE("gradcheck: every op's backward matches central differences", "[ops][gradcheck]") {
    for (const OpCase& c : op_table()) {
        for (uint64_t seed : {1, 2}) {
            GradcheckResult r = gradcheck(c.name, c.f, draw_inputs(c, seed));
            INFO(c.name << " (seed " << seed << ")\n" << r.report());
            CHECK(r.ok);
        }
    }
}

TEST_CASE("gradcheck: linear is add(matmul(x, W^T), b) in value and gradient", "[ops]") {
    Rng rng(3);
    Tensor X = Tensor::uniform(Shape{4, 5}, -1, 1, rng), W = Tensor::uniform(Shape{3, 5}, -1, 1, rng), b = Tensor::uniform(Shape{3}, -1, 1, rng);
    Tensor R = Tensor::uniform(Shape{4, 3}, -1, 1, rng);
    std::vector<Tensor> values, grads;
    for (bool fused : {true, false}) {
        Tape t;
        Var x = t.input(X, true), w = t.input(W, true), bb = t.input(b, true);
        Var y = fused ? linear(x, w, bb) : add(matmul(x, w, false, true), bb);
        t.backward(sum(y * t.input(R)));
        values.push_back(y.value());
        for (Var v : {x, w, bb}) grads.push_back(v.grad());
    }
    for (size_t i = 0; i < values[0].size(); i++) CHECK(values[0][i] == Approx(values[1][i]).epsilon(1e-5));
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < grads[k].size(); i++) CHECK(grads[k][i] == Approx(grads[k + 3][i]).epsilon(1e-5));
}

TEST_CASE("gradcheck catches a wrong backward (scaled by 1.01 or with a flipped sign)", "[gradcheck]") {
    // A deliberately wrong op built from right ones: y = x*x, but the gradient flowing back is scaled.
    // mul_scalar(detach-free) trick: f(x) = x*x + (s - 1) * (x*x - detach(x*x)) has the value of x*x and
    // the gradient s * d(x*x)/dx.
    for (double s : {1.01, -1.0}) {
        auto f = [s](Tape&, V x) { Var y = x[0] * x[0]; return y + (y - detach(y)) * (real)(s - 1); };
        Rng rng(5);
        GradcheckResult r = gradcheck("scaled x*x", f, {Tensor::uniform(Shape{3, 3}, 0.5, 2, rng)});
        INFO(r.report());
        if (sizeof(real) == sizeof(double) || s < 0) CHECK_FALSE(r.ok);  // 1% is below float's tolerance
    }
    // and an all-zero gradient is a failure, not a pass
    GradcheckResult z = gradcheck("relu of negatives", [](Tape&, V x) { return relu(x[0]); }, {Tensor::full(Shape{2, 2}, -1)});
    CHECK_FALSE(z.ok);
    CHECK(z.tensors[0].all_zero);
}

TEST_CASE("near a kink the one-sided difference decides, and a wrong backward still fails", "[gradcheck]") {
    // 0.003 and -0.002 are within float's ε = 0.01 of relu's kink: the central difference is a blend
    Tensor x(Shape{4}, {0.003, -0.002, 1, -1});
    GradcheckResult ok = gradcheck("relu near 0", [](Tape&, V in) { return relu(in[0]); }, {x});
    INFO(ok.report());
    CHECK(ok.ok);
    if (sizeof(real) == sizeof(float)) CHECK(ok.tensors[0].at_kinks == 2);
    auto flipped = [](Tape&, V in) { Var y = relu(in[0]); return y - (y - detach(y)) * 2.0; };  // backward × -1
    GradcheckResult bad = gradcheck("relu near 0, sign flipped", flipped, {x});
    INFO(bad.report());
    CHECK_FALSE(bad.ok);
}

TEST_CASE("gradcheck checks Params and reports them by name", "[gradcheck]") {
    Rng rng(9);
    Param W("fc.weight", Tensor::uniform(Shape{3, 4}, -1, 1, rng)), b("fc.bias", Tensor::uniform(Shape{3}, -1, 1, rng));
    Tensor X = Tensor::uniform(Shape{5, 4}, -1, 1, rng);
    auto f = [&](Tape& t, V x) { return tanh(linear(x[0], t.param(W), t.param(b))); };
    GradcheckResult r = gradcheck("linear+tanh", f, {X}, {&W, &b});
    INFO(r.report());
    CHECK(r.ok);
    REQUIRE(r.tensors.size() == 3);
    CHECK(r.tensors[1].name == "fc.weight");
    CHECK(r.tensors[1].checked == 12);
    GradcheckOptions sampled;
    sampled.max_per_tensor = 4;
    GradcheckResult rs = gradcheck("linear+tanh sampled", f, {X}, {&W, &b}, sampled);
    CHECK(rs.ok);
    CHECK(rs.tensors[1].checked == 4);
}

TEST_CASE("forward values of ops against hand-computed numbers", "[ops]") {
    Tape t;
    Var x = t.input(Tensor(Shape{2, 3}, {1, -2, 3, 0, 5, -1}));
    CHECK(sum(x).item() == Approx(6));
    CHECK(mean(x).item() == Approx(1));
    Var m1 = max(x, 1);
    CHECK(m1.shape() == Shape{2, 1});
    CHECK(m1.value()[0] == 3);
    CHECK(m1.value()[1] == 5);
    Var s0 = sum(x, 0);
    CHECK(s0.shape() == Shape{1, 3});
    CHECK(s0.value()[1] == 3);
    CHECK(relu(x).value()[1] == 0);
    CHECK(leaky_relu(x, 0.1).value()[1] == Approx(-0.2));
    CHECK(transpose(x).value().at(2, 0) == 3);
    CHECK(slice_cols(x, 1, 3).value().at(1, 1) == -1);
    Var ls = log_softmax(x);  // each row of softmax sums to 1
    for (int i = 0; i < 2; i++) {
        double s = 0;
        for (int j = 0; j < 3; j++) s += std::exp(ls.value().at(i, j));
        CHECK(s == Approx(1).epsilon(1e-6));
    }
    // bce_with_logits is stable where the naive form is not: z = ±100 gives finite losses
    Var z = t.input(Tensor(Shape{2}, {100, -100})), tt = t.input(Tensor(Shape{2}, {0, 1}));
    CHECK(bce_with_logits(z, tt, Reduce::Sum).item() == Approx(200).epsilon(1e-6));
    // cross entropy of uniform logits is ln(C)
    Var u = t.input(Tensor::zeros(Shape{2, 4}));
    CHECK(cross_entropy(u, {0, 3}).item() == Approx(std::log(4.0)));
    CHECK(mse(x, t.input(Tensor::zeros(Shape{2, 3}))).item() == Approx((1 + 4 + 9 + 0 + 25 + 1) / 6.0));
}

TEST_CASE("detach passes the value and stops the gradient", "[ops]") {
    Tape t;
    Var x = t.input(Tensor(Shape{2}, {3, -1}), true);
    Var d = detach(x);
    CHECK(d.value()[0] == 3);
    t.backward(sum(x * d));  // d(x * c)/dx = c: only the non-detached path contributes
    CHECK(x.grad()[0] == Approx(3));
    CHECK(x.grad()[1] == Approx(-1));
}

TEST_CASE("dropout: scaled mask in training, identity in evaluation", "[ops]") {
    Tape t;
    Rng rng(11);
    Var x = t.input(Tensor::ones(Shape{100, 100}));
    Var y = dropout(x, 0.25, rng);
    int zeros = 0;
    for (real v : y.value().data) {
        CHECK((v == 0 || v == Approx(1 / 0.75)));
        zeros += v == 0;
    }
    CHECK(zeros > 2200);  // about 2500 of 10000
    CHECK(zeros < 2800);
    CHECK(dropout(x, 0.25, rng, false).id == x.id);
    CHECK_THROWS_WITH(dropout(x, 1.0, rng), Catch::Contains("p must be in [0, 1)"));
}

TEST_CASE("shape errors name the op and both shapes", "[ops][errors]") {
    Tape t;
    Var a = t.input(Tensor(Shape{128, 784})), b = t.input(Tensor(Shape{400, 20}));
    CHECK_THROWS_WITH(matmul(a, b), Catch::Contains("matmul: (128, 784) vs (400, 20): inner dims differ"));
    CHECK_THROWS_WITH(add(a, b), Catch::Contains("add: (128, 784) vs (400, 20): cannot broadcast"));
    CHECK_THROWS_WITH(linear(a, b, Var()), Catch::Contains("linear: (128, 784) vs (400, 20)"));
    CHECK_THROWS_WITH(concat(a, b, 1), Catch::Contains("concat"));
    CHECK_THROWS_WITH(reshape(a, Shape{3, 3}), Catch::Contains("reshape: (128, 784) vs (3, 3): sizes differ"));
    CHECK_THROWS_WITH(slice_cols(a, 5, 900), Catch::Contains("slice_cols"));
    CHECK_THROWS_WITH(cross_entropy(t.input(Tensor(Shape{2, 3})), {0, 3}), Catch::Contains("label 3"));
    CHECK_THROWS_WITH(sum(t.input(Tensor(Shape{2, 3, 4})), 1), Catch::Contains("2-D"));
}
