// dcgan.h — a deep convolutional GAN (Radford et al. 2016), sized for 28 x 28 images:
//   generator      z (B, 100) → linear → (B, 128, 7, 7), BatchNorm2d, ReLU
//                  → conv-transpose 128→64 4x4 s2 → (B, 64, 14, 14), BatchNorm2d, ReLU
//                  → conv-transpose 64→1 4x4 s2 → (B, 1, 28, 28), tanh → (B, D) in [-1, 1]
//   discriminator  x (B, D) → (B, 1, 28, 28) → conv 1→64 4x4 s2, LeakyReLU 0.2 → (B, 64, 14, 14)
//                  → conv 64→128 4x4 s2, LeakyReLU 0.2 → (B, 128, 7, 7) → flatten → linear → (B, 1) logit
// Training is the MLP GAN's (models/gan.h): the same losses, D step, G step and epoch, run on these nets,
// which live in a GAN's generator and discriminator. d_batchnorm adds a BatchNorm2d after D's second conv (as
// PyTorch's DCGAN has; measured worse here, docs/conv-models.md), and D then sees the real and the fake batch in
// two passes (GANConfig::d_split); without it one stacked pass is the same as two. Samples are drawn with
// G in evaluation mode (BatchNorm's running statistics). Derivations: docs/gan.md; the conv layers:
// docs/conv.md.  B = batch, D = C·H·W pixels.
#pragma once
#include <string>
#include <vector>

#include "data/dataset.h"
#include "models/gan.h"

namespace tg {

struct DCGANConfig {
    int channels = 1, height = 28, width = 28;  // the image; height and width divisible by 4
    int latent = 100;
    int g1 = 128, g2 = 64;                      // G's feature maps at H/4 and H/2
    int d1 = 64, d2 = 128;                      // D's feature maps at H/2 and H/4
    real slope = 0.2;                           // D's LeakyReLU
    real real_label = 1;                        // D's target for real images (0.9: one-sided smoothing)
    bool d_batchnorm = false;                   // BatchNorm2d after D's second conv, as PyTorch's DCGAN (arch "...-bn")
    std::string init = "dcgan";                 // "dcgan": N(0, 0.02²) weights (the paper's); "default": the layers' own
};

struct DCGAN {
    DCGANConfig cfg;
    GAN gan;  // its generator and discriminator hold the conv nets; its rng initialises them

    DCGAN(const DCGANConfig& cfg, uint64_t seed);
    std::string arch() const;  // "1x28x28-z100-g128-g64-d64-d128", "...-d128-bn" with d_batchnorm
    std::vector<NamedTensor> buffers();  // G's and D's BatchNorm running statistics
    Tensor sample(const Tensor& z);  // G(z) in evaluation mode, no graph: (N, Z) -> (N, D) in [-1, 1]
};

// The DCGANConfig for the images of `d`, grayscale or RGB (the other fields at their defaults). Rows that are
// not images, or a height or width not divisible by 4, are input_errors naming the data, its size and the fix
// (--size 28x28, or examples/gan for rows of any kind).
DCGANConfig dcgan_config_for(const Dataset& d);

// The DCGANConfig an arch() string describes (input_error naming `where` if it is malformed).
DCGANConfig parse_dcgan_arch(const std::string& arch, const std::string& where);

}  // namespace tg
