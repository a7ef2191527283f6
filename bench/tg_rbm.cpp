// tg_rbm.cpp — bench: the Bernoulli RBM 784-500 of models/rbm.h, CD-1, batch 64, SGD lr 0.05 with
// momentum 0.5 (then 0.9 after epoch 5) and weight decay 2e-4 on W, visible biases from the data: the
// settings of examples/rbm.cpp, by the library's train_epoch. Prints one line per epoch (training loop
// only; loss = the CD reconstruction error per image) and the time the same step's GEMMs take alone.
// Its libtorch twin: bench/peers/rbm.cpp. Run by bench/run.py.
//   tg_rbm [--epochs 5] [--threads 1] [--batches 0]
#include "bench/tg_common.h"
#include "models/rbm.h"

using namespace tg;

int main(int argc, char** argv) try {
    const int kBatch = 64, kHidden = 500, kWarmup = 5;
    const double kLr = 0.05, kMomentum = 0.9;  // RBMConfig's weight decay (2e-4) and init N(0, 0.01²)
    tgbench::Flags f;
    if (!tgbench::parse_flags(argc, argv, "tg_rbm", "Bench: tapegrad's Bernoulli RBM 784-500, CD-1, on Fashion-MNIST.", f)) return 0;
    Dataset train = tgbench::load_train(f, kBatch);

    RBMConfig cfg;
    cfg.visible = train.dim();
    cfg.hidden = kHidden;
    RBM rbm(cfg, (uint64_t)f.seed);
    rbm.init_from_data(train.x);
    SGD opt(rbm.params(), kLr, rbm_momentum(1, kWarmup, kMomentum));
    Batcher batches(train, kBatch, (uint64_t)f.seed);
    const double steps = (double)train.size() / kBatch;  // per epoch; a partial last batch counts for its share
    tgbench::run_epochs(f, steps, [&](int epoch, auto on_batch) {
        batches.start_epoch(epoch);
        opt.momentum = rbm_momentum(epoch, kWarmup, kMomentum);
        return tgbench::EpochResult{train_epoch(rbm, batches, opt, [&](int b, double) { on_batch(b); })};  // reconstruction error
    });
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
