// samples.h — a generator's samples (or a model's filters, reconstructions) as a picture that fits the data:
// an image grid when the data's rows are images (in colour when they are RGB, channels last), and otherwise,
// for rows of features (a CSV), one panel per row with its value of each feature (io/feature_plot.h), as
// compare draws reconstructions of such rows. N = rows shown, D = values per row.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "data/dataset.h"

namespace tg {

// x (N, D) rows shaped like `like`'s. Images: a grid of `cols` columns at `scale`, values in [0, 1], or [-1, 1]
// when signed_range (a tanh's). Features: the first min(N, 6) rows (mapped (x + 1) / 2 when signed_range).
void write_samples(const std::string& path, const Tensor& x, const Dataset& like, bool signed_range = false, int cols = 8,
                   int scale = 2);

// Rows side by side ({"original", x}, {"reconstruction", x̂}), each (N, D): write_image_rows for grayscale
// images, the feature panels otherwise (RGB rows: each set as a colour grid, one below the other).
void write_sample_rows(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows, const Dataset& like);

}  // namespace tg
