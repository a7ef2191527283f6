// test_conv.cpp — the convolution ops (autograd/ops_conv.h) and layers (nn/conv.h): forward values against
// naive direct loops written here, the adjoint identity between conv2d and conv_transpose2d, pooling ties,
// and a gradient-check table (every input and parameter, central differences; tight in the double build)
// over strides, paddings 0/1/2, kernels 1, 3 and 5, odd sizes, output_padding and batch 1.
#include <catch2/catch.hpp>

#include <cmath>

#include "autograd/gradcheck.h"
#include "autograd/ops_conv.h"
#include "nn/conv.h"

using namespace tg;

namespace {
using V = const std::vector<Var>&;

// y[n,o,i,j] = b[o] + Σ_c,a,e w[o,c,a,e] x[n,c,i·s-p+a, j·s-p+e]: the definition, as four nested loops
Tensor naive_conv2d(const Tensor& x, const Tensor& w, const Tensor* b, int s, int p) {
    int N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3), O = w.dim(0), k = w.dim(2);
    int Ho = (H + 2 * p - k) / s + 1, Wo = (W + 2 * p - k) / s + 1;
    Tensor y(Shape{N, O, Ho, Wo});
    for (int n = 0; n < N; n++)
        for (int o = 0; o < O; o++)
            for (int i = 0; i < Ho; i++)
                for (int j = 0; j < Wo; j++) {
                    double acc = b ? (*b)[o] : 0;
                    for (int c = 0; c < C; c++)
                        for (int a = 0; a < k; a++)
                            for (int e = 0; e < k; e++) {
                                int r = i * s - p + a, q = j * s - p + e;
                                if (r >= 0 && r < H && q >= 0 && q < W)
                                    acc += (double)w[((size_t)(o * C + c) * k + a) * k + e] * x[((size_t)(n * C + c) * H + r) * W + q];
                            }
                    y[((size_t)(n * O + o) * Ho + i) * Wo + j] = (real)acc;
                }
    return y;
}

// the transposed convolution as PyTorch describes it: each input pixel scatters w[c,o] times itself
Tensor naive_conv_transpose2d(const Tensor& x, const Tensor& w, const Tensor* b, int s, int p, int op) {
    int N = x.dim(0), C = x.dim(1), H = x.dim(2), W = x.dim(3), O = w.dim(1), k = w.dim(2);
    int Ho = (H - 1) * s - 2 * p + k + op, Wo = (W - 1) * s - 2 * p + k + op;
    std::vector<double> acc((size_t)N * O * Ho * Wo, 0.0);
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++)
            for (int i = 0; i < H; i++)
                for (int j = 0; j < W; j++)
                    for (int o = 0; o < O; o++)
                        for (int a = 0; a < k; a++)
                            for (int e = 0; e < k; e++) {
                                int r = i * s - p + a, q = j * s - p + e;
                                if (r >= 0 && r < Ho && q >= 0 && q < Wo)
                                    acc[((size_t)(n * O + o) * Ho + r) * Wo + q] +=
                                        (double)x[((size_t)(n * C + c) * H + i) * W + j] * w[((size_t)(c * O + o) * k + a) * k + e];
                            }
    Tensor y(Shape{N, O, Ho, Wo});
    for (size_t t = 0; t < y.size(); t++) y[t] = (real)(acc[t] + (b ? (*b)[(t / ((size_t)Ho * Wo)) % O] : 0.0));
    return y;
}

struct ConvCase {
    const char* name;
    Shape x, w;
    int s, p, op;
    bool bias;
};

const ConvCase kConvCases[] = {
    {"3x3 s1 p1", {2, 2, 5, 5}, {3, 2, 3, 3}, 1, 1, 0, true},
    {"3x3 s2 p0, 7x7 -> 3x3", {2, 2, 7, 7}, {3, 2, 3, 3}, 2, 0, 0, true},
    {"3x3 s2 p1, 7x7 -> 4x4", {2, 2, 7, 7}, {2, 2, 3, 3}, 2, 1, 0, true},
    {"5x5 s1 p2", {1, 2, 6, 5}, {2, 2, 5, 5}, 1, 2, 0, true},
    {"1x1 s1 p0", {2, 3, 4, 4}, {2, 3, 1, 1}, 1, 0, 0, true},
    {"3x3 s2 p0, 8x8: the last row unread", {1, 1, 8, 8}, {2, 1, 3, 3}, 2, 0, 0, false},
    {"4x4 s2 p1 (DCGAN's shape)", {2, 2, 6, 6}, {3, 2, 4, 4}, 2, 1, 0, true},
};
}  // namespace

