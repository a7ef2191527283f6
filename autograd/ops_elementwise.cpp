// ops_elementwise.cpp — elementwise ops: arithmetic with broadcasting, then the one-input functions.
// Each op: push the output node, compute it, then record its backward right below the forward,
// under the derivative it implements. Every gradient is added (+=), never assigned.
// derivations: docs/ops.md
#include "ops_impl.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// two inputs, broadcasting on the (rows, cols) view (ops_impl.h)

static Bcast geometry(Tape& t, const Node& n) {
    return broadcast(n.op, t.val(n.in[0]).shape, t.val(n.in[1]).shape, nullptr);
}

Var add(Var a, Var b) {
    Shape s;
    Bcast g = broadcast("add", a.shape(), b.shape(), &s);
    Var out = tape_of(a, "add").push("add", s, {a, b});
    const real *A = a.value().ptr(), *B = b.value().ptr();
    real* Y = out.value().ptr();
    each(g, [&](size_t o, size_t i, size_t j) { Y[o] = A[i] + B[j]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // da += dy;  db += dy  (summed where broadcast)
        Bcast g = geometry(t, n);
        const real* dY = n.grad.ptr();
        if (Tensor* dA = t.grad_of(n.in[0])) { real* d = dA->ptr(); each(g, [&](size_t o, size_t i, size_t) { d[i] += dY[o]; }); }
        if (Tensor* dB = t.grad_of(n.in[1])) { real* d = dB->ptr(); each(g, [&](size_t o, size_t, size_t j) { d[j] += dY[o]; }); }
    });
}

Var sub(Var a, Var b) {
    Shape s;
    Bcast g = broadcast("sub", a.shape(), b.shape(), &s);
    Var out = tape_of(a, "sub").push("sub", s, {a, b});
    const real *A = a.value().ptr(), *B = b.value().ptr();
    real* Y = out.value().ptr();
    each(g, [&](size_t o, size_t i, size_t j) { Y[o] = A[i] - B[j]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // da += dy;  db -= dy
        Bcast g = geometry(t, n);
        const real* dY = n.grad.ptr();
        if (Tensor* dA = t.grad_of(n.in[0])) { real* d = dA->ptr(); each(g, [&](size_t o, size_t i, size_t) { d[i] += dY[o]; }); }
        if (Tensor* dB = t.grad_of(n.in[1])) { real* d = dB->ptr(); each(g, [&](size_t o, size_t, size_t j) { d[j] -= dY[o]; }); }
    });
}

Var mul(Var a, Var b) {
    Shape s;
    Bcast g = broadcast("mul", a.shape(), b.shape(), &s);
    Var out = tape_of(a, "mul").push("mul", s, {a, b});
    const real *A = a.value().ptr(), *B = b.value().ptr();
    real* Y = out.value().ptr();
    each(g, [&](size_t o, size_t i, size_t j) { Y[o] = A[i] * B[j]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // da += dy * b;  db += dy * a
        Bcast g = geometry(t, n);
        const real *dY = n.grad.ptr(), *A = t.val(n.in[0]).ptr(), *B = t.val(n.in[1]).ptr();
        if (Tensor* dA = t.grad_of(n.in[0])) { real* d = dA->ptr(); each(g, [&](size_t o, size_t i, size_t j) { d[i] += dY[o] * B[j]; }); }
        if (Tensor* dB = t.grad_of(n.in[1])) { real* d = dB->ptr(); each(g, [&](size_t o, size_t i, size_t j) { d[j] += dY[o] * A[i]; }); }
    });
}

