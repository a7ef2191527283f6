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

#include "run/flags.h"
#include "io/figures.h"
#include "io/idx.h"
#include "run/metrics.h"
#include "io/png.h"
#include "run/progress.h"
#include "run/training.h"
#include "models/dbn.h"
#include "models/pca.h"

using namespace tg;

// Squared reconstruction error per image of PCA with K components, fitted on the training set.
static double pca_error(PCA& pca, const Dataset& train, const Dataset& test, int K) {
    Rng unused(0);
    pca.fit(train, K, unused);
    Tensor r = pca.decode(pca.encode(test.x));
    double se = 0;
    for (size_t i = 0; i < r.size(); i++) se += (double)(r[i] - test.x[i]) * (r[i] - test.x[i]);
    return se / test.size();
}

int main(int argc, char** argv) try {
    CommonFlags f;  // --epochs, --batch and --lr are the fine-tuning's (Adam)
    f.out = "out/dbn";
    std::string task = "classify", layers;
    int pretrain_epochs = 5, pretrain_batch = 100, cd_k = 1, warmup = 2, labels = 0;
    double pretrain_lr = 0.05, linear_lr = 0.005, momentum = 0.9, weight_decay = 2e-4;
    bool compare = false;
    Cli cli("dbn", "Pretrain a deep belief network greedily, then fine-tune it as a classifier or a deep autoencoder.");
    add_common(cli, f);
    cli.add("task", &task, "classify (softmax on top) or autoencoder (Hinton & Salakhutdinov 2006)");
    cli.add("layers", &layers, "hidden layer sizes, comma-separated (default: 500,500 to classify, 500,250,30 for the autoencoder)");
    cli.add("pretrain-epochs", &pretrain_epochs, "CD epochs for each RBM", 0, 100000);
    cli.add("pretrain-batch", &pretrain_batch, "mini-batch for pretraining", 1, 1 << 20);
    cli.add("pretrain-lr", &pretrain_lr, "SGD learning rate for the binary RBMs", 0, 10);
    cli.add("linear-lr", &linear_lr, "SGD learning rate for the autoencoder's top RBM (linear hidden units)", 0, 10);
    cli.add("cd-k", &cd_k, "Gibbs steps in CD-k", 1, 100000);
    cli.add("momentum", &momentum, "pretraining momentum after the warm-up epochs (0.5 during them)", 0, 0.999);
    cli.add("momentum-warmup", &warmup, "pretraining epochs at momentum 0.5, per RBM", 0, 1 << 20);
    cli.add("weight-decay", &weight_decay, "L2 weight decay on each RBM's W", 0, 1);
    cli.add("labels", &labels, "classify: fine-tune on the first N labelled images only (0 = all); pretraining uses all", 0, 1 << 30);
    cli.add("compare-random", &compare, "also fine-tune the same network from random weights, with the same budget");
    if (!cli.parse(argc, argv)) return 0;
    if (task != "classify" && task != "autoencoder") throw input_error("--task: unknown task '" + task + "'; use classify or autoencoder");
    const bool classify = task == "classify";
    const std::vector<int> hidden_sizes = parse_layers(layers.empty() ? (classify ? "500,500" : "500,250,30") : layers, "--layers");
    start_run(f.threads);  // tapegrad's threads, denormals flushed (run/training.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const int kShow = 16, kFilters = 100;

    std::string dir = resolve_data_dir(f.data);
    Dataset train = load_idx_split(dir, true), test = load_idx_split(dir, false);
    if (f.train_limit > 0) train = train.subset(f.train_limit);
    Dataset labelled;
    if (labels > 0) labelled = train.subset(labels);
    const Dataset& tuning = labels > 0 ? labelled : train;  // what fine-tuning sees
    const int H = train.height, W = train.width, classes = std::max(train.classes, test.classes);
    printf("data: %d train, %d test images of %dx%d from %s%s\n", train.size(), test.size(), H, W, dir.c_str(),
           labels > 0 ? (", fine-tuning on the first " + std::to_string(tuning.size())).c_str() : "");

    DBNConfig cfg;
    cfg.sizes = hidden_sizes;
    cfg.sizes.insert(cfg.sizes.begin(), train.dim());
    cfg.linear_top = !classify;
    cfg.pretrain_epochs = pretrain_epochs;
    cfg.batch = pretrain_batch;
    cfg.cd_k = cd_k;
    cfg.momentum_warmup = warmup;
    cfg.lr = pretrain_lr;
    cfg.linear_lr = linear_lr;
    cfg.momentum = momentum;
    cfg.weight_decay = weight_decay;
    DBN dbn(cfg, (uint64_t)f.seed);
    const int L = dbn.layers();

    // the unrolled nets: built now (random weights) so the checkpoint always holds every tensor
    Sequential net("pretrained"), rnet("random");
    std::unique_ptr<DBNAutoencoder> ae, rae;
    RunState run;
    run.model = classify ? "dbn_classifier" : "dbn_autoencoder";
    run.arch = dbn.arch() + (classify ? " + softmax " + std::to_string(classes) : "") + (compare ? " + random baseline" : "");
    run.params = dbn.params();
    std::vector<std::unique_ptr<SGD>> sgd;
    for (int l = 0; l < L; l++) {
        sgd.push_back(std::make_unique<SGD>(dbn.rbms[l]->params(), dbn.layer_lr(l), rbm_momentum(1, warmup, momentum)));
        run.optimizers.push_back(sgd.back().get());
        run.rngs.push_back(&dbn.rbms[l]->rng);
    }
    Rng init((uint64_t)f.seed + 1);
    std::vector<Param*> fine, rfine;  // the fine-tuned nets' params
    if (classify) {
        Rng init2 = init;  // the same draws: the random net starts exactly where the pretrained one would without pretraining
        build_classifier(net, "pretrained", cfg.sizes, classes, init);
        build_classifier(rnet, "random", cfg.sizes, classes, init2);
        fine = net.params();
        rfine = rnet.params();
    } else {
        ae = std::make_unique<DBNAutoencoder>(cfg, init.state);
        rae = std::make_unique<DBNAutoencoder>(cfg, init.state, "random.");
        fine = ae->params();
        rfine = rae->params();
    }
    Adam opt(fine, f.lr), ropt(rfine, f.lr);
    run.params.insert(run.params.end(), fine.begin(), fine.end());
    run.optimizers.push_back(&opt);
    if (compare) {
        run.params.insert(run.params.end(), rfine.begin(), rfine.end());
        run.optimizers.push_back(&ropt);
    }
    char top_lr[40] = "";
    if (!classify) snprintf(top_lr, sizeof top_lr, ", linear top %g", linear_lr);
    printf("model: DBN %s, %d RBMs x %d CD-%d epochs (SGD lr %g%s, momentum 0.5 -> %g, decay %g, batch %d), then %d epochs of %s (Adam lr %g, batch %d)%s\n",
           dbn.arch().c_str(), L, pretrain_epochs, cd_k, pretrain_lr, top_lr, momentum,
           weight_decay, pretrain_batch, f.epochs, classify ? "cross-entropy" : "BCE reconstruction", f.lr, f.batch,
           compare ? "; the same from random weights beside it" : "");

    if (f.gradcheck) {  // the unrolled net's loss on 4 images, every parameter through the tape
        Dataset tiny = train.subset(4);
        GradcheckResult g;
        if (classify)
            g = gradcheck("dbn classifier cross-entropy", [&](Tape&, const std::vector<Var>& x) { return cross_entropy(net(x[0]), tiny.y); },
                          {tiny.x}, fine, model_check_options());
        else
            g = gradcheck("dbn autoencoder BCE", [&](Tape& t, const std::vector<Var>&) { return ae->loss(t, tiny.x); }, {}, fine, model_check_options());
        if (!print_gradcheck(g)) return 1;
    }

    double pca_se = NAN;
    PCA pca;
    const int K = cfg.sizes.back();
    if (!classify) {
        pca_se = pca_error(pca, train, test, K);
        printf("PCA-%d: test squared error %.2f per image\n", K, pca_se);
    }

    int start = f.resume.empty() ? 0 : load_run(f.resume, run);
    if (start) printf("resumed from %s after epoch %d\n", f.resume.c_str(), start);
    std::vector<std::string> cols = {"layer", "pretrain_recon_error", "train_loss"};
    std::vector<MetricsLog::Panel> panels = {{"RBM recon. error", {"pretrain_recon_error"}, true}};
    if (classify) {
        cols.insert(cols.end(), {"test_loss", "test_accuracy", "random_train_loss", "random_test_loss", "random_test_accuracy"});
        panels.push_back({"cross-entropy", {"train_loss", "test_loss", "random_train_loss", "random_test_loss"}});
        panels.push_back({"test accuracy", {"test_accuracy", "random_test_accuracy"}});
    } else {
        cols.insert(cols.end(), {"test_sq_error", "random_train_loss", "random_test_sq_error", "pca_sq_error"});
        panels.push_back({"test sq. error / image", {"test_sq_error", "random_test_sq_error", "pca_sq_error"}});
    }
    MetricsLog log(f.out, cols);
    log.resume(start);

    const int total = L * pretrain_epochs + f.epochs;
    Dataset layer_data;  // the current RBM's input: the hidden probabilities of the layers below
    int layer_ready = -1;
    std::unique_ptr<Batcher> pre;
    Batcher batches(tuning, f.batch, (uint64_t)f.seed), rbatches(tuning, f.batch, (uint64_t)f.seed);  // the same batches for both nets
    Tape tape;
    tape.detect_anomaly = f.detect_anomaly;
    GridOptions grid;
    grid.cols = 10;
    grid.scale = 2;
    for (int epoch = start + 1; epoch <= total; epoch++) {
        char line[300], extra[80] = "";
        if (epoch <= L * pretrain_epochs) {  // ---- greedy pretraining: RBM l, its epoch e
            const int l = (epoch - 1) / pretrain_epochs, e = (epoch - 1) % pretrain_epochs + 1;
            RBM& rbm = *dbn.rbms[l];
            if (layer_ready != l) {
                layer_data.x = dbn.propagate(train.x, l);
                layer_data.source = "the input of " + rbm.prefix;
                pre = std::make_unique<Batcher>(layer_data, pretrain_batch, (uint64_t)f.seed + 100 + l);
                layer_ready = l;
            }
            if (e == 1) rbm.init_from_data(layer_data.x);
            Progress progress(epoch, total, pre->batches_per_epoch());
            pre->start_epoch(e);
            sgd[l]->momentum = rbm_momentum(e, warmup, momentum);
            double r = train_epoch(rbm, *pre, *sgd[l], [&](int b, double x) {
                guard_loss(x, epoch, b, ckpt);
                progress.step(b, x, pretrain_batch);
            });
            std::vector<double> row(cols.size(), NAN);
            row[0] = l + 1;
            row[1] = r;
            if (!classify) row[6] = pca_se;
            log.add(epoch, progress.seconds(), row);
            log.plot(f.out + "/curves.png", panels);
            snprintf(line, sizeof line, "epoch %d/%d  pretrain RBM %d (%s) epoch %d/%d  cd_recon_error %.3f  (%.1f s)", epoch, total, l + 1,
                     rbm.arch().c_str(), e, pretrain_epochs, r, progress.seconds());
            write_image_grid(f.out + "/filters.png", filter_images(*dbn.rbms[0], kFilters), H, W, 1, grid);
            save_run(ckpt, run, epoch, cli.values());
            progress.done(line);
            continue;
        }
        // ---- fine-tuning: unroll once, at its first epoch
        const int ft = epoch - L * pretrain_epochs;
        if (ft == 1) {
            layer_data = Dataset();
            pre.reset();
            if (classify) {
                load_pretrained(net, dbn);  // the softmax layer stays random: nothing to report before fine-tuning
            } else {
                ae->unroll(dbn);
                double l0, se0;
                evaluate(*ae, test, &l0, &se0);
                printf("unrolled, before fine-tuning: test squared error %.2f per image (PCA-%d: %.2f)\n", se0, K, pca_se);
            }
        }
        Progress progress(epoch, total, batches.batches_per_epoch());
        batches.start_epoch(ft);
        rbatches.start_epoch(ft);
        auto on_batch = [&](int b, double x) {
            guard_loss(x, epoch, b, ckpt);
            progress.step(b, x, f.batch);
        };
        std::vector<double> row(cols.size(), NAN);
        if (classify) {
            double train_loss = train_classifier_epoch(net, batches, opt, tape, on_batch), test_loss, acc;
            evaluate_classifier(net, test, &test_loss, &acc);
            row[2] = train_loss; row[3] = test_loss; row[4] = acc;
            if (compare) {
                row[5] = train_classifier_epoch(rnet, rbatches, ropt, tape);
                evaluate_classifier(rnet, test, &row[6], &row[7]);
            }
            if (compare) snprintf(extra, sizeof extra, "  | random init: test_accuracy %.2f%%", 100 * row[7]);
            snprintf(line, sizeof line, "epoch %d/%d  fine-tune %d/%d  train_loss %.4f  test_loss %.4f  test_accuracy %.2f%%%s  (%.1f s)", epoch, total,
                     ft, f.epochs, train_loss, test_loss, 100 * acc, extra, progress.seconds());
        } else {
            double train_loss = train_epoch(*ae, batches, opt, tape, on_batch), test_loss, se;
            evaluate(*ae, test, &test_loss, &se);
            row[2] = train_loss; row[3] = se; row[6] = pca_se;
            Tensor shown = test.x.first_slice(0, kShow);
            std::vector<std::pair<std::string, Tensor>> rows = {{"original", shown}, {"DBN", ae->decode(ae->encode(shown))}};
            if (compare) {
                double rl;
                row[4] = train_epoch(*rae, rbatches, ropt, tape);
                evaluate(*rae, test, &rl, &row[5]);
                rows.push_back({"random init", rae->decode(rae->encode(shown))});
            }
            rows.push_back({"PCA-" + std::to_string(K), pca.decode(pca.encode(shown))});
            write_image_rows(f.out + "/reconstructions.png", rows, H, W);
            if (K == 2) write_latent_scatter(f.out + "/latent_scatter.png", ae->encode(test.x), test.y, class_names_for(test), "DBN autoencoder codes of the test set");
            if (compare) snprintf(extra, sizeof extra, "  | random init %.2f", row[5]);
            snprintf(line, sizeof line, "epoch %d/%d  fine-tune %d/%d  train_bce %.2f  test_sq_error %.2f per image%s  (PCA-%d %.2f)  (%.1f s)", epoch, total,
                     ft, f.epochs, train_loss, se, extra, K, pca_se, progress.seconds());
        }
        log.add(epoch, progress.seconds(), row);
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
