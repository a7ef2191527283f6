// feature_plot.h — reconstructions of rows that are not images (a CSV's features): one panel per shown row,
// the original's value of each feature beside each method's reconstruction of it, features along x. The
// image counterpart is write_image_rows (io/figures.h). D = features, n = shown rows.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "autograd/tensor.h"

namespace tg {

// rows: {"original", x (n, D)}, {"PCA K=30", x̂ (n, D)}, ...: every tensor (n, D) with the same n and D.
// panel_titles: one per shown row ("row 12, class 3"), or empty. Written as one PNG (atomic), n panels under
// `title`. A generator's samples of such rows are drawn the same way (io/samples.h: one series per panel).
void write_feature_rows(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& rows,
                        const std::vector<std::string>& panel_titles = {},
                        const std::string& title = "Reconstructions, feature by feature (x: feature index, y: value)");

}  // namespace tg