Var div(Var a, Var b) {
    Shape s;
    Bcast g = broadcast("div", a.shape(), b.shape(), &s);
    Var out = tape_of(a, "div").push("div", s, {a, b});
    const real *A = a.value().ptr(), *B = b.value().ptr();
    real* Y = out.value().ptr();
    each(g, [&](size_t o, size_t i, size_t j) { Y[o] = A[i] / B[j]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // da += dy / b;  db -= dy * a / b^2
        Bcast g = geometry(t, n);
        const real *dY = n.grad.ptr(), *A = t.val(n.in[0]).ptr(), *B = t.val(n.in[1]).ptr();
        if (Tensor* dA = t.grad_of(n.in[0])) { real* d = dA->ptr(); each(g, [&](size_t o, size_t i, size_t j) { d[i] += dY[o] / B[j]; }); }
        if (Tensor* dB = t.grad_of(n.in[1])) { real* d = dB->ptr(); each(g, [&](size_t o, size_t i, size_t j) { d[j] -= dY[o] * A[i] / (B[j] * B[j]); }); }
    });
}

Var add(Var x, real s) {
    Var out = tape_of(x, "add_scalar").push("add_scalar", x.shape(), {x});
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = X[i] + s;
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy
        Tensor* dx = t.grad_of(n.in[0]);
        for (size_t i = 0; i < n.grad.size(); i++) (*dx)[i] += n.grad[i];
    });
}

Var mul(Var x, real s) {
    Var out = tape_of(x, "mul_scalar").push("mul_scalar", x.shape(), {x});
    out.node().a = s;
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = X[i] * s;
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * s
        Tensor* dx = t.grad_of(n.in[0]);
        const real s = n.a;  // a local: a float member could alias dx's floats and block vectorizing
        for (size_t i = 0; i < n.grad.size(); i++) (*dx)[i] += n.grad[i] * s;
    });
}

// ----------------------------------------------------------------------------------------------
// one input. In each backward: X = the input's value, Y = the output's, dY = the output's gradient.
// An op with one input only records a backward when that input needs a gradient, so dx is non-null.

static Var unary(const char* op, Var x) { return tape_of(x, op).push(op, x.shape(), {x}); }

Var neg(Var x) {
    Var out = unary("neg", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = -X[i];
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx -= dy
        Tensor& dx = *t.grad_of(n.in[0]);
        for (size_t i = 0; i < n.grad.size(); i++) dx[i] -= n.grad[i];
    });
}

Var exp(Var x) {
    Var out = unary("exp", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = vexp(X[i]);  // autograd/vmath.h: vectorizes
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * y   (uses the output, saves nothing)
        Tensor& dx = *t.grad_of(n.in[0]);
        for (size_t i = 0; i < n.grad.size(); i++) dx[i] += n.grad[i] * n.value[i];
    });
}

Var log(Var x) {
    Var out = unary("log", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = std::log(X[i]);  // NOTE: x <= 0 gives -inf/NaN; anomaly mode names it
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy / x
        Tensor& dx = *t.grad_of(n.in[0]);
        const Tensor& X = t.val(n.in[0]);
        for (size_t i = 0; i < n.grad.size(); i++) dx[i] += n.grad[i] / X[i];
    });
}

Var sqrt(Var x) {
    Var out = unary("sqrt", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = std::sqrt(X[i]);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy / (2 y)   (infinite at x = 0)
        Tensor& dx = *t.grad_of(n.in[0]);
        for (size_t i = 0; i < n.grad.size(); i++) dx[i] += n.grad[i] / (2 * n.value[i]);
    });
}

Var pow(Var x, real p) {
    Var out = unary("pow", x);
    out.node().a = p;
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = std::pow(X[i], p);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * p * x^(p-1)
        Tensor& dx = *t.grad_of(n.in[0]);
        const Tensor& X = t.val(n.in[0]);
        const real p = n.a;
        for (size_t i = 0; i < n.grad.size(); i++) dx[i] += n.grad[i] * p * std::pow(X[i], p - 1);
    });
}

Var abs(Var x) {
    Var out = unary("abs", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = std::fabs(X[i]);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * sign(x)   (the subgradient 0 at x = 0)
        Tensor& dx = *t.grad_of(n.in[0]);
        const Tensor& X = t.val(n.in[0]);
        for (size_t i = 0; i < n.grad.size(); i++) {
            const real g = n.grad[i];
            dx[i] += X[i] > 0 ? g : X[i] < 0 ? -g : 0;
        }
    });
}

