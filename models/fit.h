// fit.h — what a deep Reducer's fit() does (models/reducer.h): a fixed number of epochs of Adam over a
// Dataset in shuffled batches, through the model's own train_epoch (nn/train.h's loop inside it).
#pragma once
#include <cstdint>

#include "data/batcher.h"
#include "nn/optim.h"

namespace tg {

// `epochs` epochs of Adam(lr) over `train` in shuffled batches of `batch`, using the model's own
// train_epoch(Model&, Batcher&, Optimizer&, Tape&) and params().
template <class Model>
void fit_with_adam(Model& m, const Dataset& train, int epochs, int batch, double lr, uint64_t seed) {
    Adam opt(m.params(), lr);
    Batcher batches(train, batch, seed);
    Tape tape;
    for (int e = 0; e < epochs; e++) {
        batches.start_epoch(e);
        train_epoch(m, batches, opt, tape);
    }
}

}  // namespace tg
