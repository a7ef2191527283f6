// test_optim.cpp — optimizers against values computed by hand, plus clipping, penalties, schedules,
// optimizer state (names, shapes, a save/restore round trip that must continue bit-identically) and
// convergence on a small quadratic. The hand computations are written out in the comments; the expected
// numbers carry more digits than float keeps, so the double build checks them to 1e-12 (eps's effect on
// Adam's first step, ~1e-9, is visible there), the float build to 2e-6.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>

#include "nn/optim.h"

using namespace tg;

static const double TOL = sizeof(real) == sizeof(float) ? 2e-6 : 1e-12;

static std::string fmt(double x) {
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

// |got - want| <= TOL (relative above 1), element by element, with a message naming the element
static void check_close(const Tensor& got, const std::vector<double>& want, const std::string& what) {
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < want.size(); i++) {
        INFO(what << " [" << i << "]: got " << fmt(got[i]) << ", want " << fmt(want[i]));
        CHECK(std::fabs(got[i] - want[i]) <= TOL * std::max(1.0, std::fabs(want[i])));
    }
}

static Tensor vec(std::vector<real> v) {
    int n = (int)v.size();
    return Tensor(Shape{n}, std::move(v));
}

static void set_grad(Param& p, const std::vector<double>& g) {
    REQUIRE(p.grad.size() == g.size());
    for (size_t i = 0; i < g.size(); i++) p.grad[i] = (real)g[i];
}

// ----------------------------------------------------------------------------------------------
// SGD: w0 = (1, -2), a fixed gradient g = (0.5, 0.25), lr = 0.1, three steps.
TEST_CASE("SGD: first three steps match the hand computation", "[optim]") {
    struct Case {
        const char* name;
        double momentum;
        bool nesterov;
        double weight_decay;
        std::vector<std::vector<double>> w;  // w after steps 1, 2, 3
    };
    const std::vector<Case> cases = {
        // w -= 0.1 g = (0.05, 0.025) each step
        {"plain", 0, false, 0, {{0.95, -2.025}, {0.90, -2.05}, {0.85, -2.075}}},
        // b1 = g = (0.5, 0.25)                        w1 = (1 - 0.05,    -2 - 0.025)      = (0.95,   -2.025)
        // b2 = 0.9 b1 + g = (0.95, 0.475)             w2 = (0.95 - 0.095, -2.025 - 0.0475) = (0.855,  -2.0725)
        // b3 = 0.9 b2 + g = (1.355, 0.6775)           w3 = (0.855 - 0.1355, -2.0725 - 0.06775) = (0.7195, -2.14025)
        {"momentum 0.9", 0.9, false, 0, {{0.95, -2.025}, {0.855, -2.0725}, {0.7195, -2.14025}}},
        // Nesterov steps along g + 0.9 b with the same b as above:
        // step 1: g + 0.9 (0.5, 0.25)  = (0.95, 0.475)     w1 = (0.905,   -2.0475)
        // step 2: g + 0.9 (0.95, 0.475) = (1.355, 0.6775)  w2 = (0.7695,  -2.11525)
        // step 3: g + 0.9 (1.355, 0.6775) = (1.7195, 0.85975)  w3 = (0.59755, -2.201225)
        {"nesterov 0.9", 0.9, true, 0, {{0.905, -2.0475}, {0.7695, -2.11525}, {0.59755, -2.201225}}},
        // g' = g + 0.1 w:  step 1: (0.5 + 0.1, 0.25 - 0.2) = (0.6, 0.05)        w1 = (0.94, -2.005)
        //                  step 2: (0.5 + 0.094, 0.25 - 0.2005) = (0.594, 0.0495)  w2 = (0.8806, -2.00995)
        //                  step 3: (0.5 + 0.08806, 0.25 - 0.200995) = (0.58806, 0.049005)  w3 = (0.821794, -2.0148505)
        {"weight decay 0.1", 0, false, 0.1, {{0.94, -2.005}, {0.8806, -2.00995}, {0.821794, -2.0148505}}},
    };
    for (const Case& c : cases) {
        SECTION(c.name) {
            Param p("w", vec({1, -2}));
            SGD opt({&p}, 0.1, c.momentum, c.nesterov, c.weight_decay);
            for (size_t s = 0; s < c.w.size(); s++) {
                set_grad(p, {0.5, 0.25});
                opt.step();
                check_close(p.value, c.w[s], std::string(c.name) + ", after step " + std::to_string(s + 1));
            }
        }
    }
}