Var relu(Var x) {
    Var out = unary("relu", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    const real* x_ = X.ptr();
    real* y_ = Y.ptr();
    parallel_each(X.size(), [=](size_t i) { y_[i] = x_[i] > 0 ? x_[i] : 0; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * [x > 0]   (y > 0 exactly when x > 0)
        real* dx = t.grad_of(n.in[0])->ptr();
        const real *y = n.value.ptr(), *dy = n.grad.ptr();
        parallel_each(n.grad.size(), [=](size_t i) {  // dy read unconditionally: a select, so the loop vectorizes
            const real g = dy[i];
            dx[i] += y[i] > 0 ? g : 0;
        });
    });
}

Var leaky_relu(Var x, real slope) {
    Var out = unary("leaky_relu", x);
    out.node().a = slope;
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    const real* x_ = X.ptr();
    real* y_ = Y.ptr();
    parallel_each(X.size(), [=](size_t i) { y_[i] = x_[i] > 0 ? x_[i] : slope * x_[i]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * (x > 0 ? 1 : slope)
        real* dx = t.grad_of(n.in[0])->ptr();
        const real *x = t.val(n.in[0]).ptr(), *dy = n.grad.ptr();
        const real slope = n.a;  // a local: a float member could alias dx's floats and block vectorizing
        parallel_each(n.grad.size(), [=](size_t i) { dx[i] += x[i] > 0 ? dy[i] : slope * dy[i]; });
    });
}

Var sigmoid(Var x) {
    Var out = unary("sigmoid", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    const real* x_ = X.ptr();
    real* y_ = Y.ptr();
    parallel_each(X.size(), [=](size_t i) { y_[i] = vsigmoid(x_[i]); });  // 1 / (1 + e^-x), from e^-|x|: no overflow
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * y (1 - y)
        real* dx = t.grad_of(n.in[0])->ptr();
        const real *y = n.value.ptr(), *dy = n.grad.ptr();
        parallel_each(n.grad.size(), [=](size_t i) { dx[i] += dy[i] * y[i] * (1 - y[i]); });
    });
}

Var tanh(Var x) {
    Var out = unary("tanh", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    const real* x_ = X.ptr();
    real* y_ = Y.ptr();
    parallel_each(X.size(), [=](size_t i) { y_[i] = vtanh(x_[i]); });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * (1 - y^2)
        real* dx = t.grad_of(n.in[0])->ptr();
        const real *y = n.value.ptr(), *dy = n.grad.ptr();
        parallel_each(n.grad.size(), [=](size_t i) { dx[i] += dy[i] * (1 - y[i] * y[i]); });
    });
}

Var softplus(Var x) {
    Var out = unary("softplus", x);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    // NOTE: ln(1 + e^x) overflows for large x; max(x, 0) + ln(1 + e^-|x|) is the same value and never does
    for (size_t i = 0; i < X.size(); i++) Y[i] = vsoftplus(X[i]);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * sigmoid(x)
        Tensor& dx = *t.grad_of(n.in[0]);
        const Tensor& X = t.val(n.in[0]);
        for (size_t i = 0; i < n.grad.size(); i++) dx[i] += n.grad[i] * vsigmoid(X[i]);
    });
}

Var clamp(Var x, real lo, real hi) {
    if (!(lo <= hi)) throw Error("clamp: lower bound " + std::to_string(lo) + " is above upper bound " + std::to_string(hi));
    Var out = unary("clamp", x);
    out.node().a = lo;
    out.node().b = hi;
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (size_t i = 0; i < X.size(); i++) Y[i] = std::min(std::max(X[i], lo), hi);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * [lo < x < hi]
        Tensor& dx = *t.grad_of(n.in[0]);
        const Tensor& X = t.val(n.in[0]);
        const real lo = n.a, hi = n.b;
        for (size_t i = 0; i < n.grad.size(); i++) {
            const real g = n.grad[i];
            dx[i] += (X[i] > lo && X[i] < hi) ? g : 0;
        }
    });
}

}  // namespace tg
