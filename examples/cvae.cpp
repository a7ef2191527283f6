// cvae.cpp — a class-conditional VAE on Fashion-MNIST: the VAE of examples/vae.cpp with the label, one-hot,
// joined to the encoder's input [x | y] and to the decoder's [z | y] (models/cvae.h). Asked for a class, it
// draws one: z from the prior gives the style, the label the garment. docs/cvae.md
//   build/cvae [--epochs 10] [--latent 20] [--hidden 400] [--beta 1] [--out out/cvae] [--gradcheck]
// Writes, every epoch: metrics.csv (train_loss, test_nelbo, test_recon, test_kl, test_sq_error), curves.png,
// samples_by_class.png (one row per class; each column shares one z), reconstructions.png (originals, their
// reconstructions, and the same codes decoded as the next class), model.ckpt.
#include <cstdio>

#include "io/figures.h"
#include "io/idx.h"
#include "io/png.h"
#include "models/cvae.h"
#include "run/flags.h"
#include "run/metrics.h"
#include "run/progress.h"
#include "run/training.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/cvae";
    int latent = 20, hidden = 400;
    double beta = 1;
    Cli cli("cvae", "Train a class-conditional VAE on Fashion-MNIST (or any labelled idx image set).");
    add_common(cli, f);
    cli.add("latent", &latent, "latent dimensions K", 1, 4096);
    cli.add("hidden", &hidden, "hidden units in encoder and decoder", 1, 65536);
    cli.add("beta", &beta, "weight of the KL term (1 = the conditional ELBO)", 0, 1000);
    if (!cli.parse(argc, argv)) return 0;
    start_run(f);  // tapegrad's threads, denormals flushed; --distributed joins the job (run/distributed.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const int kColumns = 10, kShow = 12;  // samples per class (one z each), images in reconstructions.png

    TrainTest data = load_train_test(f);
    const Dataset &train = data.train, &test = data.test;
    if (!train.has_labels() || !test.has_labels())
        throw input_error("cvae: " + train.source + " has no labels; the conditional VAE learns p(x | y) and needs them (build/vae needs none)");
    const int H = train.height, W = train.width, C = std::max(train.classes, test.classes);

    CVAEConfig cfg;
    cfg.input = train.dim();
    cfg.hidden = hidden;
    cfg.latent = latent;
    cfg.classes = C;
    cfg.beta = (real)beta;
    CVAE vae(cfg, (uint64_t)f.seed);
    RunState run{"cvae", vae.arch() + (beta != 1 ? " beta " + std::to_string(beta) : ""), vae.params(), {}, {}, {&vae.rng}};
    Adam opt(run.params, f.lr);
    run.optimizers = {&opt};
    printf("model: conditional VAE %s (%d classes), beta %g, %zu parameters, Adam lr %g, batch %d\n", vae.arch().c_str(), C, beta,
           count_params(run.params), f.lr, f.batch);

    if (f.gradcheck) {  // the full loss on 4 labelled images with a fixed ε
        Dataset tiny = train.subset(4);
        Rng r(3);
        Tensor eps = Tensor::normal(Shape{4, latent}, 0, 1, r);
        GradcheckResult g = gradcheck("cvae negative ELBO", [&](Tape& t, const std::vector<Var>&) { return vae.loss(t, tiny.x, tiny.y, eps).objective; },
                                      {}, run.params, model_check_options());
        if (!print_gradcheck(g)) return 1;
    }

    // fixed pictures: column j of samples_by_class.png decodes the same z_j for every class (row)
    Rng fixed(1234);
    Tensor column_z = Tensor::normal(Shape{kColumns, latent}, 0, 1, fixed);
    Tensor grid_z(Shape{C * kColumns, latent});
    std::vector<int> grid_y;
    for (int c = 0; c < C; c++)
        for (int j = 0; j < kColumns; j++) {
            for (int k = 0; k < latent; k++) grid_z.at(c * kColumns + j, k) = column_z.at(j, k);
            grid_y.push_back(c);
        }
    GridOptions grid;
    grid.cols = kColumns;
    grid.scale = 2;
    grid.row_labels = class_names_for(test);
    grid.row_labels.resize(C);
    for (int c = 0; c < C; c++)
        if (grid.row_labels[c].empty()) grid.row_labels[c] = std::to_string(c);
    const Dataset shown_set = test.subset(kShow);  // at most kShow: a small test set has fewer
    Tensor shown = shown_set.x;
    std::vector<int> shown_y = shown_set.y, next_y = shown_y;
    for (int& y : next_y) y = (y + 1) % C;

    MetricsLog log(f.out, {"train_loss", "test_nelbo", "test_recon", "test_kl", "test_sq_error"});
    const int start = resume_run(f, run, log);  // --resume: the checkpoint's state, metrics.csv up to its epoch
    Batcher batches = training_batches(train, f, run);  // --distributed: this rank's shard (run/distributed.h)
    Tape tape;
    tape.detect_anomaly = f.detect_anomaly;
    for (int epoch = start + 1; epoch <= f.epochs; epoch++) {
        Progress progress(epoch, f.epochs, batches.batches_per_epoch());
        batches.start_epoch(epoch);
        double train_loss = train_epoch(vae, batches, opt, tape, [&](int b, double l) {
            guard_loss(l, epoch, b, ckpt);
            progress.step(b, l, f.batch);
        });
        VAEEval e = evaluate(vae, test);  // the conditional bound: -log p(x | y) <= test_nelbo
        log.add(epoch, progress.seconds(), {train_loss, e.nelbo, e.recon, e.kl, e.sq_error});
        log.plot(f.out + "/curves.png", {{"negative conditional ELBO (nats/image)", {"train_loss", "test_nelbo"}},
                                         {"test terms (nats/image)", {"test_recon", "test_kl"}}});
        write_image_grid(f.out + "/samples_by_class.png", vae.decode(grid_z, grid_y), H, W, 1, grid);
        Tensor codes = vae.encode_mean(shown, shown_y);
        write_image_rows(f.out + "/reconstructions.png", {{"original", shown}, {"reconstruction", vae.decode(codes, shown_y)},
                                                          {"as next class", vae.decode(codes, next_y)}}, H, W);
        save_run(ckpt, run, epoch, cli.values());
        char line[200];
        snprintf(line, sizeof line, "epoch %d/%d  train_loss %.2f  test_nelbo %.2f (recon %.2f + kl %.2f) nats/image  (%.1f s)",
                 epoch, f.epochs, train_loss, e.nelbo, e.recon, e.kl, progress.seconds());
        progress.done(line);
    }
    printf("wrote %s/{metrics.csv,curves.png,samples_by_class.png,reconstructions.png,model.ckpt}\n", f.out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
