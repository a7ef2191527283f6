// tg_cnn.cpp — bench: the CNN classifier of models/cnn.h with the defaults of examples/cnn_classifier.cpp:
// conv 1→32 3x3 p1, ReLU, maxpool 2; conv 32→64 3x3 p1, ReLU, maxpool 2; 3136→128, ReLU, dropout 0.5; →10;
// cross-entropy, Adam 1e-3, batch 128, trained by the library's own train_epoch (run/training.h
// optimize_epoch). Prints one line per epoch (training loop only) and the time the same step's GEMMs take
// alone. Its libtorch twin: bench/peers/cnn.cpp. Run by bench/run.py.
//   tg_cnn [--epochs 5] [--threads 1] [--batches 0]
#include "bench/tg_common.h"
#include "models/cnn.h"
#include "nn/train.h"

using namespace tg;

int main(int argc, char** argv) try {
    const int kBatch = 128;
    tgbench::Flags f;
    if (!tgbench::parse_flags(argc, argv, "tg_cnn", "Bench: tapegrad's CNN classifier 1x28x28-c32-c64-128-10 on Fashion-MNIST.", f)) return 0;
    Dataset train = tgbench::load_train(f, kBatch);

    CNNConfig cfg;  // 1x28x28, conv 32 and 64, hidden 128, 10 classes, dropout 0.5: the example's defaults
    CNN cnn(cfg, (uint64_t)f.seed);
    Adam opt(cnn.params(), 1e-3);
    Batcher batches(train, kBatch, (uint64_t)f.seed);
    Tape tape;
    const double steps = (double)train.size() / kBatch;  // per epoch; a partial last batch counts for its share
    tgbench::run_epochs(f, steps, [&](int epoch, auto on_batch) {
        batches.start_epoch(epoch);
        return tgbench::EpochResult{train_epoch(cnn, batches, opt, tape, [&](int b, double) { on_batch(b); })};
    });
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
