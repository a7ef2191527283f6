// ops_conv.cpp — conv2d and conv_transpose2d through im2col / col2im and the one GEMM (blas.h), pooling,
// upsampling, and the image <-> rows reshapes. Names: ops_conv.h's legend (N, C, O, H, W, Ho, Wo, k, s, p)
// and ops_impl.h's (X, Y, dX, dY).  P = Ho·Wo, the output pixels of one image;  CKK = C·k·k.
// Loops over images or planes run through for_each_index, each index writing its own image or plane only;
// a gemm() inside such a loop runs on that loop's thread (autograd/fast/threads.h: no nesting).
// derivations and pictures: docs/conv.md
#include "autograd/ops_conv.h"

#include "autograd/blas.h"
#include "autograd/fast/gemm_blocks.h"
#include "autograd/ops_impl.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// im2col / col2im: the unrolling that turns a convolution into a matrix product (docs/conv.md, "im2col").
// Row (c·k + a)·k + e of cols_n holds, for every output pixel (i, j), the input pixel under kernel tap
// (a, e): x[n,c, i·s - p + a, j·s - p + e], or 0 where that falls in the padding.

// The output columns j whose input column j·s - p + e lies inside the image [0, W): [j0, j1).
static void inside(int W, int Wo, int s, int p, int e, int& j0, int& j1) {
    j0 = p - e > 0 ? (p - e + s - 1) / s : 0;                              // j·s - p + e >= 0
    j1 = W + p - e > 0 ? std::min(Wo, (W + p - e + s - 1) / s) : 0;        // j·s - p + e < W
    j1 = std::max(j0, j1);
}

void im2col(const real* x, int N, int C, int H, int W, int k, int s, int p, int Ho, int Wo, real* cols) {
    const size_t P = (size_t)Ho * Wo, plane = (size_t)H * W;
    // one (n, c) plane per index: it fills rows c·k·k .. (c+1)·k·k - 1 of cols_n, i.e. from nc·k·k·P on
    for_each_index((size_t)N * C, [=](size_t nc) {
        const real* xp = x + nc * plane;
        real* row = cols + nc * k * k * P;
        for (int a = 0; a < k; a++)
            for (int e = 0; e < k; e++, row += P)
                for (int i = 0; i < Ho; i++) {
                    real* out = row + (size_t)i * Wo;
                    const int r = i * s - p + a;  // the input row under tap a
                    if (r < 0 || r >= H) { std::fill(out, out + Wo, real(0)); continue; }
                    const real* xr = xp + (size_t)r * W;
                    int j0, j1;  // columns left of the image, inside it, right of it
                    inside(W, Wo, s, p, e, j0, j1);
                    std::fill(out, out + j0, real(0));
                    if (s == 1) std::copy(xr + j0 - p + e, xr + j1 - p + e, out + j0);  // a contiguous run
                    else for (int j = j0; j < j1; j++) out[j] = xr[j * s - p + e];
                    std::fill(out + j1, out + Wo, real(0));
                }
    }, kMinPerThread / ((size_t)k * k * P) + 1);
}

// The adjoint of im2col: every entry goes back to the pixel it was copied from, and a pixel under several
// windows (stride < k) receives the sum of their entries (docs/conv.md, "col2im accumulates").
void col2im(const real* cols, int N, int C, int H, int W, int k, int s, int p, int Ho, int Wo, real* x) {
    const size_t P = (size_t)Ho * Wo, plane = (size_t)H * W;
    for_each_index((size_t)N * C, [=](size_t nc) {
        real* xp = x + nc * plane;
        const real* row = cols + nc * k * k * P;
        for (int a = 0; a < k; a++)
            for (int e = 0; e < k; e++, row += P)
                for (int i = 0; i < Ho; i++) {
                    const int r = i * s - p + a;
                    if (r < 0 || r >= H) continue;  // this row of the window lies in the padding
                    real* xr = xp + (size_t)r * W;
                    const real* in = row + (size_t)i * Wo;
                    int j0, j1;
                    inside(W, Wo, s, p, e, j0, j1);
                    for (int j = j0; j < j1; j++) xr[j * s - p + e] += in[j];
                }
    }, kMinPerThread / ((size_t)k * k * P) + 1);
}