TEST_CASE("SGD: weight_decay = λ gives the same steps as adding l2_penalty(λ) to the loss", "[optim]") {
    // loss = Σ g·w (so dloss/dw = g), plus (λ/2) Σ w² on the tape for the second run
    const double lambda = 0.1;
    Tensor g = vec({0.5, 0.25});
    Param a("w", vec({1, -2})), b("w", vec({1, -2}));
    SGD with_decay({&a}, 0.1, 0.9, false, lambda), with_penalty({&b}, 0.1, 0.9, false, 0);
    Tape tape;
    for (int s = 0; s < 3; s++) {
        with_decay.zero_grad();
        tape.reset();
        tape.backward(sum(tape.param(a) * tape.input(g)));
        with_decay.step();

        with_penalty.zero_grad();
        tape.reset();
        tape.backward(sum(tape.param(b) * tape.input(g)) + l2_penalty(tape, {&b}, lambda));
        with_penalty.step();
    }
    std::vector<double> want(a.value.data.begin(), a.value.data.end());
    check_close(b.value, want, "SGD with l2_penalty vs weight_decay");
}

// ----------------------------------------------------------------------------------------------
// Adam and AdamW: lr = 0.1, β1 = 0.9, β2 = 0.999, eps = 1e-8, w0 = (1, -2).
TEST_CASE("Adam and AdamW: first steps match the hand computation", "[optim]") {
    struct Case {
        const char* name;
        double weight_decay;
        bool decoupled;
        std::vector<std::vector<double>> g;  // the gradient given at steps 1, 2, ...
        std::vector<std::vector<double>> w;  // w after steps 1, 2, ...
    };
    const std::vector<Case> cases = {
        // t = 1, g = (0.5, -0.25):  m = 0.1 g,  v = 0.001 g²,  1 - β1 = 0.1,  1 - β2 = 0.001
        //   m_hat = g, v_hat = g², so the step is lr g / (|g| + eps) = ±0.1 (1 - eps/|g|):
        //   w1 = (1 - 0.1 (1 - 2e-8), -2 + 0.1 (1 - 4e-8)) = (0.900000002, -1.900000004)
        // t = 2, g = (-0.5, 0.125):
        //   m = 0.9 (0.05, -0.025) + 0.1 (-0.5, 0.125) = (-0.005, -0.01)
        //   v = 0.999 (0.00025, 0.0000625) + 0.001 (0.25, 0.015625) = (0.00049975, 0.0000780625)
        //   1 - β1² = 0.19,  1 - β2² = 0.001999
        //   m_hat = (-0.0263157894737, -0.0526315789474),  v_hat = (0.25, 0.0390507753877)
        //   step = 0.1 m_hat / (√v_hat + eps) = (-0.00526315779, -0.0266337026)
        //   w2 = (0.905263159789, -1.873366301382)
        // t = 3, g = (0.25, 0.25):
        //   m = (0.0205, 0.016),  v = (0.00056175025, 0.0001404844375)
        //   1 - β1³ = 0.271,  1 - β2³ = 0.002997001
        //   m_hat = (0.0756457564576, 0.0590405904059),  v_hat = (0.187437458312, 0.0468750052135)
        //   step = (0.0174725530156, 0.0272696778351);   w3 = (0.887790606774, -1.900635979217)
        {"Adam",
         0,
         false,
         {{0.5, -0.25}, {-0.5, 0.125}, {0.25, 0.25}},
         {{0.900000002, -1.9000000039999998}, {0.90526315978947358, -1.8733663013817325}, {0.88779060677388, -1.9006359792168726}}},
        // Adam with L2 (coupled), zero loss gradient: g = 0.1 w is all Adam sees.
        // t = 1: g = (0.1, -0.2); m_hat = g, v_hat = g²: step = 0.1 (1 - eps/|g|)   w1 = (0.90000001, -1.900000005)
        // t = 2: g = 0.1 w1 = (0.090000001, -0.1900000005)
        //   m = 0.9 (0.01, -0.02) + 0.1 g = (0.0180000001, -0.03700000005)
        //   v = 0.999 (1e-5, 4e-5) + 0.001 g² = (1.809000018e-5, 7.606000019e-5)
        //   m_hat = m / 0.19 = (0.0947368426316, -0.194736842368),  v_hat = v / 0.001999 = (0.00904952485243, 0.0380490246073)
        //   step = 0.1 m_hat / (√v_hat + eps) = (0.0995877619178, -0.0998335092819);  w2 = (0.800412248082, -1.800166495718)
        {"Adam + L2 0.1, zero gradient",
         0.1,
         false,
         {{0, 0}, {0, 0}},
         {{0.90000000999999896, -1.9000000049999997}, {0.80041224808215061, -1.8001664957181429}}},
        // AdamW, zero loss gradient: only the decay acts, w *= 1 - lr wd = 0.99, and Adam's step is 0/(0 + eps) = 0.
        {"AdamW 0.1, zero gradient", 0.1, true, {{0, 0}, {0, 0}}, {{0.99, -1.98}, {0.9801, -1.9602}}},
        // AdamW, fixed g = (0.5, -0.25): w = 0.99 w, then the Adam step, which is ±0.1 (1 - eps/|g|) at every t
        // because m_hat = g and v_hat = g² for a constant gradient.
        //   w1 = (0.99 - 0.099999998, -1.98 + 0.099999996) = (0.890000002, -1.880000004)
        //   w2 = (0.99 · 0.890000002 - 0.099999998, 0.99 · -1.880000004 + 0.099999996) = (0.78110000398, -1.76120000796)
        {"AdamW 0.1",
         0.1,
         true,
         {{0.5, -0.25}, {0.5, -0.25}},
         {{0.890000002, -1.880000004}, {0.78110000398000057, -1.7612000079600003}}},
    };
    for (const Case& c : cases) {
        SECTION(c.name) {
            Param p("w", vec({1, -2}));
            Adam opt({&p}, 0.1, 0.9, 0.999, 1e-8, c.weight_decay, c.decoupled);
            for (size_t s = 0; s < c.w.size(); s++) {
                set_grad(p, c.g[s]);
                opt.step();
                check_close(p.value, c.w[s], std::string(c.name) + ", after step " + std::to_string(s + 1));
            }
            CHECK(opt.t[0] == (real)c.w.size());
        }
    }
}

