// vae.cpp — a variational autoencoder on Fashion-MNIST: 784 → 400 → 20 (μ, log σ²) → 400 → 784.
// The model of the PyTorch examples: ReLU, Adam 1e-3, batch 128, BCE with logits summed over pixels.
// Reports the test negative ELBO in nats per image (lower is better) with its two terms.
//   build/vae [--epochs 10] [--latent 20] [--beta 1] [--out out/vae] [--gradcheck]
//   build/vae --latent 2 --out out/vae2d        # adds latent_scatter.png and manifold.png
// Writes, every epoch: metrics.csv (train_loss, test_nelbo, test_recon, test_kl, test_sq_error),
// curves.png, reconstructions.png, samples.png, interpolation.png, model.ckpt.
#include <cstdio>

#include "run/flags.h"
#include "io/figures.h"
#include "io/idx.h"
#include "run/metrics.h"
#include "io/png.h"
#include "run/progress.h"
#include "run/training.h"
#include "models/vae.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/vae";
    int latent = 20, hidden = 400;
    double beta = 1;
    Cli cli("vae", "Train a variational autoencoder on Fashion-MNIST (or any idx image set).");
    add_common(cli, f);
    cli.add("latent", &latent, "latent dimensions K", 1, 4096);
    cli.add("hidden", &hidden, "hidden units in encoder and decoder", 1, 65536);
    cli.add("beta", &beta, "weight of the KL term (1 = VAE, > 1 = beta-VAE)", 0, 1000);
    if (!cli.parse(argc, argv)) return 0;
    start_run(f);  // tapegrad's threads, denormals flushed; --distributed joins the job (run/distributed.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const int kShow = 16, kSamples = 64, kPairs = 6, kSteps = 10;  // picture sizes

    TrainTest data = load_train_test(f);
    const Dataset &train = data.train, &test = data.test;
    const int H = train.height, W = train.width;

    VAEConfig cfg;
    cfg.input = train.dim();
    cfg.hidden = hidden;
    cfg.latent = latent;
    cfg.beta = (real)beta;
    VAE vae(cfg, (uint64_t)f.seed);
    RunState run{"vae", vae.arch() + (beta != 1 ? " beta " + std::to_string(beta) : ""), vae.params(), {}, {}, {&vae.rng}};
    Adam opt(run.params, f.lr);
    run.optimizers = {&opt};
    printf("model: VAE %s, beta %g, %zu parameters, Adam lr %g, batch %d\n", vae.arch().c_str(), beta, count_params(run.params), f.lr, f.batch);

    if (f.gradcheck) {  // the full loss on 4 images with a fixed ε
        Dataset tiny = train.subset(4);
        Rng r(3);
        Tensor eps = Tensor::normal(Shape{4, latent}, 0, 1, r);
        GradcheckResult g = gradcheck("vae negative ELBO", [&](Tape& t, const std::vector<Var>&) { return vae.loss(t, tiny.x, eps).objective; },
                                      {}, run.params, model_check_options());
        if (!print_gradcheck(g)) return 1;
    }

    // fixed inputs and noise, so every epoch's pictures are comparable
    Tensor shown = test.subset(kShow).x;
    Rng fixed(1234);
    Tensor prior_z = Tensor::normal(Shape{kSamples, latent}, 0, 1, fixed);
    DecodeFn decode = [&](const Tensor& z) { return vae.decode(z); };

    // train_loss is recon + β·KL (the negative ELBO when β = 1); test_nelbo is recon + KL for any β
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
        VAEEval e = evaluate(vae, test);
        log.add(epoch, progress.seconds(), {train_loss, e.nelbo, e.recon, e.kl, e.sq_error});
        log.plot(f.out + "/curves.png", {{"negative ELBO (nats/image)", {"train_loss", "test_nelbo"}},
                                         {"test terms (nats/image)", {"test_recon", "test_kl"}}});
        write_image_rows(f.out + "/reconstructions.png", {{"original", shown}, {"reconstruction", vae.decode(vae.encode(shown))}}, H, W);
        GridOptions grid;
        grid.cols = 8;
        grid.scale = 2;
        write_image_grid(f.out + "/samples.png", vae.decode(prior_z), H, W, 1, grid);
        Tensor codes = vae.encode(test.subset(2 * kPairs).x);  // pairs (0,1), (2,3)... of test images
        write_interpolation(f.out + "/interpolation.png", decode, codes, kSteps, H, W);
        if (latent == 2) {
            write_latent_scatter(f.out + "/latent_scatter.png", vae.encode(test.x), test.y, class_names_for(test),
                                 "VAE latent means of the test set");
            write_manifold(f.out + "/manifold.png", decode, 20, H, W);
        }
        save_run(ckpt, run, epoch, cli.values());
        char line[200];
        snprintf(line, sizeof line, "epoch %d/%d  train_loss %.2f  test_nelbo %.2f (recon %.2f + kl %.2f) nats/image  (%.1f s)",
                 epoch, f.epochs, train_loss, e.nelbo, e.recon, e.kl, progress.seconds());
        progress.done(line);
    }
    printf("wrote %s/{metrics.csv,curves.png,reconstructions.png,samples.png,interpolation.png%s,model.ckpt}\n", f.out.c_str(),
           latent == 2 ? ",latent_scatter.png,manifold.png" : "");
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
