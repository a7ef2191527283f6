// vae.h — a variational autoencoder (Kingma & Welling 2014), the model of the PyTorch examples:
//   encoder  x (B, D) → h = relu(x W1ᵀ + b1) (B, H) → [mu | logvar] = h W2ᵀ + b2 (B, 2K), split in two
//   sample   z = mu + exp(logvar / 2) ⊙ ε,  ε ~ N(0, I)           (the reparameterization trick)
//   decoder  z (B, K) → relu(z W3ᵀ + b3) (B, H) → logits (B, D);  p(x|z) = Bernoulli(sigmoid(logits))
//   loss     negative ELBO per image = Σ_pixels BCE(logits, x) + β · KL(q(z|x) ‖ N(0, I)),
//            KL = -½ Σ_k (1 + logvar - mu² - exp(logvar)), summed over K, averaged over the batch.
// β = 1 is the VAE; β > 1 the β-VAE (Higgins et al. 2017). Derivations: docs/vae.md
// D = pixels, H = hidden units, K = latent dimensions, B = batch.
#pragma once
#include <functional>

#include "data/batcher.h"
#include "models/reducer.h"
#include "nn/layers.h"
#include "nn/optim.h"
#include "nn/train.h"

namespace tg {

struct VAEConfig {
    int input = 784, hidden = 400, latent = 20;
    real beta = 1;
    // used by fit() (the Reducer interface); the example has its own flags
    int epochs = 10, batch = 128;
    double lr = 1e-3;
};

struct VAE : Reducer {
    VAEConfig cfg;
    Rng rng;     // initialisation, then ε
    Tensor eps;  // (B, K) the training step's noise, a buffer reused from step to step
    Sequential encoder, decoder;  // fc1-relu-fc2 each: PyTorch's fc1, fc21|fc22 (as one layer of 2K), fc3, fc4

    VAE(const VAEConfig& cfg, uint64_t seed);
    void build(const VAEConfig& cfg, uint64_t seed);  // (re)create the layers with fresh weights
    std::string name() const override { return "vae"; }
    std::string arch() const;  // "784-400-20"
    std::vector<Param*> params();

    struct Encoded { Var mu, logvar; };                           // each (B, K)
    Encoded encode(Var x);
    Var decode_logits(Var z) { return decoder(z); }                // (B, K) -> (B, D)
    // The loss terms, each averaged over the batch (nats per image). `objective` = recon + β·KL is what
    // training minimises; it is the negative ELBO when β = 1. eps (B, K) is the noise of the
    // reparameterization; pass a fixed one to make the loss deterministic (gradcheck, evaluation).
    struct Loss { Var objective, recon, kl; };
    Loss loss(Tape& t, const Tensor& x, const Tensor& eps);
    Loss loss(Tape& t, const Tensor& x);                           // draws eps from rng

    // ---- the Reducer interface: codes are the posterior means
    void fit(const Dataset& train, int dim, Rng& rng) override;
    Tensor encode(const Tensor& x) override;                       // mu (N, K)
    bool has_decoder() const override { return true; }
    Tensor decode(const Tensor& z) override;                       // sigmoid(logits) (N, D)
    void save(Checkpoint& ck) const override;
    void load(const Checkpoint& ck) override;
};

// KL(N(mu, diag exp(logvar)) ‖ N(0, I)) per row, summed over the K dimensions, averaged over rows.
Var gaussian_kl(Var mu, Var logvar);

// One epoch of training; returns the mean objective (recon + β·KL) per image. on_batch(b, objective) after each batch.
double train_epoch(VAE& vae, Batcher& batches, Optimizer& opt, Tape& tape,
                   const std::function<void(int, double)>& on_batch = nullptr);

// The objective a VAE trains on, recon + β·KL with the noise eps: the unconditional VAEs ignore the labels;
// models/cvae.h overloads it for the class-conditional VAE, which reads them.
template <class Model>
Var vae_objective(Model& vae, Tape& t, const Tensor& x, const std::vector<int>& /*labels*/, const Tensor& eps) {
    return vae.loss(t, x, eps).objective;
}

// The epoch every VAE trains with (this one, models/conv_vae.h's ConvVAE, models/cvae.h's CVAE): ε drawn
// into the model's reused buffer (no allocation per step), the objective through optimize_epoch (nn/train.h).
template <class Model>
double train_vae_epoch(const char* name, Model& vae, Batcher& batches, Optimizer& opt, Tape& tape,
                       const std::function<void(int, double)>& on_batch) {
    return optimize_epoch(name, batches, opt, tape, [&vae](Tape& t, const Tensor& xb, const std::vector<int>& yb) {
        vae.eps.resize(Shape{xb.dim(0), vae.cfg.latent});
        fill_normal(vae.eps.ptr(), vae.eps.size(), vae.rng);
        return vae_objective(vae, t, xb, yb, vae.eps);
    }, on_batch);
}

// Test-set negative ELBO (recon + KL, whatever β is: the bound on -log p(x)), its reconstruction and KL
// terms in nats per image, with ε from a fixed seed (reproducible; a single-sample estimate, as in the
// PyTorch example), and the squared error per image of the mean reconstruction.
struct VAEEval { double nelbo, recon, kl, sq_error; };
VAEEval evaluate(VAE& vae, const Dataset& d, uint64_t seed = 7);

}  // namespace tg