TEST_CASE("Adam: the bias-corrected first step is lr * sign(g), whatever the gradient's scale", "[optim]") {
    // t = 1: m_hat = g, v_hat = g², step = lr g / (|g| + eps) ≈ lr sign(g) (and 0 for g = 0).
    // Without the bias correction it would be lr 0.1 g / (√0.001 |g|) ≈ 3.16 lr.
    const std::vector<double> g = {1e-3, -100, 3, 0, -0.02};
    const std::vector<double> sign = {1, -1, 1, 0, -1};
    const double lr = 0.01;
    Param p("w", vec({1, 2, 3, 4, 5}));
    Tensor w0 = p.value;
    Adam opt({&p}, lr);
    set_grad(p, g);
    opt.step();
    for (size_t i = 0; i < g.size(); i++) {
        double step = w0[i] - p.value[i];
        INFO("g = " << g[i] << ": step " << fmt(step) << ", want " << lr * sign[i]);
        CHECK(std::fabs(step - lr * sign[i]) <= lr * 1e-4);
    }
}

TEST_CASE("AdamW vs Adam with L2: under Adam an L2 term is normalized away, decoupled decay is not", "[optim]") {
    // With a zero loss gradient, Adam + L2 sees g = λ w; the normalized step m_hat / √v_hat is then sign(w):
    // the weight moves by ≈ lr whatever λ is. AdamW shrinks it by lr λ w, proportional to λ.
    for (double lambda : {0.1, 0.001}) {
        Param a("w", vec({1})), b("w", vec({1}));
        Adam coupled({&a}, 0.1, 0.9, 0.999, 1e-8, lambda, false);
        AdamW decoupled({&b}, 0.1, 0.9, 0.999, 1e-8, lambda);
        set_grad(a, {0});
        set_grad(b, {0});
        coupled.step();
        decoupled.step();
        INFO("lambda = " << lambda << ": Adam+L2 moved " << fmt(1 - a.value[0]) << ", AdamW moved " << fmt(1 - b.value[0]));
        CHECK(std::fabs((1 - a.value[0]) - 0.1) <= 1e-5);            // ≈ lr, independent of λ
        CHECK(std::fabs((1 - b.value[0]) - 0.1 * lambda) <= 1e-6);   // = lr λ w
    }
}

