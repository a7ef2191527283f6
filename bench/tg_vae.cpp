// tg_vae.cpp — bench: the VAE 784-400-20 of models/vae.h, batch 128, Adam 1e-3, trained by the library's
// own train_epoch (run/training.h optimize_epoch). Prints one line per epoch (training loop only) and the
// time the same step's GEMMs take alone. Its libtorch twin: bench/peers/vae.cpp. Run by bench/run.py.
//   tg_vae [--epochs 5] [--threads 1] [--batches 0]
#include "bench/tg_common.h"
#include "nn/train.h"
#include "models/vae.h"

using namespace tg;

int main(int argc, char** argv) try {
    const int kBatch = 128;
    tgbench::Flags f;
    if (!tgbench::parse_flags(argc, argv, "tg_vae", "Bench: tapegrad's VAE 784-400-20 on Fashion-MNIST.", f)) return 0;
    Dataset train = tgbench::load_train(f, kBatch);

    VAEConfig cfg;  // 784-400-20, beta 1
    cfg.input = train.dim();
    VAE vae(cfg, (uint64_t)f.seed);
    Adam opt(vae.params(), 1e-3);
    Batcher batches(train, kBatch, (uint64_t)f.seed);
    Tape tape;
    const double steps = (double)train.size() / kBatch;  // per epoch; a partial last batch counts for its share
    tgbench::run_epochs(f, steps, [&](int epoch, auto on_batch) {
        batches.start_epoch(epoch);
        return tgbench::EpochResult{train_epoch(vae, batches, opt, tape, [&](int b, double) { on_batch(b); })};
    });
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
