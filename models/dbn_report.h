// dbn_report.h — what examples/dbn says and draws beside the model of models/dbn.h: the one-line schedule,
// the metrics.csv columns of a task, the pieces of its checkpoint in order, the first RBM's filters and the
// autoencoder's reconstructions set beside PCA's. The story (pretrain, unroll, fine-tune) stays in the example.
// D = input, K = code size, H x W = image size.
#pragma once
#include <string>
#include <vector>

#include "models/dbn.h"
#include "models/pca.h"

namespace tg {

// "DBN 784-500-500, 2 RBMs x 5 CD-1 epochs (SGD lr 0.05, ...), then 10 epochs of cross-entropy (Adam lr ...)"
std::string dbn_schedule(const DBN& dbn, bool classify, int epochs, double lr, int batch, bool compare);

// metrics.csv: layer, pretrain_recon_error, train_loss, (test_loss,) test_accuracy or test_sq_error, the random
// baseline's the same, and pca_sq_error for the autoencoder
std::vector<std::string> dbn_metric_columns(bool classify);

// Everything the checkpoint holds, in its order: every RBM's params, SGD and RNG, then the fine-tuned net's
// params and optimizer, then (random != null) the random baseline's.
struct DBNRunParts {
    std::vector<Param*> params;
    std::vector<Optimizer*> optimizers;
    std::vector<Rng*> rngs;
};
DBNRunParts dbn_run_parts(DBN& dbn, Pretraining& pre, FineTuned& tuned, Optimizer& opt, FineTuned* random, Optimizer* ropt);

// filters.png: the first `count` filters of the first RBM, 10 a row
void write_dbn_filters(const std::string& path, const DBN& dbn, int count, int H, int W);

// reconstructions.png: `shown` (n, D), then the DBN's, the random baseline's (when given) and PCA-K's reconstructions
void write_dbn_reconstructions(const std::string& path, const Tensor& shown, FineTuned& tuned, FineTuned* random, PCA& pca, int K, int H, int W);

}  // namespace tg
