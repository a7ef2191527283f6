// lda.h — Fisher's linear discriminant analysis: the supervised linear baseline. It finds the K directions
// along which the class means are farthest apart relative to the spread inside each class, by solving
// S_b v = λ S_w v. At most classes - 1 directions exist (S_b has rank <= classes - 1). Encode only.
// N = rows, D = input dimension, C = classes, K = code dimension (--dim). Derivation: docs/linear-methods.md
#pragma once
#include "models/reducer.h"

namespace tg {

struct LDA : Reducer {
    // S_w is replaced by S_w + shrinkage * (tr(S_w) / D) * I before solving, so a singular within-class
    // scatter (constant pixels at the MNIST borders, D > N) still has a solution; 1e-3 changes the
    // directions negligibly where S_w is well conditioned. Set it before fit().
    double shrinkage = 1e-3;

    Tensor mean;         // (D) the training mean (codes are centred on it)
    Tensor components;   // (K, D) rows v_k, scaled so that v_k^T S_w v_k = 1 (unit within-class variance)
    Tensor eigenvalues;  // (K) λ_k = between-class variance / within-class variance along v_k, descending

    std::string name() const override { return "lda"; }
    void fit(const Dataset& train, int dim, Rng& rng) override;  // needs labels; rng unused
    Tensor encode(const Tensor& x) override;                     // (N, D) -> (N, K): z = (x - mean) W^T
    void save(Checkpoint& ck) const override;                    // meta model, dim, input_dim; tensors lda.*
    void load(const Checkpoint& ck) override;
};

}  // namespace tg
