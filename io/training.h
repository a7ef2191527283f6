// training.h — what every training example shares beyond the model: the run's checkpoint (parameters,
// buffers, optimizer state, epoch, RNG states) and --resume, the guard that stops a diverging run without
// touching the last good checkpoint, and printing a model's gradient check.
// docs/checkpoints.md describes the file; docs/errors.md the messages.
#pragma once
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "autograd/gradcheck.h"
#include "io/batcher.h"
#include "io/cli.h"
#include "nn/module.h"
#include "nn/optim.h"

namespace tg {

// Everything that changes while a model trains, by reference.
struct RunState {
    std::string model;                 // "mlp_classifier", "vae", ...: a checkpoint of another model is refused
    std::string arch;                  // "784-256-128-10": a different architecture is refused by name
    std::vector<Param*> params;
    std::vector<NamedTensor> buffers;  // BatchNorm running statistics and the like
    std::vector<Optimizer*> optimizers;   // several (a GAN's D and G): their states are saved as "opt0.", "opt1."...
    std::vector<Rng*> rngs;            // dropout / noise generators, saved so a resumed run draws the same numbers
};

// Save after `epoch` epochs are complete (atomic: see io/checkpoint.h). `flags` is recorded for people.
void save_run(const std::string& path, const RunState& s, int epoch, const std::string& flags);
// Restore a run saved by save_run into `s`; returns the number of completed epochs.
int load_run(const std::string& path, RunState& s);

// One epoch of gradient steps: for each batch of `batches`, reset the tape, build the loss with
// loss_of(tape, xb, yb) (a Var holding a per-image mean), stop with a clear error if it is not finite,
// then zero_grad, backward and step. Returns the mean loss per image; on_batch(b, loss) after each batch.
// A template, not std::function, so a training step stays free of allocations.
template <class LossFn>
double optimize_epoch(const char* what, Batcher& batches, Optimizer& opt, Tape& tape, LossFn loss_of,
                      const std::function<void(int, double)>& on_batch) {
    double total = 0;
    long n = 0;
    for (int b = 1; batches.next(); b++) {
        tape.reset();
        Var loss = loss_of(tape, batches.xb, batches.yb);
        double l = loss.item();
        if (!std::isfinite(l))
            throw Error(std::string(what) + ": the loss became " + std::to_string(l) + " at batch " + std::to_string(b) +
                            "; lower the learning rate (--lr)", EXIT_NUMERIC);
        opt.zero_grad();
        tape.backward(loss);
        opt.step();
        total += l * batches.xb.dim(0);
        n += batches.xb.dim(0);
        if (on_batch) on_batch(b, l);
    }
    return total / n;
}

// What a deep Reducer's fit() does: `epochs` epochs of Adam(lr) over `train` in shuffled batches, using
// the model's own train_epoch(Model&, Batcher&, Optimizer&, Tape&) and params().
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

// What every program that trains does first: `threads` (--threads) for tapegrad's pool, and denormal
// floats flushed to zero (autograd/denormals.h: slow arithmetic otherwise, after a few epochs) on this
// thread, whose floating-point mode every part of a parallel loop runs with (autograd/parallel.cpp).
void start_run(int threads);

// The training and test splits an example trains on: --data (or $TAPEGRAD_DATA, or the Debian path),
// the first --train-limit training images; prints one line saying what was loaded.
struct TrainTest { Dataset train, test; };
TrainTest load_train_test(const CommonFlags& f);

// The training guard: a NaN/Inf loss stops the run (exit code 3) with the usual fixes; the checkpoint at
// `ckpt` is not touched (it is only ever written after a complete, finite epoch).
void guard_loss(double loss, int epoch, int batch, const std::string& ckpt);

// Options for checking a whole model in the float build: ε = 1e-3 (ten times fewer ReLU kinks inside ±ε
// than the default 1e-2, rounding noise still ~1e-3 of the floor) and `per_tensor` sampled entries.
GradcheckOptions model_check_options(int per_tensor = 30);

// Print a gradcheck report under a heading; returns r.ok.
bool print_gradcheck(const GradcheckResult& r);

}  // namespace tg
