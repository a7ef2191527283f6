// ops_impl.h — small helpers shared by the ops_*.cpp files (not part of the public API): the tape an op
// records on, broadcasting geometry, and the loss reduction scale.
// Legend for every ops_*.cpp file:
//   x, y      an op's input and output (Vars);  X, Y  their values as pointers indexed by element
//   dX, dY    pointers to their gradients (d loss / d value);  A, B and dA, dB for an op's two inputs
//   R, C      rows and columns of the (rows, cols) view of a tensor: (numel / last dim, last dim)
//   M, N, K   a matrix product's sizes: op(A) is (M, K), op(B) is (K, N), the output (M, N)
//   B, I, O   a linear layer's batch, in features, out features;  n  a number of elements
// Loops: for_each_index / for_each_range (autograd/loops.h) read as plain loops; vexp, vlog1p, vtanh,
// vsigmoid, vsoftplus and sum_double are exp, log(1 + u), tanh, σ, softplus and Σ written so a loop
// calling them vectorizes (autograd/fast/vmath.h).
#pragma once
#include <algorithm>
#include <cmath>

#include "autograd/loops.h"
#include "autograd/ops.h"
#include "autograd/fast/vmath.h"

namespace tg {

// The tape of an op's first input; an empty Var is a clear error, not a null dereference.
inline Tape& tape_of(Var v, const char* op) {
    if (!v.tape) throw Error(std::string(op) + ": input is an empty Var (it belongs to no tape)");
    return *v.tape;
}

// Broadcast geometry on the (rows, cols) view: the output is (R, C); operand a's element for output
// (i, j) sits at i * a_rs + j * a_cs, with stride 0 along a dimension of size 1 (likewise b).
struct Bcast {
    int R = 0, C = 0;
    size_t a_rs = 0, a_cs = 0, b_rs = 0, b_cs = 0;
    bool same = false;  // equal shapes: one flat loop the compiler can vectorize
};

inline Bcast broadcast(const char* op, const Shape& a, const Shape& b, Shape* out) {
    Bcast g;
    g.R = std::max(a.rows(), b.rows());
    g.C = std::max(a.cols(), b.cols());
    if (a == b) {
        g.same = true;
        if (out) *out = a;
        return g;
    }
    auto fits = [&](const Shape& s) { return (s.rows() == g.R || s.rows() == 1) && (s.cols() == g.C || s.cols() == 1); };
    if (!fits(a) || !fits(b))
        throw shape_error(op, a, b, "cannot broadcast (seen as (rows, cols), each side's rows and cols must equal the other's or be 1)");
    g.a_rs = a.rows() == 1 ? 0 : (size_t)a.cols();
    g.a_cs = a.cols() == 1 ? 0 : 1;
    g.b_rs = b.rows() == 1 ? 0 : (size_t)b.cols();
    g.b_cs = b.cols() == 1 ? 0 : 1;
    if (out) {
        size_t n = (size_t)g.R * g.C;
        *out = a.numel() == n ? a : b.numel() == n ? b : Shape{g.R, g.C};
    }
    return g;
}

// Call f(output index, a index, b index) for every output element.
template <class F>
inline void each(const Bcast& g, F f) {
    if (g.same) {
        for_each_index((size_t)g.R * g.C, [&f](size_t o) { f(o, o, o); });
        return;
    }
    for (int i = 0; i < g.R; i++)
        for (int j = 0; j < g.C; j++) f((size_t)i * g.C + j, i * g.a_rs + j * g.a_cs, i * g.b_rs + j * g.b_cs);
}

// The factor that turns a sum of per-element losses into the reduction asked for.
inline real reduce_scale(Reduce r, const Shape& s) {
    switch (r) {
        case Reduce::Sum: return 1;
        case Reduce::Mean: return real(1) / (real)s.numel();
        case Reduce::BatchMean: return real(1) / (real)s.rows();
    }
    return 1;
}

}  // namespace tg
