// gan.cpp — the generator and discriminator, their two losses, one D step and one G step, an epoch.
// derivations: docs/gan.md
#include "models/gan.h"

#include <cmath>
#include <cstdlib>

#include "autograd/ops.h"
#include "nn/train.h"  // gradient_sync: data-parallel training (docs/distributed.md)

namespace tg {

GAN::GAN(const GANConfig& c, uint64_t seed) : cfg(c), rng(seed), generator("generator"), discriminator("discriminator") {
    if (c.latent <= 0) throw input_error("--latent: the noise size must be at least 1, got " + std::to_string(c.latent));
    if (!(c.dropout >= 0 && c.dropout < 1)) throw input_error("gan: dropout must be in [0, 1), got " + std::to_string(c.dropout));
    if (!(c.real_label > 0 && c.real_label <= 1))
        throw input_error("gan: the real label must be in (0, 1], got " + std::to_string(c.real_label));
    // G: Linear-LeakyReLU per hidden size, then a Linear to the pixels and tanh
    int prev = c.latent, k = 1;
    for (int h : c.g_hidden) {
        generator.add<Linear>("generator.fc" + std::to_string(k), prev, h, rng);
        generator.add<Activation>("generator.act" + std::to_string(k), Act::LeakyReLU, c.slope);
        prev = h, k++;
    }
    generator.add<Linear>("generator.fc" + std::to_string(k), prev, c.input, rng);
    generator.add<Activation>("generator.tanh", Act::Tanh);
    // D: Linear-LeakyReLU-Dropout per hidden size, then a Linear to one logit (no sigmoid: see the losses)
    prev = c.input, k = 1;
    for (int h : c.d_hidden) {
        discriminator.add<Linear>("discriminator.fc" + std::to_string(k), prev, h, rng);
        discriminator.add<Activation>("discriminator.act" + std::to_string(k), Act::LeakyReLU, c.slope);
        if (c.dropout > 0) discriminator.add<Dropout>("discriminator.drop" + std::to_string(k), c.dropout, rng);
        prev = h, k++;
    }
    discriminator.add<Linear>("discriminator.fc" + std::to_string(k), prev, 1, rng);
}

std::string GAN::arch() const {
    std::vector<int> g = {cfg.latent}, d = {cfg.input};
    g.insert(g.end(), cfg.g_hidden.begin(), cfg.g_hidden.end());
    g.push_back(cfg.input);
    d.insert(d.end(), cfg.d_hidden.begin(), cfg.d_hidden.end());
    d.push_back(1);
    return sizes_str(g) + "/" + sizes_str(d);
}

GANConfig parse_gan_arch(const std::string& arch, const std::string& where) {
    size_t slash = arch.find('/');
    if (slash == std::string::npos)
        throw input_error(where + ": GAN architecture '" + arch + "' has no '/' between G's and D's sizes; was it written by examples/gan?");
    std::vector<int> g = parse_sizes(arch.substr(0, slash), where), d = parse_sizes(arch.substr(slash + 1), where);
    if (g.size() < 2 || d.size() < 2 || g.back() != d.front() || d.back() != 1)
        throw input_error(where + ": GAN architecture '" + arch + "' is inconsistent (G must end where D starts, D must end in 1)");
    GANConfig c;
    c.latent = g.front();
    c.input = g.back();
    c.g_hidden.assign(g.begin() + 1, g.end() - 1);
    c.d_hidden.assign(d.begin() + 1, d.end() - 1);
    return c;
}

Tensor GAN::sample(const Tensor& z) {
    Tape t;
    NoGrad ng(t);
    return generate(t.input(z)).value();
}

Tensor GAN::sample_images(const Tensor& z) {
    Tensor x = sample(z);
    for (real& v : x.data) v = (v + 1) / 2;
    return x;
}

// ----------------------------------------------------------------------------------------------
// losses

DLoss discriminator_loss(GAN& gan, Tape& t, const Tensor& real_x, Var fake) {
    const int B = real_x.dim(0);
    if (fake.shape().rows() != B || fake.shape().cols() != real_x.cols())
        throw shape_error("discriminator_loss", real_x.shape, fake.shape(), "needs one fake image per real image");
    Tensor& target = gan.d_target;  // real_label for real rows, 0 for fake
    target.resize(Shape{2 * B, 1});
    for (int i = 0; i < 2 * B; i++) target[i] = i < B ? gan.cfg.real_label : 0;
    // One pass over both batches stacked: the same as two when D has no batch statistics. With d_split, two
    // passes, as PyTorch's DCGAN: D's BatchNorm normalises the real and the fake batch each by its own
    // statistics (stacked, a fake image would be normalised with the real images' mean and variance).
    Var logits = gan.cfg.d_split ? concat(gan.discriminate(t.input(real_x)), gan.discriminate(fake), 0)
                                 : gan.discriminate(concat(t.input(real_x), fake, 0));  // (2B, 1)
    // Σ over the 2B rows / B = (mean over the real rows) + (mean over the fake rows)
    return {bce_with_logits(logits, t.input(target), Reduce::Sum) * (1 / (real)B), logits};
}

DLoss discriminator_loss(GAN& gan, Tape& t, const Tensor& real_x, const Tensor& z) {
    if (z.dim(0) != real_x.dim(0)) throw shape_error("discriminator_loss", real_x.shape, z.shape, "needs one noise row per real image");
    Var fake;
    {
        NoGrad ng(t);  // the fake batch is data for D: no graph to G, so D's backward cannot reach G
        fake = gan.generate(t.input(z));  // (B, D)
    }
    return discriminator_loss(gan, t, real_x, fake);
}

Var generator_loss(GAN& gan, Var fake) {
    Var logits = gan.discriminate(fake);  // (B, 1): the graph runs through D into G
    gan.g_target.resize(logits.shape());
    gan.g_target.fill(1);                 // "real", whatever the real label is: -mean log σ(D(G(z)))
    return bce_with_logits(logits, fake.tape->input(gan.g_target));
}

Var generator_loss(GAN& gan, Tape& t, const Tensor& z) { return generator_loss(gan, gan.generate(t.input(z))); }

std::vector<GradcheckResult> gradcheck_gan(GAN& gan, const Tensor& x, const Tensor& z, const GradcheckOptions& opt) {
    const uint64_t keep = gan.rng.state;
    GradcheckResult gd = gradcheck("gan D loss (D's params)", [&](Tape& t, const std::vector<Var>&) {
        gan.rng.state = 12345;
        return discriminator_loss(gan, t, x, z).loss;
    }, {}, gan.d_params(), opt);
    GradcheckResult gg = gradcheck("gan G loss (G's params)", [&](Tape& t, const std::vector<Var>&) {
        gan.rng.state = 12345;
        return generator_loss(gan, t, z);
    }, {}, gan.g_params(), opt);
    gan.rng.state = keep;
    return {gd, gg};
}

// ----------------------------------------------------------------------------------------------
// steps

DStep discriminator_step(GAN& gan, Tape& t, Optimizer& opt_d, const Tensor& real_x, const Tensor& fake_x) {
    t.reset();
    DLoss L = discriminator_loss(gan, t, real_x, t.input(fake_x));  // the fakes as data: G's graph is not on this tape
    DStep s{L.loss.item(), 0, 0};
    const Tensor& logits = L.logits.value();
    for (int i = 0; i < real_x.dim(0); i++) {
        s.real_right += logits[i] > 0;                  // D(x) = σ(l) > ½ on a real image
        s.fake_right += logits[real_x.dim(0) + i] < 0;  // and < ½ on a fake one
    }
    opt_d.zero_grad();  // D's grads still hold the G step's contribution: clear them first
    t.backward(L.loss);
    long items = real_x.dim(0);
    if (gradient_sync) gradient_sync->reduce(opt_d, items, s.loss);  // data-parallel: the global batch's gradient
    opt_d.step();
    return s;
}

double generator_step(GAN& gan, Optimizer& opt_g, Var fake) {
    Var loss = generator_loss(gan, fake);
    opt_g.zero_grad();
    fake.tape->backward(loss);  // fills G's grads, and D's as a side effect: opt_g never touches D's params
    double l = loss.item();
    long items = fake.shape().rows();
    if (gradient_sync) gradient_sync->reduce(opt_g, items, l);  // data-parallel: the global batch's gradient
    opt_g.step();
    return l;
}

GANEpoch train_epoch(GAN& gan, Batcher& batches, Optimizer& opt_d, Optimizer& opt_g, Tape& tape_d, Tape& tape_g,
                     const std::function<void(int, double, double)>& on_batch) {
    Tensor& xb = batches.xb;  // the batcher's buffer and the GAN's: reused, no allocation per step
    Tensor& z = gan.z;
    GANEpoch e{0, 0, 0, 0};
    long seen = 0;
    int b = 1;
    for (; batches.next(); b++) {
        for (real& v : xb.data) v = 2 * v - 1;  // pixels [0, 1] -> [-1, 1], the range of G's tanh
        z.resize(Shape{xb.dim(0), gan.cfg.latent});
        fill_normal(z.ptr(), z.size(), gan.rng);
        // G's forward once per batch, as PyTorch's DCGAN does (fake = G(z)): recorded on tape_g for the
        // G step; the D step gets its values as data (PyTorch's fake.detach()). G does not change between
        // the two steps, so this is the same as running G twice, one forward cheaper.
        tape_g.reset();
        Var fake = gan.generate(tape_g.input(z));
        DStep d = discriminator_step(gan, tape_d, opt_d, xb, fake.value());
        double g = generator_step(gan, opt_g, fake);  // D already updated, as in PyTorch's DCGAN
        e.d_loss += d.loss;
        e.g_loss += g;
        e.d_real_acc += d.real_right;
        e.d_fake_acc += d.fake_right;
        seen += xb.dim(0);
        if (on_batch) on_batch(b, d.loss, g);
    }
    if (gradient_sync) gradient_sync->end_epoch();
    int n = b - 1;
    if (n == 0) throw input_error("gan: the training set is empty; check --data and --train-limit");
    return {e.d_loss / n, e.g_loss / n, e.d_real_acc / seen, e.d_fake_acc / seen};
}

}  // namespace tg
