// ops.h — the index of every op: its formula and its derivative, one line each.
// Forward and backward of each op sit together in autograd/ops_<family>.cpp; the derivations are in
// docs/ops.md; every op has a row in the gradient-check table (tests/test_ops.cpp).
// Notation: y = output, dy = d(loss)/dy, dx = d(loss)/dx; every backward *adds* (dx += ...).
// Matrices: an N-d tensor is seen as (rows, cols) = (numel / last dim, last dim).
#pragma once
#include <vector>

#include "autograd/rng.h"
#include "autograd/tape.h"

namespace tg {

// How a loss turns per-element values into one number.
enum class Reduce {
    Mean,       // mean over all elements                    (PyTorch reduction='mean')
    Sum,        // sum over all elements                     (reduction='sum')
    BatchMean,  // sum over all elements / rows: per example (reduction='batchmean'; a VAE's nats/image)
};

// ---- elementwise, two inputs, with broadcasting (ops_elementwise.cpp) -------------------------
// Shapes broadcast on the (rows, cols) view: each side's rows and cols equal the output's or are 1.
// Backward sums dy over the broadcast dimensions (a bias's gradient is a column sum).
Var add(Var a, Var b);  // y = a + b;    da += dy;            db += dy
Var sub(Var a, Var b);  // y = a - b;    da += dy;            db -= dy
Var mul(Var a, Var b);  // y = a * b;    da += dy * b;        db += dy * a
Var div(Var a, Var b);  // y = a / b;    da += dy / b;        db -= dy * a / b^2
Var add(Var x, real s); // y = x + s;    dx += dy
Var mul(Var x, real s); // y = x * s;    dx += dy * s

// ---- elementwise, one input (ops_elementwise.cpp) ----------------------------------------------
Var neg(Var x);                        // y = -x;                 dx -= dy
Var exp(Var x);                        // y = e^x;                dx += dy * y
Var log(Var x);                        // y = ln x;               dx += dy / x
Var sqrt(Var x);                       // y = √x;                 dx += dy / (2y)
Var pow(Var x, real p);                // y = x^p;                dx += dy * p * x^(p-1)
Var abs(Var x);                        // y = |x|;                dx += dy * sign(x)      (sign(0) = 0)
Var relu(Var x);                       // y = max(x, 0);          dx += dy * [x > 0]
Var leaky_relu(Var x, real slope);     // y = x > 0 ? x : s·x;    dx += dy * (x > 0 ? 1 : s)
Var sigmoid(Var x);                    // y = 1 / (1 + e^-x);     dx += dy * y (1 - y)
Var tanh(Var x);                       // y = tanh x;             dx += dy * (1 - y^2)
Var softplus(Var x);                   // y = ln(1 + e^x);        dx += dy * sigmoid(x)
Var clamp(Var x, real lo, real hi);    // y = min(max(x, lo), hi); dx += dy * [lo < x < hi]

// ---- reductions (ops_reduce.cpp); an axis reduction keeps the dimension (size 1) ----------------
Var sum(Var x);               // y = Σ x;               dx += dy
Var mean(Var x);              // y = Σ x / n;           dx += dy / n
Var sum(Var x, int axis);     // 2-D; axis 0: (R,C)->(1,C), axis 1: (R,C)->(R,1);  dx += dy (broadcast)
Var mean(Var x, int axis);    // 2-D; as sum / (size of the axis)
Var max(Var x, int axis);     // 2-D; y = max along axis;  dx[argmax] += dy  (first max wins ties)

// ---- shape (ops_shape.cpp) ---------------------------------------------------------------------
Var reshape(Var x, Shape s);           // same values, new shape;   dx += reshape(dy)
Var transpose(Var x);                  // 2-D; y[j,i] = x[i,j];     dx[i,j] += dy[j,i]
Var slice_cols(Var x, int c0, int c1); // y = x[:, c0:c1];          dx[:, c0:c1] += dy
Var concat(Var a, Var b, int axis);    // 2-D; axis 0 stacks rows, axis 1 columns;  da, db += their part of dy
Var detach(Var x);                     // y = x, but no gradient flows back (a GAN's fake batch for D)

// ---- matrix products (ops_matmul.cpp) ----------------------------------------------------------
// y = op(a) op(b), op = transpose when the flag is set (never materialized);
// d op(a) += dy op(b)^T,  d op(b) += op(a)^T dy
Var matmul(Var a, Var b, bool trans_a = false, bool trans_b = false);
// y = x W^T + b with x (B, in), W (out, in), b (out): PyTorch's Linear. A fusion of
// add(matmul(x, W, false, true), b): the bias is written into y first and the GEMM adds to it (beta = 1).
// dx += dy W;  dW += dy^T x;  db += Σ_rows dy.   b may be an empty Var (no bias).
Var linear(Var x, Var W, Var b);

// ---- neural-net ops (ops_nn.cpp) ---------------------------------------------------------------
// y = x * m / (1 - p), m ~ Bernoulli(1 - p) drawn from rng;  dx += dy * m / (1 - p)   (saves the scaled mask)
// With training = false or p = 0 it returns x itself (identity).
Var dropout(Var x, real p, Rng& rng, bool training = true);
// Along each row: y = x - max(x) - ln Σ e^(x - max(x));   dx += dy - softmax(x) Σ_row dy   (saves y)
Var log_softmax(Var x);
Var softmax(Var x);  // composite: exp(log_softmax(x))

// ---- losses (ops_loss.cpp): fused where composing the primitives would be unstable -------------
// l = (p - t)^2;                                    dp += dy (2 (p - t)) · scale;  dt -= the same
Var mse(Var pred, Var target, Reduce r = Reduce::Mean);
// l = max(z, 0) - z t + ln(1 + e^-|z|)  (= -t ln σ(z) - (1-t) ln(1-σ(z)), without log(0))
//                                                   dz += dy (σ(z) - t) · scale;   dt -= dy z · scale
Var bce_with_logits(Var logits, Var target, Reduce r = Reduce::Mean);
// l_i = ln Σ_j e^z_ij - z_i,y_i  (log-softmax + NLL in one pass);  dz_ij += dy (softmax_ij - [j = y_i]) · scale
// Mean and BatchMean both average over rows here (one value per row).
Var cross_entropy(Var logits, const std::vector<int>& labels, Reduce r = Reduce::Mean);

// ---- operators, so model code reads like the math ----------------------------------------------
inline Var operator+(Var a, Var b) { return add(a, b); }
inline Var operator-(Var a, Var b) { return sub(a, b); }
inline Var operator*(Var a, Var b) { return mul(a, b); }
inline Var operator/(Var a, Var b) { return div(a, b); }
inline Var operator-(Var x) { return neg(x); }
inline Var operator+(Var x, real s) { return add(x, s); }
inline Var operator+(real s, Var x) { return add(x, s); }
inline Var operator-(Var x, real s) { return add(x, -s); }
inline Var operator-(real s, Var x) { return add(neg(x), s); }
inline Var operator*(Var x, real s) { return mul(x, s); }
inline Var operator*(real s, Var x) { return mul(x, s); }
inline Var operator/(Var x, real s) { return mul(x, real(1) / s); }
inline Var operator/(real s, Var x) { return mul(pow(x, -1), s); }

}  // namespace tg
