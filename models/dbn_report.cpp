// dbn_report.cpp — examples/dbn's schedule line, metrics columns, checkpoint parts and pictures (models/dbn_report.h).
#include "models/dbn_report.h"

#include <cstdio>

#include "io/figures.h"
#include "io/png.h"

namespace tg {

std::string dbn_schedule(const DBN& dbn, bool classify, int epochs, double lr, int batch, bool compare) {
    const DBNConfig& cfg = dbn.cfg;
    char top_lr[40] = "", line[600];
    if (!classify) snprintf(top_lr, sizeof top_lr, ", linear top %g", cfg.linear_lr);
    snprintf(line, sizeof line, "DBN %s, %d RBMs x %d CD-%d epochs (SGD lr %g%s, momentum 0.5 -> %g, decay %g, batch %d), then %d epochs of %s (Adam lr %g, batch %d)%s",
             dbn.arch().c_str(), dbn.layers(), cfg.pretrain_epochs, cfg.cd_k, cfg.lr, top_lr, cfg.momentum, cfg.weight_decay, cfg.batch, epochs,
             classify ? "cross-entropy" : "BCE reconstruction", lr, batch, compare ? "; the same from random weights beside it" : "");
    return line;
}

std::vector<std::string> dbn_metric_columns(bool classify) {
    if (classify)
        return {"layer", "pretrain_recon_error", "train_loss", "test_loss", "test_accuracy", "random_train_loss", "random_test_loss", "random_test_accuracy"};
    return {"layer", "pretrain_recon_error", "train_loss", "test_sq_error", "random_train_loss", "random_test_sq_error", "pca_sq_error"};
}

DBNRunParts dbn_run_parts(DBN& dbn, Pretraining& pre, FineTuned& tuned, Optimizer& opt, FineTuned* random, Optimizer* ropt) {
    DBNRunParts p{dbn.params(), {}, {}};
    for (int l = 0; l < dbn.layers(); l++) p.optimizers.push_back(pre.sgd[l].get()), p.rngs.push_back(&dbn.rbms[l]->rng);
    for (Param* q : tuned.params()) p.params.push_back(q);
    p.optimizers.push_back(&opt);
    if (random) {
        for (Param* q : random->params()) p.params.push_back(q);
        p.optimizers.push_back(ropt);
    }
    return p;
}

void write_dbn_filters(const std::string& path, const DBN& dbn, int count, int H, int W) {
    GridOptions grid;
    grid.cols = 10, grid.scale = 2;
    write_image_grid(path, filter_images(*dbn.rbms[0], count), H, W, 1, grid);
}

void write_dbn_reconstructions(const std::string& path, const Tensor& shown, FineTuned& tuned, FineTuned* random, PCA& pca, int K, int H, int W) {
    std::vector<std::pair<std::string, Tensor>> rows = {{"original", shown}, {"DBN", tuned.ae->decode(tuned.ae->encode(shown))}};
    if (random) rows.push_back({"random init", random->ae->decode(random->ae->encode(shown))});
    rows.push_back({"PCA-" + std::to_string(K), pca.decode(pca.encode(shown))});
    write_image_rows(path, rows, H, W);
}

}  // namespace tg
