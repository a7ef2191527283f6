// dct.cpp — the 2-D DCT baseline (see dct.h). N = rows, H x W = image, D = H W, K = kept coefficients.
// The transform is separable, Y = C_H X C_W^T, so it costs two gemms per block of images, O(N D (H + W)),
// instead of one dense (D x D) product, O(N D^2): the first multiplies every image row by C_W^T at once,
// then each image is transposed so that the second can multiply every image column by C_H^T at once.
#include "models/dct.h"

#include <algorithm>
#include <cmath>

#include "autograd/blas.h"
#include "models/linalg.h"

namespace tg {

namespace {

const int BLOCK = 1024;  // images per block: bounds the two (BLOCK, D) work buffers

// b[m][j][i] = a[m][i][j] for n matrices of r x c
void transpose_each(const real* a, int n, int r, int c, real* b) {
    for (int m = 0; m < n; m++, a += (size_t)r * c, b += (size_t)r * c)
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) b[(size_t)j * r + i] = a[(size_t)i * c + j];
}

}  // namespace

Tensor dct_basis(int n) {
    Tensor C(Shape{n, n});
    const double pi = 3.14159265358979323846;
    for (int k = 0; k < n; k++) {
        const double s = std::sqrt((k == 0 ? 1.0 : 2.0) / n);
        for (int i = 0; i < n; i++) C.at(k, i) = (real)(s * std::cos(pi * (2 * i + 1) * k / (2.0 * n)));
    }
    return C;
}

std::vector<int> zigzag_order(int height, int width) {
    std::vector<int> order;
    order.reserve((size_t)height * width);
    for (int s = 0; s <= height + width - 2; s++) {  // anti-diagonal u + v = s
        const int lo = std::max(0, s - (width - 1)), hi = std::min(s, height - 1);  // valid rows u on it
        if (s % 2 == 0)
            for (int u = hi; u >= lo; u--) order.push_back(u * width + (s - u));  // up-right
        else
            for (int u = lo; u <= hi; u++) order.push_back(u * width + (s - u));  // down-left
    }
    return order;
}

void DCT::setup(int h, int w, int dim) {
    height = h, width = w;
    order = zigzag_order(h, w);
    order.resize(dim);
    basis_h = dct_basis(h);
    basis_w = dct_basis(w);
}

void DCT::fit(const Dataset& train, int dim, Rng&) {
    const int D = train.dim();
    if (D == 0) throw input_error("dct: the training set " + train.source + " is empty; pass at least one row");
    int h = train.height, w = train.width;
    if (h == 0 && w == 0) h = 1, w = D;  // not images: a 1-D DCT of each row
    if (h * w != D)
        throw input_error("dct: the training set " + train.source + " says its images are " + std::to_string(h) + " x " +
                          std::to_string(w) + " but its rows hold " + std::to_string(D) + " values; fix the geometry");
    check_dim("dct", dim, D, "the number of DCT coefficients, H x W = " + std::to_string(D));
    check_finite("dct", train.x, "the training set " + train.source);
    setup(h, w, dim);
}

// ----------------------------------------------------------------------------------------------
// encode, per block of n images: T = X C_W^T (n H, W); U = T with each image transposed (n W, H);
// T' = U C_H^T (n W, H), which is each Y = C_H X C_W^T transposed; then gather the zig-zag prefix.
Tensor DCT::encode(const Tensor& x) {
    const int H = height, W = width, D = H * W, K = (int)order.size();
    check_rows("dct", x, D);
    const int N = x.rows();
    Tensor z(Shape{N, K}), t, u;
    for (int n0 = 0; n0 < N; n0 += BLOCK) {
        const int n = std::min(BLOCK, N - n0);
        t.resize(Shape{n * H, W});
        u.resize(Shape{n * W, H});
        gemm(false, true, n * H, W, W, 1, x.ptr() + (size_t)n0 * D, W, basis_w.ptr(), W, 0, t.ptr(), W);
        transpose_each(t.ptr(), n, H, W, u.ptr());
        gemm(false, true, n * W, H, H, 1, u.ptr(), H, basis_h.ptr(), H, 0, t.ptr(), H);
        for (int m = 0; m < n; m++)
            for (int j = 0; j < K; j++) {  // Y[a][b] sits at t[m][b][a]
                const int a = order[j] / W, b = order[j] % W;
                z.at(n0 + m, j) = t[(size_t)m * D + (size_t)b * H + a];
            }
    }
    return z;
}

// decode, per block: scatter the codes into zero-filled transposed Y (n W, H); T = Y^T-layout times C_H
// gives each (C_H^T Y) transposed; transpose back (n H, W) and multiply by C_W: X = C_H^T Y C_W.
Tensor DCT::decode(const Tensor& z) {
    const int H = height, W = width, D = H * W, K = (int)order.size();
    check_rows("dct", z, K, "decode input (codes)");
    const int N = z.rows();
    Tensor x(Shape{N, D}), t, u;
    for (int n0 = 0; n0 < N; n0 += BLOCK) {
        const int n = std::min(BLOCK, N - n0);
        u.resize(Shape{n * W, H});
        t.resize(Shape{n * H, W});
        u.fill(0);
        for (int m = 0; m < n; m++)
            for (int j = 0; j < K; j++) u[(size_t)m * D + (size_t)(order[j] % W) * H + order[j] / W] = z.at(n0 + m, j);
        gemm(false, false, n * W, H, H, 1, u.ptr(), H, basis_h.ptr(), H, 0, t.ptr(), H);
        transpose_each(t.ptr(), n, W, H, u.ptr());
        gemm(false, false, n * H, W, W, 1, u.ptr(), W, basis_w.ptr(), W, 0, x.ptr() + (size_t)n0 * D, W);
    }
    return x;
}

// ----------------------------------------------------------------------------------------------
void DCT::save(Checkpoint& ck) const {
    if (order.empty()) throw Error("dct: save() before fit() or load(); fit the method first");
    ck.set("model", name());
    ck.set("dim", std::to_string(order.size()));
    ck.set("height", std::to_string(height));
    ck.set("width", std::to_string(width));
}

void DCT::load(const Checkpoint& ck) {
    check_model(ck, name());
    const int K = meta_int(ck, name(), "dim", 1);
    const int h = meta_int(ck, name(), "height", 1), w = meta_int(ck, name(), "width", 1);
    if ((long)h * w < K || (long)h * w > 100000000)
        throw input_error("dct: checkpoint " + ck.path + " keeps " + std::to_string(K) + " coefficients of " +
                          std::to_string(h) + " x " + std::to_string(w) + " images; the file is damaged, refit");
    setup(h, w, K);
}

}  // namespace tg
