// dbn.cpp — deep belief networks on Fashion-MNIST: a stack of RBMs pretrained greedily (each on the hidden
// probabilities of the one below), then unrolled into a feed-forward net and fine-tuned with backprop.
//   build/dbn [--task classify] [--layers 500,500] [--compare-random]        (a) classifier: + softmax layer,
//       cross-entropy with Adam; --compare-random trains the same net from random weights with the same budget
//   build/dbn --task autoencoder [--layers 500,250,30] [--compare-random]    (b) the deep autoencoder of Hinton &
//       Salakhutdinov 2006 (top RBM with linear hidden units), BCE with Adam; its test error is set beside PCA's
// Epochs are counted over the whole schedule: --pretrain-epochs per RBM, then --epochs of fine-tuning, so
// --resume continues mid-pretraining as well. Writes every epoch: metrics.csv, curves.png, filters.png (the
// first RBM), model.ckpt; the autoencoder also reconstructions.png. Theory: docs/dbn.md
#include <cmath>
#include <cstdio>
#include <memory>

#include "io/figures.h"
#include "models/dbn.h"
#include "models/dbn_report.h"
#include "models/pca.h"
#include "run/flags.h"
#include "run/metrics.h"
#include "run/progress.h"
#include "run/training.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;  // --epochs, --batch and --lr are the fine-tuning's (Adam)
    f.out = "out/dbn";
    DBNConfig cfg;  // the pretraining flags set it directly: its defaults are the flags' defaults
    std::string task = "classify", layers;
    int labels = 0;
    bool compare = false;
    Cli cli("dbn", "Pretrain a deep belief network greedily, then fine-tune it as a classifier or a deep autoencoder.");
    add_common(cli, f);
    cli.add("task", &task, "classify (softmax on top) or autoencoder (Hinton & Salakhutdinov 2006)");
    cli.add("layers", &layers, "hidden layer sizes, comma-separated (default: 500,500 to classify, 500,250,30 for the autoencoder)");
    cli.add("pretrain-epochs", &cfg.pretrain_epochs, "CD epochs for each RBM", 0, 100000);
    cli.add("pretrain-batch", &cfg.batch, "mini-batch for pretraining", 1, 1 << 20);
    cli.add("pretrain-lr", &cfg.lr, "SGD learning rate for the binary RBMs", 0, 10);
    cli.add("linear-lr", &cfg.linear_lr, "SGD learning rate for the autoencoder's top RBM (linear hidden units)", 0, 10);
    cli.add("cd-k", &cfg.cd_k, "Gibbs steps in CD-k", 1, 100000);
    cli.add("momentum", &cfg.momentum, "pretraining momentum after the warm-up epochs (0.5 during them)", 0, 0.999);
    cli.add("momentum-warmup", &cfg.momentum_warmup, "pretraining epochs at momentum 0.5, per RBM", 0, 1 << 20);
    cli.add("weight-decay", &cfg.weight_decay, "L2 weight decay on each RBM's W", 0, 1);
    cli.add("labels", &labels, "classify: fine-tune on the first N labelled images only (0 = all); pretraining uses all", 0, 1 << 30);
    cli.add("compare-random", &compare, "also fine-tune the same network from random weights, with the same budget");
    if (!cli.parse(argc, argv)) return 0;
    if (task != "classify" && task != "autoencoder") throw input_error("--task: unknown task '" + task + "'; use classify or autoencoder");
    const bool classify = task == "classify";
    cfg.sizes = parse_sizes(layers.empty() ? (classify ? "500,500" : "500,250,30") : layers, "--layers");
    start_run(f.threads);  // tapegrad's threads, denormals flushed (run/training.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const int kShow = 16, kFilters = 100;  // images in reconstructions.png, filters in filters.png

    TrainTest data = load_train_test(f);
    const Dataset &train = data.train, &test = data.test, labelled = labels > 0 ? train.subset(labels) : Dataset();
    const Dataset& tuning = labels > 0 ? labelled : train;  // what fine-tuning sees
    if (labels > 0) printf("fine-tuning on the first %d labelled images\n", tuning.size());
    const int H = train.height, W = train.width, classes = std::max(train.classes, test.classes);

    // the stack, pretrained one epoch at a time (models/dbn.h), then unrolled into `tuned`; `random`, the same
    // net from random weights, is fine-tuned beside it with --compare-random
    cfg.sizes.insert(cfg.sizes.begin(), train.dim());
    cfg.linear_top = !classify;
    DBN dbn(cfg, (uint64_t)f.seed);
    Pretraining pre(dbn, train.x, (uint64_t)f.seed + 100);
    const int L = dbn.layers(), K = cfg.sizes.back();
    const Rng init((uint64_t)f.seed + 1);
    FineTuned tuned(cfg, classify, classes, init, false), random(cfg, classify, classes, init, true);
    Adam opt(tuned.params(), f.lr), ropt(random.params(), f.lr);
    const DBNRunParts parts = dbn_run_parts(dbn, pre, tuned, opt, compare ? &random : nullptr, &ropt);  // models/dbn_report.h
    const std::string arch = dbn.arch() + (classify ? " + softmax " + std::to_string(classes) : "") + (compare ? " + random baseline" : "");
    RunState run{classify ? "dbn_classifier" : "dbn_autoencoder", arch, parts.params, {}, parts.optimizers, parts.rngs};
    printf("model: %s\n", dbn_schedule(dbn, classify, f.epochs, f.lr, f.batch, compare).c_str());

    // the unrolled net's loss on 4 images, every parameter through the tape
    if (f.gradcheck && !print_gradcheck(tuned.gradcheck(train.subset(4), model_check_options()))) return 1;

    PCA pca;  // the autoencoder's linear bar: PCA with as many components as the code
    const double pca_se = classify ? NAN : pca_test_error(pca, train, test, K);
    if (!classify) printf("PCA-%d: test squared error %.2f per image\n", K, pca_se);

    const std::string metric = classify ? "test_accuracy" : "test_sq_error";  // what the test set says, per task
    std::vector<MetricsLog::Panel> panels = {{"RBM recon. error", {"pretrain_recon_error"}, true}};
    if (classify) panels.push_back({"cross-entropy", {"train_loss", "test_loss", "random_train_loss", "random_test_loss"}});
    panels.push_back({classify ? "test accuracy" : "test sq. error / image", {metric, "random_" + metric}});
    if (!classify) panels.back().columns.push_back("pca_sq_error");
    MetricsLog log(f.out, dbn_metric_columns(classify));
    const int start = resume_run(f, run, log);  // --resume: the checkpoint's state, metrics.csv up to its epoch

    const int total = L * cfg.pretrain_epochs + f.epochs;  // the schedule: every RBM's epochs, then fine-tuning
    Batcher batches(tuning, f.batch, (uint64_t)f.seed), rbatches(tuning, f.batch, (uint64_t)f.seed);  // the same batches for both nets
    Tape tape;
    tape.detect_anomaly = f.detect_anomaly;
    for (int epoch = start + 1; epoch <= total; epoch++) {
        char line[300], extra[80] = "";
        std::vector<std::pair<std::string, double>> row;  // this epoch's metrics, by column
        if (!classify) row.push_back({"pca_sq_error", pca_se});
        const int ft = epoch - L * cfg.pretrain_epochs;  // the fine-tuning epoch; < 1 while pretraining
        double test_loss, m, rtest_loss, rm;
        if (ft == 1) tuned.unroll(dbn), pre.release();  // unroll once, at the first fine-tuning epoch
        if (ft == 1 && !classify) {
            tuned.evaluate(test, &test_loss, &m);
            printf("unrolled, before fine-tuning: test squared error %.2f per image (PCA-%d: %.2f)\n", m, K, pca_se);
        }
        const int l = ft < 1 ? (epoch - 1) / cfg.pretrain_epochs : 0, e = ft < 1 ? (epoch - 1) % cfg.pretrain_epochs + 1 : 0;
        Progress progress(epoch, total, ft < 1 ? pre.batches_per_epoch(l) : batches.batches_per_epoch());
        auto on_batch = [&](int b, double x) { guard_loss(x, epoch, b, ckpt), progress.step(b, x, ft < 1 ? cfg.batch : f.batch); };
        if (ft < 1) {  // ---- greedy pretraining: RBM l, its epoch e
            const double r = pre.epoch(l, e, on_batch);
            row.insert(row.end(), {{"layer", l + 1}, {"pretrain_recon_error", r}});
            snprintf(line, sizeof line, "epoch %d/%d  pretrain RBM %d (%s) epoch %d/%d  cd_recon_error %.3f  (%.1f s)", epoch, total, l + 1,
                     dbn.rbms[l]->arch().c_str(), e, cfg.pretrain_epochs, r, progress.seconds());
            write_dbn_filters(f.out + "/filters.png", dbn, kFilters, H, W);
        } else {  // ---- fine-tuning, the random baseline beside it on the same batches
            batches.start_epoch(ft), rbatches.start_epoch(ft);
            double train_loss = tuned.train_epoch(batches, opt, tape, on_batch);
            tuned.evaluate(test, &test_loss, &m);
            row.insert(row.end(), {{"train_loss", train_loss}, {metric, m}});
            if (classify) row.push_back({"test_loss", test_loss});
            if (compare) {
                row.push_back({"random_train_loss", random.train_epoch(rbatches, ropt, tape)});
                random.evaluate(test, &rtest_loss, &rm);
                row.push_back({"random_" + metric, rm});
                if (classify) row.push_back({"random_test_loss", rtest_loss});
                snprintf(extra, sizeof extra, classify ? "  | random init: test_accuracy %.2f%%" : "  | random init %.2f", classify ? 100 * rm : rm);
            }
            if (classify)
                snprintf(line, sizeof line, "epoch %d/%d  fine-tune %d/%d  train_loss %.4f  test_loss %.4f  test_accuracy %.2f%%%s  (%.1f s)", epoch, total,
                         ft, f.epochs, train_loss, test_loss, 100 * m, extra, progress.seconds());
            else
                snprintf(line, sizeof line, "epoch %d/%d  fine-tune %d/%d  train_bce %.2f  test_sq_error %.2f per image%s  (PCA-%d %.2f)  (%.1f s)", epoch, total,
                         ft, f.epochs, train_loss, m, extra, K, pca_se, progress.seconds());
            if (!classify) {  // the test images, then the DBN's, the random baseline's and PCA's reconstructions
                write_dbn_reconstructions(f.out + "/reconstructions.png", test.subset(kShow).x, tuned, compare ? &random : nullptr, pca, K, H, W);
                if (K == 2) write_latent_scatter(f.out + "/latent_scatter.png", tuned.ae->encode(test.x), test.y, class_names_for(test), "DBN autoencoder codes of the test set");
            }
        }
        log.add_named(epoch, progress.seconds(), row);
        log.plot(f.out + "/curves.png", panels);
        save_run(ckpt, run, epoch, cli.values());
        progress.done(line);
    }
    printf("wrote %s/{metrics.csv,curves.png,filters.png%s,model.ckpt}\n", f.out.c_str(), classify ? "" : ",reconstructions.png");
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
