// dcgan.cpp — building the DCGAN's generator and discriminator inside a GAN, and sampling in evaluation mode.
// Training: models/gan.cpp (train_epoch, the two steps and losses). Layers: nn/conv.h.
#include "models/dcgan.h"

#include <cstdio>

#include "models/image_rows.h"
#include "nn/conv.h"

namespace tg {

// The GAN whose nets are replaced: an MLP with no hidden layer, built and then cleared
static GANConfig shell_config(const DCGANConfig& c) {
    GANConfig g;
    g.input = c.channels * c.height * c.width;
    g.latent = c.latent;
    g.g_hidden.clear();
    g.d_hidden.clear();
    g.slope = c.slope;
    g.dropout = 0;
    g.real_label = c.real_label;
    g.d_split = c.d_batchnorm;
    return g;
}

// The DCGAN paper's initialisation (Radford et al., 2015; PyTorch's DCGAN example does the same): every
// conv, transposed-conv and linear weight from N(0, 0.02²), BatchNorm's scale from N(1, 0.02²), biases 0.
// The layers' PyTorch defaults instead give G's last transposed conv U(±1/√(1·4·4)) = U(±0.25), which
// starts tanh saturated; measured: docs/conv-models.md.
static void dcgan_init(Sequential& net, Rng& rng) {
    for (Param* p : net.params()) {
        const std::string& n = p->name;
        const bool is_bias = n.size() >= 5 && n.compare(n.size() - 5, 5, ".bias") == 0;
        const bool is_norm = n.find(".bn") != std::string::npos;
        if (is_bias) p->value.fill(0);
        else fill_normal(p->value.ptr(), p->value.size(), rng, is_norm ? 1.0 : 0.0, 0.02);
    }
}

DCGAN::DCGAN(const DCGANConfig& c, uint64_t seed) : cfg(c), gan(shell_config(c), seed) {
    if (c.channels <= 0 || c.height < 4 || c.width < 4 || c.height % 4 || c.width % 4)
        throw input_error("dcgan: the images must be at least 4x4 with height and width divisible by 4 (two stride-2 steps), got " +
                          std::to_string(c.channels) + "x" + std::to_string(c.height) + "x" + std::to_string(c.width));
    if (c.g1 <= 0 || c.g2 <= 0 || c.d1 <= 0 || c.d2 <= 0) throw input_error("dcgan: feature map counts must be positive");
    const int h = c.height / 4, w = c.width / 4;
    Rng& rng = gan.rng;
    Sequential& G = gan.generator;
    G.layers.clear();
    G.add<Linear>("generator.fc", c.latent, c.g1 * h * w, rng, Init::PyTorchDefault, false);          // (B, 128·7·7)
    G.add<Unflatten>("generator.unflatten", c.g1, h, w);                                               // (B, 128, 7, 7)
    G.add<BatchNorm2d>("generator.bn1", c.g1);
    G.add<Activation>("generator.relu1", Act::ReLU);
    G.add<ConvTranspose2d>("generator.deconv1", c.g1, c.g2, 4, 2, 1, 0, rng, Init::PyTorchDefault, false);  // (B, 64, 14, 14)
    G.add<BatchNorm2d>("generator.bn2", c.g2);
    G.add<Activation>("generator.relu2", Act::ReLU);
    G.add<ConvTranspose2d>("generator.deconv2", c.g2, c.channels, 4, 2, 1, 0, rng);                    // (B, 1, 28, 28)
    G.add<Activation>("generator.tanh", Act::Tanh);
    add_images_to_rows(G, "generator.flatten", c.channels);                                            // (B, D), as the rows are
    Sequential& D = gan.discriminator;
    D.layers.clear();
    add_rows_to_images(D, "discriminator.unflatten", c.channels, c.height, c.width);  // (B, 1, 28, 28); RGB rows are (H, W, C)
    D.add<Conv2d>("discriminator.conv1", c.channels, c.d1, 4, 2, 1, rng);       // (B, 64, 14, 14)
    D.add<Activation>("discriminator.act1", Act::LeakyReLU, c.slope);
    D.add<Conv2d>("discriminator.conv2", c.d1, c.d2, 4, 2, 1, rng, Init::PyTorchDefault, !c.d_batchnorm);  // (B, 128, 7, 7)
    if (c.d_batchnorm) D.add<BatchNorm2d>("discriminator.bn2", c.d2);          // its shift is conv2's bias
    D.add<Activation>("discriminator.act2", Act::LeakyReLU, c.slope);
    D.add<Flatten>("discriminator.flatten");                                     // (B, 6272)
    D.add<Linear>("discriminator.fc", c.d2 * h * w, 1, rng);                     // (B, 1) logit
    if (c.init == "dcgan") dcgan_init(G, rng), dcgan_init(D, rng);
}

std::string DCGAN::arch() const {
    char s[160];
    snprintf(s, sizeof s, "%dx%dx%d-z%d-g%d-g%d-d%d-d%d%s", cfg.channels, cfg.height, cfg.width, cfg.latent, cfg.g1, cfg.g2, cfg.d1,
             cfg.d2, cfg.d_batchnorm ? "-bn" : "");
    return s;
}

std::vector<NamedTensor> DCGAN::buffers() {
    std::vector<NamedTensor> b = gan.generator.buffers(), d = gan.discriminator.buffers();
    b.insert(b.end(), d.begin(), d.end());
    return b;
}

DCGANConfig dcgan_config_for(const Dataset& d) {
    const std::string data = "dcgan: --data " + (d.source.empty() ? std::string("the data") : d.source);
    if (!d.is_image())
        throw input_error(data + " holds rows of " + std::to_string(d.dim()) + " values, not images; the DCGAN's convolutions need "
                          "images (an idx directory or an image folder): use gan, whose MLPs read rows of any length");
    const std::string size = std::to_string(d.height) + "x" + std::to_string(d.width);
    if (d.height % 4 || d.width % 4)
        throw input_error(data + " holds " + size + " images; the DCGAN's two stride-2 steps need a height and width divisible "
                          "by 4 (Fashion-MNIST's 28x28): pass --size 28x28 (and --channels 1 for grey, 3 for colour)");
    DCGANConfig c;
    c.channels = d.channels, c.height = d.height, c.width = d.width;  // RGB: models/image_rows.h at G's end and D's start
    return c;
}

DCGANConfig parse_dcgan_arch(const std::string& arch, const std::string& where) {
    DCGANConfig c;
    char rest[8] = "";
    const int n = sscanf(arch.c_str(), "%dx%dx%d-z%d-g%d-g%d-d%d-d%d%7s", &c.channels, &c.height, &c.width, &c.latent, &c.g1, &c.g2,
                         &c.d1, &c.d2, rest);
    if (n < 8 || (n == 9 && std::string(rest) != "-bn"))
        throw input_error(where + ": malformed DCGAN architecture '" + arch + "'; expected like 1x28x28-z100-g128-g64-d64-d128-bn");
    c.d_batchnorm = n == 9;  // checkpoints from before D had BatchNorm end in "-d128"
    return c;
}

Tensor DCGAN::sample(const Tensor& z) {
    gan.generator.set_training(false);  // BatchNorm with its running statistics: a sample does not depend on its batch
    Tensor x = gan.sample(z);
    gan.generator.set_training(true);
    return x;
}

}  // namespace tg
