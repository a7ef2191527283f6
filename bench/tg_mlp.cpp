// tg_mlp.cpp — bench: the classifier of examples/mlp_classifier.cpp, 784-256-128-10 (Linear-ReLU-Dropout
// 0.2 per hidden layer), cross-entropy, Adam 1e-3, batch 128, trained by optimize_epoch (run/training.h).
// Prints one line per epoch (training loop only) and the time the same step's GEMMs take alone.
// Its libtorch twin: bench/peers/mlp.cpp. Run by bench/run.py.
//   tg_mlp [--epochs 5] [--threads 1] [--batches 0]
#include "bench/tg_common.h"
#include "nn/train.h"
#include "data/batcher.h"
#include "run/training.h"
#include "nn/layers.h"

using namespace tg;

int main(int argc, char** argv) try {
    const int kBatch = 128;
    const int kHidden[] = {256, 128};
    const real kDropout = 0.2;
    tgbench::Flags f;
    if (!tgbench::parse_flags(argc, argv, "tg_mlp", "Bench: tapegrad's MLP classifier 784-256-128-10 on Fashion-MNIST.", f)) return 0;
    Dataset train = tgbench::load_train(f, kBatch);

    Rng rng((uint64_t)f.seed);  // initialisation, then dropout masks (as the example)
    Sequential net("mlp");      // the layers and names build_mlp() of examples/mlp_classifier.cpp makes
    int prev = train.dim(), layer = 1;
    for (int h : kHidden) {
        std::string n = std::to_string(layer);
        net.add<Linear>("mlp.fc" + n, prev, h, rng);
        net.add<Activation>("mlp.relu" + n, Act::ReLU);
        net.add<Dropout>("mlp.drop" + n, kDropout, rng);
        prev = h, layer++;
    }
    net.add<Linear>("mlp.fc" + std::to_string(layer), prev, 10, rng);
    Adam opt(net.params(), 1e-3);
    Batcher batches(train, kBatch, (uint64_t)f.seed);
    Tape tape;
    const double steps = (double)train.size() / kBatch;  // per epoch; a partial last batch counts for its share
    tgbench::run_epochs(f, steps, [&](int epoch, auto on_batch) {
        batches.start_epoch(epoch);
        return tgbench::EpochResult{optimize_epoch("mlp", batches, opt, tape, [&net](Tape& t, const Tensor& xb, const std::vector<int>& yb) {
            return cross_entropy(net(t.input(xb)), yb);
        }, [&](int b, double) { on_batch(b); })};
    });
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
