// batcher.h — walks a Dataset in mini-batches, in a seeded order, without copying the set.
// B = batch size, N = items, D = values per item. Each batch gathers B rows of d.x into a Tensor the
// caller keeps between calls, so after the first batch no call allocates (a smaller last batch only
// shrinks it, which keeps its buffer). The order of an epoch is a pure function of (seed, epoch): a
// resumed run gets the same batches without saving any state.
#pragma once
#include <cstdint>
#include <vector>

#include "data/dataset.h"

namespace tg {

struct Batcher {
    // d must outlive the Batcher. batch must be > 0. Ready to walk epoch 0 (call start_epoch for others).
    Batcher(const Dataset& d, int batch, uint64_t seed, bool shuffle = true);

    // Rewinds to the start of `epoch` (>= 0): a Fisher-Yates shuffle drawn from an Rng seeded by
    // (seed, epoch), or file order when shuffle is false.
    void start_epoch(int epoch);
    // Fills xb (B, D) and yb (B) with the next batch (yb empty when the set has no labels);
    // false at the end of the epoch. The last batch holds the N % B left-over items when N % B != 0.
    bool next(Tensor& xb, std::vector<int>& yb);
    // The same, into the batcher's own buffers `xb` and `yb`, kept across epochs: a training loop that
    // uses this form allocates nothing for its batches after the very first one.
    bool next() { return next(xb, yb); }
    Tensor xb;             // (B, D) the current batch, for next()
    std::vector<int> yb;   // (B) its labels
    int batches_per_epoch() const;   // ceil(N / B); with shard(): this rank's batches (the same on every rank)

    // Data-parallel training (docs/distributed.md): from now on this Batcher walks only rank `rank`'s part
    // of each epoch. The epoch's order is the same on every rank; it is cut into global batches of B·ranks
    // items, and rank r takes the r-th of `ranks` near-equal slices of each (B items, fewer in the last),
    // so the ranks' batches of step k together are exactly batch k of one process with batch B·ranks.
    // A last global batch of fewer than `ranks` items is left out (every rank must get at least one).
    void shard(int rank, int ranks);
    int rank = 0, ranks = 1;
    const std::vector<int>& order() const { return perm; }  // this epoch's item order (N)

    const Dataset* data;
    int batch;
    uint64_t seed;
    bool shuffle;
    std::vector<int> perm;  // (N) item indices in this epoch's order
    int pos = 0;            // index into perm of the next batch's first item
};

}  // namespace tg