TEST_CASE("Optimizers: PyTorch's defaults", "[optim]") {
    Param p("w", vec({1}));
    Adam adam({&p});
    CHECK(adam.lr == 1e-3);
    CHECK(adam.beta1 == 0.9);
    CHECK(adam.beta2 == 0.999);
    CHECK(adam.eps == 1e-8);
    CHECK(adam.weight_decay == 0);
    CHECK_FALSE(adam.decoupled);
    AdamW adamw({&p});
    CHECK(adamw.lr == 1e-3);
    CHECK(adamw.weight_decay == 1e-2);
    CHECK(adamw.decoupled);
    SGD sgd({&p}, 0.1);
    CHECK(sgd.momentum == 0);
    CHECK_FALSE(sgd.nesterov);
    CHECK(sgd.weight_decay == 0);
}

TEST_CASE("Optimizers: bad hyper-parameters are input errors that name the value", "[optim]") {
    Param p("w", vec({1}));
    std::vector<Param*> ps = {&p};
    struct Case {
        const char* name;  // also a word the message must contain
        std::function<void()> make;
    };
    const std::vector<Case> cases = {
        {"lr", [&] { SGD(ps, -0.1); }},
        {"lr", [&] { Adam(ps, NAN); }},
        {"momentum", [&] { SGD(ps, 0.1, -0.5); }},
        {"nesterov", [&] { SGD(ps, 0.1, 0, true); }},
        {"weight_decay", [&] { SGD(ps, 0.1, 0, false, -1); }},
        {"beta1", [&] { Adam(ps, 1e-3, 1.0); }},
        {"beta2", [&] { Adam(ps, 1e-3, 0.9, -0.1); }},
        {"eps", [&] { Adam(ps, 1e-3, 0.9, 0.999, -1); }},
        {"weight_decay", [&] { AdamW(ps, 1e-3, 0.9, 0.999, 1e-8, -0.01); }},
        {"max_norm", [&] { clip_grad_norm(ps, 0); }},
        {"lambda", [&] { Tape t; l1_penalty(t, ps, -1); }},
        {"step_size", [&] { step_lr(0.1, 3, 0, 0.5); }},
        {"total_epochs", [&] { cosine_lr(0.1, 3, 0); }},
        {"epoch", [&] { cosine_lr(0.1, -1, 10); }},
    };
    for (const Case& c : cases) {
        INFO(c.name);
        try {
            c.make();
            FAIL("no error for a bad " << c.name);
        } catch (const Error& e) {
            INFO(e.what());
            CHECK(e.code == EXIT_BAD_INPUT);
            CHECK(std::string(e.what()).find(c.name) != std::string::npos);
        }
    }
}

TEST_CASE("Optimizers: a bad parameter list is caught when the optimizer is built", "[optim]") {
    Param p("w", vec({1, 2})), q("w", vec({3}));
    CHECK_THROWS_WITH(SGD({}, 0.1), Catch::Contains("empty"));
    CHECK_THROWS_WITH(SGD({&p, nullptr}, 0.1), Catch::Contains("null"));
    CHECK_THROWS_WITH(Adam({&p, &p}), Catch::Contains("listed twice"));
    CHECK_THROWS_WITH(Adam({&p, &q}), Catch::Contains("two params are named 'w'"));
}

TEST_CASE("Optimizers: a param whose size changed after the optimizer was built is an error", "[optim]") {
    Param p("enc.w", vec({1, 2}));
    Adam opt({&p});
    p.value = vec({1, 2, 3});
    CHECK_THROWS_WITH(opt.step(), Catch::Contains("'enc.w'"));
}

