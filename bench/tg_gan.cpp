// tg_gan.cpp — bench: the classic MLP GAN of models/gan.h (G 100-128-256-512-1024-784 tanh, D
// 784-1024-512-256-128-1 with dropout 0.3, LeakyReLU 0.2), batch 64, Adam 2e-4 β1 0.5 for each net, one
// D step and one G step per batch by the library's train_epoch. Prints one line per epoch (training loop
// only; loss = D's loss, g_loss = G's) and the time the same step's GEMMs take alone.
// Its libtorch twin: bench/peers/gan.cpp. Run by bench/run.py.
//   tg_gan [--epochs 5] [--threads 1] [--batches 0]
#include "bench/tg_common.h"
#include "models/gan.h"

using namespace tg;

int main(int argc, char** argv) try {
    const int kBatch = 64;
    tgbench::Flags f;
    if (!tgbench::parse_flags(argc, argv, "tg_gan", "Bench: tapegrad's classic MLP GAN on Fashion-MNIST.", f)) return 0;
    Dataset train = tgbench::load_train(f, kBatch);

    GANConfig cfg;  // the sizes, slope and dropout of examples/gan.cpp
    cfg.input = train.dim();
    GAN gan(cfg, (uint64_t)f.seed);
    Adam opt_d(gan.d_params(), 2e-4, 0.5, 0.999), opt_g(gan.g_params(), 2e-4, 0.5, 0.999);
    Batcher batches(train, kBatch, (uint64_t)f.seed);
    Tape tape_d, tape_g;
    const double steps = (double)train.size() / kBatch;  // per epoch; a partial last batch counts for its share
    tgbench::run_epochs(f, steps, [&](int epoch, auto on_batch) {
        batches.start_epoch(epoch);
        GANEpoch e = train_epoch(gan, batches, opt_d, opt_g, tape_d, tape_g, [&](int b, double, double) { on_batch(b); });
        return tgbench::EpochResult{e.d_loss, {{"g_loss", e.g_loss}, {"d_real_acc", e.d_real_acc}, {"d_fake_acc", e.d_fake_acc}}};
    });
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
