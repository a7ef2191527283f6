// tg_cae.cpp — bench: the convolutional autoencoder of models/conv_autoencoder.h with the defaults of
// examples/conv_autoencoder.cpp: conv 1→32 3x3 s2 p1, ReLU, conv 32→64 s2, ReLU, 3136→30; mirrored with
// 30→3136, ReLU, conv-transpose 64→32 s2, ReLU, conv-transpose 32→1 s2 (logits); BCE-with-logits summed
// over pixels per image, Adam 1e-3, batch 128, trained by the library's own train_epoch. Prints one line per
// epoch (training loop only) and the time the same step's GEMMs take alone. Its libtorch twin:
// bench/peers/cae.cpp. Run by bench/run.py.
//   tg_cae [--epochs 5] [--threads 1] [--batches 0]
#include "bench/tg_common.h"
#include "models/conv_autoencoder.h"
#include "nn/train.h"

using namespace tg;

int main(int argc, char** argv) try {
    const int kBatch = 128;
    tgbench::Flags f;
    if (!tgbench::parse_flags(argc, argv, "tg_cae", "Bench: tapegrad's conv autoencoder 1x28x28-c32-c64-30 on Fashion-MNIST.", f)) return 0;
    Dataset train = tgbench::load_train(f, kBatch);

    ConvAutoencoderConfig cfg;  // conv 32 and 64, code 30: the example's defaults
    cfg.body = conv_body_for(train, "tg_cae");
    ConvAutoencoder ae(cfg, (uint64_t)f.seed);
    Adam opt(ae.params(), 1e-3);
    Batcher batches(train, kBatch, (uint64_t)f.seed);
    Tape tape;
    const double steps = (double)train.size() / kBatch;  // per epoch; a partial last batch counts for its share
    tgbench::run_epochs(f, steps, [&](int epoch, auto on_batch) {
        batches.start_epoch(epoch);
        return tgbench::EpochResult{train_epoch(ae, batches, opt, tape, [&](int b, double) { on_batch(b); })};
    });
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
