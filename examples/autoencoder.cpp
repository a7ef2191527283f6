// autoencoder.cpp — a dense autoencoder on Fashion-MNIST: 784 → 512 → 256 → K → 256 → 512 → 784.
// Compresses each image to K numbers and back; with --noise it is a denoising autoencoder that must
// reconstruct the clean image from a corrupted one. Reports test squared error per image (compare PCA).
//   build/autoencoder [--latent 30] [--epochs 10] [--loss bce|mse] [--noise 0.5 --noise-kind gaussian|mask]
// Writes, every epoch: metrics.csv (train_loss, test_loss, test_sq_error, test_mse_per_pixel, test_noisy_sq_error), curves.png,
// reconstructions.png (original / reconstruction; with --noise: clean / noisy / denoised), model.ckpt;
// with --latent 2 also latent_scatter.png and manifold.png; interpolation.png between test images' codes.
#include <cstdio>

#include "run/flags.h"
#include "io/figures.h"
#include "io/idx.h"
#include "run/metrics.h"
#include "run/progress.h"
#include "run/training.h"
#include "models/autoencoder.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/autoencoder";
    int latent = 30;
    std::string hidden = "512,256", loss = "bce", noise_kind = "gaussian";
    double noise = 0;
    Cli cli("autoencoder", "Train a (denoising) autoencoder on Fashion-MNIST (or any idx image set).");
    add_common(cli, f);
    cli.add("latent", &latent, "code size K", 1, 4096);
    cli.add("hidden", &hidden, "encoder hidden sizes, comma-separated (the decoder mirrors them)");
    cli.add("loss", &loss, "reconstruction loss: bce (with logits) or mse");
    cli.add("noise", &noise, "corruption level: Gaussian sigma, or the fraction of pixels masked (0 = plain AE)", 0, 1);
    cli.add("noise-kind", &noise_kind, "gaussian or mask");
    if (!cli.parse(argc, argv)) return 0;
    if (loss != "bce" && loss != "mse") throw input_error("--loss: '" + loss + "' is not bce or mse");
    if (noise_kind != "gaussian" && noise_kind != "mask") throw input_error("--noise-kind: '" + noise_kind + "' is not gaussian or mask");
    start_run(f);  // tapegrad's threads, denormals flushed; --distributed joins the job (run/distributed.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const int kShow = 16, kPairs = 6, kSteps = 10;

    TrainTest data = load_train_test(f);
    const Dataset &train = data.train, &test = data.test;
    const int H = train.height, W = train.width;

    AutoencoderConfig cfg;
    cfg.input = train.dim();
    cfg.hidden.clear();
    for (size_t p = 0; p < hidden.size();) {
        size_t q = hidden.find(',', p);
        int h = std::atoi(hidden.substr(p, q == std::string::npos ? std::string::npos : q - p).c_str());
        if (h <= 0) throw input_error("--hidden: '" + hidden + "' must be positive sizes separated by commas, like 512,256");
        cfg.hidden.push_back(h);
        p = q == std::string::npos ? hidden.size() : q + 1;
    }
    cfg.code = latent;
    cfg.loss = loss == "bce" ? Recon::BCE : Recon::MSE;
    cfg.noise = noise == 0 ? Noise::None : noise_kind == "mask" ? Noise::Mask : Noise::Gaussian;
    cfg.noise_level = (real)noise;
    Autoencoder ae(cfg, (uint64_t)f.seed);
    RunState run{"autoencoder", ae.arch() + " " + loss + (noise > 0 ? " " + noise_kind : ""), ae.params(), {}, {}, {&ae.rng}};
    Adam opt(run.params, f.lr);
    run.optimizers = {&opt};
    printf("model: autoencoder %s, %s loss%s, %zu parameters, Adam lr %g, batch %d\n", ae.arch().c_str(), loss.c_str(),
           noise > 0 ? (", denoising (" + noise_kind + " " + std::to_string(noise) + ")").c_str() : "", count_params(run.params), f.lr, f.batch);

    if (f.gradcheck) {  // the loss on 4 images with a fixed corruption
        Dataset tiny = train.subset(4);
        Tensor input = ae.corrupt(tiny.x);
        GradcheckResult g = gradcheck("autoencoder loss", [&](Tape& t, const std::vector<Var>&) { return ae.loss(t, input, tiny.x); },
                                      {}, run.params, model_check_options());
        if (!print_gradcheck(g)) return 1;
    }

    // fixed pictures: the first test images, and one fixed corruption of them
    Tensor shown = test.subset(kShow).x;
    Rng keep = ae.rng;
    Tensor shown_noisy = ae.corrupt(shown);
    ae.rng = keep;
    DecodeFn decode = [&](const Tensor& z) { return ae.decode(z); };

    MetricsLog log(f.out, {"train_loss", "test_loss", "test_sq_error", "test_mse_per_pixel", "test_noisy_sq_error"});
    const int start = resume_run(f, run, log);  // --resume: the checkpoint's state, metrics.csv up to its epoch
    Batcher batches = training_batches(train, f, run);  // --distributed: this rank's shard (run/distributed.h)
    Tape tape;
    tape.detect_anomaly = f.detect_anomaly;
    for (int epoch = start + 1; epoch <= f.epochs; epoch++) {
        Progress progress(epoch, f.epochs, batches.batches_per_epoch());
        batches.start_epoch(epoch);
        double train_loss = train_epoch(ae, batches, opt, tape, [&](int b, double l) {
            guard_loss(l, epoch, b, ckpt);
            progress.step(b, l, f.batch);
        });
        double test_loss, sq_error, noisy_sq_error;  // from clean inputs; from corrupted ones (= clean without --noise)
        evaluate(ae, test, &test_loss, &sq_error, &noisy_sq_error);
        log.add(epoch, progress.seconds(), {train_loss, test_loss, sq_error, sq_error / cfg.input, noisy_sq_error});
        log.plot(f.out + "/curves.png", {{std::string(loss == "bce" ? "BCE" : "squared error") + " per image", {"train_loss", "test_loss"}},
                                         {"test squared error per image", {"test_sq_error"}}});
        if (noise > 0)
            write_image_rows(f.out + "/reconstructions.png", {{"clean", shown}, {"noisy", shown_noisy}, {"denoised", ae.decode(ae.encode(shown_noisy))}}, H, W);
        else
            write_image_rows(f.out + "/reconstructions.png", {{"original", shown}, {"reconstruction", ae.decode(ae.encode(shown))}}, H, W);
        Tensor codes = ae.encode(test.subset(2 * kPairs).x);
        write_interpolation(f.out + "/interpolation.png", decode, codes, kSteps, H, W);
        if (latent == 2)
            write_latent_scatter(f.out + "/latent_scatter.png", ae.encode(test.x), test.y, class_names_for(test), "autoencoder codes of the test set");
        save_run(ckpt, run, epoch, cli.values());
        char line[200];
        snprintf(line, sizeof line, "epoch %d/%d  train_loss %.2f  test_loss %.2f  test squared error %.2f per image (%.2f from corrupted inputs)  (%.1f s)", epoch,
                 f.epochs, train_loss, test_loss, sq_error, noisy_sq_error, progress.seconds());
        progress.done(line);
    }
    printf("wrote %s/{metrics.csv,curves.png,reconstructions.png,interpolation.png%s,model.ckpt}\n", f.out.c_str(),
           latent == 2 ? ",latent_scatter.png" : "");
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