// ----------------------------------------------------------------------------------------------
// forward values

TEST_CASE("conv2d equals the direct convolution loop", "[conv]") {
    Rng rng(11);
    for (const ConvCase& c : kConvCases) {
        Tensor X = Tensor::uniform(c.x, -1, 1, rng), W = Tensor::uniform(c.w, -1, 1, rng), b = Tensor::uniform(Shape{c.w[0]}, -1, 1, rng);
        Tape t;
        Var y = conv2d(t.input(X), t.input(W), c.bias ? t.input(b) : Var(), c.s, c.p);
        Tensor ref = naive_conv2d(X, W, c.bias ? &b : nullptr, c.s, c.p);
        INFO(c.name);
        REQUIRE(y.shape() == ref.shape);
        for (size_t i = 0; i < ref.size(); i++) CHECK(y.value()[i] == Approx(ref[i]).margin(1e-5));
    }
    // the output-size formula on the CNN classifier's shapes: 28x28 p1 -> 28x28; 28 s2 p1 k3 -> 14
    Tape t;
    CHECK(conv2d(t.input(Tensor(Shape{1, 1, 28, 28})), t.input(Tensor(Shape{4, 1, 3, 3})), Var(), 1, 1).shape() == Shape{1, 4, 28, 28});
    CHECK(conv2d(t.input(Tensor(Shape{1, 1, 28, 28})), t.input(Tensor(Shape{4, 1, 3, 3})), Var(), 2, 1).shape() == Shape{1, 4, 14, 14});
}

TEST_CASE("conv_transpose2d equals the scatter loop and is conv2d's adjoint", "[conv]") {
    struct TCase { const char* name; Shape x, w; int s, p, op; };
    const TCase cases[] = {
        {"3x3 s2 p1 op1, 4x4 -> 8x8", {2, 3, 4, 4}, {3, 2, 3, 3}, 2, 1, 1},
        {"4x4 s2 p1, 7x7 -> 14x14", {1, 2, 7, 7}, {2, 3, 4, 4}, 2, 1, 0},
        {"5x5 s1 p2", {2, 2, 5, 4}, {2, 2, 5, 5}, 1, 2, 0},
        {"1x1 s1 p0", {1, 3, 3, 3}, {3, 2, 1, 1}, 1, 0, 0},
        {"3x3 s2 p0 op1", {1, 1, 3, 3}, {1, 2, 3, 3}, 2, 0, 1},
    };
    Rng rng(12);
    for (const TCase& c : cases) {
        INFO(c.name);
        Tensor X = Tensor::uniform(c.x, -1, 1, rng), W = Tensor::uniform(c.w, -1, 1, rng), b = Tensor::uniform(Shape{c.w[1]}, -1, 1, rng);
        Tape t;
        Var y = conv_transpose2d(t.input(X), t.input(W), t.input(b), c.s, c.p, c.op);
        Tensor ref = naive_conv_transpose2d(X, W, &b, c.s, c.p, c.op);
        REQUIRE(y.shape() == ref.shape);
        for (size_t i = 0; i < ref.size(); i++) CHECK(y.value()[i] == Approx(ref[i]).margin(1e-5));
        // <conv2d(z, w), x> = <z, conv_transpose2d(x, w)> for z of the transposed output's shape
        Tensor Z = Tensor::uniform(ref.shape, -1, 1, rng);
        Var cz = conv2d(t.input(Z), t.input(W), Var(), c.s, c.p);
        Var tx = conv_transpose2d(t.input(X), t.input(W), Var(), c.s, c.p, c.op);
        REQUIRE(cz.shape() == X.shape);
        double lhs = 0, rhs = 0;
        for (size_t i = 0; i < X.size(); i++) lhs += (double)cz.value()[i] * X[i];
        for (size_t i = 0; i < Z.size(); i++) rhs += (double)Z[i] * tx.value()[i];
        CHECK(lhs == Approx(rhs).epsilon(1e-4));
    }
}