// ----------------------------------------------------------------------------------------------
// shared checks and the bias

static void check_image(const char* op, const Shape& s, const char* name) {
    if (s.ndim != 4)
        throw Error(std::string(op) + ": " + name + " must be 4-D (N, C, H, W), got " + s.str() +
                    "; turn rows of pixels into images with unflatten(x, C, H, W)");
}

static void check_bias(const char* op, Var b, int O, const Shape& sw) {
    if (b.valid() && b.shape().numel() != (size_t)O)
        throw shape_error(op, sw, b.shape(), "the bias needs one value per output channel");
}

// y[n,o,:] = b[o] (or 0 without a bias): the GEMM then adds onto it (beta = 1).  Y (N, O, P)
static void fill_bias(real* Y, Var b, int N, int O, size_t P) {
    const real* bias = b.valid() ? b.value().ptr() : nullptr;
    for_each_index((size_t)N * O, [=](size_t no) {
        std::fill(Y + no * P, Y + (no + 1) * P, bias ? bias[no % O] : real(0));
    }, kMinPerThread / P + 1);
}

// db[o] += Σ_n Σ_pixels dy[n,o,:]: each index sums one channel.  dY (N, O, P)
static void add_bias_grad(real* db, const real* dY, int N, int O, size_t P) {
    for_each_index(O, [=](size_t o) {
        double acc = 0;
        for (int i = 0; i < N; i++) acc += sum_double(dY + ((size_t)i * O + o) * P, P);
        db[o] += (real)acc;
    }, kMinPerThread / (N * P) + 1);
}

// ----------------------------------------------------------------------------------------------
// conv2d: with cols_n = im2col(x_n) (C·k·k, P) and w seen as a matrix (O, C·k·k), one image is one product
//   y_n (O, P) = w cols_n + b
// so the matmul transpose rule (docs/ops.md) gives the backward:
//   dw (O, CKK) += dy_n cols_n^T        dcols_n (CKK, P) = w^T dy_n        dx_n += col2im(dcols_n)
// col2im(w^T dy) is the correlation of dy with the flipped kernel: a transposed convolution (docs/conv.md).
// Saves cols for the whole batch in the node's `saved` buffer (N, CKK, P), reused from step to step;
// backward overwrites each cols_n with dcols_n once dw has used it.

