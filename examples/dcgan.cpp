// dcgan.cpp — a deep convolutional GAN on Fashion-MNIST: G z(100) → 7x7x128 → conv-transpose to 14x14x64 →
// conv-transpose to 28x28 (tanh), BatchNorm2d and ReLU between; D conv 64 s2 → conv 128 s2 → a logit,
// LeakyReLU 0.2. Adam 2e-4, β1 0.5, batch 32 (4x the steps of batch 128 per epoch: measured better, docs/conv-models.md);
// one D step and one G step per batch, as examples/gan.
// The samples are judged by an MLP classifier of the data (run/judge.h: trained first if missing; on unlabelled
// data the measures step aside). --data: an idx directory or an image folder (grey, or RGB with --channels 3),
// H and W divisible by 4 (--size 28x28 makes any folder so).
//   build/dcgan [--epochs 4] [--batch 32] [--latent 100] [--eval-every 1] [--out out/dcgan] [--gradcheck]
// Writes, every epoch: metrics.csv (d_loss, g_loss, d_real_acc, d_fake_acc, classifier_score,
// frechet_distance, min_class_share), curves.png, samples_epochNNN.png and samples.png (the same 64 noise
// vectors every epoch), model.ckpt (both nets, G's BatchNorm statistics, both optimizers).
#include <cstdio>

