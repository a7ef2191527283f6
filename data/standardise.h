// standardise.h — per-column standardisation x' = (x - mean) / scale, fitted on a training set and applied to
// any set with the same columns; undo maps back (for pictures). Gaussian units want their data so (an RBM's
// Gaussian visible units have unit variance: Hinton's practical guide). N = rows, D = columns.
#pragma once
#include "autograd/tensor.h"

namespace tg {

struct Standardiser {
    Tensor mean, scale;  // (D) each; empty = not fitted, and undo is the identity
    // mean and the standard deviation of each column of x (N, D), in double; scale = max(σ, min_scale), so
    // the nearly constant border pixels of an image do not blow up.
    void fit(const Tensor& x, double min_scale = 0.1);
    void apply(Tensor& x) const;  // in place
    Tensor undo(Tensor x) const;  // x * scale + mean
};

}  // namespace tg
