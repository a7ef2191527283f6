// ops_reduce.cpp — sum and mean (over everything or along an axis) and max along an axis.
// Axis reductions work on 2-D tensors and keep the reduced dimension with size 1, so the result
// broadcasts straight back against its input: x - max(x, 1) subtracts each row's max.
// Names: ops_impl.h's legend.  derivations: docs/ops.md
#include "autograd/ops_impl.h"

namespace tg {

static void need_2d(const char* op, Var x, int axis) {
    if (x.shape().ndim != 2) throw Error(std::string(op) + ": axis reductions take a 2-D tensor, got " + x.shape().str() + "; reshape it first");
    if (axis != 0 && axis != 1) throw Error(std::string(op) + ": axis must be 0 (down the columns) or 1 (along the rows), got " + std::to_string(axis));
}

// ----------------------------------------------------------------------------------------------
// y = scale * Σ x   (sum: scale = 1, mean: scale = 1/n)
static Var total(const char* op, Var x, real scale) {
    Var out = tape_of(x, op).push(op, Shape{}, {x});
    out.node().scale = scale;
    double acc = 0;  // accumulate in double: float sums of 10^5 terms lose digits
    for (real v : x.value().data) acc += v;
    out.value()[0] = (real)(acc * scale);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy * scale
        Tensor& dx = *t.grad_of(n.in[0]);
        real g = n.grad[0] * n.scale;
        for (size_t i = 0; i < dx.size(); i++) dx[i] += g;
    });
}

Var sum(Var x) { return total("sum", x, 1); }
Var mean(Var x) { return total("mean", x, real(1) / (real)x.shape().numel()); }

// ----------------------------------------------------------------------------------------------
// y = scale * Σ_axis x, keeping the axis with size 1
static Var along(const char* op, Var x, int axis, bool is_mean) {
    need_2d(op, x, axis);
    int R = x.shape()[0], C = x.shape()[1];
    Var out = tape_of(x, op).push(op, axis == 0 ? Shape{1, C} : Shape{R, 1}, {x});
    Node& n = out.node();
    n.axis = axis;
    n.scale = is_mean ? real(1) / (real)(axis == 0 ? R : C) : real(1);
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    Y.fill(0);
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) Y[axis == 0 ? j : i] += X.at(i, j);
    const real scale = n.scale;
    for (real& v : Y.data) v *= scale;
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx[i,j] += dy[j] (axis 0) or dy[i] (axis 1), times scale
        Tensor& dx = *t.grad_of(n.in[0]);
        int R = dx.dim(0), C = dx.dim(1);
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++) dx.at(i, j) += n.grad[n.axis == 0 ? j : i] * n.scale;  // (not a hot loop)
    });
}

Var sum(Var x, int axis) { return along("sum_axis", x, axis, false); }
Var mean(Var x, int axis) { return along("mean_axis", x, axis, true); }

// ----------------------------------------------------------------------------------------------
// y = max along axis; saves the flat index of each max for backward
Var max(Var x, int axis) {
    need_2d("max", x, axis);
    int R = x.shape()[0], C = x.shape()[1];
    Var out = tape_of(x, "max").push("max", axis == 0 ? Shape{1, C} : Shape{R, 1}, {x});
    Node& n = out.node();
    n.saved.resize(out.shape());  // argmax as a flat index into x (exact in float below 2^24 elements)
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    int outer = axis == 0 ? C : R, inner = axis == 0 ? R : C;
    for (int o = 0; o < outer; o++) {
        size_t best = axis == 0 ? (size_t)o : (size_t)o * C;
        for (int k = 1; k < inner; k++) {
            size_t idx = axis == 0 ? (size_t)k * C + o : (size_t)o * C + k;
            if (X[idx] > X[best]) best = idx;  // strict: the first max wins ties
        }
        Y[o] = X[best];
        n.saved[o] = (real)best;
    }
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx[argmax] += dy
        Tensor& dx = *t.grad_of(n.in[0]);
        for (size_t o = 0; o < n.grad.size(); o++) dx[(size_t)n.saved[o]] += n.grad[o];
    });
}

}  // namespace tg
