// batcher.cpp — the seeded per-epoch permutation and the row gather (see batcher.h).
// B = batch size, N = items, D = values per item.
#include "data/batcher.h"

#include <algorithm>
#include <string>

#include "autograd/loops.h"
#include "data/stream.h"

namespace tg {

Batcher::Batcher(const Dataset& d, int batch_size, uint64_t seed_, bool shuffle_)
    : data(&d), batch(batch_size), seed(seed_), shuffle(shuffle_), perm(d.size()) {
    if (batch <= 0) throw input_error("batcher: batch size " + std::to_string(batch) + " for " + d.source + "; pass --batch 1 or more");
    start_epoch(0);
}

void Batcher::start_epoch(int epoch) {
    if (epoch < 0) throw Error("batcher: epoch " + std::to_string(epoch) + " is negative; epochs count from 0");
    const int n = data->size();
    perm.resize(n);  // a shard of the last epoch may have shortened it
    for (int i = 0; i < n; i++) perm[i] = i;
    pos = 0;
    if (shuffle) {
    // One Rng per (seed, epoch): the epoch is spread over all 64 bits by an odd multiplier and the
    // first draw of a SplitMix64 seeded with that mixes it again, so near seeds and epochs are unrelated.
    Rng mix(seed ^ (0xD1B54A32D192ED03ull * (uint64_t)(epoch + 1)));
    Rng rng(mix.next_u64());
    // Fisher-Yates: for i = N-1 .. 1, swap perm[i] with perm[j], j uniform in [0, i].
    for (int i = n - 1; i > 0; i--) std::swap(perm[i], perm[(size_t)rng.below((uint64_t)i + 1)]);
    }
    if (ranks == 1) return;
    // keep this rank's slice [start + r·g/R, start + (r+1)·g/R) of each global batch [start, start + g)
    const long G = (long)batch * ranks;
    size_t kept = 0;
    for (long start = 0; start < n; start += G) {
        const long g = std::min(G, (long)n - start);
        if (g < ranks) break;
        for (long i = start + rank * g / ranks; i < start + (rank + 1) * g / ranks; i++) perm[kept++] = perm[(size_t)i];
    }
    perm.resize(kept);
}

void Batcher::shard(int rank_, int ranks_) {
    if (ranks_ < 1 || rank_ < 0 || rank_ >= ranks_)
        throw Error("batcher: rank " + std::to_string(rank_) + " of " + std::to_string(ranks_) + " is not a valid shard");
    rank = rank_;
    ranks = ranks_;
    start_epoch(0);
}

bool Batcher::next(Tensor& xb, std::vector<int>& yb) {
    const int n = (int)perm.size(), d = data->dim();
    if (pos >= n) return false;
    const int b = std::min(batch, n - pos);
    xb.resize(Shape{b, d});  // (B, D); keeps its buffer when it already held a batch this big
    yb.resize(data->has_labels() ? b : 0);
    real* out = xb.ptr();
    const int* rows = perm.data() + pos;
    if (data->bytes) {  // --stream: this batch's rows from the mapped bytes, as the idx loader converts them
        const uint8_t* px = data->bytes->pixels;
        for_each_index((size_t)b, [=](size_t k) {
            for (int j = 0; j < d; j++) out[k * d + j] = (real)px[(size_t)rows[k] * d + j] / (real)255;
        }, kMinPerThread / d + 1);
        data->bytes->release();  // hand the pages back: the resident set holds one batch, not the set
    } else {
        const real* x = data->x.ptr();
        for_each_index((size_t)b, [=](size_t k) {  // rows scattered over the set: two threads wait on memory side by side
            std::copy(x + (size_t)rows[k] * d, x + (size_t)(rows[k] + 1) * d, out + k * d);
        }, kMinPerThread / d + 1);
    }
    if (data->has_labels())
        for (int k = 0; k < b; k++) yb[k] = data->y[rows[k]];
    pos += b;
    return true;
}

int Batcher::batches_per_epoch() const { return ((int)perm.size() + batch - 1) / batch; }

}  // namespace tg