TEST_CASE("pooling and upsampling forward values", "[conv]") {
    Tape t;
    // one 4x5 plane 0..19: 2x2 windows, stride 2 -> 2x2 (the last column does not fit)
    Tensor X(Shape{1, 1, 4, 5});
    for (size_t i = 0; i < X.size(); i++) X[i] = (real)i;
    Var x = t.input(X);
    Var m = max_pool2d(x, 2);
    REQUIRE(m.shape() == Shape{1, 1, 2, 2});
    CHECK(m.value().data == std::vector<real>{6, 8, 16, 18});
    Var a = avg_pool2d(x, 2);
    CHECK(a.value().data == std::vector<real>{3, 5, 13, 15});
    Var m3 = max_pool2d(x, 3, 1);  // overlapping windows
    REQUIRE(m3.shape() == Shape{1, 1, 2, 3});
    CHECK(m3.value().data == std::vector<real>{12, 13, 14, 17, 18, 19});
    Var u = upsample2d(t.input(Tensor(Shape{1, 1, 1, 2}, {1, 2})), 2);
    REQUIRE(u.shape() == Shape{1, 1, 2, 4});
    CHECK(u.value().data == std::vector<real>{1, 1, 2, 2, 1, 1, 2, 2});
    Var f = flatten(t.input(Tensor(Shape{2, 3, 2, 2})));
    CHECK(f.shape() == Shape{2, 12});
    CHECK(unflatten(f, 3, 2, 2).shape() == Shape{2, 3, 2, 2});
    // channels_last: (N, C, H, W) -> (N·H·W, C)
    Tensor Y(Shape{2, 2, 1, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    Var r = channels_last(t.input(Y));
    REQUIRE(r.shape() == Shape{4, 2});
    CHECK(r.value().data == std::vector<real>{1, 3, 2, 4, 5, 7, 6, 8});
    CHECK(channels_first(r, 2, 1, 2).value().data == Y.data);
}

TEST_CASE("max_pool2d ties: the first maximum gets the whole gradient", "[conv]") {
    Tape t;
    // two 2x2 windows: all four equal; and two equal maxima at positions 1 and 2 of the window
    Tensor X(Shape{1, 1, 2, 4}, {1, 1, 0, 5, 1, 1, 5, 2});
    Var x = t.input(X, true);
    Var y = max_pool2d(x, 2);
    CHECK(y.value().data == std::vector<real>{1, 5});
    t.backward(sum(y * t.input(Tensor(Shape{1, 1, 1, 2}, {2, 3}))));
    CHECK(x.grad().data == std::vector<real>{2, 0, 0, 3, 0, 0, 0, 0});
}

TEST_CASE("convolution ops refuse bad shapes with messages that name the fix", "[conv]") {
    Tape t;
    Var x = t.input(Tensor(Shape{2, 3, 5, 5})), w = t.input(Tensor(Shape{4, 2, 3, 3}));
    CHECK_THROWS_WITH(conv2d(x, w, Var()), Catch::Contains("channels"));
    CHECK_THROWS_WITH(conv2d(t.input(Tensor(Shape{2, 75})), w, Var()), Catch::Contains("unflatten"));
    CHECK_THROWS_WITH(conv2d(x, t.input(Tensor(Shape{4, 3, 7, 7})), Var()), Catch::Contains("larger than the padded image"));
    CHECK_THROWS_WITH(conv2d(x, t.input(Tensor(Shape{4, 3, 3, 3})), t.input(Tensor(Shape{3}))), Catch::Contains("bias"));
    CHECK_THROWS_WITH(conv_transpose2d(x, t.input(Tensor(Shape{3, 2, 3, 3})), Var(), 2, 1, 2), Catch::Contains("output_padding < stride"));
    CHECK_THROWS_WITH(max_pool2d(x, 6), Catch::Contains("k <="));
    CHECK_THROWS_WITH(unflatten(t.input(Tensor(Shape{2, 10})), 3, 2, 2), Catch::Contains("(N, 12)"));
}

// ----------------------------------------------------------------------------------------------
// gradient checks

TEST_CASE("gradcheck: conv ops (every input, every entry)", "[conv][gradcheck]") {
    struct Row { std::string name; std::vector<Shape> shapes; GradcheckFn f; };
    std::vector<Row> rows;
    for (const ConvCase& c : kConvCases) {
        std::vector<Shape> sh = {c.x, c.w};
        if (c.bias) sh.push_back(Shape{c.w[0]});
        int s = c.s, p = c.p;
        rows.push_back({std::string("conv2d ") + c.name, sh, [s, p](Tape&, V x) { return conv2d(x[0], x[1], x.size() > 2 ? x[2] : Var(), s, p); }});
    }
    auto ct = [](int s, int p, int op) { return [s, p, op](Tape&, V x) { return conv_transpose2d(x[0], x[1], x.size() > 2 ? x[2] : Var(), s, p, op); }; };
    rows.push_back({"conv_transpose2d 3x3 s2 p1 op1", {{2, 2, 3, 3}, {2, 3, 3, 3}, {3}}, ct(2, 1, 1)});
    rows.push_back({"conv_transpose2d 4x4 s2 p1", {{2, 2, 3, 3}, {2, 2, 4, 4}, {2}}, ct(2, 1, 0)});
    rows.push_back({"conv_transpose2d 5x5 s1 p2", {{1, 2, 4, 3}, {2, 2, 5, 5}, {2}}, ct(1, 2, 0)});
    rows.push_back({"conv_transpose2d 1x1, batch 1, no bias", {{1, 3, 3, 3}, {3, 2, 1, 1}}, ct(1, 0, 0)});
    rows.push_back({"conv_transpose2d 3x3 s2 p0 op1", {{1, 1, 3, 3}, {1, 2, 3, 3}, {2}}, ct(2, 0, 1)});
    rows.push_back({"max_pool2d 2", {{2, 2, 4, 4}}, [](Tape&, V x) { return max_pool2d(x[0], 2); }});
    rows.push_back({"max_pool2d 2, 7x7 -> 3x3", {{1, 2, 7, 7}}, [](Tape&, V x) { return max_pool2d(x[0], 2); }});
    rows.push_back({"max_pool2d 3 s2 (overlapping)", {{2, 1, 7, 7}}, [](Tape&, V x) { return max_pool2d(x[0], 3, 2); }});
    rows.push_back({"avg_pool2d 2", {{2, 2, 4, 4}}, [](Tape&, V x) { return avg_pool2d(x[0], 2); }});
    rows.push_back({"avg_pool2d 3 s2, 7x7", {{1, 2, 7, 7}}, [](Tape&, V x) { return avg_pool2d(x[0], 3, 2); }});
    rows.push_back({"upsample2d 2", {{2, 2, 3, 3}}, [](Tape&, V x) { return upsample2d(x[0], 2); }});
    rows.push_back({"upsample2d 3", {{1, 2, 2, 3}}, [](Tape&, V x) { return upsample2d(x[0], 3); }});
    rows.push_back({"flatten", {{2, 3, 2, 2}}, [](Tape&, V x) { return flatten(x[0]); }});
    rows.push_back({"unflatten", {{2, 12}}, [](Tape&, V x) { return unflatten(x[0], 3, 2, 2); }});
    rows.push_back({"channels_last", {{2, 3, 2, 2}}, [](Tape&, V x) { return channels_last(x[0]); }});
    rows.push_back({"channels_first", {{8, 3}}, [](Tape&, V x) { return channels_first(x[0], 2, 2, 2); }});
    rows.push_back({"conv-relu-maxpool-flatten", {{2, 1, 6, 6}, {3, 1, 3, 3}, {3}},
                    [](Tape&, V x) { return flatten(max_pool2d(tanh(conv2d(x[0], x[1], x[2], 1, 1)), 2)); }});
    for (const Row& r : rows)
        for (uint64_t seed : {1, 2}) {
            Rng rng(seed);
            std::vector<Tensor> xs;
            for (const Shape& s : r.shapes) xs.push_back(Tensor::uniform(s, -1, 1, rng));
            GradcheckResult res = gradcheck(r.name, r.f, xs);
            INFO(r.name << " (seed " << seed << ")\n" << res.report());
            CHECK(res.ok);
        }
}

// ----------------------------------------------------------------------------------------------
// layers

namespace {
GradcheckResult check_module(const std::string& what, Module& m, Shape x_shape, uint64_t seed) {
    Rng rng(seed);
    Tensor X = Tensor::uniform(x_shape, -1, 1, rng);
    return gradcheck(what, [&](Tape&, V x) { return m.forward(x[0]); }, {X}, m.params());
}
}  // namespace

TEST_CASE("every conv layer passes a gradient check as a composite", "[conv][nn][gradcheck]") {
    Rng rng(3);
    Conv2d conv("conv", 2, 3, 3, 2, 1, rng);                                   // 7x7 -> 4x4
    Conv2d conv5("conv5", 1, 2, 5, 1, 2, rng, Init::KaimingUniform, false);    // k 5, p 2, no bias
    ConvTranspose2d deconv("deconv", 2, 3, 3, 2, 1, 1, rng);                   // 3x3 -> 6x6
    MaxPool2d pool("pool", 2);
    AvgPool2d avg("avg", 3, 2);
    Upsample2d up("up", 2);
    BatchNorm2d bn("bn", 3);
    Sequential cnn("cnn");  // the CNN classifier's body in miniature, through BatchNorm2d and back to rows
    cnn.add<Conv2d>("cnn.conv1", 1, 2, 3, 1, 1, rng, Init::KaimingNormal);
    cnn.add<BatchNorm2d>("cnn.bn1", 2);
    cnn.add<Activation>("cnn.act1", Act::Tanh);
    cnn.add<MaxPool2d>("cnn.pool1", 2);
    cnn.add<Flatten>("cnn.flat");
    cnn.add<Linear>("cnn.fc", 8, 3, rng);
    Sequential dec("dec");  // a generator in miniature: Linear -> Unflatten -> ConvTranspose2d -> Upsample2d
    dec.add<Linear>("dec.fc", 3, 8, rng);
    dec.add<Unflatten>("dec.unflat", 2, 2, 2);
    dec.add<ConvTranspose2d>("dec.deconv", 2, 1, 4, 2, 1, 0, rng);
    dec.add<Upsample2d>("dec.up", 2);
    struct Row { const char* name; Module* m; Shape x; };
    const Row rows[] = {
        {"Conv2d 3x3 s2 p1, 7x7 -> 4x4", &conv, {2, 2, 7, 7}},
        {"Conv2d 5x5 p2, no bias, batch 1", &conv5, {1, 1, 5, 5}},
        {"ConvTranspose2d 3x3 s2 p1 op1", &deconv, {2, 2, 3, 3}},
        {"MaxPool2d 2", &pool, {2, 2, 5, 5}},
        {"AvgPool2d 3 s2", &avg, {1, 2, 7, 7}},
        {"Upsample2d 2", &up, {2, 1, 2, 3}},
        {"BatchNorm2d (training)", &bn, {2, 3, 3, 2}},
        {"Conv2d-BatchNorm2d-Tanh-MaxPool2d-Flatten-Linear", &cnn, {2, 1, 4, 4}},
        {"Linear-Unflatten-ConvTranspose2d-Upsample2d", &dec, {2, 3}},
    };
    for (const Row& r : rows) {
        GradcheckResult res = check_module(r.name, *r.m, r.x, 4);
        INFO(r.name << "\n" << res.report());
        CHECK(res.ok);
    }
    bn.set_training(false);
    GradcheckResult res = check_module("BatchNorm2d (eval)", bn, {2, 3, 2, 2}, 5);
    INFO(res.report());
    CHECK(res.ok);
}

TEST_CASE("BatchNorm2d normalises each channel over N·H·W and keeps running averages as buffers", "[conv][nn]") {
    BatchNorm2d bn("bn", 2, /*momentum*/ 0.5);
    Tape t;
    // channel 0 = {1, 3, 5, 7} over 2 images × 1×2 pixels: mean 4, biased var 5, unbiased 20/3; channel 1 = 0
    Tensor X(Shape{2, 2, 1, 2}, {1, 3, 0, 0, 5, 7, 0, 0});
    Var y = bn(t.input(X));
    REQUIRE(y.shape() == X.shape);
    const real inv = (real)(1 / std::sqrt(5 + 1e-5));
    CHECK(y.value()[0] == Approx(-3 * inv));
    CHECK(y.value()[5] == Approx(3 * inv));
    CHECK(y.value()[2] == Approx(0).margin(1e-6));
    CHECK(bn.bn.running_mean[0] == Approx(0.5 * 0 + 0.5 * 4));
    CHECK(bn.bn.running_var[0] == Approx(0.5 * 1 + 0.5 * 20.0 / 3));  // unbiased over N·H·W - 1 = 3, as PyTorch
    auto buf = bn.buffers();
    REQUIRE(buf.size() == 2);
    CHECK(buf[0].first == "bn.running_mean");
    CHECK(buf[1].first == "bn.running_var");
    std::vector<std::string> names;
    for (Param* p : bn.params()) names.push_back(p->name);
    CHECK(names == std::vector<std::string>{"bn.weight", "bn.bias"});
    Sequential s("s");  // set_training reaches the inner BatchNorm1d through a Sequential
    BatchNorm2d& inner = s.add<BatchNorm2d>("s.bn", 2);
    s.set_training(false);
    CHECK_FALSE(inner.bn.training);
    t.reset();
    CHECK_THROWS_WITH(bn(t.input(Tensor(Shape{2, 3, 2, 2}))), Catch::Contains("BatchNorm2d expects (N, C, H, W)"));
}

TEST_CASE("conv layers: PyTorch's layouts and initialisation ranges, shapes through a small CNN", "[conv][nn][init]") {
    Rng rng(6);
    Conv2d c("c", 8, 16, 3, 1, 1, rng);
    CHECK(c.weight.value.shape == Shape{16, 8, 3, 3});
    const real a = (real)(1 / std::sqrt(8.0 * 9));  // fan_in = C·k·k = 72
    real wmax = 0;
    for (real v : c.weight.value.data) wmax = std::max(wmax, std::fabs(v));
    for (real v : c.bias.value.data) CHECK(std::fabs(v) <= a);
    CHECK(wmax <= a);
    CHECK(wmax > 0.9 * a);
    ConvTranspose2d d("d", 16, 4, 4, 2, 1, 0, rng);
    CHECK(d.weight.value.shape == Shape{16, 4, 4, 4});
    const real ad = (real)(1 / std::sqrt(4.0 * 16));  // PyTorch: fan_in = W.size(1)·k·k = 64
    for (real v : d.weight.value.data) CHECK(std::fabs(v) <= ad);
    Conv2d he("he", 32, 64, 3, 1, 1, rng, Init::KaimingNormal);  // N(0, 2 / fan_in), fan_in = 288
    double s2 = 0;
    for (real v : he.weight.value.data) s2 += (double)v * v;
    CHECK(s2 / he.weight.value.size() == Approx(2.0 / 288).epsilon(0.05));
    CHECK_THROWS_WITH(Conv2d("bad", 1, 0, 3, 1, 1, rng), Catch::Contains("positive channels"));
    CHECK_THROWS_WITH(ConvTranspose2d("bad", 1, 2, 3, 2, 1, 2, rng), Catch::Contains("output_padding < stride"));
    // the CNN classifier's shapes: (N, 1, 28, 28) -> 32 x 14 x 14 -> 64 x 7 x 7 -> 3136
    Sequential cnn("cnn");
    cnn.add<Conv2d>("cnn.c1", 1, 32, 3, 1, 1, rng);
    cnn.add<MaxPool2d>("cnn.p1", 2);
    cnn.add<Conv2d>("cnn.c2", 32, 64, 3, 1, 1, rng);
    cnn.add<MaxPool2d>("cnn.p2", 2);
    cnn.add<Flatten>("cnn.flat");
    Tape t;
    CHECK(cnn(t.input(Tensor(Shape{2, 1, 28, 28}))).shape() == Shape{2, 3136});
}
