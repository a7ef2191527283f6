// test_engine.cpp — the tape itself: creation order, accumulation (+=), diamond graphs, zero_grad,
// NoGrad, reset and buffer reuse, anomaly detection, and the misuse errors.
#include <catch2/catch.hpp>

#include "autograd/ops.h"

using namespace tg;

TEST_CASE("tape records ops in creation order and runs backward in reverse", "[engine]") {
    Tape t;
    Var a = t.input(Tensor(Shape{}, {2}), true), b = t.input(Tensor(Shape{}, {3}), true);
    Var c = a * b;       // node 2
    Var L = c + a;       // node 3: L = a*b + a
    CHECK(t.size() == 4);
    CHECK(std::string(t[c.id].op) == "mul");
    CHECK(std::string(t[L.id].op) == "add");
    t.backward(L);
    CHECK(a.grad()[0] == Approx(4));  // dL/da = b + 1: both paths into a add up
    CHECK(b.grad()[0] == Approx(2));  // dL/db = a
}

TEST_CASE("gradients accumulate: x * x and a diamond", "[engine]") {
    Tape t;
    Var x = t.input(Tensor(Shape{}, {3}), true);
    t.backward(x * x);
    CHECK(x.grad()[0] == Approx(6));  // not 3: both operands are x
    t.reset();
    // diamond: x -> (u = 2x, v = x^2) -> L = u * v = 2 x^3; dL/dx = 6 x^2 = 54
    x = t.input(Tensor(Shape{}, {3}), true);
    Var u = x * 2.0, v = x * x;
    t.backward(u * v);
    CHECK(x.grad()[0] == Approx(54));
}

TEST_CASE("Param gradients accumulate across backward calls until zero_grad", "[engine]") {
    Param w("w", Tensor(Shape{2}, {1, 2}));
    Tape t;
    for (int step = 0; step < 2; step++) {
        t.reset();
        Var y = sum(t.param(w) * 3.0);
        t.backward(y);
    }
    CHECK(w.grad[0] == Approx(6));  // 3 + 3
    w.zero_grad();
    CHECK(w.grad[0] == 0);
    t.reset();
    t.backward(sum(t.param(w) * t.param(w)));  // one param used twice in one graph
    CHECK(w.grad[1] == Approx(4));
}

TEST_CASE("NoGrad computes values and records no graph", "[engine]") {
    Param w("w", Tensor(Shape{2}, {1, 2}));
    Tape t;
    Var y;
    {
        NoGrad ng(t);
        y = sum(t.param(w) * 2.0);
        CHECK(y.item() == Approx(6));
        CHECK_FALSE(t[y.id].needs_grad);
        CHECK(t[y.id].backward == nullptr);
    }
    CHECK(t.grad_enabled);
    CHECK_THROWS_WITH(t.backward(y), Catch::Contains("depends on no parameter"));
    CHECK(w.grad[0] == 0);
}

TEST_CASE("misuse is a clear error, not undefined behaviour", "[engine][errors]") {
    Tape t;
    Var x = t.input(Tensor(Shape{2}, {1, 2}), true);
    Var y = x * x;
    CHECK_THROWS_WITH(t.backward(y), Catch::Contains("must be a single value, got shape (2)"));
    Var L = sum(y);
    t.backward(L);
    CHECK_THROWS_WITH(t.backward(L), Catch::Contains("called twice"));
    CHECK_THROWS_WITH(exp(x), Catch::Contains("after backward()"));
    t.reset();
    CHECK_THROWS_WITH(L.value(), Catch::Contains("before tape.reset()"));
    CHECK_THROWS_WITH(exp(x), Catch::Contains("before tape.reset()"));
    CHECK_THROWS_WITH(t.backward(L), Catch::Contains("before tape.reset()"));
    Tape other;
    Var z = other.input(Tensor(Shape{2}, {1, 2}));
    Var w = t.input(Tensor(Shape{2}, {1, 2}));
    CHECK_THROWS_WITH(add(w, z), Catch::Contains("different tape"));
    CHECK_THROWS_WITH(exp(Var()), Catch::Contains("empty Var"));
    CHECK_THROWS_WITH(w.grad(), Catch::Contains("has no gradient"));
}

TEST_CASE("reset reuses nodes and buffers: a repeated step allocates no tensor storage", "[engine]") {
    Param W("W", Tensor::full(Shape{8, 6}, 0.1)), b("b", Tensor::zeros(Shape{8}));
    Tensor X = Tensor::full(Shape{4, 6}, 0.5);
    Tape t;
    std::vector<const real*> first;
    for (int step = 0; step < 3; step++) {
        t.reset();
        Var h = relu(linear(t.input(X), t.param(W), t.param(b)));
        Var L = mean(h * h);
        t.backward(L);
        std::vector<const real*> ptrs;
        for (int i = 0; i < t.size(); i++) {
            ptrs.push_back(t[i].value.ptr());
            ptrs.push_back(t[i].grad.ptr());
        }
        if (step == 1) first = ptrs;
        if (step == 2) CHECK(ptrs == first);  // every value and grad buffer is the one from the step before
    }
    CHECK(t.nodes.size() == (size_t)t.size());
}

TEST_CASE("detect_anomaly names the first op that made a NaN, forward and backward", "[engine][anomaly]") {
    Tape t;
    t.detect_anomaly = true;
    Var x = t.input(Tensor(Shape{3}, {1, -1, 2}), true);
    {
        Scope s(t, "decoder.out");
        CHECK_THROWS_WITH(log(x), Catch::Contains("op 'log' in decoder.out") && Catch::Contains("range [-1, 2]"));
    }
    t.reset();
    // forward finite, backward infinite: sqrt at 0 has an infinite derivative
    x = t.input(Tensor(Shape{2}, {0, 4}), true);
    Var L = sum(sqrt(x));
    try {
        t.backward(L);
        FAIL("expected an anomaly error");
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find("backward of op 'sqrt'") != std::string::npos);
        CHECK(e.code == EXIT_NUMERIC);
    }
    // off by default: the same NaN passes silently (and costs nothing)
    Tape quiet;
    CHECK_NOTHROW(log(quiet.input(Tensor(Shape{1}, {-1}))));
}
