// ops_shape.cpp — ops that move values without changing them: reshape, transpose, column slices,
// concatenation, and detach (a copy that stops the gradient).
// Names: ops_impl.h's legend.  derivations: docs/ops.md
#include "autograd/ops_impl.h"

#include <cstring>

namespace tg {

Var reshape(Var x, Shape s) {
    if (s.numel() != x.shape().numel()) throw shape_error("reshape", x.shape(), s, "sizes differ");
    Var out = tape_of(x, "reshape").push("reshape", s, {x});
    std::memcpy(out.value().ptr(), x.value().ptr(), s.numel() * sizeof(real));
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx += dy, read in x's shape (same order)
        Tensor& dx = *t.grad_of(n.in[0]);
        for (size_t i = 0; i < dx.size(); i++) dx[i] += n.grad[i];
    });
}

Var transpose(Var x) {
    if (x.shape().ndim != 2) throw Error("transpose: takes a 2-D tensor, got " + x.shape().str());
    int R = x.shape()[0], C = x.shape()[1];
    Var out = tape_of(x, "transpose").push("transpose", Shape{C, R}, {x});
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) Y.at(j, i) = X.at(i, j);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx[i,j] += dy[j,i]
        Tensor& dx = *t.grad_of(n.in[0]);
        int R = dx.dim(0), C = dx.dim(1);
        for (int i = 0; i < R; i++)
            for (int j = 0; j < C; j++) dx.at(i, j) += n.grad.at(j, i);
    });
}

Var slice_cols(Var x, int c0, int c1) {
    const Shape& s = x.shape();
    if (s.ndim != 2) throw Error("slice_cols: takes a 2-D tensor, got " + s.str());
    if (c0 < 0 || c1 > s[1] || c0 >= c1)
        throw Error("slice_cols: columns [" + std::to_string(c0) + ", " + std::to_string(c1) + ") are not a non-empty range inside " + s.str());
    int R = s[0];
    Var out = tape_of(x, "slice_cols").push("slice_cols", Shape{R, c1 - c0}, {x});
    out.node().first_col = c0;
    const Tensor& X = x.value();
    Tensor& Y = out.value();
    for (int i = 0; i < R; i++)
        for (int j = c0; j < c1; j++) Y.at(i, j - c0) = X.at(i, j);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx[:, c0:c1] += dy
        Tensor& dx = *t.grad_of(n.in[0]);
        int R = n.grad.dim(0), W = n.grad.dim(1);
        for (int i = 0; i < R; i++)
            for (int j = 0; j < W; j++) dx.at(i, n.first_col + j) += n.grad.at(i, j);
    });
}

Var concat(Var a, Var b, int axis) {
    const Shape &sa = a.shape(), &sb = b.shape();
    if (sa.ndim != 2 || sb.ndim != 2) throw shape_error("concat", sa, sb, "takes 2-D tensors");
    if (axis != 0 && axis != 1) throw Error("concat: axis must be 0 (rows) or 1 (columns), got " + std::to_string(axis));
    if (axis == 0 && sa[1] != sb[1]) throw shape_error("concat", sa, sb, "stacking rows (axis 0) needs equal column counts");
    if (axis == 1 && sa[0] != sb[0]) throw shape_error("concat", sa, sb, "joining columns (axis 1) needs equal row counts");
    Shape s = axis == 0 ? Shape{sa[0] + sb[0], sa[1]} : Shape{sa[0], sa[1] + sb[1]};
    Var out = tape_of(a, "concat").push("concat", s, {a, b});
    out.node().axis = axis;
    const Tensor &A = a.value(), &B = b.value();
    Tensor& Y = out.value();
    for (int i = 0; i < s[0]; i++)
        for (int j = 0; j < s[1]; j++) {
            bool first = axis == 0 ? i < sa[0] : j < sa[1];  // which input (i, j) comes from
            Y.at(i, j) = first ? A.at(i, j) : axis == 0 ? B.at(i - sa[0], j) : B.at(i, j - sa[1]);
        }
    return out.tape->record(out, [](Tape& t, Node& n) {  // da += dy[part of a];  db += dy[part of b]
        Tensor *dA = t.grad_of(n.in[0]), *dB = t.grad_of(n.in[1]);
        const Shape& sa = t.val(n.in[0]).shape;
        for (int i = 0; i < n.grad.dim(0); i++)
            for (int j = 0; j < n.grad.dim(1); j++) {
                bool first = n.axis == 0 ? i < sa[0] : j < sa[1];
                if (first && dA) dA->at(i, j) += n.grad.at(i, j);
                if (!first && dB) (n.axis == 0 ? dB->at(i - sa[0], j) : dB->at(i, j - sa[1])) += n.grad.at(i, j);
            }
    });
}

Var detach(Var x) {
    Var out = tape_of(x, "detach").push("detach", x.shape(), {});  // no inputs: the graph ends here
    std::memcpy(out.value().ptr(), x.value().ptr(), x.value().size() * sizeof(real));
    return out.tape->record(out, nullptr);
}

}  // namespace tg
