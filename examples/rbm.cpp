// rbm.cpp — a restricted Boltzmann machine on Fashion-MNIST: 784 visible units (pixel intensities read as
// probabilities) and 500 binary hidden units, trained by CD-1 (or CD-k, or persistent CD) with momentum
// 0.5 → 0.9 and weight decay, as in Hinton's "practical guide". Theory and the monitors: docs/rbm.md
//   build/rbm [--hidden 500] [--cd-k 1] [--pcd] [--epochs 10] [--lr 0.05] [--out out/rbm] [--gradcheck]
//   build/rbm --visible gaussian --lr 0.005        # Gaussian visible units on standardised pixels
//   build/rbm --hidden-units gaussian --lr 0.005   # linear hidden units (the deep autoencoder's top layer)
// Writes every epoch: metrics.csv (cd_recon_error, recon_error, test_recon_error, pseudo_loglik,
// free_energy_gap; with --visible gaussian the errors are in standardised units), curves.png, filters.png,
// reconstructions.png, gibbs_samples.png, model.ckpt. Rows that are not images (a CSV): reconstructions.png
// feature by feature, no filters or Gibbs grids (models/rbm_pictures.h).
#include <cmath>
#include <cstdio>

#include "data/standardise.h"
#include "models/rbm_pictures.h"
#include "run/data_flags.h"
#include "run/progress.h"

using namespace tg;

