// autoencoder.cpp — building the encoder/decoder stacks, the (denoising) reconstruction loss, training
// and evaluation loops, and the Reducer interface.
#include "models/autoencoder.h"

#include <cmath>

#include "autograd/ops.h"
#include "autograd/loops.h"
#include "models/fit.h"
#include "nn/train.h"
#include "models/linalg.h"

namespace tg {

// Linear-ReLU for each size in `sizes` after `in`, then a final Linear to `out` (no activation: the
// encoder's code is linear, the decoder's output is logits).
static void build_stack(Sequential& net, const std::string& prefix, int in, const std::vector<int>& sizes, int out, Rng& rng) {
    int prev = in, i = 1;
    for (int h : sizes) {
        if (h <= 0) throw input_error(prefix + ": hidden sizes must be positive, got " + std::to_string(h));
        net.add<Linear>(prefix + ".fc" + std::to_string(i), prev, h, rng);
        net.add<Activation>(prefix + ".relu" + std::to_string(i), Act::ReLU);
        prev = h;
        i++;
    }
    net.add<Linear>(prefix + ".fc" + std::to_string(i), prev, out, rng);
}

Autoencoder::Autoencoder(const AutoencoderConfig& c, uint64_t seed) : encoder("encoder"), decoder("decoder") { build(c, seed); }

void Autoencoder::build(const AutoencoderConfig& c, uint64_t seed) {
    if (c.code <= 0) throw input_error("--latent: the code size must be at least 1, got " + std::to_string(c.code));
    if (c.noise == Noise::Mask && !(c.noise_level >= 0 && c.noise_level < 1))
        throw input_error("--noise: a masking probability must be in [0, 1), got " + std::to_string(c.noise_level));
    if (c.noise == Noise::Gaussian && !(c.noise_level >= 0))
        throw input_error("--noise: a Gaussian noise level must be >= 0, got " + std::to_string(c.noise_level));
    cfg = c;
    rng = Rng(seed);
    encoder.layers.clear();
    decoder.layers.clear();
    std::vector<int> rev(cfg.hidden.rbegin(), cfg.hidden.rend());
    build_stack(encoder, "encoder", cfg.input, cfg.hidden, cfg.code, rng);
    build_stack(decoder, "decoder", cfg.code, rev, cfg.input, rng);
}

std::string Autoencoder::arch() const {
    std::string s = std::to_string(cfg.input);
    for (int h : cfg.hidden) s += "-" + std::to_string(h);
    return s + "-" + std::to_string(cfg.code);
}

std::vector<Param*> Autoencoder::params() {
    std::vector<Param*> p = encoder.params(), d = decoder.params();
    p.insert(p.end(), d.begin(), d.end());
    return p;
}

void Autoencoder::corrupt_into(const Tensor& x, Tensor& y, Rng& r) const {
    y.assign(x);
    real* v = y.ptr();
    const Rng d = r;  // the i-th draw by position (rng.h): the serial loop's numbers, on every thread
    const double level = cfg.noise_level;
    if (cfg.noise == Noise::Gaussian) {
        for_each_index(y.size(), [=](size_t i) {  // v + N(0, level²), clipped to [0, 1]
            v[i] = std::min(real(1), std::max(real(0), v[i] + (real)(0 + level * d.normal_at(i))));
        }, 2048);
        r.skip(2 * y.size());
    } else if (cfg.noise == Noise::Mask) {
        for_each_index(y.size(), [=](size_t i) { v[i] = d.uniform_at(i) < level ? 0 : v[i]; }, 8192);  // each pixel zeroed with probability level
        r.skip(y.size());
    }
}

// BCE: Σ_pixels bce_with_logits(decoder(encoder(input)), clean) / B      (nats per image)
// MSE: Σ_pixels (sigmoid(logits) - clean)² / B                           (squared error per image)
Var Autoencoder::loss(Tape& t, const Tensor& input, const Tensor& clean) {
    Var logits = decode_logits(encode(t.input(input)));
    Var target = t.input(clean);
    return cfg.loss == Recon::BCE ? bce_with_logits(logits, target, Reduce::BatchMean)
                                  : mse(sigmoid(logits), target, Reduce::BatchMean);
}

double train_epoch(Autoencoder& ae, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch) {
    return optimize_epoch("autoencoder", batches, opt, tape, [&ae](Tape& t, const Tensor& xb, const std::vector<int>&) {
        if (ae.cfg.noise == Noise::None) return ae.loss(t, xb, xb);
        ae.corrupt_into(xb, ae.noisy, ae.rng);  // reconstruct the clean batch from a corrupted copy
        return ae.loss(t, ae.noisy, xb);
    }, on_batch);
}

// One pass over d: the objective and the squared error per image of the clean images, reconstructed
// from the clean images (corrupt = false) or from one fixed corruption of them (corrupt = true, seed 7).
static void eval_pass(Autoencoder& ae, const Dataset& d, bool corrupt, double* loss, double* sq_error) {
    Batcher it(d, 1000, 0, false);
    Tape tape;
    Tensor xb;
    std::vector<int> yb;
    Rng noise(7);  // the same corruption of the test set every epoch
    double l = 0, se = 0;
    while (it.next(xb, yb)) {
        tape.reset();
        NoGrad ng(tape);
        Var logits = ae.decode_logits(ae.encode(tape.input(corrupt ? ae.corrupt(xb, noise) : xb)));
        Var target = tape.input(xb);
        l += (ae.cfg.loss == Recon::BCE ? bce_with_logits(logits, target, Reduce::Sum) : mse(sigmoid(logits), target, Reduce::Sum)).item();
        se += mse(sigmoid(logits), target, Reduce::Sum).item();
    }
    *loss = l / d.size();
    *sq_error = se / d.size();
}

void evaluate(Autoencoder& ae, const Dataset& d, double* loss, double* sq_error, double* noisy_sq_error) {
    eval_pass(ae, d, false, loss, sq_error);
    if (!noisy_sq_error) return;
    if (ae.cfg.noise == Noise::None) { *noisy_sq_error = *sq_error; return; }  // nothing to corrupt
    double noisy_loss;
    eval_pass(ae, d, true, &noisy_loss, noisy_sq_error);
}

// ----------------------------------------------------------------------------------------------
// Reducer

void Autoencoder::fit(const Dataset& train, int dim, Rng& r) {
    AutoencoderConfig c = cfg;  // a fresh network of the asked sizes
    c.code = dim;
    c.input = train.dim();
    build(c, r.next_u64());
    fit_with_adam(*this, train, cfg.epochs, cfg.batch, cfg.lr, r.next_u64());
}

Tensor Autoencoder::encode(const Tensor& x) {
    check_rows("ae", x, cfg.input);  // a wrong width or a NaN: an input_error naming the model, not a matmul's
    return apply_nograd(x, [&](Var v) { return encode(v); });
}

Tensor Autoencoder::decode(const Tensor& z) {
    check_rows("ae", z, cfg.code, "decode input (codes)");
    return apply_nograd(z, [&](Var v) { return sigmoid(decode_logits(v)); });
}

void Autoencoder::save(Checkpoint& ck) const {
    Autoencoder& self = const_cast<Autoencoder&>(*this);  // store_params reads the params, it changes nothing
    ck.set("model", name());
    ck.set("arch", arch());
    ck.set("loss", cfg.loss == Recon::BCE ? "bce" : "mse");
    store_params(ck, self.params());
}

void Autoencoder::load(const Checkpoint& ck) {
    if (ck.get("model") != name()) throw input_error(ck.path + ": holds a '" + ck.get("model") + "' model, not an autoencoder");
    std::string a = ck.get("arch");  // rebuild to the stored sizes: "784-512-256-30"
    std::vector<int> sizes;
    for (size_t p = 0; p < a.size();) {
        size_t q = a.find('-', p);
        sizes.push_back(std::stoi(a.substr(p, q == std::string::npos ? std::string::npos : q - p)));
        p = q == std::string::npos ? a.size() : q + 1;
    }
    if (sizes.size() < 2) throw input_error(ck.path + ": malformed architecture '" + a + "'");
    AutoencoderConfig c = cfg;
    c.input = sizes.front();
    c.code = sizes.back();
    c.hidden.assign(sizes.begin() + 1, sizes.end() - 1);
    c.loss = ck.get("loss") == "mse" ? Recon::MSE : Recon::BCE;
    build(c, 0);
    restore_params(ck, params());
}

}  // namespace tg
