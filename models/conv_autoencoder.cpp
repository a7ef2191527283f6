// conv_autoencoder.cpp — the conv body (encoder and mirrored decoder), the convolutional autoencoder's
// loss, training and evaluation loops, and the Reducer interface. Layers: nn/conv.h; docs/conv.md
#include "models/conv_autoencoder.h"

#include <cstdio>

#include "autograd/ops.h"
#include "models/fit.h"
#include "models/linalg.h"
#include "models/image_rows.h"
#include "nn/conv.h"
#include "nn/train.h"

namespace tg {

std::string ConvBodyConfig::str() const {
    char s[120];
    snprintf(s, sizeof s, "%dx%dx%d-c%d-c%d", channels, height, width, conv1, conv2);
    return s;
}

std::string parse_conv_body(const std::string& text, ConvBodyConfig& c, const std::string& where) {
    int used = 0;
    if (sscanf(text.c_str(), "%dx%dx%d-c%d-c%d%n", &c.channels, &c.height, &c.width, &c.conv1, &c.conv2, &used) != 5 ||
        c.channels <= 0 || c.height < 2 || c.width < 2 || c.conv1 <= 0 || c.conv2 <= 0)
        throw input_error(where + ": malformed conv architecture '" + text + "'; expected CxHxW-cA-cB-... like 1x28x28-c32-c64-30");
    return used < (int)text.size() && text[(size_t)used] == '-' ? text.substr((size_t)used + 1) : text.substr((size_t)used);
}

ConvBodyConfig conv_body_for(const Dataset& d, const std::string& what) {
    if (d.height < 2 || d.width < 2 || d.dim() % (d.height * d.width) != 0)
        throw input_error(what + ": " + (d.source.empty() ? std::string("the data") : d.source) + " holds rows of " + std::to_string(d.dim()) +
                          " values, not images; a convolutional model needs an idx image set (height x width pixels) -- use ae for other data");
    ConvBodyConfig c;  // RGB rows are (H, W, C): the body's first and last layers reorder them (models/image_rows.h)
    c.channels = d.dim() / (d.height * d.width), c.height = d.height, c.width = d.width;
    return c;
}

void build_conv_encoder(Sequential& net, const std::string& prefix, const ConvBodyConfig& c, int out, Rng& rng) {
    add_rows_to_images(net, prefix + ".unflatten", c.channels, c.height, c.width);  // (B, D) -> (B, C, H, W); RGB rows are (H, W, C)
    net.add<Conv2d>(prefix + ".conv1", c.channels, c.conv1, 3, 2, 1, rng);     // (B, 32, 14, 14)
    net.add<Activation>(prefix + ".relu1", Act::ReLU);
    net.add<Conv2d>(prefix + ".conv2", c.conv1, c.conv2, 3, 2, 1, rng);        // (B, 64, 7, 7)
    net.add<Activation>(prefix + ".relu2", Act::ReLU);
    net.add<Flatten>(prefix + ".flatten");                                      // (B, 3136)
    net.add<Linear>(prefix + ".fc", c.features(), out, rng);                    // (B, out)
}

void build_conv_decoder(Sequential& net, const std::string& prefix, const ConvBodyConfig& c, int in, Rng& rng) {
    const int h1 = (c.height - 1) / 2 + 1, w1 = (c.width - 1) / 2 + 1;  // the encoder's middle map (14 x 14)
    const int h2 = c.small_h(), w2 = c.small_w();                        // and its last (7 x 7)
    // a conv-transpose k3 s2 p1 makes 2n - 1 + output_padding of n: output_padding 1 doubles 7 to 14, and 0
    // gives back an odd size (4 -> 7); one padding for both axes, so H and W must agree on parity at each step
    const int op1 = h1 - (2 * h2 - 1), op2 = c.height - (2 * h1 - 1);
    if (op1 != w1 - (2 * w2 - 1) || op2 != c.width - (2 * w1 - 1))
        throw input_error(prefix + ": a " + std::to_string(c.height) + "x" + std::to_string(c.width) +
                          " image cannot be mirrored with one output_padding per layer; use images whose height and width are both even or both odd");
    net.add<Linear>(prefix + ".fc", in, c.features(), rng);                              // (B, 3136)
    net.add<Activation>(prefix + ".relu0", Act::ReLU);
    net.add<Unflatten>(prefix + ".unflatten", c.conv2, h2, w2);                           // (B, 64, 7, 7)
    net.add<ConvTranspose2d>(prefix + ".deconv1", c.conv2, c.conv1, 3, 2, 1, op1, rng);  // (B, 32, 14, 14)
    net.add<Activation>(prefix + ".relu1", Act::ReLU);
    net.add<ConvTranspose2d>(prefix + ".deconv2", c.conv1, c.channels, 3, 2, 1, op2, rng);  // (B, 1, 28, 28)
    add_images_to_rows(net, prefix + ".flatten", c.channels);                             // (B, D) logits, as the rows are
}

// ----------------------------------------------------------------------------------------------
ConvAutoencoder::ConvAutoencoder(const ConvAutoencoderConfig& c, uint64_t seed) : encoder("encoder"), decoder("decoder") { build(c, seed); }

void ConvAutoencoder::build(const ConvAutoencoderConfig& c, uint64_t seed) {
    if (c.code <= 0) throw input_error("--latent: the code size must be at least 1, got " + std::to_string(c.code));
    cfg = c;
    rng = Rng(seed);
    encoder.layers.clear();
    decoder.layers.clear();
    build_conv_encoder(encoder, "encoder", cfg.body, cfg.code, rng);
    build_conv_decoder(decoder, "decoder", cfg.body, cfg.code, rng);
}

std::string ConvAutoencoder::arch() const { return cfg.body.str() + "-" + std::to_string(cfg.code); }

std::vector<Param*> ConvAutoencoder::params() {
    std::vector<Param*> p = encoder.params(), d = decoder.params();
    p.insert(p.end(), d.begin(), d.end());
    return p;
}

// Σ_pixels bce_with_logits(decoder(encoder(x)), x) / B
Var ConvAutoencoder::loss(Tape& t, const Tensor& x) {
    Var xv = t.input(x);
    return bce_with_logits(decode_logits(encode(xv)), xv, Reduce::BatchMean);
}

double train_epoch(ConvAutoencoder& ae, Batcher& batches, Optimizer& opt, Tape& tape, const std::function<void(int, double)>& on_batch) {
    return optimize_epoch("conv_autoencoder", batches, opt, tape,
                          [&ae](Tape& t, const Tensor& xb, const std::vector<int>&) { return ae.loss(t, xb); }, on_batch);
}

CAEEval evaluate(ConvAutoencoder& ae, const Dataset& d) {
    Batcher it(d, 500, 0, false);
    Tape tape;
    Tensor xb;
    std::vector<int> yb;
    CAEEval e{0, 0};
    while (it.next(xb, yb)) {
        tape.reset();
        NoGrad ng(tape);
        Var x = tape.input(xb);
        Var logits = ae.decode_logits(ae.encode(x));
        e.loss += bce_with_logits(logits, x, Reduce::Sum).item();
        e.sq_error += mse(sigmoid(logits), x, Reduce::Sum).item();
    }
    e.loss /= d.size();
    e.sq_error /= d.size();
    return e;
}

// ----------------------------------------------------------------------------------------------
// Reducer

void ConvAutoencoder::fit(const Dataset& train, int dim, Rng& r) {
    ConvAutoencoderConfig c = cfg;  // a fresh network for the data's images and the asked code size
    c.body = conv_body_for(train, "cae");
    c.body.conv1 = cfg.body.conv1, c.body.conv2 = cfg.body.conv2;
    c.code = dim;
    build(c, r.next_u64());
    fit_with_adam(*this, train, cfg.epochs, cfg.batch, cfg.lr, r.next_u64());
}

Tensor ConvAutoencoder::encode(const Tensor& x) {
    check_rows("cae", x, cfg.body.channels * cfg.body.height * cfg.body.width);
    return apply_nograd(x, [&](Var v) { return encode(v); });
}

Tensor ConvAutoencoder::decode(const Tensor& z) {
    check_rows("cae", z, cfg.code, "decode input (codes)");
    return apply_nograd(z, [&](Var v) { return sigmoid(decode_logits(v)); });
}

void ConvAutoencoder::save(Checkpoint& ck) const {
    ConvAutoencoder& self = const_cast<ConvAutoencoder&>(*this);  // store_params reads the params, it changes nothing
    ck.set("model", name());
    ck.set("arch", arch());
    store_params(ck, self.params());
}

void ConvAutoencoder::load(const Checkpoint& ck) {
    if (ck.get("model") != name()) throw input_error(ck.path + ": holds a '" + ck.get("model") + "' model, not a conv autoencoder (cae)");
    ConvAutoencoderConfig c = cfg;
    const std::string rest = parse_conv_body(ck.get("arch"), c.body, ck.path);
    if (sscanf(rest.c_str(), "%d", &c.code) != 1 || c.code <= 0)
        throw input_error(ck.path + ": malformed conv autoencoder architecture '" + ck.get("arch") + "'; expected like 1x28x28-c32-c64-30");
    build(c, 0);
    restore_params(ck, params());
}

}  // namespace tg