Var conv2d(Var x, Var w, Var b, int stride, int pad) {
    const Shape &sx = x.shape(), &sw = w.shape();
    check_image("conv2d", sx, "x");
    if (sw.ndim != 4 || sw[2] != sw[3]) throw Error("conv2d: w must be (O, C, k, k), a square kernel, got " + sw.str());
    if (sw[1] != sx[1]) throw shape_error("conv2d", sx, sw, "x's channels (dim 1) must equal w's input channels (dim 1)");
    if (stride < 1 || pad < 0)
        throw Error("conv2d: stride must be >= 1 and padding >= 0, got stride " + std::to_string(stride) + ", padding " + std::to_string(pad));
    const int N = sx[0], C = sx[1], H = sx[2], W = sx[3], O = sw[0], k = sw[2];
    if (H + 2 * pad < k || W + 2 * pad < k)
        throw shape_error("conv2d", sx, sw, "the kernel is larger than the padded image; pad more or use a smaller kernel");
    check_bias("conv2d", b, O, sw);
    const int Ho = (H + 2 * pad - k) / stride + 1, Wo = (W + 2 * pad - k) / stride + 1;
    Tape& t = tape_of(x, "conv2d");
    Var out = b.valid() ? t.push("conv2d", Shape{N, O, Ho, Wo}, {x, w, b}) : t.push("conv2d", Shape{N, O, Ho, Wo}, {x, w});
    Node& nd = out.node();
    nd.k = k, nd.stride = stride, nd.pad = pad;
    const size_t P = (size_t)Ho * Wo, CKK = (size_t)C * k * k;
    nd.saved.resize(Shape{N, (int)CKK, (int)P});  // cols: keeps its buffer when the shape repeats
    real *cols = nd.saved.ptr(), *Y = out.value().ptr();
    im2col(x.value().ptr(), N, C, H, W, k, stride, pad, Ho, Wo, cols);
    fill_bias(Y, b, N, O, P);
    const real* Wp = w.value().ptr();
    for_each_index(N, [=](size_t i) {  // y_n += w cols_n
        gemm(false, false, O, (int)P, (int)CKK, 1, Wp, (int)CKK, cols + i * CKK * P, (int)P, 1, Y + i * O * P, (int)P);
    }, kMinParallelMacs / (O * P * CKK) + 1);
    return t.record(out, [](Tape& t, Node& n) {
        const Tensor &X = t.val(n.in[0]), &Wt = t.val(n.in[1]), &dY = n.grad;
        const int N = X.dim(0), C = X.dim(1), H = X.dim(2), W = X.dim(3), O = Wt.dim(0), k = n.k, Ho = dY.dim(2), Wo = dY.dim(3);
        const size_t P = (size_t)Ho * Wo, CKK = (size_t)C * k * k;
        Tensor *dX = t.grad_of(n.in[0]), *dW = t.grad_of(n.in[1]);
        real* cols = n.saved.ptr();
        const real *dy = dY.ptr(), *Wp = Wt.ptr();
        if (dW)  // one image after another: they all add into the same dw
            for (int i = 0; i < N; i++)
                gemm(false, true, O, (int)CKK, (int)P, 1, dy + i * O * P, (int)P, cols + i * CKK * P, (int)P, 1, dW->ptr(), (int)CKK);  // dw += dy_n cols_n^T
        if (dX) {
            real* dx = dX->ptr();
            const int s = n.stride, p = n.pad;
            for_each_index(N, [=](size_t i) {  // each image writes its own dx_n
                real* dcols_i = cols + i * CKK * P;  // cols_n is no longer needed: dcols_n takes its place
                gemm(true, false, (int)CKK, (int)P, O, 1, Wp, (int)CKK, dy + i * O * P, (int)P, 0, dcols_i, (int)P);  // dcols_n = w^T dy_n
                col2im(dcols_i, 1, C, H, W, k, s, p, Ho, Wo, dx + i * C * H * W);  // dx_n += col2im(dcols_n)
            }, kMinParallelMacs / (O * P * CKK) + 1);
        }
        if (n.n_in == 3)
            if (Tensor* db = t.grad_of(n.in[2])) add_bias_grad(db->ptr(), dY.ptr(), N, O, P);  // db += Σ dy
    });
}

// ----------------------------------------------------------------------------------------------
// conv_transpose2d: conv2d's input gradient used as a forward op. w (C, O, k, k) seen as (C, O·k·k):
//   cols_n (OKK, H·W) = w^T x_n          y_n = col2im(cols_n) + b     (y is an O-channel Ho×Wo image)
// Its backward is therefore a convolution of dy: with dcols_n = im2col(dy_n) (OKK, H·W),
//   dx_n (C, H·W) += w dcols_n           dw (C, OKK) += x_n dcols_n^T        db += Σ dy
// Saves nothing new: `saved` holds cols in forward and dcols in backward (N, OKK, H·W), reused.