TEST_CASE("zero_grad clears every param's grad", "[optim]") {
    Param p("a", vec({1, 2})), q("b", vec({3}));
    set_grad(p, {0.5, -1});
    set_grad(q, {7});
    SGD opt({&p, &q}, 0.1);
    opt.zero_grad();
    CHECK(p.grad[0] == 0);
    CHECK(p.grad[1] == 0);
    CHECK(q.grad[0] == 0);
}

// ----------------------------------------------------------------------------------------------
// state(): names, shapes, and a save/restore round trip

static std::vector<Param> two_params() {
    Rng rng(7);
    return {Param("enc.w", Tensor::normal(Shape{2, 3}, 0, 1, rng)), Param("enc.b", Tensor::normal(Shape{3}, 0, 1, rng))};
}

TEST_CASE("Optimizer state: names and shapes, allocated before the first step", "[optim]") {
    std::vector<Param> ps = two_params();
    std::vector<Param*> ptrs = {&ps[0], &ps[1]};
    struct Case {
        const char* name;
        std::function<std::unique_ptr<Optimizer>()> make;
        std::vector<std::pair<std::string, Shape>> want;
    };
    const std::vector<Case> cases = {
        {"SGD", [&] { return std::unique_ptr<Optimizer>(new SGD(ptrs, 0.1)); }, {}},  // plain SGD keeps no state
        {"SGD momentum",
         [&] { return std::unique_ptr<Optimizer>(new SGD(ptrs, 0.1, 0.9)); },
         {{"sgd.b.enc.w", Shape{2, 3}}, {"sgd.b.enc.b", Shape{3}}}},
        {"Adam",
         [&] { return std::unique_ptr<Optimizer>(new Adam(ptrs)); },
         {{"adam.m.enc.w", Shape{2, 3}}, {"adam.v.enc.w", Shape{2, 3}}, {"adam.m.enc.b", Shape{3}}, {"adam.v.enc.b", Shape{3}}, {"adam.t", Shape{1}}}},
    };
    for (const Case& c : cases) {
        SECTION(c.name) {
            std::unique_ptr<Optimizer> opt = c.make();
            auto st = opt->state();
            REQUIRE(st.size() == c.want.size());
            for (size_t i = 0; i < st.size(); i++) {
                INFO(st[i].first << " " << st[i].second->shape.str());
                CHECK(st[i].first == c.want[i].first);
                CHECK(st[i].second->shape == c.want[i].second);
                CHECK(st[i].second->size() == c.want[i].second.numel());
            }
        }
    }
}

// A deterministic gradient that depends on w and the step, so two runs agree only if their states agree.
static void fake_grads(std::vector<Param>& ps, int step) {
    for (Param& p : ps)
        for (size_t i = 0; i < p.value.size(); i++) p.grad[i] = (real)(p.value[i] - 0.3 + 0.5 * std::sin(step + (double)i));
}

static bool same_bits(const Tensor& a, const Tensor& b) {
    return a.shape == b.shape && std::memcmp(a.ptr(), b.ptr(), a.size() * sizeof(real)) == 0;
}

