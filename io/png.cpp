// png.cpp — image grids (see png.h): check the shape, lay the tiles out, map values to bytes.
// Layout in pixels, with S = scale, P = pad and L = the label column's width (0 without labels):
//   canvas  = (L + cols * (W*S + P) + P)  x  (rows * (H*S + P) + P)
//   image i = row i / cols, column i % cols, top-left corner at
//             (L + P + column * (W*S + P),  P + row * (H*S + P))
#include "io/png.h"

#include <algorithm>
#include <cmath>

#include "autograd/error.h"

namespace tg {

// ----------------------------------------------------------------------------------------------
// Values to colours

// [0, 1] -> v * 255 and [-1, 1] -> (v + 1) / 2 * 255, rounded; values outside are clipped.
static uint8_t to_byte(real v, bool signed_range) {
    double u = signed_range ? (v + 1.0) / 2.0 : (double)v;
    return (uint8_t)std::lround(255 * std::clamp(u, 0.0, 1.0));
}

// One pixel of C values (C = 1 grey, 3 RGB); any NaN makes it kNaNColor.
static Rgb pixel_color(const real* v, int C, bool signed_range) {
    for (int k = 0; k < C; k++)
        if (std::isnan(v[k])) return kNaNColor;
    if (C == 1) {
        uint8_t g = to_byte(v[0], signed_range);
        return {g, g, g};
    }
    return {to_byte(v[0], signed_range), to_byte(v[1], signed_range), to_byte(v[2], signed_range)};
}

// ----------------------------------------------------------------------------------------------
// Checks: N from the tensor's shape, which must hold exactly N * H*W*C values.
static int count_images(const Tensor& images, int H, int W, int C) {
    std::string geometry = std::to_string(H) + " x " + std::to_string(W) + " x " + std::to_string(C);
    if (H <= 0 || W <= 0 || (C != 1 && C != 3))
        throw input_error("image grid: height x width x channels = " + geometry +
                          " is invalid; height and width must be positive, channels 1 (grey) or 3 (RGB)");
    int n = images.ndim() >= 2 ? images.dim(0) : 1;  // a 1-D tensor is one image
    if (images.ndim() == 0 || n <= 0 || images.size() != (size_t)n * H * W * C)
        throw input_error("image grid: images " + images.shape.str() + " are not N images of " +
                          geometry + " values; pass (N, H*W*C) or (N, H, W) with matching sizes");
    return n;
}

static void check_options(const GridOptions& opt) {
    if (opt.cols < 0 || opt.pad < 0 || opt.scale < 1 || opt.scale > 64)
        throw input_error("image grid: cols = " + std::to_string(opt.cols) + ", pad = " +
                          std::to_string(opt.pad) + ", scale = " + std::to_string(opt.scale) +
                          " are invalid; use cols >= 0 (0 = automatic), pad >= 0, 1 <= scale <= 64");
}

// ----------------------------------------------------------------------------------------------
// The grid
Image image_grid(const Tensor& images, int height, int width, int channels, const GridOptions& opt) {
    const int H = height, W = width, C = channels, S = opt.scale, P = opt.pad;
    const int n = count_images(images, H, W, C);
    check_options(opt);
    const std::vector<std::string>& labels = opt.row_labels;

    // With labels, one row per label; otherwise as square as possible.
    int cols = opt.cols;
    if (cols == 0)
        cols = labels.empty() ? (int)std::ceil(std::sqrt((double)n))
                              : (n + (int)labels.size() - 1) / (int)labels.size();
    cols = std::min(cols, n);
    const int rows = (n + cols - 1) / cols;
    if (!labels.empty() && (int)labels.size() != rows)
        throw input_error("image grid: " + std::to_string(labels.size()) + " row labels for " +
                          std::to_string(rows) + " rows (" + std::to_string(n) + " images, " +
                          std::to_string(cols) + " per row); give one label per row or set cols");

    // Label column: text at 2x when the rows are tall enough for it, in black or white,
    // whichever stands out from the pad colour.
    const int label_scale = H * S >= 20 ? 2 : 1;
    int L = 0;
    for (const std::string& s : labels) L = std::max(L, text_width(s, label_scale) + 8);
    const Rgb c = opt.pad_color;
    const Rgb ink = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b > 140 ? kBlack : kWhite;

    const int cell_w = W * S + P, cell_h = H * S + P;
    Image grid(L + cols * cell_w + P, rows * cell_h + P, opt.pad_color);
    for (int r = 0; r < (int)labels.size(); r++)
        draw_text(grid, P + 4, P + r * cell_h + (H * S - text_height(labels[r], label_scale)) / 2,
                  labels[r], ink, label_scale);

    const size_t per_image = (size_t)H * W * C;
    for (int i = 0; i < n; i++) {
        const int x0 = L + P + (i % cols) * cell_w, y0 = P + (i / cols) * cell_h;
        const real* img = images.ptr() + i * per_image;  // (H, W, C)
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                fill_rect(grid, x0 + x * S, y0 + y * S, S, S,
                          pixel_color(img + ((size_t)y * W + x) * C, C, opt.signed_range));
    }
    return grid;
}

void write_image_grid(const std::string& path, const Tensor& images, int height, int width,
                      int channels, const GridOptions& opt) {
    write_png(path, image_grid(images, height, width, channels, opt));
}

}  // namespace tg
