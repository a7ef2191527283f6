// ops_elementwise.cpp — elementwise ops: arithmetic with broadcasting, then the one-input functions.
// Each op: push the output node, compute it, then record its backward right below the forward,
// under the derivative it implements. Every gradient is added (+=), never assigned.
// Every loop is for_each_index (autograd/loops.h): read it as `for (i = 0; i < n; i++)`.
// Names: ops_impl.h's legend.  derivations: docs/ops.md
#include "autograd/ops_impl.h"

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
    each(g, [=](size_t o, size_t i, size_t j) { Y[o] = A[i] + B[j]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dA += dY;  dB += dY  (summed where broadcast)
        Bcast g = geometry(t, n);
        const real* dY = n.grad.ptr();
        if (Tensor* a = t.grad_of(n.in[0])) { real* dA = a->ptr(); each(g, [=](size_t o, size_t i, size_t) { dA[i] += dY[o]; }); }
        if (Tensor* b = t.grad_of(n.in[1])) { real* dB = b->ptr(); each(g, [=](size_t o, size_t, size_t j) { dB[j] += dY[o]; }); }
    });
}

Var sub(Var a, Var b) {
    Shape s;
    Bcast g = broadcast("sub", a.shape(), b.shape(), &s);
    Var out = tape_of(a, "sub").push("sub", s, {a, b});
    const real *A = a.value().ptr(), *B = b.value().ptr();
    real* Y = out.value().ptr();
    each(g, [=](size_t o, size_t i, size_t j) { Y[o] = A[i] - B[j]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dA += dY;  dB -= dY
        Bcast g = geometry(t, n);
        const real* dY = n.grad.ptr();
        if (Tensor* a = t.grad_of(n.in[0])) { real* dA = a->ptr(); each(g, [=](size_t o, size_t i, size_t) { dA[i] += dY[o]; }); }
        if (Tensor* b = t.grad_of(n.in[1])) { real* dB = b->ptr(); each(g, [=](size_t o, size_t, size_t j) { dB[j] -= dY[o]; }); }
    });
}

Var mul(Var a, Var b) {
    Shape s;
    Bcast g = broadcast("mul", a.shape(), b.shape(), &s);
    Var out = tape_of(a, "mul").push("mul", s, {a, b});
    const real *A = a.value().ptr(), *B = b.value().ptr();
    real* Y = out.value().ptr();
    each(g, [=](size_t o, size_t i, size_t j) { Y[o] = A[i] * B[j]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dA += dY * B;  dB += dY * A
        Bcast g = geometry(t, n);
        const real *dY = n.grad.ptr(), *A = t.val(n.in[0]).ptr(), *B = t.val(n.in[1]).ptr();
        if (Tensor* a = t.grad_of(n.in[0])) { real* dA = a->ptr(); each(g, [=](size_t o, size_t i, size_t j) { dA[i] += dY[o] * B[j]; }); }
        if (Tensor* b = t.grad_of(n.in[1])) { real* dB = b->ptr(); each(g, [=](size_t o, size_t i, size_t j) { dB[j] += dY[o] * A[i]; }); }
    });
}

Var div(Var a, Var b) {
    Shape s;
    Bcast g = broadcast("div", a.shape(), b.shape(), &s);
    Var out = tape_of(a, "div").push("div", s, {a, b});
    const real *A = a.value().ptr(), *B = b.value().ptr();
    real* Y = out.value().ptr();
    each(g, [=](size_t o, size_t i, size_t j) { Y[o] = A[i] / B[j]; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dA += dY / B;  dB -= dY * A / B^2
        Bcast g = geometry(t, n);
        const real *dY = n.grad.ptr(), *A = t.val(n.in[0]).ptr(), *B = t.val(n.in[1]).ptr();
        if (Tensor* a = t.grad_of(n.in[0])) { real* dA = a->ptr(); each(g, [=](size_t o, size_t i, size_t j) { dA[i] += dY[o] / B[j]; }); }
        if (Tensor* b = t.grad_of(n.in[1])) { real* dB = b->ptr(); each(g, [=](size_t o, size_t i, size_t j) { dB[j] -= dY[o] * A[i] / (B[j] * B[j]); }); }
    });
}

// ----------------------------------------------------------------------------------------------
// one input: y = f(x) element by element, and backward dx += f'(x) dy. An op with one input only records a
// backward when that input needs a gradient, so the input's gradient exists whenever backward runs.

// A new node `op` with y[i] = f(x[i]) for every element.
template <class F>
static Var unary(const char* op, Var x, F f, size_t min_per_thread = kMinPerThread) {
    Var out = tape_of(x, op).push(op, x.shape(), {x});
    const real* X = x.value().ptr();
    real* Y = out.value().ptr();
    for_each_index(out.value().size(), [=](size_t i) { Y[i] = f(X[i]); }, min_per_thread);
    return out;
}

// dx[i] += g(x[i], y[i], dy[i]) for every element: the input's value, the output's value and gradient.
template <class G>
static void unary_backward(Tape& t, Node& n, G g, size_t min_per_thread = kMinPerThread) {
    const real *X = t.val(n.in[0]).ptr(), *Y = n.value.ptr(), *dY = n.grad.ptr();
    real* dX = t.grad_of(n.in[0])->ptr();
    for_each_index(n.grad.size(), [=](size_t i) { dX[i] += g(X[i], Y[i], dY[i]); }, min_per_thread);
}

