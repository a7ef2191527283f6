// conv_autoencoder.cpp — a convolutional autoencoder on Fashion-MNIST: two stride-2 convolutions (28 → 14
// → 7), a linear map to K numbers, and the mirror back with transposed convolutions; BCE with logits.
// Reports the test squared error per image, the figure PCA's 12.24 and the dense autoencoder's 7.74 give
// at K = 30 (docs/conv-models.md).
//   build/conv_autoencoder [--latent 30] [--epochs 15] [--lr 0.003] [--schedule cosine] [--out out/conv_autoencoder] [--gradcheck]
// Writes, every epoch: metrics.csv (train_loss, test_loss, test_sq_error, test_mse_per_pixel), curves.png,
// reconstructions.png, interpolation.png, model.ckpt; with --latent 2 also latent_scatter.png.
#include <cstdio>

#include "io/figures.h"
#include "io/samples.h"
#include "models/conv_autoencoder.h"
#include "run/flags.h"
#include "run/metrics.h"
#include "run/progress.h"
#include "run/data_flags.h"
#include "run/training.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/conv_autoencoder";
    f.epochs = 15, f.lr = 3e-3;  // with the cosine schedule: 5.9 at K = 30 (docs/conv-models.md)
    int latent = 30, conv1 = 32, conv2 = 64;
    std::string schedule = "cosine";
    Cli cli("conv_autoencoder", "Train a convolutional autoencoder on Fashion-MNIST (or any idx image set).");
    add_common(cli, f);
    ImageFlags img;  // --channels 3: RGB rows, read channels last (models/image_rows.h)
    add_image_flags(cli, img);
    cli.add("latent", &latent, "code size K", 1, 4096);
    cli.add("conv1", &conv1, "filters of the first convolution (and the last transposed one's input)", 1, 1024);
    cli.add("conv2", &conv2, "filters of the second convolution", 1, 1024);
    cli.add("schedule", &schedule, "learning rate per epoch: cosine (--lr down to 0 over --epochs) or constant");
    if (!cli.parse(argc, argv)) return 0;
    if (schedule != "cosine" && schedule != "constant")
        throw input_error("--schedule " + schedule + ": not a schedule; use cosine or constant");
    start_run(f);  // tapegrad's threads, denormals flushed; --distributed joins the job (run/distributed.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const int kShow = 16, kPairs = 6, kSteps = 10;  // picture sizes

    TrainTest data = load_train_test(f, data_options(img));
    const Dataset &train = data.train, &test = data.test;
    const int H = train.height, W = train.width;

    ConvAutoencoderConfig cfg;
    cfg.body = conv_body_for(train, "conv_autoencoder");
    cfg.body.conv1 = conv1, cfg.body.conv2 = conv2;
    cfg.code = latent;
    ConvAutoencoder ae(cfg, (uint64_t)f.seed);
    RunState run{"conv_autoencoder", ae.arch(), ae.params(), {}, {}, {&ae.rng}};
    Adam opt(run.params, f.lr);
    run.optimizers = {&opt};
    printf("model: conv autoencoder %s, BCE loss, %zu parameters, Adam lr %g, batch %d\n", ae.arch().c_str(), count_params(run.params), f.lr, f.batch);

    if (f.gradcheck) {  // the loss on 4 images
        Dataset tiny = train.subset(4);
        GradcheckResult g = gradcheck("conv autoencoder loss", [&](Tape& t, const std::vector<Var>&) { return ae.loss(t, tiny.x); },
                                      {}, run.params, model_check_options());
        if (!print_gradcheck(g)) return 1;
    }

    Tensor shown = test.subset(kShow).x;  // the same test images in every epoch's pictures
    DecodeFn decode = [&](const Tensor& z) { return ae.decode(z); };

    MetricsLog log(f.out, {"train_loss", "test_loss", "test_sq_error", "test_mse_per_pixel"});
    const int start = resume_run(f, run, log);  // --resume: the checkpoint's state, metrics.csv up to its epoch
    Batcher batches = training_batches(train, f, run);  // --distributed: this rank's shard (run/distributed.h)
    Tape tape;
    tape.detect_anomaly = f.detect_anomaly;
    for (int epoch = start + 1; epoch <= f.epochs; epoch++) {
        Progress progress(epoch, f.epochs, batches.batches_per_epoch());
        batches.start_epoch(epoch);
        if (schedule == "cosine") opt.lr = cosine_lr(f.lr, epoch - 1, f.epochs);  // a function of the epoch: resumes need no state
        double train_loss = train_epoch(ae, batches, opt, tape, [&](int b, double l) {
            guard_loss(l, epoch, b, ckpt);
            progress.step(b, l, f.batch);
        });
        double train_secs = progress.seconds();
        CAEEval e = evaluate(ae, test);
        log.add(epoch, train_secs, {train_loss, e.loss, e.sq_error, e.sq_error / train.dim()});
        log.plot(f.out + "/curves.png", {{"BCE per image", {"train_loss", "test_loss"}}, {"test squared error per image", {"test_sq_error"}}});
        write_sample_rows(f.out + "/reconstructions.png", {{"original", shown}, {"reconstruction", ae.decode(ae.encode(shown))}}, test);
        write_interpolation(f.out + "/interpolation.png", decode, ae.encode(test.subset(2 * kPairs).x), kSteps, H, W, train.channels);
        if (latent == 2)
            write_latent_scatter(f.out + "/latent_scatter.png", ae.encode(test.x), test.y, class_names_for(test), "conv autoencoder codes of the test set");
        save_run(ckpt, run, epoch, cli.values());
        char line[200];
        snprintf(line, sizeof line, "epoch %d/%d  train_loss %.2f  test_loss %.2f  test squared error %.2f per image  (%.1f s training)",
                 epoch, f.epochs, train_loss, e.loss, e.sq_error, train_secs);
        progress.done(line);
    }
    printf("wrote %s/{metrics.csv,curves.png,reconstructions.png,interpolation.png%s,model.ckpt}\n", f.out.c_str(),
           latent == 2 ? ",latent_scatter.png" : "");
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
