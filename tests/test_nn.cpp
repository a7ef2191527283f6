// test_nn.cpp — layers as composites: gradient checks of each layer (input and every Param), BatchNorm's
// training/evaluation semantics, initialiser statistics, and the parameter registry's names.
#include <catch2/catch.hpp>

#include "autograd/gradcheck.h"
#include "nn/layers.h"

using namespace tg;

namespace {
// gradcheck a module on a fixed input: d/dx and d/dParam for every Param
GradcheckResult check_module(const char* what, Module& m, Shape x_shape, uint64_t seed) {
    Rng rng(seed);
    Tensor X = Tensor::uniform(x_shape, -1, 1, rng);
    return gradcheck(what, [&](Tape&, const std::vector<Var>& x) { return m.forward(x[0]); }, {X}, m.params());
}
}  // namespace

TEST_CASE("every layer passes a gradient check as a composite", "[nn][gradcheck]") {
    Rng rng(1);
    Linear fc("fc", 5, 3, rng);
    Linear fc_nobias("fc_nobias", 5, 3, rng, Init::XavierUniform, false);
    BatchNorm1d bn("bn", 4);
    Rng drop_rng(2);
    Sequential mlp("mlp");
    mlp.add<Linear>("mlp.fc1", 6, 8, rng, Init::KaimingUniform);
    mlp.add<Activation>("mlp.act1", Act::Tanh);
    mlp.add<Linear>("mlp.fc2", 8, 2, rng);
    mlp.add<Activation>("mlp.act2", Act::Softplus);
    struct Row { const char* name; Module* m; Shape x; };
    const Row rows[] = {
        {"Linear", &fc, {4, 5}},
        {"Linear without bias", &fc_nobias, {4, 5}},
        {"BatchNorm1d (training)", &bn, {6, 4}},
        {"Sequential Linear-Tanh-Linear-Softplus", &mlp, {3, 6}},
    };
    for (const Row& r : rows) {
        GradcheckResult res = check_module(r.name, *r.m, r.x, 3);
        INFO(r.name << "\n" << res.report());
        CHECK(res.ok);
    }
    bn.set_training(false);  // evaluation: a fixed affine map of x, gradient to γ, β and x
    GradcheckResult res = check_module("BatchNorm1d (eval)", bn, {6, 4}, 4);
    INFO(res.report());
    CHECK(res.ok);
}

TEST_CASE("activation modules match the ops", "[nn]") {
    Tape t;
    Var x = t.input(Tensor(Shape{1, 3}, {-2, 0.5, 3}));
    Activation lrelu("a", Act::LeakyReLU, 0.2);
    CHECK(lrelu(x).value()[0] == Approx(-0.4));
    CHECK(activate(x, Act::Identity).id == x.id);
    CHECK(parse_act("tanh") == Act::Tanh);
    CHECK_THROWS_WITH(parse_act("gelu"), Catch::Contains("unknown activation 'gelu'"));
}

TEST_CASE("BatchNorm1d: batch statistics in training, running statistics in evaluation", "[nn]") {
    BatchNorm1d bn("bn", 2, /*momentum*/ 0.5);
    Tape t;
    // column 0 = {1, 3}: mean 2, biased var 1, unbiased var 2; column 1 = {0, 0}
    Var y = bn(t.input(Tensor(Shape{2, 2}, {1, 0, 3, 0})));
    CHECK(y.value().at(0, 0) == Approx(-1 / std::sqrt(1 + 1e-5)));
    CHECK(y.value().at(1, 0) == Approx(1 / std::sqrt(1 + 1e-5)));
    CHECK(bn.running_mean[0] == Approx(0.5 * 0 + 0.5 * 2));
    CHECK(bn.running_var[0] == Approx(0.5 * 1 + 0.5 * 2));  // unbiased, as PyTorch
    CHECK(bn.running_var[1] == Approx(0.5));
    bn.set_training(false);
    t.reset();
    Var e = bn(t.input(Tensor(Shape{1, 2}, {1, 0})));  // (1 - 1) / √1.5
    CHECK(e.value()[0] == Approx(0).margin(1e-6));
    CHECK(bn.buffers().size() == 2);
    CHECK(bn.buffers()[1].first == "bn.running_var");
    bn.set_training(true);
    t.reset();
    CHECK_THROWS_WITH(bn(t.input(Tensor(Shape{1, 2}))), Catch::Contains("at least 2 rows"));
    CHECK_THROWS_WITH(bn(t.input(Tensor(Shape{4, 3}))), Catch::Contains("bn: (4, 3) vs (2)"));
}