Var conv_transpose2d(Var x, Var w, Var b, int stride, int pad, int output_padding) {
    const Shape &sx = x.shape(), &sw = w.shape();
    check_image("conv_transpose2d", sx, "x");
    if (sw.ndim != 4 || sw[2] != sw[3]) throw Error("conv_transpose2d: w must be (C, O, k, k), a square kernel, got " + sw.str());
    if (sw[0] != sx[1]) throw shape_error("conv_transpose2d", sx, sw, "x's channels (dim 1) must equal w's input channels (dim 0, PyTorch's layout)");
    if (stride < 1 || pad < 0 || output_padding < 0 || output_padding >= stride)
        throw Error("conv_transpose2d: need stride >= 1, padding >= 0 and 0 <= output_padding < stride, got stride " + std::to_string(stride) +
                    ", padding " + std::to_string(pad) + ", output_padding " + std::to_string(output_padding));
    const int N = sx[0], C = sx[1], H = sx[2], W = sx[3], O = sw[1], k = sw[2];
    const int Ho = (H - 1) * stride - 2 * pad + k + output_padding, Wo = (W - 1) * stride - 2 * pad + k + output_padding;
    if (Ho < 1 || Wo < 1) throw shape_error("conv_transpose2d", sx, sw, "the padding removes the whole output; use less padding");
    check_bias("conv_transpose2d", b, O, sw);
    Tape& t = tape_of(x, "conv_transpose2d");
    Var out = b.valid() ? t.push("conv_transpose2d", Shape{N, O, Ho, Wo}, {x, w, b}) : t.push("conv_transpose2d", Shape{N, O, Ho, Wo}, {x, w});
    Node& nd = out.node();
    nd.k = k, nd.stride = stride, nd.pad = pad;
    const size_t HW = (size_t)H * W, OKK = (size_t)O * k * k;
    nd.saved.resize(Shape{N, (int)OKK, (int)HW});
    real *cols = nd.saved.ptr(), *Y = out.value().ptr();
    const real *Wp = w.value().ptr(), *X = x.value().ptr();
    fill_bias(Y, b, N, O, (size_t)Ho * Wo);
    for_each_index(N, [=](size_t i) {  // each image writes its own cols_n and y_n
        gemm(true, false, (int)OKK, (int)HW, C, 1, Wp, (int)OKK, X + i * C * HW, (int)HW, 0, cols + i * OKK * HW, (int)HW);  // cols_n = w^T x_n
        col2im(cols + i * OKK * HW, 1, O, Ho, Wo, k, stride, pad, H, W, Y + i * O * Ho * Wo);  // y_n += col2im(cols_n)
    }, kMinParallelMacs / (OKK * HW * C) + 1);
    return t.record(out, [](Tape& t, Node& n) {
        const Tensor &X = t.val(n.in[0]), &Wt = t.val(n.in[1]), &dY = n.grad;
        const int N = X.dim(0), C = X.dim(1), H = X.dim(2), W = X.dim(3), O = Wt.dim(1), k = n.k, Ho = dY.dim(2), Wo = dY.dim(3);
        const size_t HW = (size_t)H * W, OKK = (size_t)O * k * k;
        Tensor *dX = t.grad_of(n.in[0]), *dW = t.grad_of(n.in[1]);
        real* dcols = n.saved.ptr();
        const real *Wp = Wt.ptr(), *x = X.ptr();
        if (dX || dW) im2col(dY.ptr(), N, O, Ho, Wo, k, n.stride, n.pad, H, W, dcols);  // dcols = im2col(dy)
        if (dX) {
            real* dx = dX->ptr();
            for_each_index(N, [=](size_t i) {  // each image writes its own dx_n
                gemm(false, false, C, (int)HW, (int)OKK, 1, Wp, (int)OKK, dcols + i * OKK * HW, (int)HW, 1, dx + i * C * HW, (int)HW);  // dx_n += w dcols_n
            }, kMinParallelMacs / (OKK * HW * C) + 1);
        }
        if (dW)  // one image after another: they all add into the same dw
            for (int i = 0; i < N; i++)
                gemm(false, true, C, (int)OKK, (int)HW, 1, x + i * C * HW, (int)HW, dcols + i * OKK * HW, (int)HW, 1, dW->ptr(), (int)OKK);  // dw += x_n dcols_n^T
        if (n.n_in == 3)
            if (Tensor* db = t.grad_of(n.in[2])) add_bias_grad(db->ptr(), dY.ptr(), N, O, (size_t)Ho * Wo);  // db += Σ dy
    });
}

