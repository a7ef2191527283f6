// train.h — the epoch loop every model trained by gradient descent shares: for each batch, reset the
// tape, build the loss, zero the gradients, backward, one optimizer step (docs/autodiff.md walks it).
// It sits beside the optimizers it drives. The batches come from any source with next(), xb and yb
// (data/batcher.h's Batcher is the usual one), so nn/ needs nothing outside itself.
#pragma once
#include <cmath>
#include <functional>
#include <string>

#include "autograd/tape.h"
#include "nn/optim.h"

namespace tg {

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
        opt.step();                                       // move every param against its gradient
        total += l * batches.xb.dim(0);
        n += batches.xb.dim(0);
        if (on_batch) on_batch(b, l);
    }
    return total / n;
}

}  // namespace tg