TEST_CASE("Optimizer state: save, rebuild, restore continues bit-identically", "[optim]") {
    using Make = std::function<std::unique_ptr<Optimizer>(std::vector<Param*>)>;
    const std::vector<std::pair<const char*, Make>> cases = {
        {"SGD nesterov + weight decay", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new SGD(p, 0.05, 0.9, true, 1e-3)); }},
        {"Adam", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new Adam(p, 0.01, 0.9, 0.999, 1e-8, 1e-3)); }},
        {"AdamW", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new AdamW(p, 0.01)); }},
    };
    for (const auto& c : cases) {
        SECTION(c.first) {
            // run A: 3 steps, then "checkpoint" its params and state by name
            std::vector<Param> a = two_params();
            std::unique_ptr<Optimizer> opt_a = c.second({&a[0], &a[1]});
            for (int s = 0; s < 3; s++) {
                fake_grads(a, s);
                opt_a->step();
            }
            std::map<std::string, Tensor> saved;
            for (auto& kv : opt_a->state()) saved[kv.first] = *kv.second;

            // run B: new params with A's values, a new optimizer, state copied back by name
            std::vector<Param> b = two_params();
            for (size_t k = 0; k < b.size(); k++) b[k].value = a[k].value;
            std::unique_ptr<Optimizer> opt_b = c.second({&b[0], &b[1]});
            for (auto& kv : opt_b->state()) {
                REQUIRE(saved.count(kv.first));
                REQUIRE(kv.second->shape == saved[kv.first].shape);
                kv.second->assign(saved[kv.first]);
            }
            // run C: the same, without restoring the state (must diverge, or this test could not fail)
            std::vector<Param> cc = two_params();
            for (size_t k = 0; k < cc.size(); k++) cc[k].value = a[k].value;
            std::unique_ptr<Optimizer> opt_c = c.second({&cc[0], &cc[1]});

            for (int s = 3; s < 7; s++) {
                fake_grads(a, s);
                fake_grads(b, s);
                fake_grads(cc, s);
                opt_a->step();
                opt_b->step();
                opt_c->step();
            }
            for (size_t k = 0; k < a.size(); k++) {
                INFO(a[k].name);
                CHECK(same_bits(a[k].value, b[k].value));
                CHECK_FALSE(same_bits(a[k].value, cc[k].value));
            }
            auto sa = opt_a->state(), sb = opt_b->state();
            for (size_t i = 0; i < sa.size(); i++) {
                INFO(sa[i].first);
                CHECK(same_bits(*sa[i].second, *sb[i].second));
            }
        }
    }
}

TEST_CASE("Optimizer step: params and state keep their buffers (no reallocation)", "[optim]") {
    std::vector<Param> ps = two_params();
    SGD sgd({&ps[0], &ps[1]}, 0.1, 0.9);
    Adam adam({&ps[0], &ps[1]});
    for (Optimizer* opt : std::vector<Optimizer*>{&sgd, &adam}) {
        std::vector<const real*> before;
        for (auto& kv : opt->state()) before.push_back(kv.second->ptr());
        const real *w0 = ps[0].value.ptr(), *g0 = ps[0].grad.ptr();
        for (int s = 0; s < 3; s++) {
            fake_grads(ps, s);
            opt->step();
        }
        auto st = opt->state();
        for (size_t i = 0; i < st.size(); i++) {
            INFO(st[i].first);
            CHECK(st[i].second->ptr() == before[i]);
        }
        CHECK(ps[0].value.ptr() == w0);
        CHECK(ps[0].grad.ptr() == g0);
    }
}

// ----------------------------------------------------------------------------------------------
// clip_grad_norm

TEST_CASE("clip_grad_norm: global L2 norm, scaled to max_norm above it, untouched below", "[optim]") {
    // grads (3, 0) and (0, 4): global norm √(9 + 16) = 5
    Param p("a", vec({1, 1})), q("b", Tensor(Shape{1, 2}, {1, 1}));
    std::vector<Param*> ps = {&p, &q};

    SECTION("above max_norm: scaled by max_norm / (norm + 1e-6)") {
        set_grad(p, {3, 0});
        set_grad(q, {0, 4});
        double norm = clip_grad_norm(ps, 1.0);
        CHECK(std::fabs(norm - 5) <= TOL * 5);
        const double s = 1.0 / (5 + 1e-6);  // (3, 0, 0, 4) -> (0.6, 0, 0, 0.8) up to the 1e-6
        check_close(p.grad, {3 * s, 0}, "p.grad");
        check_close(q.grad, {0, 4 * s}, "q.grad");
        double after = std::sqrt((double)p.grad[0] * p.grad[0] + (double)q.grad[1] * q.grad[1]);
        CHECK(std::fabs(after - 1.0) <= 1e-6);
    }
    SECTION("below max_norm: grads left exactly as they were") {
        set_grad(p, {3, 0});
        set_grad(q, {0, 4});
        CHECK(std::fabs(clip_grad_norm(ps, 10.0) - 5) <= TOL * 5);
        CHECK(p.grad[0] == 3);
        CHECK(p.grad[1] == 0);
        CHECK(q.grad[0] == 0);
        CHECK(q.grad[1] == 4);
    }
    SECTION("NaN or Inf in a grad: the norm says so and the grads are not touched") {
        set_grad(p, {3, NAN});
        set_grad(q, {0, 4});
        CHECK(std::isnan(clip_grad_norm(ps, 1.0)));
        CHECK(p.grad[0] == 3);
        CHECK(q.grad[1] == 4);
        set_grad(p, {3, INFINITY});
        CHECK(std::isinf(clip_grad_norm(ps, 1.0)));
        CHECK(p.grad[0] == 3);
        CHECK(q.grad[1] == 4);
    }
}