// ----------------------------------------------------------------------------------------------
// pooling: each (n, c) plane on its own, windows k×k every s pixels, no padding (floor of the fit).

static int pool_geometry(const char* op, const Shape& sx, int k, int& stride, int& Ho, int& Wo) {
    check_image(op, sx, "x");
    if (stride == 0) stride = k;
    if (k < 1 || stride < 1 || k > sx[2] || k > sx[3])
        throw Error(std::string(op) + ": need 1 <= k <= the image's height and width and stride >= 1 (0 = k), got k " + std::to_string(k) +
                    ", stride " + std::to_string(stride) + " for x " + sx.str());
    Ho = (sx[2] - k) / stride + 1;
    Wo = (sx[3] - k) / stride + 1;
    return sx[0] * sx[1];  // planes
}

// y = max over each window;  dx[argmax] += dy.  Saves the argmax as an index into its plane (a real:
// exact for planes below 2^24 pixels), so backward needs neither x nor y.
Var max_pool2d(Var x, int k, int stride) {
    int Ho, Wo;
    const int planes = pool_geometry("max_pool2d", x.shape(), k, stride, Ho, Wo);
    const int H = x.shape()[2], W = x.shape()[3];
    Var out = tape_of(x, "max_pool2d").push("max_pool2d", Shape{x.shape()[0], x.shape()[1], Ho, Wo}, {x});
    Node& nd = out.node();
    nd.k = k, nd.stride = stride;
    nd.saved.resize(out.shape());
    const real* X = x.value().ptr();
    real *Y = out.value().ptr(), *arg = nd.saved.ptr();
    const size_t P = (size_t)Ho * Wo, plane = (size_t)H * W;
    for_each_index(planes, [=](size_t q) {
        const real* xp = X + q * plane;
        for (int i = 0; i < Ho; i++)
            for (int j = 0; j < Wo; j++) {
                size_t best = (size_t)i * stride * W + (size_t)j * stride;
                real m = xp[best];
                for (int a = 0; a < k; a++)
                    for (int e = 0; e < k; e++) {
                        size_t at = (size_t)(i * stride + a) * W + j * stride + e;
                        bool up = xp[at] > m;  // strictly greater: the first maximum wins ties
                        m = up ? xp[at] : m;   // selects, not a branch: on images the branch is a coin toss
                        best = up ? at : best;
                    }
                Y[q * P + (size_t)i * Wo + j] = m;
                arg[q * P + (size_t)i * Wo + j] = (real)best;
            }
    }, kMinPerThread / (P * k * k) + 1);
    return out.tape->record(out, [](Tape& t, Node& n) {
        Tensor& dx = *t.grad_of(n.in[0]);
        const size_t P = (size_t)n.grad.dim(2) * n.grad.dim(3), plane = (size_t)dx.dim(2) * dx.dim(3);
        const real *dY = n.grad.ptr(), *arg = n.saved.ptr();
        real* dX = dx.ptr();
        for_each_index(n.grad.dim(0) * n.grad.dim(1), [=](size_t q) {  // windows may overlap: one plane per index
            for (size_t o = 0; o < P; o++) dX[q * plane + (size_t)arg[q * P + o]] += dY[q * P + o];  // dx[argmax] += dy
        }, kMinPerThread / P + 1);
    });
}

