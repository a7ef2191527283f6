// cvae.cpp — the class-conditional VAE: the one-hot label joined to the encoder's and the decoder's input,
// the same reparameterized sample, Gaussian KL and Bernoulli reconstruction as models/vae.cpp, training through
// the VAEs' shared epoch, evaluation and generation. Derivation: docs/cvae.md
#include "models/cvae.h"

#include <algorithm>

#include "autograd/ops.h"
#include "models/linalg.h"

namespace tg {

CVAE::CVAE(const CVAEConfig& c, uint64_t seed) : cfg(c), rng(seed), encoder("encoder"), decoder("decoder") {
    if (c.latent <= 0) throw input_error("--latent: the latent size must be at least 1, got " + std::to_string(c.latent));
    if (c.hidden <= 0) throw input_error("--hidden: must be at least 1, got " + std::to_string(c.hidden));
    if (c.classes < 2) throw input_error("cvae: needs labelled data of at least 2 classes, got " + std::to_string(c.classes));
    if (!(c.beta >= 0)) throw input_error("--beta: must be >= 0, got " + std::to_string(c.beta));
    encoder.add<Linear>("encoder.fc1", cfg.input + cfg.classes, cfg.hidden, rng);  // [x | onehot(y)]
    encoder.add<Activation>("encoder.relu", Act::ReLU);
    encoder.add<Linear>("encoder.fc2", cfg.hidden, 2 * cfg.latent, rng);           // [mu | logvar]
    decoder.add<Linear>("decoder.fc1", cfg.latent + cfg.classes, cfg.hidden, rng);  // [z | onehot(y)]
    decoder.add<Activation>("decoder.relu", Act::ReLU);
    decoder.add<Linear>("decoder.fc2", cfg.hidden, cfg.input, rng);
}

std::string CVAE::arch() const {
    return std::to_string(cfg.input) + "-" + std::to_string(cfg.hidden) + "-" + std::to_string(cfg.latent) + "-c" +
           std::to_string(cfg.classes);
}

std::vector<Param*> CVAE::params() {
    std::vector<Param*> p = encoder.params(), d = decoder.params();
    p.insert(p.end(), d.begin(), d.end());
    return p;
}

void one_hot_into(Tensor& out, const std::vector<int>& labels, int classes) {
    out.resize(Shape{(int)labels.size(), classes});
    std::fill(out.data.begin(), out.data.end(), real(0));
    for (size_t i = 0; i < labels.size(); i++) {
        if (labels[i] < 0 || labels[i] >= classes)
            throw input_error("cvae: label " + std::to_string(labels[i]) + " of item " + std::to_string(i) + " is outside [0, " +
                              std::to_string(classes) + "); the model was built for " + std::to_string(classes) + " classes");
        out.at((int)i, labels[i]) = 1;
    }
}

Tensor one_hot(const std::vector<int>& labels, int classes) {
    Tensor t;
    one_hot_into(t, labels, classes);
    return t;
}

VAE::Encoded CVAE::encode(Var x, Var y) {
    Var h = encoder(concat(x, y, 1));  // (B, D+C) → (B, 2K)
    const int K = cfg.latent;
    return {slice_cols(h, 0, K), clamp(slice_cols(h, K, 2 * K), -30, 20)};  // the clamp: see VAE::encode
}

VAE::Loss CVAE::loss(Tape& t, const Tensor& x, const std::vector<int>& labels, const Tensor& eps) {
    if ((int)labels.size() != x.dim(0))
        throw input_error("cvae: " + std::to_string(x.dim(0)) + " images but " + std::to_string(labels.size()) +
                          " labels; the conditional VAE needs a labelled set");
    one_hot_into(onehot, labels, cfg.classes);
    Var xv = t.input(x), y = t.input(onehot);
    VAE::Encoded q = encode(xv, y);
    Var z = q.mu + exp(q.logvar * 0.5) * t.input(eps);                        // reparameterization: (B, K)
    Var recon = bce_with_logits(decode_logits(z, y), xv, Reduce::BatchMean);  // Σ pixels, mean over images
    Var kl = gaussian_kl(q.mu, q.logvar);                                     // models/vae.h
    return {cfg.beta == 1 ? recon + kl : recon + kl * cfg.beta, recon, kl};
}

Var vae_objective(CVAE& vae, Tape& t, const Tensor& x, const std::vector<int>& labels, const Tensor& eps) {
    return vae.loss(t, x, labels, eps).objective;
}

double train_epoch(CVAE& vae, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch) {
    if (!batches.data->has_labels()) throw input_error("cvae: the training set has no labels; the conditional VAE needs them");
    return train_vae_epoch("cvae", vae, batches, opt, tape, on_batch);
}

// ----------------------------------------------------------------------------------------------
// whole sets, no graph

// [a | b] (N, A+B) from a (N, A) and b (N, B)
static Tensor join_cols(const Tensor& a, const Tensor& b) {
    Tensor out(Shape{a.rows(), a.cols() + b.cols()});
    for (int i = 0; i < a.rows(); i++) {
        std::copy(a.ptr() + (size_t)i * a.cols(), a.ptr() + (size_t)(i + 1) * a.cols(), out.ptr() + (size_t)i * out.cols());
        std::copy(b.ptr() + (size_t)i * b.cols(), b.ptr() + (size_t)(i + 1) * b.cols(), out.ptr() + (size_t)i * out.cols() + a.cols());
    }
    return out;
}

Tensor CVAE::encode_mean(const Tensor& x, const std::vector<int>& labels) {
    check_rows("cvae", x, cfg.input);
    if ((int)labels.size() != x.rows()) throw input_error("cvae: encode needs one label per image");
    return apply_nograd(join_cols(x, one_hot(labels, cfg.classes)), [&](Var v) { return slice_cols(encoder(v), 0, cfg.latent); });
}

Tensor CVAE::decode(const Tensor& z, const std::vector<int>& labels) {
    check_rows("cvae", z, cfg.latent, "decode input (codes)");
    if ((int)labels.size() != z.rows()) throw input_error("cvae: decode needs one label per code");
    return apply_nograd(join_cols(z, one_hot(labels, cfg.classes)), [&](Var v) { return sigmoid(decoder(v)); });
}

Tensor CVAE::generate(const std::vector<int>& labels, Rng& r) {
    return decode(Tensor::normal(Shape{(int)labels.size(), cfg.latent}, 0, 1, r), labels);
}

VAEEval evaluate(CVAE& vae, const Dataset& d, uint64_t seed) {
    if (!d.has_labels()) throw input_error("cvae: the evaluation set has no labels; the conditional VAE needs them");
    Rng r(seed);
    Batcher it(d, 1000, 0, false);
    Tape tape;
    Tensor xb;
    std::vector<int> yb;
    VAEEval e{0, 0, 0, 0};
    while (it.next(xb, yb)) {
        tape.reset();
        NoGrad ng(tape);
        Tensor eps = Tensor::normal(Shape{xb.dim(0), vae.cfg.latent}, 0, 1, r);
        VAE::Loss L = vae.loss(tape, xb, yb, eps);
        const double B = xb.dim(0);
        e.nelbo += (L.recon.item() + L.kl.item()) * B;  // the bound itself, without β
        e.recon += L.recon.item() * B;
        e.kl += L.kl.item() * B;
        Var x = tape.input(xb), y = tape.input(vae.onehot);  // the mean reconstruction: the decoder at z = mu
        e.sq_error += mse(sigmoid(vae.decode_logits(vae.encode(x, y).mu, y)), x, Reduce::Sum).item();
    }
    e.nelbo /= d.size();
    e.recon /= d.size();
    e.kl /= d.size();
    e.sq_error /= d.size();
    return e;
}

}  // namespace tg
