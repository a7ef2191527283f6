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
#include "data/batcher.h"
#include "run/flags.h"
#include "run/metrics.h"
#include "nn/module.h"
#include "nn/optim.h"
#include "nn/train.h"  // gradient_sync, for training loops of their own

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

// --resume: restore `s` from f.resume when it is given, print where the run continues, and keep the rows of
// log's metrics.csv up to that epoch (all others are dropped). Returns the epochs already done (0: a fresh run).
int resume_run(const CommonFlags& f, RunState& s, MetricsLog& log);

// What every program that trains does first: `threads` (--threads) for tapegrad's pool, and denormal
// floats flushed to zero (autograd/fast/denormals.h: slow arithmetic otherwise, after a few epochs) on this
// thread, whose floating-point mode every part of a parallel loop runs with (autograd/fast/threads.cpp).
// Programs that refuse --distributed call this one.
void start_run(int threads);

// start_run(threads), then, under --distributed (run/distributed.h): join the job (MPI_Init), install the
// gradient hook, and silence stdout and file writes on every rank but 0. The examples call this one.
void start_run(const CommonFlags& f);

// The program's training batches: --batch items in the order of --seed; under --distributed, this rank's
// shard of every global batch. It also makes the run's random streams (dropout, noise) rank-specific:
// rank 0 keeps its own, rank r > 0 draws from a stream mixed from rank 0's and r, re-mixed after every
// epoch, so a checkpoint (rank 0's streams) resumes every rank exactly.
Batcher training_batches(const Dataset& train, const CommonFlags& f, RunState& run);

// The training and test splits an example trains on: --data (or $TAPEGRAD_DATA, or the Debian path): an idx
// directory gives its train and t10k splits; an image folder or a CSV (io/load_any.h) a seeded 80/20 split;
// the first --train-limit training images; prints one line saying what was loaded.
struct TrainTest { Dataset train, test; };
TrainTest load_train_test(const CommonFlags& f);
// The one line every loader prints: "data: N train, M test images of HxW from DIR" (or rows of D values).
void announce_data(const TrainTest& d, const std::string& dir);
// The training split of the idx directory `dir`, all of it: with --stream a mapped uint8 cache (data/stream.h),
// otherwise in memory. For programs that load their splits themselves (dcgan: its judge trains on the whole set).
Dataset load_idx_train(const CommonFlags& f, const std::string& dir);

// The training guard: a NaN/Inf loss stops the run (exit code 3) with the usual fixes; the checkpoint at
// `ckpt` is not touched (it is only ever written after a complete, finite epoch).
void guard_loss(double loss, int epoch, int batch, const std::string& ckpt);

// Options for checking a whole model in the float build: ε = 1e-3 (ten times fewer ReLU kinks inside ±ε
// than the default 1e-2, rounding noise still ~1e-3 of the floor) and `per_tensor` sampled entries.
GradcheckOptions model_check_options(int per_tensor = 30);

// Print a gradcheck report under a heading; returns r.ok.
bool print_gradcheck(const GradcheckResult& r);

}  // namespace tg