// y = Σ window / k²;  dx[window] += dy / k²
Var avg_pool2d(Var x, int k, int stride) {
    int Ho, Wo;
    const int planes = pool_geometry("avg_pool2d", x.shape(), k, stride, Ho, Wo);
    const int H = x.shape()[2], W = x.shape()[3];
    Var out = tape_of(x, "avg_pool2d").push("avg_pool2d", Shape{x.shape()[0], x.shape()[1], Ho, Wo}, {x});
    Node& nd = out.node();
    nd.k = k, nd.stride = stride, nd.scale = real(1) / (real)(k * k);
    const real* X = x.value().ptr();
    real* Y = out.value().ptr();
    const real scale = nd.scale;
    const size_t P = (size_t)Ho * Wo, plane = (size_t)H * W;
    for_each_index(planes, [=](size_t q) {
        const real* xp = X + q * plane;
        for (int i = 0; i < Ho; i++)
            for (int j = 0; j < Wo; j++) {
                real acc = 0;
                for (int a = 0; a < k; a++)
                    for (int e = 0; e < k; e++) acc += xp[(size_t)(i * stride + a) * W + j * stride + e];
                Y[q * P + (size_t)i * Wo + j] = acc * scale;
            }
    }, kMinPerThread / (P * k * k) + 1);
    return out.tape->record(out, [](Tape& t, Node& n) {
        Tensor& dx = *t.grad_of(n.in[0]);
        const int Ho = n.grad.dim(2), Wo = n.grad.dim(3), W = dx.dim(3), k = n.k, s = n.stride;
        const size_t P = (size_t)Ho * Wo, plane = (size_t)dx.dim(2) * W;
        const real *dY = n.grad.ptr(), scale = n.scale;
        real* dX = dx.ptr();
        for_each_index(n.grad.dim(0) * n.grad.dim(1), [=](size_t q) {
            for (int i = 0; i < Ho; i++)
                for (int j = 0; j < Wo; j++) {
                    const real g = dY[q * P + (size_t)i * Wo + j] * scale;
                    for (int a = 0; a < k; a++)
                        for (int e = 0; e < k; e++) dX[q * plane + (size_t)(i * s + a) * W + j * s + e] += g;  // dx[window] += dy / k²
                }
        }, kMinPerThread / (P * k * k) + 1);
    });
}

// ----------------------------------------------------------------------------------------------
// upsample2d (nearest): y[i, j] = x[i / s, j / s];  dx[a, e] += Σ_{i/s = a, j/s = e} dy[i, j]

Var upsample2d(Var x, int scale) {
    const Shape& sx = x.shape();
    check_image("upsample2d", sx, "x");
    if (scale < 1) throw Error("upsample2d: scale must be >= 1, got " + std::to_string(scale));
    const int H = sx[2], W = sx[3], Ho = H * scale, Wo = W * scale;
    Var out = tape_of(x, "upsample2d").push("upsample2d", Shape{sx[0], sx[1], Ho, Wo}, {x});
    out.node().k = scale;
    const real* X = x.value().ptr();
    real* Y = out.value().ptr();
    const size_t P = (size_t)Ho * Wo, plane = (size_t)H * W;
    for_each_index((size_t)sx[0] * sx[1], [=](size_t q) {
        for (int i = 0; i < Ho; i++)
            for (int j = 0; j < Wo; j++) Y[q * P + (size_t)i * Wo + j] = X[q * plane + (size_t)(i / scale) * W + j / scale];
    }, kMinPerThread / P + 1);
    return out.tape->record(out, [](Tape& t, Node& n) {
        Tensor& dx = *t.grad_of(n.in[0]);
        const int Ho = n.grad.dim(2), Wo = n.grad.dim(3), W = dx.dim(3), s = n.k;
        const size_t P = (size_t)Ho * Wo, plane = (size_t)dx.dim(2) * W;
        const real* dY = n.grad.ptr();
        real* dX = dx.ptr();
        for_each_index(n.grad.dim(0) * n.grad.dim(1), [=](size_t q) {
            for (int i = 0; i < Ho; i++)
                for (int j = 0; j < Wo; j++) dX[q * plane + (size_t)(i / s) * W + j / s] += dY[q * P + (size_t)i * Wo + j];  // the block's sum
        }, kMinPerThread / P + 1);
    });
}