TEST_CASE("initialisers have the variance their formula promises", "[nn][init]") {
    struct Row { Init kind; int fan_in, fan_out; double gain, expected_var; };
    const Row rows[] = {
        {Init::PyTorchDefault, 400, 100, 1, 1.0 / 3 / 400},            // U(±a): var a²/3, a = 1/√400
        {Init::XavierUniform, 300, 100, 1, 2.0 / 400},                 // 2 / (fan_in + fan_out)
        {Init::XavierNormal, 300, 100, 1, 2.0 / 400},
        {Init::KaimingUniform, 200, 50, std::sqrt(2.0), 2.0 / 200},   // gain² / fan_in
        {Init::KaimingNormal, 200, 50, std::sqrt(2.0), 2.0 / 200},
    };
    for (const Row& r : rows) {
        Rng rng(5);
        Tensor w(Shape{r.fan_out, r.fan_in});
        init_weight(w, r.fan_in, r.fan_out, r.kind, rng, r.gain);
        double s = 0, s2 = 0;
        for (real v : w.data) { s += v; s2 += (double)v * v; }
        double n = (double)w.size(), mean = s / n, var = s2 / n - mean * mean;
        INFO(init_name(r.kind));
        CHECK(std::fabs(mean) < 4 * std::sqrt(r.expected_var / n) + 1e-12);
        CHECK(var == Approx(r.expected_var).epsilon(0.05));
    }
    CHECK(parse_init("kaiming_normal") == Init::KaimingNormal);
    CHECK_THROWS_WITH(parse_init("orthogonal"), Catch::Contains("unknown initialiser 'orthogonal'"));
}

TEST_CASE("the registry lists named parameters and buffers in order", "[nn]") {
    Rng rng(1);
    Sequential enc("encoder");
    enc.add<Linear>("encoder.fc1", 784, 400, rng);
    enc.add<Activation>("encoder.relu1", Act::ReLU);
    enc.add<BatchNorm1d>("encoder.bn1", 400);
    enc.add<Linear>("encoder.fc2", 400, 20, rng);
    std::vector<std::string> names;
    for (Param* p : enc.params()) names.push_back(p->name);
    CHECK(names == std::vector<std::string>{"encoder.fc1.weight", "encoder.fc1.bias", "encoder.bn1.weight",
                                            "encoder.bn1.bias", "encoder.fc2.weight", "encoder.fc2.bias"});
    CHECK(count_params(enc.params()) == 784 * 400 + 400 + 2 * 400 + 400 * 20 + 20);
    CHECK(enc.buffers().size() == 2);
    enc.set_training(false);
    CHECK_FALSE(enc.layers[2]->training);
    CHECK_THROWS_WITH(Linear("bad", 0, 3, rng), Catch::Contains("positive sizes"));
}

TEST_CASE("Linear's default initialisation is PyTorch's: weight and bias in ±1/√in", "[nn][init]") {
    Rng rng(2);
    Linear fc("fc", 100, 50, rng);
    real a = (real)0.1;
    for (real v : fc.weight.value.data) CHECK(std::fabs(v) <= a);
    for (real v : fc.bias.value.data) CHECK(std::fabs(v) <= a);
    CHECK(fc.weight.value.shape == Shape{50, 100});
}
