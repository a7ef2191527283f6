// figures.h — the pictures every representation-learning example draws, built on png.h and plot.h:
// rows of images (originals over reconstructions), a 2-D latent scatter coloured by class, the latent
// manifold grid of Kingma & Welling (decodings over the plane through the Gaussian's inverse CDF), and
// interpolations between two images' codes; reconstructions of images or of feature rows (compare). A decoder
// is passed as a function codes (N, K) → images (N, D).
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "data/dataset.h"

namespace tg {

using DecodeFn = std::function<Tensor(const Tensor&)>;

// Class names for the legend: Fashion-MNIST's when the data came from a fashion-mnist directory,
// otherwise the label numbers.
std::vector<std::string> class_names_for(const Dataset& d);

// One labelled row per tensor, each (N, D) with the same N: e.g. {"original", x}, {"reconstruction", r}.
void write_image_rows(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows, int h, int w,
                      bool signed_range = false, int scale = 2);

// codes (N, 2) as points coloured by label.
void write_latent_scatter(const std::string& path, const Tensor& codes, const std::vector<int>& labels,
                          const std::vector<std::string>& names, const std::string& title);

// An n × n grid of decode(z) with z = (Φ⁻¹(u_i), Φ⁻¹(u_j)), u evenly spaced in (0, 1): equal steps of
// prior probability mass, so the grid covers the prior N(0, I) evenly. For 2-D latent spaces.
void write_manifold(const std::string& path, const DecodeFn& decode, int n, int h, int w, int channels = 1);

// One row per pair of codes (rows 2r and 2r+1 of `codes`, (2R, K)): `steps` decodings along the straight
// line from the first code to the second.
void write_interpolation(const std::string& path, const DecodeFn& decode, const Tensor& codes, int steps, int h, int w,
                         int channels = 1);  // 3: RGB rows, channels last, drawn in colour

// Labelled rows of reconstructions of `like`'s rows (each tensor (n, D)): image rows, grey or RGB, when `like`
// holds images (3x upscaled up to 32 pixels high), one line per feature otherwise (io/feature_plot.h).
void write_reconstruction_rows(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows, const Dataset& like);

// Φ⁻¹(u): the standard normal quantile (inverse CDF), for u in (0, 1).
double normal_quantile(double u);

}  // namespace tg