#include "io/samples.h"
#include "models/dcgan.h"
#include "run/data_flags.h"
#include "run/judge.h"
#include "run/progress.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/dcgan";
    f.epochs = 4;   // at batch 32: 68% of real at 3 and 4, then slowly up (76% at 9; docs/conv-models.md)
    f.batch = 32;
    f.lr = 2e-4;  // both nets, Adam with β1 = 0.5 (Radford et al. 2016)
    int latent = 100, eval_every = 1, eval_samples = 10000, judge_epochs = 5;
    std::string classifier = "auto", init = "dcgan", d_norm = "none";
    bool label_smoothing = false;
    ImageFlags img;
    Cli cli("dcgan", "Train a deep convolutional GAN on Fashion-MNIST (or an idx directory or image folder).");
    add_common(cli, f);
    add_image_flags(cli, img);
    cli.add("latent", &latent, "size of the noise vector z", 1, 4096);
    cli.add("init", &init, "weights: dcgan (N(0, 0.02²), the DCGAN paper's) or default (each layer's PyTorch default)");
    cli.add("d-norm", &d_norm, "D's second conv: none, or batch (BatchNorm2d, as PyTorch's DCGAN; slower to learn here: docs/conv-models.md)");
    cli.add("label-smoothing", &label_smoothing, "train D towards 0.9 instead of 1 on real images (one-sided)");
    cli.add("eval-every", &eval_every, "judge the samples every N epochs and at the end (0 = never)", 0, 100000);
    cli.add("eval-samples", &eval_samples, "samples to judge", 2, 1000000);
    cli.add("classifier", &classifier, "the judge's checkpoint (examples/mlp_classifier), trained here if missing; auto: run/judge.h's for the data");
    cli.add("judge-epochs", &judge_epochs, "epochs to train the judge if its checkpoint is missing", 1, 1000);
    if (!cli.parse(argc, argv)) return 0;
    start_run(f);  // tapegrad's threads, denormals flushed; --distributed joins the job (run/distributed.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const double beta1 = 0.5, beta2 = 0.999;
    const int kSamples = 64;  // the 8 × 8 sample grid

    CommonFlags whole = f;  // the judge learns from the whole training set, G and D from --train-limit of it
    whole.train_limit = 0;
    TrainTest data = load_train_test(whole, data_options(img));
    Dataset &train = data.train, &test = data.test;
    DCGANConfig cfg = dcgan_config_for(train);  // images, H and W divisible by 4: refused by name otherwise
    SampleJudge judge;  // the judge, trained on the whole training set (before --train-limit) if it is missing
    if (eval_every > 0 && !prepare_judge(judge, classifier, f.data, train, test, judge_epochs, (uint64_t)f.seed)) eval_every = 0;
    if (f.train_limit > 0) train = train.subset(f.train_limit);

    cfg.latent = latent;
    if (init != "dcgan" && init != "default") throw input_error("--init " + init + ": not an initialisation; use dcgan or default");
    cfg.init = init;
    if (d_norm != "batch" && d_norm != "none") throw input_error("--d-norm " + d_norm + ": not a normalisation; use batch or none");
    cfg.d_batchnorm = d_norm == "batch";
    cfg.real_label = label_smoothing ? 0.9 : 1;
    DCGAN dcgan(cfg, (uint64_t)f.seed);
    GAN& gan = dcgan.gan;
    Adam opt_d(gan.d_params(), f.lr, beta1, beta2), opt_g(gan.g_params(), f.lr, beta1, beta2);
    RunState run{"dcgan", dcgan.arch(), gan.g_params(), dcgan.buffers(), {&opt_d, &opt_g}, {&gan.rng}};
    for (Param* p : gan.d_params()) run.params.push_back(p);
    printf("model: DCGAN %s, G %zu + D %zu parameters, Adam lr %g (β1 %g), batch %d%s\n", dcgan.arch().c_str(),
           count_params(gan.g_params()), count_params(gan.d_params()), f.lr, beta1, f.batch, label_smoothing ? ", real label 0.9" : "");

    if (f.gradcheck) {  // 4 images; G's and D's BatchNorm use the batch's statistics (training mode), nothing random
        Tensor tiny = train.x.first_slice(0, 4);
        for (real& v : tiny.data) v = 2 * v - 1;
        Rng r(3);
        Tensor z = Tensor::normal(Shape{4, latent}, 0, 1, r);
        GradcheckResult gd = gradcheck("dcgan D loss (D's params)", [&](Tape& t, const std::vector<Var>&) {
            return discriminator_loss(gan, t, tiny, z).loss;
        }, {}, gan.d_params(), model_check_options());
        GradcheckResult gg = gradcheck("dcgan G loss (G's params)", [&](Tape& t, const std::vector<Var>&) {
            return generator_loss(gan, t, z);
        }, {}, gan.g_params(), model_check_options());
        bool ok = print_gradcheck(gd);
        if (!print_gradcheck(gg) || !ok) return 1;
    }

    // fixed noise: the same 64 vectors for every grid, the same ones for every evaluation
    Rng fixed(1234);
    Tensor grid_z = Tensor::normal(Shape{kSamples, latent}, 0, 1, fixed);
    Tensor eval_z = Tensor::normal(Shape{eval_samples, latent}, 0, 1, fixed);
    GenerateFn to_unit = [&](const Tensor& z) {  // G's [-1, 1] samples as [0, 1] images for the judge
        Tensor x = dcgan.sample(z);
        for (real& v : x.data) v = (v + 1) / 2;
        return x;
    };

    MetricsLog log(f.out, {"d_loss", "g_loss", "d_real_acc", "d_fake_acc", "classifier_score", "frechet_distance", "min_class_share"});
    const int start = resume_run(f, run, log);  // --resume: the checkpoint's state, metrics.csv up to its epoch
    Batcher batches = training_batches(train, f, run);  // --distributed: this rank's shard (run/distributed.h)
    Tape tape_d, tape_g;
    tape_d.detect_anomaly = tape_g.detect_anomaly = f.detect_anomaly;
    for (int epoch = start + 1; epoch <= f.epochs; epoch++) {
        Progress progress(epoch, f.epochs, batches.batches_per_epoch());
        batches.start_epoch(epoch);
        GANEpoch e = train_epoch(gan, batches, opt_d, opt_g, tape_d, tape_g, [&](int b, double d_loss, double g_loss) {
            guard_loss(d_loss, epoch, b, ckpt);
            guard_loss(g_loss, epoch, b, ckpt);
            progress.step(b, d_loss, f.batch);
        });
        double train_secs = progress.seconds();
        Quality q;
        bool judged = eval_every > 0 && (epoch % eval_every == 0 || epoch == f.epochs);
        if (judged) q = judge_samples(judge.net, generate_in_batches(to_unit, eval_z), judge.ref.test_fit);
        log.add(epoch, train_secs, {e.d_loss, e.g_loss, e.d_real_acc, e.d_fake_acc, judged ? q.score : NAN,
                                    judged ? q.frechet : NAN, judged ? q.coverage.min_share : NAN});
        log.plot(f.out + "/curves.png", {{"losses (BCE)", {"d_loss", "g_loss"}}, {"D accuracy", {"d_real_acc", "d_fake_acc"}},
                                         {"classifier score", {"classifier_score"}}, {"Frechet distance", {"frechet_distance"}},
                                         {"smallest class share", {"min_class_share"}}});
        Tensor shown = dcgan.sample(grid_z);
        char name[64];
        snprintf(name, sizeof name, "/samples_epoch%03d.png", epoch);
        write_samples(f.out + name, shown, train, true);
        write_samples(f.out + "/samples.png", shown, train, true);
        save_run(ckpt, run, epoch, cli.values());
        char line[260], quality[120] = "";
        if (judged)
            snprintf(quality, sizeof quality, "  score %.2f (%.0f%% of real)  frechet %.2f  min class %.1f%%", q.score,
                     100 * q.score / judge.ref.test.score, q.frechet, 100 * q.coverage.min_share);
        snprintf(line, sizeof line, "epoch %d/%d  d_loss %.3f  g_loss %.3f  D right on real %.0f%% fake %.0f%%%s  (%.1f s training)",
                 epoch, f.epochs, e.d_loss, e.g_loss, 100 * e.d_real_acc, 100 * e.d_fake_acc, quality, train_secs);
        progress.done(line);
    }
    printf("wrote %s/{metrics.csv,curves.png,samples.png,samples_epochNNN.png,model.ckpt}\n", f.out.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