int main(int argc, char** argv) try {
    CommonFlags f;
    f.out = "out/rbm";
    f.lr = 0.05;      // Bernoulli units: 0.01-0.1 (Hinton's guide); Gaussian ones want ~10x less
    f.batch = 100;
    int hidden = 500, cd_k = 1, chains = 100, warmup = 5, gibbs_steps = 1000;
    bool pcd = false;
    double momentum = 0.9, weight_decay = 2e-4;
    std::string visible = "bernoulli", hidden_units = "bernoulli";
    ImageFlags img;
    Cli cli("rbm", "Train a restricted Boltzmann machine by contrastive divergence on Fashion-MNIST (or an idx directory, an image folder or a CSV).");
    add_common(cli, f);
    add_image_flags(cli, img);
    cli.add("hidden", &hidden, "hidden units H", 1, 65536);
    cli.add("cd-k", &cd_k, "Gibbs steps in the negative phase (CD-k)", 1, 100000);
    cli.add("pcd", &pcd, "persistent CD: fantasy chains carried from one update to the next");
    cli.add("chains", &chains, "fantasy chains for --pcd", 1, 1 << 20);
    cli.add("momentum", &momentum, "momentum after the warm-up epochs (0.5 during them)", 0, 0.999);
    cli.add("momentum-warmup", &warmup, "epochs at momentum 0.5", 0, 1 << 20);
    cli.add("weight-decay", &weight_decay, "L2 weight decay on W (not on the biases)", 0, 1);
    cli.add("visible", &visible, "visible units: bernoulli, or gaussian (unit variance; pixels are standardised)");
    cli.add("hidden-units", &hidden_units, "hidden units: bernoulli, or gaussian (linear, unit variance)");
    cli.add("gibbs-steps", &gibbs_steps, "Gibbs steps for gibbs_samples.png", 1, 1000000);
    if (!cli.parse(argc, argv)) return 0;
    const Units vis_units = parse_units(visible, "--visible"), hid_units = parse_units(hidden_units, "--hidden-units");
    start_run(f.threads);  // tapegrad's threads, denormals flushed (run/training.h)
    prepare_out_dir(f.out);
    const std::string ckpt = f.out + "/model.ckpt";
    const int kShow = 16, kFilters = 100, kChains = 8, kMonitor = 10000;  // picture sizes; images in each monitor

    TrainTest data = load_train_test(f, data_options(img));  // an idx directory, an image folder or a CSV
    Dataset &train = data.train, &test = data.test;

    RBMConfig cfg;
    cfg.visible = train.dim();
    cfg.hidden = hidden;
    cfg.visible_units = vis_units;
    cfg.hidden_units = hid_units;
    cfg.cd_k = cd_k;
    cfg.persistent = pcd;
    cfg.chains = chains;
    cfg.weight_decay = weight_decay;
    Standardiser st;  // Gaussian visible units have unit variance: standardised pixels (the pictures undo it)
    if (cfg.visible_units == Units::Gaussian) {
        st.fit(train.x);
        st.apply(train.x);
        st.apply(test.x);
    }
    RBM rbm(cfg, (uint64_t)f.seed);
    rbm.init_from_data(train.x);
    SGD opt(rbm.params(), f.lr, rbm_momentum(1, warmup, momentum));
    RunState run{"rbm", rbm.arch() + (pcd ? " pcd " + std::to_string(chains) : ""), rbm.params(), {}, {&opt}, {&rbm.rng}};
    if (pcd) run.buffers = {{"rbm.chains", &rbm.chains}};
    printf("model: RBM %s, %zu parameters, %s, SGD lr %g, momentum 0.5 -> %g after epoch %d, weight decay %g, batch %d\n",
           rbm.arch().c_str(), count_params(run.params), (pcd ? "PCD-" + std::to_string(cd_k) + " with " + std::to_string(chains) + " chains" : "CD-" + std::to_string(cd_k)).c_str(),
           f.lr, momentum, warmup, weight_decay, f.batch);

    if (f.gradcheck) {  // the tape's free energy by finite differences, then CD's update against its tape gradient
        Dataset tiny = train.subset(4);
        GradcheckResult g = gradcheck("rbm free energy", [&](Tape& t, const std::vector<Var>&) { return rbm.free_energy(t, t.input(tiny.x)); },
                                      {}, run.params, model_check_options());
        if (!print_gradcheck(g)) return 1;
        Rng keep = rbm.rng;
        Tensor keep_chains = rbm.chains;
        double rel = cd_vs_tape(rbm, tiny.x);
        rbm.rng = keep;
        rbm.chains = keep_chains;
        bool ok = rel < (sizeof(real) == 4 ? 1e-4 : 1e-10);
        printf("CD-%d update vs the tape gradient of mean F(data) - mean F(samples): largest difference %.2e of the largest entry (%s)\n",
               cd_k, rel, ok ? "passed" : "FAILED");
        if (!ok) return 1;
    }

    // fixed images for every epoch's pictures and monitors
    Tensor shown = test.subset(kShow).x;
    Tensor train_sub = train.x.first_slice(0, std::min(kMonitor, train.size())), test_sub = test.x.first_slice(0, std::min(kMonitor, test.size()));
    Tensor pl_test = test_sub;  // binarised once with a fixed seed: the pseudo-likelihood is defined on binary vectors
    Rng fixed(99);
    for (real& x : pl_test.data) x = (real)(fixed.uniform() < x);
    Tensor chain_start(Shape{2 * kChains, train.dim()});  // 8 test images, then 8 of noise
    for (int r = 0; r < 2 * kChains; r++)
        for (int i = 0; i < train.dim(); i++) {
            real noise = cfg.visible_units == Units::Bernoulli ? (real)(fixed.uniform() < 0.5) : (real)fixed.normal();
            chain_start.at(r, i) = r < kChains ? test.x.at(kShow + r, i) : noise;
        }

    const std::string pictures = rbm_pictures_note(train);  // images, or rows drawn feature by feature
    MetricsLog log(f.out, {"cd_recon_error", "recon_error", "test_recon_error", "pseudo_loglik", "free_energy_gap"});
    const int start = resume_run(f, run, log);  // --resume: the checkpoint's state, metrics.csv up to its epoch
    Batcher batches(train, f.batch, (uint64_t)f.seed);
    for (int epoch = start + 1; epoch <= f.epochs; epoch++) {
        Progress progress(epoch, f.epochs, batches.batches_per_epoch());
        batches.start_epoch(epoch);
        opt.momentum = rbm_momentum(epoch, warmup, momentum);
        double cd_recon = train_epoch(rbm, batches, opt, [&](int b, double r) {
            guard_loss(r, epoch, b, ckpt);
            progress.step(b, r, f.batch);
        });
        double recon = reconstruction_error(rbm, train_sub), test_recon = reconstruction_error(rbm, test_sub);
        Rng flips(7);  // the same flipped bits every epoch
        double pl = cfg.visible_units == Units::Bernoulli ? pseudo_log_likelihood(rbm, pl_test, flips) : NAN;
        double gap = mean_free_energy(rbm, test_sub) - mean_free_energy(rbm, train_sub);
        log.add_named(epoch, progress.seconds(), {{"cd_recon_error", cd_recon}, {"recon_error", recon}, {"test_recon_error", test_recon},
                                                   {"pseudo_loglik", pl}, {"free_energy_gap", gap}});
        log.plot(f.out + "/curves.png", {{"recon. error / image", {"cd_recon_error", "recon_error", "test_recon_error"}},
                                         {"pseudo-log-lik. (test)", {"pseudo_loglik"}},
                                         {"F(test) - F(train)", {"free_energy_gap"}}});
        write_rbm_pictures(f.out, rbm, shown, chain_start, gibbs_steps, kFilters, st, train);
        save_run(ckpt, run, epoch, cli.values());
        char line[240];
        snprintf(line, sizeof line, "epoch %d/%d  cd_recon %.2f  recon %.2f  test_recon %.2f  pseudo_loglik %.2f  free_energy_gap %.2f  (%.1f s)",
                 epoch, f.epochs, cd_recon, recon, test_recon, pl, gap, progress.seconds());
        progress.done(line);
    }
    printf("wrote %s/{metrics.csv,curves.png,%s,model.ckpt}\n", f.out.c_str(), pictures.c_str());
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