// ----------------------------------------------------------------------------------------------
// reshapes: flatten and unflatten are reshape (same values in the same order); channels_last and
// channels_first move each image's (C, H·W) matrix to (H·W, C) and back.

Var flatten(Var x) {
    const Shape& s = x.shape();
    check_image("flatten", s, "x");
    return reshape(x, Shape{s[0], s[1] * s[2] * s[3]});
}

Var unflatten(Var x, int C, int H, int W) {
    const Shape& s = x.shape();
    if (s.ndim != 2 || C < 1 || H < 1 || W < 1 || (size_t)s[1] != (size_t)C * H * W)
        throw Error("unflatten: x must be (N, C·H·W) = (N, " + std::to_string((long)C * H * W) + ") for C, H, W = " + std::to_string(C) +
                    ", " + std::to_string(H) + ", " + std::to_string(W) + ", got " + s.str());
    return reshape(x, Shape{s[0], C, H, W});
}

// dst[n, q, c] (+)= src[n, c, q] for q < HW: each image's (C, HW) matrix transposed into (HW, C)
static void to_rows(const real* src, real* dst, int N, int C, size_t HW, bool add) {
    for_each_index(N, [=](size_t i) {
        const real* s = src + i * C * HW;
        real* d = dst + i * C * HW;
        for (int c = 0; c < C; c++)
            for (size_t q = 0; q < HW; q++) d[q * C + c] = (add ? d[q * C + c] : 0) + s[(size_t)c * HW + q];
    }, kMinPerThread / (C * HW) + 1);
}

// dst[n, c, q] (+)= src[n, q, c]: the inverse of to_rows
static void to_pixels(const real* src, real* dst, int N, int C, size_t HW, bool add) {
    for_each_index(N, [=](size_t i) {
        const real* s = src + i * C * HW;
        real* d = dst + i * C * HW;
        for (int c = 0; c < C; c++)
            for (size_t q = 0; q < HW; q++) d[(size_t)c * HW + q] = (add ? d[(size_t)c * HW + q] : 0) + s[q * C + c];
    }, kMinPerThread / (C * HW) + 1);
}

Var channels_last(Var x) {
    const Shape& s = x.shape();
    check_image("channels_last", s, "x");
    const int N = s[0], C = s[1];
    const size_t HW = (size_t)s[2] * s[3];
    Var out = tape_of(x, "channels_last").push("channels_last", Shape{(int)(N * HW), C}, {x});
    to_rows(x.value().ptr(), out.value().ptr(), N, C, HW, false);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx[n,c,q] += dy[n·HW + q, c]
        Tensor& dx = *t.grad_of(n.in[0]);
        to_pixels(n.grad.ptr(), dx.ptr(), dx.dim(0), dx.dim(1), (size_t)dx.dim(2) * dx.dim(3), true);
    });
}

Var channels_first(Var x, int N, int H, int W) {
    const Shape& s = x.shape();
    if (s.ndim != 2 || N < 1 || H < 1 || W < 1 || (size_t)s[0] != (size_t)N * H * W)
        throw Error("channels_first: x must be (N·H·W, C) with N·H·W = " + std::to_string((long)N * H * W) + ", got " + s.str());
    const int C = s[1];
    Var out = tape_of(x, "channels_first").push("channels_first", Shape{N, C, H, W}, {x});
    to_pixels(x.value().ptr(), out.value().ptr(), N, C, (size_t)H * W, false);
    return out.tape->record(out, [](Tape& t, Node& n) {  // dx[n·HW + q, c] += dy[n,c,q]
        Tensor& dx = *t.grad_of(n.in[0]);
        to_rows(n.grad.ptr(), dx.ptr(), n.grad.dim(0), n.grad.dim(1), (size_t)n.grad.dim(2) * n.grad.dim(3), true);
    });
}

}  // namespace tg
