// conv_vae.cpp — the convolutional VAE: the conv body's encoder to [mu | logvar], the reparameterized
// sample, the conv decoder, the negative ELBO, training and evaluation. Derivations: docs/vae.md, docs/conv.md
#include "models/conv_vae.h"

#include <cstdio>

#include "autograd/ops.h"
#include "models/linalg.h"
#include "nn/train.h"

namespace tg {

ConvVAE::ConvVAE(const ConvVAEConfig& c, uint64_t seed) : cfg(c), rng(seed), encoder("encoder"), decoder("decoder") {
    if (c.latent <= 0) throw input_error("--latent: the latent size must be at least 1, got " + std::to_string(c.latent));
    build_conv_encoder(encoder, "encoder", cfg.body, 2 * cfg.latent, rng);  // [mu | logvar]
    build_conv_decoder(decoder, "decoder", cfg.body, cfg.latent, rng);
}

std::string ConvVAE::arch() const { return cfg.body.str() + "-" + std::to_string(cfg.latent); }

ConvVAEConfig parse_conv_vae_arch(const std::string& arch, const std::string& where) {
    ConvVAEConfig c;
    const std::string rest = parse_conv_body(arch, c.body, where);
    if (sscanf(rest.c_str(), "%d", &c.latent) != 1 || c.latent <= 0)
        throw input_error(where + ": malformed conv VAE architecture '" + arch + "'; expected like 1x28x28-c32-c64-20");
    return c;
}

std::vector<Param*> ConvVAE::params() {
    std::vector<Param*> p = encoder.params(), d = decoder.params();
    p.insert(p.end(), d.begin(), d.end());
    return p;
}

VAE::Encoded ConvVAE::encode(Var x) {
    Var h = encoder(x);  // (B, 2K)
    const int K = cfg.latent;
    return {slice_cols(h, 0, K), clamp(slice_cols(h, K, 2 * K), -30, 20)};  // the clamp: see VAE::encode
}

VAE::Loss ConvVAE::loss(Tape& t, const Tensor& x, const Tensor& eps) {
    Var xv = t.input(x);
    VAE::Encoded q = encode(xv);
    Var z = q.mu + exp(q.logvar * 0.5) * t.input(eps);                     // reparameterization: (B, K)
    Var recon = bce_with_logits(decode_logits(z), xv, Reduce::BatchMean);  // Σ pixels, mean over images
    Var kl = gaussian_kl(q.mu, q.logvar);
    return {recon + kl, recon, kl};
}

Tensor ConvVAE::encode_mean(const Tensor& x) {
    check_rows("conv_vae", x, cfg.body.channels * cfg.body.height * cfg.body.width);
    return apply_nograd(x, [&](Var v) { return encode(v).mu; });
}

Tensor ConvVAE::decode(const Tensor& z) {
    check_rows("conv_vae", z, cfg.latent, "decode input (codes)");
    return apply_nograd(z, [&](Var v) { return sigmoid(decode_logits(v)); });
}

double train_epoch(ConvVAE& vae, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch) {
    return train_vae_epoch("conv_vae", vae, batches, opt, tape, on_batch);
}

VAEEval evaluate(ConvVAE& vae, const Dataset& d, uint64_t seed) {
    Rng r(seed);
    Batcher it(d, 500, 0, false);
    Tape tape;
    Tensor xb;
    std::vector<int> yb;
    VAEEval e{0, 0, 0, 0};
    while (it.next(xb, yb)) {
        tape.reset();
        NoGrad ng(tape);
        Tensor eps = Tensor::normal(Shape{xb.dim(0), vae.cfg.latent}, 0, 1, r);
        VAE::Loss L = vae.loss(tape, xb, eps);
        const double B = xb.dim(0);
        e.nelbo += L.objective.item() * B;
        e.recon += L.recon.item() * B;
        e.kl += L.kl.item() * B;
        Var x = tape.input(xb);
        e.sq_error += mse(sigmoid(vae.decode_logits(vae.encode(x).mu)), x, Reduce::Sum).item();  // mean reconstruction
    }
    e.nelbo /= d.size();
    e.recon /= d.size();
    e.kl /= d.size();
    e.sq_error /= d.size();
    return e;
}

}  // namespace tg