// ----------------------------------------------------------------------------------------------
// penalties: values, and gradients from the tape

TEST_CASE("l1_penalty and l2_penalty: value and gradient through the tape", "[optim]") {
    // w = (0.5, -2, 3) and u = (-1), λ = 0.1
    Param w("w", vec({0.5, -2, 3})), u("u", vec({-1}));
    std::vector<Param*> ps = {&w, &u};
    Tape tape;
    SECTION("l1: λ Σ|w| = 0.1 (0.5 + 2 + 3 + 1) = 0.65;  grad = λ sign(w)") {
        Var L = l1_penalty(tape, ps, 0.1);
        CHECK(std::fabs(L.item() - 0.65) <= TOL);
        tape.backward(L);
        check_close(w.grad, {0.1, -0.1, 0.1}, "w.grad");
        check_close(u.grad, {-0.1}, "u.grad");
    }
    SECTION("l2: (λ/2) Σ w² = 0.05 (0.25 + 4 + 9 + 1) = 0.7125;  grad = λ w") {
        Var L = l2_penalty(tape, ps, 0.1);
        CHECK(std::fabs(L.item() - 0.7125) <= TOL);
        tape.backward(L);
        check_close(w.grad, {0.05, -0.2, 0.3}, "w.grad");
        check_close(u.grad, {-0.1}, "u.grad");
    }
    SECTION("added to a loss that also uses w: the gradients add up") {
        // loss = Σ w + (λ/2) Σ w²   =>   dloss/dw = 1 + λ w = (1.05, 0.8, 1.3)
        Var L = sum(tape.param(w)) + l2_penalty(tape, {&w}, 0.1);
        tape.backward(L);
        check_close(w.grad, {1.05, 0.8, 1.3}, "w.grad");
    }
}

// ----------------------------------------------------------------------------------------------
// schedules

TEST_CASE("Learning-rate schedules at a few epochs", "[optim]") {
    struct Case {
        int epoch;
        double step, cosine, cosine_min;
    };
    // step_lr(0.1, e, step_size 10, gamma 0.5) = 0.1 · 0.5^floor(e / 10)
    // cosine_lr(1, e, 4) = (1 + cos(π e / 4)) / 2;  with min_lr 0.2: 0.2 + 0.8 · that
    //   e = 1: (1 + 0.70710678118654752) / 2 = 0.85355339059327376;  e = 3: (1 - 0.70710678...) / 2 = 0.14644660940672624
    const std::vector<Case> cases = {
        {0, 0.1, 1, 1},
        {1, 0.1, 0.85355339059327376, 0.2 + 0.8 * 0.85355339059327376},
        {2, 0.1, 0.5, 0.6},
        {3, 0.1, 0.14644660940672624, 0.2 + 0.8 * 0.14644660940672624},
        {4, 0.1, 0, 0.2},
        {9, 0.1, 0, 0.2},  // cosine held at min_lr after the last epoch
        {10, 0.05, 0, 0.2},
        {25, 0.025, 0, 0.2},
    };
    for (const Case& c : cases) {
        INFO("epoch " << c.epoch);
        CHECK(std::fabs(step_lr(0.1, c.epoch, 10, 0.5) - c.step) <= 1e-15);
        CHECK(std::fabs(cosine_lr(1, c.epoch, 4) - c.cosine) <= 1e-15);
        CHECK(std::fabs(cosine_lr(1, c.epoch, 4, 0.2) - c.cosine_min) <= 1e-15);
    }
}