Var add(Var x, real s) {  // y = x + s
    Var out = unary("add_scalar", x, [s](real x) { return x + s; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy
        unary_backward(t, n, [](real, real, real dy) { return dy; });
    });
}

Var mul(Var x, real s) {  // y = x s
    Var out = unary("mul_scalar", x, [s](real x) { return x * s; });
    out.node().scale = s;
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy s
        const real s = n.scale;
        unary_backward(t, n, [s](real, real, real dy) { return dy * s; });
    });
}

Var neg(Var x) {  // y = -x
    Var out = unary("neg", x, [](real x) { return -x; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx -= dy
        unary_backward(t, n, [](real, real, real dy) { return -dy; });
    });
}

Var exp(Var x) {  // y = e^x   (vexp: autograd/fast/vmath.h)
    Var out = unary("exp", x, [](real x) { return vexp(x); }, kMinPerThreadMath);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy y   (uses the output, saves nothing)
        unary_backward(t, n, [](real, real y, real dy) { return dy * y; });
    });
}

Var log(Var x) {  // y = ln x   NOTE: x <= 0 gives -inf/NaN; anomaly mode names the op
    Var out = unary("log", x, [](real x) { return std::log(x); }, kMinPerThreadMath);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy / x
        unary_backward(t, n, [](real x, real, real dy) { return dy / x; });
    });
}

Var sqrt(Var x) {  // y = √x
    Var out = unary("sqrt", x, [](real x) { return std::sqrt(x); });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy / (2 y)   (infinite at x = 0)
        unary_backward(t, n, [](real, real y, real dy) { return dy / (2 * y); });
    });
}

Var pow(Var x, real p) {  // y = x^p
    Var out = unary("pow", x, [p](real x) { return std::pow(x, p); }, kMinPerThreadMath);
    out.node().exponent = p;
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy p x^(p-1)
        const real p = n.exponent;
        unary_backward(t, n, [p](real x, real, real dy) { return dy * p * std::pow(x, p - 1); }, kMinPerThreadMath);
    });
}

Var abs(Var x) {  // y = |x|
    Var out = unary("abs", x, [](real x) { return std::fabs(x); });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy sign(x)   (the subgradient 0 at x = 0)
        unary_backward(t, n, [](real x, real, real dy) { return x > 0 ? dy : x < 0 ? -dy : 0; });
    });
}

Var relu(Var x) {  // y = max(x, 0)
    Var out = unary("relu", x, [](real x) { return x > 0 ? x : 0; });
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy [x > 0]   (y > 0 exactly when x > 0)
        unary_backward(t, n, [](real, real y, real dy) { return y > 0 ? dy : 0; });  // a select: the loop vectorizes
    });
}

Var leaky_relu(Var x, real slope) {  // y = x > 0 ? x : slope x
    Var out = unary("leaky_relu", x, [slope](real x) { return x > 0 ? x : slope * x; });
    out.node().slope = slope;
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy (x > 0 ? 1 : slope)
        const real slope = n.slope;
        unary_backward(t, n, [slope](real x, real, real dy) { return x > 0 ? dy : slope * dy; });
    });
}

Var sigmoid(Var x) {  // y = 1 / (1 + e^-x), computed from e^-|x| so nothing overflows (vsigmoid)
    Var out = unary("sigmoid", x, [](real x) { return vsigmoid(x); }, kMinPerThreadMath);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy y (1 - y)
        unary_backward(t, n, [](real, real y, real dy) { return dy * y * (1 - y); });
    });
}

Var tanh(Var x) {  // y = tanh x
    Var out = unary("tanh", x, [](real x) { return vtanh(x); }, kMinPerThreadMath);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy (1 - y^2)
        unary_backward(t, n, [](real, real y, real dy) { return dy * (1 - y * y); });
    });
}

// y = ln(1 + e^x). NOTE: that form overflows for large x; max(x, 0) + ln(1 + e^-|x|) is the same value
// and never does (vsoftplus)
Var softplus(Var x) {
    Var out = unary("softplus", x, [](real x) { return vsoftplus(x); }, kMinPerThreadMath);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy sigmoid(x)
        unary_backward(t, n, [](real x, real, real dy) { return dy * vsigmoid(x); }, kMinPerThreadMath);
    });
}

Var clamp(Var x, real lo, real hi) {  // y = min(max(x, lo), hi)
    if (!(lo <= hi)) throw Error("clamp: lower bound " + std::to_string(lo) + " is above upper bound " + std::to_string(hi));
    Var out = unary("clamp", x, [lo, hi](real x) { return std::min(std::max(x, lo), hi); });
    out.node().lo = lo;
    out.node().hi = hi;
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy [lo < x < hi]
        const real lo = n.lo, hi = n.hi;
        unary_backward(t, n, [lo, hi](real x, real, real dy) { return (x > lo && x < hi) ? dy : 0; });
    });
}

}  // namespace tg
