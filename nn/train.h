// train.h — the epoch loop every model trained by gradient descent shares: for each batch, reset the
// tape, build the loss, zero the gradients, backward, one optimizer step (docs/autodiff.md walks it).
// It sits beside the optimizers it drives. The batches come from any source with next(), xb and yb
// (data/batcher.h's Batcher is the usual one), so nn/ needs nothing outside itself. Data-parallel
// training (docs/distributed.md) plugs in through GradientSync, between backward and step.
#pragma once
#include <cmath>
#include <functional>
#include <string>

#include "autograd/tape.h"
#include "nn/optim.h"

namespace tg {

// Data-parallel training (--distributed, docs/distributed.md): one process per rank, each on its shard of
// every batch. When `gradient_sync` is set (run/distributed.cpp does it), every training loop calls
// reduce() between backward and the optimizer step, and end_epoch() after its last step.
struct GradientSync {
    virtual ~GradientSync() = default;
    // In: this rank's gradients in opt.params, its batch size `items` and mean loss `loss`. Out: every rank
    // holds the global batch's gradient, Σ_r items_r · grad_r / Σ_r items_r (the gradient of the mean loss
    // over the union of the shards), and `items`, `loss` of the global batch, so every rank takes one step.
    virtual void reduce(Optimizer& opt, long& items, double& loss) = 0;
    // After an epoch's last step: checks that the parameters are identical on every rank (a clear error if
    // not) and shares rank 0's buffers and random streams (docs/distributed.md).
    virtual void end_epoch() = 0;
};
inline GradientSync* gradient_sync = nullptr;  // null: one process, nothing to share

// One epoch of gradient steps: for each batch of `batches`, reset the tape, build the loss with
// loss_of(tape, xb, yb) (a Var holding a per-image mean), stop with a clear error if it is not finite,
// then zero_grad, backward and step. Returns the mean loss per image; on_batch(b, loss) after each batch.
// A template, not std::function, so a training step stays free of allocations.
template <class Batches, class LossFn>
double optimize_epoch(const char* what, Batches& batches, Optimizer& opt, Tape& tape, LossFn loss_of,
                      const std::function<void(int, double)>& on_batch) {
    double total = 0;
    long n = 0;
    for (int b = 1; batches.next(); b++) {
        tape.reset();                                     // forget the last step's graph, keep its buffers
        Var loss = loss_of(tape, batches.xb, batches.yb); // forward: the tape records every op
        double l = loss.item();
        if (!std::isfinite(l))
            throw Error(std::string(what) + ": the loss became " + std::to_string(l) + " at batch " + std::to_string(b) +
                            "; lower the learning rate (--lr)", EXIT_NUMERIC);
        opt.zero_grad();                                  // gradients accumulate: clear last step's
        tape.backward(loss);                              // d loss / d param into every Param's grad
        long items = batches.xb.dim(0);
        if (gradient_sync) gradient_sync->reduce(opt, items, l);  // data-parallel: the global batch's gradient
        opt.step();                                       // move every param against its gradient
        total += l * items;
        n += items;
        if (on_batch) on_batch(b, l);
    }
    if (gradient_sync) gradient_sync->end_epoch();
    return total / n;
}

}  // namespace tg
