// vae.cpp — encoder, reparameterized sample, decoder, the negative ELBO, and training/evaluation loops.
// derivations: docs/vae.md
#include "models/vae.h"

#include <cmath>

#include "autograd/ops.h"
#include "models/fit.h"
#include "nn/train.h"
#include "models/linalg.h"

namespace tg {

VAE::VAE(const VAEConfig& c, uint64_t seed) : encoder("encoder"), decoder("decoder") { build(c, seed); }

void VAE::build(const VAEConfig& c, uint64_t seed) {
    if (c.latent <= 0) throw input_error("--latent: the latent size must be at least 1, got " + std::to_string(c.latent));
    if (c.hidden <= 0) throw input_error("--hidden: must be at least 1, got " + std::to_string(c.hidden));
    if (!(c.beta >= 0)) throw input_error("--beta: must be >= 0, got " + std::to_string(c.beta));
    cfg = c;
    rng = Rng(seed);
    encoder.layers.clear();
    decoder.layers.clear();
    encoder.add<Linear>("encoder.fc1", cfg.input, cfg.hidden, rng);
    encoder.add<Activation>("encoder.relu", Act::ReLU);
    encoder.add<Linear>("encoder.fc2", cfg.hidden, 2 * cfg.latent, rng);  // [mu | logvar]
    decoder.add<Linear>("decoder.fc1", cfg.latent, cfg.hidden, rng);
    decoder.add<Activation>("decoder.relu", Act::ReLU);
    decoder.add<Linear>("decoder.fc2", cfg.hidden, cfg.input, rng);
}

std::string VAE::arch() const {
    return std::to_string(cfg.input) + "-" + std::to_string(cfg.hidden) + "-" + std::to_string(cfg.latent);
}

std::vector<Param*> VAE::params() {
    std::vector<Param*> p = encoder.params(), d = decoder.params();
    p.insert(p.end(), d.begin(), d.end());
    return p;
}

VAE::Encoded VAE::encode(Var x) {
    Var h = encoder(x);  // (B, 2K)
    int K = cfg.latent;
    // NOTE: logvar is clamped to [-30, 20] (σ² from 1e-13 to 5e8). Training never goes there, but a bad
    // step could, and exp(logvar) would overflow to inf and the loss to NaN. Outside the range the
    // gradient is 0 (docs/vae.md).
    return {slice_cols(h, 0, K), clamp(slice_cols(h, K, 2 * K), -30, 20)};
}

// KL = -½ Σ (1 + logvar - mu² - e^logvar) / B
Var gaussian_kl(Var mu, Var logvar) {
    Var terms = 1.0 + logvar - mu * mu - exp(logvar);  // (B, K)
    return sum(terms) * (real)(-0.5 / mu.shape()[0]);
}

VAE::Loss VAE::loss(Tape& t, const Tensor& x, const Tensor& eps) {
    Var xv = t.input(x);
    Encoded q = encode(xv);
    Var z = q.mu + exp(q.logvar * 0.5) * t.input(eps);               // reparameterization: (B, K)
    Var recon = bce_with_logits(decode_logits(z), xv, Reduce::BatchMean);  // Σ pixels, mean over images
    Var kl = gaussian_kl(q.mu, q.logvar);
    return {cfg.beta == 1 ? recon + kl : recon + kl * cfg.beta, recon, kl};
}

VAE::Loss VAE::loss(Tape& t, const Tensor& x) {
    Tensor eps = Tensor::normal(Shape{x.dim(0), cfg.latent}, 0, 1, rng);
    return loss(t, x, eps);
}

double train_epoch(VAE& vae, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch) {
    return train_vae_epoch("vae", vae, batches, opt, tape, on_batch);
}

VAEEval evaluate(VAE& vae, const Dataset& d, uint64_t seed) {
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
        VAE::Loss L = vae.loss(tape, xb, eps);
        double B = xb.dim(0);
        e.nelbo += (L.recon.item() + L.kl.item()) * B;  // the bound itself, without β
        e.recon += L.recon.item() * B;
        e.kl += L.kl.item() * B;
        // squared error of the mean reconstruction (decoder at z = mu), for comparison with PCA
        Var mean_recon = sigmoid(vae.decode_logits(vae.encode(tape.input(xb)).mu));
        e.sq_error += mse(mean_recon, tape.input(xb), Reduce::Sum).item();
    }
    e.nelbo /= d.size();
    e.recon /= d.size();
    e.kl /= d.size();
    e.sq_error /= d.size();
    return e;
}

// ----------------------------------------------------------------------------------------------
// Reducer

void VAE::fit(const Dataset& train, int dim, Rng& r) {
    VAEConfig c = cfg;
    c.latent = dim;
    c.input = train.dim();
    build(c, r.next_u64());
    fit_with_adam(*this, train, cfg.epochs, cfg.batch, cfg.lr, r.next_u64());
}

Tensor VAE::encode(const Tensor& x) {
    check_rows("vae", x, cfg.input);  // a wrong width or a NaN: an input_error naming the model, not a matmul's
    return apply_nograd(x, [&](Var v) { return encode(v).mu; });
}

Tensor VAE::decode(const Tensor& z) {
    check_rows("vae", z, cfg.latent, "decode input (codes)");
    return apply_nograd(z, [&](Var v) { return sigmoid(decode_logits(v)); });
}

void VAE::save(Checkpoint& ck) const {
    VAE& self = const_cast<VAE&>(*this);  // store_params reads the params, it changes nothing
    ck.set("model", name());
    ck.set("arch", arch());
    ck.set("beta", std::to_string(cfg.beta));
    store_params(ck, self.params());
}

void VAE::load(const Checkpoint& ck) {
    if (ck.get("model") != name()) throw input_error(ck.path + ": holds a '" + ck.get("model") + "' model, not a VAE");
    VAEConfig c = cfg;
    if (sscanf(ck.get("arch").c_str(), "%d-%d-%d", &c.input, &c.hidden, &c.latent) != 3)
        throw input_error(ck.path + ": malformed VAE architecture '" + ck.get("arch") + "'");
    c.beta = ck.has("beta") ? (real)std::stod(ck.get("beta")) : real(1);  // run checkpoints (save_run) carry no beta
    build(c, 0);
    restore_params(ck, params());
}

}  // namespace tg