// ----------------------------------------------------------------------------------------------
// convergence: f(w) = ½ Σ a_i (w_i - c_i)², a = (1, 10), c = (1, -2), from w0 = (-3, 4); f(w0) = 188

TEST_CASE("Every optimizer minimizes a small ill-conditioned quadratic in 200 steps", "[optim]") {
    using Make = std::function<std::unique_ptr<Optimizer>(std::vector<Param*>)>;
    const std::vector<std::pair<const char*, Make>> cases = {
        {"SGD", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new SGD(p, 0.15)); }},
        {"SGD momentum", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new SGD(p, 0.02, 0.9)); }},
        {"SGD nesterov", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new SGD(p, 0.02, 0.9, true)); }},
        {"Adam", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new Adam(p, 0.1)); }},
        {"AdamW", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new AdamW(p, 0.1, 0.9, 0.999, 1e-8, 1e-3)); }},
    };
    const Tensor a = vec({1, 10}), c = vec({1, -2});
    for (const auto& cs : cases) {
        SECTION(cs.first) {
            Param w("w", vec({-3, 4}));
            std::unique_ptr<Optimizer> opt = cs.second({&w});
            Tape tape;
            double first = 0, last = 0;
            for (int s = 0; s < 200; s++) {
                opt->zero_grad();
                tape.reset();
                Var d = tape.param(w) - tape.input(c);
                Var f = sum(tape.input(a) * d * d) * real(0.5);
                if (s == 0) first = f.item();
                last = f.item();
                tape.backward(f);
                opt->step();
            }
            INFO(cs.first << ": f from " << first << " to " << last << ", w = " << w.value.str());
            CHECK(std::fabs(first - 188) <= 1e-4);
            CHECK(last < 1e-4);
            CHECK(std::fabs(w.value[0] - 1) < 0.02);
            CHECK(std::fabs(w.value[1] + 2) < 0.02);
        }
    }
}

// ----------------------------------------------------------------------------------------------
// A param whose value, grad or state changed size after the optimizer was built is refused by name,
// before anything is updated: every check runs before the update loop, so the params listed first are
// left untouched too.
TEST_CASE("optimizers refuse a param that changed size, and update nothing then", "[optim][errors]") {
    struct Break {
        const char* what;
        std::function<void(Param& bad, Optimizer& opt)> apply;
        const char* says;
    };
    const Break breaks[] = {
        {"value resized", [](Param& bad, Optimizer&) { bad.value = Tensor(Shape{5}); bad.grad = Tensor(Shape{5}); },
         "param 'b' has 5 values, 3 when the optimizer was built"},
        {"grad resized", [](Param& bad, Optimizer&) { bad.grad = Tensor(Shape{2}); }, "param 'b' has 3 values but its grad has 2"},
        {"state resized", [](Param&, Optimizer& opt) {
             for (auto& named : opt.state())  // sgd.b.b, or adam.m.b: the first state tensor of 'b'
                 if (named.first.size() > 2 && named.first.compare(named.first.size() - 2, 2, ".b") == 0) {
                     *named.second = Tensor(Shape{4});
                     return;
                 }
         },
         "the state tensor for param 'b' has 4 values, the param has 3"},
    };
    struct Maker {
        const char* name;
        std::function<std::unique_ptr<Optimizer>(std::vector<Param*>)> make;
    };
    const Maker makers[] = {
        {"SGD momentum", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new SGD(p, 0.1, 0.9)); }},
        {"Adam", [](std::vector<Param*> p) { return std::unique_ptr<Optimizer>(new Adam(p, 0.1)); }},
    };
    for (const Maker& m : makers)
        for (const Break& br : breaks) {
            INFO(m.name << ", " << br.what);
            Param a("a", vec({1, 2})), b("b", vec({3, 4, 5}));
            std::unique_ptr<Optimizer> opt = m.make({&a, &b});
            a.grad.fill(1);
            br.apply(b, *opt);
            std::string msg;
            try {
                opt->step();
            } catch (const Error& e) {
                msg = e.what();
            }
            CHECK_THAT(msg, Catch::Matchers::Contains(br.says));
            CHECK(a.value[0] == 1);  // 'a' comes first and is fine, but the step was refused as a whole
            CHECK(a.value[1] == 2);
        }
}
