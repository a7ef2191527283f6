// step_profile.cpp — bench: where a VAE training step's time goes, op by op. The same step as
// models/vae.cpp (VAE::loss, then zero_grad, backward, Adam), written out one op at a time with a clock
// read between them; microseconds per step, averaged over every full batch of `--epochs` epochs after the
// first, the ragged last batch left out (docs/performance.md, "Where the rest of a step goes").
//   step_profile [--epochs 3] [--threads 1] [--data DIR]
#include "autograd/ops.h"
#include "bench/tg_common.h"
#include "models/vae.h"

using namespace tg;
using tgbench::now;

int main(int argc, char** argv) try {
    const int kBatch = 128;
    tgbench::Flags f;
    f.epochs = 3;
    if (!tgbench::parse_flags(argc, argv, "step_profile", "Bench: a VAE training step's time, op by op.", f)) return 0;
    Dataset train = tgbench::load_train(f, kBatch);
    VAEConfig cfg;
    cfg.input = train.dim();
    VAE vae(cfg, (uint64_t)f.seed);
    Linear& enc1 = static_cast<Linear&>(*vae.encoder.layers[0]);
    Linear& enc2 = static_cast<Linear&>(*vae.encoder.layers[2]);
    Linear& dec1 = static_cast<Linear&>(*vae.decoder.layers[0]);
    Linear& dec2 = static_cast<Linear&>(*vae.decoder.layers[2]);
    Adam opt(vae.params(), 1e-3);
    Batcher batches(train, kBatch, (uint64_t)f.seed);
    Tensor eps(Shape{kBatch, cfg.latent});
    Tape tape;
    const char* names[] = {"batch gather", "noise (eps)", "input copy", "linear 784->400", "relu", "linear 400->40",
                           "slice, clamp, exp, z", "linear 20->400", "relu", "linear 400->784", "bce_with_logits",
                           "kl + sum", "zero_grad", "backward", "adam step"};
    const int K = sizeof names / sizeof names[0];
    std::vector<double> total(K, 0), t;
    t.reserve(K + 1);  // the clock readings of one step: no allocation between them
    long steps = 0;
    const int L = cfg.latent;
    for (int epoch = 1; epoch <= f.epochs; epoch++) {
        batches.start_epoch(epoch);
        for (;;) {
            t.clear();
            t.push_back(now());
            if (!batches.next()) break;
            if (batches.xb.dim(0) != kBatch) continue;  // the ragged last batch: not profiled
            t.push_back(now());
            fill_normal(eps.ptr(), eps.size(), vae.rng);
            t.push_back(now());
            tape.reset();
            Var x = tape.input(batches.xb);                                          t.push_back(now());
            Var h = enc1(x);                                                         t.push_back(now());
            h = relu(h);                                                             t.push_back(now());
            h = enc2(h);                                                             t.push_back(now());
            Var mu = slice_cols(h, 0, L), logvar = clamp(slice_cols(h, L, 2 * L), -30, 20);
            Var z = mu + exp(logvar * 0.5) * tape.input(eps);
            t.push_back(now());
            Var d = dec1(z);                                                         t.push_back(now());
            d = relu(d);                                                             t.push_back(now());
            d = dec2(d);                                                             t.push_back(now());
            Var recon = bce_with_logits(d, x, Reduce::BatchMean);                    t.push_back(now());
            Var loss = recon + gaussian_kl(mu, logvar);
            volatile double l = loss.item();
            (void)l;                                                                 t.push_back(now());
            opt.zero_grad();                                                         t.push_back(now());
            tape.backward(loss);                                                     t.push_back(now());
            opt.step();                                                              t.push_back(now());
            if (epoch == 1) continue;  // warm-up
            for (int k = 0; k < K; k++) total[k] += t[k + 1] - t[k];
            steps++;
        }
    }
    double sum = 0;
    printf("VAE 784-400-20, batch %d, %d thread(s), OpenBLAS kernels %s: microseconds per step over %ld steps\n", kBatch,
           f.threads, openblas_get_corename(), steps);
    for (int k = 0; k < K; k++) {
        printf("  %-22s %8.1f\n", names[k], total[k] / steps * 1e6);
        sum += total[k];
    }
    const int per_epoch = (int)((train.size() + kBatch - 1) / kBatch);
    printf("  %-22s %8.1f   (x %d steps = %.3f s per epoch)\n", "total", sum / steps * 1e6, per_epoch, sum / steps * per_epoch);
    return 0;
} catch (const Error& e) {
    fprintf(stderr, "error: %s\n", e.what());
    return e.code;
}
