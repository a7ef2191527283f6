// reducer.h — the one interface every dimensionality-reduction method shares, deep or classical:
// fit on a training set, encode rows to K numbers, and (where the method can) decode back.
// The `reduce` tool and the comparison tour (examples/compare.cpp) drive PCA, LDA, DCT, Isomap, LLE,
// the autoencoder, the VAE and the DBN through this interface alone.
// N = rows, D = input dimension, K = code dimension.
#pragma once
#include <string>

#include "io/checkpoint.h"
#include "data/dataset.h"

namespace tg {

struct Reducer {
    virtual ~Reducer() = default;
    virtual std::string name() const = 0;  // "pca", "lda", "dct", "isomap", "lle", "ae", "vae", "dbn"
    // Learn the map from `train` (labels are used only by supervised methods: LDA). dim = K.
    virtual void fit(const Dataset& train, int dim, Rng& rng) = 0;
    virtual Tensor encode(const Tensor& x) = 0;  // (N, D) -> (N, K)
    virtual bool has_decoder() const { return false; }
    virtual Tensor decode(const Tensor& z);     // (N, K) -> (N, D); throws when !has_decoder()
    // Everything needed to encode (and decode) later, into / from a checkpoint (meta "model" = name()).
    virtual void save(Checkpoint& ck) const = 0;
    virtual void load(const Checkpoint& ck) = 0;
};

inline Tensor Reducer::decode(const Tensor&) {
    throw Error(name() + ": this method has no decoder (no inverse map from codes back to inputs)");
}

}  // namespace tg
