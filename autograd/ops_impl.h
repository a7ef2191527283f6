// ops_impl.h — small helpers shared by the ops_*.cpp files (not part of the public API).
// Broadcasting geometry, the tape an op records on, and the loss reduction scale.
#pragma once
#include <algorithm>
#include <cmath>

#include "ops.h"
#include "parallel.h"
#include "vmath.h"

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

// for (i = 0; i < n; i++) f(i), with [0, n) cut over tapegrad's threads when n is large (parallel.h). For
// the elementwise ops that the largest layers run every step; f must touch index i only.
template <class F>
inline void parallel_each(size_t n, F f) {
    parallel_for(n, [&f](size_t i0, size_t i1) {
        F g = f;  // a local copy: its captures stay in registers (a store through a float* could alias f's)
        for (size_t i = i0; i < i1; i++) g(i);
    });
}

// Call f(output index, a index, b index) for every output element.
template <class F>
inline void each(const Bcast& g, F f) {
    if (g.same) {
        parallel_each((size_t)g.R * g.C, [&f](size_t o) { f(o, o, o); });
        return;
    }
    for (int i = 0; i < g.R; i++)
        for (int j = 0; j < g.C; j++) f((size_t)i * g.C + j, i * g.a_rs + j * g.a_cs, i * g.b_rs + j * g.b_cs);
}

// Σ x[i] in double, in 8 interleaved partial sums: independent additions the CPU overlaps (one running
// sum waits on itself at every step), in a fixed order, so the result is the same on every run.
inline double sum_double(const real* x, size_t n) {
    double lane[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) lane[k] += x[i + k];
    for (; i < n; i++) lane[i % 8] += x[i];
    return ((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7]));
}

// Loops that compute exp or log per element cost ~10x a copy: they split over threads from this many
// elements per thread (parallel.h; plain streaming loops from kMinParallelElements).
constexpr size_t kMinParallelMath = 4096;

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
