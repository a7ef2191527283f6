// conv_vae.cpp — a convolutional VAE on Fashion-MNIST: the conv autoencoder's body (two stride-2
// convolutions and their transposed mirror) around a Gaussian latent (K = 20) and a Bernoulli decoder.
// Reports the test negative ELBO in nats per image with its two terms; the MLP VAE (examples/vae) gets 244.3.
//   build/conv_vae [--epochs 10] [--latent 20] [--out out/conv_vae] [--gradcheck]
//   build/conv_vae --latent 2 --out out/conv_vae2d      # adds latent_scatter.png and manifold.png
// Writes, every epoch: metrics.csv (train_loss, test_nelbo, test_recon, test_kl, test_sq_error), curves.png,
// reconstructions.png, samples.png (the same 64 prior draws every epoch), interpolation.png, model.ckpt.
#include <cstdio>

#include "io/figures.h"
#include "io/samples.h"
#include "io/png.h"
#include "models/conv_vae.h"
#include "run/flags.h"
#include "run/metrics.h"
#include "run/progress.h"
#include "run/data_flags.h"
#include "run/training.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/conv_vae";
    int latent = 20;
    Cli cli("conv_vae", "Train a convolutional variational autoencoder on Fashion-MNIST (or any idx image set).");
    add_common(cli, f);
    ImageFlags img;  // --channels 3: RGB rows, read channels last (models/image_rows.h)
    add_image_flags(cli, img);
    cli.add("latent", &latent, "latent dimensions K", 1, 4096);
    if (!cli.parse(argc, argv)) return 0;
    start_run(f);  // tapegrad's threads, denormals flushed; --distributed joins the job (run/distributed.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const int kShow = 16, kSamples = 64, kPairs = 6, kSteps = 10;  // picture sizes

    TrainTest data = load_train_test(f, data_options(img));
    const Dataset &train = data.train, &test = data.test;
    const int H = train.height, W = train.width;

    ConvVAEConfig cfg;
    cfg.body = conv_body_for(train, "conv_vae");
    cfg.latent = latent;
    ConvVAE vae(cfg, (uint64_t)f.seed);
    RunState run{"conv_vae", vae.arch(), vae.params(), {}, {}, {&vae.rng}};
    Adam opt(run.params, f.lr);
    run.optimizers = {&opt};
    printf("model: conv VAE %s, %zu parameters, Adam lr %g, batch %d\n", vae.arch().c_str(), count_params(run.params), f.lr, f.batch);

    if (f.gradcheck) {  // the negative ELBO on 4 images with a fixed ε
        Dataset tiny = train.subset(4);
        Rng r(3);
        Tensor eps = Tensor::normal(Shape{4, latent}, 0, 1, r);
        GradcheckResult g = gradcheck("conv vae negative ELBO", [&](Tape& t, const std::vector<Var>&) { return vae.loss(t, tiny.x, eps).objective; },
                                      {}, run.params, model_check_options());
        if (!print_gradcheck(g)) return 1;
    }

    // fixed inputs and noise, so every epoch's pictures are comparable
    Tensor shown = test.subset(kShow).x;
    Rng fixed(1234);
    Tensor prior_z = Tensor::normal(Shape{kSamples, latent}, 0, 1, fixed);
    DecodeFn decode = [&](const Tensor& z) { return vae.decode(z); };

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
        double train_secs = progress.seconds();
        VAEEval e = evaluate(vae, test);
        log.add(epoch, train_secs, {train_loss, e.nelbo, e.recon, e.kl, e.sq_error});
        log.plot(f.out + "/curves.png", {{"negative ELBO (nats/image)", {"train_loss", "test_nelbo"}},
                                         {"test terms (nats/image)", {"test_recon", "test_kl"}}});
        write_sample_rows(f.out + "/reconstructions.png", {{"original", shown}, {"reconstruction", vae.decode(vae.encode_mean(shown))}}, test);
        GridOptions grid;
        grid.cols = 8;
        grid.scale = 2;
        write_image_grid(f.out + "/samples.png", vae.decode(prior_z), H, W, train.channels, grid);
        write_interpolation(f.out + "/interpolation.png", decode, vae.encode_mean(test.subset(2 * kPairs).x), kSteps, H, W, train.channels);
        if (latent == 2) {
            write_latent_scatter(f.out + "/latent_scatter.png", vae.encode_mean(test.x), test.y, class_names_for(test),
                                 "conv VAE latent means of the test set");
            write_manifold(f.out + "/manifold.png", decode, 20, H, W, train.channels);
        }
        save_run(ckpt, run, epoch, cli.values());
        char line[200];
        snprintf(line, sizeof line, "epoch %d/%d  train_loss %.2f  test_nelbo %.2f (recon %.2f + kl %.2f) nats/image  (%.1f s training)",
                 epoch, f.epochs, train_loss, e.nelbo, e.recon, e.kl, train_secs);
        progress.done(line);
    }
    printf("wrote %s/{metrics.csv,curves.png,reconstructions.png,samples.png,interpolation.png%s,model.ckpt}\n", f.out.c_str(),
           latent == 2 ? ",latent_scatter.png,manifold.png" : "");
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
