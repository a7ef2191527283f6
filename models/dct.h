// dct.h — the discrete cosine transform as a fixed (data-independent) baseline: JPEG's idea. Each H x W
// image goes through the orthonormal 2-D DCT-II, Y = C_H X C_W^T, and the code keeps its K lowest-
// frequency coefficients in JPEG's zig-zag order; decode zero-fills the rest and inverts (X = C_H^T Y C_W,
// the DCT-III). Rows that are not images (height = width = 0 in the Dataset) get a 1-D DCT (H = 1).
// N = rows, D = H * W, K = code dimension (--dim). Derivation: docs/linear-methods.md
#pragma once
#include <vector>

#include "models/reducer.h"

namespace tg {

// The orthonormal DCT-II matrix (n, n): C[k][i] = s_k cos(π (2i + 1) k / (2n)), s_0 = sqrt(1/n), s_k = sqrt(2/n).
// Its rows are the cosine basis vectors; C C^T = I, so the inverse transform is C^T.
Tensor dct_basis(int n);

// All H*W flat coefficient indices u*W + v (u = vertical, v = horizontal frequency) in JPEG zig-zag order:
// anti-diagonals u + v = 0, 1, 2, ..., walked up-right (u falling) when u + v is even, down-left when odd.
std::vector<int> zigzag_order(int height, int width);

struct DCT : Reducer {
    int height = 0, width = 0;  // the geometry recorded by fit (H = 1, W = D for rows that are not images)
    std::vector<int> order;     // (K) the kept coefficients: the first K of zigzag_order(H, W)
    Tensor basis_h, basis_w;    // (H, H), (W, W): dct_basis(H), dct_basis(W)

    std::string name() const override { return "dct"; }
    void fit(const Dataset& train, int dim, Rng& rng) override;  // records geometry only; rng unused
    Tensor encode(const Tensor& x) override;                     // (N, D) -> (N, K)
    bool has_decoder() const override { return true; }
    Tensor decode(const Tensor& z) override;                     // (N, K) -> (N, D)
    void save(Checkpoint& ck) const override;                    // meta model, dim, height, width
    void load(const Checkpoint& ck) override;

  private:
    void setup(int h, int w, int dim);  // basis matrices and the zig-zag prefix
};

}  // namespace tg
