// png.h — image grids: N small images (a batch, samples, reconstructions) tiled into one PNG.
// N = images, H = height, W = width, C = channels (1 = grey, 3 = RGB). The images come as one Tensor
// of shape (N, H*W*C), (N, H, W) or (N, H, W, C): row-major, channels last, as every loader and
// model in tapegrad stores them. Every model example writes its samples and reconstructions here.
#pragma once
#include <string>
#include <vector>

#include "autograd/tensor.h"
#include "io/image.h"

namespace tg {

struct GridOptions {
    int cols = 0;               // images per row; 0 = near-square, or N / row_labels when labelled
    int pad = 2;                // pixels between images and around the border
    int scale = 1;              // whole-number upscale, nearest neighbour (28 x 28 at 3 -> 84 x 84)
    bool signed_range = false;  // values in [-1, 1] (tanh outputs) instead of [0, 1]
    Rgb pad_color{128, 128, 128};     // a mid grey sets both dark and light images apart
    std::vector<std::string> row_labels;  // drawn left of each row ("original", "PCA-30", "AE-30");
                                          // when given there must be exactly one per row
};

// Values outside the range are clipped to it; a NaN anywhere in a pixel draws it pure red
// (kNaNColor), so a diverged model shows up in its samples instead of as black.
constexpr Rgb kNaNColor{255, 0, 0};

// The grid as a canvas, e.g. to paste into a bigger figure.
Image image_grid(const Tensor& images, int height, int width, int channels = 1,
                 const GridOptions& opt = {});
// The grid written as a PNG file (throws tg::Error naming the path when it cannot).
void write_image_grid(const std::string& path, const Tensor& images, int height, int width,
                      int channels = 1, const GridOptions& opt = {});

}  // namespace tg
